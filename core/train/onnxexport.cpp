// SPDX-License-Identifier: GPL-3.0-or-later
// exportOnnx(): one fp32 ONNX file of a classifier, optionally with the
// normalisation built in and a second "features" output, traced on the
// calibration batches so the emitter is checked against forward() and int8
// calibration gets every tensor's range.
#include "core/train/onnxgraph.h"

#include <algorithm>

namespace salient::train::onnx {

Result<Emitted> emitClassifier(GraphBuilder &g, ClassifierNet &model, const Value &input)
{
    const std::string &arch = model.architecture();
    if (arch.rfind("resnet", 0) == 0)
        return emitResNet(g, model, input);
    if (arch == "smallcnn")
        return emitSmallCnn(g, model, input);
    if (arch.rfind("mobilenet_v3_", 0) == 0)
        return emitMobileNetV3(g, model, input);
    if (arch.rfind("efficientnet_", 0) == 0)
        return emitEfficientNet(g, model, input);
    return makeError(Error::Code::Unsupported,
                     QStringLiteral("ONNX export: the architecture \"%1\" cannot be exported")
                         .arg(QString::fromStdString(arch)));
}

namespace {

/// Restores a module's training flag however the export ends.
class EvalScope {
public:
    explicit EvalScope(torch::nn::Module &m) : m_module(m), m_wasTraining(m.is_training())
    {
        m_module.eval();
    }
    ~EvalScope() { m_module.train(m_wasTraining); }
    EvalScope(const EvalScope &) = delete;
    EvalScope &operator=(const EvalScope &) = delete;

private:
    torch::nn::Module &m_module;
    bool m_wasTraining;
};

Result<OnnxExport> exportChecked(ClassifierNet &model, ModelMeta &meta,
                                 const OnnxExportOptions &options)
{
    const int size = meta.inputSize > 0 ? meta.inputSize : model.defaultInputSize();
    for (const torch::Tensor &batch : options.calibration) {
        if (!batch.defined() || batch.dim() != 4 || batch.size(0) < 1 || batch.size(1) != 3 ||
            batch.size(2) != size || batch.size(3) != size)
            return makeError(Error::Code::Invalid,
                             QStringLiteral("ONNX export: calibration batches must be "
                                            "[n, 3, %1, %1]")
                                 .arg(size));
    }
    meta.format = QStringLiteral("onnx");
    meta.inputSize = size;
    meta.architecture = QString::fromStdString(model.architecture());
    meta.normalisationBuiltIn = options.embedNormalisation;
    meta.featuresOutput = options.featuresOutput;

    std::vector<float> scale(3), offset(3);
    for (int c = 0; c < 3; ++c) {
        if (!(meta.std[c] > 0))
            return makeError(Error::Code::Invalid,
                             QStringLiteral("ONNX export: the standard deviation must be positive"));
        scale[std::size_t(c)] = float(1.0 / (255.0 * meta.std[c]));
        offset[std::size_t(c)] = float(-meta.mean[c] / meta.std[c]);
    }

    // Even without calibration the graph is traced once on a zero image: the
    // features output's h x w come from it. Its ranges are not reported.
    const bool calibrated = !options.calibration.empty();
    const torch::Tensor example =
        calibrated ? options.calibration.front().to(torch::kCPU, torch::kFloat)
                   : torch::zeros({1, 3, size, size}, torch::kFloat);

    GraphBuilder g(true);
    const Value image = g.input("image", size, example);
    Value x = image;
    if (options.embedNormalisation)
        x = g.scaleShift(image, scale, offset, "normalise");
    auto emitted = emitClassifier(g, model, x);
    if (!emitted)
        return emitted.error();
    const Emitted &e = *emitted;
    if (!e.logits.value.defined() || !e.features.value.defined()) {
        // serialize() carries the builder's own error when it has one.
        auto s = g.serialize(meta);
        if (!s)
            return s.error();
        return makeError(Error::Code::Invalid, QStringLiteral("ONNX export: tracing failed"));
    }
    const auto classes = e.logits.value.size(1);
    if (!meta.classNames.isEmpty() && meta.classNames.size() != classes)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("ONNX export: %1 class names for %2 outputs")
                             .arg(meta.classNames.size())
                             .arg(classes));
    g.output(e.logits, "logits", {classes});
    if (options.featuresOutput) {
        const auto f = e.features.value.sizes();
        g.output(e.features, "features", {f[1], f[2], f[3]});
        meta.featuresLayer = QString::fromStdString(e.featuresLayer);
    } else {
        meta.featuresLayer.clear();
    }

    OnnxExport out;
    if (calibrated) {
        torch::NoGradGuard noGrad;
        torch::Tensor in = example;
        if (options.embedNormalisation) {
            const auto s = torch::tensor(scale).view({1, 3, 1, 1});
            const auto o = torch::tensor(offset).view({1, 3, 1, 1});
            in = in * s + o;
        }
        const torch::Tensor reference = model.forward(in);
        out.traceMaxAbsDiff = (e.logits.value - reference).abs().max().item<double>();
        for (std::size_t i = 1; i < options.calibration.size(); ++i) {
            auto r = g.retrace(options.calibration[i]);
            if (!r)
                return r.error();
        }
        out.ranges = g.ranges();
    }
    auto bytes = g.serialize(meta, options.opset);
    if (!bytes)
        return bytes.error();
    out.model = std::move(bytes).value();
    return out;
}

} // namespace

Result<OnnxExport> exportOnnx(ClassifierNet &model, ModelMeta meta,
                              const OnnxExportOptions &options)
{
    if (options.opset < 13)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("ONNX export: opset %1 is older than 13").arg(options.opset));
    try {
        EvalScope eval(model);
        return exportChecked(model, meta, options);
    } catch (const c10::Error &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("ONNX export: %1").arg(QString::fromUtf8(e.what_without_backtrace())));
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("ONNX export: %1").arg(QString::fromUtf8(e.what())));
    }
}

} // namespace salient::train::onnx
