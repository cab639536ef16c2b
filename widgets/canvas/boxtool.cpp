// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/boxtool.h"

#include "core/document/annotationdocument.h"
#include "widgets/canvas/annotationcanvas.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace salient {

BoxTool::BoxTool(AnnotationCanvas *canvas) : CanvasTool(canvas) {}

void BoxTool::activate()
{
    canvas()->setToolCursor(Qt::CrossCursor);
}

bool BoxTool::cancel()
{
    const bool had = m_dragging;
    m_dragging = false;
    return had;
}

QList<QPair<QString, QString>> BoxTool::keyHelp() const
{
    return {{tr("Drag"), tr("Box: draw a box (it takes the current class)")},
            {QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText),
             tr("Box: drop the box being drawn")}};
}

QPointF BoxTool::clamp(const QPointF &p) const
{
    const QRectF r = canvas()->imageRect();
    return QPointF(std::clamp(p.x(), r.left(), r.right()), std::clamp(p.y(), r.top(), r.bottom()));
}

void BoxTool::mousePress(const QPointF &imagePos, QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_dragging = true;
    m_from = m_to = clamp(imagePos);
}

void BoxTool::mouseMove(const QPointF &imagePos, QMouseEvent *)
{
    m_hover = imagePos;
    m_hasHover = true;
    if (m_dragging)
        m_to = clamp(imagePos);
    canvas()->update();
}

void BoxTool::mouseRelease(const QPointF &imagePos, QMouseEvent *event)
{
    if (!m_dragging || event->button() != Qt::LeftButton)
        return;
    m_dragging = false;
    m_to = clamp(imagePos);
    const QRectF rect = QRectF(m_from, m_to).normalized();
    const double zoom = canvas()->zoom();
    if (rect.width() * zoom < kMinSidePx || rect.height() * zoom < kMinSidePx)
        return;
    AnnotationDocument *doc = canvas()->document();
    if (!doc)
        return;
    const qint64 id = doc->addShape(canvas()->currentClassId(), Box{rect});
    if (id)
        canvas()->setSelection({id});
}

void BoxTool::paintOverlay(QPainter &painter)
{
    const QColor color = canvas()->classColor(canvas()->currentClassId());
    if (m_dragging) {
        const QRectF r = canvas()->imageToWidget(QRectF(m_from, m_to).normalized());
        QColor fill = color;
        fill.setAlphaF(canvas()->fillOpacity());
        painter.fillRect(r, fill);
        painter.setPen(QPen(Qt::white, 1, Qt::DashLine));
        painter.drawRect(r);
        painter.setPen(QPen(color, 1.5));
        painter.drawRect(r.adjusted(-1, -1, 1, 1));
    } else if (m_hasHover && canvas()->imageRect().contains(m_hover) && canvas()->underMouse()) {
        // Crosshair over the whole image: lining a box up with an edge is easier.
        const QPointF w = canvas()->imageToWidget(m_hover);
        const QRectF img = canvas()->imageToWidget(canvas()->imageRect());
        painter.setPen(QPen(QColor(255, 255, 255, 110), 1, Qt::DashLine));
        painter.drawLine(QPointF(img.left(), w.y()), QPointF(img.right(), w.y()));
        painter.drawLine(QPointF(w.x(), img.top()), QPointF(w.x(), img.bottom()));
    }
}

} // namespace salient
