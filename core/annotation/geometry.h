// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QPolygonF>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace salient {

// Coordinates: continuous image coordinates of the image AS DISPLAYED (EXIF
// orientation applied), origin at the top-left corner of the top-left pixel;
// pixel (i, j) covers [i, i+1) x [j, j+1) and its centre is (i + 0.5, j + 0.5).
// This is COCO's convention; format readers convert at the border.

enum class ShapeKind { Box, Polygon, Mask };

QString shapeKindName(ShapeKind kind); ///< "box", "polygon", "mask" (as stored)
std::optional<ShapeKind> shapeKindFromName(const QString &name);

/// An axis-aligned box, sub-pixel.
struct Box {
    QRectF rect;
    bool operator==(const Box &o) const { return rect == o.rect; }
};

/// A closed polygon, sub-pixel vertices in order (no repeated closing vertex).
struct Polygon {
    QPolygonF points;
    bool operator==(const Polygon &o) const { return points == o.points; }
};

/// A binary pixel mask over a window of the image (`bounds`, in pixels).
/// Pixels outside the window are off. Cheap to copy for small regions.
class Mask {
public:
    Mask() = default;
    explicit Mask(const QRect &bounds);

    QRect bounds() const { return m_bounds; }
    bool isEmpty() const { return area() == 0; }
    /// Pixel (x, y) in image coordinates; false outside bounds.
    bool at(int x, int y) const;
    void set(int x, int y, bool on); ///< ignored outside bounds
    int area() const;                ///< pixels on
    /// Smallest window holding every on pixel (empty QRect when none).
    QRect tightBounds() const;
    /// A copy whose window is exactly `bounds` (pixels outside are dropped).
    Mask cropped(const QRect &bounds) const;
    /// Row-major 0/1 bytes of the window (width * height).
    const std::vector<std::uint8_t> &data() const { return m_data; }
    std::vector<std::uint8_t> &data() { return m_data; }

    bool operator==(const Mask &o) const;
    bool operator!=(const Mask &o) const { return !(*this == o); }

private:
    QRect m_bounds;
    std::vector<std::uint8_t> m_data;
};

using Geometry = std::variant<Box, Polygon, Mask>;

ShapeKind kindOf(const Geometry &geometry);

/// Compact, versioned binary form for the store's shapes.geometry column.
/// Masks are run-length encoded (exact round trip).
QByteArray encodeGeometry(const Geometry &geometry);
/// Decodes what encodeGeometry wrote. Every length is checked: a corrupt or
/// hostile blob gives an Error (Parse), never a crash or a huge allocation.
/// maxPixels bounds a mask's window.
Result<Geometry> decodeGeometry(ShapeKind kind, const QByteArray &blob,
                                qint64 maxPixels = 400LL * 1000 * 1000);

/// Run-length form of a mask window: varint run lengths alternating off/on,
/// starting with off, row-major.
QByteArray encodeMaskRuns(const Mask &mask);
Result<Mask> decodeMaskRuns(const QRect &bounds, const QByteArray &runs);

} // namespace salient
