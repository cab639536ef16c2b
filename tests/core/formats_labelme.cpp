// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/core/formats_labelme_test.h"

#include "core/annotation/raster.h"
#include "core/formats/formatutil.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using namespace salient;

namespace labelmetest {

const DatasetFormat &labelme()
{
    const DatasetFormat *f = datasetFormat(QStringLiteral("labelme"));
    Q_ASSERT(f);
    return *f;
}

bool writeImage(const QString &path, int width, int height, int seed)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage img(width, height, QImage::Format_RGB888);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            img.setPixel(x, y,
                         qRgb((x * 7 + seed * 31) & 255, (y * 5 + seed) & 255, (x ^ y) & 255));
    return img.save(path, "PNG");
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace labelmetest

using namespace labelmetest;

namespace {

double polygonArea(const QPolygonF &p)
{
    double a = 0;
    for (int i = 0; i < p.size(); ++i) {
        const QPointF &u = p[i], &v = p[(i + 1) % p.size()];
        a += u.x() * v.y() - v.x() * u.y();
    }
    return std::abs(a) / 2;
}

QByteArray pngBytes(int w, int h)
{
    QImage img(w, h, QImage::Format_RGB888);
    img.fill(Qt::green);
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    img.save(&buf, "PNG");
    return bytes;
}

Result<Dataset> readOne(const QString &path, QVector<FormatProblem> &problems)
{
    return labelme().read(path, ReadOptions{}, problems);
}

QString where(const QVector<FormatProblem> &problems)
{
    QStringList w;
    for (const FormatProblem &p : problems)
        w << p.where;
    return w.join(QLatin1Char('|'));
}

} // namespace

void TestFormatsLabelme::registered()
{
    const DatasetFormat *f = datasetFormat(QStringLiteral("labelme"));
    QVERIFY(f);
    QCOMPARE(f->id(), FormatId::Labelme);
    QCOMPARE(f->displayName(), QStringLiteral("labelme JSON"));
    QVERIFY(f->readsFolder());
}

void TestFormatsLabelme::readsHandWrittenFile()
{
    QTemporaryDir dir;
    const QByteArray png = pngBytes(8, 6);
    const QByteArray json = QByteArray(R"({
  "version": "5.1.1",
  "flags": {"indoor": true, "night": false},
  "shapes": [
    {"label": "car", "points": [[30.5, 40], [10, 20.25]], "group_id": 3,
     "shape_type": "rectangle", "flags": {"occluded": true}},
    {"label": "road", "points": [[0, 0], [50, 0], [50, 10], [0, 10]], "group_id": null,
     "shape_type": "polygon", "flags": {}, "description": "wet"},
    {"label": "wheel", "points": [[100, 100], [110, 100]], "shape_type": "circle"},
    {"label": "tip", "points": [[5, 5]], "shape_type": "point"},
    {"label": "edge", "points": [[1, 1], [9, 9]], "shape_type": "line"},
    {"label": "trail", "points": [[1, 1], [9, 9], [9, 1]], "shape_type": "linestrip"},
    {"label": "oldstyle", "points": [[1, 1], [4, 1], [4, 4]]}
  ],
  "imagePath": "photo.png",
  "imageData": "@DATA@",
  "imageHeight": 6,
  "imageWidth": 8
})")
                                .replace("@DATA@", png.toBase64());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("photo.json")), json));

    QVector<FormatProblem> problems;
    auto data = readOne(dir.path(), problems);
    QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
    QCOMPARE(data->images.size(), 1);
    const DatasetImage &img = data->images.first();
    QCOMPARE(img.path, QDir(dir.path()).absoluteFilePath(QStringLiteral("photo.png")));
    QCOMPARE(img.width, 8);
    QCOMPARE(img.height, 6);
    QCOMPARE(img.embeddedImage, png);
    // Flags set true are image-level labels; false ones are not.
    QCOMPARE(img.labels.size(), 1);
    QCOMPARE(data->classes[img.labels.first()], QStringLiteral("indoor"));
    QVERIFY(!data->classes.contains(QStringLiteral("night")));

    // Point, line and linestrip are not representable: three problems naming them.
    QCOMPARE(where(problems),
             QStringLiteral("shapes[3].shape_type|shapes[4].shape_type|shapes[5].shape_type"));
    QVERIFY(problems.first().path.endsWith(QStringLiteral("photo.json")));
    QVERIFY(problems.first().message.contains(QStringLiteral("'point'")));

    QCOMPARE(img.shapes.size(), 4);
    const DatasetShape &car = img.shapes[0];
    QCOMPARE(data->classes[car.classIndex], QStringLiteral("car"));
    QCOMPARE(std::get<Box>(car.geometry).rect, QRectF(QPointF(10, 20.25), QPointF(30.5, 40)));
    const QJsonObject carAttrs = QJsonDocument::fromJson(car.attributes.toUtf8()).object();
    QCOMPARE(carAttrs.value(QStringLiteral("group_id")).toInt(), 3);
    QCOMPARE(carAttrs.value(
        QStringLiteral("flags")).toObject().value(QStringLiteral("occluded")).toBool(), true);

    const DatasetShape &road = img.shapes[1];
    QCOMPARE(std::get<Polygon>(road.geometry).points,
             QPolygonF({QPointF(0, 0), QPointF(50, 0), QPointF(50, 10), QPointF(0, 10)}));
    QCOMPARE(road.attributes, QStringLiteral(R"({"description":"wet"})"));

    const QPolygonF wheel = std::get<Polygon>(img.shapes[2].geometry).points;
    QVERIFY(wheel.size() >= 32);
    QVERIFY(std::abs(polygonArea(wheel) - M_PI * 100) / (M_PI * 100) < 0.005);
    QCOMPARE(img.shapes[2].origin, 2);
    // A shape without shape_type is a polygon (labelme's default).
    QCOMPARE(std::get<Polygon>(img.shapes[3].geometry).points.size(), 3);
    QCOMPARE(img.shapes[3].origin, 6);
}

void TestFormatsLabelme::badPointsAreProblemsWithJsonPath_data()
{
    QTest::addColumn<QByteArray>("points");
    QTest::addColumn<QString>("where");
    QTest::newRow("point is a string")
        << QByteArray(R"([[1, 2], "3,4", [5, 6]])") << QStringLiteral("shapes[1].points[1]");
    QTest::newRow("point of three numbers")
        << QByteArray(R"([[1, 2], [3, 4], [5, 6, 7]])") << QStringLiteral("shapes[1].points[2]");
    QTest::newRow("coordinate is a string")
        << QByteArray(R"([["1", 2], [3, 4], [5, 6]])") << QStringLiteral("shapes[1].points[0]");
    QTest::newRow("points is an object")
        << QByteArray(R"({"x": 1})") << QStringLiteral("shapes[1].points");
}

void TestFormatsLabelme::badPointsAreProblemsWithJsonPath()
{
    QFETCH(QByteArray, points);
    QFETCH(QString, where);
    QTemporaryDir dir;
    QByteArray json = R"({"shapes": [
      {"label": "a", "points": [[1, 1], [4, 1], [4, 4]], "shape_type": "polygon"},
      {"label": "b", "points": @P@, "shape_type": "polygon"}],
      "imagePath": "x.png", "imageData": null, "imageHeight": 10, "imageWidth": 10})";
    json.replace("@P@", points);
    QVERIFY(writeFile(dir.filePath(QStringLiteral("x.json")), json));
    QVector<FormatProblem> problems;
    auto data = readOne(dir.filePath(QStringLiteral("x.json")), problems);
    QVERIFY(data.ok());
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().where, where);
    // The good shape stays, the bad one is left out.
    QCOMPARE(data->images.first().shapes.size(), 1);
}

void TestFormatsLabelme::malformedJsonNamesLine_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::newRow("missing comma: the next key, line 4") << QByteArray(
        "{\n  \"shapes\": [],\n  \"imagePath\": \"a.png\"\n  \"imageData\": null\n}\n")
                                                         << 4;
    QTest::newRow("unterminated string: end of file, line 4")
        << QByteArray("{\n  \"shapes: []\n}\n") << 4;
    QTest::newRow("truncated file")
        << QByteArray("{\n  \"shapes\": [\n    {\"label\": \"a\",\n") << 4;
    QTest::newRow("top level is a list") << QByteArray("[\n  {}\n]\n") << 1;
}

void TestFormatsLabelme::malformedJsonNamesLine()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("sub/bad.json"));
    QVERIFY(writeFile(file, text));
    QVector<FormatProblem> problems;
    auto data = readOne(dir.path(), problems);
    QVERIFY(!data.ok());
    QCOMPARE(data.error().code, Error::Code::Parse);
    QVERIFY2(data.error().path.endsWith(QStringLiteral("bad.json")),
                                        qPrintable(data.error().toString()));
    QVERIFY2(data.error().line == line, qPrintable(data.error().toString()));
}

void TestFormatsLabelme::refusesPathsOutsideDataset_data()
{
    QTest::addColumn<QString>("imagePath");
    QTest::newRow("climbs out") << QStringLiteral("../../outside.png");
    QTest::newRow("absolute") << QStringLiteral("/etc/passwd");
    QTest::newRow("windows drive") << QStringLiteral("C:\\\\images\\\\a.png");
    QTest::newRow("backslash climb") << QStringLiteral("..\\\\..\\\\outside.png");
}

void TestFormatsLabelme::refusesPathsOutsideDataset()
{
    QFETCH(QString, imagePath);
    QTemporaryDir dir;
    QVERIFY(
        writeFile(dir.filePath(QStringLiteral("good.json")),
                               R"({"shapes": [], "imagePath": "good.png", "imageData": null})"));
    QVERIFY(writeFile(dir.filePath(
        QStringLiteral("sub/bad.json")),
        QStringLiteral(R"({"shapes": [], "imagePath": "%1", "imageData": null})") .arg(imagePath).toUtf8()));
    QVector<FormatProblem> problems;
    auto data = readOne(dir.path(), problems);
    QVERIFY(data.ok());
    QCOMPARE(data->images.size(), 1);
    QVERIFY(data->images.first().path.endsWith(QStringLiteral("/good.png")));
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first().where, QStringLiteral("imagePath"));
    QVERIFY(problems.first().path.endsWith(QStringLiteral("bad.json")));
    QVERIFY2(problems.first().message.contains(QStringLiteral("refused")),
                                               qPrintable(problems.first().message));
}

void TestFormatsLabelme::circleKeepsArea_data()
{
    QTest::addColumn<double>("radius");
    QTest::newRow("1 px") << 1.0;
    QTest::newRow("3 px") << 3.0;
    QTest::newRow("12.5 px") << 12.5;
    QTest::newRow("150 px") << 150.0;
    QTest::newRow("2000 px") << 2000.0;
}

void TestFormatsLabelme::circleKeepsArea()
{
    QFETCH(double, radius);
    QTemporaryDir dir;
    const QPointF c(2100.25, 2050.5);
    const QByteArray json =
        QStringLiteral(R"({"shapes": [{"label": "c", "points": [[%1, %2], [%3, %4]],
        "shape_type": "circle"}], "imagePath": "a.png", "imageData": null})")
                           .arg(c.x())
                           .arg(c.y())
                           .arg(c.x() + radius * 0.6)
                           .arg(c.y() - radius * 0.8)
                           .toUtf8();
    QVERIFY(writeFile(dir.filePath(QStringLiteral("a.json")), json));
    QVector<FormatProblem> problems;
    auto data = readOne(dir.path(), problems);
    QVERIFY(data.ok());
    const QPolygonF poly = std::get<Polygon>(data->images.first().shapes.first().geometry).points;
    const double area = M_PI * radius * radius;
    QVERIFY2(std::abs(polygonArea(poly) - area) / area < 0.005,
             qPrintable(QStringLiteral("%1 vertices, area %2 vs %3").arg(poly.size()).arg(polygonArea(poly)).arg(area)));
    for (const QPointF &p : poly)
        QVERIFY(std::abs(std::hypot(p.x() - c.x(), p.y() - c.y()) - radius) < 0.05);
}

void TestFormatsLabelme::readsMaskShape()
{
    // labelme 5.2+ stores a mask as a PNG over the box of its two points.
    QImage m(4, 3, QImage::Format_Grayscale8);
    m.fill(0);
    m.scanLine(0)[0] = 1; // labelme's masks are 0/1, not 0/255
    m.scanLine(2)[3] = 1;
    QByteArray png;
    QBuffer buf(&png);
    buf.open(QIODevice::WriteOnly);
    QVERIFY(m.save(&buf, "PNG"));
    QTemporaryDir dir;
    const QByteArray json = QByteArray(R"({"shapes": [{"label": "m", "points": [[10, 20], [13, 22]],
        "shape_type": "mask", "mask": "@M@"}], "imagePath": "a.png", "imageData": null})")
                                .replace("@M@", png.toBase64());
    QVERIFY(writeFile(dir.filePath(QStringLiteral("a.json")), json));
    QVector<FormatProblem> problems;
    auto data = readOne(dir.path(), problems);
    QVERIFY(data.ok());
    QVERIFY(problems.isEmpty());
    const Mask mask = std::get<Mask>(data->images.first().shapes.first().geometry);
    QCOMPARE(mask.area(), 2);
    QVERIFY(mask.at(10, 20));
    QVERIFY(mask.at(13, 22));
}

void TestFormatsLabelme::roundTripKeepsShapesLabelsAttributes()
{
    QTemporaryDir src, out;
    Dataset d;
    d.classes = {QStringLiteral("cat"),
        QStringLiteral("dog"), QStringLiteral("indoor"), QStringLiteral("ünïcode \"quoted\"")};
    DatasetImage a;
    a.path = src.filePath(QStringLiteral("a.png"));
    a.name = QStringLiteral("a.png");
    a.width = 64;
    a.height = 48;
    a.labels = {2};
    QVERIFY(writeImage(a.path, 64, 48));
    a.shapes.append({0, Box{QRectF(1.5, 2.25, 20, 10)}, QStringLiteral(R"({"group_id":4})")});
    a.shapes.append({3, Polygon{QPolygonF({QPointF(5, 5), QPointF(30.125, 6), QPointF(18, 40)})},
                     QStringLiteral(R"({"description":"n","flags":{"x":true}})")});
    // A ring (the hole is lost: labelme stores outlines) and a one-pixel stroke.
    Mask ring(QRect(30, 10, 30, 31));
    for (int y = 10; y < 22; ++y)
        for (int x = 30; x < 42; ++x)
            ring.set(x, y, !(x >= 34 && x < 38 && y >= 14 && y < 18));
    for (int x = 50; x < 60; ++x)
        ring.set(x, 40, true);
    a.shapes.append({1, ring, QStringLiteral("{}")});
    d.images.append(a);
    DatasetImage b;
    b.path = src.filePath(QStringLiteral("sub/b.png"));
    b.name = QStringLiteral("sub/b.png");
    b.width = 32;
    b.height = 32;
    QVERIFY(writeImage(b.path, 32, 32, 1));
    d.images.append(b);

    QVector<FormatProblem> warnings;
    Status st = labelme().write(d, out.path(), WriteOptions{}, warnings);
    QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().toString()));
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings.first().message.contains(QStringLiteral("1 masks written as 2 polygons")),
                                               qPrintable(warnings.first().message));
    QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("a.json"))));
    QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("sub/b.json"))));
    QVERIFY(QFileInfo::exists(out.filePath(QStringLiteral("sub/b.png"))));

    QVector<FormatProblem> problems;
    auto back = readOne(out.path(), problems);
    QVERIFY(back.ok());
    QVERIFY(problems.isEmpty());
    QCOMPARE(back->images.size(), 2);
    const DatasetImage &ra = back->images[0];
    QCOMPARE(ra.name, QStringLiteral("a.png"));
    QCOMPARE(ra.width, 64);
    QCOMPARE(ra.height, 48);
    QCOMPARE(ra.labels.size(), 1);
    QCOMPARE(back->classes[ra.labels.first()], QStringLiteral("indoor"));
    QCOMPARE(ra.shapes.size(), 4);
    QCOMPARE(back->classes[ra.shapes[0].classIndex], QStringLiteral("cat"));
    QCOMPARE(std::get<Box>(ra.shapes[0].geometry).rect, QRectF(1.5, 2.25, 20, 10));
    QCOMPARE(ra.shapes[0].attributes, QStringLiteral(R"({"group_id":4})"));
    QCOMPARE(back->classes[ra.shapes[1].classIndex], d.classes[3]);
    QCOMPARE(std::get<Polygon>(ra.shapes[1].geometry).points,
             std::get<Polygon>(a.shapes[1].geometry).points);
    QCOMPARE(ra.shapes[1].attributes, a.shapes[1].attributes);
    // The mask comes back as polygons whose pixels are the mask's, holes filled.
    Mask united;
    for (int k = 2; k < 4; ++k) {
        QCOMPARE(back->classes[ra.shapes[k].classIndex], QStringLiteral("dog"));
        const Mask m =
            rasterizePolygon(std::get<Polygon>(ra.shapes[k].geometry).points, QSize(64, 48));
        united = united.bounds().isEmpty() ? m : unite(united, m);
    }
    const Mask expected = fillHoles(ring);
    QCOMPARE(united.area(), expected.area());
    QCOMPARE(united.cropped(expected.bounds()), expected);
    QCOMPARE(back->images[1].name, QStringLiteral("sub/b.png"));
    QVERIFY(back->images[1].shapes.isEmpty());
}

void TestFormatsLabelme::embeddedImageDataRoundTrip()
{
    QTemporaryDir src, out;
    Dataset d;
    d.classes = {QStringLiteral("x")};
    DatasetImage a;
    a.path = src.filePath(QStringLiteral("a.png"));
    a.name = QStringLiteral("a.png");
    a.width = 20;
    a.height = 10;
    QVERIFY(writeImage(a.path, 20, 10));
    a.shapes.append({0, Box{QRectF(1, 1, 5, 5)}, QStringLiteral("{}")});
    d.images.append(a);
    WriteOptions wo;
    wo.embedImageData = true;
    wo.images = ImagePlacement::None;
    QVector<FormatProblem> warnings;
    QVERIFY(labelme().write(d, out.path(), wo, warnings).ok());
    QVERIFY(!QFileInfo::exists(out.filePath(QStringLiteral("a.png"))));
    QVector<FormatProblem> problems;
    auto back = readOne(out.filePath(QStringLiteral("a.json")), problems);
    QVERIFY(back.ok());
    QFile f(a.path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(back->images.first().embeddedImage, f.readAll());
    QCOMPARE(back->images.first().path, out.filePath(QStringLiteral("a.png")));
}

void TestFormatsLabelme::detectsOwnOutput()
{
    QTemporaryDir src, out;
    Dataset d;
    d.classes = {QStringLiteral("x")};
    DatasetImage a;
    a.path = src.filePath(QStringLiteral("a.png"));
    a.name = QStringLiteral("deep/a.png");
    a.width = 300;
    a.height = 200;
    QVERIFY(writeImage(a.path, 300, 200));
    // Enough shapes that "imagePath" lies far past the first KiB, and embedded
    // image data so that the file is large.
    for (int i = 0; i < 50; ++i)
        a.shapes.append({0, Box{QRectF(i, i, 10, 10)}, QStringLiteral("{}")});
    d.images.append(a);
    WriteOptions wo;
    wo.embedImageData = true;
    QVector<FormatProblem> warnings;
    QVERIFY(labelme().write(d, out.path(), wo, warnings).ok());
    QCOMPARE(labelme().detect(out.filePath(QStringLiteral("deep/a.json"))), 90);
    QCOMPARE(labelme().detect(out.path()), 90);
    auto detected = detectDatasetFormat(out.path());
    QVERIFY(detected.ok());
    QCOMPARE((*detected)->name(), QStringLiteral("labelme"));
    // A COCO-like file is not labelme.
    QVERIFY(writeFile(src.filePath(QStringLiteral("coco.json")),
                                   R"({"images": [], "annotations": [], "categories": []})"));
    QCOMPARE(labelme().detect(src.filePath(QStringLiteral("coco.json"))), 0);
}

QTEST_GUILESS_MAIN(TestFormatsLabelme)
