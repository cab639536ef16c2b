// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"
#include "core/util/result.h"

#include <QObject>
#include <QVector>

#include <functional>

class QUndoCommand;
class QUndoStack;

namespace salient {

class ProjectStore;

/// The one door through which a person's edits reach the store: each call
/// pushes one QUndoCommand (its redo writes one transaction), so every
/// edit is undoable with Ctrl+Z and redoable with Ctrl+Shift+Z. A write the
/// store refuses is reported through failed() and leaves no command behind.
class EditCommands : public QObject {
    Q_OBJECT
public:
    EditCommands(ProjectStore &store, QUndoStack &stack, QObject *parent = nullptr);

    QUndoStack &stack() const { return m_stack; }

    /// Replaces the labels of each image with exactly `classIds`.
    bool setLabels(const QVector<qint64> &imageIds, const QVector<qint64> &classIds);
    /// If every image has the class, removes it from all; else adds it to all.
    bool toggleLabel(const QVector<qint64> &imageIds, qint64 classId);
    bool clearLabels(const QVector<qint64> &imageIds);
    /// Keys 1-9: replaces (single-label project) or toggles (multi-label project).
    bool applyClassKey(const QVector<qint64> &imageIds, qint64 classId);
    bool setStatus(const QVector<qint64> &imageIds, ImageStatus status);

    /// Returns the new class id, or 0 on failure.
    qint64 addClass(const QString &name, const QColor &color = {});
    bool renameClass(qint64 classId, const QString &name);
    bool recolorClass(qint64 classId, const QColor &color);
    bool mergeClasses(qint64 from, qint64 into);
    bool deleteClass(qint64 classId);

    /// "single" (default) or "multi", stored as the project setting "label_mode".
    bool isMultiLabel() const;
    Status setMultiLabel(bool multi);

Q_SIGNALS:
    void failed(const salient::Error &error);

private:
    /// Runs the command's first write; on success pushes it (the push's own
    /// redo is then a no-op), on failure deletes it and emits failed().
    bool pushChecked(QUndoCommand *command);
    /// One SetLabelsCommand for the images whose set `change` alters.
    bool changeLabels(const QVector<qint64> &imageIds,
                      const std::function<QVector<qint64>(const QVector<qint64> &)> &change,
                      const QString &text);
    /// Label sets of the images carrying a class, as they are now.
    Result<QVector<LabelSet>> labelSetsWithClass(qint64 classId) const;
    bool fail(const Error &error);
    ProjectStore &m_store;
    QUndoStack &m_stack;
};

} // namespace salient
