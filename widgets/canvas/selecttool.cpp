// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/selecttool.h"

#include "core/document/annotationdocument.h"
#include "widgets/canvas/annotationcanvas.h"

#include <QKeyEvent>
#include <QLineF>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

constexpr double kDragThresholdPx = 3.0;
constexpr double kEdgeTolerancePx = 6.0;

QRectF boundsOf(const Geometry &g)
{
    if (const auto *b = std::get_if<Box>(&g))
        return b->rect.normalized();
    if (const auto *p = std::get_if<Polygon>(&g))
        return p->points.boundingRect();
    return QRectF(std::get<Mask>(g).bounds());
}

Geometry translated(const Geometry &g, const QPointF &d)
{
    if (const auto *b = std::get_if<Box>(&g))
        return Box{b->rect.translated(d)};
    if (const auto *p = std::get_if<Polygon>(&g))
        return Polygon{p->points.translated(d)};
    // Masks move by whole pixels: their data is a pixel grid.
    const Mask &m = std::get<Mask>(g);
    Mask out(m.bounds().translated(int(std::lround(d.x())), int(std::lround(d.y()))));
    out.data() = m.data();
    return out;
}

QVector<QPointF> boxHandles(const QRectF &r)
{
    return {r.topLeft(),     QPointF(r.center().x(), r.top()),
            r.topRight(),    QPointF(r.right(), r.center().y()),
            r.bottomRight(), QPointF(r.center().x(), r.bottom()),
            r.bottomLeft(),  QPointF(r.left(), r.center().y())};
}

/// New geometries for shapes: one command for one shape (merging with the
/// previous one of the same gesture), a macro for several, so that every
/// move is one undo step.
void setGeometries(AnnotationDocument *doc, const QHash<qint64, Geometry> &geometries, int gesture)
{
    QVector<qint64> changed;
    for (auto it = geometries.cbegin(); it != geometries.cend(); ++it) {
        const Shape *s = doc->shape(it.key());
        if (s && !(s->geometry == *it))
            changed.append(it.key());
    }
    if (changed.isEmpty())
        return;
    std::sort(changed.begin(), changed.end());
    if (changed.size() == 1) {
        doc->setGeometry(changed.first(), geometries.value(changed.first()), gesture);
        return;
    }
    QUndoStack &stack = doc->undoStack();
    stack.beginMacro(SelectTool::tr("Move %n shape(s)", nullptr, int(changed.size())));
    for (qint64 id : std::as_const(changed))
        doc->setGeometry(id, geometries.value(id));
    stack.endMacro();
}

} // namespace

SelectTool::SelectTool(AnnotationCanvas *canvas) : CanvasTool(canvas) {}

void SelectTool::activate()
{
    canvas()->setToolCursor(Qt::ArrowCursor);
}

void SelectTool::deactivate()
{
    cancel();
    canvas()->setActiveHandle(0, -1);
}

bool SelectTool::cancel()
{
    const bool had = m_mode != Mode::None;
    m_mode = Mode::None;
    m_original.clear();
    canvas()->clearPreview();
    return had;
}

QList<QPair<QString, QString>> SelectTool::keyHelp() const
{
    auto key = [](int k) { return QKeySequence(k).toString(QKeySequence::NativeText); };
    return {{tr("Click, drag"), tr("Select: select a shape and move the selection")},
            {tr("Shift+click, Ctrl+click"), tr("Select: add to or remove from the selection")},
            {tr("Drag on empty image"), tr("Select: select the shapes inside a rectangle")},
            {tr("Drag a handle"), tr("Select: resize a box, move a polygon vertex")},
            {tr("Double-click an edge"), tr("Select: insert a polygon vertex")},
            {tr("Alt+click a vertex"), tr("Select: remove the polygon vertex")},
            {key(Qt::Key_Delete), tr("Select: remove the active vertex (else the shapes)")},
            {tr("Arrow keys"), tr("Select: nudge by one pixel (with Shift: ten)")}};
}

QPointF SelectTool::clamp(const QPointF &p) const
{
    const QRectF r = canvas()->imageRect();
    return QPointF(std::clamp(p.x(), r.left(), r.right()), std::clamp(p.y(), r.top(), r.bottom()));
}

QPair<qint64, int> SelectTool::handleAt(const QPointF &widgetPos) const
{
    const double reach = AnnotationCanvas::kHandleSize * 0.75;
    for (qint64 id : canvas()->selection()) {
        const Geometry *g = canvas()->displayedGeometry(id);
        if (!g)
            continue;
        QVector<QPointF> points;
        if (const auto *b = std::get_if<Box>(g))
            points = boxHandles(b->rect.normalized());
        else if (const auto *p = std::get_if<Polygon>(g))
            points = QVector<QPointF>(p->points.begin(), p->points.end());
        for (int i = 0; i < points.size(); ++i) {
            const QPointF w = canvas()->imageToWidget(points[i]);
            if (std::abs(w.x() - widgetPos.x()) <= reach
                && std::abs(w.y() - widgetPos.y()) <= reach)
                return {id, i};
        }
    }
    return {0, -1};
}

QPair<qint64, int> SelectTool::edgeAt(const QPointF &imagePos) const
{
    const double tol = kEdgeTolerancePx / canvas()->zoom();
    for (qint64 id : canvas()->selection()) {
        const Geometry *g = canvas()->displayedGeometry(id);
        const auto *p = g ? std::get_if<Polygon>(g) : nullptr;
        if (!p)
            continue;
        const int n = p->points.size();
        for (int i = 0; i < n; ++i) {
            const QPointF a = p->points[i];
            const QPointF b = p->points[(i + 1) % n];
            const QPointF ab = b - a;
            const double len2 = QPointF::dotProduct(ab, ab);
            if (len2 <= 0)
                continue;
            const double t = std::clamp(QPointF::dotProduct(imagePos - a, ab) / len2, 0.0, 1.0);
            if (QLineF(a + t * ab, imagePos).length() <= tol)
                return {id, i};
        }
    }
    return {0, -1};
}

QHash<qint64, Geometry> SelectTool::moved(QPointF d) const
{
    QRectF all;
    for (auto it = m_original.cbegin(); it != m_original.cend(); ++it)
        all = all.isNull() ? boundsOf(*it) : all.united(boundsOf(*it));
    const QRectF img = canvas()->imageRect();
    // Keep the moved shapes inside the image (as far as they were inside).
    d.setX(std::clamp(d.x(), std::min(0.0, img.left() - all.left()),
                      std::max(0.0, img.right() - all.right())));
    d.setY(std::clamp(d.y(), std::min(0.0, img.top() - all.top()),
                      std::max(0.0, img.bottom() - all.bottom())));
    QHash<qint64, Geometry> out;
    for (auto it = m_original.cbegin(); it != m_original.cend(); ++it)
        out.insert(it.key(), translated(*it, d));
    return out;
}

void SelectTool::commit(const QHash<qint64, Geometry> &geometries)
{
    AnnotationDocument *doc = canvas()->document();
    if (!doc)
        return;
    setGeometries(doc, geometries, 0);
    canvas()->clearPreview();
}

bool SelectTool::removeVertex(qint64 shapeId, int index)
{
    AnnotationDocument *doc = canvas()->document();
    const Shape *s = doc ? doc->shape(shapeId) : nullptr;
    const auto *p = s ? std::get_if<Polygon>(&s->geometry) : nullptr;
    if (!p || index < 0 || index >= p->points.size() || p->points.size() <= 3)
        return false;
    QPolygonF points = p->points;
    points.remove(index);
    canvas()->setActiveHandle(0, -1);
    return doc->setGeometry(shapeId, Polygon{points});
}

void SelectTool::mousePress(const QPointF &imagePos, QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_nudgeGesture = 0;
    m_pressImage = m_current = imagePos;
    m_pressWidget = event->position();
    m_additive = event->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier);
    AnnotationDocument *doc = canvas()->document();

    const auto handle = m_additive ? QPair<qint64, int>{0, -1} : handleAt(event->position());
    if (handle.first) {
        const Shape *s = doc->shape(handle.first);
        if (!s)
            return;
        const bool isPolygon = std::holds_alternative<Polygon>(s->geometry);
        if (isPolygon && (event->modifiers() & Qt::AltModifier)) {
            removeVertex(handle.first, handle.second);
            return;
        }
        m_handleShape = handle.first;
        m_handle = handle.second;
        m_original = {{handle.first, s->geometry}};
        m_mode = isPolygon ? Mode::Vertex : Mode::Resize;
        canvas()->setActiveHandle(isPolygon ? handle.first : 0, isPolygon ? handle.second : -1);
        return;
    }
    canvas()->setActiveHandle(0, -1);

    const qint64 hit = canvas()->shapeAt(imagePos);
    if (!hit) {
        if (!m_additive)
            canvas()->setSelection({});
        m_mode = Mode::Band;
        return;
    }
    QVector<qint64> selection = canvas()->selection();
    if (m_additive) {
        if (selection.contains(hit))
            selection.removeAll(hit);
        else
            selection.append(hit);
        canvas()->setSelection(selection);
        m_mode = Mode::None;
        return;
    }
    if (!selection.contains(hit))
        canvas()->setSelection({hit});
    m_handleShape = hit; // the shape clicked: a click without drag selects only it
    m_original.clear();
    for (qint64 id : canvas()->selection())
        if (const Shape *s = doc->shape(id))
            m_original.insert(id, s->geometry);
    m_mode = Mode::Pressed;
}

void SelectTool::mouseMove(const QPointF &imagePos, QMouseEvent *event)
{
    m_current = imagePos;
    switch (m_mode) {
    case Mode::None:
        updateHoverCursor(imagePos);
        return;
    case Mode::Pressed:
        if (QLineF(m_pressWidget, event->position()).length() < kDragThresholdPx)
            return;
        m_mode = Mode::Move;
        canvas()->setToolCursor(Qt::SizeAllCursor);
        [[fallthrough]];
    case Mode::Move: {
        const auto geoms = moved(imagePos - m_pressImage);
        for (auto it = geoms.cbegin(); it != geoms.cend(); ++it)
            canvas()->setPreviewGeometry(it.key(), *it);
        return;
    }
    case Mode::Resize: {
        QRectF r = std::get<Box>(m_original.value(m_handleShape)).rect.normalized();
        const QPointF p = clamp(imagePos);
        switch (m_handle) {
        case 0:
            r.setTopLeft(p);
            break;
        case 1:
            r.setTop(p.y());
            break;
        case 2:
            r.setTopRight(p);
            break;
        case 3:
            r.setRight(p.x());
            break;
        case 4:
            r.setBottomRight(p);
            break;
        case 5:
            r.setBottom(p.y());
            break;
        case 6:
            r.setBottomLeft(p);
            break;
        default:
            r.setLeft(p.x());
            break;
        }
        canvas()->setPreviewGeometry(m_handleShape, Box{r.normalized()});
        return;
    }
    case Mode::Vertex: {
        QPolygonF points = std::get<Polygon>(m_original.value(m_handleShape)).points;
        points[m_handle] = clamp(imagePos);
        canvas()->setPreviewGeometry(m_handleShape, Polygon{points});
        return;
    }
    case Mode::Band:
        canvas()->update();
        return;
    }
}

void SelectTool::mouseRelease(const QPointF &imagePos, QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const Mode mode = m_mode;
    m_mode = Mode::None;
    m_current = imagePos;
    switch (mode) {
    case Mode::None:
        break;
    case Mode::Pressed:
        canvas()->setSelection({m_handleShape});
        break;
    case Mode::Move:
        commit(moved(imagePos - m_pressImage));
        break;
    case Mode::Resize:
    case Mode::Vertex:
        if (const Geometry *g = canvas()->displayedGeometry(m_handleShape))
            commit({{m_handleShape, *g}});
        break;
    case Mode::Band: {
        const QRectF band = QRectF(m_pressImage, imagePos).normalized();
        if (QLineF(m_pressWidget, event->position()).length() < kDragThresholdPx)
            break;
        QVector<qint64> selection = m_additive ? canvas()->selection() : QVector<qint64>{};
        for (qint64 id : canvas()->shapesInside(band))
            if (!selection.contains(id))
                selection.append(id);
        canvas()->setSelection(selection);
        break;
    }
    }
    m_original.clear();
    canvas()->clearPreview();
    updateHoverCursor(imagePos);
}

void SelectTool::mouseDoubleClick(const QPointF &imagePos, QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return;
    const auto edge = edgeAt(imagePos);
    AnnotationDocument *doc = canvas()->document();
    const Shape *s = edge.first && doc ? doc->shape(edge.first) : nullptr;
    const auto *p = s ? std::get_if<Polygon>(&s->geometry) : nullptr;
    if (!p)
        return;
    m_mode = Mode::None;
    QPolygonF points = p->points;
    points.insert(edge.second + 1, clamp(imagePos));
    if (doc->setGeometry(edge.first, Polygon{points}))
        canvas()->setActiveHandle(edge.first, edge.second + 1);
}

void SelectTool::nudge(const QPointF &delta)
{
    AnnotationDocument *doc = canvas()->document();
    if (!doc || canvas()->selection().isEmpty())
        return;
    m_original.clear();
    for (qint64 id : canvas()->selection())
        if (const Shape *s = doc->shape(id))
            m_original.insert(id, s->geometry);
    // A run of nudges shares one gesture id, so one Ctrl+Z undoes the run.
    if (!m_nudgeGesture)
        m_nudgeGesture = AnnotationCanvas::newGestureId();
    setGeometries(doc, moved(delta), m_nudgeGesture);
    m_original.clear();
}

bool SelectTool::keyPress(QKeyEvent *event)
{
    const double step = (event->modifiers() & Qt::ShiftModifier) ? 10.0 : 1.0;
    switch (event->key()) {
    case Qt::Key_Left:
        nudge(QPointF(-step, 0));
        return !canvas()->selection().isEmpty();
    case Qt::Key_Right:
        nudge(QPointF(step, 0));
        return !canvas()->selection().isEmpty();
    case Qt::Key_Up:
        nudge(QPointF(0, -step));
        return !canvas()->selection().isEmpty();
    case Qt::Key_Down:
        nudge(QPointF(0, step));
        return !canvas()->selection().isEmpty();
    case Qt::Key_Delete:
        m_nudgeGesture = 0;
        if (canvas()->activeHandleShape() && canvas()->activeHandle() >= 0) {
            // With a vertex active Del is about the vertex: a triangle keeps
            // its three rather than the whole shape going.
            removeVertex(canvas()->activeHandleShape(), canvas()->activeHandle());
            return true;
        }
        return false;
    case Qt::Key_Escape:
        m_nudgeGesture = 0;
        return cancel();
    default:
        if (!event->isAutoRepeat() && event->key() != Qt::Key_Shift)
            m_nudgeGesture = 0;
        return false;
    }
}

void SelectTool::updateHoverCursor(const QPointF &imagePos)
{
    const auto handle = handleAt(canvas()->imageToWidget(imagePos));
    if (handle.first) {
        const Geometry *g = canvas()->displayedGeometry(handle.first);
        if (g && std::holds_alternative<Box>(*g)) {
            static const Qt::CursorShape shapes[] = {
                Qt::SizeFDiagCursor, Qt::SizeVerCursor, Qt::SizeBDiagCursor, Qt::SizeHorCursor,
                Qt::SizeFDiagCursor, Qt::SizeVerCursor, Qt::SizeBDiagCursor, Qt::SizeHorCursor};
            canvas()->setToolCursor(shapes[handle.second % 8]);
        } else {
            canvas()->setToolCursor(Qt::PointingHandCursor);
        }
        return;
    }
    canvas()->setToolCursor(canvas()->shapeAt(imagePos) ? Qt::SizeAllCursor : Qt::ArrowCursor);
}

void SelectTool::paintOverlay(QPainter &painter)
{
    if (m_mode != Mode::Band)
        return;
    const QRectF r = canvas()->imageToWidget(QRectF(m_pressImage, m_current).normalized());
    painter.setPen(QPen(QColor(255, 255, 255, 220), 1, Qt::DashLine));
    painter.setBrush(QColor(80, 160, 255, 40));
    painter.drawRect(r);
    painter.setBrush(Qt::NoBrush);
}

} // namespace salient
