// SPDX-License-Identifier: GPL-3.0-or-later
// The review panel driven as a reviewer would: keys on the gallery, then the
// project read back through its own connection. A fake controller stands in
// for the explainer, so no model is trained here.

#include "core/models/reviewlistmodel.h"
#include "core/review/reviewstore.h"
#include "tests/widgets/reviewfake.h"
#include "widgets/heatmapview.h"
#include "widgets/reviewgallery.h"
#include "widgets/reviewpanel.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace salient;
using namespace salient::review;
using salient::test::FakeExplainer;

class TestReviewPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void verdictKeysLandInTheProject_data();
    void verdictKeysLandInTheProject();
    void reviewerIsAskedOnceAndStored();
    void noReviewerNoVerdict();
    void noteIsEditedWithN();
    void verdictMovesOnWhenAsked();
    void filtersNarrowTheGallery_data();
    void filtersNarrowTheGallery();
    void verdictFilterShowsReviewedImages();
    void movingThroughImagesAsksForTheCurrentOne();
    void classComboAsksForThatTarget_data();
    void classComboAsksForThatTarget();
    void lookChangesWithoutAskingAgain();
    void summaryCountsVerdictsPerClass();
    void explainAllShowsProgressAndCancels();
    void explainAllCoversBothRoles();
    void fixLabelEmitsTheImageId();
    void labelFixedElsewhereShowsInTheGallery();
    void exportWritesTheReport();

private:
    void pressOnGallery(int key);
    std::optional<Review> storedReview(qint64 imageId) const;

    QTemporaryDir m_settings;
    std::unique_ptr<test::ReviewProject> m_project;
    std::unique_ptr<FakeExplainer> m_fake;
    std::unique_ptr<test::ReviewPrompter> m_prompter;
    std::unique_ptr<ReviewPanel> m_panel;
};

void TestReviewPanel::initTestCase()
{
    test::isolateSettings(m_settings.path());
}

void TestReviewPanel::init()
{
    QSettings().clear();
    m_project = std::make_unique<test::ReviewProject>();
    QVERIFY(m_project->make());
    m_fake = std::make_unique<FakeExplainer>();
    m_prompter = std::make_unique<test::ReviewPrompter>();
    m_panel = std::make_unique<ReviewPanel>();
    m_panel->setPrompter(m_prompter.get());
    m_panel->setAdvanceAfterVerdict(false);
    m_panel->setController(m_fake.get());
    m_panel->setStore(m_project->store.get());
    m_panel->resize(1300, 620);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_panel->activateWindow();
    m_panel->gallery()->setFocus();
    QCOMPARE(m_panel->currentRunId(), m_project->runId);
    QVERIFY(m_panel->currentImageId() != 0);
}

void TestReviewPanel::cleanup()
{
    m_panel.reset();
    m_fake.reset();
    m_project.reset();
}

void TestReviewPanel::pressOnGallery(int key)
{
    QTest::keyClick(m_panel->gallery(), static_cast<Qt::Key>(key));
}

std::optional<Review> TestReviewPanel::storedReview(qint64 imageId) const
{
    // Another connection: what was committed, not what a model cached.
    auto reader = ProjectStore::open(m_project->file, ProjectStore::OpenMode::ReadOnly);
    if (!reader.ok())
        return std::nullopt;
    auto r = ReviewStore(*reader.value()).review(m_project->runId, imageId);
    return r.ok() ? r.value() : std::nullopt;
}

void TestReviewPanel::verdictKeysLandInTheProject_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<int>("verdict");
    QTest::newRow("1 plausible") << int(Qt::Key_1) << int(Verdict::Plausible);
    QTest::newRow("2 spurious") << int(Qt::Key_2) << int(Verdict::Spurious);
    QTest::newRow("3 shortcut") << int(Qt::Key_3) << int(Verdict::Shortcut);
    QTest::newRow("4 unsure") << int(Qt::Key_4) << int(Verdict::Unsure);
}

void TestReviewPanel::verdictKeysLandInTheProject()
{
    QFETCH(int, key);
    QFETCH(int, verdict);
    const qint64 id = m_panel->currentImageId();
    pressOnGallery(key);
    auto stored = storedReview(id);
    QVERIFY(stored.has_value());
    QCOMPARE(int(stored->verdict), verdict);
    QCOMPARE(stored->reviewer, QStringLiteral("Ada Lovelace"));
    QVERIFY(stored->updatedAt.isValid());
    QVERIFY(m_panel->verdictButton(Verdict(verdict))->isChecked());
    // 0 clears it again.
    pressOnGallery(Qt::Key_0);
    stored = storedReview(id);
    QVERIFY(!stored.has_value() || stored->verdict == Verdict::Unreviewed);
    QVERIFY(!m_panel->verdictButton(Verdict(verdict))->isChecked());
}

void TestReviewPanel::reviewerIsAskedOnceAndStored()
{
    const qint64 first = m_panel->currentImageId();
    pressOnGallery(Qt::Key_1);
    pressOnGallery(Qt::Key_J);
    const qint64 second = m_panel->currentImageId();
    QVERIFY(second != first);
    pressOnGallery(Qt::Key_2);
    QCOMPARE(m_prompter->textAsked.size(), 1);
    QCOMPARE(QSettings().value(QStringLiteral("review/reviewer")).toString(),
                               QStringLiteral("Ada Lovelace"));
    QCOMPARE(storedReview(first)->verdict, Verdict::Plausible);
    QCOMPARE(storedReview(second)->verdict, Verdict::Spurious);
    QCOMPARE(storedReview(second)->reviewer, QStringLiteral("Ada Lovelace"));
}

void TestReviewPanel::noReviewerNoVerdict()
{
    m_prompter->name.clear(); // the person cancels the question
    const qint64 id = m_panel->currentImageId();
    pressOnGallery(Qt::Key_1);
    QCOMPARE(m_prompter->textAsked.size(), 1);
    QVERIFY(!storedReview(id).has_value());
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("name")));
}

void TestReviewPanel::noteIsEditedWithN()
{
    const qint64 id = m_panel->currentImageId();
    pressOnGallery(Qt::Key_N);
    QCOMPARE(QApplication::focusWidget(), m_panel->noteEdit());
    QTest::keyClicks(m_panel->noteEdit(), QStringLiteral("ruler at the edge"));
    QTest::keyClick(m_panel->noteEdit(), Qt::Key_Return);
    QCOMPARE(QApplication::focusWidget(), m_panel->gallery());
    auto stored = storedReview(id);
    QVERIFY(stored.has_value());
    QCOMPARE(stored->note, QStringLiteral("ruler at the edge"));
    QCOMPARE(stored->reviewer, QStringLiteral("Ada Lovelace"));
    // A verdict keeps the note; Esc throws away an edit.
    pressOnGallery(Qt::Key_3);
    pressOnGallery(Qt::Key_N);
    QTest::keyClicks(m_panel->noteEdit(), QStringLiteral("never mind"));
    QTest::keyClick(m_panel->noteEdit(), Qt::Key_Escape);
    QCOMPARE(m_panel->noteEdit()->text(), QStringLiteral("ruler at the edge"));
    stored = storedReview(id);
    QCOMPARE(stored->verdict, Verdict::Shortcut);
    QCOMPARE(stored->note, QStringLiteral("ruler at the edge"));
    // The note shows again when the reviewer comes back to the image.
    pressOnGallery(Qt::Key_J);
    QVERIFY(m_panel->noteEdit()->text().isEmpty());
    pressOnGallery(Qt::Key_K);
    QCOMPARE(m_panel->noteEdit()->text(), QStringLiteral("ruler at the edge"));
}

void TestReviewPanel::verdictMovesOnWhenAsked()
{
    QVERIFY(!m_panel->advanceCheck()->isChecked());
    QTest::mouseClick(m_panel->advanceCheck(), Qt::LeftButton);
    QCOMPARE(QSettings().value(QStringLiteral("review/advance")).toBool(), true);
    const qint64 first = m_panel->currentImageId();
    pressOnGallery(Qt::Key_4);
    QVERIFY(m_panel->currentImageId() != first);
    QCOMPARE(m_panel->gallery()->currentIndex().row(), 1);
    QCOMPARE(storedReview(first)->verdict, Verdict::Unsure);
}

void TestReviewPanel::filtersNarrowTheGallery_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<int>("expected");
    // The fixture: 12 validation images (every third wrong; confidence 0.40,
    // 0.45, …) and 6 test images.
    QTest::newRow("M key: misclassified only") << QStringLiteral("misclassified") << 4;
    QTest::newRow("confidence at most 52 %") << QStringLiteral("confidence") << 3;
    QTest::newRow("class 0 in truth or prediction") << QStringLiteral("class") << -1;
    QTest::newRow("test role") << QStringLiteral("test") << 6;
    QTest::newRow("both roles") << QStringLiteral("both") << 18;
}

void TestReviewPanel::filtersNarrowTheGallery()
{
    QFETCH(QString, how);
    QFETCH(int, expected);
    QCOMPARE(m_panel->model()->rowCount(), 12);
    if (how == QLatin1String("misclassified")) {
        pressOnGallery(Qt::Key_M);
        QVERIFY(m_panel->misclassifiedCheck()->isChecked());
    } else if (how == QLatin1String("confidence")) {
        m_panel->maxConfidenceSpin()->setValue(52);
    } else if (how == QLatin1String("class")) {
        expected = 0;
        for (const train::Prediction &p : m_project->predictions)
            if (p.role == train::RunRole::Validation
                && (p.truth.contains(0) || p.predicted.contains(0)))
                ++expected;
        m_panel->classFilterCombo()->setCurrentIndex(m_panel->classFilterCombo()->findData(0));
    } else if (how == QLatin1String("test")) {
        m_panel->roleCombo()->setCurrentIndex(1);
    } else {
        m_panel->roleCombo()->setCurrentIndex(2);
    }
    QCOMPARE(m_panel->model()->rowCount(), expected);
    QCOMPARE(m_panel->gallery()->model()->rowCount(), expected);
    QVERIFY(m_panel->currentImageId() != 0); // something is selected to review
    if (how == QLatin1String("misclassified")) {
        for (int r = 0; r < expected; ++r)
            QVERIFY(!m_panel->model()->index(r, 0).data(ReviewListModel::CorrectRole).toBool());
        pressOnGallery(Qt::Key_M); // M again: all back
        QCOMPARE(m_panel->model()->rowCount(), 12);
    }
}

void TestReviewPanel::verdictFilterShowsReviewedImages()
{
    pressOnGallery(Qt::Key_1);
    pressOnGallery(Qt::Key_J);
    pressOnGallery(Qt::Key_J);
    pressOnGallery(Qt::Key_1);
    pressOnGallery(Qt::Key_J);
    pressOnGallery(Qt::Key_2);
    QComboBox *verdicts = m_panel->verdictFilterCombo();
    verdicts->setCurrentIndex(verdicts->findData(int(Verdict::Plausible)));
    QCOMPARE(m_panel->model()->rowCount(), 2);
    verdicts->setCurrentIndex(verdicts->findData(int(Verdict::Spurious)));
    QCOMPARE(m_panel->model()->rowCount(), 1);
    verdicts->setCurrentIndex(verdicts->findData(int(Verdict::Unreviewed)));
    QCOMPARE(m_panel->model()->rowCount(), 9);
}

void TestReviewPanel::movingThroughImagesAsksForTheCurrentOne()
{
    QCOMPARE(m_fake->openedRuns, QVector<qint64>{m_project->runId});
    QCOMPARE(m_fake->openedFile, m_project->store->filePath());
    QVERIFY(m_fake->asked.isEmpty()); // nothing before the model is loaded
    m_fake->emitReady(m_project->runId, m_project->classes);
    QCOMPARE(m_fake->asked.size(), 1);
    QCOMPARE(m_fake->asked.last().imageId, m_panel->currentImageId());
    QCOMPARE(m_fake->asked.last().request.layer, QStringLiteral("stage3"));
    QCOMPARE(m_fake->asked.last().request.targetClass, -1);
    const qint64 first = m_panel->currentImageId();
    pressOnGallery(Qt::Key_J);
    QVERIFY(m_panel->currentImageId() != first);
    QCOMPARE(m_fake->asked.last().imageId, m_panel->currentImageId());
    pressOnGallery(Qt::Key_Right); // the grid's own arrows
    QCOMPARE(m_fake->asked.last().imageId, m_panel->currentImageId());
    QCOMPARE(m_panel->gallery()->currentIndex().row(), 2);
    pressOnGallery(Qt::Key_K);
    pressOnGallery(Qt::Key_K);
    QCOMPARE(m_panel->currentImageId(), first);
    QCOMPARE(m_fake->asked.last().imageId, first);
    // An answer for an image the reviewer left is not shown on this one.
    const int asked = m_fake->asked.size();
    m_fake->answerLast(m_project->runId);
    QVERIFY(m_panel->heatmap()->hasExplanation());
    QCOMPARE(m_panel->heatmap()->explanation().imageId, first);
    QCOMPARE(m_fake->asked.size(), asked);
}

void TestReviewPanel::classComboAsksForThatTarget_data()
{
    QTest::addColumn<QString>("choice");
    QTest::newRow("a named class") << QStringLiteral("class 2");
    QTest::newRow("the true class") << QStringLiteral("truth");
    QTest::newRow("method Grad-CAM++") << QStringLiteral("method");
    QTest::newRow("an earlier layer") << QStringLiteral("layer");
}

void TestReviewPanel::classComboAsksForThatTarget()
{
    QFETCH(QString, choice);
    m_fake->emitReady(m_project->runId, m_project->classes);
    m_fake->answerLast(m_project->runId);
    const int before = m_fake->asked.size();
    HeatmapView *view = m_panel->heatmap();
    if (choice == QLatin1String("class 2")) {
        view->classCombo()->setCurrentIndex(view->classCombo()->findData(2));
    } else if (choice == QLatin1String("truth")) {
        view->classCombo()->setCurrentIndex(view->classCombo()->findData(-2));
    } else if (choice == QLatin1String("method")) {
        view->methodCombo()->setCurrentIndex(1);
    } else {
        view->layerCombo()->setCurrentIndex(view->layerCombo()->findData(QStringLiteral("stage2")));
    }
    QCOMPARE(m_fake->asked.size(), before + 1);
    const test::FakeExplainer::Asked a = m_fake->asked.last();
    QCOMPARE(a.imageId, m_panel->currentImageId());
    const int truth = m_project->predictions.first().truth.first();
    QCOMPARE(a.request.targetClass, choice == QLatin1String("class 2") ? 2
                                    : choice == QLatin1String("truth") ? truth
                                                                       : -1);
    QCOMPARE(a.request.method,
             choice == QLatin1String("method") ? CamMethod::GradCamPlusPlus : CamMethod::GradCam);
    QCOMPARE(a.request.layer, choice == QLatin1String("layer") ? QStringLiteral("stage2")
                                                               : QStringLiteral("stage3"));
    // The choice sticks while the reviewer moves on.
    pressOnGallery(Qt::Key_J);
    QCOMPARE(m_fake->asked.last().request.method, a.request.method);
    QCOMPARE(m_fake->asked.last().request.layer, a.request.layer);
}

void TestReviewPanel::lookChangesWithoutAskingAgain()
{
    m_fake->emitReady(m_project->runId, m_project->classes);
    m_fake->answerLast(m_project->runId);
    HeatmapView *view = m_panel->heatmap();
    QVERIFY(view->hasExplanation());
    const int asked = m_fake->asked.size();
    QImage before = view->renderedImage();
    QVERIFY(!before.isNull());
    view->opacitySlider()->setValue(90);
    QVERIFY(view->renderedImage() != before);
    before = view->renderedImage();
    view->colourMapCombo()->setCurrentIndex(2); // viridis
    QVERIFY(view->renderedImage() != before);
    QCOMPARE(m_fake->asked.size(), asked);
    QVERIFY(view->deletionLabel()->text().contains(QStringLiteral("0.210")));
}

void TestReviewPanel::summaryCountsVerdictsPerClass()
{
    pressOnGallery(Qt::Key_1);
    pressOnGallery(Qt::Key_J);
    pressOnGallery(Qt::Key_3);
    QTableWidget *t = m_panel->summaryTable();
    QCOMPARE(t->rowCount(), m_project->classes.size() + 1);
    const int total = t->rowCount() - 1;
    QCOMPARE(t->item(total, 1)->text(), QStringLiteral("18")); // validation and test
    QCOMPARE(t->item(total, 2)->text(), QStringLiteral("1"));  // plausible
    QCOMPARE(t->item(total, 4)->text(), QStringLiteral("1"));  // shortcut
    QCOMPARE(t->item(total, 6)->text(), QStringLiteral("16")); // not reviewed
}

void TestReviewPanel::explainAllShowsProgressAndCancels()
{
    m_fake->emitReady(m_project->runId, m_project->classes);
    m_panel->heatmap()->methodCombo()->setCurrentIndex(1); // Grad-CAM++
    QTest::mouseClick(m_panel->explainAllButton(), Qt::LeftButton);
    QCOMPARE(m_fake->roles, QVector<train::RunRole>{train::RunRole::Validation});
    QCOMPARE(m_fake->batchRequest.method, CamMethod::GradCamPlusPlus);
    QVERIFY(m_panel->progressBar()->isVisible());
    QVERIFY(m_panel->cancelButton()->isVisible());
    QVERIFY(!m_panel->explainAllButton()->isEnabled());
    QVERIFY(!m_panel->runCombo()->isEnabled()); // the model stays the run's while it works
    m_fake->emitProgress(3, 12);
    QCOMPARE(m_panel->progressBar()->maximum(), 12);
    QCOMPARE(m_panel->progressBar()->value(), 3);
    QTest::mouseClick(m_panel->cancelButton(), Qt::LeftButton);
    QCOMPARE(m_fake->cancels, 1);
    m_fake->emitBatchFinished(3, true);
    QVERIFY(!m_panel->progressBar()->isVisible());
    QVERIFY(!m_panel->cancelButton()->isVisible());
    QVERIFY(m_panel->explainAllButton()->isEnabled());
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("3")));
}

void TestReviewPanel::explainAllCoversBothRoles()
{
    m_panel->roleCombo()->setCurrentIndex(2);
    QTest::mouseClick(m_panel->explainAllButton(), Qt::LeftButton);
    QCOMPARE(m_fake->roles, QVector<train::RunRole>{train::RunRole::Validation});
    m_fake->emitBatchFinished(12, false);
    QCOMPARE(m_fake->roles,
             (QVector<train::RunRole>{train::RunRole::Validation, train::RunRole::Test}));
    QVERIFY(m_panel->progressBar()->isVisible());
    m_fake->emitBatchFinished(6, false);
    QVERIFY(!m_panel->progressBar()->isVisible());
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("18")));
}

void TestReviewPanel::fixLabelEmitsTheImageId()
{
    pressOnGallery(Qt::Key_J);
    QSignalSpy spy(m_panel.get(), &ReviewPanel::fixLabelRequested);
    QTest::mouseClick(m_panel->fixLabelButton(), Qt::LeftButton);
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toLongLong(), m_panel->currentImageId());
}

void TestReviewPanel::labelFixedElsewhereShowsInTheGallery()
{
    // The first image is a misclassified one: its prediction is truth + 1.
    const qint64 id = m_panel->currentImageId();
    const QModelIndex idx = m_panel->gallery()->currentIndex();
    QVERIFY(!idx.data(ReviewListModel::CorrectRole).toBool());
    const QString predicted = idx.data(ReviewListModel::PredictedRole).toString();
    auto classId = m_project->store->classIdByName(predicted);
    QVERIFY(classId.ok());
    QVERIFY(m_project->store->setLabels({LabelSet{id, {classId.value()}}}).ok());
    QTRY_VERIFY(m_panel->gallery()->currentIndex().data(ReviewListModel::CorrectRole).toBool());
    QCOMPARE(m_panel->currentImageId(), id);
    QCOMPARE(m_panel->gallery()->currentIndex().data(ReviewListModel::TruthRole).toString(),
             predicted);
}

void TestReviewPanel::exportWritesTheReport()
{
    pressOnGallery(Qt::Key_2);
    pressOnGallery(Qt::Key_N);
    QTest::keyClicks(m_panel->noteEdit(), QStringLiteral("looks at the border"));
    QTest::keyClick(m_panel->noteEdit(), Qt::Key_Return);
    const QString path = m_project->dir.filePath(QStringLiteral("review.html"));
    QSignalSpy spy(m_panel.get(), &ReviewPanel::reportFinished);
    QVERIFY(m_panel->exportReportTo(path));
    QVERIFY(!m_panel->exportButton()->isEnabled()); // one at a time
    QVERIFY(spy.wait(30000));
    QVERIFY2(spy.at(0).at(0).toBool(), qPrintable(spy.at(0).at(1).toString()));
    QVERIFY(spy.at(0).at(1).toString().contains(QStringLiteral("review.html")));
    QVERIFY(m_panel->messageLabel()->text().contains(QStringLiteral("review.html")));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray html = f.readAll();
    QVERIFY(html.contains("looks at the border"));
    QVERIFY(m_panel->exportButton()->isEnabled());
    QVERIFY(m_prompter->errors.isEmpty());
}

QTEST_MAIN(TestReviewPanel)
#include "tst_reviewpanel.moc"
