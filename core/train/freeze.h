// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch): which parts of a backbone a
// freeze policy holds fixed, and keeping their BatchNorm layers in eval mode.
#pragma once

#include "core/runs/trainconfig.h"
#include "core/train/models.h"

#include <string>
#include <vector>

namespace salient::train {

/// State-dict prefixes ("conv1.", "layer2.", "features.3.") that `policy`
/// freezes in `model`. ResNet: stem + layer1..N. MobileNetV3 / EfficientNet:
/// the "features.N" stages whose output stride is at most 4 / 8 / 16 (measured
/// on a probe image). Small CNN: its first N blocks. Head: everything but the
/// head (returned as the single prefix ""). None: empty.
std::vector<std::string> frozenPrefixes(ClassifierNet &model, FreezePolicy policy);

/// What applyFreeze() did, for setTrainingMode() and the optimiser.
struct FreezeState {
    std::vector<std::string> prefixes;
    std::vector<std::shared_ptr<torch::nn::Module>>
        frozenNorms; ///< BatchNorm modules to keep in eval()
    int frozenTensors = 0;
};

/// Sets requires_grad(false) on every frozen parameter and collects the frozen
/// BatchNorm modules.
FreezeState applyFreeze(ClassifierNet &model, FreezePolicy policy);

/// model.train(training), then frozen BatchNorm layers back to eval() so their
/// running statistics stay as loaded. Call instead of model.train().
void setTrainingMode(ClassifierNet &model, const FreezeState &state, bool training);

/// True when `name` lies under one of the prefixes (and is not the head when
/// the prefix is "", the Head policy).
bool isFrozen(const std::string &name, const FreezeState &state, const std::string &headName);

} // namespace salient::train
