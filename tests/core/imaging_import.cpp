// SPDX-License-Identifier: GPL-3.0-or-later
// Import as a user meets it: a folder full of odd files imports without
// aborting, with every outcome recorded; re-import adds only what is new;
// ImageFolder layouts become classes; cancel keeps whole batches; moved
// folders are relinked by content.

#include "core/imaging/importer.h"
#include "core/project/store.h"
#include "tests/core/imaging_corpus.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <opencv2/imgcodecs.hpp>

#include <memory>

using namespace salient;
using namespace salient::test;

namespace {

/// A project in a temporary folder, with a `data/` folder beside it.
struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<ProjectStore> store;

    bool make()
    {
        if (!dir.isValid())
            return false;
        auto s = ProjectStore::create(dir.filePath("test.salient"));
        if (!s.ok()) {
            qWarning() << s.error().toString();
            return false;
        }
        store = std::move(s.value());
        return true;
    }
    QString path(const QString &relative) const
    {
        const QString p = dir.filePath(relative);
        QDir().mkpath(QFileInfo(p).absolutePath());
        return p;
    }
    QHash<QString, ImageRecord> recordsByName() const
    {
        QHash<QString, ImageRecord> out;
        const auto ids = store->imageIds();
        const auto recs = store->images(ids.value());
        for (const ImageRecord &r : recs.value())
            out.insert(QFileInfo(r.absolutePath).fileName(), r);
        return out;
    }
};

Result<ImportReport> importPaths(ProjectStore &store, const QStringList &paths, bool labels = false)
{
    ImportOptions opt;
    opt.paths = paths;
    opt.labelsFromFolders = labels;
    return Importer(store).run(opt);
}

QString errorText(const Result<ImportReport> &r)
{
    return r.ok() ? QString() : r.error().toString();
}

} // namespace

class TestImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oddCorpusImportsWithoutAborting()
    {
        Fixture f;
        QVERIFY(f.make());
        const auto corpus = oddCorpus(cv::haveImageWriter("x.webp"));
        const QString data = f.path("data/x").section('/', 0, -2);
        QVERIFY(writeCorpus(data, corpus));
        // A copy of a file in a subfolder (a duplicate), plus things to skip:
        // a hidden folder, a non-image file, the project's thumbnail cache.
        QVERIFY(QFile::copy(data + "/photo.jpg", f.path("data/sub/photo copy.jpg")));
        QVERIFY(writeJpeg(f.path("data/.hidden/secret.jpg"), 16, 16));
        QVERIFY(writeText(f.path("data/readme.txt")));
        QVERIFY(writeJpeg(f.path("test.thumbs/cached.jpg"), 16, 16));

        // Import the whole project folder: the cache beside the project is skipped.
        int calls = 0;
        ImportProgress last;
        QElapsedTimer clock;
        clock.start();
        auto r = Importer(*f.store).run(
            [&] {
                ImportOptions o;
                o.paths = {f.dir.path()};
                return o;
            }(),
            [&](const ImportProgress &p) {
                ++calls;
                last = p;
            });
        QVERIFY2(r.ok(), qPrintable(errorText(r)));

        int bad = 0;
        for (const CorpusEntry &e : corpus)
            bad += e.readable ? 0 : 1;
        const int files = corpus.size() + 1;
        QCOMPARE(r->scanned, files);
        QCOMPARE(r->added, files);
        QCOMPARE(r->alreadyPresent, 0);
        QCOMPARE(r->unreadable, bad);
        QCOMPARE(r->problems.size(), bad);
        QCOMPARE(r->duplicates, 1);
        QCOMPARE(r->duplicatesOf.size(), 1);
        QVERIFY(r->duplicatesOf[0].path.endsWith("photo copy.jpg"));
        QVERIFY2(r->duplicatesOf[0].reason.startsWith("same content as ")
                     && r->duplicatesOf[0].reason.endsWith("/data/photo.jpg"),
                 qPrintable(r->duplicatesOf[0].reason));
        QCOMPARE(last.done, last.total);
        QVERIFY(calls <= 2 + int(clock.elapsed() / 100) + 1);

        // Every file's outcome, as stored.
        QCOMPARE(f.store->countImages().value(), qint64(files));
        const auto records = f.recordsByName();
        for (const CorpusEntry &e : corpus) {
            const QString name = QFileInfo(e.name).fileName();
            QVERIFY2(records.contains(name), qPrintable(name));
            const ImageRecord &rec = records[name];
            QCOMPARE(rec.readable, e.readable);
            if (e.readable) {
                QCOMPARE(rec.width, e.width);
                QCOMPARE(rec.height, e.height);
                QCOMPARE(rec.orientation, e.orientation);
                QCOMPARE(rec.format, e.format);
                QCOMPARE(rec.bitDepth, e.bitDepth);
                QCOMPARE(rec.channels, e.channels);
                QCOMPARE(rec.hash.size(), 32);
            } else {
                QVERIFY2(rec.unreadableReason.contains(e.reason), qPrintable(rec.unreadableReason));
                const bool listed = std::any_of(
                    r->problems.begin(), r->problems.end(), [&](const ImportProblem &p) {
                        return p.path.endsWith("/" + name) && p.reason.contains(e.reason);
                    });
                QVERIFY2(listed, qPrintable(name));
            }
        }
        QVERIFY(records.contains("photo copy.jpg"));
        QCOMPARE(records["photo copy.jpg"].hash, records["photo.jpg"].hash);
        QVERIFY(!records.contains("secret.jpg"));
        QVERIFY(!records.contains("cached.jpg"));
        QVERIFY(!records.contains("readme.txt"));
    }

    void reimportAddsOnlyWhatIsNew()
    {
        Fixture f;
        QVERIFY(f.make());
        for (int i = 0; i < 5; ++i)
            QVERIFY(writeJpeg(f.path(QString("data/img%1.jpg").arg(i)), 32, 24, i));
        auto first = importPaths(*f.store, {f.path("data")});
        QVERIFY2(first.ok(), qPrintable(errorText(first)));
        QCOMPARE(first->added, 5);

        auto again = importPaths(*f.store, {f.path("data")});
        QVERIFY2(again.ok(), qPrintable(errorText(again)));
        QCOMPARE(again->added, 0);
        QCOMPARE(again->alreadyPresent, 5);
        QCOMPARE(f.store->countImages().value(), qint64(5));

        QVERIFY(writeJpeg(f.path("data/new/img5.jpg"), 32, 24, 5));
        auto third = importPaths(*f.store, {f.path("data")});
        QVERIFY2(third.ok(), qPrintable(errorText(third)));
        QCOMPARE(third->added, 1);
        QCOMPARE(third->alreadyPresent, 5);
        QCOMPARE(third->duplicates, 0);
        QCOMPARE(f.store->countImages().value(), qint64(6));

        // A copy of an image already in the project is reported against it.
        QVERIFY(QFile::copy(f.path("data/img0.jpg"), f.path("data/img0 again.jpg")));
        auto fourth = importPaths(*f.store, {f.path("data")});
        QVERIFY(fourth.ok());
        QCOMPARE(fourth->added, 1);
        QCOMPARE(fourth->duplicates, 1);
        QVERIFY(fourth->duplicatesOf[0].reason.endsWith("/data/img0.jpg"));
    }

    void singleFilesAndMissingPaths()
    {
        Fixture f;
        QVERIFY(f.make());
        QVERIFY(writePng(f.path("one.png"), 20, 10));
        auto r = importPaths(*f.store, {f.path("one.png")});
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->added, 1);

        auto missing = importPaths(*f.store, {f.path("nothere"), f.path("one.png")});
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, Error::Code::NotFound);
        QVERIFY(missing.error().toString().contains("nothere"));
        QCOMPARE(f.store->countImages().value(), qint64(1));
    }

    void labelsFromFolders()
    {
        Fixture f;
        QVERIFY(f.make());
        QVERIFY(writeJpeg(f.path("pets/cats/a.jpg"), 16, 16, 1));
        QVERIFY(writeJpeg(f.path("pets/cats/b.jpg"), 16, 16, 2));
        QVERIFY(writeJpeg(f.path("pets/dogs/c.JPG"), 16, 16, 3));
        QVERIFY(writeJpeg(f.path("pets/loose.jpg"), 16, 16, 4));
        auto r = importPaths(*f.store, {f.path("pets")}, true);
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->added, 4);

        QStringList names;
        const auto classes = f.store->classes();
        QVERIFY(classes.ok());
        for (const ClassRecord &c : classes.value())
            names << c.name;
        names.sort();
        QCOMPARE(names, QStringList({"cats", "dogs"}));
        const qint64 cats = f.store->classIdByName("cats").value();
        const qint64 dogs = f.store->classIdByName("dogs").value();
        const auto records = f.recordsByName();
        QCOMPARE(f.store->labels(records["a.jpg"].id).value(), QVector<qint64>{cats});
        QCOMPARE(f.store->labels(records["b.jpg"].id).value(), QVector<qint64>{cats});
        QCOMPARE(f.store->labels(records["c.JPG"].id).value(), QVector<qint64>{dogs});
        QVERIFY(f.store->labels(records["loose.jpg"].id).value().isEmpty());
    }

    void cancelBeforeStartChangesNothing()
    {
        Fixture f;
        QVERIFY(f.make());
        QVERIFY(writeJpeg(f.path("data/a.jpg"), 16, 16));
        std::atomic_bool cancel{true};
        ImportOptions opt;
        opt.paths = {f.path("data")};
        auto r = Importer(*f.store).run(opt, {}, &cancel);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        QCOMPARE(f.store->countImages().value(), qint64(0));
    }

    void cancelKeepsCommittedBatches()
    {
        Fixture f;
        QVERIFY(f.make());
        const int files = 2000;
        for (int i = 0; i < files; ++i)
            QVERIFY(writeJpeg(f.path(QString("data/d%1/i%2.jpg").arg(i % 10).arg(i)), 8, 8, i));
        // A watcher on its own connection cancels once the first batch is committed.
        std::atomic_bool cancel{false};
        std::atomic_bool stop{false};
        const QString file = f.store->filePath();
        std::unique_ptr<QThread> watcher(QThread::create([&] {
            auto reader = ProjectStore::open(file, ProjectStore::OpenMode::ReadOnly);
            if (!reader.ok())
                return;
            while (!stop) {
                if (reader.value()->countImages().valueOr(0) > 0) {
                    cancel = true;
                    return;
                }
                QThread::usleep(200);
            }
        }));
        watcher->start();
        ImportOptions opt;
        opt.paths = {f.path("data")};
        opt.threads = 1;
        auto r = Importer(*f.store).run(opt, {}, &cancel);
        stop = true;
        watcher->wait();
        QVERIFY2(!r.ok(), "the import finished before the cancel was seen");
        QCOMPARE(r.error().code, Error::Code::Cancelled);
        const qint64 kept = f.store->countImages().value();
        QVERIFY(kept > 0 && kept < files);
        QCOMPARE(kept % 500, qint64(0)); // whole batches only

        // Importing again finishes the job.
        auto rest = importPaths(*f.store, {f.path("data")});
        QVERIFY(rest.ok());
        QCOMPARE(rest->added, int(files - kept));
        QCOMPARE(f.store->countImages().value(), qint64(files));
    }

    void relinkAfterMovingTheFolder()
    {
        Fixture f;
        QVERIFY(f.make());
        for (int i = 0; i < 4; ++i)
            QVERIFY(writeJpeg(f.path(QString("old/sub/p%1.jpg").arg(i)), 20, 20, i));
        QVERIFY(QFile::copy(f.path("old/sub/p0.jpg"), f.path("old/p0 twin.jpg")));
        QVERIFY(writeZeroBytes(f.path("old/empty.jpg")));
        auto r = importPaths(*f.store, {f.path("old")});
        QVERIFY(r.ok());
        QCOMPARE(r->added, 6);

        QVERIFY(QDir().rename(f.path("old"), f.dir.filePath("new")));
        auto n = relinkByHash(*f.store, f.dir.filePath("new"));
        QVERIFY2(n.ok(), qPrintable(n.ok() ? QString() : n.error().toString()));
        QCOMPARE(n.value(), 5); // the empty file has no content to match
        for (const ImageRecord &rec : f.recordsByName()) {
            if (rec.hash.isEmpty())
                continue;
            QVERIFY2(QFile::exists(rec.absolutePath), qPrintable(rec.absolutePath));
            QVERIFY(rec.absolutePath.contains("/new/"));
        }
        // Twins were relinked to distinct files.
        QSet<QString> paths;
        for (const ImageRecord &rec : f.recordsByName())
            paths.insert(rec.absolutePath);
        QCOMPARE(paths.size(), 6);
        QCOMPARE(relinkByHash(*f.store, f.dir.filePath("new")).value(), 0);
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "imaging_import.moc"
