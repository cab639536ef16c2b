// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to DataLoader (torch-free): the epoch order, sharding, seeds and
// the per-image steps from a file to a float CHW slice of a batch. Kept apart
// from the threading so each piece can be tested on its own.

#include "core/imaging/augment.h"
#include "core/train/dataloader.h"

#include <QSize>

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace salient::train::data {

/// A seed from several parts (splitmix64 chained): close inputs give unrelated seeds.
std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t tag, std::uint64_t a,
                         std::uint64_t b = 0);
/// A uniform double in [0, 1) from a seed (bit-exact on every build).
double unitFromSeed(std::uint64_t seed);

/// Tags that keep the seed streams of the loader apart.
enum SeedTag : std::uint64_t {
    kOrderTag = 0x6f72646572ULL, // epoch order
    kAugmentTag = 0x6175676dULL, // per-position augmentation
    kMixDrawTag = 0x6d697864ULL, // whether a batch is mixed
    kMixSeedTag = 0x6d697873ULL, // lambda and partners of a mixed batch
    kReplaceTag = 0x7265706cULL, // replacements for unreadable images
};

/// The whole epoch's order of item indices, the same on every rank:
/// as given (evaluation), a seeded permutation (Shuffle) or `n` seeded draws
/// with replacement proportional to `weights` (Weighted).
std::vector<int> epochOrder(int n, bool evaluation, SamplerKind sampler,
                            const std::vector<double> &weights, std::uint64_t seed, int epoch);

/// One position of this rank's share of an epoch.
struct Position {
    qint64 global = 0; ///< position in the padded epoch order (seeds derive from it)
    int item = 0;
};
/// Positions rank, rank + worldSize, ... of `order` padded by repeating it
/// from the start so that every rank gets ceil(n / worldSize) positions.
std::vector<Position> shard(const std::vector<int> &order, int rank, int worldSize);
/// Positions per rank and batches per epoch (dropLast: a last batch of 1 goes).
qint64 positionsPerRank(qint64 n, int worldSize);
qint64 batchesFor(qint64 positions, int batchSize, bool dropLast);

/// value = pixel * scale + offset per RGB channel.
struct Normalization {
    float scale[3] = {0, 0, 0};
    float offset[3] = {0, 0, 0};
};
/// The recipe's enabled Normalize step, else ImageNet's mean and std.
Normalization normalizationFor(const AugmentRecipe &recipe);
/// The recipe with its Resize / RandomResizedCrop sizes set to `size`.
AugmentRecipe trainingRecipe(AugmentRecipe recipe, int size);

/// Shorter side to `size` (area averaging when shrinking by 2x or more, else bilinear).
cv::Mat shorterSideTo(const cv::Mat &image, int size);
/// The centred size x size window of an image whose shorter side is `size`
/// (resized first if it is not).
cv::Mat centreCrop(const cv::Mat &image, int size);
/// 8-bit grey / BGRA / BGR -> 8-bit BGR.
cv::Mat toBgr(const cv::Mat &image);
/// 8-bit BGR size x size -> planar RGB floats at `dst` (3 x rows x cols), normalised.
void writeChw(const cv::Mat &bgr, const Normalization &norm, float *dst);

/// Decoded at training size: JPEG reduced while both sides stay >= size,
/// orientation applied, then the shorter side brought to `size`.
Result<cv::Mat> decodeAtTrainingSize(const LoaderItem &item, int size);
/// The training image of one position from the full-resolution file (no
/// cache): decoded only as large as this draw of the recipe needs.
Result<cv::Mat> decodeAndAugment(const LoaderItem &item, const Augmenter &augmenter,
                                 std::uint64_t seed);
/// The recipe's output brought to size x size (square: resized; otherwise
/// shorter side to size and centre crop, so the aspect ratio is kept).
cv::Mat finishTraining(const cv::Mat &augmented, int size);

} // namespace salient::train::data
