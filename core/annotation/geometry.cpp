// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/annotation/geometry.h"

#include <QtEndian>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>

namespace salient {

namespace {

// First byte of every blob: bump when the layout changes, keep reading old ones.
constexpr std::uint8_t kBlobVersion = 1;

Error parseError(const QString &what)
{
    return makeError(Error::Code::Parse, QStringLiteral("corrupt shape data: %1").arg(what));
}

void putVarint(QByteArray &out, quint64 v)
{
    while (v >= 0x80) {
        out.append(char((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.append(char(v));
}

bool getVarint(const QByteArray &in, int &pos, quint64 &v)
{
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= in.size())
            return false;
        const auto byte = std::uint8_t(in[pos++]);
        v |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false; // more than 10 bytes: not ours
}

void putDouble(QByteArray &out, double d)
{
    quint64 bits;
    std::memcpy(&bits, &d, sizeof bits);
    char b[8];
    qToLittleEndian(bits, b);
    out.append(b, 8);
}

bool getDouble(const QByteArray &in, int &pos, double &d)
{
    if (in.size() - pos < 8)
        return false;
    const quint64 bits = qFromLittleEndian<quint64>(in.constData() + pos);
    pos += 8;
    std::memcpy(&d, &bits, sizeof d);
    return std::isfinite(d);
}

void putInt(QByteArray &out, qint64 v) // zig-zag so negative window origins stay short
{
    putVarint(out, (quint64(v) << 1) ^ quint64(v >> 63));
}

bool getInt(const QByteArray &in, int &pos, qint64 &v)
{
    quint64 u;
    if (!getVarint(in, pos, u))
        return false;
    v = qint64(u >> 1) ^ -qint64(u & 1);
    return true;
}

} // namespace

QString shapeKindName(ShapeKind kind)
{
    switch (kind) {
    case ShapeKind::Box: return QStringLiteral("box");
    case ShapeKind::Polygon: return QStringLiteral("polygon");
    case ShapeKind::Mask: return QStringLiteral("mask");
    }
    return {};
}

std::optional<ShapeKind> shapeKindFromName(const QString &name)
{
    for (ShapeKind k : {ShapeKind::Box, ShapeKind::Polygon, ShapeKind::Mask})
        if (shapeKindName(k) == name)
            return k;
    return std::nullopt;
}

Mask::Mask(const QRect &bounds)
    : m_bounds(bounds.isValid() ? bounds : QRect()),
      m_data(size_t(std::max(0, m_bounds.width())) * size_t(std::max(0, m_bounds.height())), 0)
{
}

bool Mask::at(int x, int y) const
{
    if (!m_bounds.contains(x, y))
        return false;
    return m_data[size_t(y - m_bounds.top()) * size_t(m_bounds.width()) + size_t(x - m_bounds.left())];
}

void Mask::set(int x, int y, bool on)
{
    if (m_bounds.contains(x, y))
        m_data[size_t(y - m_bounds.top()) * size_t(m_bounds.width()) + size_t(x - m_bounds.left())] = on;
}

int Mask::area() const
{
    return int(std::count(m_data.begin(), m_data.end(), std::uint8_t(1)));
}

QRect Mask::tightBounds() const
{
    int x0 = INT_MAX, y0 = INT_MAX, x1 = INT_MIN, y1 = INT_MIN;
    const int w = m_bounds.width();
    for (int r = 0; r < m_bounds.height(); ++r) {
        const std::uint8_t *row = m_data.data() + size_t(r) * size_t(w);
        for (int c = 0; c < w; ++c) {
            if (row[c]) {
                x0 = std::min(x0, c);
                x1 = std::max(x1, c);
                y0 = std::min(y0, r);
                y1 = std::max(y1, r);
            }
        }
    }
    if (x0 == INT_MAX)
        return {};
    return QRect(m_bounds.left() + x0, m_bounds.top() + y0, x1 - x0 + 1, y1 - y0 + 1);
}

Mask Mask::cropped(const QRect &bounds) const
{
    Mask out(bounds);
    const QRect common = m_bounds.intersected(out.m_bounds);
    for (int y = common.top(); y <= common.bottom(); ++y)
        for (int x = common.left(); x <= common.right(); ++x)
            if (at(x, y))
                out.set(x, y, true);
    return out;
}

bool Mask::operator==(const Mask &o) const
{
    // Equal as pixel sets, whatever their windows.
    const QRect a = tightBounds(), b = o.tightBounds();
    if (a != b)
        return false;
    for (int y = a.top(); y <= a.bottom(); ++y)
        for (int x = a.left(); x <= a.right(); ++x)
            if (at(x, y) != o.at(x, y))
                return false;
    return true;
}

ShapeKind kindOf(const Geometry &geometry)
{
    return ShapeKind(geometry.index());
}

QByteArray encodeMaskRuns(const Mask &mask)
{
    QByteArray out;
    const auto &d = mask.data();
    std::uint8_t current = 0;
    quint64 run = 0;
    for (std::uint8_t v : d) {
        if (v == current) {
            ++run;
        } else {
            putVarint(out, run);
            current = v;
            run = 1;
        }
    }
    putVarint(out, run);
    return out;
}

Result<Mask> decodeMaskRuns(const QRect &bounds, const QByteArray &runs)
{
    Mask mask(bounds);
    auto &d = mask.data();
    const quint64 total = d.size();
    quint64 filled = 0;
    std::uint8_t value = 0;
    int pos = 0;
    while (pos < runs.size()) {
        quint64 run;
        if (!getVarint(runs, pos, run))
            return parseError(QStringLiteral("mask run at byte %1 is cut short").arg(pos));
        if (run > total - filled)
            return parseError(QStringLiteral("mask runs cover more than the %1 pixels of the window").arg(total));
        if (value)
            std::fill(d.begin() + qint64(filled), d.begin() + qint64(filled + run), std::uint8_t(1));
        filled += run;
        value ^= 1;
    }
    if (filled != total)
        return parseError(QStringLiteral("mask runs cover %1 of the %2 pixels of the window").arg(filled).arg(total));
    return mask;
}

QByteArray encodeGeometry(const Geometry &geometry)
{
    QByteArray out;
    out.append(char(kBlobVersion));
    if (const auto *box = std::get_if<Box>(&geometry)) {
        putDouble(out, box->rect.x());
        putDouble(out, box->rect.y());
        putDouble(out, box->rect.width());
        putDouble(out, box->rect.height());
    } else if (const auto *poly = std::get_if<Polygon>(&geometry)) {
        putVarint(out, quint64(poly->points.size()));
        for (const QPointF &p : poly->points) {
            putDouble(out, p.x());
            putDouble(out, p.y());
        }
    } else {
        const Mask &mask = std::get<Mask>(geometry);
        // Store the tight window only: brush strokes leave wide empty margins.
        const QRect tight = mask.tightBounds();
        const Mask compact = tight == mask.bounds() ? mask : mask.cropped(tight);
        putInt(out, tight.x());
        putInt(out, tight.y());
        putVarint(out, quint64(std::max(0, tight.width())));
        putVarint(out, quint64(std::max(0, tight.height())));
        out.append(encodeMaskRuns(compact));
    }
    return out;
}

Result<Geometry> decodeGeometry(ShapeKind kind, const QByteArray &blob, qint64 maxPixels)
{
    if (blob.isEmpty())
        return parseError(QStringLiteral("empty geometry"));
    if (std::uint8_t(blob[0]) != kBlobVersion)
        return parseError(QStringLiteral("unknown geometry version %1").arg(int(std::uint8_t(blob[0]))));
    int pos = 1;
    switch (kind) {
    case ShapeKind::Box: {
        double v[4];
        for (double &d : v)
            if (!getDouble(blob, pos, d))
                return parseError(QStringLiteral("box needs four finite numbers"));
        if (v[2] < 0 || v[3] < 0)
            return parseError(QStringLiteral("box has a negative size"));
        if (pos != blob.size())
            return parseError(QStringLiteral("trailing bytes after the box"));
        return Geometry(Box{QRectF(v[0], v[1], v[2], v[3])});
    }
    case ShapeKind::Polygon: {
        quint64 n;
        if (!getVarint(blob, pos, n))
            return parseError(QStringLiteral("polygon vertex count is cut short"));
        if (n > quint64(blob.size() - pos) / 16)
            return parseError(QStringLiteral("polygon claims %1 vertices in %2 bytes").arg(n).arg(blob.size()));
        Polygon poly;
        poly.points.reserve(int(n));
        for (quint64 i = 0; i < n; ++i) {
            double x, y;
            if (!getDouble(blob, pos, x) || !getDouble(blob, pos, y))
                return parseError(QStringLiteral("polygon vertex %1 is not a finite number").arg(i));
            poly.points.append(QPointF(x, y));
        }
        if (pos != blob.size())
            return parseError(QStringLiteral("trailing bytes after the polygon"));
        return Geometry(poly);
    }
    case ShapeKind::Mask: {
        qint64 x, y;
        quint64 w, h;
        if (!getInt(blob, pos, x) || !getInt(blob, pos, y) || !getVarint(blob, pos, w) || !getVarint(blob, pos, h))
            return parseError(QStringLiteral("mask window is cut short"));
        if (w > quint64(INT_MAX) || h > quint64(INT_MAX) || qint64(w) * qint64(h) > maxPixels
            || std::abs(x) > INT_MAX / 2 || std::abs(y) > INT_MAX / 2)
            return parseError(QStringLiteral("mask window %1 x %2 is too large").arg(w).arg(h));
        if (w == 0 || h == 0)
            return Geometry(Mask());
        auto mask = decodeMaskRuns(QRect(int(x), int(y), int(w), int(h)), blob.mid(pos));
        if (!mask.ok())
            return mask.error();
        return Geometry(std::move(mask).value());
    }
    }
    return parseError(QStringLiteral("unknown shape kind"));
}

} // namespace salient
