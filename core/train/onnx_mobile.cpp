// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX emitters for MobileNetV3-Small/Large and EfficientNet-B0 (models_mobile.cpp).
// Their classes are private to models_mobile.cpp, so the emitters walk the
// modules by state-dict name: "features.N" holds ConvBnAct modules, inverted
// residuals (a child "block" of ConvBnAct / SqueezeExcitation) and, in
// EfficientNet, stages that hold inverted residuals ("features.2.1.block.3").
//
// What OpenCV 4.6's dnn reads (measured with /usr/bin/python3: onnx 1.12, cv2 4.6,
// hand-built graphs, symbolic batch, batches 1-3 at run time):
//  - Sigmoid, HardSigmoid(alpha 1/6, beta 0.5), and Mul of two same-shape values
//    (but see below for [N,C,1,1])
//    (Sigmoid + Mul = SiLU, HardSigmoid + Mul = hardswish): exact at any batch.
//    HardSwish itself exists only from opset 14 (4.6 reads it, exact); at opset 13
//    the builder emits HardSigmoid + Mul.
//  - GlobalAveragePool -> 1x1 Conv -> ReLU / SiLU -> 1x1 Conv -> gate: fine.
//  - But Mul [N,C,H,W] * [N,C,1,1] (the squeeze-excitation product) is not: the
//    importer makes a "Scale" layer whose axis it fixes with N = 1, so Mul(x, gate)
//    comes out with the gate's shape and Mul(gate, x) fails for N >= 2. Flatten
//    (axis 2) of both ([N*C, H*W] * [N*C, 1]) and a Reshape back to [-1, C, H, W]
//    is exact at every batch; GraphBuilder::mul() (onnxgraph.cpp) emits that,
//    also for 1x1 maps, where even the same-shape product goes wrong.
// The emitters therefore only ever ask for mul(x, gate) with the big value first.
#include "core/train/onnxgraph.h"

#include <QString>

namespace salient::train::onnx {
namespace {

using ModulePtr = std::shared_ptr<torch::nn::Module>;

/// The squeeze-excitation flavour a family uses (SqueezeExcitationImpl keeps it private).
struct SeStyle {
    Activation squeeze;
    bool hardGate;
};
constexpr SeStyle kMobileNetSe{Activation::ReLU, true};
constexpr SeStyle kEfficientNetSe{Activation::SiLU, false};

Error emitError(const ClassifierNet &model, const std::string &what)
{
    return makeError(Error::Code::Unsupported,
                     QStringLiteral("ONNX export of %1: %2")
                         .arg(QString::fromStdString(model.architecture()),
                              QString::fromStdString(what)));
}

ModulePtr child(const torch::nn::Module &module, const std::string &name)
{
    for (const auto &item : module.named_children())
        if (item.key() == name)
            return item.value();
    return nullptr;
}

/// Conv + folded BatchNorm + activation of one ConvBnAct ("<name>.0", "<name>.1").
Result<Value> emitConvBnAct(GraphBuilder &g, const ConvBnActImpl &block, const Value &x,
                            const std::string &name)
{
    ModulePtr conv = child(block, "0");
    ModulePtr bn = child(block, "1");
    auto *convImpl = conv ? conv->as<torch::nn::Conv2dImpl>() : nullptr;
    auto *bnImpl = bn ? bn->as<torch::nn::BatchNorm2dImpl>() : nullptr;
    if (!convImpl || !bnImpl)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("ONNX export: %1 is not conv \"0\" + batch norm \"1\"")
                             .arg(QString::fromStdString(name)));
    const Value y = g.conv(x, *convImpl, bnImpl, name);
    return g.activation(block.activation(), y, name + ".act");
}

Value emitSqueezeExcitation(GraphBuilder &g, const SqueezeExcitationImpl &se, SeStyle style,
                            const Value &x, const std::string &name)
{
    auto *fc1 = child(se, "fc1")->as<torch::nn::Conv2dImpl>();
    auto *fc2 = child(se, "fc2")->as<torch::nn::Conv2dImpl>();
    Value scale = g.globalAveragePool(x, name + ".avgpool");
    scale = g.conv(scale, *fc1, nullptr, name + ".fc1");
    scale = g.activation(style.squeeze, scale, name + ".act");
    scale = g.conv(scale, *fc2, nullptr, name + ".fc2");
    scale = style.hardGate ? g.hardSigmoid(scale, name + ".gate") : g.sigmoid(scale, name + ".gate");
    return g.mul(x, scale, name + ".scale");
}

/// An inverted residual (MobileNetV3 InvertedResidual, EfficientNet MBConv): its
/// "block" in order, plus the input when the block keeps stride and width. In
/// evaluation mode EfficientNet's stochastic depth is the identity.
Result<Value> emitInvertedResidual(GraphBuilder &g, const torch::nn::Module &residual,
                                   SeStyle style, const Value &x, const std::string &name)
{
    ModulePtr block = child(residual, "block");
    Value y = x;
    int inChannels = -1;
    int outChannels = -1;
    bool strided = false;
    for (const auto &item : block->named_children()) {
        const std::string part = name + ".block." + item.key();
        if (auto *cba = item.value()->as<ConvBnActImpl>()) {
            const auto &options = child(*cba, "0")->as<torch::nn::Conv2dImpl>()->options;
            if (inChannels < 0)
                inChannels = static_cast<int>(options.in_channels());
            outChannels = static_cast<int>(options.out_channels());
            for (std::int64_t s : *options.stride())
                strided = strided || s != 1;
            Result<Value> r = emitConvBnAct(g, *cba, y, part);
            if (!r)
                return r.error();
            y = *r;
        } else if (auto *se = item.value()->as<SqueezeExcitationImpl>()) {
            y = emitSqueezeExcitation(g, *se, style, y, part);
        } else {
            return makeError(Error::Code::Unsupported,
                             QStringLiteral("ONNX export: unknown module %1")
                                 .arg(QString::fromStdString(part)));
        }
    }
    if (inChannels < 0)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("ONNX export: empty block %1").arg(QString::fromStdString(name)));
    if (!strided && inChannels == outChannels)
        y = g.add(y, x, name + ".add");
    return y;
}

/// One entry of "features" (or of a stage inside it), recursively.
Result<Value> emitFeature(GraphBuilder &g, const ModulePtr &module, SeStyle style, const Value &x,
                          const std::string &name)
{
    if (auto *cba = module->as<ConvBnActImpl>())
        return emitConvBnAct(g, *cba, x, name);
    if (child(*module, "block"))
        return emitInvertedResidual(g, *module, style, x, name);
    // A stage: its blocks in order.
    const auto children = module->named_children();
    if (children.is_empty())
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("ONNX export: unknown module %1").arg(QString::fromStdString(name)));
    Value y = x;
    for (const auto &item : children) {
        Result<Value> r = emitFeature(g, item.value(), style, y, name + "." + item.key());
        if (!r)
            return r.error();
        y = *r;
    }
    return y;
}

/// "features.0" .. "features.N"; Emitted::features is the last one's output.
Result<Emitted> emitFeatures(GraphBuilder &g, ClassifierNet &model, SeStyle style,
                             const Value &input)
{
    ModulePtr features = child(model, "features");
    if (!features)
        return emitError(model, "no \"features\" module");
    Emitted out;
    Value x = input;
    for (const auto &item : features->named_children()) {
        const std::string name = "features." + item.key();
        Result<Value> r = emitFeature(g, item.value(), style, x, name);
        if (!r)
            return r.error();
        x = *r;
        out.featuresLayer = name;
    }
    if (out.featuresLayer.empty())
        return emitError(model, "empty \"features\"");
    out.features = x;
    return out;
}

/// The classifier's Linear at "classifier.<index>".
torch::nn::LinearImpl *classifierLinear(ClassifierNet &model, const std::string &index)
{
    ModulePtr classifier = child(model, "classifier");
    ModulePtr linear = classifier ? child(*classifier, index) : nullptr;
    return linear ? linear->as<torch::nn::LinearImpl>() : nullptr;
}

} // namespace

Result<Emitted> emitMobileNetV3(GraphBuilder &g, ClassifierNet &model, const Value &input)
{
    if (model.architecture() != "mobilenet_v3_small" && model.architecture() != "mobilenet_v3_large")
        return emitError(model, "not a MobileNetV3");
    torch::nn::LinearImpl *hidden = classifierLinear(model, "0");
    torch::nn::LinearImpl *head = classifierLinear(model, "3");
    if (!hidden || !head)
        return emitError(model, "no classifier.0 / classifier.3");
    Result<Emitted> out = emitFeatures(g, model, kMobileNetSe, input);
    if (!out)
        return out;
    // classifier: 0 Linear, 1 Hardswish, 2 Dropout (nothing in evaluation), 3 Linear.
    Value x = g.globalAveragePool(out->features, "avgpool");
    x = g.flatten(x, "flatten");
    x = g.linear(x, *hidden, "classifier.0");
    x = g.hardSwish(x, "classifier.1");
    out->logits = g.linear(x, *head, "classifier.3");
    return out;
}

Result<Emitted> emitEfficientNet(GraphBuilder &g, ClassifierNet &model, const Value &input)
{
    if (model.architecture() != "efficientnet_b0")
        return emitError(model, "not an EfficientNet");
    torch::nn::LinearImpl *head = classifierLinear(model, "1");
    if (!head)
        return emitError(model, "no classifier.1");
    Result<Emitted> out = emitFeatures(g, model, kEfficientNetSe, input);
    if (!out)
        return out;
    // classifier: 0 Dropout (nothing in evaluation), 1 Linear.
    Value x = g.globalAveragePool(out->features, "avgpool");
    x = g.flatten(x, "flatten");
    out->logits = g.linear(x, *head, "classifier.1");
    return out;
}

} // namespace salient::train::onnx
