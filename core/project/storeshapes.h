// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shape helpers beyond ProjectStore's own API, for the undo of class edits
// (core/commands/labelcommands.cpp). Implemented in storeshapes.cpp.

#include "core/util/result.h"

#include <QVector>

namespace salient {

class ProjectStore;

/// One shape's class, as the undo of a class merge or delete must restore it.
struct ShapeClassRef {
    qint64 shapeId = 0;
    qint64 imageId = 0;
    qint64 classId = 0; ///< 0: no class
    bool operator==(const ShapeClassRef &o) const
    {
        return shapeId == o.shapeId && imageId == o.imageId && classId == o.classId;
    }
};

/// The shapes that carry a class, in id order (their classId is `classId`).
Result<QVector<ShapeClassRef>> shapesOfClass(const ProjectStore &store, qint64 classId);

/// Gives shapes their class back (only the class: geometry is left as it is
/// now), in one transaction. Shapes that no longer exist are skipped. Emits
/// nothing: the caller emits ProjectStore::shapesChanged for the images once
/// its own outermost transaction has committed (see imagesOf()).
Status setShapeClassIds(ProjectStore &store, const QVector<ShapeClassRef> &refs);

/// The distinct image ids of refs, in first-seen order.
QVector<qint64> imagesOf(const QVector<ShapeClassRef> &refs);

} // namespace salient
