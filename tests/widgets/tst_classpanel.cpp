// SPDX-License-Identifier: GPL-3.0-or-later
// The class panel inside the main window: add, inline rename, recolour,
// merge and delete (dialogs answered by a scripted prompter), live counts,
// all undoable; the store is read back through a fresh connection.
#include "core/models/classlistmodel.h"
#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/widgets/browserfixture.h"
#include "widgets/classpanel.h"
#include "widgets/thumbnailgrid.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace salient;
using namespace salient::test;

class TestClassPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void renameInline();
    void renameToTakenNameIsRefused();
    void deleteAsksWithCountAndIsUndoable_data();
    void deleteAsksWithCountAndIsUndoable();
    void mergeMovesLabels();
    void addAndRecolour();
    void countsFollowLabelling();

private:
    static void selectClassRow(BrowserFixture &f, int row);
    static void clickButton(BrowserFixture &f, const QString &actionText);
    static QStringList storedClassNames(BrowserFixture &f);
};

void TestClassPanel::selectClassRow(BrowserFixture &f, int row)
{
    QListView *view = f.window().classPanel()->view();
    const QModelIndex idx = view->model()->index(row, 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(idx).center());
    QCOMPARE(view->currentIndex().row(), row);
}

void TestClassPanel::clickButton(BrowserFixture &f, const QString &actionText)
{
    for (QToolButton *b : f.window().classPanel()->findChildren<QToolButton *>()) {
        if (b->defaultAction()
            && b->defaultAction()->text().remove(QLatin1Char('&')) == actionText) {
            QVERIFY2(b->isEnabled(), qPrintable(actionText));
            QTest::mouseClick(b, Qt::LeftButton);
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no button %1").arg(actionText)));
}

QStringList TestClassPanel::storedClassNames(BrowserFixture &f)
{
    QStringList names;
    auto r = f.reader();
    if (!r)
        return names;
    for (const ClassRecord &c : r->classes().valueOr({}))
        names << c.name;
    return names;
}

void TestClassPanel::renameInline()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    selectClassRow(f, 1);
    QListView *view = f.window().classPanel()->view();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_F2);
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(editor);
    QCOMPARE(editor->text(), QStringLiteral("dog"));
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("puppy"));
    QCOMPARE(editor->text(), QStringLiteral("puppy"));
    QTest::keyClick(editor, Qt::Key_Return); // the delegate commits on the next loop turn
    QTRY_COMPARE(storedClassNames(f), (QStringList{"cat", "puppy", "bird"}));
    QTRY_COMPARE(view->currentIndex().data(ClassListModel::NameRole).toString(),
                 QStringLiteral("puppy"));
    // Typing "2" into the editor did not label anything (it was text).
    QCOMPARE(f.window().undoStack()->count(), 1);
    f.window().undoStack()->undo();
    QCOMPARE(storedClassNames(f), (QStringList{"cat", "dog", "bird"}));
}

void TestClassPanel::renameToTakenNameIsRefused()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    selectClassRow(f, 0);
    QListView *view = f.window().classPanel()->view();
    QTest::keyClick(view, Qt::Key_F2);
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("bird"));
    QTest::keyClick(editor, Qt::Key_Return);
    // The person is told why (the store refused), and nothing changed.
    QTRY_COMPARE(f.prompter().errors.size(), 1);
    QCOMPARE(storedClassNames(f), (QStringList{"cat", "dog", "bird"}));
    QCOMPARE(f.window().undoStack()->count(), 0);
}

void TestClassPanel::deleteAsksWithCountAndIsUndoable_data()
{
    QTest::addColumn<bool>("confirm");
    QTest::newRow("confirmed: class and labels gone") << true;
    QTest::newRow("declined: nothing changes") << false;
}

void TestClassPanel::deleteAsksWithCountAndIsUndoable()
{
    QFETCH(bool, confirm);
    BrowserFixture f;
    QVERIFY(f.ok());
    // Two dogs.
    f.clickRow(0);
    f.clickRow(1, Qt::ShiftModifier);
    f.press(Qt::Key_2);
    const qint64 dog = f.classId(QStringLiteral("dog"));
    QCOMPARE(f.storedLabels(f.imageIds().at(0)), QVector<qint64>{dog});

    f.prompter().confirmAnswer = confirm;
    selectClassRow(f, 1);
    clickButton(f, QStringLiteral("Delete…"));
    QCOMPARE(f.prompter().asked.size(), 1);
    QVERIFY2(f.prompter().asked.first().contains(
        QStringLiteral("dog"))
        && f.prompter().asked.first().contains(QStringLiteral("2 image")),
                                               qPrintable(f.prompter().asked.first()));
    if (!confirm) {
        QCOMPARE(storedClassNames(f), (QStringList{"cat", "dog", "bird"}));
        QCOMPARE(f.storedLabels(f.imageIds().at(0)), QVector<qint64>{dog});
        return;
    }
    QCOMPARE(storedClassNames(f), (QStringList{"cat", "bird"}));
    QCOMPARE(f.storedLabels(f.imageIds().at(0)), QVector<qint64>{});
    QCOMPARE(f.window().classPanel()->view()->model()->rowCount(), 2);
    // Key 2 now means bird (shortcuts follow the order).
    f.clickRow(5);
    f.press(Qt::Key_2);
    QCOMPARE(f.storedLabels(f.imageIds().at(5)), QVector<qint64>{f.classId("bird")});
    f.press(Qt::Key_Z, Qt::ControlModifier);
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(storedClassNames(f), (QStringList{"cat", "dog", "bird"}));
    QCOMPARE(f.storedLabels(f.imageIds().at(0)), QVector<qint64>{dog});
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{dog});
}

void TestClassPanel::mergeMovesLabels()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(0);
    f.press(Qt::Key_1); // cat
    f.clickRow(1);
    f.press(Qt::Key_3); // bird
    const qint64 cat = f.classId(QStringLiteral("cat"));
    f.prompter().chooseName = QStringLiteral("cat");
    selectClassRow(f, 2); // bird
    clickButton(f, QStringLiteral("Merge Into…"));
    QCOMPARE(f.prompter().offered, (QStringList{"cat", "dog"}));
    QCOMPARE(storedClassNames(f), (QStringList{"cat", "dog"}));
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{cat});
    QCOMPARE(f.storedLabels(f.imageIds().at(0)), QVector<qint64>{cat});
    f.window().undoStack()->undo();
    QCOMPARE(storedClassNames(f), (QStringList{"cat", "dog", "bird"}));
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{f.classId("bird")});
}

void TestClassPanel::addAndRecolour()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.prompter().textAnswer = QStringLiteral("horse");
    clickButton(f, QStringLiteral("Add Class…"));
    QCOMPARE(storedClassNames(f), (QStringList{"cat", "dog", "bird", "horse"}));
    QCOMPARE(f.window().classPanel()->currentClassId(), f.classId(QStringLiteral("horse")));
    // The new class has key 4 at once.
    f.clickRow(2);
    f.press(Qt::Key_4);
    QCOMPARE(f.storedLabels(f.imageIds().at(2)), QVector<qint64>{f.classId("horse")});

    f.prompter().color = QColor(0x12, 0x34, 0x56);
    selectClassRow(f, 0);
    clickButton(f, QStringLiteral("Recolour…"));
    auto r = f.reader();
    QVERIFY(r);
    QCOMPARE(r->classById(f.classId("cat"))->color, QColor(0x12, 0x34, 0x56));
}

void TestClassPanel::countsFollowLabelling()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    QAbstractItemModel *classes = f.window().classPanel()->view()->model();
    auto countOf = [&](int row) {
        return classes->index(row, 0).data(ClassListModel::CountRole).toLongLong();
    };
    QCOMPARE(countOf(0), 0);
    f.clickRow(0);
    f.clickRow(3, Qt::ShiftModifier);
    f.press(Qt::Key_1);
    QTRY_COMPARE(countOf(0), 4);
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QTRY_COMPARE(countOf(0), 0);
}

QTEST_MAIN(TestClassPanel)
#include "tst_classpanel.moc"
