// SPDX-License-Identifier: GPL-3.0-or-later
// Augmentation recipes: names, parameters, JSON form, the standard preset and
// the domain guards.
#include "core/imaging/augment.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <array>
#include <cmath>

namespace salient {

namespace {

struct TypeName {
    TransformType type;
    const char *name;
};

constexpr std::array<TypeName, 11> kTypeNames{{
    {TransformType::Rotate, "rotate"},
    {TransformType::RandomResizedCrop, "random_resized_crop"},
    {TransformType::Resize, "resize"},
    {TransformType::ColorJitter, "color_jitter"},
    {TransformType::HorizontalFlip, "horizontal_flip"},
    {TransformType::VerticalFlip, "vertical_flip"},
    {TransformType::Affine, "affine"},
    {TransformType::GaussianBlur, "gaussian_blur"},
    {TransformType::GaussianNoise, "gaussian_noise"},
    {TransformType::RandomErasing, "random_erasing"},
    {TransformType::Normalize, "normalize"},
}};

TransformParam p(const char *key, const char *label, double lo, double hi, double step, double def)
{
    return TransformParam{QString::fromLatin1(key), QString::fromLatin1(label), lo, hi, step, def};
}

Error recipeError(const QString &where, const QString &message)
{
    Error e = makeError(Error::Code::Invalid, message, where);
    return e;
}

} // namespace

QString transformName(TransformType type)
{
    for (const TypeName &t : kTypeNames)
        if (t.type == type)
            return QString::fromLatin1(t.name);
    return {};
}

std::optional<TransformType> transformFromName(const QString &name)
{
    for (const TypeName &t : kTypeNames)
        if (name == QLatin1String(t.name))
            return t.type;
    return std::nullopt;
}

QVector<TransformParam> transformParams(TransformType type)
{
    switch (type) {
    case TransformType::Rotate:
        return {p("degrees", QT_TRANSLATE_NOOP("TransformParam", "Degrees"), 0, 180, 1, 15)};
    case TransformType::RandomResizedCrop:
        return {p("size", QT_TRANSLATE_NOOP("TransformParam", "Size (px)"), 8, 2048, 1, 224), p("scale_min", QT_TRANSLATE_NOOP("TransformParam", "Smallest area"), 0.01, 1, 0.01, 0.08),
                p("scale_max", QT_TRANSLATE_NOOP("TransformParam", "Largest area"), 0.01, 1, 0.01, 1.0),
                p("ratio_min", QT_TRANSLATE_NOOP("TransformParam", "Narrowest ratio"), 0.1, 10, 0.01, 3.0 / 4.0),
                p("ratio_max", QT_TRANSLATE_NOOP("TransformParam", "Widest ratio"), 0.1, 10, 0.01, 4.0 / 3.0)};
    case TransformType::Resize:
        return {p("width", QT_TRANSLATE_NOOP("TransformParam", "Width (px)"), 8, 4096, 1, 224), p("height", QT_TRANSLATE_NOOP("TransformParam", "Height (px)"), 8, 4096, 1, 224)};
    case TransformType::ColorJitter:
        return {p("brightness", QT_TRANSLATE_NOOP("TransformParam", "Brightness"), 0, 1, 0.01, 0.2), p("contrast", QT_TRANSLATE_NOOP("TransformParam", "Contrast"), 0, 1, 0.01, 0.2),
                p("saturation", QT_TRANSLATE_NOOP("TransformParam", "Saturation"), 0, 1, 0.01, 0.2), p("hue", QT_TRANSLATE_NOOP("TransformParam", "Hue"), 0, 0.5, 0.01, 0.0)};
    case TransformType::HorizontalFlip:
    case TransformType::VerticalFlip:
        return {};
    case TransformType::Affine:
        return {p("translate", QT_TRANSLATE_NOOP("TransformParam", "Translate (fraction)"), 0, 0.5, 0.01, 0.1),
                p("scale_min", QT_TRANSLATE_NOOP("TransformParam", "Smallest scale"), 0.1, 4, 0.01, 1.0), p("scale_max", QT_TRANSLATE_NOOP("TransformParam", "Largest scale"), 0.1, 4, 0.01, 1.0),
                p("shear", QT_TRANSLATE_NOOP("TransformParam", "Shear (degrees)"), 0, 45, 1, 0)};
    case TransformType::GaussianBlur:
        return {p("sigma_min", QT_TRANSLATE_NOOP("TransformParam", "Smallest sigma"), 0.01, 20, 0.01, 0.1), p("sigma_max", QT_TRANSLATE_NOOP("TransformParam", "Largest sigma"), 0.01, 20, 0.01, 2.0)};
    case TransformType::GaussianNoise:
        return {p("std", QT_TRANSLATE_NOOP("TransformParam", "Noise (fraction of range)"), 0, 1, 0.005, 0.03)};
    case TransformType::RandomErasing:
        return {p("scale_min", QT_TRANSLATE_NOOP("TransformParam", "Smallest area"), 0.001, 1, 0.001, 0.02), p("scale_max", QT_TRANSLATE_NOOP("TransformParam", "Largest area"), 0.001, 1, 0.001, 0.33),
                p("ratio_min", QT_TRANSLATE_NOOP("TransformParam", "Narrowest ratio"), 0.05, 20, 0.01, 0.3), p("ratio_max", QT_TRANSLATE_NOOP("TransformParam", "Widest ratio"), 0.05, 20, 0.01, 3.3),
                p("value", QT_TRANSLATE_NOOP("TransformParam", "Fill value"), 0, 255, 1, 0)};
    case TransformType::Normalize:
        return {p("mean_r", QT_TRANSLATE_NOOP("TransformParam", "Mean R"), 0, 1, 0.001, 0.485), p("mean_g", QT_TRANSLATE_NOOP("TransformParam", "Mean G"), 0, 1, 0.001, 0.456),
                p("mean_b", QT_TRANSLATE_NOOP("TransformParam", "Mean B"), 0, 1, 0.001, 0.406), p("std_r", QT_TRANSLATE_NOOP("TransformParam", "Std R"), 0.001, 1, 0.001, 0.229),
                p("std_g", QT_TRANSLATE_NOOP("TransformParam", "Std G"), 0.001, 1, 0.001, 0.224), p("std_b", QT_TRANSLATE_NOOP("TransformParam", "Std B"), 0.001, 1, 0.001, 0.225)};
    }
    return {};
}

double TransformSpec::param(const QString &key) const
{
    const auto it = params.constFind(key);
    if (it != params.constEnd())
        return it.value();
    for (const TransformParam &tp : transformParams(type))
        if (tp.key == key)
            return tp.defaultValue;
    return 0;
}

QString domainName(ImageDomain domain)
{
    switch (domain) {
    case ImageDomain::Natural: return QStringLiteral("natural");
    case ImageDomain::Medical: return QStringLiteral("medical");
    case ImageDomain::Documents: return QStringLiteral("documents");
    case ImageDomain::Aerial: return QStringLiteral("aerial");
    }
    return {};
}

std::optional<ImageDomain> domainFromName(const QString &name)
{
    for (ImageDomain d : {ImageDomain::Natural, ImageDomain::Medical, ImageDomain::Documents,
                          ImageDomain::Aerial})
        if (domainName(d) == name)
            return d;
    return std::nullopt;
}

QByteArray AugmentRecipe::toJson() const
{
    QJsonArray list;
    for (const TransformSpec &t : transforms) {
        QJsonObject o;
        o.insert(QStringLiteral("type"), transformName(t.type));
        o.insert(QStringLiteral("enabled"), t.enabled);
        o.insert(QStringLiteral("p"), t.probability);
        for (const TransformParam &tp : transformParams(t.type))
            o.insert(tp.key, t.param(tp.key));
        list.append(o);
    }
    QJsonObject root;
    root.insert(QStringLiteral("version"), 1);
    root.insert(QStringLiteral("min_box_visibility"), minBoxVisibility);
    root.insert(QStringLiteral("min_box_pixels"), minBoxPixels);
    root.insert(QStringLiteral("transforms"), list);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Result<AugmentRecipe> AugmentRecipe::fromJson(const QByteArray &json, const QString &where)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError) {
        Error e = makeError(Error::Code::Parse,
                            QStringLiteral("malformed recipe JSON: %1").arg(pe.errorString()), where,
                            int(json.left(pe.offset).count('\n')) + 1);
        return e;
    }
    if (!doc.isObject())
        return recipeError(where, QStringLiteral("a recipe must be a JSON object"));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("version")).toInt(1) != 1)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("recipe version %1 is newer than this studio knows")
                             .arg(root.value(QStringLiteral("version")).toInt()),
                         where);
    AugmentRecipe r;
    r.minBoxVisibility = root.value(QStringLiteral("min_box_visibility")).toDouble(r.minBoxVisibility);
    r.minBoxPixels = root.value(QStringLiteral("min_box_pixels")).toDouble(r.minBoxPixels);
    if (!(r.minBoxVisibility >= 0 && r.minBoxVisibility <= 1) || !(r.minBoxPixels >= 0))
        return recipeError(where, QStringLiteral("min_box_visibility must lie in 0..1 and "
                                                 "min_box_pixels must not be negative"));
    const QJsonValue list = root.value(QStringLiteral("transforms"));
    if (!list.isArray())
        return recipeError(where, QStringLiteral("'transforms' must be a list"));
    const QJsonArray arr = list.toArray();
    for (int i = 0; i < arr.size(); ++i) {
        const QString at = QStringLiteral("transforms[%1]").arg(i);
        if (!arr.at(i).isObject())
            return recipeError(where, at + QStringLiteral(": must be an object"));
        const QJsonObject o = arr.at(i).toObject();
        const auto type = transformFromName(o.value(QStringLiteral("type")).toString());
        if (!type)
            return recipeError(where, at + QStringLiteral(": unknown transform type '%1'")
                                               .arg(o.value(QStringLiteral("type")).toString()));
        TransformSpec t;
        t.type = *type;
        t.enabled = o.value(QStringLiteral("enabled")).toBool(true);
        t.probability = o.value(QStringLiteral("p")).toDouble(1.0);
        if (!(t.probability >= 0 && t.probability <= 1))
            return recipeError(where, at + QStringLiteral(".p: a probability lies in 0..1"));
        for (const TransformParam &tp : transformParams(t.type)) {
            const QJsonValue v = o.value(tp.key);
            if (v.isUndefined())
                continue;
            const double x = v.toDouble(std::nan(""));
            if (!v.isDouble() || !(x >= tp.minimum && x <= tp.maximum))
                return recipeError(where, at + QStringLiteral(".%1: must be a number in %2..%3")
                                                   .arg(tp.key)
                                                   .arg(tp.minimum)
                                                   .arg(tp.maximum));
            t.params.insert(tp.key, x);
        }
        r.transforms.push_back(t);
    }
    return r;
}

AugmentRecipe AugmentRecipe::standardPreset()
{
    AugmentRecipe r;
    auto add = [&](TransformType type, double p, QHash<QString, double> params) {
        TransformSpec t;
        t.type = type;
        t.probability = p;
        t.params = std::move(params);
        r.transforms.push_back(t);
    };
    add(TransformType::Rotate, 1.0, {{QStringLiteral("degrees"), 15}});
    add(TransformType::RandomResizedCrop, 1.0, {{QStringLiteral("size"), 224}});
    add(TransformType::ColorJitter, 1.0,
        {{QStringLiteral("brightness"), 0.2}, {QStringLiteral("contrast"), 0.2},
         {QStringLiteral("saturation"), 0.2}, {QStringLiteral("hue"), 0.0}});
    add(TransformType::HorizontalFlip, 0.5, {});
    add(TransformType::Affine, 1.0,
        {{QStringLiteral("translate"), 0.1}, {QStringLiteral("scale_min"), 1.0},
         {QStringLiteral("scale_max"), 1.0}, {QStringLiteral("shear"), 0.0}});
    add(TransformType::Normalize, 1.0, {});
    return r;
}

QStringList AugmentRecipe::domainWarnings(ImageDomain domain) const
{
    QStringList out;
    for (const TransformSpec &t : transforms) {
        if (!t.enabled || t.probability <= 0)
            continue;
        const QString name = transformName(t.type);
        switch (domain) {
        case ImageDomain::Medical:
            if (t.type == TransformType::HorizontalFlip || t.type == TransformType::VerticalFlip)
                out << QCoreApplication::translate("AugmentRecipe",
                                                   "%1: flipping a medical image swaps left and right (or "
                                                   "head and feet); a mirrored scan is a different finding")
                           .arg(name);
            if (t.type == TransformType::ColorJitter && t.param(QStringLiteral("hue")) > 0)
                out << QCoreApplication::translate("AugmentRecipe", "%1: hue shifts change stain and tissue colours that carry "
                                      "diagnostic meaning")
                           .arg(name);
            break;
        case ImageDomain::Documents:
            if (t.type == TransformType::HorizontalFlip || t.type == TransformType::VerticalFlip)
                out << QCoreApplication::translate("AugmentRecipe", "%1: mirrored text is not text any more").arg(name);
            if (t.type == TransformType::Rotate && t.param(QStringLiteral("degrees")) > 5)
                out << QCoreApplication::translate("AugmentRecipe", "%1: rotating text by more than 5 degrees makes pages no "
                                      "scanner produces")
                           .arg(name);
            break;
        case ImageDomain::Natural:
            if (t.type == TransformType::VerticalFlip)
                out << QCoreApplication::translate("AugmentRecipe", "%1: upside-down photos do not occur in the wild; the "
                                      "model learns from scenes it will never see")
                           .arg(name);
            break;
        case ImageDomain::Aerial:
            break; // seen from above, every orientation is real
        }
    }
    return out;
}

} // namespace salient
