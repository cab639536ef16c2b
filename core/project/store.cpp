// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: opening, transactions and project settings. Classes are in
// storeclasses.cpp, images in storeimages.cpp, labels/splits/metadata in storelabels.cpp.
#include "core/project/store.h"

#include "core/project/projectlock.h"
#include "core/project/schema.h"
#include "core/project/storeimpl.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtEndian>

#include <sqlite3.h>

#include <cmath>

namespace salient {

namespace {

const QByteArray kSqliteMagic("SQLite format 3\0", 16);

/// Cheap checks on the 100-byte SQLite header before SQLite sees the file, so
/// that a stray file or a truncated copy is refused with a clear message
/// instead of failing later in the middle of a query.
Status checkHeader(const QString &file)
{
    const QString shown = QDir::toNativeSeparators(file);
    QFile f(file);
    if (!f.exists())
        return makeError(Error::Code::NotFound, QStringLiteral("project file not found"), shown);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot read the project file: %1").arg(f.errorString()),
                                        shown);
    const qint64 size = f.size();
    const QByteArray header = f.read(100);
    if (size == 0)
        return makeError(Error::Code::Parse,
                         QStringLiteral("the file is empty, not a Salient project"), shown);
    if (header.size() < 100 || !header.startsWith(kSqliteMagic))
        return makeError(
            Error::Code::Parse,
            QStringLiteral("not a Salient project (the file is not an SQLite database)"), shown);
    const auto *h = reinterpret_cast<const uchar *>(header.constData());
    qint64 pageSize = qFromBigEndian<quint16>(h + 16);
    if (pageSize == 1)
        pageSize = 65536;
    const qint64 pages = qFromBigEndian<quint32>(h + 28);
    const bool pagesValid = qFromBigEndian<quint32>(h + 24) == qFromBigEndian<quint32>(h + 92);
    // With a non-empty WAL beside it the main file may legitimately lag behind.
    const QFileInfo wal(file + QStringLiteral("-wal"));
    const bool walHolds = wal.exists() && wal.size() > 0;
    if (pagesValid && pages > 0 && size < pages * pageSize && !walHolds)
        return makeError(
            Error::Code::Parse,
            QStringLiteral("the project file is truncated (%1 of %2 bytes); restore it from a backup")
                    .arg(size)
                    .arg(pages * pageSize),
                shown);
    return {};
}

Status applyPragmas(sqlite::Db &db, bool readOnly)
{
    if (!readOnly) {
        // WAL lets readers (the GUI, workers) run beside one writer. synchronous=FULL
        // also syncs the WAL at every commit, so an acknowledged write survives a
        // power loss, not just a killed process; the cost is one fsync per user action.
        SALIENT_TRY(db.exec("PRAGMA journal_mode = WAL"));
        SALIENT_TRY(db.exec("PRAGMA synchronous = FULL"));
    }
    SALIENT_TRY(db.exec("PRAGMA foreign_keys = ON"));
    if (readOnly) // belt and braces beside SQLITE_OPEN_READONLY: this connection never writes
        SALIENT_TRY(db.exec("PRAGMA query_only = ON"));
    return {};
}

} // namespace

QColor distinctClassColor(int index)
{
    // Golden-ratio steps around the hue circle keep neighbours far apart.
    const double hue = std::fmod(0.07 + index * 0.6180339887498949, 1.0);
    return QColor::fromHsvF(float(hue), 0.65f, 0.92f);
}

QByteArray idsJson(const QVector<qint64> &ids)
{
    QByteArray s;
    s.reserve(ids.size() * 8 + 2);
    s += '[';
    for (int i = 0; i < ids.size(); ++i) {
        if (i)
            s += ',';
        s += QByteArray::number(ids[i]);
    }
    s += ']';
    return s;
}

// ---- Impl -------------------------------------------------------------------

Status ProjectStore::Impl::write(const std::function<Status()> &body)
{
    if (readOnly && !lockedBy.isEmpty())
        return error(Error::Code::Locked,
                     QStringLiteral("the project is in use by %1 and open read-only here: the "
                                    "change was not saved")
                         .arg(lockedBy));
    if (readOnly)
        return error(Error::Code::Invalid,
                     QStringLiteral("the project is open read-only: the change was not saved"));
    sqlite::Transaction tx(*db);
    SALIENT_TRY(tx.begin());
    pending.emplace_back();
    Status s = body();
    if (s.ok())
        s = tx.commit();
    std::vector<std::function<void()>> mine = std::move(pending.back());
    pending.pop_back();
    if (!s.ok()) {
        tx.rollback();
        return s;
    }
    if (!pending.empty()) {
        // Inside an outer transaction: its commit decides whether these happened.
        for (auto &f : mine)
            pending.back().push_back(std::move(f));
        return {};
    }
    ++localCommits;
    for (auto &f : mine)
        f();
    return {};
}

void ProjectStore::Impl::notify(std::function<void()> emitter)
{
    Q_ASSERT(!pending.empty());
    pending.back().push_back(std::move(emitter));
}

Result<bool> ProjectStore::Impl::imageExists(qint64 id)
{
    auto st = prepare("SELECT 1 FROM images WHERE id = ?");
    SALIENT_TRY(st);
    st->bind(1, id);
    return st->step();
}

// ---- lifecycle --------------------------------------------------------------

ProjectStore::ProjectStore(std::unique_ptr<Impl> impl) : d(std::move(impl))
{
    d->q = this;
}

ProjectStore::~ProjectStore() = default;

Result<std::unique_ptr<ProjectStore>> ProjectStore::create(const QString &file)
{
    const QFileInfo info(file);
    const QString abs = info.absoluteFilePath();
    const QString shown = QDir::toNativeSeparators(abs);
    if (info.exists())
        return makeError(Error::Code::Io, QStringLiteral("the file already exists"), shown);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot create the folder for the project"), shown);
    auto removeAll = [&abs] {
        for (const char *suffix : {"", "-wal", "-shm", "-journal"})
            QFile::remove(abs + QLatin1String(suffix));
    };
    {
        auto db = sqlite::Db::open(abs, sqlite::Db::Mode::Create);
        if (!db.ok()) {
            removeAll();
            return db.error();
        }
        Status s = applyPragmas(*db.value(), false);
        if (s.ok())
            s = schema::migrateTo(db.value()->handle(), schema::latestVersion(), abs);
        if (!s.ok()) {
            db.value().reset();
            removeAll();
            return s.error();
        }
    }
    return open(abs, OpenMode::ReadWrite);
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const QString &file, OpenMode mode)
{
    const QString abs = QFileInfo(file).absoluteFilePath();
    const QString shown = QDir::toNativeSeparators(abs);
    SALIENT_TRY(checkHeader(abs));
    bool readOnly = mode == OpenMode::ReadOnly;
    // Another live program holding the project's lock (ProjectLock) is its one
    // writer: here, in a second studio or its workers, the project reads only,
    // and a write says why it was refused.
    QString lockedBy;
    if (!readOnly) {
        if (const auto holder = ProjectLock::otherHolder(abs)) {
            readOnly = true;
            lockedBy = holder->describe();
        }
    }
    auto db =
        sqlite::Db::open(abs, readOnly ? sqlite::Db::Mode::ReadOnly : sqlite::Db::Mode::ReadWrite);
    SALIENT_TRY(db);
    sqlite3 *h = db.value()->handle();
    // SQLite falls back to read-only when the OS refuses write access; say so
    // through isReadOnly() rather than failing at the first edit.
    if (!readOnly && sqlite3_db_readonly(h, "main") == 1)
        readOnly = true;

    auto appId = schema::applicationId(h, abs);
    if (!appId.ok()) {
        if ((sqlite3_errcode(h) & 0xff) == SQLITE_NOTADB)
            return makeError(
                Error::Code::Parse,
                QStringLiteral("not a Salient project (the file is not an SQLite database)"),
                               shown);
        return appId.error();
    }
    if (appId.value() != schema::kApplicationId)
        return makeError(
            Error::Code::Parse,
            QStringLiteral("not a Salient project (an SQLite database of another program)"), shown);
    auto version = schema::userVersion(h, abs);
    SALIENT_TRY(version);
    if (version.value() > schema::latestVersion())
        return makeError(
            Error::Code::Unsupported,
            QStringLiteral("the project was saved by a newer Salient Studio (schema version %1; this "
                                        "version reads up to %2); please update Salient Studio")
                    .arg(version.value())
                    .arg(schema::latestVersion()),
                shown);
    SALIENT_TRY(applyPragmas(*db.value(), readOnly));
    if (version.value() < schema::latestVersion()) {
        if (readOnly)
            return makeError(
                Error::Code::Unsupported,
                QStringLiteral("the project uses the older schema version %1; open it for writing "
                                            "once to upgrade it")
                                   .arg(version.value()),
                               shown);
        SALIENT_TRY(schema::migrateTo(h, schema::latestVersion(), abs));
    }
    // A quick read of every table proves the schema is there and the file reads.
    Status probe =
        db.value()->exec("SELECT 1 FROM images, classes, image_labels, splits, image_meta, shapes, "
                         "settings LIMIT 0");
    if (!probe.ok())
        return probe.error();

    auto impl = std::make_unique<Impl>();
    impl->db = std::move(db.value());
    impl->file = abs;
    impl->dir = QFileInfo(abs).absolutePath();
    impl->readOnly = readOnly;
    impl->lockedBy = lockedBy;
    impl->version = schema::latestVersion();
    return std::unique_ptr<ProjectStore>(new ProjectStore(std::move(impl)));
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::connectAgain(OpenMode mode) const
{
    return open(d->file, mode);
}

QString ProjectStore::filePath() const
{
    return d->file;
}
QString ProjectStore::directory() const
{
    return d->dir;
}
bool ProjectStore::isReadOnly() const
{
    return d->readOnly;
}
int ProjectStore::schemaVersion() const
{
    return d->version;
}
int ProjectStore::latestSchemaVersion()
{
    return schema::latestVersion();
}
sqlite3 *ProjectStore::handle() const
{
    return d->db->handle();
}

QString ProjectStore::toStoredPath(const QString &absolutePath) const
{
    const QString clean =
        QDir::cleanPath(QFileInfo(QDir::fromNativeSeparators(absolutePath)).absoluteFilePath());
    const QString rel = QDir(d->dir).relativeFilePath(clean);
    if (rel == QLatin1String("..") || rel.startsWith(QLatin1String("../"))
        || QDir::isAbsolutePath(rel))
        return clean;
    return rel;
}

QString ProjectStore::toAbsolutePath(const QString &storedPath) const
{
    if (QDir::isAbsolutePath(storedPath))
        return storedPath;
    return QDir::cleanPath(d->dir + QLatin1Char('/') + storedPath);
}

Status ProjectStore::transaction(const std::function<Status()> &body)
{
    return d->write(body);
}

qint64 ProjectStore::dataVersion() const
{
    // data_version moves only for other connections' commits; add our own so
    // that the sum changes whenever anyone commits.
    auto v = d->db->queryInt("PRAGMA data_version");
    return (v.ok() ? v.value() : 0) + d->localCommits;
}

// ---- project settings -------------------------------------------------------

Result<QString> ProjectStore::setting(const QString &key, const QString &fallback) const
{
    auto st = d->prepare("SELECT value FROM settings WHERE key = ?");
    SALIENT_TRY(st);
    st->bind(1, key);
    auto row = st->step();
    SALIENT_TRY(row);
    return row.value() ? st->text(0) : fallback;
}

Status ProjectStore::setSetting(const QString &key, const QString &value)
{
    return d->write([&]() -> Status {
        auto st = d->prepare("INSERT INTO settings(key, value) VALUES (?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        SALIENT_TRY(st);
        st->bind(1, key).bind(2, value);
        return st->exec();
    });
}

} // namespace salient
