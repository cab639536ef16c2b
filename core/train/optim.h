// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch): the optimiser with
// discriminative learning rates and the per-batch schedule.
#pragma once

#include "core/runs/trainconfig.h"
#include "core/train/models.h"

#include <memory>
#include <vector>

namespace salient::train {

/// The optimiser over the trainable parameters in up to two groups: the
/// backbone (learningRate * backboneLrFactor) and the head (learningRate).
/// A group with no trainable parameter is left out.
struct OptimizerSetup {
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::vector<double> baseRates;        ///< per group, before the schedule
    std::vector<torch::Tensor> trainable; ///< every parameter the optimiser steps
};
OptimizerSetup makeOptimizer(ClassifierNet &model, const TrainConfig &config);

/// The schedule's factor (0..1] for optimiser step `step` (0-based) of
/// `totalSteps`. Constant and cosine start with a linear warm-up of
/// `warmupSteps`; one-cycle warms up linearly from 1/25 over max(warmupSteps,
/// 30% of the steps), then anneals with a cosine to nearly zero.
double scheduleFactor(ScheduleKind kind, qint64 step, qint64 totalSteps, qint64 warmupSteps);

/// Weights held at exactly 0 through fine-tuning (a pruned run): after every
/// optimiser step each weight is multiplied by its 0/1 mask, so neither the
/// gradient, momentum nor weight decay can bring a pruned weight back.
struct PruneMask {
    std::vector<torch::Tensor> weights; ///< the parameters themselves (shared storage)
    std::vector<torch::Tensor> masks;   ///< same shapes, 1 keeps, 0 prunes
    bool empty() const { return weights.empty(); }
    void apply() const;
};
/// What global magnitude pruning considers: the weight of every convolution
/// and linear layer (biases and BatchNorm stay), by state-dict name.
std::vector<std::pair<std::string, torch::Tensor>> prunableWeights(torch::nn::Module &model);
/// Zeroes exactly round(sparsity * n) of the n prunable weights: the smallest
/// |w| over the whole network (ties by position). Does not apply it.
PruneMask magnitudeMask(torch::nn::Module &model, double sparsity);
/// The mask of an already pruned model: its prunable weights that are not 0
/// (a resumed pruned run keeps the zeros it was given).
PruneMask nonZeroMask(torch::nn::Module &model);
/// Fraction of the prunable weights that are exactly 0 (0 when there are none).
double prunedFraction(torch::nn::Module &model);

/// Sets each group's rate to baseRates[g] * factor.
void setLearningRates(torch::optim::Optimizer &optimizer, const std::vector<double> &baseRates,
                      double factor);

} // namespace salient::train
