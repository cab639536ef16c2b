// SPDX-License-Identifier: GPL-3.0-or-later
// Two programs on one project: a live holder of the project's lock refuses a
// second writer with a message naming it (pid and host), a lock left by a dead
// process is taken over at once, and a second opener reads but writes nothing.
// The holder is a separate program (LOCKHOLDER_PATH), as a second studio is.

#include "core/project/projectlock.h"
#include "core/project/store.h"
#include "tests/core/clirun.h"
#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSysInfo>
#include <QTest>

#include <sqlite3.h>

#include <memory>

using namespace salient;

namespace {

/// The lock holder as a second program; started() waits for its "locked <pid>".
struct Holder {
    QProcess process;
    qint64 pid = 0;

    bool start(const QString &project, const QStringList &flags = {})
    {
        process.start(QStringLiteral(LOCKHOLDER_PATH), QStringList{project} + flags);
        if (!process.waitForStarted(10000))
            return false;
        QByteArray line;
        while (!line.endsWith('\n')) {
            if (!process.waitForReadyRead(10000)) {
                qWarning("lockholder: %s", process.readAllStandardError().constData());
                return false;
            }
            line += process.readAllStandardOutput();
        }
        const QList<QByteArray> parts = line.trimmed().split(' ');
        pid = parts.value(1).toLongLong();
        return parts.value(0) == "locked" && pid > 0;
    }
    QByteArray ask(const QByteArray &command)
    {
        process.write(command + '\n');
        QByteArray line;
        while (!line.endsWith('\n') && process.waitForReadyRead(10000))
            line += process.readAllStandardOutput();
        return line.trimmed();
    }
    ~Holder()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(10000);
        }
    }
};

QByteArray digest(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "(none)";
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

bool writeLockFile(const QString &project, const QByteArray &content, qint64 ageSeconds)
{
    QFile f(ProjectLock::lockFilePath(project));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        return false;
    f.close();
    if (!f.open(QIODevice::ReadWrite))
        return false;
    return f.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-ageSeconds),
                         QFileDevice::FileModificationTime);
}

qint64 lockFilePid(const QString &project)
{
    QFile f(ProjectLock::lockFilePath(project));
    return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed().toLongLong() : 0;
}

} // namespace

class ProjectLockTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void liveHolderRefusesSecondWriter()
    {
        test::TempProject p;
        p.close();
        Holder holder;
        QVERIFY(holder.start(p.file()));

        ProjectLock mine(p.file());
        const Status s = mine.tryLock();
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Locked);
        const QString text = s.error().toString();
        QVERIFY2(text.contains(QStringLiteral("in use by")), qPrintable(text));
        QVERIFY2(text.contains(
            QStringLiteral("pid %1 on host %2") .arg(holder.pid).arg(QSysInfo::machineHostName())),
            qPrintable(text));
        QVERIFY2(text.startsWith(p.file()), qPrintable(text)); // names the project
        QVERIFY(!mine.isLocked());
        QCOMPARE(mine.holder()->pid, holder.pid);
        QCOMPARE(ProjectLock::otherHolder(p.file())->pid, holder.pid);

        // The holder lets go: the project is free at once.
        holder.process.write("quit\n");
        QVERIFY(holder.process.waitForFinished(10000));
        QCOMPARE(holder.process.exitCode(), 0);
        QVERIFY(!QFileInfo::exists(ProjectLock::lockFilePath(p.file())));
        QVERIFY(mine.tryLock().ok());
        QCOMPARE(lockFilePid(p.file()), QCoreApplication::applicationPid());
        mine.unlock();
        QVERIFY(!QFileInfo::exists(ProjectLock::lockFilePath(p.file())));
    }

    void lockOfDeadProcessIsTakenOverAtOnce_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("holder killed with SIGKILL") << QStringLiteral("kill");
        QTest::newRow("holder exited without unlocking") << QStringLiteral("exit");
        QTest::newRow("pid now used by another program") << QStringLiteral("reused");
        QTest::newRow("lock file left empty an hour ago") << QStringLiteral("empty");
    }

    void lockOfDeadProcessIsTakenOverAtOnce()
    {
        QFETCH(QString, how);
        test::TempProject p;
        p.close();
        Holder holder;
        QProcess other;
        if (how == QLatin1String("kill")) {
            QVERIFY(holder.start(p.file(), {QStringLiteral("--store")}));
            holder.process.kill();
            QVERIFY(holder.process.waitForFinished(10000));
        } else if (how == QLatin1String("exit")) {
            QVERIFY(holder.start(p.file(), {QStringLiteral("--exit-without-unlock")}));
            QVERIFY(holder.process.waitForFinished(10000));
        } else if (how == QLatin1String("reused")) {
            other.start(QStringLiteral("sleep"), {QStringLiteral("30")});
            QVERIFY(other.waitForStarted(10000));
            QVERIFY(writeLockFile(p.file(),
                                  QByteArray::number(other.processId()) + "\nsalient\n"
                                      + QSysInfo::machineHostName().toUtf8() + '\n',
                                  10));
        } else {
            QVERIFY(writeLockFile(p.file(), QByteArray(), 3600));
        }
        QVERIFY(QFileInfo::exists(ProjectLock::lockFilePath(p.file())));
        QVERIFY(!ProjectLock::otherHolder(p.file()));
        {
            // A writer that does not lock (a worker) is not held back either.
            auto store = ProjectStore::open(p.file());
            QVERIFY(store.ok());
            QVERIFY(!store.value()->isReadOnly());
        }

        ProjectLock mine(p.file());
        const Status s = mine.tryLock(); // at once: no waiting, no retry by the caller
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QCOMPARE(lockFilePid(p.file()), QCoreApplication::applicationPid());
        if (other.state() != QProcess::NotRunning) {
            other.kill();
            other.waitForFinished(10000);
        }
    }

    void lockThatMustHoldIsNotTakenOver_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("said");
        QTest::newRow("live holder, lock file a day old")
            << QStringLiteral("old") << QStringLiteral("(pid ");
        QTest::newRow("holder on another host")
            << QStringLiteral("host") << QStringLiteral("on host lab-7.example");
        QTest::newRow("lock file being written")
            << QStringLiteral("fresh") << QStringLiteral("being opened by another program");
    }

    void lockThatMustHoldIsNotTakenOver()
    {
        QFETCH(QString, how);
        QFETCH(QString, said);
        test::TempProject p;
        p.close();
        Holder holder;
        if (how == QLatin1String("old")) {
            QVERIFY(holder.start(p.file()));
            QFile lockFile(ProjectLock::lockFilePath(p.file()));
            QVERIFY(lockFile.open(QIODevice::ReadWrite));
            QVERIFY(lockFile.setFileTime(QDateTime::currentDateTimeUtc().addDays(-1),
                                         QFileDevice::FileModificationTime));
        } else if (how == QLatin1String("host")) {
            QVERIFY(writeLockFile(p.file(), "999999\nsalient\nlab-7.example\n", 3600));
        } else {
            QVERIFY(writeLockFile(p.file(), QByteArray(), 0));
        }
        const QByteArray before = digest(ProjectLock::lockFilePath(p.file()));

        ProjectLock mine(p.file());
        const Status s = mine.tryLock();
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Locked);
        QVERIFY2(s.error().message.contains(said), qPrintable(s.error().toString()));
        QCOMPARE(digest(ProjectLock::lockFilePath(p.file())), before); // left as it was
    }

    void secondOpenerReadsButWritesNothing()
    {
        test::TempProject p;
        NewImage img;
        img.absolutePath = p.dir() + QStringLiteral("/a.png");
        img.hash = "a";
        img.width = 64;
        img.height = 48;
        QVERIFY(p.store().addImages({img}).ok());
        const qint64 cls = p.store().addClass(QStringLiteral("cat")).value();
        p.close();
        Holder holder;
        QVERIFY(holder.start(p.file(), {QStringLiteral("--store")}));

        // Asked for read-write, it gets read-only: the holder is the writer.
        auto opened = ProjectStore::open(p.file(), ProjectStore::OpenMode::ReadWrite);
        QVERIFY(opened.ok());
        ProjectStore &s = *opened.value();
        QVERIFY(s.isReadOnly());
        QCOMPARE(s.classes()->size(), 1); // reading works
        const qint64 image = s.imageIds()->value(0);

        const QByteArray mainBefore = digest(p.file());
        const QByteArray walBefore = digest(p.file() + QStringLiteral("-wal"));
        Shape box;
        box.imageId = image;
        box.classId = cls;
        box.geometry = Box{QRectF(1, 2, 10, 10)};
        NewImage more = img;
        more.absolutePath = p.dir() + QStringLiteral("/b.png");
        const auto status = [](const auto &r) { return r.ok() ? Status() : Status(r.error()); };
        const QVector<Status> writes = {
            status(s.addClass(QStringLiteral("dog"))),
                   s.setSetting(QStringLiteral("k"), QStringLiteral("v")),
                                s.setLabels({LabelSet{image, {cls}}}), status(s.addShapes({box})),
                                status(s.addImages({more})),
                                s.renameClass(cls, QStringLiteral("kitten")),
                                };
        for (const Status &w : writes) {
            QVERIFY(!w.ok());
            QCOMPARE(w.error().code, Error::Code::Locked);
            QVERIFY2(w.error().message.contains(QStringLiteral("pid %1").arg(holder.pid)),
                                                qPrintable(w.error().toString()));
            QVERIFY2(w.error().message.contains(QStringLiteral("not saved")),
                                                qPrintable(w.error().toString()));
        }
        // Not even raw SQL gets through: the connection itself is read-only.
        QVERIFY(sqlite3_exec(s.handle(), "INSERT INTO settings(key, value) VALUES ('x', 'y')",
                             nullptr, nullptr, nullptr)
                != SQLITE_OK);
        QCOMPARE(digest(p.file()), mainBefore);
        QCOMPARE(digest(p.file() + QStringLiteral("-wal")), walBefore);

        // The holder still writes, and the reader sees it.
        QVERIFY(holder.ask("write fresh").startsWith("wrote "));
        QVERIFY(s.classIdByName(QStringLiteral("fresh")).ok());
        QCOMPARE(s.classIdByName(QStringLiteral("dog")).error().code, Error::Code::NotFound);
    }

    void cliCommandThatWritesIsRefusedWhileHeld()
    {
        test::TempProject p;
        p.close();
        QVERIFY(test::writePng(p.path(QStringLiteral("in/one.png")), 16, 16));
        Holder holder;
        QVERIFY(holder.start(p.file(), {QStringLiteral("--store")}));

        auto r =
            test::runCli({QStringLiteral("import"), p.file(), p.dir() + QStringLiteral("/in")});
        QCOMPARE(r.code, 1);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(p.file()), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("in use by")), qPrintable(err));
        QVERIFY2(err.contains(
            QStringLiteral("pid %1 on host %2") .arg(holder.pid).arg(QSysInfo::machineHostName())),
            qPrintable(err));
        // Reading commands still work beside the holder.
        QCOMPARE(test::runCli({QStringLiteral("info"), p.file()}).code, 0);

        // The holder dies without letting go: the next command takes over at once.
        holder.process.kill();
        QVERIFY(holder.process.waitForFinished(10000));
        r = test::runCli({QStringLiteral("import"), p.file(), p.dir() + QStringLiteral("/in")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(!QFileInfo::exists(ProjectLock::lockFilePath(p.file()))); // released at exit
        QCOMPARE(p.reopen().countImages().value(), 1);
    }
};

QTEST_GUILESS_MAIN(ProjectLockTest)
#include "locktest.moc"
