// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/document/annotationdocument.h"

#include "core/commands/shapecommands.h"
#include "core/project/store.h"

#include <QHash>
#include <QScopedValueRollback>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

bool finite(const QPointF &p)
{
    return std::isfinite(p.x()) && std::isfinite(p.y());
}

/// Shapes a person could not have meant: refused before they reach history.
Status checkGeometry(const Geometry &geometry, const QString &file)
{
    const auto invalid = [&](const QString &message) {
        return makeError(Error::Code::Invalid, message, file);
    };
    if (const auto *box = std::get_if<Box>(&geometry)) {
        if (!finite(box->rect.topLeft()) || !finite(box->rect.bottomRight())
            || !box->rect.isValid())
            return invalid(QStringLiteral("a box needs a positive width and height"));
    } else if (const auto *polygon = std::get_if<Polygon>(&geometry)) {
        if (polygon->points.size() < 3)
            return invalid(QStringLiteral("a polygon needs at least three vertices"));
        for (const QPointF &p : polygon->points) {
            if (!finite(p))
                return invalid(QStringLiteral("a polygon vertex is not a finite number"));
        }
    } else if (std::get<Mask>(geometry).isEmpty()) {
        return invalid(QStringLiteral("an empty mask (remove the shape instead)"));
    }
    return {};
}

QString kindText(ShapeKind kind)
{
    switch (kind) {
    case ShapeKind::Box:
        return AnnotationDocument::tr("box");
    case ShapeKind::Polygon:
        return AnnotationDocument::tr("polygon");
    case ShapeKind::Mask:
        return AnnotationDocument::tr("mask");
    }
    return {};
}

} // namespace

// ---- AnnotationDocument ------------------------------------------------------

Result<std::unique_ptr<AnnotationDocument>>
AnnotationDocument::load(ProjectStore &store, qint64 imageId, QObject *parent)
{
    auto image = store.image(imageId);
    if (!image.ok())
        return image.error();
    auto shapes = store.shapes(imageId);
    if (!shapes.ok())
        return shapes.error();
    return std::unique_ptr<AnnotationDocument>(new AnnotationDocument(
        store, imageId, QSize(image->width, image->height), std::move(shapes).value(), parent));
}

AnnotationDocument::AnnotationDocument(ProjectStore &store, qint64 imageId, QSize imageSize,
                                       QVector<Shape> shapes, QObject *parent)
    : QObject(parent), m_store(store), m_imageId(imageId), m_imageSize(imageSize),
      m_shapes(std::move(shapes))
{
    std::sort(m_shapes.begin(), m_shapes.end(),
              [](const Shape &a, const Shape &b) { return a.id < b.id; });
    // Writes by others on this connection (an import, the undo of a class merge)
    // reach the canvas too; this document's own writes are ignored here.
    connect(&m_store, &ProjectStore::shapesChanged, this, [this](qint64 imageId) {
        if (imageId == m_imageId && m_writing == 0)
            reloadFromStore();
    });
    // Merging or deleting a class changes shapes' classes without shapesChanged.
    connect(&m_store, &ProjectStore::classesChanged, this, [this] {
        if (m_writing == 0)
            checkClasses();
    });
}

AnnotationDocument::~AnnotationDocument() = default;

const Shape *AnnotationDocument::shape(qint64 shapeId) const
{
    const int i = indexOf(shapeId);
    return i < 0 ? nullptr : &m_shapes.at(i);
}

int AnnotationDocument::indexOf(qint64 shapeId) const
{
    const auto it = std::lower_bound(m_shapes.cbegin(), m_shapes.cend(), shapeId,
                                     [](const Shape &s, qint64 id) { return s.id < id; });
    return it != m_shapes.cend() && it->id == shapeId ? int(it - m_shapes.cbegin()) : -1;
}

bool AnnotationDocument::fail(const Error &error)
{
    Q_EMIT failed(error);
    return false;
}

bool AnnotationDocument::push(ShapeCommand *command)
{
    Status s = command->applyFirst();
    if (!s.ok()) {
        delete command;
        return fail(s.error());
    }
    m_stack.push(command); // redo() is a no-op now; a gesture's command may merge and be deleted
    return true;
}

qint64 AnnotationDocument::addShape(qint64 classId, const Geometry &geometry,
                                    const QString &attributes)
{
    Status valid = checkGeometry(geometry, m_store.filePath());
    if (!valid.ok()) {
        fail(valid.error());
        return 0;
    }
    Shape s;
    s.imageId = m_imageId;
    s.classId = classId;
    s.geometry = geometry;
    if (!attributes.isEmpty())
        s.attributes = attributes;
    auto *command = new AddShapesCommand(*this, {s}, tr("Add %1").arg(kindText(s.kind())));
    Status applied = command->applyFirst();
    if (!applied.ok()) {
        delete command;
        fail(applied.error());
        return 0;
    }
    const qint64 id = command->ids().value(0);
    m_stack.push(command);
    return id;
}

bool AnnotationDocument::removeShapes(const QVector<qint64> &shapeIds)
{
    QVector<Shape> removed;
    QSet<qint64> seen;
    for (qint64 id : shapeIds) {
        if (seen.contains(id))
            continue;
        seen.insert(id);
        const Shape *s = shape(id);
        if (!s)
            return fail(makeError(Error::Code::NotFound,
                                  QStringLiteral("no shape %1 on image %2").arg(id).arg(m_imageId),
                                                 m_store.filePath()));
        removed.push_back(*s);
    }
    if (removed.isEmpty())
        return true;
    const QString text = removed.size() == 1 ? tr("Delete %1").arg(kindText(removed.first().kind()))
                                             : tr("Delete %n shapes", nullptr, int(removed.size()));
    return push(new RemoveShapesCommand(*this, removed, text));
}

bool AnnotationDocument::setGeometry(qint64 shapeId, const Geometry &geometry, int gestureId)
{
    const Shape *s = shape(shapeId);
    if (!s)
        return fail(makeError(Error::Code::NotFound,
                              QStringLiteral("no shape %1 on image %2").arg(shapeId).arg(m_imageId),
                                             m_store.filePath()));
    Status valid = checkGeometry(geometry, m_store.filePath());
    if (!valid.ok())
        return fail(valid.error());
    if (s->geometry == geometry)
        return true; // nothing to remember
    return push(new SetGeometryCommand(*this, shapeId, s->geometry, geometry, gestureId,
                                       tr("Edit %1").arg(kindText(kindOf(geometry)))));
}

bool AnnotationDocument::setShapeClass(const QVector<qint64> &shapeIds, qint64 classId)
{
    QVector<QPair<qint64, qint64>> before;
    QSet<qint64> seen;
    for (qint64 id : shapeIds) {
        const Shape *s = shape(id);
        if (!s)
            return fail(makeError(Error::Code::NotFound,
                                  QStringLiteral("no shape %1 on image %2").arg(id).arg(m_imageId),
                                                 m_store.filePath()));
        if (s->classId != classId && !seen.contains(id)) {
            seen.insert(id);
            before.push_back({id, s->classId});
        }
    }
    if (before.isEmpty())
        return true;
    return push(new SetShapeClassCommand(
        *this, before, classId, tr("Change class of %n shapes", nullptr, int(before.size()))));
}

QVector<qint64> AnnotationDocument::replaceShapes(const QVector<qint64> &removeIds,
                                                  const QVector<Shape> &added, const QString &text)
{
    QVector<Shape> removed;
    QSet<qint64> seen;
    for (qint64 id : removeIds) {
        const Shape *s = shape(id);
        if (!s) {
            fail(makeError(Error::Code::NotFound,
                           QStringLiteral("no shape %1 on image %2").arg(id).arg(m_imageId),
                                          m_store.filePath()));
            return {};
        }
        if (!seen.contains(id)) {
            seen.insert(id);
            removed.push_back(*s);
        }
    }
    QVector<Shape> fresh;
    for (Shape s : added) {
        Status valid = checkGeometry(s.geometry, m_store.filePath());
        if (!valid.ok()) {
            fail(valid.error());
            return {};
        }
        s.id = 0;
        s.imageId = m_imageId;
        if (s.attributes.isEmpty())
            s.attributes = QStringLiteral("{}");
        fresh.push_back(std::move(s));
    }
    if (removed.isEmpty() && fresh.isEmpty())
        return {};
    auto *command = new ReplaceShapesCommand(*this, removed, fresh, text);
    Status applied = command->applyFirst();
    if (!applied.ok()) {
        delete command;
        fail(applied.error());
        return {};
    }
    const QVector<qint64> ids = command->addedIds();
    m_stack.push(command);
    return ids;
}

// ---- writes used by the commands --------------------------------------------------

Status AnnotationDocument::storeAdd(QVector<Shape> &shapes)
{
    if (shapes.isEmpty())
        return {};
    QVector<Shape> toWrite = shapes;
    for (Shape &s : toWrite) {
        s.imageId = m_imageId;
        if (s.attributes.isEmpty())
            s.attributes = QStringLiteral("{}");
    }
    Result<QVector<qint64>> ids = [&] {
        QScopedValueRollback<int> writing(m_writing, m_writing + 1);
        return m_store.addShapes(toWrite);
    }();
    if (!ids.ok())
        return ids.error();
    for (int i = 0; i < toWrite.size(); ++i)
        toWrite[i].id = ids->at(i);
    shapes = toWrite;
    applyInMemory({}, toWrite, {});
    return {};
}

Status AnnotationDocument::storeRemove(const QVector<qint64> &shapeIds)
{
    if (shapeIds.isEmpty())
        return {};
    {
        QScopedValueRollback<int> writing(m_writing, m_writing + 1);
        SALIENT_TRY(m_store.removeShapes(shapeIds));
    }
    applyInMemory(shapeIds, {}, {});
    return {};
}

Status AnnotationDocument::storeUpdate(const QVector<Shape> &shapes)
{
    if (shapes.isEmpty())
        return {};
    QVector<Shape> toWrite = shapes;
    for (Shape &s : toWrite) {
        if (indexOf(s.id) < 0)
            return makeError(Error::Code::NotFound,
                             QStringLiteral("no shape %1 on image %2").arg(s.id).arg(m_imageId),
                                            m_store.filePath());
        s.imageId = m_imageId;
        if (s.attributes.isEmpty())
            s.attributes = QStringLiteral("{}");
    }
    {
        QScopedValueRollback<int> writing(m_writing, m_writing + 1);
        SALIENT_TRY(m_store.updateShapes(toWrite));
    }
    applyInMemory({}, {}, toWrite);
    return {};
}

Status AnnotationDocument::storeReplace(const QVector<qint64> &removeIds, QVector<Shape> &added)
{
    if (removeIds.isEmpty())
        return storeAdd(added);
    if (added.isEmpty())
        return storeRemove(removeIds);
    QVector<Shape> toWrite = added;
    for (Shape &s : toWrite) {
        s.imageId = m_imageId;
        if (s.attributes.isEmpty())
            s.attributes = QStringLiteral("{}");
    }
    {
        QScopedValueRollback<int> writing(m_writing, m_writing + 1);
        QVector<qint64> ids;
        SALIENT_TRY(m_store.transaction([&]() -> Status {
            SALIENT_TRY(m_store.removeShapes(removeIds));
            auto r = m_store.addShapes(toWrite);
            SALIENT_TRY(r);
            ids = r.value();
            return {};
        }));
        for (int i = 0; i < toWrite.size(); ++i)
            toWrite[i].id = ids.at(i);
    }
    added = toWrite;
    applyInMemory(removeIds, toWrite, {});
    return {};
}

void AnnotationDocument::applyInMemory(const QVector<qint64> &removed, const QVector<Shape> &added,
                                       const QVector<Shape> &updated)
{
    // Memory first, signals after: a slot sees the document whole.
    QVector<qint64> gone;
    for (qint64 id : removed) {
        const int i = indexOf(id);
        if (i >= 0) {
            m_shapes.remove(i);
            gone.push_back(id);
        }
    }
    for (const Shape &s : added) {
        const auto it = std::lower_bound(m_shapes.begin(), m_shapes.end(), s.id,
                                         [](const Shape &a, qint64 id) { return a.id < id; });
        m_shapes.insert(it, s);
    }
    for (const Shape &s : updated) {
        const int i = indexOf(s.id);
        if (i >= 0)
            m_shapes[i] = s;
    }
    for (qint64 id : gone)
        Q_EMIT shapeRemoved(id);
    for (const Shape &s : added)
        Q_EMIT shapeAdded(s.id);
    for (const Shape &s : updated)
        Q_EMIT shapeChanged(s.id);
}

void AnnotationDocument::reloadFromStore()
{
    auto fresh = m_store.shapes(m_imageId);
    if (!fresh.ok()) {
        Q_EMIT failed(fresh.error());
        return;
    }
    QHash<qint64, const Shape *> before;
    for (const Shape &s : m_shapes)
        before.insert(s.id, &s);
    QVector<qint64> removed;
    QVector<Shape> added;
    QVector<Shape> changed;
    QSet<qint64> now;
    for (const Shape &s : fresh.value()) {
        now.insert(s.id);
        const Shape *old = before.value(s.id);
        if (!old)
            added.push_back(s);
        else if (!(*old == s))
            changed.push_back(s);
    }
    for (const Shape &s : m_shapes) {
        if (!now.contains(s.id))
            removed.push_back(s.id);
    }
    if (!removed.isEmpty() || !added.isEmpty() || !changed.isEmpty())
        applyInMemory(removed, added, changed);
}

void AnnotationDocument::checkClasses()
{
    bool anyClass = false;
    for (const Shape &s : m_shapes)
        anyClass = anyClass || s.classId > 0;
    if (!anyClass)
        return;
    auto classes = m_store.classes();
    if (!classes.ok()) {
        Q_EMIT failed(classes.error());
        return;
    }
    QSet<qint64> exist;
    for (const ClassRecord &c : classes.value())
        exist.insert(c.id);
    for (const Shape &s : m_shapes) {
        if (s.classId > 0 && !exist.contains(s.classId)) {
            reloadFromStore(); // merged away or deleted: the store knows where the shapes went
            return;
        }
    }
}

qint64 AnnotationDocument::historyBytes() const
{
    qint64 n = 0;
    for (int i = 0; i < m_stack.count(); ++i) {
        if (const auto *c = dynamic_cast<const ShapeCommand *>(m_stack.command(i)))
            n += c->bytes();
    }
    return n;
}

} // namespace salient
