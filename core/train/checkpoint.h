// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch): a run's training state as one
// opaque blob (a torch::serialize archive in memory) for RunStore checkpoints.
#pragma once

#include "core/train/models.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <QVector>

namespace salient::train {

/// Where training stands, besides the weights and the optimiser.
struct TrainState {
    int epoch = 1;              ///< 1-based epoch the position refers to
    qint64 batchInEpoch = 0;    ///< batches of `epoch` done
    qint64 step = 0;            ///< optimiser steps done in all
    bool epochComplete = false; ///< `epoch` was validated and recorded: resume at epoch + 1
    int bestEpoch = -1;
    double bestValue = 0;
    int epochsSinceBest = 0;
    // Running sums of the unfinished epoch, so a resumed epoch reports the same numbers.
    double lossSum = 0;
    double seen = 0;
    double correct = 0;
    double accuracySeen = 0;
    QVector<double> thresholds; ///< multi-label decision thresholds tuned on validation
    torch::Tensor rngState;     ///< the default CPU generator's state
};

/// Model weights (with BatchNorm statistics), optimiser state (when given) and
/// `state`, serialised. Errors are LibTorch's message.
Result<QByteArray> saveCheckpoint(torch::nn::Module &model, torch::optim::Optimizer *optimizer,
                                  const TrainState &state);

/// Reads a blob written by saveCheckpoint() into `model` (same architecture
/// and classes), the optimiser (when given; same parameter groups) and
/// `state` (when given). `where` names the run for messages.
Status loadCheckpoint(const QByteArray &blob, torch::nn::Module &model,
                      torch::optim::Optimizer *optimizer, TrainState *state, const QString &where);

/// SHA-256 (hex) over every parameter and buffer, sorted by name: the name's
/// bytes, then the tensor's raw contiguous CPU bytes.
QString weightsDigest(const torch::nn::Module &model);

} // namespace salient::train
