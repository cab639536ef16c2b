// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/probe.h"
#include "core/util/result.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <opencv2/core/mat.hpp>

namespace salient {

/// Applies an EXIF orientation (1..8) to pixels, so that every consumer
/// (view, thumbnails, training, export) sees the image as displayed.
cv::Mat applyOrientation(const cv::Mat &image, int orientation);

struct DecodeOptions {
    int orientation = 1; ///< EXIF orientation to apply (from the store or the probe)
    int minSide =
        0; ///< if > 0, decode may shrink (JPEG DCT scaling) while both sides stay >= minSide
    bool keepDepth = false; ///< keep 16-bit data; otherwise convert to 8-bit for display
    qint64 maxPixels = pixelLimit(); ///< the process-wide limit when the options are made
};

/// Decodes a file with OpenCV (JPEG through libjpeg with DCT scaling when
/// minSide allows). Result is BGR or grey, 8-bit unless keepDepth.
/// Never throws: cv::Exception becomes an Error naming the file.
Result<cv::Mat> decodeImage(const QString &path, const DecodeOptions &options = {});
/// The same for bytes already in memory; `path` is only used in messages.
Result<cv::Mat> decodeImageBytes(const QByteArray &bytes, const QString &path,
                                 const DecodeOptions &options = {});

/// A thumbnail fitting maxSide x maxSide, orientation applied, 8-bit.
/// Fast path for JPEG: reduced-size decode with fast DCT. Images over
/// pixelLimit() are refused like every decode.
Result<QImage> makeThumbnail(const QString &path, int maxSide, int orientation);

/// 8-bit BGR/grey/BGRA cv::Mat -> QImage (deep copy). 16-bit input is
/// scaled by its full range (window/level comes later).
QImage toQImage(const cv::Mat &image);

/// 16-bit (or float) pixels -> 8-bit for display: the image's own min..max
/// is stretched to 0..255 (so 12-bit data in 16-bit files is not near black).
/// 8-bit input is returned as is.
cv::Mat toDisplayDepth(const cv::Mat &image);

/// Size of width x height scaled to fit a maxSide x maxSide box (aspect kept,
/// never enlarged, at least 1 x 1).
QSize fitInside(int width, int height, int maxSide);

} // namespace salient
