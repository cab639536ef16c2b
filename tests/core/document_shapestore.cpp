// SPDX-License-Identifier: GPL-3.0-or-later
// The store's shapes: every kind survives a reopen exactly, undo can put a
// shape back under its old id, mistakes are refused whole, and a signal
// means the change is committed.

#include "core/project/store.h"
#include "core/project/storeshapes.h"
#include "tests/core/document_fixture.h"
#include "tests/core/models_fixture.h"
#include "tests/support/tempproject.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace salient;

class TestShapeStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void roundTripThroughReopen_data();
    void roundTripThroughReopen();
    void updateChangesOnlyThatShape_data();
    void updateChangesOnlyThatShape();
    void removeThenReinsertKeepsId_data();
    void removeThenReinsertKeepsId();
    void idsAreNeverHandedOutTwice();
    void missingRowsAreNotFound_data();
    void missingRowsAreNotFound();
    void badReferencesAreRefusedWhole_data();
    void badReferencesAreRefusedWhole();
    void removingImageRemovesItsShapes();
    void signalsOnlyAfterCommit();
    void countsByClassAndKind();
    void deleteClassLeavesShapesWithoutClass();
    void mergeClassesMovesShapes();
    void bulkReadsMatchPerImageReads();

private:
    std::unique_ptr<test::TempProject> m_project;
    ProjectStore *m_store = nullptr;
    QVector<qint64> m_images;
    qint64 m_cat = 0;
    qint64 m_dog = 0;
};

namespace {
void addKinds()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("box") << QStringLiteral("box");
    QTest::newRow("polygon") << QStringLiteral("polygon");
    QTest::newRow("mask") << QStringLiteral("mask");
}

QString why(const Status &s)
{
    return s.ok() ? QString() : s.error().toString();
}
} // namespace

void TestShapeStore::init()
{
    m_project = std::make_unique<test::TempProject>();
    m_store = &m_project->store();
    const QString d = m_project->dir();
    auto ids = m_store->addImages({test::fakeImage(d + "/a.jpg"), test::fakeImage(d + "/b.jpg")});
    QVERIFY(ids.ok());
    m_images = ids.value();
    m_cat = m_store->addClass("cat").valueOr(0);
    m_dog = m_store->addClass("dog").valueOr(0);
    QVERIFY(m_cat > 0 && m_dog > 0);
}

void TestShapeStore::cleanup()
{
    m_store = nullptr;
    m_project.reset();
}

void TestShapeStore::roundTripThroughReopen_data()
{
    addKinds();
}

void TestShapeStore::roundTripThroughReopen()
{
    QFETCH(QString, kind);
    Shape s = test::sampleShape(kind, m_images.at(0), m_cat);
    s.attributes = QStringLiteral("{\"occluded\":true}");
    auto ids = m_store->addShapes({s});
    QVERIFY2(ids.ok(), qPrintable(ids.ok() ? QString() : ids.error().toString()));
    QCOMPARE(ids->size(), 1);
    QVERIFY(ids->at(0) > 0);
    s.id = ids->at(0);

    ProjectStore &again = m_project->reopen();
    m_store = &again;
    auto shapes = again.shapes(m_images.at(0));
    QVERIFY(shapes.ok());
    QCOMPARE(shapes->size(), 1);
    const Shape &back = shapes->first();
    QCOMPARE(back.kind(), s.kind());
    QVERIFY(back.geometry == s.geometry); // sub-pixel coordinates and every mask pixel
    QCOMPARE(back.id, s.id);
    QCOMPARE(back.classId, m_cat);
    QCOMPARE(back.attributes, s.attributes);
    QVERIFY(again.shapes(m_images.at(1))->isEmpty());
}

void TestShapeStore::updateChangesOnlyThatShape_data()
{
    addKinds();
}

void TestShapeStore::updateChangesOnlyThatShape()
{
    QFETCH(QString, kind);
    auto ids = m_store->addShapes({test::sampleShape(kind, m_images.at(0), m_cat, 0),
                                   test::sampleShape(kind, m_images.at(0), m_cat, 0)});
    QVERIFY(ids.ok());
    Shape changed = test::sampleShape(kind, m_images.at(0), m_dog, 3);
    changed.id = ids->at(1);
    QVERIFY2(m_store->updateShapes({changed}).ok(), "update refused");
    auto shapes = m_project->reopen().shapes(m_images.at(0));
    m_store = &m_project->store();
    QVERIFY(shapes.ok());
    QCOMPARE(shapes->size(), 2);
    QVERIFY(shapes->at(0).geometry == test::sampleGeometry(kind, 0));
    QCOMPARE(shapes->at(0).classId, m_cat);
    QVERIFY(shapes->at(1) == changed);
}

void TestShapeStore::removeThenReinsertKeepsId_data()
{
    addKinds();
}

void TestShapeStore::removeThenReinsertKeepsId()
{
    QFETCH(QString, kind);
    auto ids = m_store->addShapes({test::sampleShape(kind, m_images.at(0), m_cat),
                                   test::sampleShape(kind, m_images.at(0), m_dog, 1)});
    QVERIFY(ids.ok());
    const QVector<Shape> before = m_store->shapes(m_images.at(0)).value();
    QVERIFY(m_store->removeShapes({ids->at(0)}).ok());
    QCOMPARE(m_store->shapes(m_images.at(0))->size(), 1);
    // Undo of the delete: the same row, same id, comes back.
    auto again = m_store->addShapes({before.at(0)});
    QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().toString()));
    QCOMPARE(again->at(0), ids->at(0));
    QCOMPARE(m_store->shapes(m_images.at(0)).value(), before);
    // The id is taken now: a second re-insert is refused, not duplicated.
    QVERIFY(!m_store->addShapes({before.at(0)}).ok());
    QCOMPARE(m_store->shapes(m_images.at(0)).value(), before);
}

void TestShapeStore::idsAreNeverHandedOutTwice()
{
    // The newest shape is deleted, then another image gets a new shape: had it
    // reused the id, undoing the delete could no longer put the shape back.
    auto first = m_store->addShapes({test::sampleShape("box", m_images.at(0), m_cat)});
    QVERIFY(first.ok());
    const Shape removed = m_store->shapes(m_images.at(0))->first();
    QVERIFY(m_store->removeShapes({removed.id}).ok());
    m_store = &m_project->reopen(); // the high-water mark is in the file, not in memory
    auto other = m_store->addShapes({test::sampleShape("box", m_images.at(1), m_dog)});
    QVERIFY(other.ok());
    QVERIFY(other->at(0) > removed.id);
    QVERIFY(m_store->addShapes({removed}).ok());
    QCOMPARE(m_store->shapes(m_images.at(0))->first(), removed);
}

void TestShapeStore::missingRowsAreNotFound_data()
{
    QTest::addColumn<QString>("what");
    QTest::newRow("update of a shape that does not exist") << "update missing";
    QTest::newRow("update naming the wrong image") << "update wrong image";
    QTest::newRow("remove of a shape that does not exist") << "remove missing";
    QTest::newRow("remove of one existing and one missing shape") << "remove partly missing";
}

void TestShapeStore::missingRowsAreNotFound()
{
    QFETCH(QString, what);
    auto ids = m_store->addShapes({test::sampleShape("box", m_images.at(0), m_cat)});
    QVERIFY(ids.ok());
    const QVector<Shape> before = m_store->shapes(m_images.at(0)).value();
    Shape s = before.first();
    s.geometry = test::sampleGeometry("box", 5);
    Status r;
    if (what == "update missing") {
        s.id += 100;
        r = m_store->updateShapes({s});
    } else if (what == "update wrong image") {
        s.imageId = m_images.at(1);
        r = m_store->updateShapes({s});
    } else if (what == "remove missing") {
        r = m_store->removeShapes({ids->at(0) + 100});
    } else {
        r = m_store->removeShapes({ids->at(0), ids->at(0) + 100});
    }
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, Error::Code::NotFound);
    QVERIFY(r.error().toString().contains("test.salient"));
    QCOMPARE(m_store->shapes(m_images.at(0)).value(), before); // nothing half done
}

void TestShapeStore::badReferencesAreRefusedWhole_data()
{
    QTest::addColumn<qint64>("imageOffset");
    QTest::addColumn<qint64>("classOffset");
    QTest::addColumn<QString>("attributes");
    QTest::newRow("class that does not exist") << qint64(0) << qint64(1000) << QString("{}");
    QTest::newRow("image that does not exist") << qint64(1000) << qint64(0) << QString("{}");
    QTest::newRow("attributes that are not JSON") << qint64(0) << qint64(0) << QString("{oops");
    QTest::newRow("attributes that are a JSON array") << qint64(0) << qint64(0) << QString("[1]");
}

void TestShapeStore::badReferencesAreRefusedWhole()
{
    QFETCH(qint64, imageOffset);
    QFETCH(qint64, classOffset);
    QFETCH(QString, attributes);
    QSignalSpy changed(m_store, &ProjectStore::shapesChanged);
    Shape good = test::sampleShape("polygon", m_images.at(0), m_cat);
    Shape bad = test::sampleShape("box", m_images.at(0) + imageOffset, m_cat + classOffset);
    bad.attributes = attributes;
    auto r = m_store->addShapes({good, bad});
    QVERIFY(!r.ok());
    QVERIFY(r.error().toString().contains("test.salient"));
    QVERIFY(m_store->shapes(m_images.at(0))->isEmpty()); // the good one went back too
    QCOMPARE(changed.count(), 0);
}

void TestShapeStore::removingImageRemovesItsShapes()
{
    QVERIFY(m_store
                ->addShapes({test::sampleShape("box", m_images.at(0), m_cat),
                             test::sampleShape("mask", m_images.at(0), m_dog),
                             test::sampleShape("polygon", m_images.at(1), m_cat)})
                .ok());
    QVERIFY(m_store->removeImages({m_images.at(0)}).ok());
    QVERIFY(m_store->shapes(m_images.at(0))->isEmpty());
    QCOMPARE(m_store->shapes(m_images.at(1))->size(), 1);
    const auto counts = m_store->shapeCountsByClass().value();
    QCOMPARE(counts.value(m_cat).polygons, 1);
    QCOMPARE(counts.value(m_cat).boxes, 0);
    QCOMPARE(counts.value(m_dog).masks, 0);
}

void TestShapeStore::signalsOnlyAfterCommit()
{
    QSignalSpy changed(m_store, &ProjectStore::shapesChanged);
    // Inside an outer transaction nothing is announced until it commits...
    Status s = m_store->transaction([&]() -> Status {
        auto r = m_store->addShapes({test::sampleShape("box", m_images.at(0), m_cat),
                                     test::sampleShape("box", m_images.at(1), m_cat)});
        SALIENT_TRY(r);
        if (changed.count() != 0)
            return makeError(Error::Code::Invalid, "shapesChanged before the commit");
        return {};
    });
    QVERIFY2(s.ok(), qPrintable(why(s)));
    QCOMPARE(changed.count(), 2);
    QSet<qint64> images{changed.at(0).at(0).toLongLong(), changed.at(1).at(0).toLongLong()};
    QCOMPARE(images, (QSet<qint64>{m_images.at(0), m_images.at(1)}));
    changed.clear();
    // ...and a rolled back one announces nothing.
    s = m_store->transaction([&]() -> Status {
        SALIENT_TRY(m_store->removeShapes({m_store->shapes(m_images.at(0))->first().id}));
        return makeError(Error::Code::Cancelled, "stop");
    });
    QVERIFY(!s.ok());
    QCOMPARE(changed.count(), 0);
    QCOMPARE(m_store->shapes(m_images.at(0))->size(), 1);
    // A plain update announces its image once.
    Shape sh = m_store->shapes(m_images.at(1))->first();
    sh.classId = m_dog;
    QVERIFY(m_store->updateShapes({sh}).ok());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toLongLong(), m_images.at(1));
}

void TestShapeStore::countsByClassAndKind()
{
    QVector<Shape> shapes;
    for (int i = 0; i < 3; ++i)
        shapes << test::sampleShape("box", m_images.at(i % 2), m_cat, i);
    shapes << test::sampleShape("polygon", m_images.at(0), m_cat)
           << test::sampleShape("mask", m_images.at(1), m_dog)
           << test::sampleShape("mask", m_images.at(1), m_dog, 1)
           << test::sampleShape("polygon", m_images.at(1), 0);
    QVERIFY(m_store->addShapes(shapes).ok());
    const auto counts = m_store->shapeCountsByClass();
    QVERIFY(counts.ok());
    QCOMPARE(counts->value(m_cat).boxes, 3);
    QCOMPARE(counts->value(m_cat).polygons, 1);
    QCOMPARE(counts->value(m_cat).masks, 0);
    QCOMPARE(counts->value(m_dog).masks, 2);
    QCOMPARE(counts->value(m_dog).boxes, 0);
    QCOMPARE(counts->value(0).polygons, 1); // no class
}

void TestShapeStore::deleteClassLeavesShapesWithoutClass()
{
    auto ids = m_store->addShapes({test::sampleShape("box", m_images.at(0), m_cat),
                                   test::sampleShape("mask", m_images.at(1), m_dog)});
    QVERIFY(ids.ok());
    QCOMPARE(shapesOfClass(*m_store, m_cat)->size(), 1);
    QVERIFY(m_store->deleteClass(m_cat).ok());
    QCOMPARE(m_store->shapes(m_images.at(0))->first().classId, 0);
    QCOMPARE(m_store->shapes(m_images.at(1))->first().classId, m_dog);
    QCOMPARE(m_store->shapeCountsByClass()->value(0).boxes, 1);
    // The undo helper gives it back once the class is there again.
    QVERIFY(m_store->insertClass({m_cat, "cat", QColor(Qt::red), 0}).ok());
    QVERIFY(setShapeClassIds(*m_store, {{ids->at(0), m_images.at(0), m_cat}}).ok());
    QCOMPARE(m_store->shapes(m_images.at(0))->first().classId, m_cat);
}

void TestShapeStore::mergeClassesMovesShapes()
{
    QVERIFY(m_store
                ->addShapes({test::sampleShape("box", m_images.at(0), m_cat),
                             test::sampleShape("polygon", m_images.at(1), m_cat),
                             test::sampleShape("mask", m_images.at(1), m_dog)})
                .ok());
    QVERIFY(m_store->mergeClasses(m_cat, m_dog).ok());
    const auto counts = m_store->shapeCountsByClass().value();
    QCOMPARE(counts.value(m_dog).boxes, 1);
    QCOMPARE(counts.value(m_dog).polygons, 1);
    QCOMPARE(counts.value(m_dog).masks, 1);
    QVERIFY(!counts.contains(m_cat));
    QVERIFY(!counts.contains(0));
}

void TestShapeStore::bulkReadsMatchPerImageReads()
{
    // Export reads many images' shapes in one query, import maps paths to ids:
    // both must agree with the one-image reads the canvas uses.
    QVector<Shape> shapes;
    for (int v = 0; v < 3; ++v) {
        shapes << test::sampleShape("box", m_images.at(0), m_cat, v)
               << test::sampleShape("mask", m_images.at(1), m_dog, v);
    }
    shapes << test::sampleShape("polygon", m_images.at(0), m_dog, 1);
    QVERIFY(m_store->addShapes(shapes).ok());

    auto bulk = m_store->shapesOfImages(m_images);
    QVERIFY(bulk.ok());
    QCOMPARE(bulk->size(), 2);
    for (qint64 id : m_images) {
        auto one = m_store->shapes(id);
        QVERIFY(one.ok());
        QCOMPARE(bulk->value(id), one.value());
    }
    QCOMPARE(bulk->value(m_images.at(0)).size(), 4);
    QVERIFY(m_store->shapesOfImages({m_images.at(1)})->value(m_images.at(0)).isEmpty());

    auto byPath = m_store->imageIdsByPath();
    QVERIFY(byPath.ok());
    QCOMPARE(byPath->size(), 2);
    QCOMPARE(byPath->value(QStringLiteral("a.jpg")), m_images.at(0));
    QCOMPARE(byPath->value(QStringLiteral("b.jpg")), m_images.at(1));
}

QTEST_GUILESS_MAIN(TestShapeStore)
#include "document_shapestore.moc"
