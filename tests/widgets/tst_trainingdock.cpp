// SPDX-License-Identifier: GPL-3.0-or-later
// The Training dock in the studio: F9 opens it, a confusion-matrix cell shows
// exactly its images in the browser (with a chip that clears it), and closing
// the project while training asks, then cancels and waits.

#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "tests/widgets/browserfixture.h"
#include "tests/widgets/trainingfake.h"
#include "widgets/confusionmatrixview.h"
#include "widgets/filterbar.h"
#include "widgets/runsview.h"
#include "widgets/trainingdock.h"
#include "widgets/trainingpanel.h"

#include <QAction>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace salient;
using namespace salient::train;

class TestTrainingDock : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void f9OpensTheDock();
    void confusionCellShowsItsImages();
    void closingWhileTrainingAsksThenCancels();
};

namespace {

QAction *actionNamed(MainWindow &w, const QString &text)
{
    for (QAction *a : w.actions())
        if (a->text().remove(QLatin1Char('&')) == text)
            return a;
    return nullptr;
}

} // namespace

void TestTrainingDock::f9OpensTheDock()
{
    test::BrowserFixture f(4);
    QVERIFY(f.ok());
    MainWindow &w = f.window();
    test::FakeController fake;
    w.setTrainingController(&fake);
    QVERIFY(!w.trainingDockWidget()->isVisible());
    f.press(Qt::Key_F9);
    QTRY_VERIFY(w.trainingDockWidget()->isVisible());
    TrainingPanel *panel = w.trainingDock()->panel();
    QVERIFY(panel->isVisible());
    QVERIFY2(panel->startButton()->isEnabled(), qPrintable(panel->errorLabel()->text()));
    QTest::mouseClick(panel->startButton(), Qt::LeftButton);
    QCOMPARE(fake.starts, 1);
    QCOMPARE(fake.lastProject, f.projectFile());
    w.setTrainingController(nullptr);
}

void TestTrainingDock::confusionCellShowsItsImages()
{
    test::BrowserFixture f(12);
    QVERIFY(f.ok());
    MainWindow &w = f.window();
    test::FakeController fake;
    w.setTrainingController(&fake);
    const QVector<qint64> ids = f.imageIds();
    const QVector<qint64> classIds = {f.classId("cat"), f.classId("dog")};
    const QStringList names = {QStringLiteral("cat"), QStringLiteral("dog")};

    // A finished run whose best model took two dogs for cats.
    RunStore runs(*w.store());
    QHash<qint64, RunRole> snapshot;
    for (int i = 0; i < 4; ++i)
        snapshot.insert(ids[i], RunRole::Validation);
    auto run = runs.createRun(QStringLiteral("r"), TrainConfig().toJson(), classIds, names, snapshot);
    QVERIFY(run.ok());
    QVector<Prediction> preds;
    auto pred = [&](int i, int truth, int predicted) {
        Prediction p;
        p.imageId = ids[i];
        p.role = RunRole::Validation;
        p.truth = {truth};
        p.predicted = {predicted};
        p.probabilities = {predicted == 0 ? 0.8f : 0.2f, predicted == 1 ? 0.8f : 0.2f};
        preds << p;
    };
    pred(0, 1, 0);
    pred(1, 1, 0);
    pred(2, 0, 0);
    pred(3, 1, 1);
    QVERIFY(runs.savePredictions(run.value(), preds).ok());
    EvalMetrics m;
    m.numClasses = 2;
    m.samples = 4;
    m.accuracy = 0.5;
    m.confusion = {{1, 0}, {2, 1}};
    m.perClass = QVector<ClassMetrics>(2);
    EpochRecord e;
    e.epoch = 1;
    e.valMacroF1 = 0.5;
    QVERIFY(runs.recordEpoch(run.value(), e, Checkpoint{1, 1, 0, "w"}, true, 0.5, m.toJson(names)).ok());
    QVERIFY(runs.setState(run.value(), RunState::Finished).ok());

    f.press(Qt::Key_F9);
    QTRY_VERIFY(w.trainingDockWidget()->isVisible());
    TrainingDock *dock = w.trainingDock();
    dock->runs()->reload();
    dock->runs()->selectRun(run.value());
    dock->tabs()->setCurrentIndex(1);
    QTableView *matrix = dock->matrix()->matrixView();
    QTRY_VERIFY(matrix->isVisible());
    QCOMPARE(matrix->model()->rowCount(), 2);
    QCOMPARE(matrix->model()->index(1, 0).data().toString(), QStringLiteral("2"));

    QCOMPARE(w.imageModel()->rowCount(), 12);
    QTest::mouseClick(matrix->viewport(), Qt::LeftButton, {},
                      matrix->visualRect(matrix->model()->index(1, 0)).center());
    QTRY_COMPARE(w.imageModel()->rowCount(), 2);
    QSet<qint64> shown = {w.imageModel()->idAt(0), w.imageModel()->idAt(1)};
    QCOMPARE(shown, (QSet<qint64>{ids[0], ids[1]}));
    FilterBar *bar = w.filterBar();
    QVERIFY(bar->imageIdChip()->isVisible());
    const QString chip = bar->imageIdChipLabel()->text();
    QVERIFY2(chip.contains(QStringLiteral("2 images")) && chip.contains(QStringLiteral("dog"))
                 && chip.contains(QStringLiteral("cat")),
             qPrintable(chip));
    QTest::mouseClick(bar->imageIdClearButton(), Qt::LeftButton);
    QTRY_COMPARE(w.imageModel()->rowCount(), 12);
    QVERIFY(!bar->imageIdChip()->isVisible());
    w.setTrainingController(nullptr);
}

void TestTrainingDock::closingWhileTrainingAsksThenCancels()
{
    test::BrowserFixture f(4);
    QVERIFY(f.ok());
    MainWindow &w = f.window();
    test::FakeController fake;
    fake.finishOnCancel = true;
    w.setTrainingController(&fake);
    fake.emitStarted(1);
    QVERIFY(w.isTraining());
    QAction *close = actionNamed(w, QStringLiteral("Close Project"));
    QVERIFY(close);

    f.prompter().confirmAnswer = false;
    close->trigger();
    QCOMPARE(f.prompter().asked.size(), 1);
    QVERIFY(f.prompter().asked.first().contains(QStringLiteral("training")));
    QVERIFY(w.store()); // still open
    QCOMPARE(fake.cancels, 0);

    f.prompter().confirmAnswer = true;
    close->trigger();
    QCOMPARE(fake.cancels, 1);
    QVERIFY(!w.store());
    QVERIFY(!w.isTraining());
    w.setTrainingController(nullptr);
}

QTEST_MAIN(TestTrainingDock)
#include "tst_trainingdock.moc"
