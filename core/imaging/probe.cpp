// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/probe.h"

#include <QFile>
#include <QFileInfo>

#include <cstring>
#include <optional>

// Header parsers for the formats we import. They read only what the public
// format specifications put in the first bytes (plus a cheap end-of-data
// check), never decode pixels, and check every offset against the buffer:
// this code sees arbitrary files and will be fuzzed.

namespace salient {
namespace {

/// Bounds-checked reads from the file's bytes. Every accessor returns
/// nullopt instead of reading past the end.
class Bytes {
public:
    Bytes(const uchar *data, qint64 size) : m_data(data), m_size(size) {}
    qint64 size() const { return m_size; }
    const uchar *data() const { return m_data; }
    bool has(qint64 offset, qint64 count) const
    {
        return offset >= 0 && count >= 0 && offset <= m_size && count <= m_size - offset;
    }
    std::optional<quint32> u8(qint64 o) const
    {
        if (!has(o, 1))
            return std::nullopt;
        return m_data[o];
    }
    std::optional<quint32> u16(qint64 o, bool littleEndian) const
    {
        if (!has(o, 2))
            return std::nullopt;
        const uchar *p = m_data + o;
        return littleEndian ? quint32(p[0] | (p[1] << 8)) : quint32((p[0] << 8) | p[1]);
    }
    std::optional<quint32> u24le(qint64 o) const
    {
        if (!has(o, 3))
            return std::nullopt;
        const uchar *p = m_data + o;
        return quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16);
    }
    std::optional<quint32> u32(qint64 o, bool littleEndian) const
    {
        if (!has(o, 4))
            return std::nullopt;
        const uchar *p = m_data + o;
        if (littleEndian)
            return quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16)
                   | (quint32(p[3]) << 24);
        return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
    }
    std::optional<quint64> u64(qint64 o, bool littleEndian) const
    {
        auto a = u32(o, littleEndian), b = u32(o + 4, littleEndian);
        if (!a || !b)
            return std::nullopt;
        return littleEndian ? (quint64(*b) << 32) | *a : (quint64(*a) << 32) | *b;
    }
    bool startsWith(qint64 o, const char *magic, qint64 n) const
    {
        return has(o, n) && std::memcmp(m_data + o, magic, size_t(n)) == 0;
    }
    Bytes sub(qint64 o, qint64 n) const
    {
        if (!has(o, n))
            return Bytes(m_data, 0);
        return Bytes(m_data + o, n);
    }

private:
    const uchar *m_data;
    qint64 m_size;
};

Error fail(Error::Code code, const QString &path, const QString &message)
{
    return makeError(code, message, path);
}

Error corrupt(const QString &path, const QString &format, const QString &what)
{
    return fail(Error::Code::Parse, path,
                QStringLiteral("corrupt %1 header: %2").arg(format, what));
}

Error truncated(const QString &path, const QString &what)
{
    return fail(Error::Code::Decode, path, QStringLiteral("truncated file: %1").arg(what));
}

// ---- TIFF IFD walking, shared by TIFF files and EXIF blocks -----------------

struct TiffFields {
    std::optional<quint64> width, height;
    std::optional<quint32> bitsPerSample, samplesPerPixel, orientation;
    /// ImageWidth or ImageLength given twice with different values: libtiff
    /// keeps one of them, so a probe that kept the other would check a size
    /// other than the one decoded (a way round the pixel limit).
    bool conflictingSize = false;
};

/// Records a size tag; a second, different value marks the fields as conflicting.
void setSize(std::optional<quint64> &field, quint64 value, bool &conflict)
{
    if (field && *field != value)
        conflict = true;
    field = value;
}

/// Parses the TIFF header at the start of `t` and the entries of IFD0 we need.
/// Returns false when the structure is broken.
bool readTiffIfd0(const Bytes &t, TiffFields &out)
{
    bool le;
    if (t.startsWith(0, "II", 2))
        le = true;
    else if (t.startsWith(0, "MM", 2))
        le = false;
    else
        return false;
    auto magic = t.u16(2, le);
    if (!magic)
        return false;
    const bool big = *magic == 43; // BigTIFF: 8-byte offsets, 20-byte entries
    if (*magic != 42 && !big)
        return false;
    qint64 ifd;
    if (big) {
        auto off = t.u64(8, le);
        if (!off || *off > quint64(t.size()))
            return false;
        ifd = qint64(*off);
    } else {
        auto off = t.u32(4, le);
        if (!off)
            return false;
        ifd = *off;
    }
    std::optional<quint64> count = big ? t.u64(ifd, le) : std::optional<quint64>(t.u16(ifd, le));
    if (!count)
        return false;
    const qint64 entrySize = big ? 20 : 12;
    const qint64 first = ifd + (big ? 8 : 2);
    const qint64 valueOffset = big ? 12 : 8;
    // The number of entries is bounded by the bytes that are really there.
    if (*count > quint64(t.size() / entrySize))
        return false;
    for (qint64 i = 0; i < qint64(*count); ++i) {
        const qint64 e = first + i * entrySize;
        auto tag = t.u16(e, le), type = t.u16(e + 2, le);
        if (!tag || !type)
            return false;
        // The first value of the entry: SHORT (3) or LONG (4), LONG8 (16) in
        // BigTIFF. libtiff also takes BYTE (1), SSHORT (8) and SLONG (9) for
        // the sizes, so those are read too: a size the probe skipped would
        // reach the decoder unchecked. Negative values read as huge ones.
        std::optional<quint64> value;
        if (*type == 3 || *type == 8)
            value = t.u16(e + valueOffset, le);
        else if (*type == 4 || *type == 9)
            value = t.u32(e + valueOffset, le);
        else if (*type == 1)
            value = t.u8(e + valueOffset);
        else if ((*type == 16 || *type == 17) && big)
            value = t.u64(e + valueOffset, le);
        if (*tag == 0x0102 && *type == 3) {
            // BitsPerSample: with several samples the inline field holds up to
            // two (four in BigTIFF) SHORTs; more live at an offset.
            auto n = big ? t.u64(e + 4, le) : std::optional<quint64>(t.u32(e + 4, le));
            if (n && *n * 2 > quint64(big ? 8 : 4)) {
                auto off = big ? t.u64(e + valueOffset, le)
                               : std::optional<quint64>(t.u32(e + valueOffset, le));
                value = off && *off < quint64(t.size()) ? t.u16(qint64(*off), le) : std::nullopt;
            }
        }
        if (!value)
            continue;
        switch (*tag) {
        case 0x0100:
            setSize(out.width, *value, out.conflictingSize);
            break;
        case 0x0101:
            setSize(out.height, *value, out.conflictingSize);
            break;
        case 0x0102:
            out.bitsPerSample = quint32(*value);
            break;
        case 0x0115:
            out.samplesPerPixel = quint32(*value);
            break;
        case 0x0112:
            out.orientation = quint32(*value);
            break;
        default:
            break;
        }
    }
    return true;
}

/// Orientation from an EXIF block (TIFF structure); 1 when absent or invalid.
int exifOrientation(const Bytes &tiff)
{
    TiffFields f;
    if (!readTiffIfd0(tiff, f) || !f.orientation || *f.orientation < 1 || *f.orientation > 8)
        return 1;
    return int(*f.orientation);
}

// ---- JPEG -------------------------------------------------------------------

bool isSofMarker(quint32 m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/// Walks entropy-coded data and marker segments from `pos` looking for EOI.
/// Used only when EOI is not at the very end (e.g. a trailer after it).
bool jpegHasEoiFrom(const Bytes &b, qint64 pos)
{
    const uchar *d = b.data();
    const qint64 n = b.size();
    while (pos < n) {
        const void *ff = std::memchr(d + pos, 0xFF, size_t(n - pos));
        if (!ff)
            return false;
        pos = static_cast<const uchar *>(ff) - d + 1;
        while (pos < n && d[pos] == 0xFF) // fill bytes
            ++pos;
        if (pos >= n)
            return false;
        const uchar m = d[pos++];
        if (m == 0x00 || (m >= 0xD0 && m <= 0xD7) || m == 0x01)
            continue; // stuffed byte, restart marker, TEM: still in scan data
        if (m == 0xD9)
            return true;
        // Any other marker carries a length (DHT, SOS, DQT... between scans).
        auto len = b.u16(pos, false);
        if (!len || *len < 2)
            return false;
        pos += *len;
    }
    return false;
}

Result<ProbeInfo> probeJpeg(const Bytes &b, const QString &path)
{
    ProbeInfo info;
    info.format = QStringLiteral("jpeg");
    bool haveSof = false;
    qint64 scanStart = -1;
    qint64 pos = 2;
    while (pos < b.size()) {
        auto ff = b.u8(pos);
        if (!ff || *ff != 0xFF)
            return corrupt(path,
                           QStringLiteral("JPEG"),
                                          QStringLiteral("expected a marker at byte %1").arg(pos));
        while (b.u8(pos) == 0xFFu)
            ++pos;
        auto marker = b.u8(pos++);
        if (!marker)
            break;
        if (*marker == 0xD9)
            return truncated(path, QStringLiteral("the JPEG ends before its image data"));
        if ((*marker >= 0xD0 && *marker <= 0xD7) || *marker == 0x01 || *marker == 0xD8)
            continue;
        auto len = b.u16(pos, false);
        if (!len)
            break;
        if (*len < 2)
            return corrupt(
                path,
                QStringLiteral("JPEG"),
                               QStringLiteral("segment length %1 at byte %2").arg(*len).arg(pos));
        const Bytes seg = b.sub(pos + 2, *len - 2);
        const bool complete = b.has(pos + 2, *len - 2);
        if (*marker == 0xE1 && complete && seg.startsWith(0, "Exif\0\0", 6)
            && info.orientation == 1)
            info.orientation = exifOrientation(seg.sub(6, seg.size() - 6));
        if (isSofMarker(*marker)) {
            if (!complete || seg.size() < 6)
                break;
            info.bitDepth = int(*seg.u8(0));
            info.storedHeight = int(*seg.u16(1, false));
            info.storedWidth = int(*seg.u16(3, false));
            info.channels = int(*seg.u8(5));
            haveSof = true;
        }
        if (*marker == 0xDA) {
            scanStart = pos + *len;
            break;
        }
        pos += *len;
    }
    if (scanStart < 0 || scanStart > b.size())
        return truncated(path, QStringLiteral("the JPEG ends inside its header"));
    if (!haveSof)
        return corrupt(path, QStringLiteral("JPEG"), QStringLiteral("no frame (SOF) marker"));
    if (info.channels != 1 && info.channels != 3 && info.channels != 4)
        return corrupt(path, QStringLiteral("JPEG"), QStringLiteral("%1 colour components").arg(
                                                         info.channels));
    info.bitDepth = info.bitDepth > 8 ? 16 : 8;
    if (info.channels == 4)
        info.channels = 3; // CMYK/YCCK: decoded to colour

    // EOI normally ends the file; look a little way back (padding), then walk
    // the data for files with a trailer after EOI (e.g. motion photos).
    const qint64 tailFrom = std::max(scanStart, b.size() - 64);
    for (qint64 i = b.size() - 2; i >= tailFrom; --i) {
        if (b.data()[i] == 0xFF && b.data()[i + 1] == 0xD9)
            return info;
    }
    if (!jpegHasEoiFrom(b, scanStart))
        return truncated(path, QStringLiteral("the JPEG end marker is missing"));
    return info;
}

// ---- PNG --------------------------------------------------------------------

Result<ProbeInfo> probePng(const Bytes &b, const QString &path)
{
    ProbeInfo info;
    info.format = QStringLiteral("png");
    if (b.size() < 33)
        return truncated(path, QStringLiteral("the PNG header is cut off"));
    if (*b.u32(8, false) != 13 || !b.startsWith(12, "IHDR", 4))
        return corrupt(path, QStringLiteral("PNG"), QStringLiteral("the first chunk is not IHDR"));
    info.storedWidth = int(std::min<quint32>(*b.u32(16, false), 0x7FFFFFFF));
    info.storedHeight = int(std::min<quint32>(*b.u32(20, false), 0x7FFFFFFF));
    const int depth = int(*b.u8(24));
    const int colourType = int(*b.u8(25));
    switch (colourType) {
    case 0:
        info.channels = 1;
        break;
    case 2:
        info.channels = 3;
        break;
    case 3:
        info.channels = 3;
        break; // palette: decoded to colour
    case 4:
        info.channels = 2;
        break;
    case 6:
        info.channels = 4;
        break;
    default:
        return corrupt(path, QStringLiteral("PNG"),
                                            QStringLiteral("colour type %1").arg(colourType));
    }
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16)
        return corrupt(path, QStringLiteral("PNG"), QStringLiteral("bit depth %1").arg(depth));
    info.bitDepth = depth == 16 ? 16 : 8;

    // Walk the chunks to IEND; an eXIf chunk may carry an orientation.
    qint64 pos = 8;
    while (true) {
        auto len = b.u32(pos, false);
        if (!len || !b.has(pos + 4, 4))
            return truncated(path, QStringLiteral("the PNG ends before its IEND chunk"));
        if (*len > 0x7FFFFFFFu)
            return corrupt(
                path, QStringLiteral("PNG"), QStringLiteral("chunk length %1 at byte %2").arg(*len).arg(pos));
        if (b.startsWith(pos + 4, "IEND", 4)) {
            if (!b.has(pos + 8, 4))
                return truncated(path, QStringLiteral("the PNG ends inside its IEND chunk"));
            return info;
        }
        if (b.startsWith(pos + 4, "eXIf", 4) && b.has(pos + 8, *len))
            info.orientation = exifOrientation(b.sub(pos + 8, *len));
        pos += 12 + qint64(*len);
    }
}

// ---- BMP --------------------------------------------------------------------

Result<ProbeInfo> probeBmp(const Bytes &b, const QString &path)
{
    ProbeInfo info;
    info.format = QStringLiteral("bmp");
    auto pixelOffset = b.u32(10, true);
    auto headerSize = b.u32(14, true);
    if (!pixelOffset || !headerSize)
        return truncated(path, QStringLiteral("the BMP header is cut off"));
    qint64 width, height;
    quint32 bpp, compression = 0;
    if (*headerSize == 12) { // BITMAPCOREHEADER: 16-bit unsigned sizes
        auto w = b.u16(18, true), h = b.u16(20, true), c = b.u16(24, true);
        if (!w || !h || !c)
            return truncated(path, QStringLiteral("the BMP header is cut off"));
        width = *w;
        height = *h;
        bpp = *c;
    } else if (*headerSize >= 40 && *headerSize <= 124) {
        auto w = b.u32(18, true), h = b.u32(22, true), c = b.u16(28, true), comp = b.u32(30, true);
        if (!w || !h || !c || !comp)
            return truncated(path, QStringLiteral("the BMP header is cut off"));
        width = qint32(*w);
        height = qint32(*h); // negative: rows stored top-down
        bpp = *c;
        compression = *comp;
        if (width < 0)
            return corrupt(path, QStringLiteral("BMP"),
                                                QStringLiteral("negative width %1").arg(width));
        if (height < 0)
            height = -height;
    } else {
        return corrupt(
            path, QStringLiteral("BMP"),
                                 QStringLiteral("unknown info header size %1").arg(*headerSize));
    }
    if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
        return corrupt(path, QStringLiteral("BMP"), QStringLiteral("%1 bits per pixel").arg(bpp));
    info.storedWidth = int(std::min<qint64>(width, 0x7FFFFFFF));
    info.storedHeight = int(std::min<qint64>(height, 0x7FFFFFFF));
    info.channels = bpp == 32 ? 4 : 3;
    // Uncompressed rows (BI_RGB, BI_BITFIELDS) have a known size: a shorter
    // file was cut off. Sizes here are at most 2^31 each, so no overflow.
    if (compression == 0 || compression == 3) {
        const qint64 stride = ((width * bpp + 31) / 32) * 4;
        if (height > 0 && stride > 0 && (b.size() - qint64(*pixelOffset)) / stride < height)
            return truncated(path, QStringLiteral("the BMP holds fewer rows than it declares"));
    }
    return info;
}

// ---- TIFF -------------------------------------------------------------------

Result<ProbeInfo> probeTiff(const Bytes &b, const QString &path)
{
    ProbeInfo info;
    info.format = QStringLiteral("tiff");
    TiffFields f;
    if (!readTiffIfd0(b, f))
        return corrupt(path, QStringLiteral("TIFF"),
                                            QStringLiteral("the first directory is unreadable"));
    if (!f.width || !f.height)
        return corrupt(path, QStringLiteral("TIFF"), QStringLiteral("no image width or length"));
    if (f.conflictingSize)
        return corrupt(path, QStringLiteral("TIFF"),
                       QStringLiteral("the image width or length is given twice, differently"));
    info.storedWidth = int(std::min<quint64>(*f.width, 0x7FFFFFFF));
    info.storedHeight = int(std::min<quint64>(*f.height, 0x7FFFFFFF));
    const quint32 bits = f.bitsPerSample.value_or(1);
    info.bitDepth = bits <= 8 ? 8 : bits <= 16 ? 16 : int(bits);
    info.channels = int(f.samplesPerPixel.value_or(1));
    if (info.channels < 1 || info.channels > 4)
        return corrupt(path, QStringLiteral("TIFF"), QStringLiteral("%1 samples per pixel").arg(
                                                         info.channels));
    if (f.orientation && *f.orientation >= 1 && *f.orientation <= 8)
        info.orientation = int(*f.orientation);
    return info;
}

// ---- WebP -------------------------------------------------------------------

Result<ProbeInfo> probeWebp(const Bytes &b, const QString &path)
{
    ProbeInfo info;
    info.format = QStringLiteral("webp");
    const quint32 riffSize = *b.u32(4, true);
    if (qint64(riffSize) + 8 > b.size())
        return truncated(path,
                         QStringLiteral("the WebP holds fewer bytes than its header declares"));
    const qint64 end = qint64(riffSize) + 8;
    qint64 pos = 12;
    // The canvas (VP8X) and the first frame header each state a size; libwebp
    // decodes a still image only when they agree, and so does the probe: a
    // small canvas over a huge frame must not pass as small.
    bool haveFrame = false, haveCanvas = false;
    int frameWidth = 0, frameHeight = 0;
    while (pos + 8 <= end) {
        const Bytes fourcc = b.sub(pos, 4);
        const quint32 len = *b.u32(pos + 4, true);
        const qint64 data = pos + 8;
        if (qint64(len) > end - data)
            return truncated(path, QStringLiteral("a WebP chunk runs past the end"));
        if (!haveFrame && fourcc.startsWith(0, "VP8 ", 4)) {
            // Key frame: 3-byte frame tag, start code 9d 01 2a, 14-bit sizes.
            if (len < 10 || !b.startsWith(data + 3, "\x9d\x01\x2a", 3))
                return corrupt(path, QStringLiteral("WebP"),
                                                    QStringLiteral("bad VP8 frame header"));
            frameWidth = int(*b.u16(data + 6, true) & 0x3FFF);
            frameHeight = int(*b.u16(data + 8, true) & 0x3FFF);
            if (!haveCanvas)
                info.channels = 3;
            haveFrame = true;
        } else if (!haveFrame && fourcc.startsWith(0, "VP8L", 4)) {
            if (len < 5 || *b.u8(data) != 0x2F)
                return corrupt(path, QStringLiteral("WebP"), QStringLiteral("bad VP8L signature"));
            const quint32 bits = *b.u32(data + 1, true);
            frameWidth = int((bits & 0x3FFF) + 1);
            frameHeight = int(((bits >> 14) & 0x3FFF) + 1);
            if (!haveCanvas)
                info.channels = (bits >> 28) & 1 ? 4 : 3;
            haveFrame = true;
        } else if (!haveCanvas && fourcc.startsWith(0, "VP8X", 4)) {
            if (len < 10)
                return corrupt(path, QStringLiteral("WebP"), QStringLiteral("short VP8X chunk"));
            const quint32 flags = *b.u8(data);
            info.storedWidth = int(*b.u24le(data + 4) + 1);
            info.storedHeight = int(*b.u24le(data + 7) + 1);
            info.channels = flags & 0x10 ? 4 : 3;
            haveCanvas = true;
        } else if (fourcc.startsWith(0, "EXIF", 4)) {
            Bytes exif = b.sub(data, len);
            if (exif.startsWith(0, "Exif\0\0", 6))
                exif = exif.sub(6, exif.size() - 6);
            info.orientation = exifOrientation(exif);
        }
        pos = data + len + (len & 1); // chunks are padded to even sizes
    }
    if (haveCanvas && haveFrame
        && (frameWidth != info.storedWidth || frameHeight != info.storedHeight))
        return corrupt(path, QStringLiteral("WebP"),
                       QStringLiteral("the frame is %1 x %2 but the canvas %3 x %4")
                           .arg(frameWidth)
                           .arg(frameHeight)
                           .arg(info.storedWidth)
                           .arg(info.storedHeight));
    if (haveFrame && !haveCanvas) {
        info.storedWidth = frameWidth;
        info.storedHeight = frameHeight;
    }
    const bool haveSize = haveFrame || haveCanvas;
    if (!haveSize)
        return corrupt(path, QStringLiteral("WebP"), QStringLiteral("no VP8, VP8L or VP8X chunk"));
    return info;
}

// ---- unknown content ----------------------------------------------------------

bool looksLikeText(const Bytes &b)
{
    const qint64 n = std::min<qint64>(b.size(), 512);
    for (qint64 i = 0; i < n; ++i) {
        const uchar c = b.data()[i];
        if (c < 0x09 || (c > 0x0D && c < 0x20) || c == 0x7F)
            return false; // control bytes: binary (UTF-8 lead bytes >= 0x80 pass)
    }
    return true;
}

} // namespace

Result<ProbeInfo> probeImage(const QByteArray &bytes, const QString &path, qint64 maxPixels)
{
    const Bytes b(reinterpret_cast<const uchar *>(bytes.constData()), bytes.size());
    if (b.size() == 0)
        return fail(Error::Code::Decode, path, QStringLiteral("empty file (0 bytes)"));

    Result<ProbeInfo> r = makeError(Error::Code::Unsupported, QString());
    if (b.startsWith(0, "\xFF\xD8\xFF", 3))
        r = probeJpeg(b, path);
    else if (b.startsWith(0, "\x89PNG\r\n\x1a\n", 8))
        r = probePng(b, path);
    else if (b.startsWith(0, "BM", 2) && b.size() >= 18)
        r = probeBmp(b, path);
    else if (b.startsWith(0, "II*\0", 4) || b.startsWith(0, "MM\0*", 4)
             || b.startsWith(0, "II+\0", 4) || b.startsWith(0, "MM\0+", 4))
        r = probeTiff(b, path);
    else if (b.startsWith(0, "RIFF", 4) && b.startsWith(8, "WEBP", 4))
        r = probeWebp(b, path);
    else if (b.size() < 16 && (b.startsWith(0, "\xFF\xD8", 2) || b.startsWith(0, "\x89PNG", 4)))
        return truncated(path, QStringLiteral("only %1 bytes of an image header").arg(b.size()));
    else if (looksLikeText(b))
        return fail(Error::Code::Unsupported, path,
                    QStringLiteral("not an image: the file contains text"));
    else
        return fail(Error::Code::Unsupported, path,
                    QStringLiteral("not an image: unknown format (first bytes %1)") .arg(
                        QString::fromLatin1(bytes.left(4).toHex(' '))));
    if (!r.ok())
        return r;

    ProbeInfo &info = r.value();
    const Status sized = checkPixelLimit(info.storedWidth, info.storedHeight, path, maxPixels);
    if (!sized.ok())
        return sized.error();
    const bool swap = info.orientation >= 5;
    info.width = swap ? info.storedHeight : info.storedWidth;
    info.height = swap ? info.storedWidth : info.storedHeight;
    return r;
}

Result<QByteArray> readFileBytes(const QString &path)
{
    // Checked before open(): opening a named pipe blocks until someone writes,
    // and /dev/zero-like files never end. A project or dataset from someone
    // else may name such paths.
    const QFileInfo info(path);
    if (info.exists() && !info.isFile())
        return makeError(Error::Code::Io,
                         info.isDir() ? QStringLiteral("is a folder, not an image file")
                                      : QStringLiteral("not a regular file (a device, pipe or "
                                                       "socket); only image files are read"),
                         path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, QStringLiteral("cannot open: %1").arg(file.errorString()),
                                                         path);
    const qint64 size = file.size();
    if (size > maxImageFileBytes())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("file of %1 MB is larger than any image within the limit "
                                        "of %2 megapixels")
                             .arg(size / 1000000)
                             .arg(megapixelsText(double(pixelLimit()))),
                         path);
    QByteArray bytes;
    if (size > 0) {
        // One read into a buffer of the file's size (readAll grows in steps).
        bytes.resize(size);
        qint64 got = 0;
        while (got < size) {
            const qint64 n = file.read(bytes.data() + got, size - got);
            if (n <= 0)
                break;
            got += n;
        }
        if (got < size)
            bytes.truncate(got); // the file shrank while we read it
    }
    if (file.error() != QFileDevice::NoError)
        return makeError(Error::Code::Io, QStringLiteral("cannot read: %1").arg(file.errorString()),
                                                         path);
    return bytes;
}

bool looksLikeImageFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isFile())
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(12);
    const Bytes b(reinterpret_cast<const uchar *>(head.constData()), head.size());
    return b.startsWith(0, "\xFF\xD8\xFF", 3) || b.startsWith(0, "\x89PNG\r\n\x1a\n", 8)
           || b.startsWith(0, "BM", 2) || b.startsWith(0, "II*\0", 4) || b.startsWith(0, "MM\0*", 4)
           || b.startsWith(0, "II+\0", 4) || b.startsWith(0, "MM\0+", 4)
           || (b.startsWith(0, "RIFF", 4) && b.startsWith(8, "WEBP", 4));
}

QStringList supportedImageSuffixes()
{
    return {
        QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("jpe"),
                                                                      QStringLiteral("png"), QStringLiteral("bmp"),  QStringLiteral("dib"),
                                                                                                                                    QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("webp")};
}

} // namespace salient
