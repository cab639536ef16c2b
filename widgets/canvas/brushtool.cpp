// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/brushtool.h"

#include "core/annotation/raster.h"
#include "core/document/annotationdocument.h"
#include "widgets/canvas/annotationcanvas.h"
#include "widgets/canvas/maskops.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

const QColor kEraserColor(255, 255, 255);

/// A copy cut to the on pixels (what gets stored).
Mask tight(const Mask &mask)
{
    const QRect t = mask.tightBounds();
    return t == mask.bounds() ? mask : mask.cropped(t);
}

} // namespace

BrushTool::BrushTool(AnnotationCanvas *canvas, bool eraser) : CanvasTool(canvas), m_eraser(eraser)
{
}

QString BrushTool::id() const
{
    return m_eraser ? QStringLiteral("eraser") : QStringLiteral("brush");
}

QString BrushTool::name() const
{
    return m_eraser ? tr("Eraser") : tr("Brush");
}

QKeySequence BrushTool::shortcut() const
{
    return QKeySequence(m_eraser ? Qt::Key_E : Qt::Key_B);
}

QList<QPair<QString, QString>> BrushTool::keyHelp() const
{
    if (m_eraser) // the brush lists the keys both share
        return {};
    return {{QStringLiteral("["), tr("Brush/Eraser: smaller brush")},
             {QStringLiteral("]"), tr("Brush/Eraser: larger brush")},
              {QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText),
               tr("Brush/Eraser: drop the stroke being drawn")}};
}

double BrushTool::nextRadius(double radius, bool grow)
{
    return grow ? std::max(radius * 1.25, radius + 1.0)
                : std::max(0.5, std::min(radius / 1.25, radius - 1.0));
}

void BrushTool::activate()
{
    canvas()->setToolCursor(Qt::CrossCursor);
}

void BrushTool::deactivate()
{
    dropStroke();
    m_hasHover = false;
}

bool BrushTool::cancel()
{
    const bool had = m_stroking;
    dropStroke();
    canvas()->update();
    return had;
}

void BrushTool::dropStroke()
{
    m_stroking = false;
    m_stroke = Mask();
    m_tint = QImage();
}

bool BrushTool::keyPress(QKeyEvent *event)
{
    if (event->key() != Qt::Key_BracketLeft && event->key() != Qt::Key_BracketRight)
        return false;
    canvas()->setBrushRadius(
        nextRadius(canvas()->brushRadius(), event->key() == Qt::Key_BracketRight));
    canvas()->update();
    return true;
}

void BrushTool::mousePress(const QPointF &imagePos, QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    dropStroke();
    m_stroking = true;
    m_last = imagePos;
    m_hover = imagePos;
    m_hasHover = true;
    stamp(imagePos, imagePos);
}

void BrushTool::mouseMove(const QPointF &imagePos, QMouseEvent *)
{
    m_hover = imagePos;
    m_hasHover = true;
    if (m_stroking) {
        stamp(m_last, imagePos);
        m_last = imagePos;
    }
    canvas()->update();
}

void BrushTool::mouseRelease(const QPointF &imagePos, QMouseEvent *event)
{
    if (!m_stroking || event->button() != Qt::LeftButton)
        return;
    stamp(m_last, imagePos);
    commit();
    dropStroke();
    canvas()->update();
}

void BrushTool::stamp(const QPointF &from, const QPointF &to)
{
    const QRect image = canvas()->imageRect().toAlignedRect();
    const QRect area = stampBounds(from, to, canvas()->brushRadius()).intersected(image);
    if (area.isEmpty())
        return;
    growWindow(area);
    stampSegment(m_stroke, from, to, canvas()->brushRadius(), area);
    updateTint(area);
}

void BrushTool::growWindow(const QRect &needed)
{
    const QRect old = m_stroke.bounds();
    if (!old.isEmpty() && old.contains(needed))
        return;
    // Grow by a margin proportional to the window (at least a few brush
    // widths), so a long stroke reallocates O(log n) times, not per event.
    const int base = std::max(64, int(4 * canvas()->brushRadius()));
    const int mx = std::max(base, old.width() / 2), my = std::max(base, old.height() / 2);
    const QRect image = canvas()->imageRect().toAlignedRect();
    const QRect window =
        (old.isEmpty() ? needed : old.united(needed)).adjusted(-mx, -my, mx, my).intersected(image);
    Mask grown(window);
    if (!old.isEmpty()) {
        for (int y = old.top(); y <= old.bottom(); ++y) {
            const std::uint8_t *src = m_stroke.data().data() + size_t(y - old.top()) * old.width();
            std::copy(src, src + old.width(),
                      grown.data().data() + size_t(y - window.top()) * window.width()
                          + (old.left() - window.left()));
        }
    }
    m_stroke = std::move(grown);
    m_tint = QImage(window.size(), QImage::Format_ARGB32_Premultiplied);
    m_tint.fill(Qt::transparent);
    updateTint(old);
}

void BrushTool::updateTint(const QRect &area)
{
    const QRect w = m_stroke.bounds();
    const QRect a = area.intersected(w);
    if (a.isEmpty() || m_tint.isNull())
        return;
    const QColor color = m_eraser ? kEraserColor : canvas()->classColor(canvas()->currentClassId());
    const QRgb on = qPremultiply(qRgba(color.red(), color.green(), color.blue(), 255));
    for (int y = a.top(); y <= a.bottom(); ++y) {
        const std::uint8_t *src = m_stroke.data().data() + size_t(y - w.top()) * w.width();
        auto *dst = reinterpret_cast<QRgb *>(m_tint.scanLine(y - w.top()));
        for (int x = a.left(); x <= a.right(); ++x)
            if (src[x - w.left()])
                dst[x - w.left()] = on;
    }
}

void BrushTool::commit()
{
    AnnotationDocument *doc = canvas()->document();
    if (!doc)
        return;
    const Mask stroke = tight(m_stroke);
    if (stroke.isEmpty())
        return; // the whole stroke was outside the image
    if (m_eraser)
        commitEraser(stroke);
    else
        commitBrush(stroke);
}

void BrushTool::commitBrush(const Mask &stroke)
{
    AnnotationDocument *doc = canvas()->document();
    const qint64 classId = canvas()->currentClassId();
    for (qint64 id : canvas()->selection()) {
        const Shape *s = doc->shape(id);
        if (s && s->classId == classId && s->kind() == ShapeKind::Mask) {
            doc->setGeometry(id, unite(std::get<Mask>(s->geometry), stroke));
            return;
        }
    }
    const qint64 id = doc->addShape(classId, stroke);
    if (id)
        canvas()->setSelection({id});
}

void BrushTool::commitEraser(const Mask &stroke)
{
    AnnotationDocument *doc = canvas()->document();
    QVector<const Shape *> candidates;
    for (qint64 id : canvas()->selection())
        if (const Shape *s = doc->shape(id); s && s->kind() == ShapeKind::Mask)
            candidates.append(s);
    if (candidates.isEmpty()) {
        for (const Shape &s : doc->shapes())
            if (s.kind() == ShapeKind::Mask && canvas()->isClassVisible(s.classId))
                candidates.append(&s);
    }
    QVector<qint64> changedIds;
    QVector<Shape> results;
    for (const Shape *s : candidates) {
        const Mask &mask = std::get<Mask>(s->geometry);
        if (!mask.bounds().intersects(stroke.bounds()))
            continue;
        const Mask rest = subtract(mask, stroke);
        if (rest.area() == mask.area())
            continue; // the stroke missed this one
        changedIds.append(s->id);
        if (!rest.isEmpty()) {
            Shape r = *s;
            r.geometry = tight(rest);
            results.append(r);
        }
    }
    if (changedIds.isEmpty())
        return;
    if (changedIds.size() == 1 && results.size() == 1) {
        doc->setGeometry(changedIds.first(), results.first().geometry);
    } else if (results.isEmpty()) {
        doc->removeShapes(changedIds);
    } else {
        // Several masks in one stroke: one command, so one Ctrl+Z restores all.
        const QVector<qint64> selected = canvas()->selection();
        const QVector<qint64> fresh = doc->replaceShapes(changedIds, results, tr("Erase"));
        if (!fresh.isEmpty() && !selected.isEmpty())
            canvas()->setSelection(fresh);
    }
}

void BrushTool::paintOverlay(QPainter &painter)
{
    const double opacity = std::clamp(canvas()->fillOpacity() + 0.25, 0.35, 0.8);
    if (m_stroking && !m_tint.isNull()) {
        painter.save();
        painter.setOpacity(opacity);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false); // crisp pixels when zoomed
        painter.drawImage(canvas()->imageToWidget(QRectF(m_stroke.bounds())), m_tint);
        painter.restore();
    }
    if (m_hasHover && canvas()->underMouse()) {
        // The brush outline: what the next dab will cover.
        const QPointF c = canvas()->imageToWidget(m_hover);
        const double r = canvas()->brushRadius() * canvas()->zoom();
        painter.save();
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(0, 0, 0, 160), 3));
        painter.drawEllipse(c, r, r);
        const QColor color =
            m_eraser ? kEraserColor : canvas()->classColor(canvas()->currentClassId());
        painter.setPen(QPen(color, 1.5, m_eraser ? Qt::DashLine : Qt::SolidLine));
        painter.drawEllipse(c, r, r);
        painter.restore();
    }
}

} // namespace salient
