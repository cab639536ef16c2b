// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/pixellimit.h"

#include "core/imaging/probe.h"

#include <QImageReader>

#include <atomic>

namespace salient {

namespace {

std::atomic<qint64> g_pixelLimit{kDefaultMaxPixels};

} // namespace

qint64 pixelLimit()
{
    return g_pixelLimit.load(std::memory_order_relaxed);
}

void setPixelLimit(qint64 pixels)
{
    g_pixelLimit.store(pixels > 0 ? pixels : kDefaultMaxPixels, std::memory_order_relaxed);
}

QString megapixelsText(double pixels)
{
    return QString::number(pixels / 1e6, 'f', pixels >= 1e8 ? 0 : 1);
}

Status checkPixelLimit(qint64 width, qint64 height, const QString &path, qint64 limit)
{
    if (width <= 0 || height <= 0)
        return makeError(
            Error::Code::Invalid,
            QStringLiteral("declared size %1 x %2 has no pixels").arg(width).arg(height), path);
    const double pixels = double(width) * double(height);
    if (pixels > double(limit))
        return makeError(
            Error::Code::Invalid,
            QStringLiteral("declared size %1 x %2 (%3 megapixels) exceeds the limit of "
                                        "%4 megapixels")
                               .arg(width)
                               .arg(height)
                               .arg(megapixelsText(pixels), megapixelsText(double(limit))),
                           path);
    return {};
}

Status checkReaderSize(QImageReader &reader, const QString &path)
{
    const QSize size = reader.size();
    if (!size.isValid())
        return makeError(
            Error::Code::Decode,
            QStringLiteral("cannot read the image header: %1").arg(reader.errorString()), path);
    return checkPixelLimit(size.width(), size.height(), path, pixelLimit());
}

qint64 maxImageFileBytes()
{
    // Raw 32-bit float RGBA (TIFF without compression) plus room for metadata.
    return pixelLimit() * 16 + 64LL * 1024 * 1024;
}

} // namespace salient
