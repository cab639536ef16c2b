// SPDX-License-Identifier: GPL-3.0-or-later
// The dataset import/export pipeline (datasetio.h) with a test-local format, so
// that these tests depend on no real reader: all-or-nothing imports, skip and
// abort, missing and EXIF-rotated images, re-imports, locked splits, exports.
#include "core/formats/datasetio.h"
#include "core/imaging/decode.h"
#include "core/imaging/importer.h"

#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"

#include <QDir>
#include <QFile>
#include <QtTest>

#include <optional>

using namespace salient;

namespace {

/// A format whose reader returns the dataset the test built, and whose writer keeps what it got.
class FakeFormat : public DatasetFormat {
public:
    Dataset dataset;
    QVector<FormatProblem> readProblems;
    std::optional<Error> readError;
    mutable std::optional<Dataset> written;

    FormatId id() const override { return FormatId::Coco; }
    QString name() const override { return QStringLiteral("fake"); }
    QString displayName() const override { return QStringLiteral("Fake"); }
    bool readsFolder() const override { return false; }
    int detect(const QString &) const override { return 0; }
    Result<Dataset> read(const QString &, const ReadOptions &,
                         QVector<FormatProblem> &problems) const override
    {
        if (readError)
            return *readError;
        problems += readProblems;
        return dataset;
    }
    Status write(const Dataset &data, const QString &, const WriteOptions &,
                 QVector<FormatProblem> &warnings) const override
    {
        written = data;
        FormatProblem w;
        w.message = QStringLiteral("fake writer note");
        warnings.push_back(w);
        return {};
    }
};

DatasetShape shape(const Geometry &g, int classIndex, int origin = -1)
{
    DatasetShape s;
    s.geometry = g;
    s.classIndex = classIndex;
    s.origin = origin;
    return s;
}

Geometry box(double x, double y, double w, double h)
{
    return Box{QRectF(x, y, w, h)};
}

/// Everything a user could see of a project, one line per fact, for before/after comparisons.
QStringList snapshot(ProjectStore &store)
{
    QStringList out;
    const auto classes = store.classes().value();
    for (const ClassRecord &c : classes)
        out << QStringLiteral("class %1 %2 %3 %4").arg(c.id).arg(c.name).arg(c.order).arg(
            c.color.name());
    const auto splits = store.splits().value();
    for (const SplitRecord &s : splits)
        out << QStringLiteral("split %1 %2 %3").arg(s.id).arg(s.name).arg(s.locked);
    const QVector<qint64> ids = store.imageIds().value();
    const auto labels = store.labels(ids).value();
    const auto records = store.images(ids).value();
    for (const ImageRecord &r : records) {
        out << QStringLiteral("image %1 %2 %3 %4x%5 split %6 labels %7")
                                  .arg(r.id)
                                  .arg(r.path, QString::fromLatin1(r.hash))
                                  .arg(r.width)
                                  .arg(r.height)
                                  .arg(r.splitId)
                                  .arg(QStringList([&] {
                                           QStringList l;
                                           for (qint64 c : labels.value(r.id))
                                               l << QString::number(c);
                                           return l;
                                       }())
                                           .join(','));
        const auto meta = store.meta(r.id).value();
        for (auto it = meta.constBegin(); it != meta.constEnd(); ++it)
            out << QStringLiteral("meta %1 %2=%3").arg(r.id).arg(it.key(), it.value());
        const auto shapes = store.shapes(r.id).value();
        for (const Shape &s : shapes)
            out << QStringLiteral("shape %1 on %2 class %3 %4 %5")
                                      .arg(s.id)
                                      .arg(s.imageId)
                                      .arg(s.classId)
                                      .arg(QString::fromLatin1(encodeGeometry(s.geometry).toHex()),
                                           s.attributes);
    }
    return out;
}

qint64 shapeCount(ProjectStore &store)
{
    qint64 n = 0;
    const auto counts = store.shapeCountsByClass().value();
    for (const ShapeCounts &c : counts)
        n += c.boxes + c.polygons + c.masks;
    return n;
}

} // namespace

class TestFormatsPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void importWritesEverything();
    void reimportAddsNothing();
    void importMergesIntoImagesAlreadyThere();
    void failureLeavesProjectUnchanged_data();
    void failureLeavesProjectUnchanged();
    void skipDropsExactlyTheProblemItems();
    void missingImageNamedWhereDeclared();
    void exifStoredSizeIsTurnedIntoDisplayedFrame_data();
    void exifStoredSizeIsTurnedIntoDisplayedFrame();
    void lockedSplitIsRespected();
    void embeddedImageIsExtracted();
    void exportOnlyTheSplitAsked();
    void exportUnknownSplitNamesTheSplits();
    void exportCountsAndOnlyAnnotated();

private:
    /// An image file in the dataset folder, declared in the fake annotation file at `line`.
    DatasetImage image(const QString &name, int line, int w = 64, int h = 48, int seed = 1);
    Result<DatasetImportReport> runImport(const ProblemDecision &decide = {},
                                          const DatasetProgressFn &progress = {},
                                          const std::atomic_bool *cancel = nullptr);

    std::unique_ptr<test::TempProject> m_project;
    FakeFormat m_format;
    QString m_data;        ///< dataset folder inside the project folder
    QString m_annotations; ///< the (fake) annotation file
};

void TestFormatsPipeline::init()
{
    m_project = std::make_unique<test::TempProject>();
    m_format = FakeFormat();
    m_data = m_project->path(QStringLiteral("data"));
    QVERIFY(QDir().mkpath(m_data));
    m_annotations = m_data + QStringLiteral("/annotations.fake");
    QFile f(m_annotations);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("fake\n");
}

void TestFormatsPipeline::cleanup()
{
    m_project.reset();
}

DatasetImage TestFormatsPipeline::image(const QString &name, int line, int w, int h, int seed)
{
    DatasetImage img;
    img.name = name;
    img.path = m_data + QLatin1Char('/') + name;
    QDir().mkpath(QFileInfo(img.path).path());
    if (!QFile::exists(img.path))
        test::writePng(img.path, w, h, 3, 8, seed);
    img.source = m_annotations;
    img.line = line;
    return img;
}

Result<DatasetImportReport> TestFormatsPipeline::runImport(const ProblemDecision &decide,
                                                           const DatasetProgressFn &progress,
                                                           const std::atomic_bool *cancel)
{
    DatasetImportOptions options;
    options.path = m_annotations;
    options.format = &m_format;
    options.threads = 2;
    return importDataset(m_project->store(), options, decide, progress, cancel);
}

void TestFormatsPipeline::importWritesEverything()
{
    Dataset &d = m_format.dataset;
    d.classes = {QStringLiteral("zebra"), QStringLiteral("ant")}; // dataset order, not sorted
    DatasetImage a = image(QStringLiteral("a.png"), 2);
    a.labels = {1};
    a.shapes = {shape(box(1.5, 2, 10, 20), 0),
                shape(Polygon{QPolygonF({{1, 1}, {30, 1}, {9, 40}})}, 1)};
    a.shapes[0].attributes = QStringLiteral("{\"iscrowd\":1}");
    a.split = QStringLiteral("train");
    a.meta = {{QStringLiteral("patient"), QStringLiteral("P17")}};
    DatasetImage b = image(QStringLiteral("sub/b.png"), 3, 32, 32, 2);
    Mask m(QRect(4, 4, 8, 8));
    m.set(5, 6, true);
    b.shapes = {shape(m, -1)};
    b.split = QStringLiteral("val");
    d.images = {a, b};

    QStringList stages;
    auto report = runImport({}, [&](const DatasetProgress &p) {
        if (stages.isEmpty() || stages.last() != p.stage)
            stages << p.stage;
    });
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QCOMPARE(stages, (QStringList{QStringLiteral("Reading"),
                         QStringLiteral("Checking images"), QStringLiteral("Writing project")}));
    QCOMPARE(report->format, QStringLiteral("fake"));
    QCOMPARE(report->imagesInFile, 2);
    QCOMPARE(report->imagesAdded, 2);
    QCOMPARE(report->imagesPresent, 0);
    QCOMPARE(report->classesAdded, 2);
    QCOMPARE(report->labelsAdded, 1);
    QCOMPARE(report->boxes, 1);
    QCOMPARE(report->polygons, 1);
    QCOMPARE(report->masks, 1);
    QVERIFY(report->skipped.isEmpty());

    ProjectStore &s = m_project->store();
    const auto classes = s.classes().value();
    QCOMPARE(classes.size(), 2);
    QCOMPARE(classes[0].name, QStringLiteral("zebra"));
    QCOMPARE(classes[1].name, QStringLiteral("ant"));
    const auto ids = s.imageIdsByPath().value();
    const qint64 ia = ids.value(QStringLiteral("data/a.png")),
                                ib = ids.value(QStringLiteral("data/sub/b.png"));
    QVERIFY(ia > 0 && ib > 0);
    QCOMPARE(s.labels(ia).value(), QVector<qint64>{classes[1].id});
    const auto shapesA = s.shapes(ia).value();
    QCOMPARE(shapesA.size(), 2);
    QCOMPARE(shapesA[0].geometry, box(1.5, 2, 10, 20));
    QCOMPARE(shapesA[0].classId, classes[0].id);
    QCOMPARE(shapesA[0].attributes, QStringLiteral("{\"iscrowd\":1}"));
    QCOMPARE(shapesA[1].classId, classes[1].id);
    const auto shapesB = s.shapes(ib).value();
    QCOMPARE(shapesB.size(), 1);
    QCOMPARE(shapesB[0].classId, qint64(0));
    QCOMPARE(shapesB[0].geometry, Geometry(m));
    QCOMPARE(s.meta(ia).value().value(QStringLiteral("patient")), QStringLiteral("P17"));
    const ImageRecord ra = s.image(ia).value(), rb = s.image(ib).value();
    QCOMPARE(QSize(ra.width, ra.height), QSize(64, 48));
    QVERIFY(!ra.hash.isEmpty());
    const auto splits = s.splits().value();
    QCOMPARE(splits.size(), 2);
    QCOMPARE(ra.splitId, s.ensureSplit(QStringLiteral("train")).value());
    QCOMPARE(rb.splitId, s.ensureSplit(QStringLiteral("val")).value());
}

void TestFormatsPipeline::reimportAddsNothing()
{
    Dataset &d = m_format.dataset;
    d.classes = {QStringLiteral("cat")};
    DatasetImage a = image(QStringLiteral("a.png"), 1);
    a.labels = {0};
    a.shapes = {shape(box(1, 1, 5, 5), 0), shape(box(1, 1, 5, 5), 0), shape(box(2, 2, 5, 5), -1)};
    a.split = QStringLiteral("train");
    d.images = {a};
    QVERIFY(runImport().ok());
    const QStringList before = snapshot(m_project->store());

    auto again = runImport();
    QVERIFY(again.ok());
    QCOMPARE(again->imagesAdded, 0);
    QCOMPARE(again->imagesPresent, 1);
    QCOMPARE(again->classesAdded, 0);
    QCOMPARE(again->labelsAdded, 0);
    QCOMPARE(again->boxes, 0);
    QCOMPARE(again->shapesPresent, 3);
    QCOMPARE(snapshot(m_project->store()), before);
}

void TestFormatsPipeline::importMergesIntoImagesAlreadyThere()
{
    // The image came in by the plain importer, with a label and a box of its own.
    DatasetImage a = image(QStringLiteral("a.png"), 1);
    ProjectStore &s = m_project->store();
    NewImage row = readImageFile(a.path);
    row.labels = {QStringLiteral("Cat")};
    const qint64 id = s.addImages({row}).value().value(0);
    QVERIFY(id > 0);
    const qint64 cat = s.classIdByName(QStringLiteral("Cat")).value();
    Shape own;
    own.imageId = id;
    own.classId = cat;
    own.geometry = box(3, 3, 4, 4);
    QVERIFY(s.addShapes({own}).ok());

    Dataset &d = m_format.dataset;
    d.classes = {QStringLiteral("Cat"), QStringLiteral("dog")};
    a.labels = {0, 1};
    a.shapes = {shape(box(3, 3, 4, 4), 0), shape(box(3, 3, 4, 4), 1)}; // the first is there already
    d.images = {a};
    auto report = runImport();
    QVERIFY(report.ok());
    QCOMPARE(report->imagesAdded, 0);
    QCOMPARE(report->imagesPresent, 1);
    QCOMPARE(report->classesAdded, 1);
    QCOMPARE(report->labelsAdded, 1);
    QCOMPARE(report->shapesPresent, 1);
    QCOMPARE(report->boxes, 1);
    const qint64 dog = s.classIdByName(QStringLiteral("dog")).value();
    QCOMPARE(s.labels(id).value(), (QVector<qint64>{cat, dog}));
    QCOMPARE(s.shapes(id).value().size(), 2);
    QCOMPARE(s.countImages().value(), qint64(1));
}

void TestFormatsPipeline::failureLeavesProjectUnchanged_data()
{
    QTest::addColumn<QString>("failure");
    QTest::addColumn<int>("code");
    QTest::newRow("user aborts at the problem list") << "decline" << int(Error::Code::Cancelled);
    QTest::newRow("no one to ask about a problem") << "no decide" << int(Error::Code::Cancelled);
    QTest::newRow("annotation file cannot be parsed") << "parse" << int(Error::Code::Parse);
    QTest::newRow("store refuses a class half way") << "class" << int(Error::Code::Invalid);
    QTest::newRow("store refuses a shape after images and labels")
        << "shape" << int(Error::Code::Invalid);
    QTest::newRow("cancelled while writing the project") << "cancel" << int(Error::Code::Cancelled);
}

void TestFormatsPipeline::failureLeavesProjectUnchanged()
{
    QFETCH(QString, failure);
    QFETCH(int, code);
    // A project with something in it already.
    Dataset &d = m_format.dataset;
    d.classes = {QStringLiteral("cat")};
    DatasetImage a = image(QStringLiteral("a.png"), 1);
    a.labels = {0};
    a.shapes = {shape(box(1, 1, 5, 5), 0)};
    a.split = QStringLiteral("train");
    d.images = {a};
    QVERIFY(runImport().ok());
    ProjectStore &s = m_project->store();
    const QStringList before = snapshot(s);
    const qint64 imagesBefore = s.countImages().value(), shapesBefore = shapeCount(s);

    // A second dataset that adds to every table, plus the failure.
    d.classes = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};
    a.labels = {0, 1};
    a.shapes = {shape(box(2, 2, 5, 5), 1)};
    DatasetImage b = image(QStringLiteral("b.png"), 2, 40, 40, 2);
    b.labels = {2};
    b.shapes = {shape(box(0, 0, 4, 4), 2)};
    b.split = QStringLiteral("val");
    b.meta = {{QStringLiteral("k"), QStringLiteral("v")}};
    d.images = {a, b};
    ProblemDecision decide = [](const QVector<FormatProblem> &) { return true; };
    std::atomic_bool cancel{false};
    DatasetProgressFn progress;
    if (failure == QLatin1String("decline") || failure == QLatin1String("no decide")) {
        d.images.push_back(image(QStringLiteral("c.png"), 3));
        QVERIFY(QFile::remove(d.images.back().path));
        if (failure == QLatin1String("decline"))
            decide = [](const QVector<FormatProblem> &) { return false; };
        else
            decide = nullptr;
    } else if (failure == QLatin1String("parse")) {
        m_format.readError = makeError(Error::Code::Parse, QStringLiteral("bad"), m_annotations, 7);
    } else if (failure == QLatin1String("class")) {
        d.classes.push_back(QStringLiteral("   ")); // after "dog" and "bird" were added
    } else if (failure == QLatin1String("shape")) {
        d.images[1].shapes.push_back(shape(box(1, 1, 2, 2), 0));
        d.images[1].shapes.back().attributes = QStringLiteral("not json");
    } else if (failure == QLatin1String("cancel")) {
        progress = [&](const DatasetProgress &p) {
            if (p.stage == QLatin1String("Writing project"))
                cancel = true;
        };
    }
    auto report = runImport(decide, progress, &cancel);
    QVERIFY(!report.ok());
    QCOMPARE(int(report.error().code), code);
    if (failure == QLatin1String("decline"))
        QCOMPARE(report.error().message, QStringLiteral("import aborted: 1 problems"));
    QCOMPARE(snapshot(m_project->store()), before);
    QCOMPARE(s.countImages().value(), imagesBefore);
    QCOMPARE(shapeCount(s), shapesBefore);
    QCOMPARE(s.classes().value().size(), 1);
    // And from another connection, i.e. on disk.
    QCOMPARE(snapshot(m_project->reopen()), before);
}

void TestFormatsPipeline::skipDropsExactlyTheProblemItems()
{
    Dataset &d = m_format.dataset;
    d.classes = {QStringLiteral("cat")};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    DatasetImage a = image(QStringLiteral("a.png"), 10);                    // 64x48
    a.shapes = {shape(box(1, 1, 5, 5), 0, 11),                              // good
                shape(box(nan, 1, 5, 5), 0, 12),                            // not a number
                shape(box(-12.5, 1, 5, 5), 0, 13),                          // negative
                shape(box(40, 1, 30, 5), 0, 14),                            // 40 + 30 > 64
                shape(Polygon{QPolygonF({{1, 1}, {2, 2}, {3, 3}})}, 0, 15), // zero area
                shape(box(-0.4, 0, 64.8, 48), 0, 16)};                      // clamped: fine
    DatasetImage gone = image(QStringLiteral("gone.png"), 20);
    QVERIFY(QFile::remove(gone.path));
    gone.shapes = {shape(box(1, 1, 2, 2), 0, 21)};
    DatasetImage b = image(QStringLiteral("b.png"), 30, 20, 20, 3);
    b.labels = {0};
    FormatProblem fromReader;
    fromReader.path = m_annotations;
    fromReader.line = 40;
    fromReader.message = QStringLiteral("category id 7 is not in categories");
    m_format.readProblems = {fromReader};
    DatasetImage wrongSize = image(QStringLiteral("small.png"), 50, 30, 30, 4);
    wrongSize.width = 100; // neither the displayed nor a stored size of the file
    wrongSize.height = 100;
    wrongSize.shapes = {shape(box(1, 1, 2, 2), 0, 51)};
    DatasetImage broken = image(QStringLiteral("broken.png"), 60);
    QVERIFY(test::writeText(broken.path));
    d.images = {a, gone, b, wrongSize, broken};

    QVector<FormatProblem> asked;
    auto report = runImport([&](const QVector<FormatProblem> &p) {
        asked = p;
        return true;
    });
    QVERIFY(report.ok());
    QStringList lines;
    for (const FormatProblem &p : asked)
        lines << p.toString();
    const QString file = m_annotations;
    QCOMPARE(lines.size(), 8);
    QVERIFY(lines.contains(file + QStringLiteral(":40: category id 7 is not in categories")));
    QVERIFY(lines.contains(file + QStringLiteral(":12: coordinate is not a number")));
    QVERIFY(lines.contains(file + QStringLiteral(":13: negative coordinate (x = -12.5)")));
    QVERIFY(lines.contains(file + QStringLiteral(":14: outside the 64x48 image (x + w = 70)")));
    QVERIFY(lines.contains(file + QStringLiteral(":15: polygon with zero area")));
    QVERIFY(lines.contains(file + QStringLiteral(":20: image file \"gone.png\" not found")));
    QVERIFY(lines.contains(file + QStringLiteral(":50: declared 100x100 but the file is 30x30")));
    QVERIFY2(lines.filter(QStringLiteral(":60: cannot read the image \"broken.png\": ")).size()
                          == 1,
                          qPrintable(lines.join(QLatin1Char('\n'))));
    QCOMPARE(report->skipped.size(), 8);
    QCOMPARE(report->imagesAdded, 2);
    QCOMPARE(report->boxes, 2);
    QCOMPARE(report->polygons, 0);
    QCOMPARE(report->labelsAdded, 1);

    ProjectStore &s = m_project->store();
    const auto ids = s.imageIdsByPath().value();
    QCOMPARE(ids.size(), 2);
    QVERIFY(!ids.contains(QStringLiteral("data/gone.png")));
    const auto kept = s.shapes(ids.value(QStringLiteral("data/a.png"))).value();
    QCOMPARE(kept.size(), 2);
    QCOMPARE(kept[0].geometry, box(1, 1, 5, 5));
    QCOMPARE(kept[1].geometry, box(0, 0, 64, 48)); // the half pixel clamped
}

void TestFormatsPipeline::missingImageNamedWhereDeclared()
{
    Dataset &d = m_format.dataset;
    DatasetImage gone = image(QStringLiteral("photos/gone.jpg"), -1);
    QVERIFY(QFile::remove(gone.path));
    gone.where = QStringLiteral("images[4]");
    d.images = {gone};
    QVector<FormatProblem> asked;
    auto report = runImport([&](const QVector<FormatProblem> &p) {
        asked = p;
        return false;
    });
    QVERIFY(!report.ok());
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked[0].path, m_annotations);
    QCOMPARE(asked[0].where, QStringLiteral("images[4]"));
    QCOMPARE(asked[0].toString(),
             m_annotations
                 + QStringLiteral(" images[4]: image file \"photos/gone.jpg\" not found"));
    QCOMPARE(m_project->store().countImages().value(), qint64(0));
}

void TestFormatsPipeline::exifStoredSizeIsTurnedIntoDisplayedFrame_data()
{
    QTest::addColumn<int>("orientation");
    QTest::addColumn<bool>("declareStored"); // else the displayed size is declared
    for (int o : {3, 5, 6, 7, 8}) {
        QTest::addRow("orientation %d, stored size declared", o) << o << true;
        QTest::addRow("orientation %d, displayed size declared", o) << o << false;
    }
}

void TestFormatsPipeline::exifStoredSizeIsTurnedIntoDisplayedFrame()
{
    QFETCH(int, orientation);
    QFETCH(bool, declareStored);
    const int w = 60, h = 36; // stored
    const int side = test::markerSide(w, h);
    DatasetImage img;
    img.name = QStringLiteral("rot.jpg");
    img.path = m_data + QStringLiteral("/rot.jpg");
    img.source = m_annotations;
    img.line = 1;
    QVERIFY(test::writeJpeg(img.path, w, h, 4, orientation));
    const bool swaps = orientation >= 5;
    const QSize displayed = swaps ? QSize(h, w) : QSize(w, h);
    img.width = declareStored ? w : displayed.width();
    img.height = declareStored ? h : displayed.height();
    // The marker square as a tool that ignores EXIF would have drawn it.
    img.shapes = {shape(box(0, 0, side, side), -1)};
    m_format.dataset.images = {img};

    auto report = runImport();
    QVERIFY(report.ok());
    ProjectStore &s = m_project->store();
    const qint64 id = s.imageIdsByPath().value().value(QStringLiteral("data/rot.jpg"));
    const ImageRecord r = s.image(id).value();
    QCOMPARE(QSize(r.width, r.height), displayed);
    const QRectF got = std::get<Box>(s.shapes(id).value().at(0).geometry).rect;
    if (declareStored && swaps) {
        QCOMPARE(report->warnings.size(), 1);
        QVERIFY(report->warnings[0].message.contains(QStringLiteral("displayed frame")));
        // The box now sits on the marker as the studio shows the image.
        auto shown = decodeImage(r.absolutePath, DecodeOptions{r.orientation});
        QVERIFY(shown.ok());
        QRect red;
        for (int y = 0; y < shown->rows; ++y)
            for (int x = 0; x < shown->cols; ++x) {
                const cv::Vec3b p = shown->at<cv::Vec3b>(y, x);
                if (p[2] > 180 && p[1] < 90 && p[0] < 90)
                    red = red.united(QRect(x, y, 1, 1));
            }
        QVERIFY2(std::abs(got.left() - red.left()) <= 1 && std::abs(got.top() - red.top()) <= 1
                     && std::abs(got.right() - red.right() - 1) <= 1
                     && std::abs(got.bottom() - red.bottom() - 1) <= 1,
                 qPrintable(QStringLiteral("box at %1,%2, marker at %3,%4")
                                               .arg(got.x())
                                               .arg(got.y())
                                               .arg(red.x())
                                               .arg(red.y())));
        if (orientation != 5) // transposing keeps the top-left corner where it is
            QVERIFY(got != QRectF(0, 0, side, side));
    } else {
        // The displayed size was declared (orientations 2..4 keep the size): taken as displayed.
        QVERIFY(report->warnings.isEmpty());
        QCOMPARE(got, QRectF(0, 0, side, side));
    }
}

void TestFormatsPipeline::lockedSplitIsRespected()
{
    Dataset &d = m_format.dataset;
    DatasetImage a = image(QStringLiteral("a.png"), 1, 20, 20, 1);
    DatasetImage b = image(QStringLiteral("b.png"), 2, 20, 20, 2);
    a.split = QStringLiteral("test");
    d.images = {a, b};
    QVERIFY(runImport().ok());
    ProjectStore &s = m_project->store();
    const qint64 test = s.ensureSplit(QStringLiteral("test")).value();
    QVERIFY(s.setSplitLocked(test, true).ok());

    a.split = QStringLiteral("train"); // may not leave the locked split
    b.split = QStringLiteral("test");  // may not enter it
    DatasetImage c = image(QStringLiteral("c.png"), 3, 20, 20, 3);
    c.split = QStringLiteral("train");
    d.images = {a, b, c};
    auto report = runImport();
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QCOMPARE(report->warnings.size(), 2);
    const qint64 train = s.ensureSplit(QStringLiteral("train")).value();
    const auto ids = s.imageIdsByPath().value();
    QCOMPARE(s.image(ids.value(QStringLiteral("data/a.png"))).value().splitId, test);
    QCOMPARE(s.image(ids.value(QStringLiteral("data/b.png"))).value().splitId, qint64(0));
    QCOMPARE(s.image(ids.value(QStringLiteral("data/c.png"))).value().splitId, train);
    QVERIFY(report->warnings[0].toString().contains(QStringLiteral("locked split \"test\"")));
}

void TestFormatsPipeline::embeddedImageIsExtracted()
{
    const QString scratch = m_project->path(QStringLiteral("scratch/e.png"));
    QVERIFY(test::writePng(scratch, 24, 16, 3, 8, 9));
    QFile f(scratch);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    DatasetImage e;
    e.name = QStringLiteral("sub/e.png");
    e.path = m_data + QStringLiteral("/sub/e.png"); // not on disk: only inside the annotation file
    e.embeddedImage = bytes;
    e.source = m_annotations;
    e.shapes = {shape(box(1, 1, 4, 4), -1)};
    const QString extracted = m_project->dir() + QStringLiteral("/test.imported/sub/e.png");

    // Aborted: the extracted file goes again.
    DatasetImage gone = image(QStringLiteral("gone.png"), 5);
    QVERIFY(QFile::remove(gone.path));
    m_format.dataset.images = {e, gone};
    QVERIFY(!runImport().ok());
    QVERIFY(!QFile::exists(extracted));

    m_format.dataset.images = {e};
    auto report = runImport();
    QVERIFY(report.ok());
    QVERIFY(QFile::exists(extracted));
    QFile out(extracted);
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(out.readAll(), bytes);
    QCOMPARE(report->imagesAdded, 1);
    QCOMPARE(report->warnings.size(), 1);
    QVERIFY(report->warnings[0].message.contains(QStringLiteral("extracted")));
    const auto ids = m_project->store().imageIdsByPath().value();
    QVERIFY(ids.contains(QStringLiteral("test.imported/sub/e.png")));

    // Again: the same file is found, nothing new.
    auto again = runImport();
    QVERIFY(again.ok());
    QCOMPARE(again->imagesPresent, 1);
    QCOMPARE(again->shapesPresent, 1);
}

void TestFormatsPipeline::exportOnlyTheSplitAsked()
{
    Dataset &d = m_format.dataset;
    d.classes = {QStringLiteral("cat"), QStringLiteral("dog")};
    DatasetImage a = image(QStringLiteral("a.png"), 1, 20, 20, 1);
    a.split = QStringLiteral("train");
    a.labels = {0};
    DatasetImage b = image(QStringLiteral("b.png"), 2, 30, 20, 2);
    b.split = QStringLiteral("val");
    b.shapes = {shape(box(1, 1, 3, 3), 1)};
    b.meta = {{QStringLiteral("patient"), QStringLiteral("P1")}};
    DatasetImage c = image(QStringLiteral("c.png"), 3, 20, 20, 3);
    c.split = QStringLiteral("val");
    d.images = {c, a, b};
    QVERIFY(runImport().ok());

    DatasetExportOptions options;
    options.format = &m_format;
    options.outDir = m_project->path(QStringLiteral("out"));
    options.split = QStringLiteral("val");
    auto report = exportDataset(m_project->store(), options);
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QVERIFY(m_format.written.has_value());
    const Dataset &w = *m_format.written;
    QCOMPARE(w.classes, (QStringList{QStringLiteral("cat"), QStringLiteral("dog")}));
    QCOMPARE(w.images.size(), 2);
    QCOMPARE(w.images[0].name, QStringLiteral("data/b.png")); // path order
    QCOMPARE(w.images[1].name, QStringLiteral("data/c.png"));
    QCOMPARE(w.images[0].path, m_data + QStringLiteral("/b.png"));
    QCOMPARE(QSize(w.images[0].width, w.images[0].height), QSize(30, 20));
    QCOMPARE(w.images[0].split, QStringLiteral("val"));
    QCOMPARE(w.images[0].shapes.size(), 1);
    QCOMPARE(w.images[0].shapes[0].classIndex, 1);
    QCOMPARE(w.images[0].shapes[0].geometry, box(1, 1, 3, 3));
    QCOMPARE(w.images[0].meta.value(QStringLiteral("patient")), QStringLiteral("P1"));
    QCOMPARE(report->images, 2);
    QCOMPARE(report->boxes, 1);
    QCOMPARE(report->labels, 0);
    QCOMPARE(report->warnings.size(), 1);
}

void TestFormatsPipeline::exportUnknownSplitNamesTheSplits()
{
    DatasetImage a = image(QStringLiteral("a.png"), 1);
    a.split = QStringLiteral("train");
    DatasetImage b = image(QStringLiteral("b.png"), 1, 20, 20, 2);
    b.split = QStringLiteral("val");
    m_format.dataset.images = {a, b};
    QVERIFY(runImport().ok());
    DatasetExportOptions options;
    options.format = &m_format;
    options.outDir = m_project->path(QStringLiteral("out"));
    options.split = QStringLiteral("tset");
    auto report = exportDataset(m_project->store(), options);
    QVERIFY(!report.ok());
    const QString message = report.error().toString();
    QVERIFY2(message.contains(QStringLiteral("\"tset\""))
                              && message.contains(QStringLiteral("\"train\""))
                                                  && message.contains(QStringLiteral("\"val\"")),
                                                                      qPrintable(message));
    QVERIFY(!m_format.written.has_value());
}

void TestFormatsPipeline::exportCountsAndOnlyAnnotated()
{
    Dataset &d = m_format.dataset;
    d.classes = {QStringLiteral("cat"), QStringLiteral("dog")};
    DatasetImage a = image(QStringLiteral("a.png"), 1, 20, 20, 1);
    a.labels = {0, 1};
    a.shapes = {shape(box(1, 1, 3, 3), 0), shape(Polygon{QPolygonF({{1, 1}, {9, 1}, {5, 7}})}, 1)};
    DatasetImage b = image(QStringLiteral("b.png"), 2, 20, 20, 2);
    Mask m(QRect(0, 0, 5, 5));
    m.set(2, 2, true);
    b.shapes = {shape(m, 0)};
    DatasetImage bare = image(QStringLiteral("bare.png"), 3, 20, 20, 3);
    d.images = {a, b, bare};
    QVERIFY(runImport().ok());
    // An unreadable image in the project is never exported.
    QVERIFY(test::writeText(m_data + QStringLiteral("/broken.png")));
    QVERIFY(
        m_project->store().addImages({readImageFile(m_data + QStringLiteral("/broken.png"))}).ok());

    DatasetExportOptions options;
    options.format = &m_format;
    options.outDir = m_project->path(QStringLiteral("out"));
    auto all = exportDataset(m_project->store(), options);
    QVERIFY(all.ok());
    QCOMPARE(all->format, QStringLiteral("fake"));
    QCOMPARE(all->images, 3);
    QCOMPARE(all->classes, 2);
    QCOMPARE(all->labels, 2);
    QCOMPARE(all->boxes, 1);
    QCOMPARE(all->polygons, 1);
    QCOMPARE(all->masks, 1);

    options.onlyAnnotated = true;
    auto annotated = exportDataset(m_project->store(), options);
    QVERIFY(annotated.ok());
    QCOMPARE(annotated->images, 2);
    QCOMPARE(m_format.written->images.size(), 2);
    QCOMPARE(m_format.written->images[0].labels, (QVector<int>{0, 1}));

    auto direct = datasetFromProject(m_project->store());
    QVERIFY(direct.ok());
    QCOMPARE(direct->images.size(), 3);
}

QTEST_GUILESS_MAIN(TestFormatsPipeline)
#include "formats_pipeline.moc"
