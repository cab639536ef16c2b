// SPDX-License-Identifier: GPL-3.0-or-later
// A writer process killed with SIGKILL mid-work: the project reopens intact and
// holds every write the writer acknowledged. The test binary is its own writer
// (`--child-writer FILE`).
#include "core/project/store.h"
#include "tests/support/tempproject.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <sqlite3.h>

#include <cstdio>

using namespace salient;

namespace {

/// Adds one labelled image per round and then marks it done, printing one line
/// after each committed write, until it is killed.
int childWriter(const QString &file)
{
    auto store = ProjectStore::open(file);
    if (!store.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error().toString()));
        return 2;
    }
    ProjectStore &s = *store.value();
    for (int i = 0;; ++i) {
        NewImage n;
        n.absolutePath =
            s.directory() + QStringLiteral("/img/%1.png").arg(i, 6, 10, QLatin1Char('0'));
        n.hash = QByteArray::number(i);
        n.labels = {QStringLiteral("class%1").arg(i % 3)};
        n.meta.insert(QStringLiteral("round"), QString::number(i));
        auto ids = s.addImages({n});
        if (!ids.ok() || ids->at(0) == 0)
            return 3;
        std::printf("added %d\n", i);
        std::fflush(stdout);
        if (!s.setStatus({ids->at(0)}, ImageStatus::Done).ok())
            return 4;
        std::printf("done %d\n", i);
        std::fflush(stdout);
    }
}

} // namespace

class StoreCrashTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedWriterLosesNoAcknowledgedWrite_data()
    {
        QTest::addColumn<int>("acks");
        QTest::newRow("killed after 1 write") << 1;
        QTest::newRow("killed after 15 writes") << 15;
        QTest::newRow("killed after 60 writes") << 60;
        QTest::newRow("killed after 150 writes") << 150;
    }

    void killedWriterLosesNoAcknowledgedWrite()
    {
        QFETCH(int, acks);
        salient::test::TempProject p;
        p.close();

        QProcess child;
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--child-writer"), p.file()});
        QVERIFY(child.waitForStarted());
        int lastAdded = -1;
        int lastDone = -1;
        int seen = 0;
        QByteArray buffer;
        while (seen < acks) {
            if (!child.waitForReadyRead(10000))
                QFAIL(qPrintable(QStringLiteral("writer stopped: %1").arg(
                    QString::fromLocal8Bit(child.readAllStandardError()))));
            buffer += child.readAllStandardOutput();
            int nl;
            while ((nl = buffer.indexOf('\n')) >= 0) { // only complete lines are acknowledgements
                const QList<QByteArray> parts = buffer.left(nl).split(' ');
                buffer.remove(0, nl + 1);
                QCOMPARE(parts.size(), 2);
                (parts[0] == "added" ? lastAdded : lastDone) = parts[1].toInt();
                ++seen;
            }
        }
        child.kill(); // SIGKILL: no destructors, no checkpoint, the WAL stays behind
        QVERIFY(child.waitForFinished(10000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        ProjectStore &s = p.reopen();
        sqlite3_stmt *st = nullptr;
        QCOMPARE(sqlite3_prepare_v2(s.handle(), "PRAGMA integrity_check", -1, &st, nullptr),
                 SQLITE_OK);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        QCOMPARE(QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(st, 0))),
                 QByteArray("ok"));
        sqlite3_finalize(st);
        QCOMPARE(sqlite3_prepare_v2(s.handle(), "PRAGMA foreign_key_check", -1, &st, nullptr),
                 SQLITE_OK);
        QCOMPARE(sqlite3_step(st), SQLITE_DONE); // no row: no dangling label or metadata
        sqlite3_finalize(st);

        const qint64 count = s.countImages().value();
        QVERIFY2(
            count >= lastAdded + 1,
            qPrintable(QStringLiteral("%1 images, %2 acknowledged").arg(count).arg(lastAdded + 1)));
        const QVector<qint64> ids = s.imageIds().value();
        const QVector<ImageRecord> recs = s.images(ids).value();
        const auto labels = s.labels(ids).value();
        for (int i = 0; i <= lastAdded; ++i) {
            const ImageRecord &r = recs.at(i); // paths sort in round order
            QCOMPARE(r.path, QStringLiteral("img/%1.png").arg(i, 6, 10, QLatin1Char('0')));
            QCOMPARE(labels.value(r.id).size(), 1);
            QCOMPARE(s.meta(r.id)->value(QStringLiteral("round")), QString::number(i));
            if (i <= lastDone)
                QCOMPARE(r.status, ImageStatus::Done);
        }
        // And the project takes new writes.
        QVERIFY(s.setSetting(QStringLiteral("after"), QStringLiteral("crash")).ok());
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 3 && qstrcmp(argv[1], "--child-writer") == 0)
        return childWriter(QString::fromLocal8Bit(argv[2]));
    StoreCrashTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "storecrashtest.moc"
