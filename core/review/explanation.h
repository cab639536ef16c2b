// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Value types of a class-activation explanation (Grad-CAM and friends), shared
// by the engine that computes them (salient_train), the review store, the CLI
// and the review widgets. Torch-free.

#include <QMetaType>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>

#include <opencv2/core.hpp>

#include <optional>

namespace salient::review {

enum class CamMethod { GradCam, GradCamPlusPlus, LayerCam };
QString camMethodName(CamMethod m); ///< "gradcam" "gradcam++" "layercam"
std::optional<CamMethod> camMethodFromName(const QString &name);

/// What to explain.
struct ExplainRequest {
    CamMethod method = CamMethod::GradCam;
    QString layer;         ///< a block name from ModelInfo::layers; empty: the default (last convolutional block)
    int targetClass = -1;  ///< index into the run's classes; -1: the predicted class
    int deletionSteps = 20; ///< 0: no deletion score
};

/// The model of a run as the explainer loaded it.
struct ModelInfo {
    qint64 runId = 0;
    QString architecture;   ///< "resnet18"...
    QStringList classNames; ///< the head's outputs, in order
    bool multiLabel = false;
    int imageSize = 224;    ///< square network input side
    QStringList layers;     ///< block names that can be explained, input side first
    QString defaultLayer;   ///< the last convolutional block
};

/// One image explained.
struct Explanation {
    qint64 runId = 0;
    qint64 imageId = 0;      ///< 0 for an image that is not in the project
    CamMethod method = CamMethod::GradCam;
    QString layer;           ///< the block explained (resolved, never empty)
    int target = -1;         ///< class explained
    int predicted = -1;      ///< arg-max class
    double confidence = 0;   ///< probability of the predicted class (softmax; sigmoid for multi-label)
    double targetProbability = 0;
    QVector<float> probabilities; ///< one per class
    /// The class-activation map at the block's resolution (h x w), CV_32FC1,
    /// min-max normalised to [0, 1]; all zero when nothing activates.
    cv::Mat map;
    /// The image as displayed (EXIF orientation applied, full resolution) and
    /// the square in it that the network saw (the evaluation transform's
    /// centre crop of the shorter side): the map covers exactly `crop`.
    QSize imageSize;
    QRect crop;
    /// Deletion metric (Petsiuk et al. 2018): the target's probability as the
    /// hottest pixels of the network input are replaced by the mean image,
    /// in deletionSteps equal steps from 0 to all pixels; the score is the
    /// area under that curve over [0, 1] (lower: the map found what the model
    /// relies on). -1 and empty when not computed.
    double deletionScore = -1;
    QVector<double> deletionCurve;
};

} // namespace salient::review

Q_DECLARE_METATYPE(salient::review::ExplainRequest)
Q_DECLARE_METATYPE(salient::review::ModelInfo)
Q_DECLARE_METATYPE(salient::review::Explanation)
