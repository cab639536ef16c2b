// SPDX-License-Identifier: GPL-3.0-or-later
// The class panel's model: classes in order with live counts, renaming
// through the undo stack, and updates on every class or label edit.

#include "core/commands/editcommands.h"
#include "core/models/classlistmodel.h"
#include "core/project/store.h"
#include "tests/core/models_fixture.h"
#include "tests/support/tempproject.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace salient;

class TestClassListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void classesInOrderWithCounts();
    void countsFollowLabels();
    void renameThroughSetDataIsUndoable();
    void renameToExistingNameIsRefused();
    void recolourThroughSetData();
    void addMergeDeleteAndUndo();
    void shortcutsForFirstNine();

private:
    QStringList names() const;
    qint64 countOf(const QString &name) const;

    std::unique_ptr<test::TempProject> m_project;
    ProjectStore *m_store = nullptr;
    std::unique_ptr<QUndoStack> m_stack;
    std::unique_ptr<EditCommands> m_commands;
    std::unique_ptr<ClassListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QVector<qint64> m_images;
};

void TestClassListModel::init()
{
    m_project = std::make_unique<test::TempProject>();
    m_store = &m_project->store();
    const QString d = m_project->dir();
    auto ids = m_store->addImages({test::fakeImage(d + "/1.jpg", {"cat"}),
                                   test::fakeImage(d + "/2.jpg", {"cat", "dog"}),
                                   test::fakeImage(d + "/3.jpg", {"dog"}),
                                   test::fakeImage(d + "/4.jpg", {"bird"}),
                                   test::fakeImage(d + "/5.jpg")});
    QVERIFY(ids.ok());
    m_images = ids.value();
    m_stack = std::make_unique<QUndoStack>();
    m_commands = std::make_unique<EditCommands>(*m_store, *m_stack);
    m_model = std::make_unique<ClassListModel>(m_store, m_commands.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestClassListModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_commands.reset();
    m_stack.reset();
    m_store = nullptr;
    m_project.reset();
}

QStringList TestClassListModel::names() const
{
    QStringList out;
    for (int row = 0; row < m_model->rowCount(); ++row)
        out << m_model->index(row).data().toString();
    return out;
}

qint64 TestClassListModel::countOf(const QString &name) const
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex idx = m_model->index(row);
        if (idx.data(ClassListModel::NameRole).toString() == name)
            return idx.data(ClassListModel::CountRole).toLongLong();
    }
    return -1;
}

void TestClassListModel::classesInOrderWithCounts()
{
    const QVector<ClassRecord> classes = m_store->classes().value();
    QStringList expected;
    for (const ClassRecord &c : classes)
        expected << c.name;
    QCOMPARE(names(), expected);
    QCOMPARE(expected.size(), 3);
    QCOMPARE(countOf("cat"), 2);
    QCOMPARE(countOf("dog"), 2);
    QCOMPARE(countOf("bird"), 1);
    const QModelIndex first = m_model->index(0);
    QCOMPARE(first.data(Qt::DecorationRole).value<QColor>(),
             classes.first().color);
    QCOMPARE(m_model->idAt(0), classes.first().id);
    QCOMPARE(m_model->rowOf(m_model->idAt(2)), 2);
    QVERIFY(m_model->flags(first) & Qt::ItemIsEditable);
}

void TestClassListModel::countsFollowLabels()
{
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    const qint64 bird = m_store->classIdByName("bird").value();
    QVERIFY(m_commands->setLabels({m_images.at(4), m_images.at(0)}, {bird}));
    QCOMPARE(countOf("bird"), 3);
    QCOMPARE(countOf("cat"), 1);
    QVERIFY(changed.count() >= 1);
    m_stack->undo();
    QCOMPARE(countOf("bird"), 1);
    QCOMPARE(countOf("cat"), 2);
    QVERIFY(m_store->removeImages({m_images.at(1)}).ok());
    QCOMPARE(countOf("cat"), 1);
    QCOMPARE(countOf("dog"), 1);
}

void TestClassListModel::renameThroughSetDataIsUndoable()
{
    const int row = m_model->rowOf(m_store->classIdByName("dog").value());
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    QVERIFY(m_model->setData(m_model->index(row), "wolf"));
    QCOMPARE(m_model->index(row).data().toString(), QString("wolf"));
    QCOMPARE(reset.count(), 0); // the panel keeps its selection
    QCOMPARE(m_stack->count(), 1);
    m_stack->undo();
    QCOMPARE(m_model->index(row).data().toString(), QString("dog"));
    m_stack->redo();
    QCOMPARE(m_model->index(row).data(Qt::EditRole).toString(), QString("wolf"));
}

void TestClassListModel::renameToExistingNameIsRefused()
{
    const int row = m_model->rowOf(m_store->classIdByName("dog").value());
    QSignalSpy failed(m_commands.get(), &EditCommands::failed);
    QVERIFY(!m_model->setData(m_model->index(row), "cat"));
    QVERIFY(!m_model->setData(m_model->index(row), ""));
    QCOMPARE(failed.count(), 2);
    QCOMPARE(m_model->index(row).data().toString(), QString("dog"));
    QCOMPARE(m_stack->count(), 0);
}

void TestClassListModel::recolourThroughSetData()
{
    QVERIFY(m_model->setData(m_model->index(1), QColor(12, 34, 56), ClassListModel::ColorRole));
    QCOMPARE(m_model->index(1).data(ClassListModel::ColorRole).value<QColor>(), QColor(12, 34, 56));
    QCOMPARE(m_store->classById(m_model->idAt(1))->color, QColor(12, 34, 56));
    m_stack->undo();
    QVERIFY(m_model->index(1).data(ClassListModel::ColorRole).value<QColor>() != QColor(12, 34, 56));
}

void TestClassListModel::addMergeDeleteAndUndo()
{
    const qint64 fish = m_commands->addClass("fish");
    QVERIFY(fish > 0);
    QCOMPARE(names().last(), QString("fish"));
    QCOMPARE(countOf("fish"), 0);

    QVERIFY(m_commands->mergeClasses(m_store->classIdByName("dog").value(),
                                     m_store->classIdByName("cat").value()));
    QVERIFY(!names().contains("dog"));
    QCOMPARE(countOf("cat"), 3);

    QVERIFY(m_commands->deleteClass(m_store->classIdByName("bird").value()));
    QVERIFY(!names().contains("bird"));

    m_stack->undo(); // delete
    QCOMPARE(countOf("bird"), 1);
    m_stack->undo(); // merge
    QCOMPARE(countOf("dog"), 2);
    QCOMPARE(countOf("cat"), 2);
    m_stack->undo(); // add
    QVERIFY(!names().contains("fish"));
    QCOMPARE(m_model->rowCount(), 3);
}

void TestClassListModel::shortcutsForFirstNine()
{
    for (int i = 0; i < 8; ++i)
        QVERIFY(m_commands->addClass(QString("extra %1").arg(i)) > 0);
    QCOMPARE(m_model->rowCount(), 11);
    for (int row = 0; row < m_model->rowCount(); ++row)
        QCOMPARE(m_model->index(row).data(ClassListModel::ShortcutRole).toInt(), row < 9 ? row + 1 : 0);
}

QTEST_GUILESS_MAIN(TestClassListModel)
#include "models_classlistmodel.moc"
