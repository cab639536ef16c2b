// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/formats/shapecheck.h"

#include "core/imaging/decode.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace salient {

namespace {

QString num(double v)
{
    return QString::number(v, 'g', 10);
}

QString notANumber()
{
    return QStringLiteral("coordinate is not a number");
}

QString negative(const char *axis, double v)
{
    return QStringLiteral("negative coordinate (%1 = %2)").arg(QLatin1String(axis), num(v));
}

QString outside(const QSize &size, const char *what, double v)
{
    return QStringLiteral("outside the %1x%2 image (%3 = %4)")
                              .arg(size.width())
                              .arg(size.height())
                              .arg(QLatin1String(what), num(v));
}

QString checkBox(Box &box, const QSize &size)
{
    const double x = box.rect.x(), y = box.rect.y(), w = box.rect.width(), h = box.rect.height();
    if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(w) || !std::isfinite(h))
        return notANumber();
    if (w <= 0 || h <= 0)
        return QStringLiteral("box of zero width or height");
    if (x < -kClampTolerance)
        return negative("x", x);
    if (y < -kClampTolerance)
        return negative("y", y);
    double left = std::max(0.0, x), top = std::max(0.0, y);
    double right = x + w, bottom = y + h;
    if (size.isValid()) {
        if (right > size.width() + kClampTolerance)
            return outside(size, "x + w", right);
        if (bottom > size.height() + kClampTolerance)
            return outside(size, "y + h", bottom);
        right = std::min<double>(right, size.width());
        bottom = std::min<double>(bottom, size.height());
        left = std::min<double>(left, size.width());
        top = std::min<double>(top, size.height());
    }
    if (right - left <= 0 || bottom - top <= 0)
        return QStringLiteral("box of zero width or height");
    box.rect = QRectF(QPointF(left, top), QPointF(right, bottom));
    return {};
}

QString checkPolygon(Polygon &polygon, const QSize &size)
{
    for (const QPointF &p : std::as_const(polygon.points))
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()))
            return notANumber();
    if (polygon.points.size() < 3)
        return QStringLiteral("polygon with fewer than 3 points");
    for (QPointF &p : polygon.points) {
        if (p.x() < -kClampTolerance)
            return negative("x", p.x());
        if (p.y() < -kClampTolerance)
            return negative("y", p.y());
        if (size.isValid()) {
            if (p.x() > size.width() + kClampTolerance)
                return outside(size, "x", p.x());
            if (p.y() > size.height() + kClampTolerance)
                return outside(size, "y", p.y());
            p.setX(std::min<double>(p.x(), size.width()));
            p.setY(std::min<double>(p.y(), size.height()));
        }
        p.setX(std::max(0.0, p.x()));
        p.setY(std::max(0.0, p.y()));
    }
    // Shoelace; a polygon whose vertices all lie on one line covers nothing.
    double twiceArea = 0;
    const QPolygonF &pts = polygon.points;
    for (int i = 0, n = int(pts.size()); i < n; ++i) {
        const QPointF &a = pts[i], &b = pts[(i + 1) % n];
        twiceArea += a.x() * b.y() - b.x() * a.y();
    }
    if (std::abs(twiceArea) < 1e-9)
        return QStringLiteral("polygon with zero area");
    return {};
}

QString checkMask(Mask &mask, const QSize &size)
{
    const QRect tight = mask.tightBounds();
    if (tight.isEmpty())
        return QStringLiteral("empty mask");
    if (!size.isValid())
        return {};
    const QRect image(QPoint(0, 0), size);
    if (!image.contains(tight))
        return QStringLiteral("mask outside the image");
    if (!image.contains(mask.bounds()))
        mask = mask.cropped(mask.bounds().intersected(image));
    return {};
}

} // namespace

QString checkShape(Geometry &geometry, const QSize &displayedSize)
{
    if (auto *box = std::get_if<Box>(&geometry))
        return checkBox(*box, displayedSize);
    if (auto *polygon = std::get_if<Polygon>(&geometry))
        return checkPolygon(*polygon, displayedSize);
    return checkMask(std::get<Mask>(geometry), displayedSize);
}

QPointF toDisplayedPoint(const QPointF &p, int orientation, const QSize &storedSize)
{
    const double w = storedSize.width(), h = storedSize.height();
    const double x = p.x(), y = p.y();
    switch (orientation) {
    case 2:
        return {w - x, y}; // mirrored left-right
    case 3:
        return {w - x, h - y}; // rotated 180
    case 4:
        return {x, h - y}; // mirrored top-bottom
    case 5:
        return {y, x}; // transposed
    case 6:
        return {h - y, x}; // rotated 90 clockwise for display
    case 7:
        return {h - y, w - x}; // transversed
    case 8:
        return {y, w - x}; // rotated 90 counter-clockwise for display
    default:
        return p;
    }
}

Geometry toDisplayedFrame(const Geometry &geometry, int orientation, const QSize &storedSize)
{
    if (orientation < 2 || orientation > 8)
        return geometry;
    if (const auto *box = std::get_if<Box>(&geometry)) {
        const QPointF a = toDisplayedPoint(box->rect.topLeft(), orientation, storedSize);
        const QPointF b = toDisplayedPoint(box->rect.bottomRight(), orientation, storedSize);
        return Box{QRectF(a, b).normalized()};
    }
    if (const auto *polygon = std::get_if<Polygon>(&geometry)) {
        Polygon out;
        out.points.reserve(polygon->points.size());
        for (const QPointF &p : polygon->points)
            out.points.push_back(toDisplayedPoint(p, orientation, storedSize));
        return out;
    }
    const Mask &mask = std::get<Mask>(geometry);
    const QRect b = mask.bounds();
    if (b.isEmpty())
        return mask;
    // The window's corners map like a box's; its pixels move as decode moves the image's.
    const QPointF c0 = toDisplayedPoint(QPointF(b.left(), b.top()), orientation, storedSize);
    const QPointF c1 = toDisplayedPoint(QPointF(b.left() + b.width(), b.top() + b.height()),
                                        orientation, storedSize);
    const QRectF mapped = QRectF(c0, c1).normalized();
    const QRect bounds(int(std::lround(mapped.left())), int(std::lround(mapped.top())),
                       int(std::lround(mapped.width())), int(std::lround(mapped.height())));
    Mask out(bounds);
    try {
        const cv::Mat window(b.height(), b.width(), CV_8UC1,
                             const_cast<std::uint8_t *>(mask.data().data()));
        const cv::Mat turned = applyOrientation(window, orientation);
        if (turned.cols != bounds.width() || turned.rows != bounds.height())
            return mask; // cannot happen for orientations 2..8
        for (int r = 0; r < turned.rows; ++r)
            std::memcpy(out.data().data() + size_t(r) * size_t(turned.cols), turned.ptr(r),
                        size_t(turned.cols));
    } catch (const cv::Exception &) {
        return mask; // out of memory for a huge window: leave it; the size check reports it
    }
    return out;
}

} // namespace salient
