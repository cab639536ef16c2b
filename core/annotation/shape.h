// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"

#include <QString>

namespace salient {

/// One annotation on one image: a box, polygon or mask with its class.
struct Shape {
    qint64 id = 0;      ///< 0 until stored
    qint64 imageId = 0;
    qint64 classId = 0; ///< 0: no class (e.g. its class was deleted)
    Geometry geometry;
    QString attributes = QStringLiteral("{}"); ///< JSON object: free-form flags and notes

    ShapeKind kind() const { return kindOf(geometry); }
    bool operator==(const Shape &o) const
    {
        return id == o.id && imageId == o.imageId && classId == o.classId && geometry == o.geometry
            && attributes == o.attributes;
    }
};

/// Shapes of one class, by kind (for `salient-cli info` and the class panel).
struct ShapeCounts {
    qint64 boxes = 0;
    qint64 polygons = 0;
    qint64 masks = 0;
};

} // namespace salient
