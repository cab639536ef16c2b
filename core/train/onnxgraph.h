// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (LibTorch + ONNX protobufs): an ONNX graph
// builder that can also *run* what it emits. Each emitted op computes its
// torch value from its inputs' values when the builder traces, so
//  - an emitter is checked against model->forward() without any other runtime,
//  - int8 calibration gets every tensor's range (ranges()) for free.
// Emitters (onnx_resnet.cpp, onnx_mobile.cpp) walk a ClassifierNet's modules
// by their state-dict names and call these ops; BatchNorm is folded into the
// preceding convolution (exact in evaluation mode).
#pragma once

#include "core/runs/modelexport.h"
#include "core/train/models.h"
#include "core/train/onnxquant.h"
#include "core/util/result.h"

#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
}

namespace salient::train::onnx {

/// A tensor of the graph: its ONNX name and, when tracing, its value.
struct Value {
    std::string name;
    torch::Tensor value; ///< undefined unless the builder traces
};

/// Conv attributes beyond the weights (taken from Conv2dImpl::options).
class GraphBuilder {
public:
    /// trace: compute every op's value on `example` batches (see input()).
    explicit GraphBuilder(bool trace);
    ~GraphBuilder();
    GraphBuilder(const GraphBuilder &) = delete;
    GraphBuilder &operator=(const GraphBuilder &) = delete;

    bool tracing() const;

    /// The graph input [N, 3, size, size] float, N symbolic ("batch");
    /// `example` is its traced value (ignored unless tracing).
    Value input(const std::string &name, int size, const torch::Tensor &example = {});
    /// Marks an output [N, ...]; `dims` its fixed dimensions after N (for the
    /// ONNX value info; e.g. {classes} or {C, h, w}).
    void output(const Value &value, const std::string &name, const std::vector<std::int64_t> &dims);

    // ---- Ops. `hint` makes node and value names readable ("layer1.0.conv1");
    // the builder makes them unique. Values of conv/bn must be CPU float.
    /// Conv2d (+ BatchNorm2d folded in when bn is given) with the module's
    /// stride, padding, dilation and groups; bias from the conv or the fold.
    Value conv(const Value &x, const torch::nn::Conv2dImpl &conv,
               const torch::nn::BatchNorm2dImpl *bn, const std::string &hint);
    /// Gemm: x [N, in] times linear's weight^T plus bias.
    Value linear(const Value &x, const torch::nn::LinearImpl &linear, const std::string &hint);
    Value relu(const Value &x, const std::string &hint);
    Value sigmoid(const Value &x, const std::string &hint);
    /// x * sigmoid(x), emitted as Sigmoid + Mul.
    Value silu(const Value &x, const std::string &hint);
    /// HardSigmoid(alpha 1/6, beta 0.5): relu6(x + 3) / 6, as torch's hardsigmoid.
    Value hardSigmoid(const Value &x, const std::string &hint);
    /// x * hardSigmoid(x) (emitted as HardSigmoid + Mul unless the opset has HardSwish
    /// and OpenCV reads it; the implementation decides).
    Value hardSwish(const Value &x, const std::string &hint);
    /// The activation a ConvBnAct uses (None returns x itself).
    Value activation(Activation kind, const Value &x, const std::string &hint);
    Value add(const Value &a, const Value &b, const std::string &hint);
    /// Element-wise product with broadcasting ([N,C,H,W] * [N,C,1,1] for squeeze-excitation).
    Value mul(const Value &a, const Value &b, const std::string &hint);
    Value maxPool(const Value &x, int kernel, int stride, int padding, const std::string &hint);
    /// GlobalAveragePool: [N, C, H, W] -> [N, C, 1, 1].
    Value globalAveragePool(const Value &x, const std::string &hint);
    /// Flatten(axis 1): [N, C, 1, 1] -> [N, C].
    Value flatten(const Value &x, const std::string &hint);
    /// x * scale + offset per channel ([1, C, 1, 1] constants; built-in normalisation).
    Value scaleShift(const Value &x, const std::vector<float> &scale, const std::vector<float> &offset,
                     const std::string &hint);

    /// The ModelProto (ir version 8, opset `opset`, producer "Salient Studio"),
    /// with `meta` in metadata_props: "salient.meta" (ModelMeta::toJson()) plus
    /// one readable key per field ("salient.classes" as a JSON array,
    /// "salient.input_size", "salient.mean", "salient.std", ...).
    Result<QByteArray> serialize(const ModelMeta &meta, int opset = 13) const;
    /// Access for those who post-process the graph in memory.
    const ::onnx::ModelProto &model() const;

    /// Ranges seen so far per value name (tracing only), merged over every
    /// traced batch since construction (see retrace()).
    const RangeMap &ranges() const;
    /// Runs the same graph again on another input batch, updating ranges(),
    /// and returns the outputs' values in output() order. Emitting must be done.
    Result<std::vector<torch::Tensor>> retrace(const torch::Tensor &input);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// What an architecture's emitter returns.
struct Emitted {
    Value logits;
    Value features;           ///< the features() map (last block output)
    std::string featuresLayer; ///< its block name, e.g. "layer4"
};
/// Emits `model`'s whole forward pass (evaluation mode) from `input`.
/// Unsupported architecture: Unsupported error.
Result<Emitted> emitClassifier(GraphBuilder &g, ClassifierNet &model, const Value &input);

// Per-family emitters (onnx_resnet.cpp: resnet*, smallcnn; onnx_mobile.cpp:
// mobilenet_v3_*, efficientnet_b0), called by emitClassifier().
Result<Emitted> emitResNet(GraphBuilder &g, ClassifierNet &model, const Value &input);
Result<Emitted> emitSmallCnn(GraphBuilder &g, ClassifierNet &model, const Value &input);
Result<Emitted> emitMobileNetV3(GraphBuilder &g, ClassifierNet &model, const Value &input);
Result<Emitted> emitEfficientNet(GraphBuilder &g, ClassifierNet &model, const Value &input);

struct OnnxExportOptions {
    int opset = 13;
    bool embedNormalisation = false; ///< input raw 0..255 RGB; a scaleShift first
    bool featuresOutput = false;
    /// Calibration inputs (normalised, or raw 0..255 with embedNormalisation),
    /// each [n, 3, size, size]; empty: no tracing, no ranges.
    std::vector<torch::Tensor> calibration;
};
struct OnnxExport {
    QByteArray model;  ///< serialised ModelProto
    RangeMap ranges;   ///< empty unless calibrated
    /// Largest |traced logits - model->forward()| on the first calibration
    /// batch (-1 when not traced): the emitter's own consistency check.
    double traceMaxAbsDiff = -1;
};
/// The whole fp32 export of `model` (evaluation mode; left as it was found).
/// meta.format is set to "onnx"; inputSize, normalisationBuiltIn,
/// featuresOutput and featuresLayer are filled in from the options and model.
Result<OnnxExport> exportOnnx(ClassifierNet &model, ModelMeta meta, const OnnxExportOptions &options);

} // namespace salient::train::onnx
