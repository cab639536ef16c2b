// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"

#include <QSize>
#include <QString>

namespace salient {

/// Checks one shape against the image it sits on (size as displayed). Returns
/// an empty string when the shape is fine, else a message for the user, e.g.
/// "negative coordinate (x = -12.5)" or "outside the 640x480 image (x + w = 700)".
/// Coordinates outside the image by at most half a pixel are clamped in place
/// (rounding in other tools), as are mask windows that stick out with nothing on
/// outside. An invalid displayedSize skips the out-of-image checks.
QString checkShape(Geometry &geometry, const QSize &displayedSize);

/// How far outside the image a coordinate may be and still be clamped.
constexpr double kClampTolerance = 0.5;

/// Maps a point given in the stored (un-rotated) frame of an image with EXIF
/// `orientation` (1..8) and stored size `storedSize` into the displayed frame.
QPointF toDisplayedPoint(const QPointF &p, int orientation, const QSize &storedSize);

/// Maps a geometry from the stored frame into the displayed frame: the same
/// transform decode's applyOrientation applies to the pixels. Boxes stay boxes
/// (both corners mapped, then normalised), polygons map every vertex, masks
/// move their pixels. Orientation 1 (or out of range) returns the input.
Geometry toDisplayedFrame(const Geometry &geometry, int orientation, const QSize &storedSize);

} // namespace salient
