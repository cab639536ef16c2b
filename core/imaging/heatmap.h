// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Heatmap overlays (OpenCV colour maps): a low-resolution class-activation map
// placed back on the image as displayed, blended, with an optional contour.
// Shared by the review widgets, the report and `salient-cli gradcam`.

#include "core/util/result.h"

#include <QByteArray>
#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>

#include <opencv2/core.hpp>

#include <optional>

namespace salient {

enum class ColourMap { Turbo, Jet, Viridis };
QString colourMapName(ColourMap m); ///< "turbo" "jet" "viridis"
std::optional<ColourMap> colourMapFromName(const QString &name);

struct OverlayStyle {
    ColourMap colourMap = ColourMap::Turbo;
    double opacity = 0.5;           ///< 0: the image only, 1: the heatmap only
    double contourThreshold = -1;   ///< in (0, 1): draw the outline of map >= threshold; otherwise none
    bool heatOutsideCrop = false;   ///< false: pixels the network never saw stay unblended
};

/// `lowRes` (CV_32FC1, values in [0, 1]) resized bilinearly onto `crop` of an
/// image of `imageSize`; zero outside the crop. CV_32FC1 of imageSize.
/// An empty map or an empty crop gives an all-zero map.
cv::Mat mapToImage(const cv::Mat &lowRes, QSize imageSize, QRect crop);

/// `imageBgr` (CV_8UC3, as displayed) blended with the colour-mapped
/// `mapAtImage` (CV_32FC1, same size, [0, 1]); contour drawn in white with a
/// dark edge so it shows on any colour. Same size and type as the image.
Result<cv::Mat> renderOverlay(const cv::Mat &imageBgr, const cv::Mat &mapAtImage,
                              const OverlayStyle &style, QRect crop = {});

/// Original | overlay, side by side with a small gap (CV_8UC3).
cv::Mat sideBySide(const cv::Mat &leftBgr, const cv::Mat &rightBgr, int gap = 8);

/// A colour bar legend (low to high), width x height, CV_8UC3: horizontal
/// (low at the left) when width >= height, else vertical (low at the bottom).
cv::Mat colourBar(ColourMap map, int width, int height);

/// CV_8UC3 BGR to a QImage (deep copy) and back.
QImage bgrToQImage(const cv::Mat &bgr);
cv::Mat qImageToBgr(const QImage &image);

/// Compact lossless storage of a low-resolution map: "SLMP", version, height,
/// width, then float32 little-endian values. decodeMap refuses wrong sizes.
QByteArray encodeMap(const cv::Mat &lowRes);
Result<cv::Mat> decodeMap(const QByteArray &blob);

} // namespace salient
