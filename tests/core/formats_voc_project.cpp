// SPDX-License-Identifier: GPL-3.0-or-later
// project -> VOC / YOLO files -> new project, through the real import/export
// pipeline, with an EXIF-rotated image among them.
#include "core/formats/datasetio.h"
#include "core/formats/format.h"
#include "core/formats/formatutil.h"
#include "core/project/store.h"
#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
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

enum class Facts { All, YoloExpressible };

// One line per image and per shape, sorted: what a round trip must preserve.
QStringList projectFacts(ProjectStore &store, Facts which = Facts::All)
{
    QStringList out;
    QHash<qint64, QString> className, splitName;
    for (const ClassRecord &c : store.classes().valueOr({}))
        className.insert(c.id, c.name);
    for (const SplitRecord &s : store.splits().valueOr({}))
        splitName.insert(s.id, s.name);
    const QVector<qint64> ids = store.imageIds().valueOr({});
    for (const ImageRecord &r : store.images(ids).valueOr({})) {
        const QString file = QFileInfo(r.path).fileName().section(QStringLiteral("__"), -1);
        out << QStringLiteral("%1 %2x%3 split '%4'") .arg(file).arg(r.width).arg(r.height).arg(
            splitName.value(r.splitId));
        for (const Shape &s : store.shapes(r.id).valueOr({})) {
            QString coords;
            if (const auto *b = std::get_if<Box>(&s.geometry)) {
                for (double v : {b->rect.x(), b->rect.y(), b->rect.width(), b->rect.height()})
                    coords += formatNumber(v, 3) + QLatin1Char(' ');
            } else if (which == Facts::YoloExpressible) {
                continue; // masks come back from YOLO as polygons: compared elsewhere
            } else if (const auto *m = std::get_if<Mask>(&s.geometry)) {
                coords = QStringLiteral("mask %1 px in (%2,%3 %4x%5)")
                                            .arg(m->area())
                                            .arg(m->tightBounds().x())
                                            .arg(m->tightBounds().y())
                                            .arg(m->tightBounds().width())
                                            .arg(m->tightBounds().height());
            }
            out << QStringLiteral("%1 %2 %3 %4%5") .arg(
                file, className.value(s.classId), shapeKindName(s.kind()), coords,
                which == Facts::All ? s.attributes : QString());
        }
    }
    out.sort();
    return out;
}

} // namespace

class TestFormatsVocYoloProject : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripsThroughThePipeline()
    {
        // A VOC folder to start from: a rotated JPEG (stored 60x40, shown 40x60:
        // its XML, like every VOC file, declares the displayed size) and a PNG
        // with an instance mask.
        QTemporaryDir src, vocOut, yoloOut;
        QVERIFY(QDir().mkpath(src.filePath("JPEGImages")));
        QVERIFY(test::writeJpeg(src.filePath("JPEGImages/a.jpg"), 60, 40, 1, 6));
        QVERIFY(test::writePng(src.filePath("JPEGImages/b.png"), 50, 30));
        writeText(
            src.filePath("Annotations/a.xml"),
            "<annotation><filename>a.jpg</filename><size><width>40</width><height>60</height></"
            "size>\n"
            "<object><name>cat</name><difficult>1</difficult><bndbox><xmin>1</xmin><ymin>1</ymin>"
            "<xmax>10</xmax><ymax>20</ymax></bndbox></object>\n"
            "<object><name>dog</name><bndbox><xmin>5</xmin><ymin>31</ymin>"
            "<xmax>40</xmax><ymax>60</ymax></bndbox></object>\n</annotation>\n");
        writeText(src.filePath("Annotations/b.xml"),
                  "<annotation><filename>b.png</filename><size><width>50</width><height>30</"
                  "height></size>\n"
                  "<object><name>dog</name><bndbox><xmin>3</xmin><ymin>3</ymin>"
                  "<xmax>12</xmax><ymax>10</ymax></bndbox></object>\n</annotation>\n");
        QImage mask(50, 30, QImage::Format_Indexed8);
        QVector<QRgb> table(256, qRgb(0, 0, 0));
        table[1] = qRgb(128, 0, 0);
        table[255] = qRgb(224, 224, 192);
        mask.setColorTable(table);
        mask.fill(0);
        for (int y = 2; y < 10; ++y)
            for (int x = 2; x < 12; ++x)
                mask.setPixel(x, y, (x == 2 || y == 9) ? 255 : 1); // a void edge, as VOC has
        QVERIFY(QDir().mkpath(src.filePath("SegmentationObject")));
        QVERIFY(mask.save(src.filePath("SegmentationObject/b.png")));
        writeText(src.filePath("ImageSets/Main/train.txt"), "a\n");
        writeText(src.filePath("ImageSets/Main/val.txt"), "b\n");

        test::TempProject first;
        DatasetImportOptions in;
        in.path = src.path();
        auto imported = importDataset(first.store(), in, {});
        QVERIFY2(imported.ok(),
                 qPrintable(imported.ok() ? QString() : imported.error().toString()));
        QCOMPARE(imported->format, QStringLiteral("voc"));
        QCOMPARE(imported->boxes, 2);
        QCOMPARE(imported->masks, 1);
        const QStringList before = projectFacts(first.store());
        QCOMPARE(before, (QStringList{
                             "a.jpg 40x60 split 'train'",
                             R"(a.jpg cat box 0 0 10 20 {"difficult":1})",
                             "a.jpg dog box 4 30 36 30 {}",
                             "b.png 50x30 split 'val'",
                             "b.png dog mask mask 63 px in (3,2 9x7){}",
                         }));

        DatasetExportOptions ex;
        ex.outDir = vocOut.path();
        ex.format = datasetFormat(QStringLiteral("voc"));
        ex.images = ImagePlacement::Copy;
        auto exported = exportDataset(first.store(), ex);
        QVERIFY2(exported.ok(),
                 qPrintable(exported.ok() ? QString() : exported.error().toString()));
        test::TempProject second;
        in.path = vocOut.path();
        auto again = importDataset(second.store(), in, {});
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
        QCOMPARE(again->format, QStringLiteral("voc"));
        QCOMPARE(projectFacts(second.store()), before);

        ex.outDir = yoloOut.path();
        ex.format = datasetFormat(QStringLiteral("yolo"));
        exported = exportDataset(first.store(), ex);
        QVERIFY2(exported.ok(),
                 qPrintable(exported.ok() ? QString() : exported.error().toString()));
        test::TempProject third;
        in.path = yoloOut.path();
        again = importDataset(third.store(), in, {});
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
        QCOMPARE(again->format, QStringLiteral("yolo"));
        QCOMPARE(again->polygons, 1); // the mask, as a polygon
        QCOMPARE(projectFacts(third.store(), Facts::YoloExpressible),
                 projectFacts(first.store(), Facts::YoloExpressible));
    }

    // A real peer: torchvision's VOCDetection and VOCSegmentation read our export.
    void torchvisionReadsOurVoc()
    {
        const QString python = QStringLiteral("/usr/bin/python3");
        if (!QFileInfo::exists(python))
            QFAIL("/usr/bin/python3 is missing: install Debian's python3-torchvision (./test.sh does)");
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath("src")));
        QVERIFY(test::writeJpeg(dir.filePath("src/a.jpg"), 40, 30, 1));
        QVERIFY(test::writeJpeg(dir.filePath("src/b.jpg"), 32, 24, 2));
        Dataset d;
        d.classes = {"cat", "dog"};
        DatasetImage a;
        a.path = dir.filePath("src/a.jpg");
        a.name = "a.jpg";
        a.width = 40;
        a.height = 30;
        a.split = "train";
        a.shapes << DatasetShape{0, Box{QRectF(0, 0, 10, 20)}, R"({"difficult":1})", -1};
        DatasetImage b = a;
        b.path = dir.filePath("src/b.jpg");
        b.name = "b.jpg";
        b.width = 32;
        b.height = 24;
        b.shapes.clear();
        Mask m(QRect(4, 5, 6, 7));
        for (int y = 5; y < 12; ++y)
            for (int x = 4; x < 10; ++x)
                m.set(x, y, x != 4 || y != 5); // 41 pixels
        b.shapes << DatasetShape{1, m, "{}", -1};
        d.images << a << b;
        QVector<FormatProblem> warned;
        WriteOptions wo;
        wo.images = ImagePlacement::Copy;
        QVERIFY(datasetFormat(
            QStringLiteral("voc"))->write(d, dir.filePath("VOCdevkit/VOC2012"), wo, warned).ok());

        const char *script = R"(
import sys, numpy as np, torchvision
root = sys.argv[1]
det = torchvision.datasets.VOCDetection(root, year="2012", image_set="train", download=False)
for i in range(len(det)):
    img, t = det[i]
    a = t["annotation"]
    for o in a.get("object", []):
        b = o["bndbox"]
        print(a["filename"], img.size[0], img.size[1], o["name"], b["xmin"], b["ymin"], b["xmax"], b["ymax"], o["difficult"])
seg = torchvision.datasets.VOCSegmentation(root, year="2012", image_set="train", download=False)
for i in range(len(seg)):
    img, mask = seg[i]
    v, n = np.unique(np.array(mask), return_counts=True)
    print("segmentation", mask.mode, " ".join("%d:%d" % (a, b) for a, b in zip(v, n)))
)";
        QProcess p;
        p.start(python, {QStringLiteral("-c"), QString::fromUtf8(script), dir.filePath("")});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        const QStringList lines = QString::fromUtf8(p.readAllStandardOutput())
                                      .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines, (QStringList{
                            "a.jpg 40 30 cat 1 1 10 20 1",
                            "b.jpg 32 24 dog 5 6 10 12 0",
                            QStringLiteral("segmentation P 0:%1 2:41").arg(32 * 24 - 41),
                            }));
    }
};

QTEST_GUILESS_MAIN(TestFormatsVocYoloProject)
#include "formats_voc_project.moc"
