// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/project/schema.h"

#include <QDir>

#include <sqlite3.h>

namespace salient::schema {

namespace {

// Forward migrations, in order: kMigrations[i] takes a file from version i to
// i + 1. Never edit a shipped step; append a new one. Class names are unique
// without regard to ASCII case (COLLATE NOCASE), so "Cat" and "cat" from two
// folders become one class instead of two that look alike.
const char *const kMigrations[] = {
    // 1: the dataset: images, classes, image-level labels, project settings.
    R"sql(
CREATE TABLE settings(
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE images(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL DEFAULT '',
  file_size INTEGER NOT NULL DEFAULT 0,
  mtime INTEGER NOT NULL DEFAULT 0,
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  orientation INTEGER NOT NULL DEFAULT 1,
  format TEXT NOT NULL DEFAULT '',
  bit_depth INTEGER NOT NULL DEFAULT 8,
  channels INTEGER NOT NULL DEFAULT 3,
  status INTEGER NOT NULL DEFAULT 0,
  readable INTEGER NOT NULL DEFAULT 1,
  unreadable_reason TEXT NOT NULL DEFAULT '',
  added_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE classes(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  color TEXT NOT NULL,
  ord INTEGER NOT NULL
);
CREATE TABLE image_labels(
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  PRIMARY KEY(image_id, class_id)
) WITHOUT ROWID;
CREATE INDEX image_labels_class ON image_labels(class_id);
)sql",
    // 2: splits, per-image metadata, and indexes for the browser's filters.
    R"sql(
CREATE TABLE splits(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  locked INTEGER NOT NULL DEFAULT 0
);
ALTER TABLE images ADD COLUMN split_id INTEGER REFERENCES splits(id) ON DELETE SET NULL;
CREATE TABLE image_meta(
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(image_id, key)
) WITHOUT ROWID;
CREATE INDEX images_hash ON images(hash);
CREATE INDEX images_split ON images(split_id);
CREATE INDEX images_status ON images(status);
)sql",
    // 3: shapes (boxes, polygons, masks) for the canvas; unreadable images listed fast.
    R"sql(
CREATE TABLE shapes(
  id INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  class_id INTEGER REFERENCES classes(id) ON DELETE SET NULL,
  kind TEXT NOT NULL CHECK(kind IN ('box', 'polygon', 'mask')),
  geometry BLOB NOT NULL,
  attributes TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX shapes_image ON shapes(image_id);
CREATE INDEX shapes_class ON shapes(class_id);
CREATE INDEX images_unreadable ON images(id) WHERE readable = 0;
)sql",
    // 4: training runs. The snapshot (run_images) keeps no foreign key to images:
    // a run must still say what it was trained on after images are deleted.
    // Checkpoints keep a rowid (large blobs belong in rowid tables).
    R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK(state IN ('running', 'paused', 'cancelled', 'failed', 'finished')),
  message TEXT NOT NULL DEFAULT '',
  config TEXT NOT NULL,
  class_ids TEXT NOT NULL DEFAULT '[]',
  class_names TEXT NOT NULL DEFAULT '[]',
  epochs_done INTEGER NOT NULL DEFAULT 0,
  best_epoch INTEGER NOT NULL DEFAULT -1,
  best_value REAL NOT NULL DEFAULT 0,
  best_metrics TEXT NOT NULL DEFAULT '',
  test_metrics TEXT NOT NULL DEFAULT ''
);
CREATE TABLE run_images(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL,
  role INTEGER NOT NULL CHECK(role IN (0, 1, 2)),
  PRIMARY KEY(run_id, image_id)
) WITHOUT ROWID;
CREATE TABLE run_epochs(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  step INTEGER NOT NULL DEFAULT 0,
  train_loss REAL NOT NULL DEFAULT -1,
  train_accuracy REAL NOT NULL DEFAULT -1,
  val_loss REAL NOT NULL DEFAULT -1,
  val_accuracy REAL NOT NULL DEFAULT -1,
  val_macro_f1 REAL NOT NULL DEFAULT -1,
  learning_rate REAL NOT NULL DEFAULT -1,
  seconds REAL NOT NULL DEFAULT -1,
  images_per_second REAL NOT NULL DEFAULT -1,
  val_metrics TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(run_id, epoch)
) WITHOUT ROWID;
CREATE TABLE run_checkpoints(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK(kind IN ('last', 'best')),
  epoch INTEGER NOT NULL,
  step INTEGER NOT NULL,
  batch_in_epoch INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE(run_id, kind)
);
CREATE TABLE run_predictions(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL,
  role INTEGER NOT NULL CHECK(role IN (0, 1, 2)),
  truth TEXT NOT NULL,
  predicted TEXT NOT NULL,
  probabilities BLOB NOT NULL,
  PRIMARY KEY(run_id, role, image_id)
) WITHOUT ROWID;
)sql",
    // 5: expert review. One verdict per (run, image), every change kept in an
    // append-only history (a trigger refuses edits; cascades may still delete),
    // and explanations with their low-resolution maps (encodeMap blobs).
    // Unlike the run snapshot these follow their images: a deleted image takes
    // its reviews and maps with it.
    R"sql(
CREATE TABLE reviews(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  verdict INTEGER NOT NULL CHECK(verdict BETWEEN 0 AND 4),
  note TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  PRIMARY KEY(run_id, image_id)
) WITHOUT ROWID;
CREATE INDEX reviews_image ON reviews(image_id);
CREATE TABLE review_history(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  verdict INTEGER NOT NULL CHECK(verdict BETWEEN 0 AND 4),
  note TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL DEFAULT '',
  changed_at INTEGER NOT NULL
);
CREATE INDEX review_history_key ON review_history(run_id, image_id, id);
CREATE INDEX review_history_image ON review_history(image_id);
CREATE TRIGGER review_history_append_only BEFORE UPDATE ON review_history
BEGIN
  SELECT RAISE(ABORT, 'the review history is append-only');
END;
CREATE TABLE explanations(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  method TEXT NOT NULL,
  layer TEXT NOT NULL,
  target INTEGER NOT NULL,
  predicted INTEGER NOT NULL,
  confidence REAL NOT NULL,
  target_probability REAL NOT NULL,
  probabilities BLOB NOT NULL,
  deletion_score REAL NOT NULL DEFAULT -1,
  deletion_curve BLOB NOT NULL,
  map BLOB NOT NULL,
  image_width INTEGER NOT NULL,
  image_height INTEGER NOT NULL,
  crop_x INTEGER NOT NULL,
  crop_y INTEGER NOT NULL,
  crop_width INTEGER NOT NULL,
  crop_height INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE(run_id, image_id, method, layer, target)
);
CREATE INDEX explanations_image ON explanations(image_id);
)sql",
    // 6: scale (issue #9). The class balance read every shape and label of the
    // project (a million shapes: half a second per refresh, after every edit).
    // class_stats keeps its totals per (split, class) instead, maintained by
    // triggers so that every writer (the store, imports, cascades of a deleted
    // image or class) keeps them right: `image_count` counts readable images that
    // carry the class (image-level label or shape), `shape_count` the shapes of
    // the class on readable images. A trigger sees the row it fired for already
    // written, so "carries" is re-checked on the remaining rows; FK actions run
    // after the parent row is gone, so children of a deleted image find no image
    // and leave the totals to the image's own BEFORE DELETE trigger.
    // shapes(image_id, class_id) serves those checks and replaces shapes_image.
    // images.annotations (labels + shapes, also kept by triggers) lets the
    // "unlabelled" filter and count read a partial index instead of probing two
    // tables for each of 100,000 images; (split_id, path) and (status, path)
    // return a filtered grid already in path order (no sort of 80,000 paths);
    // images_split and images_status stay, smaller for counts per split.
    // shape_kinds: shapes per (class (0: none), kind) for `salient-cli info`.
    R"sql(
CREATE INDEX shapes_image_class ON shapes(image_id, class_id);
DROP INDEX shapes_image;
CREATE INDEX images_split_path ON images(split_id, path);
CREATE INDEX images_status_path ON images(status, path);
ALTER TABLE images ADD COLUMN annotations INTEGER NOT NULL DEFAULT 0;
UPDATE images SET annotations =
  (SELECT COUNT(*) FROM image_labels l WHERE l.image_id = images.id)
  + (SELECT COUNT(*) FROM shapes s WHERE s.image_id = images.id);
CREATE INDEX images_unannotated ON images(path, annotations) WHERE annotations = 0;
CREATE TRIGGER annotations_label_insert AFTER INSERT ON image_labels
BEGIN
  UPDATE images SET annotations = annotations + 1 WHERE id = new.image_id;
END;
CREATE TRIGGER annotations_label_delete AFTER DELETE ON image_labels
BEGIN
  UPDATE images SET annotations = annotations - 1 WHERE id = old.image_id;
END;
CREATE TRIGGER annotations_label_move AFTER UPDATE OF image_id ON image_labels
WHEN old.image_id IS NOT new.image_id
BEGIN
  UPDATE images SET annotations = annotations - 1 WHERE id = old.image_id;
  UPDATE images SET annotations = annotations + 1 WHERE id = new.image_id;
END;
CREATE TRIGGER annotations_shape_insert AFTER INSERT ON shapes
BEGIN
  UPDATE images SET annotations = annotations + 1 WHERE id = new.image_id;
END;
CREATE TRIGGER annotations_shape_delete AFTER DELETE ON shapes
BEGIN
  UPDATE images SET annotations = annotations - 1 WHERE id = old.image_id;
END;
CREATE TRIGGER annotations_shape_move AFTER UPDATE OF image_id ON shapes
WHEN old.image_id IS NOT new.image_id
BEGIN
  UPDATE images SET annotations = annotations - 1 WHERE id = old.image_id;
  UPDATE images SET annotations = annotations + 1 WHERE id = new.image_id;
END;
CREATE TABLE class_stats(
  split_id INTEGER NOT NULL,
  class_id INTEGER NOT NULL,
  image_count INTEGER NOT NULL DEFAULT 0,
  shape_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(split_id, class_id)
) WITHOUT ROWID;
INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
SELECT split_id, class_id, COUNT(*), SUM(n) FROM (
  SELECT COALESCE(i.split_id, 0) AS split_id, c.class_id AS class_id,
         (SELECT COUNT(*) FROM shapes s WHERE s.image_id = i.id AND s.class_id = c.class_id) AS n
  FROM images i JOIN (SELECT image_id, class_id FROM image_labels
                      UNION SELECT image_id, class_id FROM shapes WHERE class_id IS NOT NULL) c
    ON c.image_id = i.id
  WHERE i.readable = 1)
GROUP BY split_id, class_id;
CREATE TRIGGER class_stats_label_insert AFTER INSERT ON image_labels
BEGIN
  INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
  SELECT COALESCE(i.split_id, 0), new.class_id,
         NOT EXISTS (SELECT 1 FROM shapes s
                     WHERE s.image_id = new.image_id AND s.class_id = new.class_id), 0
  FROM images i WHERE i.id = new.image_id AND i.readable = 1
  ON CONFLICT(split_id, class_id) DO UPDATE SET image_count = image_count + excluded.image_count;
END;
CREATE TRIGGER class_stats_label_delete AFTER DELETE ON image_labels
BEGIN
  UPDATE class_stats SET image_count = image_count - 1
  WHERE class_id = old.class_id
    AND split_id = (SELECT COALESCE(i.split_id, 0) FROM images i
                    WHERE i.id = old.image_id AND i.readable = 1)
    AND NOT EXISTS (SELECT 1 FROM shapes s
                    WHERE s.image_id = old.image_id AND s.class_id = old.class_id);
END;
CREATE TRIGGER class_stats_label_update AFTER UPDATE ON image_labels
WHEN old.image_id IS NOT new.image_id OR old.class_id IS NOT new.class_id
BEGIN
  UPDATE class_stats SET image_count = image_count - 1
  WHERE class_id = old.class_id
    AND split_id = (SELECT COALESCE(i.split_id, 0) FROM images i
                    WHERE i.id = old.image_id AND i.readable = 1)
    AND NOT EXISTS (SELECT 1 FROM shapes s
                    WHERE s.image_id = old.image_id AND s.class_id = old.class_id);
  INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
  SELECT COALESCE(i.split_id, 0), new.class_id,
         NOT EXISTS (SELECT 1 FROM shapes s
                     WHERE s.image_id = new.image_id AND s.class_id = new.class_id), 0
  FROM images i WHERE i.id = new.image_id AND i.readable = 1
  ON CONFLICT(split_id, class_id) DO UPDATE SET image_count = image_count + excluded.image_count;
END;
CREATE TRIGGER class_stats_shape_insert AFTER INSERT ON shapes
WHEN new.class_id IS NOT NULL
BEGIN
  INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
  SELECT COALESCE(i.split_id, 0), new.class_id,
         NOT EXISTS (SELECT 1 FROM image_labels l
                     WHERE l.image_id = new.image_id AND l.class_id = new.class_id)
         AND NOT EXISTS (SELECT 1 FROM shapes s WHERE s.image_id = new.image_id
                         AND s.class_id = new.class_id AND s.id <> new.id), 1
  FROM images i WHERE i.id = new.image_id AND i.readable = 1
  ON CONFLICT(split_id, class_id) DO UPDATE SET image_count = image_count + excluded.image_count,
                                                shape_count = shape_count + excluded.shape_count;
END;
CREATE TRIGGER class_stats_shape_delete AFTER DELETE ON shapes
WHEN old.class_id IS NOT NULL
BEGIN
  UPDATE class_stats SET shape_count = shape_count - 1,
    image_count = image_count - (NOT EXISTS (SELECT 1 FROM image_labels l
                                   WHERE l.image_id = old.image_id AND l.class_id = old.class_id)
                       AND NOT EXISTS (SELECT 1 FROM shapes s
                                       WHERE s.image_id = old.image_id AND s.class_id = old.class_id))
  WHERE class_id = old.class_id
    AND split_id = (SELECT COALESCE(i.split_id, 0) FROM images i
                    WHERE i.id = old.image_id AND i.readable = 1);
END;
CREATE TRIGGER class_stats_shape_update AFTER UPDATE OF image_id, class_id ON shapes
WHEN old.image_id IS NOT new.image_id OR old.class_id IS NOT new.class_id
BEGIN
  UPDATE class_stats SET shape_count = shape_count - 1,
    image_count = image_count - (NOT EXISTS (SELECT 1 FROM image_labels l
                                   WHERE l.image_id = old.image_id AND l.class_id = old.class_id)
                       AND NOT EXISTS (SELECT 1 FROM shapes s
                                       WHERE s.image_id = old.image_id AND s.class_id = old.class_id))
  WHERE old.class_id IS NOT NULL AND class_id = old.class_id
    AND split_id = (SELECT COALESCE(i.split_id, 0) FROM images i
                    WHERE i.id = old.image_id AND i.readable = 1);
  INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
  SELECT COALESCE(i.split_id, 0), new.class_id,
         NOT EXISTS (SELECT 1 FROM image_labels l
                     WHERE l.image_id = new.image_id AND l.class_id = new.class_id)
         AND NOT EXISTS (SELECT 1 FROM shapes s WHERE s.image_id = new.image_id
                         AND s.class_id = new.class_id AND s.id <> new.id), 1
  FROM images i WHERE new.class_id IS NOT NULL AND i.id = new.image_id AND i.readable = 1
  ON CONFLICT(split_id, class_id) DO UPDATE SET image_count = image_count + excluded.image_count,
                                                shape_count = shape_count + excluded.shape_count;
END;
CREATE TRIGGER class_stats_image_update AFTER UPDATE OF split_id, readable ON images
WHEN old.split_id IS NOT new.split_id OR old.readable IS NOT new.readable
BEGIN
  INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
  SELECT COALESCE(old.split_id, 0), c.class_id, -1,
         -(SELECT COUNT(*) FROM shapes s WHERE s.image_id = old.id AND s.class_id = c.class_id)
  FROM (SELECT class_id FROM image_labels WHERE image_id = old.id
        UNION SELECT class_id FROM shapes WHERE image_id = old.id AND class_id IS NOT NULL) c
  WHERE old.readable = 1
  ON CONFLICT(split_id, class_id) DO UPDATE SET image_count = image_count + excluded.image_count,
                                                shape_count = shape_count + excluded.shape_count;
  INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
  SELECT COALESCE(new.split_id, 0), c.class_id, 1,
         (SELECT COUNT(*) FROM shapes s WHERE s.image_id = new.id AND s.class_id = c.class_id)
  FROM (SELECT class_id FROM image_labels WHERE image_id = new.id
        UNION SELECT class_id FROM shapes WHERE image_id = new.id AND class_id IS NOT NULL) c
  WHERE new.readable = 1
  ON CONFLICT(split_id, class_id) DO UPDATE SET image_count = image_count + excluded.image_count,
                                                shape_count = shape_count + excluded.shape_count;
END;
CREATE TRIGGER class_stats_image_delete BEFORE DELETE ON images
WHEN old.readable = 1
BEGIN
  INSERT INTO class_stats(split_id, class_id, image_count, shape_count)
  SELECT COALESCE(old.split_id, 0), c.class_id, -1,
         -(SELECT COUNT(*) FROM shapes s WHERE s.image_id = old.id AND s.class_id = c.class_id)
  FROM (SELECT class_id FROM image_labels WHERE image_id = old.id
        UNION SELECT class_id FROM shapes WHERE image_id = old.id AND class_id IS NOT NULL) c
  WHERE true
  ON CONFLICT(split_id, class_id) DO UPDATE SET image_count = image_count + excluded.image_count,
                                                shape_count = shape_count + excluded.shape_count;
END;
CREATE TRIGGER class_stats_class_delete AFTER DELETE ON classes
BEGIN
  DELETE FROM class_stats WHERE class_id = old.id;
END;
CREATE TABLE shape_kinds(
  class_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  shape_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(class_id, kind)
) WITHOUT ROWID;
INSERT INTO shape_kinds(class_id, kind, shape_count)
SELECT COALESCE(class_id, 0), kind, COUNT(*) FROM shapes GROUP BY 1, 2;
CREATE TRIGGER shape_kinds_insert AFTER INSERT ON shapes
BEGIN
  INSERT INTO shape_kinds(class_id, kind, shape_count) VALUES (COALESCE(new.class_id, 0), new.kind, 1)
  ON CONFLICT(class_id, kind) DO UPDATE SET shape_count = shape_count + 1;
END;
CREATE TRIGGER shape_kinds_delete AFTER DELETE ON shapes
BEGIN
  UPDATE shape_kinds SET shape_count = shape_count - 1
  WHERE class_id = COALESCE(old.class_id, 0) AND kind = old.kind;
END;
CREATE TRIGGER shape_kinds_update AFTER UPDATE OF class_id, kind ON shapes
WHEN old.class_id IS NOT new.class_id OR old.kind IS NOT new.kind
BEGIN
  UPDATE shape_kinds SET shape_count = shape_count - 1
  WHERE class_id = COALESCE(old.class_id, 0) AND kind = old.kind;
  INSERT INTO shape_kinds(class_id, kind, shape_count) VALUES (COALESCE(new.class_id, 0), new.kind, 1)
  ON CONFLICT(class_id, kind) DO UPDATE SET shape_count = shape_count + 1;
END;
)sql",
};

constexpr int kLatest = int(sizeof(kMigrations) / sizeof(kMigrations[0]));

Error dbError(sqlite3 *db, const QString &file, const QString &context)
{
    return makeError(Error::Code::Database,
                     QStringLiteral("database error: %1: %2").arg(
                                        context, QString::fromUtf8(sqlite3_errmsg(db))),
                                    QDir::toNativeSeparators(file));
}

Status execSql(sqlite3 *db, const QByteArray &sql, const QString &file, const QString &context)
{
    char *msg = nullptr;
    if (sqlite3_exec(db, sql.constData(), nullptr, nullptr, &msg) != SQLITE_OK) {
        const QString text = msg ? QString::fromUtf8(msg) : QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_free(msg);
        return makeError(Error::Code::Database,
                         QStringLiteral("database error: %1: %2").arg(context, text),
                                        QDir::toNativeSeparators(file));
    }
    return {};
}

Result<int> pragmaInt(sqlite3 *db, const char *sql, const QString &file)
{
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        return dbError(db, file, QStringLiteral("reading the project header"));
    }
    const int rc = sqlite3_step(st);
    const int v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return dbError(db, file, QStringLiteral("reading the project header"));
    return v;
}

} // namespace

int latestVersion()
{
    return kLatest;
}

Result<int> userVersion(sqlite3 *db, const QString &file)
{
    auto v = pragmaInt(db, "PRAGMA user_version", file);
    // Any 32-bit number can sit in the header; a negative one would index the
    // migrations before their start.
    if (v.ok() && v.value() < 0)
        return makeError(Error::Code::Parse,
                         QStringLiteral("the project's schema version (%1) is not valid: the "
                                        "file is damaged or not a Salient project")
                             .arg(v.value()),
                         QDir::toNativeSeparators(file));
    return v;
}

Result<int> applicationId(sqlite3 *db, const QString &file)
{
    return pragmaInt(db, "PRAGMA application_id", file);
}

Status migrateTo(sqlite3 *db, int version, const QString &file)
{
    if (version < 0 || version > kLatest)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("unknown schema version %1").arg(version),
                                        QDir::toNativeSeparators(file));
    const bool outermost = sqlite3_get_autocommit(db) != 0;
    SALIENT_TRY(execSql(db, outermost ? "BEGIN IMMEDIATE" : "SAVEPOINT migrate", file,
                        QStringLiteral("starting the schema upgrade")));
    auto fail = [&](Error e) -> Status {
        (void)execSql(db, outermost ? "ROLLBACK" : "ROLLBACK TO migrate; RELEASE migrate", file,
                      {});
        return e;
    };
    // Read inside the transaction, so two processes upgrading at once cannot both apply a step.
    auto current = userVersion(db, file);
    if (!current.ok())
        return fail(current.error());
    if (current.value() > version)
        return fail(
            makeError(Error::Code::Unsupported,
                      QStringLiteral("cannot downgrade the project from schema version %1 to %2")
                                         .arg(current.value())
                                         .arg(version),
                                     QDir::toNativeSeparators(file)));
    for (int v = current.value(); v < version; ++v) {
        Status s = execSql(db, kMigrations[v], file,
                           QStringLiteral("upgrading the schema to version %1").arg(v + 1));
        if (!s.ok())
            return fail(s.error());
    }
    // Pragmas take no bound values; these numbers come from this file, never from input.
    const QByteArray stamp = "PRAGMA application_id = " + QByteArray::number(kApplicationId)
                             + "; PRAGMA user_version = " + QByteArray::number(version) + ";";
    Status s = execSql(db, stamp, file, QStringLiteral("stamping the schema version"));
    if (!s.ok())
        return fail(s.error());
    s = execSql(db, outermost ? "COMMIT" : "RELEASE migrate", file,
                QStringLiteral("committing the schema upgrade"));
    if (!s.ok())
        return fail(s.error());
    return {};
}

} // namespace salient::schema
