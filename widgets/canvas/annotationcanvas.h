// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/shape.h"
#include "core/document/annotationdocument.h"
#include "core/imaging/largeimage.h"
#include "core/project/types.h"

#include <QCursor>
#include <QHash>
#include <QImage>
#include <QPainterPath>
#include <QPointer>
#include <QSet>
#include <QStaticText>
#include <QTransform>
#include <QVector>
#include <QWidget>

class QAction;
class QActionGroup;
class QTimer;

namespace salient {

class CanvasTool;

/// The annotation canvas: one image with its shapes, at any zoom, and the
/// tool that edits them. A plain QWidget that paints everything itself
/// (cached paths per shape, masks as cached tinted images, culled by the
/// visible rectangle) so that thousands of shapes repaint within a frame.
///
/// Shapes live in the document in image coordinates (sub-pixel, as displayed);
/// the view transform (zoom, pan) only changes how they are drawn. Input goes
/// to the active tool in image coordinates; the canvas itself handles the view
/// (wheel zoom around the cursor, pan with space-drag or the middle button)
/// and the keyboard flow. Its keys are QActions (shortcutActions()) so that
/// menus and the shortcuts dialog show the same sequences the canvas obeys;
/// while the canvas has focus they win over the window's shortcuts.
class AnnotationCanvas : public QWidget {
    Q_OBJECT
public:
    explicit AnnotationCanvas(QWidget *parent = nullptr);
    ~AnnotationCanvas() override;

    // ---- document and image -------------------------------------------
    /// The document edited (not owned; a DocumentCache usually owns it).
    /// nullptr shows nothing editable. Drops the selection and any gesture.
    void setDocument(AnnotationDocument *document);
    AnnotationDocument *document() const { return m_document; }
    /// The pixels shown. `display` may be a reduced level (or a window/level
    /// rendering): it is drawn scaled to `fullSize`, the image's size as
    /// displayed, in which all coordinates are given. A call with the same
    /// fullSize keeps the view (refinement); another size fits the view.
    void setImage(const QImage &display, const QSize &fullSize);
    /// As setImage, with halved levels of `display` (from LargeImageLoader), so
    /// that zooming out of a 100 MP image rescales a level, not the whole image.
    void setImage(const QImage &display, const QSize &fullSize, const ImagePyramid &pyramid);
    void setImage(const QImage &image) { setImage(image, image.size()); }
    const QImage &displayImage() const { return m_image; }
    QSize imageSize() const { return m_imageSize; }
    QRectF imageRect() const { return QRectF(QPointF(0, 0), QSizeF(m_imageSize)); }
    /// Text shown while there is no image (e.g. "Loading…", a decode error).
    void setMessage(const QString &message);

    // ---- classes and appearance ----------------------------------------
    void setClasses(const QVector<ClassRecord> &classes);
    const QVector<ClassRecord> &classes() const { return m_classes; }
    qint64 currentClassId() const { return m_currentClass; }
    void setCurrentClassId(qint64 classId);
    QColor classColor(qint64 classId) const; ///< grey for no/unknown class
    QString className(qint64 classId) const;
    bool isClassVisible(qint64 classId) const { return !m_hiddenClasses.contains(classId); }
    void setClassVisible(qint64 classId, bool visible);
    double fillOpacity() const { return m_fillOpacity; } ///< 0..1
    void setFillOpacity(double opacity);
    bool showLabels() const { return m_showLabels; }
    void setShowLabels(bool show);

    // ---- selection --------------------------------------------------------
    const QVector<qint64> &selection() const { return m_selection; }
    void setSelection(const QVector<qint64> &shapeIds);
    /// Topmost visible shape under an image point (tolerance in widget pixels
    /// for outlines), or 0.
    qint64 shapeAt(const QPointF &imagePos, double tolerancePx = 4.0) const;
    /// Visible shapes whose bounds lie inside an image rectangle.
    QVector<qint64> shapesInside(const QRectF &imageRect) const;
    /// Draws a shape with this geometry instead of its stored one while a
    /// gesture (move, resize, vertex drag) is in progress; nothing is written.
    void setPreviewGeometry(qint64 shapeId, const Geometry &geometry);
    void clearPreview();
    /// The geometry drawn for a shape: its preview, else the stored one.
    const Geometry *displayedGeometry(qint64 shapeId) const;
    /// Marks one handle (a polygon vertex) of a selected shape as active, so
    /// it is drawn filled; -1 for none. The select tool's vertex selection.
    void setActiveHandle(qint64 shapeId, int index);
    qint64 activeHandleShape() const { return m_activeHandleShape; }
    int activeHandle() const { return m_activeHandle; }
    /// A fresh non-zero id for AnnotationDocument's gestureId (edits that
    /// share one merge into one undo step: a drag, a run of nudges, a stroke).
    static int newGestureId();
    /// Side of a selection handle in widget pixels.
    static constexpr double kHandleSize = 8.0;

    // ---- view -------------------------------------------------------------
    double zoom() const { return m_zoom; } ///< widget pixels per image pixel
    QTransform viewTransform() const;      ///< image -> widget
    QPointF imageToWidget(const QPointF &imagePos) const;
    QRectF imageToWidget(const QRectF &imageRect) const;
    QPointF widgetToImage(const QPointF &widgetPos) const;
    QRectF widgetToImageRect(const QRectF &widgetRect) const;
    /// Image rectangle currently visible (clipped to the image).
    QRectF visibleImageRect() const;
    bool isFitted() const { return m_fitted; }
    /// Zoom so that `anchor` (widget coordinates) stays over the same image point.
    void setZoom(double zoom, const QPointF &anchor);
    void setZoom(double zoom) { setZoom(zoom, QPointF(width() / 2.0, height() / 2.0)); }
    /// Puts image point `imagePos` at the widget's centre.
    void centerOn(const QPointF &imagePos);
    void panBy(const QPointF &widgetDelta);

    // ---- brush (for the brush and eraser tools) --------------------------
    double brushRadius() const { return m_brushRadius; } ///< image pixels
    void setBrushRadius(double radius);

    // ---- tools ------------------------------------------------------------
    /// Registers a tool (the canvas takes ownership) and its action (shortcut,
    /// icon, checkable). The first tool added becomes active.
    void addTool(CanvasTool *tool);
    CanvasTool *tool(const QString &id) const;
    CanvasTool *currentTool() const { return m_tool; }
    QString currentToolId() const;
    QVector<CanvasTool *> tools() const { return m_tools; }
    /// Activates a tool by id ("select", "box", "polygon", "brush", "eraser").
    bool setTool(const QString &id);
    /// The cursor the active tool wants (the canvas overrides it while panning).
    void setToolCursor(const QCursor &cursor);
    /// One checkable action per tool, in the order added, exclusive.
    QList<QAction *> toolActions() const;
    /// Every key the canvas obeys, as actions: tools, view, classes, flow.
    /// For menus, tool bars and the shortcuts dialog.
    QList<QAction *> shortcutActions() const;
    /// A canvas action by name: "delete", "cancel", "undo", "redo", "fit",
    /// "actual", "zoomIn", "zoomOut", "previous", "next", "done",
    /// "classPicker", "class1".."class9".
    QAction *action(const QString &name) const;

public Q_SLOTS:
    void zoomToFit();
    void zoomToActual(); ///< 1:1 (Ctrl+1; plain digits pick classes)
    void zoomIn();
    void zoomOut();
    /// Deletes the selected shapes (one command), or what the tool selected.
    void deleteSelection();
    /// Cancels the gesture in progress, else clears the selection.
    void cancelGesture();
    /// Picks the n-th class (1-based) and gives it to the selected shapes.
    void pickClassByIndex(int index);
    /// Gives a class to the selection (one command) and makes it current.
    void applyClass(qint64 classId);

Q_SIGNALS:
    void toolChanged(const QString &id);
    void selectionChanged();
    void zoomChanged(double zoom);
    void currentClassChanged(qint64 classId);
    void classVisibilityChanged(qint64 classId, bool visible);
    void fillOpacityChanged(double opacity);
    void brushRadiusChanged(double radius);
    void previousImageRequested(); ///< A
    void nextImageRequested();     ///< D
    void markDoneRequested();      ///< Space tapped (not held for panning)
    void classPickerRequested();   ///< C or Ctrl+K
    /// The pointer is over this image point (for a status bar); invalid when outside.
    void hoverPositionChanged(const QPointF &imagePos);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;

private:
    /// What painting needs of one shape, rebuilt when the shape changes.
    struct Cached {
        QPainterPath path; ///< image coordinates (boxes, polygons)
        QRectF bounds;     ///< image coordinates
        QImage tint;       ///< masks: ARGB at the mask's window, class colour
        QColor tintColor;  ///< the colour `tint` was made with
    };
    void createActions();
    QAction *addCanvasAction(const QString &name, const QString &text,
                             const QList<QKeySequence> &keys, void (AnnotationCanvas::*slot)());
    QAction *matchingAction(QKeyEvent *event) const;
    void rebuildCache();
    void cacheShape(const Shape &shape);
    const Cached *cached(qint64 shapeId) const;
    void onShapeAdded(qint64 shapeId);
    void onShapeRemoved(qint64 shapeId);
    void onShapeChanged(qint64 shapeId);
    void onDocumentDestroyed();
    void clampPan();
    double fitZoom() const;
    void updateCursor();
    void paintShapes(QPainter &painter, const QRectF &visible, bool previewsOnly);
    void paintLabels(QPainter &painter, const QRectF &visible);
    void paintSelection(QPainter &painter);
    void paintImage(QPainter &painter);
    /// The image and every shape not being previewed, at the current view.
    void rebuildFrame();
    void invalidateFrame();
    void rebuildScaledImage();
    void scheduleSmooth();
    void refreshTints();

    QPointer<AnnotationDocument> m_document;
    QImage m_image;
    QSize m_imageSize;
    QString m_message;
    QHash<qint64, Cached> m_cache;
    QHash<qint64, Geometry> m_preview;
    QHash<qint64, QStaticText> m_labelTexts; ///< class id -> its name, laid out once
    ImagePyramid m_pyramid;                  ///< levels of m_image, or empty
    QImage m_scaled;                         ///< m_image smoothly scaled to m_scaledZoom (zoom < 1)
    // What was painted last, reused while only the selection, a preview or
    // a tool's overlay changes: those are drawn over it each frame.
    QImage m_frame;
    bool m_frameDirty = true;
    QTransform m_frameView;
    QList<qint64> m_frameExcluded; ///< previewed shapes left out of m_frame
    double m_scaledZoom = 0;
    QTimer *m_smoothTimer = nullptr;
    QVector<ClassRecord> m_classes;
    QHash<qint64, int> m_classIndex; ///< class id -> index in m_classes
    qint64 m_currentClass = 0;
    QSet<qint64> m_hiddenClasses;
    double m_fillOpacity = 0.3;
    bool m_showLabels = true;
    QVector<qint64> m_selection;
    qint64 m_activeHandleShape = 0;
    int m_activeHandle = -1;

    double m_zoom = 1.0;
    QPointF m_pan; ///< widget position of image point (0, 0)
    bool m_fitted = true;
    bool m_spaceHeld = false;
    bool m_spacePanned = false;
    bool m_panning = false;
    QPointF m_panFrom;
    double m_brushRadius = 12.0;

    QVector<CanvasTool *> m_tools; ///< owned (Qt parent = this)
    CanvasTool *m_tool = nullptr;
    QCursor m_toolCursor;
    QActionGroup *m_toolGroup = nullptr;
    QHash<QString, QAction *> m_actions;
    QList<QAction *> m_actionOrder;
};

} // namespace salient
