// SPDX-License-Identifier: GPL-3.0-or-later
// Progressive loading of large images: preview first, then the full image at
// its displayed size; cancellation; EXIF orientation; 16-bit; the pyramid.
#include "core/imaging/largeimage.h"

#include "tests/support/imagemaker.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace salient;

namespace {

/// A smooth colour image (like a photo, unlike noise) with a pure red square
/// in its stored top-left corner, written as JPEG.
bool writeBigJpeg(const QString &path, int width, int height)
{
    cv::Mat seed(8, 8, CV_8UC3);
    cv::randu(seed, 0, 200);
    cv::Mat img;
    cv::resize(seed, img, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
    const int side = std::min(width, height) / 6;
    img(cv::Rect(0, 0, side, side)) = cv::Scalar(0, 0, 255);
    return cv::imwrite(path.toStdString(), img, {cv::IMWRITE_JPEG_QUALITY, 90});
}

bool isRed(const QImage &img, int x, int y)
{
    const QColor c = img.pixelColor(x, y);
    return c.red() > 200 && c.green() < 60 && c.blue() < 60;
}

} // namespace

class LargeImageTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void hundredMegapixelJpegGivesPreviewThenFullImage();
    void cancelStopsEverySignal();
    void newLoadDropsThePreviousOne();
    void orientationSwapsSizesAndMovesPixels_data();
    void orientationSwapsSizesAndMovesPixels();
    void sixteenBitPngKeepsFullDepth();
    void greyJpegKeepsPixelsForWindowLevel();
    void smallImageSkipsPreview();
    void brokenFileFails();
    void pyramidPicksTheCoarsestSufficientLevel();

private:
    QTemporaryDir m_dir;
    QString m_big;
};

void LargeImageTest::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_big = m_dir.filePath(QStringLiteral("big.jpg"));
    QElapsedTimer t;
    t.start();
    QVERIFY(writeBigJpeg(m_big, 10000, 10000));
    qInfo("wrote a 10000x10000 JPEG in %lld ms", t.elapsed());
}

void LargeImageTest::hundredMegapixelJpegGivesPreviewThenFullImage()
{
    LargeImageLoader loader;
    QStringList order;
    QElapsedTimer t;
    qint64 previewMs = -1, fullMs = -1;
    LargeImageFrame preview, full;
    connect(&loader, &LargeImageLoader::previewReady, this, [&](const LargeImageFrame &f) {
        previewMs = t.elapsed();
        order << QStringLiteral("preview");
        preview = f;
    });
    connect(&loader, &LargeImageLoader::imageReady, this, [&](const LargeImageFrame &f) {
        fullMs = t.elapsed();
        order << QStringLiteral("full");
        full = f;
    });
    QSignalSpy failed(&loader, &LargeImageLoader::failed);
    t.start();
    loader.load(m_big, 1);
    QVERIFY(loader.isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(!full.display.isNull() || failed.count() > 0, 30000);
    QCOMPARE(failed.count(), 0);
    qInfo("100 MP JPEG: preview after %lld ms, full image after %lld ms", previewMs, fullMs);
    QCOMPARE(order, QStringList({QStringLiteral("preview"), QStringLiteral("full")}));
    QVERIFY(!loader.isLoading());

    QVERIFY(preview.preview);
    QCOMPARE(preview.fullSize, QSize(10000, 10000));
    QCOMPARE(preview.display.size(), QSize(1250, 1250)); // DCT scaling 1/8
    QVERIFY(isRed(preview.display, 10, 10));

    QVERIFY(!full.preview);
    QCOMPARE(full.fullSize, QSize(10000, 10000));
    QCOMPARE(full.display.size(), QSize(10000, 10000));
    QVERIFY(full.fullDepth.empty()); // 8-bit colour: no window/level data
    QVERIFY(isRed(full.display, 100, 100));
    QVERIFY(!isRed(full.display, 9000, 9000));
    // The pyramid halves down to at most 512 px: 10000, 5000, ..., 313.
    QCOMPARE(full.pyramid.levelCount(), 6);
    QCOMPARE(full.pyramid.level(1).size(), QSize(5000, 5000));
    QCOMPARE(full.pyramid.level(5).size(), QSize(313, 313));
}

void LargeImageTest::cancelStopsEverySignal()
{
    LargeImageLoader loader;
    QSignalSpy previews(&loader, &LargeImageLoader::previewReady);
    QSignalSpy images(&loader, &LargeImageLoader::imageReady);
    QSignalSpy failed(&loader, &LargeImageLoader::failed);
    QElapsedTimer t;
    t.start();
    loader.load(m_big, 1);
    QTest::qWait(50); // let the worker start decoding
    loader.cancel();
    QVERIFY(!loader.isLoading());
    QVERIFY(loader.waitForDone(30000));
    const qint64 stoppedMs = t.elapsed();
    QTest::qWait(100); // deliver anything that was queued
    QCOMPARE(previews.count() + images.count() + failed.count(), 0);
    qInfo("cancelled load stopped after %lld ms", stoppedMs);
    // A full 100 MP decode takes seconds; stopping between scanlines is fast.
    QVERIFY2(stoppedMs < 1500, qPrintable(QString::number(stoppedMs)));
}

void LargeImageTest::newLoadDropsThePreviousOne()
{
    const QString small = m_dir.filePath(QStringLiteral("small.png"));
    QVERIFY(test::writePng(small, 64, 48));
    LargeImageLoader loader;
    QVector<QSize> sizes;
    connect(&loader, &LargeImageLoader::previewReady, this,
            [&](const LargeImageFrame &f) { sizes << f.fullSize; });
    connect(&loader, &LargeImageLoader::imageReady, this,
            [&](const LargeImageFrame &f) { sizes << f.fullSize; });
    loader.load(m_big, 1);
    loader.load(small, 1);
    QTRY_VERIFY_WITH_TIMEOUT(!loader.isLoading(), 30000);
    QVERIFY(loader.waitForDone(30000));
    QTest::qWait(50);
    QCOMPARE(sizes, QVector<QSize>({QSize(64, 48)}));
}

void LargeImageTest::orientationSwapsSizesAndMovesPixels_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<QSize>("displayed");
    QTest::addColumn<QPoint>("markerCorner"); // 0/1 for left/right, top/bottom
    QTest::newRow("1 as stored") << 1 << QSize(3000, 2000) << QPoint(0, 0);
    QTest::newRow("3 upside down") << 3 << QSize(3000, 2000) << QPoint(1, 1);
    QTest::newRow("6 rotated clockwise") << 6 << QSize(2000, 3000) << QPoint(1, 0);
    QTest::newRow("8 rotated anticlockwise") << 8 << QSize(2000, 3000) << QPoint(0, 1);
}

void LargeImageTest::orientationSwapsSizesAndMovesPixels()
{
    QFETCH(int, orientation);
    QFETCH(QSize, displayed);
    QFETCH(QPoint, markerCorner);
    const QString path = m_dir.filePath(QStringLiteral("wide.jpg"));
    if (!QFile::exists(path))
        QVERIFY(writeBigJpeg(path, 3000, 2000));
    LargeImageLoader loader;
    loader.setPreviewThreshold(1); // preview even for 6 MP
    QSignalSpy previews(&loader, &LargeImageLoader::previewReady);
    QSignalSpy images(&loader, &LargeImageLoader::imageReady);
    loader.load(path, orientation);
    QVERIFY(images.wait(30000) || images.count() == 1);
    QCOMPARE(previews.count(), 1);
    const auto preview = previews.at(0).at(0).value<LargeImageFrame>();
    const auto full = images.at(0).at(0).value<LargeImageFrame>();
    QCOMPARE(preview.fullSize, displayed);
    QCOMPARE(full.fullSize, displayed);
    QCOMPARE(full.display.size(), displayed);
    // The preview has the displayed aspect too (1/4: 750 x 500 stored).
    QCOMPARE(preview.display.width() > preview.display.height(),
             displayed.width() > displayed.height());
    for (const QImage &img : {full.display, preview.display}) {
        const int x = markerCorner.x() ? img.width() - 3 : 2;
        const int y = markerCorner.y() ? img.height() - 3 : 2;
        QVERIFY2(isRed(img, x, y),
                 qPrintable(QStringLiteral("%1x%2").arg(img.width()).arg(img.height())));
        QVERIFY(!isRed(img, img.width() - 1 - x, img.height() - 1 - y));
    }
}

void LargeImageTest::sixteenBitPngKeepsFullDepth()
{
    const QString path = m_dir.filePath(QStringLiteral("deep.png"));
    cv::Mat deep(100, 200, CV_16UC1);
    for (int r = 0; r < deep.rows; ++r)
        for (int c = 0; c < deep.cols; ++c)
            deep.at<ushort>(r, c) = ushort(1000 + c); // 1000..1199: one 8-bit bin if shifted
    QVERIFY(cv::imwrite(path.toStdString(), deep));
    LargeImageLoader loader;
    QSignalSpy previews(&loader, &LargeImageLoader::previewReady);
    QSignalSpy images(&loader, &LargeImageLoader::imageReady);
    loader.load(path, 6);
    QVERIFY(images.wait(10000));
    QCOMPARE(previews.count(), 0);
    const auto full = images.at(0).at(0).value<LargeImageFrame>();
    QCOMPARE(full.bitDepth, 16);
    QCOMPARE(full.channels, 1);
    QCOMPARE(full.fullSize, QSize(100, 200));
    QCOMPARE(full.fullDepth.type(), CV_16UC1);
    QCOMPARE(full.fullDepth.cols, 100);
    // Orientation 6: stored column c becomes displayed row c.
    QCOMPARE(int(full.fullDepth.at<ushort>(150, 0)), 1150);
    // The display is the auto window: dark at the low end, bright at the high end.
    QVERIFY(qGray(full.display.pixel(50, 2)) < 10);
    QVERIFY(qGray(full.display.pixel(50, 197)) > 245);
}

void LargeImageTest::greyJpegKeepsPixelsForWindowLevel()
{
    const QString path = m_dir.filePath(QStringLiteral("grey.jpg"));
    QVERIFY(test::writeGreyJpeg(path, 120, 80));
    auto full = LargeImageLoader::decodeFull({path, 1});
    QVERIFY2(full.ok(), qPrintable(full.ok() ? QString() : full.error().toString()));
    QCOMPARE(full->channels, 1);
    QCOMPARE(full->fullDepth.type(), CV_8UC1);
    QCOMPARE(full->display.format(), QImage::Format_Grayscale8);
    QCOMPARE(full->display.size(), QSize(120, 80));
}

void LargeImageTest::smallImageSkipsPreview()
{
    const QString path = m_dir.filePath(QStringLiteral("photo.jpg"));
    QVERIFY(test::writeJpeg(path, 640, 480));
    LargeImageLoader loader;
    QSignalSpy previews(&loader, &LargeImageLoader::previewReady);
    QSignalSpy images(&loader, &LargeImageLoader::imageReady);
    loader.load(path, 1);
    QVERIFY(images.wait(10000));
    QCOMPARE(previews.count(), 0);
}

void LargeImageTest::brokenFileFails()
{
    const QString path = m_dir.filePath(QStringLiteral("cut.jpg"));
    QVERIFY(test::writeTruncatedJpeg(path, 640, 480));
    LargeImageLoader loader;
    QSignalSpy failed(&loader, &LargeImageLoader::failed);
    loader.load(path, 1);
    QVERIFY(failed.wait(10000));
    const auto error = failed.at(0).at(0).value<Error>();
    QVERIFY(error.toString().contains(QStringLiteral("cut.jpg")));
    QVERIFY(!loader.isLoading());
}

void LargeImageTest::pyramidPicksTheCoarsestSufficientLevel()
{
    QImage img(2000, 1000, QImage::Format_RGB888);
    img.fill(Qt::darkGreen);
    const ImagePyramid p = ImagePyramid::build(img, 256);
    QCOMPARE(p.levelCount(), 4); // 2000, 1000, 500, 250
    QCOMPARE(p.level(3).size(), QSize(250, 125));
    QCOMPARE(p.level(2).pixelColor(10, 10), QColor(Qt::darkGreen));
    QCOMPARE(p.levelIndexFor(2.0), 0);
    QCOMPARE(p.levelIndexFor(1.0), 0);
    QCOMPARE(p.levelIndexFor(0.6), 0);
    QCOMPARE(p.levelIndexFor(0.5), 1);
    QCOMPARE(p.levelIndexFor(0.3), 1);
    QCOMPARE(p.levelIndexFor(0.25), 2);
    QCOMPARE(p.levelIndexFor(0.01), 3);
    QCOMPARE(p.levelFor(0.25).size(), QSize(500, 250));
}

QTEST_GUILESS_MAIN(LargeImageTest)
#include "largeimagetest.moc"
