// SPDX-License-Identifier: GPL-3.0-or-later
// The Review dock in the studio: F10 opens it on the project's runs, a
// verdict key there is a verdict (not the browser's "assign class" key), and
// "Fix label" opens that image in the annotate view.

#include "core/models/imagelistmodel.h"
#include "core/models/reviewlistmodel.h"
#include "core/project/store.h"
#include "core/review/reviewstore.h"
#include "core/runs/runstore.h"
#include "tests/widgets/browserfixture.h"
#include "tests/widgets/reviewfake.h"
#include "widgets/canvas/annotateview.h"
#include "widgets/filterbar.h"
#include "widgets/reviewgallery.h"
#include "widgets/reviewpanel.h"

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QTest>
#include <QUndoStack>

using namespace salient;
using namespace salient::review;

class TestReviewDock : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void f10OpensTheDockOnTheRuns();
    void verdictKeyIsNotALabelKey();
    void fixLabelOpensTheCanvas();
    void withoutAnExplainerTheDockSaysSo();

private:
    /// A finished run over the first six images (validation), labelled
    /// cat, dog, bird, …; every other prediction wrong.
    static qint64 makeRun(test::BrowserFixture &f);
    static void openDock(test::BrowserFixture &f);
};

qint64 TestReviewDock::makeRun(test::BrowserFixture &f)
{
    ProjectStore &store = *f.window().store();
    const QVector<qint64> classIds = {f.classId(QStringLiteral("cat")),
                                                f.classId(QStringLiteral("dog")),
                                                          f.classId(QStringLiteral("bird"))};
    QVector<LabelSet> labels;
    QHash<qint64, train::RunRole> roles;
    QVector<train::Prediction> predictions;
    for (int i = 0; i < 6; ++i) {
        const qint64 id = f.imageIds().at(i);
        labels << LabelSet{id, {classIds[i % 3]}};
        roles.insert(id, train::RunRole::Validation);
        train::Prediction p;
        p.imageId = id;
        p.truth = {i % 3};
        p.predicted = {i % 2 == 0 ? (i + 1) % 3 : i % 3};
        p.probabilities = {0.2f, 0.2f, 0.2f};
        p.probabilities[p.predicted.first()] = 0.6f;
        predictions << p;
    }
    if (!store.setLabels(labels).ok())
        return 0;
    train::RunStore runs(store);
    auto run = runs.createRun(QStringLiteral("first"), QByteArray("{}"), classIds,
        {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")}, roles);
    if (!run.ok())
        return 0;
    train::EpochRecord epoch;
    epoch.epoch = 1;
    if (!runs.recordEpoch(run.value(), epoch, train::Checkpoint{1, 4, 0, QByteArray("w")}, true,
                          0.5)
             .ok()
        || !runs.savePredictions(run.value(), predictions).ok())
        return 0;
    return run.value();
}

void TestReviewDock::openDock(test::BrowserFixture &f)
{
    f.press(Qt::Key_F10);
    QTRY_VERIFY(f.window().reviewDockWidget()->isVisible());
    f.window().reviewPanel()->gallery()->setFocus();
}

void TestReviewDock::f10OpensTheDockOnTheRuns()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    const qint64 runId = makeRun(f); // trained while the dock was closed
    QVERIFY(runId);
    test::FakeExplainer fake;
    f.window().setExplainController(&fake);
    QVERIFY(!f.window().reviewDockWidget()->isVisible());
    QVERIFY(fake.openedRuns.isEmpty()); // no network loaded for a closed dock
    openDock(f);
    ReviewPanel *panel = f.window().reviewPanel();
    QCOMPARE(panel->currentRunId(), runId);
    QCOMPARE(panel->model()->rowCount(), 6);
    QVERIFY(panel->currentImageId() != 0);
    QCOMPARE(fake.openedRuns.last(), runId);
    QCOMPARE(fake.openedFile, f.window().store()->filePath());
    QVERIFY(!panel->unavailableLabel()->isVisible());
    f.press(Qt::Key_F10);
    QTRY_VERIFY(!f.window().reviewDockWidget()->isVisible());
    f.window().setExplainController(nullptr);
}

void TestReviewDock::verdictKeyIsNotALabelKey()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    const qint64 runId = makeRun(f);
    QVERIFY(runId);
    f.prompter().textAnswer = QStringLiteral("Grace Hopper");
    openDock(f);
    ReviewPanel *panel = f.window().reviewPanel();
    panel->setAdvanceAfterVerdict(false);
    const qint64 id = panel->currentImageId();
    const QVector<qint64> labelsBefore = f.storedLabels(id);
    f.press(Qt::Key_3);
    auto reader = f.reader();
    auto review = ReviewStore(*reader).review(runId, id);
    QVERIFY(review.ok() && review.value().has_value());
    QCOMPARE(review.value()->verdict, Verdict::Shortcut);
    QCOMPARE(review.value()->reviewer, QStringLiteral("Grace Hopper"));
    QCOMPARE(f.storedLabels(id), labelsBefore); // the browser's "assign class 3" did not fire
    QVERIFY(!f.window().undoStack()->canUndo());
}

void TestReviewDock::fixLabelOpensTheCanvas()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    QVERIFY(makeRun(f));
    // The browser shows other images only: fixing still finds this one.
    f.window().filterBar()->setImageIdFilter({f.imageIds().at(7)}, QStringLiteral("a test"));
    openDock(f);
    ReviewPanel *panel = f.window().reviewPanel();
    f.press(Qt::Key_J);
    const qint64 id = panel->currentImageId();
    QCOMPARE(id, f.imageIds().at(1));
    QTest::mouseClick(panel->fixLabelButton(), Qt::LeftButton);
    QVERIFY(f.window().isAnnotating());
    QCOMPARE(f.window().annotateView()->imageId(), id);
    QVERIFY(f.window().reviewDockWidget()->isVisible()); // the review stays in view
}

void TestReviewDock::withoutAnExplainerTheDockSaysSo()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    QVERIFY(makeRun(f));
    f.window().setExplainController(nullptr);
    openDock(f);
    ReviewPanel *panel = f.window().reviewPanel();
    QVERIFY(panel->unavailableLabel()->isVisible());
    QVERIFY(panel->unavailableLabel()->text().contains(QStringLiteral("not part of this build")));
    QVERIFY(!panel->explainAllButton()->isEnabled());
    QVERIFY(panel->fixLabelButton()->isEnabled()); // verdicts and fixes still work
}

QTEST_MAIN(TestReviewDock)
#include "tst_reviewdock.moc"
