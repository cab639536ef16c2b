// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding as the user sees it: EXIF orientation applied the same way as
// other viewers, thumbnails that fit their box, 16-bit kept or mapped to
// 8-bit, bad files as errors rather than crashes.

#include "core/imaging/decode.h"
#include "tests/support/imagemaker.h"

#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace salient;
using namespace salient::test;

namespace {

bool isRed(const cv::Vec3b &bgr)
{
    return bgr[2] > 180 && bgr[1] < 80 && bgr[0] < 80;
}

bool isRed(QRgb p)
{
    return qRed(p) > 180 && qGreen(p) < 80 && qBlue(p) < 80;
}

/// Where the stored top-left corner appears once an orientation is applied.
QPoint displayedCorner(int orientation, int w, int h, int inset)
{
    // w x h are displayed sizes; inset keeps us inside the marker square.
    const int l = inset, r = w - 1 - inset, t = inset, b = h - 1 - inset;
    switch (orientation) {
    case 2:
    case 6:
        return {r, t};
    case 3:
    case 7:
        return {r, b};
    case 4:
    case 8:
        return {l, b};
    default:
        return {l, t};
    }
}

} // namespace

class TestDecode : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void orientationPutsTheCornerRight_data()
    {
        QTest::addColumn<int>("orientation");
        for (int o = 1; o <= 8; ++o)
            QTest::newRow(qPrintable(QString("orientation %1").arg(o))) << o;
    }

    void orientationPutsTheCornerRight()
    {
        QFETCH(int, orientation);
        const QString file = path(QString("o%1.jpg").arg(orientation));
        QVERIFY(writeJpeg(file, 64, 48, 1, orientation));
        auto probe = probeImage(readFileBytes(file).value(), file);
        QVERIFY(probe.ok());
        QCOMPARE(probe->orientation, orientation);

        DecodeOptions opt;
        opt.orientation = probe->orientation;
        auto img = decodeImage(file, opt);
        QVERIFY2(img.ok(), qPrintable(img.ok() ? QString() : img.error().toString()));
        QCOMPARE(img->cols, probe->width);
        QCOMPARE(img->rows, probe->height);
        const QPoint c = displayedCorner(orientation, img->cols, img->rows, markerSide(64, 48) / 2);
        QVERIFY2(isRed(img->at<cv::Vec3b>(c.y(), c.x())),
                 qPrintable(QString("marker not at %1,%2").arg(c.x()).arg(c.y())));

        // Same pixels as OpenCV's own EXIF handling, for every orientation.
        const cv::Mat theirs = cv::imread(file.toStdString(), cv::IMREAD_COLOR);
        QCOMPARE(theirs.cols, img->cols);
        QCOMPARE(theirs.rows, img->rows);
        QCOMPARE(cv::norm(theirs, img.value(), cv::NORM_INF), 0.0);
    }

    void storedOrientationWinsOverTheFile()
    {
        // Decoding applies the orientation it is given (the stored one), so a
        // view, a thumbnail and training all agree even if the tag is odd.
        const QString file = path("tagged6.jpg");
        QVERIFY(writeJpeg(file, 64, 48, 2, 6));
        auto asStored = decodeImage(file); // orientation 1 asked
        QVERIFY(asStored.ok());
        QCOMPARE(asStored->cols, 64);
        QCOMPARE(asStored->rows, 48);
    }

    void thumbnailFitsTheBox_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("orientation");
        QTest::addColumn<QSize>("expected");
        QTest::newRow("landscape jpeg") << "t1.jpg" << 1 << QSize(100, 75);
        QTest::newRow("jpeg turned by exif 6") << "t6.jpg" << 6 << QSize(75, 100);
        QTest::newRow("jpeg turned by exif 3") << "t3.jpg" << 3 << QSize(100, 75);
        QTest::newRow("png") << "t.png" << 1 << QSize(100, 75);
    }

    void thumbnailFitsTheBox()
    {
        QFETCH(QString, name);
        QFETCH(int, orientation);
        QFETCH(QSize, expected);
        const QString file = path(name);
        if (name.endsWith(".png"))
            QVERIFY(writePng(file, 640, 480, 3, 8, 3));
        else
            QVERIFY(writeJpeg(file, 640, 480, 3, orientation));
        auto thumb = makeThumbnail(file, 100, orientation);
        QVERIFY2(thumb.ok(), qPrintable(thumb.ok() ? QString() : thumb.error().toString()));
        QCOMPARE(thumb->size(), expected);
        const QPoint c = displayedCorner(orientation, expected.width(), expected.height(), 3);
        QVERIFY2(isRed(thumb->pixel(c)),
                 qPrintable(QString("marker not at %1,%2").arg(c.x()).arg(c.y())));
    }

    void smallImageThumbnailIsNotEnlarged()
    {
        const QString file = path("tiny.jpg");
        QVERIFY(writeJpeg(file, 40, 30, 1));
        auto thumb = makeThumbnail(file, 256, 1);
        QVERIFY(thumb.ok());
        QCOMPARE(thumb->size(), QSize(40, 30));
    }

    void sixteenBitPng()
    {
        const QString file = path("deep.png");
        QVERIFY(writePng(file, 30, 20, 3, 16, 5));
        DecodeOptions keep;
        keep.keepDepth = true;
        auto deep = decodeImage(file, keep);
        QVERIFY(deep.ok());
        QCOMPARE(deep->depth(), CV_16U);
        QCOMPARE(deep->channels(), 3);
        auto shown = decodeImage(file);
        QVERIFY(shown.ok());
        QCOMPARE(shown->depth(), CV_8U);
        double lo, hi;
        cv::minMaxLoc(shown->reshape(1), &lo, &hi);
        QCOMPARE(hi, 255.0); // stretched over the full 8-bit range, not just >> 8
        QVERIFY(isRed(shown->at<cv::Vec3b>(1, 1)));
        auto thumb = makeThumbnail(file, 16, 1);
        QVERIFY(thumb.ok());
        QCOMPARE(thumb->size(), QSize(16, 11));
    }

    void sixteenBitGreyTiffShowsContrast()
    {
        const QString file = path("grey16.tif");
        QVERIFY(writeTiff(file, 30, 20, 1, 16, 5));
        auto img = decodeImage(file);
        QVERIFY(img.ok());
        QCOMPARE(img->type(), CV_8UC1);
        const QImage q = toQImage(img.value());
        QCOMPARE(q.format(), QImage::Format_Grayscale8);
        QCOMPARE(qGray(q.pixel(1, 1)), 255); // the white marker
    }

    void reducedDecodeKeepsMinSide()
    {
        const QString file = path("big.jpg");
        QVERIFY(writeJpeg(file, 640, 480, 4));
        DecodeOptions opt;
        opt.minSide = 100;
        auto img = decodeImage(file, opt);
        QVERIFY(img.ok());
        QCOMPARE(img->cols, 160); // 1/4: both sides stay >= 100, 1/8 would not
        QCOMPARE(img->rows, 120);
    }

    void badFilesAreErrors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("code");
        QTest::newRow("truncated jpeg") << "cut.jpg" << int(Error::Code::Decode);
        QTest::newRow("zero bytes") << "empty.png" << int(Error::Code::Decode);
        QTest::newRow("text named .jpg") << "notes.jpg" << int(Error::Code::Unsupported);
        QTest::newRow("decompression bomb") << "bomb.png" << int(Error::Code::Invalid);
        QTest::newRow("missing file") << "missing.jpg" << int(Error::Code::Io);
    }

    void badFilesAreErrors()
    {
        QFETCH(QString, name);
        QFETCH(int, code);
        const QString file = path(name);
        if (name == "cut.jpg")
            QVERIFY(writeTruncatedJpeg(file, 64, 48, 0.5));
        else if (name == "empty.png")
            QVERIFY(writeZeroBytes(file));
        else if (name == "notes.jpg")
            QVERIFY(writeText(file));
        else if (name == "bomb.png")
            QVERIFY(writePngWithDeclaredSize(file, 50000, 50000));
        auto img = decodeImage(file);
        QVERIFY(!img.ok());
        QCOMPARE(int(img.error().code), code);
        QVERIFY(img.error().toString().contains(name));
        auto thumb = makeThumbnail(file, 64, 1);
        QVERIFY(!thumb.ok());
        QVERIFY(thumb.error().toString().contains(name));
    }

    void corruptJpegBodyIsNotFatal()
    {
        // Broken Huffman data must come back as an error or a damaged image,
        // never end the process (libjpeg's default error handler calls exit()).
        const QString file = path("corrupt.jpg");
        QVERIFY(writeJpeg(file, 320, 240, 8));
        QByteArray bytes = readFileBytes(file).value();
        for (int i = bytes.size() / 3; i < bytes.size() - 10; i += 7)
            bytes[i] = char(0xFF);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        auto thumb = makeThumbnail(file, 64, 1);
        if (thumb.ok())
            QCOMPARE(thumb->size(), QSize(64, 48));
        auto img = decodeImage(file);
        Q_UNUSED(img);
    }

    void toQImageFormats()
    {
        cv::Mat bgr(2, 2, CV_8UC3, cv::Scalar(0, 0, 255));
        QImage q = toQImage(bgr);
        QCOMPARE(q.format(), QImage::Format_RGB888);
        QCOMPARE(q.pixel(1, 1), qRgb(255, 0, 0));

        cv::Mat bgra(2, 2, CV_8UC4, cv::Scalar(255, 0, 0, 128));
        q = toQImage(bgra);
        QCOMPARE(q.format(), QImage::Format_ARGB32);
        QCOMPARE(q.pixel(0, 0), qRgba(0, 0, 255, 128));

        cv::Mat grey(2, 3, CV_8UC1, cv::Scalar(77));
        q = toQImage(grey);
        QCOMPARE(q.format(), QImage::Format_Grayscale8);
        QCOMPARE(q.size(), QSize(3, 2));
        QCOMPARE(qGray(q.pixel(2, 1)), 77);

        // A deep copy: the QImage outlives the Mat.
        {
            cv::Mat temp(4, 4, CV_8UC3, cv::Scalar(10, 20, 30));
            q = toQImage(temp);
        }
        QCOMPARE(q.pixel(3, 3), qRgb(30, 20, 10));
    }
};

QTEST_GUILESS_MAIN(TestDecode)
#include "imaging_decode.moc"
