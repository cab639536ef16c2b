// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Exported models without LibTorch: what an exported file says about itself
// (ModelMeta, stored in ONNX metadata_props and in the LibTorch archive), what
// the user asks of an export (ExportRequest) and what it measured
// (ExportReport). Widgets, the CLI and salient_train share these values.

#include "core/util/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace salient {

enum class ModelFormat { Onnx, LibTorch };
/// "onnx" / "libtorch".
QString modelFormatName(ModelFormat format);
std::optional<ModelFormat> modelFormatFromName(const QString &name);

/// Everything a deployed model needs to be used correctly, beside its weights.
/// Input: N x 3 x inputSize x inputSize RGB floats, either normalised
/// ((pixel / 255 - mean) / std) or, with normalisationBuiltIn, raw 0..255
/// (what cv::dnn::blobFromImage(image, 1.0, size, {}, true) gives).
/// Output "logits" N x classes; with featuresOutput also "features"
/// N x C x h x w (the last convolutional block, for Grad-CAM where it is deployed).
struct ModelMeta {
    QString format;            ///< "onnx", "onnx-int8" or "libtorch"
    QString architecture;      ///< makeModel() name, e.g. "resnet18"
    QStringList classNames;    ///< output order
    bool multiLabel = false;   ///< sigmoid per class (else softmax)
    QVector<double> thresholds;///< multi-label decision thresholds (empty: 0.5)
    int inputSize = 224;       ///< square side
    double mean[3] = {0.485, 0.456, 0.406}; ///< RGB, of pixel / 255
    double std[3] = {0.229, 0.224, 0.225};
    bool normalisationBuiltIn = false;
    bool featuresOutput = false;
    QString featuresLayer;     ///< block name of the "features" output, e.g. "layer4"
    qint64 runId = 0;
    QString runName;
    QString projectName;       ///< file name of the project it was trained in
    QDateTime exportedAt;      ///< UTC
    QString producer;          ///< "Salient Studio <version>"
    double sparsity = 0;       ///< fraction of zero weights (pruned models)

    /// One JSON object; keys are the member names in snake_case.
    QByteArray toJson() const;
    /// Errors name `where` (the model file) and the bad key.
    static Result<ModelMeta> fromJson(const QByteArray &json, const QString &where);
};

/// One export, as the dialog or `salient-cli export-model` asks for it.
struct ExportRequest {
    QString projectFile;
    qint64 runId = 0;
    QString checkpoint = QStringLiteral("best"); ///< falls back to "last"
    ModelFormat format = ModelFormat::Onnx;
    QString outFile;
    bool embedNormalisation = false; ///< ONNX: input is raw 0..255 RGB
    bool featuresOutput = false;     ///< ONNX: a second output "features"
    bool int8 = false;               ///< ONNX: static int8 quantisation
    int calibrationImages = 256;     ///< training images used to calibrate int8
    double maxAccuracyDrop = 0.01;   ///< warn above this test-accuracy drop (fraction)
    double pruneSparsity = 0;        ///< > 0: prune to this fraction first (a new run), then export it
    int pruneEpochs = 1;             ///< fine-tuning epochs after pruning
    int parityImages = 32;           ///< real images compared between LibTorch and the export
    int threads = 0;                 ///< 0: all cores
    QString intendedUse;             ///< model card fields the user fills in
    QString limitations;
};

/// Does another runtime read the export the same as LibTorch does?
struct ParityReport {
    bool ran = false;
    QString runtime;          ///< "OpenCV dnn 4.6.0" or "LibTorch 1.13.1"
    int images = 0;           ///< real images compared
    double maxAbsDiff = -1;   ///< largest |logit difference| over all images and classes
    double top1Agreement = -1;///< fraction of images with the same predicted class
    bool checkerOk = false;   ///< the ONNX checker accepted the file (ONNX only)
    QString checkerMessage;   ///< what the checker said when it refused
    double largestLogit = -1; ///< largest |logit| LibTorch gave on those images
    /// fp32 bound: 1e-4, relative to the largest |logit| once logits exceed 1 (float32
    /// sums round at ~1e-7 of their size); int8 exports are judged by accuracy instead.
    double tolerance = 1e-4;
    bool ok() const;          ///< ran, checker ok (ONNX), and within tolerance (fp32)
};

/// What an export measured. Accuracies are on the run's test split (its
/// validation split when it has no test images), -1 when not measured.
struct ExportReport {
    QString outFile;
    QString cardJsonFile;     ///< <outFile>.card.json
    QString cardHtmlFile;     ///< <outFile>.card.html
    ModelMeta meta;
    qint64 fileBytes = 0;
    qint64 fp32Bytes = 0;     ///< int8: the fp32 file's size, for the ratio
    ParityReport parity;
    int evalImages = 0;
    double fp32Accuracy = -1; ///< LibTorch, the run's model
    double exportedAccuracy = -1; ///< through the exported file (int8: OpenCV dnn)
    bool dropAboveLimit = false;  ///< fp32Accuracy - exportedAccuracy > maxAccuracyDrop
    qint64 prunedRunId = 0;   ///< the run that was pruned and exported, or 0
    double sparsity = 0;
    QStringList warnings;     ///< for the user, one sentence each
};

} // namespace salient

Q_DECLARE_METATYPE(salient::ExportRequest)
Q_DECLARE_METATYPE(salient::ExportReport)
