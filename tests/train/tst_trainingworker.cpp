// SPDX-License-Identifier: GPL-3.0-or-later
// TrainingWorker: the engine on its own thread, its callbacks arriving as
// signals on the owner's thread while that thread's event loop runs.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/trainingworker.h"
#include "tests/train/trainerfixture.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;
using namespace salient::train;

class TrainingWorkerTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

    RunState stateOf(qint64 runId)
    {
        auto store = ProjectStore::open(m_project);
        RunStore runs(*store.value());
        return runs.run(runId)->state;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("p")));
        QVERIFY(!m_project.isEmpty());
    }

    void emitsOnTheOwnersThread()
    {
        TrainingWorker worker;
        QSignalSpy started(&worker, &TrainingController::started);
        QSignalSpy progress(&worker, &TrainingController::progress);
        QSignalSpy epochs(&worker, &TrainingController::epochFinished);
        QSignalSpy finished(&worker, &TrainingController::finished);
        QSignalSpy failed(&worker, &TrainingController::failed);
        bool onMainThread = true;
        connect(&worker, &TrainingController::progress, this,
                [&] { onMainThread = onMainThread && QThread::currentThread() == thread(); });
        worker.start(m_project, test::tinyConfig(2, 1), QStringLiteral("worker run"));
        QVERIFY(worker.isRunning());
        QVERIFY(finished.wait(120000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(started.count(), 1);
        QVERIFY(progress.count() >= 2);
        QCOMPARE(epochs.count(), 2);
        QVERIFY(onMainThread);
        QVERIFY(!worker.isRunning()); // already false when finished() arrives
        const auto outcome = finished.first().first().value<TrainOutcome>();
        QCOMPARE(outcome.state, RunState::Finished);
        QCOMPARE(outcome.runId, started.first().first().toLongLong());
        QCOMPARE(stateOf(outcome.runId), RunState::Finished);
    }

    void refusesASecondRunAndCancels()
    {
        TrainingWorker worker;
        QSignalSpy started(&worker, &TrainingController::started);
        QSignalSpy finished(&worker, &TrainingController::finished);
        QSignalSpy failed(&worker, &TrainingController::failed);
        worker.start(m_project, test::tinyConfig(50, 1), QString());
        worker.start(m_project, test::tinyConfig(1, 1), QString());
        QCOMPARE(failed.count(), 1); // at once: one run at a time
        QVERIFY(started.wait(60000));
        worker.pause();
        QTRY_VERIFY_WITH_TIMEOUT(worker.isPaused(), 5000);
        worker.cancel();
        QVERIFY(finished.wait(60000));
        const auto outcome = finished.first().first().value<TrainOutcome>();
        QCOMPARE(outcome.state, RunState::Cancelled);
        QCOMPARE(stateOf(outcome.runId), RunState::Cancelled);

        // Resume continues the same run.
        QSignalSpy again(&worker, &TrainingController::started);
        worker.resume(m_project, outcome.runId);
        QVERIFY(again.wait(60000));
        QCOMPARE(again.first().first().toLongLong(), outcome.runId);
        worker.cancel();
        QVERIFY(finished.wait(60000));
    }

    void destructorCancelsAndWaits()
    {
        qint64 runId = 0;
        {
            TrainingWorker worker;
            QSignalSpy started(&worker, &TrainingController::started);
            worker.start(m_project, test::tinyConfig(50, 1), QString());
            QVERIFY(started.wait(60000));
            runId = started.first().first().toLongLong();
        }
        QCOMPARE(stateOf(runId), RunState::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TrainingWorkerTest)
#include "tst_trainingworker.moc"
