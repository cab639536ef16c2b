// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/canvas/canvastool.h"

#include <QRectF>

namespace salient {

/// Draws a box by dragging from one corner to the other, clamped to the image.
/// A drag shorter than a few screen pixels is a click, not a box. The new box
/// takes the current class and becomes the selection (so 1-9 retags it).
class BoxTool : public CanvasTool {
    Q_OBJECT
public:
    explicit BoxTool(AnnotationCanvas *canvas);

    QString id() const override { return QStringLiteral("box"); }
    QString name() const override { return tr("Box"); }
    QKeySequence shortcut() const override { return QKeySequence(Qt::Key_W); }

    void activate() override;
    bool cancel() override;
    bool hasGesture() const override { return m_dragging; }
    QList<QPair<QString, QString>> keyHelp() const override;

    void mousePress(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseMove(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseRelease(const QPointF &imagePos, QMouseEvent *event) override;
    void paintOverlay(QPainter &painter) override;

    /// Smallest box side drawn, in screen pixels (smaller drags are clicks).
    static constexpr double kMinSidePx = 3.0;

private:
    QPointF clamp(const QPointF &p) const;
    bool m_dragging = false;
    QPointF m_from;
    QPointF m_to;
    QPointF m_hover;
    bool m_hasHover = false;
};

} // namespace salient
