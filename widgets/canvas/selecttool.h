// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"
#include "widgets/canvas/canvastool.h"

#include <QHash>
#include <QRectF>
#include <QVector>

namespace salient {

/// Selects and edits shapes: click selects (Shift or Ctrl adds/removes), a
/// drag on empty image is a rubber band, a drag on a shape moves the
/// selection, the eight handles resize a box, polygon vertices drag on their
/// own; double-click on a polygon edge inserts a vertex, Alt-click (or Del
/// on the active vertex) removes one; arrow keys nudge (Shift: 10 pixels),
/// and a run of nudges is one undo step. Each finished edit is one command.
class SelectTool : public CanvasTool {
    Q_OBJECT
public:
    explicit SelectTool(AnnotationCanvas *canvas);

    QString id() const override { return QStringLiteral("select"); }
    QString name() const override { return tr("Select"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_V); }

    void activate() override;
    void deactivate() override;
    bool cancel() override;
    bool hasGesture() const override { return m_mode != Mode::None; }
    QList<QPair<QString, QString>> keyHelp() const override;

    void mousePress(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseMove(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseRelease(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseDoubleClick(const QPointF &imagePos, QMouseEvent *event) override;
    bool keyPress(QKeyEvent *event) override;
    void paintOverlay(QPainter &painter) override;

private:
    enum class Mode { None, Pressed, Move, Resize, Vertex, Band };
    /// Box handle (0..7, clockwise from top-left) or polygon vertex under a
    /// widget point of the selected shapes: (shape id, index) or (0, -1).
    QPair<qint64, int> handleAt(const QPointF &widgetPos) const;
    /// Polygon edge of a selected shape near a point: (shape id, edge index).
    QPair<qint64, int> edgeAt(const QPointF &imagePos) const;
    QPointF clamp(const QPointF &p) const;
    /// Moves the gesture's shapes by `delta`, kept inside the image.
    QHash<qint64, Geometry> moved(QPointF delta) const;
    void nudge(const QPointF &delta);
    bool removeVertex(qint64 shapeId, int index);
    void commit(const QHash<qint64, Geometry> &geometries);
    void updateHoverCursor(const QPointF &imagePos);

    Mode m_mode = Mode::None;
    QPointF m_pressImage;
    QPointF m_pressWidget;
    QPointF m_current;
    QHash<qint64, Geometry> m_original; ///< geometry of the shapes under gesture
    qint64 m_handleShape = 0;
    int m_handle = -1;
    bool m_additive = false;
    int m_nudgeGesture = 0; ///< shared by a run of arrow-key nudges
};

} // namespace salient
