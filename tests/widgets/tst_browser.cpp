// SPDX-License-Identifier: GPL-3.0-or-later
// The browser driven as a person would: clicks on thumbnails, number keys,
// undo/redo shortcuts, the filter bar and the large view; the store is then
// read back through a fresh connection.
#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/widgets/browserfixture.h"
#include "widgets/classpanel.h"
#include "widgets/filterbar.h"
#include "widgets/imageviewer.h"
#include "widgets/thumbnailgrid.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

using namespace salient;
using namespace salient::test;

class TestBrowser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void numberKeyLabelsClickedImage_data();
    void numberKeyLabelsClickedImage();
    void shiftSelectionLabelsAll();
    void undoRedoShortcutsReachTheStore_data();
    void undoRedoShortcutsReachTheStore();
    void clearKeysRemoveLabels_data();
    void clearKeysRemoveLabels();
    void keyWithoutClassChangesNothing();
    void unlabelledOnlyHidesLabelled();
    void searchIsDebounced();
    void classFilterShowsOnlyThatClass();
    void statusBarCounts();
    void viewerOpensOnEnterAndClosesOnEsc();
    void viewerLabelsWithNumberKeys();
    void viewerPaintsTheImageAndZooms();
    void unreadableImageShowsReason();
    void startPageAfterClose();
    void openingBrokenProjectNamesFile();
    void recentProjectsKeepLastEight();
};

void TestBrowser::numberKeyLabelsClickedImage_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("key");
    QTest::addColumn<QString>("className");
    QTest::newRow("first image, key 1 is cat") << 0 << int(Qt::Key_1) << "cat";
    QTest::newRow("third image, key 2 is dog") << 2 << int(Qt::Key_2) << "dog";
    QTest::newRow("last image, key 3 is bird") << 11 << int(Qt::Key_3) << "bird";
}

void TestBrowser::numberKeyLabelsClickedImage()
{
    QFETCH(int, row);
    QFETCH(int, key);
    QFETCH(QString, className);
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(row);
    QCOMPARE(f.window().grid()->selectedIds(), QVector<qint64>{f.imageIds().at(row)});
    f.press(key);
    QCOMPARE(f.storedLabels(f.imageIds().at(row)), QVector<qint64>{f.classId(className)});
    // Nothing else was touched.
    for (int i = 0; i < f.imageIds().size(); ++i)
        if (i != row)
            QVERIFY(f.storedLabels(f.imageIds().at(i)).isEmpty());
    // The grid shows the new label.
    const QModelIndex idx = f.window().imageModel()->index(row, 0);
    QTRY_COMPARE(idx.data(ImageListModel::LabelsRole).toStringList(), QStringList{className});
}

void TestBrowser::shiftSelectionLabelsAll()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(1);
    f.clickRow(4, Qt::ShiftModifier);
    QCOMPARE(f.window().grid()->selectedIds().size(), 4);
    f.press(Qt::Key_1);
    const qint64 cat = f.classId(QStringLiteral("cat"));
    for (int i = 0; i < f.imageIds().size(); ++i) {
        const bool inRange = i >= 1 && i <= 4;
        QCOMPARE(f.storedLabels(f.imageIds().at(i)),
                 inRange ? QVector<qint64>{cat} : QVector<qint64>{});
    }
    // Ctrl-click adds one more; key 2 relabels all five in one undo step.
    f.clickRow(8, Qt::ControlModifier);
    f.press(Qt::Key_2);
    const qint64 dog = f.classId(QStringLiteral("dog"));
    for (int i : {1, 2, 3, 4, 8})
        QCOMPARE(f.storedLabels(f.imageIds().at(i)), QVector<qint64>{dog});
    QCOMPARE(f.window().undoStack()->count(), 2);
}

void TestBrowser::undoRedoShortcutsReachTheStore_data()
{
    QTest::addColumn<int>("redoKey");
    QTest::addColumn<int>("redoModifiers");
    QTest::newRow("Ctrl+Shift+Z") << int(Qt::Key_Z) << int(Qt::ControlModifier | Qt::ShiftModifier);
    QTest::newRow("Ctrl+Y") << int(Qt::Key_Y) << int(Qt::ControlModifier);
}

void TestBrowser::undoRedoShortcutsReachTheStore()
{
    QFETCH(int, redoKey);
    QFETCH(int, redoModifiers);
    BrowserFixture f;
    QVERIFY(f.ok());
    const qint64 img = f.imageIds().at(3);
    const qint64 dog = f.classId(QStringLiteral("dog"));
    f.clickRow(3);
    f.press(Qt::Key_2);
    QCOMPARE(f.storedLabels(img), QVector<qint64>{dog});
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedLabels(img), QVector<qint64>{});
    f.press(redoKey, Qt::KeyboardModifiers(redoModifiers));
    QCOMPARE(f.storedLabels(img), QVector<qint64>{dog});
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedLabels(img), QVector<qint64>{});
}

void TestBrowser::clearKeysRemoveLabels_data()
{
    QTest::addColumn<int>("key");
    QTest::newRow("0") << int(Qt::Key_0);
    QTest::newRow("Backspace") << int(Qt::Key_Backspace);
}

void TestBrowser::clearKeysRemoveLabels()
{
    QFETCH(int, key);
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(0);
    f.clickRow(2, Qt::ShiftModifier);
    f.press(Qt::Key_3);
    QCOMPARE(f.storedLabels(f.imageIds().at(2)), QVector<qint64>{f.classId("bird")});
    f.clickRow(1);
    f.press(key);
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{});
    QCOMPARE(f.storedLabels(f.imageIds().at(0)), QVector<qint64>{f.classId("bird")});
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedLabels(f.imageIds().at(1)), QVector<qint64>{f.classId("bird")});
}

void TestBrowser::keyWithoutClassChangesNothing()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(0);
    f.press(Qt::Key_7); // only three classes
    QCOMPARE(f.storedLabels(f.imageIds().at(0)), QVector<qint64>{});
    QCOMPARE(f.window().undoStack()->count(), 0);
}

void TestBrowser::unlabelledOnlyHidesLabelled()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(0);
    f.press(Qt::Key_1);
    f.clickRow(5);
    f.press(Qt::Key_2);
    QCheckBox *box = f.window().filterBar()->unlabelledCheck();
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    QVERIFY(box->isChecked());
    ImageListModel *model = f.window().imageModel();
    QTRY_COMPARE(model->rowCount(), 10);
    QVERIFY(model->rowOf(f.imageIds().at(0)) < 0);
    QVERIFY(model->rowOf(f.imageIds().at(5)) < 0);
    QVERIFY(model->rowOf(f.imageIds().at(1)) >= 0);
    // Labelling a shown image makes it leave the filtered grid.
    f.clickRow(0);
    const qint64 labelled = model->idAt(0);
    f.press(Qt::Key_3);
    QTRY_COMPARE(model->rowCount(), 9);
    QVERIFY(model->rowOf(labelled) < 0);
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    QTRY_COMPARE(model->rowCount(), 12);
}

void TestBrowser::searchIsDebounced()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    QLineEdit *search = f.window().filterBar()->searchEdit();
    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("img01"));
    // Typing does not filter on every key...
    QCOMPARE(f.window().imageModel()->rowCount(), 12);
    // ...but once the typing pauses: img010, img011.
    QTRY_COMPARE(f.window().imageModel()->rowCount(), 2);
    // Digits typed into the search box are text, not labelling keys.
    QCOMPARE(f.window().undoStack()->count(), 0);
}

void TestBrowser::classFilterShowsOnlyThatClass()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(2);
    f.clickRow(4, Qt::ShiftModifier);
    f.press(Qt::Key_2); // dog: rows 2, 3, 4
    f.clickRow(7);
    f.press(Qt::Key_1); // cat: row 7
    QComboBox *combo = f.window().filterBar()->classCombo();
    combo->setFocus();
    // Keyboard on the combo: Down moves from "Any class" to cat, then dog.
    QTest::keyClick(combo, Qt::Key_Down);
    QTest::keyClick(combo, Qt::Key_Down);
    QCOMPARE(combo->currentText(), QStringLiteral("dog"));
    ImageListModel *model = f.window().imageModel();
    QTRY_COMPARE(model->rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(model->idAt(row), f.imageIds().at(2 + row));
    // The class panel's "show only" does the same for cat.
    Q_EMIT f.window().classPanel()->filterRequested(f.classId("cat"));
    QTRY_COMPARE(model->rowCount(), 1);
    QCOMPARE(model->idAt(0), f.imageIds().at(7));
}

void TestBrowser::statusBarCounts()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(0);
    f.clickRow(2, Qt::ShiftModifier);
    f.press(Qt::Key_1);
    QTRY_VERIFY2(f.window().statusCounts().contains(QStringLiteral("12 of 12 shown")),
                                                    qPrintable(f.window().statusCounts()));
    QTRY_VERIFY2(f.window().statusCounts().contains(QStringLiteral("3 labelled")),
                                                    qPrintable(f.window().statusCounts()));
    QVERIFY(f.window().statusCounts().contains(QStringLiteral("3 selected")));
    QVERIFY(f.window().statusCounts().contains(QStringLiteral("0 unreadable")));
}

void TestBrowser::viewerOpensOnEnterAndClosesOnEsc()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(4);
    f.press(Qt::Key_Return);
    QVERIFY(f.window().isViewerOpen());
    ImageViewer *viewer = f.window().viewer();
    QCOMPARE(viewer->imageId(), f.imageIds().at(4));
    QTRY_COMPARE(viewer->state(), ImageViewer::State::Ready);
    QCOMPARE(viewer->image().size(), QSize(48, 32));
    // Right steps to the next image.
    f.press(Qt::Key_Right);
    QCOMPARE(viewer->imageId(), f.imageIds().at(5));
    f.press(Qt::Key_Escape);
    QVERIFY(!f.window().isViewerOpen());
    QCOMPARE(f.window().grid()->currentId(), f.imageIds().at(5));
}

void TestBrowser::viewerLabelsWithNumberKeys()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.clickRow(6);
    QTest::mouseDClick(
        f.window().grid()->viewport(), Qt::LeftButton, {},
        f.window().grid()->visualRect(f.window().imageModel()->index(6, 0)).center());
    QVERIFY(f.window().isViewerOpen());
    f.press(Qt::Key_2);
    QCOMPARE(f.storedLabels(f.imageIds().at(6)), QVector<qint64>{f.classId("dog")});
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(f.storedLabels(f.imageIds().at(6)), QVector<qint64>{});
}

// Saves a grab when SALIENT_SHOTS names a folder (for looking at the UI).
static void keepShot(const QPixmap &shot, const QString &name)
{
    const QString dir = qEnvironmentVariable("SALIENT_SHOTS");
    if (!dir.isEmpty())
        shot.save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

void TestBrowser::viewerPaintsTheImageAndZooms()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    keepShot(f.window().grab(), QStringLiteral("browser"));
    f.clickRow(0);
    f.press(Qt::Key_Return);
    ImageViewer *viewer = f.window().viewer();
    QTRY_COMPARE(viewer->state(), ImageViewer::State::Ready);
    // Small images are shown whole at 100 %, centred.
    QVERIFY(viewer->isFitted());
    QCOMPARE(viewer->zoom(), 1.0);
    const QImage shot = viewer->grab().toImage();
    keepShot(f.window().grab(), QStringLiteral("viewer"));
    const QPoint centre(viewer->width() / 2, viewer->height() / 2);
    const QColor expected = viewer->image().pixelColor(24, 16);
    const QColor painted = shot.pixelColor(centre * shot.devicePixelRatio());
    QVERIFY2(qAbs(painted.red() - expected.red()) < 40
                 && qAbs(painted.green() - expected.green()) < 40,
             qPrintable(QStringLiteral("%1 vs %2").arg(painted.name(), expected.name())));
    // Wheel zooms in around the cursor: once the image is larger than the
    // view, the image pixel under the cursor stays under it.
    const QPoint at = centre + QPoint(10, 5);
    QWheelEvent wheel(at, viewer->mapToGlobal(at), QPoint(), QPoint(0, 120 * 16), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewer, &wheel);
    QVERIFY(viewer->zoom() > 20);
    QVERIFY(!viewer->isFitted());
    const QImage zoomed = viewer->grab().toImage();
    QCOMPARE(zoomed.pixelColor(at * zoomed.devicePixelRatio()).name(),
             shot.pixelColor(at * shot.devicePixelRatio()).name());
    f.press(Qt::Key_F);
    QVERIFY(viewer->isFitted());
}

void TestBrowser::unreadableImageShowsReason()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    {
        // Another connection adds a broken file, as an import would.
        auto writer = ProjectStore::open(f.projectFile());
        QVERIFY(writer.ok());
        NewImage bad;
        bad.absolutePath = f.dir() + QStringLiteral("/zz_broken.jpg");
        bad.readable = false;
        bad.unreadableReason = QStringLiteral("zz_broken.jpg: JPEG data ends early (truncated)");
        bad.format = QStringLiteral("jpeg");
        QVERIFY((*writer)->addImages({bad}).ok());
    }
    f.window().imageModel()->reload();
    QCOMPARE(f.window().imageModel()->rowCount(), 13);
    QCheckBox *box = f.window().filterBar()->unreadableCheck();
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    QTRY_COMPARE(f.window().imageModel()->rowCount(), 1);
    f.clickRow(0);
    keepShot(f.window().grab(), QStringLiteral("unreadable"));
    f.press(Qt::Key_Return);
    ImageViewer *viewer = f.window().viewer();
    QCOMPARE(viewer->state(), ImageViewer::State::Failed);
    QVERIFY2(viewer->message().contains(QStringLiteral("truncated")),
                                        qPrintable(viewer->message()));
    // It can still be labelled (a person may know what it was).
    f.press(Qt::Key_1);
    QCOMPARE(f.storedLabels(viewer->imageId()), QVector<qint64>{f.classId("cat")});
}

void TestBrowser::startPageAfterClose()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    f.window().closeProject();
    QVERIFY(!f.window().store());
    QCOMPARE(f.window().windowTitle(), QStringLiteral("Salient Studio"));
    keepShot(f.window().grab(), QStringLiteral("start"));
    // Labelling keys do nothing without a project (and do not crash).
    f.press(Qt::Key_1);
    f.press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(f.window().openProject(MainWindow::recentProjects().value(0)));
    QCOMPARE(f.window().imageModel()->rowCount(), 12);
}

void TestBrowser::openingBrokenProjectNamesFile()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    const QString bogus = f.dir() + QStringLiteral("/notes.salient");
    QFile file(bogus);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a database, just some text to fill a page of bytes\n");
    file.close();
    QVERIFY(!f.window().openProject(bogus));
    QCOMPARE(f.prompter().errors.size(), 1);
    QVERIFY2(f.prompter().errors.first().contains(QStringLiteral("notes.salient")),
                                                  qPrintable(f.prompter().errors.first()));
    // The project that was open stays open.
    QCOMPARE(f.window().store()->filePath(), QFileInfo(f.projectFile()).absoluteFilePath());
    QVERIFY(!f.window().openProject(f.dir() + QStringLiteral("/missing.salient")));
    QVERIFY(f.prompter().errors.last().contains(QStringLiteral("missing.salient")));
}

void TestBrowser::recentProjectsKeepLastEight()
{
    BrowserFixture f;
    QVERIFY(f.ok());
    QStringList made;
    for (int i = 0; i < 10; ++i) {
        const QString file = f.dir() + QStringLiteral("/p%1.salient").arg(i);
        QVERIFY(f.window().newProject(file));
        made.prepend(QFileInfo(file).absoluteFilePath());
    }
    QCOMPARE(MainWindow::recentProjects(), made.mid(0, 8));
    QVERIFY(f.window().windowTitle().startsWith(QStringLiteral("p9")));
    // Reopening moves a project to the front without duplicating it.
    QVERIFY(f.window().openProject(made.at(3)));
    QCOMPARE(MainWindow::recentProjects().first(), made.at(3));
    QCOMPARE(MainWindow::recentProjects().count(made.at(3)), 1);
}

QTEST_MAIN(TestBrowser)
#include "tst_browser.moc"
