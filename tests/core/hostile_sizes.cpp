// SPDX-License-Identifier: GPL-3.0-or-later
// Decompression bombs and absurd declared sizes (issue #9): every path that
// decodes an image refuses them before allocating, with a message naming the
// file and the limit; the limit is one process-wide setting (pixelLimit())
// that every path takes as its default.
//
// Paths covered here: probeImage, decodeImage (plain and JPEG DCT-scaled),
// makeThumbnail, the Thumbnailer, LargeImageLoader (canvas / viewer), the
// Importer, importDataset, labelme mask PNGs, VOC segmentation PNGs, COCO RLE
// masks, and readFileBytes itself (pipes, oversized files). The augmentation
// preview, the review report, the CLI's analysis and the train module's
// loader, predictor and explainer all decode through decodeImage/probeImage
// with these defaults.

#include "core/formats/datasetio.h"
#include "core/formats/format.h"
#include "core/imaging/decode.h"
#include "core/imaging/importer.h"
#include "core/imaging/largeimage.h"
#include "core/imaging/pixellimit.h"
#include "core/imaging/probe.h"
#include "core/imaging/thumbnailer.h"
#include "tests/core/hostile_files.h"
#include "tests/support/tempproject.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <sys/stat.h>

using namespace salient;
using namespace salient::test;

namespace {

/// Peak resident memory of this process so far, in MB.
double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; // KiB on Linux
}

enum class Bomb {
    PngHeader,
    JpegHeader,
    TiffHeader,
    TiffTwoWidths,
    TiffNegativeWidth,
    WebpCanvas,
    WebpFrameOverCanvas,
};

bool writeBomb(Bomb kind, const QString &path)
{
    using namespace hostile;
    switch (kind) {
    case Bomb::PngHeader:
        return writePngWithDeclaredSize(hostile::inFolder(path), 50000, 50000);
    case Bomb::JpegHeader:
        return jpegDeclaring(path, 65535, 65535);
    case Bomb::TiffHeader:
        return tiffDeclaring(path, 100000, 100000);
    case Bomb::TiffTwoWidths:
        return tiffDeclaring(path, 200000, 16, TiffWidth::SmallThenBig);
    case Bomb::TiffNegativeWidth:
        return tiffDeclaring(path, 0, 16, TiffWidth::NegativeSlong);
    case Bomb::WebpCanvas:
        return webpDeclaring(path, 1 << 24, 1 << 24);
    case Bomb::WebpFrameOverCanvas:
        return webpDeclaring(path, 16, 16, 16384, 16384);
    }
    return false;
}

/// Every decode path on one file; each must fail, naming the file, with
/// `why` in its message. Returns the first path that did not, or "".
QString firstPathThatDecodes(const QString &file, const QString &why)
{
    const QString name = QFileInfo(file).fileName();
    const auto refused = [&](const Error &e) {
        return e.toString().contains(name) && e.message.contains(why);
    };
    if (auto r = probeImage(readFileBytes(file).value(), file); r.ok() || !refused(r.error()))
        return QStringLiteral("probeImage");
    if (auto r = decodeImage(file); r.ok() || !refused(r.error()))
        return QStringLiteral("decodeImage");
    DecodeOptions scaled;
    scaled.minSide = 64;
    if (auto r = decodeImage(file, scaled); r.ok() || !refused(r.error()))
        return QStringLiteral("decodeImage (DCT-scaled)");
    if (auto r = makeThumbnail(file, 128, 1); r.ok() || !refused(r.error()))
        return QStringLiteral("makeThumbnail");
    if (auto r = LargeImageLoader::probeDisplayedSize(file, 1); r.ok() || !refused(r.error()))
        return QStringLiteral("LargeImageLoader::probeDisplayedSize");
    if (auto r = LargeImageLoader::decodePreview({file, 1}); r.ok() || !refused(r.error()))
        return QStringLiteral("LargeImageLoader::decodePreview");
    if (auto r = LargeImageLoader::decodeFull({file, 1}); r.ok() || !refused(r.error()))
        return QStringLiteral("LargeImageLoader::decodeFull");
    const NewImage probed = readImageFile(file);
    if (probed.readable || !probed.unreadableReason.contains(why))
        return QStringLiteral("readImageFile (importer)");
    Thumbnailer thumbnailer(QString(), 128, 1);
    QSignalSpy failed(&thumbnailer, &Thumbnailer::thumbnailFailed);
    QSignalSpy ready(&thumbnailer, &Thumbnailer::thumbnailReady);
    thumbnailer.request(1, file, QByteArray(), 1);
    if (!failed.wait(10000) || !ready.isEmpty() || !failed.first().at(1).toString().contains(why))
        return QStringLiteral("Thumbnailer");
    return {};
}

} // namespace

class TestHostileSizes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { setPixelLimit(0); }

    // First, while the process is small: its peak memory shows what a decode
    // would have allocated.
    void inflatingPngIsRefusedWithoutAllocating();

    void absurdHeadersAreRefusedOnEveryPath_data();
    void absurdHeadersAreRefusedOnEveryPath();
    void limitIsTheDefaultEverywhere();
    void importerReportsTheBomb();
    void datasetImportSkipsTheBomb();
    void maskPngsInAnnotationFilesAreLimited_data();
    void maskPngsInAnnotationFilesAreLimited();
    void cocoRleMaskFollowsTheLimit();
    void pipesAndDevicesAreNotRead();
    void oversizedFilesAreNotRead();

private:
    QTemporaryDir m_dir;
};

void TestHostileSizes::inflatingPngIsRefusedWithoutAllocating()
{
    // 12,000 x 12,000 grey: 144 MB of pixels in a file of about 150 KB. Sane
    // under the default limit, refused under a limit of 100 megapixels.
    const QString file = m_dir.filePath(QStringLiteral("inflates.png"));
    QVERIFY(hostile::inflatingPng(file, 12000, 12000));
    QVERIFY2(QFileInfo(file).size() < 1024 * 1024, "the bomb should be small on disk");
    QVERIFY(probeImage(readFileBytes(file).value(), file).ok()); // the default allows it

    setPixelLimit(100LL * 1000 * 1000);
    const double before = peakRssMb();
    const QString path = firstPathThatDecodes(
        file, QStringLiteral("12000 x 12000 (144 megapixels) exceeds the limit of 100 megapixels"));
    QVERIFY2(path.isEmpty(), qPrintable(path + QStringLiteral(" decoded or said something else")));
    const double grown = peakRssMb() - before;
    QVERIFY2(grown < 64, qPrintable(QStringLiteral("peak memory grew by %1 MB").arg(grown)));
}

void TestHostileSizes::absurdHeadersAreRefusedOnEveryPath_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("why");
    const QString limit = QStringLiteral("exceeds the limit of 300 megapixels");
    QTest::newRow("PNG header declaring 50,000 x 50,000")
        << int(Bomb::PngHeader) << "png50k.png"
        << "declared size 50000 x 50000 (2500 megapixels) " + limit;
    QTest::newRow("JPEG frame declaring 65,535 x 65,535")
        << int(Bomb::JpegHeader) << "jpeg64k.jpg"
        << "65535 x 65535 (4295 megapixels) " + limit;
    QTest::newRow("TIFF declaring 100,000 x 100,000")
        << int(Bomb::TiffHeader) << "tiff100k.tif"
        << "100000 x 100000 (10000 megapixels) " + limit;
    QTest::newRow("TIFF giving a small and a huge width")
        << int(Bomb::TiffTwoWidths) << "twowidths.tif"
        << QStringLiteral("the image width or length is given twice, differently");
    QTest::newRow("TIFF width as a negative signed long")
        << int(Bomb::TiffNegativeWidth) << "negative.tif" << limit;
    QTest::newRow("WebP canvas of 16,777,216 squared")
        << int(Bomb::WebpCanvas) << "canvas.webp" << limit;
    QTest::newRow("WebP small canvas over a 16,384 x 16,384 frame")
        << int(Bomb::WebpFrameOverCanvas) << "frame.webp"
        << QStringLiteral("the frame is 16384 x 16384 but the canvas 16 x 16");
}

void TestHostileSizes::absurdHeadersAreRefusedOnEveryPath()
{
    QFETCH(int, kind);
    QFETCH(QString, name);
    QFETCH(QString, why);
    const QString file = m_dir.filePath(name);
    QVERIFY(writeBomb(Bomb(kind), file));
    QVERIFY(QFileInfo(file).size() < 4096);
    const QString path = firstPathThatDecodes(file, why);
    QVERIFY2(path.isEmpty(), qPrintable(path + QStringLiteral(" decoded or said something else")));
}

void TestHostileSizes::limitIsTheDefaultEverywhere()
{
    // 1,200 x 1,000: fine by default, over a limit of 1 megapixel.
    const QString file = m_dir.filePath(QStringLiteral("ordinary.png"));
    QVERIFY(writePng(hostile::inFolder(file), 1200, 1000, 3, 8, 4));
    QCOMPARE(pixelLimit(), kDefaultMaxPixels);
    QVERIFY(decodeImage(file).ok());
    QVERIFY(makeThumbnail(file, 64, 1).ok());
    QVERIFY(readImageFile(file).readable);

    setPixelLimit(1000 * 1000);
    QCOMPARE(DecodeOptions{}.maxPixels, qint64(1000 * 1000));
    QCOMPARE(ImportOptions{}.maxPixels, qint64(1000 * 1000));
    QCOMPARE(DatasetImportOptions{}.maxPixels, qint64(1000 * 1000));
    const QString path = firstPathThatDecodes(
        file, QStringLiteral("1200 x 1000 (1.2 megapixels) exceeds the limit of 1.0 megapixels"));
    QVERIFY2(path.isEmpty(), qPrintable(path + QStringLiteral(" ignored the setting")));

    setPixelLimit(0); // back to the default
    QCOMPARE(pixelLimit(), kDefaultMaxPixels);
    QVERIFY(decodeImage(file).ok());
}

void TestHostileSizes::importerReportsTheBomb()
{
    TempProject project;
    const QString folder = project.path(QStringLiteral("incoming"));
    QVERIFY(writePngWithDeclaredSize(hostile::inFolder(folder + QStringLiteral("/bomb.png")), 50000,
                                                       50000));
    QVERIFY(writePng(hostile::inFolder(folder + QStringLiteral("/fine.png")), 20, 10));
    ImportOptions options;
    options.paths = {folder};
    auto report = Importer(project.store()).run(options);
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QCOMPARE(report->added, 2);
    QCOMPARE(report->unreadable, 1);
    QCOMPARE(report->problems.size(), 1);
    QVERIFY(report->problems.first().path.endsWith(QStringLiteral("bomb.png")));
    QVERIFY2(report->problems.first().reason.contains(QStringLiteral("exceeds the limit of 300 "
                                                                     "megapixels")),
                                                      qPrintable(report->problems.first().reason));
}

void TestHostileSizes::datasetImportSkipsTheBomb()
{
    TempProject project;
    const QString folder = project.path(QStringLiteral("dataset"));
    QVERIFY(writePngWithDeclaredSize(hostile::inFolder(folder + QStringLiteral("/bomb.png")), 50000,
                                                       50000));
    QVERIFY(writePng(hostile::inFolder(folder + QStringLiteral("/fine.png")), 20, 10));
    QVERIFY(hostile::save(
        folder + QStringLiteral("/labels.csv"), "path,label\nbomb.png,cat\nfine.png,cat\n"));
    DatasetImportOptions options;
    options.path = folder + QStringLiteral("/labels.csv");
    options.format = datasetFormat(QStringLiteral("csv"));
    QVector<FormatProblem> seen;
    auto report = importDataset(project.store(), options, [&](const QVector<FormatProblem> &p) {
        seen = p;
        return true; // skip the bad ones
    });
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QCOMPARE(report->imagesAdded, 1);
    QCOMPARE(seen.size(), 1);
    QVERIFY2(seen.first().toString().contains(
        QStringLiteral("bomb.png"))
        && seen.first().message.contains(QStringLiteral("exceeds the limit")),
                                         qPrintable(seen.first().toString()));
}

void TestHostileSizes::maskPngsInAnnotationFilesAreLimited_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("labelme mask shape (base64 PNG)") << QStringLiteral("labelme");
    QTest::newRow("VOC segmentation PNG") << QStringLiteral("voc");
}

void TestHostileSizes::maskPngsInAnnotationFilesAreLimited()
{
    QFETCH(QString, format);
    QTemporaryDir dir;
    const QString bomb = dir.filePath(QStringLiteral("bomb.png"));
    QVERIFY(writePngWithDeclaredSize(hostile::inFolder(bomb), 50000, 50000));
    QString expectedFile;
    if (format == QLatin1String("labelme")) {
        QVERIFY(writePng(hostile::inFolder(dir.filePath(QStringLiteral("ds/a.png"))), 10, 10));
        QFile f(bomb);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray json =
            R"({"shapes": [{"label": "cat", "points": [[0, 0], [9, 9]], "shape_type": "mask", )"
            R"("mask": ")"
            + f.readAll().toBase64()
            + R"("}], "imagePath": "a.png", )"
              R"("imageData": null, "imageWidth": 10, "imageHeight": 10})";
        QVERIFY(hostile::save(dir.filePath(QStringLiteral("ds/a.json")), json));
        expectedFile = QStringLiteral("a.json");
    } else {
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("ds/Annotations"))));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("ds/SegmentationObject"))));
        QVERIFY(writePng(hostile::inFolder(dir.filePath(QStringLiteral("ds/JPEGImages/a.png"))), 10,
                                           10));
        QVERIFY(QFile::copy(bomb, dir.filePath(QStringLiteral("ds/SegmentationObject/a.png"))));
        QVERIFY(hostile::save(dir.filePath(
            QStringLiteral("ds/Annotations/a.xml")),
            "<annotation><filename>a.png</filename><size><width>10</width><height>10</height>"
            "<depth>3</depth></size><object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin>"
            "<xmax>5</xmax><ymax>5</ymax></bndbox></object></annotation>\n"));
        expectedFile = QStringLiteral("SegmentationObject/a.png");
    }
    QVector<FormatProblem> problems;
    auto data = datasetFormat(format)->read(dir.filePath(QStringLiteral("ds")), {}, problems);
    QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
    QCOMPARE(data->images.size(), 1); // the image stays, its mask goes
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().path.endsWith(expectedFile)
             && problems.first().message.contains(
                 QStringLiteral("50000 x 50000 (2500 megapixels) exceeds the limit of 300")),
                 qPrintable(problems.first().toString()));
}

void TestHostileSizes::cocoRleMaskFollowsTheLimit()
{
    QTemporaryDir dir;
    QVERIFY(writePng(hostile::inFolder(dir.filePath(QStringLiteral("a.png"))), 10, 10));
    const QByteArray json =
        R"({"images": [{"id": 1, "file_name": "a.png", "width": 2000, "height": 2000}],)"
        R"( "categories": [{"id": 1, "name": "cat"}], "annotations": [{"id": 1, "image_id": 1,)"
        R"( "category_id": 1, "bbox": [0, 0, 1, 1], "iscrowd": 1,)"
        R"( "segmentation": {"size": [2000, 2000], "counts": [4000000]}}]})";
    const QString file = dir.filePath(QStringLiteral("coco.json"));
    QVERIFY(hostile::save(file, json));
    // The problems that refuse the mask for its size.
    const auto refusals = [&] {
        QVector<FormatProblem> problems;
        auto data = datasetFormat(QStringLiteral("coco"))->read(file, {}, problems);
        if (!data.ok())
            return QStringList{QStringLiteral("not read: ") + data.error().toString()};
        QStringList out;
        for (const FormatProblem &p : problems)
            if (p.message.contains(QStringLiteral("a mask may have")))
                out << p.toString();
        return out;
    };
    QCOMPARE(refusals(), QStringList()); // 4 megapixels: fine by default
    setPixelLimit(1000 * 1000);
    const QStringList refused = refusals();
    QCOMPARE(refused.size(), 1);
    QVERIFY2(refused.first().contains(QStringLiteral("larger than the 1000000 pixels"))
                                      && refused.first().contains(QStringLiteral("coco.json")),
                                                                  qPrintable(refused.first()));
}

void TestHostileSizes::pipesAndDevicesAreNotRead()
{
    // Opening a named pipe blocks until a writer comes: this test would hang.
    const QString pipe = m_dir.filePath(QStringLiteral("pipe.png"));
    QCOMPARE(::mkfifo(QFile::encodeName(pipe).constData(), 0600), 0);
    for (const QString &file : {pipe, QStringLiteral("/dev/zero")}) {
        auto bytes = readFileBytes(file);
        QVERIFY(!bytes.ok());
        QVERIFY2(bytes.error().message.contains(QStringLiteral("not a regular file"))
                                                && bytes.error().path == file,
                                                qPrintable(bytes.error().toString()));
        QVERIFY(!decodeImage(file).ok());
        QVERIFY(!LargeImageLoader::decodeFull({file, 1}).ok());
        QVERIFY(!readImageFile(file).readable);
    }
}

void TestHostileSizes::oversizedFilesAreNotRead()
{
    setPixelLimit(1000 * 1000); // no image of 1 megapixel needs 100 MB
    const QString file = m_dir.filePath(QStringLiteral("huge.tif"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("II*\0", 4);
    QVERIFY(f.resize(100LL * 1000 * 1000)); // sparse: nothing is written
    f.close();
    const double before = peakRssMb();
    auto bytes = readFileBytes(file);
    QVERIFY(!bytes.ok());
    QVERIFY2(bytes.error().message.contains(
        QStringLiteral("file of 100 MB is larger than any image within the limit of 1.0 "
                                "megapixels")),
        qPrintable(bytes.error().toString()));
    QVERIFY(!decodeImage(file).ok());
    QVERIFY(peakRssMb() - before < 50);
}

QTEST_GUILESS_MAIN(TestHostileSizes)
#include "hostile_sizes.moc"
