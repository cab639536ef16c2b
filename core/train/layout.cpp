// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/layout.h"

#include <cstdlib>
#include <cstring>
#include <functional>

namespace salient::train {

namespace {

bool channelsLast(const torch::Tensor &t)
{
    return t.defined() && t.dim() == 4 && !t.is_contiguous()
           && t.is_contiguous(at::MemoryFormat::ChannelsLast);
}

void convert(torch::nn::Module &module, at::MemoryFormat format)
{
    torch::NoGradGuard noGrad;
    auto apply = [format](torch::Tensor t) {
        if (t.defined() && t.dim() == 4 && !t.is_contiguous(format))
            t.set_data(t.contiguous(format));
    };
    for (auto &p : module.parameters(true)) {
        apply(p);
        // A gradient from an earlier step in the old layout would be accumulated
        // into as it is; give it the parameter's layout too.
        if (p.grad().defined() && p.grad().dim() == 4 && !p.grad().is_contiguous(format))
            p.mutable_grad() = p.grad().contiguous(format);
    }
    for (auto &b : module.buffers(true))
        apply(b);
}

/// Calls `fn` on every state tensor of the optimiser with the parameter it belongs to.
void forEachState(torch::optim::Optimizer &optimizer,
                  const std::function<torch::Tensor(const torch::Tensor &state,
                                                    const torch::Tensor &param)> &fn)
{
    auto &states = optimizer.state();
    for (auto &group : optimizer.param_groups()) {
        for (auto &p : group.params()) {
            auto it = states.find(c10::guts::to_string(p.unsafeGetTensorImpl()));
            if (it == states.end() || !it->second)
                continue;
            torch::optim::OptimizerParamState *state = it->second.get();
            if (auto *sgd = dynamic_cast<torch::optim::SGDParamState *>(state)) {
                if (sgd->momentum_buffer().defined())
                    sgd->momentum_buffer(fn(sgd->momentum_buffer(), p));
            } else if (auto *adamw = dynamic_cast<torch::optim::AdamWParamState *>(state)) {
                if (adamw->exp_avg().defined())
                    adamw->exp_avg(fn(adamw->exp_avg(), p));
                if (adamw->exp_avg_sq().defined())
                    adamw->exp_avg_sq(fn(adamw->exp_avg_sq(), p));
                if (adamw->max_exp_avg_sq().defined())
                    adamw->max_exp_avg_sq(fn(adamw->max_exp_avg_sq(), p));
            }
        }
    }
}

} // namespace

bool channelsLastPreferred()
{
    static const bool preferred = [] {
        if (const char *forced = std::getenv("SALIENT_MEMORY_FORMAT"); forced && *forced) {
            if (std::strcmp(forced, "contiguous") == 0)
                return false;
            if (std::strcmp(forced, "channels_last") == 0)
                return true;
        }
        return at::hasMKLDNN();
    }();
    return preferred;
}

void toChannelsLast(torch::nn::Module &module)
{
    convert(module, at::MemoryFormat::ChannelsLast);
}

void toContiguous(torch::nn::Module &module)
{
    convert(module, at::MemoryFormat::Contiguous);
}

bool applyPreferredLayout(torch::nn::Module &module)
{
    if (!channelsLastPreferred())
        return false;
    toChannelsLast(module);
    return true;
}

bool isChannelsLast(const torch::nn::Module &module)
{
    for (const auto &p : module.parameters(true))
        if (p.dim() == 4)
            return channelsLast(p);
    return false;
}

torch::Tensor inputLayout(const torch::Tensor &input, const torch::nn::Module &module)
{
    if (input.dim() == 4 && isChannelsLast(module))
        return input.contiguous(at::MemoryFormat::ChannelsLast);
    return input;
}

void optimizerStateToContiguous(torch::optim::Optimizer &optimizer)
{
    torch::NoGradGuard noGrad;
    forEachState(optimizer, [](const torch::Tensor &s, const torch::Tensor &) {
        return s.contiguous();
    });
}

void optimizerStateToParameterLayout(torch::optim::Optimizer &optimizer)
{
    torch::NoGradGuard noGrad;
    forEachState(optimizer, [](const torch::Tensor &s, const torch::Tensor &p) {
        return channelsLast(p) && s.dim() == 4 ? s.contiguous(at::MemoryFormat::ChannelsLast)
                                               : s.contiguous();
    });
}

} // namespace salient::train
