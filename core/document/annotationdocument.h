// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/shape.h"
#include "core/util/result.h"

#include <QObject>
#include <QSize>
#include <QUndoGroup>
#include <QUndoStack>
#include <QVector>

#include <memory>

namespace salient {

class ProjectStore;
class ShapeCommand;

/// One image's annotations under edit: its shapes as loaded from the store,
/// and the undo history of the edits made to them.
///
/// Every edit is one QUndoCommand on this document's stack; each redo and
/// undo writes one store transaction at once (there is no Save and no unsaved
/// state), then updates the shapes in memory and emits typed signals. A write
/// the store refuses emits failed() and leaves neither a command nor a change.
/// Edits with the same non-zero gestureId in a row merge into one command
/// (e.g. arrow-key nudges, or a stroke continued), so one Ctrl+Z undoes them.
/// Commands keep geometry in the store's compact encoding, so history is cheap.
/// A gesture returning to where it began leaves no command at all.
///
/// An edit that changes nothing pushes nothing and returns true. Degenerate
/// geometry (a box without area, a polygon under three vertices, an empty
/// mask: remove the shape instead) is refused through failed(). Changes that
/// other writers on the same connection make to this image's shapes (an
/// import, the undo of a class merge or delete) are re-read and announced with
/// the same signals. A signal comes after the commit, with the document whole.
/// GUI thread only.
class AnnotationDocument : public QObject {
    Q_OBJECT
public:
    /// Loads the shapes of an image (sized as displayed, EXIF applied).
    static Result<std::unique_ptr<AnnotationDocument>> load(ProjectStore &store, qint64 imageId,
                                                            QObject *parent = nullptr);
    ~AnnotationDocument() override;

    qint64 imageId() const { return m_imageId; }
    QSize imageSize() const { return m_imageSize; }
    const QVector<Shape> &shapes() const { return m_shapes; }
    const Shape *shape(qint64 shapeId) const; ///< nullptr when absent
    QUndoStack &undoStack() { return m_stack; }
    ProjectStore &store() const { return m_store; }

    /// Returns the new shape's id, or 0 on failure.
    qint64 addShape(qint64 classId, const Geometry &geometry, const QString &attributes = {});
    bool removeShapes(const QVector<qint64> &shapeIds);
    /// New geometry for one shape (move, resize, vertex edit, brush stroke).
    /// One id per gesture (e.g. a counter the tool bumps on mouse press):
    /// calls in a row with the same non-zero id on the same shape merge.
    bool setGeometry(qint64 shapeId, const Geometry &geometry, int gestureId = 0);
    bool setShapeClass(const QVector<qint64> &shapeIds, qint64 classId);
    /// Replaces shapes by others in one command (e.g. polygon -> mask conversion).
    /// Returns the new ids (empty on failure).
    QVector<qint64> replaceShapes(const QVector<qint64> &removeIds, const QVector<Shape> &added,
                                  const QString &text);

    // Used by the commands (core/commands/shapecommands.h): write + update memory.
    Status storeAdd(QVector<Shape> &shapes); ///< assigns ids when 0
    Status storeRemove(const QVector<qint64> &shapeIds);
    Status storeUpdate(const QVector<Shape> &shapes);
    /// Removes and adds in ONE transaction (assigns ids to `added` when 0).
    Status storeReplace(const QVector<qint64> &removeIds, QVector<Shape> &added);

    /// Bytes the undo history keeps (commands hold encoded geometry).
    qint64 historyBytes() const;

Q_SIGNALS:
    void shapeAdded(qint64 shapeId);
    void shapeRemoved(qint64 shapeId);
    void shapeChanged(qint64 shapeId);
    void failed(const salient::Error &error);

private:
    AnnotationDocument(ProjectStore &store, qint64 imageId, QSize imageSize, QVector<Shape> shapes,
                       QObject *parent);
    bool push(ShapeCommand *command);
    bool fail(const Error &error);
    /// Puts committed changes into m_shapes (kept in id order) and emits.
    void applyInMemory(const QVector<qint64> &removed, const QVector<Shape> &added,
                       const QVector<Shape> &updated);
    /// Another writer changed this image's shapes (or their classes): re-read and emit the
    /// difference.
    void reloadFromStore();
    void checkClasses();
    int indexOf(qint64 shapeId) const;

    ProjectStore &m_store;
    qint64 m_imageId;
    QSize m_imageSize;
    QVector<Shape> m_shapes;
    QUndoStack m_stack;
    int m_writing = 0; ///< > 0 while this document writes: its own shapesChanged is no news
};

/// The documents of the images visited, so that each image's undo history
/// survives switching to another image and back. Documents whose history is
/// empty are dropped first; beyond `maxDocuments`, or beyond `maxHistoryBytes`
/// of history in all, the least recently used go (their committed work is in
/// the store either way; only their undo history is lost). The document just
/// asked for is never dropped. Documents of removed images are dropped.
class DocumentCache : public QObject {
    Q_OBJECT
public:
    explicit DocumentCache(ProjectStore &store, int maxDocuments = 200, QObject *parent = nullptr);
    ~DocumentCache() override;
    /// The document of an image, loaded on first use; nullptr with failed() on error.
    /// Its undo stack becomes the active stack of undoGroup(). The pointer stays
    /// valid until a later document() call may drop it, or clear().
    AnnotationDocument *document(qint64 imageId);
    void clear();

    /// Every cached document's stack; the active one is the last asked for, so
    /// the GUI's Undo/Redo actions can come from QUndoGroup::createUndoAction().
    QUndoGroup &undoGroup() { return m_group; }
    int size() const { return int(m_lru.size()); }
    bool contains(qint64 imageId) const;
    void setMaxHistoryBytes(qint64 bytes) { m_maxBytes = bytes; }

Q_SIGNALS:
    void failed(const salient::Error &error);

private:
    void evict();
    void dropRemovedImages();

    ProjectStore &m_store;
    int m_max;
    qint64 m_maxBytes = 256LL * 1024 * 1024;
    QUndoGroup m_group;
    QVector<AnnotationDocument *> m_lru; ///< owned (Qt parent = this), most recent last
};

} // namespace salient
