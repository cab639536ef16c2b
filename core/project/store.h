// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/shape.h"
#include "core/project/types.h"
#include "core/util/result.h"

#include <QObject>

#include <functional>
#include <memory>

struct sqlite3;

namespace salient {

/// The project: one SQLite file (`*.salient`, WAL, foreign keys on) holding a
/// dataset and everything done to it.
///
/// One ProjectStore is one connection and belongs to one thread. A worker
/// thread gets its own with connectAgain(); it sees only committed state.
/// Every public write is one transaction: it happens whole or not at all.
/// After a write commits, the matching change signal is emitted (on this
/// connection's object only; other connections learn through dataVersion()).
class ProjectStore : public QObject {
    Q_OBJECT
public:
    enum class OpenMode { ReadWrite, ReadOnly };

    /// Creates a new project file; fails if it exists.
    static Result<std::unique_ptr<ProjectStore>> create(const QString &file);
    /// Opens an existing project, migrating an older schema forward in one
    /// transaction. A newer schema than this build knows is refused.
    static Result<std::unique_ptr<ProjectStore>> open(const QString &file,
                                                      OpenMode mode = OpenMode::ReadWrite);
    /// Another connection to the same file, for another thread.
    Result<std::unique_ptr<ProjectStore>> connectAgain(OpenMode mode = OpenMode::ReadWrite) const;

    ~ProjectStore() override;

    QString filePath() const;   ///< absolute path of the .salient file
    QString directory() const;  ///< folder that holds it; relative image paths start here
    bool isReadOnly() const;
    int schemaVersion() const;
    static int latestSchemaVersion();

    /// Stored form of an absolute path: relative to directory() when inside it.
    QString toStoredPath(const QString &absolutePath) const;
    QString toAbsolutePath(const QString &storedPath) const;

    /// Runs body inside one transaction (BEGIN IMMEDIATE ... COMMIT). If body
    /// fails, everything it wrote is rolled back. Nested calls use savepoints.
    Status transaction(const std::function<Status()> &body);

    // ---- images -------------------------------------------------------
    /// Adds images in one transaction. Paths already in the project are left
    /// alone (their id is 0 in the result). Label names become classes.
    Result<QVector<qint64>> addImages(const QVector<NewImage> &images);
    Result<bool> containsPath(const QString &absolutePath) const;
    /// All stored paths (as stored), for re-import checks.
    Result<QStringList> storedPaths() const;
    /// Stored path -> image id for every image (dataset imports merge into existing images).
    Result<QHash<QString, qint64>> imageIdsByPath() const;
    Result<ImageRecord> image(qint64 id) const;
    Result<QVector<ImageRecord>> images(const QVector<qint64> &ids) const; ///< in the order asked
    Result<qint64> countImages(const ImageFilter &filter = {}) const;
    /// Ids of the matching images ordered by path; limit < 0 means all.
    Result<QVector<qint64>> imageIds(const ImageFilter &filter = {}, qint64 offset = 0,
                                     qint64 limit = -1) const;
    Result<QVector<ImageRecord>> unreadableImages() const;
    /// Groups of image ids with identical content (two or more each).
    Result<QVector<QVector<qint64>>> duplicateGroups() const;
    Status setStatus(const QVector<qint64> &imageIds, ImageStatus status);
    /// New stored paths for moved files (id, absolute path), in one transaction.
    Status setImagePaths(const QVector<QPair<qint64, QString>> &moves);
    Status removeImages(const QVector<qint64> &imageIds);

    // ---- classes ------------------------------------------------------
    Result<QVector<ClassRecord>> classes() const; ///< in display order
    Result<ClassRecord> classById(qint64 id) const;
    /// Adds a class at the end (a distinct colour is picked when none given).
    Result<qint64> addClass(const QString &name, const QColor &color = {});
    /// Restores a class row exactly (for undo of a delete); fails if id or name is taken.
    Status insertClass(const ClassRecord &record);
    Result<qint64> classIdByName(const QString &name) const; ///< NotFound if absent
    Status renameClass(qint64 id, const QString &name);      ///< names are unique
    Status setClassColor(qint64 id, const QColor &color);
    Status setClassOrder(const QVector<qint64> &idsInOrder);
    /// Moves every label of `from` onto `into`, then deletes `from`.
    Status mergeClasses(qint64 from, qint64 into);
    /// Deletes the class with its image-level labels (shapes keep no class).
    Status deleteClass(qint64 id);
    /// Images carrying each class; within one split if given (0: in no split).
    Result<QHash<qint64, qint64>> classImageCounts(std::optional<qint64> splitId = {}) const;

    // ---- image-level labels -------------------------------------------
    Result<QVector<qint64>> labels(qint64 imageId) const; ///< class ids, in class order
    Result<QHash<qint64, QVector<qint64>>> labels(const QVector<qint64> &imageIds) const;
    /// Replaces the label set of each listed image, all in one transaction.
    Status setLabels(const QVector<LabelSet> &sets);

    // ---- splits -------------------------------------------------------
    Result<QVector<SplitRecord>> splits() const;
    Result<qint64> ensureSplit(const QString &name); ///< id of the split, created if missing
    Status setSplitLocked(qint64 splitId, bool locked);
    /// Puts images into a split (0: into none). Images in a locked split are refused.
    Status assignSplit(const QVector<qint64> &imageIds, qint64 splitId);
    Result<QHash<qint64, qint64>> splitImageCounts() const; ///< split id (0 = none) -> images

    // ---- shapes (boxes, polygons, masks) ---------------------------------
    Result<QVector<Shape>> shapes(qint64 imageId) const; ///< in id order
    /// Shapes of many images in one query (export): image id -> its shapes in id order.
    Result<QHash<qint64, QVector<Shape>>> shapesOfImages(const QVector<qint64> &imageIds) const;
    /// Inserts shapes in one transaction; a shape with id > 0 is re-inserted
    /// with that id (undo of a delete), else a new id is assigned. Returns the ids.
    Result<QVector<qint64>> addShapes(const QVector<Shape> &shapes);
    /// Writes class, geometry and attributes of existing shapes, one transaction.
    Status updateShapes(const QVector<Shape> &shapes);
    Status removeShapes(const QVector<qint64> &shapeIds);
    /// Shapes per class id (0: no class), by kind.
    Result<QHash<qint64, ShapeCounts>> shapeCountsByClass() const;

    // ---- statistics (class balance, splitter) ---------------------------
    /// Every readable image with its split and the classes on it, by id.
    Result<QVector<ImageClasses>> imageClasses() const;
    /// (split id (0: none), class id) -> shapes of that class on images of that split.
    Result<QHash<QPair<qint64, qint64>, qint64>> shapeCountsBySplit() const;
    /// (split id (0: none), class id) -> readable images carrying the class (an
    /// image-level label or a shape) in that split. Like shapeCountsBySplit() it
    /// reads totals the schema keeps up to date (class_stats), so neither scans
    /// the shapes: both cost the same for ten shapes or ten million.
    Result<QHash<QPair<qint64, qint64>, qint64>> imageCountsBySplit() const;
    /// image id -> value of metadata `key`, for every image that has it.
    Result<QHash<qint64, QString>> metaValues(const QString &key) const;

    // ---- per-image metadata and project settings ----------------------
    Status setMeta(qint64 imageId, const QString &key, const QString &value);
    Result<QHash<QString, QString>> meta(qint64 imageId) const;
    Result<QString> setting(const QString &key, const QString &fallback = {}) const;
    Status setSetting(const QString &key, const QString &value);

    /// Changes whenever any connection commits (SQLite's data_version).
    qint64 dataVersion() const;

    /// Raw connection for core code in this module (migrations, tests). Not for UI code.
    sqlite3 *handle() const;

Q_SIGNALS:
    void imagesAdded();
    void imagesRemoved();
    void imagesChanged(const QVector<qint64> &ids); ///< status, path or split changed
    void labelsChanged(const QVector<qint64> &imageIds);
    void classesChanged();
    void splitsChanged();
    void shapesChanged(qint64 imageId);

private:
    struct Impl;
    explicit ProjectStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace salient
