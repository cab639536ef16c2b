// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: image-level labels, splits and per-image metadata.
#include "core/project/store.h"

#include "core/project/storeimpl.h"

namespace salient {

// ---- image-level labels -----------------------------------------------------

Result<QVector<qint64>> ProjectStore::labels(qint64 imageId) const
{
    auto st =
        d->prepare("SELECT l.class_id FROM image_labels l JOIN classes c ON c.id = l.class_id "
                   "WHERE l.image_id = ? ORDER BY c.ord, c.id");
    SALIENT_TRY(st);
    st->bind(1, imageId);
    QVector<qint64> out;
    SALIENT_TRY(eachRow(*st, [&] { out.push_back(st->int64(0)); }));
    return out;
}

Result<QHash<qint64, QVector<qint64>>> ProjectStore::labels(const QVector<qint64> &imageIds) const
{
    auto st = d->prepare(
        "SELECT l.image_id, l.class_id FROM image_labels l JOIN classes c ON c.id = l.class_id "
        "WHERE l.image_id IN (SELECT value FROM json_each(?)) ORDER BY l.image_id, c.ord, c.id");
    SALIENT_TRY(st);
    st->bindText(1, idsJson(imageIds));
    QHash<qint64, QVector<qint64>> out;
    out.reserve(imageIds.size());
    for (qint64 id : imageIds)
        out.insert(id, {}); // every image asked for has an entry, unlabelled ones an empty one
    SALIENT_TRY(eachRow(*st, [&] { out[st->int64(0)].push_back(st->int64(1)); }));
    return out;
}

Status ProjectStore::setLabels(const QVector<LabelSet> &sets)
{
    return d->write([&]() -> Status {
        auto clear = d->prepare("DELETE FROM image_labels WHERE image_id = ?");
        SALIENT_TRY(clear);
        auto add =
            d->prepare("INSERT OR IGNORE INTO image_labels(image_id, class_id) VALUES (?, ?)");
        SALIENT_TRY(add);
        auto classExists = d->prepare("SELECT 1 FROM classes WHERE id = ?");
        SALIENT_TRY(classExists);
        QVector<qint64> ids;
        for (const LabelSet &set : sets) {
            auto exists = d->imageExists(set.imageId);
            SALIENT_TRY(exists);
            if (!exists.value())
                return d->error(Error::Code::NotFound,
                                QStringLiteral("no image with id %1").arg(set.imageId));
            clear->bind(1, set.imageId);
            SALIENT_TRY(clear->exec());
            for (qint64 classId : set.classIds) {
                classExists->bind(1, classId);
                auto known = classExists->step();
                SALIENT_TRY(known);
                classExists->reset();
                if (!known.value())
                    return d->error(Error::Code::NotFound,
                                    QStringLiteral("no class with id %1").arg(classId));
                add->bind(1, set.imageId).bind(2, classId);
                SALIENT_TRY(add->exec());
            }
            ids.push_back(set.imageId);
        }
        if (!ids.isEmpty())
            d->notify([this, ids] { Q_EMIT labelsChanged(ids); });
        return {};
    });
}

// ---- splits -----------------------------------------------------------------

Result<QVector<SplitRecord>> ProjectStore::splits() const
{
    auto st = d->prepare("SELECT id, name, locked FROM splits ORDER BY id");
    SALIENT_TRY(st);
    QVector<SplitRecord> out;
    SALIENT_TRY(eachRow(*st, [&] {
        out.push_back({st->int64(0), st->text(1), st->int64(2) != 0});
    }));
    return out;
}

Result<qint64> ProjectStore::ensureSplit(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return d->error(Error::Code::Invalid, QStringLiteral("a split needs a name"));
    qint64 id = 0;
    SALIENT_TRY(d->write([&]() -> Status {
        auto find = d->prepare("SELECT id FROM splits WHERE name = ?");
        SALIENT_TRY(find);
        find->bind(1, trimmed);
        auto row = find->step();
        SALIENT_TRY(row);
        if (row.value()) {
            id = find->int64(0);
            return {};
        }
        auto insert = d->prepare("INSERT INTO splits(name, locked) VALUES (?, 0)");
        SALIENT_TRY(insert);
        insert->bind(1, trimmed);
        SALIENT_TRY(insert->exec());
        id = d->db->lastInsertId();
        d->notify([this] { Q_EMIT splitsChanged(); });
        return {};
    }));
    return id;
}

Status ProjectStore::setSplitLocked(qint64 splitId, bool locked)
{
    return d->write([&]() -> Status {
        auto st = d->prepare("UPDATE splits SET locked = ? WHERE id = ?");
        SALIENT_TRY(st);
        st->bind(1, locked).bind(2, splitId);
        SALIENT_TRY(st->exec());
        if (d->db->changes() == 0)
            return d->error(Error::Code::NotFound,
                            QStringLiteral("no split with id %1").arg(splitId));
        d->notify([this] { Q_EMIT splitsChanged(); });
        return {};
    });
}

Status ProjectStore::assignSplit(const QVector<qint64> &imageIds, qint64 splitId)
{
    return d->write([&]() -> Status {
        if (splitId != 0) {
            auto target = d->prepare("SELECT name, locked FROM splits WHERE id = ?");
            SALIENT_TRY(target);
            target->bind(1, splitId);
            auto row = target->step();
            SALIENT_TRY(row);
            if (!row.value())
                return d->error(Error::Code::NotFound,
                                QStringLiteral("no split with id %1").arg(splitId));
            if (target->int64(1) != 0)
                return d->error(
                    Error::Code::Invalid,
                    QStringLiteral("the split \"%1\" is locked; unlock it to add images") .arg(
                        target->text(0)));
        }
        auto current = d->prepare("SELECT i.split_id, s.name, s.locked FROM images i "
                                  "LEFT JOIN splits s ON s.id = i.split_id WHERE i.id = ?");
        SALIENT_TRY(current);
        auto update = d->prepare("UPDATE images SET split_id = ? WHERE id = ?");
        SALIENT_TRY(update);
        for (qint64 id : imageIds) {
            current->bind(1, id);
            auto row = current->step();
            SALIENT_TRY(row);
            if (!row.value())
                return d->error(Error::Code::NotFound,
                                QStringLiteral("no image with id %1").arg(id));
            const qint64 now = current->isNull(0) ? 0 : current->int64(0);
            const bool locked = current->int64(2) != 0;
            const QString name = current->text(1);
            current->reset();
            if (now == splitId)
                continue;
            if (locked)
                return d->error(
                    Error::Code::Invalid,
                    QStringLiteral("image %1 is in the locked split \"%2\"; unlock it to move images")
                            .arg(id)
                            .arg(name));
            if (splitId == 0)
                update->bindNull(1);
            else
                update->bind(1, splitId);
            update->bind(2, id);
            SALIENT_TRY(update->exec());
        }
        d->notify([this, imageIds] { Q_EMIT imagesChanged(imageIds); });
        d->notify([this] { Q_EMIT splitsChanged(); });
        return {};
    });
}

Result<QHash<qint64, qint64>> ProjectStore::splitImageCounts() const
{
    QHash<qint64, qint64> counts;
    auto all = splits();
    SALIENT_TRY(all);
    for (const SplitRecord &s : all.value())
        counts.insert(s.id, 0);
    // GROUP BY the bare column walks images_split in order; COALESCE() in the
    // key made SQLite sort 100,000 rows first (bench/bench_scale).
    auto st = d->prepare("SELECT split_id, COUNT(*) FROM images GROUP BY split_id");
    SALIENT_TRY(st);
    SALIENT_TRY(eachRow(*st, [&] { counts.insert(st->isNull(0) ? 0 : st->int64(0), st->int64(1)); }));
    return counts;
}

// ---- per-image metadata -----------------------------------------------------

Status ProjectStore::setMeta(qint64 imageId, const QString &key, const QString &value)
{
    return d->write([&]() -> Status {
        auto exists = d->imageExists(imageId);
        SALIENT_TRY(exists);
        if (!exists.value())
            return d->error(Error::Code::NotFound,
                            QStringLiteral("no image with id %1").arg(imageId));
        auto st = d->prepare("INSERT INTO image_meta(image_id, key, value) VALUES (?, ?, ?) "
                             "ON CONFLICT(image_id, key) DO UPDATE SET value = excluded.value");
        SALIENT_TRY(st);
        st->bind(1, imageId).bind(2, key).bind(3, value);
        SALIENT_TRY(st->exec());
        d->notify([this, imageId] { Q_EMIT imagesChanged({imageId}); });
        return {};
    });
}

Result<QHash<QString, QString>> ProjectStore::meta(qint64 imageId) const
{
    auto st = d->prepare("SELECT key, value FROM image_meta WHERE image_id = ?");
    SALIENT_TRY(st);
    st->bind(1, imageId);
    QHash<QString, QString> out;
    SALIENT_TRY(eachRow(*st, [&] { out.insert(st->text(0), st->text(1)); }));
    return out;
}

} // namespace salient
