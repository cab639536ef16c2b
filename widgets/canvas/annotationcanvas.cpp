// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/annotationcanvas.h"

#include "core/document/annotationdocument.h"
#include "widgets/canvas/canvastool.h"
#include "widgets/canvas/toolicons.h"

#include <QAction>
#include <QActionGroup>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace salient {

namespace {
constexpr double kMinZoom = 0.01;
constexpr double kMaxZoom = 64.0;
constexpr double kStep = 1.25;
} // namespace

AnnotationCanvas::AnnotationCanvas(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("annotationCanvas"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
    m_toolGroup = new QActionGroup(this);
    m_toolGroup->setExclusive(true);
    m_smoothTimer = new QTimer(this);
    m_smoothTimer->setSingleShot(true);
    m_smoothTimer->setInterval(120);
    connect(m_smoothTimer, &QTimer::timeout, this, [this]() {
        rebuildScaledImage();
        invalidateFrame();
    });
    createActions();
}

AnnotationCanvas::~AnnotationCanvas() = default;

QAction *AnnotationCanvas::addCanvasAction(const QString &name, const QString &text,
                                           const QList<QKeySequence> &keys,
                                           void (AnnotationCanvas::*slot)())
{
    auto *a = new QAction(text, this);
    a->setObjectName(name);
    a->setShortcuts(keys);
    // The canvas dispatches its keys itself (keyPressEvent); a menu showing
    // the action shows the keys without registering a second shortcut.
    a->setShortcutContext(Qt::WidgetShortcut);
    if (slot)
        connect(a, &QAction::triggered, this, slot);
    m_actions.insert(name, a);
    m_actionOrder.append(a);
    return a;
}

void AnnotationCanvas::createActions()
{
    addCanvasAction(QStringLiteral("delete"), tr("Delete selected shapes"),
                                   {QKeySequence(Qt::Key_Delete)},
                                   &AnnotationCanvas::deleteSelection);
    addCanvasAction(QStringLiteral("cancel"), tr("Cancel the gesture, clear the selection"),
                                   {QKeySequence(Qt::Key_Escape)},
                                   &AnnotationCanvas::cancelGesture);
    addCanvasAction(QStringLiteral("undo"), tr("Undo"), {QKeySequence(Qt::CTRL | Qt::Key_Z)},
                                   nullptr);
    addCanvasAction(QStringLiteral("redo"), tr("Redo"),
                                   {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                                    QKeySequence(Qt::CTRL | Qt::Key_Y)},
                                   nullptr);
    connect(m_actions[QStringLiteral("undo")], &QAction::triggered, this, [this]() {
        if (m_tool)
            m_tool->cancel();
        if (m_document)
            m_document->undoStack().undo();
    });
    connect(m_actions[QStringLiteral("redo")], &QAction::triggered, this, [this]() {
        if (m_tool)
            m_tool->cancel();
        if (m_document)
            m_document->undoStack().redo();
    });
    addCanvasAction(QStringLiteral("fit"), tr("Fit the image in the view"),
                                   {QKeySequence(Qt::Key_F)}, &AnnotationCanvas::zoomToFit);
    addCanvasAction(QStringLiteral("actual"), tr("Actual size (1:1)"),
                                   {QKeySequence(Qt::CTRL | Qt::Key_1)},
                                   &AnnotationCanvas::zoomToActual);
    addCanvasAction(QStringLiteral("zoomIn"), tr("Zoom in"),
                                   {QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)},
                                   &AnnotationCanvas::zoomIn);
    addCanvasAction(QStringLiteral("zoomOut"), tr("Zoom out"), {QKeySequence(Qt::Key_Minus)},
                                   &AnnotationCanvas::zoomOut);
    addCanvasAction(QStringLiteral("previous"), tr("Previous image"), {QKeySequence(Qt::Key_A)},
                                   nullptr);
    addCanvasAction(QStringLiteral("next"), tr("Next image"), {QKeySequence(Qt::Key_D)}, nullptr);
    addCanvasAction(QStringLiteral("done"), tr("Mark the image done (tap; hold and drag pans)"),
                                   {QKeySequence(Qt::Key_Space)}, nullptr);
    addCanvasAction(QStringLiteral("classPicker"), tr("Find a class by name"),
                                   {QKeySequence(Qt::Key_C), QKeySequence(Qt::CTRL | Qt::Key_K)},
                                   nullptr);
    connect(m_actions[QStringLiteral("previous")], &QAction::triggered, this,
                      &AnnotationCanvas::previousImageRequested);
    connect(m_actions[QStringLiteral("next")], &QAction::triggered, this,
                      &AnnotationCanvas::nextImageRequested);
    connect(m_actions[QStringLiteral("done")], &QAction::triggered, this,
                      &AnnotationCanvas::markDoneRequested);
    connect(m_actions[QStringLiteral("classPicker")], &QAction::triggered, this,
                      &AnnotationCanvas::classPickerRequested);
    for (int k = 1; k <= 9; ++k) {
        QAction *a = addCanvasAction(
            QStringLiteral("class%1").arg(k), tr("Class %1 (also for the selected shapes)").arg(k),
                           {QKeySequence(Qt::Key_0 + k)}, nullptr);
        connect(a, &QAction::triggered, this, [this, k]() { pickClassByIndex(k); });
    }
}

QAction *AnnotationCanvas::action(const QString &name) const
{
    return m_actions.value(name);
}

QList<QAction *> AnnotationCanvas::shortcutActions() const
{
    return toolActions() + m_actionOrder;
}

QList<QAction *> AnnotationCanvas::toolActions() const
{
    return m_toolGroup->actions();
}

// ---- document and image ---------------------------------------------------

void AnnotationCanvas::setDocument(AnnotationDocument *document)
{
    if (m_tool)
        m_tool->cancel();
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_selection.clear();
    m_preview.clear();
    if (document) {
        connect(document, &AnnotationDocument::shapeAdded, this, &AnnotationCanvas::onShapeAdded);
        connect(document, &AnnotationDocument::shapeRemoved, this,
                &AnnotationCanvas::onShapeRemoved);
        connect(document, &AnnotationDocument::shapeChanged, this,
                &AnnotationCanvas::onShapeChanged);
        // A DocumentCache may drop the document; the canvas then shows none.
        connect(document, &QObject::destroyed, this, &AnnotationCanvas::onDocumentDestroyed);
        if (m_imageSize.isEmpty())
            m_imageSize = document->imageSize();
    }
    rebuildCache();
    Q_EMIT selectionChanged();
    invalidateFrame();
}

void AnnotationCanvas::setImage(const QImage &display, const QSize &fullSize)
{
    setImage(display, fullSize, ImagePyramid());
}

void AnnotationCanvas::setImage(const QImage &display, const QSize &fullSize, const ImagePyramid &pyramid)
{
    m_pyramid = pyramid.fullSize() == display.size() ? pyramid : ImagePyramid();
    const bool sameSize = fullSize == m_imageSize && !m_image.isNull();
    m_image = display;
    m_imageSize = fullSize;
    m_scaled = QImage();
    m_message.clear();
    if (!sameSize || m_fitted)
        zoomToFit();
    invalidateFrame();
}

void AnnotationCanvas::setMessage(const QString &message)
{
    m_message = message;
    update();
}

// ---- classes and appearance -------------------------------------------------

void AnnotationCanvas::setClasses(const QVector<ClassRecord> &classes)
{
    m_classes = classes;
    m_classIndex.clear();
    for (int i = 0; i < classes.size(); ++i)
        m_classIndex.insert(classes[i].id, i);
    if (!m_classIndex.contains(m_currentClass))
        setCurrentClassId(classes.isEmpty() ? 0 : classes.first().id);
    for (int k = 1; k <= 9; ++k) {
        QAction *a = m_actions.value(QStringLiteral("class%1").arg(k));
        a->setText(k <= classes.size()
                       ? tr("Class “%1” (also for the selected shapes)").arg(classes[k - 1].name)
                       : tr("Class %1 (also for the selected shapes)").arg(k));
    }
    m_labelTexts.clear();
    refreshTints();
    invalidateFrame();
}

void AnnotationCanvas::setCurrentClassId(qint64 classId)
{
    if (classId == m_currentClass)
        return;
    m_currentClass = classId;
    Q_EMIT currentClassChanged(classId);
}

QColor AnnotationCanvas::classColor(qint64 classId) const
{
    const auto it = m_classIndex.constFind(classId);
    if (it == m_classIndex.constEnd() || !m_classes[*it].color.isValid())
        return QColor(150, 150, 150);
    return m_classes[*it].color;
}

QString AnnotationCanvas::className(qint64 classId) const
{
    const auto it = m_classIndex.constFind(classId);
    return it == m_classIndex.constEnd() ? tr("(no class)") : m_classes[*it].name;
}

void AnnotationCanvas::setClassVisible(qint64 classId, bool visible)
{
    if (visible == isClassVisible(classId))
        return;
    if (visible)
        m_hiddenClasses.remove(classId);
    else
        m_hiddenClasses.insert(classId);
    if (!visible) {
        // A hidden shape cannot stay selected: Del would delete what nobody sees.
        QVector<qint64> kept;
        for (qint64 id : std::as_const(m_selection)) {
            const Shape *s = m_document ? m_document->shape(id) : nullptr;
            if (s && s->classId != classId)
                kept.append(id);
        }
        if (kept != m_selection)
            setSelection(kept);
    }
    Q_EMIT classVisibilityChanged(classId, visible);
    invalidateFrame();
}

void AnnotationCanvas::setFillOpacity(double opacity)
{
    opacity = std::clamp(opacity, 0.0, 1.0);
    if (qFuzzyCompare(opacity + 1, m_fillOpacity + 1))
        return;
    m_fillOpacity = opacity;
    Q_EMIT fillOpacityChanged(opacity);
    invalidateFrame();
}

void AnnotationCanvas::setShowLabels(bool show)
{
    m_showLabels = show;
    invalidateFrame();
}

// ---- selection --------------------------------------------------------------

void AnnotationCanvas::setSelection(const QVector<qint64> &shapeIds)
{
    if (shapeIds == m_selection)
        return;
    m_selection = shapeIds;
    Q_EMIT selectionChanged();
    update();
}

void AnnotationCanvas::setPreviewGeometry(qint64 shapeId, const Geometry &geometry)
{
    m_preview.insert(shapeId, geometry);
    update();
}

void AnnotationCanvas::clearPreview()
{
    if (m_preview.isEmpty())
        return;
    m_preview.clear();
    update();
}

// ---- view ---------------------------------------------------------------------

QTransform AnnotationCanvas::viewTransform() const
{
    return QTransform(m_zoom, 0, 0, m_zoom, m_pan.x(), m_pan.y());
}

QPointF AnnotationCanvas::imageToWidget(const QPointF &p) const
{
    return p * m_zoom + m_pan;
}

QRectF AnnotationCanvas::imageToWidget(const QRectF &r) const
{
    return QRectF(imageToWidget(r.topLeft()), r.size() * m_zoom);
}

QPointF AnnotationCanvas::widgetToImage(const QPointF &p) const
{
    return (p - m_pan) / m_zoom;
}

QRectF AnnotationCanvas::visibleImageRect() const
{
    return QRectF(widgetToImage(QPointF(0, 0)), QSizeF(width(), height()) / m_zoom)
        .intersected(imageRect());
}

double AnnotationCanvas::fitZoom() const
{
    if (m_imageSize.isEmpty() || width() < 2 || height() < 2)
        return 1.0;
    const double margin = 16;
    return std::max(kMinZoom, std::min((width() - margin) / m_imageSize.width(),
                                       (height() - margin) / m_imageSize.height()));
}

void AnnotationCanvas::zoomToFit()
{
    m_zoom = fitZoom();
    m_fitted = true;
    m_pan = QPointF((width() - m_imageSize.width() * m_zoom) / 2,
                    (height() - m_imageSize.height() * m_zoom) / 2);
    scheduleSmooth();
    Q_EMIT zoomChanged(m_zoom);
    update();
}

void AnnotationCanvas::zoomToActual()
{
    const QPointF centre = widgetToImage(QPointF(width() / 2.0, height() / 2.0));
    setZoom(1.0);
    centerOn(centre);
}

void AnnotationCanvas::zoomIn()
{
    setZoom(m_zoom * kStep);
}

void AnnotationCanvas::zoomOut()
{
    setZoom(m_zoom / kStep);
}

void AnnotationCanvas::setZoom(double zoom, const QPointF &anchor)
{
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    const QPointF imagePos = widgetToImage(anchor);
    m_zoom = zoom;
    m_fitted = false;
    m_pan = anchor - imagePos * zoom;
    clampPan();
    scheduleSmooth();
    Q_EMIT zoomChanged(m_zoom);
    update();
}

void AnnotationCanvas::centerOn(const QPointF &imagePos)
{
    m_pan = QPointF(width() / 2.0, height() / 2.0) - imagePos * m_zoom;
    m_fitted = false;
    clampPan();
    update();
}

void AnnotationCanvas::panBy(const QPointF &widgetDelta)
{
    m_pan += widgetDelta;
    m_fitted = false;
    clampPan();
    update();
}

void AnnotationCanvas::clampPan()
{
    // Keep at least a quarter of the view on the image, so it cannot be lost.
    const QSizeF shown = QSizeF(m_imageSize) * m_zoom;
    const double keepX = std::min(shown.width(), width() / 4.0);
    const double keepY = std::min(shown.height(), height() / 4.0);
    m_pan.setX(std::clamp(m_pan.x(), keepX - shown.width(), width() - keepX));
    m_pan.setY(std::clamp(m_pan.y(), keepY - shown.height(), height() - keepY));
}

void AnnotationCanvas::resizeEvent(QResizeEvent *)
{
    if (m_fitted)
        zoomToFit();
    else
        clampPan();
}

void AnnotationCanvas::setBrushRadius(double radius)
{
    radius = std::clamp(radius, 0.5, 1000.0);
    if (radius == m_brushRadius)
        return;
    m_brushRadius = radius;
    Q_EMIT brushRadiusChanged(radius);
    update();
}

// ---- tools --------------------------------------------------------------------

void AnnotationCanvas::addTool(CanvasTool *tool)
{
    Q_ASSERT(tool);
    tool->setParent(this);
    m_tools.append(tool);
    auto *a = new QAction(toolIcon(tool->iconName()), tool->name(), m_toolGroup);
    a->setObjectName(QStringLiteral("tool-") + tool->id());
    a->setCheckable(true);
    a->setShortcut(tool->shortcut());
    a->setShortcutContext(Qt::WidgetShortcut);
    a->setToolTip(QStringLiteral("%1 (%2)").arg(
        tool->name(), tool->shortcut().toString(QKeySequence::NativeText)));
    a->setData(tool->id());
    connect(a, &QAction::triggered, this, [this, id = tool->id()]() { setTool(id); });
    if (!m_tool)
        setTool(tool->id());
}

CanvasTool *AnnotationCanvas::tool(const QString &id) const
{
    for (CanvasTool *t : m_tools)
        if (t->id() == id)
            return t;
    return nullptr;
}

QString AnnotationCanvas::currentToolId() const
{
    return m_tool ? m_tool->id() : QString();
}

bool AnnotationCanvas::setTool(const QString &id)
{
    CanvasTool *next = tool(id);
    if (!next)
        return false;
    if (next != m_tool) {
        if (m_tool) {
            m_tool->cancel();
            m_tool->deactivate();
        }
        m_tool = next;
        m_toolCursor = QCursor(Qt::ArrowCursor);
        m_tool->activate();
        updateCursor();
        Q_EMIT toolChanged(id);
    }
    for (QAction *a : m_toolGroup->actions())
        a->setChecked(a->data().toString() == id);
    update();
    return true;
}

void AnnotationCanvas::setToolCursor(const QCursor &cursor)
{
    m_toolCursor = cursor;
    updateCursor();
}

void AnnotationCanvas::updateCursor()
{
    if (m_panning)
        setCursor(Qt::ClosedHandCursor);
    else if (m_spaceHeld)
        setCursor(Qt::OpenHandCursor);
    else
        setCursor(m_toolCursor);
}

int AnnotationCanvas::newGestureId()
{
    static int next = 0;
    next = next == std::numeric_limits<int>::max() ? 1 : next + 1;
    return next;
}

// ---- editing shortcuts ---------------------------------------------------------

void AnnotationCanvas::deleteSelection()
{
    if (!m_document || m_selection.isEmpty())
        return;
    const QVector<qint64> ids = m_selection;
    setSelection({});
    m_document->removeShapes(ids);
}

void AnnotationCanvas::cancelGesture()
{
    if (m_tool && m_tool->cancel()) {
        update();
        return;
    }
    setSelection({});
}

void AnnotationCanvas::pickClassByIndex(int index)
{
    if (index < 1 || index > m_classes.size())
        return;
    applyClass(m_classes[index - 1].id);
}

void AnnotationCanvas::applyClass(qint64 classId)
{
    setCurrentClassId(classId);
    if (!m_document || m_selection.isEmpty())
        return;
    QVector<qint64> change;
    for (qint64 id : std::as_const(m_selection)) {
        const Shape *s = m_document->shape(id);
        if (s && s->classId != classId)
            change.append(id);
    }
    if (!change.isEmpty())
        m_document->setShapeClass(change, classId);
}

} // namespace salient
