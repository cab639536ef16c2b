// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/commands/shapecommands.h"

#include "core/document/annotationdocument.h"
#include "core/project/store.h"

#include <QSet>

namespace salient {

namespace {

QVector<StoredShape> toStored(const QVector<Shape> &shapes)
{
    QVector<StoredShape> out;
    out.reserve(shapes.size());
    for (const Shape &s : shapes)
        out.push_back(StoredShape::from(s));
    return out;
}

qint64 bytesOf(const QVector<StoredShape> &shapes)
{
    qint64 n = 0;
    for (const StoredShape &s : shapes)
        n += qint64(sizeof(StoredShape)) + s.geometry.size() + s.attributes.size() * 2;
    return n;
}

/// The class ids among `ids` that still exist. A class deleted since the edit
/// was made cannot come back with the shape: the shape then has no class,
/// as the delete itself (ON DELETE SET NULL) would have left it.
Result<QSet<qint64>> existingClasses(ProjectStore &store, const QVector<qint64> &ids)
{
    QSet<qint64> wanted;
    for (qint64 id : ids) {
        if (id > 0)
            wanted.insert(id);
    }
    QSet<qint64> out;
    if (wanted.isEmpty())
        return out;
    auto all = store.classes();
    if (!all.ok())
        return all.error();
    for (const ClassRecord &c : all.value()) {
        if (wanted.contains(c.id))
            out.insert(c.id);
    }
    return out;
}

/// Decodes stored shapes for re-insertion, dropping classes deleted meanwhile.
Result<QVector<Shape>> restorable(ProjectStore &store, const QVector<StoredShape> &stored)
{
    QVector<qint64> classIds;
    for (const StoredShape &s : stored)
        classIds.push_back(s.classId);
    auto existing = existingClasses(store, classIds);
    if (!existing.ok())
        return existing.error();
    QVector<Shape> out;
    out.reserve(stored.size());
    for (const StoredShape &s : stored) {
        auto shape = s.toShape();
        if (!shape.ok())
            return shape.error();
        if (!existing->contains(shape->classId))
            shape->classId = 0;
        out.push_back(std::move(shape).value());
    }
    return out;
}

/// Shapes to insert: new ones (id 0, the edit itself) exactly as asked, so that
/// a class that does not exist fails the edit; re-inserted ones (redo) with
/// classes deleted meanwhile dropped.
Result<QVector<Shape>> decodeForInsert(ProjectStore &store, const QVector<StoredShape> &stored)
{
    if (stored.isEmpty() || stored.first().id != 0)
        return restorable(store, stored);
    QVector<Shape> out;
    for (const StoredShape &s : stored) {
        auto shape = s.toShape();
        if (!shape.ok())
            return shape.error();
        out.push_back(std::move(shape).value());
    }
    return out;
}

Error missingShape(const AnnotationDocument &doc, qint64 shapeId)
{
    return makeError(
        Error::Code::NotFound,
        QStringLiteral("shape %1 is no longer on image %2").arg(shapeId).arg(doc.imageId()),
                       doc.store().filePath());
}

} // namespace

// ---- StoredShape ---------------------------------------------------------------

StoredShape StoredShape::from(const Shape &shape)
{
    StoredShape s;
    s.id = shape.id;
    s.imageId = shape.imageId;
    s.classId = shape.classId;
    s.kind = shape.kind();
    s.geometry = encodeGeometry(shape.geometry);
    s.attributes = shape.attributes;
    return s;
}

Result<Shape> StoredShape::toShape() const
{
    auto g = decodeGeometry(kind, geometry);
    if (!g.ok())
        return g.error();
    Shape s;
    s.id = id;
    s.imageId = imageId;
    s.classId = classId;
    s.geometry = std::move(g).value();
    s.attributes = attributes;
    return s;
}

// ---- ShapeCommand ----------------------------------------------------------------

ShapeCommand::ShapeCommand(AnnotationDocument &document, const QString &text)
    : QUndoCommand(text), m_doc(document)
{
}

Status ShapeCommand::applyFirst()
{
    Status s = apply();
    if (s.ok())
        m_skipRedo = true;
    return s;
}

void ShapeCommand::redo()
{
    if (m_skipRedo) {
        m_skipRedo = false; // the write already happened in applyFirst()
        return;
    }
    Status s = apply();
    if (!s.ok())
        Q_EMIT m_doc.failed(s.error());
}

void ShapeCommand::undo()
{
    Status s = revert();
    if (!s.ok())
        Q_EMIT m_doc.failed(s.error());
}

// ---- add --------------------------------------------------------------------------

AddShapesCommand::AddShapesCommand(AnnotationDocument &document, const QVector<Shape> &shapes,
                                   const QString &text)
    : ShapeCommand(document, text), m_shapes(toStored(shapes))
{
}

QVector<qint64> AddShapesCommand::ids() const
{
    QVector<qint64> out;
    for (const StoredShape &s : m_shapes)
        out.push_back(s.id);
    return out;
}

qint64 AddShapesCommand::bytes() const
{
    return qint64(sizeof(*this)) + bytesOf(m_shapes);
}

Status AddShapesCommand::apply()
{
    // Redo re-inserts with the ids of the first apply(); only that one gets new ids.
    auto shapes = decodeForInsert(m_doc.store(), m_shapes);
    if (!shapes.ok())
        return shapes.error();
    SALIENT_TRY(m_doc.storeAdd(shapes.value()));
    for (int i = 0; i < m_shapes.size(); ++i)
        m_shapes[i].id = shapes->at(i).id;
    return {};
}

Status AddShapesCommand::revert()
{
    return m_doc.storeRemove(ids());
}

// ---- remove -------------------------------------------------------------------------

RemoveShapesCommand::RemoveShapesCommand(AnnotationDocument &document,
                                         const QVector<Shape> &removed, const QString &text)
    : ShapeCommand(document, text), m_removed(toStored(removed))
{
}

qint64 RemoveShapesCommand::bytes() const
{
    return qint64(sizeof(*this)) + bytesOf(m_removed);
}

Status RemoveShapesCommand::apply()
{
    QVector<qint64> ids;
    for (const StoredShape &s : m_removed)
        ids.push_back(s.id);
    return m_doc.storeRemove(ids);
}

Status RemoveShapesCommand::revert()
{
    auto shapes = restorable(m_doc.store(), m_removed);
    if (!shapes.ok())
        return shapes.error();
    return m_doc.storeAdd(shapes.value());
}

// ---- geometry ------------------------------------------------------------------------

SetGeometryCommand::SetGeometryCommand(AnnotationDocument &document, qint64 shapeId,
                                       const Geometry &before, const Geometry &after, int gestureId,
                                       const QString &text)
    : ShapeCommand(document, text), m_shapeId(shapeId), m_gestureId(gestureId),
      m_beforeKind(kindOf(before)), m_before(encodeGeometry(before)), m_afterKind(kindOf(after)),
      m_after(encodeGeometry(after))
{
}

bool SetGeometryCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = dynamic_cast<const SetGeometryCommand *>(other);
    if (!o || m_gestureId == 0 || o->m_gestureId != m_gestureId || o->m_shapeId != m_shapeId)
        return false;
    m_afterKind = o->m_afterKind;
    m_after = o->m_after;
    // A gesture that ends where it began changes nothing: the stack drops it
    // without undo(), which is right, as the store already holds "before".
    setObsolete(m_afterKind == m_beforeKind && m_after == m_before);
    return true;
}

qint64 SetGeometryCommand::bytes() const
{
    return qint64(sizeof(*this)) + m_before.size() + m_after.size();
}

Status SetGeometryCommand::write(ShapeKind kind, const QByteArray &geometry)
{
    const Shape *current = m_doc.shape(m_shapeId);
    if (!current)
        return missingShape(m_doc, m_shapeId);
    auto g = decodeGeometry(kind, geometry);
    if (!g.ok())
        return g.error();
    Shape s = *current; // class and attributes as they are now: only the geometry is this edit's
    s.geometry = std::move(g).value();
    return m_doc.storeUpdate({s});
}

Status SetGeometryCommand::apply()
{
    return write(m_afterKind, m_after);
}

Status SetGeometryCommand::revert()
{
    return write(m_beforeKind, m_before);
}

// ---- class ------------------------------------------------------------------------------

SetShapeClassCommand::SetShapeClassCommand(AnnotationDocument &document,
                                           QVector<QPair<qint64, qint64>> before, qint64 classId,
                                           const QString &text)
    : ShapeCommand(document, text), m_before(std::move(before)), m_classId(classId)
{
}

qint64 SetShapeClassCommand::bytes() const
{
    return qint64(sizeof(*this)) + m_before.size() * qint64(sizeof(m_before.first()));
}

Status SetShapeClassCommand::apply()
{
    QVector<Shape> shapes;
    for (const auto &entry : std::as_const(m_before)) {
        const Shape *current = m_doc.shape(entry.first);
        if (!current)
            return missingShape(m_doc, entry.first);
        Shape s = *current;
        s.classId = m_classId;
        shapes.push_back(std::move(s));
    }
    return m_doc.storeUpdate(shapes);
}

Status SetShapeClassCommand::revert()
{
    QVector<qint64> classIds;
    for (const auto &entry : std::as_const(m_before))
        classIds.push_back(entry.second);
    auto existing = existingClasses(m_doc.store(), classIds);
    if (!existing.ok())
        return existing.error();
    QVector<Shape> shapes;
    for (const auto &entry : std::as_const(m_before)) {
        const Shape *current = m_doc.shape(entry.first);
        if (!current)
            return missingShape(m_doc, entry.first);
        Shape s = *current;
        s.classId = existing->contains(entry.second) ? entry.second : 0;
        shapes.push_back(std::move(s));
    }
    return m_doc.storeUpdate(shapes);
}

// ---- replace ------------------------------------------------------------------------------

ReplaceShapesCommand::ReplaceShapesCommand(AnnotationDocument &document,
                                           const QVector<Shape> &removed,
                                           const QVector<Shape> &added, const QString &text)
    : ShapeCommand(document, text), m_removed(toStored(removed)), m_added(toStored(added))
{
}

QVector<qint64> ReplaceShapesCommand::addedIds() const
{
    QVector<qint64> out;
    for (const StoredShape &s : m_added)
        out.push_back(s.id);
    return out;
}

qint64 ReplaceShapesCommand::bytes() const
{
    return qint64(sizeof(*this)) + bytesOf(m_removed) + bytesOf(m_added);
}

Status ReplaceShapesCommand::apply()
{
    auto decoded = decodeForInsert(m_doc.store(), m_added);
    if (!decoded.ok())
        return decoded.error();
    QVector<Shape> added = std::move(decoded).value();
    QVector<qint64> removeIds;
    for (const StoredShape &s : m_removed)
        removeIds.push_back(s.id);
    SALIENT_TRY(m_doc.storeReplace(removeIds, added));
    for (int i = 0; i < m_added.size(); ++i)
        m_added[i].id = added.at(i).id;
    return {};
}

Status ReplaceShapesCommand::revert()
{
    auto restored = restorable(m_doc.store(), m_removed);
    if (!restored.ok())
        return restored.error();
    return m_doc.storeReplace(addedIds(), restored.value());
}

} // namespace salient
