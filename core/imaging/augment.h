// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"
#include "core/util/result.h"

#include <QColor>
#include <QHash>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>
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

    /// `fullSize`: the size the shapes refer to when input.image comes shrunk
    /// (a reduced JPEG decode, see sourceReduction()); invalid: the image's own.
    AugmentSample apply(const AugmentSample &input, std::uint64_t seed,
                        const QSize &fullSize = QSize()) const;

    /// How much (1, 2, 4 or 8) an image of `size` may be shrunk before apply()
    /// with this seed without losing detail the output can show. Decoders pass
    /// it on to decode JPEGs at reduced size (DCT scaling), the costliest step.
    int sourceReduction(const QSize &size, std::uint64_t seed) const;

    const AugmentRecipe &recipe() const { return m_recipe; }

private:
    AugmentRecipe m_recipe;
};

/// The image shrunk by 1, 2, 4 and 8 (area averaging): previews render many
/// variants of one image, each from the smallest level that keeps its detail.
QVector<cv::Mat> augmentPyramid(const cv::Mat &image);
/// One variant (shapes in full-size coordinates) from the level the recipe allows for that seed.
AugmentSample augmentFromPyramid(const Augmenter &augmenter, const QVector<cv::Mat> &pyramid,
                                 const QVector<Geometry> &shapes, std::uint64_t seed);

/// A training batch for MixUp / CutMix: equally sized images and per-image
/// target rows (one-hot or multi-hot class probabilities), mixed alike.
struct MixBatch {
    std::vector<cv::Mat> images;
    std::vector<std::vector<float>> targets;
};

/// MixUp (Zhang et al. 2018): one lambda ~ Beta(alpha, alpha) per batch; each
/// image becomes lambda * itself + (1 - lambda) * a partner from a shuffled
/// batch, targets likewise. Returns lambda. Deterministic for a seed.
double mixUp(MixBatch &batch, double alpha, std::uint64_t seed);
/// CutMix (Yun et al. 2019): a rectangle of area (1 - lambda) from the partner
/// is pasted in; targets are mixed by the area actually pasted (after
/// clipping at the border). Returns that effective lambda.
double cutMix(MixBatch &batch, double alpha, std::uint64_t seed);

/// The sample's pixels (8-bit BGR) with its shapes drawn in `colors` (one per
/// shape): boxes outlined, polygons and masks filled see-through and outlined.
cv::Mat drawAugmentSample(const AugmentSample &sample, const QVector<QColor> &colors);

} // namespace salient
