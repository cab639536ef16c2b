// SPDX-License-Identifier: GPL-3.0-or-later
// AnnotationDocument: every edit is one command that commits at once; undo and
// redo give the store (seen through a fresh connection) exactly the state it
// had; refused edits leave nothing; history survives switching images.

#include "core/commands/editcommands.h"
#include "core/commands/shapecommands.h"
#include "core/document/annotationdocument.h"
#include "core/project/store.h"
#include "tests/core/document_fixture.h"
#include "tests/core/models_fixture.h"
#include "tests/support/tempproject.h"

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace salient;

namespace {

/// The image's shapes as another process would read them: a new connection sees committed state
/// only.
QVector<Shape> committed(ProjectStore &store, qint64 imageId)
{
    auto fresh = store.connectAgain();
    if (!fresh.ok())
        return {Shape{-1}};
    auto shapes = fresh.value()->shapes(imageId);
    return shapes.ok() ? shapes.value() : QVector<Shape>{Shape{-2}};
}

QString otherKind(const QString &kind)
{
    return kind == QLatin1String("mask") ? QStringLiteral("polygon") : QStringLiteral("mask");
}

} // namespace

class TestAnnotationDocument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void loadsImageAndShapes();
    void commandRoundTrip_data();
    void commandRoundTrip();
    void gestureMergesIntoOneCommand();
    void differentGesturesDoNotMerge();
    void gestureBackToStartLeavesNoCommand();
    void refusedEditLeavesNoCommand_data();
    void refusedEditLeavesNoCommand();
    void signalsSeeTheDocumentWhole();
    void historySurvivesSwitchingImages();
    void cacheDropsLeastRecentlyUsedEmptyFirst();
    void cacheForgetsRemovedImages();
    void maskRoundTripIsExact();
    void classMergeAndItsUndoReachTheDocument_data();
    void classMergeAndItsUndoReachTheDocument();
    void undoAfterClassDeletedRestoresShapeWithoutClass();

private:
    std::unique_ptr<test::TempProject> m_project;
    ProjectStore *m_store = nullptr;
    QVector<qint64> m_images;
    qint64 m_cat = 0;
    qint64 m_dog = 0;
};

void TestAnnotationDocument::init()
{
    m_project = std::make_unique<test::TempProject>();
    m_store = &m_project->store();
    const QString d = m_project->dir();
    auto ids = m_store->addImages({test::fakeImage(d + "/a.jpg"), test::fakeImage(d + "/b.jpg"),
                                   test::fakeImage(d + "/c.jpg")});
    QVERIFY(ids.ok());
    m_images = ids.value();
    m_cat = m_store->addClass("cat").valueOr(0);
    m_dog = m_store->addClass("dog").valueOr(0);
    QVERIFY(m_cat > 0 && m_dog > 0);
}

void TestAnnotationDocument::cleanup()
{
    m_store = nullptr;
    m_project.reset();
}

void TestAnnotationDocument::loadsImageAndShapes()
{
    QVERIFY(m_store
                ->addShapes({test::sampleShape("box", m_images.at(0), m_cat),
                             test::sampleShape("mask", m_images.at(0), m_dog),
                             test::sampleShape("polygon", m_images.at(1), m_dog)})
                .ok());
    auto doc = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(doc.ok());
    QCOMPARE(doc.value()->imageSize(), QSize(640, 480));
    QCOMPARE(doc.value()->shapes(), committed(*m_store, m_images.at(0)));
    QCOMPARE(doc.value()->shapes().size(), 2);
    auto missing = AnnotationDocument::load(*m_store, 9999);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, Error::Code::NotFound);
}

void TestAnnotationDocument::commandRoundTrip_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("kind");
    for (const char *command : {"add", "remove", "set geometry", "set class", "replace"}) {
        for (const char *kind : {"box", "polygon", "mask"})
            QTest::addRow("%s %s", command, kind) << QString(command) << QString(kind);
    }
}

void TestAnnotationDocument::commandRoundTrip()
{
    QFETCH(QString, command);
    QFETCH(QString, kind);
    const qint64 image = m_images.at(0);
    // Two shapes already there, and one on another image that must never change.
    QVERIFY(m_store
                ->addShapes({test::sampleShape(kind, image, m_cat),
                             test::sampleShape(kind, image, m_dog, 1),
                             test::sampleShape(kind, m_images.at(1), m_cat)})
                .ok());
    const QVector<Shape> otherImage = committed(*m_store, m_images.at(1));
    auto loaded = AnnotationDocument::load(*m_store, image);
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    QSignalSpy failures(&doc, &AnnotationDocument::failed);
    const qint64 first = doc.shapes().at(0).id;
    const qint64 second = doc.shapes().at(1).id;

    const QVector<Shape> before = committed(*m_store, image);
    QCOMPARE(doc.shapes(), before);
    if (command == "add") {
        QVERIFY(doc.addShape(m_dog, test::sampleGeometry(kind, 7), "{\"note\":\"x\"}") > 0);
    } else if (command == "remove") {
        QVERIFY(doc.removeShapes({first, second}));
    } else if (command == "set geometry") {
        QVERIFY(doc.setGeometry(second, test::sampleGeometry(kind, 9)));
    } else if (command == "set class") {
        QVERIFY(doc.setShapeClass({first, second}, m_cat)); // only the dog changes
    } else {
        const QVector<qint64> ids = doc.replaceShapes(
            {first}, {test::sampleShape(otherKind(kind), 0, m_cat, 2)}, "Convert");
        QCOMPARE(ids.size(), 1);
    }
    QCOMPARE(failures.count(), 0);
    QCOMPARE(doc.undoStack().count(), 1);
    const QVector<Shape> after = committed(*m_store, image);
    QVERIFY(after != before);
    QCOMPARE(doc.shapes(), after);

    for (int round = 0; round < 2; ++round) {
        doc.undoStack().undo();
        QCOMPARE(committed(*m_store, image), before); // ids included: re-inserts keep their ids
        QCOMPARE(doc.shapes(), before);
        doc.undoStack().redo();
        QCOMPARE(committed(*m_store, image), after);
        QCOMPARE(doc.shapes(), after);
    }
    QCOMPARE(failures.count(), 0);
    QCOMPARE(committed(*m_store, m_images.at(1)), otherImage);
}

void TestAnnotationDocument::gestureMergesIntoOneCommand()
{
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    const qint64 id = doc.addShape(m_cat, Box{QRectF(10, 10, 20, 20)});
    QVERIFY(id > 0);
    const QVector<Shape> original = committed(*m_store, m_images.at(0));
    // A drag: three moves of one gesture, each committed as it happens.
    for (int step = 1; step <= 3; ++step) {
        QVERIFY(doc.setGeometry(id, Box{QRectF(10 + step, 10 + 2 * step, 20, 20)}, 42));
        QCOMPARE(committed(*m_store, m_images.at(0)).first().geometry,
                 Geometry(Box{QRectF(10 + step, 10 + 2 * step, 20, 20)}));
    }
    QCOMPARE(doc.undoStack().count(), 2); // the add and one move
    doc.undoStack().undo();
    QCOMPARE(committed(*m_store, m_images.at(0)), original);
    QCOMPARE(doc.shapes(), original);
    doc.undoStack().redo();
    QCOMPARE(committed(*m_store, m_images.at(0)).first().geometry,
             Geometry(Box{QRectF(13, 16, 20, 20)}));
    doc.undoStack().undo();
    doc.undoStack().undo();
    QVERIFY(committed(*m_store, m_images.at(0)).isEmpty());
}

void TestAnnotationDocument::differentGesturesDoNotMerge()
{
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    const qint64 a = doc.addShape(m_cat, Box{QRectF(0, 0, 5, 5)});
    const qint64 b = doc.addShape(m_cat, Box{QRectF(50, 50, 5, 5)});
    QVERIFY(doc.setGeometry(a, Box{QRectF(1, 0, 5, 5)}, 1));
    QVERIFY(doc.setGeometry(a, Box{QRectF(2, 0, 5, 5)}, 2));   // next gesture
    QVERIFY(doc.setGeometry(b, Box{QRectF(51, 50, 5, 5)}, 2)); // same gesture id, other shape
    QVERIFY(doc.setGeometry(b, Box{QRectF(52, 50, 5, 5)}));    // no gesture: never merges
    QVERIFY(doc.setGeometry(b, Box{QRectF(53, 50, 5, 5)}));
    QCOMPARE(doc.undoStack().count(), 7);
    doc.undoStack().undo();
    QCOMPARE(doc.shape(b)->geometry, Geometry(Box{QRectF(52, 50, 5, 5)}));
}

void TestAnnotationDocument::gestureBackToStartLeavesNoCommand()
{
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    const qint64 id = doc.addShape(m_cat, Box{QRectF(0, 0, 5, 5)});
    QVERIFY(doc.setGeometry(id, Box{QRectF(3, 0, 5, 5)}, 9));
    QVERIFY(doc.setGeometry(id, Box{QRectF(0, 0, 5, 5)}, 9));
    QCOMPARE(doc.undoStack().count(), 1); // only the add: Ctrl+Z must not undo a no-op
    QCOMPARE(committed(*m_store, m_images.at(0)).first().geometry,
             Geometry(Box{QRectF(0, 0, 5, 5)}));
    doc.undoStack().undo();
    QVERIFY(committed(*m_store, m_images.at(0)).isEmpty());
}

void TestAnnotationDocument::refusedEditLeavesNoCommand_data()
{
    QTest::addColumn<QString>("edit");
    QTest::newRow("add with a class that does not exist") << "add missing class";
    QTest::newRow("add an empty mask") << "add empty mask";
    QTest::newRow("add a two-point polygon") << "add line";
    QTest::newRow("add with attributes that are not JSON") << "add bad attributes";
    QTest::newRow("set class to one that does not exist") << "set missing class";
    QTest::newRow("move a shape that does not exist") << "move missing";
    QTest::newRow("remove a shape that does not exist") << "remove missing";
    QTest::newRow("replace by a shape of a missing class") << "replace missing class";
}

void TestAnnotationDocument::refusedEditLeavesNoCommand()
{
    QFETCH(QString, edit);
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    const qint64 id = doc.addShape(m_cat, test::sampleGeometry("polygon"));
    QVERIFY(id > 0);
    const QVector<Shape> before = committed(*m_store, m_images.at(0));
    QSignalSpy failures(&doc, &AnnotationDocument::failed);
    QSignalSpy added(&doc, &AnnotationDocument::shapeAdded);
    QSignalSpy removed(&doc, &AnnotationDocument::shapeRemoved);
    QSignalSpy changed(&doc, &AnnotationDocument::shapeChanged);
    const qint64 noClass = m_dog + 1000;
    bool ok = true;
    if (edit == "add missing class")
        ok = doc.addShape(noClass, test::sampleGeometry("box")) != 0;
    else if (edit == "add empty mask")
        ok = doc.addShape(m_cat, Mask(QRect(0, 0, 4, 4))) != 0;
    else if (edit == "add line")
        ok = doc.addShape(m_cat, Polygon{QPolygonF({QPointF(0, 0), QPointF(5, 5)})}) != 0;
    else if (edit == "add bad attributes")
        ok = doc.addShape(m_cat, test::sampleGeometry("box"), "{not json") != 0;
    else if (edit == "set missing class")
        ok = doc.setShapeClass({id}, noClass);
    else if (edit == "move missing")
        ok = doc.setGeometry(id + 50, test::sampleGeometry("box"));
    else if (edit == "remove missing")
        ok = doc.removeShapes({id, id + 50});
    else
        ok = !doc.replaceShapes({id}, {test::sampleShape("mask", 0, noClass)}, "Convert").isEmpty();
    QVERIFY(!ok);
    QCOMPARE(failures.count(), 1);
    const Error error = failures.at(0).at(0).value<Error>();
    QVERIFY2(error.toString().contains("test.salient"), qPrintable(error.toString()));
    QCOMPARE(doc.undoStack().count(), 1); // just the add from before
    QCOMPARE(committed(*m_store, m_images.at(0)), before);
    QCOMPARE(doc.shapes(), before);
    QCOMPARE(added.count() + removed.count() + changed.count(), 0);
}

void TestAnnotationDocument::signalsSeeTheDocumentWhole()
{
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    QVector<QString> seen;
    connect(&doc, &AnnotationDocument::shapeAdded, this, [&](qint64 id) {
        // Already in memory and already committed when announced.
        seen << QStringLiteral("added %1 %2 %3")
                                   .arg(doc.shape(id) != nullptr)
                                   .arg(committed(*m_store, m_images.at(0)).size())
                                   .arg(doc.shapes().size());
    });
    connect(&doc, &AnnotationDocument::shapeRemoved, this, [&](qint64 id) {
        seen << QStringLiteral("removed %1 %2").arg(doc.shape(id) == nullptr).arg(doc.shapes().size());
    });
    connect(&doc, &AnnotationDocument::shapeChanged, this, [&](qint64 id) {
        seen << QStringLiteral("changed %1").arg(doc.shape(id)->classId == m_dog);
    });
    const qint64 id = doc.addShape(m_cat, test::sampleGeometry("box"));
    QVERIFY(doc.setShapeClass({id}, m_dog));
    QVERIFY(doc.removeShapes({id}));
    QCOMPARE(seen, (QVector<QString>{"added 1 1 1", "changed 1", "removed 1 0"}));
}

void TestAnnotationDocument::historySurvivesSwitchingImages()
{
    DocumentCache cache(*m_store);
    QSignalSpy failures(&cache, &DocumentCache::failed);
    AnnotationDocument *a = cache.document(m_images.at(0));
    QVERIFY(a);
    QCOMPARE(cache.undoGroup().activeStack(), &a->undoStack());
    const qint64 boxId = a->addShape(m_cat, test::sampleGeometry("box"));
    QVERIFY(a->setGeometry(boxId, test::sampleGeometry("box", 4)));
    AnnotationDocument *b = cache.document(m_images.at(1));
    QVERIFY(b && b != a);
    QCOMPARE(cache.undoGroup().activeStack(), &b->undoStack());
    QVERIFY(b->addShape(m_dog, test::sampleGeometry("mask")) > 0);
    // Back to the first image: same document, its history intact.
    AnnotationDocument *again = cache.document(m_images.at(0));
    QCOMPARE(again, a);
    QCOMPARE(again->undoStack().count(), 2);
    QCOMPARE(cache.undoGroup().activeStack(), &a->undoStack());
    cache.undoGroup().undo(); // what Ctrl+Z does in the GUI
    QCOMPARE(committed(*m_store, m_images.at(0)).first().geometry, test::sampleGeometry("box"));
    cache.undoGroup().undo();
    QVERIFY(committed(*m_store, m_images.at(0)).isEmpty());
    QCOMPARE(committed(*m_store, m_images.at(1)).size(), 1); // the other image untouched
    cache.undoGroup().redo();
    QCOMPARE(committed(*m_store, m_images.at(0)).first().id, boxId);
    QVERIFY(!cache.document(9999));
    QCOMPARE(failures.count(), 1);
}

void TestAnnotationDocument::cacheDropsLeastRecentlyUsedEmptyFirst()
{
    const QString d = m_project->dir();
    QVector<NewImage> more;
    for (int i = 0; i < 3; ++i)
        more << test::fakeImage(d + QStringLiteral("/more%1.jpg").arg(i));
    QVector<qint64> images = m_images + m_store->addImages(more).value();
    DocumentCache cache(*m_store, 3);
    QVERIFY(cache.document(images.at(0))->addShape(m_cat, test::sampleGeometry("box")) > 0);
    QVERIFY(cache.document(images.at(1))); // only looked at
    QVERIFY(cache.document(images.at(2))->addShape(m_cat, test::sampleGeometry("box")) > 0);
    QVERIFY(cache.document(images.at(3)));
    // Four visited, three kept: the one without history went, the edited ones stay.
    QCOMPARE(cache.size(), 3);
    QVERIFY(!cache.contains(images.at(1)));
    QVERIFY(cache.contains(images.at(0)));
    QVERIFY(cache.contains(images.at(2)));
    QVERIFY(cache.document(images.at(4)));
    QVERIFY(cache.document(images.at(5)));
    // All histories non-empty or newer: the least recently used go next, the current stays.
    QCOMPARE(cache.size(), 3);
    QVERIFY(cache.contains(images.at(5)));
    // A memory bound drops old histories too, never the document in use.
    cache.setMaxHistoryBytes(1);
    AnnotationDocument *current = cache.document(images.at(0));
    QVERIFY(current);
    QCOMPARE(cache.size(), 1);
    QVERIFY(current->addShape(m_cat, test::sampleGeometry("mask")) > 0);
}

void TestAnnotationDocument::cacheForgetsRemovedImages()
{
    DocumentCache cache(*m_store);
    AnnotationDocument *doc = cache.document(m_images.at(2));
    QVERIFY(doc->addShape(m_cat, test::sampleGeometry("box")) > 0);
    QVERIFY(m_store->removeImages({m_images.at(2)}).ok());
    QVERIFY(!cache.contains(m_images.at(2)));
    QVERIFY(committed(*m_store, m_images.at(2)).isEmpty());
}

void TestAnnotationDocument::maskRoundTripIsExact()
{
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    // A stroke mask with single pixels, a hole, and a pixel on the window's edge.
    Mask m(QRect(100, 50, 300, 200));
    for (int y = 50; y < 250; ++y)
        for (int x = 100; x < 400; ++x)
            m.set(x, y, ((x * 7 + y * 13) % 11) < 4 || (x == 399 && y == 249));
    const qint64 id = doc.addShape(m_cat, m);
    QVERIFY(id > 0);
    Mask stroke = m;
    for (int x = 150; x < 200; ++x)
        stroke.set(x, 100, true);
    QVERIFY(doc.setGeometry(id, stroke, 3));
    auto reopened = ProjectStore::open(m_project->file());
    QVERIFY(reopened.ok());
    const Shape back = reopened.value()->shapes(m_images.at(0))->first();
    const Mask &got = std::get<Mask>(back.geometry);
    QCOMPARE(got.area(), stroke.area());
    QVERIFY(got == stroke);
    doc.undoStack().undo();
    const Mask undone = std::get<Mask>(committed(*m_store, m_images.at(0)).first().geometry);
    QVERIFY(undone == m);
    QCOMPARE(undone.area(), m.area());
    QVERIFY(std::get<Mask>(doc.shape(id)->geometry) == m);
}

void TestAnnotationDocument::classMergeAndItsUndoReachTheDocument_data()
{
    QTest::addColumn<bool>("merge");
    QTest::newRow("merge cat into dog") << true;
    QTest::newRow("delete cat") << false;
}

void TestAnnotationDocument::classMergeAndItsUndoReachTheDocument()
{
    QFETCH(bool, merge);
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    const qint64 catShape = doc.addShape(m_cat, test::sampleGeometry("polygon"));
    const qint64 dogShape = doc.addShape(m_dog, test::sampleGeometry("box"));
    QSignalSpy changed(&doc, &AnnotationDocument::shapeChanged);
    QUndoStack classStack;
    EditCommands edits(*m_store, classStack);
    QVERIFY(merge ? edits.mergeClasses(m_cat, m_dog) : edits.deleteClass(m_cat));
    const qint64 expected = merge ? m_dog : 0;
    QCOMPARE(doc.shape(catShape)->classId, expected);
    QCOMPARE(doc.shape(dogShape)->classId, m_dog);
    QCOMPARE(doc.shapes(), committed(*m_store, m_images.at(0)));
    QCOMPARE(changed.count(), 1);
    classStack.undo();
    QCOMPARE(committed(*m_store, m_images.at(0)).first().classId, m_cat);
    QCOMPARE(doc.shape(catShape)->classId, m_cat);
    QCOMPARE(doc.shapes(), committed(*m_store, m_images.at(0)));
    classStack.redo();
    QCOMPARE(doc.shape(catShape)->classId, expected);
    QCOMPARE(doc.shapes(), committed(*m_store, m_images.at(0)));
    // The document's own history still works on top.
    doc.undoStack().undo();
    QVERIFY(!doc.shape(dogShape));
    QCOMPARE(doc.shapes(), committed(*m_store, m_images.at(0)));
}

void TestAnnotationDocument::undoAfterClassDeletedRestoresShapeWithoutClass()
{
    auto loaded = AnnotationDocument::load(*m_store, m_images.at(0));
    QVERIFY(loaded.ok());
    AnnotationDocument &doc = *loaded.value();
    const qint64 id = doc.addShape(m_cat, test::sampleGeometry("mask"));
    QVERIFY(doc.removeShapes({id}));
    QVERIFY(m_store->deleteClass(m_cat).ok()); // elsewhere, while the shape is deleted
    QSignalSpy failures(&doc, &AnnotationDocument::failed);
    doc.undoStack().undo(); // the shape comes back, as the class delete would have left it
    QCOMPARE(failures.count(), 0);
    QCOMPARE(committed(*m_store, m_images.at(0)).size(), 1);
    QCOMPARE(doc.shape(id)->classId, 0);
    doc.undoStack().undo(); // and the add can still be undone
    QVERIFY(committed(*m_store, m_images.at(0)).isEmpty());
    doc.undoStack().redo();
    QCOMPARE(committed(*m_store, m_images.at(0)).first().classId, 0);
    QCOMPARE(failures.count(), 0);
}

QTEST_GUILESS_MAIN(TestAnnotationDocument)
#include "document_annotationdocument.moc"
