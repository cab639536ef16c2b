// SPDX-License-Identifier: GPL-3.0-or-later
// The training views: live charts, the confusion matrix (clicks and keys ask
// for the right cell), the per-class table, the dock following a fake
// controller, and the runs list / comparison over a real project's runs.

#include "core/models/runlistmodel.h"
#include "core/runs/runstore.h"
#include "tests/support/tempproject.h"
#include "tests/widgets/trainingfake.h"
#include "widgets/confusionmatrixview.h"
#include "widgets/runcompare.h"
#include "widgets/runsview.h"
#include "widgets/trainingcharts.h"
#include "widgets/trainingdock.h"
#include "widgets/trainingpanel.h"

#include <QAbstractItemModel>
#include <QChart>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>
#include <QValueAxis>

using namespace salient;
using namespace salient::train;

namespace {

const QStringList kClasses = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};

EvalMetrics threeClassMetrics()
{
    EvalMetrics m;
    m.numClasses = 3;
    m.samples = 22;
    m.accuracy = 19.0 / 22.0;
    m.macroF1 = 0.85;
    m.loss = 0.42;
    m.confusion = {{5, 1, 0}, {2, 6, 0}, {0, 0, 8}};
    m.perClass = QVector<ClassMetrics>(3);
    m.perClass[0] = {5.0 / 7.0, 5.0 / 6.0, 0.769, 6, 0.9, 0.5};
    m.perClass[1] = {6.0 / 7.0, 0.75, 0.8, 8, 0.91, 0.5};
    m.perClass[2] = {1.0, 1.0, 1.0, 8, 1.0, 0.5};
    return m;
}

EpochSummary summary(qint64 run, int epoch)
{
    EpochSummary s;
    s.runId = run;
    s.record.epoch = epoch;
    s.record.step = epoch * 10;
    s.record.trainLoss = 1.0 / epoch;
    s.record.trainAccuracy = 0.5 + 0.1 * epoch;
    s.record.valLoss = 1.2 / epoch;
    s.record.valAccuracy = 0.4 + 0.1 * epoch;
    s.record.valMacroF1 = 0.3 + 0.1 * epoch;
    s.validation = threeClassMetrics();
    s.classNames = kClasses;
    s.isBest = true;
    return s;
}

QString cellText(const QTableView *view, int row, int column)
{
    return view->model()->index(row, column).data().toString();
}

} // namespace

class TestTrainingViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void chartsFollowProgressAndEpochs();
    void chartsThrottleRunningPoints();
    void matrixShowsCountsAndRowShares();
    void clickingACellAsksForItsImages_data();
    void clickingACellAsksForItsImages();
    void enterOnACellAsksForItsImages();
    void dockFillsChartsTableAndMatrixPerEpoch();
    void runsViewListsAndComparesRuns();
};

void TestTrainingViews::chartsFollowProgressAndEpochs()
{
    TrainingCharts charts;
    charts.setThrottleMs(0);
    charts.clear(4);
    TrainProgress p;
    p.phase = TrainProgress::Phase::Training;
    p.epoch = 1;
    p.epochs = 4;
    p.batchesPerEpoch = 10;
    for (int b = 1; b <= 5; ++b) {
        p.batch = b;
        p.loss = 2.0 - 0.1 * b;
        p.accuracy = 0.1 * b;
        charts.addProgress(p);
    }
    QCOMPARE(charts.trainLossSeries()->count(), 5);
    QCOMPARE(charts.trainLossSeries()->at(4), QPointF(0.5, 1.5));
    QCOMPARE(charts.trainAccuracySeries()->count(), 5);
    QCOMPARE(charts.valLossSeries()->count(), 0);

    // A validating phase is no training point.
    p.phase = TrainProgress::Phase::Validating;
    charts.addProgress(p);
    QCOMPARE(charts.trainLossSeries()->count(), 5);

    charts.addEpoch(summary(1, 1).record);
    QCOMPARE(charts.valLossSeries()->count(), 1);
    QCOMPARE(charts.valMacroF1Series()->at(0), QPointF(1, 0.4));
    QCOMPARE(charts.valAccuracySeries()->count(), 1);

    // The loss axis grows to what was seen; x spans the planned epochs.
    auto *lossY = qobject_cast<QValueAxis *>(charts.lossChart()->axes(Qt::Vertical).first());
    QVERIFY(lossY->max() >= 1.9);
    auto *x = qobject_cast<QValueAxis *>(charts.lossChart()->axes(Qt::Horizontal).first());
    QCOMPARE(x->max(), 4.0);
    auto e = summary(1, 6).record; // past the plan (a resumed, longer run)
    charts.addEpoch(e);
    QCOMPARE(x->max(), 6.0);

    charts.clear();
    QCOMPARE(charts.pointCount(), 0);
}

void TestTrainingViews::chartsThrottleRunningPoints()
{
    TrainingCharts charts; // default throttle: a quarter second
    TrainProgress p;
    p.phase = TrainProgress::Phase::Training;
    p.epoch = 1;
    p.batchesPerEpoch = 100;
    p.loss = 1;
    for (int b = 1; b <= 50; ++b) {
        p.batch = b;
        charts.addProgress(p);
    }
    QCOMPARE(charts.trainLossSeries()->count(), 1);
    QTest::qWait(300);
    charts.addProgress(p);
    QCOMPARE(charts.trainLossSeries()->count(), 2);
}

void TestTrainingViews::matrixShowsCountsAndRowShares()
{
    ConfusionMatrixView view;
    view.setMetrics(3, threeClassMetrics(), kClasses, RunRole::Validation, QStringLiteral("epoch 1"));
    QTableView *m = view.matrixView();
    QCOMPARE(m->model()->rowCount(), 3);
    QCOMPARE(m->model()->columnCount(), 3);
    QCOMPARE(m->model()->headerData(1, Qt::Vertical).toString(), QStringLiteral("dog"));
    QCOMPARE(m->model()->headerData(2, Qt::Horizontal).toString(), QStringLiteral("bird"));
    QCOMPARE(cellText(m, 1, 0), QStringLiteral("2"));
    QCOMPARE(cellText(m, 2, 2), QStringLiteral("8"));
    // Colour by share of the row: the full diagonal cell is darker than 6 of 8.
    const QColor full = m->model()->index(2, 2).data(Qt::BackgroundRole).value<QBrush>().color();
    const QColor most = m->model()->index(1, 1).data(Qt::BackgroundRole).value<QBrush>().color();
    const QColor none = m->model()->index(0, 2).data(Qt::BackgroundRole).value<QBrush>().color();
    QVERIFY(full.lightnessF() < most.lightnessF());
    QCOMPARE(none, QColor(Qt::white));
    const QString tip = m->model()->index(1, 0).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("dog")) && tip.contains(QStringLiteral("cat"))
                 && tip.contains(QStringLiteral("25")),
             qPrintable(tip)); // 2 of dog's 8

    QTableView *t = view.perClassView();
    QCOMPARE(t->model()->rowCount(), 3);
    QCOMPARE(cellText(t, 2, 0), QStringLiteral("bird"));
    QCOMPARE(cellText(t, 1, 4), QStringLiteral("8")); // dog's support
    QCOMPARE(t->model()->index(0, 2).data(Qt::UserRole).toDouble(), 5.0 / 6.0); // cat's recall
}

void TestTrainingViews::clickingACellAsksForItsImages_data()
{
    QTest::addColumn<int>("truth");
    QTest::addColumn<int>("predicted");
    QTest::newRow("dog taken for cat") << 1 << 0;
    QTest::newRow("cat taken for dog") << 0 << 1;
    QTest::newRow("bird right") << 2 << 2;
    QTest::newRow("empty cell") << 0 << 2;
}

void TestTrainingViews::clickingACellAsksForItsImages()
{
    QFETCH(int, truth);
    QFETCH(int, predicted);
    ConfusionMatrixView view;
    view.resize(700, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setMetrics(9, threeClassMetrics(), kClasses, RunRole::Test, QStringLiteral("test"));
    QSignalSpy spy(&view, &ConfusionMatrixView::cellActivated);
    QTableView *m = view.matrixView();
    const QRect cell = m->visualRect(m->model()->index(truth, predicted));
    QVERIFY(!cell.isEmpty());
    QTest::mouseClick(m->viewport(), Qt::LeftButton, {}, cell.center());
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(0).toLongLong(), qint64(9));
    QCOMPARE(spy.at(0).at(1).toInt(), truth);
    QCOMPARE(spy.at(0).at(2).toInt(), predicted);
    QCOMPARE(view.role(), RunRole::Test);
}

void TestTrainingViews::enterOnACellAsksForItsImages()
{
    ConfusionMatrixView view;
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setMetrics(4, threeClassMetrics(), kClasses, RunRole::Validation, QStringLiteral("val"));
    QSignalSpy spy(&view, &ConfusionMatrixView::cellActivated);
    QTableView *m = view.matrixView();
    m->setFocus();
    m->setCurrentIndex(m->model()->index(0, 0));
    QTest::keyClick(m, Qt::Key_Down);
    QTest::keyClick(m, Qt::Key_Right);
    QTest::keyClick(m, Qt::Key_Return);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.at(0).at(1).toInt(), 1);
    QCOMPARE(spy.at(0).at(2).toInt(), 1);
}

void TestTrainingViews::dockFillsChartsTableAndMatrixPerEpoch()
{
    test::FakeController fake;
    TrainingDock dock;
    QVERIFY(!dock.panel()->isVisibleTo(&dock)); // no engine: the dock says so instead
    dock.setController(&fake);
    QVERIFY(dock.panel()->isVisibleTo(&dock));
    dock.charts()->setThrottleMs(0);
    fake.emitStarted(5);
    Q_EMIT fake.epochFinished(summary(5, 1));
    QCOMPARE(dock.charts()->valMacroF1Series()->count(), 1);
    QCOMPARE(dock.charts()->trainLossSeries()->count(), 1);
    QCOMPARE(dock.matrix()->runId(), qint64(5));
    QCOMPARE(dock.matrix()->matrixView()->model()->rowCount(), 3);
    QCOMPARE(dock.matrix()->perClassView()->model()->rowCount(), 3);
    QVERIFY(dock.matrix()->captionLabel()->text().contains(QStringLiteral("epoch 1")));
    Q_EMIT fake.epochFinished(summary(5, 2));
    QCOMPARE(dock.charts()->valMacroF1Series()->count(), 2);
    QCOMPARE(dock.charts()->valLossSeries()->at(1), QPointF(2, 0.6));
    QVERIFY(dock.matrix()->captionLabel()->text().contains(QStringLiteral("epoch 2")));
}

void TestTrainingViews::runsViewListsAndComparesRuns()
{
    test::TempProject project;
    ProjectStore &store = project.store();
    QVector<qint64> classIds;
    for (const QString &name : kClasses)
        classIds << store.addClass(name).value();
    RunStore runs(store);
    TrainConfig a;
    a.model = QStringLiteral("smallcnn");
    TrainConfig b = a;
    b.learningRate = 0.05;
    auto first = runs.createRun(QStringLiteral("baseline"), a.toJson(), classIds, kClasses, {});
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    auto second = runs.createRun(QStringLiteral("faster"), b.toJson(), classIds, kClasses, {});
    QVERIFY(second.ok());
    for (qint64 id : {first.value(), second.value()})
        for (int e = 1; e <= 2; ++e) {
            EpochSummary s = summary(id, e);
            Checkpoint cp{e, e * 10, 0, QByteArray("weights")};
            QVERIFY(runs.recordEpoch(id, s.record, cp, true, s.record.valMacroF1,
                                     s.validation.toJson(kClasses))
                        .ok());
        }
    QVERIFY(runs.setState(first.value(), RunState::Cancelled).ok());
    QVERIFY(runs.setState(second.value(), RunState::Finished).ok());

    RunsView view;
    test::FakeController fake;
    view.setStore(&store);
    QCOMPARE(view.model()->rowCount(), 2);
    QSignalSpy selected(&view, &RunsView::runSelected);
    QSignalSpy resume(&view, &RunsView::resumeRequested);
    view.selectRun(first.value());
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.last().at(0).toLongLong(), first.value());
    QVERIFY(view.resumeButton()->isEnabled()); // cancelled: resumable
    QVERIFY(!view.compareButton()->isEnabled());
    QTest::mouseClick(view.resumeButton(), Qt::LeftButton);
    QCOMPARE(resume.count(), 1);
    view.selectRun(second.value());
    QVERIFY(!view.resumeButton()->isEnabled()); // finished: nothing to resume
    view.setLiveRun(0, true);
    view.selectRun(first.value());
    QVERIFY(!view.resumeButton()->isEnabled()); // one run at a time
    view.table()->selectAll();
    QCOMPARE(view.selectedRunIds().size(), 2);
    QVERIFY(view.compareButton()->isEnabled());

    RunCompareDialog compare(store, view.selectedRunIds());
    QCOMPARE(compare.table()->columnCount(), 2);
    QVERIFY(compare.differingKeys().contains(QStringLiteral("config.lr")));
    QVERIFY(compare.differingKeys().contains(QStringLiteral("state")));
    QVERIFY(!compare.differingKeys().contains(QStringLiteral("config.model")));
    QCOMPARE(compare.chart()->series().size(), 2);
    auto *line = qobject_cast<QLineSeries *>(compare.chart()->series().first());
    QCOMPARE(line->count(), 2);

    // The dock shows a selected stored run's curves and best matrix.
    TrainingDock dock;
    dock.setController(&fake);
    dock.setStore(&store);
    dock.runs()->selectRun(second.value());
    QCOMPARE(dock.charts()->valMacroF1Series()->count(), 2);
    QCOMPARE(dock.matrix()->runId(), second.value());
    QCOMPARE(dock.matrix()->matrixView()->model()->rowCount(), 3);
}

QTEST_MAIN(TestTrainingViews)
#include "tst_trainingviews.moc"
