// SPDX-License-Identifier: GPL-3.0-or-later
// The class balance and augmentation preview docks in the main window: keys
// open them, the chart's request filters the grid, the preview follows the
// current image.

#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/widgets/browserfixture.h"
#include "widgets/augmentpreview.h"
#include "widgets/balanceview.h"
#include "widgets/filterbar.h"
#include "widgets/thumbnailgrid.h"

#include <QAction>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTest>

using namespace salient;

class TestAnalysisDocks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void balanceDockFiltersTheBrowser();
    void previewFollowsTheCurrentImage();
};

void TestAnalysisDocks::balanceDockFiltersTheBrowser()
{
    test::BrowserFixture f(12);
    QVERIFY(f.ok());
    MainWindow &w = f.window();
    ProjectStore *store = w.store();
    const qint64 cat = f.classId("cat");
    const qint64 train = store->ensureSplit("train").value();
    QVector<LabelSet> sets;
    for (int i = 0; i < 5; ++i)
        sets << LabelSet{f.imageIds().at(i), {cat}};
    QVERIFY(store->setLabels(sets).ok());
    QVERIFY(store->assignSplit(f.imageIds().mid(0, 3) + f.imageIds().mid(6, 2), train).ok());

    QVERIFY(!w.balanceDock()->isVisible());
    f.press(Qt::Key_F7);
    QTRY_VERIFY(w.balanceDock()->isVisible());
    QTRY_COMPARE(w.balanceView()->report().classes.size(), 3);

    // The chart asks for cat in train: the grid shows exactly those 3 images.
    Q_EMIT w.balanceView()->filterRequested(cat, train);
    QTRY_COMPARE(w.imageModel()->rowCount(), 3);
}

void TestAnalysisDocks::previewFollowsTheCurrentImage()
{
    test::BrowserFixture f(6);
    QVERIFY(f.ok());
    MainWindow &w = f.window();
    QSignalSpy rendered(w.augmentPreview(), &AugmentPreview::rendered);
    f.press(Qt::Key_F8);
    QTRY_VERIFY(w.augmentDock()->isVisible());
    QVERIFY(rendered.wait(5000)); // the current image's variants
    QCOMPARE(w.augmentPreview()->variants().size(), 8);
    const QImage first = w.augmentPreview()->variants().first();
    f.clickRow(3);
    QVERIFY(rendered.wait(5000));
    QVERIFY(w.augmentPreview()->variants().first() != first);
}

QTEST_MAIN(TestAnalysisDocks)
#include "tst_analysisdocks.moc"
