// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/pixellimit.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QString>

namespace salient {

/// What the file's header says, read without decoding pixels.
struct ProbeInfo {
    QString format;      ///< "jpeg", "png", "bmp", "tiff", "webp"
    int storedWidth = 0; ///< as encoded
    int storedHeight = 0;
    int width = 0; ///< as displayed: swapped for EXIF orientations 5..8
    int height = 0;
    int orientation = 1; ///< EXIF orientation 1..8 (1 when absent)
    int bitDepth = 8;    ///< bits per channel
    int channels = 3;    ///< 1 grey, 2 grey+alpha, 3 colour, 4 colour+alpha
};

/// Default largest image the studio will decode (a setting changes it, see
/// pixelLimit()): refuses decompression bombs before anything is allocated.
constexpr qint64 kDefaultMaxPixels = 300LL * 1000 * 1000;

/// Reads format, size, depth and EXIF orientation from the bytes of a whole
/// file. Fails with a user-facing reason (naming `path`) for: empty files,
/// unknown formats (e.g. text named .jpg), truncated data (JPEG without its
/// end marker, PNG without IEND), corrupt headers, zero or absurd sizes
/// (more than maxPixels, by default the process-wide pixelLimit()).
Result<ProbeInfo> probeImage(const QByteArray &bytes, const QString &path,
                             qint64 maxPixels = pixelLimit());

/// Reads a whole file with one read call (import, probe and decode each read
/// a file once). Errors name the file. Refuses what is not a regular file
/// (a pipe or device would block or never end) and files larger than
/// maxImageFileBytes(), before allocating.
Result<QByteArray> readFileBytes(const QString &path);

/// Whether `path` is a regular file that starts like one of the image
/// formats probeImage() reads (first 12 bytes only). Exports check it before
/// copying a file a project names: a project from someone else could name
/// any file (a key, a document) as an image.
bool looksLikeImageFile(const QString &path);

/// Image file suffixes the importer picks up (lower case, no dot).
QStringList supportedImageSuffixes();

} // namespace salient
