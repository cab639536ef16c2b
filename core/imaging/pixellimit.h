// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QString>

class QImageReader;

namespace salient {

/// The largest image (in pixels) that any decode path of this process will
/// allocate: the probe, the decoders, thumbnails, the large-image loader, the
/// importers and mask PNGs inside annotation files all default to it. One value
/// per process on purpose: it is a safety limit set once from the studio's
/// preferences or salient-cli's --max-megapixels, not a per-call choice.
/// Starts at kDefaultMaxPixels (core/imaging/probe.h). Thread-safe.
qint64 pixelLimit();

/// Sets the limit; values below 1 restore the default.
void setPixelLimit(qint64 pixels);

/// The settings (studio preferences, CLI) take whole megapixels in this range.
/// OpenCV refuses images above 2^30 pixels whatever we allow, hence the top.
constexpr int kMinMegapixels = 1;
constexpr int kMaxMegapixels = 1000;

/// "300" for 300,000,000 pixels; one decimal below 100 megapixels ("0.5").
QString megapixelsText(double pixels);

/// An Error naming `path` when width x height exceeds `limit` (or has no
/// pixels); ok otherwise. The check every decoder runs on the size it is
/// about to allocate, whatever the header probe said.
Status checkPixelLimit(qint64 width, qint64 height, const QString &path, qint64 limit);

/// For images read through Qt's QImageReader (mask PNGs inside annotation
/// files, cached thumbnails): the size in the header against pixelLimit(),
/// before read() allocates. A header without a size is an error too.
Status checkReaderSize(QImageReader &reader, const QString &path);

/// Largest file that readFileBytes() reads into memory: no encoded image of
/// pixelLimit() pixels is bigger (32-bit float RGBA stored raw: 16 bytes a pixel).
qint64 maxImageFileBytes();

} // namespace salient
