// SPDX-License-Identifier: GPL-3.0-or-later
// GraphBuilder: every op appends one or two ::onnx::NodeProto and, when
// tracing, computes the same thing in torch. The torch side of each op is kept
// as a closure so that retrace() can run the graph again on other batches
// (int8 calibration) without going back to the emitters.
#include "core/train/onnxgraph.h"

#include <onnx/onnx_pb.h>

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

namespace salient::train::onnx {

namespace {

using OpFn = std::function<std::vector<torch::Tensor>(const std::vector<torch::Tensor> &)>;

/// How many values of a tensor the percentiles are estimated from.
constexpr std::int64_t kPercentileSample = 1 << 16;

struct Op {
    std::vector<int> inputs;  ///< value ids
    std::vector<int> outputs; ///< value ids
    OpFn fn;
};

TensorRange rangeOf(const torch::Tensor &t)
{
    TensorRange r;
    const torch::Tensor flat = t.detach().reshape({-1}).to(torch::kFloat);
    const std::int64_t n = flat.numel();
    if (n == 0)
        return r;
    r.min = flat.min().item<float>();
    r.max = flat.max().item<float>();
    // An evenly strided subsample: deterministic, and cheap on big activations.
    torch::Tensor sample = flat;
    if (n > kPercentileSample) {
        const std::int64_t step = n / kPercentileSample;
        sample = flat.slice(0, 0, step * kPercentileSample, step);
    }
    const torch::Tensor q =
        torch::quantile(sample, torch::tensor({0.0001, 0.9999}, torch::kFloat));
    r.low = q[0].item<float>();
    r.high = q[1].item<float>();
    r.count = static_cast<double>(n);
    return r;
}

void mergeRange(TensorRange &into, const TensorRange &add)
{
    if (add.count <= 0)
        return;
    if (into.count <= 0) {
        into = add;
        return;
    }
    const double total = into.count + add.count;
    into.min = std::min(into.min, add.min);
    into.max = std::max(into.max, add.max);
    // Percentiles of several batches: their count-weighted mean (the usual
    // calibration estimate; exact merging would need every sample kept).
    into.low = static_cast<float>((into.low * into.count + add.low * add.count) / total);
    into.high = static_cast<float>((into.high * into.count + add.high * add.count) / total);
    into.count = total;
}

void setInts(::onnx::NodeProto *node, const char *name, const std::vector<std::int64_t> &values)
{
    auto *a = node->add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INTS);
    for (std::int64_t v : values)
        a->add_ints(v);
}
void setInt(::onnx::NodeProto *node, const char *name, std::int64_t value)
{
    auto *a = node->add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(value);
}
void setFloat(::onnx::NodeProto *node, const char *name, float value)
{
    auto *a = node->add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::FLOAT);
    a->set_f(value);
}

void setShape(::onnx::ValueInfoProto *info, const std::vector<std::int64_t> &dims)
{
    auto *type = info->mutable_type()->mutable_tensor_type();
    type->set_elem_type(::onnx::TensorProto::FLOAT);
    auto *shape = type->mutable_shape();
    shape->add_dim()->set_dim_param("batch");
    for (std::int64_t d : dims)
        shape->add_dim()->set_dim_value(d);
}

QJsonArray jsonArray(const double *values, int n)
{
    QJsonArray a;
    for (int i = 0; i < n; ++i)
        a.append(values[i]);
    return a;
}

} // namespace

struct GraphBuilder::Impl {
    bool trace = false;
    ::onnx::ModelProto model;
    ::onnx::GraphProto *graph = nullptr;
    std::set<std::string> usedNames;
    std::vector<std::string> names;    ///< by value id
    std::map<std::string, int> idOf;   ///< by current name
    std::vector<Op> ops;
    int inputId = -1;
    std::vector<int> outputIds;
    RangeMap ranges;
    std::optional<Error> error; ///< the first thing an emitter did wrong

    std::string unique(const std::string &hint)
    {
        const std::string base = hint.empty() ? std::string("v") : hint;
        std::string name = base;
        for (int i = 2; usedNames.count(name); ++i)
            name = base + "_" + std::to_string(i);
        usedNames.insert(name);
        return name;
    }
    int newValue(const std::string &hint)
    {
        const std::string name = unique(hint);
        names.push_back(name);
        idOf[name] = int(names.size()) - 1;
        return int(names.size()) - 1;
    }
    int idFor(const Value &v)
    {
        const auto it = idOf.find(v.name);
        if (it != idOf.end())
            return it->second;
        fail(QStringLiteral("ONNX export: value \"%1\" is not part of this graph")
                 .arg(QString::fromStdString(v.name)));
        return -1;
    }
    void fail(const QString &message)
    {
        if (!error)
            error = makeError(Error::Code::Invalid, message);
    }

    /// A float initializer named after `hint`.
    std::string constant(const std::string &hint, const torch::Tensor &value)
    {
        const torch::Tensor t = value.detach().to(torch::kCPU, torch::kFloat).contiguous();
        auto *init = graph->add_initializer();
        const std::string name = unique(hint);
        init->set_name(name);
        init->set_data_type(::onnx::TensorProto::FLOAT);
        for (std::int64_t d : t.sizes())
            init->add_dims(d);
        init->set_raw_data(t.data_ptr<float>(), std::size_t(t.numel()) * sizeof(float));
        return name;
    }

    /// An int64 initializer (Reshape's shape).
    std::string int64Constant(const std::string &hint, const std::vector<std::int64_t> &values)
    {
        auto *init = graph->add_initializer();
        const std::string name = unique(hint);
        init->set_name(name);
        init->set_data_type(::onnx::TensorProto::INT64);
        init->add_dims(std::int64_t(values.size()));
        for (std::int64_t v : values)
            init->add_int64_data(v);
        return name;
    }

    void record(int id, const torch::Tensor &value)
    {
        mergeRange(ranges[names[id]], rangeOf(value));
    }

    /// Appends a node computing `fn` from `inputs`; `extra` names initializers
    /// that follow the value inputs. Returns the output value, traced when tracing.
    Value node(const std::string &opType, const std::vector<Value> &inputs,
               const std::vector<std::string> &extra, const std::string &hint, OpFn fn,
               const std::function<void(::onnx::NodeProto *)> &attributes = {})
    {
        Op op;
        auto *n = graph->add_node();
        n->set_op_type(opType);
        for (const Value &v : inputs) {
            op.inputs.push_back(idFor(v));
            n->add_input(v.name);
        }
        for (const std::string &e : extra)
            n->add_input(e);
        const int out = newValue(hint);
        op.outputs.push_back(out);
        n->add_output(names[out]);
        n->set_name(names[out]);
        if (attributes)
            attributes(n);
        Value result{names[out], {}};
        if (trace) {
            std::vector<torch::Tensor> in;
            for (const Value &v : inputs)
                in.push_back(v.value);
            const bool defined = std::all_of(in.begin(), in.end(),
                                             [](const torch::Tensor &t) { return t.defined(); });
            if (!defined) {
                fail(QStringLiteral("ONNX export: %1 has an input without a traced value")
                         .arg(QString::fromStdString(names[out])));
            } else {
                try {
                    torch::NoGradGuard noGrad;
                    result.value = fn(in).at(0);
                    record(out, result.value);
                } catch (const std::exception &e) {
                    fail(QStringLiteral("ONNX export: tracing %1 failed: %2")
                             .arg(QString::fromStdString(names[out]), QString::fromUtf8(e.what())));
                }
            }
        }
        op.fn = std::move(fn);
        ops.push_back(std::move(op));
        return result;
    }

    void rename(int id, const std::string &to)
    {
        const std::string from = names[id];
        if (from == to)
            return;
        for (auto &n : *graph->mutable_node()) {
            for (auto &s : *n.mutable_input())
                if (s == from)
                    s = to;
            for (auto &s : *n.mutable_output())
                if (s == from)
                    s = to;
        }
        idOf.erase(from);
        idOf[to] = id;
        usedNames.insert(to);
        names[id] = to;
        const auto r = ranges.find(from);
        if (r != ranges.end()) {
            ranges[to] = r->second;
            ranges.erase(r);
        }
    }
};

GraphBuilder::GraphBuilder(bool trace) : d(std::make_unique<Impl>())
{
    d->trace = trace;
    d->graph = d->model.mutable_graph();
    d->graph->set_name("salient");
}

GraphBuilder::~GraphBuilder() = default;

bool GraphBuilder::tracing() const
{
    return d->trace;
}

Value GraphBuilder::input(const std::string &name, int size, const torch::Tensor &example)
{
    if (d->inputId >= 0)
        d->fail(QStringLiteral("ONNX export: the graph has one input only"));
    d->inputId = d->newValue(name);
    auto *info = d->graph->add_input();
    info->set_name(d->names[d->inputId]);
    setShape(info, {3, size, size});
    Value v{d->names[d->inputId], {}};
    if (d->trace) {
        if (!example.defined() || example.dim() != 4 || example.size(1) != 3 ||
            example.size(2) != size || example.size(3) != size) {
            d->fail(QStringLiteral("ONNX export: the example input is not [N, 3, %1, %1]")
                        .arg(size));
        } else {
            v.value = example.detach().to(torch::kCPU, torch::kFloat);
            d->record(d->inputId, v.value);
        }
    }
    return v;
}

void GraphBuilder::output(const Value &value, const std::string &name,
                          const std::vector<std::int64_t> &dims)
{
    const int id = d->idFor(value);
    if (id < 0)
        return;
    if (id == d->inputId) {
        d->fail(QStringLiteral("ONNX export: the input cannot be an output"));
        return;
    }
    if (std::find(d->outputIds.begin(), d->outputIds.end(), id) != d->outputIds.end()) {
        d->fail(QStringLiteral("ONNX export: one value cannot be two outputs"));
        return;
    }
    if (name != value.name && d->usedNames.count(name)) {
        d->fail(QStringLiteral("ONNX export: the output name \"%1\" is taken")
                    .arg(QString::fromStdString(name)));
        return;
    }
    // Renaming the producer's output instead of adding an Identity node:
    // OpenCV 4.6 rejects Identity.
    d->rename(id, name);
    d->outputIds.push_back(id);
    auto *info = d->graph->add_output();
    info->set_name(name);
    setShape(info, dims);
}

Value GraphBuilder::conv(const Value &x, const torch::nn::Conv2dImpl &conv,
                         const torch::nn::BatchNorm2dImpl *bn, const std::string &hint)
{
    const auto &o = conv.options;
    const auto *pad = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    if (!pad || !c10::get_if<torch::enumtype::kZeros>(&o.padding_mode())) {
        d->fail(QStringLiteral("ONNX export: %1 uses a padding this exporter does not write")
                    .arg(QString::fromStdString(hint)));
        return x;
    }
    torch::Tensor weight = conv.weight.detach().to(torch::kCPU, torch::kDouble);
    torch::Tensor bias = conv.bias.defined() ? conv.bias.detach().to(torch::kCPU, torch::kDouble)
                                             : torch::zeros({weight.size(0)}, torch::kDouble);
    if (bn) {
        // Evaluation-mode BatchNorm is per-channel affine: fold it into the
        // weights and bias, in double so the fold itself adds no error.
        const auto n = weight.size(0);
        const torch::Tensor mean = bn->running_mean.defined()
                                       ? bn->running_mean.detach().to(torch::kCPU, torch::kDouble)
                                       : torch::zeros({n}, torch::kDouble);
        const torch::Tensor var = bn->running_var.defined()
                                      ? bn->running_var.detach().to(torch::kCPU, torch::kDouble)
                                      : torch::ones({n}, torch::kDouble);
        const torch::Tensor gamma = bn->weight.defined()
                                        ? bn->weight.detach().to(torch::kCPU, torch::kDouble)
                                        : torch::ones({n}, torch::kDouble);
        const torch::Tensor beta = bn->bias.defined()
                                       ? bn->bias.detach().to(torch::kCPU, torch::kDouble)
                                       : torch::zeros({n}, torch::kDouble);
        const torch::Tensor factor = gamma / torch::sqrt(var + bn->options.eps());
        weight = weight * factor.view({-1, 1, 1, 1});
        bias = (bias - mean) * factor + beta;
    }
    weight = weight.to(torch::kFloat).contiguous();
    bias = bias.to(torch::kFloat).contiguous();
    const std::vector<std::int64_t> kernel{o.kernel_size()->at(0), o.kernel_size()->at(1)};
    const std::vector<std::int64_t> strides{o.stride()->at(0), o.stride()->at(1)};
    const std::vector<std::int64_t> dilations{o.dilation()->at(0), o.dilation()->at(1)};
    const std::vector<std::int64_t> pads{(*pad)->at(0), (*pad)->at(1), (*pad)->at(0),
                                         (*pad)->at(1)};
    const std::int64_t groups = o.groups();
    const std::string w = d->constant(hint + ".weight", weight);
    const std::string b = d->constant(hint + ".bias", bias);
    return d->node(
        "Conv", {x}, {w, b}, hint,
        [weight, bias, strides, pads, dilations, groups](const std::vector<torch::Tensor> &in) {
            return std::vector<torch::Tensor>{torch::conv2d(in[0], weight, bias, strides,
                                                            {pads[0], pads[1]}, dilations, groups)};
        },
        [&](::onnx::NodeProto *n) {
            setInts(n, "kernel_shape", kernel);
            setInts(n, "strides", strides);
            setInts(n, "pads", pads);
            setInts(n, "dilations", dilations);
            setInt(n, "group", groups);
        });
}

Value GraphBuilder::linear(const Value &x, const torch::nn::LinearImpl &linear,
                           const std::string &hint)
{
    const torch::Tensor weight = linear.weight.detach().to(torch::kCPU, torch::kFloat).contiguous();
    const torch::Tensor bias = linear.bias.defined()
                                   ? linear.bias.detach().to(torch::kCPU, torch::kFloat).contiguous()
                                   : torch::zeros({weight.size(0)}, torch::kFloat);
    const std::string w = d->constant(hint + ".weight", weight);
    const std::string b = d->constant(hint + ".bias", bias);
    return d->node(
        "Gemm", {x}, {w, b}, hint,
        [weight, bias](const std::vector<torch::Tensor> &in) {
            return std::vector<torch::Tensor>{torch::addmm(bias, in[0], weight.t())};
        },
        [](::onnx::NodeProto *n) {
            setFloat(n, "alpha", 1.0f);
            setFloat(n, "beta", 1.0f);
            setInt(n, "transA", 0);
            setInt(n, "transB", 1);
        });
}

Value GraphBuilder::relu(const Value &x, const std::string &hint)
{
    return d->node("Relu", {x}, {}, hint, [](const std::vector<torch::Tensor> &in) {
        return std::vector<torch::Tensor>{torch::relu(in[0])};
    });
}

Value GraphBuilder::sigmoid(const Value &x, const std::string &hint)
{
    return d->node("Sigmoid", {x}, {}, hint, [](const std::vector<torch::Tensor> &in) {
        return std::vector<torch::Tensor>{torch::sigmoid(in[0])};
    });
}

Value GraphBuilder::silu(const Value &x, const std::string &hint)
{
    return mul(x, sigmoid(x, hint + ".sigmoid"), hint);
}

Value GraphBuilder::hardSigmoid(const Value &x, const std::string &hint)
{
    return d->node(
        "HardSigmoid", {x}, {}, hint,
        [](const std::vector<torch::Tensor> &in) {
            return std::vector<torch::Tensor>{torch::hardsigmoid(in[0])};
        },
        [](::onnx::NodeProto *n) {
            setFloat(n, "alpha", 1.0f / 6.0f);
            setFloat(n, "beta", 0.5f);
        });
}

Value GraphBuilder::hardSwish(const Value &x, const std::string &hint)
{
    // HardSwish is opset 14 and OpenCV 4.6 does not read it: HardSigmoid + Mul.
    return mul(x, hardSigmoid(x, hint + ".gate"), hint);
}

Value GraphBuilder::activation(Activation kind, const Value &x, const std::string &hint)
{
    switch (kind) {
    case Activation::None:
        return x;
    case Activation::ReLU:
        return relu(x, hint);
    case Activation::Hardswish:
        return hardSwish(x, hint);
    case Activation::SiLU:
        return silu(x, hint);
    }
    return x;
}

Value GraphBuilder::add(const Value &a, const Value &b, const std::string &hint)
{
    return d->node("Add", {a, b}, {}, hint, [](const std::vector<torch::Tensor> &in) {
        return std::vector<torch::Tensor>{in[0] + in[1]};
    });
}

Value GraphBuilder::mul(const Value &a, const Value &b, const std::string &hint)
{
    const auto plain = [](const std::vector<torch::Tensor> &in) {
        return std::vector<torch::Tensor>{in[0] * in[1]};
    };
    // OpenCV 4.6 turns Mul [N,C,H,W] * [N,C,1,1] (squeeze-excitation) into a
    // Scale layer whose axis it fixes for N = 1: wrong or failing at N >= 2.
    // [N*C, H*W] * [N*C, 1] and a Reshape back is exact at every batch. A 1x1
    // map (MobileNetV3 at 32 px) is no exception: [N,C,1,1] * [N,C,1,1] comes
    // out wrong too (logits off by 300 at N = 5), so it takes the same path.
    // The shapes are only known when tracing.
    const auto gateLike = [](const torch::Tensor &big, const torch::Tensor &small) {
        return big.defined() && small.defined() && big.dim() == 4 && small.dim() == 4 &&
               small.size(0) == big.size(0) && small.size(1) == big.size(1) &&
               small.size(2) == 1 && small.size(3) == 1;
    };
    const bool aBig = gateLike(a.value, b.value);
    if (!aBig && !gateLike(b.value, a.value))
        return d->node("Mul", {a, b}, {}, hint, plain);
    const Value &big = aBig ? a : b;
    const Value &gate = aBig ? b : a;
    const std::int64_t c = big.value.size(1), h = big.value.size(2), w = big.value.size(3);
    const auto flatten2 = [](const std::vector<torch::Tensor> &in) {
        return std::vector<torch::Tensor>{in[0].reshape({in[0].size(0) * in[0].size(1), -1})};
    };
    const auto axis2 = [](::onnx::NodeProto *n) { setInt(n, "axis", 2); };
    const Value flatBig = d->node("Flatten", {big}, {}, hint + ".flat", flatten2, axis2);
    const Value flatGate = d->node("Flatten", {gate}, {}, hint + ".flat_gate", flatten2, axis2);
    const Value product = d->node("Mul", {flatBig, flatGate}, {}, hint + ".mul", plain);
    const std::string shape = d->int64Constant(hint + ".shape", {-1, c, h, w});
    return d->node("Reshape", {product}, {shape}, hint,
                   [c, h, w](const std::vector<torch::Tensor> &in) {
                       return std::vector<torch::Tensor>{in[0].reshape({-1, c, h, w})};
                   });
}

Value GraphBuilder::maxPool(const Value &x, int kernel, int stride, int padding,
                            const std::string &hint)
{
    return d->node(
        "MaxPool", {x}, {}, hint,
        [kernel, stride, padding](const std::vector<torch::Tensor> &in) {
            return std::vector<torch::Tensor>{torch::max_pool2d(in[0], kernel, stride, padding)};
        },
        [&](::onnx::NodeProto *n) {
            setInts(n, "kernel_shape", {kernel, kernel});
            setInts(n, "strides", {stride, stride});
            setInts(n, "pads", {padding, padding, padding, padding});
            setInt(n, "ceil_mode", 0);
        });
}

Value GraphBuilder::globalAveragePool(const Value &x, const std::string &hint)
{
    return d->node("GlobalAveragePool", {x}, {}, hint, [](const std::vector<torch::Tensor> &in) {
        return std::vector<torch::Tensor>{torch::adaptive_avg_pool2d(in[0], {1, 1})};
    });
}

Value GraphBuilder::flatten(const Value &x, const std::string &hint)
{
    return d->node(
        "Flatten", {x}, {}, hint,
        [](const std::vector<torch::Tensor> &in) {
            return std::vector<torch::Tensor>{in[0].flatten(1)};
        },
        [](::onnx::NodeProto *n) { setInt(n, "axis", 1); });
}

Value GraphBuilder::scaleShift(const Value &x, const std::vector<float> &scale,
                               const std::vector<float> &offset, const std::string &hint)
{
    if (scale.size() != offset.size() || scale.empty()) {
        d->fail(QStringLiteral("ONNX export: scale and offset of %1 differ in length")
                    .arg(QString::fromStdString(hint)));
        return x;
    }
    const auto c = std::int64_t(scale.size());
    // [C, 1, 1], not [1, C, 1, 1]: OpenCV 4.6 reads a Mul/Add by a rank-4
    // constant on the graph input as a shape error (shape_utils.hpp total()),
    // and the rank-3 form broadcasts the same.
    const torch::Tensor s = torch::tensor(scale, torch::kFloat).view({c, 1, 1});
    const torch::Tensor o = torch::tensor(offset, torch::kFloat).view({c, 1, 1});
    const std::string sName = d->constant(hint + ".scale", s);
    const Value scaled = d->node("Mul", {x}, {sName}, hint + ".mul",
                                 [s](const std::vector<torch::Tensor> &in) {
                                     return std::vector<torch::Tensor>{in[0] * s};
                                 });
    const std::string oName = d->constant(hint + ".offset", o);
    return d->node("Add", {scaled}, {oName}, hint, [o](const std::vector<torch::Tensor> &in) {
        return std::vector<torch::Tensor>{in[0] + o};
    });
}

Result<QByteArray> GraphBuilder::serialize(const ModelMeta &meta, int opset) const
{
    if (d->error)
        return *d->error;
    if (d->inputId < 0 || d->outputIds.empty())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("ONNX export: the graph has no input or no output"));
    ::onnx::ModelProto &m = d->model;
    m.set_ir_version(8);
    m.set_producer_name("Salient Studio");
    m.set_producer_version(meta.producer.toStdString());
    m.set_doc_string("Image classifier " + meta.architecture.toStdString() +
                     " exported by Salient Studio");
    m.clear_opset_import();
    auto *op = m.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    m.clear_metadata_props();
    const auto prop = [&m](const char *key, const QString &value) {
        auto *p = m.add_metadata_props();
        p->set_key(key);
        p->set_value(value.toStdString());
    };
    const auto json = [](const QJsonArray &a) {
        return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
    };
    prop("salient.meta", QString::fromUtf8(meta.toJson()));
    prop("salient.format", meta.format);
    prop("salient.architecture", meta.architecture);
    prop("salient.classes", json(QJsonArray::fromStringList(meta.classNames)));
    prop("salient.multi_label", meta.multiLabel ? QStringLiteral("true") : QStringLiteral("false"));
    QJsonArray thresholds;
    for (double t : meta.thresholds)
        thresholds.append(t);
    prop("salient.thresholds", json(thresholds));
    prop("salient.input_size", QString::number(meta.inputSize));
    prop("salient.mean", json(jsonArray(meta.mean, 3)));
    prop("salient.std", json(jsonArray(meta.std, 3)));
    prop("salient.normalisation_built_in",
         meta.normalisationBuiltIn ? QStringLiteral("true") : QStringLiteral("false"));
    prop("salient.features_output",
         meta.featuresOutput ? QStringLiteral("true") : QStringLiteral("false"));
    prop("salient.features_layer", meta.featuresLayer);
    prop("salient.run_id", QString::number(meta.runId));
    prop("salient.run_name", meta.runName);
    prop("salient.project_name", meta.projectName);
    prop("salient.exported_at", meta.exportedAt.toUTC().toString(Qt::ISODate));
    prop("salient.producer", meta.producer);
    prop("salient.sparsity", QString::number(meta.sparsity, 'g', 17));

    QByteArray bytes;
    try {
        const auto size = m.ByteSizeLong();
        if (size > std::size_t(std::numeric_limits<int>::max()))
            return makeError(Error::Code::Invalid,
                             QStringLiteral("ONNX export: the model is larger than 2 GB"));
        bytes.resize(qsizetype(size));
        if (!m.SerializeToArray(bytes.data(), int(size)))
            return makeError(Error::Code::Invalid,
                             QStringLiteral("ONNX export: the model could not be serialised"));
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("ONNX export: %1").arg(QString::fromUtf8(e.what())));
    }
    return bytes;
}

const ::onnx::ModelProto &GraphBuilder::model() const
{
    return d->model;
}

const RangeMap &GraphBuilder::ranges() const
{
    return d->ranges;
}

Result<std::vector<torch::Tensor>> GraphBuilder::retrace(const torch::Tensor &input)
{
    if (d->error)
        return *d->error;
    if (!d->trace)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("ONNX export: retrace() needs a tracing builder"));
    if (d->inputId < 0 || d->outputIds.empty())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("ONNX export: retrace() before the graph is complete"));
    // Drop each value after its last use: a ResNet-50 batch keeps little alive.
    std::vector<int> lastUse(d->names.size(), -1);
    for (std::size_t i = 0; i < d->ops.size(); ++i)
        for (int id : d->ops[i].inputs)
            lastUse[std::size_t(id)] = int(i);
    for (int id : d->outputIds)
        lastUse[std::size_t(id)] = int(d->ops.size());
    std::vector<torch::Tensor> env(d->names.size());
    try {
        torch::NoGradGuard noGrad;
        env[std::size_t(d->inputId)] = input.detach().to(torch::kCPU, torch::kFloat);
        d->record(d->inputId, env[std::size_t(d->inputId)]);
        for (std::size_t i = 0; i < d->ops.size(); ++i) {
            const Op &op = d->ops[i];
            std::vector<torch::Tensor> in;
            for (int id : op.inputs)
                in.push_back(env[std::size_t(id)]);
            const std::vector<torch::Tensor> out = op.fn(in);
            for (std::size_t k = 0; k < op.outputs.size() && k < out.size(); ++k) {
                env[std::size_t(op.outputs[k])] = out[k];
                d->record(op.outputs[k], out[k]);
            }
            for (int id : op.inputs)
                if (lastUse[std::size_t(id)] == int(i))
                    env[std::size_t(id)] = torch::Tensor();
        }
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid, QStringLiteral("ONNX export: retrace failed: %1")
                                                   .arg(QString::fromUtf8(e.what())));
    }
    std::vector<torch::Tensor> outputs;
    for (int id : d->outputIds)
        outputs.push_back(env[std::size_t(id)]);
    return outputs;
}

} // namespace salient::train::onnx
