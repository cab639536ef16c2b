// SPDX-License-Identifier: GPL-3.0-or-later
// A cancel on rank 0 of a data-parallel run stops every rank at the same step,
// cleanly: two real processes (this test binary started again as a worker)
// run runTraining on the tiny project over 127.0.0.1; only rank 0 is
// cancelled, yet both end "cancelled" with the same step count and weights,
// and neither waits for the collective timeout.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/trainer.h"
#include "tests/train/freeport.h"
#include "tests/train/trainerfixture.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

using namespace salient;
using namespace salient::train;

namespace {

const char kWorkerFlag[] = "--cancel-worker";

/// Worker mode: argv = --cancel-worker PROJECT RANK MASTER WHEN. Rank 0 cancels
/// itself at WHEN ("step:N", "validation"); prints one JSON line.
int workerMain(const QStringList &args)
{
    if (args.size() < 6)
        return 2;
    const int rank = args[3].toInt();
    const QString when = args[5];
    TrainRequest request;
    request.projectFile = args[2];
    request.config = test::tinyConfig(3, 1);
    request.evaluateTest = false;
    request.distributed.worldSize = 2;
    request.distributed.rank = rank;
    request.distributed.master = args[4];
    request.distributed.timeoutSeconds = 60;
    std::atomic<int> control{int(Control::Run)};
    TrainObserver observer;
    if (rank == 0) {
        observer.progress = [&](const TrainProgress &p) {
            if (when.startsWith(QLatin1String("step:"))) {
                if (p.phase != TrainProgress::Phase::Training)
                    return;
                QThread::msleep(110); // every batch reports, so the cancel lands at that step
                if (p.step == when.mid(5).toInt())
                    control.store(int(Control::Cancel));
            } else if (p.phase == TrainProgress::Phase::Validating) {
                control.store(int(Control::Cancel));
            }
        };
    }
    auto out = runTraining(request, observer, &control);
    QJsonObject line;
    line[QStringLiteral("rank")] = rank;
    if (!out.ok()) {
        line[QStringLiteral("error")] = out.error().toString();
    } else {
        line[QStringLiteral("state")] = runStateName(out->state);
        line[QStringLiteral("steps")] = double(out->steps);
        line[QStringLiteral("epochs_done")] = out->epochsDone;
        line[QStringLiteral("digest")] = out->weightsDigest;
        line[QStringLiteral("message")] = out->message;
        line[QStringLiteral("run")] = double(out->runId);
    }
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).append('\n').constData(), stdout);
    std::fflush(stdout);
    return out.ok() ? 0 : 1;
}

struct Finished {
    int exitCode = -1;
    QJsonObject result;
    QString err;
    qint64 ms = 0;
};

std::vector<Finished> runRanks(const QString &project, const QString &when)
{
    const QString master = QStringLiteral("127.0.0.1:%1").arg(test::freePort());
    std::vector<std::unique_ptr<QProcess>> processes;
    QElapsedTimer clock;
    clock.start();
    for (int r = 0; r < 2; ++r) {
        auto p = std::make_unique<QProcess>();
        p->start(QCoreApplication::applicationFilePath(),
                 {QLatin1String(kWorkerFlag), project, QString::number(r), master, when});
        processes.push_back(std::move(p));
    }
    std::vector<Finished> results(2);
    for (int r = 0; r < 2; ++r) {
        QProcess &p = *processes[size_t(r)];
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            results[size_t(r)].err = QStringLiteral("did not finish in time; ");
        }
        results[size_t(r)].ms = clock.elapsed();
        results[size_t(r)].exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        results[size_t(r)].err += QString::fromUtf8(p.readAllStandardError());
        const auto lines = p.readAllStandardOutput().trimmed().split('\n');
        results[size_t(r)].result = QJsonDocument::fromJson(lines.last()).object();
    }
    return results;
}

} // namespace

class DistributedCancelTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = test::makeTinyProject(m_dir.path());
        QVERIFY(!m_project.isEmpty());
    }

    void cancelOnRankZeroStopsEveryRankAtTheSameStep_data()
    {
        QTest::addColumn<QString>("when");
        QTest::addColumn<qint64>("steps"); // -1: not known in advance
        // 72 training images over 2 ranks, 12 per batch: 3 steps per epoch.
        QTest::newRow("mid-epoch, after step 2") << QStringLiteral("step:2") << qint64(2);
        QTest::newRow("at the end of the first epoch, after step 3") << QStringLiteral("step:3") << qint64(3);
        QTest::newRow("during the first validation") << QStringLiteral("validation") << qint64(3);
    }

    void cancelOnRankZeroStopsEveryRankAtTheSameStep()
    {
        QFETCH(QString, when);
        QFETCH(qint64, steps);
        const auto ranks = runRanks(m_project, when);
        for (const Finished &f : ranks) {
            QVERIFY2(f.exitCode == 0,
                     qPrintable(QStringLiteral("exit %1: %2 %3")
                                    .arg(f.exitCode)
                                    .arg(f.err, QString::fromUtf8(QJsonDocument(f.result).toJson()))));
            QCOMPARE(f.result.value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
            QCOMPARE(qint64(f.result.value(QStringLiteral("steps")).toDouble()), steps);
        }
        QCOMPARE(ranks[1].result.value(QStringLiteral("digest")).toString(),
                 ranks[0].result.value(QStringLiteral("digest")).toString());
        QCOMPARE(ranks[1].result.value(QStringLiteral("message")).toString(),
                 ranks[0].result.value(QStringLiteral("message")).toString());
        // Rank 1 stopped by agreement, not by the collective timeout (60 s).
        QVERIFY2(std::abs(ranks[1].ms - ranks[0].ms) < 20000,
                 qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(ranks[0].ms).arg(ranks[1].ms)));

        // Rank 0 recorded the run as cancelled with its checkpoint at that step.
        auto store = ProjectStore::open(m_project);
        QVERIFY(store.ok());
        RunStore runs(**store);
        const qint64 runId = qint64(ranks[0].result.value(QStringLiteral("run")).toDouble());
        QCOMPARE(runs.run(runId)->state, RunState::Cancelled);
        auto last = runs.checkpoint(runId, QStringLiteral("last"));
        QVERIFY(last.ok());
        QCOMPARE(last->step, steps);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() > 1 && args[1] == QLatin1String(kWorkerFlag))
        return workerMain(args);
    DistributedCancelTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_distributed_cancel.moc"
