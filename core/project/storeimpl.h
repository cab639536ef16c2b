// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Private to core/project: ProjectStore's state, shared by the store*.cpp files.

#include "core/project/sqlite.h"
#include "core/project/store.h"

#include <functional>
#include <vector>

namespace salient {

struct ProjectStore::Impl {
    ProjectStore *q = nullptr;
    std::unique_ptr<sqlite::Db> db;
    QString file; ///< absolute path of the .salient file
    QString dir;  ///< its folder, '/'-separated
    bool readOnly = false;
    QString lockedBy; ///< holder of the project's lock that made a read-write open read-only
    int version = 0;
    qint64 localCommits = 0; ///< data_version does not count this connection's own commits
    /// Signals of the open transaction levels: emitted after the outermost
    /// commit, dropped with a rollback.
    std::vector<std::vector<std::function<void()>>> pending;

    /// Runs body in one transaction (savepoint when nested); emits what it queued once committed.
    Status write(const std::function<Status()> &body);
    /// Queues a signal for after the commit of the current write.
    void notify(std::function<void()> emitter);

    Error error(Error::Code code, const QString &message) const
    {
        return makeError(code, message, db ? db->file() : file);
    }
    Result<sqlite::Stmt> prepare(const char *sql) { return db->prepare(sql); }
    Result<sqlite::Stmt> prepare(const QByteArray &sql) { return db->prepare(sql); }

    // Shared helpers (storeimages.cpp uses the class ones on import).
    Result<qint64> findClass(const QString &name);
    Result<qint64> createClass(const QString &name, const QColor &color);
    Result<bool> imageExists(qint64 id);
    Result<QVector<qint64>> imagesWithClass(qint64 classId);
};

/// A distinct colour for the index-th class (golden-ratio steps around the hue circle).
QColor distinctClassColor(int index);

/// Calls fn() for each row of st; stops at the first error.
template <typename Fn>
Status eachRow(sqlite::Stmt &st, Fn &&fn)
{
    for (;;) {
        auto row = st.step();
        SALIENT_TRY(row);
        if (!row.value())
            return {};
        fn();
    }
}

/// "[1,2,3]" for `json_each(?)`: integers only, never user text.
QByteArray idsJson(const QVector<qint64> &ids);

} // namespace salient
