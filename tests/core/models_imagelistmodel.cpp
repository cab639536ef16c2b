// SPDX-License-Identifier: GPL-3.0-or-later
// The browser's image model: the right rows for every filter, live updates
// from store changes without losing the view's rows, and bounded memory at
// 100,000 images.

#include "core/commands/editcommands.h"
#include "core/imaging/thumbnailer.h"
#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/core/models_fixture.h"
#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <memory>

using namespace salient;

class TestImageListModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void filters_data();
    void filters();
    void rolesOfOneImage();
    void placeholders();
    void thumbnailsReplacePlaceholdersRowByRow();
    void labellingUpdatesTheRow();
    void labellingUnderUnlabelledFilterRemovesRowWithoutReset();
    void undoBringsTheRowBack();
    void statusChangeUnderStatusFilter();
    void importInsertsRowsInPathOrder();
    void classRenameShowsInLabels();
    void classDeleteUnderClassFilter();
    void largeProjectOpensFastWithBoundedMemory();

private:
    QStringList names(const ImageListModel &model) const;

    std::unique_ptr<test::TempProject> m_project;
    ProjectStore *m_store = nullptr;
    QHash<QString, qint64> m_id; ///< file name -> image id
};

void TestImageListModel::init()
{
    m_project = std::make_unique<test::TempProject>();
    m_store = &m_project->store();
    const QString d = m_project->dir();
    // Paths chosen so that path order differs from insertion order.
    const QVector<NewImage> images = {
        test::fakeImage(d + "/cats/c2.jpg", {"cat"}),
        test::fakeImage(d + "/cats/c1.jpg", {"cat"}),
        test::fakeImage(d + "/dogs/d1.jpg", {"dog"}),
        test::fakeImage(d + "/mixed/m1.jpg", {"cat", "dog"}),
        test::fakeImage(d + "/loose/u1.jpg"),
        test::fakeImage(d + "/loose/u2.jpg"),
        test::fakeImage(d + "/broken/b1.jpg", {}, false),
    };
    auto ids = m_store->addImages(images);
    QVERIFY2(ids.ok(), qPrintable(ids.ok() ? QString() : ids.error().toString()));
    for (int i = 0; i < images.size(); ++i)
        m_id.insert(images.at(i).absolutePath.section('/', -1), ids->at(i));
    auto test = m_store->ensureSplit("test");
    QVERIFY(test.ok());
    QVERIFY(m_store->assignSplit({m_id["c1.jpg"], m_id["d1.jpg"]}, test.value()).ok());
    QVERIFY(m_store->setStatus({m_id["c2.jpg"], m_id["u1.jpg"]}, ImageStatus::Done).ok());
}

void TestImageListModel::cleanup()
{
    m_store = nullptr;
    m_project.reset();
    m_id.clear();
}

QStringList TestImageListModel::names(const ImageListModel &model) const
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row).data().toString();
    return out;
}

void TestImageListModel::filters_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("expected"); // file names in path order
    QTest::newRow("no filter: all, ordered by path")
        << "none" << QStringList{"b1.jpg", "c1.jpg", "c2.jpg", "d1.jpg", "u1.jpg", "u2.jpg", "m1.jpg"};
    QTest::newRow("class cat") << "class-cat" << QStringList{"c1.jpg", "c2.jpg", "m1.jpg"};
    QTest::newRow("class cat or dog")
        << "class-cat-dog" << QStringList{"c1.jpg", "c2.jpg", "d1.jpg", "m1.jpg"};
    QTest::newRow("split test") << "split-test" << QStringList{"c1.jpg", "d1.jpg"};
    QTest::newRow("in no split")
        << "split-none" << QStringList{"b1.jpg", "c2.jpg", "u1.jpg", "u2.jpg", "m1.jpg"};
    QTest::newRow("status done") << "status-done" << QStringList{"c2.jpg", "u1.jpg"};
    QTest::newRow("unlabelled") << "unlabelled" << QStringList{"b1.jpg", "u1.jpg", "u2.jpg"};
    QTest::newRow("unreadable") << "unreadable" << QStringList{"b1.jpg"};
    QTest::newRow("path search, any case") << "path-DOGS" << QStringList{"d1.jpg"};
    QTest::newRow("class cat and status done") << "cat-done" << QStringList{"c2.jpg"};
}

void TestImageListModel::filters()
{
    QFETCH(QString, kind);
    QFETCH(QStringList, expected);
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 cat = m_store->classIdByName("cat").valueOr(0);
    const qint64 dog = m_store->classIdByName("dog").valueOr(0);
    ImageFilter f;
    if (kind == "class-cat")
        f.classIds = {cat};
    else if (kind == "class-cat-dog")
        f.classIds = {cat, dog};
    else if (kind == "split-test")
        f.splitId = m_store->ensureSplit("test").valueOr(-1);
    else if (kind == "split-none")
        f.splitId = 0;
    else if (kind == "status-done")
        f.status = ImageStatus::Done;
    else if (kind == "unlabelled")
        f.unlabelledOnly = true;
    else if (kind == "unreadable")
        f.unreadableOnly = true;
    else if (kind == "path-DOGS")
        f.pathContains = "DOGS";
    else if (kind == "cat-done") {
        f.classIds = {cat};
        f.status = ImageStatus::Done;
    }
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFilter(f);
    QCOMPARE(reset.count(), kind == "none" ? 0 : 1);
    // Stored paths sort as folders: broken/ cats/ dogs/ loose/ mixed/.
    QStringList sortedExpected = expected;
    std::sort(sortedExpected.begin(), sortedExpected.end(), [&](const QString &a, const QString &b) {
        return m_store->image(m_id[a])->path < m_store->image(m_id[b])->path;
    });
    QCOMPARE(names(model), sortedExpected);
    QCOMPARE(model.filter(), f);
    // And back to everything.
    model.setFilter({});
    QCOMPARE(model.rowCount(), m_id.size());
}

void TestImageListModel::rolesOfOneImage()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int row = model.rowOf(m_id["m1.jpg"]);
    QVERIFY(row >= 0);
    const QModelIndex idx = model.index(row);
    QCOMPARE(idx.data(ImageListModel::IdRole).toLongLong(), m_id["m1.jpg"]);
    QCOMPARE(model.idAt(row), m_id["m1.jpg"]);
    QCOMPARE(idx.data(ImageListModel::PathRole).toString(), QString("mixed/m1.jpg"));
    QCOMPARE(idx.data(ImageListModel::AbsolutePathRole).toString(),
             m_project->dir() + "/mixed/m1.jpg");
    QCOMPARE(idx.data(ImageListModel::LabelsRole).toStringList(), (QStringList{"cat", "dog"}));
    QCOMPARE(idx.data(ImageListModel::LabelColorsRole).toList().size(), 2);
    QCOMPARE(idx.data(ImageListModel::SizeRole).toSize(), QSize(640, 480));
    QCOMPARE(idx.data(ImageListModel::ReadableRole).toBool(), true);
    QCOMPARE(idx.data(ImageListModel::StatusRole).toInt(), int(ImageStatus::New));
    QCOMPARE(idx.data(ImageListModel::SplitRole).toString(), QString());
    const QString tip = idx.data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains("mixed/m1.jpg") && tip.contains("cat, dog") && tip.contains("640"),
             qPrintable(tip));

    const QModelIndex c1 = model.index(model.rowOf(m_id["c1.jpg"]));
    QCOMPARE(c1.data(ImageListModel::SplitRole).toString(), QString("test"));
    const QModelIndex b1 = model.index(model.rowOf(m_id["b1.jpg"]));
    QCOMPARE(b1.data(ImageListModel::ReadableRole).toBool(), false);
    QCOMPARE(b1.data(ImageListModel::ReasonRole).toString(), QString("truncated JPEG"));
    QVERIFY(b1.data(Qt::ToolTipRole).toString().contains("truncated JPEG"));
    QCOMPARE(model.rowOf(987654), -1);
}

void TestImageListModel::placeholders()
{
    ImageListModel model(m_store, nullptr);
    const QImage grey = model.index(model.rowOf(m_id["c1.jpg"])).data(Qt::DecorationRole).value<QImage>();
    const QImage broken = model.index(model.rowOf(m_id["b1.jpg"])).data(Qt::DecorationRole).value<QImage>();
    QCOMPARE(grey.size(), QSize(256, 256));
    QCOMPARE(grey, model.placeholder());
    QCOMPARE(broken, model.brokenPlaceholder());
    QCOMPARE(model.index(model.rowOf(m_id["b1.jpg"])).data(ImageListModel::ThumbnailFailedRole).toBool(), true);
    QVERIFY(grey != broken);
    QCOMPARE(model.index(0).data(ImageListModel::ThumbnailReadyRole).toBool(), false);
}

void TestImageListModel::thumbnailsReplacePlaceholdersRowByRow()
{
    // Real files this time: two good JPEGs and one that is text.
    const QString d = m_project->dir();
    QVERIFY(test::writeJpeg(m_project->path("real/a.jpg"), 320, 240, 1));
    QVERIFY(test::writeJpeg(m_project->path("real/b.jpg"), 240, 320, 2));
    QVERIFY(test::writeText(m_project->path("real/c.jpg")));
    NewImage a = test::fakeImage(d + "/real/a.jpg");
    a.width = 320;
    a.height = 240;
    NewImage b = test::fakeImage(d + "/real/b.jpg");
    b.width = 240;
    b.height = 320;
    NewImage c = test::fakeImage(d + "/real/c.jpg"); // passed the probe, fails the decode
    QVERIFY(m_store->addImages({a, b, c}).ok());

    Thumbnailer thumbs(d + "/thumbs", 64, 2);
    ImageListModel model(m_store, &thumbs);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ImageFilter f;
    f.pathContains = "real/";
    model.setFilter(f);
    QCOMPARE(model.rowCount(), 3);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    for (int row = 0; row < 3; ++row) {
        QCOMPARE(model.index(row).data(Qt::DecorationRole).value<QImage>(), model.placeholder());
        QCOMPARE(model.index(row).data(ImageListModel::ThumbnailReadyRole).toBool(), false);
    }
    QCOMPARE(model.placeholder().size(), QSize(64, 64));
    // Two thumbnails and one failure, each announced for its own row only.
    QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 3, 10000);
    QSet<int> rows;
    for (const auto &args : std::as_const(changed)) {
        QCOMPARE(args.at(0).toModelIndex(), args.at(1).toModelIndex());
        QVERIFY(args.at(2).value<QList<int>>().contains(Qt::DecorationRole));
        rows.insert(args.at(0).toModelIndex().row());
    }
    QCOMPARE(rows, (QSet<int>{0, 1, 2}));
    QCOMPARE(model.index(0).data(Qt::DecorationRole).value<QImage>().size(), QSize(64, 48));
    QCOMPARE(model.index(1).data(Qt::DecorationRole).value<QImage>().size(), QSize(48, 64));
    QCOMPARE(model.index(0).data(ImageListModel::ThumbnailReadyRole).toBool(), true);
    QCOMPARE(model.index(2).data(Qt::DecorationRole).value<QImage>(), model.brokenPlaceholder());
    QCOMPARE(model.index(2).data(ImageListModel::ThumbnailFailedRole).toBool(), true);
    QCOMPARE(model.index(0).data(ImageListModel::ThumbnailFailedRole).toBool(), false);
    thumbs.waitForDone();
}

void TestImageListModel::labellingUpdatesTheRow()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QUndoStack stack;
    EditCommands commands(*m_store, stack);
    const int row = model.rowOf(m_id["u1.jpg"]);
    QCOMPARE(model.index(row).data(ImageListModel::LabelsRole).toStringList(), QStringList());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(commands.setLabels({m_id["u1.jpg"]}, {m_store->classIdByName("dog").value()}));
    QVERIFY(changed.count() >= 1);
    const QModelIndex first = changed.last().at(0).toModelIndex();
    const QModelIndex last = changed.last().at(1).toModelIndex();
    QVERIFY(first.row() <= row && row <= last.row());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.index(row).data(ImageListModel::LabelsRole).toStringList(), QStringList{"dog"});
}

void TestImageListModel::labellingUnderUnlabelledFilterRemovesRowWithoutReset()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ImageFilter f;
    f.unlabelledOnly = true;
    model.setFilter(f);
    QCOMPARE(names(model), (QStringList{"b1.jpg", "u1.jpg", "u2.jpg"}));
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QUndoStack stack;
    EditCommands commands(*m_store, stack);
    QVERIFY(commands.setLabels({m_id["u1.jpg"]}, {m_store->classIdByName("cat").value()}));
    QCOMPARE(reset.count(), 0); // a view keeps its selection and scroll position
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 1);
    QCOMPARE(names(model), (QStringList{"b1.jpg", "u2.jpg"}));
}

void TestImageListModel::undoBringsTheRowBack()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ImageFilter f;
    f.classIds = {m_store->classIdByName("dog").value()};
    model.setFilter(f);
    QCOMPARE(names(model), (QStringList{"d1.jpg", "m1.jpg"}));
    QUndoStack stack;
    EditCommands commands(*m_store, stack);
    QVERIFY(commands.clearLabels({m_id["d1.jpg"], m_id["m1.jpg"]}));
    QCOMPARE(model.rowCount(), 0);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    stack.undo();
    QCOMPARE(names(model), (QStringList{"d1.jpg", "m1.jpg"}));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.index(1).data(ImageListModel::LabelsRole).toStringList(), (QStringList{"cat", "dog"}));
}

void TestImageListModel::statusChangeUnderStatusFilter()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ImageFilter f;
    f.status = ImageStatus::Done;
    model.setFilter(f);
    QCOMPARE(names(model), (QStringList{"c2.jpg", "u1.jpg"}));
    QUndoStack stack;
    EditCommands commands(*m_store, stack);
    QVERIFY(commands.setStatus({m_id["d1.jpg"]}, ImageStatus::Done));
    QCOMPARE(names(model), (QStringList{"c2.jpg", "d1.jpg", "u1.jpg"}));
    QVERIFY(commands.setStatus({m_id["c2.jpg"]}, ImageStatus::NeedsReview));
    QCOMPARE(names(model), (QStringList{"d1.jpg", "u1.jpg"}));
    stack.undo();
    stack.undo();
    QCOMPARE(names(model), (QStringList{"c2.jpg", "u1.jpg"}));
}

void TestImageListModel::importInsertsRowsInPathOrder()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const QString d = m_project->dir();
    QVERIFY(m_store->addImages({test::fakeImage(d + "/cats/c3.jpg", {"cat"}),
                                test::fakeImage(d + "/zebra/z1.jpg", {"zebra"})})
                .ok());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(names(model),
             (QStringList{"b1.jpg", "c1.jpg", "c2.jpg", "c3.jpg", "d1.jpg", "u1.jpg", "u2.jpg",
                          "m1.jpg", "z1.jpg"}));
    QCOMPARE(model.index(model.rowCount() - 1).data(ImageListModel::LabelsRole).toStringList(),
             QStringList{"zebra"});
    QVERIFY(m_store->removeImages({m_id["c1.jpg"]}).ok());
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.rowOf(m_id["c1.jpg"]), -1);
}

void TestImageListModel::classRenameShowsInLabels()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex m1 = model.index(model.rowOf(m_id["m1.jpg"]));
    QCOMPARE(m1.data(ImageListModel::LabelsRole).toStringList(), (QStringList{"cat", "dog"}));
    QUndoStack stack;
    EditCommands commands(*m_store, stack);
    QVERIFY(commands.renameClass(m_store->classIdByName("dog").value(), "wolf"));
    QCOMPARE(m1.data(ImageListModel::LabelsRole).toStringList(), (QStringList{"cat", "wolf"}));
    QVERIFY(commands.recolorClass(m_store->classIdByName("cat").value(), QColor(1, 2, 3)));
    QCOMPARE(m1.data(ImageListModel::LabelColorsRole).toList().first().value<QColor>(), QColor(1, 2, 3));
}

void TestImageListModel::classDeleteUnderClassFilter()
{
    ImageListModel model(m_store, nullptr);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const qint64 cat = m_store->classIdByName("cat").value();
    ImageFilter f;
    f.classIds = {cat};
    model.setFilter(f);
    QCOMPARE(model.rowCount(), 3);
    QUndoStack stack;
    EditCommands commands(*m_store, stack);
    QVERIFY(commands.deleteClass(cat));
    QCOMPARE(model.rowCount(), 0);
    stack.undo();
    QCOMPARE(names(model), (QStringList{"c1.jpg", "c2.jpg", "m1.jpg"}));
    QCOMPARE(model.index(2).data(ImageListModel::LabelsRole).toStringList(), (QStringList{"cat", "dog"}));
}

void TestImageListModel::largeProjectOpensFastWithBoundedMemory()
{
    constexpr int kImages = 100000;
    QVector<NewImage> images;
    images.reserve(kImages);
    const QString d = m_project->dir();
    const QStringList classes = {"alpha", "beta", "gamma"};
    for (int i = 0; i < kImages; ++i) {
        images.append(test::fakeImage(
            d + QString("/big/%1/img%2.png").arg(i % 100, 3, 10, QChar('0')).arg(i, 6, 10, QChar('0')),
            {classes.at(i % 3)}));
    }
    QElapsedTimer clock;
    clock.start();
    QVERIFY(m_store->addImages(images).ok());
    qInfo("adding %d images to the store: %lld ms", kImages, clock.elapsed());
    images.clear();

    clock.restart();
    ImageListModel model(m_store, nullptr);
    const int rows = model.rowCount();
    for (int row = 0; row < 100; ++row) {
        QVERIFY(!model.index(row).data().toString().isEmpty());
        QVERIFY(!model.index(row).data(ImageListModel::LabelsRole).toStringList().isEmpty());
    }
    const qint64 openMs = clock.elapsed();
    qInfo("open %d-image model, rowCount, data() of first 100 rows: %lld ms", rows, openMs);
    QCOMPARE(rows, kImages + 7);
    QCOMPARE(model.pageFetches(), 1); // one page, not one query per row

    // Scroll through everything: the record cache stays at its bound.
    clock.restart();
    for (int row = 0; row < rows; ++row)
        QVERIFY(model.index(row).data(ImageListModel::PathRole).isValid());
    qInfo("data() of all %d rows: %lld ms, %d page fetches", rows, clock.elapsed(),
          model.pageFetches());
    QVERIFY(model.cachedRowCount() <= ImageListModel::kRowCacheLimit);
    QVERIFY(model.cachedRowCount() >= ImageListModel::kPageSize);
    QVERIFY(model.pageFetches() <= rows / (ImageListModel::kPageSize / 2) + 2);

    // A label change on one image does not reset the big model.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QUndoStack stack;
    EditCommands commands(*m_store, stack);
    clock.restart();
    QVERIFY(commands.setLabels({model.idAt(500)}, {m_store->classIdByName("beta").value()}));
    qInfo("label one image with the 100k model attached: %lld ms", clock.elapsed());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(model.index(500).data(ImageListModel::LabelsRole).toStringList(), QStringList{"beta"});

    // A status change re-runs the id query (a relink could reorder rows).
    clock.restart();
    QVERIFY(commands.setStatus({model.idAt(700)}, ImageStatus::Done));
    qInfo("set the status of one image, 100k rows: %lld ms", clock.elapsed());
    QCOMPARE(reset.count(), 0);

    // Under a label filter, a label change moves one row out, not a reset.
    ImageFilter f;
    f.classIds = {m_store->classIdByName("alpha").value()};
    clock.restart();
    model.setFilter(f);
    qInfo("filter by class, %d rows: %lld ms", model.rowCount(), clock.elapsed());
    clock.restart();
    QVERIFY(m_store->imageIds(f).ok());
    qInfo("  of which the store's id query: %lld ms", clock.elapsed());
    const int before = model.rowCount();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    reset.clear();
    clock.restart();
    QVERIFY(commands.setLabels({model.idAt(10)}, {m_store->classIdByName("gamma").value()}));
    qInfo("label one image out of a %d-row class filter: %lld ms", before, clock.elapsed());
    QCOMPARE(model.rowCount(), before - 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(reset.count(), 0);
}

QTEST_GUILESS_MAIN(TestImageListModel)
#include "models_imagelistmodel.moc"
