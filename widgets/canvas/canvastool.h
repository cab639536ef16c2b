// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QKeySequence>
#include <QList>
#include <QPair>
#include <QObject>
#include <QPointF>
#include <QString>

class QKeyEvent;
class QMouseEvent;
class QPainter;
class QCursor;

namespace salient {

class AnnotationCanvas;

/// One tool of the annotation canvas (select, box, polygon, brush, eraser…),
/// each its own class. The canvas owns the view (zoom, pan, painting shapes)
/// and forwards input to the active tool in image coordinates (sub-pixel, as
/// displayed). A tool keeps its gesture in progress to itself (drawn by
/// paintOverlay) and touches the document only when the edit is finished,
/// through canvas()->document(): one finished edit, one command, one commit.
///
/// What a tool may use of AnnotationCanvas (widgets/canvas/annotationcanvas.h):
/// document(), currentClassId(), classColor(id), isClassVisible(id),
/// fillOpacity(), selection()/setSelection(), imageToWidget()/widgetToImage(),
/// zoom(), imageRect(), brushRadius()/setBrushRadius(), update(), setToolCursor().
class CanvasTool : public QObject {
    Q_OBJECT
public:
    explicit CanvasTool(AnnotationCanvas *canvas);
    ~CanvasTool() override;

    virtual QString id() const = 0;          ///< "select", "box", "polygon", "brush", "eraser"
    virtual QString name() const = 0;        ///< translated, for menus and the shortcuts dialog
    virtual QKeySequence shortcut() const = 0; ///< V, W, P, B, E
    virtual QString iconName() const { return id(); } ///< resources/icons/<name>.svg

    /// The tool became active / stops being active (drop a gesture in progress).
    virtual void activate() {}
    virtual void deactivate() {}
    /// Drop the gesture in progress (Esc). Returns true if there was one.
    virtual bool cancel() { return false; }
    /// Whether a gesture is in progress (Esc has something to cancel).
    virtual bool hasGesture() const { return false; }
    /// Keys and clicks the tool obeys besides its own shortcut, for the
    /// shortcuts dialog: (keys as shown, what they do), e.g. (QKeySequence(Qt::Key_Return)
    /// .toString(QKeySequence::NativeText), tr("Close the polygon")).
    virtual QList<QPair<QString, QString>> keyHelp() const { return {}; }

    // Input in image coordinates; `event` is the original (buttons, modifiers).
    virtual void mousePress(const QPointF &imagePos, QMouseEvent *event) {}
    virtual void mouseMove(const QPointF &imagePos, QMouseEvent *event) {}
    virtual void mouseRelease(const QPointF &imagePos, QMouseEvent *event) {}
    virtual void mouseDoubleClick(const QPointF &imagePos, QMouseEvent *event) {}
    /// Returns true when the tool used the key (Enter closes a polygon, …).
    virtual bool keyPress(QKeyEvent *event) { return false; }

    /// Draws the gesture in progress over the shapes; painter in widget coordinates.
    virtual void paintOverlay(QPainter &painter) {}

protected:
    AnnotationCanvas *canvas() const { return m_canvas; }

private:
    AnnotationCanvas *m_canvas;
};

} // namespace salient
