// SPDX-License-Identifier: GPL-3.0-or-later
// Disk full while writing: an import, a shape being saved and one big
// transaction fail with a message that names the project file and says what
// happened, and the project opens afterwards with all earlier work
// (integrity check ok). Two ways to run out of room: SQLite's
// `PRAGMA max_page_count` on the writer's connection, and a real file size
// limit (RLIMIT_FSIZE, SIGXFSZ ignored) in a child process, where the write()
// calls themselves fail as on a full disk. The test binary is its own child
// (`--child-fsize FILE LIMIT WHAT`).

#include "core/document/annotationdocument.h"
#include "core/imaging/importer.h"
#include "core/project/store.h"
#include "tests/support/sqlitepragma.h"
#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <csignal>
#include <cstdio>

#include <sys/resource.h>

using namespace salient;

namespace {

using test::pragmaText;

/// A mask of noise: it does not compress, so every saved shape takes room.
Mask noiseMask(QRandomGenerator &rng, int side)
{
    const int x = int(rng.bounded(400 - side));
    const int y = int(rng.bounded(300 - side));
    Mask m(QRect(x, y, side, side));
    for (int yy = y; yy < y + side; ++yy)
        for (int xx = x; xx < x + side; ++xx)
            m.set(xx, yy, rng.bounded(2) == 1);
    m.set(x, y, true); // corners on: the stored window stays the same
    m.set(x + side - 1, y + side - 1, true);
    return m;
}

NewImage fakeImage(const QString &dir, int i)
{
    NewImage n;
    // Long paths make every row take room.
    n.absolutePath = dir
                     + QStringLiteral("/bulk/%1/image-%2.png")
                                          .arg(QString(120, QLatin1Char('x')))
                                          .arg(i, 6, 10, QLatin1Char('0'));
    n.hash = QByteArray::number(i).toHex();
    n.width = 32;
    n.height = 32;
    n.labels = {QStringLiteral("cat")};
    return n;
}

/// What every disk-full message must carry: the project file and the reason.
bool saysDiskFull(const QString &text, const QString &file, QString *why)
{
    *why = text;
    return text.contains(QDir::toNativeSeparators(file))
           && text.contains(QLatin1String("cannot write to the project file"))
           && (text.contains(QLatin1String("the disk is full"))
               || text.contains(QLatin1String("file size limit")))
           && text.contains(QLatin1String("not saved"));
}

/// The child: writes under a file size limit until a write fails, then reports.
int childUnderSizeLimit(const QString &file, qint64 limit, const QString &what)
{
    std::signal(SIGXFSZ, SIG_IGN); // write() then fails with EFBIG instead of killing us
    auto opened = ProjectStore::open(file);
    if (!opened.ok()) {
        std::printf("open-failed %s\n", qPrintable(opened.error().toString()));
        return 2;
    }
    ProjectStore &s = *opened.value();
    const rlimit rl{rlim_t(limit), rlim_t(limit)};
    if (::setrlimit(RLIMIT_FSIZE, &rl) != 0)
        return 3;
    QString error;
    if (what == QLatin1String("shapes")) {
        auto doc = AnnotationDocument::load(s, s.imageIds()->value(0));
        if (!doc.ok())
            return 4;
        QObject::connect(doc.value().get(), &AnnotationDocument::failed,
                         [&](const Error &e) { error = e.toString(); });
        QRandomGenerator rng(5);
        const qint64 cls = s.classes()->value(0).id;
        for (int i = 0; i < 10000 && error.isEmpty(); ++i) {
            const qint64 id = doc.value()->addShape(cls, noiseMask(rng, 96));
            if (id > 0) {
                std::printf("ack %lld\n", static_cast<long long>(id));
                std::fflush(stdout);
            }
        }
    } else if (what == QLatin1String("import")) {
        Importer importer(s);
        ImportOptions options;
        options.paths = {QFileInfo(file).absolutePath() + QStringLiteral("/in")};
        options.threads = 1;
        auto report = importer.run(options);
        if (!report.ok())
            error = report.error().toString();
        else
            std::printf("imported %d of %d (%lld bytes of WAL)\n", report->added, report->scanned,
                        static_cast<long long>(QFileInfo(file + QStringLiteral("-wal")).size()));
    }
    if (error.isEmpty())
        return 5;
    std::printf("error %s\n", qPrintable(error));
    // The connection still reads after the failed write.
    std::printf("read %s\n", s.countImages().ok() ? "ok" : "failed");
    std::fflush(stdout);
    return 0;
}

} // namespace

class DiskFullTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pageLimitRefusesWriteKeepsProject_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("room"); ///< pages the file may still grow by
        QTest::newRow("importing images") << QStringLiteral("import") << 0;
        QTest::newRow("saving shapes") << QStringLiteral("shapes") << 6;
        QTest::newRow("one big transaction") << QStringLiteral("transaction") << 2;
    }

    void pageLimitRefusesWriteKeepsProject()
    {
        QFETCH(QString, what);
        QFETCH(int, room);
        test::TempProject p;
        ProjectStore &s = p.store();
        // Earlier work: two labelled images, a class, a shape.
        QVERIFY(s.addImages({fakeImage(p.dir(), 0), fakeImage(p.dir(), 1)}).ok());
        const qint64 cls = s.classIdByName(QStringLiteral("cat")).value();
        const qint64 image = s.imageIds()->value(0);
        Shape box;
        box.imageId = image;
        box.classId = cls;
        box.geometry = Box{QRectF(1, 1, 8, 8)};
        QVERIFY(s.addShapes({box}).ok());
        const QString longFolder(150, QLatin1Char('d')); // long paths: the rows need room
        for (int i = 0; i < 60; ++i)
            QVERIFY(test::writePng(p.path(QStringLiteral("in/%1/%2.png").arg(longFolder).arg(i)),
                                          8 + i, 8, 3, 8, i));

        // From here the "disk" holds only what the file holds now, plus `room` pages.
        const qint64 pages = QByteArray(pragmaText(s.handle(), "PRAGMA page_count")).toLongLong();
        QVERIFY(pages > 0);
        const QByteArray limit = "PRAGMA max_page_count = " + QByteArray::number(pages + room);
        QCOMPARE(sqlite3_exec(s.handle(), limit.constData(), nullptr, nullptr, nullptr), SQLITE_OK);

        Error error;
        int saved = 0;
        if (what == QLatin1String("import")) {
            Importer importer(s);
            ImportOptions options;
            options.paths = {p.dir() + QStringLiteral("/in")};
            options.threads = 1;
            auto report = importer.run(options);
            QVERIFY(!report.ok());
            error = report.error();
        } else if (what == QLatin1String("shapes")) {
            auto doc = AnnotationDocument::load(s, image);
            QVERIFY(doc.ok());
            bool failed = false;
            connect(doc.value().get(), &AnnotationDocument::failed, this, [&](const Error &e) {
                failed = true;
                error = e;
            });
            QRandomGenerator rng(11);
            while (!failed && saved < 1000) {
                const int shapesBefore = int(doc.value()->shapes().size());
                const int historyBefore = doc.value()->undoStack().count();
                const qint64 id = doc.value()->addShape(cls, noiseMask(rng, 64));
                if (id > 0) {
                    ++saved;
                    continue;
                }
                // Refused whole: no shape in memory, no command to undo.
                QCOMPARE(int(doc.value()->shapes().size()), shapesBefore);
                QCOMPARE(doc.value()->undoStack().count(), historyBefore);
            }
            QVERIFY(failed);
        } else {
            QVector<NewImage> many;
            for (int i = 2; i < 2000; ++i)
                many << fakeImage(p.dir(), i);
            auto added = s.addImages(many);
            QVERIFY(!added.ok());
            error = added.error();
            QCOMPARE(s.countImages().value(), 2); // all or nothing
        }
        QString why;
        QVERIFY2(saysDiskFull(error.toString(), p.file(), &why), qPrintable(why));
        QCOMPARE(error.code, Error::Code::Io);
        qInfo("%s", qPrintable(why));

        // Room again (a new connection has no page limit): everything earlier is there.
        ProjectStore &again = p.reopen();
        QCOMPARE(pragmaText(again.handle(), "PRAGMA integrity_check"), QByteArray("ok"));
        QVERIFY(again.countImages().value() >= 2);
        QCOMPARE(again.labels(image)->value(0), cls);
        QCOMPARE(again.shapes(image)->size(), 1 + saved);
        QVERIFY(again.setSetting(QStringLiteral("after"), QStringLiteral("full")).ok());
    }

    void fileSizeLimitRefusesWriteKeepsProject_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<qint64>("room"); ///< bytes the WAL may take
        QTest::newRow("saving shapes, WAL hits the limit") << QStringLiteral("shapes") << 160000LL;
        QTest::newRow("importing images, WAL hits the limit") << QStringLiteral("import")
                                                                                << 24000LL;
    }

    void fileSizeLimitRefusesWriteKeepsProject()
    {
        QFETCH(QString, what);
        QFETCH(qint64, room);
        test::TempProject p;
        NewImage img = fakeImage(p.dir(), 0);
        img.width = 400;
        img.height = 300;
        QVERIFY(p.store().addImages({img}).ok());
        for (int i = 0; i < 300; ++i)
            QVERIFY(test::writePng(p.path(
                QStringLiteral("in/%1/%2/%3.png") .arg(i % 10).arg(QString(100, QLatin1Char('f'))).arg(i)),
                4 + i % 13, 4, 3, 8, i));
        p.close(); // checkpointed: the WAL starts empty in the child
        // No file may grow past this: the WAL (which takes every commit) meets it first;
        // the shared-memory index beside it needs its 32 KiB.
        const qint64 limit = 32768 + room;

        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("--child-fsize"), p.file(), QString::number(limit), what});
        QVERIFY(child.waitForFinished(60000));
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
                 qPrintable(QStringLiteral("exit %1: ").arg(child.exitCode()) + out
                                           + QString::fromUtf8(child.readAllStandardError())));
        QVector<qint64> acked;
        QString error;
        for (const QString &line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            if (line.startsWith(QLatin1String("ack ")))
                acked << line.mid(4).toLongLong();
            else if (line.startsWith(QLatin1String("error ")))
                error = line.mid(6);
        }
        QString why;
        QVERIFY2(saysDiskFull(error, p.file(), &why), qPrintable(why));
        QVERIFY(out.contains(QLatin1String("read ok")));
        qInfo("%s", qPrintable(why));

        ProjectStore &s = p.reopen();
        QCOMPARE(pragmaText(s.handle(), "PRAGMA integrity_check"), QByteArray("ok"));
        QCOMPARE(pragmaText(s.handle(), "PRAGMA foreign_key_check"), QByteArray("(no row)"));
        const qint64 image = s.imageIds()->value(0);
        QVERIFY(image > 0);
        if (what == QLatin1String("shapes")) {
            QVERIFY(acked.size() > 1);           // it got some work done before the limit
            const auto shapes = s.shapes(image); // kept: value() of a temporary would dangle
            QVERIFY(shapes.ok());
            QVector<qint64> stored;
            for (const Shape &sh : shapes.value())
                stored << sh.id;
            QCOMPARE(stored, acked); // every acknowledged shape, and the refused one not
        } else {
            // Whole batches or nothing; then, with room again, the import completes.
            const qint64 before = s.countImages().value();
            QVERIFY(before < 301);
            Importer importer(s);
            ImportOptions options;
            options.paths = {p.dir() + QStringLiteral("/in")};
            auto report = importer.run(options);
            QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
            QCOMPARE(s.countImages().value(), 301);
            QCOMPARE(report->alreadyPresent, int(before - 1));
        }
        QVERIFY(s.setSetting(QStringLiteral("after"), QStringLiteral("full")).ok());
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 5 && qstrcmp(argv[1], "--child-fsize") == 0)
        return childUnderSizeLimit(QString::fromLocal8Bit(argv[2]),
                                   QByteArray(argv[3]).toLongLong(),
                                   QString::fromLocal8Bit(argv[4]));
    DiskFullTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "diskfulltest.moc"
