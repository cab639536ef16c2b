// SPDX-License-Identifier: GPL-3.0-or-later
// The runs list: what a user compares side by side (model, state, epochs,
// validation and test figures) read from the project, under the model tester.
#include "core/models/runlistmodel.h"
#include "core/runs/metrics.h"
#include "core/runs/runstore.h"
#include "core/runs/trainconfig.h"
#include "tests/support/tempproject.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace salient;
using namespace salient::train;

namespace {

QByteArray configFor(const QString &model, int epochs)
{
    TrainConfig c;
    c.model = model;
    c.epochs = epochs;
    return c.toJson();
}

/// Metrics JSON with the given accuracy and macro-F1.
QByteArray metrics(double accuracy, double macroF1)
{
    EvalMetrics m;
    m.numClasses = 2;
    m.perClass.resize(2);
    m.accuracy = accuracy;
    m.macroF1 = macroF1;
    return m.toJson({QStringLiteral("a"), QStringLiteral("b")});
}

EpochRecord epoch(int n)
{
    EpochRecord e;
    e.epoch = n;
    e.step = n * 4;
    return e;
}

Checkpoint checkpoint(int n)
{
    Checkpoint c;
    c.epoch = n;
    c.data = "w";
    return c;
}

} // namespace

class RunsModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyProjectHasColumnsButNoRows()
    {
        test::TempProject p;
        RunListModel model(&p.store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), int(RunListModel::ColumnCount));
        QCOMPARE(model.columnCount(), 10);
        QCOMPARE(model.headerData(RunListModel::ValMacroF1Column, Qt::Horizontal).toString(),
                 QStringLiteral("Val. macro-F1"));
        QCOMPARE(model.headerData(RunListModel::TestAccuracyColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Test accuracy"));
        QVERIFY(model.lastError().isEmpty());
    }

    void runsNewestFirstWithTheirFigures()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 a = runs.createRun(
            QStringLiteral("baseline"),
                           configFor(QStringLiteral("resnet18"), 10), {1, 2},
                                     {QStringLiteral("a"), QStringLiteral("b")}, {}).value();
        QVERIFY(runs.recordEpoch(a, epoch(1), checkpoint(1), true, 0.5, metrics(0.6, 0.5)).ok());
        QVERIFY(runs.recordEpoch(a, epoch(2), checkpoint(2), true, 0.7, metrics(0.8, 0.75)).ok());
        QVERIFY(runs.recordEpoch(a, epoch(3), checkpoint(3), false).ok());
        QVERIFY(runs.setTestMetrics(a, metrics(0.7, 0.65)).ok());
        QVERIFY(runs.setState(a, RunState::Finished).ok());
        const qint64 b =
            runs.createRun(QStringLiteral("small"), configFor(QStringLiteral("smallcnn"), 5), {1},
                                                              {QStringLiteral("a")}, {}).value();
        QVERIFY(runs.setState(b, RunState::Failed, QStringLiteral("out of memory")).ok());

        RunListModel model(&p.store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.idAt(0), b); // newest first
        QCOMPARE(model.rowOf(a), 1);
        auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.data(model.index(row, column), role);
        };
        QCOMPARE(cell(1, RunListModel::NameColumn).toString(), QStringLiteral("baseline"));
        QCOMPARE(cell(1, RunListModel::ModelColumn).toString(), QStringLiteral("resnet18"));
        QCOMPARE(cell(1, RunListModel::StateColumn).toString(), QStringLiteral("finished"));
        QCOMPARE(cell(1, RunListModel::EpochsColumn).toString(), QStringLiteral("3 of 10"));
        QCOMPARE(cell(1, RunListModel::EpochsColumn, RunListModel::ValueRole).toInt(), 3);
        QCOMPARE(cell(1, RunListModel::BestEpochColumn).toString(), QStringLiteral("2"));
        QCOMPARE(cell(1, RunListModel::ValAccuracyColumn, RunListModel::ValueRole).toDouble(), 0.8);
        QCOMPARE(cell(1, RunListModel::ValMacroF1Column, RunListModel::ValueRole).toDouble(), 0.75);
        QCOMPARE(cell(1, RunListModel::TestAccuracyColumn, RunListModel::ValueRole).toDouble(),
                 0.7);
        QCOMPARE(cell(1, RunListModel::TestMacroF1Column, RunListModel::ValueRole).toDouble(),
                 0.65);
        QVERIFY(cell(1, RunListModel::ValAccuracyColumn).toString().contains(QStringLiteral("80")));
        QCOMPARE(cell(1, RunListModel::CreatedColumn, RunListModel::ValueRole).toDateTime(),
                 runs.run(a)->createdAt);
        // The failed run has no figures yet: empty cells, invalid values, the reason as tooltip.
        QCOMPARE(cell(0, RunListModel::ModelColumn).toString(), QStringLiteral("smallcnn"));
        QCOMPARE(cell(0, RunListModel::StateColumn).toString(), QStringLiteral("failed"));
        QCOMPARE(cell(0, RunListModel::StateColumn, Qt::ToolTipRole).toString(),
                 QStringLiteral("out of memory"));
        QVERIFY(cell(0, RunListModel::BestEpochColumn).toString().isEmpty());
        QVERIFY(!cell(0, RunListModel::ValAccuracyColumn, RunListModel::ValueRole).isValid());
        QVERIFY(!cell(0, RunListModel::TestMacroF1Column, RunListModel::ValueRole).isValid());
        // The run id sits in Qt::UserRole of every column.
        for (int c = 0; c < model.columnCount(); ++c)
            QCOMPARE(cell(1, c, Qt::UserRole).toLongLong(), a);
    }

    void runningRunsOfNoLiveWorkerAreInterrupted()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(
            QStringLiteral("r"), configFor(QStringLiteral("resnet18"), 2), {}, {}, {}).value();
        RunListModel model(&p.store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QModelIndex state = model.index(0, RunListModel::StateColumn);
        QCOMPARE(state.data().toString(), QStringLiteral("interrupted"));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setActiveRun(id);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(state.data().toString(), QStringLiteral("running"));
    }

    void reloadUpdatesInPlaceOrResets()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(
            QStringLiteral("r"), configFor(QStringLiteral("resnet18"), 4), {}, {}, {}).value();
        RunListModel model(&p.store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // An epoch ends: same run list, the row changes in place (selection survives).
        QVERIFY(runs.recordEpoch(id, epoch(1), checkpoint(1), true, 0.9, metrics(0.9, 0.8)).ok());
        QCOMPARE(model.index(0, RunListModel::EpochsColumn).data().toString(),
                 QStringLiteral("0 of 4"));
        model.reload();
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.index(0, RunListModel::EpochsColumn).data().toString(),
                 QStringLiteral("1 of 4"));

        // A new run appears: the list starts over.
        QVERIFY(runs.createRun(QStringLiteral("second"), "{}", {}, {}, {}).ok());
        model.reload();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, RunListModel::NameColumn).data().toString(),
                 QStringLiteral("second"));
        QCOMPARE(model.index(0, RunListModel::ModelColumn).data().toString(),
                 QString()); // no config

        QVERIFY(runs.removeRun(id).ok());
        model.reload();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowOf(id), -1);
    }

    void renamingWritesToTheProject()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(QStringLiteral("old"), "{}", {}, {}, {}).value();
        RunListModel model(&p.store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QModelIndex name = model.index(0, RunListModel::NameColumn);
        QVERIFY(model.flags(name) & Qt::ItemIsEditable);
        QVERIFY(!(model.flags(model.index(0, RunListModel::StateColumn)) & Qt::ItemIsEditable));
        QVERIFY(model.setData(name, QStringLiteral("  new name ")));
        QCOMPARE(name.data().toString(), QStringLiteral("new name"));
        QCOMPARE(runs.run(id)->name, QStringLiteral("new name"));
        QVERIFY(!model.setData(name, QStringLiteral("   "))); // a run keeps a name
        QCOMPARE(runs.run(id)->name, QStringLiteral("new name"));

        // Read-only: listed, not editable.
        auto ro = p.store().connectAgain(ProjectStore::OpenMode::ReadOnly);
        QVERIFY(ro.ok());
        RunListModel readOnly(ro.value().get());
        QAbstractItemModelTester roTester(&readOnly,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(readOnly.rowCount(), 1);
        QVERIFY(!(readOnly.flags(readOnly.index(0, 0)) & Qt::ItemIsEditable));
    }
};

QTEST_GUILESS_MAIN(RunsModelTest)
#include "runs_model.moc"
