// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QImage>
#include <QMetaType>
#include <QString>
#include <QVector>

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

namespace salient {

/// Window/level (contrast/brightness) of a display, in the image's own units
/// (0..65535 for 16-bit, 0..255 for 8-bit). Values at or below
/// center - width/2 show black, at or above center + width/2 white, linear in
/// between. Display only: shapes and stored pixels never depend on it.
struct WindowLevel {
    double center = 127.5;
    double width = 255.0;

    double lower() const { return center - width / 2.0; }
    double upper() const { return center + width / 2.0; }
    bool operator==(const WindowLevel &o) const { return center == o.center && width == o.width; }
    bool operator!=(const WindowLevel &o) const { return !(*this == o); }
};

/// How a preset gets its window: fixed numbers, or computed from the pixels.
enum class WindowPresetKind { Fixed, Auto, MinMax };

/// A named window for the presets combo. `name` is English and marked with
/// QT_TRANSLATE_NOOP("WindowLevelBar", ...): the GUI translates it.
struct WindowPreset {
    QString id; ///< stable key, e.g. "auto", "full", "12bit"
    const char *name = "";
    WindowPresetKind kind = WindowPresetKind::Fixed;
    WindowLevel window; ///< for Fixed
};

/// The presets that make sense for images of this bit depth (8 or 16): the
/// first is the one a freshly opened image gets (auto for 16-bit, full range
/// for 8-bit).
QVector<WindowPreset> windowPresets(int bitDepth);
/// The window a preset gives for these pixels (Auto and MinMax look at them).
WindowLevel resolvePreset(const WindowPreset &preset, const cv::Mat &fullDepth);

/// Largest value of a pixel of this depth: 255 for CV_8U, 65535 for CV_16U.
int maxValueForDepth(int cvDepth);
/// 0..max: the identity for 8-bit data.
WindowLevel fullRangeWindow(int cvDepth);
/// The data's own min..max (all channels).
WindowLevel minMaxWindow(const cv::Mat &fullDepth);
/// Histogram of every channel value, computed on the full depth: 256 or
/// 65,536 bins. Empty for other depths.
std::vector<std::uint64_t> fullDepthHistogram(const cv::Mat &fullDepth);
/// The window from the lowPercent and highPercent percentiles of the
/// full-depth histogram (0.5 / 99.5: a few hot or dead pixels do not flatten
/// the contrast). Never narrower than one value.
WindowLevel autoWindow(const cv::Mat &fullDepth, double lowPercent = 0.5,
                       double highPercent = 99.5);

/// The 8-bit output of each input value (256 or 65,536 entries):
/// round(255 * (v - lower) / width), clamped to 0..255.
std::vector<std::uint8_t> windowLevelLut(const WindowLevel &window, int cvDepth);

/// Renders CV_8U or CV_16U pixels (1 channel: grey, 3: BGR, 4: BGRA with alpha
/// ignored) through the window into an 8-bit QImage (Grayscale8 or RGB888) of
/// the same size. A null QImage for other inputs.
QImage renderWindowLevel(const cv::Mat &fullDepth, const WindowLevel &window);

/// The window after a mouse drag of (dx, dy) widget pixels from `start`, as
/// medical viewers do it: right widens the window (less contrast), down
/// raises the level (darker). `range` is the value range (255 or 65535);
/// one pixel moves range/1024 (so a 1000-pixel drag spans the range).
WindowLevel dragWindow(const WindowLevel &start, double dx, double dy, double range);

} // namespace salient

Q_DECLARE_METATYPE(salient::WindowLevel)
