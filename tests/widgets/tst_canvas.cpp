// SPDX-License-Identifier: GPL-3.0-or-later
// Drawing on the real canvas at several zoom levels: the stored shapes have
// the image coordinates under the pointer, whatever the view.
#include "tests/widgets/canvasfixture.h"

#include "core/project/store.h"

#include <QTest>

using namespace salient;
using namespace salient::test;

namespace {

enum class View { Fit, Actual, Zoom3, Zoom3Panned };

/// Sets the view and returns (zoom, pan) computed here from the widget's
/// size, not read back from the canvas, so a wrong transform fails.
QPair<double, QPointF> applyView(AnnotationCanvas &c, View view)
{
    const QSizeF w = c.size();
    switch (view) {
    case View::Fit: {
        c.zoomToFit();
        const double z = std::min((w.width() - 16) / 400.0, (w.height() - 16) / 300.0);
        return {z, QPointF((w.width() - 400 * z) / 2, (w.height() - 300 * z) / 2)};
    }
    case View::Actual:
        c.zoomToFit();
        c.zoomToActual(); // keeps the image centre at the view centre
        return {1.0, QPointF(w.width() / 2 - 200, w.height() / 2 - 150)};
    case View::Zoom3:
        c.zoomToFit();
        c.setZoom(3.0);
        c.centerOn(QPointF(200, 150));
        return {3.0, QPointF(w.width() / 2 - 600, w.height() / 2 - 450)};
    case View::Zoom3Panned:
        c.zoomToFit();
        c.setZoom(3.0);
        c.centerOn(QPointF(120, 90));
        c.panBy(QPointF(-37, 21));
        return {3.0, QPointF(w.width() / 2 - 360 - 37, w.height() / 2 - 270 + 21)};
    }
    return {1.0, QPointF()};
}

QPointF toImage(const QPoint &w, double zoom, const QPointF &pan)
{
    return (QPointF(w) - pan) / zoom;
}

QPoint toWidget(const QPointF &p, double zoom, const QPointF &pan)
{
    const QPointF w = p * zoom + pan;
    return QPoint(int(std::lround(w.x())), int(std::lround(w.y())));
}

bool near(const QPointF &a, const QPointF &b, double eps = 1e-6)
{
    return std::abs(a.x() - b.x()) < eps && std::abs(a.y() - b.y()) < eps;
}

} // namespace

Q_DECLARE_METATYPE(View)

class TestCanvas : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<View>(); }
    void drawBoxAtZoom_data();
    void drawBoxAtZoom();
    void drawPolygonAtZoom_data();
    void drawPolygonAtZoom();
    void polygonBackspaceAndDoubleClick();
    void polygonEscapeDropsIt();
    void tinyDragIsNoBox();
    void boxIsClampedToTheImage();
    void undoAndRedoReachTheStore();
    void toolKeysSwitchTools_data();
    void toolKeysSwitchTools();
    void wheelZoomsAroundTheCursor();
    void spaceDragPansAndSpaceTapMarksDone();
};

void TestCanvas::drawBoxAtZoom_data()
{
    QTest::addColumn<View>("view");
    QTest::addColumn<QPointF>("from");
    QTest::addColumn<QPointF>("to");
    QTest::newRow("fit") << View::Fit << QPointF(40.3, 30.2) << QPointF(210.7, 160.1);
    QTest::newRow("1:1") << View::Actual << QPointF(100, 80) << QPointF(300.5, 250.5);
    QTest::newRow("3x zoom") << View::Zoom3 << QPointF(150.2, 110.4) << QPointF(260.9, 190.3);
    QTest::newRow("3x zoom, panned")
        << View::Zoom3Panned << QPointF(20.5, 10.5) << QPointF(130.25, 140.75);
}

void TestCanvas::drawBoxAtZoom()
{
    QFETCH(View, view);
    QFETCH(QPointF, from);
    QFETCH(QPointF, to);
    CanvasFixture f;
    QVERIFY(f.ok());
    const auto [zoom, pan] = applyView(f.canvas(), view);
    QCOMPARE(f.canvas().zoom(), zoom);
    f.key(Qt::Key_W);
    QCOMPARE(f.canvas().currentToolId(), QStringLiteral("box"));
    f.canvas().setCurrentClassId(f.classId(1));
    const QPoint a = toWidget(from, zoom, pan);
    const QPoint b = toWidget(to, zoom, pan);
    f.drag(a, b);

    const QVector<Shape> shapes = f.storedShapes();
    QCOMPARE(shapes.size(), 1);
    QCOMPARE(shapes[0].classId, f.classId(1));
    const auto *box = std::get_if<Box>(&shapes[0].geometry);
    QVERIFY(box);
    // Sub-pixel: exactly the image point under each pixel the mouse used.
    QVERIFY2(near(box->rect.topLeft(), toImage(a, zoom, pan)),
             qPrintable(QStringLiteral("%1,%2").arg(box->rect.left()).arg(box->rect.top())));
    QVERIFY(near(box->rect.bottomRight(), toImage(b, zoom, pan)));
    // And within half a screen pixel of where the user aimed.
    QVERIFY(near(box->rect.topLeft(), from, 0.5 / zoom + 1e-9));
    QCOMPARE(f.canvas().selection(), QVector<qint64>{shapes[0].id});
}

void TestCanvas::drawPolygonAtZoom_data()
{
    QTest::addColumn<View>("view");
    QTest::newRow("fit") << View::Fit;
    QTest::newRow("1:1") << View::Actual;
    QTest::newRow("3x zoom") << View::Zoom3;
    QTest::newRow("3x zoom, panned") << View::Zoom3Panned;
}

void TestCanvas::drawPolygonAtZoom()
{
    QFETCH(View, view);
    CanvasFixture f;
    QVERIFY(f.ok());
    const auto [zoom, pan] = applyView(f.canvas(), view);
    f.key(Qt::Key_P);
    QCOMPARE(f.canvas().currentToolId(), QStringLiteral("polygon"));
    const QVector<QPointF> aim = {{60.2, 40.1}, {140.6, 50.3}, {150.1, 120.8}, {70.4, 110.5}};
    QVector<QPoint> clicks;
    for (const QPointF &p : aim) {
        clicks.append(toWidget(p, zoom, pan));
        f.click(clicks.last());
    }
    QVERIFY(f.storedShapes().isEmpty()); // nothing until it is closed
    f.key(Qt::Key_Return);
    const QVector<Shape> shapes = f.storedShapes();
    QCOMPARE(shapes.size(), 1);
    const auto *poly = std::get_if<Polygon>(&shapes[0].geometry);
    QVERIFY(poly);
    QCOMPARE(poly->points.size(), 4);
    for (int i = 0; i < 4; ++i)
        QVERIFY2(near(poly->points[i], toImage(clicks[i], zoom, pan)),
                 qPrintable(QString::number(i)));
    QCOMPARE(shapes[0].classId, f.canvas().currentClassId());
}

void TestCanvas::polygonBackspaceAndDoubleClick()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    f.key(Qt::Key_P);
    const QVector<QPointF> aim = {{50, 50}, {150, 50}, {250, 250}, {150, 150}, {60, 140}};
    for (int i = 0; i < 4; ++i)
        f.click(f.toWidget(aim[i]));
    f.key(Qt::Key_Backspace); // takes (150, 150) back
    // The double-click's first click places the last vertex, the second closes.
    f.doubleClick(f.toWidget(aim[4]));
    const QVector<Shape> shapes = f.storedShapes();
    QCOMPARE(shapes.size(), 1);
    const QPolygonF points = std::get<Polygon>(shapes[0].geometry).points;
    QCOMPARE(points.size(), 4);
    QVERIFY(near(points[2], aim[2], 0.5));
    QVERIFY(near(points[3], aim[4], 0.5));
}

void TestCanvas::polygonEscapeDropsIt()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    f.key(Qt::Key_P);
    for (const QPointF &p : {QPointF(50, 50), QPointF(150, 50), QPointF(150, 150)})
        f.click(f.toWidget(p));
    f.key(Qt::Key_Escape);
    f.key(Qt::Key_Return);
    QVERIFY(f.storedShapes().isEmpty());
    QCOMPARE(f.document().undoStack().count(), 0);
}

void TestCanvas::tinyDragIsNoBox()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    f.key(Qt::Key_W);
    const QPoint a = f.toWidget(QPointF(100, 100));
    f.drag(a, a + QPoint(2, 2));
    QVERIFY(f.storedShapes().isEmpty());
}

void TestCanvas::boxIsClampedToTheImage()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    f.key(Qt::Key_W);
    const QPoint outside = f.toWidget(QPointF(-20, -20)); // in the margin around the image
    f.drag(outside, f.toWidget(QPointF(100, 80)));
    const QVector<Shape> shapes = f.storedShapes();
    QCOMPARE(shapes.size(), 1);
    const QRectF r = std::get<Box>(shapes[0].geometry).rect;
    QCOMPARE(r.topLeft(), QPointF(0, 0));
    QVERIFY(near(r.bottomRight(), QPointF(100, 80), 0.5));
}

void TestCanvas::undoAndRedoReachTheStore()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    f.key(Qt::Key_W);
    f.drag(f.toWidget(QPointF(10, 10)), f.toWidget(QPointF(100, 100)));
    f.drag(f.toWidget(QPointF(200, 150)), f.toWidget(QPointF(300, 250)));
    QCOMPARE(f.storedShapes().size(), 2);
    f.key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedShapes().size(), 1);
    f.key(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedShapes().size(), 0);
    f.key(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(f.storedShapes().size(), 1);
    f.key(Qt::Key_Y, Qt::ControlModifier);
    const QVector<Shape> shapes = f.storedShapes();
    QCOMPARE(shapes.size(), 2);
    QVERIFY(near(std::get<Box>(shapes[1].geometry).rect.topLeft(), QPointF(200, 150), 0.5));
}

void TestCanvas::toolKeysSwitchTools_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<QString>("tool");
    QTest::newRow("W box") << int(Qt::Key_W) << QStringLiteral("box");
    QTest::newRow("P polygon") << int(Qt::Key_P) << QStringLiteral("polygon");
    QTest::newRow("B brush") << int(Qt::Key_B) << QStringLiteral("brush");
    QTest::newRow("E eraser") << int(Qt::Key_E) << QStringLiteral("eraser");
    QTest::newRow("V select") << int(Qt::Key_V) << QStringLiteral("select");
}

void TestCanvas::toolKeysSwitchTools()
{
    QFETCH(int, key);
    QFETCH(QString, tool);
    CanvasFixture f;
    QVERIFY(f.ok());
    f.canvas().setTool(tool == QLatin1String("box") ? QStringLiteral("polygon")
                                                    : QStringLiteral("box"));
    f.key(key);
    QCOMPARE(f.canvas().currentToolId(), tool);
    // The tool's action in the tool bar follows.
    for (QAction *a : f.canvas().toolActions())
        QCOMPARE(a->isChecked(), a->data().toString() == tool);
}

void TestCanvas::wheelZoomsAroundTheCursor()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    const QPoint at = f.toWidget(QPointF(123.0, 77.0));
    const QPointF before = f.canvas().widgetToImage(at);
    QWheelEvent wheel(at, f.canvas().mapToGlobal(at), QPoint(), QPoint(0, 120 * 3), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&f.canvas(), &wheel);
    QVERIFY(f.canvas().zoom() > 1.9 * 1.9);
    QVERIFY(!f.canvas().isFitted());
    QVERIFY(near(f.canvas().widgetToImage(at), before, 1e-9));
    f.key(Qt::Key_F);
    QVERIFY(f.canvas().isFitted());
    f.key(Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(f.canvas().zoom(), 1.0);
}

void TestCanvas::spaceDragPansAndSpaceTapMarksDone()
{
    CanvasFixture f;
    QVERIFY(f.ok());
    int done = 0;
    QObject::connect(&f.canvas(), &AnnotationCanvas::markDoneRequested, [&done]() { ++done; });
    f.canvas().setZoom(3.0);
    f.key(Qt::Key_W);
    const QPointF origin = f.canvas().imageToWidget(QPointF(0, 0));
    QTest::keyPress(&f.canvas(), Qt::Key_Space);
    f.drag(QPoint(400, 300), QPoint(350, 280));
    QTest::keyRelease(&f.canvas(), Qt::Key_Space);
    QVERIFY(near(f.canvas().imageToWidget(QPointF(0, 0)), origin + QPointF(-50, -20)));
    QCOMPARE(done, 0);                   // held for panning: not a tap
    QVERIFY(f.storedShapes().isEmpty()); // and the box tool drew nothing
    f.key(Qt::Key_Space);
    QCOMPARE(done, 1);
    // The middle button pans too.
    QTest::mousePress(&f.canvas(), Qt::MiddleButton, {}, QPoint(300, 300));
    QTest::mouseMove(&f.canvas(), QPoint(310, 300));
    QTest::mouseRelease(&f.canvas(), Qt::MiddleButton, {}, QPoint(310, 300));
    QVERIFY(near(f.canvas().imageToWidget(QPointF(0, 0)), origin + QPointF(-40, -20)));
}

QTEST_MAIN(TestCanvas)
#include "tst_canvas.moc"
