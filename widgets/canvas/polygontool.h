// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/canvas/canvastool.h"

#include <QPolygonF>

namespace salient {

/// Draws a polygon one click per vertex. Enter, a double-click or a click on
/// the first vertex closes it (three vertices at least); Backspace takes the
/// last vertex back; Esc drops it. Vertices are clamped to the image.
class PolygonTool : public CanvasTool {
    Q_OBJECT
public:
    explicit PolygonTool(AnnotationCanvas *canvas);

    QString id() const override { return QStringLiteral("polygon"); }
    QString name() const override { return tr("Polygon"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_P); }

    void activate() override;
    void deactivate() override;
    bool cancel() override;
    bool hasGesture() const override { return !m_points.isEmpty(); }
    QList<QPair<QString, QString>> keyHelp() const override;

    void mousePress(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseMove(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseDoubleClick(const QPointF &imagePos, QMouseEvent *event) override;
    bool keyPress(QKeyEvent *event) override;
    void paintOverlay(QPainter &painter) override;

    const QPolygonF &points() const { return m_points; } ///< the polygon in progress

private:
    QPointF clamp(const QPointF &p) const;
    bool nearFirst(const QPointF &imagePos) const;
    /// Stores the polygon (one command) if it has three vertices; true if stored.
    bool finish();
    QPolygonF m_points;
    QPointF m_hover;
};

} // namespace salient
