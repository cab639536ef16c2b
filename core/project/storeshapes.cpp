// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: shapes (boxes, polygons, masks) drawn on images.
#include "core/project/store.h"

#include "core/project/storeimpl.h"
#include "core/project/storeshapes.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSet>

#include <sqlite3.h>

#include <algorithm>

namespace salient {

namespace {

// Highest shape id ever handed out. Ids are never reused (as with SQLite's
// AUTOINCREMENT), because undo re-inserts a deleted shape with its old id: had
// another image's new shape taken that id meanwhile, the undo would fail.
const char kShapeIdHighWater[] = "shape_id_high_water";

Status checkAttributes(const Shape &shape, const std::function<Error(const QString &)> &error)
{
    if (shape.attributes.isEmpty())
        return {};
    if (!QJsonDocument::fromJson(shape.attributes.toUtf8()).isObject())
        return error(QStringLiteral("the attributes of a shape must be a JSON object"));
    return {};
}

Result<Shape> shapeFromRow(const sqlite::Stmt &st, const QString &file)
{
    Shape s;
    s.id = st.int64(0);
    s.imageId = st.int64(1);
    s.classId = st.isNull(2) ? 0 : st.int64(2);
    const auto kind = shapeKindFromName(st.text(3));
    if (!kind)
        return makeError(
            Error::Code::Parse,
            QStringLiteral("shape %1 has an unknown kind '%2'").arg(s.id).arg(st.text(3)), file);
    auto geometry = decodeGeometry(*kind, st.blob(4));
    if (!geometry.ok()) {
        Error e = geometry.error();
        e.message = QStringLiteral("shape %1: %2").arg(s.id).arg(e.message);
        e.path = file;
        return e;
    }
    s.geometry = std::move(geometry).value();
    s.attributes = st.text(5);
    return s;
}

} // namespace

Result<QHash<qint64, QVector<Shape>>> ProjectStore::shapesOfImages(const QVector<qint64> &imageIds) const
{
    auto st = d->prepare("SELECT id, image_id, class_id, kind, geometry, attributes FROM shapes "
                         "WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY id");
    SALIENT_TRY(st);
    st->bindText(1, idsJson(imageIds));
    QHash<qint64, QVector<Shape>> out;
    std::optional<Error> bad;
    SALIENT_TRY(eachRow(*st, [&] {
        if (bad)
            return;
        auto s = shapeFromRow(*st, d->file);
        if (s.ok())
            out[s->imageId].push_back(std::move(s).value());
        else
            bad = s.error();
    }));
    if (bad)
        return *bad;
    return out;
}

Result<QVector<Shape>> ProjectStore::shapes(qint64 imageId) const
{
    auto st = d->prepare("SELECT id, image_id, class_id, kind, geometry, attributes FROM shapes "
                         "WHERE image_id = ? ORDER BY id");
    SALIENT_TRY(st);
    st->bind(1, imageId);
    QVector<Shape> out;
    std::optional<Error> bad;
    SALIENT_TRY(eachRow(*st, [&] {
        if (bad)
            return;
        auto s = shapeFromRow(*st, d->file);
        if (s.ok())
            out.push_back(std::move(s).value());
        else
            bad = s.error();
    }));
    if (bad)
        return *bad;
    return out;
}

Result<QVector<qint64>> ProjectStore::addShapes(const QVector<Shape> &shapes)
{
    QVector<qint64> ids;
    Status s = d->write([&]() -> Status {
        auto insert =
            d->prepare("INSERT INTO shapes(id, image_id, class_id, kind, geometry, attributes, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        SALIENT_TRY(insert);
        auto high =
            d->prepare("SELECT MAX(COALESCE((SELECT MAX(id) FROM shapes), 0), "
                       "COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?), 0))");
        SALIENT_TRY(high);
        high->bind(1, QString::fromLatin1(kShapeIdHighWater));
        auto row = high->step();
        SALIENT_TRY(row);
        qint64 last = row.value() ? high->int64(0) : 0;
        high->reset();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVector<qint64> images;
        QSet<qint64> seen;
        const auto invalid = [&](const QString &m) { return d->error(Error::Code::Invalid, m); };
        // Dataset imports add a million shapes in one call: kind names, and the
        // attributes most shapes share, are converted (and checked) once.
        const QByteArray kindNames[] = {shapeKindName(ShapeKind::Box).toUtf8(),
                                        shapeKindName(ShapeKind::Polygon).toUtf8(),
                                        shapeKindName(ShapeKind::Mask).toUtf8()};
        const QByteArray emptyObject("{}");
        QString lastAttributes;
        QByteArray lastAttributesUtf8;
        ids.reserve(shapes.size());
        for (const Shape &shape : shapes) {
            const QByteArray *attributes = &emptyObject;
            if (!shape.attributes.isEmpty() && shape.attributes != QLatin1String("{}")) {
                if (shape.attributes != lastAttributes || lastAttributesUtf8.isEmpty()) {
                    SALIENT_TRY(checkAttributes(shape, invalid));
                    lastAttributes = shape.attributes;
                    lastAttributesUtf8 = shape.attributes.toUtf8();
                }
                attributes = &lastAttributesUtf8;
            }
            const qint64 id = shape.id > 0 ? shape.id : last + 1;
            last = std::max(last, id);
            insert->bind(1, id);
            insert->bind(2, shape.imageId);
            if (shape.classId > 0)
                insert->bind(3, shape.classId);
            else
                insert->bindNull(3);
            insert->bindText(4, kindNames[int(shape.kind())]);
            insert->bindBlob(5, encodeGeometry(shape.geometry));
            insert->bindText(6, *attributes);
            insert->bind(7, now).bind(8, now);
            Status done = insert->exec();
            if (!done.ok()) {
                Error e = done.error();
                e.message = QStringLiteral("cannot store shape %1 on image %2: %3")
                                               .arg(id)
                                               .arg(shape.imageId)
                                               .arg(e.message);
                return e;
            }
            ids.push_back(id);
            if (!seen.contains(shape.imageId)) { // one signal per image, in first-seen order
                seen.insert(shape.imageId);
                images.push_back(shape.imageId);
            }
        }
        auto mark = d->prepare("INSERT INTO settings(key, value) VALUES (?, ?) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        SALIENT_TRY(mark);
        mark->bind(1, QString::fromLatin1(kShapeIdHighWater)).bind(2, QString::number(last));
        SALIENT_TRY(mark->exec());
        if (!images.isEmpty())
            d->notify([this, images] {
                for (qint64 image : images)
                    Q_EMIT shapesChanged(image);
            });
        return {};
    });
    if (!s.ok())
        return s.error();
    return ids;
}

Status ProjectStore::updateShapes(const QVector<Shape> &shapes)
{
    return d->write([&]() -> Status {
        auto update =
            d->prepare("UPDATE shapes SET class_id = ?, kind = ?, geometry = ?, attributes = ?, "
                       "updated_at = ? WHERE id = ? AND image_id = ?");
        SALIENT_TRY(update);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVector<qint64> images;
        QSet<qint64> seen;
        const auto invalid = [&](const QString &m) { return d->error(Error::Code::Invalid, m); };
        for (const Shape &shape : shapes) {
            SALIENT_TRY(checkAttributes(shape, invalid));
            if (shape.classId > 0)
                update->bind(1, shape.classId);
            else
                update->bindNull(1);
            update->bind(2, shapeKindName(shape.kind()));
            update->bindBlob(3, encodeGeometry(shape.geometry));
            update->bind(4, shape.attributes.isEmpty() ? QStringLiteral("{}") : shape.attributes);
            update->bind(5, now).bind(6, shape.id).bind(7, shape.imageId);
            SALIENT_TRY(update->exec());
            if (d->db->changes() != 1)
                return d->error(
                    Error::Code::NotFound,
                    QStringLiteral("no shape %1 on image %2").arg(shape.id).arg(shape.imageId));
            if (!seen.contains(shape.imageId)) { // one signal per image, in first-seen order
                seen.insert(shape.imageId);
                images.push_back(shape.imageId);
            }
        }
        for (qint64 image : images)
            d->notify([this, image] { Q_EMIT shapesChanged(image); });
        return {};
    });
}

Status ProjectStore::removeShapes(const QVector<qint64> &shapeIds)
{
    QVector<qint64> ids = shapeIds;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end()); // a repeated id is not a missing one
    return d->write([&]() -> Status {
        auto images = d->prepare(
            "SELECT DISTINCT image_id FROM shapes WHERE id IN (SELECT value FROM json_each(?))");
        SALIENT_TRY(images);
        images->bindText(1, idsJson(ids));
        QVector<qint64> touched;
        SALIENT_TRY(eachRow(*images, [&] { touched.push_back(images->int64(0)); }));
        auto del = d->prepare("DELETE FROM shapes WHERE id IN (SELECT value FROM json_each(?))");
        SALIENT_TRY(del);
        del->bindText(1, idsJson(ids));
        SALIENT_TRY(del->exec());
        const int deleted = d->db->changes();
        if (deleted != ids.size())
            return d->error(Error::Code::NotFound,
                            QStringLiteral("%1 of %2 shapes to delete do not exist")
                                               .arg(ids.size() - deleted)
                                               .arg(ids.size()));
        for (qint64 image : touched)
            d->notify([this, image] { Q_EMIT shapesChanged(image); });
        return {};
    });
}

Result<QHash<qint64, ShapeCounts>> ProjectStore::shapeCountsByClass() const
{
    // Totals kept by triggers (schema 6): the GROUP BY over every shape took ~1 s at a million.
    auto st = d->prepare("SELECT class_id, kind, shape_count FROM shape_kinds "
                         "WHERE shape_count <> 0");
    SALIENT_TRY(st);
    QHash<qint64, ShapeCounts> out;
    SALIENT_TRY(eachRow(*st, [&] {
        ShapeCounts &c = out[st->int64(0)];
        const QString kind = st->text(1);
        if (kind == QLatin1String("box"))
            c.boxes = st->int64(2);
        else if (kind == QLatin1String("polygon"))
            c.polygons = st->int64(2);
        else
            c.masks = st->int64(2);
    }));
    return out;
}

// ---- helpers for the undo of class edits (storeshapes.h) ----------------------
// Free functions on the raw connection: ProjectStore's header is not this file's to extend.

namespace {

Error rawError(const ProjectStore &store, const QString &context)
{
    return makeError(Error::Code::Database,
                     QStringLiteral("database error: %1: %2") .arg(
                                        context, QString::fromUtf8(sqlite3_errmsg(store.handle()))),
                                    store.filePath());
}

struct RawStmt {
    sqlite3_stmt *st = nullptr;
    ~RawStmt() { sqlite3_finalize(st); }
};

} // namespace

Result<QVector<ShapeClassRef>> shapesOfClass(const ProjectStore &store, qint64 classId)
{
    RawStmt q;
    if (sqlite3_prepare_v2(store.handle(),
                           "SELECT id, image_id FROM shapes WHERE class_id = ? ORDER BY id", -1,
                           &q.st, nullptr)
        != SQLITE_OK)
        return rawError(store, QStringLiteral("reading the shapes of a class"));
    sqlite3_bind_int64(q.st, 1, classId);
    QVector<ShapeClassRef> out;
    int rc;
    while ((rc = sqlite3_step(q.st)) == SQLITE_ROW)
        out.push_back({sqlite3_column_int64(q.st, 0), sqlite3_column_int64(q.st, 1), classId});
    if (rc != SQLITE_DONE)
        return rawError(store, QStringLiteral("reading the shapes of a class"));
    return out;
}

Status setShapeClassIds(ProjectStore &store, const QVector<ShapeClassRef> &refs)
{
    if (refs.isEmpty())
        return {};
    return store.transaction([&]() -> Status {
        RawStmt u;
        if (sqlite3_prepare_v2(store.handle(), "UPDATE shapes SET class_id = ? WHERE id = ?", -1,
                               &u.st, nullptr)
            != SQLITE_OK)
            return rawError(store, QStringLiteral("restoring the classes of shapes"));
        for (const ShapeClassRef &r : refs) {
            if (r.classId > 0)
                sqlite3_bind_int64(u.st, 1, r.classId);
            else
                sqlite3_bind_null(u.st, 1);
            sqlite3_bind_int64(u.st, 2, r.shapeId);
            if (sqlite3_step(u.st) != SQLITE_DONE)
                return rawError(store, QStringLiteral("restoring the classes of shapes"));
            sqlite3_reset(u.st);
        }
        return {};
    });
}

QVector<qint64> imagesOf(const QVector<ShapeClassRef> &refs)
{
    QVector<qint64> out;
    QSet<qint64> seen;
    for (const ShapeClassRef &r : refs) {
        if (!seen.contains(r.imageId)) {
            seen.insert(r.imageId);
            out.push_back(r.imageId);
        }
    }
    return out;
}

} // namespace salient
