// SPDX-License-Identifier: GPL-3.0-or-later
// AnnotationCanvas: the shape cache and painting. Kept apart from input and
// view code because this is the part that must stay within a frame.
#include "widgets/canvas/annotationcanvas.h"

#include "core/document/annotationdocument.h"
#include "widgets/canvas/canvastool.h"

#include <QPaintEvent>
#include <QPainter>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

QRectF geometryBounds(const Geometry &g)
{
    if (const auto *b = std::get_if<Box>(&g))
        return b->rect.normalized();
    if (const auto *p = std::get_if<Polygon>(&g))
        return p->points.boundingRect();
    return QRectF(std::get<Mask>(g).bounds());
}

QPainterPath geometryPath(const Geometry &g)
{
    QPainterPath path;
    if (const auto *b = std::get_if<Box>(&g)) {
        path.addRect(b->rect.normalized());
    } else if (const auto *p = std::get_if<Polygon>(&g)) {
        path.addPolygon(p->points);
        path.closeSubpath();
    } else {
        path.addRect(QRectF(std::get<Mask>(g).bounds()));
    }
    return path;
}

/// The mask's on pixels in `color` (opaque; opacity is applied when drawn).
QImage tintMask(const Mask &mask, const QColor &color)
{
    const QRect b = mask.bounds();
    QImage img(b.size(), QImage::Format_ARGB32_Premultiplied);
    if (img.isNull())
        return img;
    const QRgb on = color.rgb() | 0xff000000u;
    const std::uint8_t *src = mask.data().data();
    for (int y = 0; y < b.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
        for (int x = 0; x < b.width(); ++x)
            line[x] = *src++ ? on : 0u;
    }
    return img;
}

} // namespace

void AnnotationCanvas::cacheShape(const Shape &shape)
{
    Cached c;
    c.bounds = geometryBounds(shape.geometry);
    if (const auto *m = std::get_if<Mask>(&shape.geometry)) {
        c.tintColor = classColor(shape.classId);
        c.tint = tintMask(*m, c.tintColor);
    } else {
        c.path = geometryPath(shape.geometry);
    }
    m_cache.insert(shape.id, std::move(c));
}

void AnnotationCanvas::rebuildCache()
{
    m_cache.clear();
    if (!m_document)
        return;
    m_cache.reserve(m_document->shapes().size());
    for (const Shape &s : m_document->shapes())
        cacheShape(s);
}

void AnnotationCanvas::refreshTints()
{
    if (!m_document)
        return;
    for (const Shape &s : m_document->shapes()) {
        auto it = m_cache.find(s.id);
        if (it != m_cache.end() && !it->tint.isNull() && it->tintColor != classColor(s.classId))
            cacheShape(s);
    }
}

const AnnotationCanvas::Cached *AnnotationCanvas::cached(qint64 shapeId) const
{
    const auto it = m_cache.constFind(shapeId);
    return it == m_cache.constEnd() ? nullptr : &*it;
}

const Geometry *AnnotationCanvas::displayedGeometry(qint64 shapeId) const
{
    const auto it = m_preview.constFind(shapeId);
    if (it != m_preview.constEnd())
        return &*it;
    const Shape *s = m_document ? m_document->shape(shapeId) : nullptr;
    return s ? &s->geometry : nullptr;
}

void AnnotationCanvas::onShapeAdded(qint64 shapeId)
{
    if (const Shape *s = m_document ? m_document->shape(shapeId) : nullptr)
        cacheShape(*s);
    invalidateFrame();
}

void AnnotationCanvas::onShapeRemoved(qint64 shapeId)
{
    m_cache.remove(shapeId);
    m_preview.remove(shapeId);
    invalidateFrame();
    if (m_selection.contains(shapeId)) {
        QVector<qint64> kept = m_selection;
        kept.removeAll(shapeId);
        setSelection(kept);
    }
    update();
}

void AnnotationCanvas::onShapeChanged(qint64 shapeId)
{
    m_preview.remove(shapeId);
    onShapeAdded(shapeId);
}

void AnnotationCanvas::onDocumentDestroyed()
{
    m_cache.clear();
    m_selection.clear();
    invalidateFrame();
}

// ---- hit testing ----------------------------------------------------------------

qint64 AnnotationCanvas::shapeAt(const QPointF &imagePos, double tolerancePx) const
{
    if (!m_document)
        return 0;
    const double tol = tolerancePx / m_zoom;
    const QVector<Shape> &shapes = m_document->shapes();
    // Topmost first: the last drawn wins, and among overlapping shapes the
    // smallest one, so a box inside a big polygon can still be picked.
    qint64 best = 0;
    double bestArea = 0;
    for (int i = shapes.size() - 1; i >= 0; --i) {
        const Shape &s = shapes[i];
        if (!isClassVisible(s.classId))
            continue;
        const Cached *c = cached(s.id);
        const Geometry *g = displayedGeometry(s.id);
        if (!c || !g)
            continue;
        const QRectF bounds = m_preview.contains(s.id) ? geometryBounds(*g) : c->bounds;
        if (!bounds.adjusted(-tol, -tol, tol, tol).contains(imagePos))
            continue;
        bool hit = false;
        if (const auto *m = std::get_if<Mask>(g)) {
            hit = m->at(int(std::floor(imagePos.x())), int(std::floor(imagePos.y())));
        } else {
            const QPainterPath path = m_preview.contains(s.id) ? geometryPath(*g) : c->path;
            hit = path.contains(imagePos);
            if (!hit) {
                QPainterPathStroker stroker;
                stroker.setWidth(2 * tol);
                hit = stroker.createStroke(path).contains(imagePos);
            }
        }
        if (!hit)
            continue;
        const double area = bounds.width() * bounds.height();
        if (!best || area < bestArea) {
            best = s.id;
            bestArea = area;
        }
    }
    return best;
}

QVector<qint64> AnnotationCanvas::shapesInside(const QRectF &rect) const
{
    QVector<qint64> ids;
    if (!m_document)
        return ids;
    const QRectF r = rect.normalized();
    for (const Shape &s : m_document->shapes()) {
        const Cached *c = cached(s.id);
        if (c && isClassVisible(s.classId) && r.contains(c->bounds))
            ids.append(s.id);
    }
    return ids;
}

// ---- painting -------------------------------------------------------------------

void AnnotationCanvas::scheduleSmooth()
{
    if (m_zoom < 1.0 && !m_image.isNull())
        m_smoothTimer->start();
}

void AnnotationCanvas::rebuildScaledImage()
{
    // Below 1:1 the image is drawn from a copy scaled once per zoom (smooth,
    // and a plain blit per frame); at or above 1:1 pixels are drawn as squares.
    if (m_image.isNull() || m_imageSize.isEmpty() || m_zoom >= 1.0) {
        m_scaled = QImage();
        return;
    }
    const QSize target(std::max(1, int(std::lround(m_imageSize.width() * m_zoom))),
                       std::max(1, int(std::lround(m_imageSize.height() * m_zoom))));
    if (m_scaled.size() == target && m_scaledZoom == m_zoom)
        return;
    // Scale from the coarsest pyramid level that still has a pixel per screen
    // pixel: a smooth rescale of a whole 100 MP image takes seconds. Without a
    // pyramid, very large images fall back to a fast (nearest) rescale.
    const double levelZoom = double(target.width()) / std::max(1, m_image.width());
    const QImage source = m_pyramid.isEmpty() ? m_image : m_pyramid.levelFor(levelZoom);
    const bool huge = qint64(source.width()) * source.height() > 40LL * 1000 * 1000;
    m_scaled = source.scaled(target, Qt::IgnoreAspectRatio, huge ? Qt::FastTransformation : Qt::SmoothTransformation)
                   .convertToFormat(QImage::Format_ARGB32_Premultiplied);
    m_scaledZoom = m_zoom;
}

void AnnotationCanvas::paintImage(QPainter &painter)
{
    const QRectF target = imageToWidget(imageRect());
    if (!m_scaled.isNull() && m_scaledZoom == m_zoom) {
        painter.drawImage(QPointF(std::round(target.left()), std::round(target.top())), m_scaled);
        return;
    }
    if (m_zoom < 1.0)
        scheduleSmooth();
    // Only the visible part of the source: a 100-megapixel image at 8x
    // would otherwise be transformed whole every frame.
    const QRectF visible = visibleImageRect();
    if (visible.isEmpty())
        return;
    const double sx = m_image.width() / double(m_imageSize.width());
    const double sy = m_image.height() / double(m_imageSize.height());
    const QRect src =
        QRectF(visible.left() * sx, visible.top() * sy, visible.width() * sx, visible.height() * sy)
            .toAlignedRect()
            .intersected(m_image.rect());
    const QRectF srcInImage(src.left() / sx, src.top() / sy, src.width() / sx, src.height() / sy);
    painter.drawImage(imageToWidget(srcInImage), m_image, src);
}

void AnnotationCanvas::invalidateFrame()
{
    m_frameDirty = true;
    update();
}

void AnnotationCanvas::rebuildFrame()
{
    const qreal dpr = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * dpr).toSize();
    if (m_frame.size() != pixels)
        m_frame = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
    m_frame.setDevicePixelRatio(dpr);
    QPainter painter(&m_frame);
    painter.fillRect(rect(), palette().color(QPalette::Dark).darker(150));
    if (!m_image.isNull())
        paintImage(painter);
    else if (!m_imageSize.isEmpty())
        painter.fillRect(imageToWidget(imageRect()), QColor(40, 40, 40));
    const QRectF visible = visibleImageRect();
    paintShapes(painter, visible, false);
    if (m_showLabels)
        paintLabels(painter, visible);
    m_frameDirty = false;
    m_frameView = viewTransform();
    m_frameExcluded = m_preview.keys();
}

void AnnotationCanvas::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    if (m_image.isNull() && m_imageSize.isEmpty()) {
        painter.fillRect(event->rect(), palette().color(QPalette::Dark).darker(150));
        painter.setPen(palette().color(QPalette::BrightText));
        painter.drawText(rect(), Qt::AlignCenter, m_message.isEmpty() ? tr("No image") : m_message);
        return;
    }
    QList<qint64> previewed = m_preview.keys();
    std::sort(previewed.begin(), previewed.end());
    std::sort(m_frameExcluded.begin(), m_frameExcluded.end());
    if (m_frameDirty || m_frameView != viewTransform()
        || m_frame.size() != (QSizeF(size()) * devicePixelRatioF()).toSize()
        || previewed != m_frameExcluded)
        rebuildFrame();
    painter.drawImage(QPointF(0, 0), m_frame);
    paintShapes(painter, visibleImageRect(), true);
    paintSelection(painter);
    if (m_tool) {
        painter.setRenderHint(QPainter::Antialiasing, true);
        m_tool->paintOverlay(painter);
    }
    if (!m_message.isEmpty()) {
        painter.setPen(Qt::white);
        painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignTop | Qt::AlignLeft, m_message);
    }
}

void AnnotationCanvas::paintShapes(QPainter &painter, const QRectF &visible, bool previewsOnly)
{
    if (!m_document || (previewsOnly && m_preview.isEmpty()))
        return;
    const QRectF view = widgetToImageRect(rect());
    QPen pen;
    pen.setCosmetic(true);
    pen.setWidthF(1.0); // wider cosmetic pens leave Qt's fast line path
    pen.setJoinStyle(Qt::MiterJoin);
    const QTransform xf = viewTransform();
    // Antialiasing costs more than everything else here; a box on screen is
    // axis-aligned, so only polygons get it.
    for (const Shape &s : m_document->shapes()) {
        if (!isClassVisible(s.classId))
            continue;
        const Cached *c = cached(s.id);
        if (!c)
            continue;
        const auto preview = m_preview.constFind(s.id);
        const bool previewed = preview != m_preview.constEnd();
        if (previewed != previewsOnly)
            continue;
        const QRectF bounds = previewed ? geometryBounds(*preview) : c->bounds;
        if (!bounds.intersects(view) && !(bounds.width() == 0 || bounds.height() == 0))
            continue;
        const QColor color = classColor(s.classId);
        const Geometry &g = previewed ? *preview : s.geometry;
        if (const auto *m = std::get_if<Mask>(&g)) {
            painter.setTransform(QTransform());
            painter.setOpacity(std::max(0.15, m_fillOpacity * 1.6));
            const QImage tint = previewed ? QImage() : c->tint;
            if (!tint.isNull())
                painter.drawImage(imageToWidget(QRectF(m->bounds())), tint);
            painter.setOpacity(1.0);
            continue;
        }
        QColor fill = color;
        fill.setAlphaF(m_fillOpacity);
        pen.setColor(color);
        if (const auto *b = std::get_if<Box>(&g)) {
            painter.setRenderHint(QPainter::Antialiasing, false);
            painter.setTransform(QTransform());
            const QRectF r = imageToWidget(b->rect.normalized());
            if (m_fillOpacity > 0)
                painter.fillRect(r, fill);
            painter.setPen(pen);
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(r);
        } else {
            // Mapped here rather than through a world transform, and filled
            // without antialiasing under an antialiased outline that hides the
            // fill's edge: Qt's raster engine fills antialiased polygons
            // about six times slower, the difference between 60 and 12 ms for
            // 2,000 shapes.
            const QPolygonF mapped = xf.map(std::get<Polygon>(g).points);
            painter.setTransform(QTransform());
            if (m_fillOpacity > 0) {
                painter.setRenderHint(QPainter::Antialiasing, false);
                painter.setPen(Qt::NoPen);
                painter.setBrush(fill);
                painter.drawPolygon(mapped);
            }
            painter.setRenderHint(QPainter::Antialiasing, true);
            painter.setPen(pen);
            painter.setBrush(Qt::NoBrush);
            painter.drawPolygon(mapped);
        }
    }
    painter.setTransform(QTransform());
    painter.setBrush(Qt::NoBrush);
    Q_UNUSED(visible)
}

QRectF AnnotationCanvas::widgetToImageRect(const QRectF &r) const
{
    return QRectF(widgetToImage(r.topLeft()), r.size() / m_zoom);
}

void AnnotationCanvas::paintLabels(QPainter &painter, const QRectF &)
{
    if (!m_document)
        return;
    const QRectF view = widgetToImageRect(rect());
    QFont font = painter.font();
    font.setPointSizeF(std::max(7.0, font.pointSizeF() * 0.85));
    painter.setFont(font);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QFontMetrics fm(font);
    // A label is drawn only where it fits the shape, so a crowded image at
    // full view stays readable (and fast).
    for (const Shape &s : m_document->shapes()) {
        if (!isClassVisible(s.classId))
            continue;
        const Cached *c = cached(s.id);
        if (!c || !c->bounds.intersects(view))
            continue;
        const QRectF wb = imageToWidget(c->bounds);
        if (wb.width() < 48 || wb.height() < fm.height() + 4)
            continue;
        auto it = m_labelTexts.find(s.classId);
        if (it == m_labelTexts.end()) {
            QStaticText t(className(s.classId));
            t.setTextFormat(Qt::PlainText);
            t.prepare(QTransform(), font);
            it = m_labelTexts.insert(s.classId, t);
        }
        const QSizeF ts = it->size();
        if (ts.width() + 6 > wb.width())
            continue;
        const QColor color = classColor(s.classId);
        const QRectF chip(wb.left(), wb.top(), ts.width() + 6, ts.height() + 2);
        painter.fillRect(chip, color);
        painter.setPen(color.lightnessF() > 0.6 ? Qt::black : Qt::white);
        painter.drawStaticText(chip.topLeft() + QPointF(3, 1), *it);
    }
}

void AnnotationCanvas::paintSelection(QPainter &painter)
{
    if (!m_document || m_selection.isEmpty())
        return;
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QTransform xf = viewTransform();
    const double h = kHandleSize;
    for (qint64 id : std::as_const(m_selection)) {
        const Shape *s = m_document->shape(id);
        const Geometry *g = displayedGeometry(id);
        if (!s || !g || !isClassVisible(s->classId))
            continue;
        const QPainterPath path = xf.map(geometryPath(*g));
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(0, 0, 0, 160), 4));
        painter.drawPath(path);
        painter.setPen(
            QPen(Qt::white, 2, std::holds_alternative<Mask>(*g) ? Qt::DashLine : Qt::SolidLine));
        painter.drawPath(path);
        QVector<QPointF> handles;
        if (const auto *b = std::get_if<Box>(g)) {
            const QRectF r = imageToWidget(b->rect.normalized());
            handles = {r.topLeft(),     QPointF(r.center().x(), r.top()),
                       r.topRight(),    QPointF(r.right(), r.center().y()),
                       r.bottomRight(), QPointF(r.center().x(), r.bottom()),
                       r.bottomLeft(),  QPointF(r.left(), r.center().y())};
        } else if (const auto *p = std::get_if<Polygon>(g)) {
            for (const QPointF &v : p->points)
                handles.append(imageToWidget(v));
        }
        painter.setPen(QPen(QColor(20, 20, 20), 1));
        for (int i = 0; i < handles.size(); ++i) {
            const bool active = id == m_activeHandleShape && i == m_activeHandle;
            painter.setBrush(active ? classColor(s->classId) : QColor(Qt::white));
            painter.drawRect(QRectF(handles[i] - QPointF(h / 2, h / 2), QSizeF(h, h)));
        }
    }
    painter.setBrush(Qt::NoBrush);
}

} // namespace salient
