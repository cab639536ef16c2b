// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/optim.h"

#include <algorithm>
#include <cmath>

namespace salient::train {

namespace {

std::unique_ptr<torch::optim::OptimizerOptions> groupOptions(const TrainConfig &config, double lr)
{
    if (config.optimizer == OptimizerKind::AdamW)
        return std::make_unique<torch::optim::AdamWOptions>(
            torch::optim::AdamWOptions(lr)
                .betas(std::make_tuple(config.momentum, 0.999))
                .weight_decay(config.weightDecay));
    return std::make_unique<torch::optim::SGDOptions>(
        torch::optim::SGDOptions(lr).momentum(config.momentum).weight_decay(config.weightDecay));
}

} // namespace

OptimizerSetup makeOptimizer(ClassifierNet &model, const TrainConfig &config)
{
    const std::string head = model.headName() + ".";
    std::vector<torch::Tensor> backbone, headParams;
    for (const auto &p : model.named_parameters(true)) {
        if (!p.value().requires_grad())
            continue;
        (p.key().compare(0, head.size(), head) == 0 ? headParams : backbone).push_back(p.value());
    }
    OptimizerSetup setup;
    std::vector<torch::optim::OptimizerParamGroup> groups;
    // Discriminative rates protect pretrained features; a backbone trained
    // from scratch has none to protect and would only learn ten times slower.
    const double backboneLr =
        config.learningRate * (config.weightsFile.isEmpty() ? 1.0 : config.backboneLrFactor);
    if (!backbone.empty()) {
        groups.emplace_back(backbone, groupOptions(config, backboneLr));
        setup.baseRates.push_back(backboneLr);
    }
    if (!headParams.empty()) {
        groups.emplace_back(headParams, groupOptions(config, config.learningRate));
        setup.baseRates.push_back(config.learningRate);
    }
    setup.trainable = backbone;
    setup.trainable.insert(setup.trainable.end(), headParams.begin(), headParams.end());
    if (config.optimizer == OptimizerKind::AdamW)
        setup.optimizer = std::make_unique<torch::optim::AdamW>(
            groups, torch::optim::AdamWOptions(config.learningRate));
    else
        setup.optimizer = std::make_unique<torch::optim::SGD>(
            groups, torch::optim::SGDOptions(config.learningRate));
    return setup;
}

double scheduleFactor(ScheduleKind kind, qint64 step, qint64 totalSteps, qint64 warmupSteps)
{
    constexpr double kPi = 3.14159265358979323846;
    totalSteps = std::max<qint64>(1, totalSteps);
    if (kind == ScheduleKind::OneCycle) {
        const qint64 warm = std::max<qint64>(
            1, std::max<qint64>(warmupSteps, qint64(std::llround(0.3 * double(totalSteps)))));
        constexpr double kStart = 1.0 / 25.0;
        if (step < warm)
            return kStart + (1.0 - kStart) * double(step) / double(warm);
        const double t = double(step - warm) / double(std::max<qint64>(1, totalSteps - warm));
        return 1e-4 + (1.0 - 1e-4) * 0.5 * (1.0 + std::cos(kPi * std::min(1.0, t)));
    }
    if (warmupSteps > 0 && step < warmupSteps)
        return double(step + 1) / double(warmupSteps + 1);
    if (kind == ScheduleKind::Constant)
        return 1.0;
    const double t =
        double(step - warmupSteps) / double(std::max<qint64>(1, totalSteps - warmupSteps));
    return 0.5 * (1.0 + std::cos(kPi * std::clamp(t, 0.0, 1.0)));
}

void PruneMask::apply() const
{
    torch::NoGradGuard noGrad;
    for (size_t i = 0; i < weights.size(); ++i)
        weights[i].mul_(masks[i]);
}

std::vector<std::pair<std::string, torch::Tensor>> prunableWeights(torch::nn::Module &model)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto &m : model.named_modules()) {
        torch::nn::Module &module = *m.value();
        if (auto *conv = module.as<torch::nn::Conv2dImpl>())
            out.emplace_back(m.key() + ".weight", conv->weight);
        else if (auto *linear = module.as<torch::nn::LinearImpl>())
            out.emplace_back(m.key() + ".weight", linear->weight);
    }
    return out;
}

PruneMask magnitudeMask(torch::nn::Module &model, double sparsity)
{
    torch::NoGradGuard noGrad;
    PruneMask mask;
    std::vector<torch::Tensor> magnitudes;
    for (auto &w : prunableWeights(model)) {
        mask.weights.push_back(w.second);
        magnitudes.push_back(w.second.detach().abs().reshape(-1)); // logical order, any layout
    }
    if (magnitudes.empty())
        return mask;
    const torch::Tensor all = torch::cat(magnitudes);
    const int64_t n = all.numel();
    const int64_t k = std::clamp<int64_t>(std::llround(sparsity * double(n)), 0, n);
    torch::Tensor keep = torch::ones({n}, all.options());
    if (k > 0) {
        // A stable sort makes the choice among equal magnitudes deterministic.
        const torch::Tensor order = std::get<1>(all.sort(/*stable=*/true, 0, false));
        keep.index_fill_(0, order.slice(0, 0, k), 0.0);
    }
    int64_t offset = 0;
    for (const torch::Tensor &w : mask.weights) {
        mask.masks.push_back(keep.slice(0, offset, offset + w.numel()).view(w.sizes()).clone());
        offset += w.numel();
    }
    return mask;
}

PruneMask nonZeroMask(torch::nn::Module &model)
{
    torch::NoGradGuard noGrad;
    PruneMask mask;
    for (auto &w : prunableWeights(model)) {
        mask.weights.push_back(w.second);
        mask.masks.push_back((w.second.detach() != 0).to(w.second.scalar_type()));
    }
    return mask;
}

double prunedFraction(torch::nn::Module &model)
{
    torch::NoGradGuard noGrad;
    double zeros = 0, total = 0;
    for (auto &w : prunableWeights(model)) {
        zeros += double((w.second == 0).sum().item<int64_t>());
        total += double(w.second.numel());
    }
    return total > 0 ? zeros / total : 0;
}

void setLearningRates(torch::optim::Optimizer &optimizer, const std::vector<double> &baseRates,
                      double factor)
{
    auto &groups = optimizer.param_groups();
    for (size_t g = 0; g < groups.size() && g < baseRates.size(); ++g)
        groups[g].options().set_lr(baseRates[g] * factor);
}

} // namespace salient::train
