// SPDX-License-Identifier: GPL-3.0-or-later
// The c10d/Gloo communicator, in one process: threads play the ranks on
// 127.0.0.1. Rank 0's weights reach every rank, gradients become their mean
// over ranks, metrics add up, and a wrong address or a missing rank fails in
// seconds with a message that names the master.
#include "core/train/distributed.h"
#include "core/train/models.h"

#include <QElapsedTimer>
#include "tests/train/freeport.h"

#include <QTcpServer>
#include <QtTest>

#include <functional>
#include <thread>

using namespace salient;
using namespace salient::train;

namespace {

using salient::test::freePort;

QString localMaster()
{
    return QStringLiteral("127.0.0.1:%1").arg(freePort());
}

/// What one rank's thread saw: an error message, or nothing.
struct RankOutcome {
    QString error;
};

// Runs `body` on one thread per rank, each with its own communicator. QTest
// macros stay on the main thread: the bodies report through their outcome.
std::vector<RankOutcome> runRanks(const std::vector<DistributedOptions> &ranks,
                                  const std::function<QString(Communicator &)> &body)
{
    std::vector<RankOutcome> outcomes(ranks.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < ranks.size(); ++i) {
        threads.emplace_back([&, i] {
            auto comm = Communicator::connect(ranks[i]);
            if (!comm.ok()) {
                outcomes[i].error = comm.error().toString();
                return;
            }
            outcomes[i].error = body(**comm);
        });
    }
    for (auto &t : threads)
        t.join();
    return outcomes;
}

std::vector<DistributedOptions> world(int size, const QString &master, int timeoutSeconds = 20)
{
    std::vector<DistributedOptions> ranks;
    for (int r = 0; r < size; ++r) {
        DistributedOptions o;
        o.worldSize = size;
        o.rank = r;
        o.master = master;
        o.timeoutSeconds = timeoutSeconds;
        ranks.push_back(o);
    }
    return ranks;
}

std::vector<torch::Tensor> weightsOf(const torch::nn::Module &model)
{
    std::vector<torch::Tensor> all;
    for (auto &[name, tensor] : stateDict(model))
        all.push_back(tensor);
    return all;
}

QString failures(const std::vector<RankOutcome> &outcomes)
{
    QStringList lines;
    for (size_t r = 0; r < outcomes.size(); ++r)
        if (!outcomes[r].error.isEmpty())
            lines << QStringLiteral("rank %1: %2").arg(r).arg(outcomes[r].error);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void singleProcessNeedsNoNetwork()
    {
        DistributedOptions options; // world size 1, no master at all
        auto comm = Communicator::connect(options);
        QVERIFY2(comm.ok(), qPrintable(comm.ok() ? QString() : comm.error().toString()));
        QCOMPARE((*comm)->worldSize(), 1);
        torch::Tensor w = torch::ones({3}, torch::requires_grad());
        w.mutable_grad() = torch::full({3}, 2.0);
        QVERIFY((*comm)->averageGradients({w}).ok());
        QVERIFY(torch::equal(w.grad(), torch::full({3}, 2.0)));
        std::vector<double> values{1.5, 2.5};
        QVERIFY((*comm)->allReduceSum(values).ok());
        QCOMPARE(values, (std::vector<double>{1.5, 2.5}));
        QVERIFY((*comm)->barrier().ok());
    }

    void broadcastGivesEveryRankRankZerosWeights()
    {
        // Different seeds: the ranks start from different random weights, as
        // separate processes would, and a BatchNorm step counter differs too.
        torch::manual_seed(1);
        auto rank0 = makeModel("smallcnn", 3);
        torch::manual_seed(2);
        auto rank1 = makeModel("smallcnn", 3);
        std::vector<torch::Tensor> w0 = weightsOf(*rank0);
        std::vector<torch::Tensor> w1 = weightsOf(*rank1);
        std::vector<torch::Tensor> before0;
        for (auto &t : w0)
            before0.push_back(t.clone());
        bool sawInteger = false;
        for (size_t i = 0; i < w0.size(); ++i)
            if (w0[i].scalar_type() == torch::kLong) {
                torch::NoGradGuard g;
                w0[i].fill_(7);
                sawInteger = true;
            }
        QVERIFY2(sawInteger, "smallcnn should carry a BatchNorm num_batches_tracked buffer");
        QVERIFY(!torch::equal(w0.front(), w1.front()));

        auto outcomes = runRanks(world(2, localMaster()), [&](Communicator &comm) {
            auto s = comm.broadcast(comm.rank() == 0 ? w0 : w1);
            return s.ok() ? QString() : s.error().toString();
        });
        QVERIFY2(failures(outcomes).isEmpty(), qPrintable(failures(outcomes)));
        for (size_t i = 0; i < w0.size(); ++i) {
            QVERIFY2(torch::equal(w1[i], w0[i]), qPrintable(QStringLiteral("tensor %1").arg(i)));
            if (w0[i].scalar_type() != torch::kLong)
                QVERIFY(torch::equal(w0[i], before0[i])); // the root keeps its own
        }
        // The model's own parameters changed in place, not copies of them.
        QVERIFY(torch::equal(rank1->parameters().front(), rank0->parameters().front()));
    }

    void averageGradientsGivesTheMeanOverRanks()
    {
        // Per rank: a small float parameter, one big enough to need a second
        // bucket (> 25 MB), a double one (its own bucket), one whose gradient
        // only rank 0 has, one without gradient anywhere, and a frozen one.
        constexpr int kRanks = 3;
        const int64_t big = 7'000'000;
        struct Params {
            torch::Tensor small, large, wide, onlyRank0, none, frozen;
            std::vector<torch::Tensor> all() const
            {
                return {small, large, wide, onlyRank0, none, frozen};
            }
        };
        std::vector<Params> ranks(kRanks);
        for (int r = 0; r < kRanks; ++r) {
            Params &p = ranks[r];
            p.small = torch::zeros({4, 5}, torch::requires_grad());
            p.small.mutable_grad() = torch::arange(20, torch::kFloat).view({4, 5}) * (r + 1);
            p.large = torch::zeros({big}, torch::requires_grad());
            p.large.mutable_grad() = torch::full({big}, float(r));
            p.wide = torch::zeros({3}, torch::dtype(torch::kDouble).requires_grad(true));
            p.wide.mutable_grad() = torch::full({3}, 0.1 * (r + 1), torch::kDouble);
            p.onlyRank0 = torch::zeros({2}, torch::requires_grad());
            if (r == 0)
                p.onlyRank0.mutable_grad() = torch::full({2}, 6.0);
            p.none = torch::zeros({2}, torch::requires_grad());
            p.frozen = torch::zeros({2});
        }
        auto outcomes = runRanks(world(kRanks, localMaster()), [&](Communicator &comm) {
            auto s = comm.averageGradients(ranks[comm.rank()].all());
            return s.ok() ? QString() : s.error().toString();
        });
        QVERIFY2(failures(outcomes).isEmpty(), qPrintable(failures(outcomes)));

        const torch::Tensor smallMean =
            torch::arange(20, torch::kFloat).view({4, 5}) * 2.0; // (1+2+3)/3
        for (int r = 0; r < kRanks; ++r) {
            const Params &p = ranks[r];
            QVERIFY(torch::allclose(p.small.grad(), smallMean));
            QVERIFY(torch::allclose(p.large.grad(), torch::full({big}, 1.0f))); // (0+1+2)/3
            QCOMPARE(p.wide.grad().scalar_type(), torch::kDouble);
            QVERIFY(torch::allclose(p.wide.grad(), torch::full({3}, 0.2, torch::kDouble)));
            QVERIFY2(p.onlyRank0.grad().defined(), "a gradient one rank had reaches every rank");
            QVERIFY(torch::allclose(p.onlyRank0.grad(), torch::full({2}, 2.0f)));
            QVERIFY2(!p.none.grad().defined(), "no rank had one: the optimiser must still skip it");
            QVERIFY(!p.frozen.grad().defined());
            // Every rank steps with bit-identical gradients.
            QVERIFY(torch::equal(p.small.grad(), ranks[0].small.grad()));
        }
    }

    void channelsLastTensorsAverageAndBroadcastByValue()
    {
        // The engine trains convolutions in channels last: a gradient's memory
        // order is NHWC, its logical (NCHW) values are what must average, and
        // the gradient keeps the layout the optimiser's state was born in.
        constexpr int kRanks = 2;
        const auto cl = at::MemoryFormat::ChannelsLast;
        std::vector<torch::Tensor> weights(kRanks);
        torch::Tensor expected = torch::zeros({8, 3, 3, 3});
        for (int r = 0; r < kRanks; ++r) {
            torch::manual_seed(10 + r);
            weights[r] = torch::randn({8, 3, 3, 3}).contiguous(cl).set_requires_grad(true);
            const torch::Tensor grad = torch::randn({8, 3, 3, 3});
            expected += grad / kRanks;
            weights[r].mutable_grad() = grad.contiguous(cl);
        }
        const torch::Tensor root = weights[0].detach().clone();
        QVERIFY(!root.is_contiguous() && root.is_contiguous(cl));
        auto outcomes = runRanks(world(kRanks, localMaster()), [&](Communicator &comm) {
            auto s = comm.averageGradients({weights[comm.rank()]});
            if (s.ok())
                s = comm.broadcast({weights[comm.rank()]});
            return s.ok() ? QString() : s.error().toString();
        });
        QVERIFY2(failures(outcomes).isEmpty(), qPrintable(failures(outcomes)));
        for (int r = 0; r < kRanks; ++r) {
            QVERIFY(torch::allclose(weights[r].grad(), expected, 1e-6, 1e-6));
            QVERIFY(weights[r].grad().is_contiguous(cl));
            QVERIFY(torch::equal(weights[r].grad(), weights[0].grad()));
            QVERIFY(torch::equal(weights[r].detach(), root)); // rank 0's values, element by element
            QVERIFY(weights[r].is_contiguous(cl));
        }
    }

    void allReduceSumAddsMetricsOverRanks()
    {
        std::vector<std::vector<double>> values = {{1.0, 10.0, 0.25}, {2.0, 20.0, 0.5}};
        auto outcomes = runRanks(world(2, localMaster()), [&](Communicator &comm) {
            auto s = comm.allReduceSum(values[comm.rank()]);
            if (s.ok())
                s = comm.barrier();
            return s.ok() ? QString() : s.error().toString();
        });
        QVERIFY2(failures(outcomes).isEmpty(), qPrintable(failures(outcomes)));
        for (const auto &v : values)
            QCOMPARE(v, (std::vector<double>{3.0, 30.0, 0.75}));
    }

    void badSetupFailsAtOnceWithAClearMessage_data()
    {
        QTest::addColumn<QString>("master");
        QTest::addColumn<int>("worldSize");
        QTest::addColumn<int>("rank");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no port") << "127.0.0.1" << 2 << 0 << "no port";
        QTest::newRow("port is not a number") << "127.0.0.1:http" << 2 << 1 << "port must be";
        QTest::newRow("port out of range") << "127.0.0.1:70000" << 2 << 0 << "port must be";
        QTest::newRow("port zero") << "localhost:0" << 2 << 1 << "port must be";
        QTest::newRow("no host") << ":29500" << 2 << 0 << "no host";
        QTest::newRow("empty address") << "" << 2 << 0 << "no port";
        QTest::newRow("IPv6 without brackets") << "::1:29500" << 2 << 0 << "brackets";
        QTest::newRow("rank beyond world size")
            << "127.0.0.1:29500" << 2 << 2 << "rank 2 with world size 2";
        QTest::newRow("negative rank") << "127.0.0.1:29500" << 2 << -1 << "rank -1";
        QTest::newRow("world size zero") << "127.0.0.1:29500" << 0 << 0 << "world size 0";
    }

    void badSetupFailsAtOnceWithAClearMessage()
    {
        QFETCH(QString, master);
        QFETCH(int, worldSize);
        QFETCH(int, rank);
        QFETCH(QString, expected);
        DistributedOptions o;
        o.master = master;
        o.worldSize = worldSize;
        o.rank = rank;
        o.timeoutSeconds = 30;
        QElapsedTimer clock;
        clock.start();
        auto comm = Communicator::connect(o);
        QVERIFY(!comm.ok());
        QVERIFY2(clock.elapsed() < 1000, "a malformed setup must not wait for the network");
        const QString message = comm.error().message;
        QVERIFY2(message.contains(expected), qPrintable(message));
        if (worldSize == 2 && rank >= 0 && rank < 2) // an address error quotes the address
            QVERIFY2(message.contains(QLatin1Char('"') + master + QLatin1Char('"')),
                     qPrintable(message));
    }

    void rankZeroRefusesAMasterAddressNotItsOwn()
    {
        // 192.0.2.1 is TEST-NET-1: never an address of this machine.
        DistributedOptions o = world(2, QStringLiteral("192.0.2.1:29500"))[0];
        QElapsedTimer clock;
        clock.start();
        auto comm = Communicator::connect(o);
        QVERIFY(!comm.ok());
        QVERIFY(clock.elapsed() < 2000);
        const QString message = comm.error().toString();
        QVERIFY2(message.contains(QStringLiteral("192.0.2.1 is not an address of this machine")),
                                  qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("master 192.0.2.1:29500")), qPrintable(message));
    }

    void missingRankTimesOutNamingTheMaster_data()
    {
        QTest::addColumn<int>("rank");
        QTest::addColumn<QString>("expected");
        QTest::newRow("master waits for a worker that never comes")
            << 0 << "only 1 of 2 ranks joined within 2 s";
        QTest::newRow("worker finds no master") << 1 << "cannot reach the master within 2 s";
    }

    void missingRankTimesOutNamingTheMaster()
    {
        QFETCH(int, rank);
        QFETCH(QString, expected);
        const QString master = localMaster();
        DistributedOptions o = world(2, master, 2)[rank];
        QElapsedTimer clock;
        clock.start();
        auto comm = Communicator::connect(o);
        const qint64 ms = clock.elapsed();
        QVERIFY(!comm.ok());
        const QString message = comm.error().toString();
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY2(message.contains(master), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("rank %1 of 2").arg(rank)), qPrintable(message));
        QVERIFY2(ms >= 1500 && ms < 10000,
                 qPrintable(QStringLiteral("gave up after %1 ms").arg(ms)));
    }

    void misconfiguredRanksAreRefused_data()
    {
        QTest::addColumn<QVector<int>>("worldSizes");
        QTest::addColumn<QVector<int>>("ranks");
        QTest::addColumn<QString>("expected");
        QTest::newRow("world sizes disagree") << QVector<int>{2, 3} << QVector<int>{0, 1}
                                              << "world size 3 here, but 2 at another rank";
        QTest::newRow("two processes claim rank 1")
            << QVector<int>{3, 3, 3} << QVector<int>{0, 1, 1} << "rank 1 is already taken";
    }

    void misconfiguredRanksAreRefused()
    {
        QFETCH(QVector<int>, worldSizes);
        QFETCH(QVector<int>, ranks);
        QFETCH(QString, expected);
        const QString master = localMaster();
        std::vector<DistributedOptions> options;
        for (int i = 0; i < ranks.size(); ++i) {
            DistributedOptions o;
            o.worldSize = worldSizes[i];
            o.rank = ranks[i];
            o.master = master;
            o.timeoutSeconds = 3;
            options.push_back(o);
        }
        // Start the master first so the check that trips is the one under test.
        std::vector<RankOutcome> outcomes(options.size());
        std::vector<std::thread> threads;
        for (size_t i = 0; i < options.size(); ++i) {
            threads.emplace_back([&, i] {
                if (i > 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(200 * int(i)));
                auto comm = Communicator::connect(options[i]);
                if (!comm.ok())
                    outcomes[i].error = comm.error().toString();
            });
        }
        for (auto &t : threads)
            t.join();
        QStringList errors;
        for (const auto &o : outcomes)
            errors << o.error;
        QVERIFY2(errors.filter(expected).size() == 1, qPrintable(errors.join(QLatin1Char('\n'))));
        QVERIFY2(errors.filter(expected).front().contains(master), qPrintable(errors.join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
