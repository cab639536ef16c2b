// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: images and the queries behind the browser's filters.
#include "core/project/store.h"

#include "core/project/storeimpl.h"

#include <QDateTime>

namespace salient {

namespace {

// duplicateOf: the earliest image with the same non-empty hash (uses images_hash).
constexpr char kImageColumns[] = "SELECT id, path, hash, file_size, mtime, width, height, "
                                 "orientation, format, bit_depth, channels, "
                                 "status, readable, unreadable_reason, split_id, "
                                 "(SELECT MIN(d.id) FROM images d WHERE d.hash = images.hash AND "
                                 "images.hash <> '') FROM images ";

ImageRecord readImage(const sqlite::Stmt &st, const ProjectStore &store)
{
    ImageRecord r;
    r.id = st.int64(0);
    r.path = st.text(1);
    r.absolutePath = store.toAbsolutePath(r.path);
    r.hash = st.textBytes(2);
    r.fileSize = st.int64(3);
    r.mtime = st.int64(4);
    r.width = st.toInt(5);
    r.height = st.toInt(6);
    r.orientation = st.toInt(7);
    r.format = st.text(8);
    r.bitDepth = st.toInt(9);
    r.channels = st.toInt(10);
    const int status = st.toInt(11);
    r.status = status >= 0 && status <= 3 ? ImageStatus(status) : ImageStatus::New;
    r.readable = st.int64(12) != 0;
    r.unreadableReason = st.text(13);
    r.splitId = st.isNull(14) ? 0 : st.int64(14);
    const qint64 first = st.isNull(15) ? 0 : st.int64(15);
    r.duplicateOf = first == r.id ? 0 : first;
    return r;
}

/// A WHERE clause made only of fixed fragments, with the values it binds.
struct FilterSql {
    QByteArray where;
    QVector<qint64> ints; ///< bound first, in order
    QByteArray classJson; ///< bound where the class fragment sits
    QByteArray pathPattern;
    QByteArray imageJson; ///< bound where the image-id fragment sits
    QVector<char> order; ///< 'i' int, 'c' class json, 'p' path pattern, 'd' image ids json
};

FilterSql buildFilter(const ImageFilter &f)
{
    FilterSql s;
    s.where = "WHERE 1";
    if (!f.classIds.isEmpty()) {
        s.where += " AND id IN (SELECT image_id FROM image_labels WHERE class_id IN "
                   "(SELECT value FROM json_each(?)))";
        s.classJson = idsJson(f.classIds);
        s.order.push_back('c');
    }
    if (f.splitId) {
        if (*f.splitId == 0) {
            s.where += " AND split_id IS NULL";
        } else {
            s.where += " AND split_id = ?";
            s.ints.push_back(*f.splitId);
            s.order.push_back('i');
        }
    }
    if (f.status) {
        s.where += " AND status = ?";
        s.ints.push_back(int(*f.status));
        s.order.push_back('i');
    }
    if (f.unlabelledOnly) // labels + shapes, kept by triggers (schema 6); partial index
        s.where += " AND annotations = 0";
    if (f.unreadableOnly)
        s.where += " AND readable = 0";
    if (!f.pathContains.isEmpty()) {
        // LIKE is case-insensitive for ASCII; escape its wildcards so they match literally.
        QString p = f.pathContains;
        p.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        p.replace(QLatin1Char('%'), QLatin1String("\\%"));
        p.replace(QLatin1Char('_'), QLatin1String("\\_"));
        s.where += " AND path LIKE ? ESCAPE '\\'";
        s.pathPattern = ('%' + p + '%').toUtf8();
        s.order.push_back('p');
    }
    if (!f.imageIds.isEmpty()) {
        s.where += " AND id IN (SELECT value FROM json_each(?))";
        s.imageJson = idsJson(f.imageIds);
        s.order.push_back('d');
    }
    return s;
}

int bindFilter(sqlite::Stmt &st, const FilterSql &s)
{
    int index = 1;
    int nextInt = 0;
    for (char kind : s.order) {
        if (kind == 'i')
            st.bind(index++, s.ints[nextInt++]);
        else if (kind == 'c')
            st.bindText(index++, s.classJson);
        else if (kind == 'd')
            st.bindText(index++, s.imageJson);
        else
            st.bindText(index++, s.pathPattern);
    }
    return index;
}

} // namespace

// ---- images -----------------------------------------------------------------

Result<QVector<qint64>> ProjectStore::addImages(const QVector<NewImage> &images)
{
    QVector<qint64> ids(images.size(), 0);
    QVector<qint64> labelled;
    bool added = false;
    Status s = d->write([&]() -> Status {
        auto exists = d->prepare("SELECT 1 FROM images WHERE path = ?");
        SALIENT_TRY(exists);
        auto insert = d->prepare("INSERT INTO images(path, hash, file_size, mtime, width, height, "
                                 "orientation, format, bit_depth, "
                                 "channels, status, readable, unreadable_reason, added_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)");
        SALIENT_TRY(insert);
        auto label =
            d->prepare("INSERT OR IGNORE INTO image_labels(image_id, class_id) VALUES (?, ?)");
        SALIENT_TRY(label);
        auto meta = d->prepare("INSERT INTO image_meta(image_id, key, value) VALUES (?, ?, ?) "
                               "ON CONFLICT(image_id, key) DO UPDATE SET value = excluded.value");
        SALIENT_TRY(meta);
        QHash<QString, qint64> classCache; // by trimmed name; the table matches names without case
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < images.size(); ++i) {
            const NewImage &img = images[i];
            const QString path = toStoredPath(img.absolutePath);
            exists->bind(1, path);
            auto found = exists->step();
            SALIENT_TRY(found);
            exists->reset();
            if (found.value())
                continue;
            insert->bind(1, path)
                .bindText(2, img.hash)
                .bind(3, img.fileSize)
                .bind(4, img.mtime)
                .bind(5, img.width)
                .bind(6, img.height)
                .bind(7, img.orientation)
                .bind(8, img.format)
                .bind(9, img.bitDepth)
                .bind(10, img.channels)
                .bind(11, img.readable)
                .bind(12, img.unreadableReason)
                .bind(13, now);
            SALIENT_TRY(insert->exec());
            const qint64 id = d->db->lastInsertId();
            ids[i] = id;
            added = true;
            for (const QString &name : img.labels) {
                const QString key = name.trimmed();
                if (key.isEmpty())
                    continue;
                qint64 classId = classCache.value(key);
                if (classId == 0) {
                    auto c = d->findClass(name.trimmed());
                    SALIENT_TRY(c);
                    classId = c.value();
                    if (classId == 0) {
                        auto created = d->createClass(name, {});
                        SALIENT_TRY(created);
                        classId = created.value();
                    }
                    classCache.insert(key, classId);
                }
                label->bind(1, id).bind(2, classId);
                SALIENT_TRY(label->exec());
            }
            if (!img.labels.isEmpty())
                labelled.push_back(id);
            for (auto it = img.meta.constBegin(); it != img.meta.constEnd(); ++it) {
                meta->bind(1, id).bind(2, it.key()).bind(3, it.value());
                SALIENT_TRY(meta->exec());
            }
        }
        if (added)
            d->notify([this] { Q_EMIT imagesAdded(); });
        if (!labelled.isEmpty())
            d->notify([this, labelled] { Q_EMIT labelsChanged(labelled); });
        return {};
    });
    SALIENT_TRY(s);
    return ids;
}

Result<bool> ProjectStore::containsPath(const QString &absolutePath) const
{
    auto st = d->prepare("SELECT 1 FROM images WHERE path = ?");
    SALIENT_TRY(st);
    st->bind(1, toStoredPath(absolutePath));
    return st->step();
}

Result<QStringList> ProjectStore::storedPaths() const
{
    auto st = d->prepare("SELECT path FROM images ORDER BY path");
    SALIENT_TRY(st);
    QStringList out;
    SALIENT_TRY(eachRow(*st, [&] { out.push_back(st->text(0)); }));
    return out;
}

Result<QHash<QString, qint64>> ProjectStore::imageIdsByPath() const
{
    auto st = d->prepare("SELECT path, id FROM images");
    SALIENT_TRY(st);
    QHash<QString, qint64> out;
    SALIENT_TRY(eachRow(*st, [&] { out.insert(st->text(0), st->int64(1)); }));
    return out;
}

Result<ImageRecord> ProjectStore::image(qint64 id) const
{
    auto st = d->prepare(QByteArray(kImageColumns) + "WHERE id = ?");
    SALIENT_TRY(st);
    st->bind(1, id);
    auto row = st->step();
    SALIENT_TRY(row);
    if (!row.value())
        return d->error(Error::Code::NotFound, QStringLiteral("no image with id %1").arg(id));
    return readImage(*st, *this);
}

Result<QVector<ImageRecord>> ProjectStore::images(const QVector<qint64> &ids) const
{
    auto st =
        d->prepare(QByteArray(kImageColumns) + "WHERE id IN (SELECT value FROM json_each(?))");
    SALIENT_TRY(st);
    st->bindText(1, idsJson(ids));
    QHash<qint64, ImageRecord> byId;
    byId.reserve(ids.size());
    SALIENT_TRY(eachRow(*st, [&] {
        ImageRecord r = readImage(*st, *this);
        byId.insert(r.id, std::move(r));
    }));
    QVector<ImageRecord> out;
    out.reserve(ids.size());
    for (qint64 id : ids) {
        auto it = byId.constFind(id);
        if (it == byId.constEnd())
            return d->error(Error::Code::NotFound, QStringLiteral("no image with id %1").arg(id));
        out.push_back(it.value());
    }
    return out;
}

Result<qint64> ProjectStore::countImages(const ImageFilter &filter) const
{
    const FilterSql f = buildFilter(filter);
    auto st = d->prepare("SELECT COUNT(*) FROM images " + f.where);
    SALIENT_TRY(st);
    bindFilter(*st, f);
    auto row = st->step();
    SALIENT_TRY(row);
    return row.value() ? st->int64(0) : qint64(0);
}

Result<QVector<qint64>> ProjectStore::imageIds(const ImageFilter &filter, qint64 offset,
                                               qint64 limit) const
{
    const FilterSql f = buildFilter(filter);
    auto st = d->prepare("SELECT id FROM images " + f.where + " ORDER BY path LIMIT ? OFFSET ?");
    SALIENT_TRY(st);
    const int next = bindFilter(*st, f);
    st->bind(next, limit < 0 ? qint64(-1) : limit).bind(next + 1, qMax<qint64>(0, offset));
    QVector<qint64> ids;
    if (limit > 0)
        ids.reserve(int(qMin<qint64>(limit, 1 << 20)));
    SALIENT_TRY(eachRow(*st, [&] { ids.push_back(st->int64(0)); }));
    return ids;
}

Result<QVector<ImageRecord>> ProjectStore::unreadableImages() const
{
    auto st = d->prepare(QByteArray(kImageColumns) + "WHERE readable = 0 ORDER BY path");
    SALIENT_TRY(st);
    QVector<ImageRecord> out;
    SALIENT_TRY(eachRow(*st, [&] { out.push_back(readImage(*st, *this)); }));
    return out;
}

Result<QVector<QVector<qint64>>> ProjectStore::duplicateGroups() const
{
    auto st =
        d->prepare("SELECT id, hash FROM images WHERE hash IN "
                   "(SELECT hash FROM images WHERE hash <> '' GROUP BY hash HAVING COUNT(*) > 1) "
                   "ORDER BY hash, id");
    SALIENT_TRY(st);
    QVector<QVector<qint64>> groups;
    QByteArray last;
    SALIENT_TRY(eachRow(*st, [&] {
        const QByteArray hash = st->textBytes(1);
        if (groups.isEmpty() || hash != last)
            groups.push_back({});
        groups.back().push_back(st->int64(0));
        last = hash;
    }));
    return groups;
}

Status ProjectStore::setStatus(const QVector<qint64> &imageIds, ImageStatus status)
{
    return d->write([&]() -> Status {
        auto st = d->prepare("UPDATE images SET status = ? WHERE id = ?");
        SALIENT_TRY(st);
        for (qint64 id : imageIds) {
            st->bind(1, int(status)).bind(2, id);
            SALIENT_TRY(st->exec());
            if (d->db->changes() == 0)
                return d->error(Error::Code::NotFound,
                                QStringLiteral("no image with id %1").arg(id));
        }
        d->notify([this, imageIds] { Q_EMIT imagesChanged(imageIds); });
        return {};
    });
}

Status ProjectStore::setImagePaths(const QVector<QPair<qint64, QString>> &moves)
{
    return d->write([&]() -> Status {
        auto st = d->prepare("UPDATE images SET path = ? WHERE id = ?");
        SALIENT_TRY(st);
        auto taken = d->prepare("SELECT id FROM images WHERE path = ? AND id <> ?");
        SALIENT_TRY(taken);
        QVector<qint64> ids;
        for (const auto &m : moves) {
            const QString path = toStoredPath(m.second);
            taken->bind(1, path).bind(2, m.first);
            auto clash = taken->step();
            SALIENT_TRY(clash);
            taken->reset();
            if (clash.value())
                return d->error(
                    Error::Code::Invalid,
                    QStringLiteral("cannot move image %1 to \"%2\": another image has that path")
                                       .arg(m.first)
                                       .arg(path));
            st->bind(1, path).bind(2, m.first);
            SALIENT_TRY(st->exec());
            if (d->db->changes() == 0)
                return d->error(Error::Code::NotFound,
                                QStringLiteral("no image with id %1").arg(m.first));
            ids.push_back(m.first);
        }
        d->notify([this, ids] { Q_EMIT imagesChanged(ids); });
        return {};
    });
}

Status ProjectStore::removeImages(const QVector<qint64> &imageIds)
{
    return d->write([&]() -> Status {
        // Labels, shapes and metadata go with the image (ON DELETE CASCADE).
        auto st = d->prepare("DELETE FROM images WHERE id = ?");
        SALIENT_TRY(st);
        bool any = false;
        for (qint64 id : imageIds) {
            st->bind(1, id);
            SALIENT_TRY(st->exec());
            any = any || d->db->changes() > 0;
        }
        if (any)
            d->notify([this] { Q_EMIT imagesRemoved(); });
        return {};
    });
}

} // namespace salient
