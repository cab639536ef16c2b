// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"
#include "core/util/result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <optional>

namespace salient {

/// The transforms of an augmentation recipe. Stored by name; never renumber.
enum class TransformType {
    Rotate,            ///< uniform angle in [-degrees, degrees] about the centre, size kept
    RandomResizedCrop, ///< torchvision's: area scale and log-uniform aspect ratio, resized
    Resize,            ///< to width x height
    ColorJitter,       ///< brightness, contrast, saturation, hue (torchvision's factors)
    HorizontalFlip,
    VerticalFlip,
    Affine,            ///< translate (fraction of size), scale range, shear (degrees)
    GaussianBlur,      ///< sigma uniform in [sigma_min, sigma_max]
    GaussianNoise,     ///< additive, std as a fraction of the full range
    RandomErasing,     ///< cutout: a rectangle of random area and ratio set to a value
    Normalize,         ///< mean/std per channel; applied by training, a no-op in previews
};

QString transformName(TransformType type); ///< "rotate", "random_resized_crop", ...
std::optional<TransformType> transformFromName(const QString &name);

/// One editable parameter of a transform, so editors can be generic.
struct TransformParam {
    QString key;   ///< JSON key, e.g. "degrees"
    QString label; ///< English label; the GUI translates
    double minimum = 0;
    double maximum = 1;
    double step = 0.01;
    double defaultValue = 0;
};
QVector<TransformParam> transformParams(TransformType type);

/// One step of a recipe: a transform with its parameters and probability.
struct TransformSpec {
    TransformType type = TransformType::Rotate;
    bool enabled = true;
    double probability = 1.0;
    QHash<QString, double> params; ///< missing keys take TransformParam::defaultValue

    double param(const QString &key) const;
    bool operator==(const TransformSpec &o) const
    {
        return type == o.type && enabled == o.enabled && probability == o.probability
            && params == o.params;
    }
};

/// What the pictures show, so that meaning-changing transforms can be flagged.
enum class ImageDomain { Natural, Medical, Documents, Aerial };
QString domainName(ImageDomain domain); ///< "natural", "medical", "documents", "aerial"
std::optional<ImageDomain> domainFromName(const QString &name);

/// A list of transforms applied in order, stored in the project as JSON.
struct AugmentRecipe {
    QVector<TransformSpec> transforms;
    /// A box is kept when at least this fraction of its transformed area stays
    /// in the picture (and at least minBoxPixels square pixels).
    double minBoxVisibility = 0.25;
    double minBoxPixels = 4.0;

    QByteArray toJson() const;
    /// Unknown transforms, wrong types and out-of-range values are an Error
    /// (Parse/Invalid) that names `where` (the file or setting it came from).
    static Result<AugmentRecipe> fromJson(const QByteArray &json, const QString &where = {});

    /// rotate 15, random resized crop 224, colour jitter 0.2/0.2/0.2, horizontal
    /// flip, translate 0.1: the classic torchvision fine-tuning pipeline.
    static AugmentRecipe standardPreset();

    /// Transforms that change what the image means in `domain` (flips of
    /// medical images swap left and right; rotated text...), one line each.
    QStringList domainWarnings(ImageDomain domain) const;

    bool operator==(const AugmentRecipe &o) const
    {
        return transforms == o.transforms && minBoxVisibility == o.minBoxVisibility
            && minBoxPixels == o.minBoxPixels;
    }
};

/// Pixels and the shapes drawn on them, in the image's displayed frame.
struct AugmentSample {
    cv::Mat image;             ///< 8-bit BGR or grey
    QVector<Geometry> shapes;  ///< boxes, polygons, masks (our coordinate convention)
    QVector<int> sourceIndex;  ///< output only: input index of each kept shape
};

/// Applies a recipe. Every geometric step (rotate, crop, resize, flips,
/// affine) is composed into one affine map and the pixels are warped once
/// (shrunk with area averaging first when the map shrinks by more than 2x), so
/// the result is sharper and faster than warping step by step. Boxes follow
/// the map (the box around the moved corners, clipped, dropped when less than
/// minBoxVisibility of it stays visible), polygons follow point by point
/// (clipped to the picture), masks are warped with nearest neighbour.
/// Deterministic: the same recipe, input and seed give the same pixels.
/// Thread-safe (const, no shared state).
class Augmenter {
public:
    explicit Augmenter(AugmentRecipe recipe);

    AugmentSample apply(const AugmentSample &input, std::uint64_t seed) const;

    const AugmentRecipe &recipe() const { return m_recipe; }

private:
    AugmentRecipe m_recipe;
};

} // namespace salient
