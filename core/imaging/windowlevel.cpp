// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/windowlevel.h"

#include <QtGlobal>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

constexpr double kMinWidth = 1.0; // narrower than one value would divide by ~0

/// Writes one row of output through the LUT. T is uchar or ushort; the
/// output is grey (1 byte per pixel) or RGB (3 bytes, from BGR/BGRA input).
template <typename T>
void renderRows(const cv::Mat &src, uchar *dst, qsizetype bytesPerLine, const std::uint8_t *lut,
                const cv::Range &rows)
{
    const int cn = src.channels();
    const int cols = src.cols;
    for (int r = rows.start; r < rows.end; ++r) {
        const T *in = src.ptr<T>(r);
        uchar *out = dst + r * bytesPerLine;
        if (cn == 1) {
            for (int c = 0; c < cols; ++c)
                out[c] = lut[in[c]];
        } else {
            for (int c = 0; c < cols; ++c, in += cn, out += 3) {
                out[0] = lut[in[2]]; // BGR in, RGB out
                out[1] = lut[in[1]];
                out[2] = lut[in[0]];
            }
        }
    }
}

WindowLevel windowFromBounds(double lo, double hi)
{
    if (hi - lo < kMinWidth)
        hi = lo + kMinWidth;
    return {(lo + hi) / 2.0, hi - lo};
}

} // namespace

int maxValueForDepth(int cvDepth)
{
    return cvDepth == CV_16U ? 65535 : 255;
}

WindowLevel fullRangeWindow(int cvDepth)
{
    const double max = maxValueForDepth(cvDepth);
    return {max / 2.0, max};
}

QVector<WindowPreset> windowPresets(int bitDepth)
{
    QVector<WindowPreset> out;
    auto fixed = [](const char *id, const char *name, double lo, double hi) {
        return WindowPreset{QString::fromLatin1(id), name, WindowPresetKind::Fixed,
                            windowFromBounds(lo, hi)};
    };
    const WindowPreset autoPreset{
        QStringLiteral("auto"), QT_TRANSLATE_NOOP("WindowLevelBar", "Auto (0.5–99.5 %)"),
                       WindowPresetKind::Auto, {}};
    const WindowPreset minMax{QStringLiteral("minmax"),
                                             QT_TRANSLATE_NOOP("WindowLevelBar", "Data min–max"),
                                             WindowPresetKind::MinMax, {}};
    if (bitDepth > 8) {
        // Most 16-bit files hold fewer significant bits: cameras and scanners
        // write 10, 12 or 14 bits into 16-bit samples.
        out << autoPreset << minMax
            << fixed("full", QT_TRANSLATE_NOOP("WindowLevelBar", "Full 16-bit range"), 0, 65535)
            << fixed("10bit", QT_TRANSLATE_NOOP("WindowLevelBar", "10-bit (0–1023)"), 0, 1023)
            << fixed("12bit", QT_TRANSLATE_NOOP("WindowLevelBar", "12-bit (0–4095)"), 0, 4095)
            << fixed("14bit", QT_TRANSLATE_NOOP("WindowLevelBar", "14-bit (0–16383)"), 0, 16383)
            // CT stored as HU + 1024 (the usual rescale intercept of -1024).
            << fixed("ct-soft", QT_TRANSLATE_NOOP("WindowLevelBar", "CT soft tissue (HU+1024)"),
                     1024 + 40 - 200, 1024 + 40 + 200)
            << fixed("ct-lung", QT_TRANSLATE_NOOP("WindowLevelBar", "CT lung (HU+1024)"),
                     1024 - 600 - 750, 1024 - 600 + 750)
            << fixed("ct-bone", QT_TRANSLATE_NOOP("WindowLevelBar", "CT bone (HU+1024)"),
                     1024 + 400 - 900, 1024 + 400 + 900);
    } else {
        out << fixed("full", QT_TRANSLATE_NOOP("WindowLevelBar", "Full range (0–255)"), 0, 255)
            << autoPreset << minMax
            << fixed("dark", QT_TRANSLATE_NOOP("WindowLevelBar", "Dark detail (0–127)"), 0, 127)
            << fixed("bright", QT_TRANSLATE_NOOP("WindowLevelBar", "Bright detail (128–255)"), 128,
                     255)
            << fixed("contrast", QT_TRANSLATE_NOOP("WindowLevelBar", "High contrast (64–191)"), 64,
                     191);
    }
    return out;
}

WindowLevel resolvePreset(const WindowPreset &preset, const cv::Mat &fullDepth)
{
    switch (preset.kind) {
    case WindowPresetKind::Auto:
        return autoWindow(fullDepth);
    case WindowPresetKind::MinMax:
        return minMaxWindow(fullDepth);
    case WindowPresetKind::Fixed:
        break;
    }
    return preset.window;
}

std::vector<std::uint64_t> fullDepthHistogram(const cv::Mat &image)
{
    if (image.empty() || (image.depth() != CV_8U && image.depth() != CV_16U))
        return {};
    const bool wide = image.depth() == CV_16U;
    std::vector<std::uint64_t> hist(wide ? 65536 : 256, 0);
    const int n = image.cols * image.channels();
    for (int r = 0; r < image.rows; ++r) {
        if (wide) {
            const ushort *p = image.ptr<ushort>(r);
            for (int i = 0; i < n; ++i)
                ++hist[p[i]];
        } else {
            const uchar *p = image.ptr<uchar>(r);
            for (int i = 0; i < n; ++i)
                ++hist[p[i]];
        }
    }
    return hist;
}

WindowLevel minMaxWindow(const cv::Mat &image)
{
    if (image.empty())
        return fullRangeWindow(CV_8U);
    double lo = 0, hi = 0;
    try {
        cv::minMaxLoc(image.reshape(1), &lo, &hi);
    } catch (const cv::Exception &) {
        return fullRangeWindow(image.depth());
    }
    return windowFromBounds(lo, hi);
}

WindowLevel autoWindow(const cv::Mat &image, double lowPercent, double highPercent)
{
    const std::vector<std::uint64_t> hist = fullDepthHistogram(image);
    if (hist.empty())
        return fullRangeWindow(image.empty() ? CV_8U : image.depth());
    std::uint64_t total = 0;
    for (std::uint64_t h : hist)
        total += h;
    // The value at which the running count first exceeds the share: the
    // usual nearest-rank percentile.
    auto percentile = [&](double percent) {
        const double target = total * std::clamp(percent, 0.0, 100.0) / 100.0;
        std::uint64_t running = 0;
        for (size_t v = 0; v < hist.size(); ++v) {
            running += hist[v];
            if (double(running) > target)
                return double(v);
        }
        return double(hist.size() - 1);
    };
    return windowFromBounds(percentile(lowPercent), percentile(highPercent));
}

std::vector<std::uint8_t> windowLevelLut(const WindowLevel &window, int cvDepth)
{
    const int max = maxValueForDepth(cvDepth);
    std::vector<std::uint8_t> lut(size_t(max) + 1);
    const double width = std::max(window.width, 1e-9);
    const double lower = window.lower();
    for (int v = 0; v <= max; ++v) {
        // Multiply before dividing: the centre of an even window is exactly 127.5.
        const double y = (v - lower) * 255.0 / width;
        lut[size_t(v)] = std::uint8_t(std::clamp(std::lround(y), 0L, 255L));
    }
    return lut;
}

QImage renderWindowLevel(const cv::Mat &image, const WindowLevel &window)
{
    if (image.empty() || (image.depth() != CV_8U && image.depth() != CV_16U))
        return {};
    const int cn = image.channels();
    if (cn != 1 && cn != 3 && cn != 4)
        return {};
    QImage out(image.cols, image.rows, cn == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    if (out.isNull())
        return {}; // out of memory
    const std::vector<std::uint8_t> lut = windowLevelLut(window, image.depth());
    const bool wide = image.depth() == CV_16U;
    // Take the pointer once: QImage::scanLine() may detach, not thread safe.
    uchar *bits = out.bits();
    const qsizetype bpl = out.bytesPerLine();
    // Rows are independent: split them over OpenCV's thread pool.
    try {
        cv::parallel_for_(cv::Range(0, image.rows), [&](const cv::Range &rows) {
            if (wide)
                renderRows<ushort>(image, bits, bpl, lut.data(), rows);
            else
                renderRows<uchar>(image, bits, bpl, lut.data(), rows);
        });
    } catch (const cv::Exception &) {
        return {};
    }
    return out;
}

WindowLevel dragWindow(const WindowLevel &start, double dx, double dy, double range)
{
    const double step = range / 1024.0;
    WindowLevel w;
    w.width = std::clamp(start.width + dx * step, kMinWidth, 2.0 * range);
    w.center = std::clamp(start.center + dy * step, -range / 2.0, range * 1.5);
    return w;
}

} // namespace salient
