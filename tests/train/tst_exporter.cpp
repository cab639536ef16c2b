// SPDX-License-Identifier: GPL-3.0-or-later
// exportModel() and checkParity() on a run trained in seconds on the tiny
// project: the ONNX file passes the checker and gives LibTorch's logits
// through OpenCV dnn (plain, normalisation built in, features output); the
// LibTorch file loads back with identical logits; int8 reports its size
// ratio and accuracy change; a limit that cannot be met gives the warning;
// a run without a checkpoint, a bad output path and a cancel give clear
// errors and leave no file.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/exporter.h"
#include "core/train/modelfile.h"
#include "core/train/runmodel.h"
#include "core/train/trainer.h"
#include "tests/train/trainerfixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

using namespace salient;
using namespace salient::train;

namespace {

QString errorText(const Error &e)
{
    return e.toString();
}

/// Files in `dir` (the model, its card and nothing half written).
QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

} // namespace

class TestExporter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void onnxPassesCheckerAndParity_data();
    void onnxPassesCheckerAndParity();
    void libtorchLoadsBackWithIdenticalLogits();
    void int8ReportsSizeAndAccuracy();
    void impossibleMaxDropWarns();
    void errorsLeaveNoFile_data();
    void errorsLeaveNoFile();
    void cancelLeavesNoFile();

private:
    ExportRequest request(ModelFormat format, const QString &name) const;

    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_run = 0;
    QStringList m_classes;
};

void TestExporter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = test::makeTinyProject(m_dir.filePath("tiny"));
    QVERIFY(!m_project.isEmpty());
    TrainRequest r;
    r.projectFile = m_project;
    r.config = test::tinyConfig(4, 1);
    r.runName = QStringLiteral("tiny run");
    auto trained = runTraining(r, {});
    QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(errorText(trained.error())));
    m_run = trained->runId;
    m_classes = trained->classNames;
    QVERIFY(trained->test.accuracy > 0.5); // learned something worth exporting
    QVERIFY(QDir().mkpath(m_dir.filePath("out")));
}

ExportRequest TestExporter::request(ModelFormat format, const QString &name) const
{
    ExportRequest r;
    r.projectFile = m_project;
    r.runId = m_run;
    r.format = format;
    r.outFile = m_dir.filePath("out/" + name);
    r.threads = 1;
    r.calibrationImages = 36;
    return r;
}

void TestExporter::onnxPassesCheckerAndParity_data()
{
    QTest::addColumn<bool>("embed");
    QTest::addColumn<bool>("features");
    QTest::newRow("normalised input") << false << false;
    QTest::newRow("normalisation built in") << true << false;
    QTest::newRow("with the features output") << false << true;
}

void TestExporter::onnxPassesCheckerAndParity()
{
    QFETCH(bool, embed);
    QFETCH(bool, features);
    const QString name = QStringLiteral("fp32-%1%2.onnx").arg(int(embed)).arg(int(features));
    ExportRequest r = request(ModelFormat::Onnx, name);
    r.embedNormalisation = embed;
    r.featuresOutput = features;
    r.intendedUse = QStringLiteral("telling stripes apart");
    auto report = exportModel(r);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(errorText(report.error())));
    const ExportReport &x = report.value();

    QVERIFY(QFileInfo(x.outFile).isFile());
    QCOMPARE(x.fileBytes, QFileInfo(x.outFile).size());
    QVERIFY2(x.parity.checkerOk, qPrintable(x.parity.checkerMessage));
    QVERIFY(x.parity.runtime.startsWith("OpenCV dnn"));
    QCOMPARE(x.parity.images, 24); // every test image (fewer than parityImages)
    QVERIFY2(x.parity.maxAbsDiff >= 0 && x.parity.maxAbsDiff <= 1e-4,
             qPrintable(QString::number(x.parity.maxAbsDiff)));
    QCOMPARE(x.parity.top1Agreement, 1.0);
    QVERIFY(x.parity.ok());
    QCOMPARE(x.evalImages, 24);
    QVERIFY(x.fp32Accuracy > 0.5);
    QCOMPARE(x.exportedAccuracy, x.fp32Accuracy);
    QVERIFY(!x.dropAboveLimit);
    QVERIFY2(x.warnings.isEmpty(), qPrintable(x.warnings.join(' ')));

    QCOMPARE(x.meta.classNames, m_classes);
    QCOMPARE(x.meta.runId, m_run);
    QCOMPARE(x.meta.runName, QString("tiny run"));
    QCOMPARE(x.meta.projectName, QString("tiny.salient"));
    QCOMPARE(x.meta.inputSize, 32);
    QCOMPARE(x.meta.architecture, QString("smallcnn"));
    QCOMPARE(x.meta.normalisationBuiltIn, embed);
    QCOMPARE(x.meta.featuresOutput, features);
    QCOMPARE(x.meta.featuresLayer.isEmpty(), !features);
    QVERIFY(qAbs(x.meta.mean[0] - 0.485) < 1e-6 && qAbs(x.meta.std[2] - 0.225) < 1e-6);

    QCOMPARE(x.cardJsonFile, x.outFile + ".card.json");
    QFile card(x.cardJsonFile);
    QVERIFY(card.open(QIODevice::ReadOnly));
    const QJsonObject c = QJsonDocument::fromJson(card.readAll()).object();
    QCOMPARE(c.value("intended_use").toString(), r.intendedUse);
    QCOMPARE(c.value("export").toObject().value("parity").toObject().value("images").toInt(), 24);
    QVERIFY(QFileInfo(x.cardHtmlFile).isFile());

    // The public check gives the same answer for the file on disk.
    auto parity = checkParity(m_project, m_run, x.outFile, 8, 1);
    QVERIFY2(parity.ok(), parity.ok() ? "" : qPrintable(errorText(parity.error())));
    QCOMPARE(parity->images, 8);
    QVERIFY(parity->checkerOk);
    QVERIFY(parity->maxAbsDiff <= 1e-4);
}

void TestExporter::libtorchLoadsBackWithIdenticalLogits()
{
    auto report = exportModel(request(ModelFormat::LibTorch, "model.pt"));
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(errorText(report.error())));
    QVERIFY(report->parity.runtime.startsWith("LibTorch"));
    QCOMPARE(report->parity.maxAbsDiff, 0.0);
    QVERIFY(report->parity.ok());
    QCOMPARE(report->meta.format, QString("libtorch"));

    auto loaded = loadLibTorchModel(report->outFile);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(errorText(loaded.error())));
    auto store = ProjectStore::open(m_project, ProjectStore::OpenMode::ReadOnly);
    QVERIFY(store.ok());
    auto original = loadRunModel(*store.value(), m_run);
    QVERIFY(original.ok());
    torch::manual_seed(5);
    const torch::Tensor input = torch::randn({4, 3, 32, 32});
    torch::NoGradGuard noGrad;
    const torch::Tensor a = original->model->forward(input);
    const torch::Tensor b = loaded->model->forward(input);
    QVERIFY(torch::equal(a, b));
    QCOMPARE(loaded->meta.classNames, m_classes);
}

void TestExporter::int8ReportsSizeAndAccuracy()
{
    ExportRequest r = request(ModelFormat::Onnx, "int8.onnx");
    r.int8 = true;
    r.maxAccuracyDrop = 0.5;
    auto report = exportModel(r);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(errorText(report.error())));
    const ExportReport &x = report.value();
    QCOMPARE(x.meta.format, QString("onnx-int8"));
    QVERIFY(x.fp32Bytes > 0);
    const double ratio = double(x.fp32Bytes) / double(x.fileBytes);
    qInfo("int8: %lld bytes against %lld fp32 (%.2fx); accuracy %.3f -> %.3f", x.fileBytes,
          x.fp32Bytes, ratio, x.fp32Accuracy, x.exportedAccuracy);
    QVERIFY2(ratio > 2.5, qPrintable(QString::number(ratio)));
    QVERIFY2(x.parity.checkerOk, qPrintable(x.parity.checkerMessage));
    QCOMPARE(x.parity.tolerance, 0.0); // judged by accuracy, not by logits
    QCOMPARE(x.evalImages, 24);
    QVERIFY(x.fp32Accuracy > 0.5);
    QVERIFY(x.exportedAccuracy > 0.5); // int8 still tells the classes apart
    QCOMPARE(x.dropAboveLimit, x.fp32Accuracy - x.exportedAccuracy > 0.5);
    QFile card(x.cardJsonFile);
    QVERIFY(card.open(QIODevice::ReadOnly));
    const QJsonObject e = QJsonDocument::fromJson(card.readAll()).object().value("export").toObject();
    QVERIFY(qAbs(e.value("size_ratio").toDouble() - ratio) < 1e-9);
    QVERIFY(qAbs(e.value("accuracy_change").toDouble() - (x.exportedAccuracy - x.fp32Accuracy)) < 1e-9);
}

void TestExporter::impossibleMaxDropWarns()
{
    // A negative limit asks the export to beat LibTorch by half: never met.
    ExportRequest r = request(ModelFormat::LibTorch, "strict.pt");
    r.maxAccuracyDrop = -0.5;
    auto report = exportModel(r);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(errorText(report.error())));
    QVERIFY(report->dropAboveLimit);
    QCOMPARE(report->warnings.size(), 1);
    QVERIFY2(report->warnings.first().contains("more than the -50.0 points allowed"),
             qPrintable(report->warnings.first()));
    QVERIFY(QFileInfo(report->outFile).isFile()); // a warning, not a failure
}

void TestExporter::errorsLeaveNoFile_data()
{
    QTest::addColumn<QString>("outName");
    QTest::addColumn<int>("format");
    QTest::addColumn<bool>("int8");
    QTest::addColumn<bool>("noCheckpoint");
    QTest::addColumn<QString>("named");   // what the error's path must be
    QTest::addColumn<QString>("message"); // part of its message
    QTest::newRow("run without a checkpoint") << "out/nockpt.onnx" << int(ModelFormat::Onnx) << false
                                              << true << "project" << "no checkpoint";
    QTest::newRow("output folder missing") << "nowhere/model.onnx" << int(ModelFormat::Onnx) << false
                                           << false << "out" << "does not exist";
    QTest::newRow("output folder is a file") << "plain/model.pt" << int(ModelFormat::LibTorch)
                                             << false << false << "out" << "is a file";
    QTest::newRow("int8 asked of LibTorch") << "out/int8.pt" << int(ModelFormat::LibTorch) << true
                                            << false << "out" << "ONNX options";
}

void TestExporter::errorsLeaveNoFile()
{
    QFETCH(QString, outName);
    QFETCH(int, format);
    QFETCH(bool, int8);
    QFETCH(bool, noCheckpoint);
    QFETCH(QString, named);
    QFETCH(QString, message);
    QFile plain(m_dir.filePath("plain"));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    ExportRequest r = request(ModelFormat(format), "x");
    r.outFile = m_dir.filePath(outName);
    r.int8 = int8;
    if (noCheckpoint) {
        auto store = ProjectStore::open(m_project);
        QVERIFY(store.ok());
        RunStore runs(*store.value());
        auto original = runs.run(m_run);
        QVERIFY(original.ok());
        auto id = runs.createRun("never trained", original->config, original->classIds,
                                 original->classNames, {});
        QVERIFY(id.ok());
        r.runId = id.value();
    }
    const QStringList before = filesIn(m_dir.filePath("out"));
    auto report = exportModel(r);
    QVERIFY(!report.ok());
    const Error &e = report.error();
    QCOMPARE(e.path, named == "project" ? m_project : r.outFile);
    QVERIFY2(e.message.contains(message), qPrintable(e.toString()));
    QVERIFY(!QFileInfo::exists(r.outFile));
    QCOMPARE(filesIn(m_dir.filePath("out")), before);
}

void TestExporter::cancelLeavesNoFile()
{
    ExportRequest r = request(ModelFormat::Onnx, "cancelled.onnx");
    std::atomic<bool> cancel{false};
    int calls = 0;
    // Cancelled once the file is written and being measured: it goes again.
    auto report = exportModel(
        r,
        [&](const QString &stage, int, int) {
            ++calls;
            if (stage.startsWith("measuring"))
                cancel = true;
        },
        &cancel);
    QVERIFY(!report.ok());
    QCOMPARE(report.error().code, Error::Code::Cancelled);
    QVERIFY(calls > 0);
    QVERIFY(!QFileInfo::exists(r.outFile));
    QVERIFY(!QFileInfo::exists(r.outFile + ".card.json"));
}

QTEST_GUILESS_MAIN(TestExporter)
#include "tst_exporter.moc"
