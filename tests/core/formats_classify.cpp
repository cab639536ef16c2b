// SPDX-License-Identifier: GPL-3.0-or-later
// Classification formats: ImageFolder (class folders) and CSV (path,label).
#include "core/formats/datasetio.h"
#include "core/formats/format.h"
#include "core/project/store.h"
#include "tests/support/tempproject.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace salient;

namespace {

const DatasetFormat &imageFolder()
{
    return *datasetFormat(QStringLiteral("imagefolder"));
}

const DatasetFormat &csv()
{
    return *datasetFormat(QStringLiteral("csv"));
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

bool writeImage(const QString &path, int seed = 0)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage img(16, 12, QImage::Format_RGB888);
    img.fill(QColor(seed * 50 % 256, 100, 200));
    return img.save(path);
}

/// "name=label|label@split" per image, sorted: compact to compare.
QString summary(const Dataset &d)
{
    QStringList out;
    for (const DatasetImage &img : d.images) {
        QStringList labels;
        for (int c : img.labels)
            labels << d.classes[c];
        out << img.name + QLatin1Char('=') + labels.join(QLatin1Char('|'))
                   + (img.split.isEmpty() ? QString() : QLatin1Char('@') + img.split);
    }
    out.sort();
    return out.join(QLatin1Char(';'));
}

QString messages(const QVector<FormatProblem> &problems)
{
    QStringList m;
    for (const FormatProblem &p : problems)
        m << p.toString();
    return m.join(QLatin1Char('\n'));
}

DatasetImage image(const QString &dir, const QString &name, QVector<int> labels,
                   const QString &split = {})
{
    DatasetImage img;
    img.name = name;
    img.path = QDir(dir).absoluteFilePath(name);
    img.width = 16;
    img.height = 12;
    img.labels = std::move(labels);
    img.split = split;
    writeImage(img.path, int(name.size()));
    return img;
}

/// Per image file name: size, split and labels, sorted (what these formats carry).
QStringList projectFacts(ProjectStore &store)
{
    QStringList out;
    QHash<qint64, QString> className, splitName;
    for (const ClassRecord &c : store.classes().valueOr({}))
        className.insert(c.id, c.name);
    for (const SplitRecord &s : store.splits().valueOr({}))
        splitName.insert(s.id, s.name);
    const QVector<qint64> ids = store.imageIds().valueOr({});
    const auto labels = store.labels(ids).valueOr({});
    for (const ImageRecord &r : store.images(ids).valueOr({})) {
        QStringList l;
        for (qint64 c : labels.value(r.id))
            l << className.value(c);
        l.sort();
        out << QStringLiteral("%1 %2x%3 split '%4' labels %5")
                                  .arg(QFileInfo(r.path).fileName())
                                  .arg(r.width)
                                  .arg(r.height)
                                  .arg(splitName.value(r.splitId), l.join(QLatin1Char(',')));
    }
    out.sort();
    return out;
}

/// Imports `path` into a new project, exports it with `format`, imports that
/// into another new project; returns both projects' facts.
void projectRoundTrip(const DatasetFormat &format, const QString &path, QStringList &before,
                      QStringList &after)
{
    QTemporaryDir out;
    test::TempProject first, second;
    DatasetImportOptions in;
    in.path = path;
    in.format = &format;
    auto imported = importDataset(first.store(), in, {});
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().toString()));
    before = projectFacts(first.store());
    DatasetExportOptions ex;
    ex.outDir = out.path();
    ex.format = &format;
    ex.images = ImagePlacement::Copy;
    auto exported = exportDataset(first.store(), ex);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));
    in.path =
        format.readsFolder() ? out.path() : QDir(out.path()).filePath(QStringLiteral("labels.csv"));
    in.format = nullptr; // detected
    auto again = importDataset(second.store(), in, {});
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
    QCOMPARE(again->format, format.name());
    after = projectFacts(second.store());
}

} // namespace

class TestFormatsClassify : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registered();
    // ImageFolder
    void folderReadsClassesSkipsHidden();
    void folderReadsSplits_data();
    void folderReadsSplits();
    void folderDetect();
    void folderRefusesSymlinkOut();
    void folderRoundTripWithSplitsAndMultiLabel();
    void folderProjectRoundTrip();
    // CSV
    void csvParses_data();
    void csvParses();
    void csvUnterminatedQuoteIsFatal();
    void csvWrongColumnCountIsProblemPerRow();
    void csvRefusesPathsOutside_data();
    void csvRefusesPathsOutside();
    void csvRoundTrip();
    void csvDetect();
    void csvProjectRoundTrip();
};

void TestFormatsClassify::registered()
{
    QVERIFY(datasetFormat(QStringLiteral("imagefolder")));
    QVERIFY(datasetFormat(QStringLiteral("csv")));
    QVERIFY(imageFolder().readsFolder());
    QVERIFY(!csv().readsFolder());
    QCOMPARE(imageFolder().id(), FormatId::ImageFolder);
    QCOMPARE(csv().id(), FormatId::Csv);
}

void TestFormatsClassify::folderReadsClassesSkipsHidden()
{
    QTemporaryDir dir;
    const QDir d(dir.path());
    QVERIFY(writeImage(d.filePath(QStringLiteral("cat/a.png"))));
    QVERIFY(writeImage(d.filePath(QStringLiteral("cat/more/b.JPG"))));
    QVERIFY(writeImage(d.filePath(QStringLiteral("dog/c.png"))));
    QVERIFY(writeImage(d.filePath(QStringLiteral("dog/.thumb.png"))));
    QVERIFY(writeImage(d.filePath(QStringLiteral(".cache/x.png"))));
    QVERIFY(writeImage(d.filePath(QStringLiteral("loose.png"))));
    QVERIFY(writeFile(d.filePath(QStringLiteral("cat/notes.txt")), "not an image"));
    QVERIFY(d.mkpath(QStringLiteral("bird")));
    QVector<FormatProblem> problems;
    auto data = imageFolder().read(dir.path(), ReadOptions{}, problems);
    QVERIFY(data.ok());
    QVERIFY2(problems.isEmpty(), qPrintable(messages(problems)));
    // Every class folder is a class, the empty one too; images in the root are unlabelled.
    QCOMPARE(data->classes, QStringList({"bird", "cat", "dog"}));
    QCOMPARE(summary(*data),
             QStringLiteral("cat/a.png=cat;cat/more/b.JPG=cat;dog/c.png=dog;loose.png="));
    QCOMPARE(data->images.first().path, d.absoluteFilePath(QStringLiteral("cat/a.png")));
}

void TestFormatsClassify::folderReadsSplits_data()
{
    QTest::addColumn<QString>("valFolder");
    QTest::newRow("val") << QStringLiteral("val");
    QTest::newRow("valid") << QStringLiteral("valid");
    QTest::newRow("validation") << QStringLiteral("validation");
}

void TestFormatsClassify::folderReadsSplits()
{
    QFETCH(QString, valFolder);
    QTemporaryDir dir;
    const QDir d(dir.path());
    QVERIFY(writeImage(d.filePath(QStringLiteral("train/cat/a.png"))));
    QVERIFY(writeImage(d.filePath(QStringLiteral("train/dog/b.png"))));
    QVERIFY(writeImage(d.filePath(valFolder + QStringLiteral("/dog/c.png"))));
    QVERIFY(writeImage(d.filePath(QStringLiteral("test/cat/d.png"))));
    QCOMPARE(imageFolder().detect(dir.path()), 60);
    QVector<FormatProblem> problems;
    auto data = imageFolder().read(dir.path(), ReadOptions{}, problems);
    QVERIFY(data.ok());
    QCOMPARE(data->classes.size(), 2); // the same class in every split is one class
    QCOMPARE(summary(*data), QStringLiteral("test/cat/d.png=cat@test;train/cat/a.png=cat@train;"
                                            "train/dog/b.png=dog@train;%1/dog/c.png=dog@val")
                                                .arg(valFolder));
}

void TestFormatsClassify::folderDetect()
{
    QTemporaryDir flat, yolo, voc, empty;
    QVERIFY(writeImage(QDir(flat.path()).filePath(QStringLiteral("cat/a.png"))));
    QCOMPARE(imageFolder().detect(flat.path()), 40);
    QCOMPARE(imageFolder().detect(QDir(flat.path()).filePath(QStringLiteral("cat/a.png"))), 0);
    // Folders that hold annotation files belong to other formats.
    QVERIFY(writeImage(QDir(yolo.path()).filePath(QStringLiteral("images/a.png"))));
    QVERIFY(writeFile(
        QDir(yolo.path()).filePath(QStringLiteral("labels/a.txt")), "0 0.5 0.5 0.1 0.1\n"));
    QCOMPARE(imageFolder().detect(yolo.path()), 0);
    QVERIFY(writeImage(QDir(voc.path()).filePath(QStringLiteral("JPEGImages/a.png"))));
    QVERIFY(
        writeFile(QDir(voc.path()).filePath(QStringLiteral("Annotations/a.xml")), "<annotation/>"));
    QCOMPARE(imageFolder().detect(voc.path()), 0);
    QCOMPARE(imageFolder().detect(empty.path()), 0);
    // A COCO file beside its images/ folder: not ImageFolder; a README is fine.
    QVERIFY(writeFile(QDir(flat.path()).filePath(QStringLiteral("README.txt")), "cats\n"));
    QCOMPARE(imageFolder().detect(flat.path()), 40);
    QVERIFY(writeFile(QDir(flat.path()).filePath(QStringLiteral("instances.json")), "{}"));
    QCOMPARE(imageFolder().detect(flat.path()), 0);
}

void TestFormatsClassify::folderRefusesSymlinkOut()
{
    QTemporaryDir dir, outside;
    QVERIFY(writeImage(QDir(outside.path()).filePath(QStringLiteral("secret.png"))));
    QVERIFY(writeImage(QDir(dir.path()).filePath(QStringLiteral("cat/a.png"))));
    QVERIFY(QFile::link(QDir(outside.path())
                            .filePath(QStringLiteral("secret.png")),
                                      QDir(dir.path()).filePath(QStringLiteral("cat/b.png"))));
    QVector<FormatProblem> problems;
    auto data = imageFolder().read(dir.path(), ReadOptions{}, problems);
    QVERIFY(data.ok());
    QCOMPARE(summary(*data), QStringLiteral("cat/a.png=cat"));
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().message.contains(QStringLiteral("symbolic link")),
                                               qPrintable(messages(problems)));
}

void TestFormatsClassify::folderRoundTripWithSplitsAndMultiLabel()
{
    QTemporaryDir src, out;
    Dataset d;
    d.classes = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("a/b"), QStringLiteral("unused")};
    d.images.append(image(src.path(), QStringLiteral("x/one.png"), {0}, QStringLiteral("train")));
    d.images.append(image(src.path(), QStringLiteral("two.png"), {1}, QStringLiteral("val")));
    d.images.append(image(src.path(), QStringLiteral("both.png"), {0, 1})); // no split: train
    d.images.append(image(src.path(), QStringLiteral("none.png"), {}));
    d.images.append(image(src.path(), QStringLiteral("slash.png"), {2}, QStringLiteral("test")));
    d.images[0].shapes.append({0, Box{QRectF(1, 1, 4, 4)}, QStringLiteral("{}")});
    QVector<FormatProblem> warnings;
    QVERIFY(imageFolder().write(d, out.path(), WriteOptions{}, warnings).ok());
    const QString w = messages(warnings);
    QVERIFY2(w.contains(QStringLiteral("1 images without a label left out")), qPrintable(w));
    QVERIFY2(w.contains(QStringLiteral("1 images with several labels placed in 2 class folders")),
                        qPrintable(w));
    QVERIFY2(w.contains(QStringLiteral("1 shapes")), qPrintable(w));
    QVERIFY2(w.contains(QStringLiteral("1 classes with no image")), qPrintable(w));
    QVERIFY(QFileInfo::exists(QDir(out.path()).filePath(QStringLiteral("train/cat/x/one.png"))));
    QVERIFY(QFileInfo::exists(QDir(out.path()).filePath(QStringLiteral("test/a_b/slash.png"))));

    QVector<FormatProblem> problems;
    auto back = imageFolder().read(out.path(), ReadOptions{}, problems);
    QVERIFY(back.ok());
    QVERIFY(problems.isEmpty());
    // The multi-label image comes back once per class folder (two files on disk).
    QCOMPARE(summary(*back),
             QStringLiteral("test/a_b/slash.png=a_b@test;train/cat/both.png=cat@train;"
                                            "train/cat/x/one.png=cat@train;train/dog/both.png=dog@train;"
                                            "val/dog/two.png=dog@val"));
}

void TestFormatsClassify::csvParses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("header") << QByteArray("path,label\na.png,cat\nb.png,dog\n")
                            << QStringLiteral("a.png=cat;b.png=dog");
    QTest::newRow("no header") << QByteArray("a.png,cat\nb.png,dog\n")
                               << QStringLiteral("a.png=cat;b.png=dog");
    QTest::newRow("comma in quoted path")
        << QByteArray("path,label\n\"x, y.png\",cat\n") << QStringLiteral("x, y.png=cat");
    QTest::newRow("doubled quotes")
        << QByteArray("filename,label\n\"say \"\"hi\"\".png\",\"big \"\"cat\"\"\"\n")
        << QStringLiteral("say \"hi\".png=big \"cat\"");
    QTest::newRow("CRLF and BOM") << QByteArray(
        "\xEF\xBB\xBFpath,label\r\na.png,cat\r\nb.png,dog\r\n")
                                  << QStringLiteral("a.png=cat;b.png=dog");
    QTest::newRow("multi-label") << QByteArray("image,labels\na.png,cat; dog ;\n")
                                 << QStringLiteral("a.png=cat|dog");
    QTest::newRow("empty label is unlabelled")
        << QByteArray("path,label\na.png,\nb.png,\"\"\n") << QStringLiteral("a.png=;b.png=");
    QTest::newRow("quoted field over two lines")
        << QByteArray("path,label\n\"a.png\",\"cat;\ndog\"\n\nb.png,x")
        << QStringLiteral("a.png=cat|dog;b.png=x");
    QTest::newRow("split column") << QByteArray(
        "path,label,split\na.png,cat,validation\nb.png,dog,Train\n")
                                  << QStringLiteral("a.png=cat@val;b.png=dog@train");
    QTest::newRow("long form rows merged")
        << QByteArray("path,label\na.png,cat\nb.png,dog\na.png,dog\n")
        << QStringLiteral("a.png=cat|dog;b.png=dog");
    QTest::newRow("backslashes") << QByteArray("path,label\nsub\\a.png,cat\n")
                                 << QStringLiteral("sub/a.png=cat");
}

void TestFormatsClassify::csvParses()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString file = QDir(dir.path()).filePath(QStringLiteral("labels.csv"));
    QVERIFY(writeFile(file, text));
    QVector<FormatProblem> problems;
    auto data = csv().read(file, ReadOptions{}, problems);
    QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
    QVERIFY2(problems.isEmpty(), qPrintable(messages(problems)));
    QCOMPARE(summary(*data), expected);
    for (const DatasetImage &img : data->images)
        QVERIFY(img.path.startsWith(QDir(dir.path()).absolutePath() + QLatin1Char('/')));
}

void TestFormatsClassify::csvUnterminatedQuoteIsFatal()
{
    QTemporaryDir dir;
    const QString file = QDir(dir.path()).filePath(QStringLiteral("bad.csv"));
    QVERIFY(writeFile(file, "path,label\na.png,cat\n\"b.png,dog\nc.png,x\n"));
    QVector<FormatProblem> problems;
    auto data = csv().read(file, ReadOptions{}, problems);
    QVERIFY(!data.ok());
    QCOMPARE(data.error().code, Error::Code::Parse);
    QCOMPARE(data.error().line, 3);
    QVERIFY(data.error().path.endsWith(QStringLiteral("bad.csv")));
    QVERIFY2(data.error().message.contains(QStringLiteral("line 3")),
                                           qPrintable(data.error().toString()));
}

void TestFormatsClassify::csvWrongColumnCountIsProblemPerRow()
{
    QTemporaryDir dir;
    const QString file = QDir(dir.path()).filePath(QStringLiteral("labels.csv"));
    QVERIFY(writeFile(file, "path,label\na.png,cat\nb.png,dog,extra\nc.png\nd.png,cat\n"));
    QVector<FormatProblem> problems;
    auto data = csv().read(file, ReadOptions{}, problems);
    QVERIFY(data.ok());
    QCOMPARE(summary(*data), QStringLiteral("a.png=cat;d.png=cat"));
    QCOMPARE(problems.size(), 2);
    QCOMPARE(problems[0].line, 3);
    QCOMPARE(problems[1].line, 4);
    QVERIFY2(problems[0].message.contains(QStringLiteral("3 fields")),
                                          qPrintable(messages(problems)));
}

void TestFormatsClassify::csvRefusesPathsOutside_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("climbs out") << QStringLiteral("../x.png");
    QTest::newRow("climbs out after a folder") << QStringLiteral("images/../../x.png");
    QTest::newRow("absolute") << QStringLiteral("/etc/x.png");
    QTest::newRow("windows absolute") << QStringLiteral("D:\\x.png");
}

void TestFormatsClassify::csvRefusesPathsOutside()
{
    QFETCH(QString, path);
    QTemporaryDir dir;
    const QString file = QDir(dir.path()).filePath(QStringLiteral("sub/labels.csv"));
    QVERIFY(
        writeFile(file, QStringLiteral("path,label\nok.png,cat\n\"%1\",dog\n").arg(path).toUtf8()));
    QVector<FormatProblem> problems;
    auto data = csv().read(file, ReadOptions{}, problems);
    QVERIFY(data.ok());
    QCOMPARE(summary(*data), QStringLiteral("ok.png=cat"));
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().line, 3);
    QVERIFY2(problems.first().message.contains(QStringLiteral("refused")),
                                               qPrintable(messages(problems)));
}

void TestFormatsClassify::csvRoundTrip()
{
    QTemporaryDir src, out;
    Dataset d;
    d.classes = {QStringLiteral("cat"), QStringLiteral("big, \"fat\" dog"), QStringLiteral("a;b")};
    d.images.append(
        image(src.path(), QStringLiteral("x/one, two.png"), {0, 1}, QStringLiteral("train")));
    d.images.append(image(src.path(), QStringLiteral("none.png"), {}));
    d.images.append(image(src.path(), QStringLiteral("semi.png"), {2}, QStringLiteral("val")));
    d.images[1].meta.insert(QStringLiteral("patient"), QStringLiteral("P7"));
    d.images[2].shapes.append({0, Box{QRectF(1, 1, 4, 4)}, QStringLiteral("{}")});
    QVector<FormatProblem> warnings;
    QVERIFY(csv().write(d, out.path(), WriteOptions{}, warnings).ok());
    const QString w = messages(warnings);
    QVERIFY2(w.contains(QStringLiteral("1 shapes")), qPrintable(w));
    QVERIFY2(w.contains(QStringLiteral("held ';'")), qPrintable(w));
    const QString file = QDir(out.path()).filePath(QStringLiteral("labels.csv"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray text = f.readAll();
    QVERIFY2(text.startsWith("path,label,split,patient\n"), text.constData());
    QVERIFY2(text.contains("\"images/x/one, two.png\",\"cat;big, \"\"fat\"\" dog\",train,\n"),
             text.constData());
    QVERIFY(QFileInfo::exists(QDir(out.path()).filePath(QStringLiteral("images/x/one, two.png"))));
    QCOMPARE(csv().detect(file), 80);

    QVector<FormatProblem> problems;
    auto back = csv().read(file, ReadOptions{}, problems);
    QVERIFY(back.ok());
    QVERIFY2(problems.isEmpty(), qPrintable(messages(problems)));
    QCOMPARE(summary(*back), QStringLiteral("images/none.png=@train;images/semi.png=a_b@val;"
                                            "images/x/one, two.png=cat|big, \"fat\" dog@train"));
    const auto none =
        std::find_if(back->images.begin(), back->images.end(), [](const DatasetImage &i) {
            return i.name == QLatin1String("images/none.png");
        });
    QCOMPARE(none->meta.value(QStringLiteral("patient")), QStringLiteral("P7"));
}

void TestFormatsClassify::csvDetect()
{
    QTemporaryDir dir;
    const QDir d(dir.path());
    QVERIFY(writeFile(d.filePath(QStringLiteral("a.csv")), "filename,label\nx.png,cat\n"));
    QVERIFY(writeFile(d.filePath(QStringLiteral("b.csv")), "x.jpg,cat\n"));
    QVERIFY(writeFile(d.filePath(QStringLiteral("c.csv")), "id,value,unit\n1,2.5,kg\n"));
    QVERIFY(writeFile(d.filePath(QStringLiteral("d.txt")), "path,label\nx.png,cat\n"));
    QCOMPARE(csv().detect(d.filePath(QStringLiteral("a.csv"))), 80);
    QCOMPARE(csv().detect(d.filePath(QStringLiteral("b.csv"))), 80);
    QCOMPARE(csv().detect(d.filePath(QStringLiteral("c.csv"))), 0);
    QCOMPARE(csv().detect(d.filePath(QStringLiteral("d.txt"))), 0);
    QCOMPARE(csv().detect(dir.path()), 0);
}

void TestFormatsClassify::folderProjectRoundTrip()
{
    QTemporaryDir dir;
    const QDir d(dir.path());
    QVERIFY(writeImage(d.filePath(QStringLiteral("train/cat/a.png")), 1));
    QVERIFY(writeImage(d.filePath(QStringLiteral("train/dog/b.png")), 2));
    QVERIFY(writeImage(d.filePath(QStringLiteral("valid/dog/c.png")), 3));
    QVERIFY(writeImage(d.filePath(QStringLiteral("test/cat/d.png")), 4));
    QStringList before, after;
    projectRoundTrip(imageFolder(), dir.path(), before, after);
    QCOMPARE(before.size(), 4);
    QVERIFY2(before.contains(QStringLiteral("c.png 16x12 split 'val' labels dog")),
                             qPrintable(before.join('\n')));
    QCOMPARE(after, before);
}

void TestFormatsClassify::csvProjectRoundTrip()
{
    QTemporaryDir dir;
    const QDir d(dir.path());
    QVERIFY(writeImage(d.filePath(QStringLiteral("img/a.png")), 1));
    QVERIFY(writeImage(d.filePath(QStringLiteral("img/b c.png")), 2));
    QVERIFY(writeImage(d.filePath(QStringLiteral("img/none.png")), 3));
    QVERIFY(writeFile(
        d.filePath(QStringLiteral("labels.csv")),
                   "path,label,split\nimg/a.png,cat;dog,train\n\"img/b c.png\",\"big, dog\",val\n"
                   "img/none.png,,train\n"));
    QStringList before, after;
    projectRoundTrip(csv(), d.filePath(QStringLiteral("labels.csv")), before, after);
    QCOMPARE(before, QStringList({"a.png 16x12 split 'train' labels cat,dog",
                                  "b c.png 16x12 split 'val' labels big, dog",
                                  "none.png 16x12 split 'train' labels "}));
    QCOMPARE(after, before);
}

QTEST_GUILESS_MAIN(TestFormatsClassify)
#include "formats_classify.moc"
