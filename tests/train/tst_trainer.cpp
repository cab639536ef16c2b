// SPDX-License-Identifier: GPL-3.0-or-later
// runTraining end to end on the tiny project: it learns, records the run,
// pauses, cancels and resumes to the very same weights, survives a kill,
// refuses a bad weights file and handles multi-label data.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/trainer.h"
#include "tests/train/trainerfixture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace salient;
using namespace salient::train;

namespace {

struct Recorder {
    QVector<EpochSummary> epochs;
    QVector<TrainProgress> progress;
    QStringList logs;
    qint64 started = 0;
    TrainObserver observer()
    {
        TrainObserver o;
        o.started = [this](qint64 id) { started = id; };
        o.progress = [this](const TrainProgress &p) { progress << p; };
        o.epochFinished = [this](const EpochSummary &e) { epochs << e; };
        o.log = [this](const QString &l) { logs << l; };
        return o;
    }
};

QString errorText(const Result<TrainOutcome> &r)
{
    return r.ok() ? QString() : r.error().toString();
}

std::unique_ptr<ProjectStore> openStore(const QString &file)
{
    auto s = ProjectStore::open(file);
    return s.ok() ? std::move(s.value()) : nullptr;
}

} // namespace

class TrainerTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

    TrainRequest request(const TrainConfig &config) const
    {
        TrainRequest r;
        r.projectFile = m_project;
        r.config = config;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("single")));
        QVERIFY(!m_project.isEmpty());
    }

    void learnsTheTinyProject()
    {
        Recorder rec;
        TrainConfig config = test::tinyConfig(6, 2);
        QElapsedTimer clock;
        clock.start();
        auto r = runTraining(request(config), rec.observer());
        const double seconds = clock.elapsed() / 1000.0;
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        const TrainOutcome &out = r.value();
        // Throttled: at most about ten training reports a second.
        const auto training =
            std::count_if(rec.progress.begin(), rec.progress.end(), [](const TrainProgress &p) {
                return p.phase == TrainProgress::Phase::Training;
            });
        QVERIFY2(training <= 10 * seconds + 2,
                 qPrintable(QStringLiteral("%1 reports in %2 s").arg(training).arg(seconds)));
        QCOMPARE(out.state, RunState::Finished);
        QCOMPARE(out.epochsDone, 6);
        QCOMPARE(rec.started, out.runId);
        QCOMPARE(rec.epochs.size(), 6);
        QCOMPARE(out.classNames, (QStringList{"horizontal", "vertical", "disc"}));
        const double first = rec.epochs.first().record.trainLoss;
        const double last = rec.epochs.last().record.trainLoss;
        qInfo("tiny project: train loss %.3f -> %.3f, val accuracy %.3f, test accuracy %.3f", first,
              last, out.bestValidation.accuracy, out.test.accuracy);
        QVERIFY2(last < 0.7 * first,
                 qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
        QVERIFY2(out.bestValidation.accuracy > 0.6,
                 qPrintable(QString::number(out.bestValidation.accuracy))); // chance: 0.33
        QCOMPARE(out.bestValidation.samples, qint64(24));
        QCOMPARE(out.test.numClasses, 3);
        QCOMPARE(out.test.samples, qint64(24));
        QVERIFY(!rec.progress.isEmpty());
        QVERIFY(std::any_of(rec.progress.begin(), rec.progress.end(), [](const TrainProgress &p) {
            return p.phase == TrainProgress::Phase::Training && p.imagesPerSecond > 0
                   && p.etaSeconds >= 0;
        }));
        QCOMPARE(rec.progress.last().phase, TrainProgress::Phase::Done);
        QCOMPARE(rec.progress.last().threads, 2);

        auto store = openStore(m_project);
        QVERIFY(store);
        RunStore runs(*store);
        auto run = runs.run(out.runId);
        QVERIFY(run.ok());
        QCOMPARE(run->state, RunState::Finished);
        QCOMPARE(run->epochsDone, 6);
        QVERIFY(run->bestEpoch >= 1);
        QVERIFY(!run->testMetrics.isEmpty());
        QCOMPARE(runs.epochs(out.runId)->size(), 6);
        QCOMPARE(runs.predictions(out.runId, RunRole::Test)->size(), 24);
        QCOMPARE(runs.predictions(out.runId, RunRole::Validation)->size(), 24);
        auto digest = checkpointDigest(m_project, out.runId, QStringLiteral("last"));
        QVERIFY(digest.ok());
        QCOMPARE(digest.value(), out.weightsDigest); // the last checkpoint is the final weights

        // The best checkpoint evaluated again gives the recorded test metrics.
        auto eval = evaluateRun(m_project, out.runId, QStringLiteral("test"), {}, nullptr, 1);
        QVERIFY(eval.ok());
        QVERIFY(std::abs(eval->accuracy - out.test.accuracy) < 1e-9);
    }

    void cancelThenResumeGivesTheSameWeights()
    {
        const TrainConfig config = test::tinyConfig(3, 1);
        auto whole = runTraining(request(config), {});
        QVERIFY2(whole.ok(), qPrintable(errorText(whole)));

        // Slow progress callbacks make every batch report, so the cancel lands
        // at a known batch in the middle of epoch 2.
        std::atomic<int> control{int(Control::Run)};
        TrainObserver slow;
        slow.progress = [&control](const TrainProgress &p) {
            QThread::msleep(110);
            if (p.phase == TrainProgress::Phase::Training && p.epoch == 2 && p.batch == 3)
                control.store(int(Control::Cancel));
        };
        auto cancelled = runTraining(request(config), slow, &control);
        QVERIFY2(cancelled.ok(), qPrintable(errorText(cancelled)));
        QCOMPARE(cancelled->state, RunState::Cancelled);
        QCOMPARE(cancelled->epochsDone, 1);
        {
            auto store = openStore(m_project);
            RunStore runs(*store);
            QCOMPARE(runs.run(cancelled->runId)->state, RunState::Cancelled);
            auto last = runs.checkpoint(cancelled->runId, QStringLiteral("last"));
            QVERIFY(last.ok());
            QCOMPARE(last->epoch, 2);
            QCOMPARE(last->batchInEpoch, qint64(3));
        }
        TrainRequest again;
        again.projectFile = m_project;
        again.resumeRunId = cancelled->runId;
        auto resumed = runTraining(again, {});
        QVERIFY2(resumed.ok(), qPrintable(errorText(resumed)));
        QCOMPARE(resumed->state, RunState::Finished);
        QCOMPARE(resumed->epochsDone, 3);
        QCOMPARE(resumed->steps, whole->steps);
        QCOMPARE(resumed->weightsDigest, whole->weightsDigest);

        // The resumed epoch reports what the uninterrupted one did.
        auto store = openStore(m_project);
        RunStore runs(*store);
        const auto a = runs.epochs(whole->runId).value();
        const auto b = runs.epochs(cancelled->runId).value();
        QCOMPARE(b.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QVERIFY(std::abs(a[i].trainLoss - b[i].trainLoss) < 1e-9);
            QVERIFY(std::abs(a[i].valAccuracy - b[i].valAccuracy) < 1e-9);
        }
    }

    void killedRunResumesFromItsLastEpoch()
    {
        const TrainConfig config = test::tinyConfig(3, 1);
        auto whole = runTraining(request(config), {});
        QVERIFY(whole.ok());

        // A kill right after epoch 1 was recorded: copy the database at that
        // instant (the run still says "running"), then resume the copy.
        const QString copy = QFileInfo(m_project).dir().filePath(QStringLiteral("killed.salient"));
        QFile::remove(copy);
        auto reader = openStore(m_project);
        QVERIFY(reader);
        TrainObserver obs;
        bool copied = false;
        obs.epochFinished = [&](const EpochSummary &e) {
            if (e.record.epoch != 1)
                return;
            const QByteArray sql = "VACUUM INTO '" + copy.toUtf8() + "'";
            copied = sqlite3_exec(reader->handle(), sql.constData(), nullptr, nullptr, nullptr)
                     == SQLITE_OK;
        };
        std::atomic<int> control{int(Control::Run)};
        obs.progress = [&](const TrainProgress &p) {
            if (p.epoch >= 2)
                control.store(int(Control::Cancel)); // the original may stop: the copy matters
        };
        auto original = runTraining(request(config), obs, &control);
        QVERIFY(original.ok());
        QVERIFY(copied);
        {
            auto store = openStore(copy);
            QVERIFY(store);
            RunStore runs(*store);
            auto run = runs.run(original->runId);
            QVERIFY(run.ok());
            QCOMPARE(run->state, RunState::Running);
            QCOMPARE(run->epochsDone, 1);
        }
        TrainRequest again;
        again.projectFile = copy;
        again.resumeRunId = original->runId;
        Recorder rec;
        auto resumed = runTraining(again, rec.observer());
        QVERIFY2(resumed.ok(), qPrintable(errorText(resumed)));
        QCOMPARE(rec.epochs.size(), 2); // epochs 2 and 3 only
        QCOMPARE(rec.epochs.first().record.epoch, 2);
        QCOMPARE(resumed->weightsDigest, whole->weightsDigest);
    }

    void pauseBlocksUntilUnpaused()
    {
        std::atomic<int> control{int(Control::Run)};
        std::atomic<qint64> lastStep{0};
        std::atomic<bool> pausedSeen{false};
        TrainObserver obs;
        obs.progress = [&](const TrainProgress &p) {
            if (p.phase == TrainProgress::Phase::Paused) {
                pausedSeen = true;
                return;
            }
            lastStep = p.step;
            if (p.phase == TrainProgress::Phase::Training && p.step >= 2 && !pausedSeen)
                control.store(int(Control::Pause));
        };
        Result<TrainOutcome> result = makeError(Error::Code::Invalid, QString());
        const TrainConfig config = test::tinyConfig(2, 1);
        std::thread worker([&] { result = runTraining(request(config), obs, &control); });
        QTRY_VERIFY_WITH_TIMEOUT(pausedSeen.load(), 30000);
        const qint64 stepAtPause = lastStep;
        QThread::msleep(400);
        QCOMPARE(lastStep.load(), stepAtPause); // nothing trained while paused
        {
            auto store = openStore(m_project);
            RunStore runs(*store);
            QCOMPARE(runs.runs()->first().state, RunState::Paused);
        }
        control.store(int(Control::Run));
        worker.join();
        QVERIFY2(result.ok(), qPrintable(errorText(result)));
        QCOMPARE(result->state, RunState::Finished);
        QVERIFY(result->steps > stepAtPause);
    }

    void stepLimitAndEarlyStopping()
    {
        TrainConfig config = test::tinyConfig(5, 1);
        config.maxSteps = 4;
        auto limited = runTraining(request(config), {});
        QVERIFY2(limited.ok(), qPrintable(errorText(limited)));
        QCOMPARE(limited->steps, qint64(4));
        QCOMPARE(limited->epochsDone, 1);

        config = test::tinyConfig(6, 1);
        config.learningRate = 1e-12;        // nothing changes after epoch 1...
        config.freeze = FreezePolicy::Head; // ...not even BatchNorm statistics
        config.monitor = Metric::Accuracy;
        config.earlyStoppingPatience = 2;
        auto stopped = runTraining(request(config), {});
        QVERIFY2(stopped.ok(), qPrintable(errorText(stopped)));
        QCOMPARE(stopped->epochsDone, 3);
        QVERIFY2(stopped->message.contains(QLatin1String("stopped early")),
                 qPrintable(stopped->message));
    }

    void wrongWeightsFileFailsTheRun()
    {
        const QString bad = m_dir.filePath(QStringLiteral("not-weights.pth"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a weight file at all");
        f.close();
        TrainConfig config = test::tinyConfig(1, 1);
        config.weightsFile = bad;
        auto r = runTraining(request(config), {});
        QVERIFY(!r.ok());
        QVERIFY2(r.error().toString().contains(QLatin1String("not-weights.pth")),
                 qPrintable(r.error().toString()));
        auto store = openStore(m_project);
        RunStore runs(*store);
        const RunRecord newest = runs.runs()->first();
        QCOMPARE(newest.state, RunState::Failed);
        QVERIFY2(newest.message.contains(QLatin1String("not-weights.pth")),
                 qPrintable(newest.message));
    }

    void multiLabelTrainsAndTunesThresholds()
    {
        test::TinySpec spec;
        spec.secondLabelProbability = 0.5;
        const QString project =
            test::makeTinyProject(m_dir.filePath(QStringLiteral("multi")), spec);
        QVERIFY(!project.isEmpty());
        TrainConfig config = test::tinyConfig(8, 1);
        config.multiLabel = true;
        config.loss = LossKind::BinaryCrossEntropy;
        config.augmentRecipe = AugmentRecipe().toJson(); // a flip would move the second pattern
        TrainRequest r;
        r.projectFile = project;
        r.config = config;
        Recorder rec;
        auto out = runTraining(r, rec.observer());
        QVERIFY2(out.ok(), qPrintable(errorText(out)));
        QVERIFY(out->bestValidation.multiLabel);
        QVERIFY(rec.epochs.last().record.trainLoss < 0.8 * rec.epochs.first().record.trainLoss);
        qInfo("multi-label: val macro-F1 %.3f, exact-match accuracy %.3f",
              out->bestValidation.macroF1, out->bestValidation.accuracy);
        QVERIFY2(out->bestValidation.macroF1 > 0.6,
                 qPrintable(QString::number(out->bestValidation.macroF1)));
        bool tuned = false;
        for (const ClassMetrics &c : out->bestValidation.perClass) {
            QVERIFY(c.threshold > 0 && c.threshold < 1);
            tuned = tuned || std::abs(c.threshold - 0.5) > 1e-6;
        }
        QVERIFY(tuned);
        // Thresholds travel with the checkpoint: evaluating the run again agrees.
        auto again = evaluateRun(project, out->runId, QStringLiteral("val"), {}, nullptr, 1);
        QVERIFY(again.ok());
        QVERIFY(std::abs(again->macroF1 - out->bestValidation.macroF1) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TrainerTest)
#include "tst_trainer.moc"
