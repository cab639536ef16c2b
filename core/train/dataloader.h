// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Training data: decode, cache, augment and batch images in worker threads
// with prefetch, in a seeded order. Torch-free: batches are float buffers the
// trainer wraps without copying.

#include "core/imaging/augment.h"
#include "core/runs/trainconfig.h"
#include "core/util/result.h"

#include <QString>
#include <QVector>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace salient::train {

/// One example: where its pixels are and which classes it carries.
struct LoaderItem {
    qint64 imageId = 0;
    QString path;        ///< absolute
    int orientation = 1; ///< EXIF orientation from the store
    QVector<int> classes; ///< class indices into the run's class list (single-label: exactly one)
};

struct LoaderOptions {
    int imageSize = 224;   ///< square output side
    int numClasses = 2;
    bool multiLabel = false;
    int batchSize = 32;
    bool dropLast = false; ///< training drops a last partial batch smaller than 2 (BatchNorm)
    /// true: the recipe with a seed per (epoch, position); false (evaluation):
    /// shorter side resized to imageSize, centre crop, no randomness.
    bool augment = true;
    AugmentRecipe recipe;  ///< its Resize/RandomResizedCrop sizes are set to imageSize; Normalize is applied last (ImageNet mean/std when the recipe has none)
    SamplerKind sampler = SamplerKind::Shuffle; ///< evaluation: ignored, order as given
    MixKind mix = MixKind::None;
    double mixAlpha = 0.2;
    double mixProbability = 0.5;
    quint64 seed = 1;
    int workers = 0;       ///< decode/augment threads; 0: automatic (cores - 1, at least 1)
    int prefetchBatches = 3;
    qint64 cacheBytes = 0; ///< decoded images kept at training size (shorter side imageSize); 0: off
    /// Data parallelism: this process takes positions rank, rank + worldSize, ...
    /// of every epoch's order (the same order on every rank, padded by
    /// repeating so each rank gets the same number of batches).
    int rank = 0;
    int worldSize = 1;
};

/// One batch, ready for the network.
struct Batch {
    int size = 0;             ///< images in it
    int height = 0;
    int width = 0;
    std::vector<float> pixels;  ///< size x 3 x height x width, RGB, normalised
    std::vector<float> targets; ///< size x numClasses class probabilities (one-hot, multi-hot or mixed)
    std::vector<int> labels;    ///< size: single-label class index (the dominant one after mixing), -1 for multi-label
    std::vector<qint64> imageIds;
    bool mixed = false;         ///< MixUp/CutMix applied (accuracy is not meaningful)
};

/// Sampling weights for SamplerKind::Weighted: per item, 1 / (count of its
/// rarest class), so every class is drawn about equally often.
std::vector<double> oversamplingWeights(const QVector<LoaderItem> &items, int numClasses);

/// Feeds one epoch at a time. Thread-safe against its own workers only: call
/// from one thread. An image that cannot be decoded is reported once through
/// problems() and replaced by the next good one (never a crash, never a hole).
class DataLoader {
public:
    DataLoader(QVector<LoaderItem> items, LoaderOptions options);
    ~DataLoader(); ///< stops and joins the workers

    qint64 batchesPerEpoch() const;
    qint64 itemCount() const;

    /// Starts epoch `epoch` (1-based): its order comes from (seed, epoch) only,
    /// so a resumed run sees the same order. Skips the first `skipBatches`
    /// batches (resume mid-epoch) without decoding them.
    void startEpoch(int epoch, qint64 skipBatches = 0);
    /// The next batch of the epoch (blocks until a worker has it ready);
    /// nullopt when the epoch is done or stop() was called.
    std::optional<Batch> next();
    /// Ends the epoch early and returns once the workers are idle.
    void stop();
    /// Optional: hands a batch's buffers back once the network has consumed
    /// it, so a later batch reuses them instead of allocating and zeroing
    /// another ~19 MB (32 x 3 x 224 x 224 floats) in fresh pages.
    void recycle(Batch &&batch);

    /// Images that could not be read so far ("path: message"), each once.
    QStringList problems() const;
    /// Decoded images in the cache and their bytes (for the progress line).
    qint64 cachedImages() const;
    qint64 cachedBytes() const;
    int workers() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace salient::train
