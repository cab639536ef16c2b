// SPDX-License-Identifier: GPL-3.0-or-later
// The data loader's pure steps: seeded epoch orders, sharding, and one image
// from its file to normalised floats. No threads, no shared state.
#include "core/train/datapipeline.h"

#include "core/imaging/decode.h"
#include "core/imaging/probe.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace salient::train::data {

namespace {

std::uint64_t splitmix(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/// Our own draws on top of mt19937_64 (which the standard does fix bit for
/// bit), because the standard distributions are not the same on every library.
double unit(std::mt19937_64 &rng)
{
    return double(rng() >> 11) * (1.0 / 9007199254740992.0);
}

Error cvError(const QString &path, const cv::Exception &e)
{
    return makeError(
        Error::Code::Decode,
        QStringLiteral("cannot prepare the image: %1").arg(QString::fromStdString(e.msg)), path);
}

} // namespace

std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t tag, std::uint64_t a, std::uint64_t b)
{
    return splitmix(splitmix(splitmix(splitmix(seed) ^ tag) ^ a) ^ b);
}

double unitFromSeed(std::uint64_t seed)
{
    return double(splitmix(seed) >> 11) * (1.0 / 9007199254740992.0);
}

std::vector<int> epochOrder(int n, bool evaluation, SamplerKind sampler,
                            const std::vector<double> &weights, std::uint64_t seed, int epoch)
{
    std::vector<int> order(std::size_t(std::max(0, n)));
    std::iota(order.begin(), order.end(), 0);
    if (evaluation || n <= 1)
        return order;
    std::mt19937_64 rng(deriveSeed(seed, kOrderTag, std::uint64_t(epoch)));
    if (sampler == SamplerKind::Weighted) {
        std::vector<double> cumulative(order.size());
        double total = 0;
        for (std::size_t i = 0; i < order.size(); ++i) {
            const double w = i < weights.size() ? weights[i] : 0.0;
            total += (std::isfinite(w) && w > 0) ? w : 0.0;
            cumulative[i] = total;
        }
        for (std::size_t i = 0; i < order.size(); ++i) {
            if (!(total > 0)) { // no usable weights: uniform draws
                order[i] = int(std::min<double>(n - 1, std::floor(unit(rng) * n)));
                continue;
            }
            const double u = unit(rng) * total;
            const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
            order[i] = int(std::min<std::ptrdiff_t>(n - 1, it - cumulative.begin()));
        }
        return order;
    }
    for (std::size_t i = order.size(); i > 1; --i) { // Fisher-Yates
        const std::size_t j = std::min<std::size_t>(i - 1, std::size_t(unit(rng) * double(i)));
        std::swap(order[i - 1], order[j]);
    }
    return order;
}

qint64 positionsPerRank(qint64 n, int worldSize)
{
    const qint64 w = std::max(1, worldSize);
    return n <= 0 ? 0 : (n + w - 1) / w;
}

qint64 batchesFor(qint64 positions, int batchSize, bool dropLast)
{
    const qint64 bs = std::max(1, batchSize);
    qint64 batches = (positions + bs - 1) / bs;
    if (dropLast && batches > 0 && positions - (batches - 1) * bs < 2)
        --batches; // BatchNorm cannot train on a batch of one
    return batches;
}

std::vector<Position> shard(const std::vector<int> &order, int rank, int worldSize)
{
    const int w = std::max(1, worldSize);
    const int r = std::clamp(rank, 0, w - 1);
    const qint64 n = qint64(order.size());
    const qint64 per = positionsPerRank(n, w);
    std::vector<Position> out;
    out.reserve(std::size_t(per));
    for (qint64 k = 0; k < per; ++k) {
        const qint64 g = r + k * w;
        out.push_back({g, order[std::size_t(g % n)]});
    }
    return out;
}

Normalization normalizationFor(const AugmentRecipe &recipe)
{
    double mean[3] = {0.485, 0.456, 0.406}, stdv[3] = {0.229, 0.224, 0.225};
    for (const TransformSpec &t : recipe.transforms) {
        if (t.type != TransformType::Normalize || !t.enabled)
            continue;
        const char *m[3] = {"mean_r", "mean_g", "mean_b"}, *s[3] = {"std_r", "std_g", "std_b"};
        for (int c = 0; c < 3; ++c) {
            mean[c] = t.param(QLatin1String(m[c]));
            stdv[c] = std::max(1e-6, t.param(QLatin1String(s[c])));
        }
    }
    Normalization n;
    for (int c = 0; c < 3; ++c) {
        n.scale[c] = float(1.0 / (255.0 * stdv[c]));
        n.offset[c] = float(-mean[c] / stdv[c]);
    }
    return n;
}

AugmentRecipe trainingRecipe(AugmentRecipe recipe, int size)
{
    for (TransformSpec &t : recipe.transforms) {
        if (t.type == TransformType::RandomResizedCrop) {
            t.params.insert(QStringLiteral("size"), size);
        } else if (t.type == TransformType::Resize) {
            t.params.insert(QStringLiteral("width"), size);
            t.params.insert(QStringLiteral("height"), size);
        }
    }
    return recipe;
}

cv::Mat shorterSideTo(const cv::Mat &image, int size)
{
    const int shorter = std::min(image.cols, image.rows);
    if (image.empty() || shorter == size)
        return image;
    const double s = double(size) / shorter;
    const int w =
        image.cols <= image.rows ? size : std::max(size, int(std::lround(image.cols * s)));
    const int h = image.rows < image.cols ? size : std::max(size, int(std::lround(image.rows * s)));
    // Area averaging where bilinear would skip pixels (shrinking by 2x or
    // more). Below 2x bilinear touches every pixel and is ~7x faster than
    // OpenCV's area code for fractional factors, which is the common case
    // after a reduced JPEG decode (1280x960 -> 320x240 -> 299x224).
    cv::Mat out;
    cv::resize(image, out, cv::Size(w, h), 0, 0, s <= 0.5 ? cv::INTER_AREA : cv::INTER_LINEAR);
    return out;
}

cv::Mat centreCrop(const cv::Mat &image, int size)
{
    const cv::Mat base = shorterSideTo(image, size);
    if (base.empty())
        return base;
    const cv::Rect window((base.cols - size) / 2, (base.rows - size) / 2, size, size);
    return base(window);
}

cv::Mat toBgr(const cv::Mat &image)
{
    cv::Mat out;
    if (image.channels() == 1)
        cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
    else if (image.channels() == 4)
        cv::cvtColor(image, out, cv::COLOR_BGRA2BGR);
    else if (image.channels() == 2) { // grey + alpha: keep the grey
        cv::Mat grey;
        cv::extractChannel(image, grey, 0);
        cv::cvtColor(grey, out, cv::COLOR_GRAY2BGR);
    } else
        out = image;
    if (out.depth() != CV_8U)
        toDisplayDepth(out).copyTo(out);
    return out;
}

void writeChw(const cv::Mat &bgr, const Normalization &norm, float *dst)
{
    // A table per channel: one lookup per value instead of a multiply-add and
    // a conversion, and exactly the same floats whichever worker writes them.
    float lut[3][256];
    for (int c = 0; c < 3; ++c)
        for (int v = 0; v < 256; ++v)
            lut[c][v] = float(v) * norm.scale[c] + norm.offset[c];
    const std::size_t plane = std::size_t(bgr.rows) * std::size_t(bgr.cols);
    float *r = dst, *g = dst + plane, *b = dst + 2 * plane;
    for (int y = 0; y < bgr.rows; ++y) {
        const uchar *row = bgr.ptr<uchar>(y);
        const std::size_t base = std::size_t(y) * std::size_t(bgr.cols);
        for (int x = 0; x < bgr.cols; ++x) {
            const uchar *px = row + 3 * x;
            r[base + std::size_t(x)] = lut[0][px[2]];
            g[base + std::size_t(x)] = lut[1][px[1]];
            b[base + std::size_t(x)] = lut[2][px[0]];
        }
    }
}

Result<cv::Mat> decodeAtTrainingSize(const LoaderItem &item, int size)
{
    DecodeOptions options;
    options.orientation = item.orientation;
    options.minSide = size;
    auto decoded = decodeImage(item.path, options);
    if (!decoded.ok())
        return decoded.error();
    try {
        return toBgr(shorterSideTo(decoded.value(), size));
    } catch (const cv::Exception &e) {
        return cvError(item.path, e);
    }
}

Result<cv::Mat> decodeAndAugment(const LoaderItem &item, const Augmenter &augmenter,
                                 std::uint64_t seed)
{
    auto bytes = readFileBytes(item.path);
    if (!bytes.ok())
        return bytes.error();
    auto probe = probeImage(bytes.value(), item.path);
    if (!probe.ok())
        return probe.error();
    const bool swapped = item.orientation >= 5 && item.orientation <= 8;
    const QSize full = swapped ? QSize(probe->storedHeight, probe->storedWidth)
                               : QSize(probe->storedWidth, probe->storedHeight);
    const int reduction = augmenter.sourceReduction(full, seed);
    DecodeOptions options;
    options.orientation = item.orientation;
    options.minSide = reduction > 1 ? std::min(full.width(), full.height()) / reduction : 0;
    auto decoded = decodeImageBytes(bytes.value(), item.path, options);
    if (!decoded.ok())
        return decoded.error();
    try {
        const AugmentSample out = augmenter.apply({decoded.value(), {}, {}}, seed, full);
        return out.image;
    } catch (const cv::Exception &e) {
        return cvError(item.path, e);
    }
}

cv::Mat finishTraining(const cv::Mat &augmented, int size)
{
    cv::Mat out = toBgr(augmented);
    if (out.cols == size && out.rows == size)
        return out;
    if (out.cols == out.rows) {
        cv::Mat resized;
        cv::resize(out, resized, cv::Size(size, size), 0, 0,
                   out.cols > size ? cv::INTER_AREA : cv::INTER_LINEAR);
        return resized;
    }
    return centreCrop(out, size);
}

} // namespace salient::train::data
