// SPDX-License-Identifier: GPL-3.0-or-later
// Pascal VOC reader and writer: the 1-based corner convention, round trips of
// boxes and masks, segmentation PNGs, splits and bad input.
#include "tests/core/formats_testutil.h"
#include "core/annotation/raster.h"
#include "core/formats/format.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
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

QByteArray vocXml(const QByteArray &filename, const QByteArray &objects, int w = 40, int h = 30)
{
    return "<annotation>\n"
           "  <folder>VOC2012</folder>\n"
           "  <filename>"
           + filename
           + "</filename>\n"
             "  <size><width>"
           + QByteArray::number(w) + "</width><height>" + QByteArray::number(h)
           + "</height><depth>3</depth></size>\n" + objects + "</annotation>\n";
}

QByteArray object(const QByteArray &name, const QByteArray &box, const QByteArray &extra = {})
{
    return "  <object>\n    <name>" + name + "</name>\n" + extra + "    <bndbox>" + box
           + "</bndbox>\n  </object>\n";
}

QByteArray corners(double x0, double y0, double x1, double y1)
{
    return "<xmin>" + QByteArray::number(x0) + "</xmin><ymin>" + QByteArray::number(y0)
           + "</ymin><xmax>" + QByteArray::number(x1) + "</xmax><ymax>" + QByteArray::number(y1)
           + "</ymax>";
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

// An irregular mask: a ring (with a hole) whose outline is not a rectangle.
Mask ringMask(const QRect &window)
{
    Mask m(window);
    const QPointF c = QRectF(window).center();
    for (int y = window.top(); y <= window.bottom(); ++y)
        for (int x = window.left(); x <= window.right(); ++x) {
            const double d = std::hypot(x + 0.5 - c.x(), y + 0.5 - c.y());
            m.set(x, y, d < window.width() / 2.0 && d > 2.0);
        }
    return m;
}

} // namespace

class TestFormatsVoc : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<DatasetFormat> m_voc = makeVocFormat();

    Dataset readOk(const QString &dir, QVector<FormatProblem> *problemsOut = nullptr)
    {
        return test::readDataset(*m_voc, dir, problemsOut);
    }

private Q_SLOTS:
    void identity()
    {
        QVERIFY(m_voc);
        QCOMPARE(m_voc->name(), QStringLiteral("voc"));
        QCOMPARE(m_voc->displayName(), QStringLiteral("Pascal VOC"));
        QVERIFY(m_voc->readsFolder());
    }

    void detectsLayouts()
    {
        QTemporaryDir dir;
        QCOMPARE(m_voc->detect(dir.path()), 0);
        writeText(dir.filePath("flat/a.xml"), vocXml("a.jpg", {}));
        QCOMPARE(m_voc->detect(dir.filePath("flat")), 60);
        writeText(dir.filePath("voc/Annotations/a.xml"), vocXml("a.jpg", {}));
        QCOMPARE(m_voc->detect(dir.filePath("voc")), 90);
    }

    void cornersAreOneBased_data()
    {
        QTest::addColumn<QByteArray>("box");
        QTest::addColumn<QRectF>("expected");
        // xmin=1 xmax=10 covers pixels 0..9: ours x=0, w=10.
        QTest::newRow("first pixel column and row")
            << corners(1, 1, 10, 20) << QRectF(0, 0, 10, 20);
        QTest::newRow("single pixel") << corners(5, 7, 5, 7) << QRectF(4, 6, 1, 1);
        QTest::newRow("float corners from the wild")
            << corners(1.5, 2.25, 10.5, 20) << QRectF(0.5, 1.25, 10, 18.75);
    }
    void cornersAreOneBased()
    {
        QFETCH(QByteArray, box);
        QFETCH(QRectF, expected);
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"), vocXml("a.jpg", object("cat", box)));
        const Dataset d = readOk(dir.path());
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].shapes.size(), 1);
        QCOMPARE(boxOf(d.images[0].shapes[0]), expected);
    }

    void readsFieldsSplitsAndAttributes()
    {
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("JPEGImages")));
        QVERIFY(test::writeJpeg(dir.filePath("JPEGImages/2008_000001.jpg"), 40, 30));
        writeText(
            dir.filePath("Annotations/2008_000001.xml"),
            vocXml(
                "2008_000001.jpg",
                object("dog", corners(2, 3, 12, 13),
                       "    <pose>Left</pose><truncated>1</truncated><difficult>0</difficult>\n"
                       "    <part><name>head</name><bndbox>"
                           + corners(1, 1, 2, 2) + "</bndbox></part>\n")
                    + object("person", corners(20, 5, 30, 25), "    <difficult>1</difficult>\n")));
        writeText(dir.filePath("ImageSets/Main/val.txt"), "2008_000001\n");
        writeText(dir.filePath("ImageSets/Main/trainval.txt"), "2008_000001\n");
        writeText(dir.filePath("ImageSets/Main/train.txt"), "\n");
        writeText(dir.filePath("ImageSets/Main/dog_train.txt"),
                  "2008_000001  1\n"); // presence list, no split
        const Dataset d = readOk(dir.path());
        QCOMPARE(d.classes, (QStringList{"dog", "person"}));
        QCOMPARE(d.images.size(), 1);
        const DatasetImage &img = d.images[0];
        QCOMPARE(img.path, QDir::cleanPath(dir.filePath("JPEGImages/2008_000001.jpg")));
        QCOMPARE(img.width, 40);
        QCOMPARE(img.height, 30);
        QCOMPARE(img.split, QStringLiteral("val"));
        QCOMPARE(img.shapes.size(), 2); // the <part> is not an object
        QCOMPARE(boxOf(img.shapes[0]), QRectF(1, 2, 11, 11));
        QCOMPARE(QJsonDocument::fromJson(img.shapes[0].attributes.toUtf8()).object(),
                 (QJsonObject{{"pose", "Left"}, {"truncated", 1}}));
        QCOMPARE(QJsonDocument::fromJson(img.shapes[1].attributes.toUtf8()).object(),
                 (QJsonObject{{"difficult", 1}}));
        QCOMPARE(img.shapes[1].origin, 11); // the line of its <object>
    }

    void malformedXmlIsAnErrorWithLine()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"),
                  vocXml("a.jpg", object("cat", corners(1, 1, 5, 5))));
        writeText(dir.filePath("Annotations/b.xml"),
                  "<annotation>\n  <filename>b.jpg</filename>\n  <object>\n    <name>cat</name>\n"
                  "  </objekt>\n</annotation>\n");
        QVector<FormatProblem> problems;
        auto r = m_voc->read(dir.path(), {}, problems);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Parse);
        QCOMPARE(r.error().line, 5);
        QVERIFY2(r.error().path.endsWith(QLatin1String("b.xml")), qPrintable(r.error().path));
    }

    void badObjectsAreProblemsWithLines_data()
    {
        QTest::addColumn<QByteArray>("bad");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no bndbox")
            << QByteArray("  <object>\n    <name>cat</name>\n  </object>\n") << 5 << "bndbox";
        QTest::newRow("xmin not a number") << QByteArray(
            "  <object>\n    <name>cat</name>\n    <bndbox>\n      <xmin>left</xmin><ymin>1</ymin>"
            "<xmax>4</xmax><ymax>4</ymax>\n    </bndbox>\n  </object>\n")
                                           << 8 << "xmin";
        QTest::newRow("ymax missing") << QByteArray(
            "  <object>\n    <name>cat</name>\n    "
            "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>4</xmax></bndbox>\n  </object>\n")
                                      << 7 << "ymax";
        QTest::newRow("no name") << QByteArray("  <object>\n    <bndbox>" + corners(1, 1, 2, 2)
                                               + "</bndbox>\n  </object>\n")
                                 << 5 << "name";
    }
    void badObjectsAreProblemsWithLines()
    {
        QFETCH(QByteArray, bad);
        QFETCH(int, line);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"),
                  vocXml("a.jpg", bad + object("dog", corners(1, 1, 5, 5))));
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].path.endsWith(QLatin1String("a.xml")),
                 qPrintable(problems[0].toString()));
        QCOMPARE(problems[0].line, line);
        QVERIFY2(problems[0].message.contains(mentions), qPrintable(problems[0].toString()));
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].shapes.size(), 1); // the good object stays
        QCOMPARE(boxOf(d.images[0].shapes[0]), QRectF(0, 0, 5, 5));
    }

    void refusesPathsOutsideTheDataset_data()
    {
        QTest::addColumn<QByteArray>("filename");
        QTest::newRow("climbing") << QByteArray("../../secret.jpg");
        QTest::newRow("absolute") << QByteArray("/etc/passwd");
    }
    void refusesPathsOutsideTheDataset()
    {
        QFETCH(QByteArray, filename);
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"),
                  vocXml(filename, object("cat", corners(1, 1, 5, 5))));
        writeText(dir.filePath("Annotations/b.xml"),
                  vocXml("b.jpg", object("cat", corners(1, 1, 5, 5))));
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems[0].message.contains(QLatin1String("refused")),
                 qPrintable(problems[0].toString()));
        QVERIFY(problems[0].path.endsWith(QLatin1String("a.xml")));
        QCOMPARE(d.images.size(), 1);
        QCOMPARE(d.images[0].name, QStringLiteral("b.jpg"));
    }

    void boxesRoundTrip_data()
    {
        QTest::addColumn<QRectF>("box");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<int>("warnings");
        QTest::newRow("whole pixels: exact") << QRectF(0, 0, 10, 20) << 0.0 << 0;
        QTest::newRow("whole pixels inside") << QRectF(7, 3, 1, 12) << 0.0 << 0;
        QTest::newRow("sub-pixel: within half a pixel") << QRectF(3.3, 4.7, 10.45, 6.2) << 0.5 << 1;
    }
    void boxesRoundTrip()
    {
        QFETCH(QRectF, box);
        QFETCH(double, tolerance);
        QFETCH(int, warnings);
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("src")));
        QVERIFY(test::writePng(dir.filePath("src/photo.png"), 40, 30));
        Dataset d;
        d.classes = {"cat", "dog"};
        DatasetImage img;
        img.path = dir.filePath("src/photo.png");
        img.name = "sub/photo.png";
        img.width = 40;
        img.height = 30;
        DatasetShape s;
        s.classIndex = 1;
        s.geometry = Box{box};
        s.attributes = R"({"difficult":1,"pose":"Frontal"})";
        img.shapes << s;
        d.images << img;
        QVector<FormatProblem> warned;
        WriteOptions wo;
        wo.images = ImagePlacement::Copy;
        QVERIFY(m_voc->write(d, dir.filePath("out"), wo, warned).ok());
        QCOMPARE(warned.size(), warnings);
        // Sub-folders are flattened into the stem so VOC's flat namespace stays unique.
        QVERIFY(QFile::exists(dir.filePath("out/Annotations/sub__photo.xml")));
        QVERIFY(QFile::exists(dir.filePath("out/JPEGImages/sub__photo.png")));
        QVERIFY(QFile::exists(dir.filePath("out/ImageSets/Main/default.txt")));
        QVERIFY(!QFile::exists(dir.filePath("out/SegmentationClass")));
        QVERIFY(!QFile::exists(dir.filePath("out/ImageSets/Segmentation")));

        const Dataset back = readOk(dir.filePath("out"));
        QCOMPARE(back.images.size(), 1);
        QCOMPARE(back.images[0].split, QString());
        QCOMPARE(back.images[0].shapes.size(), 1);
        const DatasetShape &b = back.images[0].shapes[0];
        QCOMPARE(back.classes.value(b.classIndex), QStringLiteral("dog"));
        const QRectF r = boxOf(b);
        QVERIFY2(std::abs(r.left() - box.left()) <= tolerance
                     && std::abs(r.top() - box.top()) <= tolerance
                     && std::abs(r.right() - box.right()) <= tolerance
                     && std::abs(r.bottom() - box.bottom()) <= tolerance,
                 qPrintable(QStringLiteral("%1 %2 %3 %4").arg(r.x()).arg(r.y()).arg(r.width()).arg(
                     r.height())));
        QCOMPARE(QJsonDocument::fromJson(b.attributes.toUtf8()).object(),
                 (QJsonObject{{"difficult", 1}, {"pose", "Frontal"}}));
    }

    void masksRoundTripPixelExact()
    {
        QTemporaryDir dir;
        QVERIFY(test::writePng(dir.filePath("a.png"), 40, 30));
        Dataset d;
        d.classes = {"cat", "dog", "bird"};
        DatasetImage img;
        img.path = dir.filePath("a.png");
        img.name = "a.png";
        img.width = 40;
        img.height = 30;
        img.split = "val";
        const Mask ring = ringMask(QRect(2, 3, 15, 15));
        const QPolygonF poly({{22.5, 2.5}, {37.5, 4.5}, {30.5, 20.5}});
        img.shapes << DatasetShape{0, Box{QRectF(1, 1, 5, 5)}, "{}", -1}
                   << DatasetShape{2, ring, "{}", -1}
                   << DatasetShape{1, Polygon{poly}, R"({"occluded":1})", -1};
        d.images << img;
        QVector<FormatProblem> warned;
        WriteOptions wo;
        wo.images = ImagePlacement::Copy;
        QVERIFY(m_voc->write(d, dir.filePath("out"), wo, warned).ok());
        QVERIFY(warned.isEmpty());
        QVERIFY(QFile::exists(dir.filePath("out/ImageSets/Main/val.txt")));
        QVERIFY(QFile::exists(dir.filePath("out/ImageSets/Segmentation/val.txt")));

        // The PNGs are paletted with the devkit's colours: index = class + 1 / object position.
        const QImage cls(dir.filePath("out/SegmentationClass/a.png"));
        QCOMPARE(cls.format(), QImage::Format_Indexed8);
        QCOMPARE(cls.color(1), qRgb(128, 0, 0));
        QCOMPARE(cls.color(3), qRgb(128, 128, 0));
        const QPoint onRing = [&] {
            for (int y = 0; y < 30; ++y)
                for (int x = 0; x < 40; ++x)
                    if (ring.at(x, y))
                        return QPoint(x, y);
            return QPoint();
        }();
        QCOMPARE(cls.pixelIndex(onRing), 3);
        QCOMPARE(cls.pixelIndex(0, 29), 0);
        const QImage obj(dir.filePath("out/SegmentationObject/a.png"));
        QCOMPARE(obj.pixelIndex(onRing), 2); // the ring is the second <object>
        QCOMPARE(obj.pixelIndex(30, 10), 3);

        const Dataset back = readOk(dir.filePath("out"));
        QCOMPARE(back.images.size(), 1);
        QCOMPARE(back.images[0].split, QStringLiteral("val"));
        const auto &shapes = back.images[0].shapes;
        QCOMPARE(shapes.size(), 3);
        QCOMPARE(back.classes.value(shapes[0].classIndex), QStringLiteral("cat"));
        QCOMPARE(boxOf(shapes[0]), QRectF(1, 1, 5, 5));
        QCOMPARE(kindOf(shapes[1].geometry), ShapeKind::Mask);
        QCOMPARE(back.classes.value(shapes[1].classIndex), QStringLiteral("bird"));
        QVERIFY(std::get<Mask>(shapes[1].geometry) == ring);
        QCOMPARE(kindOf(shapes[2].geometry), ShapeKind::Mask);
        QCOMPARE(back.classes.value(shapes[2].classIndex), QStringLiteral("dog"));
        QVERIFY(std::get<Mask>(shapes[2].geometry) == rasterizePolygon(poly, QSize(40, 30)));
        QCOMPARE(shapes[2].attributes, QStringLiteral(R"({"occluded":1})"));
        // The labelmap keeps the class order.
        QCOMPARE(back.classes, d.classes);
    }

    void overlapsPaintLaterOverEarlier()
    {
        QTemporaryDir dir;
        QVERIFY(test::writePng(dir.filePath("a.png"), 20, 20));
        Dataset d;
        d.classes = {"cat"};
        DatasetImage img = imageOf(dir.filePath("a.png"), "a.png", 20, 20);
        Mask first(QRect(0, 0, 10, 10)), second(QRect(5, 5, 10, 10));
        for (int y = 0; y < 20; ++y)
            for (int x = 0; x < 20; ++x) {
                first.set(x, y, true);
                second.set(x, y, true);
            }
        img.shapes << DatasetShape{0, first, "{}", -1} << DatasetShape{0, second, "{}", -1};
        d.images << img;
        QVector<FormatProblem> warned;
        WriteOptions wo;
        wo.images = ImagePlacement::None;
        QVERIFY(m_voc->write(d, dir.filePath("out"), wo, warned).ok());
        QCOMPARE(warned.size(), 1);
        QVERIFY(warned[0].message.contains(QLatin1String("overlap")));
        const Dataset back = readOk(dir.filePath("out"));
        const auto &shapes = back.images.value(0).shapes;
        QCOMPARE(shapes.size(), 2);
        QVERIFY(std::get<Mask>(shapes[1].geometry) == second);
        QCOMPARE(std::get<Mask>(shapes[0].geometry).area(), 100 - 25);
    }

    void semanticMasksNeedTheLabelmap()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"),
                  vocXml("a.jpg", object("zebra", corners(1, 1, 4, 4)), 8, 6));
        writeText(dir.filePath("labelmap.txt"),
                  "# label:color_rgb:parts:actions\nbackground:0,0,0::\n"
                  "zebra:128,0,0::\nyak:0,128,0::\n");
        QImage png(8, 6, QImage::Format_Indexed8);
        QVector<QRgb> table(256, qRgb(0, 0, 0));
        table[1] = qRgb(128, 0, 0);
        table[2] = qRgb(0, 128, 0);
        table[255] = qRgb(224, 224, 192);
        png.setColorTable(table);
        png.fill(0);
        for (int x = 0; x < 4; ++x)
            png.setPixel(x, 0, 1); // zebra: top row, left half
        png.setPixel(5, 5, 2);     // yak: one pixel
        png.setPixel(6, 5, 255);   // void: in no mask
        QVERIFY(QDir().mkpath(dir.filePath("SegmentationClass")));
        QVERIFY(png.save(dir.filePath("SegmentationClass/a.png")));
        const Dataset d = readOk(dir.path());
        QCOMPARE(d.classes, (QStringList{"zebra", "yak"}));
        const auto &shapes = d.images.value(0).shapes;
        QCOMPARE(shapes.size(), 3); // the box stays; one mask per class
        QCOMPARE(kindOf(shapes[0].geometry), ShapeKind::Box);
        Mask zebra(QRect(0, 0, 4, 1));
        for (int x = 0; x < 4; ++x)
            zebra.set(x, 0, true);
        QCOMPARE(shapes[1].classIndex, 0);
        QVERIFY(std::get<Mask>(shapes[1].geometry) == zebra);
        QCOMPARE(shapes[2].classIndex, 1);
        QCOMPARE(std::get<Mask>(shapes[2].geometry).area(), 1);
        QVERIFY(std::get<Mask>(shapes[2].geometry).at(5, 5));
    }

    void objectMaskIndexWithoutObjectIsAProblem()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"),
                  vocXml("a.jpg", object("cat", corners(1, 1, 4, 4)), 8, 6));
        QImage png(8, 6, QImage::Format_Indexed8);
        QVector<QRgb> table(256, qRgb(0, 0, 0));
        table[1] = qRgb(128, 0, 0);
        table[2] = qRgb(0, 128, 0);
        png.setColorTable(table);
        png.fill(0);
        png.setPixel(1, 1, 1);
        png.setPixel(7, 5, 2); // no second <object>
        QDir().mkpath(dir.filePath("SegmentationObject"));
        QVERIFY(png.save(dir.filePath("SegmentationObject/a.png")));
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(problems.size(), 1);
        QVERIFY(problems[0].path.endsWith(QLatin1String("a.png")));
        QCOMPARE(d.images.value(0).shapes.size(), 1);
        QCOMPARE(kindOf(d.images[0].shapes[0].geometry), ShapeKind::Mask);
    }

    // Some tools write SegmentationObject as colour PNGs: colours map back
    // through the devkit palette.
    void colourObjectPngMapsThroughThePalette()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"),
                  vocXml("a.jpg",
                         object("cat", corners(1, 1, 2, 2)) + object("dog", corners(3, 3, 4, 4)), 6,
                         4));
        QImage png(6, 4, QImage::Format_RGB32);
        png.fill(qRgb(0, 0, 0));
        png.setPixel(0, 0, qRgb(128, 0, 0)); // object 1
        png.setPixel(4, 3, qRgb(0, 128, 0)); // object 2
        png.setPixel(5, 3, qRgb(1, 2, 3));   // no index: a problem, in no mask
        QVERIFY(QDir().mkpath(dir.filePath("SegmentationObject")));
        QVERIFY(png.save(dir.filePath("SegmentationObject/a.png")));
        QVector<FormatProblem> problems;
        const Dataset d = readOk(dir.path(), &problems);
        QCOMPARE(problems.size(), 1);
        const auto &shapes = d.images.value(0).shapes;
        QCOMPARE(shapes.size(), 2);
        QCOMPARE(std::get<Mask>(shapes[0].geometry).area(), 1);
        QVERIFY(std::get<Mask>(shapes[0].geometry).at(0, 0));
        QCOMPARE(d.classes.value(shapes[1].classIndex), QStringLiteral("dog"));
        QVERIFY(std::get<Mask>(shapes[1].geometry).at(4, 3));
        QCOMPARE(std::get<Mask>(shapes[1].geometry).area(), 1);
    }

    void cancelStopsTheRead()
    {
        QTemporaryDir dir;
        writeText(dir.filePath("Annotations/a.xml"), vocXml("a.jpg", {}));
        std::atomic_bool cancel{true};
        ReadOptions options;
        options.cancel = &cancel;
        QVector<FormatProblem> problems;
        auto r = m_voc->read(dir.path(), options, problems);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Cancelled);
    }

    void splitsRoundTrip()
    {
        QTemporaryDir dir;
        Dataset d;
        d.classes = {"cat"};
        for (const char *split : {"train", "val", "test", ""}) {
            DatasetImage img;
            img.path = dir.filePath(QStringLiteral("img_%1.jpg").arg(QLatin1String(split)));
            img.name = QFileInfo(img.path).fileName();
            img.width = 10;
            img.height = 10;
            img.split = QLatin1String(split);
            img.shapes << DatasetShape{0, Box{QRectF(1, 1, 2, 2)}, "{}", -1};
            d.images << img;
        }
        QVector<FormatProblem> warned;
        WriteOptions wo;
        wo.images = ImagePlacement::None;
        QVERIFY(m_voc->write(d, dir.filePath("out"), wo, warned).ok());
        const Dataset back = readOk(dir.filePath("out"));
        QCOMPARE(back.images.size(), 4);
        QHash<QString, QString> splitOf;
        for (const auto &img : back.images)
            splitOf.insert(img.name, img.split);
        QCOMPARE(splitOf.value("img_train.jpg"), QStringLiteral("train"));
        QCOMPARE(splitOf.value("img_val.jpg"), QStringLiteral("val"));
        QCOMPARE(splitOf.value("img_test.jpg"), QStringLiteral("test"));
        QCOMPARE(splitOf.value("img_.jpg"), QStringLiteral("train")); // no split joins train
    }
};

QTEST_GUILESS_MAIN(TestFormatsVoc)
#include "formats_voc.moc"
