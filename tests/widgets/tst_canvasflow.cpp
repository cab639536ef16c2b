// SPDX-License-Identifier: GPL-3.0-or-later
// The annotate mode of the studio: opened from the browser, A/D through the
// images with each image's history kept, Space marks done, the first edit
// puts an image in progress, tag chips, and Edit > Undo on the right stack.
#include "tests/widgets/browserfixture.h"

#include "core/annotation/raster.h"
#include "core/document/annotationdocument.h"
#include "core/project/store.h"
#include "widgets/canvas/annotateview.h"
#include "widgets/canvas/annotationcanvas.h"
#include "widgets/canvas/classpicker.h"
#include "widgets/canvas/tagbar.h"
#include "widgets/thumbnailgrid.h"

#include <QComboBox>
#include <QLineEdit>

#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include <cmath>

using namespace salient;
using namespace salient::test;

namespace {

QVector<Shape> storedShapes(BrowserFixture &f, qint64 imageId)
{
    return f.reader()->shapes(imageId).valueOr({});
}

ImageStatus storedStatus(BrowserFixture &f, qint64 imageId)
{
    auto r = f.reader()->image(imageId);
    return r.ok() ? r->status : ImageStatus::New;
}

QPoint at(AnnotationCanvas *c, const QPointF &p)
{
    const QPointF w = c->imageToWidget(p);
    return QPoint(int(std::lround(w.x())), int(std::lround(w.y())));
}

void drawBox(AnnotationCanvas *c, const QPointF &from, const QPointF &to)
{
    QTest::keyClick(c, Qt::Key_W);
    QTest::mousePress(c, Qt::LeftButton, {}, at(c, from));
    QTest::mouseMove(c, at(c, (from + to) / 2));
    QTest::mouseMove(c, at(c, to));
    QTest::mouseRelease(c, Qt::LeftButton, {}, at(c, to));
}

} // namespace

class TestCanvasFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { isolateSettings(); }
    void annotateOpensTheCurrentImage();
    void previousNextKeepEachImagesHistory();
    void spaceMarksDoneAndFirstEditMeansInProgress();
    void editUndoActsOnTheAnnotatedImage();
    void tagChipsToggleImageLabels();
    void escapeGoesBackToTheGrid();
    void classPickerKeyRetagsTheSelection();
    void shapeMenuConvertsTheSelection();
};

void TestCanvasFlow::annotateOpensTheCurrentImage()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(3);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(f.window().isAnnotating());
    AnnotateView *view = f.window().annotateView();
    QCOMPARE(view->imageId(), f.imageIds().at(3));
    QTRY_VERIFY(view->isImageReady());
    QCOMPARE(view->canvas()->imageSize(), QSize(48, 32));
    QVERIFY(view->canvas()->hasFocus());
    const QString dir = qEnvironmentVariable("SALIENT_SHOTS");
    if (!dir.isEmpty())
        f.window().grab().save(dir + QStringLiteral("/annotate.png"));
}

void TestCanvasFlow::previousNextKeepEachImagesHistory()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(2);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    AnnotateView *view = f.window().annotateView();
    AnnotationCanvas *c = view->canvas();
    QTRY_VERIFY(view->isImageReady());
    drawBox(c, QPointF(4, 4), QPointF(30, 20));
    QCOMPARE(storedShapes(f, f.imageIds().at(2)).size(), 1);

    f.press(Qt::Key_D);
    QCOMPARE(view->imageId(), f.imageIds().at(3));
    QCOMPARE(f.window().grid()->currentId(), f.imageIds().at(3));
    drawBox(c, QPointF(10, 10), QPointF(40, 30));
    f.press(Qt::Key_A);
    QCOMPARE(view->imageId(), f.imageIds().at(2));
    // Back on image 2 its history is there: Ctrl+Z undoes its box, not image 3's.
    QCOMPARE(view->undoStack()->count(), 1);
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(storedShapes(f, f.imageIds().at(2)).size(), 0);
    QCOMPARE(storedShapes(f, f.imageIds().at(3)).size(), 1);
    f.press(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(storedShapes(f, f.imageIds().at(2)).size(), 1);
    // A at the first image stays there.
    f.window().closeViewer();
    f.clickRow(0);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    f.press(Qt::Key_A);
    QCOMPARE(view->imageId(), f.imageIds().at(0));
}

void TestCanvasFlow::spaceMarksDoneAndFirstEditMeansInProgress()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(5);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    AnnotateView *view = f.window().annotateView();
    QTRY_VERIFY(view->isImageReady());
    const qint64 id = f.imageIds().at(5);
    QCOMPARE(storedStatus(f, id), ImageStatus::New);
    drawBox(view->canvas(), QPointF(4, 4), QPointF(30, 20));
    QCOMPARE(storedStatus(f, id), ImageStatus::InProgress);
    QCOMPARE(view->statusBox()->currentIndex(), int(ImageStatus::InProgress));
    f.press(Qt::Key_Space);
    QCOMPARE(storedStatus(f, id), ImageStatus::Done);
    QCOMPARE(view->statusBox()->currentIndex(), int(ImageStatus::Done));
    // Marking done is in the image's history too.
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(storedStatus(f, id), ImageStatus::InProgress);
    QCOMPARE(storedShapes(f, id).size(), 1);
    // The browser's status filter sees it.
    f.press(Qt::Key_Space);
    ImageFilter done;
    done.status = ImageStatus::Done;
    QCOMPARE(f.reader()->imageIds(done).valueOr({}), QVector<qint64>{id});
}

void TestCanvasFlow::editUndoActsOnTheAnnotatedImage()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    // A label edit in the browser goes on the browser's stack.
    f.clickRow(1);
    f.press(Qt::Key_1);
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{f.classId("cat")});
    f.press(Qt::Key_Return, Qt::ControlModifier);
    AnnotateView *view = f.window().annotateView();
    QTRY_VERIFY(view->isImageReady());
    drawBox(view->canvas(), QPointF(4, 4), QPointF(30, 20));
    QCOMPARE(f.window().activeUndoStack(), view->undoStack());
    // The menu's Undo (not the canvas's key) undoes the box, not the label.
    QAction *undo = nullptr;
    for (QAction *a : f.window().actions())
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_Z))
            undo = a;
    QVERIFY(undo);
    QVERIFY(undo->isEnabled());
    undo->trigger();
    QCOMPARE(storedShapes(f, f.imageIds().at(1)).size(), 0);
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{f.classId("cat")});
    // Back in the browser, Undo is about labels again.
    f.press(Qt::Key_Escape);
    QVERIFY(!f.window().isAnnotating());
    QCOMPARE(f.window().activeUndoStack(), f.window().undoStack());
    undo->trigger();
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{});
}

void TestCanvasFlow::tagChipsToggleImageLabels()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(4);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    AnnotateView *view = f.window().annotateView();
    QToolButton *dog = view->tagBar()->chip(f.classId("dog"));
    QVERIFY(dog);
    QVERIFY(!dog->isChecked());
    QTest::mouseClick(dog, Qt::LeftButton);
    QCOMPARE(f.storedLabels(f.imageIds().at(4)), QVector<qint64>{f.classId("dog")});
    QVERIFY(dog->isChecked());
    QTest::mouseClick(dog, Qt::LeftButton);
    QCOMPARE(f.storedLabels(f.imageIds().at(4)), QVector<qint64>{});
    QVERIFY(!dog->isChecked());
}

void TestCanvasFlow::escapeGoesBackToTheGrid()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(2);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    AnnotateView *view = f.window().annotateView();
    QTRY_VERIFY(view->isImageReady());
    drawBox(view->canvas(), QPointF(4, 4), QPointF(30, 20));
    // The first Esc clears the selection the new box got, the second leaves.
    f.press(Qt::Key_Escape);
    QVERIFY(f.window().isAnnotating());
    QVERIFY(view->canvas()->selection().isEmpty());
    f.press(Qt::Key_Escape);
    QVERIFY(!f.window().isAnnotating());
    QCOMPARE(f.window().grid()->currentId(), f.imageIds().at(2));
}

void TestCanvasFlow::classPickerKeyRetagsTheSelection()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(2);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    AnnotateView *view = f.window().annotateView();
    QTRY_VERIFY(view->isImageReady());
    drawBox(view->canvas(), QPointF(4, 4), QPointF(30, 20)); // selected, class "cat"
    QTest::keyClick(view->canvas(), Qt::Key_C);
    ClassPicker *picker = view->classPicker();
    QVERIFY(picker->isVisible());
    QTest::keyClicks(picker->filterEdit(), QStringLiteral("BIR"));
    QTest::keyClick(picker->filterEdit(), Qt::Key_Return);
    QVERIFY(!picker->isVisible());
    QCOMPARE(view->canvas()->currentClassId(), f.classId("bird"));
    const QVector<Shape> shapes = storedShapes(f, f.imageIds().at(2));
    QCOMPARE(shapes.size(), 1);
    QCOMPARE(shapes[0].classId, f.classId("bird"));
}

void TestCanvasFlow::shapeMenuConvertsTheSelection()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(1);
    f.press(Qt::Key_Return, Qt::ControlModifier);
    AnnotateView *view = f.window().annotateView();
    QTRY_VERIFY(view->isImageReady());
    QAction *toMasks = view->maskAction(QStringLiteral("toMasks"));
    QAction *toPolygons = view->maskAction(QStringLiteral("toPolygons"));
    QVERIFY(toMasks && toPolygons);
    QVERIFY(!toMasks->isEnabled()); // nothing selected yet
    drawBox(view->canvas(), QPointF(4, 4), QPointF(30, 20)); // the new box is selected
    QVERIFY(toMasks->isEnabled());
    QVERIFY(!toPolygons->isEnabled());
    const qint64 image = f.imageIds().at(1);
    const QRectF box = std::get<Box>(storedShapes(f, image).at(0).geometry).rect;

    toMasks->trigger();
    QVector<Shape> shapes = storedShapes(f, image);
    QCOMPARE(shapes.size(), 1);
    QCOMPARE(shapes[0].kind(), ShapeKind::Mask);
    QVERIFY(std::get<Mask>(shapes[0].geometry) == rasterizeBox(box, QSize(48, 32)));
    QVERIFY(toPolygons->isEnabled());

    toPolygons->trigger();
    shapes = storedShapes(f, image);
    QCOMPARE(shapes.size(), 1);
    QCOMPARE(shapes[0].kind(), ShapeKind::Polygon);

    // Each conversion is one undo step: two Ctrl+Z give the box back.
    QTest::keyClick(view->canvas(), Qt::Key_Z, Qt::ControlModifier);
    QTest::keyClick(view->canvas(), Qt::Key_Z, Qt::ControlModifier);
    shapes = storedShapes(f, image);
    QCOMPARE(shapes.size(), 1);
    QCOMPARE(shapes[0].kind(), ShapeKind::Box);
}

QTEST_MAIN(TestCanvasFlow)
#include "tst_canvasflow.moc"
