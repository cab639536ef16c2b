// SPDX-License-Identifier: GPL-3.0-or-later
// Frame time of the annotation canvas: a 4000x3000 image with 2,000 shapes
// (1,200 boxes, 760 polygons, 40 masks) repainted 100 times per view; the
// median and 95th percentile of repaint() (the widget painted into its
// backing store) and of grab() (painted into a fresh pixmap). Target: 16 ms.
#include "core/document/annotationdocument.h"
#include "core/project/store.h"
#include "widgets/canvas/annotationcanvas.h"
#include "widgets/canvas/boxtool.h"
#include "widgets/canvas/selecttool.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace salient;

namespace {

struct Stats {
    double median = 0;
    double p95 = 0;
};

template <typename F>
Stats measure(F &&frame, int runs = 100)
{
    std::vector<double> ms;
    ms.reserve(runs);
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        frame();
        ms.push_back(t.nsecsElapsed() / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, size_t(ms.size() * 0.95))]};
}

QVector<Shape> makeShapes(qint64 imageId, const QVector<qint64> &classes, QRandomGenerator &rng)
{
    QVector<Shape> shapes;
    auto cls = [&]() { return classes[rng.bounded(int(classes.size()))]; };
    for (int i = 0; i < 1200; ++i) {
        const double x = rng.bounded(3900.0), y = rng.bounded(2900.0);
        shapes.append({0,
                       imageId,
                       cls(),
                       Box{QRectF(x, y, 10 + rng.bounded(90.0), 10 + rng.bounded(90.0))},
                       {}});
    }
    for (int i = 0; i < 760; ++i) {
        const QPointF c(60 + rng.bounded(3880.0), 60 + rng.bounded(2880.0));
        QPolygonF poly;
        const int n = 5 + rng.bounded(20);
        for (int k = 0; k < n; ++k) {
            const double a = 2 * M_PI * k / n;
            const double r = 15 + rng.bounded(40.0);
            poly.append(c + QPointF(std::cos(a) * r, std::sin(a) * r));
        }
        shapes.append({0, imageId, cls(), Polygon{poly}, {}});
    }
    for (int i = 0; i < 40; ++i) {
        const QRect b(rng.bounded(3700), rng.bounded(2700), 100 + rng.bounded(200),
                      100 + rng.bounded(200));
        Mask m(b);
        const QPoint c = b.center();
        const int r2 = (b.width() / 2) * (b.height() / 2);
        for (int y = b.top(); y <= b.bottom(); ++y)
            for (int x = b.left(); x <= b.right(); ++x)
                m.set(x, y, (x - c.x()) * (x - c.x()) + (y - c.y()) * (y - c.y()) < r2);
        shapes.append({0, imageId, cls(), m, {}});
    }
    return shapes;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTemporaryDir dir;
    auto created = ProjectStore::create(dir.filePath(QStringLiteral("bench.salient")));
    if (!created.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(created.error().toString()));
        return 1;
    }
    ProjectStore &store = *created.value();
    NewImage img;
    img.absolutePath = dir.filePath(QStringLiteral("big.png"));
    img.width = 4000;
    img.height = 3000;
    img.format = QStringLiteral("png");
    const qint64 imageId = store.addImages({img}).valueOr({0}).value(0);
    QVector<qint64> classes;
    for (const char *name : {"car", "person", "bike", "sign", "tree", "dog"})
        classes.append(store.addClass(QString::fromLatin1(name)).valueOr(0));
    QRandomGenerator rng(17);
    if (!store.addShapes(makeShapes(imageId, classes, rng)).ok())
        return 1;
    auto doc = AnnotationDocument::load(store, imageId);
    if (!doc.ok())
        return 1;

    QImage pixels(4000, 3000, QImage::Format_RGB32);
    for (int y = 0; y < pixels.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(pixels.scanLine(y));
        for (int x = 0; x < pixels.width(); ++x)
            line[x] = qRgb((x / 7) & 255, (y / 5) & 255, ((x + y) / 11) & 255);
    }
    AnnotationCanvas canvas;
    canvas.addTool(new SelectTool(&canvas));
    canvas.addTool(new BoxTool(&canvas));
    canvas.setClasses(store.classes().valueOr({}));
    canvas.resize(1400, 900);
    canvas.setImage(pixels, pixels.size());
    canvas.setDocument(doc->get());
    canvas.show();
    if (!QTest::qWaitForWindowExposed(&canvas))
        return 1;
    canvas.setSelection({doc.value()->shapes().first().id, doc.value()->shapes().at(1300).id});

    std::printf("bench_canvas: %d shapes on 4000x3000, widget 1400x900, 100 repaints per row\n",
                int(doc.value()->shapes().size()));
    std::printf("| view | repaint() median | p95 | grab() median | p95 |\n|---|---|---|---|---|\n");
    auto row = [&](const char *name) {
        QTest::qWait(250); // the smooth scaled image is built after zooming stops
        const Stats r = measure([&]() { canvas.repaint(); });
        const Stats g = measure([&]() { (void)canvas.grab(); });
        std::printf("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms |\n", name, r.median, r.p95,
                    g.median, g.p95);
    };
    canvas.zoomToFit();
    row("full view (fit, all 2,000 shapes)");
    const int shotArg = QCoreApplication::arguments().indexOf(QStringLiteral("--shot"));
    if (shotArg > 0 && shotArg + 1 < QCoreApplication::arguments().size()) {
        // For looking at it: the full view, and 4x around the centre.
        const QString base = QCoreApplication::arguments().at(shotArg + 1);
        canvas.grab().save(base + QStringLiteral("-fit.png"));
        canvas.setZoom(4.0);
        canvas.centerOn(QPointF(2000, 1500));
        QTest::qWait(250);
        canvas.grab().save(base + QStringLiteral("-4x.png"));
        canvas.zoomToFit();
        QTest::qWait(250);
    }
    {
        // Every frame repainted from scratch, as after an edit or a change
        // of opacity: the cached frame is invalidated each time.
        int flip = 0;
        const Stats r = measure([&]() {
            canvas.setFillOpacity((flip++ % 2) ? 0.30 : 0.31);
            canvas.repaint();
        });
        std::printf("| full view, rebuilt every frame | %.2f ms | %.2f ms | - | - |\n", r.median,
                    r.p95);
        canvas.setFillOpacity(0.3);
    }
    {
        // A box dragged by the select tool: the other shapes stay cached.
        const qint64 id = doc.value()->shapes().first().id;
        const Box start = std::get<Box>(doc.value()->shapes().first().geometry);
        int step = 0;
        const Stats r = measure([&]() {
            canvas.setPreviewGeometry(id, Box{start.rect.translated(++step, step)});
            canvas.repaint();
        });
        canvas.clearPreview();
        std::printf("| full view, dragging one box | %.2f ms | %.2f ms | - | - |\n", r.median,
                    r.p95);
    }
    canvas.setShowLabels(false);
    row("full view, labels off");
    canvas.setShowLabels(true);
    canvas.setZoom(1.0);
    canvas.centerOn(QPointF(2000, 1500));
    row("1:1, centre");
    canvas.setZoom(4.0);
    row("4x, centre");
    // While the wheel turns, frames use the unscaled image until it stops.
    canvas.zoomToFit();
    const Stats zooming = measure(
        [&]() {
            canvas.setZoom(canvas.zoom() * 1.01);
            canvas.repaint();
        },
        50);
    std::printf("| zooming (no smooth cache yet) | %.2f ms | %.2f ms | - | - |\n", zooming.median,
                zooming.p95);
    return 0;
}
