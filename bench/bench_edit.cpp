// SPDX-License-Identifier: GPL-3.0-or-later
// Time from a finished edit to committed: each AnnotationDocument call below
// returns only after its store transaction has committed (WAL, synchronous=FULL,
// so one fsync per edit), so the call's duration is that time.
//
//   bench_edit [--dir DIR] [--images N] [--shapes N] [--edits N]
//
// Builds a project with N images (default 100,000) and N shapes (default 2,000,
// boxes, polygons and masks) on one image in DIR (default: a temporary folder;
// put it on the disk you care about, tmpfs makes fsync free). Prints a markdown table.
#include "core/document/annotationdocument.h"
#include "bench/syntheticproject.h"
#include "core/project/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace salient;

namespace {

struct Row {
    QString what;
    QVector<double> ms;
};

double percentile(QVector<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int i = std::clamp(int(p * (v.size() - 1) + 0.5), 0, int(v.size() - 1));
    return v.at(i);
}

Geometry polygonAt(int i)
{
    const double x = (i * 37) % 1800, y = (i * 53) % 1300;
    return Polygon{QPolygonF({QPointF(x, y), QPointF(x + 40.5, y + 3), QPointF(x + 35, y + 30.25),
                              QPointF(x + 8, y + 41), QPointF(x - 5, y + 20)})};
}

Mask maskAt(int i, int size)
{
    const int x0 = (i * 41) % 1700, y0 = (i * 29) % 1200;
    Mask m(QRect(x0, y0, size, size));
    const int c = size / 2;
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            m.set(x0 + x, y0 + y, (x - c) * (x - c) + (y - c) * (y - c) < c * c);
    return m;
}

bool die(const Error &e)
{
    std::fprintf(stderr, "bench_edit: %s\n", qPrintable(e.toString()));
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({"dir", "Folder for the project (default: temporary).", "DIR"});
    parser.addOption({"images", "Images in the project.", "N", "100000"});
    parser.addOption({"shapes", "Shapes on the edited image.", "N", "2000"});
    parser.addOption({"edits", "Edits timed per kind.", "N", "500"});
    parser.process(app);
    const int imageCount = parser.value("images").toInt();
    const int shapeCount = parser.value("shapes").toInt();
    const int edits = parser.value("edits").toInt();

    QTemporaryDir tmp;
    const QString dir = parser.isSet("dir") ? parser.value("dir") : tmp.path();
    const QString file = dir + "/bench_edit.salient";
    QFile::remove(file);
    auto created = ProjectStore::create(file);
    if (!created.ok())
        die(created.error());
    ProjectStore &store = *created.value();

    QElapsedTimer build;
    build.start();
    const Status added = bench::addSyntheticImages(
        store, dir, imageCount, QSize(1920, 1440),
        [](int i) { return QStringList{QStringLiteral("class%1").arg(i % 5)}; });
    if (!added.ok())
        die(added.error());
    const qint64 image = store.imageIds({}, 0, 1)->value(0);
    const qint64 cls = store.classIdByName("class1").value();
    QVector<Shape> shapes;
    for (int i = 0; i < shapeCount; ++i) {
        Shape s;
        s.imageId = image;
        s.classId = cls;
        if (i % 10 == 9)
            s.geometry = maskAt(i, 48);
        else if (i % 3 == 0)
            s.geometry = polygonAt(i);
        else
            s.geometry = Box{QRectF((i * 37) % 1800, (i * 53) % 1300, 30.5, 22.25)};
        shapes << s;
    }
    auto shapeIds = store.addShapes(shapes);
    if (!shapeIds.ok())
        die(shapeIds.error());
    const double buildS = build.elapsed() / 1000.0;

    QElapsedTimer t;
    t.start();
    auto loaded = AnnotationDocument::load(store, image);
    if (!loaded.ok())
        die(loaded.error());
    const double loadMs = t.nsecsElapsed() / 1e6;
    AnnotationDocument &doc = *loaded.value();
    const int loadedShapes = int(doc.shapes().size());
    QObject::connect(&doc, &AnnotationDocument::failed, &die);

    QVector<Row> rows;
    const auto time = [&](const QString &what, const std::function<void(int)> &edit) {
        Row r{what, {}};
        for (int i = 0; i < edits; ++i) {
            QElapsedTimer e;
            e.start();
            edit(i);
            r.ms << e.nsecsElapsed() / 1e6;
        }
        rows << r;
    };
    QVector<qint64> addedIds;
    time("addShape (box)", [&](int i) {
        addedIds << doc.addShape(cls, Box{QRectF(i % 1800, (i * 7) % 1300, 25, 25)});
    });
    time("setGeometry (move a box)", [&](int i) {
        doc.setGeometry(addedIds.at(i), Box{QRectF(i % 1800 + 3.5, (i * 7) % 1300 + 1, 25, 25)});
    });
    time("setGeometry (drag, one gesture)",
         [&](int i) { doc.setGeometry(addedIds.first(), Box{QRectF(i, 10, 25, 25)}, 77); });
    const qint64 maskId = doc.addShape(cls, maskAt(1, 256));
    time("setGeometry (brush stroke on a 256 px mask)", [&](int i) {
        Mask m = maskAt(1, 256);
        for (int x = 0; x < 256; ++x)
            m.set(m.bounds().left() + x, m.bounds().top() + i % 256, true);
        doc.setGeometry(maskId, m);
    });
    time("undo (Ctrl+Z)", [&](int) { doc.undoStack().undo(); });

    std::printf("bench_edit: %d images, %d shapes on the image, %d edits per row "
                "(built in %.1f s; document with %d shapes loaded in %.1f ms)\n\n",
                imageCount, shapeCount, edits, buildS, loadedShapes, loadMs);
    std::printf("| edit | median (ms) | p95 (ms) | max (ms) |\n|---|---:|---:|---:|\n");
    for (const Row &r : rows)
        std::printf("| %s | %.2f | %.2f | %.2f |\n", qPrintable(r.what), percentile(r.ms, 0.5),
                    percentile(r.ms, 0.95), *std::max_element(r.ms.cbegin(), r.ms.cend()));
    std::printf("\nTarget: median under 5 ms from a finished edit to committed.\n");
    return 0;
}
