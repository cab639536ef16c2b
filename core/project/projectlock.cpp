// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/project/projectlock.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSysInfo>

#include <cerrno>

#include <signal.h>

namespace salient {

namespace {

/// A lock file without readable content is one whose writer died between
/// creating and filling it (QLockFile writes both within microseconds).
constexpr qint64 kUnreadableLockGraceMs = 5000;

std::optional<LockOwner> readOwner(QLockFile &lock)
{
    LockOwner o;
    if (!lock.getLockInfo(&o.pid, &o.host, &o.app))
        return std::nullopt;
    return o;
}

/// Whether the process that wrote `o` is certainly gone. Only a holder on this
/// host can be checked; anything unsure counts as alive.
bool certainlyDead(const LockOwner &o)
{
    if (!o.host.isEmpty() && o.host != QSysInfo::machineHostName())
        return false;
    if (o.pid <= 0)
        return false;
    if (::kill(pid_t(o.pid), 0) == -1 && errno == ESRCH)
        return true;
#ifdef Q_OS_LINUX
    // A zombie (killed, not yet reaped by its parent) answers kill() but holds nothing.
    QFile stat(QStringLiteral("/proc/%1/stat").arg(o.pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray s = stat.readAll();
        const int close = s.lastIndexOf(')');
        if (close > 0 && close + 2 < s.size() && s.at(close + 2) == 'Z')
            return true;
    }
    // The pid was reused by another program after the holder died.
    const QString exe = QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(o.pid));
    if (!exe.isEmpty() && !o.app.isEmpty()) {
        QString name = QFileInfo(exe).fileName();
        name.remove(QStringLiteral(" (deleted)")); // the binary was replaced by an update
        if (name != o.app)
            return true;
    }
#endif
    return false;
}

bool isThisProcess(const LockOwner &o)
{
    return o.pid == QCoreApplication::applicationPid()
           && (o.host.isEmpty() || o.host == QSysInfo::machineHostName());
}

} // namespace

QString LockOwner::appDisplayName() const
{
    if (app == QLatin1String("salient"))
        return QStringLiteral("Salient Studio");
    return app.isEmpty() ? QStringLiteral("another program") : app;
}

QString LockOwner::describe() const
{
    return QStringLiteral("%1 (pid %2 on host %3)")
                              .arg(appDisplayName())
                              .arg(pid)
                              .arg(host.isEmpty() ? QStringLiteral("?") : host);
}

ProjectLock::ProjectLock(const QString &projectFile)
    : m_projectFile(QFileInfo(projectFile).absoluteFilePath()),
      m_lock(std::make_unique<QLockFile>(lockFilePath(m_projectFile)))
{
    // Never stale by age: a studio may keep a project open for days.
    m_lock->setStaleLockTime(0);
}

ProjectLock::~ProjectLock() = default; // QLockFile lets go in its destructor

QString ProjectLock::lockFilePath(const QString &projectFile)
{
    return QFileInfo(projectFile).absoluteFilePath() + QStringLiteral(".lock");
}

std::optional<LockOwner> ProjectLock::otherHolder(const QString &projectFile)
{
    const QString path = lockFilePath(projectFile);
    if (!QFileInfo::exists(path))
        return std::nullopt;
    QLockFile lock(path);
    const auto owner = readOwner(lock);
    if (!owner || isThisProcess(*owner) || certainlyDead(*owner))
        return std::nullopt;
    return owner;
}

Status ProjectLock::tryLock()
{
    if (m_lock->isLocked())
        return {};
    m_holder.reset();
    const QString shown = QDir::toNativeSeparators(m_projectFile);
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (m_lock->tryLock(0))
            return {};
        if (m_lock->error() == QLockFile::PermissionError)
            return makeError(
                Error::Code::Io,
                QStringLiteral("cannot create the lock file %1 (no write access to "
                                            "the folder)")
                                   .arg(QDir::toNativeSeparators(lockFilePath(m_projectFile))),
                               shown);
        if (m_lock->error() != QLockFile::LockFailedError)
            return makeError(Error::Code::Io, QStringLiteral("cannot create the lock file %1") .arg(
                                                                 QDir::toNativeSeparators(
                                                                     lockFilePath(m_projectFile))),
                                                             shown);
        // QLockFile takes over a dead holder's lock by itself; these are the
        // cases it leaves: a zombie, a reused pid, a lock file without content.
        const auto owner = readOwner(*m_lock);
        bool stale = false;
        if (owner) {
            stale = !isThisProcess(*owner) && certainlyDead(*owner);
        } else {
            const QDateTime modified = QFileInfo(lockFilePath(m_projectFile)).lastModified();
            stale = modified.isValid()
                    && modified.msecsTo(QDateTime::currentDateTime()) > kUnreadableLockGraceMs;
        }
        if (stale && attempt == 0 && m_lock->removeStaleLockFile())
            continue;
        m_holder = owner;
        if (owner && isThisProcess(*owner))
            return makeError(Error::Code::Locked,
                             QStringLiteral("the project is already open in this program"), shown);
        return makeError(Error::Code::Locked, owner
                         ? QStringLiteral("the project is in use by %1").arg(owner->describe())
                         : QStringLiteral("the project is being opened by another program"), shown);
    }
    return makeError(Error::Code::Locked,
                     QStringLiteral("the project is being opened by another program"), shown);
}

bool ProjectLock::isLocked() const
{
    return m_lock->isLocked();
}

void ProjectLock::unlock()
{
    m_lock->unlock();
}

} // namespace salient
