// SPDX-License-Identifier: GPL-3.0-or-later
// The Model menu and the Runs list's Export button in the studio: enabled only
// for a finished run and an export engine, and they open the dialogs on the
// right run and the image the person is looking at. A fake controller stands
// in for the exporter.

#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "tests/widgets/browserfixture.h"
#include "tests/widgets/exportfake.h"
#include "widgets/exportdialog.h"
#include "widgets/modeltrydialog.h"
#include "widgets/runsview.h"
#include "widgets/thumbnailgrid.h"
#include "widgets/trainingdock.h"

#include <QAction>
#include <QComboBox>
#include <QMenu>
#include <QPushButton>
#include <QTest>
#include <QToolButton>

using namespace salient;
using salient::test::FakeExportController;

class TestExportMenu : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void exportNeedsAFinishedRun();
    void exportOpensOnTheSelectedRun();
    void withoutAnEngineNothingIsOffered();
    void tryDialogKnowsTheCurrentImage();

private:
    /// A run over the first images; `finished` sets its state.
    static qint64 makeRun(test::BrowserFixture &f, const QString &name, bool finished);
    /// What opening the Model menu does.
    static void showModelMenu(MainWindow &w);
};

qint64 TestExportMenu::makeRun(test::BrowserFixture &f, const QString &name, bool finished)
{
    ProjectStore &store = *f.window().store();
    QHash<qint64, train::RunRole> roles;
    for (int i = 0; i < 4; ++i)
        roles.insert(f.imageIds().at(i), i < 2 ? train::RunRole::Train : train::RunRole::Test);
    train::RunStore runs(store);
    auto run = runs.createRun(name, QByteArray("{\"model\":\"smallcnn\"}"),
                              {f.classId(QStringLiteral("cat")), f.classId(QStringLiteral("dog"))},
                               {QStringLiteral("cat"), QStringLiteral("dog")}, roles);
    if (!run.ok())
        return 0;
    train::EpochRecord epoch;
    epoch.epoch = 1;
    if (!runs.recordEpoch(run.value(), epoch, train::Checkpoint{1, 4, 0, QByteArray("w")}, true,
                          0.5)
             .ok())
        return 0;
    if (finished && !runs.setState(run.value(), train::RunState::Finished).ok())
        return 0;
    return run.value();
}

void TestExportMenu::showModelMenu(MainWindow &w)
{
    auto *menu = w.findChild<QMenu *>(QStringLiteral("modelMenu"));
    QVERIFY(menu);
    Q_EMIT menu->aboutToShow();
}

void TestExportMenu::exportNeedsAFinishedRun()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    FakeExportController fake;
    f.window().setExportController(&fake);
    showModelMenu(f.window());
    QVERIFY(!f.window().exportModelAction()->isEnabled()); // no run at all
    QVERIFY(f.window().tryModelAction()->isEnabled());     // any file can be tried
    QVERIFY(makeRun(f, QStringLiteral("interrupted"), false));
    showModelMenu(f.window());
    QVERIFY(!f.window().exportModelAction()->isEnabled()); // not finished
    QVERIFY(makeRun(f, QStringLiteral("done"), true));
    showModelMenu(f.window());
    QVERIFY(f.window().exportModelAction()->isEnabled());
    f.window().setExportController(nullptr);
}

void TestExportMenu::exportOpensOnTheSelectedRun()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    FakeExportController fake;
    f.window().setExportController(&fake);
    const qint64 older = makeRun(f, QStringLiteral("older"), true);
    const qint64 newer = makeRun(f, QStringLiteral("newer"), true);
    const qint64 running = makeRun(f, QStringLiteral("running"), false);
    QVERIFY(older && newer && running);
    RunsView *runs = f.window().trainingDock()->runs();
    runs->reload();
    auto *button = runs->findChild<QToolButton *>(QStringLiteral("exportRunButton"));
    QVERIFY(button); // beside Compare / Resume / Delete
    QCOMPARE(button->defaultAction(), f.window().exportRunAction());

    runs->selectRun(running);
    QVERIFY(!f.window().exportRunAction()->isEnabled());
    runs->selectRun(older);
    QVERIFY(f.window().exportRunAction()->isEnabled());
    f.window().exportRunAction()->trigger();
    ExportDialog *dialog = f.window().exportDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->selectedRunId(), older);
    QCOMPARE(dialog->runCombo()->count(), 2); // finished runs only
    const ExportRequest r = dialog->request();
    QCOMPARE(r.projectFile, f.window().store()->filePath());
    QCOMPARE(r.runId, older);
    QVERIFY(r.outFile.endsWith(QLatin1String("older.onnx")));
    // One export dialog at a time; the menu waits for it.
    QVERIFY(!f.window().exportModelAction()->isEnabled());
    QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
    QCOMPARE(fake.requests.size(), 1);
    QCOMPARE(fake.requests.first().runId, older);
    fake.emitFailed(Error::Code::Cancelled, QStringLiteral("stopped"));
    dialog->reject();
    QTRY_VERIFY(!f.window().exportDialog()); // deleted on close
    QTRY_VERIFY(f.window().exportModelAction()->isEnabled());
    f.window().setExportController(nullptr);
}

void TestExportMenu::withoutAnEngineNothingIsOffered()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    QVERIFY(makeRun(f, QStringLiteral("done"), true));
    f.window().setExportController(nullptr);
    showModelMenu(f.window());
    QVERIFY(!f.window().exportModelAction()->isEnabled());
    QVERIFY(!f.window().tryModelAction()->isEnabled());
    f.window().exportModelAction()->trigger(); // a shortcut or script cannot open it either
    QVERIFY(!f.window().exportDialog());
}

void TestExportMenu::tryDialogKnowsTheCurrentImage()
{
    test::BrowserFixture f(8);
    QVERIFY(f.ok());
    FakeExportController fake;
    f.window().setExportController(&fake);
    f.clickRow(2);
    const qint64 current = f.window().grid()->currentId();
    QVERIFY(current);
    const auto record = f.window().store()->image(current);
    QVERIFY(record.ok());
    f.window().tryModelAction()->trigger();
    ModelTryDialog *dialog = f.window().modelTryDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->currentImageButton()->isEnabled());
    QTest::mouseClick(dialog->currentImageButton(), Qt::LeftButton);
    QCOMPARE(dialog->images(), QStringList{record->absolutePath});
    dialog->reject();
    QTRY_VERIFY(!f.window().modelTryDialog());
    f.window().setExportController(nullptr);
}

QTEST_MAIN(TestExportMenu)
#include "tst_exportmenu.moc"
