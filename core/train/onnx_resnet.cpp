// SPDX-License-Identifier: GPL-3.0-or-later
// Emitters for the ResNet family (BasicBlock and Bottleneck, with downsample)
// and the small CNN. The model classes are private to models.cpp, so modules
// are found by their state-dict names, exactly as torchvision names them.
#include "core/train/onnxgraph.h"

namespace salient::train::onnx {

namespace {

using ModuleMap = std::map<std::string, std::shared_ptr<torch::nn::Module>>;

ModuleMap modulesOf(ClassifierNet &model)
{
    ModuleMap map;
    for (const auto &item : model.named_modules("", /*include_self=*/false))
        map[item.key()] = item.value();
    return map;
}

template <typename T>
const T *find(const ModuleMap &modules, const std::string &name)
{
    const auto it = modules.find(name);
    return it == modules.end() ? nullptr : it->second->as<T>();
}

Error missing(const ClassifierNet &model, const std::string &name)
{
    return makeError(Error::Code::Unsupported,
                     QStringLiteral("ONNX export: %1 has no module \"%2\" where one was expected")
                         .arg(QString::fromStdString(model.architecture()),
                              QString::fromStdString(name)));
}

/// conv + bn by their names, folded.
Result<Value> convBn(GraphBuilder &g, const ClassifierNet &model, const ModuleMap &modules,
                     const Value &x, const std::string &convName, const std::string &bnName,
                     const std::string &hint)
{
    const auto *conv = find<torch::nn::Conv2dImpl>(modules, convName);
    if (!conv)
        return missing(model, convName);
    const auto *bn = find<torch::nn::BatchNorm2dImpl>(modules, bnName);
    if (!bn)
        return missing(model, bnName);
    return g.conv(x, *conv, bn, hint);
}

/// Average pooling, flatten and the "fc" head: PooledFcNet::classify().
Result<Value> pooledHead(GraphBuilder &g, const ClassifierNet &model, const ModuleMap &modules,
                         const Value &features)
{
    const auto *fc = find<torch::nn::LinearImpl>(modules, "fc");
    if (!fc)
        return missing(model, "fc");
    const Value pooled = g.globalAveragePool(features, "avgpool");
    return g.linear(g.flatten(pooled, "flatten"), *fc, "fc");
}

} // namespace

Result<Emitted> emitResNet(GraphBuilder &g, ClassifierNet &model, const Value &input)
{
    const ModuleMap modules = modulesOf(model);
    auto stem = convBn(g, model, modules, input, "conv1", "bn1", "conv1");
    if (!stem)
        return stem.error();
    Value x = g.maxPool(g.relu(*stem, "relu"), 3, 2, 1, "maxpool");
    const std::vector<std::string> layers = model.blockNames();
    for (const std::string &layer : layers) {
        const auto seq = find<torch::nn::SequentialImpl>(modules, layer);
        if (!seq)
            return missing(model, layer);
        for (std::size_t b = 0; b < seq->size(); ++b) {
            const std::string p = layer + "." + std::to_string(b);
            const bool bottleneck = modules.count(p + ".conv3") > 0;
            auto out = convBn(g, model, modules, x, p + ".conv1", p + ".bn1", p + ".conv1");
            if (!out)
                return out.error();
            out = convBn(g, model, modules, g.relu(*out, p + ".relu1"), p + ".conv2", p + ".bn2",
                         p + ".conv2");
            if (!out)
                return out.error();
            if (bottleneck) {
                out = convBn(g, model, modules, g.relu(*out, p + ".relu2"), p + ".conv3",
                             p + ".bn3", p + ".conv3");
                if (!out)
                    return out.error();
            }
            Value identity = x;
            if (modules.count(p + ".downsample")) {
                auto ds = convBn(g, model, modules, x, p + ".downsample.0", p + ".downsample.1",
                                 p + ".downsample");
                if (!ds)
                    return ds.error();
                identity = *ds;
            }
            x = g.relu(g.add(*out, identity, p + ".add"), p);
        }
    }
    auto logits = pooledHead(g, model, modules, x);
    if (!logits)
        return logits.error();
    return Emitted{*logits, x, layers.empty() ? std::string() : layers.back()};
}

Result<Emitted> emitSmallCnn(GraphBuilder &g, ClassifierNet &model, const Value &input)
{
    const ModuleMap modules = modulesOf(model);
    const std::vector<std::string> stages = model.blockNames(); // features.0 .. features.2
    Value x = input;
    for (const std::string &stage : stages) {
        const auto seq = modules.find(stage);
        if (seq == modules.end())
            return missing(model, stage);
        // Each stage: ConvBnAct "0" and "1", both ReLU.
        for (const char *unit : {"0", "1"}) {
            const std::string p = stage + "." + unit;
            auto y = convBn(g, model, modules, x, p + ".0", p + ".1", p);
            if (!y)
                return y.error();
            x = g.relu(*y, p + ".relu");
        }
    }
    auto logits = pooledHead(g, model, modules, x);
    if (!logits)
        return logits.error();
    return Emitted{*logits, x, stages.empty() ? std::string() : stages.back()};
}

} // namespace salient::train::onnx
