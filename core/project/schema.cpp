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
    return pragmaInt(db, "PRAGMA user_version", file);
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
