// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/freeze.h"

namespace salient::train {

namespace {

bool startsWith(const std::string &s, const std::string &prefix)
{
    return s.compare(0, prefix.size(), prefix) == 0;
}

int policyDepth(FreezePolicy policy)
{
    switch (policy) {
    case FreezePolicy::Layer1:
        return 1;
    case FreezePolicy::Layer2:
        return 2;
    case FreezePolicy::Layer3:
        return 3;
    default:
        return 0;
    }
}

/// Output stride after each "features.N" stage: the product of the strides of
/// every convolution up to it (registration order is forward order in these
/// networks; squeeze-excitation convolutions have stride 1).
std::vector<std::pair<std::string, int>> featureStrides(ClassifierNet &model)
{
    std::vector<std::pair<std::string, int>> strides;
    int stride = 1;
    for (const auto &m : model.named_modules("", false)) {
        const auto *conv = dynamic_cast<torch::nn::Conv2dImpl *>(m.value().get());
        if (!conv || !startsWith(m.key(), "features."))
            continue;
        const std::string rest = m.key().substr(9);
        const std::string stage = "features." + rest.substr(0, rest.find('.')) + ".";
        stride *= int(conv->options.stride()->at(0));
        if (strides.empty() || strides.back().first != stage)
            strides.emplace_back(stage, stride);
        else
            strides.back().second = stride;
    }
    return strides;
}

} // namespace

std::vector<std::string> frozenPrefixes(ClassifierNet &model, FreezePolicy policy)
{
    if (policy == FreezePolicy::None)
        return {};
    if (policy == FreezePolicy::Head)
        return {""};
    const int depth = policyDepth(policy);
    const std::string &arch = model.architecture();
    std::vector<std::string> prefixes;
    if (startsWith(arch, "resnet")) {
        prefixes = {"conv1.", "bn1."};
        for (int i = 1; i <= depth; ++i)
            prefixes.push_back("layer" + std::to_string(i) + ".");
        return prefixes;
    }
    if (arch == "smallcnn") {
        for (int i = 0; i < depth; ++i)
            prefixes.push_back("features." + std::to_string(i) + ".");
        return prefixes;
    }
    const int maxStride = 2 << depth; // layer1: 4, layer2: 8, layer3: 16
    for (const auto &stage : featureStrides(model))
        if (stage.second <= maxStride)
            prefixes.push_back(stage.first);
    return prefixes;
}

bool isFrozen(const std::string &name, const FreezeState &state, const std::string &headName)
{
    for (const std::string &p : state.prefixes) {
        if (p.empty())
            return !startsWith(name, headName + ".");
        if (startsWith(name, p))
            return true;
    }
    return false;
}

FreezeState applyFreeze(ClassifierNet &model, FreezePolicy policy)
{
    FreezeState state;
    state.prefixes = frozenPrefixes(model, policy);
    if (state.prefixes.empty())
        return state;
    const std::string head = model.headName();
    for (auto &p : model.named_parameters(true)) {
        if (isFrozen(p.key(), state, head)) {
            p.value().set_requires_grad(false);
            ++state.frozenTensors;
        }
    }
    for (const auto &m : model.named_modules("", false)) {
        if (!dynamic_cast<torch::nn::BatchNorm2dImpl *>(m.value().get()))
            continue;
        if (isFrozen(m.key() + ".", state, head))
            state.frozenNorms.push_back(m.value());
    }
    return state;
}

void setTrainingMode(ClassifierNet &model, const FreezeState &state, bool training)
{
    model.train(training);
    if (training)
        for (const auto &norm : state.frozenNorms)
            norm->eval();
}

} // namespace salient::train
