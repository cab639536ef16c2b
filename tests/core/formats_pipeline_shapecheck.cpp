// SPDX-License-Identifier: GPL-3.0-or-later
// The import pipeline's shape checks (NaN, negative, out of image, degenerate,
// half-pixel clamping) and the stored -> displayed frame for every EXIF
// orientation, checked against the pixels decode's applyOrientation moves.
#include "core/formats/shapecheck.h"
#include "core/imaging/decode.h"
#include "core/imaging/probe.h"

#include "tests/support/imagemaker.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/core.hpp>

#include <cmath>
#include <limits>

using namespace salient;

Q_DECLARE_METATYPE(salient::Geometry)

namespace {

const QSize kImage(640, 480);

Geometry box(double x, double y, double w, double h)
{
    return Box{QRectF(x, y, w, h)};
}

Geometry polygon(std::initializer_list<QPointF> points)
{
    return Polygon{QPolygonF(points)};
}

Mask maskWith(const QRect &bounds, std::initializer_list<QPoint> on)
{
    Mask m(bounds);
    for (const QPoint &p : on)
        m.set(p.x(), p.y(), true);
    return m;
}

/// Where the one non-zero pixel of `image` is.
QPoint onlyPixel(const cv::Mat &image)
{
    QPoint found(-1, -1);
    for (int r = 0; r < image.rows; ++r)
        for (int c = 0; c < image.cols; ++c)
            if (image.at<std::uint8_t>(r, c)) {
                if (found != QPoint(-1, -1))
                    return QPoint(-2, -2); // more than one
                found = QPoint(c, r);
            }
    return found;
}

/// Bounding box of the strongly red pixels of a decoded BGR image (the imagemaker marker).
QRect redMarker(const cv::Mat &bgr)
{
    QRect r;
    for (int y = 0; y < bgr.rows; ++y)
        for (int x = 0; x < bgr.cols; ++x) {
            const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
            if (p[2] > 180 && p[1] < 90 && p[0] < 90)
                r = r.united(QRect(x, y, 1, 1));
        }
    return r;
}

} // namespace

class TestShapeCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void checkShape_data()
    {
        QTest::addColumn<Geometry>("shape");
        QTest::addColumn<QString>("message");
        QTest::addColumn<Geometry>("after"); // the shape once clamped (when accepted)
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();

        QTest::newRow("box inside") << box(10, 20, 30, 40) << QString() << box(10, 20, 30, 40);
        QTest::newRow("box over the whole image")
            << box(0, 0, 640, 480) << QString() << box(0, 0, 640, 480);
        QTest::newRow("box half a pixel out on each side is clamped")
            << box(-0.5, -0.25, 641, 480.7) << QString() << box(0, 0, 640, 480);
        QTest::newRow("box with a NaN")
            << box(nan, 0, 10, 10) << "coordinate is not a number" << Geometry();
        QTest::newRow("box of infinite width")
            << box(0, 0, inf, 10) << "coordinate is not a number" << Geometry();
        QTest::newRow("box with negative x")
            << box(-12.5, 3, 40, 40) << "negative coordinate (x = -12.5)" << Geometry();
        QTest::newRow("box with negative y")
            << box(3, -0.6, 40, 40) << "negative coordinate (y = -0.6)" << Geometry();
        QTest::newRow("box past the right edge")
            << box(600, 10, 100, 10) << "outside the 640x480 image (x + w = 700)" << Geometry();
        QTest::newRow("box past the bottom edge")
            << box(0, 470, 10, 10.6) << "outside the 640x480 image (y + h = 480.6)" << Geometry();
        QTest::newRow("box of zero width")
            << box(5, 5, 0, 10) << "box of zero width or height" << Geometry();
        QTest::newRow("box of negative height")
            << box(5, 5, 10, -3) << "box of zero width or height" << Geometry();
        QTest::newRow("box that is only the clamped half pixel")
            << box(640.1, 5, 0.3, 10) << "box of zero width or height" << Geometry();

        QTest::newRow("triangle inside") << polygon({{1, 1}, {50, 1}, {20, 30}}) << QString()
                                         << polygon({{1, 1}, {50, 1}, {20, 30}});
        QTest::newRow("polygon clamped by half a pixel")
            << polygon({{-0.4, 0}, {640.5, 0}, {320, 480.2}}) << QString()
            << polygon({{0, 0}, {640, 0}, {320, 480}});
        QTest::newRow("polygon of two points")
            << polygon({{1, 1}, {50, 1}}) << "polygon with fewer than 3 points" << Geometry();
        QTest::newRow("polygon on one line")
            << polygon({{1, 1}, {10, 10}, {20, 20}}) << "polygon with zero area" << Geometry();
        QTest::newRow("polygon with a NaN")
            << polygon({{1, 1}, {nan, 10}, {20, 2}}) << "coordinate is not a number" << Geometry();
        QTest::newRow("polygon with a negative vertex")
            << polygon({{1, 1}, {-3, 10}, {20, 2}}) << "negative coordinate (x = -3)" << Geometry();
        QTest::newRow("polygon past the right edge")
            << polygon({{1, 1}, {700, 10}, {20, 2}}) << "outside the 640x480 image (x = 700)"
            << Geometry();

        QTest::newRow("mask inside")
            << Geometry(maskWith(QRect(0, 0, 10, 10), {{3, 3}})) << QString()
            << Geometry(maskWith(QRect(0, 0, 10, 10), {{3, 3}}));
        QTest::newRow("mask with nothing on")
            << Geometry(Mask(QRect(0, 0, 10, 10))) << "empty mask" << Geometry();
        QTest::newRow("mask window sticking out, pixels inside, is cropped")
            << Geometry(maskWith(QRect(630, 470, 20, 20), {{639, 479}})) << QString()
            << Geometry(maskWith(QRect(630, 470, 10, 10), {{639, 479}}));
        QTest::newRow("mask with a pixel right of the image")
            << Geometry(maskWith(QRect(630, 0, 20, 20), {{640, 3}})) << "mask outside the image"
            << Geometry();
        QTest::newRow("mask with a pixel above the image")
            << Geometry(maskWith(QRect(0, -5, 20, 20), {{3, -1}})) << "mask outside the image"
            << Geometry();
    }
    void checkShape()
    {
        QFETCH(Geometry, shape);
        QFETCH(QString, message);
        QFETCH(Geometry, after);
        QCOMPARE(salient::checkShape(shape, kImage), message);
        if (message.isEmpty()) {
            QCOMPARE(shape, after);
            if (const Mask *m = std::get_if<Mask>(&shape))
                QVERIFY(QRect(QPoint(0, 0), kImage).contains(m->bounds()));
        }
    }

    // Every pixel of a small odd-sized image, every orientation: the pixel's box,
    // polygon and one-pixel mask land where applyOrientation puts the pixel.
    void everyPixelLandsWhereDecodePutsIt_data()
    {
        QTest::addColumn<int>("orientation");
        const char *names[] = {"",
                               "1 as stored",
                               "2 mirrored left-right",
                               "3 rotated 180",
                               "4 mirrored top-bottom",
                               "5 transposed",
                               "6 rotated 90 cw",
                               "7 transversed",
                               "8 rotated 90 ccw"};
        for (int o = 1; o <= 8; ++o)
            QTest::newRow(names[o]) << o;
    }
    void everyPixelLandsWhereDecodePutsIt()
    {
        QFETCH(int, orientation);
        const int w = 7, h = 4; // stored size; odd and unequal, so swaps and flips all show
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                cv::Mat stored(h, w, CV_8UC1, cv::Scalar(0));
                stored.at<std::uint8_t>(y, x) = 255;
                const cv::Mat shown = applyOrientation(stored, orientation);
                const QPoint at = onlyPixel(shown);
                QVERIFY(at.x() >= 0);
                const QRectF pixel(at, QSizeF(1, 1));

                const Geometry b = toDisplayedFrame(box(x, y, 1, 1), orientation, QSize(w, h));
                QCOMPARE(std::get<Box>(b).rect, pixel);

                const Geometry p = toDisplayedFrame(
                    polygon({{x + 0.0, y + 0.0}, {x + 1.0, y + 0.0}, {x + 1.0, y + 1.0}}),
                    orientation, QSize(w, h));
                QCOMPARE(std::get<Polygon>(p).points.boundingRect(), pixel);

                // A window that is not the whole image, so the window's own move is tested too.
                const Mask m = maskWith(QRect(x, 0, w - x, y + 1), {{x, y}});
                const Geometry mm = toDisplayedFrame(m, orientation, QSize(w, h));
                const Mask &shownMask = std::get<Mask>(mm);
                QCOMPARE(shownMask.area(), 1);
                QVERIFY2(shownMask.at(at.x(), at.y()),
                         qPrintable(QStringLiteral("pixel %1,%2 went elsewhere").arg(x).arg(y)));
                QCOMPARE(shownMask.bounds().size(),
                         orientation >= 5 ? QSize(m.bounds().height(), m.bounds().width())
                                          : m.bounds().size());
            }
        }
    }

    // The same with a real EXIF-tagged JPEG: the marker square in its stored
    // top-left corner, as a box in the stored frame, lands on the red pixels decode shows.
    void markerOfRealJpeg_data() { everyPixelLandsWhereDecodePutsIt_data(); }
    void markerOfRealJpeg()
    {
        QFETCH(int, orientation);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("marked.jpg"));
        const int w = 96, h = 60;
        QVERIFY(test::writeJpeg(file, w, h, 3, orientation));
        auto bytes = readFileBytes(file);
        QVERIFY(bytes.ok());
        auto probe = probeImage(*bytes, file);
        QVERIFY(probe.ok());
        QCOMPARE(probe->orientation, orientation);
        auto shown = decodeImage(file, DecodeOptions{orientation});
        QVERIFY(shown.ok());
        const QRect red = redMarker(*shown);
        const int side = test::markerSide(w, h);
        const Geometry g = toDisplayedFrame(box(0, 0, side, side), orientation,
                                            QSize(probe->storedWidth, probe->storedHeight));
        const QRectF mapped = std::get<Box>(g).rect;
        // JPEG blurs the marker's edge by a pixel at most.
        QVERIFY2(std::abs(mapped.left() - red.left()) <= 1
                     && std::abs(mapped.top() - red.top()) <= 1
                     && std::abs(mapped.right() - (red.right() + 1)) <= 1
                     && std::abs(mapped.bottom() - (red.bottom() + 1)) <= 1,
                 qPrintable(QStringLiteral("box %1,%2 %3x%4, marker %5,%6 %7x%8")
                                               .arg(mapped.x())
                                               .arg(mapped.y())
                                               .arg(mapped.width())
                                               .arg(mapped.height())
                                               .arg(red.x())
                                               .arg(red.y())
                                               .arg(red.width())
                                               .arg(red.height())));
        QVERIFY(QRectF(0, 0, probe->width, probe->height).contains(mapped));
    }
};

QTEST_GUILESS_MAIN(TestShapeCheck)
#include "formats_pipeline_shapecheck.moc"
