// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/formats/cocorle.h"
#include "core/formats/formatutil.h"
#include "core/imaging/pixellimit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace salient::cocorle {

namespace {

Error rleError(const QString &message)
{
    return makeError(Error::Code::Parse, message);
}

// Sums above this could overflow the delta arithmetic; no real mask comes near.
constexpr std::uint64_t kSumCeiling = std::uint64_t(1) << 62;

} // namespace

std::vector<std::uint64_t> maskToCounts(const Mask &mask, int width, int height)
{
    std::vector<std::uint64_t> counts;
    const std::uint64_t total =
        std::uint64_t(std::max(0, width)) * std::uint64_t(std::max(0, height));
    const QRect b = mask.bounds();
    const int x0 = std::max(0, b.left()), x1 = std::min(width, b.left() + b.width());
    const int y0 = std::max(0, b.top()), y1 = std::min(height, b.top() + b.height());
    const auto &data = mask.data();
    const size_t stride = size_t(std::max(0, b.width()));
    std::uint64_t last = 0;
    bool current = false; // runs start with "off"
    const std::uint64_t h = std::uint64_t(std::max(0, height));
    const auto toggle = [&](std::uint64_t p) {
        counts.push_back(p - last);
        last = p;
        current = !current;
    };
    for (int x = x0; x < x1; ++x) {
        // Pixels above and below the window are off: an on run ends at its edge.
        if (current && y0 > 0)
            toggle(std::uint64_t(x) * h);
        for (int y = y0; y < y1; ++y) {
            const bool on = data[size_t(y - b.top()) * stride + size_t(x - b.left())] != 0;
            if (on != current)
                toggle(std::uint64_t(x) * h + std::uint64_t(y));
        }
        if (current && y1 < height)
            toggle(std::uint64_t(x) * h + std::uint64_t(y1));
    }
    if (current && x1 < width)
        toggle(std::uint64_t(x1) * h);
    counts.push_back(total - last);
    return counts;
}

QByteArray encodeCounts(const std::vector<std::uint64_t> &counts)
{
    QByteArray out;
    out.reserve(int(counts.size()) * 2);
    for (size_t i = 0; i < counts.size(); ++i) {
        std::int64_t x = std::int64_t(counts[i]);
        if (i > 2)
            x -= std::int64_t(counts[i - 2]);
        bool more = true;
        while (more) {
            std::int64_t c = x & 0x1f;
            x >>= 5; // arithmetic: a negative delta ends in ...11111
            more = (c & 0x10) ? x != -1 : x != 0;
            if (more)
                c |= 0x20;
            out.append(char(c + 48));
        }
    }
    return out;
}

Result<std::vector<std::uint64_t>> decodeCounts(const QByteArray &text, std::uint64_t maxSum)
{
    maxSum = std::min(maxSum, kSumCeiling);
    std::vector<std::uint64_t> counts;
    std::uint64_t sum = 0;
    const int n = int(text.size());
    int p = 0;
    while (p < n) {
        std::uint64_t x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            if (p >= n)
                return rleError(QStringLiteral("compressed RLE ends inside a count"));
            const int c = int(static_cast<unsigned char>(text[p])) - 48;
            if (c < 0 || c > 63)
                return rleError(QStringLiteral("compressed RLE holds a character ('%1') outside "
                                               "its alphabet")
                                                   .arg(QChar(QLatin1Char(text[p]))));
            if (k > 12) // 13 groups of 5 bits already hold any 64-bit count
                return rleError(QStringLiteral("compressed RLE count is too long"));
            x |= std::uint64_t(c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10) && 5 * k < 64)
                x |= ~std::uint64_t(0) << (5 * k); // sign extension
        }
        const std::int64_t delta = std::int64_t(x);
        const std::int64_t limit = std::int64_t(maxSum);
        if (delta > limit || delta < -limit)
            return rleError(QStringLiteral("compressed RLE count out of range"));
        std::int64_t value = delta;
        if (counts.size() > 2)
            value += std::int64_t(counts[counts.size() - 2]);
        if (value < 0)
            return rleError(QStringLiteral("compressed RLE holds a negative count"));
        sum += std::uint64_t(value);
        if (sum > maxSum)
            return rleError(QStringLiteral("RLE counts cover more pixels than the mask's size"));
        counts.push_back(std::uint64_t(value));
    }
    return counts;
}

Result<Mask> countsToMask(const std::vector<std::uint64_t> &counts, int width, int height,
                          qint64 maxPixels)
{
    if (width <= 0 || height <= 0)
        return rleError(QStringLiteral("RLE size %1x%2 is not positive").arg(height).arg(width));
    const std::uint64_t total = std::uint64_t(width) * std::uint64_t(height);
    if (total > std::uint64_t(std::max<qint64>(0, maxPixels)))
        return rleError(
            QStringLiteral("RLE size %1x%2 is larger than the %3 pixels a mask may have")
                               .arg(height)
                               .arg(width)
                               .arg(maxPixels));
    std::uint64_t sum = 0;
    for (std::uint64_t c : counts) {
        if (c > total || sum + c > total)
            return rleError(QStringLiteral("RLE counts cover more than the %1x%2 pixels of its size") .arg(height).arg(width));
        sum += c;
    }
    if (sum != total)
        return rleError(QStringLiteral("RLE counts cover %1 pixels, its size %2x%3 has %4")
                                           .arg(sum)
                                           .arg(height)
                                           .arg(width)
                                           .arg(total));

    // First pass: the window of the on pixels, so only that is allocated.
    const std::uint64_t h = std::uint64_t(height);
    std::uint64_t xMin = UINT64_MAX, xMax = 0, yMin = UINT64_MAX, yMax = 0;
    std::uint64_t pos = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        const std::uint64_t start = pos, end = pos + counts[i];
        pos = end;
        if (i % 2 == 0 || end == start)
            continue;
        const std::uint64_t c0 = start / h, c1 = (end - 1) / h;
        xMin = std::min(xMin, c0);
        xMax = std::max(xMax, c1);
        if (c0 != c1) { // wraps from one column's bottom to the next one's top
            yMin = 0;
            yMax = h - 1;
        } else {
            yMin = std::min(yMin, start % h);
            yMax = std::max(yMax, (end - 1) % h);
        }
    }
    if (xMin == UINT64_MAX)
        return Mask();
    const QRect window(int(xMin), int(yMin), int(xMax - xMin + 1), int(yMax - yMin + 1));
    Mask mask(window);
    auto &data = mask.data();
    const size_t stride = size_t(window.width());
    pos = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        std::uint64_t p = pos;
        const std::uint64_t end = pos + counts[i];
        pos = end;
        if (i % 2 == 0)
            continue;
        while (p < end) {
            const std::uint64_t x = p / h, y = p % h;
            const std::uint64_t stop = std::min(end, (x + 1) * h);
            for (std::uint64_t yy = y; yy < y + (stop - p); ++yy)
                data[size_t(yy - yMin) * stride + size_t(x - xMin)] = 1;
            p = stop;
        }
    }
    return mask;
}

namespace {

bool integerOf(const QJsonValue &v, qint64 &out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
        return false;
    out = qint64(d);
    return true;
}

Error at(const QString &where, const QString &message)
{
    Error e = rleError(message);
    e.where = where;
    return e;
}

} // namespace

Result<Mask> maskFromJson(const QJsonObject &rle, int imageWidth, int imageHeight)
{
    const QJsonArray size = rle.value(QLatin1String("size")).toArray();
    qint64 h = 0, w = 0;
    if (size.size() != 2 || !integerOf(size.at(0), h) || !integerOf(size.at(1), w) || h <= 0
        || w <= 0)
        return at(QStringLiteral(".size"), QStringLiteral("RLE size must be two positive integers [height, width]"));
    // No mask is larger than the largest image the studio opens (a setting).
    const qint64 limit = std::min(kMaxRlePixels, pixelLimit());
    if (h > INT_MAX || w > INT_MAX || h * w > limit)
        return at(QStringLiteral(".size"), QStringLiteral("RLE size %1x%2 is larger than the %3 pixels a mask may have")
                                         .arg(h)
                                         .arg(w)
                                         .arg(limit));
    if (imageWidth > 0 && imageHeight > 0 && (w != imageWidth || h != imageHeight))
        return at(QStringLiteral(".size"),
            QStringLiteral("RLE size %1x%2 (height x width) differs from the image's %3x%4")
                               .arg(h)
                               .arg(w)
                               .arg(imageHeight)
                               .arg(imageWidth));
    const QJsonValue countsValue = rle.value(QLatin1String("counts"));
    std::vector<std::uint64_t> counts;
    if (countsValue.isString()) {
        Result<std::vector<std::uint64_t>> decoded =
            decodeCounts(countsValue.toString().toLatin1(), std::uint64_t(h * w));
        if (!decoded.ok())
            return at(QStringLiteral(".counts"), decoded.error().message);
        counts = std::move(decoded.value());
    } else if (countsValue.isArray()) {
        const QJsonArray a = countsValue.toArray();
        counts.reserve(size_t(a.size()));
        for (int k = 0; k < a.size(); ++k) {
            qint64 c = 0;
            if (!integerOf(a.at(k), c) || c < 0 || c > h * w)
                return at(QStringLiteral(".counts[%1]").arg(k),
                    QStringLiteral("an RLE count must be an integer from 0 to height x width"));
            counts.push_back(std::uint64_t(c));
        }
    } else {
        return at(QStringLiteral(".counts"), QStringLiteral("RLE counts must be a string or a list of integers"));
    }
    Result<Mask> mask = countsToMask(counts, int(w), int(h));
    if (!mask.ok())
        return at(QStringLiteral(".counts"), mask.error().message);
    return mask;
}

QByteArray maskToJson(const Mask &mask, int width, int height, std::uint64_t *area)
{
    const std::vector<std::uint64_t> counts = maskToCounts(mask, width, height);
    if (area) {
        *area = 0;
        for (size_t k = 1; k < counts.size(); k += 2)
            *area += counts[k];
    }
    // The RLE alphabet ('0'..'o') holds one character that JSON must escape: '\\'.
    return "{\"size\":[" + QByteArray::number(height) + ',' + QByteArray::number(width)
           + "],\"counts\":\"" + encodeCounts(counts).replace("\\", "\\\\") + "\"}";
}

} // namespace salient::cocorle

namespace salient::cocojson {

bool Splitter::fail(qsizetype offset, const QString &what)
{
    m_errorOffset = offset;
    m_errorText = what;
    return false;
}

qsizetype Splitter::skipSpace(qsizetype p) const
{
    const qsizetype n = m_text.size();
    const char *t = m_text.constData();
    while (p < n && (t[p] == ' ' || t[p] == '\n' || t[p] == '\r' || t[p] == '\t'))
        ++p;
    return p;
}

qsizetype Splitter::stringEnd(qsizetype p)
{
    const qsizetype n = m_text.size();
    const char *t = m_text.constData();
    for (++p; p < n; ++p) {
        if (t[p] == '\\')
            ++p;
        else if (t[p] == '"')
            return p + 1;
    }
    fail(n, QStringLiteral("unterminated string"));
    return -1;
}

qsizetype Splitter::valueEnd(qsizetype p)
{
    const qsizetype n = m_text.size();
    const char *t = m_text.constData();
    p = skipSpace(p);
    if (p >= n) {
        fail(p, QStringLiteral("a value is missing"));
        return -1;
    }
    if (t[p] == '"')
        return stringEnd(p);
    if (t[p] != '{' && t[p] != '[') { // a scalar: its own parse checks it
        while (p < n && !std::strchr(",]}: \n\r\t", t[p]))
            ++p;
        return p;
    }
    std::vector<char> closers; // the bracket each open one needs
    for (; p < n; ++p) {
        const char c = t[p];
        if (c == '"') {
            p = stringEnd(p);
            if (p < 0)
                return -1;
            --p;
        } else if (c == '{' || c == '[') {
            closers.push_back(c == '{' ? '}' : ']');
        } else if (c == '}' || c == ']') {
            if (closers.empty() || closers.back() != c) {
                fail(p, QStringLiteral("unbalanced '%1'").arg(QLatin1Char(c)));
                return -1;
            }
            closers.pop_back();
            if (closers.empty())
                return p + 1;
        }
    }
    fail(n, QStringLiteral("the text ends inside an object or array"));
    return -1;
}

bool Splitter::topLevelMembers(std::vector<std::pair<QString, Span>> &out)
{
    const qsizetype n = m_text.size();
    qsizetype p = skipSpace(0);
    if (p >= n || m_text[p] != '{')
        return fail(p, QStringLiteral("the top level is not a JSON object"));
    p = skipSpace(p + 1);
    if (p < n && m_text[p] == '}')
        return skipSpace(p + 1) == n
               || fail(skipSpace(p + 1), QStringLiteral("garbage after the object"));
    while (true) {
        if (p >= n || m_text[p] != '"')
            return fail(p, QStringLiteral("expected a member name"));
        const qsizetype keyEnd = stringEnd(p);
        if (keyEnd < 0)
            return false;
        QJsonValue key;
        if (!parse({p, keyEnd}, key))
            return false;
        p = skipSpace(keyEnd);
        if (p >= n || m_text[p] != ':')
            return fail(p, QStringLiteral("expected ':'"));
        const qsizetype begin = skipSpace(p + 1);
        const qsizetype end = valueEnd(begin);
        if (end < 0)
            return false;
        out.emplace_back(key.toString(), Span{begin, end});
        p = skipSpace(end);
        if (p < n && m_text[p] == ',') {
            p = skipSpace(p + 1);
            continue;
        }
        if (p < n && m_text[p] == '}')
            break;
        return fail(p, QStringLiteral("expected ',' or '}'"));
    }
    const qsizetype rest = skipSpace(p + 1);
    return rest == n || fail(rest, QStringLiteral("garbage after the object"));
}

bool Splitter::parse(Span value, QJsonValue &out)
{
    const bool container = m_text[value.begin] == '{' || m_text[value.begin] == '[';
    // Qt's parser takes only objects and arrays at its top level: wrap the rest.
    const QByteArray slice =
        container
            ? QByteArray::fromRawData(m_text.constData() + value.begin, value.end - value.begin)
            : '[' + m_text.mid(value.begin, value.end - value.begin) + ']';
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(slice, &pe);
    if (pe.error != QJsonParseError::NoError)
        return fail(value.begin + std::max(0, pe.offset - (container ? 0 : 1)), pe.errorString());
    if (!container)
        out = doc.array().at(0);
    else if (doc.isObject())
        out = doc.object();
    else
        out = doc.array();
    return true;
}

bool Splitter::forEachElement(Span array, const std::function<bool(int, const QJsonValue &)> &fn)
{
    qsizetype p = skipSpace(array.begin + 1);
    if (p < array.end && m_text[p] == ']')
        return true;
    for (int i = 0;; ++i) {
        const qsizetype begin = skipSpace(p);
        const qsizetype end = valueEnd(begin);
        if (end < 0)
            return false;
        if (end == begin)
            return fail(begin, QStringLiteral("a value is missing"));
        QJsonValue v;
        if (!parse({begin, end}, v))
            return false;
        if (!fn(i, v))
            return true;
        p = skipSpace(end);
        if (p < array.end && m_text[p] == ',') {
            ++p;
            continue;
        }
        if (p < array.end && m_text[p] == ']')
            return true;
        return fail(p, QStringLiteral("expected ',' or ']'"));
    }
}

void appendString(QByteArray &out, const QString &s)
{
    out += '"';
    const QByteArray u = s.toUtf8();
    for (const char c : u) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendNumber(QByteArray &out, double v)
{
    // Most coordinates of a pixel-snapped dataset are integers: skip the general path.
    if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
        out += QByteArray::number(qint64(v));
        return;
    }
    out += formatNumber(v).toLatin1();
}

} // namespace salient::cocojson
