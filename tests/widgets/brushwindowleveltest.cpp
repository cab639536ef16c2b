// SPDX-License-Identifier: GPL-3.0-or-later
// The window/level bar: enabled only for 16-bit and grey images, presets,
// spin boxes, and right-button drag on the canvas; display only.
#include "core/imaging/windowlevel.h"
#include "widgets/canvas/windowlevelbar.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QTest>

#include <opencv2/core.hpp>

using namespace salient;

namespace {

/// Counts what reaches the watched widget (what the canvas's tools would see).
class Recorder : public QWidget {
public:
    int presses = 0;
    int contextMenus = 0;

protected:
    void mousePressEvent(QMouseEvent *) override { ++presses; }
    void contextMenuEvent(QContextMenuEvent *) override { ++contextMenus; }
};

cv::Mat twelveBitRamp()
{
    cv::Mat m(64, 256, CV_16UC1);
    for (int r = 0; r < m.rows; ++r)
        for (int c = 0; c < m.cols; ++c)
            m.at<ushort>(r, c) = ushort(c * 16); // 0..4080
    return m;
}

} // namespace

class WindowLevelBarTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void enabledOnlyForDeepOrGreyImages_data();
    void enabledOnlyForDeepOrGreyImages();
    void sixteenBitStartsWithAutoWindowAndRendersOnce();
    void presetAndSpinBoxSetTheWindow();
    void rightDragChangesWindowAndLevel();
    void leftButtonAndColourImagesPassThrough();
};

void WindowLevelBarTest::enabledOnlyForDeepOrGreyImages_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("enabled");
    QTest::newRow("16-bit grey") << int(CV_16UC1) << true;
    QTest::newRow("16-bit colour") << int(CV_16UC3) << true;
    QTest::newRow("8-bit grey") << int(CV_8UC1) << true;
    QTest::newRow("8-bit colour") << int(CV_8UC3) << false;
    QTest::newRow("no image") << -1 << false;
}

void WindowLevelBarTest::enabledOnlyForDeepOrGreyImages()
{
    QFETCH(int, type);
    QFETCH(bool, enabled);
    WindowLevelBar bar;
    bar.setImage(type < 0 ? cv::Mat() : cv::Mat(8, 8, type, cv::Scalar::all(7)));
    QCOMPARE(bar.isApplicable(), enabled);
    QCOMPARE(bar.isEnabled(), enabled);
    QCOMPARE(bar.render().isNull(), !enabled);
}

void WindowLevelBarTest::sixteenBitStartsWithAutoWindowAndRendersOnce()
{
    WindowLevelBar bar;
    QSignalSpy changed(&bar, &WindowLevelBar::windowLevelChanged);
    QSignalSpy display(&bar, &WindowLevelBar::displayChanged);
    const cv::Mat img = twelveBitRamp();
    bar.setImage(img);
    QCOMPARE(bar.currentPresetId(), QStringLiteral("auto"));
    QCOMPARE(bar.windowLevel(), autoWindow(img));
    QCOMPARE(changed.count(), 1);
    // Several changes in one event-loop turn render once.
    bar.setWindowLevel({2000, 1000});
    bar.setWindowLevel({2100, 1000});
    QVERIFY(display.wait(2000));
    QTest::qWait(20);
    QCOMPARE(display.count(), 1);
    const QImage shown = display.at(0).at(0).value<QImage>();
    QCOMPARE(shown.size(), QSize(256, 64));
    // Column 100 holds 1600, below the window 1600..2600: black; column 200 (3200) white.
    QCOMPARE(qGray(shown.pixel(100, 0)), 0);
    QCOMPARE(qGray(shown.pixel(200, 0)), 255);
    // Display only: the pixels handed in are untouched.
    QCOMPARE(int(img.at<ushort>(0, 100)), 1600);
}

void WindowLevelBarTest::presetAndSpinBoxSetTheWindow()
{
    WindowLevelBar bar;
    bar.setImage(twelveBitRamp());
    QSignalSpy changed(&bar, &WindowLevelBar::windowLevelChanged);
    QVERIFY(bar.applyPreset(QStringLiteral("12bit")));
    QCOMPARE(bar.windowLevel().lower(), 0.0);
    QCOMPARE(bar.windowLevel().upper(), 4095.0);
    QCOMPARE(changed.count(), 1);
    auto *combo = bar.findChild<QComboBox *>(QStringLiteral("windowPresets"));
    QVERIFY(combo);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("12bit"));
    QVERIFY(!bar.applyPreset(QStringLiteral("no-such-preset")));

    auto *width = bar.findChild<QDoubleSpinBox *>(QStringLiteral("windowSpin"));
    QVERIFY(width);
    width->setValue(500);
    QCOMPARE(bar.windowLevel().width, 500.0);
    QCOMPARE(bar.currentPresetId(), QString()); // custom now
    QCOMPARE(combo->currentIndex(), -1);
}

void WindowLevelBarTest::rightDragChangesWindowAndLevel()
{
    Recorder canvas;
    canvas.resize(400, 300);
    WindowLevelBar bar;
    bar.setImage(twelveBitRamp());
    bar.installOn(&canvas);
    canvas.show();
    QVERIFY(QTest::qWaitForWindowExposed(&canvas));
    const WindowLevel start = bar.windowLevel();

    QTest::mousePress(&canvas, Qt::RightButton, Qt::NoModifier, QPoint(100, 100));
    QVERIFY(bar.isDragging());
    QTest::mouseMove(&canvas, QPoint(200, 100)); // right: wider window
    QVERIFY(bar.windowLevel().width > start.width);
    QCOMPARE(bar.windowLevel().center, start.center);
    QTest::mouseMove(&canvas, QPoint(200, 150)); // down: higher level
    QTest::mouseRelease(&canvas, Qt::RightButton, Qt::NoModifier, QPoint(200, 150));
    QVERIFY(!bar.isDragging());
    QVERIFY(bar.windowLevel().center > start.center);
    QCOMPARE(bar.windowLevel(), dragWindow(start, 100, 50, 65535));
    QCOMPARE(canvas.presses, 0);      // the tools never saw the right button
    QCOMPARE(canvas.contextMenus, 0); // nor did a context menu open
}

void WindowLevelBarTest::leftButtonAndColourImagesPassThrough()
{
    Recorder canvas;
    canvas.resize(400, 300);
    WindowLevelBar bar;
    bar.setImage(twelveBitRamp());
    bar.installOn(&canvas);
    canvas.show();
    QVERIFY(QTest::qWaitForWindowExposed(&canvas));
    QTest::mouseClick(&canvas, Qt::LeftButton, Qt::NoModifier, QPoint(50, 50));
    QCOMPARE(canvas.presses, 1);
    bar.setImage(cv::Mat(8, 8, CV_8UC3)); // colour photo: no window/level
    QTest::mouseClick(&canvas, Qt::RightButton, Qt::NoModifier, QPoint(50, 50));
    QCOMPARE(canvas.presses, 2);
    QVERIFY(!bar.isDragging());
}

QTEST_MAIN(WindowLevelBarTest)
#include "brushwindowleveltest.moc"
