// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch): the training losses.
#pragma once

#include "core/runs/trainconfig.h"

#include <torch/torch.h>

#include <QVector>

namespace salient::train {

/// A loss as configured for one run. Targets are always class probabilities
/// [N, C] (one-hot, multi-hot, smoothed or mixed), so MixUp/CutMix and label
/// smoothing need no special path.
struct LossSpec {
    LossKind kind = LossKind::CrossEntropy;
    bool multiLabel = false;
    double focalGamma = 2.0;
    double labelSmoothing = 0.0; ///< single-label only
    torch::Tensor classWeights;  ///< [C] float or undefined (all ones)
};

/// The class weights a config asks for, from the training images per class
/// (balance.h classWeights); undefined when the config wants none.
torch::Tensor makeClassWeights(ClassWeighting weighting, const QVector<qint64> &trainCounts,
                               double beta);

/// Mean loss over the batch (a scalar with grad).
///
/// Single-label (softmax): per example l_i = -sum_c w_c t'_ic (1 - p_ic)^g log p_ic,
/// with t' = (1 - eps) t + eps / C (label smoothing eps) and g the focal gamma
/// (0 for cross-entropy); the batch loss is sum_i l_i / sum_i sum_c w_c t_ic. With
/// hard labels this is exactly PyTorch's CrossEntropyLoss(weight, label_smoothing).
///
/// Multi-label (sigmoid): l_ic = -[w_c t (1 - p)^g log p + (1 - t) p^g log(1 - p)]
/// (w: per-class positive weights, as BCEWithLogitsLoss's pos_weight), mean over N x C.
torch::Tensor computeLoss(const LossSpec &spec, const torch::Tensor &logits,
                          const torch::Tensor &targets);

/// Knowledge distillation's soft-label term (Hinton et al. 2015):
/// T^2 * KL(softmax(teacher / T) || softmax(student / T)), the KL summed over
/// classes and averaged over the batch. The T^2 keeps its gradient on the
/// scale of the hard-label loss whatever T is. The teacher gets no gradient.
torch::Tensor distillationLoss(const torch::Tensor &studentLogits,
                               const torch::Tensor &teacherLogits, double temperature);

/// Probabilities from logits: softmax rows (single-label) or sigmoids (multi-label).
torch::Tensor probabilities(const torch::Tensor &logits, bool multiLabel);

} // namespace salient::train
