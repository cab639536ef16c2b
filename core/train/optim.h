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

/// Sets each group's rate to baseRates[g] * factor.
void setLearningRates(torch::optim::Optimizer &optimizer, const std::vector<double> &baseRates,
                      double factor);

} // namespace salient::train
