// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a training run is asked to do. Torch-free: the training panel, the CLI
// and the project's run records all speak it; salient_train carries it out.

#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace salient::train {

/// How much of a pretrained backbone stays fixed. "Up to layerN" freezes the
/// stem and every stage up to and including ResNet's layerN; MobileNetV3 and
/// EfficientNet map stages by output stride (layer1: stride 4, layer2: 8,
/// layer3: 16). Head: everything but the final linear layer. Frozen BatchNorm
/// layers stay in eval mode (running statistics untouched).
enum class FreezePolicy { None, Layer1, Layer2, Layer3, Head };
/// Single-label: cross-entropy or focal. Multi-label: sigmoid BCE (focal is
/// allowed there too: sigmoid focal).
enum class LossKind { CrossEntropy, Focal, BinaryCrossEntropy };
/// Per-class loss weights from the training split's counts (see balance.h).
enum class ClassWeighting { None, InverseFrequency, EffectiveNumber };
/// Shuffle: each image once per epoch. Weighted: drawn with replacement with
/// probability proportional to the inverse frequency of its rarest class
/// (oversampling), the same number of draws per epoch as images.
enum class SamplerKind { Shuffle, Weighted };
enum class OptimizerKind { Sgd, AdamW };
enum class ScheduleKind { Constant, Cosine, OneCycle };
enum class MixKind { None, MixUp, CutMix };
/// What early stopping and "best checkpoint" look at (on validation).
enum class Metric { Loss, Accuracy, MacroF1 };

// Stable names (stored in projects, used on the CLI): "none" "layer1" "layer2"
// "layer3" "head" / "ce" "focal" "bce" / "none" "inverse" "effective" /
// "shuffle" "weighted" / "sgd" "adamw" / "constant" "cosine" "onecycle" /
// "none" "mixup" "cutmix" / "loss" "accuracy" "macro_f1".
QString freezeName(FreezePolicy v);
std::optional<FreezePolicy> freezeFromName(const QString &name);
QString lossName(LossKind v);
std::optional<LossKind> lossFromName(const QString &name);
QString weightingName(ClassWeighting v);
std::optional<ClassWeighting> weightingFromName(const QString &name);
QString samplerName(SamplerKind v);
std::optional<SamplerKind> samplerFromName(const QString &name);
QString optimizerName(OptimizerKind v);
std::optional<OptimizerKind> optimizerFromName(const QString &name);
QString scheduleName(ScheduleKind v);
std::optional<ScheduleKind> scheduleFromName(const QString &name);
QString mixName(MixKind v);
std::optional<MixKind> mixFromName(const QString &name);
QString metricName(Metric v);
std::optional<Metric> metricFromName(const QString &name);

/// The model names the engine knows, in the order a UI lists them:
/// resnet18 resnet34 resnet50 mobilenet_v3_small mobilenet_v3_large efficientnet_b0 smallcnn.
QStringList trainModelNames();
/// 224, or 64 for smallcnn.
int defaultImageSize(const QString &model);

/// Every knob of a run. Defaults are the classic fine-tuning recipe.
struct TrainConfig {
    QString model = QStringLiteral("resnet18");
    QString weightsFile;        ///< .pth state_dict or TorchScript archive; empty: from scratch
    /// A TorchScript weights file carries code that LibTorch runs while loading
    /// it: it is loaded only when the person said so (the studio asks, the CLI
    /// needs --trust-torchscript). Plain .pth files never need this.
    bool trustTorchScript = false;
    FreezePolicy freeze = FreezePolicy::None;
    bool multiLabel = false;

    LossKind loss = LossKind::CrossEntropy;
    double focalGamma = 2.0;
    ClassWeighting classWeighting = ClassWeighting::None;
    double effectiveNumberBeta = 0.999;
    double labelSmoothing = 0.0; ///< single-label only, 0..0.5
    SamplerKind sampler = SamplerKind::Shuffle;
    MixKind mix = MixKind::None;
    double mixAlpha = 0.2;
    double mixProbability = 0.5; ///< share of batches mixed

    OptimizerKind optimizer = OptimizerKind::Sgd;
    double learningRate = 0.01;  ///< the head's; peak for one-cycle
    double backboneLrFactor = 0.1; ///< discriminative rates: backbone lr = learningRate * this
    double momentum = 0.9;       ///< SGD momentum; AdamW beta1
    double weightDecay = 1e-4;
    ScheduleKind schedule = ScheduleKind::Cosine;
    double warmupEpochs = 0.0;   ///< linear warm-up (fractions allowed); one-cycle has its own
    double gradClipNorm = 0.0;   ///< global L2 norm; 0: off

    int epochs = 10;
    qint64 maxSteps = 0;         ///< stop after this many optimiser steps in all; 0: no limit
    int batchSize = 32;
    int imageSize = 0;           ///< square side; 0: defaultImageSize(model)
    int earlyStoppingPatience = 0; ///< epochs without improvement; 0: off
    Metric monitor = Metric::MacroF1; ///< for early stopping and the best checkpoint

    quint64 seed = 1;
    int threads = 0;             ///< LibTorch intra-op threads; 0: all cores
    int loaderWorkers = 0;       ///< decode/augment threads; 0: automatic
    qint64 cacheBytes = qint64(2) << 30; ///< decoded-image cache; 0: off

    QByteArray augmentRecipe;    ///< AugmentRecipe JSON; empty: the project's recipe, else the standard preset
    QString trainSplit = QStringLiteral("train");
    QString validationSplit = QStringLiteral("val");
    QString testSplit = QStringLiteral("test");
    /// When the project has no validation split: this share of the training
    /// split (stratified, seeded) is held out for validation. 0: no validation.
    double validationFraction = 0.15;

    // Making a trained model smaller (shrink.h). Each is written to JSON only
    // when it differs from its default, so the records of ordinary runs keep
    // exactly the keys they always had.
    /// > 0: the weights start from this run's best checkpoint (not from
    /// `weightsFile`), and the run takes that run's split snapshot and classes.
    qint64 initFromRun = 0;
    /// > 0 (needs initFromRun): this fraction of all conv + linear weights,
    /// smallest |w| first over the whole network, is set to 0 before the first
    /// step and held at exactly 0 through every optimiser step.
    double pruneSparsity = 0.0;
    /// > 0: knowledge distillation from this run's best model (single-label):
    /// loss = alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T))
    /// + (1 - alpha) * the usual loss, the teacher in eval mode on the same batch.
    /// Without initFromRun the run takes the teacher's split snapshot and classes.
    qint64 teacherRun = 0;
    double distillTemperature = 4.0; ///< T
    double distillAlpha = 0.5;       ///< weight of the soft-label term

    int effectiveImageSize() const;

    /// Compact JSON object with every field by its stable name (snake_case keys:
    /// "model", "weights", "freeze", "multi_label", "loss", "focal_gamma",
    /// "class_weighting", "beta", "label_smoothing", "sampler", "mix", "mix_alpha",
    /// "mix_probability", "optimizer", "lr", "backbone_lr_factor", "momentum",
    /// "weight_decay", "schedule", "warmup_epochs", "grad_clip", "epochs",
    /// "max_steps", "batch", "image_size", "patience", "monitor", "seed",
    /// "threads", "workers", "cache_bytes", "augment" (object), "train_split",
    /// "val_split", "test_split", "val_fraction"), and only when set:
    /// "init_from_run", "prune_sparsity", "teacher_run", "distill_temperature",
    /// "distill_alpha".
    QByteArray toJson() const;
    /// Missing keys keep their defaults. Unknown keys, wrong types, unknown
    /// names and out-of-range values are an Error naming `where` and the key.
    static Result<TrainConfig> fromJson(const QByteArray &json, const QString &where = {});
    /// Out-of-range values and impossible combinations ("bce" without
    /// multi-label, label smoothing with BCE, an unknown model), one message.
    Status validate() const;

    bool operator==(const TrainConfig &o) const { return toJson() == o.toJson(); }
};

} // namespace salient::train
