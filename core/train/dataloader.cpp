// SPDX-License-Identifier: GPL-3.0-or-later
// DataLoader: a pool of worker threads fills the next prefetchBatches batches
// image by image, straight into each batch's float buffer; next() hands them
// out in order. Every pixel depends only on (seed, epoch, position), never on
// which worker did the work or when, so runs are reproducible at any worker
// count and a resumed epoch sees the same batches.
#include "core/train/dataloader.h"

#include "core/train/datapipeline.h"

#include <opencv2/core.hpp>

#include <QSet>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

namespace salient::train {

using namespace data;

std::vector<double> oversamplingWeights(const QVector<LoaderItem> &items, int numClasses)
{
    // Items without a (valid) class form a group of their own, so that in
    // multi-label data the all-negative images are neither lost nor dominant.
    std::vector<qint64> counts(std::size_t(std::max(0, numClasses)) + 1, 0);
    const std::size_t none = counts.size() - 1;
    auto valid = [&](int c) { return c >= 0 && c < numClasses; };
    for (const LoaderItem &item : items) {
        bool any = false;
        for (int c : item.classes)
            if (valid(c)) {
                ++counts[std::size_t(c)];
                any = true;
            }
        if (!any)
            ++counts[none];
    }
    std::vector<double> weights;
    weights.reserve(std::size_t(items.size()));
    for (const LoaderItem &item : items) {
        qint64 rarest = 0;
        for (int c : item.classes)
            if (valid(c) && (rarest == 0 || counts[std::size_t(c)] < rarest))
                rarest = counts[std::size_t(c)];
        if (rarest == 0)
            rarest = counts[none];
        weights.push_back(1.0 / double(std::max<qint64>(1, rarest)));
    }
    return weights;
}

namespace {

/// A batch being filled by the workers.
struct Pending {
    Batch batch;
    std::vector<cv::Mat> images; ///< 8-bit BGR, only for batches to be mixed
    bool mix = false;
    bool allocated = false;
    int done = 0;
    bool ready = false;
};

} // namespace

struct DataLoader::Impl {
    /// const: operator[] on a shared non-const QVector detaches, and workers
    /// index it concurrently.
    const QVector<LoaderItem> items;
    LoaderOptions opt;
    Augmenter augmenter;
    Normalization norm;
    std::vector<double> weights;
    qint64 perRank = 0;
    qint64 batches = 0;

    // The current epoch; written by startEpoch() while no worker is busy.
    int epoch = 0;
    std::vector<Position> plan;

    std::mutex m;
    std::condition_variable workCv;  ///< workers: work appeared, or shut down
    std::condition_variable readyCv; ///< next()/stop(): a batch is ready, a worker went idle
    bool running = false;
    bool shutdown = false;
    quint64 generation = 0; ///< bumped by stop(): results of an older generation are dropped
    qint64 nextTask = 0, endTask = 0, nextDeliver = 0;
    int active = 0;
    std::map<qint64, std::unique_ptr<Pending>> pending;
    std::vector<std::vector<float>> spare; ///< recycled pixel buffers
    std::vector<std::thread> threads;

    mutable std::mutex cacheMutex;
    std::vector<cv::Mat> cache; ///< per item, at training size; filled once, never evicted
    qint64 cacheUsed = 0, cacheCount = 0;

    mutable std::mutex problemMutex;
    QStringList problems;
    std::vector<char> bad; ///< per item: known unreadable

    Impl(QVector<LoaderItem> i, LoaderOptions o)
        : items(std::move(i)), opt(std::move(o)),
          augmenter(trainingRecipe(opt.recipe, std::max(1, opt.imageSize))),
          norm(normalizationFor(opt.recipe))
    {
        opt.imageSize = std::max(1, opt.imageSize);
        opt.batchSize = std::max(1, opt.batchSize);
        opt.prefetchBatches = std::max(1, opt.prefetchBatches);
        opt.worldSize = std::max(1, opt.worldSize);
        opt.rank = std::clamp(opt.rank, 0, opt.worldSize - 1);
        opt.numClasses = std::max(1, opt.numClasses);
        if (opt.augment && opt.sampler == SamplerKind::Weighted)
            weights = oversamplingWeights(items, opt.numClasses);
        perRank = positionsPerRank(items.size(), opt.worldSize);
        batches = batchesFor(perRank, opt.batchSize, opt.dropLast);
        cache.resize(std::size_t(items.size()));
        bad.assign(std::size_t(items.size()), 0);
        int n = opt.workers;
        if (n <= 0)
            n = std::max(1, int(std::thread::hardware_concurrency()) - 1);
        try {
            for (int k = 0; k < n; ++k)
                threads.emplace_back([this] { workerLoop(); });
        } catch (const std::system_error &e) { // out of threads: work with those we have
            if (threads.empty())
                problems << QStringLiteral("cannot start a loader thread: %1").arg(
                    QString::fromLocal8Bit(e.what()));
        }
    }

    ~Impl()
    {
        stop();
        {
            std::lock_guard<std::mutex> lk(m);
            shutdown = true;
        }
        workCv.notify_all();
        for (std::thread &t : threads)
            t.join();
    }

    void stop()
    {
        std::unique_lock<std::mutex> lk(m);
        running = false;
        ++generation;
        nextTask = endTask;
        readyCv.wait(lk, [this] { return active == 0; });
        pending.clear();
    }

    bool hasWork() const
    {
        return running && nextTask < endTask
               && nextTask / opt.batchSize < nextDeliver + opt.prefetchBatches;
    }

    void workerLoop()
    {
        std::unique_lock<std::mutex> lk(m);
        for (;;) {
            workCv.wait(lk, [this] { return shutdown || hasWork(); });
            if (shutdown)
                return;
            const qint64 p = nextTask++;
            const qint64 b = p / opt.batchSize;
            const int slot = int(p % opt.batchSize);
            std::unique_ptr<Pending> &entry = pending[b];
            const bool allocate = !entry;
            if (allocate)
                entry = std::make_unique<Pending>();
            Pending *pd = entry.get();
            const quint64 gen = generation;
            ++active;
            lk.unlock();

            if (allocate) // the first task of a batch: no one writes into it before this
                allocateBatch(*pd, b);
            const std::size_t at = std::size_t(p);
            cv::Mat image;
            const int used = produce(plan[at], image);

            lk.lock();
            readyCv.wait(lk, [pd] { return pd->allocated; });
            lk.unlock();
            fillSlot(*pd, slot, used, image);
            lk.lock();
            if (gen == generation && ++pd->done == pd->batch.size && pd->mix) {
                lk.unlock();
                finishMix(*pd, b);
                lk.lock();
            }
            if (gen == generation && pd->done == pd->batch.size)
                pd->ready = true;
            --active;
            readyCv.notify_all();
        }
    }

    void allocateBatch(Pending &pd, qint64 b)
    {
        const int size = int(std::min<qint64>(opt.batchSize, endTask - b * opt.batchSize));
        const std::size_t plane = std::size_t(opt.imageSize) * std::size_t(opt.imageSize);
        Batch &batch = pd.batch;
        batch.size = size;
        batch.height = batch.width = opt.imageSize;
        {
            std::lock_guard<std::mutex> lk(m);
            if (!spare.empty()) {
                batch.pixels = std::move(spare.back());
                spare.pop_back();
            }
        }
        // A recycled buffer of the same size is used as it is: every slot is
        // written before the batch is handed out, so no zeroing is needed.
        batch.pixels.resize(std::size_t(size) * 3 * plane);
        batch.targets.assign(std::size_t(size) * std::size_t(opt.numClasses), 0.0f);
        batch.labels.assign(std::size_t(size), -1);
        batch.imageIds.assign(std::size_t(size), 0);
        const std::uint64_t batchKey =
            std::uint64_t(b) * std::uint64_t(opt.worldSize) + std::uint64_t(opt.rank);
        pd.mix = opt.augment && opt.mix != MixKind::None && size > 1
                 && unitFromSeed(deriveSeed(opt.seed, kMixDrawTag, std::uint64_t(epoch), batchKey))
                        < opt.mixProbability;
        if (pd.mix)
            pd.images.resize(std::size_t(size));
        std::lock_guard<std::mutex> lk(m);
        pd.allocated = true;
        readyCv.notify_all();
    }

    void fillSlot(Pending &pd, int slot, int item, const cv::Mat &image)
    {
        Batch &batch = pd.batch;
        const LoaderItem &li = items[item];
        batch.imageIds[std::size_t(slot)] = li.imageId;
        float *target = batch.targets.data() + std::size_t(slot) * std::size_t(opt.numClasses);
        for (int c : li.classes) {
            if (c < 0 || c >= opt.numClasses)
                continue;
            target[c] = 1.0f;
            if (!opt.multiLabel && batch.labels[std::size_t(slot)] < 0)
                batch.labels[std::size_t(slot)] = c;
        }
        if (!opt.multiLabel && batch.labels[std::size_t(slot)] >= 0) { // exactly one hot
            std::fill(target, target + opt.numClasses, 0.0f);
            target[batch.labels[std::size_t(slot)]] = 1.0f;
        }
        if (pd.mix)
            pd.images[std::size_t(slot)] = image;
        else
            writeChw(image, norm,
                     batch.pixels.data()
                         + std::size_t(slot) * 3 * std::size_t(opt.imageSize)
                               * std::size_t(opt.imageSize));
    }

    void finishMix(Pending &pd, qint64 b)
    {
        Batch &batch = pd.batch;
        const std::size_t k = std::size_t(opt.numClasses);
        MixBatch mb;
        mb.images = pd.images;
        for (int i = 0; i < batch.size; ++i)
            mb.targets.emplace_back(batch.targets.begin() + std::ptrdiff_t(i * k),
                                    batch.targets.begin() + std::ptrdiff_t((i + 1) * k));
        const std::uint64_t batchKey =
            std::uint64_t(b) * std::uint64_t(opt.worldSize) + std::uint64_t(opt.rank);
        const std::uint64_t seed =
            deriveSeed(opt.seed, kMixSeedTag, std::uint64_t(epoch), batchKey);
        try {
            if (opt.mix == MixKind::CutMix)
                cutMix(mb, opt.mixAlpha, seed);
            else
                mixUp(mb, opt.mixAlpha, seed);
            batch.mixed = true;
        } catch (const cv::Exception &) {
            mb.images = pd.images; // leave the batch unmixed rather than lose it
            batch.mixed = false;
        }
        const std::size_t plane = std::size_t(opt.imageSize) * std::size_t(opt.imageSize);
        for (int i = 0; i < batch.size; ++i) {
            writeChw(mb.images[std::size_t(i)], norm,
                     batch.pixels.data() + std::size_t(i) * 3 * plane);
            if (!batch.mixed)
                continue;
            std::copy(mb.targets[std::size_t(i)].begin(), mb.targets[std::size_t(i)].end(),
                      batch.targets.begin() + std::ptrdiff_t(i * k));
            if (!opt.multiLabel) {
                const auto &row = mb.targets[std::size_t(i)];
                batch.labels[std::size_t(i)] =
                    int(std::max_element(row.begin(), row.end()) - row.begin());
            }
        }
        pd.images.clear();
    }

    /// Training-size pixels of an item: from the cache, or decoded (and kept
    /// while the cache has room).
    Result<cv::Mat> trainingSize(int item)
    {
        if (opt.cacheBytes > 0) {
            std::lock_guard<std::mutex> lk(cacheMutex);
            if (!cache[std::size_t(item)].empty())
                return cache[std::size_t(item)];
        }
        auto decoded = decodeAtTrainingSize(items[item], opt.imageSize);
        if (decoded.ok() && opt.cacheBytes > 0) {
            const cv::Mat &img = decoded.value();
            const qint64 bytes = qint64(img.total() * img.elemSize());
            std::lock_guard<std::mutex> lk(cacheMutex);
            if (cache[std::size_t(item)].empty() && cacheUsed + bytes <= opt.cacheBytes) {
                cache[std::size_t(item)] = img.isContinuous() ? img : img.clone();
                cacheUsed += bytes;
                ++cacheCount;
            }
        }
        return decoded;
    }

    /// The finished 8-bit BGR imageSize x imageSize image of one item at one position.
    Result<cv::Mat> imageFor(int item, qint64 global)
    {
        const std::uint64_t seed =
            deriveSeed(opt.seed, kAugmentTag, std::uint64_t(epoch), std::uint64_t(global));
        try {
            // With a cache, every image goes through training size, cached or
            // not, so that the pixels do not depend on what fitted in time.
            if (!opt.augment || opt.cacheBytes > 0) {
                auto base = trainingSize(item);
                if (!base.ok())
                    return base;
                if (!opt.augment)
                    return centreCrop(base.value(), opt.imageSize);
                return finishTraining(augmenter.apply({base.value(), {}, {}}, seed).image,
                                      opt.imageSize);
            }
            auto out = decodeAndAugment(items[item], augmenter, seed);
            if (!out.ok())
                return out;
            return finishTraining(out.value(), opt.imageSize);
        } catch (const cv::Exception &e) {
            return makeError(Error::Code::Decode, QString::fromStdString(e.msg), items[item].path);
        }
    }

    bool knownBad(int item) const
    {
        std::lock_guard<std::mutex> lk(problemMutex);
        return bad[std::size_t(item)] != 0;
    }

    void report(int item, const QString &message)
    {
        std::lock_guard<std::mutex> lk(problemMutex);
        if (bad[std::size_t(item)])
            return;
        bad[std::size_t(item)] = 1;
        problems << QStringLiteral("%1: %2").arg(items[item].path, message);
    }

    /// Fills `image` for a position; returns the item actually used. An
    /// unreadable item is replaced by a seeded choice of another (the choice
    /// depends only on the position, so the batch is the same at any timing).
    int produce(const Position &pos, cv::Mat &image)
    {
        const int n = items.size();
        constexpr int kRandomTries = 16;
        for (int attempt = 0; attempt <= kRandomTries + n; ++attempt) {
            int item = pos.item;
            if (attempt > 0 && attempt <= kRandomTries)
                item = int(deriveSeed(opt.seed, kReplaceTag, std::uint64_t(pos.global),
                                      std::uint64_t(attempt))
                           % std::uint64_t(n));
            else if (attempt > kRandomTries)
                item = (pos.item + attempt - kRandomTries) % n; // then every item in turn
            if (knownBad(item))
                continue;
            auto result = imageFor(item, pos.global);
            if (result.ok() && result->cols == opt.imageSize && result->rows == opt.imageSize
                && result->type() == CV_8UC3) {
                image = result.value();
                return item;
            }
            report(item, result.ok() ? QStringLiteral("unexpected image size after the transform")
                                     : result.error().message);
        }
        // Nothing in the data set can be read: a black image keeps the batch whole.
        image = cv::Mat(opt.imageSize, opt.imageSize, CV_8UC3, cv::Scalar::all(0));
        return pos.item;
    }
};

DataLoader::DataLoader(QVector<LoaderItem> items, LoaderOptions options)
    : d(std::make_unique<Impl>(std::move(items), std::move(options)))
{
}

DataLoader::~DataLoader() = default;

qint64 DataLoader::batchesPerEpoch() const
{
    return d->batches;
}

qint64 DataLoader::itemCount() const
{
    return d->items.size();
}

void DataLoader::startEpoch(int epoch, qint64 skipBatches)
{
    d->stop(); // no worker is busy from here on
    const std::vector<int> order = epochOrder(d->items.size(), !d->opt.augment, d->opt.sampler,
                                              d->weights, d->opt.seed, epoch);
    std::lock_guard<std::mutex> lk(d->m);
    d->epoch = epoch;
    d->plan = shard(order, d->opt.rank, d->opt.worldSize);
    d->endTask = std::min<qint64>(qint64(d->plan.size()), d->batches * d->opt.batchSize);
    d->nextDeliver = std::clamp<qint64>(skipBatches, 0, d->batches);
    d->nextTask = std::min(d->endTask, d->nextDeliver * d->opt.batchSize);
    d->running = true;
    d->workCv.notify_all();
}

std::optional<Batch> DataLoader::next()
{
    std::unique_lock<std::mutex> lk(d->m);
    if (!d->running || d->nextDeliver >= d->batches || d->threads.empty()) {
        d->running = false;
        return std::nullopt;
    }
    const qint64 b = d->nextDeliver;
    d->readyCv.wait(lk, [&] {
        if (!d->running)
            return true;
        const auto it = d->pending.find(b);
        return it != d->pending.end() && it->second->ready;
    });
    if (!d->running)
        return std::nullopt;
    auto it = d->pending.find(b);
    Batch batch = std::move(it->second->batch);
    d->pending.erase(it);
    ++d->nextDeliver;
    if (d->nextDeliver >= d->batches)
        d->running = false;
    d->workCv.notify_all();
    return batch;
}

void DataLoader::stop()
{
    d->stop();
}

void DataLoader::recycle(Batch &&batch)
{
    std::lock_guard<std::mutex> lk(d->m);
    if (batch.pixels.capacity() > 0 && int(d->spare.size()) < d->opt.prefetchBatches + 1)
        d->spare.push_back(std::move(batch.pixels));
    batch = Batch();
}

QStringList DataLoader::problems() const
{
    std::lock_guard<std::mutex> lk(d->problemMutex);
    return d->problems;
}

qint64 DataLoader::cachedImages() const
{
    std::lock_guard<std::mutex> lk(d->cacheMutex);
    return d->cacheCount;
}

qint64 DataLoader::cachedBytes() const
{
    std::lock_guard<std::mutex> lk(d->cacheMutex);
    return d->cacheUsed;
}

int DataLoader::workers() const
{
    return int(d->threads.size());
}

} // namespace salient::train
