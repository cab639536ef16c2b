// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to core/runs: a prepared sqlite3 statement that finalizes itself
// and turns SQLite's complaints into salient::Error values naming the project
// file. Values are always bound, never spliced into SQL.

#include "core/util/result.h"

#include <QByteArray>
#include <QDir>
#include <QString>

#include <sqlite3.h>

#include <utility>

namespace salient::train::detail {

inline Error sqlError(sqlite3 *db, const QString &file, const QString &context)
{
    return makeError(Error::Code::Database,
                     QStringLiteral("database error: %1: %2") .arg(
                                        context, QString::fromUtf8(sqlite3_errmsg(db))),
                                    QDir::toNativeSeparators(file));
}

class SqlStatement {
public:
    /// Prepares fixed SQL text; `context` says what the statement is for in error messages.
    static Result<SqlStatement> prepare(sqlite3 *db, const QString &file, const char *sql,
                                        const QString &context)
    {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
            sqlite3_finalize(st);
            return sqlError(db, file, context);
        }
        return SqlStatement(db, st, file, context);
    }

    SqlStatement(SqlStatement &&o) noexcept
        : m_db(o.m_db), m_st(std::exchange(o.m_st, nullptr)), m_file(std::move(o.m_file)),
          m_context(std::move(o.m_context)), m_bindRc(o.m_bindRc)
    {
    }
    SqlStatement &operator=(SqlStatement &&) = delete;
    SqlStatement(const SqlStatement &) = delete;
    ~SqlStatement() { sqlite3_finalize(m_st); }

    // Parameters are 1-based, as in SQLite.
    SqlStatement &bind(int i, qint64 v) { return note(sqlite3_bind_int64(m_st, i, v)); }
    SqlStatement &bind(int i, int v) { return bind(i, qint64(v)); }
    SqlStatement &bind(int i, double v) { return note(sqlite3_bind_double(m_st, i, v)); }
    SqlStatement &bind(int i, const QString &text)
    {
        const QByteArray utf8 = text.toUtf8();
        return note(sqlite3_bind_text64(m_st, i, utf8.constData(), sqlite3_uint64(utf8.size()),
                                        SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    SqlStatement &bindText(int i, const QByteArray &utf8)
    {
        return note(sqlite3_bind_text64(m_st, i, utf8.constData(), sqlite3_uint64(utf8.size()),
                                        SQLITE_TRANSIENT, SQLITE_UTF8));
    }
    /// Binds without copying: `data` must stay alive and unchanged until the
    /// statement is stepped to its end or reset (checkpoints are 50-100 MB).
    SqlStatement &bindBlobNoCopy(int i, const void *data, qint64 size)
    {
        // A zero-length blob must still be a blob (not NULL): SQLite needs a non-null pointer.
        static const char kEmpty = 0;
        return note(sqlite3_bind_blob64(m_st, i, size > 0 ? data : &kEmpty, sqlite3_uint64(size),
                                        SQLITE_STATIC));
    }

    /// True when a row is ready; false when done (then reset for the next binding).
    Result<bool> step()
    {
        if (m_bindRc != SQLITE_OK) {
            Error e = makeError(
                Error::Code::Database,
                QStringLiteral("database error: %1: %2") .arg(
                                   m_context, QString::fromUtf8(sqlite3_errstr(m_bindRc))),
                               QDir::toNativeSeparators(m_file));
            reset();
            return e;
        }
        const int rc = sqlite3_step(m_st);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE) {
            sqlite3_reset(m_st);
            return false;
        }
        Error e = sqlError(m_db, m_file, m_context);
        sqlite3_reset(m_st);
        return e;
    }
    /// Calls row(*this) for each result row; SQLite's error, if any, ends it.
    template <class F>
    Status forEachRow(F &&row)
    {
        for (;;) {
            auto r = step();
            SALIENT_TRY(r);
            if (!r.value())
                return {};
            row(*this);
        }
    }
    /// Runs an INSERT/UPDATE/DELETE to completion.
    Status exec()
    {
        return forEachRow([](const SqlStatement &) {});
    }
    /// Ends an iteration early; bindings stay, blobs bound without copy are released.
    void reset()
    {
        sqlite3_reset(m_st);
        m_bindRc = SQLITE_OK;
    }
    void clearBindings() { sqlite3_clear_bindings(m_st); }

    // Columns are 0-based.
    qint64 int64(int c) const { return sqlite3_column_int64(m_st, c); }
    int toInt(int c) const { return sqlite3_column_int(m_st, c); }
    double real(int c) const { return sqlite3_column_double(m_st, c); }
    QByteArray textBytes(int c) const
    {
        const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(m_st, c));
        return QByteArray(p, sqlite3_column_bytes(m_st, c));
    }
    QString text(int c) const { return QString::fromUtf8(textBytes(c)); }
    /// The blob's bytes and size, valid until the next step or reset.
    const void *blobData(int c) const { return sqlite3_column_blob(m_st, c); }
    qint64 blobSize(int c) const { return sqlite3_column_bytes(m_st, c); }
    QByteArray blob(int c) const
    {
        const void *p = blobData(c);
        return QByteArray(static_cast<const char *>(p), int(blobSize(c)));
    }

private:
    SqlStatement(sqlite3 *db, sqlite3_stmt *st, QString file, QString context)
        : m_db(db), m_st(st), m_file(std::move(file)), m_context(std::move(context))
    {
    }
    SqlStatement &note(int rc)
    {
        if (rc != SQLITE_OK && m_bindRc == SQLITE_OK)
            m_bindRc = rc;
        return *this;
    }

    sqlite3 *m_db;
    sqlite3_stmt *m_st;
    QString m_file;
    QString m_context;
    int m_bindRc = SQLITE_OK;
};

} // namespace salient::train::detail
