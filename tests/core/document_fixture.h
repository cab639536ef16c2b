// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shapes of every kind for the document suites (F1).

#include "core/annotation/shape.h"

#include <QString>

namespace salient::test {

/// A recognisable geometry of a kind ("box", "polygon", "mask"); `variant`
/// shifts it, so two variants differ.
inline Geometry sampleGeometry(const QString &kind, int variant = 0)
{
    const double v = variant;
    if (kind == QLatin1String("box"))
        return Box{QRectF(10.25 + v, 20.5, 100.125 + v, 50.75)};
    if (kind == QLatin1String("polygon"))
        return Polygon{QPolygonF({QPointF(1.5 + v, 2.25), QPointF(80.75, 3.5 + v),
                                  QPointF(60.125, 70.0), QPointF(5.0, 40.5 + v)})};
    // A mask with a hole and ragged edges: run-length coding must keep every pixel.
    Mask m(QRect(5 + variant, 7, 40, 30));
    for (int y = 7; y < 37; ++y) {
        for (int x = 5 + variant; x < 45 + variant; ++x) {
            const bool ring = (x - 25) * (x - 25) + (y - 22) * (y - 22) < 150;
            const bool hole = (x - 25) * (x - 25) + (y - 22) * (y - 22) < 20;
            m.set(x, y, (ring && !hole) || (x + y * 3) % 17 == 0);
        }
    }
    return m;
}

inline Shape sampleShape(const QString &kind, qint64 imageId, qint64 classId, int variant = 0)
{
    Shape s;
    s.imageId = imageId;
    s.classId = classId;
    s.geometry = sampleGeometry(kind, variant);
    return s;
}

} // namespace salient::test
