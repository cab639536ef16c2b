// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"
#include "widgets/canvas/canvastool.h"

#include <QImage>
#include <QPointF>

namespace salient {

/// Paints (brush, B) or erases (eraser, E) mask pixels with a round brush of
/// canvas()->brushRadius() image pixels; `[` and `]` shrink and grow it, and
/// a circle under the pointer shows it. A stroke covers every pixel whose
/// centre lies within the radius of the dragged path (discs joined by
/// capsules, so fast drags leave no gaps); it is shown while drawn and becomes
/// ONE document edit on release, so one Ctrl+Z takes the whole stroke back.
///
/// Brush: the stroke joins the selected mask of the current class (the first
/// one in the selection), else becomes a new mask of the current class, which
/// is then selected so that the next strokes extend it.
/// Eraser: with masks selected, erases from those only (protects neighbours
/// while cleaning an edge); with none selected, from every visible mask under
/// the stroke. A mask erased to nothing is deleted.
class BrushTool : public CanvasTool {
    Q_OBJECT
public:
    BrushTool(AnnotationCanvas *canvas, bool eraser);

    QString id() const override;
    QString name() const override;
    QKeySequence shortcut() const override;
    bool isEraser() const { return m_eraser; }

    void activate() override;
    void deactivate() override;
    bool cancel() override;
    bool hasGesture() const override { return m_stroking; }
    QList<QPair<QString, QString>> keyHelp() const override;

    void mousePress(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseMove(const QPointF &imagePos, QMouseEvent *event) override;
    void mouseRelease(const QPointF &imagePos, QMouseEvent *event) override;
    bool keyPress(QKeyEvent *event) override;
    void paintOverlay(QPainter &painter) override;

    /// The radius after one `]` (grow) or `[` (shrink): 25 % steps, at
    /// least one pixel, so small brushes stay fine-grained.
    static double nextRadius(double radius, bool grow);

    /// The stroke in progress (empty when none), for tests and the status bar.
    const Mask &strokeMask() const { return m_stroke; }

private:
    void stamp(const QPointF &from, const QPointF &to);
    void growWindow(const QRect &needed);
    void updateTint(const QRect &area);
    void commit();
    void commitBrush(const Mask &stroke);
    void commitEraser(const Mask &stroke);
    void dropStroke();

    bool m_eraser;
    bool m_stroking = false;
    QPointF m_last;
    Mask m_stroke; ///< the stroke so far, on a window that grows with it
    QImage m_tint; ///< m_stroke as coloured pixels, same window
    QPointF m_hover;
    bool m_hasHover = false;
};

} // namespace salient
