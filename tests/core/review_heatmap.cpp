// SPDX-License-Identifier: GPL-3.0-or-later
// Heatmap overlays: the low-resolution map lands on the crop the network saw,
// blending and contours do what the reviewer's slider and checkbox promise,
// and stored maps come back bit for bit (damaged ones are refused).
#include "core/imaging/heatmap.h"

#include <QTest>

#include <opencv2/imgproc.hpp>

#include <cstring>

using namespace salient;

Q_DECLARE_METATYPE(ColourMap)

namespace {

/// A textured BGR image so "unchanged" means something.
cv::Mat texture(int width, int height)
{
    cv::Mat img(height, width, CV_8UC3);
    cv::randu(img, cv::Scalar::all(0), cv::Scalar::all(256));
    return img;
}

int cvMap(ColourMap m)
{
    switch (m) {
    case ColourMap::Turbo:
        return cv::COLORMAP_TURBO;
    case ColourMap::Jet:
        return cv::COLORMAP_JET;
    case ColourMap::Viridis:
        return cv::COLORMAP_VIRIDIS;
    }
    return -1;
}

QByteArray header(quint32 version, quint32 rows, quint32 cols)
{
    QByteArray b("SLMP");
    for (quint32 v : {version, rows, cols})
        for (int i = 0; i < 4; ++i)
            b.append(char((v >> (8 * i)) & 0xff));
    return b;
}

} // namespace

class ReviewHeatmapTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void colourMapNamesRoundTrip()
    {
        for (ColourMap m : {ColourMap::Turbo, ColourMap::Jet, ColourMap::Viridis})
            QCOMPARE(colourMapFromName(colourMapName(m)), std::optional<ColourMap>(m));
        QCOMPARE(colourMapName(ColourMap::Viridis), QStringLiteral("viridis"));
        QCOMPARE(colourMapFromName(QStringLiteral("Jet")),
                                   std::optional<ColourMap>(ColourMap::Jet));
        QVERIFY(!colourMapFromName(QStringLiteral("rainbow")));
    }

    void peakLandsOnItsCellInTheCrop_data()
    {
        QTest::addColumn<QSize>("image");
        QTest::addColumn<QRect>("crop");
        QTest::addColumn<int>("row");
        QTest::addColumn<int>("col");
        QTest::addRow("landscape 300x200, centre square, cell (2,5)")
            << QSize(300, 200) << QRect(50, 0, 200, 200) << 2 << 5;
        QTest::addRow("portrait 120x260, centre square, cell (0,0)")
            << QSize(120, 260) << QRect(0, 70, 120, 120) << 0 << 0;
        QTest::addRow("landscape 641x480 odd margin, cell (6,3)")
            << QSize(641, 480) << QRect(80, 0, 480, 480) << 6 << 3;
    }

    void peakLandsOnItsCellInTheCrop()
    {
        QFETCH(QSize, image);
        QFETCH(QRect, crop);
        QFETCH(int, row);
        QFETCH(int, col);
        cv::Mat low = cv::Mat::zeros(7, 7, CV_32FC1);
        low.at<float>(row, col) = 1.0f;
        const cv::Mat m = mapToImage(low, image, crop);
        QCOMPARE(m.type(), CV_32FC1);
        QCOMPARE(m.cols, image.width());
        QCOMPARE(m.rows, image.height());
        // Every pixel of the hottest plateau lies in that cell's square of the
        // crop (at the image border bilinear interpolation flattens the peak
        // into a plateau reaching the edge; inside, it is the cell's centre).
        double maxValue = 0;
        cv::minMaxLoc(m, nullptr, &maxValue);
        QVERIFY(maxValue > 0.9);
        const double cw = crop.width() / 7.0, ch = crop.height() / 7.0;
        const QRectF cell(crop.x() + col * cw, crop.y() + row * ch, cw, ch);
        int hot = 0;
        for (int y = 0; y < m.rows; ++y)
            for (int x = 0; x < m.cols; ++x)
                if (m.at<float>(y, x) >= 0.99 * maxValue) {
                    ++hot;
                    QVERIFY2(
                        cell.contains(x + 0.5, y + 0.5),
                        qPrintable(QStringLiteral("hot pixel (%1, %2) outside cell %3,%4 %5x%6")
                                                      .arg(x)
                                                      .arg(y)
                                                      .arg(cell.x())
                                                      .arg(cell.y())
                                                      .arg(cell.width())
                                                      .arg(cell.height())));
                }
        QVERIFY(hot > 0);
        // And the cell's centre is hot.
        const QPointF c = cell.center();
        QVERIFY(m.at<float>(int(c.y()), int(c.x())) > 0.8f);
    }

    void zeroOutsideTheCrop_data()
    {
        QTest::addColumn<QSize>("image");
        QTest::addColumn<QRect>("crop");
        QTest::addRow("landscape") << QSize(90, 40) << QRect(25, 0, 40, 40);
        QTest::addRow("portrait") << QSize(40, 90) << QRect(0, 25, 40, 40);
        QTest::addRow("crop hanging over the right edge") << QSize(50, 50) << QRect(30, 10, 40, 30);
    }

    void zeroOutsideTheCrop()
    {
        QFETCH(QSize, image);
        QFETCH(QRect, crop);
        const cv::Mat ones = cv::Mat::ones(4, 4, CV_32FC1);
        const cv::Mat m = mapToImage(ones, image, crop);
        const QRect inside = crop & QRect(QPoint(0, 0), image);
        for (int y = 0; y < m.rows; ++y)
            for (int x = 0; x < m.cols; ++x) {
                const float v = m.at<float>(y, x);
                QVERIFY2(inside.contains(x, y) ? v > 0.999f : v == 0.0f,
                         qPrintable(QStringLiteral("(%1, %2)").arg(x).arg(y)));
            }
    }

    void emptyMapOrCropGivesZeros()
    {
        const cv::Mat a = mapToImage(cv::Mat(), QSize(20, 10), QRect(0, 0, 10, 10));
        QCOMPARE(a.size(), cv::Size(20, 10));
        QCOMPARE(cv::countNonZero(a), 0);
        const cv::Mat b = mapToImage(cv::Mat::ones(3, 3, CV_32FC1), QSize(20, 10), QRect());
        QCOMPARE(cv::countNonZero(b), 0);
    }

    void opacityEnds_data()
    {
        QTest::addColumn<ColourMap>("map");
        QTest::addRow("turbo") << ColourMap::Turbo;
        QTest::addRow("jet") << ColourMap::Jet;
        QTest::addRow("viridis") << ColourMap::Viridis;
    }

    void opacityEnds()
    {
        QFETCH(ColourMap, map);
        const cv::Mat image = texture(60, 40);
        const QRect crop(10, 0, 40, 40);
        cv::Mat low(5, 5, CV_32FC1);
        cv::randu(low, 0.0f, 1.0f);
        const cv::Mat m = mapToImage(low, QSize(60, 40), crop);
        OverlayStyle style;
        style.colourMap = map;

        style.opacity = 0.0;
        auto none = renderOverlay(image, m, style, crop);
        QVERIFY(none.ok());
        QCOMPARE(cv::norm(none.value(), image, cv::NORM_INF), 0.0);

        style.opacity = 1.0;
        auto full = renderOverlay(image, m, style, crop);
        QVERIFY(full.ok());
        cv::Mat m8, colour;
        m.convertTo(m8, CV_8U, 255.0);
        cv::applyColorMap(m8, colour, cvMap(map));
        const cv::Rect c(crop.x(), crop.y(), crop.width(), crop.height());
        QCOMPARE(cv::norm(full.value()(c), colour(c), cv::NORM_INF), 0.0);
        // Pixels the network never saw keep the image.
        QCOMPARE(cv::norm(full.value()(cv::Rect(0, 0, 10, 40)), image(cv::Rect(0, 0, 10, 40)),
                          cv::NORM_INF),
                 0.0);

        style.heatOutsideCrop = true;
        auto everywhere = renderOverlay(image, m, style, crop);
        QVERIFY(everywhere.ok());
        QCOMPARE(cv::norm(everywhere.value(), colour, cv::NORM_INF), 0.0);

        style.opacity = 0.5;
        auto half = renderOverlay(image, m, style, crop);
        QVERIFY(half.ok());
        QVERIFY(cv::norm(half.value(), image, cv::NORM_INF) > 0);
        QVERIFY(cv::norm(half.value(), colour, cv::NORM_INF) > 0);
    }

    void contourOnlyWithAThreshold_data()
    {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<bool>("drawn");
        QTest::addRow("off (-1)") << -1.0 << false;
        QTest::addRow("zero is off") << 0.0 << false;
        QTest::addRow("one is off") << 1.0 << false;
        QTest::addRow("0.5") << 0.5 << true;
        QTest::addRow("0.8") << 0.8 << true;
    }

    void contourOnlyWithAThreshold()
    {
        QFETCH(double, threshold);
        QFETCH(bool, drawn);
        const cv::Mat image(100, 100, CV_8UC3, cv::Scalar(0, 128, 0));
        cv::Mat m = cv::Mat::zeros(100, 100, CV_32FC1);
        cv::circle(m, cv::Point(50, 50), 20, cv::Scalar(1.0), cv::FILLED);
        OverlayStyle style;
        style.opacity = 0.0; // only the contour can change pixels
        style.contourThreshold = threshold;
        auto out = renderOverlay(image, m, style);
        QVERIFY(out.ok());
        cv::Mat diff;
        cv::absdiff(out.value(), image, diff);
        cv::cvtColor(diff, diff, cv::COLOR_BGR2GRAY);
        const int changed = cv::countNonZero(diff);
        QCOMPARE(changed > 0, drawn);
        if (drawn) {
            // White on the outline (radius 20), nothing at the centre or in the corners.
            const cv::Vec3b onEdge = out.value().at<cv::Vec3b>(50, 70);
            QVERIFY2(onEdge[0] > 200 && onEdge[1] > 200 && onEdge[2] > 200,
                     qPrintable(QStringLiteral("edge pixel %1 %2 %3") .arg(onEdge[0]).arg(onEdge[1]).arg(onEdge[2])));
            QCOMPARE(diff.at<uchar>(50, 50), uchar(0));
            QCOMPARE(diff.at<uchar>(5, 5), uchar(0));
        }
    }

    void badOverlayInputIsAnError()
    {
        const cv::Mat image = texture(20, 10);
        QVERIFY(!renderOverlay(image, cv::Mat::zeros(10, 19, CV_32FC1), {}).ok());
        QVERIFY(!renderOverlay(image, cv::Mat::zeros(10, 20, CV_8UC1), {}).ok());
        QVERIFY(!renderOverlay(cv::Mat(), cv::Mat(), {}).ok());
        cv::Mat grey(10, 20, CV_8UC1, cv::Scalar(90));
        auto fromGrey = renderOverlay(grey, cv::Mat::zeros(10, 20, CV_32FC1), {});
        QVERIFY(fromGrey.ok());
        QCOMPARE(fromGrey->type(), CV_8UC3);
    }

    void encodeDecodeIsBitExact_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addRow("7x7 (ResNet layer4)") << 7 << 7;
        QTest::addRow("non-square 10x14") << 10 << 14;
        QTest::addRow("single cell") << 1 << 1;
    }

    void encodeDecodeIsBitExact()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        cv::Mat m(rows, cols, CV_32FC1);
        cv::randu(m, -1.0f, 2.0f);
        m.at<float>(0, 0) = 1.0f / 3.0f;
        if (m.total() > 1)
            m.at<float>(rows - 1, cols - 1) = 1e-42f; // a denormal survives too
        const QByteArray blob = encodeMap(m);
        QCOMPARE(blob.size(), 16 + rows * cols * 4);
        QVERIFY(blob.startsWith("SLMP"));
        auto back = decodeMap(blob);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->type(), CV_32FC1);
        QCOMPARE(back->rows, rows);
        QCOMPARE(back->cols, cols);
        QCOMPARE(std::memcmp(back->data, m.data, m.total() * sizeof(float)), 0);
        QCOMPARE(encodeMap(back.value()), blob);
    }

    void emptyMapRoundTrips()
    {
        auto back = decodeMap(encodeMap(cv::Mat()));
        QVERIFY(back.ok());
        QVERIFY(back->empty());
    }

    void damagedBlobsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("blob");
        cv::Mat m(3, 4, CV_32FC1, cv::Scalar(0.5));
        const QByteArray good = encodeMap(m);
        QTest::addRow("empty") << QByteArray();
        QTest::addRow("garbage") << QByteArray("not a heatmap at all, just text");
        QTest::addRow("truncated by one byte") << good.left(good.size() - 1);
        QTest::addRow("truncated header") << good.left(10);
        QTest::addRow("one byte too many") << good + QByteArray(1, '\0');
        QByteArray magic = good;
        magic[0] = 'X';
        QTest::addRow("wrong magic") << magic;
        QTest::addRow("future version") << header(2, 3, 4) + good.mid(16);
        QTest::addRow("absurd size") << header(1, 100000, 100000);
        QTest::addRow("zero rows, some columns") << header(1, 0, 4);
        QByteArray nan = header(1, 1, 1);
        nan.append("\x00\x00\xc0\x7f", 4);
        QTest::addRow("NaN value") << nan;
    }

    void damagedBlobsAreRefused()
    {
        QFETCH(QByteArray, blob);
        auto r = decodeMap(blob);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("heatmap")));
    }

    void qImageConversionsKeepColours()
    {
        cv::Mat bgr(2, 3, CV_8UC3, cv::Scalar(255, 0, 0)); // blue
        bgr.at<cv::Vec3b>(1, 2) = cv::Vec3b(0, 0, 255);    // red
        const QImage img = bgrToQImage(bgr);
        QCOMPARE(img.size(), QSize(3, 2));
        QCOMPARE(img.pixelColor(0, 0), QColor(Qt::blue));
        QCOMPARE(img.pixelColor(2, 1), QColor(Qt::red));
        const cv::Mat back = qImageToBgr(img);
        QCOMPARE(cv::norm(back, bgr, cv::NORM_INF), 0.0);
    }

    void sideBySideAndColourBar()
    {
        const cv::Mat a = texture(30, 20), b = texture(40, 25);
        const cv::Mat both = sideBySide(a, b, 8);
        QCOMPARE(both.size(), cv::Size(78, 25));
        QCOMPARE(cv::norm(both(cv::Rect(0, 0, 30, 20)), a, cv::NORM_INF), 0.0);
        QCOMPARE(cv::norm(both(cv::Rect(38, 0, 40, 25)), b, cv::NORM_INF), 0.0);

        const cv::Mat bar = colourBar(ColourMap::Jet, 64, 8);
        QCOMPARE(bar.size(), cv::Size(64, 8));
        cv::Mat ends(1, 2, CV_8UC1), colours;
        ends.at<uchar>(0, 0) = 0;
        ends.at<uchar>(0, 1) = 255;
        cv::applyColorMap(ends, colours, cv::COLORMAP_JET);
        QCOMPARE(bar.at<cv::Vec3b>(4, 0), colours.at<cv::Vec3b>(0, 0));
        QCOMPARE(bar.at<cv::Vec3b>(4, 63), colours.at<cv::Vec3b>(0, 1));
        const cv::Mat vertical = colourBar(ColourMap::Jet, 6, 50);
        QCOMPARE(vertical.at<cv::Vec3b>(49, 3), colours.at<cv::Vec3b>(0, 0)); // low at the bottom
    }
};

QTEST_GUILESS_MAIN(ReviewHeatmapTest)
#include "review_heatmap.moc"
