// SPDX-License-Identifier: GPL-3.0-or-later
// Data parallelism across real processes on 127.0.0.1: two ddp_worker ranks
// train the small CNN through the Communicator alone and end with identical
// weights; a rank that crashes mid-training makes the other one fail promptly
// instead of hanging; gradient averaging moves a ResNet-sized gradient.
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include "tests/train/freeport.h"

#include <QTcpServer>
#include <QtTest>

#include <memory>
#include <vector>

namespace {

using salient::test::freePort;

struct Finished {
    int exitCode = -1;
    bool crashed = false;
    QJsonObject last; ///< the last JSON line on stdout
    QString err;
    qint64 ms = 0; ///< from start until this rank exited
};

// Starts one worker per rank with `extra` arguments (per rank), waits for all.
std::vector<Finished> runWorkers(int worldSize, const std::vector<QStringList> &extra,
                                 int waitMs = 120000)
{
    const QString master = QStringLiteral("127.0.0.1:%1").arg(freePort());
    std::vector<std::unique_ptr<QProcess>> processes;
    QElapsedTimer clock;
    clock.start();
    for (int r = 0; r < worldSize; ++r) {
        auto p = std::make_unique<QProcess>();
        QStringList args{QStringLiteral("--rank"),       QString::number(r),
                                        QStringLiteral("--world-size"), QString::number(worldSize),
                                                       QStringLiteral("--master"),     master};
        if (r < int(extra.size()))
            args += extra[r];
        p->start(QStringLiteral(SALIENT_DDP_WORKER), args);
        processes.push_back(std::move(p));
    }
    std::vector<Finished> results(worldSize);
    for (int r = 0; r < worldSize; ++r) {
        QProcess &p = *processes[r];
        if (!p.waitForFinished(int(std::max<qint64>(1000, waitMs - clock.elapsed())))) {
            p.kill();
            p.waitForFinished();
            results[r].err = QStringLiteral("did not finish in time; ");
        }
        results[r].ms = clock.elapsed();
        results[r].exitCode = p.exitCode();
        results[r].crashed = p.exitStatus() != QProcess::NormalExit;
        results[r].err += QString::fromUtf8(p.readAllStandardError())
                          + QStringLiteral(" [master ") + master + QLatin1Char(']');
        const auto lines = p.readAllStandardOutput().trimmed().split('\n');
        results[r].last = QJsonDocument::fromJson(lines.last()).object();
    }
    return results;
}

} // namespace

class TestDistributedProcesses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void twoRanksEndWithTheSameTrainedWeights_data()
    {
        QTest::addColumn<bool>("syncBuffers");
        QTest::newRow("BatchNorm statistics re-broadcast after each step") << true;
        QTest::newRow("BatchNorm statistics left per rank") << false;
    }

    void twoRanksEndWithTheSameTrainedWeights()
    {
        QFETCH(bool, syncBuffers);
        QStringList args{QStringLiteral("--steps"), QStringLiteral("6")};
        if (!syncBuffers)
            args << QStringLiteral("--no-buffer-sync");
        const auto ranks = runWorkers(2, {args, args});
        for (const auto &r : ranks) {
            QVERIFY2(!r.crashed && r.exitCode == 0, qPrintable(r.err));
            QCOMPARE(r.last.value(QStringLiteral("event")).toString(), QStringLiteral("done"));
        }
        const QString w0 = ranks[0].last.value(QStringLiteral("weights_sha256")).toString();
        const QString w1 = ranks[1].last.value(QStringLiteral("weights_sha256")).toString();
        QCOMPARE(w0.size(), 64);
        // Averaged gradients keep the parameters equal, but each rank's running
        // statistics come from its own shard: a trainer must re-broadcast them.
        QCOMPARE(w1 == w0, syncBuffers);
        // Both started from rank 0's weights (each seeded differently before broadcast)...
        QCOMPARE(
            ranks[1].last.value(QStringLiteral("initial_sha256")).toString(),
                                ranks[0].last.value(QStringLiteral("initial_sha256")).toString());
        // ...and they trained: the weights moved and the global loss fell.
        QVERIFY(w0 != ranks[0].last.value(QStringLiteral("initial_sha256")).toString());
        const double first = ranks[0].last.value(QStringLiteral("first_loss")).toDouble();
        const double last = ranks[0].last.value(QStringLiteral("last_loss")).toDouble();
        QVERIFY2(last < first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
        QCOMPARE(ranks[1].last.value(QStringLiteral("last_loss")).toDouble(), last);
        if (!syncBuffers) {
            const QString p0 = ranks[0].last.value(QStringLiteral("parameters_sha256")).toString();
            QCOMPARE(ranks[1].last.value(QStringLiteral("parameters_sha256")).toString(), p0);
        }
    }

    void aCrashedRankFailsTheOthersPromptly()
    {
        // Rank 1 dies after two steps, while rank 0 waits in the gradient
        // all-reduce: rank 0 must report it (naming the master), not hang.
        const auto ranks = runWorkers(
            2, {{QStringLiteral("--steps"), QStringLiteral("50")},
                 {QStringLiteral("--steps"), QStringLiteral("50"),
                                                            QStringLiteral("--die-after"),
                                                                           QStringLiteral("2")}},
                  60000);
        QCOMPARE(ranks[1].exitCode, 3);
        QCOMPARE(ranks[0].exitCode, 2);
        QVERIFY2(ranks[0].err.contains(QStringLiteral("master 127.0.0.1:")),
                                       qPrintable(ranks[0].err));
        QVERIFY2(ranks[0].err.contains(QStringLiteral("rank 0 of 2")), qPrintable(ranks[0].err));
        QVERIFY2(ranks[0].ms < 30000, qPrintable(QStringLiteral("took %1 ms").arg(ranks[0].ms)));
    }

    void gradientAveragingMovesAResNetSizedGradient()
    {
        // ResNet-18's 11.7M parameters: every rank ends with the mean (1 + 2) / 2.
        const QStringList bench{QStringLiteral("--bench-floats"),
            QStringLiteral("11700000"), QStringLiteral("--bench-iterations"), QStringLiteral("3")};
        const auto ranks = runWorkers(2, {bench, bench});
        for (const auto &r : ranks) {
            QVERIFY2(!r.crashed && r.exitCode == 0, qPrintable(r.err));
            QCOMPARE(r.last.value(QStringLiteral("mean")).toDouble(), 1.5);
        }
        qInfo("averageGradients, 11.7M floats, 2 processes: %.1f ms (%.0f MB/s)",
              ranks[0].last.value(QStringLiteral("ms_per_average")).toDouble(),
                                  ranks[0].last.value(QStringLiteral("mbytes_per_s")).toDouble());
    }
};

QTEST_GUILESS_MAIN(TestDistributedProcesses)
#include "tst_distributed_processes.moc"
