// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by tst_crashkill and its child editor (crashchild): geometry as one
// word-separated text, so the child can announce an edit in a line and the
// parent can compare it with what the store holds. Coordinates are whole
// pixels, which print exactly.

#include "core/annotation/geometry.h"

#include <QRandomGenerator>
#include <QString>
#include <QStringList>

namespace salient::test {

/// Size of the images the crash test annotates.
constexpr int kCrashImageWidth = 640;
constexpr int kCrashImageHeight = 480;

/// "box x y w h", "poly x y x y x y ..." or "mask x y w h" (a filled window);
/// "mask?" for a mask that is not a filled rectangle (never made by the child).
inline QString geometryText(const Geometry &g)
{
    if (const auto *b = std::get_if<Box>(&g)) {
        const QRectF r = b->rect;
        return QStringLiteral("box %1 %2 %3 %4").arg(r.x()).arg(r.y()).arg(r.width()).arg(
            r.height());
    }
    if (const auto *p = std::get_if<Polygon>(&g)) {
        QStringList parts{QStringLiteral("poly")};
        for (const QPointF &pt : p->points)
            parts << QString::number(pt.x()) << QString::number(pt.y());
        return parts.join(QLatin1Char(' '));
    }
    const Mask &m = std::get<Mask>(g);
    const QRect r = m.tightBounds();
    if (m.area() != r.width() * r.height())
        return QStringLiteral("mask?");
    return QStringLiteral("mask %1 %2 %3 %4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

/// A random shape inside the image, of the given kind (0 box, 1 polygon, 2 mask).
inline Geometry randomGeometry(QRandomGenerator &rng, int kind)
{
    const int w = 4 + int(rng.bounded(60));
    const int h = 4 + int(rng.bounded(60));
    const int x = int(rng.bounded(kCrashImageWidth - w));
    const int y = int(rng.bounded(kCrashImageHeight - h));
    if (kind == 0)
        return Box{QRectF(x, y, w, h)};
    if (kind == 1)
        return Polygon{QPolygonF({QPointF(x, y), QPointF(x + w, y + h / 2), QPointF(x, y + h)})};
    Mask m(QRect(x, y, w, h));
    for (int yy = y; yy < y + h; ++yy)
        for (int xx = x; xx < x + w; ++xx)
            m.set(xx, yy, true);
    return m;
}

} // namespace salient::test
