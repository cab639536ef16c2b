// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Hostile image files made in a few bytes: headers that declare absurd sizes
// over almost no data, and one real PNG that inflates to far more than its
// size. Nothing huge is ever written to disk or held in memory.

#include "tests/support/imagemaker.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>

#include <zlib.h>

#include <vector>

namespace salient::test::hostile {

/// `path`, its folder created: the image writers do not create folders.
inline QString inFolder(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    return path;
}

inline bool save(const QString &path, const QByteArray &bytes)
{
    QFile f(inFolder(path));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return false;
    f.close();
    return f.error() == QFileDevice::NoError;
}

inline void put16le(QByteArray &b, quint32 v)
{
    b.append(char(v & 0xFF)).append(char((v >> 8) & 0xFF));
}
inline void put32le(QByteArray &b, quint32 v)
{
    put16le(b, v & 0xFFFF);
    put16le(b, v >> 16);
}
inline void put32be(QByteArray &b, quint32 v)
{
    b.append(char(v >> 24)).append(char((v >> 16) & 0xFF)).append(char((v >> 8) & 0xFF));
    b.append(char(v & 0xFF));
}

/// A real JPEG whose frame header (SOF0) is patched to declare width x height.
inline bool jpegDeclaring(const QString &path, quint16 width, quint16 height)
{
    if (!writeJpeg(path, 16, 16, 1))
        return false;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QByteArray b = f.readAll();
    f.close();
    const int sof = b.indexOf(QByteArray("\xFF\xC0", 2));
    if (sof < 0)
        return false;
    // FF C0, length (2), precision (1), height (2), width (2).
    b[sof + 5] = char(height >> 8);
    b[sof + 6] = char(height & 0xFF);
    b[sof + 7] = char(width >> 8);
    b[sof + 8] = char(width & 0xFF);
    return save(path, b);
}

/// How a hostile TIFF states its width.
enum class TiffWidth {
    Long,         ///< one LONG entry
    SmallThenBig, ///< two ImageWidth entries: 8 first, then `width`
    NegativeSlong ///< one SLONG entry holding -1
};

/// A little-endian TIFF of one 8-bit grey strip of 16 bytes whose directory
/// declares width x height.
inline bool tiffDeclaring(const QString &path, quint32 width, quint32 height,
                          TiffWidth how = TiffWidth::Long)
{
    struct Entry {
        quint16 tag, type;
        quint32 value;
    };
    std::vector<Entry> entries;
    if (how == TiffWidth::SmallThenBig) {
        entries.push_back({0x100, 4, 8});
        entries.push_back({0x100, 4, width});
    } else if (how == TiffWidth::NegativeSlong) {
        entries.push_back({0x100, 9, 0xFFFFFFFFu});
    } else {
        entries.push_back({0x100, 4, width});
    }
    const quint32 ifd = 8;
    const quint32 count = quint32(entries.size()) + 8;
    const quint32 data = ifd + 2 + count * 12 + 4;
    entries.push_back({0x101, 4, height});
    entries.push_back({0x102, 3, 8});      // BitsPerSample
    entries.push_back({0x103, 3, 1});      // Compression: none
    entries.push_back({0x106, 3, 1});      // Photometric: black is zero
    entries.push_back({0x111, 4, data});   // StripOffsets
    entries.push_back({0x115, 3, 1});      // SamplesPerPixel
    entries.push_back({0x116, 4, height}); // RowsPerStrip
    entries.push_back({0x117, 4, 16});     // StripByteCounts
    QByteArray b("II*\0", 4);
    put32le(b, ifd);
    put16le(b, quint32(entries.size()));
    for (const Entry &e : entries) {
        put16le(b, e.tag);
        put16le(b, e.type);
        put32le(b, 1);
        if (e.type == 3) {
            put16le(b, e.value);
            put16le(b, 0);
        } else {
            put32le(b, e.value);
        }
    }
    put32le(b, 0); // no next directory
    b.append(QByteArray(16, '\0'));
    return save(path, b);
}

/// A WebP of one chunk: a VP8X canvas of width x height (24-bit sizes), or,
/// with frameWidth > 0, that canvas followed by a lossless frame header of
/// frameWidth x frameHeight (14-bit sizes) that disagrees with it.
inline bool webpDeclaring(const QString &path, quint32 width, quint32 height,
                          quint32 frameWidth = 0, quint32 frameHeight = 0)
{
    QByteArray chunks("VP8X", 4);
    put32le(chunks, 10);
    chunks.append(QByteArray(4, '\0')); // flags, reserved
    const quint32 w = width - 1, h = height - 1;
    chunks.append(char(w & 0xFF)).append(char((w >> 8) & 0xFF)).append(char((w >> 16) & 0xFF));
    chunks.append(char(h & 0xFF)).append(char((h >> 8) & 0xFF)).append(char((h >> 16) & 0xFF));
    if (frameWidth > 0) {
        chunks.append("VP8L", 4);
        put32le(chunks, 6);
        chunks.append(char(0x2F));
        put32le(chunks, (frameWidth - 1) | ((frameHeight - 1) << 14));
        chunks.append('\0'); // pad to an even size
    }
    QByteArray b("RIFF", 4);
    put32le(b, quint32(4 + chunks.size()));
    b.append("WEBP", 4).append(chunks);
    return save(path, b);
}

/// A valid 8-bit grey PNG of width x height, every pixel 0: deflate makes
/// kilobytes of it, and a decoder would allocate width x height bytes.
/// Written row by row, so the test never holds the pixels either.
inline bool inflatingPng(const QString &path, quint32 width, quint32 height)
{
    const auto chunk = [](QByteArray &out, const char *type, const QByteArray &data) {
        put32be(out, quint32(data.size()));
        QByteArray body(type, 4);
        body += data;
        out += body;
        put32be(out, quint32(crc32(0, reinterpret_cast<const Bytef *>(body.constData()),
                                   uInt(body.size()))));
    };
    QByteArray png("\x89PNG\r\n\x1a\n", 8);
    QByteArray ihdr;
    put32be(ihdr, width);
    put32be(ihdr, height);
    ihdr.append(char(8)).append(char(0)).append(char(0)).append(char(0)).append(char(0));
    chunk(png, "IHDR", ihdr);

    z_stream z{};
    if (deflateInit(&z, 9) != Z_OK)
        return false;
    const QByteArray row(int(width) + 1, '\0'); // filter byte 0, then the pixels
    QByteArray idat;
    std::vector<char> buffer(1 << 16);
    for (quint32 y = 0; y <= height; ++y) {
        const bool last = y == height;
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(row.constData()));
        z.avail_in = last ? 0 : uInt(row.size());
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer.data());
            z.avail_out = uInt(buffer.size());
            deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
            idat.append(buffer.data(), int(buffer.size() - z.avail_out));
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    chunk(png, "IDAT", idat);
    chunk(png, "IEND", QByteArray());
    return save(path, png);
}

} // namespace salient::test::hostile
