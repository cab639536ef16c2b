// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/commands/labelcommands.h"

#include "core/project/store.h"

#include <QCoreApplication>
#include <QMap>

namespace salient {

// ---- StoreCommand ---------------------------------------------------------

StoreCommand::StoreCommand(ProjectStore &store, const QString &text, ErrorSink sink)
    : QUndoCommand(text), m_store(store), m_sink(std::move(sink))
{
}

Status StoreCommand::applyFirst()
{
    Status s = apply();
    if (s.ok())
        m_skipRedo = true;
    return s;
}

void StoreCommand::redo()
{
    if (m_skipRedo) {
        m_skipRedo = false; // the write already happened in applyFirst()
        return;
    }
    Status s = apply();
    if (!s.ok() && m_sink)
        m_sink(s.error());
}

void StoreCommand::undo()
{
    Status s = revert();
    if (!s.ok() && m_sink)
        m_sink(s.error());
}

// ---- labels -----------------------------------------------------------------

SetLabelsCommand::SetLabelsCommand(ProjectStore &store, QVector<LabelSet> before,
                                   QVector<LabelSet> after, const QString &text, ErrorSink sink)
    : StoreCommand(store, text, std::move(sink)), m_before(std::move(before)),
      m_after(std::move(after))
{
}

Status SetLabelsCommand::apply()
{
    return m_store.setLabels(m_after);
}

Status SetLabelsCommand::revert()
{
    return m_store.setLabels(m_before);
}

// ---- status -----------------------------------------------------------------

SetStatusCommand::SetStatusCommand(ProjectStore &store, QVector<QPair<qint64, ImageStatus>> before,
                                   ImageStatus after, ErrorSink sink)
    : StoreCommand(store, QCoreApplication::translate("salient::EditCommands", "Set status to %1").arg(statusName(after)), std::move(sink)),
      m_before(std::move(before)), m_after(after)
{
}

Status SetStatusCommand::apply()
{
    QVector<qint64> ids;
    ids.reserve(m_before.size());
    for (const auto &entry : std::as_const(m_before))
        ids.append(entry.first);
    return m_store.setStatus(ids, m_after);
}

Status SetStatusCommand::revert()
{
    // Images may have had different statuses: one setStatus per old status,
    // all inside one transaction.
    QMap<int, QVector<qint64>> byStatus;
    for (const auto &entry : std::as_const(m_before))
        byStatus[int(entry.second)].append(entry.first);
    return m_store.transaction([&]() -> Status {
        for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it)
            SALIENT_TRY(m_store.setStatus(it.value(), ImageStatus(it.key())));
        return {};
    });
}

// ---- classes ------------------------------------------------------------------

AddClassCommand::AddClassCommand(ProjectStore &store, QString name, QColor color, ErrorSink sink)
    : StoreCommand(store, QCoreApplication::translate("salient::EditCommands", "Add class %1").arg(name), std::move(sink)),
      m_requestedColor(std::move(color))
{
    m_record.name = std::move(name);
}

Status AddClassCommand::apply()
{
    if (m_record.id != 0) {
        // Redo after undo: the very same row, and the shapes drawn with it get it back.
        SALIENT_TRY(m_store.transaction([&]() -> Status {
            SALIENT_TRY(m_store.insertClass(m_record));
            return setShapeClassIds(m_store, m_shapes);
        }));
        for (qint64 image : imagesOf(m_shapes))
            Q_EMIT m_store.shapesChanged(image);
        return {};
    }
    Result<qint64> id = m_store.addClass(m_record.name, m_requestedColor);
    if (!id.ok())
        return id.error();
    Result<ClassRecord> rec = m_store.classById(id.value());
    if (!rec.ok())
        return rec.error();
    m_record = rec.value();
    return {};
}

Status AddClassCommand::revert()
{
    // Shapes may have been drawn with the class since: they lose it (as with a
    // delete) and regain it on redo.
    SALIENT_TRY(m_store.transaction([&]() -> Status {
        auto shapes = shapesOfClass(m_store, m_record.id);
        SALIENT_TRY(shapes);
        m_shapes = shapes.value();
        return m_store.deleteClass(m_record.id);
    }));
    for (qint64 image : imagesOf(m_shapes))
        Q_EMIT m_store.shapesChanged(image);
    return {};
}

RenameClassCommand::RenameClassCommand(ProjectStore &store, qint64 classId, QString before,
                                       QString after, ErrorSink sink)
    : StoreCommand(store, QCoreApplication::translate("salient::EditCommands", "Rename class %1 to %2").arg(before, after), std::move(sink)),
      m_classId(classId), m_before(std::move(before)), m_after(std::move(after))
{
}

Status RenameClassCommand::apply()
{
    return m_store.renameClass(m_classId, m_after);
}

Status RenameClassCommand::revert()
{
    return m_store.renameClass(m_classId, m_before);
}

RecolorClassCommand::RecolorClassCommand(ProjectStore &store, qint64 classId, QColor before,
                                         QColor after, ErrorSink sink)
    : StoreCommand(store, QCoreApplication::translate("salient::EditCommands", "Change class colour"), std::move(sink)), m_classId(classId),
      m_before(std::move(before)), m_after(std::move(after))
{
}

Status RecolorClassCommand::apply()
{
    return m_store.setClassColor(m_classId, m_after);
}

Status RecolorClassCommand::revert()
{
    return m_store.setClassColor(m_classId, m_before);
}

RemoveClassCommand::RemoveClassCommand(ProjectStore &store, ClassRecord removed, qint64 into,
                                       QVector<LabelSet> affectedBefore, const QString &text,
                                       ErrorSink sink)
    : StoreCommand(store, text, std::move(sink)), m_removed(std::move(removed)), m_into(into),
      m_before(std::move(affectedBefore))
{
}

Status RemoveClassCommand::apply()
{
    // The shapes are read in the same transaction as the write, so undo knows
    // exactly which shapes lost (or changed) their class.
    SALIENT_TRY(m_store.transaction([&]() -> Status {
        auto shapes = shapesOfClass(m_store, m_removed.id);
        SALIENT_TRY(shapes);
        m_shapes = shapes.value();
        return m_into != 0 ? m_store.mergeClasses(m_removed.id, m_into)
                           : m_store.deleteClass(m_removed.id);
    }));
    // The store's merge and delete announce classes and labels only.
    for (qint64 image : imagesOf(m_shapes))
        Q_EMIT m_store.shapesChanged(image);
    return {};
}

Status RemoveClassCommand::revert()
{
    SALIENT_TRY(m_store.transaction([&]() -> Status {
        SALIENT_TRY(m_store.insertClass(m_removed));
        if (!m_before.isEmpty())
            SALIENT_TRY(m_store.setLabels(m_before));
        SALIENT_TRY(setShapeClassIds(m_store, m_shapes));
        return {};
    }));
    // Committed: now open documents may re-read those shapes.
    for (qint64 image : imagesOf(m_shapes))
        Q_EMIT m_store.shapesChanged(image);
    return {};
}

MergeClassesCommand::MergeClassesCommand(ProjectStore &store, ClassRecord from, qint64 into,
                                         QVector<LabelSet> affectedBefore, ErrorSink sink)
    : RemoveClassCommand(store, from, into, std::move(affectedBefore),
                         QCoreApplication::translate("salient::EditCommands", "Merge class %1").arg(from.name), std::move(sink))
{
}

DeleteClassCommand::DeleteClassCommand(ProjectStore &store, ClassRecord removed,
                                       QVector<LabelSet> affectedBefore, ErrorSink sink)
    : RemoveClassCommand(store, removed, 0, std::move(affectedBefore),
                         QCoreApplication::translate("salient::EditCommands", "Delete class %1").arg(removed.name), std::move(sink))
{
}

} // namespace salient
