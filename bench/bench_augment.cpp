// SPDX-License-Identifier: GPL-3.0-or-later
// bench_augment: what training's data loader does per image, on the files of
// a folder: read, decode (reduced JPEG decode when the augmentation allows),
// the standard preset (rotate 15, random resized crop 224, colour jitter
// .2/.2/.2, horizontal flip, translate .1), normalise into a float CHW batch
// of 32. Images/s with N worker threads, the same measurement as
// ../shared/peers/bench_pipeline.py (3 warm-up batches, then 32 timed).
//
//   bench_augment --folder /tmp/ds1k [--threads 1,2] [--runs 3]
// Compare: /usr/bin/python3 ../shared/peers/bench_pipeline.py --folder /tmp/ds1k --workers 0,2
// (bench/compare_pipeline.py runs both under the peers' idle wait).

#include "bench/bench_imaging_common.h"
#include "core/imaging/augment.h"
#include "core/imaging/decode.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QTemporaryDir>

#include <opencv2/core.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

using namespace salient;

namespace {

constexpr int kBatch = 32;
constexpr int kSide = 224;

/// One image through the whole pipeline into its slot of the batch.
bool loadOne(const Augmenter &aug, const QString &path, std::uint64_t seed, float *chw)
{
    auto bytes = readFileBytes(path);
    if (!bytes.ok())
        return false;
    auto probe = probeImage(bytes.value(), path);
    if (!probe.ok())
        return false;
    const QSize full(probe->width, probe->height);
    const int r = aug.sourceReduction(full, seed);
    DecodeOptions opt;
    opt.orientation = probe->orientation;
    opt.minSide = std::min(full.width(), full.height()) / r;
    auto img = decodeImageBytes(bytes.value(), path, opt);
    if (!img.ok())
        return false;
    const AugmentSample out = aug.apply({img.value(), {}, {}}, seed, full);
    if (out.image.rows != kSide || out.image.cols != kSide || out.image.channels() != 3)
        return false;
    static const float mean[3] = {0.485f, 0.456f, 0.406f}, stdv[3] = {0.229f, 0.224f, 0.225f};
    for (int y = 0; y < kSide; ++y) {
        const cv::Vec3b *row = out.image.ptr<cv::Vec3b>(y);
        for (int x = 0; x < kSide; ++x)
            for (int c = 0; c < 3; ++c) // BGR -> RGB planes
                chw[(c * kSide + y) * kSide + x] = (row[x][2 - c] / 255.0f - mean[c]) / stdv[c];
    }
    return true;
}

/// images/s over `batches` batches of the shuffled file list, `threads` workers.
double run(const Augmenter &aug, const QStringList &files, int threads, int warm, int timed,
           std::uint64_t seed, int *failures)
{
    std::vector<int> order(files.size());
    for (int i = 0; i < int(order.size()); ++i)
        order[i] = i;
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<float> batch(size_t(kBatch) * 3 * kSide * kSide);
    std::atomic_int failed{0};
    QElapsedTimer t;
    qint64 started = 0;
    for (int b = 0; b < warm + timed; ++b) {
        if (b == warm) {
            t.start();
            started = 1;
        }
        std::atomic_int next{0};
        auto work = [&] {
            for (int i = next++; i < kBatch; i = next++) {
                const int k = order[size_t(b * kBatch + i) % order.size()];
                if (!loadOne(aug, files[k], seed * 1000003ULL + std::uint64_t(b * kBatch + i),
                             batch.data() + size_t(i) * 3 * kSide * kSide))
                    ++failed;
            }
        };
        std::vector<std::thread> pool;
        for (int w = 1; w < threads; ++w)
            pool.emplace_back(work);
        work();
        for (std::thread &th : pool)
            th.join();
    }
    (void)started;
    *failures = failed;
    return double(timed * kBatch) / (t.nsecsElapsed() / 1e9);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({"folder", "Folder of images (recursive).", "dir"});
    p.addOption({"threads", "Comma-separated worker counts.", "list", "1,2"});
    p.addOption({"runs", "Runs per thread count.", "n", "3"});
    p.addOption({"generate", "Generate this many 1280x960 JPEGs when no folder is given.", "n", "256"});
    p.process(app);
    QTextStream log(stderr);

    QTemporaryDir tmp;
    QString folder = p.value("folder");
    if (folder.isEmpty()) {
        folder = tmp.path();
        if (!bench::generateJpegs(folder, p.value("generate").toInt(), log))
            return 1;
    }
    const QStringList files = bench::imageFiles(folder);
    if (files.isEmpty()) {
        log << "no images in " << folder << "\n";
        return 1;
    }
    bench::warmCache(files);
    const Augmenter aug(AugmentRecipe::standardPreset());
    std::printf("| pipeline | threads | img/s (median) | min | max | failures |\n|---|---|---|---|---|---|\n");
    for (const QString &tc : p.value("threads").split(',')) {
        const int threads = std::max(1, tc.toInt());
        std::vector<double> rates;
        int failures = 0;
        for (int r = 0; r < p.value("runs").toInt(); ++r) {
            int f = 0;
            rates.push_back(run(aug, files, threads, 3, 32, 100 + r, &f));
            failures += f;
        }
        std::sort(rates.begin(), rates.end());
        std::printf("| salient decode+preset+normalise | %d | %.1f | %.1f | %.1f | %d |\n", threads,
                    rates[rates.size() / 2], rates.front(), rates.back(), failures);
        std::fflush(stdout);
    }
    // The studio's live preview: 8 variants of a 1-megapixel image (1155x866),
    // all threads, from the image's pyramid (built once per image, not timed).
    {
        cv::Mat mp;
        auto first = decodeImage(files.first());
        if (!first.ok())
            return 1;
        cv::resize(first.value(), mp, cv::Size(1155, 866), 0, 0, cv::INTER_AREA);
        const QVector<cv::Mat> pyramid = augmentPyramid(mp);
        const QVector<Geometry> shapes{Box{QRectF(300, 200, 400, 300)}};
        std::vector<double> ms;
        for (int r = 0; r < 30; ++r) {
            QElapsedTimer t;
            t.start();
            std::atomic_int next{0};
            auto work = [&] {
                for (int i = next++; i < 8; i = next++)
                    (void)augmentFromPyramid(aug, pyramid, shapes, std::uint64_t(r * 8 + i));
            };
            std::vector<std::thread> pool;
            for (int w = 1; w < QThread::idealThreadCount(); ++w)
                pool.emplace_back(work);
            work();
            for (std::thread &th : pool)
                th.join();
            ms.push_back(t.nsecsElapsed() / 1e6);
        }
        std::sort(ms.begin(), ms.end());
        std::printf("\n| preview | threads | ms for 8 variants of 1155x866 (median) | min | max |\n|---|---|---|---|---|\n");
        std::printf("| salient augmentFromPyramid | %d | %.1f | %.1f | %.1f |\n", QThread::idealThreadCount(),
                    ms[ms.size() / 2], ms.front(), ms.back());
    }
    return 0;
}
