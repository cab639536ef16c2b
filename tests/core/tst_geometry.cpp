// SPDX-License-Identifier: GPL-3.0-or-later
// Shape geometry: exact storage round trips, rasterisation that matches
// OpenCV's fillPoly, and mask <-> polygon conversions.
#include "core/annotation/geometry.h"
#include "core/annotation/raster.h"

#include <QRandomGenerator>
#include <QtTest>

#include <opencv2/imgproc.hpp>

using namespace salient;

namespace {

Mask randomBlobMask(quint32 seed, const QRect &bounds)
{
    QRandomGenerator rng(seed);
    Mask m(bounds);
    for (int i = 0; i < 6; ++i) {
        const int cx = bounds.left() + int(rng.bounded(bounds.width()));
        const int cy = bounds.top() + int(rng.bounded(bounds.height()));
        const int r = 2 + int(rng.bounded(8));
        for (int y = cy - r; y <= cy + r; ++y)
            for (int x = cx - r; x <= cx + r; ++x)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                    m.set(x, y, true);
    }
    // and some salt, so runs are short as well as long
    for (int i = 0; i < 40; ++i)
        m.set(bounds.left() + int(rng.bounded(bounds.width())), bounds.top() + int(rng.bounded(bounds.height())),
              true);
    return m;
}

} // namespace

class TestGeometry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void geometryRoundTripsExactly_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("sub-pixel box") << 0;
        QTest::newRow("polygon with sub-pixel vertices") << 1;
        QTest::newRow("random mask") << 2;
        QTest::newRow("mask at a negative origin") << 3;
        QTest::newRow("empty mask") << 4;
    }
    void geometryRoundTripsExactly()
    {
        QFETCH(int, which);
        Geometry g;
        switch (which) {
        case 0: g = Box{QRectF(10.25, 3.5, 100.125, 0.75)}; break;
        case 1: g = Polygon{QPolygonF({{1.1, 2.2}, {50.5, 3.3}, {40.75, 60.0625}, {0.0, 33.3333}})}; break;
        case 2: g = randomBlobMask(7, QRect(5, 9, 120, 80)); break;
        case 3: g = randomBlobMask(9, QRect(-20, -4, 64, 48)); break;
        case 4: g = Mask(QRect(0, 0, 30, 30)); break;
        }
        const QByteArray blob = encodeGeometry(g);
        const auto back = decodeGeometry(kindOf(g), blob);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->index(), g.index());
        QVERIFY(back.value() == g);
    }

    void maskStorageIsCompact()
    {
        // A filled 200x200 square in a 4000x3000 window: the blob is a few bytes, not 12 MB.
        Mask m(QRect(0, 0, 4000, 3000));
        for (int y = 1000; y < 1200; ++y)
            for (int x = 2000; x < 2200; ++x)
                m.set(x, y, true);
        const QByteArray blob = encodeGeometry(m);
        QVERIFY2(blob.size() < 1200, qPrintable(QString::number(blob.size())));
        QVERIFY(std::get<Mask>(decodeGeometry(ShapeKind::Mask, blob).value()) == m);
    }

    void corruptBlobsAreErrorsNotCrashes_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("blob");
        QTest::newRow("empty") << int(ShapeKind::Box) << QByteArray();
        QTest::newRow("unknown version") << int(ShapeKind::Box) << QByteArray(33, '\x07');
        QTest::newRow("box cut short") << int(ShapeKind::Box) << QByteArray("\x01\x00\x00", 3);
        QTest::newRow("polygon claims a billion vertices")
            << int(ShapeKind::Polygon) << QByteArray("\x01\xff\xff\xff\xff\x0f", 6);
        QTest::newRow("mask window too large")
            << int(ShapeKind::Mask) << QByteArray("\x01\x00\x00\xff\xff\x7f\xff\xff\x7f\x00", 10);
        QTest::newRow("mask runs overflow the window")
            << int(ShapeKind::Mask) << QByteArray("\x01\x00\x00\x02\x02\x05", 6);
        QTest::newRow("mask runs short of the window")
            << int(ShapeKind::Mask) << QByteArray("\x01\x00\x00\x02\x02\x01\x01", 7);
        QByteArray nan("\x01", 1);
        nan.append(QByteArray("\x00\x00\x00\x00\x00\x00\xf8\x7f", 8).repeated(4));
        QTest::newRow("box with NaN") << int(ShapeKind::Box) << nan;
    }
    void corruptBlobsAreErrorsNotCrashes()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, blob);
        const auto r = decodeGeometry(ShapeKind(kind), blob);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Parse);
        QVERIFY(r.error().message.startsWith(QStringLiteral("corrupt shape data")));
    }

    void polygonRasterMatchesFillPoly_data()
    {
        QTest::addColumn<QPolygonF>("polygon");
        QTest::newRow("integer triangle") << QPolygonF({{10, 10}, {60, 15}, {30, 70}});
        QTest::newRow("sub-pixel concave") << QPolygonF({{5.25, 5.5}, {80.75, 8.125}, {40.5, 30.5}, {78.2, 70.9}, {3.3, 66.6}});
        QTest::newRow("self-intersecting bow tie") << QPolygonF({{0, 0}, {50, 50}, {50, 0}, {0, 50}});
        QTest::newRow("partly outside the image") << QPolygonF({{-20.5, -10}, {120, 30}, {60, 140}});
    }
    void polygonRasterMatchesFillPoly()
    {
        QFETCH(QPolygonF, polygon);
        const QSize size(100, 90);
        const Mask ours = rasterizePolygon(polygon, size);
        // Reference: OpenCV on the whole image, pixel centres on integers.
        cv::Mat ref = cv::Mat::zeros(size.height(), size.width(), CV_8U);
        std::vector<cv::Point> pts;
        for (const QPointF &p : polygon)
            pts.emplace_back(int(std::lround((p.x() - 0.5) * 256)), int(std::lround((p.y() - 0.5) * 256)));
        const cv::Point *ptr = pts.data();
        const int n = int(pts.size());
        cv::fillPoly(ref, &ptr, &n, 1, cv::Scalar(1), cv::LINE_8, 8);
        int differing = 0, on = 0;
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x) {
                on += ref.at<uchar>(y, x);
                differing += ours.at(x, y) != bool(ref.at<uchar>(y, x));
            }
        QVERIFY(on > 100);
        QCOMPARE(differing, 0);
        QVERIFY(ours.bounds().intersected(QRect(QPoint(0, 0), size)) == ours.bounds());
    }

    void boxRasterCoversItsPixelCentres()
    {
        // Box [2, 6) x [3, 5) covers pixel centres x 2.5..5.5, y 3.5..4.5: 4 x 2 pixels.
        const Mask m = rasterizeBox(QRectF(2, 3, 4, 2), QSize(10, 10));
        QCOMPARE(m.tightBounds(), QRect(2, 3, 4, 2));
    }

    void maskToPolygonRoundTrip_data()
    {
        QTest::addColumn<int>("shape");
        QTest::newRow("rectangle") << 0;
        QTest::newRow("disk") << 1;
        QTest::newRow("L shape") << 2;
        QTest::newRow("two separate regions") << 3;
    }
    void maskToPolygonRoundTrip()
    {
        QFETCH(int, shape);
        Mask m(QRect(0, 0, 64, 64));
        auto fill = [&](auto inside) {
            for (int y = 0; y < 64; ++y)
                for (int x = 0; x < 64; ++x)
                    if (inside(x, y))
                        m.set(x, y, true);
        };
        switch (shape) {
        case 0: fill([](int x, int y) { return x >= 5 && x < 40 && y >= 10 && y < 20; }); break;
        case 1: fill([](int x, int y) { return (x - 30) * (x - 30) + (y - 30) * (y - 30) <= 200; }); break;
        case 2: fill([](int x, int y) { return (x >= 5 && x < 15 && y >= 5 && y < 50) || (x >= 5 && x < 50 && y >= 40 && y < 50); }); break;
        case 3: fill([](int x, int y) { return (x < 10 && y < 10) || (x > 40 && y > 40 && x < 63 && y < 63); }); break;
        }
        const auto polys = maskToPolygons(m);
        QCOMPARE(polys.size(), shape == 3 ? 2 : 1);
        Mask back(QRect(0, 0, 64, 64));
        for (const QPolygonF &p : polys)
            back = unite(back, rasterizePolygon(p, QSize(64, 64)));
        QVERIFY(back == m);
    }

    void fillHolesFillsOnlyEnclosedPixels()
    {
        Mask ring(QRect(0, 0, 20, 20));
        for (int y = 2; y < 18; ++y)
            for (int x = 2; x < 18; ++x)
                ring.set(x, y, x < 4 || x > 15 || y < 4 || y > 15);
        QCOMPARE(ring.area(), 16 * 16 - 12 * 12);
        const Mask filled = fillHoles(ring);
        QCOMPARE(filled.area(), 16 * 16);
        QVERIFY(!filled.at(1, 1));
        QVERIFY(filled.at(10, 10));
    }
};

QTEST_GUILESS_MAIN(TestGeometry)
#include "tst_geometry.moc"
