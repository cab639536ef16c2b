// SPDX-License-Identifier: GPL-3.0-or-later
// AnnotationCanvas: mouse, wheel and keyboard. The view (zoom, pan) is the
// canvas's; everything else goes to the active tool in image coordinates.
#include "widgets/canvas/annotationcanvas.h"

#include "widgets/canvas/canvastool.h"

#include <QAction>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

namespace salient {

void AnnotationCanvas::setActiveHandle(qint64 shapeId, int index)
{
    m_activeHandleShape = index < 0 ? 0 : shapeId;
    m_activeHandle = index < 0 ? -1 : index;
    update();
}

QAction *AnnotationCanvas::matchingAction(QKeyEvent *event) const
{
    if (event->key() == Qt::Key_unknown || event->key() == 0)
        return nullptr;
    const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
    QList<QKeySequence> tries = {QKeySequence(QKeyCombination(mods, Qt::Key(event->key())))};
    // '+' is Shift+= on many layouts: the shifted symbol alone names the key.
    if (mods & Qt::ShiftModifier)
        tries.append(
            QKeySequence(QKeyCombination(mods & ~Qt::ShiftModifier, Qt::Key(event->key()))));
    // Exact keys first: Ctrl+Shift+Z is redo, not undo with a stray Shift.
    for (const QKeySequence &t : tries)
        for (QAction *a : shortcutActions())
            if (a->isEnabled() && a->shortcuts().contains(t))
                return a;
    return nullptr;
}

bool AnnotationCanvas::event(QEvent *e)
{
    if (e->type() == QEvent::ShortcutOverride) {
        // While the canvas has focus its keys win over the window's (digits
        // pick a shape class here, not an image label; Esc cancels a gesture).
        auto *ke = static_cast<QKeyEvent *>(e);
        const int key = ke->key();
        const bool escapeUseful = (m_tool && m_tool->hasGesture()) || !m_selection.isEmpty();
        if (key == Qt::Key_Escape) {
            if (escapeUseful)
                e->accept();
            return true;
        }
        if (matchingAction(ke) || key == Qt::Key_Return || key == Qt::Key_Enter
            || key == Qt::Key_Backspace || key == Qt::Key_Left || key == Qt::Key_Right
            || key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_BracketLeft
            || key == Qt::Key_BracketRight) {
            e->accept();
            return true;
        }
    }
    return QWidget::event(e);
}

void AnnotationCanvas::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::NoModifier) {
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            m_spacePanned = false;
            updateCursor();
        }
        event->accept();
        return;
    }
    if (m_tool && m_tool->keyPress(event)) {
        event->accept();
        update();
        return;
    }
    if (QAction *a = matchingAction(event)) {
        event->accept();
        a->trigger();
        return;
    }
    QWidget::keyPressEvent(event);
}

void AnnotationCanvas::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        const bool tapped = m_spaceHeld && !m_spacePanned && !m_panning;
        m_spaceHeld = false;
        updateCursor();
        event->accept();
        if (tapped) {
            if (QAction *done = action(QStringLiteral("done")))
                done->trigger();
        }
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void AnnotationCanvas::focusOutEvent(QFocusEvent *event)
{
    m_spaceHeld = false;
    updateCursor();
    QWidget::focusOutEvent(event);
}

void AnnotationCanvas::leaveEvent(QEvent *event)
{
    Q_EMIT hoverPositionChanged(QPointF(qQNaN(), qQNaN()));
    QWidget::leaveEvent(event);
}

void AnnotationCanvas::wheelEvent(QWheelEvent *event)
{
    const QPoint angle = event->angleDelta();
    if (event->modifiers() & Qt::ShiftModifier) {
        panBy(QPointF(angle.y() / 2.0, angle.x() / 2.0));
    } else if (angle.y() != 0) {
        // Smooth zoom: 15 degrees of wheel (one notch) is one step of 1.25,
        // fractions of a notch (touchpads) zoom by fractions of a step.
        const double factor = std::pow(1.25, angle.y() / 120.0);
        setZoom(m_zoom * factor, event->position());
    }
    event->accept();
}

void AnnotationCanvas::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    const bool pan =
        event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld);
    if (pan) {
        m_panning = true;
        m_spacePanned = m_spaceHeld;
        m_panFrom = event->position();
        updateCursor();
        event->accept();
        return;
    }
    if (m_tool && m_document && !m_imageSize.isEmpty())
        m_tool->mousePress(widgetToImage(event->position()), event);
    update();
}

void AnnotationCanvas::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        panBy(event->position() - m_panFrom);
        m_panFrom = event->position();
        event->accept();
        return;
    }
    const QPointF imagePos = widgetToImage(event->position());
    if (m_tool && m_document && !m_imageSize.isEmpty()) {
        m_tool->mouseMove(imagePos, event);
        if (m_tool->hasGesture() || event->buttons() != Qt::NoButton)
            update();
    }
    Q_EMIT hoverPositionChanged(imageRect().contains(imagePos) ? imagePos
                                                               : QPointF(qQNaN(), qQNaN()));
}

void AnnotationCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        if (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton) {
            m_panning = false;
            updateCursor();
        }
        event->accept();
        return;
    }
    if (m_tool && m_document && !m_imageSize.isEmpty())
        m_tool->mouseRelease(widgetToImage(event->position()), event);
    update();
}

void AnnotationCanvas::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        zoomToFit();
        return;
    }
    if (m_tool && m_document && !m_imageSize.isEmpty())
        m_tool->mouseDoubleClick(widgetToImage(event->position()), event);
    update();
}

} // namespace salient
