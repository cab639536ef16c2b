// SPDX-License-Identifier: GPL-3.0-or-later
// The model card beside every export, from a project whose run is written by
// hand through RunStore (no training): what a reader of the card learns
// (classes with counts per split, the test metrics else the validation ones,
// the recipe in words, the export's figures, the user's fields), that the
// HTML page escapes what users typed, and that the files are written whole
// or not at all.
#include "core/imaging/augment.h"
#include "core/project/store.h"
#include "core/runs/metrics.h"
#include "core/runs/modelcard.h"
#include "core/runs/runstore.h"
#include "core/runs/trainconfig.h"
#include "tests/support/tinydataset.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;
using namespace salient::train;

namespace {

const QString kOddClass = QStringLiteral("disc <b>&</b> \"ring\"");

EvalMetrics metricsWithAccuracy(double correctShare, int n)
{
    // n examples cycling through 3 classes, the first correctShare of them right.
    std::vector<float> probs;
    std::vector<int> labels;
    for (int i = 0; i < n; ++i) {
        const int truth = i % 3;
        const int predicted = i < int(correctShare * n + 0.5) ? truth : (truth + 1) % 3;
        for (int c = 0; c < 3; ++c)
            probs.push_back(c == predicted ? 0.8f : 0.1f);
        labels.push_back(truth);
    }
    return singleLabelMetrics(probs, labels, 3);
}

ExportReport exportReport()
{
    ExportReport r;
    r.outFile = QStringLiteral("/somewhere/model.onnx");
    r.meta.format = QStringLiteral("onnx-int8");
    r.meta.architecture = QStringLiteral("smallcnn");
    r.meta.classNames = {QStringLiteral("horizontal"), QStringLiteral("vertical"), kOddClass};
    r.meta.inputSize = 32;
    r.fileBytes = 1000;
    r.fp32Bytes = 4000;
    r.parity.ran = true;
    r.parity.runtime = QStringLiteral("OpenCV dnn 4.6.0");
    r.parity.images = 12;
    r.parity.maxAbsDiff = 0.25;
    r.parity.top1Agreement = 0.75;
    r.parity.checkerOk = true;
    r.parity.tolerance = 0;
    r.evalImages = 12;
    r.fp32Accuracy = 0.9;
    r.exportedAccuracy = 0.85;
    r.dropAboveLimit = true;
    r.warnings << QStringLiteral("Test accuracy fell by 5.0 points.");
    return r;
}

} // namespace

class TestModelCard : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cardDescribesTheRunAndTheExport();
    void metricsComeFromTestElseValidation_data();
    void metricsComeFromTestElseValidation();
    void unknownRunNamesTheProject();
    void htmlIsReadableAndEscaped();
    void writeProducesBothFiles();
    void failedWriteLeavesNoCard_data();
    void failedWriteLeavesNoCard();

private:
    /// A run over the tiny project's snapshot; metrics as asked.
    qint64 makeRun(const QByteArray &bestMetrics, const QByteArray &testMetrics);

    QTemporaryDir m_dir;
    QString m_project;
    std::unique_ptr<ProjectStore> m_store;
    qint64 m_run = 0;
    EvalMetrics m_test;
    EvalMetrics m_validation;
};

void TestModelCard::initTestCase()
{
    QVERIFY(m_dir.isValid());
    test::TinySpec spec;
    spec.classes = {QStringLiteral("horizontal"), QStringLiteral("vertical"), kOddClass};
    spec.trainPerClass = {5, 4, 3};
    spec.valPerClass = 2;
    spec.testPerClass = 1;
    spec.size = 8;
    m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("tiny")), spec);
    QVERIFY(!m_project.isEmpty());
    auto store = ProjectStore::open(m_project);
    QVERIFY(store.ok());
    m_store = std::move(store.value());
    m_test = metricsWithAccuracy(2.0 / 3.0, 3);
    m_validation = metricsWithAccuracy(0.5, 6);
    m_run = makeRun(m_validation.toJson({}), m_test.toJson({}));
    QVERIFY(m_run > 0);
}

qint64 TestModelCard::makeRun(const QByteArray &bestMetrics, const QByteArray &testMetrics)
{
    auto classes = m_store->classes();
    auto splits = m_store->splits();
    if (!classes.ok() || !splits.ok())
        return 0;
    QVector<qint64> classIds;
    QStringList names;
    for (const ClassRecord &c : classes.value()) {
        classIds << c.id;
        names << c.name;
    }
    QHash<qint64, RunRole> roles;
    for (const SplitRecord &s : splits.value()) {
        const RunRole role = s.name == QLatin1String("train") ? RunRole::Train
                             : s.name == QLatin1String("val") ? RunRole::Validation
                                                              : RunRole::Test;
        ImageFilter filter;
        filter.splitId = s.id;
        for (qint64 id : m_store->imageIds(filter).valueOr({}))
            roles.insert(id, role);
    }
    TrainConfig config;
    config.model = QStringLiteral("smallcnn");
    config.epochs = 7;
    AugmentRecipe recipe;
    TransformSpec rotate;
    rotate.type = TransformType::Rotate;
    rotate.probability = 0.5;
    rotate.params.insert(QStringLiteral("degrees"), 15);
    TransformSpec flip;
    flip.type = TransformType::HorizontalFlip;
    recipe.transforms << rotate << flip;
    config.augmentRecipe = recipe.toJson();
    RunStore runs(*m_store);
    auto id = runs.createRun(QStringLiteral("card <run>"), config.toJson(), classIds, names, roles);
    if (!id.ok())
        return 0;
    for (int epoch = 1; epoch <= 2; ++epoch) {
        EpochRecord e;
        e.epoch = epoch;
        Checkpoint cp;
        cp.epoch = epoch;
        cp.data = "weights";
        if (!runs.recordEpoch(id.value(), e, cp, epoch == 1, 0.5, bestMetrics).ok())
            return 0;
    }
    if (!testMetrics.isEmpty() && !runs.setTestMetrics(id.value(), testMetrics).ok())
        return 0;
    return id.value();
}

void TestModelCard::cardDescribesTheRunAndTheExport()
{
    auto card = buildModelCard(*m_store, m_run, exportReport(), QStringLiteral("Sorting stripes."), {});
    QVERIFY2(card.ok(), qPrintable(card.ok() ? QString() : card.error().toString()));
    const QJsonObject c = card.value();

    const QJsonArray classes = c.value("classes").toArray();
    QCOMPARE(classes.size(), 3);
    const int expected[3][3] = {{5, 2, 1}, {4, 2, 1}, {3, 2, 1}};
    for (int i = 0; i < 3; ++i) {
        const QJsonObject k = classes[i].toObject();
        QCOMPARE(k.value("train").toInt(), expected[i][0]);
        QCOMPARE(k.value("validation").toInt(), expected[i][1]);
        QCOMPARE(k.value("test").toInt(), expected[i][2]);
    }
    QCOMPARE(classes[2].toObject().value("name").toString(), kOddClass);

    const QJsonObject training = c.value("training").toObject();
    QCOMPARE(training.value("config").toObject().value("model").toString(), QString("smallcnn"));
    QCOMPARE(training.value("epochs").toInt(), 2);
    QCOMPARE(training.value("epochs_planned").toInt(), 7);
    QCOMPARE(training.value("best_epoch").toInt(), 1);
    QCOMPARE(training.value("run_name").toString(), QString("card <run>"));
    const QJsonArray words = training.value("augmentation").toArray();
    QCOMPARE(words.size(), 2);
    QCOMPARE(words[0].toString(), QString("rotate (degrees 15; p 0.5)"));
    QCOMPARE(words[1].toString(), QString("horizontal flip"));
    QVERIFY(!QDateTime::fromString(training.value("started_at").toString(), Qt::ISODate).isNull());

    const QJsonObject exported = c.value("export").toObject();
    QCOMPARE(exported.value("format").toString(), QString("onnx-int8"));
    QCOMPARE(exported.value("file").toString(), QString("model.onnx"));
    QCOMPARE(exported.value("size_ratio").toDouble(), 4.0);
    QVERIFY(qAbs(exported.value("accuracy_change").toDouble() - (-0.05)) < 1e-9);
    QCOMPARE(exported.value("drop_above_limit").toBool(), true);
    QCOMPARE(exported.value("parity").toObject().value("images").toInt(), 12);
    QCOMPARE(exported.value("warnings").toArray().size(), 1);
    QCOMPARE(c.value("model").toObject().value("architecture").toString(), QString("smallcnn"));

    QCOMPARE(c.value("intended_use").toString(), QString("Sorting stripes."));
    QVERIFY(c.contains("limitations")); // kept empty so it can be filled in later
    QCOMPARE(c.value("limitations").toString(), QString());
    const QDateTime created = QDateTime::fromString(c.value("created_at").toString(), Qt::ISODate);
    QVERIFY(created.isValid());
    QCOMPARE(created.timeSpec(), Qt::UTC);
    QVERIFY(qAbs(created.secsTo(QDateTime::currentDateTimeUtc())) < 60);
}

void TestModelCard::metricsComeFromTestElseValidation_data()
{
    QTest::addColumn<bool>("withValidation");
    QTest::addColumn<bool>("withTest");
    QTest::addColumn<QString>("split");
    QTest::newRow("test metrics stored: the test split") << true << true << "test";
    QTest::newRow("validation only: the validation split") << true << false << "validation";
    QTest::newRow("never evaluated: no split") << false << false << "";
}

void TestModelCard::metricsComeFromTestElseValidation()
{
    QFETCH(bool, withValidation);
    QFETCH(bool, withTest);
    QFETCH(QString, split);
    const qint64 run = makeRun(withValidation ? m_validation.toJson({}) : QByteArray(),
                               withTest ? m_test.toJson({}) : QByteArray());
    QVERIFY(run > 0);
    auto card = buildModelCard(*m_store, run, exportReport(), {}, {});
    QVERIFY(card.ok());
    const QJsonObject metrics = card->value("metrics").toObject();
    if (split.isEmpty()) {
        QVERIFY(metrics.value("split").isNull());
        QVERIFY(modelCardHtml(card.value()).contains("no evaluation yet"));
        return;
    }
    QCOMPARE(metrics.value("split").toString(), split);
    const EvalMetrics &m = withTest ? m_test : m_validation;
    QCOMPARE(metrics.value("accuracy").toDouble(), m.accuracy);
    QCOMPARE(metrics.value("samples").toInt(), int(m.samples));
    QCOMPARE(metrics.value("macro_f1").toDouble(), m.macroF1);
    const QJsonArray perClass = metrics.value("per_class").toArray();
    QCOMPARE(perClass.size(), 3);
    QCOMPARE(perClass[2].toObject().value("name").toString(), kOddClass);
    QCOMPARE(perClass[0].toObject().value("recall").toDouble(), m.perClass[0].recall);
    QCOMPARE(perClass[1].toObject().value("precision").toDouble(), m.perClass[1].precision);
}

void TestModelCard::unknownRunNamesTheProject()
{
    auto card = buildModelCard(*m_store, 9999, exportReport(), {}, {});
    QVERIFY(!card.ok());
    QCOMPARE(card.error().code, Error::Code::NotFound);
    QVERIFY2(card.error().toString().contains(m_project), qPrintable(card.error().toString()));
}

void TestModelCard::htmlIsReadableAndEscaped()
{
    auto card = buildModelCard(*m_store, m_run, exportReport(),
                               QStringLiteral("<script>alert('x')</script> & friends"), {});
    QVERIFY(card.ok());
    const QString html = modelCardHtml(card.value());
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    QVERIFY(!html.contains("<script>"));
    QVERIFY(html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; friends")
            || html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; friends"));
    QVERIFY(!html.contains("<b>&</b>"));
    QVERIFY(html.contains("disc &lt;b&gt;&amp;&lt;/b&gt; &quot;ring&quot;"));
    QVERIFY(html.contains("Model card: card &lt;run&gt;"));
    QVERIFY(html.contains("Not filled in yet")); // the empty limitations
    QVERIFY(html.contains("rotate (degrees 15; p 0.5)"));
    QVERIFY(html.contains("Test accuracy fell by 5.0 points."));
    // Self-contained: nothing to fetch.
    QVERIFY(!html.contains("src="));
    QVERIFY(!html.contains("<link"));
}

void TestModelCard::writeProducesBothFiles()
{
    auto card = buildModelCard(*m_store, m_run, exportReport(), QStringLiteral("first"), {});
    QVERIFY(card.ok());
    const QString model = m_dir.filePath("out/model.onnx");
    QVERIFY(QDir().mkpath(m_dir.filePath("out")));
    auto written = writeModelCard(card.value(), model);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().toString()));
    QCOMPARE(written.value(), QStringList({model + ".card.json", model + ".card.html"}));
    QFile json(model + ".card.json");
    QVERIFY(json.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(json.readAll()).object(), card.value());
    json.close();

    // Writing again replaces the card as a whole; no temporary files stay.
    QJsonObject second = card.value();
    second.insert("intended_use", QStringLiteral("second"));
    QVERIFY(writeModelCard(second, model).ok());
    QVERIFY(json.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(json.readAll()).object().value("intended_use").toString(),
             QString("second"));
    QFile html(model + ".card.html");
    QVERIFY(html.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(html.readAll()).contains("second"));
    QCOMPARE(QDir(m_dir.filePath("out")).entryList(QDir::Files).size(), 2);
}

void TestModelCard::failedWriteLeavesNoCard_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("named");
    QTest::newRow("folder missing") << "missing/model.onnx" << "missing/model.onnx.card.json";
    QTest::newRow("folder is a file") << "afile/model.onnx" << "afile/model.onnx.card.json";
    QTest::newRow("page path is a folder") << "blocked/model.onnx" << "blocked/model.onnx.card.html";
}

void TestModelCard::failedWriteLeavesNoCard()
{
    QFETCH(QString, model);
    QFETCH(QString, named);
    QFile plain(m_dir.filePath("afile"));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    QVERIFY(QDir().mkpath(m_dir.filePath("blocked/model.onnx.card.html")));
    auto card = buildModelCard(*m_store, m_run, exportReport(), {}, {});
    QVERIFY(card.ok());
    auto written = writeModelCard(card.value(), m_dir.filePath(model));
    QVERIFY(!written.ok());
    QCOMPARE(written.error().code, Error::Code::Io);
    QCOMPARE(written.error().path, m_dir.filePath(named));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(model) + ".card.json"));
    if (model.startsWith("blocked"))
        QCOMPARE(QDir(m_dir.filePath("blocked")).entryList(QDir::Files).size(), 0);
}

QTEST_GUILESS_MAIN(TestModelCard)
#include "tst_modelcard.moc"
