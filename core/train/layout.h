// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch): the memory format the CPU
// engine computes in. oneDNN's convolutions run NHWC ("channels last") natively;
// with NCHW weights and inputs every convolution (and its backward) reorders
// on the way in and out. Measured on the 2-core dev VM, a ResNet-18 training
// step with stem + layer1-2 frozen runs 1.3-1.45x faster in channels last.
// Values do not depend on the layout; checkpoints and digests stay NCHW bytes.
#pragma once

#include <torch/torch.h>

namespace salient::train {

/// True when this LibTorch computes convolutions faster in channels last (CPU
/// with oneDNN). SALIENT_MEMORY_FORMAT=contiguous (or channels_last) in the
/// environment overrides it, for benchmarks.
bool channelsLastPreferred();

/// Every 4-D parameter and buffer of `module` to channels last, in place
/// (set_data: the tensors an optimiser holds stay the same objects).
void toChannelsLast(torch::nn::Module &module);
/// The inverse: every 4-D parameter and buffer back to NCHW contiguous.
void toContiguous(torch::nn::Module &module);
/// toChannelsLast() when channelsLastPreferred(); returns whether it did.
bool applyPreferredLayout(torch::nn::Module &module);
/// True when the module's first 4-D parameter is channels last (and not also NCHW).
bool isChannelsLast(const torch::nn::Module &module);

/// A 4-D input batch in the layout `module` computes in (a copy when it differs).
torch::Tensor inputLayout(const torch::Tensor &input, const torch::nn::Module &module);

/// Optimiser state tensors (SGD momentum, AdamW moments) to NCHW contiguous, as
/// checkpoints store them, or to the layout of the parameter they belong to,
/// as the update expects (the values are the same either way).
void optimizerStateToContiguous(torch::optim::Optimizer &optimizer);
void optimizerStateToParameterLayout(torch::optim::Optimizer &optimizer);

} // namespace salient::train
