// SPDX-License-Identifier: GPL-3.0-or-later
// The heatmap view alone: the look re-renders from the kept map (no new
// request), the map lands on the crop the network saw even when the image
// is shown scaled down, and method / layer / class choices become requests.

#include "widgets/heatmapview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

#include <opencv2/core.hpp>

using namespace salient;
using namespace salient::review;

class TestReviewHeatmap : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lookRerendersWithoutARequest_data();
    void lookRerendersWithoutARequest();
    void mapLandsOnTheCropOfAScaledImage();
    void choicesBecomeRequests_data();
    void choicesBecomeRequests();
    void figuresNameTheClasses();
    void anotherImagesExplanationIsIgnored();
};

namespace {

ModelInfo info()
{
    ModelInfo m;
    m.runId = 1;
    m.classNames = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};
    m.layers = {QStringLiteral("layer1"), QStringLiteral("layer2"), QStringLiteral("layer3"), QStringLiteral("layer4")};
    m.defaultLayer = QStringLiteral("layer4");
    return m;
}

cv::Mat greyImage(int w, int h)
{
    return cv::Mat(h, w, CV_8UC3, cv::Scalar(128, 128, 128));
}

Explanation explanationFor(qint64 imageId, QSize size, QRect crop, float value = 1.0f)
{
    Explanation e;
    e.runId = 1;
    e.imageId = imageId;
    e.layer = QStringLiteral("layer4");
    e.predicted = 0;
    e.target = 0;
    e.confidence = 0.9;
    e.targetProbability = 0.9;
    e.map = cv::Mat(7, 7, CV_32FC1, cv::Scalar(value));
    e.map.at<float>(0, 0) = 0.0f; // not flat, so a contour has an edge
    e.imageSize = size;
    e.crop = crop;
    e.deletionScore = 0.125;
    e.deletionCurve = {0.9, 0.4, 0.2, 0.1};
    return e;
}

} // namespace

void TestReviewHeatmap::lookRerendersWithoutARequest_data()
{
    QTest::addColumn<QString>("change");
    QTest::newRow("opacity") << QStringLiteral("opacity");
    QTest::newRow("colour map jet") << QStringLiteral("jet");
    QTest::newRow("colour map viridis") << QStringLiteral("viridis");
    QTest::newRow("contour") << QStringLiteral("contour");
    QTest::newRow("overlay only") << QStringLiteral("overlay");
}

void TestReviewHeatmap::lookRerendersWithoutARequest()
{
    QFETCH(QString, change);
    HeatmapView view;
    view.setModelInfo(info());
    view.setImage(7, greyImage(64, 48), {0});
    view.setExplanation(explanationFor(7, QSize(64, 48), QRect(8, 0, 48, 48), 0.6f));
    QVERIFY(view.hasExplanation());
    QSignalSpy asked(&view, &HeatmapView::requestChanged);
    const QImage before = view.renderedImage();
    const int renders = view.renderCount();
    QVERIFY(before.width() > 2 * HeatmapView::kMinDisplaySide); // side by side, enlarged
    if (change == QLatin1String("opacity"))
        view.opacitySlider()->setValue(10);
    else if (change == QLatin1String("jet"))
        view.colourMapCombo()->setCurrentIndex(1);
    else if (change == QLatin1String("viridis"))
        view.colourMapCombo()->setCurrentIndex(2);
    else if (change == QLatin1String("contour"))
        view.contourCheck()->setChecked(true);
    else
        view.sideBySideCheck()->setChecked(false);
    QVERIFY(view.renderedImage() != before);
    QVERIFY(view.renderCount() > renders);
    QCOMPARE(asked.size(), 0);
    if (change == QLatin1String("overlay"))
        QCOMPARE(view.renderedImage().size(), QSize(384, 288)); // 64 x 48, enlarged 6x
    if (change == QLatin1String("contour")) {
        QVERIFY(view.thresholdSlider()->isEnabled());
        const QImage withContour = view.renderedImage();
        view.thresholdSlider()->setValue(80);
        QVERIFY(view.renderedImage() != withContour);
        QCOMPARE(asked.size(), 0);
    }
}

void TestReviewHeatmap::mapLandsOnTheCropOfAScaledImage()
{
    // A 2560 x 1600 image is kept at 1280 x 800; the network saw the centred
    // 1600 square, so heat covers x in [240, 1040) of the kept image only.
    HeatmapView view;
    view.setModelInfo(info());
    view.setSideBySide(false);
    OverlayStyle style;
    style.opacity = 1.0;
    view.setStyle(style);
    view.setImage(3, greyImage(2560, 1600), {});
    view.setExplanation(explanationFor(3, QSize(2560, 1600), QRect(480, 0, 1600, 1600)));
    const QImage out = view.renderedImage();
    QCOMPARE(out.size(), QSize(1280, 800));
    const QRgb grey = qRgb(128, 128, 128);
    QCOMPARE(out.pixel(100, 400), grey);
    QCOMPARE(out.pixel(1200, 400), grey);
    QVERIFY(out.pixel(640, 400) != grey);
    QVERIFY(out.pixel(300, 700) != grey);
}

void TestReviewHeatmap::choicesBecomeRequests_data()
{
    QTest::addColumn<QString>("choice");
    QTest::addColumn<int>("method");
    QTest::addColumn<QString>("layer");
    QTest::addColumn<int>("target");
    QTest::newRow("LayerCAM") << QStringLiteral("method") << int(CamMethod::LayerCam)
                                                          << QStringLiteral("layer4") << -1;
    QTest::newRow("layer2") << QStringLiteral("layer") << int(CamMethod::GradCam)
                                                       << QStringLiteral("layer2") << -1;
    QTest::newRow("bird") << QStringLiteral("bird") << int(CamMethod::GradCam)
                                                    << QStringLiteral("layer4") << 2;
    QTest::newRow("true class (dog)")
        << QStringLiteral("truth") << int(CamMethod::GradCam) << QStringLiteral("layer4") << 1;
}

void TestReviewHeatmap::choicesBecomeRequests()
{
    QFETCH(QString, choice);
    QFETCH(int, method);
    QFETCH(QString, layer);
    QFETCH(int, target);
    HeatmapView view;
    view.setModelInfo(info());
    view.setImage(5, greyImage(32, 32), {1});
    QCOMPARE(view.layerCombo()->currentData().toString(), QStringLiteral("layer4")); // the default
    QCOMPARE(view.request().targetClass, -1);
    QSignalSpy asked(&view, &HeatmapView::requestChanged);
    if (choice == QLatin1String("method"))
        view.methodCombo()->setCurrentIndex(2);
    else if (choice == QLatin1String("layer"))
        view.layerCombo()->setCurrentIndex(1);
    else if (choice == QLatin1String("bird"))
        view.classCombo()->setCurrentIndex(view.classCombo()->findText(QStringLiteral("bird")));
    else
        view.classCombo()->setCurrentIndex(view.classCombo()->findData(-2));
    QCOMPARE(asked.size(), 1);
    const auto r = asked.at(0).at(0).value<ExplainRequest>();
    QCOMPARE(int(r.method), method);
    QCOMPARE(r.layer, layer);
    QCOMPARE(r.targetClass, target);
    if (choice == QLatin1String("truth")) {
        QVERIFY(view.classCombo()->currentText().contains(QStringLiteral("dog")));
        // The next image's truth is what "true class" asks for then.
        view.setImage(6, greyImage(32, 32), {2});
        QCOMPARE(view.request().targetClass, 2);
        QCOMPARE(asked.size(), 1); // a new image is the owner's to explain
    }
}

void TestReviewHeatmap::figuresNameTheClasses()
{
    HeatmapView view;
    view.setModelInfo(info());
    view.setImage(9, greyImage(32, 32), {1});
    Explanation e = explanationFor(9, QSize(32, 32), QRect(0, 0, 32, 32));
    e.target = 2;
    e.targetProbability = 0.04;
    view.setExplanation(e);
    const QString text = view.predictionLabel()->text();
    QVERIFY2(text.contains(QStringLiteral("cat"))
                           && text.contains(QStringLiteral("bird")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("90.0")));
    QVERIFY(view.deletionLabel()->text().contains(QStringLiteral("0.125")));
}

void TestReviewHeatmap::anotherImagesExplanationIsIgnored()
{
    HeatmapView view;
    view.setModelInfo(info());
    view.setImage(5, greyImage(32, 32), {});
    view.setExplanation(explanationFor(6, QSize(32, 32), QRect(0, 0, 32, 32)));
    QVERIFY(!view.hasExplanation());
    view.setExplanation(explanationFor(5, QSize(32, 32), QRect(0, 0, 32, 32)));
    QVERIFY(view.hasExplanation());
}

QTEST_MAIN(TestReviewHeatmap)
#include "tst_reviewheatmap.moc"
