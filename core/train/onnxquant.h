// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (ONNX protobufs, no LibTorch): int8 post-training
// static quantisation of an fp32 ONNX graph that exportOnnx() wrote, into a
// form OpenCV 4.6's dnn module runs.
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>

#include <map>
#include <string>

namespace salient::train::onnx {

/// What calibration saw of one tensor of the graph (by its ONNX value name):
/// the extremes and the 0.01th / 99.99th percentiles of a sample.
struct TensorRange {
    float min = 0;
    float max = 0;
    float low = 0;  ///< percentile 0.01
    float high = 0; ///< percentile 99.99
    double count = 0; ///< values seen
};
using RangeMap = std::map<std::string, TensorRange>;

struct QuantOptions {
    bool perChannelWeights = true; ///< one scale per output channel (when the runtime allows)
    bool usePercentiles = true;    ///< clip activations at low/high instead of min/max
};

/// Rewrites `fp32Model` (a serialised onnx::ModelProto) with int8 weights and
/// activations quantised at the calibrated `ranges`; metadata is kept and
/// "salient.format" set to "onnx-int8". Ops that cannot be quantised stay
/// fp32 between DequantizeLinear / QuantizeLinear. Errors say which node.
Result<QByteArray> quantizeOnnx(const QByteArray &fp32Model, const RangeMap &ranges,
                                const QuantOptions &options = {});

} // namespace salient::train::onnx
