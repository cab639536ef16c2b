// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/imagemaker.h"

#include <QFile>
#include <QSaveFile>
#include <QtDebug>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <vector>

namespace salient::test {
namespace {

/// Smooth gradients plus seeded noise (so JPEGs have some entropy), with the
/// marker square in the stored top-left corner. 8-bit, `channels` 1, 3 or 4.
cv::Mat pattern(int width, int height, int channels, int seed)
{
    cv::Mat img(height, width, CV_8UC(channels));
    cv::RNG rng(quint64(seed) * 7919 + 17);
    for (int y = 0; y < height; ++y) {
        uchar *row = img.ptr<uchar>(y);
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < channels; ++c) {
                int v = 0;
                switch (c) {
                case 0:
                    v = 40 + (x * 120) / std::max(1, width);
                    break;
                case 1:
                    v = 40 + (y * 120) / std::max(1, height);
                    break;
                case 2:
                    v = 60 + ((x + y) * 60) / std::max(1, width + height);
                    break;
                default:
                    v = 255;
                    break; // opaque alpha
                }
                if (c < 3)
                    v += (seed * 13 + c * 29) % 40 + int(rng.uniform(-8, 8));
                row[x * channels + c] = uchar(std::clamp(v, 0, 255));
            }
        }
    }
    const int side = markerSide(width, height);
    const cv::Scalar marker = channels == 1 ? cv::Scalar(255) : cv::Scalar(0, 0, 255, 255);
    cv::rectangle(img, cv::Rect(0, 0, side, side), marker, cv::FILLED);
    return img;
}

cv::Mat withDepth(const cv::Mat &img8, int bitDepth)
{
    if (bitDepth != 16)
        return img8;
    cv::Mat img16;
    img8.convertTo(img16, CV_16U, 257.0); // 0..255 -> 0..65535
    return img16;
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        qWarning() << "imagemaker: cannot write" << path << file.errorString();
        return false;
    }
    return true;
}

bool encode(const QString &path, const cv::Mat &img, const std::vector<int> &params,
            QByteArray *out = nullptr)
{
    try {
        const QByteArray suffix = "." + path.section(QLatin1Char('.'), -1).toLatin1();
        std::vector<uchar> buf;
        if (!cv::imencode(suffix.toStdString(), img, buf, params)) {
            qWarning() << "imagemaker: OpenCV cannot encode" << path;
            return false;
        }
        const QByteArray bytes(reinterpret_cast<const char *>(buf.data()), int(buf.size()));
        if (out) {
            *out = bytes;
            return true;
        }
        return writeBytes(path, bytes);
    } catch (const cv::Exception &e) {
        qWarning() << "imagemaker:" << path << e.what();
        return false;
    }
}

void put16(QByteArray &b, quint32 v, bool le)
{
    if (le) {
        b.append(char(v & 0xFF));
        b.append(char((v >> 8) & 0xFF));
    } else {
        b.append(char((v >> 8) & 0xFF));
        b.append(char(v & 0xFF));
    }
}

void put32(QByteArray &b, quint32 v, bool le)
{
    if (le) {
        put16(b, v & 0xFFFF, true);
        put16(b, v >> 16, true);
    } else {
        put16(b, v >> 16, false);
        put16(b, v & 0xFFFF, false);
    }
}

/// APP1 "Exif" segment: TIFF header and an IFD0 with one Orientation entry.
QByteArray exifSegment(int orientation, bool le)
{
    QByteArray tiff;
    tiff.append(le ? "II" : "MM", 2);
    put16(tiff, 42, le);
    put32(tiff, 8, le);      // IFD0 right after the header
    put16(tiff, 1, le);      // one entry
    put16(tiff, 0x0112, le); // Orientation
    put16(tiff, 3, le);      // SHORT
    put32(tiff, 1, le);      // count
    put16(tiff, quint32(orientation), le);
    put16(tiff, 0, le); // value field padding
    put32(tiff, 0, le); // no next IFD
    QByteArray seg("\xFF\xE1", 2);
    put16(seg, quint32(2 + 6 + tiff.size()), false); // JPEG lengths are big endian
    seg.append("Exif\0\0", 6);
    seg.append(tiff);
    return seg;
}

quint32 crc32(const QByteArray &data)
{
    // PNG's CRC-32 (ISO 3309, reflected polynomial 0xEDB88320), bit by bit:
    // slow, but only ever run over a 17-byte chunk here.
    quint32 crc = 0xFFFFFFFFu;
    for (char ch : data) {
        crc ^= uchar(ch);
        for (int k = 0; k < 8; ++k)
            crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return crc ^ 0xFFFFFFFFu;
}

} // namespace

int markerSide(int width, int height)
{
    return std::max(2, std::min(width, height) / 6);
}

bool writeJpeg(const QString &path, int width, int height, int seed, int orientation, int quality,
               bool exifLittleEndian)
{
    QByteArray bytes;
    if (!encode(path, pattern(width, height, 3, seed), {cv::IMWRITE_JPEG_QUALITY, quality}, &bytes))
        return false;
    if (orientation != 1)
        bytes.insert(2, exifSegment(orientation, exifLittleEndian)); // right after SOI
    return writeBytes(path, bytes);
}

bool writeGreyJpeg(const QString &path, int width, int height, int seed)
{
    return encode(path, pattern(width, height, 1, seed), {cv::IMWRITE_JPEG_QUALITY, 90});
}

bool writePng(const QString &path, int width, int height, int channels, int bitDepth, int seed)
{
    return encode(path, withDepth(pattern(width, height, channels, seed), bitDepth), {});
}

bool writeBmp(const QString &path, int width, int height, int seed)
{
    return encode(path, pattern(width, height, 3, seed), {});
}

bool writeWebp(const QString &path, int width, int height, int seed)
{
    if (!cv::haveImageWriter(path.toStdString()))
        return false;
    // Quality above 100 selects WebP's lossless mode.
    return encode(path, pattern(width, height, 3, seed), {cv::IMWRITE_WEBP_QUALITY, 101});
}

bool writeTiff(const QString &path, int width, int height, int channels, int bitDepth, int seed)
{
    return encode(path, withDepth(pattern(width, height, channels, seed), bitDepth), {});
}

bool writeTruncatedJpeg(const QString &path, int width, int height, double keepFraction)
{
    QByteArray bytes;
    if (!encode(path, pattern(width, height, 3, 1), {cv::IMWRITE_JPEG_QUALITY, 90}, &bytes))
        return false;
    return writeBytes(path, bytes.left(int(bytes.size() * keepFraction)));
}

bool writeZeroBytes(const QString &path)
{
    return writeBytes(path, QByteArray());
}

bool writeText(const QString &path, const QByteArray &text)
{
    return writeBytes(path, text);
}

bool writePngWithDeclaredSize(const QString &path, quint32 width, quint32 height)
{
    QByteArray bytes;
    if (!encode(path, pattern(8, 8, 3, 0), {}, &bytes))
        return false;
    // IHDR is the first chunk: length at 8, type at 12, width at 16, height at
    // 20, CRC over type + 13 data bytes at 29.
    QByteArray size;
    put32(size, width, false);
    put32(size, height, false);
    bytes.replace(16, 8, size);
    QByteArray crc;
    put32(crc, crc32(bytes.mid(12, 17)), false);
    bytes.replace(29, 4, crc);
    return writeBytes(path, bytes);
}

} // namespace salient::test
