// SPDX-License-Identifier: GPL-3.0-or-later
// TrainConfig: stable names, the JSON form kept in run records and read from
// the CLI, and the checks that keep an impossible run from starting.
#include "core/runs/trainconfig.h"

#include "core/imaging/augment.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

namespace salient::train {

namespace {

template <typename E>
struct NameOf {
    E value;
    const char *name;
};

template <typename E, size_t N>
QString nameIn(const NameOf<E> (&table)[N], E v)
{
    for (const auto &t : table)
        if (t.value == v)
            return QString::fromLatin1(t.name);
    return {};
}

template <typename E, size_t N>
std::optional<E> valueIn(const NameOf<E> (&table)[N], const QString &name)
{
    for (const auto &t : table)
        if (name == QLatin1String(t.name))
            return t.value;
    return std::nullopt;
}

const NameOf<FreezePolicy> kFreeze[] = {{FreezePolicy::None, "none"},
                                        {FreezePolicy::Layer1, "layer1"},
                                        {FreezePolicy::Layer2, "layer2"},
                                        {FreezePolicy::Layer3, "layer3"},
                                        {FreezePolicy::Head, "head"}};
const NameOf<LossKind> kLoss[] = {{LossKind::CrossEntropy, "ce"},
                                  {LossKind::Focal, "focal"},
                                  {LossKind::BinaryCrossEntropy, "bce"}};
const NameOf<ClassWeighting> kWeighting[] = {{ClassWeighting::None, "none"},
                                             {ClassWeighting::InverseFrequency, "inverse"},
                                             {ClassWeighting::EffectiveNumber, "effective"}};
const NameOf<SamplerKind> kSampler[] = {{SamplerKind::Shuffle, "shuffle"},
                                        {SamplerKind::Weighted, "weighted"}};
const NameOf<OptimizerKind> kOptimizer[] = {{OptimizerKind::Sgd, "sgd"},
                                            {OptimizerKind::AdamW, "adamw"}};
const NameOf<ScheduleKind> kSchedule[] = {{ScheduleKind::Constant, "constant"},
                                          {ScheduleKind::Cosine, "cosine"},
                                          {ScheduleKind::OneCycle, "onecycle"}};
const NameOf<MixKind> kMix[] = {
    {MixKind::None, "none"}, {MixKind::MixUp, "mixup"}, {MixKind::CutMix, "cutmix"}};
const NameOf<Metric> kMetric[] = {
    {Metric::Loss, "loss"}, {Metric::Accuracy, "accuracy"}, {Metric::MacroF1, "macro_f1"}};

const char *const kModels[] = {
    "resnet18",           "resnet34",        "resnet50", "mobilenet_v3_small",
    "mobilenet_v3_large", "efficientnet_b0", "smallcnn"};

// 2^53: beyond it a JSON number read back as a double loses digits.
constexpr quint64 kExactDoubleLimit = quint64(1) << 53;

/// A numeric field's allowed range, shared by fromJson() and validate() so the
/// two can never disagree. Open ends exclude the bound.
struct Range {
    double lo;
    double hi;
    bool loOpen = false;
    bool hiOpen = false;

    bool contains(double x) const
    {
        if (!std::isfinite(x))
            return false;
        return (loOpen ? x > lo : x >= lo) && (hiOpen ? x < hi : x <= hi);
    }
    QString text() const
    {
        const auto num = [](double v) {
            return v >= 1e15 ? QStringLiteral("%1").arg(v, 0, 'g', 3) : QString::number(v, 'g', 10);
        };
        return QStringLiteral("%1%2, %3%4")
                                  .arg(loOpen ? QLatin1Char('(') : QLatin1Char('['))
                                  .arg(num(lo), num(hi))
                                  .arg(hiOpen ? QLatin1Char(')') : QLatin1Char(']'));
    }
};

constexpr double kBig = 9.0e15; // "no upper limit" for 64-bit counts, still exact as a double

/// The numeric fields: key, range, whether it must be whole, and the member.
struct NumberField {
    const char *key;
    Range range;
    bool integral;
    std::function<double(const TrainConfig &)> get;
    std::function<void(TrainConfig &, double)> set;
    bool onlyWhenSet = false; ///< written only when it differs from the default
};

#define SALIENT_REAL(key, member, ...)                                                             \
    NumberField                                                                                    \
    {                                                                                              \
        key, Range{__VA_ARGS__}, false, [](const TrainConfig &c) { return double(c.member); },     \
            [](TrainConfig &c, double v) { c.member = v; }                                         \
    }
#define SALIENT_INT(key, member, type, ...)                                                        \
    NumberField                                                                                    \
    {                                                                                              \
        key, Range{__VA_ARGS__}, true, [](const TrainConfig &c) { return double(c.member); },      \
            [](TrainConfig &c, double v) { c.member = type(v); }                                   \
    }

const std::vector<NumberField> &numberFields()
{
    static const std::vector<NumberField> fields = {
        SALIENT_REAL("focal_gamma", focalGamma, 0, 10),
        SALIENT_REAL("beta", effectiveNumberBeta, 0, 1, false, true),
        SALIENT_REAL("label_smoothing", labelSmoothing, 0, 0.5),
        SALIENT_REAL("mix_alpha", mixAlpha, 0, 10, true),
        SALIENT_REAL("mix_probability", mixProbability, 0, 1),
        SALIENT_REAL("lr", learningRate, 0, 10, true),
        SALIENT_REAL("backbone_lr_factor", backboneLrFactor, 0, 10),
        SALIENT_REAL("momentum", momentum, 0, 1, false, true),
        SALIENT_REAL("weight_decay", weightDecay, 0, 1),
        SALIENT_REAL("warmup_epochs", warmupEpochs, 0, 100000),
        SALIENT_REAL("grad_clip", gradClipNorm, 0, 1e6),
        SALIENT_INT("epochs", epochs, int, 1, 100000),
        SALIENT_INT("max_steps", maxSteps, qint64, 0, kBig),
        SALIENT_INT("batch", batchSize, int, 1, 65536),
        SALIENT_INT("image_size", imageSize, int, 0, 8192),
        SALIENT_INT("patience", earlyStoppingPatience, int, 0, 100000),
        SALIENT_INT("threads", threads, int, 0, 4096),
        SALIENT_INT("workers", loaderWorkers, int, 0, 1024),
        SALIENT_INT("cache_bytes", cacheBytes, qint64, 0, kBig),
        SALIENT_REAL("val_fraction", validationFraction, 0, 0.9),
    };
    return fields;
}

/// The shrink fields (written only when set: ordinary runs keep their keys).
const std::vector<NumberField> &shrinkFields()
{
    static const std::vector<NumberField> fields = [] {
        std::vector<NumberField> f = {
            SALIENT_INT("init_from_run", initFromRun, qint64, 0, kBig),
            SALIENT_REAL("prune_sparsity", pruneSparsity, 0, 1, false, true),
            SALIENT_INT("teacher_run", teacherRun, qint64, 0, kBig),
            SALIENT_REAL("distill_temperature", distillTemperature, 0, 100, true),
            SALIENT_REAL("distill_alpha", distillAlpha, 0, 1),
        };
        for (NumberField &n : f)
            n.onlyWhenSet = true;
        return f;
    }();
    return fields;
}

/// Every numeric field, the shrink ones last.
const std::vector<NumberField> &allNumberFields()
{
    static const std::vector<NumberField> fields = [] {
        std::vector<NumberField> f = numberFields();
        f.insert(f.end(), shrinkFields().begin(), shrinkFields().end());
        return f;
    }();
    return fields;
}

#undef SALIENT_REAL
#undef SALIENT_INT

/// A named (enum) field.
struct NameField {
    const char *key;
    std::function<QString(const TrainConfig &)> get;
    std::function<bool(TrainConfig &, const QString &)> set; ///< false: unknown name
    QString choices;
};

template <typename E, size_t N>
QString choicesOf(const NameOf<E> (&table)[N])
{
    QStringList names;
    for (const auto &t : table)
        names << QString::fromLatin1(t.name);
    return names.join(QStringLiteral(", "));
}

#define SALIENT_NAMED(key, member, table)                                                          \
    NameField                                                                                      \
    {                                                                                              \
        key, [](const TrainConfig &c) { return nameIn(table, c.member); },                         \
            [](TrainConfig &c, const QString &n) {                                                 \
                const auto v = valueIn(table, n);                                                  \
                if (v)                                                                             \
                    c.member = *v;                                                                 \
                return bool(v);                                                                    \
            },                                                                                     \
            choicesOf(table)                                                                       \
    }

const std::vector<NameField> &nameFields()
{
    static const std::vector<NameField> fields = {
        SALIENT_NAMED("freeze", freeze, kFreeze),
        SALIENT_NAMED("loss", loss, kLoss),
        SALIENT_NAMED("class_weighting", classWeighting, kWeighting),
        SALIENT_NAMED("sampler", sampler, kSampler),
        SALIENT_NAMED("mix", mix, kMix),
        SALIENT_NAMED("optimizer", optimizer, kOptimizer),
        SALIENT_NAMED("schedule", schedule, kSchedule),
        SALIENT_NAMED("monitor", monitor, kMetric),
    };
    return fields;
}

#undef SALIENT_NAMED

/// Free-text fields.
struct TextField {
    const char *key;
    QString TrainConfig::*member;
};
const TextField kTextFields[] = {
    {"model", &TrainConfig::model},
    {"weights", &TrainConfig::weightsFile},
    {"train_split", &TrainConfig::trainSplit},
    {"val_split", &TrainConfig::validationSplit},
    {"test_split", &TrainConfig::testSplit},
};

Error configError(const QString &where, const QString &message,
                  Error::Code code = Error::Code::Invalid)
{
    return makeError(code, message, where);
}

QString rangeMessage(const NumberField &f)
{
    return QStringLiteral("'%1' must be %2 in %3") .arg(
        QLatin1String(f.key),
        f.integral ? QStringLiteral("a whole number") : QStringLiteral("a number"), f.range.text());
}

} // namespace

QString freezeName(FreezePolicy v)
{
    return nameIn(kFreeze, v);
}
std::optional<FreezePolicy> freezeFromName(const QString &name)
{
    return valueIn(kFreeze, name);
}
QString lossName(LossKind v)
{
    return nameIn(kLoss, v);
}
std::optional<LossKind> lossFromName(const QString &name)
{
    return valueIn(kLoss, name);
}
QString weightingName(ClassWeighting v)
{
    return nameIn(kWeighting, v);
}
std::optional<ClassWeighting> weightingFromName(const QString &name)
{
    return valueIn(kWeighting, name);
}
QString samplerName(SamplerKind v)
{
    return nameIn(kSampler, v);
}
std::optional<SamplerKind> samplerFromName(const QString &name)
{
    return valueIn(kSampler, name);
}
QString optimizerName(OptimizerKind v)
{
    return nameIn(kOptimizer, v);
}
std::optional<OptimizerKind> optimizerFromName(const QString &name)
{
    return valueIn(kOptimizer, name);
}
QString scheduleName(ScheduleKind v)
{
    return nameIn(kSchedule, v);
}
std::optional<ScheduleKind> scheduleFromName(const QString &name)
{
    return valueIn(kSchedule, name);
}
QString mixName(MixKind v)
{
    return nameIn(kMix, v);
}
std::optional<MixKind> mixFromName(const QString &name)
{
    return valueIn(kMix, name);
}
QString metricName(Metric v)
{
    return nameIn(kMetric, v);
}
std::optional<Metric> metricFromName(const QString &name)
{
    return valueIn(kMetric, name);
}

QStringList trainModelNames()
{
    QStringList names;
    for (const char *m : kModels)
        names << QString::fromLatin1(m);
    return names;
}

int defaultImageSize(const QString &model)
{
    return model == QLatin1String("smallcnn") ? 64 : 224;
}

int TrainConfig::effectiveImageSize() const
{
    return imageSize > 0 ? imageSize : defaultImageSize(model);
}

QByteArray TrainConfig::toJson() const
{
    QJsonObject o;
    for (const TextField &f : kTextFields)
        o.insert(QLatin1String(f.key), this->*f.member);
    for (const NameField &f : nameFields())
        o.insert(QLatin1String(f.key), f.get(*this));
    const TrainConfig defaults;
    for (const NumberField &f : allNumberFields()) {
        const double v = f.get(*this);
        if (f.onlyWhenSet && v == f.get(defaults))
            continue;
        if (f.integral)
            o.insert(QLatin1String(f.key), qint64(v));
        else
            o.insert(QLatin1String(f.key), v);
    }
    o.insert(QStringLiteral("multi_label"), multiLabel);
    if (trustTorchScript)
        o.insert(QStringLiteral("trust_torchscript"), true);
    // A seed past 2^53 would lose digits as a JSON number: such seeds are written as text.
    if (seed < kExactDoubleLimit)
        o.insert(QStringLiteral("seed"), qint64(seed));
    else
        o.insert(QStringLiteral("seed"), QString::number(seed));
    if (augmentRecipe.isEmpty()) {
        o.insert(QStringLiteral("augment"), QJsonValue::Null);
    } else {
        const QJsonDocument doc = QJsonDocument::fromJson(augmentRecipe);
        // A recipe that is not an object is kept as text so fromJson() and
        // validate() can report it instead of it silently vanishing.
        o.insert(QStringLiteral("augment"), doc.isObject()
                                                ? QJsonValue(doc.object())
                                                : QJsonValue(QString::fromUtf8(augmentRecipe)));
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<TrainConfig> TrainConfig::fromJson(const QByteArray &json, const QString &where)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        Error e = configError(
            where, QStringLiteral("malformed training config JSON: %1").arg(pe.errorString()),
                                  Error::Code::Parse);
        e.line = int(json.left(pe.offset).count('\n')) + 1;
        return e;
    }
    if (!doc.isObject())
        return configError(where, QStringLiteral("a training config must be a JSON object"),
                                                 Error::Code::Parse);
    QJsonObject o = doc.object();
    TrainConfig c;

    for (const TextField &f : kTextFields) {
        const QJsonValue v = o.take(QLatin1String(f.key));
        if (v.isUndefined())
            continue;
        if (!v.isString())
            return configError(where,
                               QStringLiteral("'%1' must be a string").arg(QLatin1String(f.key)));
        c.*f.member = v.toString();
    }
    if (!trainModelNames().contains(c.model))
        return configError(where, QStringLiteral("'model': unknown model '%1' (known: %2)") .arg(
                                      c.model, trainModelNames().join(QStringLiteral(", "))));
    for (const NameField &f : nameFields()) {
        const QJsonValue v = o.take(QLatin1String(f.key));
        if (v.isUndefined())
            continue;
        if (!v.isString())
            return configError(where,
                               QStringLiteral("'%1' must be a string").arg(QLatin1String(f.key)));
        if (!f.set(c, v.toString()))
            return configError(where, QStringLiteral("'%1': unknown name '%2' (known: %3)") .arg(
                                          QLatin1String(f.key), v.toString(), f.choices));
    }
    for (const NumberField &f : allNumberFields()) {
        const QJsonValue v = o.take(QLatin1String(f.key));
        if (v.isUndefined())
            continue;
        const double x = v.toDouble(std::nan(""));
        if (!v.isDouble() || !f.range.contains(x) || (f.integral && std::floor(x) != x))
            return configError(where, rangeMessage(f));
        f.set(c, x);
    }
    {
        const QJsonValue v = o.take(QStringLiteral("multi_label"));
        if (!v.isUndefined()) {
            if (!v.isBool())
                return configError(where, QStringLiteral("'multi_label' must be true or false"));
            c.multiLabel = v.toBool();
        }
    }
    {
        const QJsonValue v = o.take(QStringLiteral("trust_torchscript"));
        if (!v.isUndefined()) {
            if (!v.isBool())
                return configError(where, QStringLiteral("'trust_torchscript' must be true or false"));
            c.trustTorchScript = v.toBool();
        }
    }
    {
        const QJsonValue v = o.take(QStringLiteral("seed"));
        if (!v.isUndefined()) {
            bool ok = false;
            if (v.isDouble()) {
                const double x = v.toDouble();
                ok = x >= 0 && x < double(kExactDoubleLimit) && std::floor(x) == x;
                c.seed = ok ? quint64(x) : 0;
            } else if (v.isString()) {
                c.seed = v.toString().toULongLong(&ok);
            }
            if (!ok)
                return configError(where,
                                   QStringLiteral("'seed' must be a whole number in "
                                                         "[0, 2^53) or a decimal string up to 2^64-1"));
        }
    }
    {
        const QJsonValue v = o.take(QStringLiteral("augment"));
        if (!v.isUndefined() && !v.isNull()) {
            if (!v.isObject())
                return configError(where,
                                   QStringLiteral("'augment' must be a recipe object or null"));
            const QByteArray recipe = QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
            auto parsed = AugmentRecipe::fromJson(recipe, where);
            if (!parsed.ok()) {
                Error e = parsed.error();
                e.message = QStringLiteral("'augment': ") + e.message;
                e.path = where;
                return e;
            }
            c.augmentRecipe = recipe;
        }
    }
    if (!o.isEmpty())
        return configError(where, QStringLiteral("unknown key '%1' in the training config") .arg(
                                      o.keys().constFirst()));
    Status s = c.validate();
    if (!s.ok()) {
        Error e = s.error();
        e.path = where;
        return e;
    }
    return c;
}

Status TrainConfig::validate() const
{
    QStringList problems;
    if (!trainModelNames().contains(model))
        problems << QStringLiteral("unknown model '%1'").arg(model);
    for (const NumberField &f : allNumberFields()) {
        const double x = f.get(*this);
        if (!f.range.contains(x))
            problems << rangeMessage(f);
    }
    for (const NameField &f : nameFields())
        if (f.get(*this).isEmpty())
            problems << QStringLiteral("'%1' holds an unknown value").arg(QLatin1String(f.key));
    if (imageSize != 0 && imageSize < 16)
        problems << QStringLiteral("'image_size' must be 0 (the model's default) or at least 16");
    if (loss == LossKind::BinaryCrossEntropy && !multiLabel)
        problems << QStringLiteral("loss 'bce' needs multi-label training; use 'ce' or 'focal'");
    if (loss == LossKind::CrossEntropy && multiLabel)
        problems << QStringLiteral("loss 'ce' is single-label; use 'bce' or 'focal' for multi-label");
    if (labelSmoothing > 0 && (multiLabel || loss == LossKind::BinaryCrossEntropy))
        problems << QStringLiteral("label smoothing is for single-label training only");
    if (warmupEpochs > epochs)
        problems << QStringLiteral("'warmup_epochs' (%1) exceeds 'epochs' (%2)") .arg(warmupEpochs).arg(epochs);
    if (pruneSparsity > 0 && initFromRun <= 0)
        problems << QStringLiteral("'prune_sparsity' needs 'init_from_run': pruning starts from a trained run");
    if (initFromRun > 0 && !weightsFile.isEmpty())
        problems << QStringLiteral("'init_from_run' and 'weights' both give the starting weights; set one");
    if (teacherRun > 0 && multiLabel)
        problems << QStringLiteral("distillation ('teacher_run') is for single-label training only");
    if (trainSplit.trimmed().isEmpty())
        problems << QStringLiteral("'train_split' must name a split");
    if (!augmentRecipe.isEmpty()) {
        auto parsed = AugmentRecipe::fromJson(augmentRecipe);
        if (!parsed.ok())
            problems << QStringLiteral("'augment': ") + parsed.error().message;
    }
    if (problems.isEmpty())
        return {};
    return makeError(Error::Code::Invalid, problems.join(QStringLiteral("; ")));
}

} // namespace salient::train
