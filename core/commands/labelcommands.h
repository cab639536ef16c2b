// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/commands: the QUndoCommand for each kind of edit that
// EditCommands pushes. UI code uses EditCommands, not these.

#include "core/project/storeshapes.h"
#include "core/project/types.h"
#include "core/util/result.h"

#include <QUndoCommand>
#include <QVector>

#include <functional>

namespace salient {

class ProjectStore;

/// Common base: redo() calls apply(), undo() calls revert(); each of those
/// is one store transaction. EditCommands runs apply() itself before the
/// push (so a refused write never reaches the stack) and marks the command
/// done, which makes the push's own redo() a no-op.
class StoreCommand : public QUndoCommand {
public:
    using ErrorSink = std::function<void(const Error &)>;

    StoreCommand(ProjectStore &store, const QString &text, ErrorSink sink);

    /// The first write; EditCommands calls it before pushing.
    Status applyFirst();

    void redo() override;
    void undo() override;

protected:
    virtual Status apply() = 0;
    virtual Status revert() = 0;
    ProjectStore &m_store;

private:
    ErrorSink m_sink;
    bool m_skipRedo = false;
};

/// Replaces the image-level labels of some images; undo restores exactly
/// the previous sets.
class SetLabelsCommand : public StoreCommand {
public:
    SetLabelsCommand(ProjectStore &store, QVector<LabelSet> before, QVector<LabelSet> after,
                     const QString &text, ErrorSink sink);

protected:
    Status apply() override;
    Status revert() override;

private:
    QVector<LabelSet> m_before;
    QVector<LabelSet> m_after;
};

/// Sets the status of some images; undo gives each image its own old status back.
class SetStatusCommand : public StoreCommand {
public:
    SetStatusCommand(ProjectStore &store, QVector<QPair<qint64, ImageStatus>> before,
                     ImageStatus after, ErrorSink sink);

protected:
    Status apply() override;
    Status revert() override;

private:
    QVector<QPair<qint64, ImageStatus>> m_before;
    ImageStatus m_after;
};

/// Adds a class; undo deletes it, redo re-inserts the very same row (same id)
/// and gives shapes drawn with it meanwhile their class back.
class AddClassCommand : public StoreCommand {
public:
    AddClassCommand(ProjectStore &store, QString name, QColor color, ErrorSink sink);
    qint64 classId() const { return m_record.id; }

protected:
    Status apply() override;
    Status revert() override;

private:
    ClassRecord m_record; ///< id 0 until the first apply()
    QColor m_requestedColor;
    QVector<ShapeClassRef> m_shapes; ///< shapes of the class when undo removed it
};

class RenameClassCommand : public StoreCommand {
public:
    RenameClassCommand(ProjectStore &store, qint64 classId, QString before, QString after,
                       ErrorSink sink);

protected:
    Status apply() override;
    Status revert() override;

private:
    qint64 m_classId;
    QString m_before;
    QString m_after;
};

class RecolorClassCommand : public StoreCommand {
public:
    RecolorClassCommand(ProjectStore &store, qint64 classId, QColor before, QColor after,
                        ErrorSink sink);

protected:
    Status apply() override;
    Status revert() override;

private:
    qint64 m_classId;
    QColor m_before;
    QColor m_after;
};

/// Merges `from` into `into`, or (into == 0) deletes `from`. Undo puts back
/// the class row, the exact label sets every affected image had, and the
/// class of every shape that had it (merged into `into`, or left without one).
class RemoveClassCommand : public StoreCommand {
public:
    RemoveClassCommand(ProjectStore &store, ClassRecord removed, qint64 into,
                       QVector<LabelSet> affectedBefore, const QString &text, ErrorSink sink);

protected:
    Status apply() override;
    Status revert() override;

private:
    ClassRecord m_removed;
    qint64 m_into;
    QVector<LabelSet> m_before;
    QVector<ShapeClassRef> m_shapes; ///< shapes of `m_removed`, read by each apply()
};

/// Merge: labels of `from` move onto `into`, then `from` goes.
class MergeClassesCommand : public RemoveClassCommand {
public:
    MergeClassesCommand(ProjectStore &store, ClassRecord from, qint64 into,
                        QVector<LabelSet> affectedBefore, ErrorSink sink);
};

/// Delete: the class and its image-level labels go.
class DeleteClassCommand : public RemoveClassCommand {
public:
    DeleteClassCommand(ProjectStore &store, ClassRecord removed, QVector<LabelSet> affectedBefore,
                       ErrorSink sink);
};

} // namespace salient
