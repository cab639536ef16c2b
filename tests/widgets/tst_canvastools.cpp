// SPDX-License-Identifier: GPL-3.0-or-later
// The select tool, class keys, the class picker and the shortcuts dialog on
// the real canvas; every edit is read back from the reopened store.
#include "tests/widgets/canvasfixture.h"

#include "widgets/canvas/canvastool.h"
#include "widgets/canvas/classpicker.h"
#include "widgets/canvas/shortcutsdialog.h"

#include <QLineEdit>
#include <QListWidget>
#include <QTest>

using namespace salient;
using namespace salient::test;

namespace {

QRectF boxOf(const Shape &s)
{
    const auto *b = std::get_if<Box>(&s.geometry);
    return b ? b->rect : QRectF();
}

bool near(const QPointF &a, const QPointF &b, double eps = 1e-6)
{
    return std::abs(a.x() - b.x()) < eps && std::abs(a.y() - b.y()) < eps;
}

} // namespace

class TestCanvasTools : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dragMovesTheBoxByTheImageDelta_data();
    void dragMovesTheBoxByTheImageDelta();
    void handleResizesTheBox_data();
    void handleResizesTheBox();
    void deleteKeyDeletes();
    void shiftClickAndRubberBandSelectSeveral();
    void moveOfSeveralShapesIsOneUndoStep();
    void polygonVertexDragInsertAndRemove();
    void arrowNudgesMergeIntoOneUndo();
    void digitKeysPickTheClassAndRetagTheSelection();
    void hiddenClassIsNeitherDrawnNorPicked();
    void classPickerFiltersAndPicks();
    void shortcutsDialogListsTheCanvasKeys();
};

void TestCanvasTools::dragMovesTheBoxByTheImageDelta_data()
{
    QTest::addColumn<double>("zoom");
    QTest::newRow("fit") << 0.0;
    QTest::newRow("1:1") << 1.0;
    QTest::newRow("3x zoom") << 3.0;
}

void TestCanvasTools::dragMovesTheBoxByTheImageDelta()
{
    QFETCH(double, zoom);
    CanvasFixture f;
    QVERIFY(f.ok());
    if (zoom > 0) {
        f.canvas().setZoom(zoom);
        f.canvas().centerOn(QPointF(150, 120));
    }
    const double z = f.canvas().zoom();
    const qint64 id = f.document().addShape(f.classId(0), Box{QRectF(100, 80, 60, 40)});
    QVERIFY(id);
    f.key(Qt::Key_V);
    const QPoint from = f.toWidget(QPointF(130, 100));
    const QPoint to = from + QPoint(45, -30);
    f.drag(from, to);
    QCOMPARE(f.canvas().selection(), QVector<qint64>{id});
    const QVector<Shape> shapes = f.storedShapes();
    QCOMPARE(shapes.size(), 1);
    QVERIFY(near(boxOf(shapes[0]).topLeft(), QPointF(100 + 45 / z, 80 - 30 / z), 1e-9));
    QCOMPARE(boxOf(shapes[0]).size(), QSizeF(60, 40));
    // One drag, one undo step.
    f.key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(boxOf(f.storedShapes()[0]), QRectF(100, 80, 60, 40));
}

void TestCanvasTools::handleResizesTheBox_data()
{
    QTest::addColumn<QPointF>("handle");
    QTest::addColumn<QPointF>("delta");
    QTest::addColumn<QRectF>("expected");
    QTest::newRow("bottom-right") << QPointF(160, 120) << QPointF(20, 10)
                                  << QRectF(100, 80, 80, 50);
    QTest::newRow("top edge") << QPointF(130, 80) << QPointF(7, -20) << QRectF(100, 60, 60, 60);
    QTest::newRow("left past right flips")
        << QPointF(100, 100) << QPointF(90, 0) << QRectF(160, 80, 30, 40);
}

void TestCanvasTools::handleResizesTheBox()
{
    QFETCH(QPointF, handle);
    QFETCH(QPointF, delta);
    QFETCH(QRectF, expected);
    CanvasFixture f;
    QVERIFY(f.ok());
    f.canvas().setZoom(2.0);
    f.canvas().centerOn(QPointF(130, 100));
    const qint64 id = f.document().addShape(f.classId(0), Box{QRectF(100, 80, 60, 40)});
    f.key(Qt::Key_V);
    f.click(f.toWidget(QPointF(130, 100)));
    QCOMPARE(f.canvas().selection(), QVector<qint64>{id});
    const QPoint from = f.toWidget(handle);
    f.drag(from, from + (delta * 2.0).toPoint());
    const QRectF got = boxOf(f.storedShapes().value(0));
    QVERIFY2(near(got.topLeft(), expected.topLeft(), 1e-9)
                 && near(got.bottomRight(), expected.bottomRight(), 1e-9),
             qPrintable(QStringLiteral("%1,%2 %3x%4") .arg(got.x()).arg(got.y()).arg(got.width()).arg(got.height())));
}

void TestCanvasTools::deleteKeyDeletes()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    const qint64 keep = f.document().addShape(f.classId(0), Box{QRectF(10, 10, 50, 50)});
    f.document().addShape(f.classId(1), Box{QRectF(200, 150, 50, 50)});
    f.key(Qt::Key_V);
    f.click(f.toWidget(QPointF(220, 170)));
    f.key(Qt::Key_Delete);
    QVector<Shape> shapes = f.storedShapes();
    QCOMPARE(shapes.size(), 1);
    QCOMPARE(shapes[0].id, keep);
    QVERIFY(f.canvas().selection().isEmpty());
    f.key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedShapes().size(), 2);
}

void TestCanvasTools::shiftClickAndRubberBandSelectSeveral()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    const qint64 a = f.document().addShape(f.classId(0), Box{QRectF(10, 10, 40, 40)});
    const qint64 b = f.document().addShape(f.classId(0), Box{QRectF(100, 10, 40, 40)});
    const qint64 c = f.document().addShape(f.classId(0), Box{QRectF(300, 200, 40, 40)});
    f.key(Qt::Key_V);
    f.click(f.toWidget(QPointF(30, 30)));
    f.click(f.toWidget(QPointF(120, 30)), Qt::ShiftModifier);
    QCOMPARE(f.canvas().selection(), (QVector<qint64>{a, b}));
    f.click(f.toWidget(QPointF(30, 30)), Qt::ControlModifier);
    QCOMPARE(f.canvas().selection(), QVector<qint64>{b});
    f.drag(f.toWidget(QPointF(5, 5)), f.toWidget(QPointF(150, 60)));
    QCOMPARE(f.canvas().selection(), (QVector<qint64>{a, b}));
    f.key(Qt::Key_Escape);
    QVERIFY(f.canvas().selection().isEmpty());
    Q_UNUSED(c)
}

void TestCanvasTools::moveOfSeveralShapesIsOneUndoStep()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    const qint64 a = f.document().addShape(f.classId(0), Box{QRectF(10, 10, 40, 40)});
    const qint64 b =
        f.document().addShape(f.classId(0), Polygon{QPolygonF({{100, 10}, {140, 10}, {120, 50}})});
    f.key(Qt::Key_V);
    f.canvas().setSelection({a, b});
    const int before = f.document().undoStack().count();
    const QPoint from = f.toWidget(QPointF(30, 30));
    f.drag(from, from + QPoint(40, 40));
    const double d = 40 / f.canvas().zoom();
    QCOMPARE(f.document().undoStack().count(), before + 1);
    const QVector<Shape> shapes = f.storedShapes();
    QVERIFY(near(boxOf(shapes[0]).topLeft(), QPointF(10 + d, 10 + d), 1e-9));
    QVERIFY(near(std::get<Polygon>(shapes[1].geometry).points[0], QPointF(100 + d, 10 + d), 1e-9));
    f.key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(boxOf(f.storedShapes()[0]).topLeft(), QPointF(10, 10));
}

void TestCanvasTools::polygonVertexDragInsertAndRemove()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    f.canvas().setZoom(2.0);
    f.canvas().centerOn(QPointF(150, 100));
    const QPolygonF square({{100, 50}, {200, 50}, {200, 150}, {100, 150}});
    const qint64 id = f.document().addShape(f.classId(0), Polygon{square});
    f.key(Qt::Key_V);
    f.click(f.toWidget(QPointF(150, 100)));
    QCOMPARE(f.canvas().selection(), QVector<qint64>{id});
    auto points = [&f]() {
        const QVector<Shape> shapes = f.storedShapes();
        const auto *p = shapes.isEmpty() ? nullptr : std::get_if<Polygon>(&shapes[0].geometry);
        return p ? p->points : QPolygonF();
    };

    // Drag vertex 2 by (10, 20) image pixels.
    f.drag(f.toWidget(QPointF(200, 150)), f.toWidget(QPointF(210, 170)));
    QCOMPARE(points().value(2), QPointF(210, 170));
    // Double-click on the top edge inserts a vertex there.
    f.doubleClick(f.toWidget(QPointF(150, 50)));
    QCOMPARE(points().size(), 5);
    QCOMPARE(points().value(1), QPointF(150, 50));
    // Alt-click on it removes it again; Del removes the active vertex.
    f.click(f.toWidget(QPointF(150, 50)), Qt::AltModifier);
    QCOMPARE(points().size(), 4);
    f.click(f.toWidget(QPointF(100, 150))); // vertex 3 becomes active
    QCOMPARE(f.canvas().activeHandle(), 3);
    f.key(Qt::Key_Delete);
    QCOMPARE(points().size(), 3);
    QCOMPARE(f.storedShapes().size(), 1); // the vertex went, not the shape
    // A triangle keeps its three vertices.
    f.click(f.toWidget(QPointF(100, 50)));
    f.key(Qt::Key_Delete);
    QCOMPARE(points().size(), 3);
}

void TestCanvasTools::arrowNudgesMergeIntoOneUndo()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    const qint64 id = f.document().addShape(f.classId(0), Box{QRectF(100, 80, 60, 40)});
    f.key(Qt::Key_V);
    f.canvas().setSelection({id});
    const int before = f.document().undoStack().count();
    f.key(Qt::Key_Right);
    f.key(Qt::Key_Right);
    f.key(Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(boxOf(f.storedShapes()[0]).topLeft(), QPointF(102, 90));
    QCOMPARE(f.document().undoStack().count(), before + 1);
    f.key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(boxOf(f.storedShapes()[0]).topLeft(), QPointF(100, 80));
}

void TestCanvasTools::digitKeysPickTheClassAndRetagTheSelection()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    const qint64 id = f.document().addShape(f.classId(0), Box{QRectF(100, 80, 60, 40)});
    f.key(Qt::Key_3);
    QCOMPARE(f.canvas().currentClassId(), f.classId(2));
    QCOMPARE(f.storedShapes()[0].classId, f.classId(0)); // nothing selected: no change
    f.canvas().setSelection({id});
    f.key(Qt::Key_2);
    QCOMPARE(f.storedShapes()[0].classId, f.classId(1));
    QCOMPARE(f.canvas().currentClassId(), f.classId(1));
    f.key(Qt::Key_9); // no ninth class: nothing happens
    QCOMPARE(f.canvas().currentClassId(), f.classId(1));
    f.key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedShapes()[0].classId, f.classId(0));
}

void TestCanvasTools::hiddenClassIsNeitherDrawnNorPicked()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    f.canvas().setFillOpacity(1.0);
    f.canvas().setShowLabels(false);
    f.document().addShape(f.classId(0), Box{QRectF(100, 80, 60, 40)});
    const QPoint inside = f.toWidget(QPointF(130, 100));
    const QColor cat = f.canvas().classColor(f.classId(0));
    QCOMPARE(f.canvas().grab().toImage().pixelColor(inside).name(), cat.name());
    f.canvas().setClassVisible(f.classId(0), false);
    QVERIFY(f.canvas().grab().toImage().pixelColor(inside).name() != cat.name());
    f.key(Qt::Key_V);
    f.click(inside);
    QVERIFY(f.canvas().selection().isEmpty());
}

void TestCanvasTools::classPickerFiltersAndPicks()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    ClassPicker picker;
    QObject::connect(&picker, &ClassPicker::classPicked, &f.canvas(),
                     &AnnotationCanvas::applyClass);
    picker.setClasses(f.canvas().classes(), f.canvas().currentClassId());
    picker.popup(QPoint(10, 10));
    QTest::keyClicks(picker.filterEdit(), QStringLiteral("IR"));
    QCOMPARE(picker.shownIds(), QVector<qint64>{f.classId(2)});
    QTest::keyClick(picker.filterEdit(), Qt::Key_Return);
    QCOMPARE(f.canvas().currentClassId(), f.classId(2));
    QVERIFY(!picker.isVisible());
}

void TestCanvasTools::shortcutsDialogListsTheCanvasKeys()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    ShortcutsDialog dlg;
    dlg.addTools(QStringLiteral("Tools"), f.canvas().tools());
    QList<QAction *> keys = f.canvas().shortcutActions();
    for (QAction *a : f.canvas().toolActions())
        keys.removeAll(a);
    dlg.addActions(QStringLiteral("Canvas"), keys);
    const QString all = dlg.rows().join(QLatin1Char('\n'));
    // Generated from the tools and actions: each key the canvas obeys is there.
    for (CanvasTool *t : f.canvas().tools())
        QVERIFY2(all.contains(t->shortcut().toString(QKeySequence::NativeText) + QLatin1Char('\t')),
                 qPrintable(t->id()));
    for (QAction *a : f.canvas().shortcutActions())
        QVERIFY2(all.contains(a->shortcut().toString(QKeySequence::NativeText)),
                 qPrintable(a->objectName()));
    QVERIFY(all.contains(QStringLiteral("Ctrl+Shift+Z, Ctrl+Y")));
    const QString shots = qEnvironmentVariable("SALIENT_SHOTS");
    if (!shots.isEmpty()) {
        dlg.show();
        dlg.grab().save(shots + QStringLiteral("/shortcuts.png"));
    }
}

QTEST_MAIN(TestCanvasTools)
#include "tst_canvastools.moc"
