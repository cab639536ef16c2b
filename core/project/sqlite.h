// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A thin RAII layer over the sqlite3 C API, private to core/project.
// Every statement is prepared (values are bound, never spliced into SQL) and
// cached per connection; errors become salient::Error values naming the file.

#include "core/util/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace salient::sqlite {

class Db;

/// A prepared statement borrowed from the connection's cache. Reset and
/// unbound when it goes out of scope, so it can be handed out again.
class Stmt {
public:
    Stmt(Stmt &&other) noexcept;
    Stmt &operator=(Stmt &&) = delete;
    Stmt(const Stmt &) = delete;
    ~Stmt();

    // Parameters are 1-based, as in SQLite.
    Stmt &bind(int index, qint64 value);
    Stmt &bind(int index, int value) { return bind(index, qint64(value)); }
    Stmt &bind(int index, bool value) { return bind(index, qint64(value ? 1 : 0)); }
    Stmt &bind(int index, double value);
    Stmt &bind(int index, const QString &text);
    Stmt &bindText(int index, const QByteArray &utf8);
    Stmt &bindBlob(int index, const QByteArray &bytes);
    Stmt &bindNull(int index);

    /// Advances: true when a row is ready, false when done (the statement is
    /// then reset, ready to be bound again).
    Result<bool> step();
    /// Ends an iteration early so the statement can be bound again; keeps the bindings.
    void reset();
    /// Runs to completion (for INSERT/UPDATE/DELETE).
    Status exec();
    /// Calls row(*this) for each result row; SQLite's error, if any, ends it.
    template <class F>
    Status forEachRow(F &&row)
    {
        for (;;) {
            auto r = step();
            if (!r.ok())
                return r.error();
            if (!r.value())
                return {};
            row(*this);
        }
    }

    // Columns are 0-based.
    bool isNull(int col) const;
    qint64 int64(int col) const;
    int toInt(int col) const { return int(int64(col)); }
    double real(int col) const;
    QString text(int col) const;
    QByteArray textBytes(int col) const;
    QByteArray blob(int col) const;

private:
    friend class Db;
    Stmt(Db *db, sqlite3_stmt *stmt, bool owned);
    Db *m_db;
    sqlite3_stmt *m_stmt;
    bool m_owned;     ///< not from the cache (the cached one was in use): finalize on destruction
    int m_bindRc = 0; ///< first bind failure, reported by step()
};

/// One connection. Belongs to one thread.
class Db {
public:
    enum class Mode { ReadWrite, ReadOnly, Create };

    /// Opens (or creates) the file with a 5 s busy timeout. Pragmas are the caller's.
    static Result<std::unique_ptr<Db>> open(const QString &file, Mode mode);
    ~Db();
    Db(const Db &) = delete;
    Db &operator=(const Db &) = delete;

    sqlite3 *handle() const { return m_db; }
    const QString &file() const { return m_file; }
    bool isReadOnly() const { return m_readOnly; }

    /// A cached prepared statement for fixed SQL text.
    Result<Stmt> prepare(const QByteArray &sql);
    Result<Stmt> prepare(const char *sql) { return prepare(QByteArray(sql)); }
    /// Runs fixed SQL (DDL, pragmas) that takes no values.
    Status exec(const char *sql);
    /// First column of the first row of fixed SQL, e.g. a pragma.
    Result<qint64> queryInt(const char *sql);

    qint64 lastInsertId() const;
    int changes() const;
    int transactionDepth() const { return m_depth; }

    /// A Database error with SQLite's last message, naming the file.
    Error error(const QString &context = {}) const;
    Error errorFromCode(int rc, const QString &context = {}) const;

private:
    friend class Transaction;
    Db() = default;
    sqlite3 *m_db = nullptr;
    QString m_file;
    bool m_readOnly = false;
    int m_depth = 0;
    QHash<QByteArray, sqlite3_stmt *> m_cache;
};

/// BEGIN IMMEDIATE ... COMMIT at the outermost level, SAVEPOINT inside it.
/// Rolls back on destruction unless committed.
class Transaction {
public:
    explicit Transaction(Db &db) : m_db(db) {}
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    Status begin();
    Status commit();
    void rollback();
    bool isOutermost() const { return m_level == 1; }

private:
    Db &m_db;
    int m_level = 0; ///< 0: not active
};

} // namespace salient::sqlite
