// SPDX-License-Identifier: GPL-3.0-or-later
// project -> labelme files -> new project, through the real import/export pipeline.
#include "tests/core/formats_labelme_test.h"

#include "core/formats/datasetio.h"
#include "core/formats/formatutil.h"
#include "core/project/store.h"
#include "tests/support/tempproject.h"

#include <QFileInfo>
#include <QTest>

using namespace salient;

namespace labelmetest {

QStringList projectFacts(ProjectStore &store, bool withShapes)
{
    QStringList out;
    QHash<qint64, QString> className, splitName;
    for (const ClassRecord &c : store.classes().valueOr({}))
        className.insert(c.id, c.name);
    for (const SplitRecord &s : store.splits().valueOr({}))
        splitName.insert(s.id, s.name);
    const QVector<qint64> ids = store.imageIds().valueOr({});
    const auto labels = store.labels(ids).valueOr({});
    for (const ImageRecord &r : store.images(ids).valueOr({})) {
        const QString file = QFileInfo(r.path).fileName();
        QStringList l;
        for (qint64 c : labels.value(r.id))
            l << className.value(c);
        l.sort();
        out << QStringLiteral("%1 %2x%3 split '%4' labels %5")
                                  .arg(file)
                                  .arg(r.width)
                                  .arg(r.height)
                                  .arg(splitName.value(r.splitId), l.join(QLatin1Char(',')));
        if (!withShapes)
            continue;
        for (const Shape &s : store.shapes(r.id).valueOr({})) {
            QStringList coords;
            if (const auto *b = std::get_if<Box>(&s.geometry)) {
                for (double v : {b->rect.x(), b->rect.y(), b->rect.width(), b->rect.height()})
                    coords << formatNumber(v, 4);
            } else if (const auto *p = std::get_if<Polygon>(&s.geometry)) {
                for (const QPointF &pt : p->points)
                    coords << formatNumber(pt.x(), 4) + QLatin1Char(' ') + formatNumber(pt.y(), 4);
            } else {
                coords << QStringLiteral("mask of %1 px").arg(std::get<Mask>(s.geometry).area());
            }
            out << QStringLiteral("%1 %2 %3 [%4] %5") .arg(
                file, className.value(s.classId), shapeKindName(s.kind()),
                coords.join(QLatin1Char(',')), s.attributes);
        }
    }
    out.sort();
    return out;
}

} // namespace labelmetest

using namespace labelmetest;

void TestFormatsLabelme::projectRoundTripThroughPipeline()
{
    // A labelme folder to start from (written by labelme itself in the peer
    // test; here by hand): boxes, polygons, a circle, flags, group ids.
    QTemporaryDir src, out;
    QVERIFY(writeImage(src.filePath(QStringLiteral("a.png")), 120, 90, 1));
    QVERIFY(writeImage(src.filePath(QStringLiteral("more/b.png")), 64, 48, 2));
    QVERIFY(writeFile(src.filePath(QStringLiteral("a.json")), R"({"version": "5.1.1",
      "flags": {"outdoor": true, "night": false},
      "shapes": [
        {"label": "car", "points": [[10.5, 12.25], [60, 40]], "group_id": 2, "shape_type": "rectangle", "flags": {}},
        {"label": "road", "points": [[0, 80], [119.5, 70.75], [119, 89], [0, 89]], "group_id": null,
         "shape_type": "polygon", "flags": {"wet": true}},
        {"label": "wheel", "points": [[30, 40], [30, 48]], "shape_type": "circle", "flags": {}}],
      "imagePath": "a.png", "imageData": null, "imageHeight": 90, "imageWidth": 120})"));
    QVERIFY(
        writeFile(src.filePath(QStringLiteral("more/b.json")), R"({"version": "5.1.1", "flags": {},
      "shapes": [{"label": "car", "points": [[1, 1], [20, 30]], "shape_type": "rectangle"}],
      "imagePath": "b.png", "imageData": null, "imageHeight": 48, "imageWidth": 64})"));

    test::TempProject first;
    DatasetImportOptions in;
    in.path = src.path();
    in.format = &labelme();
    auto imported = importDataset(first.store(), in, {});
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().toString()));
    QCOMPARE(imported->imagesAdded, 2);
    QCOMPARE(imported->boxes, 2);
    QCOMPARE(imported->polygons, 2);
    const QStringList before = projectFacts(first.store());
    QCOMPARE(before.size(), 2 + 4);

    DatasetExportOptions ex;
    ex.outDir = out.path();
    ex.format = &labelme();
    ex.images = ImagePlacement::Copy;
    auto exported = exportDataset(first.store(), ex);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));
    QCOMPARE(exported->images, 2);

    test::TempProject second;
    in.path = out.path();
    in.format = nullptr; // detected
    auto again = importDataset(second.store(), in, {});
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
    QCOMPARE(again->format, QStringLiteral("labelme"));
    QCOMPARE(projectFacts(second.store()), before);
}
