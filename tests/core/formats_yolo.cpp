// SPDX-License-Identifier: GPL-3.0-or-later
// YOLO reader and writer: normalisation by the displayed size (EXIF included),
// data.yaml and classes.txt layouts, round trips and bad input.
#include "tests/core/formats_testutil.h"
#include "core/annotation/raster.h"
#include "core/formats/format.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;

namespace {

void writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

bool png(const QString &path, int w, int h)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    return test::writePng(path, w, h);
}

DatasetImage imageOf(const QString &path, const QString &name, int width, int height)
{
    DatasetImage img;
    img.path = path;
    img.name = name;
    img.width = width;
    img.height = height;
    return img;
}

QRectF boxOf(const DatasetShape &s)
{
    return std::get<Box>(s.geometry).rect;
}

bool near(const QRectF &a, const QRectF &b, double tol)
{
    return std::abs(a.left() - b.left()) <= tol && std::abs(a.top() - b.top()) <= tol
           && std::abs(a.right() - b.right()) <= tol && std::abs(a.bottom() - b.bottom()) <= tol;
}

bool near(const QPolygonF &a, const QPolygonF &b, double tol)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i)
        if (std::abs(a[i].x() - b[i].x()) > tol || std::abs(a[i].y() - b[i].y()) > tol)
            return false;
    return true;
}

const QByteArray kYaml =
    "path: .\ntrain: images/train\nval: images/val\nnc: 2\nnames:\n  0: cat\n  1: dog\n";

// data.yaml as above, with both split folders present.
void writeYaml(const QString &root)
{
    writeText(root + "/data.yaml", kYaml);
    QVERIFY(QDir().mkpath(root + "/images/train"));
    QVERIFY(QDir().mkpath(root + "/images/val"));
}

} // namespace

class TestFormatsYolo : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<DatasetFormat> m_yolo = makeYoloFormat();

    Dataset readOk(const QString &dir, QVector<FormatProblem> *problemsOut = nullptr)
    {
        return test::readDataset(*m_yolo, dir, problemsOut);
    }

private Q_SLOTS:
    void identityAndDetect()
    {
        QVERIFY(m_yolo);
        QCOMPARE(m_yolo->name(), QStringLiteral("yolo"));
        QCOMPARE(m_yolo->displayName(), QStringLiteral("YOLO (Ultralytics)"));
        QVERIFY(m_yolo->readsFolder());
        QTemporaryDir dir;
        QCOMPARE(m_yolo->detect(dir.path()), 0);
        writeYaml(dir.path());
        writeText(dir.filePath("labels/train/a.txt"), "");
        QCOMPARE(m_yolo->detect(dir.path()), 90);
    }

    // A 200 x 100 image: cx, w are fractions of 200, cy, h of 100.
    void normalisationByHand()
    {
        QTemporaryDir dir;
        writeYaml(dir.path());
        QVERIFY(png(dir.filePath("images/train/a.png"), 200, 100));
        writeText(dir.filePath("labels/train/a.txt"),
                  "0 0.5 0.5 0.25 0.5\n1 0.1 0.2 0.3 0.4 0.5 0.6\n");
        const Dataset d = readOk(dir.path());
        QCOMPARE(d.classes, (QStringList{"cat", "dog"}));
        QCOMPARE(d.images.size(), 1);
        const DatasetImage &img = d.images[0];
        QCOMPARE(img.width, 200);
        QCOMPARE(img.height, 100);
        QCOMPARE(img.split, QStringLiteral("train"));
        QCOMPARE(img.path, QDir::cleanPath(dir.filePath("images/train/a.png")));
        QCOMPARE(img.shapes.size(), 2);
        QCOMPARE(img.shapes[0].classIndex, 0);
        QVERIFY(near(boxOf(img.shapes[0]), QRectF(75, 25, 50, 50), 1e-9));
        QCOMPARE(img.shapes[1].classIndex, 1);
        QVERIFY(near(std::get<Polygon>(img.shapes[1].geometry).points,
                     QPolygonF({{20, 20}, {60, 40}, {100, 60}}), 1e-9));
        QCOMPARE(img.shapes[1].origin, 2);
    }

    // EXIF orientation 6: stored 160 x 80, displayed 80 x 160. YOLO normalises by the displayed
    // size.
    void exifRotatedImageUsesDisplayedSize()
    {
        QTemporaryDir dir;
        writeYaml(dir.path());
        QVERIFY(QDir().mkpath(dir.filePath("images/train")));
        QVERIFY(test::writeJpeg(dir.filePath("images/train/r.jpg"), 160, 80, 0, 6));
        writeText(dir.filePath("labels/train/r.txt"), "1 0.5 0.5 0.5 0.5\n");
        const Dataset d = readOk(dir.path());
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].width, 80);
        QCOMPARE(d.images[0].height, 160);
        QVERIFY(near(boxOf(d.images[0].shapes.value(0)), QRectF(20, 40, 40, 80), 1e-9));
    }

    void namesAsListOrMap_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QStringList>("classes");
        QTest::addColumn<int>("problems");
        QTest::newRow("flow list")
            << QByteArray("train: images\nval: images\nnc: 2\nnames: ['cat', 'dog']\n")
            << QStringList{"cat", "dog"} << 0;
        QTest::newRow("block map") << QByteArray("train: images\nnames:\n  0: cat\n  1: dog\n")
                                   << QStringList{"cat", "dog"} << 0;
        QTest::newRow("nc disagrees") << QByteArray("train: images\nnc: 3\nnames: [cat, dog]\n")
                                      << QStringList{"cat", "dog"} << 1;
        QTest::newRow("nc only") << QByteArray("train: images\nnc: 2\n")
                                 << QStringList{"class_0", "class_1"} << 0;
    }
    void namesAsListOrMap()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QStringList, classes);
        QFETCH(int, problems);
        QTemporaryDir dir;
        writeText(dir.filePath("data.yaml"), yaml);
        QVERIFY(png(dir.filePath("images/a.png"), 10, 10));
        QVector<FormatProblem> found;
        const Dataset d = readOk(dir.path(), &found);
        QCOMPARE(d.classes, classes);
        QCOMPARE(found.size(), problems);
        if (problems)
            QCOMPARE(found[0].line, 2); // the nc line
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].split, QString()); // train and val are one folder: no splits
    }

    void malformedYamlIsAnErrorWithLine_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        // yaml-cpp names the line where it noticed: after an unclosed list, the next one.
        QTest::newRow("unclosed flow list")
            << QByteArray("path: .\ntrain: images\nnames: [cat, dog\nval: images\n") << 4;
        QTest::newRow("map and list mixed")
            << QByteArray("train: images\nnames:\n  0: cat\n  - dog\n") << 4;
        QTest::newRow("map value after a map value")
            << QByteArray("names: [cat]\ntrain: images: more\n") << 2;
        QTest::newRow("top level is a list") << QByteArray("- train\n- val\n") << 1;
    }
    void malformedYamlIsAnErrorWithLine()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QTemporaryDir dir;
        writeText(dir.filePath("data.yaml"), yaml);
        QVector<FormatProblem> problems;
        auto r = m_yolo->read(dir.path(), {}, problems);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Parse);
        QVERIFY2(r.error().path.endsWith(QLatin1String("data.yaml")),
                 qPrintable(r.error().toString()));
        QVERIFY2(r.error().line == line, qPrintable(r.error().toString()));
    }

    void absurdClassCountsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("message");
        // Without a limit, nc alone would make two billion class names.
        QTest::newRow("nc of two billion")
            << QByteArray("train: images\nnc: 2000000000\n") << 2 << "nc is 2000000000";
        QTest::newRow("negative nc") << QByteArray("train: images\nnc: -3\n") << 2 << "nc is -3";
        QTest::newRow("class id past the limit")
            << QByteArray("train: images\nnames:\n  0: cat\n  100000: dog\n") << 4
            << "key '100000'";
        QByteArray list("train: images\nnames: [");
        for (int i = 0; i <= 100000; ++i)
            list += i ? ",c" : "c";
        QTest::newRow("list of 100,001 names") << list + "]\n" << 2 << "100001 classes";
    }
    void absurdClassCountsAreRefused()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath("images"));
        writeText(dir.filePath("data.yaml"), yaml);
        QVector<FormatProblem> problems;
        auto r = m_yolo->read(dir.path(), {}, problems);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().toString()));
        QVERIFY2(r.error().path.endsWith(QLatin1String("data.yaml")),
                 qPrintable(r.error().toString()));
        QCOMPARE(r.error().line, line);
    }

    void badLinesAreProblems_data()
    {
        QTest::addColumn<QByteArray>("bad");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("class id out of range") << QByteArray("2 0.5 0.5 0.1 0.1") << "class id";
        QTest::newRow("negative class id") << QByteArray("-1 0.5 0.5 0.1 0.1") << "class id";
        QTest::newRow("class id not an integer") << QByteArray("0.5 0.5 0.5 0.1 0.1") << "class id";
        QTest::newRow("four values") << QByteArray("0 0.5 0.5 0.1") << "4 values";
        QTest::newRow("six values") << QByteArray("0 0.5 0.5 0.1 0.1 0.9") << "6 values";
        QTest::newRow("polygon of two points")
            << QByteArray("0 0.1 0.1 0.2 0.2") << QString(); // 5 values: a box
        QTest::newRow("odd polygon") << QByteArray("0 0.1 0.1 0.2 0.2 0.3 0.3 0.4") << "8 values";
        QTest::newRow("not a number") << QByteArray("0 0.5 abc 0.1 0.1") << "abc";
    }
    void badLinesAreProblems()
    {
        QFETCH(QByteArray, bad);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        writeYaml(dir.path());
        QVERIFY(png(dir.filePath("images/val/a.png"), 10, 10));
        writeText(dir.filePath("labels/val/a.txt"),
                  "0 0.5 0.5 0.2 0.2\n\n" + bad + "\n1 0.5 0.5 0.4 0.4\n");
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].split, QStringLiteral("val"));
        if (mentions.isEmpty()) { // not bad after all
            QCOMPARE(problems.size(), 0);
            QCOMPARE(d.images[0].shapes.size(), 3);
            return;
        }
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].path.endsWith(QLatin1String("a.txt")),
                 qPrintable(problems[0].toString()));
        QCOMPARE(problems[0].line, 3);
        QVERIFY2(problems[0].message.contains(mentions), qPrintable(problems[0].toString()));
        QCOMPARE(d.images[0].shapes.size(), 2);
        QCOMPARE(d.images[0].shapes[1].origin, 4);
    }

    void unreadableImageIsAProblemAndLabelsAreOptional()
    {
        QTemporaryDir dir;
        writeYaml(dir.path());
        QVERIFY(png(dir.filePath("images/train/background.png"), 10, 10)); // no label file
        QVERIFY(test::writeText(dir.filePath("images/train/notes.jpg")));
        writeText(dir.filePath("labels/train/notes.txt"), "0 0.5 0.5 0.2 0.2\n");
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].path.endsWith(QLatin1String("notes.jpg")),
                 qPrintable(problems[0].toString()));
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].name, QStringLiteral("images/train/background.png"));
        QVERIFY(d.images[0].shapes.isEmpty());
    }

    void refusesPathsOutsideTheDataset_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QByteArray>("list");
        QTest::addColumn<int>("line");
        QTest::newRow("train climbs out")
            << QByteArray("names: [cat]\ntrain: ../../elsewhere\nval: images\n") << QByteArray()
            << 2;
        QTest::newRow("val is absolute")
            << QByteArray("names: [cat]\ntrain: images\nval: /etc\n") << QByteArray() << 3;
        QTest::newRow("list names ../") << QByteArray("names: [cat]\ntrain: train.txt\n")
                                        << QByteArray("./images/a.png\n../../x.png\n") << 2;
        QTest::newRow("list names absolute") << QByteArray("names: [cat]\ntrain: train.txt\n")
                                             << QByteArray("/etc/passwd\n./images/a.png\n") << 1;
    }
    void refusesPathsOutsideTheDataset()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QByteArray, list);
        QFETCH(int, line);
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("ds")));
        writeText(dir.filePath("ds/data.yaml"), yaml);
        if (!list.isEmpty())
            writeText(dir.filePath("ds/train.txt"), list);
        QVERIFY(png(dir.filePath("ds/images/a.png"), 10, 10));
        QVERIFY(png(dir.filePath("elsewhere/b.png"), 10, 10));
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.filePath("ds"), &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].message.contains(QLatin1String("refused")),
                 qPrintable(problems[0].toString()));
        QCOMPARE(problems[0].line, line);
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].name, QStringLiteral("images/a.png"));
    }

    void missingSplitFolderIsAProblem()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("data.yaml"),
                  "names: [cat]\ntrain: images/train\nval: images/val\n");
        QVERIFY(png(dir.filePath("images/train/a.png"), 10, 10));
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0].line, 3);
        QVERIFY2(problems[0].message.contains(QLatin1String("images/val")),
                 qPrintable(problems[0].toString()));
        QCOMPARE(d.images.size(), 1);
    }

    void imageListsAndRoboflowPaths()
    {
        QTemporaryDir dir;
        // Roboflow writes "../train/images"; Ultralytics looks for it inside the dataset.
        writeText(dir.filePath("data.yaml"),
                  "names: [cat]\ntrain: ../train/images\nval: val.txt\n");
        QVERIFY(png(dir.filePath("train/images/a.png"), 10, 10));
        QVERIFY(png(dir.filePath("valid/images/b.png"), 10, 20));
        writeText(dir.filePath("valid/labels/b.txt"), "0 0.5 0.5 1 1\n");
        writeText(dir.filePath("val.txt"), "./valid/images/b.png\n");
        const Dataset d = readOk(dir.path());
        QCOMPARE(d.images.size(), 2);
        QCOMPARE(d.images[0].split, QStringLiteral("train"));
        QCOMPARE(d.images[1].split, QStringLiteral("val"));
        QVERIFY(near(boxOf(d.images[1].shapes.value(0)), QRectF(0, 0, 10, 20), 1e-9));
    }

    void sameStemInOneFolderGetsItsOwnLabelFile()
    {
        QTemporaryDir dir;
        QVERIFY(png(dir.filePath("src/a.png"), 10, 10));
        QVERIFY(QDir().mkpath(dir.filePath("src")));
        QVERIFY(test::writeJpeg(dir.filePath("src/a.jpg"), 20, 10));
        Dataset d;
        d.classes = {"cat", "dog"};
        DatasetImage p = imageOf(dir.filePath("src/a.png"), "a.png", 10, 10);
        p.shapes << DatasetShape{0, Box{QRectF(1, 1, 2, 2)}, "{}", -1};
        DatasetImage j = imageOf(dir.filePath("src/a.jpg"), "a.jpg", 20, 10);
        j.shapes << DatasetShape{1, Box{QRectF(4, 2, 6, 4)}, "{}", -1};
        d.images << p << j;
        QVector<FormatProblem> warned;
        WriteOptions wo;
        wo.images = ImagePlacement::Copy;
        QVERIFY(m_yolo->write(d, dir.filePath("out"), wo, warned).ok());
        QCOMPARE(warned.size(), 1);
        const Dataset back = readOk(dir.filePath("out"));
        QCOMPARE(back.images.size(), 2);
        for (const DatasetImage &img : back.images) {
            QCOMPARE(img.shapes.size(), 1);
            const bool jpeg = img.name.endsWith(QLatin1String(".jpg"));
            QCOMPARE(img.shapes[0].classIndex, jpeg ? 1 : 0);
            QVERIFY(
                near(boxOf(img.shapes[0]), jpeg ? QRectF(4, 2, 6, 4) : QRectF(1, 1, 2, 2), 1e-4));
        }
    }

    // A dataset kept under a folder that happens to be called "images".
    void imagesFolderAboveTheDatasetDoesNotCount()
    {
        QTemporaryDir dir;
        const QString root = dir.filePath("images/darknet");
        writeText(root + "/classes.txt", "cat\n");
        QVERIFY(png(root + "/a.png", 10, 10));
        writeText(root + "/a.txt", "0 0.5 0.5 0.2 0.2\n");
        writeText(root + "/labels/.keep", "");
        const Dataset d = readOk(root);
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].shapes.size(), 1);
    }

    void labelFileWithoutImageIsAProblem()
    {
        QTemporaryDir dir;
        writeYaml(dir.path());
        QVERIFY(png(dir.filePath("images/train/a.png"), 10, 10));
        writeText(dir.filePath("labels/train/a.txt"), "0 0.5 0.5 0.2 0.2\n");
        writeText(dir.filePath("labels/train/classes.txt"),
                  "cat\ndog\n"); // LabelImg leaves one here
        writeText(dir.filePath("labels/val/lost.txt"), "0 0.5 0.5 0.2 0.2\n");
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].path.endsWith(QLatin1String("lost.txt")),
                 qPrintable(problems[0].toString()));
        QCOMPARE(d.images.size(), 1);
    }

    void cancelStopsTheRead()
    {
        QTemporaryDir dir;
        writeYaml(dir.path());
        QVERIFY(png(dir.filePath("images/train/a.png"), 10, 10));
        std::atomic_bool cancel{true};
        ReadOptions options;
        options.cancel = &cancel;
        QVector<FormatProblem> problems;
        auto r = m_yolo->read(dir.path(), options, problems);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Cancelled);
    }

    void classesTxtLayout()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("classes.txt"), "cat\ndog\n\n");
        QVERIFY(png(dir.filePath("images/train/a.png"), 20, 10));
        QVERIFY(png(dir.filePath("images/valid/b.png"), 20, 10));
        writeText(dir.filePath("labels/train/a.txt"), "1 0.5 0.5 0.5 0.5\n");
        const Dataset d = readOk(dir.path());
        QCOMPARE(d.classes, (QStringList{"cat", "dog"}));
        QCOMPARE(d.images.size(), 2);
        QCOMPARE(d.images[0].split, QStringLiteral("train"));
        QVERIFY(near(boxOf(d.images[0].shapes.value(0)), QRectF(5, 2.5, 10, 5), 1e-9));
        QCOMPARE(d.images[1].split, QStringLiteral("val"));
    }

    void roundTrip_data()
    {
        QTest::addColumn<bool>("splits");
        QTest::newRow("train and val splits") << true;
        QTest::newRow("no splits: flat layout") << false;
    }
    void roundTrip()
    {
        QFETCH(bool, splits);
        QTemporaryDir dir;
        QVERIFY(png(dir.filePath("src/a.png"), 64, 48));
        QVERIFY(png(dir.filePath("src/sub/b.png"), 30, 70));
        Dataset d;
        d.classes = {"cat", "dog", "bird"};
        DatasetImage a = imageOf(dir.filePath("src/a.png"), "a.png", 64, 48);
        a.split = splits ? "train" : "";
        const QPolygonF poly({{3.25, 4.5}, {40.125, 7.75}, {20.3, 30.9}, {5, 28}});
        a.shapes << DatasetShape{2, Box{QRectF(3.3, 4.7, 10.45, 6.2)}, "{}", -1}
                 << DatasetShape{0, Polygon{poly}, "{}", -1};
        a.labels << 1;
        DatasetImage b = imageOf(dir.filePath("src/sub/b.png"), "sub/b.png", 30, 70);
        b.split = splits ? "val" : "";
        Mask m(QRect(5, 10, 10, 20));
        for (int y = 12; y < 25; ++y)
            for (int x = 6; x < 12; ++x)
                m.set(x, y, true);
        b.shapes << DatasetShape{1, Box{QRectF(0, 0, 30, 70)}, "{}", -1}
                 << DatasetShape{1, m, "{}", -1};
        d.images << a << b;

        QVector<FormatProblem> warned;
        WriteOptions wo;
        wo.images = ImagePlacement::Copy;
        QVERIFY(m_yolo->write(d, dir.filePath("out"), wo, warned).ok());
        QCOMPARE(warned.size(), 2); // mask -> polygons, image-level label dropped
        const QString sa = splits ? "train/" : "", sb = splits ? "val/" : "";
        QVERIFY(QFile::exists(dir.filePath("out/images/" + sa + "a.png")));
        QVERIFY(QFile::exists(dir.filePath("out/labels/" + sa + "a.txt")));
        QVERIFY(QFile::exists(dir.filePath("out/images/" + sb + "sub/b.png")));
        QVERIFY(QFile::exists(dir.filePath("out/labels/" + sb + "sub/b.txt")));
        QFile yaml(dir.filePath("out/data.yaml"));
        QVERIFY(yaml.open(QIODevice::ReadOnly));
        const QByteArray y = yaml.readAll();
        QVERIFY2(y.contains("names:\n  0: cat\n  1: dog\n  2: bird"), y.constData());
        QVERIFY2(y.contains("nc: 3"), y.constData());
        // Ultralytics reads a relative "path" against its own datasets folder: leave it out.
        QVERIFY2(!y.contains("path:"), y.constData());
        QVERIFY2(y.contains(splits ? "train: images/train\nval: images/val"
                                   : "train: images\nval: images"),
                 y.constData());

        const Dataset back = readOk(dir.filePath("out"));
        QCOMPARE(back.classes, d.classes);
        QCOMPARE(back.images.size(), 2);
        const DatasetImage &ra = back.images[0];
        const DatasetImage &rb = back.images[1];
        QCOMPARE(ra.split, a.split);
        QCOMPARE(rb.split, b.split);
        QCOMPARE(ra.shapes.size(), 2);
        QCOMPARE(ra.shapes[0].classIndex, 2);
        QVERIFY(near(boxOf(ra.shapes[0]), QRectF(3.3, 4.7, 10.45, 6.2), 1e-4));
        QCOMPARE(ra.shapes[1].classIndex, 0);
        QVERIFY(near(std::get<Polygon>(ra.shapes[1].geometry).points, poly, 1e-4));
        QCOMPARE(rb.shapes.size(), 2);
        QVERIFY(near(boxOf(rb.shapes[0]), QRectF(0, 0, 30, 70), 1e-4));
        // The mask came back as a polygon that rasterises to the same pixels.
        QCOMPARE(kindOf(rb.shapes[1].geometry), ShapeKind::Polygon);
        QVERIFY(rasterizePolygon(std::get<Polygon>(rb.shapes[1].geometry).points, QSize(30, 70))
                == m);
    }
};

QTEST_GUILESS_MAIN(TestFormatsYolo)
#include "formats_yolo.moc"
