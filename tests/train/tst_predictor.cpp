// SPDX-License-Identifier: GPL-3.0-or-later
// Predictor on real images of a run trained in seconds: a LibTorch export
// predicts what the run's own evaluation predicts; ONNX files (our exporter's
// and one written by python's torch.onnx.export from our LibTorch export)
// give the same logits through OpenCV dnn within 1e-4; EXIF orientation,
// batching, top-k, multi-label thresholds and the normalisation are those of
// the evaluation; bad ONNX files get a clear error naming the file.
#include "core/imaging/decode.h"
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/evaluate.h"
#include "core/train/modelfile.h"
#include "core/train/onnxgraph.h"
#include "core/train/predictor.h"
#include "core/train/runmodel.h"
#include "core/train/trainer.h"
#include "tests/support/imagemaker.h"
#include "tests/train/trainerfixture.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <onnx/onnx_pb.h>

#include <cmath>

using namespace salient;
using namespace salient::train;

namespace {

QByteArray readBytes(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeBytes(const QString &file, const QByteArray &bytes)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

int argMax(const QVector<float> &v)
{
    return int(std::max_element(v.begin(), v.end()) - v.begin());
}

/// Largest |a - b| over two logit tables of the same shape (-1 if they differ in shape).
double maxAbsDiff(const QVector<QVector<float>> &a, const QVector<QVector<float>> &b)
{
    if (a.size() != b.size())
        return -1;
    double worst = 0;
    for (int i = 0; i < a.size(); ++i) {
        if (a[i].size() != b[i].size())
            return -1;
        for (int c = 0; c < a[i].size(); ++c)
            worst = std::max(worst, std::abs(double(a[i][c]) - double(b[i][c])));
    }
    return worst;
}

/// A fresh network with every BatchNorm statistic moved off its default, so
/// an exporter that forgot to fold them would show.
std::shared_ptr<ClassifierNet> perturbedModel(const std::string &arch, int classes)
{
    torch::manual_seed(13);
    auto model = makeModel(arch, classes);
    torch::NoGradGuard noGrad;
    for (auto &b : model->named_buffers(true)) {
        if (b.key().find("running_mean") != std::string::npos)
            b.value().copy_(torch::randn_like(b.value()) * 0.1);
        else if (b.key().find("running_var") != std::string::npos)
            b.value().copy_(torch::rand_like(b.value()) + 0.5);
    }
    model->eval();
    return model;
}

std::unique_ptr<Predictor> openOrWarn(const QString &file)
{
    auto p = Predictor::open(file, 1);
    if (!p.ok()) {
        qWarning("%s", qPrintable(p.error().toString()));
        return nullptr;
    }
    return std::move(p.value());
}

} // namespace

class TestPredictor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void libTorchExportEqualsTheRunsEvaluation();
    void onnxExportMatchesLibTorch_data();
    void onnxExportMatchesLibTorch();
    void batchSizeDoesNotChangeTheAnswer();
    void exifOrientationIsApplied();
    void unreadableImagesFailAlone();
    void topKAndSoftmax();
    void multiLabelUsesThresholds();
    void preparedBlobNormalises();
    void badOnnxFiles_data();
    void badOnnxFiles();

private:
    QVector<cv::Mat> displayed(const QStringList &paths) const;

    QTemporaryDir m_dir;
    RunModel m_run;
    QStringList m_testPaths;
    QVector<LoaderItem> m_testItems;
    AugmentRecipe m_recipe; ///< the run's, as recipeFor resolves it
    ModelMeta m_meta;
    QString m_pt;          ///< the run's LibTorch export
    QString m_onnx;        ///< the run exported by exportOnnx()
    QString m_onnxError;   ///< why exportOnnx() did not give one
    QString m_resnetPt;    ///< a resnet18 LibTorch export
    QString m_resnetOnnx;  ///< the same weights through torch.onnx.export
};

void TestPredictor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    torch::set_num_threads(1);
    const QString project = test::makeTinyProject(m_dir.filePath("tiny"));
    QVERIFY(!project.isEmpty());
    TrainRequest request;
    request.projectFile = project;
    request.config = test::tinyConfig(3, 1);
    request.evaluateTest = false;
    auto outcome = runTraining(request, {});
    QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().toString()));

    auto store = ProjectStore::open(project, ProjectStore::OpenMode::ReadOnly);
    QVERIFY(store.ok());
    auto run = loadRunModel(**store, outcome->runId);
    QVERIFY2(run.ok(), run.ok() ? "" : qPrintable(run.error().toString()));
    m_run = run.value();
    RunStore runs(**store);
    auto data = loadRunData(**store, runs, m_run.run, m_run.config);
    QVERIFY(data.ok());
    m_testItems = data->test;
    QCOMPARE(m_testItems.size(), 24);
    auto recipe = recipeFor(m_run.config, **store);
    QVERIFY(recipe.ok());
    m_recipe = recipe.value();
    for (const LoaderItem &item : m_testItems)
        m_testPaths << item.path;

    m_meta.architecture = QStringLiteral("smallcnn");
    m_meta.classNames = m_run.run.classNames;
    m_meta.inputSize = m_run.config.imageSize;
    m_meta.runId = m_run.run.id;
    m_pt = m_dir.filePath("run.pt");
    QVERIFY(saveLibTorchModel(*m_run.model, m_meta, m_pt).ok());

    auto exported = salient::train::onnx::exportOnnx(*m_run.model, m_meta, {});
    if (exported.ok()) {
        m_onnx = m_dir.filePath("run.onnx");
        QVERIFY(writeBytes(m_onnx, exported->model));
    } else {
        m_onnxError = exported.error().toString();
    }

    auto resnet = perturbedModel("resnet18", 3);
    ModelMeta meta = m_meta;
    meta.inputSize = 64;
    m_resnetPt = m_dir.filePath("resnet18.pt");
    QVERIFY(saveLibTorchModel(*resnet, meta, m_resnetPt).ok());
    m_resnetOnnx = m_dir.filePath("resnet18.onnx");
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {qEnvironmentVariable("SALIENT_SOURCE_DIR") + "/tests/train/predict_peer.py",
                  "onnx", m_resnetPt, m_resnetOnnx});
    QVERIFY(python.waitForFinished(180000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
}

QVector<cv::Mat> TestPredictor::displayed(const QStringList &paths) const
{
    QVector<cv::Mat> out;
    for (const QString &p : paths) {
        auto image = decodeImage(p);
        if (image.ok())
            out << image.value();
    }
    return out;
}

void TestPredictor::libTorchExportEqualsTheRunsEvaluation()
{
    // The run's own evaluation of its test split...
    DataLoader loader(m_testItems, evalLoaderOptions(m_run.config, 3, m_recipe));
    const PredictionSet truth = predict(*m_run.model, loader, LossSpec{});
    QCOMPARE(truth.probs.size(), size_t(24 * 3));

    // ...and the export, opened from its file, on the same files.
    auto predictor = openOrWarn(m_pt);
    QVERIFY(predictor);
    QCOMPARE(predictor->meta().classNames, m_run.run.classNames);
    QVERIFY(predictor->runtime().startsWith(QStringLiteral("LibTorch 1.13")));
    const QVector<ImagePrediction> got = predictor->predictFiles(m_testPaths, 3, 5);
    QCOMPARE(got.size(), 24);
    int agreeing = 0;
    for (int i = 0; i < got.size(); ++i) {
        QVERIFY2(got[i].ok(), qPrintable(got[i].error.toString()));
        QCOMPARE(got[i].path, m_testPaths[i]);
        QCOMPARE(truth.imageIds[size_t(i)], m_testItems[i].imageId);
        int truthTop = 0;
        for (int c = 0; c < 3; ++c) {
            const float expected = truth.probs[size_t(i * 3 + c)];
            QVERIFY2(std::abs(got[i].probabilities[c] - expected) < 1e-6,
                     qPrintable(QStringLiteral("image %1 class %2: %3 vs %4")
                                    .arg(i).arg(c).arg(got[i].probabilities[c]).arg(expected)));
            if (expected > truth.probs[size_t(i * 3 + truthTop)])
                truthTop = c;
        }
        QCOMPARE(got[i].predicted, QVector<int>{truthTop});
        agreeing += truthTop == truth.labels[size_t(i)];
    }
    QVERIFY2(agreeing > 24 / 3, "the trained run should beat chance on its test split");
}

void TestPredictor::onnxExportMatchesLibTorch_data()
{
    QTest::addColumn<QString>("onnxFile");
    QTest::addColumn<QString>("libtorchFile");
    QTest::newRow("smallcnn run, exportOnnx") << m_onnx << m_pt;
    QTest::newRow("resnet18, torch.onnx.export") << m_resnetOnnx << m_resnetPt;
}
void TestPredictor::onnxExportMatchesLibTorch()
{
    QFETCH(QString, onnxFile);
    QFETCH(QString, libtorchFile);
    QVERIFY2(!onnxFile.isEmpty(), qPrintable("exportOnnx failed: " + m_onnxError));
    auto viaOnnx = openOrWarn(onnxFile);
    auto viaTorch = openOrWarn(libtorchFile);
    QVERIFY(viaOnnx && viaTorch);
    QVERIFY(viaOnnx->runtime().startsWith(QStringLiteral("OpenCV dnn 4.")));
    QCOMPARE(viaOnnx->meta().classNames, viaTorch->meta().classNames);
    QCOMPARE(viaOnnx->meta().inputSize, viaTorch->meta().inputSize);

    const QVector<cv::Mat> images = displayed(m_testPaths);
    QCOMPARE(images.size(), 24);
    auto a = viaOnnx->logits(images);
    auto b = viaTorch->logits(images);
    QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(a.error().toString()));
    QVERIFY(b.ok());
    const double diff = maxAbsDiff(*a, *b);
    QVERIFY2(diff >= 0 && diff < 1e-4, qPrintable(QStringLiteral("max |diff| %1").arg(diff)));
    for (int i = 0; i < images.size(); ++i)
        QCOMPARE(argMax(a->at(i)), argMax(b->at(i)));
}

void TestPredictor::batchSizeDoesNotChangeTheAnswer()
{
    for (const QString &file : {m_resnetOnnx, m_pt}) {
        auto p = openOrWarn(file);
        QVERIFY(p);
        const QVector<ImagePrediction> one = p->predictFiles(m_testPaths, 3, 1);
        const QVector<ImagePrediction> seven = p->predictFiles(m_testPaths, 3, 7);
        QCOMPARE(one.size(), seven.size());
        for (int i = 0; i < one.size(); ++i) {
            QVERIFY(one[i].ok() && seven[i].ok());
            for (int c = 0; c < 3; ++c)
                QVERIFY(std::abs(one[i].probabilities[c] - seven[i].probabilities[c]) < 1e-5);
        }
    }
}

void TestPredictor::exifOrientationIsApplied()
{
    // Stored 48 x 32 with orientation 6: displayed 32 x 48, rotated.
    const QString jpeg = m_dir.filePath("rotated.jpg");
    QVERIFY(test::writeJpeg(jpeg, 48, 32, 3, 6));
    auto p = openOrWarn(m_pt);
    QVERIFY(p);
    const QVector<ImagePrediction> fromFile = p->predictFiles({jpeg}, 3);
    QVERIFY(fromFile[0].ok());
    DecodeOptions rotated;
    rotated.orientation = 6;
    auto asDisplayed = p->predictPixels({decodeImage(jpeg, rotated).value()}, 3);
    auto asStored = p->predictPixels({decodeImage(jpeg).value()}, 3);
    QVERIFY(asDisplayed.ok() && asStored.ok());
    QCOMPARE(fromFile[0].probabilities, asDisplayed->at(0).probabilities);
    QVERIFY(fromFile[0].probabilities != asStored->at(0).probabilities);
}

void TestPredictor::unreadableImagesFailAlone()
{
    const QString broken = m_dir.filePath("broken.jpg");
    const QString text = m_dir.filePath("notes.png");
    const QString missing = m_dir.filePath("missing.png");
    QVERIFY(test::writeTruncatedJpeg(broken, 64, 48, 0.3));
    QVERIFY(test::writeText(text));
    auto p = openOrWarn(m_pt);
    QVERIFY(p);
    const QStringList paths = {m_testPaths[0], broken, text, missing, m_testPaths[1]};
    const QVector<ImagePrediction> got = p->predictFiles(paths, 3, 16);
    QCOMPARE(got.size(), 5);
    QVERIFY(got[0].ok() && got[4].ok());
    for (int i = 1; i <= 3; ++i) {
        QVERIFY2(!got[i].ok(), qPrintable(paths[i]));
        QCOMPARE(got[i].path, paths[i]);
        QVERIFY2(got[i].error.toString().contains(QFileInfo(paths[i]).fileName()),
                 qPrintable(got[i].error.toString()));
    }
    const QVector<ImagePrediction> alone = p->predictFiles({m_testPaths[1]}, 3);
    // Batch composition changes oneDNN's summation order: equal to rounding.
    QCOMPARE(got[4].probabilities.size(), alone[0].probabilities.size());
    for (int c = 0; c < alone[0].probabilities.size(); ++c)
        QVERIFY(std::abs(got[4].probabilities[c] - alone[0].probabilities[c]) < 1e-5f);
}

void TestPredictor::topKAndSoftmax()
{
    auto p = openOrWarn(m_pt);
    QVERIFY(p);
    const QVector<ImagePrediction> two = p->predictFiles(m_testPaths.mid(0, 4), 2);
    for (const ImagePrediction &r : two) {
        QCOMPARE(r.topClasses.size(), 2);
        QVERIFY(r.probabilities[r.topClasses[0]] >= r.probabilities[r.topClasses[1]]);
        QCOMPARE(r.predicted, QVector<int>{r.topClasses[0]});
        double sum = 0;
        for (float v : r.probabilities)
            sum += v;
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
    }
    QCOMPARE(p->predictFiles(m_testPaths.mid(0, 1), 10)[0].topClasses.size(), 3);
}

void TestPredictor::multiLabelUsesThresholds()
{
    ModelMeta meta = m_meta;
    meta.multiLabel = true;
    meta.thresholds = {0.0, 1.0, 0.5};
    const QString file = m_dir.filePath("multi.pt");
    QVERIFY(saveLibTorchModel(*m_run.model, meta, file).ok());
    auto p = openOrWarn(file);
    QVERIFY(p);
    const QVector<cv::Mat> images = displayed(m_testPaths.mid(0, 6));
    auto logits = p->logits(images);
    auto got = p->predictPixels(images, 3);
    QVERIFY(logits.ok() && got.ok());
    for (int i = 0; i < images.size(); ++i) {
        const ImagePrediction &r = got->at(i);
        for (int c = 0; c < 3; ++c) {
            const double sigmoid = 1.0 / (1.0 + std::exp(-double(logits->at(i)[c])));
            QVERIFY(std::abs(r.probabilities[c] - sigmoid) < 1e-6);
        }
        QVERIFY(r.predicted.contains(0));  // threshold 0: always
        QVERIFY(!r.predicted.contains(1)); // threshold 1: a finite logit never reaches it
        QCOMPARE(r.predicted.contains(2), r.probabilities[2] >= 0.5f);
    }
}

void TestPredictor::preparedBlobNormalises()
{
    // 60 x 40 BGR (10, 20, 30): shorter side to 32, centre crop, RGB planes.
    const cv::Mat image(40, 60, CV_8UC3, cv::Scalar(10, 20, 30));
    ModelMeta meta = m_meta;
    cv::Mat blob = preparedBlob(image, meta);
    QCOMPARE(blob.dims, 4);
    QCOMPARE(blob.size[0], 1);
    QCOMPARE(blob.size[1], 3);
    QCOMPARE(blob.size[2], 32);
    QCOMPARE(blob.size[3], 32);
    const float *v = blob.ptr<float>();
    const int plane = 32 * 32;
    QVERIFY(std::abs(v[0] - (30 / 255.0 - 0.485) / 0.229) < 1e-5);          // R
    QVERIFY(std::abs(v[plane + 5] - (20 / 255.0 - 0.456) / 0.224) < 1e-5);  // G
    QVERIFY(std::abs(v[2 * plane + 9] - (10 / 255.0 - 0.406) / 0.225) < 1e-5); // B
    meta.normalisationBuiltIn = true;
    blob = preparedBlob(image, meta);
    QCOMPARE(blob.ptr<float>()[0], 30.0f);
    QCOMPARE(blob.ptr<float>()[2 * plane], 10.0f);
}

void TestPredictor::badOnnxFiles_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero bytes") << "zero" << "empty";
    QTest::newRow("truncated") << "truncated" << "truncated";
    QTest::newRow("PNG renamed .onnx") << "png" << "PNG image";
    QTest::newRow("wrong input size") << "size" << "wrong input size";
    QTest::newRow("classes do not match the outputs") << "classes" << "lists 4 classes";
    QTest::newRow("no metadata") << "nometa" << "without Salient Studio metadata";
    QTest::newRow("metadata without classes") << "badmeta" << "class_names";
    QTest::newRow("text renamed .onnx") << "text" << "text file";
}
void TestPredictor::badOnnxFiles()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    const QString file = m_dir.filePath("bad-" + kind + ".onnx");
    const QByteArray good = readBytes(m_resnetOnnx);
    QVERIFY(!good.isEmpty());
    ::onnx::ModelProto proto;
    QVERIFY(proto.ParseFromArray(good.constData(), int(good.size())));
    // Rewrites the metadata; `change` gets the parsed meta (or the raw JSON).
    auto withMeta = [&](const std::function<void(ModelMeta &)> &change, const char *raw = nullptr) {
        for (auto &prop : *proto.mutable_metadata_props()) {
            if (prop.key() != "salient.meta")
                continue;
            if (raw) {
                prop.set_value(raw);
            } else {
                ModelMeta m = ModelMeta::fromJson(QByteArray::fromStdString(prop.value()), {}).value();
                change(m);
                prop.set_value(m.toJson().toStdString());
            }
        }
        return QByteArray::fromStdString(proto.SerializeAsString());
    };
    QByteArray bytes;
    if (kind == "truncated")
        bytes = good.left(good.size() / 2);
    else if (kind == "png")
        QVERIFY(test::writePng(file + ".png", 20, 20) && QFile::rename(file + ".png", file));
    else if (kind == "size")
        bytes = withMeta([](ModelMeta &m) { m.inputSize = 48; });
    else if (kind == "classes")
        bytes = withMeta([](ModelMeta &m) { m.classNames << QStringLiteral("fourth"); });
    else if (kind == "badmeta")
        bytes = withMeta({}, R"({"architecture":"resnet18","input_size":64})");
    else if (kind == "nometa") {
        proto.clear_metadata_props();
        bytes = QByteArray::fromStdString(proto.SerializeAsString());
    } else if (kind == "text")
        QVERIFY(test::writeText(file, "ir_version: 8\ngraph { }\n"));
    if (kind != "png" && kind != "text")
        QVERIFY(writeBytes(file, bytes));

    auto p = Predictor::open(file, 1);
    QVERIFY(!p.ok());
    QCOMPARE(p.error().path, file);
    QVERIFY2(p.error().toString().contains(expected), qPrintable(p.error().toString()));
}

QTEST_GUILESS_MAIN(TestPredictor)
#include "tst_predictor.moc"
