// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to salient_train (includes LibTorch): the class-activation maths
// behind Explainer. Grad-CAM, Grad-CAM++ and LayerCAM on one tapped block of
// a ClassifierNet, and the deletion curve. The model's parameters should not
// require grad: the backward pass then stops at the tapped block, which is
// what keeps a map cheaper than a training step.

#include "core/review/explanation.h"
#include "core/train/models.h"

#include <vector>

namespace salient::train::cam {

/// One image's class-activation map and what the model said about it.
struct CamResult {
    torch::Tensor map;           ///< [h, w] float, min-max normalised to [0, 1] (all zero: nothing activates)
    torch::Tensor probabilities; ///< [numClasses] softmax, or sigmoid for multi-label
    int target = -1;
    int predicted = -1;
};

/// Class probabilities from logits [N, C].
torch::Tensor probabilitiesOf(const torch::Tensor &logits, bool multiLabel);

/// The map of `method` for `input` [1, 3, H, W] at block `blockIndex` of
/// model.blockNames(); target -1: the predicted class. The score is the
/// target's logit (for multi-label: its sigmoid's logit). Runs with grad
/// enabled whatever the thread's mode; the model should be in eval mode.
CamResult computeCam(ClassifierNet &model, const torch::Tensor &input, int blockIndex,
                     review::CamMethod method, int target, bool multiLabel);

/// ReLU, then min-max to [0, 1]; all zero when the maximum is not above 0 or
/// the map is constant.
torch::Tensor normaliseMap(const torch::Tensor &cam);

/// Deletion curve (Petsiuk et al. 2018): the target's probability as the
/// pixels of `input` [1, 3, H, W] are set to 0 (the mean image after
/// normalisation) hottest first by `map` (any size; upsampled bilinearly to
/// H x W), in `steps` equal steps: steps + 1 values from nothing deleted to
/// everything deleted. One batched forward (two beyond 12 images), no grad.
/// Ties in the map keep pixel order (row-major), so a constant map deletes
/// top to bottom.
std::vector<double> deletionCurve(ClassifierNet &model, const torch::Tensor &input,
                                  const torch::Tensor &map, int target, bool multiLabel,
                                  int steps);

/// Area under a curve sampled at equal steps over x in [0, 1] (trapezoid rule).
double curveArea(const std::vector<double> &curve);

} // namespace salient::train::cam
