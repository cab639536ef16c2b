// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace salient::test {

/// Writers of small image files, odd ones included, that tests make for
/// themselves. Each returns false (and warns) if the file could not be written.
/// Pixel content is deterministic for a seed. Every image carries a marker:
/// a square of side max(2, min(width, height) / 6) in its *stored* top-left
/// corner, pure red in colour images (BGR 0,0,255) and white in grey ones,
/// so tests can check where decoding with an orientation puts it.

/// Side of the marker square for an image of that size.
int markerSide(int width, int height);

/// A colour JPEG; orientation != 1 adds an EXIF APP1 segment with that tag.
/// The EXIF block is big endian ("MM") unless exifLittleEndian.
bool writeJpeg(const QString &path, int width, int height, int seed = 0, int orientation = 1,
               int quality = 90, bool exifLittleEndian = false);
/// A grey (one component) JPEG.
bool writeGreyJpeg(const QString &path, int width, int height, int seed = 0);
/// A PNG with 1 (grey), 3 or 4 channels and 8 or 16 bits per channel.
bool writePng(const QString &path, int width, int height, int channels = 3, int bitDepth = 8,
              int seed = 0);
bool writeBmp(const QString &path, int width, int height, int seed = 0);
/// A lossless WebP; false when this OpenCV has no WebP writer.
bool writeWebp(const QString &path, int width, int height, int seed = 0);
/// A TIFF, 8 or 16 bits, grey (1) or colour (3).
bool writeTiff(const QString &path, int width, int height, int channels, int bitDepth,
               int seed = 0);
/// A valid JPEG cut to `keepFraction` of its bytes.
bool writeTruncatedJpeg(const QString &path, int width, int height, double keepFraction = 0.5);
bool writeZeroBytes(const QString &path);
/// Plain text under an image name, e.g. notes.jpg.
bool writeText(const QString &path, const QByteArray &text = "this is not an image\n");
/// A PNG whose IHDR declares width x height (e.g. 50000 x 50000) over a tiny
/// real payload: a decompression bomb's header.
bool writePngWithDeclaredSize(const QString &path, quint32 width, quint32 height);

} // namespace salient::test
