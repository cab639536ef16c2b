// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the crash and disk-full suites ask SQLite directly, beside the store:
// one PRAGMA's first value, and a project file's integrity check. Header-only,
// so each suite links SQLite itself (SQLite::SQLite3) and nothing more.

#include <QByteArray>
#include <QString>

#include <sqlite3.h>

namespace salient::test {

/// The first column of the first row of `sql` (e.g. "PRAGMA integrity_check").
inline QByteArray pragmaText(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
        return "prepare failed";
    QByteArray out = sqlite3_step(st) == SQLITE_ROW
                         ? QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)))
                         : QByteArray("(no row)");
    sqlite3_finalize(st);
    return out;
}

/// "ok" when SQLite finds `file` whole (opened read-only), else what it said.
inline QString integrityCheck(const QString &file)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(file.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        const QString e = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_close(db);
        return e;
    }
    const QString result = QString::fromUtf8(pragmaText(db, "PRAGMA integrity_check"));
    sqlite3_close(db);
    return result;
}

} // namespace salient::test
