// SPDX-License-Identifier: GPL-3.0-or-later
// COCO JSON: our run-length codec against hand-computed strings and hostile
// input, project-shaped datasets surviving write -> read exactly, and every
// kind of bad file giving the problem or error a user can act on.
#include "core/formats/cocorle.h"
#include "core/formats/format.h"
#include "core/formats/formatutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;

namespace {

const DatasetFormat &coco()
{
    static const std::unique_ptr<DatasetFormat> f = makeCocoFormat();
    return *f;
}

void writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

/// A mask drawn from rows of '#' (on) and '.' (off), placed at `origin`.
Mask drawn(const QStringList &rows, QPoint origin = {})
{
    Mask m(QRect(origin, QSize(int(rows.first().size()), int(rows.size()))));
    for (int y = 0; y < rows.size(); ++y)
        for (int x = 0; x < rows[y].size(); ++x)
            m.set(origin.x() + x, origin.y() + y, rows[y][x] == QLatin1Char('#'));
    return m;
}

Mask randomMaskWithHoles(quint32 seed, const QRect &bounds)
{
    QRandomGenerator rng(seed);
    Mask m(bounds);
    for (int y = bounds.top(); y <= bounds.bottom(); ++y)
        for (int x = bounds.left(); x <= bounds.right(); ++x)
            m.set(x, y, rng.bounded(100) < 70); // 30% off pixels: holes everywhere
    return m;
}

struct Read {
    Result<Dataset> data;
    QVector<FormatProblem> problems;
};

Read readFile(const QString &path, const ReadOptions &options = {})
{
    QVector<FormatProblem> problems;
    Result<Dataset> data = coco().read(path, options, problems);
    return {std::move(data), problems};
}

QStringList wheres(const QVector<FormatProblem> &problems)
{
    QStringList w;
    for (const FormatProblem &p : problems)
        w << p.where;
    return w;
}

/// A COCO file with one image "a.jpg" (id 1, 10x8) and category 1 "cat", plus `annotations`.
QByteArray oneImageFile(const QByteArray &annotations)
{
    return R"({"images":[{"id":1,"file_name":"a.jpg","width":10,"height":8}],)"
           R"("categories":[{"id":1,"name":"cat"}],"annotations":[)"
           + annotations + "]}";
}

} // namespace

class TestFormatsCoco : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // --- the run-length codec -------------------------------------------------
    void rleHandComputedString_data()
    {
        QTest::addColumn<QStringList>("rows");
        QTest::addColumn<QByteArray>("expected");
        // 2 rows x 3 columns; column-major pixels 0 0 | 1 1 | 0 1 -> counts 2,2,1,1;
        // the 4th count is written as 1 - counts[1] = -1: one group 0x1f, sign set -> 'O'.
        QTest::newRow("2x3 with a negative delta")
            << QStringList{".#.", ".##"} << QByteArray("221O");
        // 41 rows x 1 column, last pixel on: counts 40,1; 40 = 8 + 1*32: "X" (8|0x20 + 48) "1",
        // then "1".
        QStringList tall;
        for (int i = 0; i < 40; ++i)
            tall << QStringLiteral(".");
        tall << QStringLiteral("#");
        QTest::newRow("a count of two groups") << tall << QByteArray("X11");
        // 45 rows x 1 column, last pixel on: 44 = 12|0x20 -> '\\' (92), the one character
        // of the alphabet that JSON must escape.
        QStringList tallest =
            tall.mid(0, 40) + QStringList(4, QStringLiteral(".")) + QStringList{"#"};
        QTest::newRow("a backslash in the string") << tallest << QByteArray("\\11");
        QTest::newRow("all on starts with an empty off run")
            << QStringList{"##", "##"} << QByteArray("04");
    }
    void rleHandComputedString()
    {
        QFETCH(QStringList, rows);
        QFETCH(QByteArray, expected);
        const Mask mask = drawn(rows);
        const int w = int(rows.first().size()), h = int(rows.size());
        QCOMPARE(cocorle::encodeCounts(cocorle::maskToCounts(mask, w, h)), expected);
        auto counts = cocorle::decodeCounts(expected, std::uint64_t(w) * h);
        QVERIFY2(counts.ok(), qPrintable(counts.ok() ? QString() : counts.error().message));
        auto back = cocorle::countsToMask(counts.value(), w, h);
        QVERIFY(back.ok());
        QVERIFY(back.value() == mask);
        QCOMPARE(back->bounds(), mask.tightBounds()); // only the on pixels' window is kept
    }

    void rleRoundTripOfDrawnMask()
    {
        // 4 columns x 3 rows, off pixels inside and at the borders.
        const Mask mask = drawn({"#..#", ".##.", "##.#"});
        const auto counts = cocorle::maskToCounts(mask, 4, 3);
        // Column-major by hand: col0 1 0 1, col1 0 1 1, col2 0 1 0, col3 1 0 1.
        const std::vector<std::uint64_t> expected{0, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1};
        QCOMPARE(counts, expected);
        auto decoded = cocorle::decodeCounts(cocorle::encodeCounts(counts), 12);
        QVERIFY(decoded.ok());
        QCOMPARE(decoded.value(), expected);
    }

    void rleRandomWindowsRoundTrip()
    {
        // Windows that cover part of a column, several columns, or reach out of the image:
        // the runs must close at every window edge.
        QRandomGenerator rng(11);
        const int w = 37, h = 23;
        for (int i = 0; i < 300; ++i) {
            const QRect window(int(rng.bounded(-5, w)), int(rng.bounded(-5, h)),
                               1 + int(rng.bounded(20)), 1 + int(rng.bounded(15)));
            const Mask mask = randomMaskWithHoles(quint32(i), window);
            const auto counts = cocorle::maskToCounts(mask, w, h);
            auto decoded =
                cocorle::decodeCounts(cocorle::encodeCounts(counts), std::uint64_t(w) * h);
            QVERIFY(decoded.ok());
            QCOMPARE(decoded.value(), counts);
            auto back = cocorle::countsToMask(decoded.value(), w, h);
            QVERIFY(back.ok());
            QVERIFY2(back.value() == mask.cropped(QRect(0, 0, w, h)),
                     qPrintable(QString::number(i)));
        }
    }

    void rleHostile_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("negative count") << QByteArray("0O") << 2 << 2;
        QTest::newRow("character outside the alphabet") << QByteArray("2 2") << 2 << 2;
        QTest::newRow("endless continuation") << QByteArray(40, 'o') << 2 << 2;
        QTest::newRow("ends inside a count") << QByteArray("2X") << 2 << 2;
        QTest::newRow("counts past the size") << QByteArray("99") << 2 << 2;
        QTest::newRow("counts short of the size") << QByteArray("12") << 2 << 2;
        // 12 groups of 0x1f with continuation, then 0x0f: near 2^64, must not wrap around.
        QTest::newRow("overflowing count")
            << QByteArray(12, char(0x3f + 48)) + char(0x0f + 48) << 2 << 2;
        QTest::newRow("size 1e9 x 1e9") << QByteArray("X1") << 1000000000 << 1000000000;
        QTest::newRow("zero size") << QByteArray("0") << 0 << 5;
    }
    void rleHostile()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, width);
        QFETCH(int, height);
        auto counts = cocorle::decodeCounts(text, std::uint64_t(qint64(width) * height));
        if (counts.ok()) {
            auto mask = cocorle::countsToMask(counts.value(), width, height);
            QVERIFY2(!mask.ok(), "hostile RLE was accepted");
            QCOMPARE(mask.error().code, Error::Code::Parse);
        } else {
            QCOMPARE(counts.error().code, Error::Code::Parse);
        }
    }

    // --- write -> read --------------------------------------------------------
    void roundTripKeepsEverything()
    {
        QTemporaryDir dir;
        Dataset d;
        d.classes = {QStringLiteral("cat"), QStringLiteral("dog \"big\""), QStringLiteral("tree")};
        DatasetImage a;
        a.path = dir.filePath(QStringLiteral("src/a.jpg"));
        a.name = QStringLiteral("sub/a.jpg");
        a.width = 64;
        a.height = 48;
        a.split = QStringLiteral("val");
        a.labels = {2};
        a.meta.insert(QStringLiteral("patient"), QStringLiteral("p7"));
        const QRectF box(10.25, 3.5, 20.125, 7.000001);
        const QPolygonF poly{QPointF(1.5, 2.25), QPointF(30.75, 4), QPointF(12, 40.125)};
        const Mask holes = randomMaskWithHoles(7, QRect(5, 6, 30, 20));
        const Mask border =
            randomMaskWithHoles(8, QRect(40, 30, 24, 18)); // reaches right/bottom edges
        const Mask single = drawn({"#"}, QPoint(0, 0));    // 1x1 in the corner
        const Mask full = drawn(QStringList(48, QString(64, QLatin1Char('#'))));
        const Mask backslash = drawn({"#"}, QPoint(0, 44)); // counts 44,1,...: "\\1..." in JSON
        int k = 0;
        for (const Geometry &g :
             {Geometry(Box{box}), Geometry(Polygon{poly}), Geometry(holes), Geometry(border),
              Geometry(single), Geometry(full), Geometry(backslash)}) {
            DatasetShape s;
            s.classIndex = k++ % 2;
            s.geometry = g;
            a.shapes.push_back(s);
        }
        a.shapes[3].attributes = QStringLiteral("{\"iscrowd\":1}");
        DatasetImage b; // no annotations: still part of the dataset
        b.path = dir.filePath(QStringLiteral("src/b.png"));
        b.name = QStringLiteral("b.png");
        b.width = 5;
        b.height = 5;
        d.images = {a, b};

        writeText(a.path, "a");
        writeText(b.path, "bb");
        QVector<FormatProblem> warnings;
        WriteOptions wo;
        wo.images = ImagePlacement::Copy;
        const QString out = dir.filePath(QStringLiteral("out"));
        const Status st = coco().write(d, out, wo, warnings);
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().toString()));
        QVERIFY(warnings.isEmpty());
        QCOMPARE(coco().detect(out + QStringLiteral("/annotations.json")), 90);
        QCOMPARE(coco().detect(out), 60);

        const Read r = readFile(out); // the folder: annotations.json is found
        QVERIFY2(r.data.ok(), qPrintable(r.data.ok() ? QString() : r.data.error().toString()));
        QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.value(0).toString()));
        const Dataset &e = r.data.value();
        QCOMPARE(e.classes, d.classes);
        QCOMPARE(e.images.size(), 2);
        const DatasetImage &ra = e.images[0];
        QCOMPARE(ra.name, QStringLiteral("sub/a.jpg"));
        QCOMPARE(QDir::cleanPath(ra.path),
                 QDir::cleanPath(out + QStringLiteral("/images/sub/a.jpg")));
        QVERIFY(QFileInfo::exists(ra.path)); // the image was placed where the file names it
        QCOMPARE(ra.width, 64);
        QCOMPARE(ra.height, 48);
        QCOMPARE(ra.split, QStringLiteral("val"));
        QCOMPARE(ra.labels, QVector<int>{2});
        QCOMPARE(ra.meta.value(QStringLiteral("patient")), QStringLiteral("p7"));
        QCOMPARE(ra.shapes.size(), a.shapes.size());
        for (int i = 0; i < a.shapes.size(); ++i) {
            QCOMPARE(ra.shapes[i].classIndex, a.shapes[i].classIndex);
            QCOMPARE(ra.shapes[i].attributes, a.shapes[i].attributes);
            QCOMPARE(ra.shapes[i].origin, i);
        }
        const QRectF rb = std::get<Box>(ra.shapes[0].geometry).rect;
        QVERIFY(std::abs(rb.x() - box.x()) < 1e-6 && std::abs(rb.y() - box.y()) < 1e-6);
        QVERIFY(std::abs(rb.width() - box.width()) < 1e-6
                && std::abs(rb.height() - box.height()) < 1e-6);
        QCOMPARE(std::get<Polygon>(ra.shapes[1].geometry).points, poly);
        for (int i = 2; i < 7; ++i) {
            const Mask &m = std::get<Mask>(ra.shapes[i].geometry);
            QVERIFY2(m == std::get<Mask>(a.shapes[i].geometry), qPrintable(QString::number(i)));
            QCOMPARE(m.bounds(), std::get<Mask>(a.shapes[i].geometry).tightBounds());
        }
        QCOMPARE(e.images[1].name, QStringLiteral("b.png"));
        QVERIFY(e.images[1].shapes.isEmpty());
    }

    void writerFollowsCocoConventions()
    {
        QTemporaryDir dir;
        Dataset d;
        d.classes = {QStringLiteral("a"), QStringLiteral("b")};
        DatasetImage img;
        img.path = dir.filePath(QStringLiteral("x.jpg"));
        img.name = QStringLiteral("x.jpg");
        img.width = 3;
        img.height = 2;
        DatasetShape box{1, Box{QRectF(0.5, 0, 2, 1.5)}};
        DatasetShape poly{0, Polygon{QPolygonF{QPointF(0, 0), QPointF(2, 0), QPointF(2, 1)}}};
        DatasetShape mask{1, drawn({".#.", ".##"})};
        img.shapes = {box, poly, mask};
        d.images = {img};
        QVector<FormatProblem> warnings;
        WriteOptions wo;
        wo.images = ImagePlacement::None;
        QVERIFY(coco().write(d, dir.path(), wo, warnings).ok());
        QFile f(dir.filePath(QStringLiteral("annotations.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains('\n')); // compact
        const QJsonObject o = QJsonDocument::fromJson(text).object();
        const QJsonArray cats = o.value("categories").toArray();
        QCOMPARE(cats.size(), 2);
        QCOMPARE(cats[1].toObject().value("id").toInt(), 2);
        QCOMPARE(cats[1].toObject().value("name").toString(), QStringLiteral("b"));
        const QJsonArray anns = o.value("annotations").toArray();
        QCOMPARE(anns.size(), 3);
        QCOMPARE(anns[0].toObject().value("bbox").toArray(), (QJsonArray{0.5, 0, 2, 1.5}));
        QCOMPARE(anns[0].toObject().value("area").toDouble(), 3.0);
        QCOMPARE(anns[0].toObject().value("category_id").toInt(), 2);
        QCOMPARE(anns[1].toObject().value("area").toDouble(), 1.0); // shoelace
        QCOMPARE(anns[1].toObject().value("bbox").toArray(), (QJsonArray{0, 0, 2, 1}));
        const QJsonObject rle = anns[2].toObject().value("segmentation").toObject();
        QCOMPARE(rle.value("size").toArray(), (QJsonArray{2, 3}));
        QCOMPARE(rle.value("counts").toString(), QStringLiteral("221O"));
        QCOMPARE(anns[2].toObject().value("area").toInt(), 3);
        QCOMPARE(anns[2].toObject().value("bbox").toArray(), (QJsonArray{1, 0, 2, 2}));
        QCOMPARE(anns[2].toObject().value("iscrowd").toInt(), 0);
        QCOMPARE(anns[2].toObject().value("id").toInt(), 3);
    }

    // --- reading other tools' files ------------------------------------------
    void readsPeerFeatures()
    {
        QTemporaryDir dir;
        // COCO's own layout: annotations/instances_val2017.json beside val2017/.
        writeText(dir.filePath("val2017/a.jpg"), "x");
        const QString json = dir.filePath("annotations/instances_val2017.json");
        writeText(
            json,
            R"({"info":{"year":2017},"licenses":[],"images":[{"id":7,"file_name":"a.jpg","width":3,"height":2}],)"
            R"("annotations":[{"id":1,"image_id":7,"category_id":5,"iscrowd":1,"bbox":[1,0,2,2],)"
            R"("segmentation":{"counts":[2,2,1,1],"size":[2,3]}},)"
            R"({"id":2,"image_id":7,"category_id":9,"bbox":[0,0,1,1],"segmentation":[[0,0,3,0,3,2],[0,1,1,1,1,2]]},)"
            R"({"id":3,"image_id":7,"category_id":5,"bbox":[0.5,0.25,1,1]}],)"
            R"("categories":[{"id":5,"name":"person"},{"id":9,"name":"person"},{"id":11,"name":"car"}]})");
        QCOMPARE(coco().detect(dir.path()), 60);
        const Read r = readFile(json);
        QVERIFY(r.data.ok());
        QVERIFY2(r.problems.isEmpty(), qPrintable(r.problems.value(0).toString()));
        const Dataset &d = r.data.value();
        QCOMPARE(d.classes, (QStringList{"person", "car"})); // duplicate names merged
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].path, QDir::cleanPath(dir.filePath("val2017/a.jpg")));
        const auto &s = d.images[0].shapes;
        QCOMPARE(s.size(), 4); // the two-part polygon gives two shapes
        QVERIFY(std::get<Mask>(s[0].geometry) == drawn({".#.", ".##"}));
        QCOMPARE(s[0].attributes, QStringLiteral("{\"iscrowd\":1}"));
        QCOMPARE(std::get<Polygon>(s[1].geometry).points.size(), 3);
        QCOMPARE(std::get<Polygon>(s[2].geometry).points.size(), 3);
        QCOMPARE(s[1].origin, 1);
        QCOMPARE(s[2].origin, 1);
        QCOMPARE(s[2].classIndex, 0);
        QCOMPARE(std::get<Box>(s[3].geometry).rect, QRectF(0.5, 0.25, 1, 1));
    }

    // --- bad input -------------------------------------------------------------
    void malformedJsonNamesTheLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::newRow("inside an image") << QByteArray(
            "{\n  \"images\": [\n    {\"id\": 1,, \"file_name\": \"a.jpg\"}\n  ]\n}\n")
                                         << 3;
        QTest::newRow("comma missing between annotations")
            << QByteArray("{\"images\": [],\n\"annotations\": [\n{\"id\": 1}\n{\"id\": 2}\n]}")
            << 4;
        QTest::newRow("trailing comma in info")
            << QByteArray("{\"info\": {\"year\": 2017,},\n\"images\": []}") << 1;
        QTest::newRow("file cut short") << QByteArray("{\"images\": [\n{\"id\": 1}") << 2;
        QTest::newRow("text after the object") << QByteArray("{\"images\": []}\nnot json") << 2;
        QTest::newRow("bad number deep in a bbox") << QByteArray(
            "{\"images\": [],\n\"categories\": [],\n\"annotations\": [{\"bbox\": [1, 2, 3x, 4]}]}")
                                                   << 3;
        QTest::newRow("top level is a list") << QByteArray("\n[1, 2]") << 2;
    }
    void malformedJsonNamesTheLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QTemporaryDir dir;
        const QString json = dir.filePath("bad.json");
        writeText(json, text);
        const Read r = readFile(json);
        QVERIFY(!r.data.ok());
        QCOMPARE(r.data.error().code, Error::Code::Parse);
        QCOMPARE(r.data.error().line, line);
        QVERIFY(r.data.error().path.endsWith(QStringLiteral("bad.json")));
        QVERIFY2(r.data.error().message.contains(QStringLiteral("malformed JSON")),
                                                 qPrintable(r.data.error().message));
    }

    void folderWithSeveralFilesNamesThem()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("annotations/instances_train.json"), oneImageFile(""));
        writeText(dir.filePath("annotations/instances_val.json"), oneImageFile(""));
        QCOMPARE(coco().detect(dir.path()), 0);
        const Read r = readFile(dir.path());
        QVERIFY(!r.data.ok());
        QVERIFY2(r.data.error().message.contains(QStringLiteral("several")),
                                                 qPrintable(r.data.error().message));
        // Named, either one reads.
        QVERIFY(readFile(dir.filePath("annotations/instances_val.json")).data.ok());
    }

    void badItemsAreProblems_data()
    {
        QTest::addColumn<QByteArray>("annotations");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown category id") << QByteArray(
            R"({"image_id":1,"category_id":1,"bbox":[0,0,1,1]},{"image_id":1,"category_id":4,"bbox":[0,0,1,1]})")
                                             << "annotations[1].category_id"
                                             << "category id 4";
        QTest::newRow("unknown image id")
            << QByteArray(R"({"image_id":2,"category_id":1,"bbox":[0,0,1,1]})")
            << "annotations[0].image_id"
            << "image id 2";
        QTest::newRow("bbox of three numbers")
            << QByteArray(R"({"image_id":1,"category_id":1,"bbox":[0,0,1]})")
            << "annotations[0].bbox"
            << "4 numbers";
        QTest::newRow("category id of the wrong type")
            << QByteArray(R"({"image_id":1,"category_id":"cat","bbox":[0,0,1,1]})")
            << "annotations[0].category_id"
            << "integer";
        QTest::newRow("polygon with an odd coordinate count")
            << QByteArray(R"({"image_id":1,"category_id":1,"segmentation":[[0,0,4,0,4]]})")
            << "annotations[0].segmentation[0]"
            << "odd";
        QTest::newRow("RLE of 1e9 x 1e9") << QByteArray(
            R"({"image_id":1,"category_id":1,"segmentation":{"counts":"X1","size":[1000000000,1000000000]}})")
                                          << "annotations[0].segmentation.size"
                                          << "larger";
        QTest::newRow("RLE with a negative count") << QByteArray(
            R"({"image_id":1,"category_id":1,"segmentation":{"counts":[40,-1,41],"size":[8,10]}})")
                                                   << "annotations[0].segmentation.counts[1]"
                                                   << "integer";
        QTest::newRow("RLE counts overflow") << QByteArray(
            R"({"image_id":1,"category_id":1,"segmentation":{"counts":"ooooooooooooooooo","size":[8,10]}})")
                                             << "annotations[0].segmentation.counts"
                                             << "too long";
        QTest::newRow("RLE counts short of the size") << QByteArray(
            R"({"image_id":1,"category_id":1,"segmentation":{"counts":[40,1],"size":[8,10]}})")
                                                      << "annotations[0].segmentation.counts"
                                                      << "cover 41 pixels";
        QTest::newRow("RLE size not the image's") << QByteArray(
            R"({"image_id":1,"category_id":1,"segmentation":{"counts":[1,1],"size":[1,2]}})")
                                                  << "annotations[0].segmentation.size"
                                                  << "differs";
        QTest::newRow("neither bbox nor segmentation")
            << QByteArray(R"({"image_id":1,"category_id":1})") << "annotations[0]"
            << "neither";
    }
    void badItemsAreProblems()
    {
        QFETCH(QByteArray, annotations);
        QFETCH(QString, where);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString json = dir.filePath("c.json");
        writeText(json, oneImageFile(annotations));
        const Read r = readFile(json);
        QVERIFY(r.data.ok());
        QCOMPARE(wheres(r.problems), QStringList{where});
        QVERIFY2(r.problems[0].message.contains(says), qPrintable(r.problems[0].message));
        QVERIFY(r.problems[0].path.endsWith(QStringLiteral("c.json")));
        // The bad item is left out, the rest is kept.
        const int total = int(QJsonDocument::fromJson("[" + annotations + "]").array().size());
        QCOMPARE(r.data->images.size(), 1);
        QCOMPARE(int(r.data->images[0].shapes.size()), total - 1);
    }

    void pathsOutsideTheDatasetAreRefused_data()
    {
        QTest::addColumn<QString>("fileName");
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd");
        QTest::newRow("climbing out") << QStringLiteral("../outside.jpg");
        QTest::newRow("climbing out from a sub-folder") << QStringLiteral("sub/../../outside.jpg");
        QTest::newRow("Windows drive") << QStringLiteral("C:\\\\images\\\\a.jpg");
    }
    void pathsOutsideTheDatasetAreRefused()
    {
        QFETCH(QString, fileName);
        QTemporaryDir dir;
        writeText(dir.filePath("outside.jpg"), "x");
        const QString json = dir.filePath("ds/c.json");
        writeText(json,
                  R"({"images":[{"id":1,"file_name":")" + fileName.toUtf8()
                      + R"("},{"id":2,"file_name":"ok.jpg"}],"categories":[{"id":1,"name":"a"}],)"
                        R"("annotations":[{"image_id":1,"category_id":1,"bbox":[0,0,1,1]}]})");
        const Read r = readFile(json);
        QVERIFY2(r.data.ok(), qPrintable(r.data.ok() ? QString() : r.data.error().toString()));
        QCOMPARE(wheres(r.problems),
                 QStringList{"images[0].file_name"}); // its annotation goes quietly
        QVERIFY2(r.problems[0].message.contains(QStringLiteral("refused")),
                                                qPrintable(r.problems[0].message));
        QCOMPARE(r.data->images.size(), 1);
        QCOMPARE(r.data->images[0].name, QStringLiteral("ok.jpg"));
    }

    void notCocoIsAnError()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("list.json"), "[1, 2]");
        const Read r = readFile(dir.filePath("list.json"));
        QVERIFY(!r.data.ok());
        QCOMPARE(r.data.error().code, Error::Code::Parse);
        QCOMPARE(coco().detect(dir.filePath("list.json")), 0);
        writeText(dir.filePath("labelme.json"), R"({"shapes":[],"imagePath":"a.jpg"})");
        QCOMPARE(coco().detect(dir.filePath("labelme.json")), 0);
    }

    void mutatedFilesNeverCrash()
    {
        // A valid file with every kind of geometry, then bytes replaced at random by
        // JSON's own punctuation and digits: each read ends in a dataset (with
        // problems) or a Parse error, never a crash or a runaway allocation.
        const QByteArray valid = oneImageFile(
            R"({"image_id":1,"category_id":1,"bbox":[1,2,3,4]},)"
            R"({"image_id":1,"category_id":1,"segmentation":[[0,0,4,0,4,4]],"iscrowd":0},)"
            R"({"image_id":1,"category_id":1,"segmentation":{"size":[8,10],"counts":"X11W1"}},)"
            R"({"image_id":1,"category_id":1,"segmentation":{"size":[8,10],"counts":[40,1,39]}})");
        const QByteArray alphabet("{}[]\",:-0123456789eE.oX\\ ");
        QTemporaryDir dir;
        const QString json = dir.filePath("m.json");
        writeText(json, valid);
        const Read base = readFile(json);
        QVERIFY(base.data.ok() && base.problems.isEmpty());
        QCOMPARE(base.data->images[0].shapes.size(), 4);
        QVERIFY(std::get<Mask>(base.data->images[0].shapes[2].geometry)
                == std::get<Mask>(
                    base.data->images[0].shapes[3].geometry)); // compressed == uncompressed
        QRandomGenerator rng(5);
        int parsed = 0;
        for (int round = 0; round < 400; ++round) {
            QByteArray text = valid;
            const int edits = 1 + int(rng.bounded(4));
            for (int e = 0; e < edits; ++e)
                text[int(rng.bounded(int(text.size())))] =
                    alphabet[int(rng.bounded(int(alphabet.size())))];
            writeText(json, text);
            const Read r = readFile(json);
            if (r.data.ok())
                ++parsed;
            else
                QCOMPARE(r.data.error().code, Error::Code::Parse);
        }
        QVERIFY(parsed > 0); // some mutations keep the JSON valid and reach the item checks
    }

    void randomRleStringsNeverCrash()
    {
        QRandomGenerator rng(9);
        for (int round = 0; round < 2000; ++round) {
            QByteArray text(1 + int(rng.bounded(12)), '0');
            for (char &c : text)
                c = char(40 + rng.bounded(80)); // mostly inside the alphabet, some outside
            const int w = 1 + int(rng.bounded(6)), h = 1 + int(rng.bounded(6));
            auto counts = cocorle::decodeCounts(text, std::uint64_t(w) * h);
            if (!counts.ok())
                continue;
            auto mask = cocorle::countsToMask(counts.value(), w, h);
            if (mask.ok()) // a valid RLE survives re-encoding
                QCOMPARE(cocorle::maskToCounts(mask.value(), w, h).size() <= counts->size(), true);
        }
    }

    void cancelStops()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("c.json"),
                  oneImageFile(R"({"image_id":1,"category_id":1,"bbox":[0,0,1,1]})"));
        std::atomic_bool cancel{true};
        ReadOptions o;
        o.cancel = &cancel;
        const Read r = readFile(dir.filePath("c.json"), o);
        QVERIFY(!r.data.ok());
        QCOMPARE(r.data.error().code, Error::Code::Cancelled);
    }
};

QTEST_GUILESS_MAIN(TestFormatsCoco)
#include "formats_coco.moc"
