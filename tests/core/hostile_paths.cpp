// SPDX-License-Identifier: GPL-3.0-or-later
// Paths from files someone else wrote (issue #9): image paths inside dataset
// files cannot lead out of the dataset folder (absolute, "..", symbolic
// links), exports never write outside the chosen folder whatever the image,
// class and split names say, and a project file from someone else cannot make
// the studio write outside the project's folders or export files that are
// not images.

#include "core/formats/datasetio.h"
#include "core/formats/format.h"
#include "core/imaging/decode.h"
#include "core/imaging/thumbnailer.h"
#include "core/project/store.h"
#include "tests/core/hostile_files.h"
#include "tests/support/tempproject.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <sqlite3.h>

using namespace salient;
using namespace salient::test;

namespace {

enum class Escape { Absolute, Climbing, Symlink, SymlinkedAnnotation, SymlinkInFolder, Nul };

/// Every file under `dir` (links not followed), as absolute clean paths.
QStringList filesUnder(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        out << QDir::cleanPath(it.next());
    out.sort();
    return out;
}

bool makeSymlink(const QString &target, const QString &link)
{
    QDir().mkpath(QFileInfo(link).absolutePath());
    return QFile::link(target, link);
}

} // namespace

class TestHostilePaths : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void importersRefusePathsLeavingTheDataset_data();
    void importersRefusePathsLeavingTheDataset();
    void exportsStayInTheChosenFolder_data();
    void exportsStayInTheChosenFolder();
    void foreignProjectRowsWriteNothingOutside();
    void foreignProjectRowsExportOnlyImages();
};

void TestHostilePaths::importersRefusePathsLeavingTheDataset_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("escape");
    QTest::addColumn<QString>("annotationFile"); ///< the problem must name it
    QTest::addColumn<QString>("why");
    const QString absolute = QStringLiteral("absolute paths may point anywhere");
    const QString climbing = QStringLiteral("it leads out of the dataset folder");
    const QString link = QStringLiteral("a symbolic link leads out of the dataset folder");
    struct Format {
        const char *name;
        const char *file;
    };
    for (const Format &f :
         {Format{"coco", "coco.json"}, Format{"voc", "bad.xml"}, Format{"yolo", "train.txt"},
          Format{"labelme", "bad.json"}, Format{"csv", "labels.csv"}}) {
        const QString n = QString::fromLatin1(f.name);
        const QString file = QString::fromLatin1(f.file);
        QTest::addRow("%s file_name absolute", f.name)
            << n << int(Escape::Absolute) << file << absolute;
        QTest::addRow("%s file_name ../", f.name) << n << int(Escape::Climbing) << file << climbing;
        QTest::addRow("%s file_name a symlink out", f.name)
            << n << int(Escape::Symlink) << file << link;
        // A NUL cuts the name short in every C API below Qt (XML forbids it outright).
        if (n != QLatin1String("voc"))
            QTest::addRow("%s file_name with a NUL", f.name)
                << n << int(Escape::Nul) << file << QStringLiteral("it contains a NUL character");
    }
    QTest::newRow("yolo symlink in the images folder")
        << "yolo" << int(Escape::SymlinkInFolder) << "data.yaml" << link;
    QTest::newRow("voc annotation file a symlink out")
        << "voc" << int(Escape::SymlinkedAnnotation) << "evil.xml" << link;
    QTest::newRow("labelme annotation file a symlink out")
        << "labelme" << int(Escape::SymlinkedAnnotation) << "evil.json" << link;
    QTest::newRow("imagefolder image a symlink out")
        << "imagefolder" << int(Escape::SymlinkInFolder) << "link.png" << link;
}

void TestHostilePaths::importersRefusePathsLeavingTheDataset()
{
    QFETCH(QString, format);
    QFETCH(int, escape);
    QFETCH(QString, annotationFile);
    QFETCH(QString, why);
    QTemporaryDir base;
    const QString ds = base.filePath(QStringLiteral("ds"));
    const QString secret = base.filePath(QStringLiteral("outside/secret.png"));
    QVERIFY(writePng(hostile::inFolder(secret), 12, 12));
    // Where the images live inside the dataset, per format.
    const QString images =
        format == QLatin1String("voc") ? ds
                                             + QStringLiteral("/JPEGImages")
                                       : format == QLatin1String("yolo")
                                             ? ds
                                                   + QStringLiteral("/images")
                                             : format == QLatin1String("imagefolder")
                                                   ? ds + QStringLiteral("/cat") : ds;
    QVERIFY(writePng(hostile::inFolder(images + QStringLiteral("/good.png")), 12, 12));
    QString bad; // the name the dataset file gives
    switch (Escape(escape)) {
    case Escape::Absolute:
        bad = secret;
        break;
    case Escape::Climbing:
        bad = QDir(images).relativeFilePath(secret); // "../outside/secret.png" and deeper
        break;
    case Escape::Symlink:
    case Escape::SymlinkInFolder:
        QVERIFY(makeSymlink(secret, images + QStringLiteral("/link.png")));
        bad = QStringLiteral("link.png");
        break;
    case Escape::SymlinkedAnnotation:
        bad = QStringLiteral("good.png");
        break;
    case Escape::Nul:
        bad = QStringLiteral("good.png") + QChar(0) + QStringLiteral("../../outside/secret.png");
        break;
    }
    const QString goodName = format == QLatin1String("yolo") ? QStringLiteral("./images/good.png")
                                                             : QStringLiteral("good.png");
    QString badName = bad;
    if (format == QLatin1String("yolo") && bad == QLatin1String("link.png"))
        badName = QStringLiteral("./images/link.png");
    if (format == QLatin1String("yolo") && Escape(escape) == Escape::Climbing)
        badName = QStringLiteral("../outside/secret.png"); // relative to the dataset folder
    // In JSON the NUL is written as an escape; text formats carry the raw byte.
    const QByteArray badJson = badName.toUtf8().replace(QByteArray(1, '\0'), "\\u0000");

    QString readPath = ds;
    if (format == QLatin1String("coco")) {
        readPath = ds + QStringLiteral("/coco.json");
        QVERIFY(hostile::save(readPath, R"({"images": [{"id": 1, "file_name": ")" + badJson
                                            + R"("}, {"id": 2, "file_name": "good.png"}],)"
                                              R"( "categories": [{"id": 1, "name": "cat"}],)"
                                              R"( "annotations": []})"));
    } else if (format == QLatin1String("voc")) {
        const auto xml = [](const QString &name) {
            return "<annotation><filename>" + name.toUtf8()
                   + "</filename><size><width>12</width><height>12</height><depth>3</depth>"
                     "</size></annotation>\n";
        };
        QVERIFY(hostile::save(ds + QStringLiteral("/Annotations/good.xml"), xml(goodName)));
        if (Escape(escape) == Escape::SymlinkedAnnotation) {
            QVERIFY(
                hostile::save(base.filePath(QStringLiteral("outside/evil.xml")), xml(goodName)));
            QVERIFY(makeSymlink(base.filePath(QStringLiteral("outside/evil.xml")),
                                              ds + QStringLiteral("/Annotations/evil.xml")));
        } else {
            QVERIFY(hostile::save(ds + QStringLiteral("/Annotations/bad.xml"), xml(badName)));
        }
    } else if (format == QLatin1String("yolo")) {
        if (Escape(escape) == Escape::SymlinkInFolder) {
            QVERIFY(
                hostile::save(ds + QStringLiteral("/data.yaml"), "names: [cat]\ntrain: images\n"));
        } else {
            QVERIFY(hostile::save(
                ds + QStringLiteral("/data.yaml"), "names: [cat]\ntrain: train.txt\n"));
            QVERIFY(hostile::save(ds
                                  + QStringLiteral("/train.txt"), goodName.toUtf8() + '\n'
                                                                      + badName.toUtf8() + '\n'));
        }
    } else if (format == QLatin1String("labelme")) {
        const auto json = [](const QString &name) {
            return R"({"shapes": [], "imagePath": ")" + name.toUtf8()
                   + R"(", "imageData": null, "imageWidth": 12, "imageHeight": 12})";
        };
        QVERIFY(hostile::save(ds + QStringLiteral("/good.json"), json(goodName)));
        if (Escape(escape) == Escape::SymlinkedAnnotation) {
            QVERIFY(
                hostile::save(base.filePath(QStringLiteral("outside/evil.json")), json(goodName)));
            QVERIFY(makeSymlink(base.filePath(QStringLiteral("outside/evil.json")),
                                              ds + QStringLiteral("/evil.json")));
        } else {
            QVERIFY(hostile::save(ds + QStringLiteral("/bad.json"), json(QString::fromUtf8(badJson))));
        }
    } else if (format == QLatin1String("csv")) {
        readPath = ds + QStringLiteral("/labels.csv");
        QVERIFY(
            hostile::save(readPath, "path,label\n" + badName.toUtf8() + ",cat\ngood.png,cat\n"));
    }

    QVector<FormatProblem> problems;
    const DatasetFormat *reader = datasetFormat(format);
    QVERIFY(reader);
    auto data = reader->read(readPath, {}, problems);
    QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));

    // Only the good image, and nothing from outside the dataset folder.
    const QString realDs = QFileInfo(ds).canonicalFilePath();
    int good = 0;
    for (const DatasetImage &img : data->images) {
        const QString real = QFileInfo(img.path).canonicalFilePath();
        QVERIFY2(real.startsWith(realDs + QLatin1Char('/')), qPrintable(img.path));
        good += img.path.endsWith(QLatin1String("/good.png")) ? 1 : 0;
    }
    QVERIFY(good >= 1);
    QVERIFY(data->images.size() == good);

    // One problem naming the annotation file (or the linked image) and the path.
    QStringList all;
    const FormatProblem *problem = nullptr;
    int matching = 0;
    for (const FormatProblem &p : problems) {
        all << p.toString();
        if (p.message.contains(why)) {
            problem = &p;
            ++matching;
        }
    }
    QVERIFY2(matching == 1, qPrintable(all.join(QStringLiteral(" | "))));
    QVERIFY2(problem->path.endsWith(annotationFile), qPrintable(problem->toString()));
    if (Escape(escape) == Escape::Nul)
        QVERIFY2(problem->toString().contains(QStringLiteral("good.png\\0../../outside")),
                 qPrintable(problem->toString()));
    else if (Escape(escape) != Escape::SymlinkedAnnotation)
        QVERIFY2(problem->toString().contains(QFileInfo(bad).fileName()),
                 qPrintable(problem->toString()));
}

void TestHostilePaths::exportsStayInTheChosenFolder_data()
{
    QTest::addColumn<QString>("format");
    for (const char *f : {"coco", "voc", "yolo", "labelme", "imagefolder", "csv"})
        QTest::addRow("%s", f) << QString::fromLatin1(f);
}

void TestHostilePaths::exportsStayInTheChosenFolder()
{
    QFETCH(QString, format);
    QTemporaryDir base;
    // Four levels deep, so that a name climbing out of it still lands in base.
    const QString out = base.filePath(QStringLiteral("a/b/c/d/out"));
    Dataset d;
    d.classes = {QStringLiteral("../../evil"),
                                QStringLiteral("a/b"), QStringLiteral(".."), QStringLiteral("cat")};
    struct Row {
        QString name, split;
    };
    const QVector<Row> rows = {
        {QStringLiteral("../../escape.png"), QStringLiteral("../../../s")},
         {base.filePath(QStringLiteral("abs/x.png")), QStringLiteral("..")},
          {QStringLiteral("a/../../../b.png"), QStringLiteral("train")},
           {QStringLiteral(".."), QStringLiteral("a/../../../t")},
            {QStringLiteral("ok/c.png"), QStringLiteral("val")},
           };
    for (int i = 0; i < rows.size(); ++i) {
        DatasetImage img;
        img.path = base.filePath(QStringLiteral("src/%1.png").arg(i));
        QVERIFY(writePng(hostile::inFolder(img.path), 16, 16, 3, 8, i));
        img.name = rows[i].name;
        img.split = rows[i].split;
        img.width = 16;
        img.height = 16;
        const int c = std::min(i, 3);
        img.labels = {c};
        img.shapes.append({c, Box{QRectF(2, 2, 8, 8)}, QStringLiteral("{}")});
        d.images.append(img);
    }
    WriteOptions options;
    options.images = ImagePlacement::Copy;
    QVector<FormatProblem> warnings;
    const Status written = datasetFormat(format)->write(d, out, options, warnings);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));

    QStringList outside;
    int inside = 0;
    for (const QString &f : filesUnder(base.path())) {
        if (f.startsWith(out + QLatin1Char('/')))
            ++inside;
        else if (!f.startsWith(base.filePath(QStringLiteral("src/"))))
            outside << f;
    }
    QVERIFY2(outside.isEmpty(), qPrintable(outside.join(QStringLiteral(", "))));
    QVERIFY2(inside >= rows.size(), qPrintable(QString::number(inside)));
}

void TestHostilePaths::foreignProjectRowsWriteNothingOutside()
{
    // A project whose rows point outside its folder, with a hash that is a
    // path: reading its images writes nothing beside them, and the thumbnail
    // cache stays in its own folder.
    QTemporaryDir elsewhere;
    const QString photo = elsewhere.filePath(QStringLiteral("photos/photo.png"));
    QVERIFY(writePng(hostile::inFolder(photo), 40, 30));
    TempProject project;
    NewImage row;
    row.absolutePath = photo;
    // Without a check, the cache would write <cache>/../<hash>.jpg: this hash
    // makes that photos/escape.jpg beside the photo.
    row.hash = QDir(project.dir())
                   .relativeFilePath(elsewhere.filePath(QStringLiteral("photos/escape"))).toUtf8();
    QVERIFY(row.hash.startsWith(".."));
    row.width = 40;
    row.height = 30;
    row.format = QStringLiteral("png");
    auto ids = project.store().addImages({row});
    QVERIFY(ids.ok());
    // A relative row climbing out, as a hand-edited project file would hold it.
    QVERIFY(writePng(hostile::inFolder(elsewhere.filePath(QStringLiteral("photos/climb.png"))), 20,
                                       20));
    const QString climbing =
        QDir(project.dir())
            .relativeFilePath(elsewhere.filePath(QStringLiteral("photos/climb.png")));
    QVERIFY(climbing.startsWith(QLatin1String("../")));
    const QByteArray sql = "INSERT INTO images(path, hash, width, height, format) VALUES('"
                           + climbing.toUtf8() + "', '../x', 20, 20, 'png')";
    QCOMPARE(sqlite3_exec(project.store().handle(), sql.constData(), nullptr, nullptr, nullptr),
             SQLITE_OK);
    auto all = project.store().imageIds();
    QVERIFY(all.ok() && all->size() == 2);
    auto records = project.store().images(all.value());
    QVERIFY(records.ok());

    const QString cache = project.path(QStringLiteral("test.thumbs"));
    Thumbnailer thumbnailer(cache, 64, 1);
    QSignalSpy ready(&thumbnailer, &Thumbnailer::thumbnailReady);
    for (const ImageRecord &r : records.value()) {
        // Documented behaviour: rows resolve against the project folder, ".."
        // and absolute ones included (the relink flow moves them back in).
        QVERIFY2(QFileInfo::exists(r.absolutePath), qPrintable(r.absolutePath));
        QVERIFY(decodeImage(r.absolutePath).ok());
        QVERIFY(thumbnailer.cacheFile(r.hash).isEmpty()); // no file named by the project
        thumbnailer.request(r.id, r.absolutePath, r.hash, 1);
    }
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 2, 10000);
    thumbnailer.waitForDone();
    QCOMPARE(filesUnder(elsewhere.path()),
             QStringList({elsewhere.filePath(QStringLiteral("photos/climb.png")), photo}));
    for (const QString &f : filesUnder(project.dir()))
        QVERIFY2(f == project.file() || f.startsWith(project.file()) // -wal, -shm
                     || f.startsWith(cache + QLatin1Char('/')),
                 qPrintable(f));
}

void TestHostilePaths::foreignProjectRowsExportOnlyImages()
{
    // Rows that say "a readable PNG" about a private key and a document: an
    // export copies neither, in any format, and says so.
    QTemporaryDir elsewhere;
    const QString key = elsewhere.filePath(QStringLiteral("home/.ssh/id_rsa"));
    const QString notes = elsewhere.filePath(QStringLiteral("home/notes.png"));
    const QByteArray secrets[] = {"-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n",
                                  "dear diary: secret\n"};
    QVERIFY(hostile::save(key, secrets[0]));
    QVERIFY(hostile::save(notes, secrets[1]));
    TempProject project;
    QVERIFY(writePng(hostile::inFolder(project.path(QStringLiteral("images/real.png"))), 16, 16));
    QVector<NewImage> rows;
    for (const QString &p : {key, notes, project.path(QStringLiteral("images/real.png"))}) {
        NewImage row;
        row.absolutePath = p;
        row.width = 16;
        row.height = 16;
        row.format = QStringLiteral("png");
        row.labels = {QStringLiteral("cat")};
        rows << row;
    }
    QVERIFY(project.store().addImages(rows).ok());
    for (const DatasetFormat *format : datasetFormats()) {
        QTemporaryDir out;
        DatasetExportOptions options;
        options.outDir = out.path();
        options.format = format;
        options.images = ImagePlacement::Copy;
        options.embedImageData = format->name() == QLatin1String("labelme");
        auto report = exportDataset(project.store(), options);
        QVERIFY2(report.ok(), qPrintable(format->name() + QLatin1Char(' ')
                                         + (report.ok() ? QString() : report.error().toString())));
        QCOMPARE(report->images, 1);
        QStringList warnings;
        for (const FormatProblem &w : report->warnings)
            warnings << w.toString();
        QVERIFY2(warnings.join(QLatin1Char('\n'))
                     .contains(QStringLiteral("2 image rows name files "
                                                                          "that are not images")),
                               qPrintable(warnings.join(QLatin1Char('\n'))));
        for (const QString &f : filesUnder(out.path())) {
            QFile file(f);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            QVERIFY2(!bytes.contains("secret") && !bytes.contains(secrets[0].toBase64())
                         && !bytes.contains(secrets[1].toBase64()),
                     qPrintable(format->name() + QStringLiteral(": ") + f));
        }
    }
}

QTEST_GUILESS_MAIN(TestHostilePaths)
#include "hostile_paths.moc"
