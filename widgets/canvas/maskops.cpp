// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/maskops.h"

#include "core/annotation/raster.h"
#include "core/document/annotationdocument.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MaskOps", text);
}

QVector<const Shape *> shapesOf(const AnnotationDocument &document, const QVector<qint64> &ids,
                                std::initializer_list<ShapeKind> kinds)
{
    QVector<const Shape *> out;
    for (qint64 id : ids) {
        const Shape *s = document.shape(id);
        if (s && std::find(kinds.begin(), kinds.end(), s->kind()) != kinds.end()
            && std::find(out.begin(), out.end(), s) == out.end())
            out.append(s);
    }
    return out;
}

Shape like(const Shape &original, Geometry geometry)
{
    Shape s;
    s.imageId = original.imageId;
    s.classId = original.classId;
    s.attributes = original.attributes;
    s.geometry = std::move(geometry);
    return s;
}

/// The mask cut to its on pixels: stored blobs and cached tints stay small.
Mask tight(const Mask &mask)
{
    const QRect t = mask.tightBounds();
    return t == mask.bounds() ? mask : mask.cropped(t);
}

} // namespace

QRect stampBounds(const QPointF &a, const QPointF &b, double radius)
{
    const double x0 = std::min(a.x(), b.x()) - radius, x1 = std::max(a.x(), b.x()) + radius;
    const double y0 = std::min(a.y(), b.y()) - radius, y1 = std::max(a.y(), b.y()) + radius;
    // Pixel i is a candidate when its centre i + 0.5 is in [x0, x1].
    const int i0 = int(std::ceil(x0 - 0.5)), i1 = int(std::floor(x1 - 0.5));
    const int j0 = int(std::ceil(y0 - 0.5)), j1 = int(std::floor(y1 - 0.5));
    if (i1 < i0 || j1 < j0)
        return {};
    return QRect(QPoint(i0, j0), QPoint(i1, j1));
}

void stampSegment(Mask &mask, const QPointF &a, const QPointF &b, double radius, const QRect &clip)
{
    const QRect area = stampBounds(a, b, radius).intersected(clip).intersected(mask.bounds());
    if (area.isEmpty())
        return;
    const double r2 = radius * radius;
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double len2 = dx * dx + dy * dy;
    const QRect w = mask.bounds();
    std::uint8_t *data = mask.data().data();
    for (int j = area.top(); j <= area.bottom(); ++j) {
        const double cy = j + 0.5;
        std::uint8_t *row = data + size_t(j - w.top()) * size_t(w.width()) - w.left();
        for (int i = area.left(); i <= area.right(); ++i) {
            const double cx = i + 0.5;
            // Distance from the pixel centre to the nearest point of the segment.
            double t = len2 > 0 ? ((cx - a.x()) * dx + (cy - a.y()) * dy) / len2 : 0.0;
            t = std::clamp(t, 0.0, 1.0);
            const double ex = cx - (a.x() + t * dx), ey = cy - (a.y() + t * dy);
            if (ex * ex + ey * ey <= r2)
                row[i] = 1;
        }
    }
}

Mask subtract(const Mask &a, const Mask &b)
{
    Mask out = a;
    const QRect common = a.bounds().intersected(b.bounds());
    const QRect w = a.bounds();
    for (int y = common.top(); y <= common.bottom(); ++y)
        for (int x = common.left(); x <= common.right(); ++x)
            if (b.at(x, y))
                out.data()[size_t(y - w.top()) * size_t(w.width()) + size_t(x - w.left())] = 0;
    return out;
}

bool canConvertToMasks(const AnnotationDocument &document, const QVector<qint64> &shapeIds)
{
    return !shapesOf(document, shapeIds, {ShapeKind::Polygon, ShapeKind::Box}).isEmpty();
}

bool canConvertToPolygons(const AnnotationDocument &document, const QVector<qint64> &shapeIds)
{
    return !shapesOf(document, shapeIds, {ShapeKind::Mask}).isEmpty();
}

QVector<qint64> convertToMasks(AnnotationDocument &document, const QVector<qint64> &shapeIds)
{
    QVector<qint64> removed;
    QVector<Shape> added;
    for (const Shape *s : shapesOf(document, shapeIds, {ShapeKind::Polygon, ShapeKind::Box})) {
        const Mask mask =
            s->kind() == ShapeKind::Box
                ? rasterizeBox(std::get<Box>(s->geometry).rect, document.imageSize())
                : rasterizePolygon(std::get<Polygon>(s->geometry).points, document.imageSize());
        removed.append(s->id);
        if (!mask.isEmpty()) // a sliver outside the image: converting deletes it
            added.append(like(*s, tight(mask)));
    }
    if (removed.isEmpty())
        return {};
    return document.replaceShapes(removed, added, tr("Convert to Mask"));
}

QVector<qint64> convertToPolygons(AnnotationDocument &document, const QVector<qint64> &shapeIds,
                                  int minArea)
{
    QVector<qint64> removed;
    QVector<Shape> added;
    for (const Shape *s : shapesOf(document, shapeIds, {ShapeKind::Mask})) {
        const QVector<QPolygonF> outlines = maskToPolygons(std::get<Mask>(s->geometry), minArea);
        QVector<Shape> parts;
        for (const QPolygonF &poly : outlines)
            if (poly.size() >= 3) // a single pixel or a 1-px line has no area to outline
                parts.append(like(*s, Polygon{poly}));
        if (parts.isEmpty())
            continue; // keep a mask that would vanish
        removed.append(s->id);
        added += parts;
    }
    if (removed.isEmpty())
        return {};
    return document.replaceShapes(removed, added, tr("Convert to Polygon"));
}

QVector<qint64> fillMaskHoles(AnnotationDocument &document, const QVector<qint64> &shapeIds)
{
    QVector<qint64> removed;
    QVector<Shape> added;
    for (const Shape *s : shapesOf(document, shapeIds, {ShapeKind::Mask})) {
        const Mask &mask = std::get<Mask>(s->geometry);
        const Mask filled = fillHoles(mask);
        if (filled.area() == mask.area())
            continue;
        removed.append(s->id);
        added.append(like(*s, filled));
    }
    if (removed.isEmpty())
        return {};
    if (removed.size() == 1) // keeps the shape's id (and the selection)
        return document.setGeometry(removed.first(), added.first().geometry) ? removed
                                                                             : QVector<qint64>();
    return document.replaceShapes(removed, added, tr("Fill Holes"));
}

} // namespace salient
