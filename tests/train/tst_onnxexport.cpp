// SPDX-License-Identifier: GPL-3.0-or-later
// exportOnnx() on runs trained for a few steps (so BatchNorm's running
// statistics are far from the defaults and a wrong fold shows): the traced
// graph equals forward(), the python ONNX checker accepts the file with
// full_check, OpenCV's dnn gives LibTorch's logits (and features) within 1e-4
// on decoded images, with and without the normalisation built in, and the
// metadata reads back. Every architecture the studio trains is a row.
#include "core/imaging/augment.h"
#include "core/project/store.h"
#include "core/train/datapipeline.h"
#include "core/train/onnxgraph.h"
#include "core/train/runmodel.h"
#include "core/train/trainer.h"
#include "tests/support/tinydataset.h"
#include "tests/train/trainerfixture.h"

#include <onnx/onnx_pb.h>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;
using namespace salient::train;

namespace {

constexpr int kSize = 32;      ///< training and export side (the PNGs are 48: resize + crop)
constexpr int kBatch = 6;
constexpr double kTolerance = 1e-4;
/// 1e-4, relative to the largest magnitude once values exceed 1: a deep net
/// trained for two steps has logits in the hundreds, where float32 sums of
/// thousands of terms round at ~1e-7 of their size.
double bound(const torch::Tensor &expected)
{
    return kTolerance * std::max(1.0, expected.abs().max().item<double>());
}
double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

/// The model's features and logits computed in float64: the exact answer
/// that LibTorch's float32 forward and every export approximate. A deep net
/// trained for two steps (EfficientNet-B0 at 32 px) has logits far above 1e4,
/// where float32 LibTorch itself is visibly off; an export is held to
/// LibTorch's own distance from exact (x2), or 1e-4 relative, whichever is larger.
struct Exact {
    torch::Tensor features;
    torch::Tensor logits;
};
Exact exactForward(ClassifierNet &model, const torch::Tensor &images)
{
    torch::NoGradGuard noGrad;
    model.to(torch::kDouble);
    Exact e;
    e.features = model.features(images.to(torch::kDouble));
    e.logits = model.classify(e.features);
    model.to(torch::kFloat);
    return e;
}
double toleranceFor(const torch::Tensor &float32, const torch::Tensor &exact)
{
    return std::max(bound(float32), 2.0 * maxAbsDiff(float32, exact));
}

/// Evaluation preprocessing of PNG files: [n, 3, size, size]; `norm` as given
/// (identity for the raw 0..255 input of a built-in normalisation).
torch::Tensor loadImages(const QStringList &files, int size, const data::Normalization &norm)
{
    torch::Tensor batch = torch::empty({files.size(), 3, size, size});
    for (int i = 0; i < files.size(); ++i) {
        const cv::Mat image = cv::imread(files[i].toStdString(), cv::IMREAD_UNCHANGED);
        if (image.empty())
            return {};
        const cv::Mat crop = data::centreCrop(data::shorterSideTo(data::toBgr(image), size), size);
        data::writeChw(crop, norm, batch[i].data_ptr<float>());
    }
    return batch;
}

data::Normalization normalisationOf(const ModelMeta &meta)
{
    data::Normalization n;
    for (int c = 0; c < 3; ++c) {
        n.scale[c] = float(1.0 / (255.0 * meta.std[c]));
        n.offset[c] = float(-meta.mean[c] / meta.std[c]);
    }
    return n;
}

data::Normalization rawPixels()
{
    data::Normalization n;
    for (int c = 0; c < 3; ++c)
        n.scale[c] = 1.f;
    return n;
}

/// OpenCV dnn's outputs by name for `input`; empty on any OpenCV error.
std::vector<torch::Tensor> runOpenCv(const QByteArray &model, const torch::Tensor &input,
                                     const std::vector<std::string> &outputs)
{
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(model.constData(), std::size_t(model.size()));
        const torch::Tensor c = input.contiguous();
        const std::vector<int> dims(c.sizes().begin(), c.sizes().end());
        cv::Mat blob(int(dims.size()), dims.data(), CV_32F, c.data_ptr<float>());
        net.setInput(blob, "image");
        std::vector<cv::Mat> outs;
        net.forward(outs, outputs);
        std::vector<torch::Tensor> result;
        for (cv::Mat &m : outs) {
            std::vector<std::int64_t> shape(m.size.p, m.size.p + m.dims);
            result.push_back(torch::from_blob(m.ptr<float>(), shape, torch::kFloat).clone());
        }
        return result;
    } catch (const cv::Exception &e) {
        qWarning("OpenCV: %s", e.what());
        return {};
    }
}

std::map<std::string, std::string> metadataOf(const QByteArray &bytes)
{
    ::onnx::ModelProto proto;
    std::map<std::string, std::string> props;
    if (proto.ParseFromArray(bytes.constData(), int(bytes.size())))
        for (const auto &p : proto.metadata_props())
            props[p.key()] = p.value();
    return props;
}

/// Logits of a stand-in architecture nobody can export.
class UnknownNet : public ClassifierNet {
public:
    UnknownNet() : ClassifierNet("mystery_net", 32) { m_fc = register_module("fc", torch::nn::Linear(3, 2)); }
    torch::Tensor features(torch::Tensor x) override { return x; }
    torch::Tensor classify(torch::Tensor f) override { return m_fc(f.mean({2, 3})); }
    std::string headName() const override { return "fc"; }
    torch::nn::Linear head() const override { return m_fc; }
    void replaceHead(int) override {}

private:
    torch::nn::Linear m_fc{nullptr};
};

} // namespace

class TestOnnxExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void traceEqualsForward_data();
    void traceEqualsForward();
    void openCvReadsTheSameLogits_data();
    void openCvReadsTheSameLogits();
    void pythonCheckerAccepts_data();
    void pythonCheckerAccepts();
    void metadataRoundTrips();
    void rangesMergeOverCalibrationBatches();
    void unknownArchitectureIsUnsupported();
    void wrongCalibrationSizeIsRefused();
    void resnet18At224();

private:
    /// The trained model of `arch` (trained on first use, a few steps).
    std::shared_ptr<ClassifierNet> modelFor(const QString &arch);
    ModelMeta metaFor(const ClassifierNet &model) const;
    void architectureRows();

    QTemporaryDir m_dir;
    QString m_project;
    QStringList m_testImages;
    std::map<QString, std::shared_ptr<ClassifierNet>> m_models;
};

void TestOnnxExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    test::TinySpec spec;
    spec.size = 48;
    spec.trainPerClass = {12, 12, 12};
    spec.valPerClass = 2;
    spec.testPerClass = 2;
    m_project = test::makeTinyProject(m_dir.path(), spec);
    QVERIFY(!m_project.isEmpty());
    const QDir test(m_dir.filePath(QStringLiteral("images/test")));
    for (const QString &f : test.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name))
        m_testImages << test.filePath(f);
    QVERIFY(m_testImages.size() >= kBatch);
    m_testImages = m_testImages.mid(0, kBatch);
    torch::manual_seed(11);
}

std::shared_ptr<ClassifierNet> TestOnnxExport::modelFor(const QString &arch)
{
    const auto it = m_models.find(arch);
    if (it != m_models.end())
        return it->second;
    TrainRequest request;
    request.projectFile = m_project;
    request.config = test::tinyConfig(1, 2);
    request.config.model = arch;
    request.config.imageSize = kSize;
    request.config.maxSteps = 2;
    request.runName = arch;
    request.evaluateTest = false;
    auto outcome = runTraining(request, {});
    if (!outcome) {
        qWarning("training %s: %s", qPrintable(arch), qPrintable(outcome.error().toString()));
        return nullptr;
    }
    auto store = ProjectStore::open(m_project);
    if (!store)
        return nullptr;
    auto run = loadRunModel(**store, outcome->runId);
    if (!run) {
        qWarning("%s", qPrintable(run.error().toString()));
        return nullptr;
    }
    m_models[arch] = run->model;
    return run->model;
}

ModelMeta TestOnnxExport::metaFor(const ClassifierNet &model) const
{
    ModelMeta meta;
    meta.architecture = QString::fromStdString(model.architecture());
    meta.classNames = {QStringLiteral("horizontal"), QStringLiteral("vertical"),
                       QStringLiteral("disc")};
    meta.inputSize = kSize;
    meta.runId = 42;
    meta.runName = QStringLiteral("tiny ") + meta.architecture;
    meta.projectName = QStringLiteral("tiny.salient");
    meta.exportedAt = QDateTime(QDate(2026, 11, 27), QTime(18, 0), Qt::UTC);
    meta.producer = QStringLiteral("Salient Studio test");
    return meta;
}

void TestOnnxExport::architectureRows()
{
    QTest::addColumn<QString>("arch");
    for (const std::string &name : modelNames())
        QTest::newRow(name.c_str()) << QString::fromStdString(name);
}

void TestOnnxExport::traceEqualsForward_data()
{
    architectureRows();
}

void TestOnnxExport::traceEqualsForward()
{
    QFETCH(QString, arch);
    auto model = modelFor(arch);
    QVERIFY(model);
    const ModelMeta meta = metaFor(*model);
    const torch::Tensor images = loadImages(m_testImages, kSize, normalisationOf(meta));
    QVERIFY(images.defined());
    train::onnx::OnnxExportOptions options;
    options.calibration = {images};
    auto exported = train::onnx::exportOnnx(*model, meta, options);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));
    qInfo("%s: trace vs forward max |diff| %.3g", qPrintable(arch), exported->traceMaxAbsDiff);
    QVERIFY(exported->traceMaxAbsDiff >= 0);
    {
        torch::NoGradGuard noGrad;
        const bool training = model->is_training();
        model->eval();
        const torch::Tensor reference = model->forward(images);
        const Exact exact = exactForward(*model, images);
        model->train(training);
        // The trace is compared with float32 forward(): both may be off exact.
        const double allowed = std::max(bound(reference), 3.0 * maxAbsDiff(reference, exact.logits));
        QVERIFY2(exported->traceMaxAbsDiff < allowed,
                 qPrintable(QStringLiteral("largest |logit| %1, allowed %2")
                                .arg(reference.abs().max().item<double>())
                                .arg(allowed)));
    }
    QVERIFY(!model->is_training());
}

void TestOnnxExport::openCvReadsTheSameLogits_data()
{
    QTest::addColumn<QString>("arch");
    QTest::addColumn<bool>("embed");
    for (const std::string &name : modelNames()) {
        const QString arch = QString::fromStdString(name);
        QTest::addRow("%s normalised input, features", name.c_str()) << arch << false;
        QTest::addRow("%s normalisation built in, features", name.c_str()) << arch << true;
    }
}

void TestOnnxExport::openCvReadsTheSameLogits()
{
    QFETCH(QString, arch);
    QFETCH(bool, embed);
    auto model = modelFor(arch);
    QVERIFY(model);
    const ModelMeta meta = metaFor(*model);
    const torch::Tensor normalised = loadImages(m_testImages, kSize, normalisationOf(meta));
    const torch::Tensor raw = loadImages(m_testImages, kSize, rawPixels());
    QVERIFY(normalised.defined() && raw.defined());
    train::onnx::OnnxExportOptions options;
    options.embedNormalisation = embed;
    options.featuresOutput = true;
    auto exported = train::onnx::exportOnnx(*model, meta, options);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));

    torch::Tensor logits, features;
    {
        torch::NoGradGuard noGrad;
        features = model->features(normalised);
        logits = model->classify(features);
    }
    const auto out = runOpenCv(exported->model, embed ? raw : normalised, {"logits", "features"});
    QCOMPARE(out.size(), std::size_t(2));
    QVERIFY(out[0].sizes() == logits.sizes());
    QVERIFY(out[1].sizes() == features.sizes());
    const Exact exact = exactForward(*model, normalised);
    const double logitDiff = maxAbsDiff(out[0], exact.logits);
    const double featureDiff = maxAbsDiff(out[1], exact.features);
    const double logitTol = toleranceFor(logits, exact.logits);
    const double featureTol = toleranceFor(features, exact.features);
    qInfo("%s%s: from float64, OpenCV logits %.3g features %.3g, LibTorch float32 logits %.3g "
          "features %.3g; OpenCV - LibTorch logits %.3g (largest |logit| %.3g)",
          qPrintable(arch), embed ? " (normalisation built in)" : "", logitDiff, featureDiff,
          maxAbsDiff(logits, exact.logits), maxAbsDiff(features, exact.features),
          maxAbsDiff(out[0], logits), logits.abs().max().item<double>());
    QVERIFY(logits.abs().max().item<double>() > 1e-3); // not a degenerate comparison
    QVERIFY2(logitDiff < logitTol, qPrintable(QStringLiteral("largest |logit| %1, allowed %2")
                                                  .arg(logits.abs().max().item<double>())
                                                  .arg(logitTol)));
    QVERIFY2(featureDiff < featureTol,
             qPrintable(QStringLiteral("largest |feature| %1, allowed %2")
                            .arg(features.abs().max().item<double>())
                            .arg(featureTol)));
}

void TestOnnxExport::pythonCheckerAccepts_data()
{
    architectureRows();
}

void TestOnnxExport::pythonCheckerAccepts()
{
    QFETCH(QString, arch);
    auto model = modelFor(arch);
    QVERIFY(model);
    train::onnx::OnnxExportOptions options;
    options.embedNormalisation = true;
    options.featuresOutput = true;
    auto exported = train::onnx::exportOnnx(*model, metaFor(*model), options);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));
    const QString file = m_dir.filePath(arch + QStringLiteral(".onnx"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(exported->model), exported->model.size());
    f.close();

    ::onnx::ModelProto proto;
    QVERIFY(proto.ParseFromArray(exported->model.constData(), int(exported->model.size())));
    QCOMPARE(proto.ir_version(), std::int64_t(8));
    QCOMPARE(proto.opset_import(0).version(), std::int64_t(13));
    for (const auto &node : proto.graph().node())
        QVERIFY2(node.op_type() != "Identity", node.name().c_str()); // OpenCV 4.6 refuses it
    QCOMPARE(proto.graph().input(0).name(), std::string("image"));
    QCOMPARE(proto.graph().input(0).type().tensor_type().shape().dim(0).dim_param(),
             std::string("batch"));

    // full_check also infers every shape and compares it with the declared outputs.
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import onnx,sys; m = onnx.load(sys.argv[1]); "
                                 "onnx.checker.check_model(m, full_check=True); "
                                 "print([o.name for o in m.graph.output])"),
                  file});
    QVERIFY(python.waitForFinished(120000));
    const QString said = QString::fromUtf8(python.readAllStandardOutput() + python.readAllStandardError());
    QVERIFY2(python.exitCode() == 0, qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("['logits', 'features']")), qPrintable(said));
}

void TestOnnxExport::metadataRoundTrips()
{
    auto model = modelFor(QStringLiteral("smallcnn"));
    QVERIFY(model);
    ModelMeta meta = metaFor(*model);
    meta.mean[0] = 0.5;
    meta.std[2] = 0.3;
    meta.inputSize = 0; // exportOnnx fills it in from the model
    train::onnx::OnnxExportOptions options;
    options.featuresOutput = true;
    options.embedNormalisation = true;
    auto exported = train::onnx::exportOnnx(*model, meta, options);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));
    auto props = metadataOf(exported->model);
    QCOMPARE(QString::fromStdString(props["salient.format"]), QStringLiteral("onnx"));
    QCOMPARE(QString::fromStdString(props["salient.architecture"]), QStringLiteral("smallcnn"));
    QCOMPARE(QString::fromStdString(props["salient.input_size"]), QStringLiteral("64"));
    const QJsonArray classes = QJsonDocument::fromJson(QByteArray::fromStdString(props["salient.classes"])).array();
    QCOMPARE(classes.toVariantList().size(), 3);
    QCOMPARE(classes.at(2).toString(), QStringLiteral("disc"));
    const QJsonArray mean = QJsonDocument::fromJson(QByteArray::fromStdString(props["salient.mean"])).array();
    QCOMPARE(mean.at(0).toDouble(), 0.5);

    auto back = ModelMeta::fromJson(QByteArray::fromStdString(props["salient.meta"]), QStringLiteral("x.onnx"));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
    QCOMPARE(back->format, QStringLiteral("onnx"));
    QCOMPARE(back->classNames, meta.classNames);
    QCOMPARE(back->inputSize, 64);
    QCOMPARE(back->mean[0], 0.5);
    QCOMPARE(back->std[2], 0.3);
    QVERIFY(back->normalisationBuiltIn);
    QVERIFY(back->featuresOutput);
    QCOMPARE(back->featuresLayer, QStringLiteral("features.2"));
    QCOMPARE(back->runId, qint64(42));
    QCOMPARE(back->exportedAt, meta.exportedAt);
}

void TestOnnxExport::rangesMergeOverCalibrationBatches()
{
    auto model = modelFor(QStringLiteral("resnet18"));
    QVERIFY(model);
    const ModelMeta meta = metaFor(*model);
    const torch::Tensor images = loadImages(m_testImages, kSize, normalisationOf(meta));
    train::onnx::OnnxExportOptions options;
    options.calibration = {images.slice(0, 0, 2), images.slice(0, 2, kBatch)};
    auto exported = train::onnx::exportOnnx(*model, meta, options);
    QVERIFY2(exported.ok(), qPrintable(exported.ok() ? QString() : exported.error().toString()));
    const train::onnx::RangeMap &ranges = exported->ranges;
    QVERIFY(ranges.count("image") && ranges.count("logits") && ranges.count("layer1.0.conv1"));
    const train::onnx::TensorRange &in = ranges.at("image");
    QCOMPARE(in.count, double(kBatch * 3 * kSize * kSize)); // both batches
    QCOMPARE(in.min, images.min().item<float>());
    QCOMPARE(in.max, images.max().item<float>());
    for (const auto &[name, r] : ranges) {
        QVERIFY2(r.min <= r.low && r.low <= r.high && r.high <= r.max, name.c_str());
        QVERIFY2(r.count > 0, name.c_str());
    }
    // A value after a ReLU is never negative.
    QVERIFY(ranges.at("layer1.0").min >= 0);
    // Without calibration: no ranges, no trace check.
    auto plain = train::onnx::exportOnnx(*model, meta, {});
    QVERIFY(plain.ok());
    QVERIFY(plain->ranges.empty());
    QCOMPARE(plain->traceMaxAbsDiff, -1.0);
}

void TestOnnxExport::unknownArchitectureIsUnsupported()
{
    UnknownNet net;
    ModelMeta meta;
    meta.inputSize = 32;
    auto exported = train::onnx::exportOnnx(net, meta, {});
    QVERIFY(!exported.ok());
    QCOMPARE(exported.error().code, Error::Code::Unsupported);
    QVERIFY(exported.error().message.contains(QStringLiteral("mystery_net")));
}

void TestOnnxExport::wrongCalibrationSizeIsRefused()
{
    auto model = modelFor(QStringLiteral("smallcnn"));
    QVERIFY(model);
    model->train();
    train::onnx::OnnxExportOptions options;
    options.calibration = {torch::zeros({1, 3, kSize + 1, kSize + 1})};
    auto exported = train::onnx::exportOnnx(*model, metaFor(*model), options);
    QVERIFY(!exported.ok());
    QVERIFY(exported.error().message.contains(QString::number(kSize)));
    QVERIFY(model->is_training()); // left as it was found
    model->eval();
}

void TestOnnxExport::resnet18At224()
{
    // Figures for the report; the bound on size is the weights themselves.
    auto model = modelFor(QStringLiteral("resnet18"));
    QVERIFY(model);
    ModelMeta meta = metaFor(*model);
    meta.inputSize = 224;
    train::onnx::OnnxExportOptions options;
    options.featuresOutput = true;
    QElapsedTimer timer;
    timer.start();
    auto exported = train::onnx::exportOnnx(*model, meta, options);
    const qint64 ms = timer.elapsed();
    QVERIFY(exported.ok());
    std::int64_t params = 0;
    for (const auto &p : model->parameters())
        params += p.numel();
    qInfo("resnet18 at 224: export %lld ms, %lld bytes (%lld parameters)", ms,
          qint64(exported->model.size()), qint64(params));
    QVERIFY(exported->model.size() > params * 4 * 0.95 /* BatchNorm folded away */);
    QVERIFY(exported->model.size() < params * 4 + 200000);
    const torch::Tensor image = torch::rand({1, 3, 224, 224}) * 2 - 1;
    const auto out = runOpenCv(exported->model, image, {"logits", "features"});
    QCOMPARE(out.size(), std::size_t(2));
    QVERIFY(out[1].sizes().vec() == (std::vector<std::int64_t>{1, 512, 7, 7}));
    torch::NoGradGuard noGrad;
    QVERIFY(maxAbsDiff(out[0], model->forward(image)) < kTolerance);
}

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "tst_onnxexport.moc"
