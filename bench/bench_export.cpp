// SPDX-License-Identifier: GPL-3.0-or-later
// Inference speed and accuracy of the exported forms (issue #8): fp32 ONNX and
// int8 ONNX through OpenCV dnn, and the model itself through LibTorch, beside
// bench/export_peer.py (torchvision eager fp32 and torch.ao fbgemm int8).
//
//   bench_export [--models resnet18,mobilenet_v3_large] [--size 224] [--threads 1,2]
//                [--runs 30] [--batch 16] [--batch-runs 5]
//                [--fmnist /usr/share/datasets/fashion-mnist] [--epochs 2] [--train-images N]
//                [--json FILE]
//
// Latency: median ms of --runs forward passes of one image (after 3 warm-up
// passes); throughput: 16 / median seconds of --batch-runs batches of 16.
// Weights are the architecture's initialisation with 1000 classes (speed does
// not depend on their values); int8 is calibrated on 8 random N(0,1) images.
// With --fmnist, smallcnn is trained from scratch at 28 px for --epochs epochs
// (SGD 0.05, momentum 0.9, batch 128, no augmentation, ImageNet normalisation
// of the grey image as RGB: the evaluation preprocessing), exported, int8
// calibrated on 512 training images, and all 10,000 test images are
// classified by LibTorch, fp32 ONNX and int8 ONNX.
#include "core/train/datapipeline.h"
#include "core/train/engineinfo.h"
#include "core/train/models.h"
#include "core/train/onnxgraph.h"
#include "core/train/onnxquant.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>

#include <sys/resource.h>

using namespace salient;
using namespace salient::train;
using namespace salient::train::data;
namespace tonnx = salient::train::onnx;

namespace {

double processCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// Median wall seconds of `runs` calls; `cpuPerRun` gets the process CPU seconds per call.
double medianSeconds(int runs, const std::function<void()> &step, double *cpuPerRun = nullptr)
{
    std::vector<double> times;
    const double cpu = processCpuSeconds();
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        step();
        times.push_back(t.nsecsElapsed() / 1e9);
    }
    if (cpuPerRun)
        *cpuPerRun = (processCpuSeconds() - cpu) / runs;
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

cv::Mat toBlob(const torch::Tensor &t)
{
    const int sizes[4] = {int(t.size(0)), int(t.size(1)), int(t.size(2)), int(t.size(3))};
    return cv::Mat(4, sizes, CV_32F, t.contiguous().data_ptr<float>()).clone();
}

struct Exports {
    QByteArray fp32, int8;
};

Exports exportBoth(ClassifierNet &model, int size, const std::vector<torch::Tensor> &calibration)
{
    ModelMeta meta;
    meta.inputSize = size;
    for (int c = 0; c < model.numClasses(); ++c)
        meta.classNames << QStringLiteral("c%1").arg(c);
    tonnx::OnnxExportOptions options;
    options.calibration = calibration;
    auto fp32 = tonnx::exportOnnx(model, meta, options);
    if (!fp32) {
        std::fprintf(stderr, "export: %s\n", qPrintable(fp32.error().toString()));
        return {};
    }
    auto int8 = tonnx::quantizeOnnx(fp32->model, fp32->ranges);
    if (!int8) {
        std::fprintf(stderr, "int8: %s\n", qPrintable(int8.error().toString()));
        return {fp32->model, {}};
    }
    return {fp32->model, *int8};
}

cv::dnn::Net openCvNet(const QByteArray &model)
{
    cv::dnn::Net net = cv::dnn::readNetFromONNX(model.constData(), size_t(model.size()));
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    return net;
}

struct Speed {
    double ms = 0, cpuMs = 0, imagesPerSecond = 0;
};

Speed timeIt(const std::function<void(const torch::Tensor &)> &forward, int size, int runs, int batch,
             int batchRuns)
{
    const torch::Tensor one = torch::randn({1, 3, size, size});
    const torch::Tensor many = torch::randn({batch, 3, size, size});
    for (int i = 0; i < 3; ++i)
        forward(one);
    Speed s;
    double cpu = 0;
    s.ms = 1000 * medianSeconds(runs, [&] { forward(one); }, &cpu);
    s.cpuMs = 1000 * cpu;
    forward(many);
    s.imagesPerSecond = batch / medianSeconds(batchRuns, [&] { forward(many); });
    return s;
}

// ---- Fashion-MNIST ----

std::vector<unsigned char> readIdx(const QString &file)
{
    std::vector<unsigned char> data;
    FILE *pipe = ::popen(("gzip -dc '" + file.toStdString() + "'").c_str(), "r");
    if (!pipe)
        return data;
    unsigned char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
        data.insert(data.end(), buf, buf + n);
    ::pclose(pipe);
    return data;
}

/// Images [n, 3, 28, 28] in the evaluation preprocessing, labels [n].
std::pair<torch::Tensor, torch::Tensor> loadSplit(const QString &dir, const QString &prefix)
{
    const auto images = readIdx(dir + QLatin1Char('/') + prefix + QStringLiteral("-images-idx3-ubyte.gz"));
    const auto labels = readIdx(dir + QLatin1Char('/') + prefix + QStringLiteral("-labels-idx1-ubyte.gz"));
    if (images.size() < 16 || labels.size() < 8)
        return {};
    const long n = long(labels.size()) - 8;
    torch::Tensor x = torch::empty({n, 3, 28, 28});
    torch::Tensor y = torch::empty({n}, torch::kLong);
    const Normalization norm = normalizationFor(AugmentRecipe{});
    for (long i = 0; i < n; ++i) {
        cv::Mat grey(28, 28, CV_8UC1, const_cast<unsigned char *>(images.data() + 16 + i * 784));
        writeChw(toBgr(grey), norm, x[i].data_ptr<float>());
        y[i] = static_cast<long>(labels[8 + i]);
    }
    return {x, y};
}

QJsonObject fashionMnist(const QString &dir, int epochs, long trainImages)
{
    QJsonObject out;
    torch::AutoGradMode grad(true); // main() runs under no-grad
    auto [trainX, trainY] = loadSplit(dir, QStringLiteral("train"));
    auto [testX, testY] = loadSplit(dir, QStringLiteral("t10k"));
    if (!trainX.defined() || !testX.defined()) {
        std::fprintf(stderr, "Fashion-MNIST not readable under %s\n", qPrintable(dir));
        return out;
    }
    torch::manual_seed(1);
    auto model = makeModel("smallcnn", 10);
    torch::optim::SGD sgd(model->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(5e-4));
    QElapsedTimer clock;
    clock.start();
    const long n = trainImages > 0 ? std::min(trainImages, long(trainX.size(0))) : long(trainX.size(0));
    for (int e = 0; e < epochs; ++e) {
        model->train();
        const torch::Tensor order = torch::randperm(trainX.size(0), torch::kLong).slice(0, 0, n);
        for (long b = 0; b + 128 <= n; b += 128) {
            const torch::Tensor idx = order.slice(0, b, b + 128);
            sgd.zero_grad();
            auto loss = torch::nn::functional::cross_entropy(model->forward(trainX.index_select(0, idx)),
                                                             trainY.index_select(0, idx));
            loss.backward();
            sgd.step();
        }
        std::fprintf(stderr, "epoch %d done after %.0f s\n", e + 1, clock.elapsed() / 1000.0);
    }
    model->eval();
    torch::NoGradGuard noGrad;
    const Exports ex = exportBoth(*model, 28, {trainX.slice(0, 0, 256), trainX.slice(0, 256, 512)});
    const long m = testX.size(0);
    auto accuracyOf = [&](const std::function<torch::Tensor(const torch::Tensor &)> &logits) {
        long right = 0;
        torch::Tensor predictions = torch::empty({m}, torch::kLong);
        for (long b = 0; b < m; b += 100) {
            const torch::Tensor p = logits(testX.slice(0, b, std::min(m, b + 100))).argmax(1);
            predictions.slice(0, b, b + p.size(0)).copy_(p);
        }
        right = predictions.eq(testY).sum().item<long>();
        return std::make_pair(double(right) / double(m), predictions);
    };
    auto viaOpenCv = [](const QByteArray &file) {
        auto net = std::make_shared<cv::dnn::Net>(openCvNet(file));
        return [net](const torch::Tensor &x) {
            net->setInput(toBlob(x));
            cv::Mat y = net->forward();
            return torch::from_blob(y.ptr<float>(), {y.rows, y.cols}).clone();
        };
    };
    const auto torchAcc = accuracyOf([&](const torch::Tensor &x) { return model->forward(x); });
    const auto fp32Acc = accuracyOf(viaOpenCv(ex.fp32));
    const auto int8Acc = accuracyOf(viaOpenCv(ex.int8));
    out[QStringLiteral("epochs")] = epochs;
    out[QStringLiteral("train_images")] = double(n);
    out[QStringLiteral("train_seconds")] = clock.elapsed() / 1000.0;
    out[QStringLiteral("libtorch")] = torchAcc.first;
    out[QStringLiteral("onnx_fp32")] = fp32Acc.first;
    out[QStringLiteral("onnx_int8")] = int8Acc.first;
    out[QStringLiteral("int8_top1_agreement")] =
        fp32Acc.second.eq(int8Acc.second).sum().item<long>() / double(m);
    out[QStringLiteral("fp32_bytes")] = ex.fp32.size();
    out[QStringLiteral("int8_bytes")] = ex.int8.size();
    std::printf("\nFashion-MNIST test (10,000 images), smallcnn %d epoch(s) on %ld training images from scratch at 28 px\n",
                epochs, n);
    std::printf("| runtime | accuracy | file |\n|---|---|---|\n");
    std::printf("| LibTorch fp32 | %.4f | |\n", torchAcc.first);
    std::printf("| ONNX fp32 (OpenCV dnn) | %.4f | %lld B |\n", fp32Acc.first, qint64(ex.fp32.size()));
    std::printf("| ONNX int8 (OpenCV dnn) | %.4f | %lld B |\n", int8Acc.first, qint64(ex.int8.size()));
    std::printf("int8 top-1 = fp32 top-1 on %.2f%% of the images; size ratio %.2fx\n",
                100 * out[QStringLiteral("int8_top1_agreement")].toDouble(),
                double(ex.fp32.size()) / std::max(1, int(ex.int8.size())));
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("models"), QStringLiteral("architectures"), QStringLiteral("list"),
                 QStringLiteral("resnet18,mobilenet_v3_large")});
    p.addOption({QStringLiteral("size"), QStringLiteral("input side"), QStringLiteral("px"), QStringLiteral("224")});
    p.addOption({QStringLiteral("threads"), QStringLiteral("thread counts"), QStringLiteral("list"), QStringLiteral("1,2")});
    p.addOption({QStringLiteral("runs"), QStringLiteral("batch-1 runs"), QStringLiteral("n"), QStringLiteral("30")});
    p.addOption({QStringLiteral("batch"), QStringLiteral("throughput batch"), QStringLiteral("n"), QStringLiteral("16")});
    p.addOption({QStringLiteral("batch-runs"), QStringLiteral("batches timed"), QStringLiteral("n"), QStringLiteral("5")});
    p.addOption({QStringLiteral("fmnist"), QStringLiteral("Fashion-MNIST folder (idx .gz files)"), QStringLiteral("dir")});
    p.addOption({QStringLiteral("epochs"), QStringLiteral("Fashion-MNIST epochs"), QStringLiteral("n"), QStringLiteral("2")});
    p.addOption({QStringLiteral("train-images"), QStringLiteral("Fashion-MNIST training images per epoch (0: all)"),
                 QStringLiteral("n"), QStringLiteral("0")});
    p.addOption({QStringLiteral("json"), QStringLiteral("write results"), QStringLiteral("file")});
    p.process(app);
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
    const int size = p.value(QStringLiteral("size")).toInt();
    const int runs = p.value(QStringLiteral("runs")).toInt();
    const int batch = p.value(QStringLiteral("batch")).toInt();
    const int batchRuns = p.value(QStringLiteral("batch-runs")).toInt();
    QJsonObject result;
    QJsonArray rows;
    torch::NoGradGuard noGrad;

    // CPU ms: process CPU time per batch-1 image (all threads): steadier than
    // wall time on a shared machine, where a neighbour's load stretches the clock.
    std::printf("| model | threads | runtime | batch 1 median ms | batch 1 CPU ms | batch %d images/s | file MB |\n"
                "|---|---|---|---|---|---|---|\n", batch);
    for (const QString &name : p.value(QStringLiteral("models")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        torch::manual_seed(0);
        auto model = makeModel(name.toStdString(), 1000);
        if (!model) {
            std::fprintf(stderr, "unknown model %s\n", qPrintable(name));
            continue;
        }
        model->eval();
        setEngineThreads(2);
        const Exports ex = exportBoth(*model, size, {torch::randn({8, 3, size, size})});
        for (const QString &t : p.value(QStringLiteral("threads")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const int threads = t.toInt();
            cv::setNumThreads(threads);
            setEngineThreads(threads);
            struct Runtime {
                const char *name;
                QByteArray file;
            };
            for (const Runtime &r : {Runtime{"LibTorch fp32", {}}, Runtime{"ONNX fp32 (OpenCV)", ex.fp32},
                                     Runtime{"ONNX int8 (OpenCV)", ex.int8}}) {
                Speed s;
                try {
                    if (r.file.isNull() && std::string(r.name).rfind("LibTorch", 0) == 0) {
                        s = timeIt([&](const torch::Tensor &x) { model->forward(x); }, size, runs, batch, batchRuns);
                    } else if (!r.file.isEmpty()) {
                        cv::dnn::Net net = openCvNet(r.file);
                        s = timeIt([&](const torch::Tensor &x) { net.setInput(toBlob(x)); net.forward(); },
                                   size, runs, batch, batchRuns);
                    }
                } catch (const std::exception &e) {
                    std::fprintf(stderr, "%s %s: %s\n", qPrintable(name), r.name, e.what());
                }
                const double mb = r.file.size() / 1e6;
                std::printf("| %s | %d | %s | %.2f | %.2f | %.1f | %s |\n", qPrintable(name), threads, r.name,
                            s.ms, s.cpuMs, s.imagesPerSecond, r.file.isEmpty() ? "" : qPrintable(QString::number(mb, 'f', 1)));
                std::fflush(stdout);
                rows.append(QJsonObject{{QStringLiteral("model"), name}, {QStringLiteral("threads"), threads},
                                        {QStringLiteral("runtime"), QString::fromLatin1(r.name)},
                                        {QStringLiteral("ms"), s.ms}, {QStringLiteral("cpu_ms"), s.cpuMs},
                                        {QStringLiteral("images_per_second"), s.imagesPerSecond},
                                        {QStringLiteral("bytes"), r.file.size()}});
            }
        }
    }
    result[QStringLiteral("speed")] = rows;
    if (p.isSet(QStringLiteral("fmnist"))) {
        setEngineThreads(2);
        cv::setNumThreads(2);
        result[QStringLiteral("fashion_mnist")] =
            fashionMnist(p.value(QStringLiteral("fmnist")), p.value(QStringLiteral("epochs")).toInt(),
                         p.value(QStringLiteral("train-images")).toLong());
    }
    if (p.isSet(QStringLiteral("json"))) {
        QFile f(p.value(QStringLiteral("json")));
        if (f.open(QIODevice::WriteOnly))
            f.write(QJsonDocument(result).toJson());
    }
    return 0;
}
