// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"

#include <QSize>
#include <QVector>

namespace salient {

/// The polygon's pixels, clipped to the image: exactly OpenCV's fillPoly on the
/// vertices moved by -0.5 (fillPoly puts pixel centres on integers), with
/// 1/256 px precision. fillPoly also takes pixels whose centres lie on the
/// outline, so this is slightly generous at the edges, as every peer is.
Mask rasterizePolygon(const QPolygonF &polygon, const QSize &imageSize);

/// The pixels of a box: those whose centre (i + 0.5, j + 0.5) lies in
/// [left, right) x [top, bottom), so a box on pixel corners covers exactly its pixels.
Mask rasterizeBox(const QRectF &box, const QSize &imageSize);

/// Outer outlines of the mask's connected regions (8-connected) as polygons
/// through the centres of their boundary pixels, so that rasterising them with
/// rasterizePolygon gives back each region with its holes filled. Regions
/// smaller than minArea pixels are dropped.
QVector<QPolygonF> maskToPolygons(const Mask &mask, int minArea = 1);

/// The mask with every hole (off region not connected to the window's border) filled.
Mask fillHoles(const Mask &mask);

/// Union of two masks over the union of their windows.
Mask unite(const Mask &a, const Mask &b);

} // namespace salient
