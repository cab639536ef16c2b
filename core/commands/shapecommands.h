// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The QUndoCommand for each kind of shape edit that AnnotationDocument
// pushes. UI code calls AnnotationDocument, not these.

#include "core/annotation/shape.h"
#include "core/util/result.h"

#include <QUndoCommand>
#include <QVector>

namespace salient {

class AnnotationDocument;

/// A shape as history keeps it: geometry in the store's compact encoding
/// (run-length masks), decoded only when the command writes it back.
struct StoredShape {
    qint64 id = 0;
    qint64 imageId = 0;
    qint64 classId = 0;
    ShapeKind kind = ShapeKind::Box;
    QByteArray geometry; ///< encodeGeometry()
    QString attributes;

    static StoredShape from(const Shape &shape);
    Result<Shape> toShape() const;
};

/// Common base, the StoreCommand pattern (core/commands/labelcommands.h):
/// redo() calls apply(), undo() calls revert(); each is one store transaction
/// through the document, which then updates its shapes and emits. The document
/// runs applyFirst() before the push, so a refused write never reaches the
/// stack, and the push's own redo() is a no-op. A failure in a later redo or
/// undo is reported through AnnotationDocument::failed().
class ShapeCommand : public QUndoCommand {
public:
    ShapeCommand(AnnotationDocument &document, const QString &text);

    Status applyFirst();
    void redo() override;
    void undo() override;
    /// Bytes this command keeps (for the history's memory bound).
    virtual qint64 bytes() const = 0;

protected:
    virtual Status apply() = 0;
    virtual Status revert() = 0;
    AnnotationDocument &m_doc;

private:
    bool m_skipRedo = false;
};

/// Adds shapes; undo removes them, redo re-inserts them with the same ids
/// (later commands in the history refer to those ids).
class AddShapesCommand : public ShapeCommand {
public:
    AddShapesCommand(AnnotationDocument &document, const QVector<Shape> &shapes,
                     const QString &text);
    QVector<qint64> ids() const;
    qint64 bytes() const override;

protected:
    Status apply() override;
    Status revert() override;

private:
    QVector<StoredShape> m_shapes; ///< ids 0 until the first apply()
};

/// Removes shapes; undo re-inserts them exactly, with the same ids.
class RemoveShapesCommand : public ShapeCommand {
public:
    RemoveShapesCommand(AnnotationDocument &document, const QVector<Shape> &removed,
                        const QString &text);
    qint64 bytes() const override;

protected:
    Status apply() override;
    Status revert() override;

private:
    QVector<StoredShape> m_removed;
};

/// New geometry for one shape. Commands of the same non-zero gesture on the
/// same shape merge: the first "before" and the last "after" are kept.
class SetGeometryCommand : public ShapeCommand {
public:
    static constexpr int kMergeId = 0x53470001; ///< QUndoCommand::id() of gesture edits

    SetGeometryCommand(AnnotationDocument &document, qint64 shapeId, const Geometry &before,
                       const Geometry &after, int gestureId, const QString &text);
    int id() const override { return m_gestureId != 0 ? kMergeId : -1; }
    bool mergeWith(const QUndoCommand *other) override;
    qint64 bytes() const override;
    qint64 shapeId() const { return m_shapeId; }
    int gestureId() const { return m_gestureId; }

protected:
    Status apply() override;
    Status revert() override;

private:
    Status write(ShapeKind kind, const QByteArray &geometry);
    qint64 m_shapeId;
    int m_gestureId;
    ShapeKind m_beforeKind;
    QByteArray m_before;
    ShapeKind m_afterKind;
    QByteArray m_after;
};

/// Gives shapes a class (0: none); undo gives each its own old class back.
class SetShapeClassCommand : public ShapeCommand {
public:
    SetShapeClassCommand(AnnotationDocument &document, QVector<QPair<qint64, qint64>> before,
                         qint64 classId, const QString &text);
    qint64 bytes() const override;

protected:
    Status apply() override;
    Status revert() override;

private:
    QVector<QPair<qint64, qint64>> m_before; ///< shape id, its class id before
    qint64 m_classId;
};

/// Removes some shapes and adds others in one transaction (e.g. polygon to
/// mask); undo puts the removed ones back with their ids.
class ReplaceShapesCommand : public ShapeCommand {
public:
    ReplaceShapesCommand(AnnotationDocument &document, const QVector<Shape> &removed,
                         const QVector<Shape> &added, const QString &text);
    QVector<qint64> addedIds() const;
    qint64 bytes() const override;

protected:
    Status apply() override;
    Status revert() override;

private:
    QVector<StoredShape> m_removed;
    QVector<StoredShape> m_added; ///< ids 0 until the first apply()
};

} // namespace salient
