// SPDX-License-Identifier: GPL-3.0-or-later
// One training step and what happens between steps: pause, cancel (agreed by
// every rank of a data-parallel run), and the BatchNorm statistics of rank 0.
#include "core/train/layout.h"
#include "core/train/trainer_session.h"

#include <QThread>

#include <cmath>

namespace salient::train::detail {

namespace {

/// BatchNorm statistics see only this rank's shard: after every step take rank
/// 0's (as DistributedDataParallel's broadcast_buffers does), so every rank
/// validates, checkpoints and stops (maxSteps, cancel) with the same weights.
Status syncBuffers(Session &s)
{
    if (s.comm->worldSize() <= 1)
        return {};
    std::vector<torch::Tensor> buffers;
    for (const auto &b : s.model->named_buffers(true))
        buffers.push_back(b.value());
    return s.comm->broadcast(buffers);
}

} // namespace

void waitWhilePaused(Session &s)
{
    if (s.controlState() != Control::Pause)
        return;
    if (s.writer)
        (void)s.runs->setState(s.runId, RunState::Paused);
    s.report(TrainProgress::Phase::Paused, true);
    while (s.controlState() == Control::Pause)
        QThread::msleep(20);
    if (s.writer && s.controlState() == Control::Run)
        (void)s.runs->setState(s.runId, RunState::Running);
}

Result<bool> cancelAgreed(Session &s)
{
    const bool here = s.controlState() == Control::Cancel;
    if (s.comm->worldSize() <= 1)
        return here;
    // Every rank asks at the same points (before each batch, each validation
    // batch), so one sum per question keeps them in step: a rank that stopped
    // alone would leave the others waiting in the next gradient all-reduce.
    std::vector<double> votes{here ? 1.0 : 0.0};
    SALIENT_TRY(s.comm->allReduceSum(votes));
    return votes[0] > 0;
}

Status cancelRun(Session &s, TrainOutcome &outcome)
{
    const QString where =
        QStringLiteral("cancelled at epoch %1, batch %2").arg(s.state.epoch).arg(s.state.batchInEpoch);
    s.announce(TrainProgress::Phase::Saving, QStringLiteral("saving the checkpoint"));
    if (s.writer) {
        auto blob = snapshot(s);
        if (!blob.ok())
            return blob.error();
        Checkpoint last{s.state.epoch, s.state.step, s.state.batchInEpoch, blob.value()};
        SALIENT_TRY(s.runs->saveLastCheckpoint(s.runId, last));
        SALIENT_TRY(s.runs->setState(s.runId, RunState::Cancelled, where));
    }
    outcome.state = RunState::Cancelled;
    outcome.message = where;
    return {};
}

Status trainBatch(Session &s, Batch &b)
{
    const int64_t classes = s.numClasses();
    // The loader's NCHW buffer, copied into the layout the model computes in.
    torch::Tensor x = inputLayout(torch::from_blob(b.pixels.data(), {b.size, 3, b.height, b.width}),
                                  *s.model);
    torch::Tensor t = torch::from_blob(b.targets.data(), {b.size, classes});
    const double factor = scheduleFactor(
        s.config.schedule, s.state.step, s.progress.totalSteps,
        qint64(std::llround(s.config.warmupEpochs * double(s.progress.batchesPerEpoch))));
    setLearningRates(*s.optim.optimizer, s.optim.baseRates, factor);
    s.progress.learningRate = s.config.learningRate * factor;

    s.optim.optimizer->zero_grad();
    torch::Tensor logits = s.model->forward(x);
    torch::Tensor loss = computeLoss(s.loss, logits, t);
    if (s.teacher) {
        torch::Tensor soft;
        {
            torch::NoGradGuard noGrad;
            soft = s.teacher->forward(inputLayout(x, *s.teacher));
        }
        const double alpha = s.config.distillAlpha;
        loss = alpha * distillationLoss(logits, soft, s.config.distillTemperature)
            + (1 - alpha) * loss;
    }
    loss.backward();
    SALIENT_TRY(s.comm->averageGradients(s.optim.trainable));
    if (s.config.gradClipNorm > 0)
        torch::nn::utils::clip_grad_norm_(s.optim.trainable, s.config.gradClipNorm);
    s.optim.optimizer->step();
    s.pruneMask.apply(); // pruned weights stay exactly 0 whatever the update did
    SALIENT_TRY(syncBuffers(s));
    ++s.state.step;

    const double value = loss.item<double>();
    if (!std::isfinite(value))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("the loss became %1 at step %2; lower the learning rate")
                             .arg(value)
                             .arg(s.state.step));
    s.state.lossSum += value * b.size;
    s.state.seen += b.size;
    if (!b.mixed) {
        torch::NoGradGuard noGrad;
        if (s.config.multiLabel) {
            torch::Tensor exact = ((logits > 0) == (t > 0.5)).all(1);
            s.state.correct += exact.sum().item<double>();
        } else {
            torch::Tensor truth =
                torch::from_blob(b.labels.data(), {b.size}, torch::kInt32).to(torch::kLong);
            s.state.correct += (logits.argmax(1) == truth).sum().item<double>();
        }
        s.state.accuracySeen += b.size;
    }
    return {};
}

} // namespace salient::train::detail
