// SPDX-License-Identifier: GPL-3.0-or-later
// Scale fixes of issue #9: the per-(split, class) totals that the class balance
// reads (schema 6, class_stats) equal a full recount after every kind of edit,
// after random edits, and after an upgrade; the balance reads no shape rows;
// a document's shapes are found through an index.
#include "core/project/balance.h"
#include "core/project/schema.h"
#include "core/project/store.h"
#include "tests/support/tempproject.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <functional>
#include <random>

using namespace salient;
using salient::test::TempProject;

namespace {

using Totals = QHash<QPair<qint64, qint64>, qint64>;

bool exec(sqlite3 *db, const char *sql)
{
    char *msg = nullptr;
    const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK;
    if (!ok)
        qWarning("SQL failed: %s: %s", sql, msg);
    sqlite3_free(msg);
    return ok;
}

/// Images per (split, class) counted from scratch, image by image.
Totals recountImages(const ProjectStore &store)
{
    Totals out;
    const QVector<ImageClasses> table = store.imageClasses().value();
    for (const ImageClasses &ic : table)
        for (qint64 c : ic.classIds)
            ++out[{ic.splitId, c}];
    return out;
}

/// Shapes per (split, class) on readable images, from every shape row.
Totals recountInstances(const ProjectStore &store)
{
    Totals out;
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(store.handle(),
                       "SELECT COALESCE(i.split_id, 0), s.class_id, COUNT(*) FROM shapes s "
                       "JOIN images i ON i.id = s.image_id WHERE s.class_id IS NOT NULL "
                       "AND i.readable = 1 GROUP BY 1, 2",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
        out.insert({sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)},
                   sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    return out;
}

/// Images with no label and no shape, probing both tables for each image.
qint64 recountUnlabelled(const ProjectStore &store)
{
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(store.handle(),
                       "SELECT COUNT(*) FROM images i WHERE NOT EXISTS (SELECT 1 FROM image_labels "
                       "l WHERE l.image_id = i.id) AND NOT EXISTS (SELECT 1 FROM shapes s WHERE "
                       "s.image_id = i.id)",
                       -1, &st, nullptr);
    const qint64 n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/// "class/kind: n" for every shape, counted row by row.
QString recountKinds(const ProjectStore &store)
{
    QStringList out;
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(store.handle(),
                       "SELECT COALESCE(class_id, 0), kind, COUNT(*) FROM shapes GROUP BY 1, 2", -1,
                       &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
        out << QStringLiteral("%1/%2: %3")
                .arg(sqlite3_column_int64(st, 0))
                .arg(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 1))))
                .arg(sqlite3_column_int64(st, 2));
    sqlite3_finalize(st);
    out.sort();
    return out.join(QStringLiteral("; "));
}

QString describeKinds(const QHash<qint64, ShapeCounts> &counts)
{
    QStringList out;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it) {
        if (it->boxes)
            out << QStringLiteral("%1/box: %2").arg(it.key()).arg(it->boxes);
        if (it->polygons)
            out << QStringLiteral("%1/polygon: %2").arg(it.key()).arg(it->polygons);
        if (it->masks)
            out << QStringLiteral("%1/mask: %2").arg(it.key()).arg(it->masks);
    }
    out.sort();
    return out.join(QStringLiteral("; "));
}

ImageFilter unlabelledFilter()
{
    ImageFilter f;
    f.unlabelledOnly = true;
    return f;
}

QString describe(const Totals &t)
{
    QStringList parts;
    for (auto it = t.constBegin(); it != t.constEnd(); ++it)
        parts << QStringLiteral("(split %1, class %2): %3") .arg(it.key().first).arg(it.key().second).arg(it.value());
    parts.sort();
    return parts.join(QStringLiteral("; "));
}

#define COMPARE_TOTALS(store)                                                                      \
    do {                                                                                           \
        QCOMPARE(describe((store).imageCountsBySplit().value()), describe(recountImages(store)));  \
        QCOMPARE(describe((store).shapeCountsBySplit().value()),                                   \
                 describe(recountInstances(store)));                                               \
        QCOMPARE((store).countImages(unlabelledFilter()).value(), recountUnlabelled(store));       \
        QCOMPARE(describeKinds((store).shapeCountsByClass().value()), recountKinds(store));        \
    } while (false)

Shape box(qint64 image, qint64 cls, double x = 1)
{
    Shape s;
    s.imageId = image;
    s.classId = cls;
    s.geometry = Box{QRectF(x, 2, 10, 8)};
    return s;
}

/// A small project: 8 images in train / test / no split (image 8 unreadable),
/// classes cat, dog, bird, labels and shapes on some.
struct Fixture {
    TempProject p;
    QVector<qint64> images;
    qint64 cat = 0, dog = 0, bird = 0, train = 0, test = 0;
    QVector<qint64> shapes;

    Fixture()
    {
        ProjectStore &s = p.store();
        QVector<NewImage> rows;
        for (int i = 0; i < 8; ++i) {
            NewImage n;
            n.absolutePath = p.path(QStringLiteral("img/%1.png").arg(i));
            n.hash = QByteArray::number(i);
            n.readable = i != 7;
            if (i < 4)
                n.labels = {i % 2 ? QStringLiteral("dog") : QStringLiteral("cat")};
            rows << n;
        }
        images = s.addImages(rows).value();
        cat = s.classIdByName(QStringLiteral("cat")).value();
        dog = s.classIdByName(QStringLiteral("dog")).value();
        bird = s.addClass(QStringLiteral("bird")).value();
        train = s.ensureSplit(QStringLiteral("train")).value();
        test = s.ensureSplit(QStringLiteral("test")).value();
        QVERIFY(s.assignSplit(images.mid(0, 5), train).ok());
        QVERIFY(s.assignSplit(images.mid(5, 2), test).ok());
        // image 0: cat label + cat shape; image 1: dog label + bird shape;
        // image 4: two cat shapes, no label; image 7 (unreadable): a dog shape.
        shapes = s.addShapes({box(images[0], cat), box(images[1], bird), box(images[4], cat),
                              box(images[4], cat, 5), box(images[7], dog)})
                     .value();
    }
};

enum class Edit {
    LabelWhereNoShape,
    LabelWhereShape,
    UnlabelShapeStays,
    UnlabelLastCarrier,
    FirstShape,
    SecondShape,
    RemoveShapeOtherStays,
    RemoveLastShape,
    ChangeShapeClass,
    ShapeToOtherImage,
    ShapeWithoutClass,
    ReinsertWithId,
    MoveImageToSplit,
    ImageOutOfSplits,
    ImageUnreadable,
    ImageReadableAgain,
    RemoveImage,
    DeleteClass,
    MergeClasses
};

} // namespace

Q_DECLARE_METATYPE(Edit)

class ScaleStatsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void totalsFollowEachEdit_data()
    {
        QTest::addColumn<Edit>("edit");
        QTest::newRow("label on an image without a shape of the class") << Edit::LabelWhereNoShape;
        QTest::newRow("label where a shape of the class is (no double count)")
            << Edit::LabelWhereShape;
        QTest::newRow("label removed, a shape of the class stays") << Edit::UnlabelShapeStays;
        QTest::newRow("label removed, nothing else carries the class") << Edit::UnlabelLastCarrier;
        QTest::newRow("first shape of a class on an image") << Edit::FirstShape;
        QTest::newRow("second shape of the same class") << Edit::SecondShape;
        QTest::newRow("shape deleted, another of its class stays") << Edit::RemoveShapeOtherStays;
        QTest::newRow("last shape of a class deleted") << Edit::RemoveLastShape;
        QTest::newRow("shape's class changed") << Edit::ChangeShapeClass;
        QTest::newRow("shape moved to another image") << Edit::ShapeToOtherImage;
        QTest::newRow("shape without a class") << Edit::ShapeWithoutClass;
        QTest::newRow("deleted shape re-inserted with its id (undo)") << Edit::ReinsertWithId;
        QTest::newRow("image moved to another split") << Edit::MoveImageToSplit;
        QTest::newRow("image taken out of every split") << Edit::ImageOutOfSplits;
        QTest::newRow("image becomes unreadable") << Edit::ImageUnreadable;
        QTest::newRow("unreadable image becomes readable") << Edit::ImageReadableAgain;
        QTest::newRow("image removed with its labels and shapes") << Edit::RemoveImage;
        QTest::newRow("class deleted (labels go, shapes lose it)") << Edit::DeleteClass;
        QTest::newRow("class merged into another") << Edit::MergeClasses;
    }

    void totalsFollowEachEdit()
    {
        QFETCH(Edit, edit);
        Fixture f;
        ProjectStore &s = f.p.store();
        COMPARE_TOTALS(s);
        const auto &im = f.images;
        switch (edit) {
        case Edit::LabelWhereNoShape:
            QVERIFY(s.setLabels({{im[5], {f.bird}}}).ok());
            break;
        case Edit::LabelWhereShape:
            QVERIFY(s.setLabels({{im[4], {f.cat}}}).ok());
            break;
        case Edit::UnlabelShapeStays:
            QVERIFY(s.setLabels({{im[0], {}}}).ok());
            break;
        case Edit::UnlabelLastCarrier:
            QVERIFY(s.setLabels({{im[1], {}}}).ok());
            break;
        case Edit::FirstShape:
            QVERIFY(s.addShapes({box(im[2], f.dog)}).ok());
            break;
        case Edit::SecondShape:
            QVERIFY(s.addShapes({box(im[1], f.bird, 7)}).ok());
            break;
        case Edit::RemoveShapeOtherStays:
            QVERIFY(s.removeShapes({f.shapes[2]}).ok());
            break;
        case Edit::RemoveLastShape:
            QVERIFY(s.removeShapes({f.shapes[1]}).ok());
            break;
        case Edit::ChangeShapeClass: {
            Shape changed = box(im[4], f.dog);
            changed.id = f.shapes[3];
            QVERIFY(s.updateShapes({changed}).ok());
            break;
        }
        case Edit::ShapeToOtherImage:
            QVERIFY(exec(s.handle(),
                         qPrintable(QStringLiteral(
                                         "UPDATE shapes SET image_id = %1 WHERE id = %2")
                                                        .arg(im[6])
                                                        .arg(f.shapes[1]))));
            break;
        case Edit::ShapeWithoutClass:
            QVERIFY(s.addShapes({box(im[3], 0)}).ok());
            break;
        case Edit::ReinsertWithId: {
            QVERIFY(s.removeShapes({f.shapes[0]}).ok());
            COMPARE_TOTALS(s);
            Shape back = box(im[0], f.cat);
            back.id = f.shapes[0];
            QVERIFY(s.addShapes({back}).ok());
            break;
        }
        case Edit::MoveImageToSplit:
            QVERIFY(s.assignSplit({im[4], im[1]}, f.test).ok());
            break;
        case Edit::ImageOutOfSplits:
            QVERIFY(s.assignSplit({im[0], im[4]}, 0).ok());
            break;
        case Edit::ImageUnreadable:
            QVERIFY(
                exec(s.handle(), qPrintable(QStringLiteral("UPDATE images SET readable = 0 WHERE id = %1") .arg(im[4]))));
            break;
        case Edit::ImageReadableAgain:
            QVERIFY(
                exec(s.handle(), qPrintable(QStringLiteral("UPDATE images SET readable = 1 WHERE id = %1") .arg(im[7]))));
            QCOMPARE(s.imageCountsBySplit()->value({0, f.dog}), qint64(1)); // its dog shape counts
            break;
        case Edit::RemoveImage:
            QVERIFY(s.removeImages({im[4], im[0]}).ok());
            break;
        case Edit::DeleteClass:
            QVERIFY(s.deleteClass(f.cat).ok());
            break;
        case Edit::MergeClasses:
            QVERIFY(s.mergeClasses(f.bird, f.dog).ok());
            break;
        }
        COMPARE_TOTALS(s);
    }

    void totalsFollowRandomEdits()
    {
        Fixture f;
        ProjectStore &s = f.p.store();
        std::mt19937 rng(20261127);
        QVector<qint64> shapes = f.shapes;
        const QVector<qint64> classes{f.cat, f.dog, f.bird};
        const QVector<qint64> splits{0, f.train, f.test};
        for (int step = 0; step < 300; ++step) {
            const qint64 image = f.images[int(rng() % f.images.size())];
            const qint64 cls = classes[int(rng() % classes.size())];
            switch (rng() % 6) {
            case 0:
                QVERIFY(s.setLabels({{image, rng() % 3 ? QVector<qint64>{cls} : QVector<qint64>{}}})
                            .ok());
                break;
            case 1:
            case 2:
                shapes += s.addShapes({box(image, rng() % 8 ? cls : 0)}).value();
                break;
            case 3:
                if (!shapes.isEmpty())
                    QVERIFY(s.removeShapes({shapes.takeAt(int(rng() % shapes.size()))}).ok());
                break;
            case 4:
                QVERIFY(s.assignSplit({image}, splits[int(rng() % splits.size())]).ok());
                break;
            case 5: {
                if (shapes.isEmpty())
                    break;
                const qint64 id = shapes[int(rng() % shapes.size())];
                auto current = s.shapesOfImages(f.images).value();
                for (const QVector<Shape> &list : std::as_const(current))
                    for (Shape sh : list)
                        if (sh.id == id) {
                            sh.classId = cls;
                            QVERIFY(s.updateShapes({sh}).ok());
                        }
                break;
            }
            }
            COMPARE_TOTALS(s);
        }
    }

    void upgradeFromSchema5FillsTheTotals()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("old.salient"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(QFile::encodeName(file).constData(), &db), SQLITE_OK);
        QVERIFY(exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON"));
        QVERIFY(schema::migrateTo(db, 5, file).ok());
        QVERIFY(exec(db,
                     "INSERT INTO splits(id, name) VALUES (1, 'train');"
                     "INSERT INTO images(id, path, split_id, readable) VALUES (1, 'a.png', 1, 1),"
                     " (2, 'b.png', NULL, 1), (3, 'c.png', 1, 0);"
                     "INSERT INTO classes(id, name, color, ord) VALUES (7, 'cat', '#f00', 0),"
                     " (8, 'dog', '#0f0', 1);"
                     "INSERT INTO image_labels VALUES (1, 7), (2, 8), (3, 7);"
                     "INSERT INTO shapes(image_id, class_id, kind, geometry) VALUES"
                     " (1, 7, 'box', x'00'), (1, 7, 'box', x'00'), (1, 8, 'box', x'00'),"
                     " (2, NULL, 'box', x'00'), (3, 8, 'box', x'00');"));
        sqlite3_close(db);
        auto opened = ProjectStore::open(file);
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
        ProjectStore &s = *opened.value();
        QCOMPARE(s.imageCountsBySplit()->value({1, 7}), qint64(1));
        QCOMPARE(s.shapeCountsBySplit()->value({1, 7}), qint64(2));
        QCOMPARE(s.imageCountsBySplit()->value({0, 8}), qint64(1));
        COMPARE_TOTALS(s);
    }

    void balanceReadsNoShapeRows()
    {
        Fixture f;
        ProjectStore &s = f.p.store();
        Result<BalanceReport> report = BalanceReport{};
        const QStringList plans = tracedPlans(s, [&] { report = computeBalance(s); });
        QVERIFY(report.ok());
        QVERIFY(!plans.isEmpty());
        for (const QString &traced : plans) {
            const QString plan = traced.section(QStringLiteral(" -> "), 1);
            QVERIFY2(!plan.contains(QLatin1String("shapes"))
                         && !plan.contains(QLatin1String("image_labels")),
                     qPrintable(traced));
        }
        // The numbers are still the project's: cat on images 0 (label, shape),
        // 2 (label) and 4 (two shapes), all in train; image 7 (unreadable) counts nowhere.
        const ClassBalance &cat = report->classes.at(0);
        QCOMPARE(cat.cls.id, f.cat);
        QCOMPARE(cat.images.value(f.train), qint64(3));
        QCOMPARE(cat.instances.value(f.train), qint64(3));
        QCOMPARE(report->classes.at(1).totalInstances, qint64(0)); // dog's one shape: image 7
    }

    void aDocumentsShapesAreFoundThroughAnIndex()
    {
        Fixture f;
        ProjectStore &s = f.p.store();
        int found = 0;
        const QStringList plans =
            tracedPlans(s, [&] { found = int(s.shapes(f.images[4])->size()); });
        QCOMPARE(found, 2);
        QCOMPARE(plans.size(), 1);
        QVERIFY2(plans.first().contains(QLatin1String("USING INDEX shapes_image_class")),
                 qPrintable(plans.first()));
    }

    void gridFiltersNeedNoSort_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("index");
        QTest::newRow("split: rows come in path order from images_split_path")
            << 0 << "images_split_path";
        QTest::newRow("no split: the same index") << 1 << "images_split_path";
        QTest::newRow("status: images_status_path") << 2 << "images_status_path";
        QTest::newRow("unlabelled: the partial index of images without annotations")
            << 3 << "images_unannotated";
    }

    void gridFiltersNeedNoSort()
    {
        QFETCH(int, which);
        QFETCH(QString, index);
        Fixture f;
        ProjectStore &s = f.p.store();
        ImageFilter filter;
        QVector<qint64> expected;
        if (which == 0) {
            filter.splitId = f.test;
            expected = {f.images[5], f.images[6]};
        } else if (which == 1) {
            filter.splitId = 0;
            expected = {f.images[7]};
        } else if (which == 2) {
            QVERIFY(s.setStatus({f.images[6], f.images[2]}, ImageStatus::Done).ok());
            filter.status = ImageStatus::Done;
            expected = {f.images[2], f.images[6]};
        } else {
            filter = unlabelledFilter();
            expected = {f.images[5], f.images[6]}; // 7 has a shape, 0-4 labels or shapes
        }
        QVector<qint64> ids;
        const QStringList plans = tracedPlans(s, [&] { ids = s.imageIds(filter).value(); });
        QCOMPARE(ids, expected);
        QCOMPARE(plans.size(), 1);
        QVERIFY2(plans.first().contains(index)
                     && !plans.first().contains(QLatin1String("TEMP B-TREE")),
                 qPrintable(plans.first()));
    }

private:
    /// "sql -> plan" of every statement `body` runs on the store's connection.
    static QStringList tracedPlans(ProjectStore &store, const std::function<void()> &body)
    {
        QStringList statements;
        sqlite3_trace_v2(
            store.handle(), SQLITE_TRACE_STMT,
            [](unsigned, void *ctx, void *stmt, void *) -> int {
                char *sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt *>(stmt));
                static_cast<QStringList *>(ctx)->append(QString::fromUtf8(sql));
                sqlite3_free(sql);
                return 0;
            },
            &statements);
        body();
        sqlite3_trace_v2(store.handle(), 0, nullptr, nullptr);
        QStringList plans;
        for (const QString &sql : std::as_const(statements))
            plans << sql + QStringLiteral(" -> ") + queryPlan(store.handle(), sql);
        return plans;
    }

    static QString queryPlan(sqlite3 *db, const QString &sql)
    {
        QStringList out;
        sqlite3_stmt *st = nullptr;
        const QByteArray q = "EXPLAIN QUERY PLAN " + sql.toUtf8();
        if (sqlite3_prepare_v2(db, q.constData(), -1, &st, nullptr) != SQLITE_OK)
            return QStringLiteral("cannot explain: ") + QString::fromUtf8(sqlite3_errmsg(db));
        while (sqlite3_step(st) == SQLITE_ROW)
            out << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 3)));
        sqlite3_finalize(st);
        return out.join(QStringLiteral(" / "));
    }
};

QTEST_GUILESS_MAIN(ScaleStatsTest)
#include "scalestatstest.moc"
