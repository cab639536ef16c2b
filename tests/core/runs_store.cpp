// SPDX-License-Identifier: GPL-3.0-or-later
// RunStore: a training run kept in the project file survives reopening, an
// epoch and its checkpoints land together or not at all, and removing a run
// takes everything of it along.
#include "core/runs/runstore.h"
#include "tests/support/tempproject.h"

#include <QRandomGenerator>
#include <QTest>

#include <sqlite3.h>

using namespace salient;
using namespace salient::train;

namespace {

int countRows(ProjectStore &s, const char *sql)
{
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(s.handle(), sql, -1, &st, nullptr) != SQLITE_OK)
        return -1;
    const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray b(size, Qt::Uninitialized);
    QRandomGenerator rng(seed);
    rng.fillRange(reinterpret_cast<quint32 *>(b.data()), size / 4);
    return b;
}

QHash<qint64, RunRole> snapshot()
{
    return {{5, RunRole::Train},      {3, RunRole::Train},      {9, RunRole::Train},
            {4, RunRole::Validation}, {2, RunRole::Validation}, {7, RunRole::Test}};
}

Checkpoint cp(int epoch, qint64 step, const QByteArray &data, qint64 batch = 0)
{
    Checkpoint c;
    c.epoch = epoch;
    c.step = step;
    c.batchInEpoch = batch;
    c.data = data;
    return c;
}

EpochRecord epochRow(int epoch, double valAccuracy)
{
    EpochRecord e;
    e.epoch = epoch;
    e.step = epoch * 10;
    e.trainLoss = 1.0 / epoch;
    e.trainAccuracy = 0.5;
    e.valLoss = 0.9 / epoch;
    e.valAccuracy = valAccuracy;
    e.valMacroF1 = valAccuracy - 0.1;
    e.learningRate = 0.01;
    e.seconds = 2.5;
    e.imagesPerSecond = 120;
    e.valMetrics = R"({"accuracy":)" + QByteArray::number(valAccuracy) + "}";
    return e;
}

Prediction pred(qint64 image, RunRole role, QVector<int> truth, QVector<int> predicted,
                QVector<float> probs)
{
    Prediction p;
    p.imageId = image;
    p.role = role;
    p.truth = std::move(truth);
    p.predicted = std::move(predicted);
    p.probabilities = std::move(probs);
    return p;
}

} // namespace

class RunsStoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stateNames()
    {
        for (RunState s : {RunState::Running, RunState::Paused, RunState::Cancelled,
                           RunState::Failed, RunState::Finished})
            QCOMPARE(runStateFromName(runStateName(s)), s);
        QCOMPARE(runStateName(RunState::Cancelled), QStringLiteral("cancelled"));
        QVERIFY(!runStateFromName(QStringLiteral("done")));
    }

    void createListAndSnapshot()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
        auto a = runs.createRun(QStringLiteral("first"), R"({"epochs":3})", {11, 12},
                                               {QStringLiteral("cat"), QStringLiteral("dög")},
                                                snapshot());
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().toString()));
        auto b = runs.createRun(QStringLiteral("second"), "{}", {12}, {QStringLiteral("dög")}, {});
        QVERIFY(b.ok());

        auto list = runs.runs();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), 2);
        QCOMPARE(list->at(0).id, b.value()); // newest first
        QCOMPARE(list->at(1).name, QStringLiteral("first"));

        auto r = runs.run(a.value());
        QVERIFY(r.ok());
        QCOMPARE(r->state, RunState::Running);
        QCOMPARE(r->config, QByteArray(R"({"epochs":3})"));
        QCOMPARE(r->classIds, (QVector<qint64>{11, 12}));
        QCOMPARE(r->classNames, (QStringList{QStringLiteral("cat"), QStringLiteral("dög")}));
        QCOMPARE(r->epochsDone, 0);
        QCOMPARE(r->bestEpoch, -1);
        QVERIFY(r->testMetrics.isEmpty());
        QCOMPARE(r->createdAt.timeSpec(), Qt::UTC);
        QVERIFY(r->createdAt >= before && r->createdAt <= QDateTime::currentDateTimeUtc());

        auto images = runs.runImages(a.value());
        QVERIFY(images.ok());
        QCOMPARE(images->value(RunRole::Train), (QVector<qint64>{3, 5, 9}));
        QCOMPARE(images->value(RunRole::Validation), (QVector<qint64>{2, 4}));
        QCOMPARE(images->value(RunRole::Test), (QVector<qint64>{7}));
        QVERIFY(runs.runImages(b.value())->value(RunRole::Train).isEmpty());

        auto missing = runs.run(999);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, Error::Code::NotFound);
        QCOMPARE(missing.error().path, p.store().filePath());
    }

    void stateNameAndTestMetricsAreKept()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(QStringLiteral("r"), "{}", {}, {}, {}).value();
        QVERIFY(runs.setState(id, RunState::Failed, QStringLiteral("out of memory")).ok());
        QVERIFY(runs.rename(id, QStringLiteral("renamed")).ok());
        QVERIFY(runs.setTestMetrics(id, R"({"accuracy":0.75})").ok());
        auto r = runs.run(id);
        QCOMPARE(r->state, RunState::Failed);
        QCOMPARE(r->message, QStringLiteral("out of memory"));
        QCOMPARE(r->name, QStringLiteral("renamed"));
        QCOMPARE(r->testMetrics, QByteArray(R"({"accuracy":0.75})"));
        QVERIFY(r->updatedAt >= r->createdAt);
        for (const Status &s : {runs.setState(77, RunState::Finished), runs.rename(77, {}),
                                runs.setTestMetrics(77, "{}"), runs.removeRun(77)}) {
            QVERIFY(!s.ok());
            QCOMPARE(s.error().code, Error::Code::NotFound);
        }
    }

    void recordEpochReplacesTheRowAndMovesLastAndBestTogether()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(QStringLiteral("r"), "{}", {1},
                                                        {QStringLiteral("a")}, snapshot()).value();
        QVERIFY(
            runs.recordEpoch(id, epochRow(1, 0.6), cp(1, 10, "one"), true, 0.6, "{\"b\":1}").ok());
        QVERIFY(runs.recordEpoch(id, epochRow(2, 0.5), cp(2, 20, "two"), false).ok());
        auto r = runs.run(id);
        QCOMPARE(r->epochsDone, 2);
        QCOMPARE(r->bestEpoch, 1);
        QCOMPARE(r->bestValue, 0.6);
        QCOMPARE(r->bestMetrics, QByteArray("{\"b\":1}"));
        QCOMPARE(runs.checkpoint(id, QStringLiteral("last"))->data, QByteArray("two"));
        QCOMPARE(runs.checkpoint(id, QStringLiteral("best"))->data, QByteArray("one"));
        QCOMPARE(runs.checkpoint(id, QStringLiteral("best"))->epoch, 1);

        // A resumed run redoes epoch 2, better this time: the row is replaced, not doubled.
        QVERIFY(runs.recordEpoch(id, epochRow(2, 0.8), cp(2, 21, "two again", 0), true, 0.8,
                                 "{\"b\":2}")
                    .ok());
        auto epochs = runs.epochs(id);
        QVERIFY(epochs.ok());
        QCOMPARE(epochs->size(), 2);
        QCOMPARE(epochs->at(0).epoch, 1);
        const EpochRecord &e2 = epochs->at(1);
        const EpochRecord want = epochRow(2, 0.8);
        QCOMPARE(e2.epoch, 2);
        QCOMPARE(e2.step, want.step);
        QCOMPARE(e2.trainLoss, want.trainLoss);
        QCOMPARE(e2.valLoss, want.valLoss);
        QCOMPARE(e2.valAccuracy, 0.8);
        QCOMPARE(e2.valMacroF1, want.valMacroF1);
        QCOMPARE(e2.learningRate, want.learningRate);
        QCOMPARE(e2.seconds, want.seconds);
        QCOMPARE(e2.imagesPerSecond, want.imagesPerSecond);
        QCOMPARE(e2.valMetrics, want.valMetrics);
        r = runs.run(id);
        QCOMPARE(r->bestEpoch, 2);
        QCOMPARE(r->bestValue, 0.8);
        const Checkpoint best = runs.checkpoint(id, QStringLiteral("best")).value();
        QCOMPARE(best.data, QByteArray("two again"));
        QCOMPARE(best.step, qint64(21));
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_checkpoints"), 2);

        // A pause mid-epoch moves only "last".
        QVERIFY(runs.saveLastCheckpoint(id, cp(3, 25, "mid three", 4)).ok());
        const Checkpoint last = runs.checkpoint(id, QStringLiteral("last")).value();
        QCOMPARE(last.epoch, 3);
        QCOMPARE(last.batchInEpoch, qint64(4));
        QCOMPARE(runs.checkpoint(id, QStringLiteral("best"))->data, QByteArray("two again"));
        QCOMPARE(runs.run(id)->epochsDone, 2);
    }

    void checkpointsAreAskedForByKind()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(QStringLiteral("r"), "{}", {}, {}, {}).value();
        auto none = runs.checkpoint(id, QStringLiteral("last"));
        QVERIFY(!none.ok());
        QCOMPARE(none.error().code, Error::Code::NotFound);
        auto bad = runs.checkpoint(id, QStringLiteral("middle"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, Error::Code::Invalid);
        QVERIFY(runs.saveLastCheckpoint(id, cp(1, 1, QByteArray()))
                    .ok()); // empty is still a checkpoint
        QVERIFY(runs.checkpoint(id, QStringLiteral("last")).ok());
        QVERIFY(runs.checkpoint(id, QStringLiteral("last"))->data.isEmpty());
    }

    void largeCheckpointRoundTrips()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(QStringLiteral("big"), "{}", {}, {}, {}).value();
        const QByteArray data = randomBytes(20 << 20, 42);
        QVERIFY(runs.recordEpoch(id, epochRow(1, 0.5), cp(1, 100, data, 0), true, 0.5).ok());
        for (const char *kind : {"last", "best"}) {
            auto back = runs.checkpoint(id, QString::fromLatin1(kind));
            QVERIFY(back.ok());
            QCOMPARE(back->data.size(), data.size());
            QVERIFY(back->data == data);
            QCOMPARE(back->step, qint64(100));
        }
        p.reopen();
        RunStore again(p.store());
        QVERIFY(again.checkpoint(id, QStringLiteral("best"))->data == data);
    }

    void predictionsAndConfusionCells()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(
            QStringLiteral("r"), "{}", {1, 2, 3},
                           {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")},
                                                 snapshot())
                                .value();
        const QVector<Prediction> rows = {
            pred(4, RunRole::Validation, {0}, {1}, {0.2f, 0.7f, 0.1f}),
            pred(2, RunRole::Validation, {0}, {0}, {0.9f, 0.05f, 0.05f}),
            pred(8, RunRole::Validation, {0}, {1}, {0.3f, 0.6f, 0.1f}),
            pred(7, RunRole::Test, {0, 2}, {2}, {0.4f, 1e-7f, 0.99f}),
        };
        QVERIFY(runs.savePredictions(id, rows).ok());
        auto val = runs.predictions(id, RunRole::Validation);
        QVERIFY(val.ok());
        QCOMPARE(val->size(), 3);
        QCOMPARE(val->at(0).imageId, qint64(2)); // by image id
        QCOMPARE(val->at(1).imageId, qint64(4));
        QCOMPARE(val->at(1).truth, QVector<int>{0});
        QCOMPARE(val->at(1).predicted, QVector<int>{1});
        QCOMPARE(val->at(1).probabilities, (QVector<float>{0.2f, 0.7f, 0.1f}));
        auto all = runs.predictions(id);
        QCOMPARE(all->size(), 4);
        QCOMPARE(all->last().role, RunRole::Test);
        QCOMPARE(all->last().truth, (QVector<int>{0, 2}));
        QCOMPARE(all->last().probabilities, (QVector<float>{0.4f, 1e-7f, 0.99f}));

        QCOMPARE(runs.confusionImages(id, RunRole::Validation, 0, 1).value(),
                 (QVector<qint64>{4, 8}));
        QCOMPARE(runs.confusionImages(id, RunRole::Validation, 0, 0).value(), QVector<qint64>{2});
        QVERIFY(runs.confusionImages(id, RunRole::Test, 0, 1)->isEmpty());
        QCOMPARE(runs.confusionImages(id, RunRole::Test, 2, 2).value(), QVector<qint64>{7});
        QCOMPARE(runs.confusionImages(id, RunRole::Test, 0, 2).value(), QVector<qint64>{7});

        // New validation predictions replace the old ones; the test ones stay.
        QVERIFY(runs.savePredictions(id, {pred(4, RunRole::Validation, {0}, {0}, {1, 0, 0})}).ok());
        QCOMPARE(runs.predictions(id, RunRole::Validation)->size(), 1);
        QCOMPARE(runs.predictions(id, RunRole::Test)->size(), 1);
        QVERIFY(runs.confusionImages(id, RunRole::Validation, 0, 1)->isEmpty());
    }

    void removeRunCascades()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 gone = runs.createRun(
            QStringLiteral("gone"), "{}", {1}, {QStringLiteral("a")}, snapshot()).value();
        const qint64 kept = runs.createRun(
            QStringLiteral("kept"), "{}", {1}, {QStringLiteral("a")}, snapshot()).value();
        for (qint64 id : {gone, kept}) {
            QVERIFY(runs.recordEpoch(id, epochRow(1, 0.5), cp(1, 1, "x"), true, 0.5).ok());
            QVERIFY(runs.savePredictions(id, {pred(4, RunRole::Validation, {0}, {0}, {1})}).ok());
        }
        QVERIFY(runs.removeRun(gone).ok());
        QCOMPARE(runs.run(gone).error().code, Error::Code::NotFound);
        QCOMPARE(runs.runs()->size(), 1);
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_images"), snapshot().size());
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_epochs"), 1);
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_checkpoints"), 2);
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_predictions"), 1);
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_epochs WHERE run_id <> "
                                      "(SELECT id FROM runs WHERE name = 'kept')"),
                 0);
    }

    void runSurvivesReopenAndOtherConnections()
    {
        test::TempProject p;
        qint64 id = 0;
        {
            RunStore runs(p.store());
            id = runs.createRun(QStringLiteral("persist"), R"({"model":"smallcnn"})", {4},
                                               {QStringLiteral("x")}, snapshot()).value();
            QVERIFY(runs.recordEpoch(id, epochRow(1, 0.7), cp(1, 5, "ckpt"), true, 0.7).ok());
            QVERIFY(runs.setState(id, RunState::Finished).ok());
            QVERIFY(runs.savePredictions(id, {pred(2, RunRole::Validation, {0}, {0}, {1})}).ok());
        }
        // A worker's second connection sees the committed run.
        auto other = p.store().connectAgain(ProjectStore::OpenMode::ReadOnly);
        QVERIFY(other.ok());
        QCOMPARE(RunStore(*other.value()).run(id)->name, QStringLiteral("persist"));
        other.value().reset();

        RunStore runs(p.reopen());
        auto r = runs.run(id);
        QVERIFY(r.ok());
        QCOMPARE(r->state, RunState::Finished);
        QCOMPARE(r->config, QByteArray(R"({"model":"smallcnn"})"));
        QCOMPARE(r->bestEpoch, 1);
        QCOMPARE(runs.epochs(id)->size(), 1);
        QCOMPARE(runs.runImages(id)->value(RunRole::Test), QVector<qint64>{7});
        QCOMPARE(runs.checkpoint(id, QStringLiteral("last"))->data, QByteArray("ckpt"));
        QCOMPARE(runs.predictions(id)->size(), 1);
    }

    void snapshotOutlivesDeletedImages()
    {
        test::TempProject p;
        NewImage img;
        img.absolutePath = p.path(QStringLiteral("a.png"));
        auto ids = p.store().addImages({img});
        QVERIFY(ids.ok());
        RunStore runs(p.store());
        const qint64 id = runs.createRun(
            QStringLiteral("r"), "{}", {}, {}, {{ids->first(), RunRole::Train}}).value();
        QVERIFY(p.store().removeImages({ids->first()}).ok());
        QCOMPARE(runs.runImages(id)->value(RunRole::Train), QVector<qint64>{ids->first()});
    }

    void failingWritesChangeNothing()
    {
        test::TempProject p;
        RunStore runs(p.store());
        const qint64 id = runs.createRun(QStringLiteral("r"), "{}", {}, {}, snapshot()).value();
        QVERIFY(runs.recordEpoch(id, epochRow(1, 0.5), cp(1, 1, "one"), true, 0.5).ok());
        QVERIFY(runs.savePredictions(id, {pred(4, RunRole::Validation, {0}, {0}, {1})}).ok());

        // Unknown run: nothing is written for it.
        Status s = runs.recordEpoch(99, epochRow(1, 0.5), cp(1, 1, "stray"), true, 0.5);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::NotFound);
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_epochs"), 1);
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_checkpoints"), 2);
        QVERIFY(!runs.savePredictions(99, {pred(1, RunRole::Test, {0}, {0}, {1})}).ok());
        QVERIFY(!runs.saveLastCheckpoint(99, cp(1, 1, "stray")).ok());
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_predictions"), 1);
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_checkpoints"), 2);

        // A failure half way (the same image twice) rolls back the delete of the old rows too.
        s = runs.savePredictions(id, {pred(4, RunRole::Validation, {0}, {1}, {0.1f}),
                                      pred(4, RunRole::Validation, {0}, {1}, {0.1f})});
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Database);
        QVERIFY(s.error().toString().contains(p.file()));
        auto kept = runs.predictions(id);
        QCOMPARE(kept->size(), 1);
        QCOMPARE(kept->first().predicted, QVector<int>{0});

        // Mismatched class lists are refused before anything is written.
        QVERIFY(!runs.createRun(QStringLiteral("bad"), "{}", {1, 2},
                                               {QStringLiteral("a")}, snapshot()).ok());
        QVERIFY(!runs.recordEpoch(id, epochRow(0, 0.5), cp(0, 1, "zero"), false).ok());

        // A read-only connection writes nothing.
        auto ro = p.store().connectAgain(ProjectStore::OpenMode::ReadOnly);
        QVERIFY(ro.ok());
        RunStore readOnly(*ro.value());
        QVERIFY(!readOnly.createRun(QStringLiteral("ro"), "{}", {}, {}, snapshot()).ok());
        QVERIFY(!readOnly.setState(id, RunState::Cancelled).ok());
        QVERIFY(!readOnly.recordEpoch(id, epochRow(2, 0.9), cp(2, 2, "two"), true, 0.9).ok());
        QVERIFY(!readOnly.removeRun(id).ok());
        QCOMPARE(readOnly.runs()->size(), 1); // reading still works

        auto r = runs.run(id);
        QCOMPARE(runs.runs()->size(), 1);
        QCOMPARE(r->state, RunState::Running);
        QCOMPARE(r->epochsDone, 1);
        QCOMPARE(r->bestEpoch, 1);
        QCOMPARE(runs.checkpoint(id, QStringLiteral("last"))->data, QByteArray("one"));
        QCOMPARE(countRows(p.store(), "SELECT COUNT(*) FROM run_images"), snapshot().size());
    }
};

QTEST_GUILESS_MAIN(RunsStoreTest)
#include "runs_store.moc"
