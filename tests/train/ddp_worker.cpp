// SPDX-License-Identifier: GPL-3.0-or-later
// One rank of a data-parallel training, for tst_distributed_processes: the
// small CNN trains a few SGD steps on fixed random data (this rank's shard)
// through the Communicator alone, then prints the SHA-256 of its weights.
// Two of these on 127.0.0.1 must print the same digest. With --bench-floats it
// times averageGradients on one gradient of that many floats instead.
//
// Output: JSON lines on stdout; errors on stderr, exit code 2.
#include "core/train/distributed.h"
#include "core/train/engineinfo.h"
#include "core/train/models.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace salient;
using namespace salient::train;

namespace {

void printLine(const QJsonObject &line)
{
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).append('\n').constData(), stdout);
    std::fflush(stdout);
}

int fail(const QString &message)
{
    std::fputs(qPrintable(message + QLatin1Char('\n')), stderr);
    return 2;
}

QString digest(const torch::nn::Module &model, bool withBuffers = true)
{
    std::vector<std::pair<std::string, torch::Tensor>> entries;
    if (withBuffers) {
        entries = stateDict(model);
    } else {
        for (const auto &p : model.named_parameters())
            entries.emplace_back(p.key(), p.value());
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto &[name, tensor] : entries) {
        const torch::Tensor t = tensor.contiguous();
        hash.addData(QByteArrayView(static_cast<const char *>(t.data_ptr()),
                                    qsizetype(t.numel() * t.element_size())));
    }
    return QString::fromLatin1(hash.result().toHex());
}

int bench(Communicator &comm, int64_t floats, int iterations)
{
    torch::Tensor parameter = torch::zeros({floats}, torch::requires_grad());
    parameter.mutable_grad() = torch::full({floats}, float(comm.rank() + 1));
    if (auto s = comm.averageGradients({parameter}); !s.ok()) // warm-up: connections, buffers
        return fail(s.error().toString());
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < iterations; ++i)
        if (auto s = comm.averageGradients({parameter}); !s.ok())
            return fail(s.error().toString());
    const double seconds = clock.nsecsElapsed() / 1e9 / iterations;
    printLine({{QStringLiteral("event"), QStringLiteral("bench")},
                {QStringLiteral("rank"), comm.rank()},
                 {QStringLiteral("floats"), double(floats)},
                  {QStringLiteral("iterations"), iterations},
                   {QStringLiteral("ms_per_average"), seconds * 1000.0},
                    {QStringLiteral("mbytes_per_s"), floats * 4.0 / seconds / 1e6},
                     {QStringLiteral("mean"), parameter.grad()[0].item<double>()}});
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption rankOption(QStringLiteral("rank"), QStringLiteral("This rank."), QStringLiteral("r"), QStringLiteral("0"));
    const QCommandLineOption worldOption(QStringLiteral("world-size"), QStringLiteral("Ranks."), QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption masterOption(QStringLiteral("master"), QStringLiteral("host:port of rank 0."), QStringLiteral("address"));
    const QCommandLineOption stepsOption(QStringLiteral("steps"), QStringLiteral("SGD steps."), QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption timeoutOption(
        QStringLiteral("timeout"), QStringLiteral("Seconds to wait for the ranks."),
                                                  QStringLiteral("s"), QStringLiteral("30"));
    const QCommandLineOption dieOption(QStringLiteral("die-after"), QStringLiteral("Exit abruptly after this many steps (a crashed peer)."),
                                     QStringLiteral("n"), QStringLiteral("-1"));
    const QCommandLineOption noBufferSyncOption(
        QStringLiteral("no-buffer-sync"),
                       QStringLiteral("Leave BatchNorm statistics per rank (they drift apart)."));
    const QCommandLineOption benchFloatsOption(QStringLiteral("bench-floats"), QStringLiteral("Time averageGradients on this many floats."),
                                        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption benchItersOption(
        QStringLiteral("bench-iterations"),
                       QStringLiteral("Timed calls."), QStringLiteral("n"), QStringLiteral("10"));
    parser.addOptions({rankOption, worldOption, masterOption, stepsOption, timeoutOption, dieOption,
                       benchFloatsOption, benchItersOption, noBufferSyncOption});
    parser.process(app);

    setEngineThreads(1);
    DistributedOptions options;
    options.rank = parser.value(rankOption).toInt();
    options.worldSize = parser.value(worldOption).toInt();
    options.master = parser.value(masterOption);
    options.timeoutSeconds = parser.value(timeoutOption).toInt();
    auto connected = Communicator::connect(options);
    if (!connected.ok())
        return fail(connected.error().toString());
    Communicator &comm = **connected;

    if (const qint64 floats = parser.value(benchFloatsOption).toLongLong(); floats > 0)
        return bench(comm, floats, std::max(1, parser.value(benchItersOption).toInt()));

    // Each rank starts from its own random weights: only broadcast makes them agree.
    torch::manual_seed(100 + options.rank);
    auto model = makeModel("smallcnn", 3);
    std::vector<torch::Tensor> weights;
    for (auto &[name, tensor] : stateDict(*model))
        weights.push_back(tensor);
    if (auto s = comm.broadcast(weights); !s.ok())
        return fail(s.error().toString());
    const QString initial = digest(*model);
    const std::vector<torch::Tensor> buffers = model->buffers();

    // The same 16 samples on every rank; each trains on its interleaved shard.
    torch::manual_seed(7);
    const torch::Tensor images = torch::randn({16, 3, 32, 32});
    const torch::Tensor labels = torch::randint(0, 3, {16}, torch::kLong);
    const auto shard = torch::arange(options.rank, 16, options.worldSize, torch::kLong);
    const torch::Tensor x = images.index_select(0, shard);
    const torch::Tensor y = labels.index_select(0, shard);

    torch::optim::SGD optimiser(model->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
    model->train();
    const int steps = parser.value(stepsOption).toInt();
    const int dieAfter = parser.value(dieOption).toInt();
    const bool syncBuffers = !parser.isSet(noBufferSyncOption);
    double firstLoss = 0, lastLoss = 0;
    for (int step = 1; step <= steps; ++step) {
        optimiser.zero_grad();
        torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), y);
        loss.backward();
        if (step == dieAfter + 1)
            std::_Exit(3); // mid-training, before the collective the peer waits in
        if (auto s = comm.averageGradients(model->parameters()); !s.ok())
            return fail(s.error().toString());
        optimiser.step();
        // BatchNorm running statistics come from each rank's own shard: rank 0's
        // win after every step (what PyTorch's DDP does), or the ranks drift apart.
        if (auto s = comm.broadcast(syncBuffers ? buffers : std::vector<torch::Tensor>{}); !s.ok())
            return fail(s.error().toString());
        std::vector<double> sums{loss.item<double>() * double(x.size(0)), double(x.size(0))};
        if (auto s = comm.allReduceSum(sums); !s.ok())
            return fail(s.error().toString());
        lastLoss = sums[0] / sums[1];
        if (step == 1)
            firstLoss = lastLoss;
        printLine({{QStringLiteral("event"), QStringLiteral("step")},
                    {QStringLiteral("step"), step}, {QStringLiteral("loss"), lastLoss}});
    }
    if (auto s = comm.barrier(); !s.ok())
        return fail(s.error().toString());
    printLine({{QStringLiteral("event"), QStringLiteral("done")},
                {QStringLiteral("rank"), options.rank},
                 {QStringLiteral("first_loss"), firstLoss},
                  {QStringLiteral("last_loss"), lastLoss},
                   {QStringLiteral("initial_sha256"), initial},
                    {QStringLiteral("weights_sha256"), digest(*model)},
                     {QStringLiteral("parameters_sha256"), digest(*model, false)}});
    return 0;
}
