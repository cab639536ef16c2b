// SPDX-License-Identifier: GPL-3.0-or-later
// Import through the main window's worker: the GUI keeps running while the
// worker imports, the grid shows the result, odd files are reported.
#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/support/imagemaker.h"
#include "tests/widgets/browserfixture.h"
#include "widgets/importdialog.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace salient;
using namespace salient::test;

class TestImportGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importKeepsGuiResponsive();
    void importFolderClassesAndReport();
    void reportSummaryCounts();
};

void TestImportGui::importKeepsGuiResponsive()
{
    BrowserFixture f(2);
    QVERIFY(f.ok());
    const QString folder = f.dir() + QStringLiteral("/incoming");
    QVERIFY(QDir().mkpath(folder));
    const int n = 400;
    for (int i = 0; i < n; ++i)
        QVERIFY(writeJpeg(folder
                          + QStringLiteral("/shot%1.jpg").arg(i, 4, 10, QChar('0')), 640, 480, i));

    // Count the timer ticks the GUI thread handles while the worker is still
    // importing: a blocked GUI thread handles none until the import is over.
    // (A ratio of ticks to time would be a timing test; this is not.)
    int ticksWhileRunning = 0;
    QTimer timer;
    timer.setInterval(5);
    connect(&timer, &QTimer::timeout, [&]() {
        if (f.window().importRunner()->isRunning())
            ++ticksWhileRunning;
    });
    QSignalSpy done(&f.window(), &MainWindow::importFinished);
    QElapsedTimer clock;
    clock.start();
    timer.start();
    QVERIFY(f.window().startImport({folder}, false));
    // startImport returns at once: the worker does the work.
    QVERIFY(clock.elapsed() < 500);
    QVERIFY(f.window().importRunner()->isRunning());
    QVERIFY(done.wait(60000));
    timer.stop();
    QVERIFY2(ticksWhileRunning >= 1,
             qPrintable(QStringLiteral("no event handled in %1 ms of import").arg(clock.elapsed())));
    QCOMPARE(f.window().imageModel()->rowCount(), 2 + n);
    const auto report = done.first().at(0).value<ImportReport>();
    QCOMPARE(report.added, n);
}

void TestImportGui::importFolderClassesAndReport()
{
    BrowserFixture f(0);
    QVERIFY(f.ok());
    const QString root = f.dir() + QStringLiteral("/set");
    QVERIFY(QDir().mkpath(root + QStringLiteral("/zebra")));
    QVERIFY(QDir().mkpath(root + QStringLiteral("/yak")));
    QVERIFY(writePng(root + QStringLiteral("/zebra/a.png"), 20, 20, 3, 8, 1));
    QVERIFY(writePng(root + QStringLiteral("/zebra/b.png"), 20, 20, 3, 8, 2));
    QVERIFY(writePng(root + QStringLiteral("/yak/c.png"), 20, 20, 3, 8, 3));
    QVERIFY(writeText(root + QStringLiteral("/yak/notes.jpg")));
    QSignalSpy done(&f.window(), &MainWindow::importFinished);
    QVERIFY(f.window().startImport({root}, true));
    QVERIFY(done.wait(30000));
    const auto report = done.first().at(0).value<ImportReport>();
    QCOMPARE(report.unreadable, 1);
    QCOMPARE(report.problems.size(), 1);
    QVERIFY(report.problems.first().path.endsWith(QStringLiteral("notes.jpg")));
    // The new classes reach the panel and the labelling keys at once.
    auto r = f.reader();
    QVERIFY(r);
    QVERIFY(r->classIdByName(QStringLiteral("zebra")).ok());
    QCOMPARE(f.window().imageModel()->rowCount(), 4);
    QTRY_VERIFY(f.window().statusCounts().contains(QStringLiteral("1 unreadable")));
    // The report dialog lists the unreadable file with its reason.
    ImportReportDialog dlg(report, false);
    QVERIFY(ImportReportDialog::summary(report, false).contains(QStringLiteral("1 unreadable")));
    auto *table = dlg.findChild<QTableWidget *>(QStringLiteral("unreadableTable"));
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1);
    QVERIFY(table->item(0, 0)->text().endsWith(QStringLiteral("notes.jpg")));
    QVERIFY(!table->item(0, 1)->text().isEmpty());
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    const QString shots = qEnvironmentVariable("SALIENT_SHOTS");
    if (!shots.isEmpty())
        dlg.grab().save(shots + QStringLiteral("/importreport.png"));
}

void TestImportGui::reportSummaryCounts()
{
    ImportReport r;
    r.scanned = 10;
    r.added = 7;
    r.alreadyPresent = 3;
    r.duplicates = 2;
    const QString s = ImportReportDialog::summary(r, true);
    QVERIFY2(s.contains(QStringLiteral("Added 7 image"))
                        && s.contains(QStringLiteral("3 already"))
                                      && s.contains(QStringLiteral("2 duplicate"))
                                                    && s.contains(QStringLiteral("cancelled")),
                                                                  qPrintable(s));
}

QTEST_MAIN(TestImportGui)
#include "tst_import.moc"
