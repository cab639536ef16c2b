// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/losses.h"

#include "core/project/balance.h"

namespace salient::train {

torch::Tensor makeClassWeights(ClassWeighting weighting, const QVector<qint64> &trainCounts,
                               double beta)
{
    if (weighting == ClassWeighting::None || trainCounts.isEmpty())
        return {};
    const ClassWeights w = classWeights(trainCounts, beta);
    const QVector<double> &v =
        weighting == ClassWeighting::InverseFrequency ? w.inverseFrequency : w.effectiveNumber;
    std::vector<float> values(v.begin(), v.end());
    return torch::tensor(values, torch::kFloat32);
}

torch::Tensor computeLoss(const LossSpec &spec, const torch::Tensor &logits,
                          const torch::Tensor &targets)
{
    const int64_t classes = logits.size(1);
    const double gamma = spec.kind == LossKind::Focal ? spec.focalGamma : 0.0;
    torch::Tensor weights = spec.classWeights.defined()
                                ? spec.classWeights.to(logits.scalar_type()).view({1, classes})
                                : torch::ones({1, classes}, logits.options());
    if (spec.multiLabel) {
        // log(1 - sigmoid(x)) = logsigmoid(-x): stable for large logits.
        const torch::Tensor logP = torch::log_sigmoid(logits);
        const torch::Tensor logQ = torch::log_sigmoid(-logits);
        torch::Tensor pos = weights * targets * logP;
        torch::Tensor neg = (1 - targets) * logQ;
        if (gamma > 0) {
            const torch::Tensor p = torch::sigmoid(logits);
            pos = pos * torch::pow(1 - p, gamma);
            neg = neg * torch::pow(p, gamma);
        }
        return -(pos + neg).mean();
    }
    const torch::Tensor logP = torch::log_softmax(logits, 1);
    torch::Tensor smoothed = targets;
    if (spec.labelSmoothing > 0)
        smoothed = targets * (1 - spec.labelSmoothing) + spec.labelSmoothing / double(classes);
    torch::Tensor term = weights * smoothed * logP;
    if (gamma > 0)
        term = term * torch::pow(1 - logP.exp(), gamma);
    const torch::Tensor denominator = (weights * targets).sum().clamp_min(1e-12);
    return -term.sum() / denominator;
}

torch::Tensor distillationLoss(const torch::Tensor &studentLogits,
                               const torch::Tensor &teacherLogits, double temperature)
{
    const torch::Tensor logQ = torch::log_softmax(studentLogits / temperature, 1);
    const torch::Tensor logP = torch::log_softmax(teacherLogits.detach() / temperature, 1);
    const torch::Tensor kl = (logP.exp() * (logP - logQ)).sum(1).mean();
    return kl * (temperature * temperature);
}

torch::Tensor probabilities(const torch::Tensor &logits, bool multiLabel)
{
    return multiLabel ? torch::sigmoid(logits) : torch::softmax(logits, 1);
}

} // namespace salient::train
