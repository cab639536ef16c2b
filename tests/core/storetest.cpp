// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: round trips of every table's API, refusal of bad files,
// transactions and rollback, signals, and a second connection.
#include "core/project/store.h"
#include "tests/support/tempproject.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <thread>

#include <sqlite3.h>

using namespace salient;
using salient::test::TempProject;

namespace {

NewImage newImage(const TempProject &p, const QString &rel, const QStringList &labels = {},
                  const QByteArray &hash = {})
{
    NewImage n;
    n.absolutePath = p.path(rel);
    n.hash = hash.isEmpty() ? QByteArray("h-" + rel.toUtf8()) : hash;
    n.fileSize = 1000;
    n.mtime = 1700000000000;
    n.width = 640;
    n.height = 480;
    n.format = QStringLiteral("jpeg");
    n.labels = labels;
    return n;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class StoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void imagesRoundTripAfterReopen()
    {
        TempProject p;
        NewImage a = newImage(p, QStringLiteral("imgs/b.jpg"),
                                                {QStringLiteral("cat"), QStringLiteral("dog")});
        a.orientation = 6;
        a.bitDepth = 16;
        a.channels = 1;
        a.meta.insert(QStringLiteral("patient"), QStringLiteral("P17"));
        NewImage bad = newImage(p, QStringLiteral("imgs/a.jpg"));
        bad.readable = false;
        bad.unreadableReason = QStringLiteral("truncated JPEG");
        bad.hash.clear();
        auto ids = p.store().addImages({a, bad});
        QVERIFY2(ids.ok(), qPrintable(ids.ok() ? QString() : ids.error().toString()));
        QCOMPARE(ids->size(), 2);

        ProjectStore &s = p.reopen();
        auto rec = s.image(ids->at(0));
        QVERIFY(rec.ok());
        QCOMPARE(rec->path, QStringLiteral("imgs/b.jpg"));
        QCOMPARE(rec->absolutePath, p.path(QStringLiteral("imgs/b.jpg")));
        QCOMPARE(rec->hash, a.hash);
        QCOMPARE(rec->orientation, 6);
        QCOMPARE(rec->bitDepth, 16);
        QCOMPARE(rec->channels, 1);
        QCOMPARE(rec->width, 640);
        QCOMPARE(rec->status, ImageStatus::New);
        QCOMPARE(
            s.meta(ids->at(0)).value().value(QStringLiteral("patient")), QStringLiteral("P17"));
        auto classes = s.classes();
        QCOMPARE(classes->size(), 2);
        QCOMPARE(classes->at(0).name, QStringLiteral("cat"));
        QVERIFY(classes->at(0).color != classes->at(1).color);
        QCOMPARE(s.labels(ids->at(0)).value(),
                 (QVector<qint64>{classes->at(0).id, classes->at(1).id}));

        auto unreadable = s.unreadableImages();
        QCOMPARE(unreadable->size(), 1);
        QCOMPARE(unreadable->at(0).unreadableReason, QStringLiteral("truncated JPEG"));
        QCOMPARE(s.storedPaths().value(),
                 (QStringList{QStringLiteral("imgs/a.jpg"), QStringLiteral("imgs/b.jpg")}));
        QVERIFY(s.containsPath(p.path(QStringLiteral("imgs/a.jpg"))).value());

        QVERIFY(s.setSetting(QStringLiteral("model"), QStringLiteral("resnet18")).ok());
        QVERIFY(s.setSetting(QStringLiteral("model"), QStringLiteral("resnet34")).ok());
        QCOMPARE(p.reopen().setting(QStringLiteral("model")).value(), QStringLiteral("resnet34"));
        QCOMPARE(p.store().setting(QStringLiteral("absent"), QStringLiteral("x")).value(),
                                   QStringLiteral("x"));
    }

    void connectionIsSetUpForSafety()
    {
        TempProject p;
        auto pragma = [&](const char *sql) {
            sqlite3_stmt *st = nullptr;
            sqlite3_prepare_v2(p.store().handle(), sql, -1, &st, nullptr);
            QString v;
            if (sqlite3_step(st) == SQLITE_ROW)
                v = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
            sqlite3_finalize(st);
            return v;
        };
        QCOMPARE(pragma("PRAGMA journal_mode"), QStringLiteral("wal"));
        QCOMPARE(pragma("PRAGMA synchronous"), QStringLiteral("2")); // FULL: survives power loss
        QCOMPARE(pragma("PRAGMA foreign_keys"), QStringLiteral("1"));
        QCOMPARE(pragma("PRAGMA application_id"), QString::number(0x53414C54));
        QCOMPARE(p.store().schemaVersion(), ProjectStore::latestSchemaVersion());
    }

    void addImagesSkipsKnownPathsAndReusesClasses()
    {
        TempProject p;
        auto first =
            p.store().addImages({newImage(p, QStringLiteral("a.png"), {QStringLiteral("Cat")})});
        QVERIFY(first.ok());
        auto second = p.store().addImages(
            {newImage(p, QStringLiteral("a.png"), {QStringLiteral("cat")}),
                      newImage(p, QStringLiteral("b.png"), {QStringLiteral("cat")})});
        QVERIFY(second.ok());
        QCOMPARE(second->at(0), qint64(0));
        QVERIFY(second->at(1) > 0);
        QCOMPARE(p.store().classes()->size(), 1); // class names ignore case
        QCOMPARE(p.store().countImages().value(), qint64(2));
    }

    void storedPathsAreRelativeInsideTheProjectFolder()
    {
        TempProject p;
        ProjectStore &s = p.store();
        QCOMPARE(s.toStoredPath(p.dir() + QStringLiteral("/x/../y/z.png")),
                                QStringLiteral("y/z.png"));
        QCOMPARE(s.toStoredPath(QStringLiteral("/elsewhere/z.png")),
                                QStringLiteral("/elsewhere/z.png"));
        QCOMPARE(s.toAbsolutePath(QStringLiteral("y/z.png")), p.dir() + QStringLiteral("/y/z.png"));
        QCOMPARE(s.toAbsolutePath(QStringLiteral("/elsewhere/z.png")),
                                  QStringLiteral("/elsewhere/z.png"));
    }

    void badFilesAreRefusedNamingTheFile_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text file named .salient") << "text"
                                                  << "not an SQLite database";
        QTest::newRow("zero bytes") << "empty"
                                    << "empty";
        QTest::newRow("truncated project") << "truncated"
                                           << "truncated";
        QTest::newRow("database of another program") << "foreign"
                                                     << "another program";
        QTest::newRow("newer schema") << "newer"
                                      << "newer Salient Studio";
        // fuzz_project: a negative version indexed the migrations before their start.
        QTest::newRow("negative schema version") << "negative"
                                                 << "schema version (-2147483642) is not valid";
        QTest::newRow("missing file") << "missing"
                                      << "not found";
    }

    void badFilesAreRefusedNamingTheFile()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        TempProject p;
        const QString file = p.path(QStringLiteral("bad.salient"));
        if (kind == QLatin1String("text")) {
            writeFile(file, "this is not a database, just text that is long enough for a header\n"
                            "padding padding padding padding padding padding padding\n");
        } else if (kind == QLatin1String("empty")) {
            writeFile(file, {});
        } else if (kind == QLatin1String("truncated") || kind == QLatin1String("newer")
                   || kind == QLatin1String("negative")) {
            {
                auto s = ProjectStore::create(file);
                QVERIFY(s.ok());
                QVERIFY(s.value()->addImages(
                    {newImage(p, QStringLiteral("a.png"), {QStringLiteral("c")})}).ok());
                if (kind != QLatin1String("truncated")) {
                    const QByteArray sql =
                        "PRAGMA user_version = "
                        + QByteArray::number(kind == QLatin1String("newer")
                                                 ? ProjectStore::latestSchemaVersion() + 1
                                                 : -2147483642);
                    QCOMPARE(sqlite3_exec(s.value()->handle(), sql.constData(), nullptr, nullptr,
                                          nullptr),
                             SQLITE_OK);
                }
            } // closing checkpoints the WAL into the main file
            if (kind == QLatin1String("truncated")) {
                QFile f(file);
                QVERIFY(f.size() > 4096);
                QVERIFY(f.resize(f.size() / 2));
            }
        } else if (kind == QLatin1String("foreign")) {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
            sqlite3_close(db);
        }
        const QByteArray before = QFile::exists(file) ? [&] {
            QFile f(file);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }() : QByteArray();
        auto opened = ProjectStore::open(file);
        QVERIFY(!opened.ok());
        const QString text = opened.error().toString();
        QVERIFY2(text.contains(QStringLiteral("bad.salient")), qPrintable(text));
        QVERIFY2(text.contains(expected), qPrintable(text));
        if (QFile::exists(file)) { // refused files are left exactly as they were
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), before);
        }
    }

    void createRefusesAnExistingFile()
    {
        TempProject p;
        auto again = ProjectStore::create(p.file());
        QVERIFY(!again.ok());
        QVERIFY(again.error().toString().contains(QStringLiteral("test.salient")));
    }

    void duplicatesPointAtTheEarliestCopy()
    {
        TempProject p;
        auto ids = p.store().addImages(
            {newImage(p, QStringLiteral("a.png"), {}, "same"),
                      newImage(p, QStringLiteral("b.png"), {}, "same"),
                               newImage(p, QStringLiteral("c.png"), {}, "other")});
        QVERIFY(ids.ok());
        auto recs = p.store().images({ids->at(1), ids->at(0), ids->at(2)});
        QVERIFY(recs.ok());
        QCOMPARE(recs->at(0).duplicateOf, ids->at(0));
        QCOMPARE(recs->at(1).duplicateOf, qint64(0));
        QCOMPARE(recs->at(2).duplicateOf, qint64(0));
        QCOMPARE(p.store().duplicateGroups().value(),
                 (QVector<QVector<qint64>>{{ids->at(0), ids->at(1)}}));
        QVERIFY(!p.store().images({ids->at(0), 999}).ok());
    }

    void movedImagesAndRemovalCascade()
    {
        TempProject p;
        ProjectStore &s = p.store();
        NewImage a = newImage(p, QStringLiteral("old/a.png"), {QStringLiteral("c")});
        a.meta.insert(QStringLiteral("field"), QStringLiteral("F1"));
        auto ids = s.addImages({a, newImage(p, QStringLiteral("old/b.png"))});
        QVERIFY(ids.ok());
        QSignalSpy changed(&s, &ProjectStore::imagesChanged);
        QVERIFY(s.setImagePaths({{ids->at(0), p.path(QStringLiteral("new/a.png"))}}).ok());
        QCOMPARE(s.image(ids->at(0))->path, QStringLiteral("new/a.png"));
        QCOMPARE(changed.size(), 1);
        auto clash = s.setImagePaths({{ids->at(1), p.path(QStringLiteral("new/a.png"))}});
        QVERIFY(!clash.ok());
        QVERIFY(clash.error().message.contains(QStringLiteral("new/a.png")));
        QCOMPARE(s.image(ids->at(1))->path, QStringLiteral("old/b.png"));

        const qint64 cls = s.classIdByName(QStringLiteral("c")).value();
        QCOMPARE(s.classImageCounts().value().value(cls), qint64(1));
        QVERIFY(s.removeImages({ids->at(0)}).ok());
        QCOMPARE(s.classImageCounts().value().value(cls), qint64(0)); // labels went with it
        QVERIFY(s.meta(ids->at(0))->isEmpty());
        QCOMPARE(s.image(ids->at(0)).error().code, Error::Code::NotFound);
        QCOMPARE(s.countImages().value(), qint64(1));
    }

    void classesRenameMergeDeleteAndOrder()
    {
        TempProject p;
        ProjectStore &s = p.store();
        auto ids = s.addImages({newImage(
            p, QStringLiteral("1.png"), {QStringLiteral("cat"), QStringLiteral("kitten")}),
                              newImage(p, QStringLiteral("2.png"), {QStringLiteral("kitten")}),
                                       newImage(p, QStringLiteral("3.png"),
                                                                  {QStringLiteral("dog")})});
        QVERIFY(ids.ok());
        const qint64 cat = s.classIdByName(QStringLiteral("CAT")).value();
        const qint64 kitten = s.classIdByName(QStringLiteral("kitten")).value();
        const qint64 dog = s.classIdByName(QStringLiteral("dog")).value();
        QCOMPARE(s.classIdByName(QStringLiteral("cow")).error().code, Error::Code::NotFound);

        auto clash = s.renameClass(dog, QStringLiteral("Cat"));
        QVERIFY(!clash.ok());
        QVERIFY2(clash.error().message.contains(QStringLiteral("already exists")),
                                                qPrintable(clash.error().message));
        QVERIFY(s.renameClass(dog, QStringLiteral("Dog")).ok()); // a change of case only is fine
        QVERIFY(s.setClassColor(dog, QColor(Qt::red)).ok());
        QCOMPARE(s.classById(dog)->color, QColor(Qt::red));

        QSignalSpy labelsSpy(&s, &ProjectStore::labelsChanged);
        QVERIFY(s.mergeClasses(kitten, cat).ok()); // image 1 has both: no key violation
        QCOMPARE(s.labels(ids->at(0)).value(), QVector<qint64>{cat});
        QCOMPARE(s.labels(ids->at(1)).value(), QVector<qint64>{cat});
        QCOMPARE(labelsSpy.size(), 1);
        QCOMPARE(s.classImageCounts().value().value(cat), qint64(2));
        QVERIFY(!s.classById(kitten).ok());

        QVERIFY(s.setClassOrder({dog, cat}).ok());
        QCOMPARE(s.classes()->at(0).id, dog);
        const ClassRecord dogRecord = s.classById(dog).value();
        QVERIFY(s.deleteClass(dog).ok());
        QVERIFY(s.labels(ids->at(2))->isEmpty());
        QVERIFY(s.insertClass(dogRecord).ok()); // undo of the delete puts it back in place
        QCOMPARE(s.classes()->at(0).name, QStringLiteral("Dog"));
        QCOMPARE(s.classes()->at(0).id, dog);
        QVERIFY(!s.insertClass(dogRecord).ok());
        QVERIFY(!s.addClass(QStringLiteral("  ")).ok());
    }

    void splitsAndLocking()
    {
        TempProject p;
        ProjectStore &s = p.store();
        auto ids = s.addImages(
            {newImage(p, QStringLiteral("1.png")), newImage(p, QStringLiteral("2.png"))});
        const qint64 test = s.ensureSplit(QStringLiteral("test")).value();
        QCOMPARE(s.ensureSplit(QStringLiteral("test")).value(), test);
        QVERIFY(s.assignSplit({ids->at(0)}, test).ok());
        QVERIFY(s.setSplitLocked(test, true).ok());
        auto refused = s.assignSplit({ids->at(1), ids->at(0)}, 0);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, Error::Code::Invalid);
        QVERIFY2(refused.error().message.contains(QStringLiteral("\"test\"")),
                                                  qPrintable(refused.error().message));
        QVERIFY(!s.assignSplit({ids->at(1)}, test).ok()); // nor into it
        auto counts = s.splitImageCounts().value();
        QCOMPARE(counts.value(test), qint64(1));
        QCOMPARE(counts.value(0), qint64(1));
        QCOMPARE(p.reopen().splits()->at(0).locked, true);
        QCOMPARE(p.store().image(ids->at(0))->splitId, test);
    }

    void failedTransactionLeavesNothingBehind()
    {
        TempProject p;
        ProjectStore &s = p.store();
        QSignalSpy added(&s, &ProjectStore::imagesAdded);
        Status st = s.transaction([&]() -> Status {
            SALIENT_TRY(s.addImages({newImage(p, QStringLiteral("1.png"), {QStringLiteral("c")})}));
            return makeError(Error::Code::Cancelled, QStringLiteral("stop"));
        });
        QVERIFY(!st.ok());
        QCOMPARE(s.countImages().value(), qint64(0));
        QVERIFY(s.classes()->isEmpty());
        QCOMPARE(added.size(), 0); // no signal for work that never happened
    }

    void nestedRollbackKeepsTheOuterWork()
    {
        TempProject p;
        ProjectStore &s = p.store();
        QSignalSpy added(&s, &ProjectStore::imagesAdded);
        QSignalSpy classes(&s, &ProjectStore::classesChanged);
        Status st = s.transaction([&]() -> Status {
            SALIENT_TRY(s.addImages({newImage(p, QStringLiteral("1.png"))}));
            Status inner = s.transaction([&]() -> Status {
                SALIENT_TRY(s.addClass(QStringLiteral("gone")));
                return makeError(Error::Code::Invalid, QStringLiteral("inner fails"));
            });
            if (inner.ok())
                return makeError(Error::Code::Invalid, QStringLiteral("inner should have failed"));
            if (added.size() != 0)
                return makeError(Error::Code::Invalid, QStringLiteral("signal before the commit"));
            return {};
        });
        QVERIFY(st.ok());
        QCOMPARE(s.countImages().value(), qint64(1));
        QVERIFY(s.classes()->isEmpty());
        QCOMPARE(added.size(), 1);
        QCOMPARE(classes.size(), 0);
    }

    void setLabelsWithAnUnknownClassChangesNothing()
    {
        TempProject p;
        ProjectStore &s = p.store();
        auto ids =
            s.addImages({newImage(p, QStringLiteral("1.png"), {QStringLiteral("a")}),
                                  newImage(p, QStringLiteral("2.png"), {QStringLiteral("a")})});
        const qint64 a = s.classIdByName(QStringLiteral("a")).value();
        const qint64 b = s.addClass(QStringLiteral("b")).value();
        auto st = s.setLabels({{ids->at(0), {b}}, {ids->at(1), {b, 4242}}});
        QVERIFY(!st.ok());
        QVERIFY(st.error().message.contains(QStringLiteral("4242")));
        QCOMPARE(s.labels(ids->at(0)).value(), QVector<qint64>{a});
        QVERIFY(s.setLabels({{ids->at(0), {b, a}}, {ids->at(1), {}}}).ok());
        auto page = s.labels(QVector<qint64>{ids->at(0), ids->at(1)}).value();
        QCOMPARE(page.value(ids->at(0)), (QVector<qint64>{a, b})); // in class order
        QVERIFY(page.contains(ids->at(1)) && page.value(ids->at(1)).isEmpty());
    }

    void secondConnectionSeesOnlyCommittedState()
    {
        TempProject p;
        ProjectStore &s = p.store();
        auto other = s.connectAgain(ProjectStore::OpenMode::ReadOnly);
        QVERIFY(other.ok());
        ProjectStore &o = *other.value();
        const qint64 before = o.dataVersion();
        QVERIFY(s.transaction([&]() -> Status {
                     SALIENT_TRY(s.addImages({newImage(p, QStringLiteral("1.png"))}));
                     if (o.countImages().value() != 0)
                         return makeError(Error::Code::Invalid,
                                          QStringLiteral("saw uncommitted rows"));
                     return {};
                 }).ok());
        QCOMPARE(o.countImages().value(), qint64(1));
        QVERIFY(o.dataVersion() != before);
        QVERIFY(!o.setSetting(QStringLiteral("k"), QStringLiteral("v")).ok()); // read-only
        const qint64 own = s.dataVersion();
        QVERIFY(s.setSetting(QStringLiteral("k"), QStringLiteral("v")).ok());
        QVERIFY(s.dataVersion() != own); // its own commits count too
    }

    void secondWriterWaitsInsteadOfFailing()
    {
        TempProject p;
        ProjectStore &s = p.store();
        QString workerError = QStringLiteral("did not run");
        std::thread worker;
        QVERIFY(s.transaction([&]() -> Status {
                     SALIENT_TRY(s.addImages({newImage(p, QStringLiteral("first.png"))}));
                     // A worker thread writes through its own connection while this write is open.
                     worker = std::thread([&] {
                         auto mine = ProjectStore::open(p.file());
                         if (!mine.ok()) {
                             workerError = mine.error().toString();
                             return;
                         }
                         auto r =
                             mine.value()->addImages({newImage(p, QStringLiteral("second.png"))});
                         workerError = r.ok() ? QString() : r.error().toString();
                     });
                     QThread::msleep(300);
                     return {};
                 }).ok());
        worker.join();
        QVERIFY2(workerError.isEmpty(), qPrintable(workerError));
        QCOMPARE(s.countImages().value(), qint64(2));
    }
};

QTEST_GUILESS_MAIN(StoreTest)
#include "storetest.moc"
