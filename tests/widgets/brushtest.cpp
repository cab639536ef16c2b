// SPDX-License-Identifier: GPL-3.0-or-later
// Brush and eraser on the real canvas, driven with QTest mouse and key
// events (offscreen), read back from the store after reopening; and the mask
// conversions as document edits.
#include "core/annotation/raster.h"
#include "core/document/annotationdocument.h"
#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"
#include "widgets/canvas/annotationcanvas.h"
#include "widgets/canvas/brushtool.h"
#include "widgets/canvas/maskops.h"

#include <QTest>

#include <cmath>
#include <memory>

using namespace salient;

namespace {

constexpr int kWidth = 200;
constexpr int kHeight = 150;

/// The pixels a stroke through `points` must cover, computed the plain way:
/// every pixel whose centre is within `radius` of the polyline.
Mask expectedStroke(const QVector<QPointF> &points, double radius)
{
    Mask m(QRect(0, 0, kWidth, kHeight));
    for (int j = 0; j < kHeight; ++j) {
        for (int i = 0; i < kWidth; ++i) {
            const QPointF c(i + 0.5, j + 0.5);
            for (int k = 0; k < points.size(); ++k) {
                const QPointF a = points[k], b = points[std::min(k + 1, int(points.size()) - 1)];
                const QPointF ab = b - a;
                const double len2 = QPointF::dotProduct(ab, ab);
                const double t =
                    len2 > 0 ? std::clamp(QPointF::dotProduct(c - a, ab) / len2, 0.0, 1.0) : 0.0;
                const QPointF d = c - (a + t * ab);
                if (QPointF::dotProduct(d, d) <= radius * radius) {
                    m.set(i, j, true);
                    break;
                }
            }
        }
    }
    return m;
}

Mask minus(const Mask &a, const Mask &b)
{
    Mask out = a;
    for (int y = a.bounds().top(); y <= a.bounds().bottom(); ++y)
        for (int x = a.bounds().left(); x <= a.bounds().right(); ++x)
            if (b.at(x, y))
                out.set(x, y, false);
    return out;
}

} // namespace

class BrushTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void brushStrokeCreatesOneMaskOfTheDiscs_data();
    void brushStrokeCreatesOneMaskOfTheDiscs();
    void nextStrokeExtendsTheSelectedMask();
    void eraserRemovesPixels();
    void eraserDeletesAMaskErasedToNothing();
    void bracketsChangeTheRadius();
    void oneUndoRemovesTheWholeStroke();
    void escapeDropsTheStroke();
    void polygonToMaskEqualsRasterizePolygon();
    void maskToPolygonToMaskRoundTrip();
    void fillHolesKeepsTheShape();

private:
    /// Drags the left button through image points (as the canvas maps them
    /// to widget pixels); returns the image points the canvas really saw.
    QVector<QPointF> drag(const QVector<QPointF> &imagePoints);
    QVector<Shape> storedShapesAfterReopen();

    std::unique_ptr<test::TempProject> m_project;
    std::unique_ptr<AnnotationDocument> m_doc;
    std::unique_ptr<AnnotationCanvas> m_canvas;
    qint64 m_imageId = 0;
    qint64 m_classA = 0;
    qint64 m_classB = 0;
};

void BrushTest::init()
{
    m_project = std::make_unique<test::TempProject>();
    const QString file = m_project->path(QStringLiteral("scan.png"));
    QVERIFY(test::writePng(file, kWidth, kHeight, 1));
    NewImage img;
    img.absolutePath = file;
    img.width = kWidth;
    img.height = kHeight;
    img.format = QStringLiteral("png");
    img.channels = 1;
    auto ids = m_project->store().addImages({img});
    QVERIFY(ids.ok());
    m_imageId = ids->first();
    m_classA = m_project->store().addClass(QStringLiteral("lesion")).valueOr(0);
    m_classB = m_project->store().addClass(QStringLiteral("organ")).valueOr(0);
    QVERIFY(m_classA && m_classB);

    auto doc = AnnotationDocument::load(m_project->store(), m_imageId);
    QVERIFY2(doc.ok(), qPrintable(doc.ok() ? QString() : doc.error().toString()));
    m_doc = std::move(doc.value());
    QCOMPARE(m_doc->imageSize(), QSize(kWidth, kHeight));

    m_canvas = std::make_unique<AnnotationCanvas>();
    m_canvas->resize(2 * kWidth, 2 * kHeight); // fitted: zoom 2
    m_canvas->setClasses(m_project->store().classes().valueOr({}));
    m_canvas->setCurrentClassId(m_classA);
    m_canvas->addTool(new BrushTool(m_canvas.get(), false));
    m_canvas->addTool(new BrushTool(m_canvas.get(), true));
    m_canvas->setDocument(m_doc.get());
    QImage pixels(kWidth, kHeight, QImage::Format_Grayscale8);
    pixels.fill(90);
    m_canvas->setImage(pixels);
    m_canvas->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_canvas.get()));
    m_canvas->setFocus();
    QVERIFY(m_canvas->setTool(QStringLiteral("brush")));
    m_canvas->setBrushRadius(5.3);
}

void BrushTest::cleanup()
{
    m_canvas.reset();
    m_doc.reset();
    m_project.reset();
}

QVector<QPointF> BrushTest::drag(const QVector<QPointF> &imagePoints)
{
    QVector<QPointF> seen;
    for (int i = 0; i < imagePoints.size(); ++i) {
        const QPoint w = m_canvas->imageToWidget(imagePoints[i]).toPoint();
        seen.append(m_canvas->widgetToImage(QPointF(w)));
        if (i == 0)
            QTest::mousePress(m_canvas.get(), Qt::LeftButton, Qt::NoModifier, w);
        else
            QTest::mouseMove(m_canvas.get(), w);
    }
    const QPoint last = m_canvas->imageToWidget(imagePoints.last()).toPoint();
    QTest::mouseRelease(m_canvas.get(), Qt::LeftButton, Qt::NoModifier, last);
    return seen;
}

QVector<Shape> BrushTest::storedShapesAfterReopen()
{
    m_canvas->setDocument(nullptr);
    m_doc.reset();
    auto shapes = m_project->reopen().shapes(m_imageId);
    if (!shapes.ok())
        qWarning("%s", qPrintable(shapes.error().toString()));
    return shapes.valueOr({});
}

void BrushTest::brushStrokeCreatesOneMaskOfTheDiscs_data()
{
    QTest::addColumn<double>("zoom");
    QTest::newRow("fitted (2x)") << 0.0;
    QTest::newRow("1:1") << 1.0;
    QTest::newRow("3.5x") << 3.5;
}

void BrushTest::brushStrokeCreatesOneMaskOfTheDiscs()
{
    QFETCH(double, zoom);
    if (zoom > 0) {
        m_canvas->setZoom(zoom);
        m_canvas->centerOn(QPointF(60, 60));
    }
    // A slow part and one fast jump: the jump must leave no gap.
    const QVector<QPointF> seen =
        drag({{40.2, 50.7}, {42.0, 52.0}, {45.5, 55.5}, {80.0, 70.0}, {82.0, 90.0}});
    QCOMPARE(m_doc->shapes().size(), 1);
    QCOMPARE(m_doc->undoStack().count(), 1);
    const QVector<Shape> stored = storedShapesAfterReopen();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().classId, m_classA);
    QCOMPARE(stored.first().kind(), ShapeKind::Mask);
    const Mask &got = std::get<Mask>(stored.first().geometry);
    const Mask want = expectedStroke(seen, 5.3);
    QVERIFY(want.area() > 500);
    QCOMPARE(got.area(), want.area());
    QVERIFY(got == want);
    // Stored compactly: the window is the stroke's, not the image's.
    QCOMPARE(got.bounds(), want.tightBounds());
}

void BrushTest::nextStrokeExtendsTheSelectedMask()
{
    const QVector<QPointF> first = drag({{30, 30}, {50, 30}});
    QCOMPARE(m_canvas->selection().size(), 1);
    const QVector<QPointF> second = drag({{30, 100}, {60, 110}});
    QCOMPARE(m_doc->shapes().size(), 1);
    QCOMPARE(m_doc->undoStack().count(), 2);
    // Another class starts its own mask.
    m_canvas->setCurrentClassId(m_classB);
    drag({{150, 40}, {160, 40}});
    QCOMPARE(m_doc->shapes().size(), 2);

    const QVector<Shape> stored = storedShapesAfterReopen();
    QCOMPARE(stored.size(), 2);
    const Mask &a = std::get<Mask>(stored.first().geometry);
    QVERIFY(a == unite(expectedStroke(first, 5.3), expectedStroke(second, 5.3)));
    QCOMPARE(stored.at(1).classId, m_classB);
}

void BrushTest::eraserRemovesPixels()
{
    const QVector<QPointF> painted = drag({{40, 40}, {120, 40}});
    m_canvas->setSelection({}); // erase from every visible mask
    QTest::keyClick(m_canvas.get(), Qt::Key_E);
    QCOMPARE(m_canvas->currentToolId(), QStringLiteral("eraser"));
    m_canvas->setBrushRadius(3.2);
    const QVector<QPointF> erased = drag({{80, 20}, {80, 60}});
    QCOMPARE(m_doc->undoStack().count(), 2);

    const QVector<Shape> stored = storedShapesAfterReopen();
    QCOMPARE(stored.size(), 1);
    const Mask &got = std::get<Mask>(stored.first().geometry);
    const Mask want = minus(expectedStroke(painted, 5.3), expectedStroke(erased, 3.2));
    QVERIFY(got.area() < expectedStroke(painted, 5.3).area());
    QVERIFY(!got.at(80, 40));
    QVERIFY(got == want);
}

void BrushTest::eraserDeletesAMaskErasedToNothing()
{
    drag({{40, 40}, {45, 40}});
    m_canvas->setTool(QStringLiteral("eraser"));
    m_canvas->setBrushRadius(20);
    drag({{30, 40}, {60, 40}});
    QCOMPARE(m_doc->shapes().size(), 0);
    QVERIFY(storedShapesAfterReopen().isEmpty());
}

void BrushTest::bracketsChangeTheRadius()
{
    m_canvas->setBrushRadius(8);
    QTest::keyClick(m_canvas.get(), Qt::Key_BracketRight);
    QCOMPARE(m_canvas->brushRadius(), 10.0);
    QTest::keyClick(m_canvas.get(), Qt::Key_BracketLeft);
    QTest::keyClick(m_canvas.get(), Qt::Key_BracketLeft);
    QCOMPARE(m_canvas->brushRadius(), 6.4);
    // Small brushes step by at least a pixel, and never vanish.
    m_canvas->setBrushRadius(1.5);
    QTest::keyClick(m_canvas.get(), Qt::Key_BracketLeft);
    QCOMPARE(m_canvas->brushRadius(), 0.5);
    QTest::keyClick(m_canvas.get(), Qt::Key_BracketLeft);
    QCOMPARE(m_canvas->brushRadius(), 0.5);
    // The next stroke uses the new size.
    m_canvas->setBrushRadius(4);
    QTest::keyClick(m_canvas.get(), Qt::Key_BracketRight);
    const QVector<QPointF> seen = drag({{100, 75}});
    QCOMPARE(m_doc->shapes().size(), 1);
    QVERIFY(std::get<Mask>(m_doc->shapes().first().geometry) == expectedStroke(seen, 5.0));
}

void BrushTest::oneUndoRemovesTheWholeStroke()
{
    QVector<QPointF> path;
    for (int i = 0; i < 40; ++i)
        path.append(QPointF(20 + i * 3, 40 + (i % 7)));
    drag(path);
    QCOMPARE(m_doc->undoStack().count(), 1);
    QCOMPARE(m_doc->shapes().size(), 1);
    QTest::keyClick(m_canvas.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_doc->shapes().size(), 0);
    QVERIFY(m_project->store().shapes(m_imageId).valueOr({}).isEmpty());
    QTest::keyClick(m_canvas.get(), Qt::Key_Y, Qt::ControlModifier); // redo
    QCOMPARE(m_doc->shapes().size(), 1);
    QCOMPARE(storedShapesAfterReopen().size(), 1);
}

void BrushTest::escapeDropsTheStroke()
{
    const QPoint a = m_canvas->imageToWidget(QPointF(50, 50)).toPoint();
    const QPoint b = m_canvas->imageToWidget(QPointF(90, 60)).toPoint();
    QTest::mousePress(m_canvas.get(), Qt::LeftButton, Qt::NoModifier, a);
    QTest::mouseMove(m_canvas.get(), b);
    auto *tool = qobject_cast<BrushTool *>(m_canvas->currentTool());
    QVERIFY(tool && tool->hasGesture());
    QVERIFY(tool->strokeMask().area() > 0);
    QTest::keyClick(m_canvas.get(), Qt::Key_Escape);
    QVERIFY(!tool->hasGesture());
    QTest::mouseRelease(m_canvas.get(), Qt::LeftButton, Qt::NoModifier, b);
    QCOMPARE(m_doc->shapes().size(), 0);
    QCOMPARE(m_doc->undoStack().count(), 0);
}

void BrushTest::polygonToMaskEqualsRasterizePolygon()
{
    const QPolygonF poly({{20.3, 10.1}, {120.7, 30.2}, {90.5, 110.9}, {15.2, 80.4}});
    const qint64 id = m_doc->addShape(m_classB, Polygon{poly});
    QVERIFY(id);
    QVERIFY(canConvertToMasks(*m_doc, {id}));
    const QVector<qint64> fresh = convertToMasks(*m_doc, {id});
    QCOMPARE(fresh.size(), 1);
    QCOMPARE(m_doc->undoStack().count(), 2); // add, convert
    const QVector<Shape> stored = storedShapesAfterReopen();
    QCOMPARE(stored.size(), 1);
    QCOMPARE(stored.first().classId, m_classB);
    QVERIFY(std::get<Mask>(stored.first().geometry) == rasterizePolygon(poly, {kWidth, kHeight}));
}

void BrushTest::maskToPolygonToMaskRoundTrip()
{
    // Two blobs painted with the brush (no holes): two polygons, and back.
    const QVector<QPointF> a = drag({{30, 30}, {60, 50}});
    const QVector<QPointF> b = drag({{140, 100}, {150, 120}, {170, 110}});
    QCOMPARE(m_doc->shapes().size(), 1); // b extended the selected mask
    const Mask original = std::get<Mask>(m_doc->shapes().first().geometry);
    QVERIFY(original == unite(expectedStroke(a, 5.3), expectedStroke(b, 5.3)));

    const QVector<qint64> polys = convertToPolygons(*m_doc, {m_doc->shapes().first().id});
    QCOMPARE(polys.size(), 2);
    for (const Shape &s : m_doc->shapes())
        QCOMPARE(s.kind(), ShapeKind::Polygon);
    const QVector<qint64> masks = convertToMasks(*m_doc, polys);
    QCOMPARE(masks.size(), 2);
    const QVector<Shape> stored = storedShapesAfterReopen();
    QCOMPARE(stored.size(), 2);
    const Mask back =
        unite(std::get<Mask>(stored.at(0).geometry), std::get<Mask>(stored.at(1).geometry));
    QVERIFY(back == original);
}

void BrushTest::fillHolesKeepsTheShape()
{
    // A ring: a wide stroke around a square, leaving a hole in the middle.
    m_canvas->setBrushRadius(3);
    drag({{50, 50}, {90, 50}, {90, 90}, {50, 90}, {50, 50}});
    const Shape ring = m_doc->shapes().first();
    const Mask before = std::get<Mask>(ring.geometry);
    QVERIFY(!before.at(70, 70));
    const QVector<qint64> filled = fillMaskHoles(*m_doc, {ring.id});
    QCOMPARE(filled, QVector<qint64>({ring.id}));
    const Mask after = std::get<Mask>(m_doc->shape(ring.id)->geometry);
    QVERIFY(after.at(70, 70));
    QVERIFY(after == fillHoles(before));
    QVERIFY(fillMaskHoles(*m_doc, {ring.id}).isEmpty()); // nothing left to fill
    m_doc->undoStack().undo();
    QVERIFY(std::get<Mask>(m_doc->shape(ring.id)->geometry) == before);
}

QTEST_MAIN(BrushTest)
#include "brushtest.moc"
