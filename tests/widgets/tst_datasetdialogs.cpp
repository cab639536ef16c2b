// SPDX-License-Identifier: GPL-3.0-or-later
// File > Import Dataset… and Export Dataset…: the dialogs driven by clicks,
// the worker answered through the problems window or the prompter, the
// project and the files read back afterwards.
#include "core/formats/format.h"
#include "core/models/classlistmodel.h"
#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"
#include "tests/widgets/browserfixture.h"
#include "widgets/classpanel.h"
#include "widgets/datasetdialogs.h"
#include "widgets/datasetreport.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace salient;
using namespace salient::test;

namespace {

/// A stand-in format for the dialogs' own logic (names, file or folder).
class FakeFormat : public DatasetFormat {
public:
    FakeFormat(FormatId id, QString name, bool folder)
        : m_id(id), m_name(std::move(name)), m_folder(folder)
    {
    }
    FormatId id() const override { return m_id; }
    QString name() const override { return m_name; }
    QString displayName() const override { return m_name.toUpper(); }
    bool readsFolder() const override { return m_folder; }
    int detect(const QString &) const override { return 0; }
    Result<Dataset> read(const QString &path, const ReadOptions &,
                         QVector<FormatProblem> &) const override
    {
        return makeError(Error::Code::Unsupported, QStringLiteral("fake"), path);
    }
    Status write(const Dataset &, const QString &outDir, const WriteOptions &,
                 QVector<FormatProblem> &) const override
    {
        return makeError(Error::Code::Unsupported, QStringLiteral("fake"), outDir);
    }

private:
    FormatId m_id;
    QString m_name;
    bool m_folder;
};

/// The fixture's prompter that also answers the problems question.
class AnsweringPrompter : public ScriptedPrompter, public DatasetQuestions {
public:
    bool skipProblems(QWidget *, const QVector<FormatProblem> &problems) override
    {
        seen = problems;
        ++asks;
        return skip;
    }
    bool skip = false;
    int asks = 0;
    QVector<FormatProblem> seen;
};

bool writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

/// A COCO file over a.png and b.png (40x30): a box and a polygon of "zebra"
/// on a, a box of "yak" on b; `missing` adds an image entry whose file does not exist.
QString writeCoco(const QString &dir, bool missing)
{
    QDir().mkpath(dir);
    if (!writePng(dir + QStringLiteral("/a.png"), 40, 30, 3, 8, 11)
                  || !writePng(dir + QStringLiteral("/b.png"), 40, 30, 3, 8, 12))
        return {};
    QByteArray json = R"({
  "images": [
    {"id": 1, "file_name": "a.png", "width": 40, "height": 30},
    {"id": 2, "file_name": "b.png", "width": 40, "height": 30})";
    if (missing)
        json += R"(,
    {"id": 3, "file_name": "missing.png", "width": 40, "height": 30})";
    json += R"(
  ],
  "categories": [{"id": 1, "name": "zebra"}, {"id": 2, "name": "yak"}],
  "annotations": [
    {"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 3, 10, 8], "area": 80, "iscrowd": 0},
    {"id": 2, "image_id": 1, "category_id": 1, "segmentation": [[5, 5, 30, 5, 30, 25, 5, 25]],
     "bbox": [5, 5, 25, 20], "area": 500, "iscrowd": 0},
    {"id": 3, "image_id": 2, "category_id": 2, "bbox": [1, 1, 5, 5], "area": 25, "iscrowd": 0})";
    if (missing)
        json += R"(,
    {"id": 4, "image_id": 3, "category_id": 2, "bbox": [1, 1, 5, 5], "area": 25, "iscrowd": 0})";
    json += "\n  ]\n}\n";
    const QString file = dir + QStringLiteral("/ann.json");
    return writeFile(file, json) ? file : QString();
}

/// With SALIENT_SHOTS set, saves what the widget shows there (to look at the layout).
void shot(QWidget *w, const char *name)
{
    const QString dir = qEnvironmentVariable("SALIENT_SHOTS");
    if (dir.isEmpty() || !w)
        return;
    QApplication::processEvents();
    w->grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

qint64 count(ProjectStore &store)
{
    return store.countImages().valueOr(-1);
}

int shapeCount(ProjectStore &store)
{
    int n = 0;
    for (qint64 id : store.imageIds().valueOr({}))
        n += int(store.shapes(id).valueOr({}).size());
    return n;
}

} // namespace

class TestDatasetDialogs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void importPathButtonsFollowFormat_data();
    void importPathButtonsFollowFormat();
    void exportEmbedOnlyForLabelme_data();
    void exportEmbedOnlyForLabelme();
    void problemsAnsweredThroughPrompter_data();
    void problemsAnsweredThroughPrompter();
    void closingWhileAskingAbortsWithoutDeadlock();
    void cancelStopsTheWorker_data();
    void cancelStopsTheWorker();
    void exportAsksBeforeNonEmptyFolder();
    void reportListsCountsAndWarnings();
    void importCocoRefreshesMainWindow();
    void problemsWindow_data();
    void problemsWindow();
    void malformedFileNamesFileAndLine();
    void exportCsvWarnsAboutShapes();
    void menuEntriesNeedProject();

private:
    static bool havePipeline(const char *format);
};

void TestDatasetDialogs::initTestCase()
{
    isolateSettings();
}

bool TestDatasetDialogs::havePipeline(const char *format)
{
    return datasetFormat(QString::fromLatin1(format)) != nullptr;
}

void TestDatasetDialogs::importPathButtonsFollowFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("file");
    QTest::addColumn<bool>("folder");
    QTest::newRow("auto-detect offers both") << QString() << true << true;
    QTest::newRow("a file format offers a file") << QStringLiteral("coco") << true << false;
    QTest::newRow("a folder format offers a folder") << QStringLiteral("voc") << false << true;
}

void TestDatasetDialogs::importPathButtonsFollowFormat()
{
    QFETCH(QString, format);
    QFETCH(bool, file);
    QFETCH(bool, folder);
    FakeFormat coco(FormatId::Coco, QStringLiteral("coco"), false);
    FakeFormat voc(FormatId::Voc, QStringLiteral("voc"), true);
    DatasetImportDialog dlg(QStringLiteral("/nonexistent.salient"), nullptr, {&coco, &voc});
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    QCOMPARE(dlg.formatCombo()->count(), 3);
    QCOMPARE(dlg.formatCombo()->itemText(0), QStringLiteral("Auto-detect"));
    QVERIFY(dlg.selectFormat(format));
    QCOMPARE(dlg.findChild<QPushButton *>(QStringLiteral("fileButton"))->isVisible(), file);
    QCOMPARE(dlg.findChild<QPushButton *>(QStringLiteral("folderButton"))->isVisible(), folder);
    // Nothing to import yet: the Import button waits for a path.
    QVERIFY(!dlg.runButton()->isEnabled());
    dlg.setPath(QStringLiteral("/tmp"));
    QVERIFY(dlg.runButton()->isEnabled());
}

void TestDatasetDialogs::exportEmbedOnlyForLabelme_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("enabled");
    QTest::newRow("labelme can embed images") << QStringLiteral("labelme") << true;
    QTest::newRow("coco cannot") << QStringLiteral("coco") << false;
}

void TestDatasetDialogs::exportEmbedOnlyForLabelme()
{
    QFETCH(QString, format);
    QFETCH(bool, enabled);
    TempProject project;
    QVERIFY(project.store().ensureSplit(QStringLiteral("val")).ok());
    FakeFormat coco(FormatId::Coco, QStringLiteral("coco"), false);
    FakeFormat labelme(FormatId::Labelme, QStringLiteral("labelme"), true);
    DatasetExportDialog dlg(project.store(), nullptr, {&coco, &labelme});
    QVERIFY(dlg.selectFormat(format));
    QCOMPARE(dlg.embedCheck()->isEnabled(), enabled);
    // The project's splits are offered after "All images".
    QCOMPARE(dlg.splitCombo()->count(), 2);
    QVERIFY(dlg.selectSplit(QStringLiteral("val")));
}

void TestDatasetDialogs::problemsAnsweredThroughPrompter_data()
{
    QTest::addColumn<bool>("skip");
    QTest::newRow("skip imports the rest") << true;
    QTest::newRow("abort changes nothing") << false;
}

void TestDatasetDialogs::problemsAnsweredThroughPrompter()
{
    // A fake pipeline that asks from its worker thread, then writes one image
    // through the connection it was given when told to skip.
    QFETCH(bool, skip);
    TempProject project;
    const QString png = project.path(QStringLiteral("ds/one.png"));
    QVERIFY(writePng(png, 20, 20, 3, 8, 1));
    AnsweringPrompter prompter;
    prompter.skip = skip;
    FakeFormat csv(FormatId::Csv, QStringLiteral("csv"), false);
    DatasetImportDialog dlg(project.file(), nullptr, {&csv});
    dlg.setPrompter(&prompter);
    QThread *guiThread = QThread::currentThread();
    QThread *workerThread = nullptr;
    dlg.setImportFunction([&](ProjectStore &store, const DatasetImportOptions &options,
                              const ProblemDecision &decide, const DatasetProgressFn &progress,
                              const std::atomic_bool *) -> Result<DatasetImportReport> {
        workerThread = QThread::currentThread();
        progress({QStringLiteral("Reading"), 1, 2});
        FormatProblem p;
        p.path = options.path;
        p.line = 3;
        p.message = QStringLiteral("no such file: two.png");
        if (!decide({p}))
            return makeError(Error::Code::Cancelled, QStringLiteral("aborted"));
        NewImage n;
        n.absolutePath = png;
        n.hash = "h1";
        n.width = n.height = 20;
        n.format = QStringLiteral("png");
        auto added = store.addImages({n});
        if (!added.ok())
            return added.error();
        DatasetImportReport r;
        r.format = QStringLiteral("csv");
        r.imagesAdded = 1;
        r.skipped = {p};
        return r;
    });
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    dlg.setPath(project.path(QStringLiteral("ds/list.csv")));
    QVERIFY(writeFile(project.path(QStringLiteral("ds/list.csv")), "path,label\n"));
    QSignalSpy finished(&dlg, &DatasetImportDialog::importFinished);
    QTest::mouseClick(dlg.runButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dlg.isRunning(), 10000);
    QVERIFY(workerThread && workerThread != guiThread);
    QCOMPARE(prompter.asks, 1);
    QCOMPARE(prompter.seen.first().line, 3);
    QCOMPARE(count(project.store()), skip ? 1 : 0);
    QCOMPARE(finished.size(), skip ? 1 : 0);
    QVERIFY(prompter.errors.isEmpty()); // aborting is the person's choice, not an error
    if (skip) {
        QVERIFY(dlg.reportDialog());
        QCOMPARE(dlg.reportDialog()->count(QStringLiteral("imagesAdded")), QStringLiteral("1"));
        QCOMPARE(dlg.reportDialog()->count(QStringLiteral("skipped")), QStringLiteral("1"));
        dlg.reportDialog()->close();
    } else {
        QVERIFY(dlg.isVisible()); // still open: the person may pick another file
        QVERIFY(dlg.stageLabel()->text().contains(QStringLiteral("Nothing was changed")));
    }
}

void TestDatasetDialogs::closingWhileAskingAbortsWithoutDeadlock()
{
    TempProject project;
    QVERIFY(writeFile(project.path(QStringLiteral("list.csv")), "x\n"));
    FakeFormat csv(FormatId::Csv, QStringLiteral("csv"), false);
    std::atomic_bool decided{false};
    std::atomic_bool answer{true};
    {
        DatasetImportDialog dlg(project.file(), nullptr, {&csv});
        dlg.setImportFunction([&](ProjectStore &, const DatasetImportOptions &,
                                  const ProblemDecision &decide, const DatasetProgressFn &,
                                  const std::atomic_bool *) -> Result<DatasetImportReport> {
            answer =
                decide({FormatProblem{QStringLiteral("list.csv"), 1, {}, QStringLiteral("x")}});
            decided = true;
            return makeError(Error::Code::Cancelled, QStringLiteral("aborted"));
        });
        dlg.show();
        dlg.setPath(project.path(QStringLiteral("list.csv")));
        QVERIFY(dlg.start());
        QTRY_VERIFY(dlg.problemsDialog() && dlg.problemsDialog()->isVisible());
        // The dialog goes away while the worker waits for the answer: the
        // worker must wake up, abort, and let the destructor join it.
    }
    QVERIFY(decided);
    QVERIFY(!answer);
}

void TestDatasetDialogs::cancelStopsTheWorker_data()
{
    QTest::addColumn<bool>("escape");
    QTest::newRow("Cancel button: the dialog stays") << false;
    QTest::newRow("Escape: the dialog closes once the worker stopped") << true;
}

void TestDatasetDialogs::cancelStopsTheWorker()
{
    QFETCH(bool, escape);
    TempProject project;
    QVERIFY(writeFile(project.path(QStringLiteral("list.csv")), "x\n"));
    FakeFormat csv(FormatId::Csv, QStringLiteral("csv"), false);
    std::atomic_bool sawCancel{false};
    DatasetImportDialog dlg(project.file(), nullptr, {&csv});
    dlg.setImportFunction([&](ProjectStore &, const DatasetImportOptions &, const ProblemDecision &,
                              const DatasetProgressFn &progress,
                              const std::atomic_bool *cancel) -> Result<DatasetImportReport> {
        // A long import that only the flag stops.
        for (qint64 i = 0; i < 200000 && !(cancel && cancel->load()); ++i) {
            if (i % 100 == 0)
                progress({QStringLiteral("Checking images"), i, 200000});
            QThread::usleep(50);
        }
        sawCancel = cancel && cancel->load();
        return makeError(Error::Code::Cancelled, QStringLiteral("import cancelled"));
    });
    dlg.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dlg));
    dlg.setPath(project.path(QStringLiteral("list.csv")));
    QTest::mouseClick(dlg.runButton(), Qt::LeftButton);
    QVERIFY(dlg.isRunning());
    QVERIFY(!dlg.runButton()->isEnabled());
    QTRY_VERIFY(dlg.stageLabel()->text().contains(QStringLiteral("Checking images")));
    if (!escape)
        shot(&dlg, "import-running");
    if (escape)
        QTest::keyClick(&dlg, Qt::Key_Escape);
    else
        QTest::mouseClick(dlg.cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dlg.isRunning(), 10000);
    QVERIFY(sawCancel);
    QCOMPARE(dlg.isVisible(), !escape);
    QVERIFY(dlg.stageLabel()->text().contains(QStringLiteral("Nothing was changed")));
    QVERIFY(dlg.runButton()->isEnabled()); // ready to try again
}

void TestDatasetDialogs::exportAsksBeforeNonEmptyFolder()
{
    TempProject project;
    const QString out = project.path(QStringLiteral("out"));
    QVERIFY(writeFile(out + QStringLiteral("/keep.txt"), "mine\n"));
    FakeFormat coco(FormatId::Coco, QStringLiteral("coco"), false);
    ScriptedPrompter prompter;
    prompter.confirmAnswer = false;
    int runs = 0;
    DatasetExportDialog dlg(project.store(), nullptr, {&coco});
    dlg.setPrompter(&prompter);
    dlg.setExportFunction([&](ProjectStore &, const DatasetExportOptions &options,
                              const DatasetProgressFn &,
                              const std::atomic_bool *) -> Result<DatasetExportReport> {
        ++runs;
        DatasetExportReport r;
        r.format = options.format->name();
        return r;
    });
    dlg.show();
    dlg.setOutDir(out);
    QTest::mouseClick(dlg.runButton(), Qt::LeftButton);
    QCOMPARE(prompter.asked.size(), 1);
    QVERIFY(prompter.asked.first().contains(QDir::toNativeSeparators(out)));
    QVERIFY(!dlg.isRunning());
    QCOMPARE(runs, 0);
    prompter.confirmAnswer = true;
    QTest::mouseClick(dlg.runButton(), Qt::LeftButton);
    QTRY_COMPARE(runs, 1);
    QTRY_VERIFY(dlg.reportDialog());
    QVERIFY(dlg.reportDialog()->findChild<QPushButton *>(QStringLiteral("openFolder")));
    dlg.reportDialog()->close();
}

void TestDatasetDialogs::reportListsCountsAndWarnings()
{
    DatasetImportReport r;
    r.format = QStringLiteral("coco");
    r.imagesAdded = 12;
    r.imagesPresent = 3;
    r.boxes = 40;
    r.polygons = 5;
    r.classesAdded = 2;
    for (int i = 0; i < 3; ++i)
        r.skipped.append(FormatProblem{
            QStringLiteral("/d/ann.json"), -1,
                           QStringLiteral("annotations[%1]").arg(9 - i),
                                          QStringLiteral("category id 7 is not in categories")});
    DatasetReportDialog dlg(r);
    QCOMPARE(dlg.count(QStringLiteral("imagesAdded")), QStringLiteral("12"));
    QCOMPARE(dlg.count(QStringLiteral("imagesPresent")), QStringLiteral("3"));
    QCOMPARE(dlg.count(QStringLiteral("boxes")), QStringLiteral("40"));
    QCOMPARE(dlg.count(QStringLiteral("skipped")), QStringLiteral("3"));
    auto *skipped = dlg.findChild<ProblemTable *>(QStringLiteral("skippedTable"));
    QVERIFY(skipped);
    QCOMPARE(skipped->table()->rowCount(), 3);
    // Sorting by the locator puts annotations[7] first.
    skipped->table()->sortByColumn(2, Qt::AscendingOrder);
    QCOMPARE(skipped->table()->item(0, 2)->text(), QStringLiteral("annotations[7]"));
    QTest::mouseClick(skipped->findChild<QPushButton *>(QStringLiteral("copyProblems")),
                                                        Qt::LeftButton);
    const QString copied = QApplication::clipboard()->text();
    QVERIFY2(copied.contains(QStringLiteral("/d/ann.json annotations[9]: category id 7")),
                             qPrintable(copied));
    QVERIFY(DatasetReportDialog::summary(r).contains(QStringLiteral("Imported 12 image")));
}

void TestDatasetDialogs::importCocoRefreshesMainWindow()
{
    QVERIFY2(havePipeline("coco"), "the COCO format is not registered");
    BrowserFixture f(2);
    QVERIFY(f.ok());
    const QString ann = writeCoco(f.dir() + QStringLiteral("/coco"), false);
    QVERIFY(!ann.isEmpty());
    auto *act = f.window().findChild<QAction *>(QStringLiteral("importDatasetAction"));
    QVERIFY(act && act->isEnabled());
    act->trigger();
    QPointer<DatasetImportDialog> dlg = f.window().findChild<DatasetImportDialog *>();
    QVERIFY(dlg && dlg->isVisible());
    QVERIFY(dlg->selectFormat(QStringLiteral("coco")));
    dlg->setPath(ann);
    shot(dlg, "import-dialog");
    QTest::mouseClick(dlg->runButton(), Qt::LeftButton);
    // Done, the dialog closes itself (and goes) and the report stays.
    QTRY_VERIFY_WITH_TIMEOUT(!dlg, 30000);
    QVERIFY2(f.prompter().errors.isEmpty(), qPrintable(f.prompter().errors.join('\n')));
    QPointer<DatasetReportDialog> report = f.window().findChild<DatasetReportDialog *>();
    QVERIFY(report && report->isVisible());
    shot(report, "import-report");
    QCOMPARE(report->count(QStringLiteral("imagesAdded")), QStringLiteral("2"));
    QCOMPARE(report->count(QStringLiteral("classesAdded")), QStringLiteral("2"));
    QCOMPARE(report->count(QStringLiteral("boxes")), QStringLiteral("2"));
    QCOMPARE(report->count(QStringLiteral("polygons")), QStringLiteral("1"));
    // The worker wrote through its own connection; the views re-read.
    QCOMPARE(f.window().imageModel()->rowCount(), 4);
    auto r = f.reader();
    QVERIFY(r->classIdByName(QStringLiteral("zebra")).ok());
    QCOMPARE(shapeCount(*r), 3);
    auto *classes = f.window().findChild<ClassPanel *>();
    QVERIFY(classes);
    QCOMPARE(classes->findChild<QAbstractItemView *>()->model()->rowCount(), 5);
    QTRY_VERIFY(f.window().statusCounts().contains(QStringLiteral("of 4 shown")));
    QTest::keyClick(report, Qt::Key_Escape);
    QTRY_VERIFY(!report);
}

void TestDatasetDialogs::problemsWindow_data()
{
    QTest::addColumn<bool>("skip");
    QTest::newRow("abort leaves the project unchanged") << false;
    QTest::newRow("skip imports the rest") << true;
}

void TestDatasetDialogs::problemsWindow()
{
    QVERIFY2(havePipeline("coco"), "the COCO format is not registered");
    QFETCH(bool, skip);
    BrowserFixture f(2);
    QVERIFY(f.ok());
    const QString ann = writeCoco(f.dir() + QStringLiteral("/coco"), true);
    QVERIFY(!ann.isEmpty());
    auto before = f.reader();
    const int classesBefore = int(before->classes().valueOr({}).size());
    before.reset();
    DatasetImportDialog dlg(f.projectFile(), &f.window());
    dlg.setPrompter(&f.prompter());
    dlg.show();
    dlg.setPath(ann); // auto-detect
    QTest::mouseClick(dlg.runButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dlg.problemsDialog() && dlg.problemsDialog()->isVisible(), 30000);
    ProblemsDialog *problems = dlg.problemsDialog();
    QTableWidget *table = problems->problems()->table();
    QVERIFY(table->rowCount() >= 1);
    // The row names the file the problem is in, and says what is wrong.
    bool named = false;
    for (int i = 0; i < table->rowCount(); ++i) {
        const QString file = table->item(i, 0)->text();
        const bool fileNamed = file.endsWith(QStringLiteral("ann.json"))
                               || file.endsWith(QStringLiteral("missing.png"));
        named = named || (fileNamed && table->item(i, 3)->text().size() > 3);
    }
    QVERIFY2(named, qPrintable(problems->problems()->text()));
    QVERIFY(problems->problems()->text().contains(QStringLiteral("missing.png")));
    shot(problems, "problems");
    QTest::mouseClick(skip ? problems->skipButton() : problems->abortButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dlg.isRunning(), 30000);
    QVERIFY2(f.prompter().errors.isEmpty(), qPrintable(f.prompter().errors.join('\n')));
    auto r = f.reader();
    if (skip)
        shot(dlg.reportDialog(), "import-report-skipped");
    if (skip) {
        QCOMPARE(count(*r), 4);
        QCOMPARE(shapeCount(*r), 3);
        QVERIFY(dlg.reportDialog());
        QVERIFY(dlg.reportDialog()->count(QStringLiteral("skipped")).toInt() >= 1);
        QCOMPARE(f.window().imageModel()->rowCount(), 2); // not through the menu: no refresh asked
    } else {
        QCOMPARE(count(*r), 2);
        QCOMPARE(shapeCount(*r), 0);
        QCOMPARE(int(r->classes().valueOr({}).size()), classesBefore);
        QVERIFY(dlg.isVisible());
    }
}

void TestDatasetDialogs::malformedFileNamesFileAndLine()
{
    QVERIFY2(havePipeline("coco"), "the COCO format is not registered");
    BrowserFixture f(1);
    QVERIFY(f.ok());
    const QString bad = f.dir() + QStringLiteral("/bad.json");
    QVERIFY(writeFile(bad, "{\n  \"images\": [\n    {\"id\": 1,,}\n  ]\n}\n"));
    DatasetImportDialog dlg(f.projectFile(), &f.window());
    dlg.setPrompter(&f.prompter());
    dlg.show();
    QVERIFY(dlg.selectFormat(QStringLiteral("coco")));
    dlg.setPath(bad);
    QTest::keyClick(&dlg, Qt::Key_Return); // Enter imports
    QTRY_VERIFY_WITH_TIMEOUT(!dlg.isRunning() && !f.prompter().errors.isEmpty(), 30000);
    const QString shown = f.prompter().errors.first();
    QVERIFY2(shown.contains(QStringLiteral("bad.json:3")), qPrintable(shown));
    QCOMPARE(count(*f.reader()), 1);
}

void TestDatasetDialogs::exportCsvWarnsAboutShapes()
{
    QVERIFY2(havePipeline("csv"), "the CSV format is not registered");
    BrowserFixture f(3);
    QVERIFY(f.ok());
    {
        auto opened = ProjectStore::open(f.projectFile()); // the fixture's reader is read-only
        QVERIFY(opened.ok());
        ProjectStore *w = opened->get();
        const qint64 cat = w->classIdByName(QStringLiteral("cat")).valueOr(0);
        const Status labelled = w->setLabels({LabelSet{f.imageIds()[0], {cat}}});
        QVERIFY2(labelled.ok(),
                 qPrintable(labelled.ok() ? QString() : labelled.error().toString()));
        Shape box;
        box.imageId = f.imageIds()[1];
        box.classId = cat;
        box.geometry = Geometry(Box{QRectF(2, 2, 10, 10)});
        QVERIFY(w->addShapes({box}).ok());
    }
    const QString out = f.dir() + QStringLiteral("/export");
    DatasetExportDialog dlg(*f.window().store(), &f.window());
    dlg.setPrompter(&f.prompter());
    dlg.show();
    QVERIFY(dlg.selectFormat(QStringLiteral("csv")));
    dlg.setOutDir(out);
    dlg.setPlacement(ImagePlacement::Copy);
    shot(&dlg, "export-dialog");
    QTest::mouseClick(dlg.runButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dlg.isRunning(), 30000);
    QVERIFY2(f.prompter().errors.isEmpty(), qPrintable(f.prompter().errors.join('\n')));
    QVERIFY(dlg.reportDialog());
    QStringList written;
    QDirIterator it(out, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        written << it.next();
    QVERIFY2(std::any_of(written.begin(), written.end(),
                         [](const QString &p) { return p.endsWith(QStringLiteral(".csv")); }),
             qPrintable(written.join('\n')));
    QVERIFY2(std::any_of(written.begin(), written.end(),
                         [](const QString &p) { return p.endsWith(QStringLiteral("img000.png")); }),
             qPrintable(written.join('\n')));
    // CSV has no place for the box: the report says so.
    auto *warnings = dlg.reportDialog()->findChild<ProblemTable *>(QStringLiteral("warningsTable"));
    QVERIFY(warnings);
    QVERIFY(warnings->table()->rowCount() >= 1);
    QVERIFY(dlg.reportDialog()->count(QStringLiteral("warnings")).toInt() >= 1);
    shot(dlg.reportDialog(), "export-report");
}

void TestDatasetDialogs::menuEntriesNeedProject()
{
    BrowserFixture f(0);
    QVERIFY(f.ok());
    auto *import = f.window().findChild<QAction *>(QStringLiteral("importDatasetAction"));
    auto *exportAct = f.window().findChild<QAction *>(QStringLiteral("exportDatasetAction"));
    QVERIFY(import && exportAct);
    QCOMPARE(import->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+I")));
    QCOMPARE(exportAct->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+E")));
    QVERIFY(import->isEnabled());
    QTRY_VERIFY(!exportAct->isEnabled()); // no images to export
    // The key opens the dialog over the window; Escape closes it.
    f.window().activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&f.window()));
    f.press(Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
    QPointer<DatasetImportDialog> dlg = f.window().findChild<DatasetImportDialog *>();
    QVERIFY(dlg && dlg->isVisible());
    QTest::keyClick(dlg, Qt::Key_Escape);
    QTRY_VERIFY(!dlg);
    f.window().closeProject();
    QVERIFY(!import->isEnabled());
    QVERIFY(!exportAct->isEnabled());
}

QTEST_MAIN(TestDatasetDialogs)
#include "tst_datasetdialogs.moc"
