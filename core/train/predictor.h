// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Using an exported model (public face of salient_train: no torch types):
// ONNX files run through OpenCV's dnn module, LibTorch exports through
// LibTorch. Images are prepared exactly as the evaluation loader prepares
// them (EXIF orientation, shorter side to the input size, centre crop, the
// model's mean/std), so a file's prediction equals the run's.

#include "core/runs/modelexport.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

#include <opencv2/core.hpp>

namespace salient::train {

/// One image's answer.
struct ImagePrediction {
    QString path;              ///< file it came from (empty for pixels)
    QVector<float> probabilities; ///< per class (softmax, or sigmoid for multi-label)
    QVector<int> topClasses;   ///< the k most probable, most probable first
    QVector<int> predicted;    ///< single-label: {arg max}; multi-label: over threshold
    Error error;               ///< set (message non-empty) when this image failed
    bool ok() const { return error.message.isEmpty(); }
};

class Predictor {
public:
    ~Predictor();
    Predictor(const Predictor &) = delete;
    Predictor &operator=(const Predictor &) = delete;

    /// Opens an exported model (.onnx or a LibTorch export), chosen by its
    /// content, not its name. Truncated or foreign files, missing or
    /// inconsistent metadata (classes vs outputs, input size) give an error
    /// naming the file, never a crash. threads 0: all cores.
    static Result<std::unique_ptr<Predictor>> open(const QString &modelFile, int threads = 0);

    const ModelMeta &meta() const;
    /// "OpenCV dnn 4.6.0" or "LibTorch 1.13.1".
    QString runtime() const;

    /// Logits [images x classes] for images decoded as displayed (CV_8UC3 BGR).
    Result<QVector<QVector<float>>> logits(const QVector<cv::Mat> &displayedBgr);
    /// Images decoded as displayed -> predictions (topK most probable classes).
    Result<QVector<ImagePrediction>> predictPixels(const QVector<cv::Mat> &displayedBgr, int topK = 5);
    /// Files, in batches of `batchSize`; an unreadable image gets its own
    /// error and the others go on.
    QVector<ImagePrediction> predictFiles(const QStringList &paths, int topK = 5, int batchSize = 16);

private:
    Predictor();
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// The network input for one image decoded as displayed: N=1 x 3 x size x size
/// float blob, RGB, shorter side to size, centre crop, then normalised with
/// the meta's mean/std unless normalisationBuiltIn (raw 0..255).
cv::Mat preparedBlob(const cv::Mat &displayedBgr, const ModelMeta &meta);

} // namespace salient::train
