// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The odd-image corpus shared by the probe and import suites: each file with
// the exact outcome the studio must give for it.

#include "core/util/result.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QVector>

#include <functional>

namespace salient::test {

struct CorpusEntry {
    QString name; ///< file name, may include a subfolder
    std::function<bool(const QString &)> write;
    bool readable = true;
    // readable files: what the header says (width/height as displayed)
    QString format;
    int width = 0, height = 0, orientation = 1, bitDepth = 8, channels = 3;
    // unreadable files: the kind of failure and a phrase of the reason
    Error::Code code = Error::Code::Invalid;
    QString reason;
};

inline CorpusEntry good(QString name, std::function<bool(const QString &)> write, QString format,
                        int width, int height, int orientation, int bitDepth, int channels)
{
    CorpusEntry e;
    e.name = std::move(name);
    e.write = std::move(write);
    e.format = std::move(format);
    e.width = width;
    e.height = height;
    e.orientation = orientation;
    e.bitDepth = bitDepth;
    e.channels = channels;
    return e;
}

inline CorpusEntry bad(QString name, std::function<bool(const QString &)> write, Error::Code code,
                       QString reason)
{
    CorpusEntry e;
    e.name = std::move(name);
    e.write = std::move(write);
    e.readable = false;
    e.code = code;
    e.reason = std::move(reason);
    return e;
}

/// A BMP stored top-down (negative height), made by patching a bottom-up one.
inline bool writeTopDownBmp(const QString &path, int width, int height)
{
    if (!writeBmp(path, width, height, 3))
        return false;
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || !f.seek(22))
        return false;
    const qint32 h = -height;
    const char le[4] = {char(h & 0xFF), char((h >> 8) & 0xFF), char((h >> 16) & 0xFF),
                        char((h >> 24) & 0xFF)};
    return f.write(le, 4) == 4;
}

/// Every kind of file the import must handle; WebP only where OpenCV writes it.
inline QVector<CorpusEntry> oddCorpus(bool withWebp)
{
    using C = Error::Code;
    QVector<CorpusEntry> c{
        good(
            "photo.jpg", [](auto p) { return writeJpeg(p, 64, 48, 1); }, "jpeg", 64, 48, 1, 8, 3),
        good(
            "grey.jpg", [](auto p) { return writeGreyJpeg(p, 40, 30, 2); }, "jpeg", 40, 30, 1, 8,
            1),
        good(
            "exif3.jpg", [](auto p) { return writeJpeg(p, 64, 48, 3, 3); }, "jpeg", 64, 48, 3, 8,
            3),
        good(
            "exif6_le.jpg", [](auto p) { return writeJpeg(p, 64, 48, 4, 6, 90, true); }, "jpeg", 48,
            64, 6, 8, 3),
        good(
            "exif8_be.JPEG", [](auto p) { return writeJpeg(p, 64, 48, 5, 8, 90, false); }, "jpeg",
            48, 64, 8, 8, 3),
        good(
            "deep16.png", [](auto p) { return writePng(p, 30, 20, 3, 16, 6); }, "png", 30, 20, 1,
            16, 3),
        good(
            "grey.png", [](auto p) { return writePng(p, 30, 20, 1, 8, 7); }, "png", 30, 20, 1, 8,
            1),
        good(
            "rgba.png", [](auto p) { return writePng(p, 30, 20, 4, 8, 8); }, "png", 30, 20, 1, 8,
            4),
        good(
            "image.bmp", [](auto p) { return writeBmp(p, 33, 21, 9); }, "bmp", 33, 21, 1, 8, 3),
        good(
            "topdown.bmp", [](auto p) { return writeTopDownBmp(p, 33, 21); }, "bmp", 33, 21, 1, 8,
            3),
        good(
            "grey8.tif", [](auto p) { return writeTiff(p, 30, 20, 1, 8, 10); }, "tiff", 30, 20, 1,
            8, 1),
        good(
            "grey16.tiff", [](auto p) { return writeTiff(p, 30, 20, 1, 16, 11); }, "tiff", 30, 20,
            1, 16, 1),
        good(
            "colour8.tif", [](auto p) { return writeTiff(p, 30, 20, 3, 8, 12); }, "tiff", 30, 20, 1,
            8, 3),
        good(
            "colour16.tif", [](auto p) { return writeTiff(p, 30, 20, 3, 16, 13); }, "tiff", 30, 20,
            1, 16, 3),
        bad(
            "truncated.jpg", [](auto p) { return writeTruncatedJpeg(p, 64, 48, 0.6); }, C::Decode,
            "truncated"),
        bad(
            "empty.jpg", [](auto p) { return writeZeroBytes(p); }, C::Decode,
            "empty file (0 bytes)"),
        bad(
            "notes.jpg", [](auto p) { return writeText(p); }, C::Unsupported,
            "not an image: the file contains text"),
        bad(
            "bomb.png", [](auto p) { return writePngWithDeclaredSize(p, 50000, 50000); },
            C::Invalid,
            "declared size 50000 x 50000 (2500 megapixels) exceeds the limit of 300 megapixels"),
        bad(
            "zero_width.png", [](auto p) { return writePngWithDeclaredSize(p, 0, 10); }, C::Invalid,
            "declared size 0 x 10 has no pixels"),
    };
    if (withWebp)
        c.append(good(
            "image.webp", [](auto p) { return writeWebp(p, 30, 20, 14); }, "webp", 30, 20, 1, 8,
            3));
    return c;
}

/// Writes the corpus into dir; false if any file could not be made.
inline bool writeCorpus(const QString &dir, const QVector<CorpusEntry> &corpus)
{
    for (const CorpusEntry &e : corpus) {
        const QString path = QDir(dir).filePath(e.name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (!e.write(path))
            return false;
    }
    return true;
}

} // namespace salient::test
