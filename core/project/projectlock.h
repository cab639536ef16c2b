// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QString>

#include <memory>
#include <optional>

class QLockFile;

namespace salient {

/// Who holds a project's lock, as written in the lock file.
struct LockOwner {
    qint64 pid = 0;
    QString host;
    QString app; ///< the holder's program (executable name)

    /// "Salient Studio" for the studio, else the program's name.
    QString appDisplayName() const;
    /// "Salient Studio (pid 123 on host lab-3)".
    QString describe() const;
};

/// One writer per project: a lock file beside the project ("<file>.lock",
/// a QLockFile holding the pid, host and program of its holder), taken by the
/// studio while a project is open and by the CLI commands that write.
///
/// A lock left by a process that died on this host (crash, SIGKILL, power
/// loss) is taken over at once; a live holder is never timed out, however long
/// it keeps the project open. A lock file that cannot be read (its writer died
/// while writing it) is taken over once it is a few seconds old. A lock from
/// another host cannot be checked from here: it holds until that host's
/// program lets go or a person deletes the lock file.
///
/// SQLite itself keeps the file consistent with any number of connections;
/// the lock is about people: two studios editing one project would each show a
/// stale picture of the other's work.
class ProjectLock {
public:
    explicit ProjectLock(const QString &projectFile);
    ~ProjectLock(); ///< lets go of the lock if held
    ProjectLock(const ProjectLock &) = delete;
    ProjectLock &operator=(const ProjectLock &) = delete;

    /// "<projectFile>.lock".
    static QString lockFilePath(const QString &projectFile);

    /// The live holder of the project's lock, if a process other than this one
    /// holds it (a dead holder on this host does not count). Reads the lock
    /// file only; takes nothing.
    static std::optional<LockOwner> otherHolder(const QString &projectFile);

    /// Takes the lock without waiting. Fails with Error::Code::Locked naming
    /// the project and the holder ("in use by Salient Studio (pid N on host
    /// H)"), or Error::Code::Io when the lock file cannot be written (a
    /// read-only folder).
    Status tryLock();
    bool isLocked() const;
    void unlock();

    QString projectFile() const { return m_projectFile; }
    /// The holder seen by the last failed tryLock().
    std::optional<LockOwner> holder() const { return m_holder; }

private:
    QString m_projectFile;
    std::unique_ptr<QLockFile> m_lock;
    std::optional<LockOwner> m_holder;
};

} // namespace salient
