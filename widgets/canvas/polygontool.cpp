// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/polygontool.h"

#include "core/document/annotationdocument.h"
#include "widgets/canvas/annotationcanvas.h"

#include <QKeyEvent>
#include <QLineF>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace salient {

namespace {
constexpr double kSnapPx = 8.0; ///< a click this close to the first vertex closes
} // namespace

PolygonTool::PolygonTool(AnnotationCanvas *canvas) : CanvasTool(canvas) {}

void PolygonTool::activate()
{
    canvas()->setToolCursor(Qt::CrossCursor);
}

void PolygonTool::deactivate()
{
    m_points.clear();
}

bool PolygonTool::cancel()
{
    const bool had = !m_points.isEmpty();
    m_points.clear();
    return had;
}

QList<QPair<QString, QString>> PolygonTool::keyHelp() const
{
    auto key = [](int k) { return QKeySequence(k).toString(QKeySequence::NativeText); };
    return {{tr("Click"), tr("Polygon: add a vertex")},
            {key(Qt::Key_Return) + tr(", double-click"), tr("Polygon: close the polygon")},
            {key(Qt::Key_Backspace), tr("Polygon: remove the last vertex")},
            {key(Qt::Key_Escape), tr("Polygon: drop the polygon being drawn")}};
}

QPointF PolygonTool::clamp(const QPointF &p) const
{
    const QRectF r = canvas()->imageRect();
    return QPointF(std::clamp(p.x(), r.left(), r.right()), std::clamp(p.y(), r.top(), r.bottom()));
}

bool PolygonTool::nearFirst(const QPointF &imagePos) const
{
    if (m_points.size() < 3)
        return false;
    return QLineF(canvas()->imageToWidget(m_points.first()), canvas()->imageToWidget(imagePos))
               .length()
           <= kSnapPx;
}

void PolygonTool::mousePress(const QPointF &imagePos, QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (nearFirst(imagePos)) {
        finish();
        return;
    }
    const QPointF p = clamp(imagePos);
    // Two clicks on the same screen pixel add one vertex.
    if (!m_points.isEmpty()
        && QLineF(canvas()->imageToWidget(m_points.last()), canvas()->imageToWidget(p)).length()
               < 1.0)
        return;
    m_points.append(p);
    m_hover = p;
}

void PolygonTool::mouseMove(const QPointF &imagePos, QMouseEvent *)
{
    m_hover = clamp(imagePos);
    if (!m_points.isEmpty())
        canvas()->update();
}

void PolygonTool::mouseDoubleClick(const QPointF &imagePos, QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    // The first click of a double-click normally placed the last vertex
    // already; a lone double-click event (some platforms, tests) places it here.
    if (!nearFirst(imagePos))
        mousePress(imagePos, event);
    finish();
}

bool PolygonTool::keyPress(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (m_points.isEmpty())
            return false;
        finish();
        return true;
    case Qt::Key_Backspace:
        if (m_points.isEmpty())
            return false;
        m_points.removeLast();
        return true;
    case Qt::Key_Escape:
        return cancel();
    default:
        return false;
    }
}

bool PolygonTool::finish()
{
    if (m_points.size() < 3)
        return false;
    const QPolygonF points = m_points;
    m_points.clear();
    AnnotationDocument *doc = canvas()->document();
    if (!doc)
        return false;
    const qint64 id = doc->addShape(canvas()->currentClassId(), Polygon{points});
    if (id)
        canvas()->setSelection({id});
    canvas()->update();
    return id != 0;
}

void PolygonTool::paintOverlay(QPainter &painter)
{
    if (m_points.isEmpty())
        return;
    const QColor color = canvas()->classColor(canvas()->currentClassId());
    QPolygonF w;
    for (const QPointF &p : m_points)
        w.append(canvas()->imageToWidget(p));
    const QPointF hover = canvas()->imageToWidget(m_hover);
    QColor fill = color;
    fill.setAlphaF(canvas()->fillOpacity() * 0.7);
    painter.setPen(Qt::NoPen);
    painter.setBrush(fill);
    painter.drawPolygon(QPolygonF(w) << hover);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(color, 2));
    painter.drawPolyline(w);
    painter.setPen(QPen(color, 1.5, Qt::DashLine));
    painter.drawLine(w.last(), hover);
    if (m_points.size() >= 3)
        painter.drawLine(hover, w.first());
    painter.setPen(QPen(QColor(20, 20, 20), 1));
    for (int i = 0; i < w.size(); ++i) {
        const bool snap = i == 0 && nearFirst(m_hover);
        painter.setBrush(i == 0 ? color : QColor(Qt::white));
        const double r = snap ? 6 : 4;
        painter.drawEllipse(w[i], r, r);
    }
    painter.setBrush(Qt::NoBrush);
}

} // namespace salient
