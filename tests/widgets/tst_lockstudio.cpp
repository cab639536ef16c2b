// SPDX-License-Identifier: GPL-3.0-or-later
// Two studios on one project, seen from the second one: it is told who has
// the project open (program, pid, host) and may open it read-only or cancel;
// read-only, a label key, an import and a class edit change nothing on disk
// and say why. The first studio is a separate program (lockholder) that holds
// the project's lock and a read-write connection, as an open studio does.

#include "core/models/imagelistmodel.h"
#include "core/project/projectlock.h"
#include "core/project/store.h"
#include "tests/support/imagemaker.h"
#include "tests/widgets/browserfixture.h"
#include "widgets/reviewpanel.h"
#include "widgets/trainingdock.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QPushButton>
#include <QSysInfo>
#include <QTest>

using namespace salient;
using namespace salient::test;

namespace {

QByteArray digest(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return "(none)";
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

qint64 lockFilePid(const QString &project)
{
    QFile f(ProjectLock::lockFilePath(project));
    return f.open(QIODevice::ReadOnly) ? f.readLine().trimmed().toLongLong() : 0;
}

/// Starts the other "studio"; returns its pid (0 on failure).
qint64 startHolder(QProcess &holder, const QString &project)
{
    holder.start(QStringLiteral(LOCKHOLDER_PATH), {project, QStringLiteral("--store")});
    if (!holder.waitForStarted(10000))
        return 0;
    QByteArray line;
    while (!line.endsWith('\n') && holder.waitForReadyRead(10000))
        line += holder.readAllStandardOutput();
    const QList<QByteArray> parts = line.trimmed().split(' ');
    return parts.value(0) == "locked" ? parts.value(1).toLongLong() : 0;
}

} // namespace

class TestLockStudio : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void openStudioHoldsTheLockUntilClosed()
    {
        BrowserFixture f(3);
        QVERIFY(f.ok());
        QCOMPARE(lockFilePid(f.projectFile()), QCoreApplication::applicationPid());
        QVERIFY(!f.window().store()->isReadOnly());
        // Opening the same project again keeps it (no "in use by" with itself).
        QVERIFY(f.window().openProject(f.projectFile()));
        QVERIFY(f.prompter().asked.isEmpty());
        QCOMPARE(lockFilePid(f.projectFile()), QCoreApplication::applicationPid());
        f.window().closeProject();
        QVERIFY(!QFileInfo::exists(ProjectLock::lockFilePath(f.projectFile())));
    }

    void secondStudioIsToldWhoAndMayCancel()
    {
        BrowserFixture f(3);
        QVERIFY(f.ok());
        f.window().closeProject();
        QProcess holder;
        const qint64 pid = startHolder(holder, f.projectFile());
        QVERIFY(pid > 0);

        f.prompter().confirmAnswer = false; // Cancel
        QVERIFY(!f.window().openProject(f.projectFile()));
        QVERIFY(!f.window().store());
        QCOMPARE(f.prompter().asked.size(), 1);
        const QString asked = f.prompter().asked.first();
        QVERIFY2(asked.contains(QStringLiteral("is open in")), qPrintable(asked));
        QVERIFY2(asked.contains(
            QStringLiteral("(pid %1 on host %2)") .arg(pid).arg(QSysInfo::machineHostName())),
            qPrintable(asked));
        QVERIFY2(asked.contains(QStringLiteral("read-only")), qPrintable(asked));
        QCOMPARE(lockFilePid(f.projectFile()), pid); // the holder keeps its lock
        holder.kill();
        holder.waitForFinished(10000);
    }

    void readOnlyStudioWritesNothing()
    {
        BrowserFixture f(3);
        QVERIFY(f.ok());
        f.window().closeProject();
        QProcess holder;
        const qint64 pid = startHolder(holder, f.projectFile());
        QVERIFY(pid > 0);
        QVERIFY(test::writePng(f.dir() + QStringLiteral("/new.png"), 20, 20));

        f.prompter().confirmAnswer = true; // Open read-only
        f.prompter().errors.clear();
        QVERIFY(f.window().openProject(f.projectFile()));
        QApplication::processEvents();
        QVERIFY(f.window().store()->isReadOnly());
        QVERIFY(f.window().windowTitle().contains(QStringLiteral("read-only")));
        QCOMPARE(f.window().imageModel()->rowCount(), 3); // everything can be looked at
        QVERIFY2(f.prompter().errors.isEmpty(), qPrintable(f.prompter().errors.join('\n')));
        // Training and Explain All would store runs and heatmaps: off, and they say why.
        QPushButton *start = nullptr;
        for (QPushButton *b : f.window().trainingDock()->findChildren<QPushButton *>())
            if (b->text() == QStringLiteral("&Start Training"))
                start = b;
        QVERIFY(start);
        QVERIFY(!start->isEnabled());
        QVERIFY2(start->toolTip().contains(QStringLiteral("read-only")),
                 qPrintable(start->toolTip()));
        QVERIFY(!f.window().reviewPanel()->explainAllButton()->isEnabled());
        QVERIFY2(f.window().reviewPanel()->explainAllButton()->toolTip().contains(
                     QStringLiteral("read-only")),
                 qPrintable(f.window().reviewPanel()->explainAllButton()->toolTip()));
        const QByteArray mainBefore = digest(f.projectFile());
        const QByteArray walBefore = digest(f.projectFile() + QStringLiteral("-wal"));
        f.prompter().errors.clear();

        // A label key, as a person would press it: refused with a message.
        f.clickRow(0);
        f.press(Qt::Key_1);
        QApplication::processEvents();
        QVERIFY(f.storedLabels(f.imageIds().at(0)).isEmpty());
        QVERIFY(!f.prompter().errors.isEmpty());
        QVERIFY2(f.prompter().errors.last().contains(QStringLiteral("read-only")),
                                                     qPrintable(f.prompter().errors.last()));
        // An import is refused before it starts.
        QVERIFY(!f.window().startImport({f.dir() + QStringLiteral("/new.png")}, false));
        QVERIFY2(f.prompter().errors.last().contains(QStringLiteral("read-only")),
                                                     qPrintable(f.prompter().errors.last()));
        QCOMPARE(f.reader()->countImages().value(), 3);

        QCOMPARE(digest(f.projectFile()), mainBefore);
        QCOMPARE(digest(f.projectFile() + QStringLiteral("-wal")), walBefore);
        QCOMPARE(lockFilePid(f.projectFile()), pid);

        // The first studio goes away: opening again here edits as usual.
        holder.write("quit\n");
        QVERIFY(holder.waitForFinished(10000));
        f.prompter().asked.clear();
        QVERIFY(f.window().openProject(f.projectFile()));
        QVERIFY(f.prompter().asked.isEmpty());
        QVERIFY(!f.window().store()->isReadOnly());
        QCOMPARE(lockFilePid(f.projectFile()), QCoreApplication::applicationPid());
        QVERIFY2(!start->toolTip().contains(QStringLiteral("read-only")),
                 qPrintable(start->toolTip()));
        QVERIFY(!f.window().reviewPanel()->explainAllButton()->toolTip().contains(
            QStringLiteral("read-only")));
    }
};

QTEST_MAIN(TestLockStudio)
#include "tst_lockstudio.moc"
