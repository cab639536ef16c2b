// SPDX-License-Identifier: GPL-3.0-or-later
// Schema migrations: a project written at every earlier schema version opens,
// keeps its rows and ends with exactly the schema of a fresh project.
#include "core/project/schema.h"
#include "core/project/store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace salient;

namespace {

bool exec(sqlite3 *db, const char *sql)
{
    char *msg = nullptr;
    const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK;
    if (!ok)
        qWarning("SQL failed: %s: %s", sql, msg);
    sqlite3_free(msg);
    return ok;
}

/// type, name and SQL of every table and index, sorted: the schema as SQLite sees it.
QStringList schemaOf(sqlite3 *db)
{
    QStringList out;
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master "
                       "WHERE type IN ('table', 'index') ORDER BY name",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
        out << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    return out;
}

} // namespace

class StoreMigrationsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void upgradesFromEveryEarlierVersion_data()
    {
        QTest::addColumn<int>("from");
        QVERIFY(schema::latestVersion() >= 3);
        for (int v = 1; v < schema::latestVersion(); ++v)
            QTest::addRow("from schema version %d", v) << v;
    }

    void upgradesFromEveryEarlierVersion()
    {
        QFETCH(int, from);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("old.salient"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
        QVERIFY(exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON"));
        QVERIFY(schema::migrateTo(db, from, file).ok());
        QCOMPARE(schema::userVersion(db, file).value(), from);
        // Rows as a build of that version would have written them.
        QVERIFY(exec(
            db, "INSERT INTO images(id, path, hash, width, height, status, added_at) "
                "VALUES (1, 'a/1.png', 'h1', 640, 480, 2, 5), (2, 'a/2.png', 'h1', 10, 20, 0, 6);"
                "INSERT INTO classes(id, name, color, ord) VALUES (7, 'cat', '#ff0000', 0), "
                "(8, 'dog', '#00ff00', 1);"
                "INSERT INTO image_labels VALUES (1, 7), (1, 8), (2, 8);"
                "INSERT INTO settings VALUES ('model', 'resnet18');"));
        if (from >= 2)
            QVERIFY(exec(db, "INSERT INTO splits(id, name, locked) VALUES (3, 'test', 1);"
                             "UPDATE images SET split_id = 3 WHERE id = 2;"
                             "INSERT INTO image_meta VALUES (1, 'patient', 'P17');"));
        sqlite3_close(db);

        auto opened = ProjectStore::open(file);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
        ProjectStore &s = *opened.value();
        QCOMPARE(s.schemaVersion(), schema::latestVersion());
        QCOMPARE(schema::userVersion(s.handle(), file).value(), schema::latestVersion());
        QCOMPARE(s.countImages().value(), qint64(2));
        QCOMPARE(s.image(1)->status, ImageStatus::Done);
        QCOMPARE(s.image(2)->duplicateOf, qint64(1));
        QCOMPARE(s.labels(1).value(), (QVector<qint64>{7, 8}));
        QCOMPARE(s.classById(7)->color, QColor(Qt::red));
        QCOMPARE(s.setting(QStringLiteral("model")).value(), QStringLiteral("resnet18"));
        if (from >= 2) {
            QCOMPARE(s.image(2)->splitId, qint64(3));
            QCOMPARE(s.meta(1)->value(QStringLiteral("patient")), QStringLiteral("P17"));
        }
        // The upgraded file works with features added later (shapes arrived in version 3).
        QVERIFY(exec(
            s.handle(),
            "INSERT INTO shapes(image_id, class_id, kind, geometry) VALUES (1, 7, 'box', x'00')"));
        QVERIFY(s.deleteClass(7).ok());
        QVERIFY(s.removeImages({1}).ok());

        const QString freshFile = dir.filePath(QStringLiteral("fresh.salient"));
        auto fresh = ProjectStore::create(freshFile);
        QVERIFY(fresh.ok());
        QCOMPARE(schemaOf(s.handle()), schemaOf(fresh.value()->handle()));
    }

    void version3ProjectGainsRunTablesAndKeepsItsData()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("v3.salient"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
        QVERIFY(exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON"));
        QVERIFY(schema::migrateTo(db, 3, file).ok());
        QVERIFY(exec(db, "INSERT INTO images(id, path, hash, width, height, added_at) "
                         "VALUES (1, 'a/1.png', 'h1', 64, 48, 5), (2, 'a/2.png', 'h2', 64, 48, 6);"
                         "INSERT INTO classes(id, name, color, ord) VALUES (7, 'cat', '#ff0000', 0);"
                         "INSERT INTO image_labels VALUES (1, 7);"
                         "INSERT INTO splits(id, name, locked) VALUES (3, 'train', 0);"
                         "UPDATE images SET split_id = 3;"
                         "INSERT INTO shapes(id, image_id, class_id, kind, geometry) "
                         "VALUES (11, 2, 7, 'polygon', x'0102');"));
        sqlite3_close(db);

        auto opened = ProjectStore::open(file);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
        ProjectStore &s = *opened.value();
        QVERIFY(schema::latestVersion() >= 4);
        QCOMPARE(s.schemaVersion(), schema::latestVersion());
        QCOMPARE(s.countImages().value(), qint64(2));
        QCOMPARE(s.labels(1).value(), QVector<qint64>{7});
        QCOMPARE(s.image(2)->splitId, qint64(3));
        auto count = [&](const char *sql) {
            sqlite3_stmt *st = nullptr;
            sqlite3_prepare_v2(s.handle(), sql, -1, &st, nullptr);
            const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
            sqlite3_finalize(st);
            return n;
        };
        QCOMPARE(count("SELECT COUNT(*) FROM shapes WHERE id = 11 AND kind = 'polygon'"), 1);

        // The run tables exist and cascade from runs; the snapshot outlives its images.
        QVERIFY(exec(s.handle(),
                     "INSERT INTO runs(id, name, created_at, updated_at, state, config) "
                     "VALUES (1, 'r', 0, 0, 'running', '{}');"
                     "INSERT INTO run_images VALUES (1, 1, 0), (1, 2, 1);"
                     "INSERT INTO run_epochs(run_id, epoch) VALUES (1, 1);"
                     "INSERT INTO run_checkpoints(run_id, kind, epoch, step, batch_in_epoch, data) "
                     "VALUES (1, 'last', 1, 4, 0, x'00');"
                     "INSERT INTO run_predictions VALUES (1, 2, 1, '[0]', '[0]', x'0000803f');"));
        QVERIFY(s.removeImages({1, 2}).ok());
        QCOMPARE(count("SELECT COUNT(*) FROM run_images"), 2);
        QVERIFY(!exec(s.handle(), "INSERT INTO runs(name, created_at, updated_at, state, config) "
                                  "VALUES ('bad', 0, 0, 'sleeping', '{}')"));
        QVERIFY(exec(s.handle(), "DELETE FROM runs WHERE id = 1"));
        for (const char *table : {"SELECT COUNT(*) FROM run_images", "SELECT COUNT(*) FROM run_epochs",
                                  "SELECT COUNT(*) FROM run_checkpoints",
                                  "SELECT COUNT(*) FROM run_predictions"})
            QCOMPARE(count(table), 0);
    }

    void version4ProjectGainsReviewTablesAndKeepsItsRuns()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("v4.salient"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
        QVERIFY(exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON"));
        QVERIFY(schema::migrateTo(db, 4, file).ok());
        // A finished run with an epoch, a checkpoint and predictions, as version 4 wrote them.
        QVERIFY(exec(db,
                     "INSERT INTO images(id, path, hash, width, height, added_at) "
                     "VALUES (1, 'a/1.png', 'h1', 64, 48, 5), (2, 'a/2.png', 'h2', 64, 48, 6);"
                     "INSERT INTO classes(id, name, color, ord) VALUES (7, 'cat', '#ff0000', 0);"
                     "INSERT INTO image_labels VALUES (1, 7);"
                     "INSERT INTO runs(id, name, created_at, updated_at, state, config, "
                     "class_ids, class_names, epochs_done, best_epoch, test_metrics) "
                     "VALUES (5, 'baseline', 10, 20, 'finished', '{}', '[7]', '[\"cat\"]', "
                     "3, 2, '{\"accuracy\":0.9}');"
                     "INSERT INTO run_images VALUES (5, 1, 1), (5, 2, 2);"
                     "INSERT INTO run_epochs(run_id, epoch, val_accuracy) VALUES (5, 1, 0.5);"
                     "INSERT INTO run_checkpoints(run_id, kind, epoch, step, batch_in_epoch, "
                     "data) VALUES (5, 'best', 2, 8, 0, x'0102');"
                     "INSERT INTO run_predictions VALUES (5, 1, 1, '[0]', '[0]', x'0000803f');"));
        sqlite3_close(db);

        auto opened = ProjectStore::open(file);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
        ProjectStore &s = *opened.value();
        QVERIFY(schema::latestVersion() >= 5);
        QCOMPARE(s.schemaVersion(), schema::latestVersion());
        auto count = [&](const char *sql) {
            sqlite3_stmt *st = nullptr;
            sqlite3_prepare_v2(s.handle(), sql, -1, &st, nullptr);
            const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
            sqlite3_finalize(st);
            return n;
        };
        QCOMPARE(count("SELECT COUNT(*) FROM runs WHERE id = 5 AND name = 'baseline' "
                       "AND state = 'finished' AND epochs_done = 3"),
                 1);
        QCOMPARE(count("SELECT COUNT(*) FROM run_images WHERE run_id = 5"), 2);
        QCOMPARE(count("SELECT COUNT(*) FROM run_epochs WHERE run_id = 5"), 1);
        QCOMPARE(count("SELECT COUNT(*) FROM run_checkpoints WHERE data = x'0102'"), 1);
        QCOMPARE(count("SELECT COUNT(*) FROM run_predictions WHERE run_id = 5"), 1);
        QCOMPARE(s.labels(1).value(), QVector<qint64>{7});

        // The review tables exist, refuse rows for unknown runs or images,
        // keep the history append-only and follow their run and image.
        QVERIFY(
            exec(s.handle(),
                 "INSERT INTO reviews VALUES (5, 1, 1, 'ok', 'ann', 30), (5, 2, 3, '', 'ann', 31);"
                 "INSERT INTO review_history(run_id, image_id, verdict, changed_at) "
                 "VALUES (5, 1, 1, 30), (5, 2, 3, 31);"
                 "INSERT INTO explanations(run_id, image_id, method, layer, target, predicted, "
                 "confidence, target_probability, probabilities, deletion_curve, map, "
                 "image_width, image_height, crop_x, crop_y, crop_width, crop_height, "
                 "created_at) VALUES (5, 1, 'gradcam', 'layer4', 0, 0, 0.9, 0.9, x'', x'', "
                 "x'', 64, 48, 8, 0, 48, 48, 32);"));
        QVERIFY(!exec(s.handle(), "INSERT INTO reviews VALUES (6, 1, 1, '', '', 0)"));
        QVERIFY(!exec(s.handle(), "INSERT INTO reviews VALUES (5, 9, 1, '', '', 0)"));
        QVERIFY(!exec(s.handle(), "INSERT INTO reviews VALUES (5, 1, 9, '', '', 0)"));
        QVERIFY(!exec(s.handle(), "UPDATE review_history SET verdict = 2"));
        QVERIFY(
            !exec(s.handle(),
                  "INSERT INTO explanations(run_id, image_id, method, layer, target, predicted, "
                  "confidence, target_probability, probabilities, deletion_curve, map, "
                  "image_width, image_height, crop_x, crop_y, crop_width, crop_height, "
                  "created_at) VALUES (5, 1, 'gradcam', 'layer4', 0, 0, 0.5, 0.5, x'', x'', "
                  "x'', 64, 48, 8, 0, 48, 48, 33);")); // same key twice
        QVERIFY(s.removeImages({2}).ok());
        QCOMPARE(count("SELECT COUNT(*) FROM reviews"), 1);
        QCOMPARE(count("SELECT COUNT(*) FROM review_history"), 1);
        QVERIFY(exec(s.handle(), "DELETE FROM runs WHERE id = 5"));
        for (const char *table :
             {"SELECT COUNT(*) FROM reviews", "SELECT COUNT(*) FROM review_history",
              "SELECT COUNT(*) FROM explanations"})
            QCOMPARE(count(table), 0);
    }

    void failedUpgradeLeavesTheOldVersion()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("clash.salient"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
        QVERIFY(schema::migrateTo(db, 1, file).ok());
        // A table that version 2 would create makes its step fail half way.
        QVERIFY(exec(db, "CREATE TABLE image_meta(x)"));
        sqlite3_close(db);

        auto opened = ProjectStore::open(file);
        QVERIFY(!opened.ok());
        QVERIFY2(opened.error().toString().contains(QStringLiteral("clash.salient")),
                                                    qPrintable(opened.error().toString()));
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
        QCOMPARE(schema::userVersion(db, file).value(), 1);
        QVERIFY(!schemaOf(db)
                     .join(QLatin1Char('\n'))
                     .contains(QStringLiteral("splits"))); // step 2 rolled back
        sqlite3_close(db);
    }

    void olderProjectIsNotUpgradedReadOnly()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("old.salient"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
        QVERIFY(schema::migrateTo(db, 1, file).ok());
        sqlite3_close(db);
        auto ro = ProjectStore::open(file, ProjectStore::OpenMode::ReadOnly);
        QVERIFY(!ro.ok());
        QVERIFY(ro.error().message.contains(QStringLiteral("older schema")));
        QCOMPARE(ro.error().path, file);
    }

    void downgradeIsRefused()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("new.salient"));
        auto s = ProjectStore::create(file);
        QVERIFY(s.ok());
        QVERIFY(!schema::migrateTo(s.value()->handle(), 1, file).ok());
        QCOMPARE(schema::userVersion(s.value()->handle(), file).value(), schema::latestVersion());
    }
};

QTEST_GUILESS_MAIN(StoreMigrationsTest)
#include "storemigrationstest.moc"
