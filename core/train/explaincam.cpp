// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/explaincam.h"

#include <cmath>
#include <stdexcept>

namespace salient::train::cam {

using torch::indexing::Slice;

torch::Tensor probabilitiesOf(const torch::Tensor &logits, bool multiLabel)
{
    return multiLabel ? torch::sigmoid(logits) : torch::softmax(logits, 1);
}

torch::Tensor normaliseMap(const torch::Tensor &cam)
{
    torch::Tensor map = torch::relu(cam.to(torch::kFloat));
    const double hi = map.max().item<double>();
    const double lo = map.min().item<double>();
    // A constant map ranks nothing: call it "nothing activates" rather than
    // stretch rounding noise to [0, 1].
    if (!(hi > 0) || hi - lo <= 1e-7 * hi)
        return torch::zeros_like(map);
    return (map - lo) / (hi - lo);
}

CamResult computeCam(ClassifierNet &model, const torch::Tensor &input, int blockIndex,
                     review::CamMethod method, int target, bool multiLabel)
{
    // Grad mode is thread-local and a caller may hold a NoGradGuard.
    torch::AutoGradMode gradMode(true);
    // Nothing before the tap requires grad (input nor parameters), so that
    // part of the forward records no graph; the tap starts the graph at the
    // block's output and the backward pass ends there.
    torch::Tensor activation;
    const auto tap = [&activation](torch::Tensor a) {
        activation = a.detach().requires_grad_(true);
        return activation;
    };
    const torch::Tensor logits = model.classify(model.featuresTapped(input, blockIndex, tap));
    if (!activation.defined())
        throw std::invalid_argument("no block " + std::to_string(blockIndex) + " in "
                                    + model.architecture());

    CamResult r;
    r.probabilities = probabilitiesOf(logits.detach(), multiLabel)[0];
    r.predicted = int(logits[0].detach().argmax().item<int64_t>());
    r.target = target < 0 ? r.predicted : target;
    if (r.target >= logits.size(1))
        throw std::out_of_range("target class " + std::to_string(r.target) + " of "
                                + std::to_string(logits.size(1)));

    // Single- and multi-label alike: the target's logit (pre-softmax score;
    // for multi-label the argument of its sigmoid).
    const torch::Tensor score = logits.index({0, r.target});
    const torch::Tensor grad = torch::autograd::grad({score}, {activation})[0].detach()[0];
    const torch::Tensor a = activation.detach()[0]; // [C, h, w]

    torch::Tensor cam;
    switch (method) {
    case review::CamMethod::GradCam: {
        const torch::Tensor weights = grad.mean({1, 2}, /*keepdim=*/true);
        cam = (weights * a).sum(0);
        break;
    }
    case review::CamMethod::GradCamPlusPlus: {
        // Chattopadhay et al. 2018, eq. 19: with Y = exp(score) the second and
        // third derivatives of Y are Y g^2 and Y g^3 (piecewise-linear net),
        // and Y cancels in alpha = g^2 / (2 g^2 + sum(A) g^3). The weights
        // keep a factor Y common to every channel, which the min-max
        // normalisation removes; leaving it out avoids exp() overflow.
        const torch::Tensor g2 = grad * grad;
        const torch::Tensor g3 = g2 * grad;
        const torch::Tensor sumA = a.sum({1, 2}, /*keepdim=*/true);
        const torch::Tensor denom = 2 * g2 + sumA * g3;
        torch::Tensor alpha = g2 / torch::where(denom != 0, denom, torch::ones_like(denom));
        alpha = torch::where(grad != 0, alpha, torch::zeros_like(alpha));
        const torch::Tensor weights = (alpha * torch::relu(grad)).sum({1, 2}, /*keepdim=*/true);
        cam = (weights * a).sum(0);
        break;
    }
    case review::CamMethod::LayerCam:
        cam = (torch::relu(grad) * a).sum(0);
        break;
    }
    r.map = normaliseMap(cam);
    return r;
}

std::vector<double> deletionCurve(ClassifierNet &model, const torch::Tensor &input,
                                  const torch::Tensor &map, int target, bool multiLabel,
                                  int steps)
{
    if (steps < 1)
        return {};
    torch::NoGradGuard noGrad;
    const int64_t h = input.size(2), w = input.size(3), pixels = h * w;
    torch::Tensor m = map.to(torch::kFloat).reshape({1, 1, map.size(-2), map.size(-1)});
    if (m.size(2) != h || m.size(3) != w)
        m = torch::nn::functional::interpolate(
            m, torch::nn::functional::InterpolateFuncOptions()
                   .size(std::vector<int64_t>{h, w})
                   .mode(torch::kBilinear)
                   .align_corners(false));
    const torch::Tensor order =
        std::get<1>(m.flatten().sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
    torch::Tensor rank = torch::empty_like(order);
    rank.index_put_({order}, torch::arange(pixels, order.options()));

    const int64_t count = steps + 1;
    std::vector<int64_t> thresholds(static_cast<std::size_t>(count));
    for (int64_t k = 0; k < count; ++k)
        thresholds[std::size_t(k)] = int64_t(std::llround(double(k) * double(pixels) / steps));
    const torch::Tensor deleted = torch::tensor(thresholds, torch::kLong).unsqueeze(1);
    // Pixel kept in image k when its rank is past the k-th threshold.
    const torch::Tensor keep =
        (rank.unsqueeze(0) >= deleted).reshape({count, 1, h, w}).to(input.scalar_type());

    std::vector<double> curve;
    curve.reserve(std::size_t(count));
    const int64_t chunk = count > 12 ? (count + 1) / 2 : count;
    for (int64_t start = 0; start < count; start += chunk) {
        const int64_t end = std::min(count, start + chunk);
        const torch::Tensor batch = input * keep.index({Slice(start, end)});
        const torch::Tensor p =
            probabilitiesOf(model.forward(batch), multiLabel).index({Slice(), target}).contiguous();
        const float *values = p.data_ptr<float>();
        for (int64_t i = 0; i < p.size(0); ++i)
            curve.push_back(values[i]);
    }
    return curve;
}

double curveArea(const std::vector<double> &curve)
{
    if (curve.empty())
        return -1;
    if (curve.size() == 1)
        return curve.front();
    const double dx = 1.0 / double(curve.size() - 1);
    double area = 0;
    for (std::size_t i = 1; i < curve.size(); ++i)
        area += 0.5 * (curve[i - 1] + curve[i]) * dx;
    return area;
}

} // namespace salient::train::cam
