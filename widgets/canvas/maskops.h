// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"

#include <QPointF>
#include <QRect>
#include <QSize>
#include <QVector>

namespace salient {

class AnnotationDocument;

// Mask edits as document edits: each call is one command (one Ctrl+Z) and one
// store transaction. Shapes of other kinds in `shapeIds` are left alone. The
// canvas and menus offer them as "Convert to Mask", "Convert to Polygon",
// "Fill Holes" on the selection.

/// Polygons and boxes -> masks of the same class and attributes
/// (rasterizePolygon / rasterizeBox on the document's image size). Returns
/// the new ids (empty when nothing was converted or the store refused).
QVector<qint64> convertToMasks(AnnotationDocument &document, const QVector<qint64> &shapeIds);
/// Masks -> one polygon per connected region (maskToPolygons: outer
/// outlines, holes filled), same class and attributes. Regions under minArea
/// pixels are dropped. Returns the new ids.
QVector<qint64> convertToPolygons(AnnotationDocument &document, const QVector<qint64> &shapeIds,
                                  int minArea = 1);
/// Fills the holes of the masks among shapeIds. Returns the new ids of the
/// masks that changed (empty when none had a hole).
QVector<qint64> fillMaskHoles(AnnotationDocument &document, const QVector<qint64> &shapeIds);
/// Whether any of these shapes could be converted / filled (to enable actions).
bool canConvertToMasks(const AnnotationDocument &document, const QVector<qint64> &shapeIds);
bool canConvertToPolygons(const AnnotationDocument &document, const QVector<qint64> &shapeIds);

/// The pixels whose centre (i + 0.5, j + 0.5) lies within `radius` of the
/// segment a-b (a disc when a == b), clipped to `clip`, set in `mask`
/// (whose window must hold them to be kept). This is the brush's stamp: a
/// stroke is the union of its segments, so fast drags leave no gaps.
void stampSegment(Mask &mask, const QPointF &a, const QPointF &b, double radius, const QRect &clip);
/// The window a segment's stamp can touch (before clipping).
QRect stampBounds(const QPointF &a, const QPointF &b, double radius);
/// a minus b (pixels of a not in b), on a's window.
Mask subtract(const Mask &a, const Mask &b);

} // namespace salient
