// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: shapes (boxes, polygons, masks) drawn on images.
#include "core/project/store.h"

#include "core/project/storeimpl.h"

#include <QDateTime>
#include <QJsonDocument>

namespace salient {

namespace {

Result<Shape> shapeFromRow(const sqlite::Stmt &st, const QString &file)
{
    Shape s;
    s.id = st.int64(0);
    s.imageId = st.int64(1);
    s.classId = st.isNull(2) ? 0 : st.int64(2);
    const auto kind = shapeKindFromName(st.text(3));
    if (!kind)
        return makeError(Error::Code::Parse, QStringLiteral("shape %1 has an unknown kind '%2'").arg(s.id).arg(st.text(3)),
                         file);
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
        auto insert = d->prepare("INSERT INTO shapes(id, image_id, class_id, kind, geometry, attributes, "
                                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        SALIENT_TRY(insert);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVector<qint64> images;
        for (const Shape &shape : shapes) {
            if (QJsonDocument::fromJson(shape.attributes.toUtf8()).isNull() && !shape.attributes.isEmpty())
                return d->error(Error::Code::Invalid, QStringLiteral("shape attributes are not JSON"));
            if (shape.id > 0)
                insert->bind(1, shape.id);
            else
                insert->bindNull(1);
            insert->bind(2, shape.imageId);
            if (shape.classId > 0)
                insert->bind(3, shape.classId);
            else
                insert->bindNull(3);
            insert->bind(4, shapeKindName(shape.kind()));
            insert->bindBlob(5, encodeGeometry(shape.geometry));
            insert->bind(6, shape.attributes.isEmpty() ? QStringLiteral("{}") : shape.attributes);
            insert->bind(7, now).bind(8, now);
            SALIENT_TRY(insert->exec());
            ids.push_back(d->db->lastInsertId());
            if (!images.contains(shape.imageId))
                images.push_back(shape.imageId);
        }
        for (qint64 image : images)
            d->notify([this, image] { Q_EMIT shapesChanged(image); });
        return {};
    });
    if (!s.ok())
        return s.error();
    return ids;
}

Status ProjectStore::updateShapes(const QVector<Shape> &shapes)
{
    return d->write([&]() -> Status {
        auto update = d->prepare("UPDATE shapes SET class_id = ?, kind = ?, geometry = ?, attributes = ?, "
                                 "updated_at = ? WHERE id = ? AND image_id = ?");
        SALIENT_TRY(update);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVector<qint64> images;
        for (const Shape &shape : shapes) {
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
                return d->error(Error::Code::NotFound,
                                QStringLiteral("no shape %1 on image %2").arg(shape.id).arg(shape.imageId));
            if (!images.contains(shape.imageId))
                images.push_back(shape.imageId);
        }
        for (qint64 image : images)
            d->notify([this, image] { Q_EMIT shapesChanged(image); });
        return {};
    });
}

Status ProjectStore::removeShapes(const QVector<qint64> &ids)
{
    return d->write([&]() -> Status {
        auto images = d->prepare("SELECT DISTINCT image_id FROM shapes WHERE id IN (SELECT value FROM json_each(?))");
        SALIENT_TRY(images);
        images->bindText(1, idsJson(ids));
        QVector<qint64> touched;
        SALIENT_TRY(eachRow(*images, [&] { touched.push_back(images->int64(0)); }));
        auto del = d->prepare("DELETE FROM shapes WHERE id IN (SELECT value FROM json_each(?))");
        SALIENT_TRY(del);
        del->bindText(1, idsJson(ids));
        SALIENT_TRY(del->exec());
        if (d->db->changes() != ids.size())
            return d->error(Error::Code::NotFound,
                            QStringLiteral("%1 of %2 shapes to delete do not exist").arg(ids.size() - d->db->changes()).arg(ids.size()));
        for (qint64 image : touched)
            d->notify([this, image] { Q_EMIT shapesChanged(image); });
        return {};
    });
}

Result<QHash<qint64, ShapeCounts>> ProjectStore::shapeCountsByClass() const
{
    auto st = d->prepare("SELECT COALESCE(class_id, 0), kind, COUNT(*) FROM shapes GROUP BY 1, 2");
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

} // namespace salient
