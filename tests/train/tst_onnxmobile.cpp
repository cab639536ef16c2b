// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX export of MobileNetV3-Small/Large and EfficientNet-B0 (onnx_mobile.cpp):
// on real decoded images, with BatchNorm statistics and affine parameters far
// from their defaults (so a wrong fold shows), the traced graph equals
// forward(), the C++ and python ONNX checkers accept the file, and OpenCV's dnn
// gives LibTorch's logits and features within 1e-4 on a whole batch (batches
// above one are where OpenCV 4.6 mishandles the squeeze-excitation product).
#include "core/imaging/augment.h"
#include "core/train/datapipeline.h"
#include "core/train/models.h"
#include "core/train/onnxgraph.h"
#include "tests/support/tinydataset.h"

#include <algorithm>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;
using namespace salient::train;
namespace ox = salient::train::onnx;

namespace {

constexpr int kClasses = 3;
constexpr int kBatch = 5;
constexpr double kTolerance = 1e-4;

double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

/// 1e-4, relative to the largest magnitude once values exceed 1: float32
/// sums of thousands of terms round at ~1e-7 of their size, so an absolute
/// 1e-4 on features in the hundreds would test rounding, not the export.
double bound(const torch::Tensor &expected)
{
    return kTolerance * std::max(1.0, expected.abs().max().item<double>());
}

/// BatchNorm far from a fresh one: random gamma / beta, and running statistics
/// measured on `images` in training mode with momentum 1 (what training converges to).
void settleBatchNorm(ClassifierNet &model, const torch::Tensor &images)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::nn::BatchNorm2dImpl *> norms;
    for (const auto &module : model.modules(false))
        if (auto *bn = module->as<torch::nn::BatchNorm2dImpl>())
            norms.push_back(bn);
    for (auto *bn : norms) {
        // Mild: 50 layers of random gammas in 0.5..1.5 blow activations up to
        // 1e4, where float32 rounding alone exceeds any absolute bound.
        bn->weight.uniform_(0.9, 1.1);
        bn->bias.normal_(0.0, 0.05);
        bn->options.momentum(1.0);
    }
    model.train();
    model.forward(images);
    for (auto *bn : norms) {
        bn->options.momentum(0.01);
        // Keep them non-trivial even where a batch makes the mean ~0.
        bn->running_mean.add_(torch::randn_like(bn->running_mean) * 0.05);
    }
    model.eval();
}

/// Evaluation preprocessing of PNG files at `size`: [n, 3, size, size], ImageNet-normalised.
torch::Tensor loadImages(const QStringList &files, int size)
{
    const data::Normalization norm = data::normalizationFor(AugmentRecipe{});
    torch::Tensor batch = torch::empty({files.size(), 3, size, size});
    for (int i = 0; i < files.size(); ++i) {
        const cv::Mat image = cv::imread(files[i].toStdString(), cv::IMREAD_COLOR);
        if (image.empty())
            return {};
        const cv::Mat crop = data::centreCrop(data::shorterSideTo(data::toBgr(image), size), size);
        data::writeChw(crop, norm, batch[i].data_ptr<float>());
    }
    return batch;
}

cv::Mat toBlob(const torch::Tensor &t)
{
    const torch::Tensor c = t.contiguous();
    std::vector<int> dims(c.sizes().begin(), c.sizes().end());
    return cv::Mat(static_cast<int>(dims.size()), dims.data(), CV_32F, c.data_ptr<float>()).clone();
}

torch::Tensor fromBlob(const cv::Mat &m)
{
    std::vector<std::int64_t> dims(m.size.p, m.size.p + m.dims);
    return torch::from_blob(const_cast<float *>(m.ptr<float>()), dims).clone();
}

/// Empty when /usr/bin/python3's onnx checker (full_check) accepts `file`, else what it said.
QString pythonChecker(const QString &file, bool *skipped)
{
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), "
                                 "full_check=True)"),
                  file});
    *skipped = !python.waitForStarted() || !python.waitForFinished(120000);
    if (*skipped)
        return QStringLiteral("/usr/bin/python3 did not run");
    const QString err = QString::fromUtf8(python.readAllStandardError());
    if (python.exitCode() != 0 && err.contains(QStringLiteral("No module named 'onnx'"))) {
        *skipped = true;
        return QStringLiteral("python3-onnx is not installed");
    }
    return python.exitCode() == 0 ? QString() : err.trimmed();
}

} // namespace

class TestOnnxMobile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QStringList m_images;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::TinySpec spec;
        spec.trainPerClass = {2, 2, 2};
        spec.valPerClass = 0;
        spec.testPerClass = 2;
        spec.size = 80; // not the export size: shorterSideTo and centreCrop do work
        QVERIFY(!test::makeTinyProject(m_dir.path(), spec).isEmpty());
        QDir folder(m_dir.filePath(QStringLiteral("images/test")));
        for (const QString &name : folder.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name))
            m_images << folder.filePath(name);
        QVERIFY2(m_images.size() >= kBatch, qPrintable(QString::number(m_images.size())));
        m_images = m_images.mid(0, kBatch);
        torch::set_num_threads(2);
    }

    void exportMatchesLibTorch_data()
    {
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<int>("size");
        // 64 px keeps them fast; 96 leaves 3x3 maps (odd sizes, stride-2 padding).
        QTest::newRow("mobilenet_v3_small at 64") << QStringLiteral("mobilenet_v3_small") << 64;
        QTest::newRow("mobilenet_v3_small at 96") << QStringLiteral("mobilenet_v3_small") << 96;
        QTest::newRow("mobilenet_v3_large at 64") << QStringLiteral("mobilenet_v3_large") << 64;
        QTest::newRow("efficientnet_b0 at 64") << QStringLiteral("efficientnet_b0") << 64;
        QTest::newRow("mobilenet_v3_small at 32") << QStringLiteral("mobilenet_v3_small") << 32;
        QTest::newRow("mobilenet_v3_small at 48") << QStringLiteral("mobilenet_v3_small") << 48;
    }

    void exportMatchesLibTorch()
    {
        QFETCH(QString, architecture);
        QFETCH(int, size);
        torch::manual_seed(11);
        std::shared_ptr<ClassifierNet> model = makeModel(architecture.toStdString(), kClasses);
        QVERIFY(model);
        const torch::Tensor images = loadImages(m_images, size);
        QVERIFY(images.defined());
        settleBatchNorm(*model, images);
        torch::NoGradGuard noGrad;
        const torch::Tensor expectedLogits = model->forward(images);
        const torch::Tensor expectedFeatures = model->features(images);

        ox::GraphBuilder g(true);
        const ox::Value input = g.input("input", size, images);
        const bool mobile = architecture.startsWith(QStringLiteral("mobilenet"));
        Result<ox::Emitted> emitted = mobile ? ox::emitMobileNetV3(g, *model, input)
                                               : ox::emitEfficientNet(g, *model, input);
        QVERIFY2(emitted.ok(), qPrintable(emitted.ok() ? QString() : emitted.error().toString()));
        QCOMPARE(QString::fromStdString(emitted->featuresLayer),
                 QString::fromStdString(model->blockNames().back()));
        g.output(emitted->logits, "logits", {kClasses});
        const auto fs = expectedFeatures.sizes();
        g.output(emitted->features, "features", {fs[1], fs[2], fs[3]});

        // The exact answer: the same model in float64. Float32 LibTorch is not
        // exact either: EfficientNet-B0 with settled statistics reaches logits
        // of ~1e4, where LibTorch's own float32 forward is 3e-4 of that away
        // from float64. An export may not be further from exact than LibTorch
        // is (with a margin of 2), or 1e-4 relative, whichever is larger.
        torch::Tensor exactLogits, exactFeatures;
        {
            model->to(torch::kDouble);
            const torch::Tensor images64 = images.to(torch::kDouble);
            exactLogits = model->forward(images64);
            exactFeatures = model->features(images64);
            model->to(torch::kFloat);
        }
        const double logitTol =
            std::max(bound(expectedLogits), 2.0 * maxAbsDiff(expectedLogits.to(torch::kDouble), exactLogits));
        const double featureTol = std::max(
            bound(expectedFeatures), 2.0 * maxAbsDiff(expectedFeatures.to(torch::kDouble), exactFeatures));
        const auto fromExact = [](const torch::Tensor &t, const torch::Tensor &exact) {
            return maxAbsDiff(t.to(torch::kDouble), exact);
        };

        // The traced graph is the model.
        const double traceLogits = fromExact(emitted->logits.value, exactLogits);
        const double traceFeatures = fromExact(emitted->features.value, exactFeatures);
        const QString scale = QStringLiteral(" (largest |logit| %1, |feature| %2; tolerances %3, %4)")
                                  .arg(expectedLogits.abs().max().item<double>())
                                  .arg(expectedFeatures.abs().max().item<double>())
                                  .arg(logitTol)
                                  .arg(featureTol);
        QVERIFY2(traceLogits < logitTol, qPrintable(QString::number(traceLogits) + scale));
        QVERIFY2(traceFeatures < featureTol, qPrintable(QString::number(traceFeatures) + scale));
        // And the graph's own float32 values agree with LibTorch's as closely.
        QVERIFY2(maxAbsDiff(emitted->logits.value, expectedLogits) < logitTol, qPrintable(scale));

        ModelMeta meta;
        meta.format = QStringLiteral("onnx");
        meta.architecture = architecture;
        meta.classNames = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        meta.inputSize = size;
        meta.featuresOutput = true;
        meta.featuresLayer = QString::fromStdString(emitted->featuresLayer);
        Result<QByteArray> bytes = g.serialize(meta);
        QVERIFY2(bytes.ok(), qPrintable(bytes.ok() ? QString() : bytes.error().toString()));

        // Both checkers accept it.
        ::onnx::ModelProto proto;
        QVERIFY(proto.ParseFromArray(bytes->constData(), bytes->size()));
        try {
            ::onnx::checker::check_model(proto);
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        const QString file = m_dir.filePath(architecture + QString::number(size) + QStringLiteral(".onnx"));
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            QCOMPARE(out.write(*bytes), bytes->size());
        }
        bool skipped = false;
        const QString checker = pythonChecker(file, &skipped);
        // python3-onnx is an install step of ./test.sh: not having it is a failure.
        QVERIFY2(!skipped, qPrintable(checker));
        QVERIFY2(checker.isEmpty(), qPrintable(checker));

        // OpenCV's dnn reads it as LibTorch runs it, a whole batch at once.
        torch::Tensor cvLogits, cvFeatures;
        try {
            cv::dnn::Net net = cv::dnn::readNetFromONNX(bytes->constData(), bytes->size());
            net.setInput(toBlob(images), "input");
            std::vector<cv::Mat> outs;
            net.forward(outs, std::vector<cv::String>{"logits", "features"});
            cvLogits = fromBlob(outs[0]);
            cvFeatures = fromBlob(outs[1]);
        } catch (const cv::Exception &e) {
            QFAIL(e.what());
        }
        QCOMPARE(cvLogits.sizes(), expectedLogits.sizes());
        QCOMPARE(cvFeatures.sizes(), expectedFeatures.sizes());
        const double cvLogitsDiff = fromExact(cvLogits, exactLogits);
        const double cvFeaturesDiff = fromExact(cvFeatures, exactFeatures);
        qInfo("%s at %d, max|diff| from float64: LibTorch float32 logits %.3g features %.3g; "
              "trace logits %.3g features %.3g; OpenCV dnn logits %.3g features %.3g "
              "(logits up to %.3g); OpenCV - LibTorch logits %.3g",
              qPrintable(architecture), size,
              fromExact(expectedLogits, exactLogits), fromExact(expectedFeatures, exactFeatures),
              traceLogits, traceFeatures, cvLogitsDiff, cvFeaturesDiff,
              expectedLogits.abs().max().item<double>(), maxAbsDiff(cvLogits, expectedLogits));
        QVERIFY2(cvLogitsDiff < logitTol, qPrintable(QString::number(cvLogitsDiff) + scale));
        QVERIFY2(cvFeaturesDiff < featureTol, qPrintable(QString::number(cvFeaturesDiff) + scale));
        // Not vacuous: the images give different logits.
        QVERIFY(maxAbsDiff(expectedLogits[0], expectedLogits[1]) > 1e-3);
    }

    void otherArchitecturesAreRefused_data()
    {
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<bool>("asMobileNet");
        QTest::newRow("resnet18 as MobileNetV3") << QStringLiteral("resnet18") << true;
        QTest::newRow("efficientnet_b0 as MobileNetV3") << QStringLiteral("efficientnet_b0") << true;
        QTest::newRow("mobilenet_v3_small as EfficientNet") << QStringLiteral("mobilenet_v3_small") << false;
    }

    void otherArchitecturesAreRefused()
    {
        QFETCH(QString, architecture);
        QFETCH(bool, asMobileNet);
        std::shared_ptr<ClassifierNet> model = makeModel(architecture.toStdString(), kClasses);
        QVERIFY(model);
        ox::GraphBuilder g(false);
        const ox::Value input = g.input("input", 64);
        Result<ox::Emitted> emitted = asMobileNet ? ox::emitMobileNetV3(g, *model, input)
                                                    : ox::emitEfficientNet(g, *model, input);
        QVERIFY(!emitted.ok());
        QCOMPARE(emitted.error().code, Error::Code::Unsupported);
        QVERIFY2(emitted.error().message.contains(architecture), qPrintable(emitted.error().message));
    }
};

QTEST_GUILESS_MAIN(TestOnnxMobile)
#include "tst_onnxmobile.moc"
