// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/project/sqlite.h"

#include <QDir>
#include <QFile>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

namespace salient::sqlite {

namespace {
constexpr int kBusyTimeoutMs = 5000;

/// Words for the failures a person can act on (a full disk, a failing or
/// write-protected file), which SQLite's own texts ("disk I/O error",
/// "database or disk is full") leave vague. Empty for the others.
QString ioFailure(sqlite3 *db, int rc)
{
    const int primary = rc & 0xff;
    if (primary == SQLITE_READONLY)
        return QStringLiteral("the project file cannot be written (it is read-only, or open "
                              "read-only): the change was not saved");
    if (primary != SQLITE_FULL && primary != SQLITE_IOERR)
        return {};
    const int sys = db ? sqlite3_system_errno(db) : 0;
    if (rc == SQLITE_IOERR_READ || rc == SQLITE_IOERR_SHORT_READ)
        return QStringLiteral("cannot read the project file (%1)")
            .arg(sys ? QString::fromLocal8Bit(std::strerror(sys))
                     : QString::fromUtf8(sqlite3_errstr(rc)));
    QString why;
    // SQLite reports ENOSPC as SQLITE_FULL; other failed writes (EFBIG, EIO) as
    // SQLITE_IOERR_*, where the errno it keeps is not always the one that failed.
    if (primary == SQLITE_FULL || sys == ENOSPC || sys == EDQUOT)
        why = QStringLiteral("the disk is full");
    else if (sys == EFBIG)
        why = QStringLiteral("the file size limit was reached");
    else
        why = QStringLiteral("the disk is full or the file could not be written (%1)")
                  .arg(sys ? QString::fromLocal8Bit(std::strerror(sys))
                           : QString::fromUtf8(sqlite3_errstr(rc)));
    return QStringLiteral("cannot write to the project file: %1. The change was not saved; the "
                          "project keeps its earlier state. Free some space, then try again")
        .arg(why);
}
} // namespace

// ---- Stmt -------------------------------------------------------------------

Stmt::Stmt(Db *db, sqlite3_stmt *stmt, bool owned) : m_db(db), m_stmt(stmt), m_owned(owned) {}

Stmt::Stmt(Stmt &&other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_owned(other.m_owned), m_bindRc(other.m_bindRc)
{
    other.m_stmt = nullptr;
}

Stmt::~Stmt()
{
    if (!m_stmt)
        return;
    if (m_owned) {
        sqlite3_finalize(m_stmt);
    } else {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
}

Stmt &Stmt::bind(int index, qint64 value)
{
    const int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK && m_bindRc == SQLITE_OK)
        m_bindRc = rc;
    return *this;
}

Stmt &Stmt::bind(int index, double value)
{
    const int rc = sqlite3_bind_double(m_stmt, index, value);
    if (rc != SQLITE_OK && m_bindRc == SQLITE_OK)
        m_bindRc = rc;
    return *this;
}

Stmt &Stmt::bind(int index, const QString &text)
{
    return bindText(index, text.toUtf8());
}

Stmt &Stmt::bindText(int index, const QByteArray &utf8)
{
    // An empty QByteArray has a null data pointer, which SQLite would store as NULL.
    static const char kEmpty[] = "";
    const char *data = utf8.isEmpty() ? kEmpty : utf8.constData();
    const int rc = sqlite3_bind_text(m_stmt, index, data, int(utf8.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && m_bindRc == SQLITE_OK)
        m_bindRc = rc;
    return *this;
}

Stmt &Stmt::bindBlob(int index, const QByteArray &bytes)
{
    const int rc = bytes.isNull() ? sqlite3_bind_null(m_stmt, index)
                                  : sqlite3_bind_blob(m_stmt, index, bytes.constData(),
                                                      int(bytes.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK && m_bindRc == SQLITE_OK)
        m_bindRc = rc;
    return *this;
}

Stmt &Stmt::bindNull(int index)
{
    const int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK && m_bindRc == SQLITE_OK)
        m_bindRc = rc;
    return *this;
}

Result<bool> Stmt::step()
{
    if (m_bindRc != SQLITE_OK)
        return m_db->errorFromCode(m_bindRc, QStringLiteral("binding a value"));
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE) {
        sqlite3_reset(m_stmt);
        return false;
    }
    Error e = m_db->error();
    sqlite3_reset(m_stmt);
    return e;
}

void Stmt::reset()
{
    sqlite3_reset(m_stmt);
}

Status Stmt::exec()
{
    return forEachRow([](const Stmt &) {});
}

bool Stmt::isNull(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}
qint64 Stmt::int64(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}
double Stmt::real(int col) const
{
    return sqlite3_column_double(m_stmt, col);
}

QString Stmt::text(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col)) : QString();
}

QByteArray Stmt::textBytes(int col) const
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return p ? QByteArray(p, sqlite3_column_bytes(m_stmt, col)) : QByteArray();
}

QByteArray Stmt::blob(int col) const
{
    const auto *p = static_cast<const char *>(sqlite3_column_blob(m_stmt, col));
    return p ? QByteArray(p, sqlite3_column_bytes(m_stmt, col)) : QByteArray();
}

// ---- Db ---------------------------------------------------------------------

Result<std::unique_ptr<Db>> Db::open(const QString &file, Mode mode)
{
    std::unique_ptr<Db> db(new Db);
    db->m_file = QDir::toNativeSeparators(file);
    db->m_readOnly = mode == Mode::ReadOnly;
    int flags = SQLITE_OPEN_NOMUTEX; // one connection per thread, by contract
    switch (mode) {
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::Create:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    }
    const int rc = sqlite3_open_v2(QFile::encodeName(file).constData(), &db->m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        Error e = db->m_db ? db->error(QStringLiteral("cannot open the project"))
                           : db->errorFromCode(rc, QStringLiteral("cannot open the project"));
        return e;
    }
    sqlite3_extended_result_codes(db->m_db, 1);
    sqlite3_busy_timeout(db->m_db, kBusyTimeoutMs);
    return db;
}

Db::~Db()
{
    for (sqlite3_stmt *s : std::as_const(m_cache))
        sqlite3_finalize(s);
    m_cache.clear();
    if (m_db)
        sqlite3_close_v2(m_db);
}

Result<Stmt> Db::prepare(const QByteArray &sql)
{
    auto it = m_cache.constFind(sql);
    if (it != m_cache.constEnd()) {
        if (!sqlite3_stmt_busy(it.value()))
            return Stmt(this, it.value(), false);
        // The cached one is mid-iteration (a nested use): hand out a private copy.
    }
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.constData(), int(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return error();
    }
    if (it != m_cache.constEnd())
        return Stmt(this, stmt, true);
    m_cache.insert(sql, stmt);
    return Stmt(this, stmt, false);
}

Status Db::exec(const char *sql)
{
    char *msg = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &msg);
    if (rc != SQLITE_OK) {
        Error e = errorFromCode(rc);
        if (msg && ioFailure(m_db, rc).isEmpty())
            e.message = QStringLiteral("database error: %1").arg(QString::fromUtf8(msg));
        sqlite3_free(msg);
        return e;
    }
    return {};
}

Result<qint64> Db::queryInt(const char *sql)
{
    auto st = prepare(sql);
    if (!st.ok())
        return st.error();
    auto row = st->step();
    if (!row.ok())
        return row.error();
    if (!row.value())
        return makeError(Error::Code::Database, QStringLiteral("database error: no result"),
                                                               m_file);
    return st->int64(0);
}

qint64 Db::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}
int Db::changes() const
{
    return sqlite3_changes(m_db);
}

Error Db::errorFromCode(int rc, const QString &context) const
{
    Error::Code code = Error::Code::Database;
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        code = Error::Code::Locked;
    else if (primary == SQLITE_CANTOPEN)
        code = Error::Code::Io;
    QString msg = QString::fromUtf8(sqlite3_errstr(rc));
    const QString io = ioFailure(m_db, rc);
    if (!io.isEmpty()) {
        code = Error::Code::Io;
        msg = io;
    }
    if (primary == SQLITE_BUSY)
        msg = QStringLiteral("the project is busy in another program (%1)").arg(msg);
    if (!context.isEmpty())
        msg = context + QStringLiteral(": ") + msg;
    if (!io.isEmpty())
        return makeError(code, msg, m_file);
    return makeError(code, QStringLiteral("database error: %1").arg(msg), m_file);
}

Error Db::error(const QString &context) const
{
    const int rc = sqlite3_extended_errcode(m_db);
    Error e = errorFromCode(rc, context);
    const QString io = ioFailure(m_db, rc);
    QString msg = io.isEmpty() ? QString::fromUtf8(sqlite3_errmsg(m_db)) : io;
    if (!context.isEmpty())
        msg = context + QStringLiteral(": ") + msg;
    if ((sqlite3_errcode(m_db) & 0xff) == SQLITE_BUSY)
        msg = QStringLiteral("the project is busy in another program (%1)").arg(msg);
    e.message = io.isEmpty() ? QStringLiteral("database error: %1").arg(msg) : msg;
    return e;
}

// ---- Transaction ------------------------------------------------------------

Transaction::~Transaction()
{
    if (m_level > 0)
        rollback();
}

Status Transaction::begin()
{
    Q_ASSERT(m_level == 0);
    const int level = m_db.m_depth + 1;
    Status s = level == 1
                   ? m_db.exec("BEGIN IMMEDIATE")
                   : m_db.exec(QStringLiteral("SAVEPOINT sp%1").arg(level).toLatin1().constData());
    if (!s.ok())
        return s;
    m_level = level;
    m_db.m_depth = level;
    return {};
}

Status Transaction::commit()
{
    Q_ASSERT(m_level > 0 && m_level == m_db.m_depth);
    Status s = m_level == 1
                   ? m_db.exec("COMMIT")
                   : m_db.exec(QStringLiteral("RELEASE sp%1").arg(m_level).toLatin1().constData());
    if (!s.ok()) {
        rollback();
        return s;
    }
    m_db.m_depth = m_level - 1;
    m_level = 0;
    return {};
}

void Transaction::rollback()
{
    if (m_level == 0)
        return;
    if (m_level == 1) {
        // Fails harmlessly when SQLite already rolled back on its own (e.g. after SQLITE_FULL).
        if (!sqlite3_get_autocommit(m_db.m_db))
            (void)m_db.exec("ROLLBACK");
    } else {
        const QByteArray n = QByteArray::number(m_level);
        (void)m_db.exec(("ROLLBACK TO sp" + n + "; RELEASE sp" + n).constData());
    }
    m_db.m_depth = m_level - 1;
    m_level = 0;
}

} // namespace salient::sqlite
