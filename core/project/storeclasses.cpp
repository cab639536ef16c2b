// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: classes (names unique regardless of ASCII case, display order, colours).
#include "core/project/store.h"

#include "core/project/storeimpl.h"

namespace salient {

Result<qint64> ProjectStore::Impl::findClass(const QString &name)
{
    auto st = prepare("SELECT id FROM classes WHERE name = ?");
    SALIENT_TRY(st);
    st->bind(1, name);
    auto row = st->step();
    SALIENT_TRY(row);
    return row.value() ? st->int64(0) : qint64(0);
}

Result<qint64> ProjectStore::Impl::createClass(const QString &name, const QColor &color)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return error(Error::Code::Invalid, QStringLiteral("a class needs a name"));
    auto existing = findClass(trimmed);
    SALIENT_TRY(existing);
    if (existing.value() != 0)
        return error(Error::Code::Invalid,
                     QStringLiteral("a class named \"%1\" already exists").arg(trimmed));
    auto count = db->queryInt("SELECT COUNT(*) FROM classes");
    SALIENT_TRY(count);
    auto st = prepare("INSERT INTO classes(name, color, ord) "
                      "VALUES (?, ?, (SELECT COALESCE(MAX(ord), -1) + 1 FROM classes))");
    SALIENT_TRY(st);
    const QColor c = color.isValid() ? color : distinctClassColor(int(count.value()));
    st->bind(1, trimmed).bind(2, c.name());
    SALIENT_TRY(st->exec());
    notify([q = q] { Q_EMIT q->classesChanged(); });
    return db->lastInsertId();
}

Result<QVector<qint64>> ProjectStore::Impl::imagesWithClass(qint64 classId)
{
    auto st = prepare("SELECT image_id FROM image_labels WHERE class_id = ? ORDER BY image_id");
    SALIENT_TRY(st);
    st->bind(1, classId);
    QVector<qint64> ids;
    SALIENT_TRY(st->forEachRow([&](const sqlite::Stmt &row) { ids.push_back(row.int64(0)); }));
    return ids;
}

// ---- classes ----------------------------------------------------------------

namespace {
ClassRecord readClass(const sqlite::Stmt &st)
{
    ClassRecord c;
    c.id = st.int64(0);
    c.name = st.text(1);
    c.color = QColor::fromString(st.text(2));
    c.order = st.toInt(3);
    return c;
}
} // namespace

Result<QVector<ClassRecord>> ProjectStore::classes() const
{
    auto st = d->prepare("SELECT id, name, color, ord FROM classes ORDER BY ord, id");
    SALIENT_TRY(st);
    QVector<ClassRecord> out;
    SALIENT_TRY(st->forEachRow([&](const sqlite::Stmt &row) { out.push_back(readClass(row)); }));
    return out;
}

Result<ClassRecord> ProjectStore::classById(qint64 id) const
{
    auto st = d->prepare("SELECT id, name, color, ord FROM classes WHERE id = ?");
    SALIENT_TRY(st);
    st->bind(1, id);
    auto row = st->step();
    SALIENT_TRY(row);
    if (!row.value())
        return d->error(Error::Code::NotFound, QStringLiteral("no class with id %1").arg(id));
    return readClass(*st);
}

Result<qint64> ProjectStore::addClass(const QString &name, const QColor &color)
{
    qint64 id = 0;
    SALIENT_TRY(d->write([&]() -> Status {
        auto r = d->createClass(name, color);
        SALIENT_TRY(r);
        id = r.value();
        return {};
    }));
    return id;
}

Status ProjectStore::insertClass(const ClassRecord &record)
{
    return d->write([&]() -> Status {
        const QString name = record.name.trimmed();
        if (name.isEmpty())
            return d->error(Error::Code::Invalid, QStringLiteral("a class needs a name"));
        auto byName = d->findClass(name);
        SALIENT_TRY(byName);
        if (byName.value() != 0)
            return d->error(Error::Code::Invalid,
                            QStringLiteral("a class named \"%1\" already exists").arg(name));
        if (record.id > 0) {
            auto st = d->prepare("SELECT 1 FROM classes WHERE id = ?");
            SALIENT_TRY(st);
            st->bind(1, record.id);
            auto row = st->step();
            SALIENT_TRY(row);
            if (row.value())
                return d->error(Error::Code::Invalid,
                                QStringLiteral("class id %1 is taken").arg(record.id));
        }
        // Make room at its old place, so that a restored class comes back where it was.
        auto shift = d->prepare("UPDATE classes SET ord = ord + 1 WHERE ord >= ?");
        SALIENT_TRY(shift);
        shift->bind(1, record.order);
        SALIENT_TRY(shift->exec());
        auto st = d->prepare("INSERT INTO classes(id, name, color, ord) VALUES (?, ?, ?, ?)");
        SALIENT_TRY(st);
        if (record.id > 0)
            st->bind(1, record.id);
        else
            st->bindNull(1);
        auto count = d->db->queryInt("SELECT COUNT(*) FROM classes");
        SALIENT_TRY(count);
        const QColor c =
            record.color.isValid() ? record.color : distinctClassColor(int(count.value()));
        st->bind(2, name).bind(3, c.name()).bind(4, record.order);
        SALIENT_TRY(st->exec());
        d->notify([this] { Q_EMIT classesChanged(); });
        return {};
    });
}

Result<qint64> ProjectStore::classIdByName(const QString &name) const
{
    auto id = d->findClass(name.trimmed());
    SALIENT_TRY(id);
    if (id.value() == 0)
        return d->error(Error::Code::NotFound,
                        QStringLiteral("no class named \"%1\"").arg(name.trimmed()));
    return id.value();
}

Status ProjectStore::renameClass(qint64 id, const QString &name)
{
    return d->write([&]() -> Status {
        const QString trimmed = name.trimmed();
        if (trimmed.isEmpty())
            return d->error(Error::Code::Invalid, QStringLiteral("a class needs a name"));
        SALIENT_TRY(classById(id));
        auto other = d->findClass(trimmed);
        SALIENT_TRY(other);
        if (other.value() != 0 && other.value() != id)
            return d->error(
                Error::Code::Invalid,
                QStringLiteral("a class named \"%1\" already exists; merge the classes instead")
                                   .arg(trimmed));
        auto st = d->prepare("UPDATE classes SET name = ? WHERE id = ?");
        SALIENT_TRY(st);
        st->bind(1, trimmed).bind(2, id);
        SALIENT_TRY(st->exec());
        d->notify([this] { Q_EMIT classesChanged(); });
        return {};
    });
}

Status ProjectStore::setClassColor(qint64 id, const QColor &color)
{
    return d->write([&]() -> Status {
        if (!color.isValid())
            return d->error(Error::Code::Invalid, QStringLiteral("not a valid colour"));
        SALIENT_TRY(classById(id));
        auto st = d->prepare("UPDATE classes SET color = ? WHERE id = ?");
        SALIENT_TRY(st);
        st->bind(1, color.name()).bind(2, id);
        SALIENT_TRY(st->exec());
        d->notify([this] { Q_EMIT classesChanged(); });
        return {};
    });
}

Status ProjectStore::setClassOrder(const QVector<qint64> &idsInOrder)
{
    return d->write([&]() -> Status {
        auto all = classes();
        SALIENT_TRY(all);
        // Listed classes first, in the order given; any others keep their relative order after
        // them.
        QVector<qint64> order;
        for (qint64 id : idsInOrder) {
            if (order.contains(id))
                continue;
            bool known = false;
            for (const ClassRecord &c : all.value())
                known = known || c.id == id;
            if (!known)
                return d->error(Error::Code::NotFound,
                                QStringLiteral("no class with id %1").arg(id));
            order.push_back(id);
        }
        for (const ClassRecord &c : all.value()) {
            if (!order.contains(c.id))
                order.push_back(c.id);
        }
        auto st = d->prepare("UPDATE classes SET ord = ? WHERE id = ?");
        SALIENT_TRY(st);
        for (int i = 0; i < order.size(); ++i) {
            st->bind(1, i).bind(2, order[i]);
            SALIENT_TRY(st->exec());
        }
        d->notify([this] { Q_EMIT classesChanged(); });
        return {};
    });
}

Status ProjectStore::mergeClasses(qint64 from, qint64 into)
{
    return d->write([&]() -> Status {
        if (from == into)
            return d->error(Error::Code::Invalid,
                            QStringLiteral("cannot merge a class into itself"));
        SALIENT_TRY(classById(from));
        SALIENT_TRY(classById(into));
        auto affected = d->imagesWithClass(from);
        SALIENT_TRY(affected);
        // OR IGNORE: images carrying both classes keep one label, not a key violation.
        auto move = d->prepare("INSERT OR IGNORE INTO image_labels(image_id, class_id) "
                               "SELECT image_id, ? FROM image_labels WHERE class_id = ?");
        SALIENT_TRY(move);
        move->bind(1, into).bind(2, from);
        SALIENT_TRY(move->exec());
        auto shapes = d->prepare("UPDATE shapes SET class_id = ? WHERE class_id = ?");
        SALIENT_TRY(shapes);
        shapes->bind(1, into).bind(2, from);
        SALIENT_TRY(shapes->exec());
        auto del = d->prepare("DELETE FROM classes WHERE id = ?");
        SALIENT_TRY(del);
        del->bind(1, from);
        SALIENT_TRY(del->exec());
        const QVector<qint64> ids = affected.value();
        d->notify([this] { Q_EMIT classesChanged(); });
        if (!ids.isEmpty())
            d->notify([this, ids] { Q_EMIT labelsChanged(ids); });
        return {};
    });
}

Status ProjectStore::deleteClass(qint64 id)
{
    return d->write([&]() -> Status {
        SALIENT_TRY(classById(id));
        auto affected = d->imagesWithClass(id);
        SALIENT_TRY(affected);
        auto del = d->prepare("DELETE FROM classes WHERE id = ?"); // labels go by cascade
        SALIENT_TRY(del);
        del->bind(1, id);
        SALIENT_TRY(del->exec());
        const QVector<qint64> ids = affected.value();
        d->notify([this] { Q_EMIT classesChanged(); });
        if (!ids.isEmpty())
            d->notify([this, ids] { Q_EMIT labelsChanged(ids); });
        return {};
    });
}

Result<QHash<qint64, qint64>> ProjectStore::classImageCounts(std::optional<qint64> splitId) const
{
    auto all = classes();
    SALIENT_TRY(all);
    QHash<qint64, qint64> counts;
    for (const ClassRecord &c : all.value())
        counts.insert(c.id, 0);
    auto st =
        !splitId ? d->prepare("SELECT class_id, COUNT(*) FROM image_labels GROUP BY class_id")
        : *splitId == 0 ? d->prepare(
              "SELECT l.class_id, COUNT(*) FROM image_labels l JOIN images i ON i.id = l.image_id "
              "WHERE i.split_id IS NULL GROUP BY l.class_id")
                        : d->prepare("SELECT l.class_id, COUNT(*) FROM image_labels l JOIN images "
                                     "i ON i.id = l.image_id "
                                     "WHERE i.split_id = ? GROUP BY l.class_id");
    SALIENT_TRY(st);
    if (splitId && *splitId != 0)
        st->bind(1, *splitId);
    SALIENT_TRY(st->forEachRow(
        [&](const sqlite::Stmt &row) { counts.insert(row.int64(0), row.int64(1)); }));
    return counts;
}

} // namespace salient
