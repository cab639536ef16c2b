// SPDX-License-Identifier: GPL-3.0-or-later
// int8 ONNX that OpenCV 4.6's dnn runs, found by experiment (cv2 4.6 + onnx 1.12
// checker with full_check, and onnx_importer.cpp of 4.6):
//  - QOperator form. OpenCV tells int8 tensors by NAME: a value whose name ends
//    in "quantized" is int8, and its parameters are the initializers named
//    "<base>scale" / "<base>zero_point" (onnxruntime's quantizer convention, e.g.
//    "x_quantized", "x_scale", "x_zero_point"). Every int8 value here has both
//    initializers, also pass-through ones (MaxPool, Flatten, Reshape), because the
//    QLinear ops name them as inputs. Zero points are int8 (uint8 is misread).
//  - QuantizeLinear / DequantizeLinear with per-tensor scale on activations only
//    (a DequantizeLinear on a constant weight fails: the layer needs an input).
//  - QLinearConv (ai.onnx): per-channel weight scales work (w_scale of size M),
//    weight zero point must be 0 (OpenCV ignores it), int32 bias at scale
//    x_scale * w_scale[m]; kernel_shape/strides/pads/dilations/group explicit.
//    A ReLU after it is fused by quantising the output with the ReLU's range
//    (zero point -128: negative results saturate to 0).
//  - Gemm: no int8 Gemm in 4.6; QLinearMatMul has no bias, so Gemm becomes
//    Reshape [0,K,1,1] -> QLinearConv 1x1 (exact int32 bias) -> Flatten, all int8
//    (ReshapeInt8 / FlattenInt8 exist).
//  - QLinearAdd and QLinearGlobalAveragePool exist only in the "com.microsoft"
//    domain (opset 1); onnx 1.12's checker (full_check) accepts them, so they are
//    used for residual adds of equal shapes (ReLU fused as above) and pooling.
//  - MaxPool, Flatten, Reshape run int8 when their input is int8 (same scale).
//  - Anything else (HardSwish, HardSigmoid, Sigmoid, Mul, Add with a constant,
//    the built-in normalisation) stays fp32 between DequantizeLinear/QuantizeLinear.
// Measured: a trained smallcnn (tst_onnxquant) agrees on top-1 for 24/24 tiny
// test images, max |int8 - fp32| logit 0.10 of 22 (per-channel) / 0.20
// (per-tensor); ResNet-18 file 3.99x smaller (44.7 MB -> 11.2 MB).
// OpenCV 4.6 also needs [C,1,1] (not [1,C,1,1]) constants for a Mul/Add on the
// input (the built-in normalisation), fp32 or int8 alike.
#include "core/train/onnxquant.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <vector>

namespace salient::train::onnx {
namespace {

constexpr const char *kInt8Suffix = "_quantized";
constexpr const char *kMsDomain = "com.microsoft";

Error quantError(const QString &message)
{
    return makeError(Error::Code::Invalid, QStringLiteral("int8 quantisation: ") + message);
}

std::vector<float> floatsOf(const ::onnx::TensorProto &t)
{
    std::vector<float> out;
    if (t.data_type() != ::onnx::TensorProto::FLOAT)
        return out;
    if (t.has_raw_data()) {
        out.resize(t.raw_data().size() / sizeof(float));
        std::memcpy(out.data(), t.raw_data().data(), out.size() * sizeof(float));
    } else {
        out.assign(t.float_data().begin(), t.float_data().end());
    }
    return out;
}

std::int64_t elementCount(const ::onnx::TensorProto &t)
{
    std::int64_t n = 1;
    for (auto d : t.dims())
        n *= d;
    return n;
}

const ::onnx::AttributeProto *attribute(const ::onnx::NodeProto &node, const char *name)
{
    for (const auto &a : node.attribute())
        if (a.name() == name)
            return &a;
    return nullptr;
}

std::vector<std::int64_t> intsAttr(const ::onnx::NodeProto &node, const char *name,
                                   std::vector<std::int64_t> fallback)
{
    if (const auto *a = attribute(node, name))
        return {a->ints().begin(), a->ints().end()};
    return fallback;
}

std::int64_t intAttr(const ::onnx::NodeProto &node, const char *name, std::int64_t fallback)
{
    const auto *a = attribute(node, name);
    return a ? a->i() : fallback;
}

float floatAttr(const ::onnx::NodeProto &node, const char *name, float fallback)
{
    const auto *a = attribute(node, name);
    return a ? a->f() : fallback;
}

struct QParams {
    float scale = 1;
    int zeroPoint = 0;
};

/// Asymmetric int8 over [lo, hi] widened to contain 0 (exact zero padding).
QParams paramsFor(float lo, float hi)
{
    lo = std::min(lo, 0.0f);
    hi = std::max(hi, 0.0f);
    QParams p;
    p.scale = (hi - lo) / 255.0f;
    if (!(p.scale > 1e-12f))
        p.scale = 1e-12f;
    p.zeroPoint = std::clamp(static_cast<int>(std::lround(-128.0 - lo / p.scale)), -128, 127);
    return p;
}

/// The rewrite: the fp32 graph's nodes in order, each emitted as an int8 op
/// or as fp32 with Quantize/Dequantize inserted where a value changes form.
class Rewriter {
public:
    Rewriter(::onnx::ModelProto &model, const RangeMap &ranges, const QuantOptions &options)
        : m_model(model), m_graph(*model.mutable_graph()), m_ranges(ranges), m_options(options)
    {
    }

    Status run();
    int quantisedNodes() const { return m_quantised; }
    bool usedMsDomain() const { return m_usedMs; }

private:
    bool isConst(const std::string &v) const { return m_consts.count(v) > 0; }
    const ::onnx::TensorProto *initializer(const std::string &v) const
    {
        auto it = m_inits.find(v);
        return it == m_inits.end() ? nullptr : it->second;
    }
    bool hasRange(const std::string &v) const { return m_ranges.count(v) > 0; }
    QParams rangeParams(const std::string &v) const;
    void setParams(const std::string &v, const QParams &p);
    void copyParams(const std::string &to, const std::string &from) { setParams(to, m_params.at(from)); }
    std::string q(const std::string &v) const { return v + kInt8Suffix; }
    /// Makes sure v exists in int8 (QuantizeLinear from its range); false if it cannot.
    bool needInt8(const std::string &v);
    void needFp32(const std::string &v);
    ::onnx::NodeProto *emit(const std::string &op, const std::string &name);
    void addInt8Tensor(const std::string &name, const std::vector<std::int64_t> &dims,
                       const std::vector<std::int8_t> &data);
    void addScalarInitializers(const std::string &v, const QParams &p);

    bool sameShape(const std::string &a, const std::string &b) const;
    /// The value a node's int8 output should carry: its own, or a lone ReLU's
    /// after it (whose index goes to `relu`, else -1).
    std::string fusedOutput(const ::onnx::NodeProto &node, size_t index, long &relu) const;

    bool tryConv(const ::onnx::NodeProto &node, size_t index);
    bool tryGemm(const ::onnx::NodeProto &node, size_t index);
    bool tryAdd(const ::onnx::NodeProto &node, size_t index);
    bool tryPassThrough(const ::onnx::NodeProto &node);
    bool tryGlobalAveragePool(const ::onnx::NodeProto &node);
    /// QLinearConv of an int8 `input` with fp32 weights [M, C/g, kh, kw].
    void emitQLinearConv(const std::string &name, const std::string &input, const std::string &output,
                         const std::vector<float> &weights, const std::vector<std::int64_t> &wdims,
                         const std::vector<float> &bias, const ::onnx::NodeProto *attrs);

    ::onnx::ModelProto &m_model;
    ::onnx::GraphProto &m_graph;
    const RangeMap &m_ranges;
    QuantOptions m_options;
    std::vector<::onnx::NodeProto> m_source;
    std::map<std::string, const ::onnx::TensorProto *> m_inits;
    std::set<std::string> m_consts, m_outputs, m_have32, m_have8;
    std::set<size_t> m_skip;
    std::map<std::string, std::vector<size_t>> m_consumers;
    std::map<std::string, QParams> m_params;
    std::map<std::string, std::vector<std::int64_t>> m_shapes;
    std::vector<::onnx::TensorProto> m_newInits;
    int m_quantised = 0;
    bool m_usedMs = false;
};

QParams Rewriter::rangeParams(const std::string &v) const
{
    const TensorRange &r = m_ranges.at(v);
    // Clipping the logits (a graph output) at a percentile could change the top class.
    const bool clip = m_options.usePercentiles && !m_outputs.count(v) && r.high > r.low;
    return clip ? paramsFor(r.low, r.high) : paramsFor(r.min, r.max);
}

void Rewriter::addScalarInitializers(const std::string &v, const QParams &p)
{
    ::onnx::TensorProto s;
    s.set_name(v + "_scale");
    s.set_data_type(::onnx::TensorProto::FLOAT);
    s.add_float_data(p.scale);
    m_newInits.push_back(std::move(s));
    ::onnx::TensorProto z;
    z.set_name(v + "_zero_point");
    z.set_data_type(::onnx::TensorProto::INT8);
    z.add_int32_data(p.zeroPoint);
    m_newInits.push_back(std::move(z));
}

void Rewriter::setParams(const std::string &v, const QParams &p)
{
    if (m_params.emplace(v, p).second)
        addScalarInitializers(v, p);
}

::onnx::NodeProto *Rewriter::emit(const std::string &op, const std::string &name)
{
    auto *n = m_graph.add_node();
    n->set_op_type(op);
    n->set_name(name);
    return n;
}

bool Rewriter::needInt8(const std::string &v)
{
    if (m_have8.count(v))
        return true;
    if (isConst(v) || !hasRange(v) || !m_have32.count(v))
        return false;
    setParams(v, rangeParams(v));
    auto *n = emit("QuantizeLinear", v + "/quantize");
    n->add_input(v);
    n->add_input(v + "_scale");
    n->add_input(v + "_zero_point");
    n->add_output(q(v));
    m_have8.insert(v);
    return true;
}

void Rewriter::needFp32(const std::string &v)
{
    if (m_have32.count(v) || !m_have8.count(v))
        return;
    auto *n = emit("DequantizeLinear", v + "/dequantize");
    n->add_input(q(v));
    n->add_input(v + "_scale");
    n->add_input(v + "_zero_point");
    n->add_output(v);
    m_have32.insert(v);
}

void Rewriter::addInt8Tensor(const std::string &name, const std::vector<std::int64_t> &dims,
                             const std::vector<std::int8_t> &data)
{
    ::onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(::onnx::TensorProto::INT8);
    for (auto d : dims)
        t.add_dims(d);
    t.set_raw_data(std::string(reinterpret_cast<const char *>(data.data()), data.size()));
    m_newInits.push_back(std::move(t));
}

bool Rewriter::sameShape(const std::string &a, const std::string &b) const
{
    auto ia = m_shapes.find(a), ib = m_shapes.find(b);
    return ia != m_shapes.end() && ib != m_shapes.end() && ia->second == ib->second;
}

std::string Rewriter::fusedOutput(const ::onnx::NodeProto &node, size_t index, long &relu) const
{
    relu = -1;
    const std::string &out = node.output(0);
    auto it = m_consumers.find(out);
    if (m_outputs.count(out) || it == m_consumers.end() || it->second.size() != 1)
        return out;
    const auto &next = m_source[it->second.front()];
    if (next.op_type() != "Relu" || it->second.front() <= index || !hasRange(next.output(0)))
        return out;
    relu = static_cast<long>(it->second.front());
    return next.output(0);
}

void Rewriter::emitQLinearConv(const std::string &name, const std::string &input,
                               const std::string &output, const std::vector<float> &weights,
                               const std::vector<std::int64_t> &wdims, const std::vector<float> &bias,
                               const ::onnx::NodeProto *attrs)
{
    const std::int64_t outCh = wdims[0];
    const std::int64_t perCh = static_cast<std::int64_t>(weights.size()) / outCh;
    const float inScale = m_params.at(input).scale;
    std::vector<float> wScale(outCh, 0.0f);
    for (std::int64_t m = 0; m < outCh; ++m)
        for (std::int64_t k = 0; k < perCh; ++k)
            wScale[m] = std::max(wScale[m], std::abs(weights[m * perCh + k]));
    if (!m_options.perChannelWeights) {
        const float all = *std::max_element(wScale.begin(), wScale.end());
        std::fill(wScale.begin(), wScale.end(), all);
    }
    for (std::int64_t m = 0; m < outCh; ++m) {
        wScale[m] /= 127.0f;
        // Keep the int32 bias representable (and never divide by zero).
        const float b = bias.empty() ? 0.0f : std::abs(bias[m]);
        wScale[m] = std::max({wScale[m], 1e-12f, b / (inScale * 1.0e9f)});
    }
    std::vector<std::int8_t> wq(weights.size());
    for (std::int64_t m = 0; m < outCh; ++m)
        for (std::int64_t k = 0; k < perCh; ++k) {
            const long r = std::lround(weights[m * perCh + k] / wScale[m]);
            wq[m * perCh + k] = static_cast<std::int8_t>(std::clamp(r, -127L, 127L));
        }
    addInt8Tensor(name + "/w", wdims, wq);
    ::onnx::TensorProto ws, wz, bq;
    ws.set_name(name + "/w_scale");
    ws.set_data_type(::onnx::TensorProto::FLOAT);
    wz.set_name(name + "/w_zero_point");
    wz.set_data_type(::onnx::TensorProto::INT8);
    if (m_options.perChannelWeights) {
        ws.add_dims(outCh);
        wz.add_dims(outCh);
        for (std::int64_t m = 0; m < outCh; ++m) {
            ws.add_float_data(wScale[m]);
            wz.add_int32_data(0);
        }
    } else {
        ws.add_float_data(wScale[0]);
        wz.add_int32_data(0);
    }
    bq.set_name(name + "/b");
    bq.set_data_type(::onnx::TensorProto::INT32);
    bq.add_dims(outCh);
    for (std::int64_t m = 0; m < outCh; ++m)
        bq.add_int32_data(bias.empty() ? 0 : static_cast<std::int32_t>(std::lround(bias[m] / (inScale * wScale[m]))));
    m_newInits.push_back(std::move(ws));
    m_newInits.push_back(std::move(wz));
    m_newInits.push_back(std::move(bq));

    auto *n = emit("QLinearConv", name);
    for (const std::string &s : {q(input), input + "_scale", input + "_zero_point", name + "/w",
                                 name + "/w_scale", name + "/w_zero_point", output + "_scale",
                                 output + "_zero_point", name + "/b"})
        n->add_input(s);
    n->add_output(q(output));
    const size_t spatial = wdims.size() - 2;
    std::vector<std::int64_t> kernel(wdims.begin() + 2, wdims.end());
    auto setInts = [n](const char *attrName, const std::vector<std::int64_t> &v) {
        auto *a = n->add_attribute();
        a->set_name(attrName);
        a->set_type(::onnx::AttributeProto::INTS);
        for (auto x : v)
            a->add_ints(x);
    };
    setInts("kernel_shape", kernel);
    setInts("strides", attrs ? intsAttr(*attrs, "strides", std::vector<std::int64_t>(spatial, 1))
                             : std::vector<std::int64_t>(spatial, 1));
    setInts("pads", attrs ? intsAttr(*attrs, "pads", std::vector<std::int64_t>(2 * spatial, 0))
                          : std::vector<std::int64_t>(2 * spatial, 0));
    setInts("dilations", attrs ? intsAttr(*attrs, "dilations", std::vector<std::int64_t>(spatial, 1))
                               : std::vector<std::int64_t>(spatial, 1));
    auto *g = n->add_attribute();
    g->set_name("group");
    g->set_type(::onnx::AttributeProto::INT);
    g->set_i(attrs ? intAttr(*attrs, "group", 1) : 1);
    m_have8.insert(output);
    ++m_quantised;
}

bool Rewriter::tryConv(const ::onnx::NodeProto &node, size_t index)
{
    if (node.input_size() < 2 || attribute(node, "auto_pad"))
        return false;
    const auto *w = initializer(node.input(1));
    const auto *b = node.input_size() > 2 && !node.input(2).empty() ? initializer(node.input(2)) : nullptr;
    if (!w || w->dims_size() != 4 || (node.input_size() > 2 && !node.input(2).empty() && !b))
        return false;
    const std::vector<float> weights = floatsOf(*w);
    const std::vector<float> bias = b ? floatsOf(*b) : std::vector<float>{};
    if (static_cast<std::int64_t>(weights.size()) != elementCount(*w) || (b && bias.size() != size_t(w->dims(0))))
        return false;
    long relu = -1;
    const std::string out = fusedOutput(node, index, relu);
    if (!hasRange(out) || !needInt8(node.input(0)))
        return false;
    if (relu >= 0)
        m_skip.insert(static_cast<size_t>(relu));
    setParams(out, rangeParams(out));
    emitQLinearConv(node.name(), node.input(0), out, weights, {w->dims().begin(), w->dims().end()}, bias, &node);
    return true;
}

bool Rewriter::tryGemm(const ::onnx::NodeProto &node, size_t index)
{
    if (node.input_size() < 2 || intAttr(node, "transA", 0) != 0 || floatAttr(node, "alpha", 1) != 1.0f
        || floatAttr(node, "beta", 1) != 1.0f)
        return false;
    const auto *w = initializer(node.input(1));
    const bool hasBias = node.input_size() > 2 && !node.input(2).empty();
    const auto *b = hasBias ? initializer(node.input(2)) : nullptr;
    if (!w || w->dims_size() != 2 || (hasBias && !b))
        return false;
    const bool transB = intAttr(node, "transB", 0) != 0;
    const std::int64_t outCh = transB ? w->dims(0) : w->dims(1);
    const std::int64_t inCh = transB ? w->dims(1) : w->dims(0);
    const std::vector<float> raw = floatsOf(*w);
    const std::vector<float> bias = b ? floatsOf(*b) : std::vector<float>{};
    if (std::int64_t(raw.size()) != outCh * inCh || (b && std::int64_t(bias.size()) != outCh))
        return false;
    long relu = -1;
    const std::string out = fusedOutput(node, index, relu);
    if (!hasRange(out) || !needInt8(node.input(0)))
        return false;
    if (relu >= 0)
        m_skip.insert(static_cast<size_t>(relu));
    std::vector<float> weights(raw.size()); // [out, in]
    for (std::int64_t o = 0; o < outCh; ++o)
        for (std::int64_t i = 0; i < inCh; ++i)
            weights[o * inCh + i] = transB ? raw[o * inCh + i] : raw[i * outCh + o];

    // No int8 Gemm in OpenCV 4.6: a 1x1 QLinearConv on [N, K, 1, 1], exact bias.
    const std::string &x = node.input(0);
    const std::string in4 = node.name() + "/in4", out4 = node.name() + "/out4";
    ::onnx::TensorProto shape;
    shape.set_name(node.name() + "/shape4");
    shape.set_data_type(::onnx::TensorProto::INT64);
    shape.add_dims(4);
    for (std::int64_t d : {std::int64_t(0), inCh, std::int64_t(1), std::int64_t(1)})
        shape.add_int64_data(d);
    m_newInits.push_back(std::move(shape));
    auto *r = emit("Reshape", node.name() + "/to4d");
    r->add_input(q(x));
    r->add_input(node.name() + "/shape4");
    r->add_output(q(in4));
    copyParams(in4, x);
    m_have8.insert(in4);
    setParams(out4, rangeParams(out));
    emitQLinearConv(node.name(), in4, out4, weights, {outCh, inCh, 1, 1}, bias, nullptr);
    auto *f = emit("Flatten", node.name() + "/to2d");
    f->add_input(q(out4));
    f->add_output(q(out));
    auto *axis = f->add_attribute();
    axis->set_name("axis");
    axis->set_type(::onnx::AttributeProto::INT);
    axis->set_i(1);
    copyParams(out, out4);
    m_have8.insert(out);
    return true;
}

bool Rewriter::tryAdd(const ::onnx::NodeProto &node, size_t index)
{
    if (node.input_size() != 2 || isConst(node.input(0)) || isConst(node.input(1))
        || !sameShape(node.input(0), node.input(1)))
        return false;
    long relu = -1;
    const std::string out = fusedOutput(node, index, relu);
    auto available = [this](const std::string &v) { return hasRange(v) || m_have8.count(v) > 0; };
    if (!hasRange(out) || !available(node.input(0)) || !available(node.input(1)))
        return false;
    if (!needInt8(node.input(0)) || !needInt8(node.input(1)))
        return false;
    if (relu >= 0)
        m_skip.insert(static_cast<size_t>(relu));
    setParams(out, rangeParams(out));
    auto *n = emit("QLinearAdd", node.name());
    n->set_domain(kMsDomain);
    for (const std::string &v : {node.input(0), node.input(1)}) {
        n->add_input(q(v));
        n->add_input(v + "_scale");
        n->add_input(v + "_zero_point");
    }
    n->add_input(out + "_scale");
    n->add_input(out + "_zero_point");
    n->add_output(q(out));
    m_have8.insert(out);
    m_usedMs = true;
    ++m_quantised;
    return true;
}

bool Rewriter::tryPassThrough(const ::onnx::NodeProto &node)
{
    const std::string &op = node.op_type();
    if (node.input_size() < 1 || node.output_size() != 1 || !m_have8.count(node.input(0)))
        return false;
    if (op == "Reshape" && (node.input_size() != 2 || !initializer(node.input(1))))
        return false;
    auto *n = m_graph.add_node();
    *n = node;
    n->set_input(0, q(node.input(0)));
    n->set_output(0, q(node.output(0)));
    copyParams(node.output(0), node.input(0));
    m_have8.insert(node.output(0));
    return true;
}

bool Rewriter::tryGlobalAveragePool(const ::onnx::NodeProto &node)
{
    const std::string &x = node.input(0), &y = node.output(0);
    if (!m_have8.count(x) || !hasRange(y))
        return false;
    setParams(y, rangeParams(y));
    auto *n = emit("QLinearGlobalAveragePool", node.name());
    n->set_domain(kMsDomain);
    for (const std::string &s : {q(x), x + "_scale", x + "_zero_point", y + "_scale", y + "_zero_point"})
        n->add_input(s);
    n->add_output(q(y));
    auto *a = n->add_attribute();
    a->set_name("channels_last");
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(0);
    m_have8.insert(y);
    m_usedMs = true;
    ++m_quantised;
    return true;
}

std::vector<std::int64_t> dimsOf(const ::onnx::ValueInfoProto &v)
{
    std::vector<std::int64_t> dims;
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
        return dims;
    for (const auto &d : v.type().tensor_type().shape().dim())
        dims.push_back(d.has_dim_value() ? d.dim_value() : -1); // symbolic: the batch
    return dims;
}

Status Rewriter::run()
{
    {
        ::onnx::ModelProto inferred = m_model;
        ::onnx::shape_inference::InferShapes(inferred);
        const auto &g = inferred.graph();
        for (const auto *list : {&g.input(), &g.value_info(), &g.output()})
            for (const auto &v : *list)
                if (auto dims = dimsOf(v); !dims.empty())
                    m_shapes[v.name()] = dims;
    }
    m_source.assign(m_graph.node().begin(), m_graph.node().end());
    m_graph.clear_node();
    for (const auto &t : m_graph.initializer()) {
        m_inits[t.name()] = &t;
        m_consts.insert(t.name());
    }
    for (const auto &v : m_graph.input())
        m_have32.insert(v.name());
    for (const auto &v : m_graph.output())
        m_outputs.insert(v.name());
    for (size_t i = 0; i < m_source.size(); ++i) {
        const auto &n = m_source[i];
        if (n.op_type() == "Constant")
            for (const auto &o : n.output())
                m_consts.insert(o);
        for (const auto &in : n.input())
            m_consumers[in].push_back(i);
        for (const auto &o : n.output())
            if (o.size() >= 9 && o.compare(o.size() - 9, 9, "quantized") == 0)
                return quantError(QStringLiteral("value \"%1\" of node \"%2\" ends in \"quantized\", "
                                                 "which OpenCV would take for an int8 tensor")
                                      .arg(QString::fromStdString(o), QString::fromStdString(n.name())));
    }
    m_have32.insert(m_consts.begin(), m_consts.end());

    for (size_t i = 0; i < m_source.size(); ++i) {
        if (m_skip.count(i))
            continue;
        const auto &node = m_source[i];
        const std::string &op = node.op_type();
        bool done = false;
        if (node.domain().empty() || node.domain() == "ai.onnx") {
            if (op == "Conv")
                done = tryConv(node, i);
            else if (op == "Gemm")
                done = tryGemm(node, i);
            else if (op == "Add")
                done = tryAdd(node, i);
            else if (op == "MaxPool" || op == "Flatten" || op == "Reshape")
                done = tryPassThrough(node);
            else if (op == "GlobalAveragePool")
                done = tryGlobalAveragePool(node);
        }
        if (done)
            continue;
        for (const auto &in : node.input())
            if (!in.empty())
                needFp32(in);
        *m_graph.add_node() = node;
        for (const auto &o : node.output())
            m_have32.insert(o);
    }
    for (const auto &o : m_outputs)
        needFp32(o);

    // Drop the fp32 weights that int8 ones replaced; add the new tensors.
    std::set<std::string> used;
    for (const auto &n : m_graph.node())
        used.insert(n.input().begin(), n.input().end());
    auto *inits = m_graph.mutable_initializer();
    for (int i = inits->size() - 1; i >= 0; --i)
        if (!used.count(inits->Get(i).name()))
            inits->DeleteSubrange(i, 1);
    for (auto &t : m_newInits)
        if (used.count(t.name()))
            *inits->Add() = std::move(t);
    m_graph.clear_value_info(); // intermediate types changed
    return {};
}

void markInt8(::onnx::ModelProto &model, const QuantOptions &options)
{
    const std::string format = "onnx-int8";
    bool hasFormat = false;
    for (auto &p : *model.mutable_metadata_props()) {
        if (p.key() == "salient.format") {
            p.set_value(format);
            hasFormat = true;
        } else if (p.key() == "salient.meta") {
            QJsonObject meta = QJsonDocument::fromJson(QByteArray::fromStdString(p.value())).object();
            meta.insert(QStringLiteral("format"), QString::fromStdString(format));
            p.set_value(QJsonDocument(meta).toJson(QJsonDocument::Compact).toStdString());
        }
    }
    if (!hasFormat) {
        auto *p = model.add_metadata_props();
        p->set_key("salient.format");
        p->set_value(format);
    }
    auto *p = model.add_metadata_props();
    p->set_key("salient.quantization");
    p->set_value(std::string("int8 QOperator (OpenCV dnn); weights ")
                 + (options.perChannelWeights ? "per channel" : "per tensor") + ", activations "
                 + (options.usePercentiles ? "0.01/99.99 percentiles" : "min/max"));
}

} // namespace

Result<QByteArray> quantizeOnnx(const QByteArray &fp32Model, const RangeMap &ranges, const QuantOptions &options)
{
    try {
        ::onnx::ModelProto model;
        if (!model.ParseFromArray(fp32Model.constData(), fp32Model.size()) || !model.has_graph())
            return quantError(QStringLiteral("the fp32 model is not a readable ONNX ModelProto"));
        if (ranges.empty())
            return quantError(QStringLiteral("no calibration ranges (calibrate on training images first)"));
        Rewriter rewriter(model, ranges, options);
        SALIENT_TRY(rewriter.run());
        if (rewriter.quantisedNodes() == 0)
            return quantError(QStringLiteral("no node could be quantised: the calibration ranges do not "
                                             "name the graph's values"));
        if (rewriter.usedMsDomain()) {
            bool has = false;
            for (const auto &o : model.opset_import())
                has = has || o.domain() == kMsDomain;
            if (!has) {
                auto *o = model.add_opset_import();
                o->set_domain(kMsDomain);
                o->set_version(1);
            }
        }
        markInt8(model, options);
        std::string out;
        if (!model.SerializeToString(&out))
            return quantError(QStringLiteral("could not serialise the int8 model"));
        return QByteArray::fromStdString(out);
    } catch (const std::exception &e) {
        return quantError(QString::fromUtf8(e.what()));
    }
}

} // namespace salient::train::onnx
