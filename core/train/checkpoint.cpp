// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/checkpoint.h"

#include "core/train/layout.h"

#include <QCryptographicHash>

#include <map>
#include <sstream>

namespace salient::train {

namespace {

torch::Tensor scalar64(double v)
{
    return torch::tensor({v}, torch::kFloat64);
}

double readScalar(torch::serialize::InputArchive &archive, const char *key)
{
    torch::Tensor t;
    archive.read(key, t);
    return t.item<double>();
}

/// Module::save() with every tensor as NCHW contiguous bytes, whatever layout
/// the engine trains in: same archive structure, so blobs from before the
/// channels-last engine and after it read alike.
void saveContiguous(const torch::nn::Module &module, torch::serialize::OutputArchive &archive)
{
    auto plain = [](const torch::Tensor &t) {
        if (t.is_contiguous())
            return t;
        torch::Tensor c = t.detach().contiguous();
        c.set_requires_grad(t.requires_grad());
        return c;
    };
    for (const auto &p : module.named_parameters(false))
        archive.write(p.key(), plain(p.value()));
    for (const auto &b : module.named_buffers(false))
        archive.write(b.key(), plain(b.value()), /*is_buffer=*/true);
    for (const auto &child : module.named_children()) {
        if (!child.value()->is_serializable())
            continue;
        torch::serialize::OutputArchive childArchive(archive.compilation_unit());
        saveContiguous(*child.value(), childArchive);
        archive.write(child.key(), childArchive);
    }
}

} // namespace

Result<QByteArray> saveCheckpoint(torch::nn::Module &model, torch::optim::Optimizer *optimizer,
                                  const TrainState &state)
{
    try {
        torch::serialize::OutputArchive archive;
        torch::serialize::OutputArchive modelArchive;
        saveContiguous(model, modelArchive);
        archive.write("model", modelArchive);
        if (optimizer) {
            torch::serialize::OutputArchive optimArchive;
            optimizerStateToContiguous(*optimizer);
            optimizer->save(optimArchive);
            optimizerStateToParameterLayout(*optimizer);
            archive.write("optimizer", optimArchive);
        }
        archive.write("epoch", scalar64(state.epoch));
        archive.write("batch_in_epoch", scalar64(double(state.batchInEpoch)));
        archive.write("step", scalar64(double(state.step)));
        archive.write("epoch_complete", scalar64(state.epochComplete ? 1 : 0));
        archive.write("best_epoch", scalar64(state.bestEpoch));
        archive.write("best_value", scalar64(state.bestValue));
        archive.write("epochs_since_best", scalar64(state.epochsSinceBest));
        archive.write("sums",
                      torch::tensor({state.lossSum, state.seen, state.correct, state.accuracySeen},
                                    torch::kFloat64));
        std::vector<double> th(state.thresholds.begin(), state.thresholds.end());
        archive.write("thresholds", torch::tensor(th, torch::kFloat64));
        if (state.rngState.defined())
            archive.write("rng", state.rngState);
        std::ostringstream out;
        archive.save_to(out);
        const std::string bytes = out.str();
        return QByteArray(bytes.data(), int(bytes.size()));
    } catch (const std::exception &e) {
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot write the checkpoint: %1").arg(
                             QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

Status loadCheckpoint(const QByteArray &blob, torch::nn::Module &model,
                      torch::optim::Optimizer *optimizer, TrainState *state, const QString &where)
{
    try {
        std::istringstream in(std::string(blob.constData(), size_t(blob.size())));
        torch::serialize::InputArchive archive;
        archive.load_from(in);
        torch::serialize::InputArchive modelArchive;
        archive.read("model", modelArchive);
        {
            // Module::load() replaces tensor storage in place and restores
            // requires_grad as saved; the optimiser keeps the same tensors.
            // It also takes the stored (NCHW) layout: the model keeps its own.
            const bool channelsLast = isChannelsLast(model);
            torch::NoGradGuard noGrad;
            model.load(modelArchive);
            if (channelsLast)
                toChannelsLast(model);
        }
        if (optimizer) {
            torch::serialize::InputArchive optimArchive;
            archive.read("optimizer", optimArchive);
            optimizer->load(optimArchive);
            optimizerStateToParameterLayout(*optimizer);
        }
        if (state) {
            state->epoch = int(readScalar(archive, "epoch"));
            state->batchInEpoch = qint64(readScalar(archive, "batch_in_epoch"));
            state->step = qint64(readScalar(archive, "step"));
            state->epochComplete = readScalar(archive, "epoch_complete") != 0;
            state->bestEpoch = int(readScalar(archive, "best_epoch"));
            state->bestValue = readScalar(archive, "best_value");
            state->epochsSinceBest = int(readScalar(archive, "epochs_since_best"));
            torch::Tensor sums;
            archive.read("sums", sums);
            state->lossSum = sums[0].item<double>();
            state->seen = sums[1].item<double>();
            state->correct = sums[2].item<double>();
            state->accuracySeen = sums[3].item<double>();
            torch::Tensor th;
            archive.read("thresholds", th);
            state->thresholds.clear();
            for (int64_t i = 0; i < th.numel(); ++i)
                state->thresholds << th[i].item<double>();
            torch::Tensor rng;
            if (archive.try_read("rng", rng))
                state->rngState = rng;
        }
        return {};
    } catch (const std::exception &e) {
        return makeError(Error::Code::Parse,
                         QStringLiteral("the checkpoint of %1 cannot be read: %2") .arg(
                             where, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

QString weightsDigest(const torch::nn::Module &model)
{
    std::map<std::string, torch::Tensor> sorted;
    for (const auto &p : model.named_parameters(true))
        sorted[p.key()] = p.value();
    for (const auto &b : model.named_buffers(true))
        sorted[b.key()] = b.value();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto &entry : sorted) {
        hash.addData(QByteArray::fromStdString(entry.first));
        const torch::Tensor t = entry.second.detach().to(torch::kCPU).contiguous();
        hash.addData(QByteArrayView(static_cast<const char *>(t.data_ptr()),
                                    qsizetype(t.numel() * t.element_size())));
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace salient::train
