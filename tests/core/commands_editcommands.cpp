// SPDX-License-Identifier: GPL-3.0-or-later
// Every edit a person makes goes through EditCommands: each is one undoable
// command, undo/redo restore the store exactly, refused writes leave no trace.

#include "core/commands/editcommands.h"
#include "core/project/store.h"
#include "tests/core/models_fixture.h"
#include "tests/support/tempproject.h"

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace salient;
using salient::test::labelsOf;

namespace {

struct Snapshot {
    QVector<ClassRecord> classes;
    QHash<qint64, QVector<qint64>> labels;
    QHash<qint64, ImageStatus> statuses;

    static Snapshot of(ProjectStore &store, const QVector<qint64> &images)
    {
        Snapshot s;
        s.classes = store.classes().valueOr({});
        for (qint64 id : images) {
            s.labels.insert(id, labelsOf(store, id));
            s.statuses.insert(id, store.image(id).ok() ? store.image(id)->status : ImageStatus::New);
        }
        return s;
    }
    bool operator==(const Snapshot &o) const
    {
        if (classes.size() != o.classes.size())
            return false;
        for (int i = 0; i < classes.size(); ++i) {
            const ClassRecord &a = classes.at(i);
            const ClassRecord &b = o.classes.at(i);
            // Display order is the sequence; raw order numbers may be renumbered.
            if (a.id != b.id || a.name != b.name || a.color != b.color)
                return false;
        }
        return labels == o.labels && statuses == o.statuses;
    }
};

} // namespace

class TestEditCommands : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void setLabelsRoundTrip_data();
    void setLabelsRoundTrip();
    void toggleLabel_data();
    void toggleLabel();
    void applyClassKey_data();
    void applyClassKey();
    void setStatusRoundTrip();
    void addClassRoundTripKeepsId();
    void renameClassRoundTrip();
    void recolorClassRoundTrip();
    void mergeUndoRestoresExactLabels();
    void deleteUndoRestoresExactLabels();
    void classUndoRestoresShapeClasses_data();
    void classUndoRestoresShapeClasses();
    void addClassUndoRedoGivesShapesTheirClassBack();
    void failingWriteLeavesNoCommand_data();
    void failingWriteLeavesNoCommand();
    void noChangePushesNothing();
    void historyIsUnlimited();

private:
    QVector<qint64> classIds(const QList<int> &indexes) const;

    std::unique_ptr<test::TempProject> m_project;
    std::unique_ptr<QUndoStack> m_stack;
    std::unique_ptr<EditCommands> m_commands;
    ProjectStore *m_store = nullptr;
    QVector<qint64> m_classes; ///< A, B, C
    QVector<qint64> m_images;  ///< labels: {A}, {A, B}, {B}, {}
};

void TestEditCommands::init()
{
    m_project = std::make_unique<test::TempProject>();
    m_store = &m_project->store();
    const QString d = m_project->dir();
    auto ids = m_store->addImages({test::fakeImage(d + "/0.jpg", {"A"}),
                                   test::fakeImage(d + "/1.jpg", {"A", "B"}),
                                   test::fakeImage(d + "/2.jpg", {"B"}),
                                   test::fakeImage(d + "/3.jpg")});
    QVERIFY2(ids.ok(), qPrintable(ids.ok() ? QString() : ids.error().toString()));
    m_images = ids.value();
    auto c = m_store->addClass("C", QColor(Qt::blue));
    QVERIFY(c.ok());
    m_classes = {m_store->classIdByName("A").valueOr(0), m_store->classIdByName("B").valueOr(0),
                 c.value()};
    QVERIFY(!m_classes.contains(0));
    m_stack = std::make_unique<QUndoStack>();
    m_commands = std::make_unique<EditCommands>(*m_store, *m_stack);
}

void TestEditCommands::cleanup()
{
    m_commands.reset();
    m_stack.reset();
    m_store = nullptr;
    m_project.reset();
}

QVector<qint64> TestEditCommands::classIds(const QList<int> &indexes) const
{
    QVector<qint64> out;
    for (int i : indexes)
        out.append(m_classes.at(i));
    return test::sortedIds(out);
}

void TestEditCommands::setLabelsRoundTrip_data()
{
    QTest::addColumn<QList<int>>("images");   // indexes into m_images
    QTest::addColumn<QList<int>>("newLabels"); // indexes into m_classes
    QTest::newRow("one image, replace A by C") << QList<int>{0} << QList<int>{2};
    QTest::newRow("images with different sets get one set") << QList<int>{0, 1, 2, 3} << QList<int>{1};
    QTest::newRow("two labels on an unlabelled image") << QList<int>{3} << QList<int>{0, 2};
    QTest::newRow("clear several") << QList<int>{0, 1} << QList<int>{};
}

void TestEditCommands::setLabelsRoundTrip()
{
    QFETCH(QList<int>, images);
    QFETCH(QList<int>, newLabels);
    QVector<qint64> ids;
    for (int i : images)
        ids.append(m_images.at(i));
    const Snapshot before = Snapshot::of(*m_store, m_images);

    QVERIFY(m_commands->setLabels(ids, classIds(newLabels)));
    QCOMPARE(m_stack->count(), 1);
    for (qint64 id : ids)
        QCOMPARE(labelsOf(*m_store, id), classIds(newLabels));
    const Snapshot after = Snapshot::of(*m_store, m_images);

    m_stack->undo();
    QVERIFY(Snapshot::of(*m_store, m_images) == before);
    m_stack->redo();
    QVERIFY(Snapshot::of(*m_store, m_images) == after);
}

void TestEditCommands::toggleLabel_data()
{
    QTest::addColumn<QList<int>>("images");
    QTest::addColumn<int>("classIndex");
    QTest::addColumn<QList<QList<int>>>("expected"); // label indexes per image, in `images` order
    QTest::newRow("some have B: B added to all")
        << QList<int>{0, 1} << 1 << QList<QList<int>>{{0, 1}, {0, 1}};
    QTest::newRow("all have A: A removed from all")
        << QList<int>{0, 1} << 0 << QList<QList<int>>{{}, {1}};
    QTest::newRow("none has C: C added") << QList<int>{2, 3} << 2 << QList<QList<int>>{{1, 2}, {2}};
}

void TestEditCommands::toggleLabel()
{
    QFETCH(QList<int>, images);
    QFETCH(int, classIndex);
    QFETCH(QList<QList<int>>, expected);
    QVector<qint64> ids;
    for (int i : images)
        ids.append(m_images.at(i));
    const Snapshot before = Snapshot::of(*m_store, m_images);
    QVERIFY(m_commands->toggleLabel(ids, m_classes.at(classIndex)));
    for (int i = 0; i < ids.size(); ++i)
        QCOMPARE(labelsOf(*m_store, ids.at(i)), classIds(expected.at(i)));
    m_stack->undo();
    QVERIFY(Snapshot::of(*m_store, m_images) == before);
    m_stack->redo();
    for (int i = 0; i < ids.size(); ++i)
        QCOMPARE(labelsOf(*m_store, ids.at(i)), classIds(expected.at(i)));
}

void TestEditCommands::applyClassKey_data()
{
    QTest::addColumn<bool>("multi");
    QTest::addColumn<int>("image");
    QTest::addColumn<int>("classIndex");
    QTest::addColumn<QList<int>>("expected");
    QTest::newRow("single: B replaces A") << false << 0 << 1 << QList<int>{1};
    QTest::newRow("single: B replaces A and B") << false << 1 << 1 << QList<int>{1};
    QTest::newRow("single: C on unlabelled") << false << 3 << 2 << QList<int>{2};
    QTest::newRow("multi: B added beside A") << true << 0 << 1 << QList<int>{0, 1};
    QTest::newRow("multi: B toggled off A and B") << true << 1 << 1 << QList<int>{0};
    QTest::newRow("multi: C on unlabelled") << true << 3 << 2 << QList<int>{2};
}

void TestEditCommands::applyClassKey()
{
    QFETCH(bool, multi);
    QFETCH(int, image);
    QFETCH(int, classIndex);
    QFETCH(QList<int>, expected);
    QVERIFY(m_commands->setMultiLabel(multi).ok());
    QCOMPARE(m_commands->isMultiLabel(), multi);
    const QVector<qint64> before = labelsOf(*m_store, m_images.at(image));
    QVERIFY(m_commands->applyClassKey({m_images.at(image)}, m_classes.at(classIndex)));
    QCOMPARE(labelsOf(*m_store, m_images.at(image)), classIds(expected));
    m_stack->undo();
    QCOMPARE(labelsOf(*m_store, m_images.at(image)), before);
}

void TestEditCommands::setStatusRoundTrip()
{
    // Different old statuses must each come back on undo.
    QVERIFY(m_store->setStatus({m_images.at(0)}, ImageStatus::Done).ok());
    QVERIFY(m_store->setStatus({m_images.at(1)}, ImageStatus::InProgress).ok());
    const Snapshot before = Snapshot::of(*m_store, m_images);
    QVERIFY(m_commands->setStatus(m_images, ImageStatus::NeedsReview));
    for (qint64 id : std::as_const(m_images))
        QCOMPARE(m_store->image(id)->status, ImageStatus::NeedsReview);
    m_stack->undo();
    QVERIFY(Snapshot::of(*m_store, m_images) == before);
    m_stack->redo();
    for (qint64 id : std::as_const(m_images))
        QCOMPARE(m_store->image(id)->status, ImageStatus::NeedsReview);
}

void TestEditCommands::addClassRoundTripKeepsId()
{
    const qint64 id = m_commands->addClass("  Dog ", QColor(Qt::red));
    QVERIFY(id > 0);
    QCOMPARE(m_store->classById(id)->name, QString("Dog"));
    QVERIFY(m_commands->setLabels({m_images.at(3)}, {id}));
    m_stack->undo(); // the label
    m_stack->undo(); // the class
    QVERIFY(!m_store->classById(id).ok());
    m_stack->redo();
    auto back = m_store->classById(id); // the very same id, so later commands still apply
    QVERIFY(back.ok());
    QCOMPARE(back->name, QString("Dog"));
    QCOMPARE(back->color, QColor(Qt::red));
    m_stack->redo();
    QCOMPARE(labelsOf(*m_store, m_images.at(3)), QVector<qint64>{id});
}

void TestEditCommands::renameClassRoundTrip()
{
    QVERIFY(m_commands->renameClass(m_classes.at(0), "Cat"));
    QCOMPARE(m_store->classById(m_classes.at(0))->name, QString("Cat"));
    m_stack->undo();
    QCOMPARE(m_store->classById(m_classes.at(0))->name, QString("A"));
    m_stack->redo();
    QCOMPARE(m_store->classById(m_classes.at(0))->name, QString("Cat"));
}

void TestEditCommands::recolorClassRoundTrip()
{
    const QColor old = m_store->classById(m_classes.at(2))->color;
    QVERIFY(m_commands->recolorClass(m_classes.at(2), QColor(10, 200, 30)));
    QCOMPARE(m_store->classById(m_classes.at(2))->color, QColor(10, 200, 30));
    m_stack->undo();
    QCOMPARE(m_store->classById(m_classes.at(2))->color, old);
    m_stack->redo();
    QCOMPARE(m_store->classById(m_classes.at(2))->color, QColor(10, 200, 30));
}

void TestEditCommands::mergeUndoRestoresExactLabels()
{
    // Image 1 has A and B: after merging A into B it has only B; undo must
    // give back both, and image 0 its A.
    const Snapshot before = Snapshot::of(*m_store, m_images);
    QVERIFY(m_commands->mergeClasses(m_classes.at(0), m_classes.at(1)));
    QVERIFY(!m_store->classById(m_classes.at(0)).ok());
    QCOMPARE(labelsOf(*m_store, m_images.at(0)), QVector<qint64>{m_classes.at(1)});
    QCOMPARE(labelsOf(*m_store, m_images.at(1)), QVector<qint64>{m_classes.at(1)});
    const Snapshot after = Snapshot::of(*m_store, m_images);
    m_stack->undo();
    QVERIFY(Snapshot::of(*m_store, m_images) == before);
    m_stack->redo();
    QVERIFY(Snapshot::of(*m_store, m_images) == after);
    m_stack->undo();
    QVERIFY(Snapshot::of(*m_store, m_images) == before);
}

void TestEditCommands::deleteUndoRestoresExactLabels()
{
    const Snapshot before = Snapshot::of(*m_store, m_images);
    QVERIFY(m_commands->deleteClass(m_classes.at(1)));
    QVERIFY(!m_store->classById(m_classes.at(1)).ok());
    QCOMPARE(labelsOf(*m_store, m_images.at(1)), QVector<qint64>{m_classes.at(0)});
    QCOMPARE(labelsOf(*m_store, m_images.at(2)), QVector<qint64>{});
    const Snapshot after = Snapshot::of(*m_store, m_images);
    m_stack->undo();
    QVERIFY(Snapshot::of(*m_store, m_images) == before);
    m_stack->redo();
    QVERIFY(Snapshot::of(*m_store, m_images) == after);
}

void TestEditCommands::classUndoRestoresShapeClasses_data()
{
    QTest::addColumn<bool>("merge");
    QTest::newRow("merge A into B") << true;
    QTest::newRow("delete A") << false;
}

void TestEditCommands::classUndoRestoresShapeClasses()
{
    // Shapes of A on two images, one of B: the merge moves A's shapes to B, the
    // delete leaves them without a class; undo must give exactly A's back to A.
    QFETCH(bool, merge);
    const qint64 a = m_classes.at(0), b = m_classes.at(1);
    auto box = [](qint64 image, qint64 cls, double x) {
        Shape s;
        s.imageId = image;
        s.classId = cls;
        s.geometry = Box{QRectF(x, 1, 5, 5)};
        return s;
    };
    QVERIFY(m_store->addShapes({box(m_images.at(0), a, 1), box(m_images.at(1), b, 2),
                                box(m_images.at(1), a, 3), box(m_images.at(3), 0, 4)})
                .ok());
    auto classesOf = [&] {
        QVector<qint64> out;
        for (qint64 image : m_images) {
            const QVector<Shape> shapes = m_store->shapes(image).valueOr({});
            for (const Shape &s : shapes)
                out << s.classId;
        }
        return out;
    };
    const QVector<qint64> before = classesOf();
    QCOMPARE(before, (QVector<qint64>{a, b, a, 0}));
    QVERIFY(merge ? m_commands->mergeClasses(a, b) : m_commands->deleteClass(a));
    const QVector<qint64> after = merge ? QVector<qint64>{b, b, b, 0} : QVector<qint64>{0, b, 0, 0};
    QCOMPARE(classesOf(), after);
    m_stack->undo();
    QCOMPARE(classesOf(), before);
    m_stack->redo();
    QCOMPARE(classesOf(), after);
    m_stack->undo();
    QCOMPARE(classesOf(), before);
}

void TestEditCommands::addClassUndoRedoGivesShapesTheirClassBack()
{
    // A class is added, a shape drawn with it (elsewhere: the canvas's own
    // history); undoing the add leaves the shape without class, redo restores it.
    const qint64 added = m_commands->addClass("D");
    QVERIFY(added > 0);
    Shape s;
    s.imageId = m_images.at(2);
    s.classId = added;
    s.geometry = Box{QRectF(1, 2, 3, 4)};
    QVERIFY(m_store->addShapes({s}).ok());
    const auto classOfShape = [&] {
        const QVector<Shape> shapes = m_store->shapes(m_images.at(2)).valueOr({});
        return shapes.isEmpty() ? qint64(-1) : shapes.first().classId;
    };
    m_stack->undo();
    QVERIFY(!m_store->classById(added).ok());
    QCOMPARE(classOfShape(), qint64(0));
    m_stack->redo();
    QCOMPARE(m_store->classById(added)->name, QString("D"));
    QCOMPARE(classOfShape(), added);
}

void TestEditCommands::failingWriteLeavesNoCommand_data()
{
    QTest::addColumn<QString>("edit");
    QTest::newRow("rename to an existing name") << "rename-existing";
    QTest::newRow("rename to blanks") << "rename-empty";
    QTest::newRow("add a class whose name exists") << "add-existing";
    QTest::newRow("merge a class into itself") << "merge-self";
    QTest::newRow("merge into a missing class") << "merge-missing";
    QTest::newRow("delete a missing class") << "delete-missing";
    QTest::newRow("label with a missing class") << "label-missing";
}

void TestEditCommands::failingWriteLeavesNoCommand()
{
    QFETCH(QString, edit);
    // One successful edit undone: its redo must survive the refused edit.
    QVERIFY(m_commands->renameClass(m_classes.at(2), "Cow"));
    m_stack->undo();
    QVERIFY(m_stack->canRedo());
    const Snapshot before = Snapshot::of(*m_store, m_images);
    QSignalSpy failed(m_commands.get(), &EditCommands::failed);

    bool ok = true;
    if (edit == "rename-existing")
        ok = m_commands->renameClass(m_classes.at(0), "B");
    else if (edit == "rename-empty")
        ok = m_commands->renameClass(m_classes.at(0), "   ");
    else if (edit == "add-existing")
        ok = m_commands->addClass("A") != 0;
    else if (edit == "merge-self")
        ok = m_commands->mergeClasses(m_classes.at(0), m_classes.at(0));
    else if (edit == "merge-missing")
        ok = m_commands->mergeClasses(m_classes.at(0), 987654);
    else if (edit == "delete-missing")
        ok = m_commands->deleteClass(987654);
    else if (edit == "label-missing")
        ok = m_commands->setLabels({m_images.at(0)}, {987654});
    else
        QFAIL("unknown edit");

    QVERIFY(!ok);
    QCOMPARE(failed.count(), 1);
    const Error error = failed.at(0).at(0).value<Error>();
    QVERIFY(!error.message.isEmpty());
    QCOMPARE(m_stack->count(), 1);
    QCOMPARE(m_stack->index(), 0);
    QVERIFY(m_stack->canRedo());
    QVERIFY(Snapshot::of(*m_store, m_images) == before);
}

void TestEditCommands::noChangePushesNothing()
{
    QVERIFY(m_commands->setLabels({m_images.at(0)}, {m_classes.at(0)}));
    QVERIFY(m_commands->renameClass(m_classes.at(0), "A"));
    QVERIFY(m_commands->setStatus(m_images, ImageStatus::New));
    QCOMPARE(m_stack->count(), 0);
}

void TestEditCommands::historyIsUnlimited()
{
    QCOMPARE(m_stack->undoLimit(), 0);
    for (int i = 0; i < 150; ++i)
        QVERIFY(m_commands->toggleLabel({m_images.at(3)}, m_classes.at(i % 3)));
    QCOMPARE(m_stack->count(), 150);
    while (m_stack->canUndo())
        m_stack->undo();
    QCOMPARE(labelsOf(*m_store, m_images.at(3)), QVector<qint64>{});
}

QTEST_GUILESS_MAIN(TestEditCommands)
#include "commands_editcommands.moc"
