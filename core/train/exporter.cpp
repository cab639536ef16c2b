// SPDX-License-Identifier: GPL-3.0-or-later
// exportModel() and checkParity(): the export pipeline around the pieces that
// write the files (onnxgraph.h, onnxquant.h, modelfile.h) and read them
// (predictor.h). Every comparison feeds the LibTorch model and the exported
// file the very same evaluation crops, so a difference is the runtime's, not
// the preprocessing's.
#include "core/train/exporter.h"

#include "core/project/store.h"
#include "core/runs/modelcard.h"
#include "core/train/datapipeline.h"
#include "core/train/engineinfo.h"
#include "core/train/evaluate.h"
#include "core/train/modelfile.h"
#include "core/train/onnxgraph.h"
#include "core/train/predictor.h"
#include "core/train/runmodel.h"
#include "core/train/shrink.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>

namespace salient::train {

namespace {

constexpr int kChunk = 32; // images decoded and compared at a time

QString firstLine(const char *what)
{
    return QString::fromUtf8(what).section(QLatin1Char('\n'), 0, 0);
}

Error withPath(Error e, const QString &path)
{
    if (e.path.isEmpty())
        e.path = path;
    return e;
}

bool cancelled(const std::atomic<bool> *cancel)
{
    return cancel && cancel->load();
}

Error cancelledError(const QString &file)
{
    return makeError(Error::Code::Cancelled, QStringLiteral("export cancelled; nothing was written"),
                     file);
}

/// Evenly spread indices: `k` of `n` (all when k >= n), in order.
QVector<int> spread(int n, int k)
{
    QVector<int> out;
    if (k <= 0 || n <= 0)
        return out;
    k = std::min(k, n);
    for (int i = 0; i < k; ++i)
        out << int((qint64(i) * n) / k);
    return out;
}

/// One image as the evaluation loader sees it: size x size BGR, continuous.
Result<cv::Mat> evaluationCrop(const LoaderItem &item, int size)
{
    auto decoded = data::decodeAtTrainingSize(item, size);
    if (!decoded.ok())
        return decoded.error();
    try {
        return data::centreCrop(decoded.value(), size).clone();
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode, QString::fromStdString(e.msg), item.path);
    }
}

torch::Tensor toInput(const std::vector<cv::Mat> &crops, const data::Normalization &norm, int size)
{
    torch::Tensor input = torch::empty({qint64(crops.size()), 3, size, size}, torch::kFloat);
    float *dst = input.data_ptr<float>();
    for (std::size_t i = 0; i < crops.size(); ++i)
        data::writeChw(crops[i], norm, dst + i * std::size_t(3 * size * size));
    return input;
}

/// ONNX's own checker on the file's bytes; empty when it accepts them.
QString onnxCheckerMessage(const QByteArray &bytes)
{
    try {
        ::onnx::ModelProto proto;
        if (!proto.ParseFromArray(bytes.constData(), int(bytes.size())))
            return QStringLiteral("not a readable ONNX protobuf");
        ::onnx::checker::check_model(proto);
        return {};
    } catch (const std::exception &e) {
        return firstLine(e.what());
    }
}

/// What one pass over images through both runtimes measured.
struct Comparison {
    ParityReport parity;
    int images = 0;      ///< compared for accuracy
    int skipped = 0;     ///< unreadable
    double libtorchCorrect = 0;
    double exportedCorrect = 0;
};

bool isCorrect(const float *logits, int classes, const LoaderItem &item, bool multiLabel,
               const QVector<double> &thresholds)
{
    if (!multiLabel) {
        const int best = int(std::max_element(logits, logits + classes) - logits);
        return item.classes.size() == 1 && item.classes.first() == best;
    }
    for (int c = 0; c < classes; ++c) {
        const double p = 1.0 / (1.0 + std::exp(-double(logits[c])));
        const bool predicted = p >= thresholds.value(c, 0.5);
        if (predicted != item.classes.contains(c))
            return false;
    }
    return true;
}

struct CompareSpec {
    int size = 224;
    data::Normalization norm;
    int parityImages = 32;
    bool accuracy = false; ///< every item (else only the parity images)
    bool multiLabel = false;
    QVector<double> thresholds;
};

/// Runs `items` through `model` (LibTorch) and `exported` chunk by chunk:
/// logits of the first parityImages readable images are compared, every
/// image counts for accuracy when spec.accuracy.
Result<Comparison> compare(ClassifierNet &model, Predictor &exported, const QVector<LoaderItem> &items,
                           const CompareSpec &spec, const ExportProgress &progress,
                           const std::atomic<bool> *cancel, const QString &file)
{
    Comparison out;
    out.parity.runtime = exported.runtime();
    double worst = 0;
    double largest = 0;
    int agree = 0;
    const int total = spec.accuracy ? int(items.size()) : std::min(int(items.size()), spec.parityImages);
    torch::NoGradGuard noGrad;
    int next = 0;
    while (next < items.size() && (spec.accuracy || out.parity.images < spec.parityImages)) {
        if (cancelled(cancel))
            return cancelledError(file);
        std::vector<cv::Mat> crops;
        QVector<cv::Mat> forExport;
        QVector<const LoaderItem *> used;
        while (next < items.size() && int(crops.size()) < kChunk) {
            const LoaderItem &item = items[next++];
            auto crop = evaluationCrop(item, spec.size);
            if (!crop.ok()) {
                ++out.skipped;
                continue;
            }
            crops.push_back(crop.value());
            forExport << crop.value();
            used << &item;
        }
        if (crops.empty())
            continue;
        const torch::Tensor reference = model.forward(toInput(crops, spec.norm, spec.size)).contiguous();
        auto theirs = exported.logits(forExport);
        if (!theirs.ok())
            return withPath(theirs.error(), file);
        const int classes = int(reference.size(1));
        const float *ref = reference.data_ptr<float>();
        for (int i = 0; i < int(crops.size()); ++i) {
            const QVector<float> &row = theirs.value().value(i);
            if (row.size() != classes)
                return makeError(Error::Code::Invalid,
                                 QStringLiteral("the exported model gives %1 outputs, the run's model %2")
                                     .arg(row.size())
                                     .arg(classes),
                                 file);
            const float *mine = ref + std::size_t(i) * std::size_t(classes);
            if (out.parity.images < spec.parityImages) {
                for (int c = 0; c < classes; ++c) {
                    worst = std::max(worst, double(std::abs(mine[c] - row[c])));
                    largest = std::max(largest, double(std::abs(mine[c])));
                }
                const int a = int(std::max_element(mine, mine + classes) - mine);
                const int b = int(std::max_element(row.begin(), row.end()) - row.begin());
                agree += a == b ? 1 : 0;
                ++out.parity.images;
            }
            if (spec.accuracy) {
                out.libtorchCorrect += isCorrect(mine, classes, *used[i], spec.multiLabel, spec.thresholds);
                out.exportedCorrect += isCorrect(row.constData(), classes, *used[i], spec.multiLabel,
                                                 spec.thresholds);
                ++out.images;
            }
        }
        if (progress)
            progress(spec.accuracy ? QStringLiteral("measuring accuracy on %1 images").arg(total)
                                   : QStringLiteral("comparing %1 images with LibTorch").arg(total),
                     std::min(next, total), total);
    }
    if (cancelled(cancel))
        return cancelledError(file);
    out.parity.ran = out.parity.images > 0;
    out.parity.maxAbsDiff = out.parity.ran ? worst : -1;
    out.parity.largestLogit = out.parity.ran ? largest : -1;
    out.parity.top1Agreement = out.parity.ran ? double(agree) / out.parity.images : -1;
    return out;
}

/// 1e-4, relative to the largest |logit| once logits exceed 1.
double fp32Tolerance(const ParityReport &parity)
{
    return 1e-4 * std::max(1.0, parity.largestLogit);
}

/// Everything exportModel and checkParity need about the run.
struct Opened {
    RunModel run;
    data::Normalization norm;
    int size = 224;
    QVector<LoaderItem> train;
    QVector<LoaderItem> evaluation; ///< test, else validation
    QString evaluationSplit;
    QVector<double> thresholds;
};

Result<Opened> openRun(ProjectStore &store, qint64 runId, const QString &checkpoint)
{
    auto loaded = loadRunModel(store, runId, checkpoint);
    if (!loaded.ok())
        return withPath(loaded.error(), store.filePath());
    Opened o;
    o.run = std::move(loaded).value();
    o.size = o.run.config.effectiveImageSize();
    auto recipe = recipeFor(o.run.config, store);
    if (!recipe.ok())
        return withPath(recipe.error(), store.filePath());
    o.norm = data::normalizationFor(recipe.value());
    RunStore runs(store);
    auto data = loadRunData(store, runs, o.run.run, o.run.config);
    if (!data.ok())
        return withPath(data.error(), store.filePath());
    o.train = data->train;
    o.evaluation = data->test.isEmpty() ? data->validation : data->test;
    o.evaluationSplit = data->test.isEmpty() ? QStringLiteral("validation") : QStringLiteral("test");
    if (o.run.config.multiLabel && !o.run.run.bestMetrics.isEmpty()) {
        const EvalMetrics m = EvalMetrics::fromJson(o.run.run.bestMetrics);
        for (const ClassMetrics &c : m.perClass)
            o.thresholds << c.threshold;
    }
    return o;
}

ModelMeta metaFor(const Opened &o, const QString &projectFile)
{
    ModelMeta meta;
    meta.architecture = QString::fromStdString(o.run.model->architecture());
    meta.classNames = o.run.run.classNames;
    meta.multiLabel = o.run.config.multiLabel;
    meta.thresholds = o.thresholds;
    meta.inputSize = o.size;
    for (int c = 0; c < 3; ++c) {
        // Normalization keeps value = pixel * scale + offset; the meta keeps mean/std of pixel / 255.
        meta.std[c] = 1.0 / (255.0 * double(o.norm.scale[c]));
        meta.mean[c] = -double(o.norm.offset[c]) * meta.std[c];
    }
    meta.runId = o.run.run.id;
    meta.runName = o.run.run.name;
    meta.projectName = QFileInfo(projectFile).fileName();
    meta.exportedAt = QDateTime::currentDateTimeUtc();
    const QString version = QCoreApplication::applicationVersion();
    meta.producer = version.isEmpty() ? QStringLiteral("Salient Studio")
                                      : QStringLiteral("Salient Studio %1").arg(version);
    return meta;
}

Status writeAtomically(const QByteArray &bytes, const QString &file)
{
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io, QStringLiteral("cannot write the model: %1").arg(out.errorString()),
                         file);
    if (out.write(bytes) != bytes.size())
        return makeError(Error::Code::Io,
                         QStringLiteral("writing the model failed (disk full?): %1").arg(out.errorString()),
                         file);
    if (!out.commit())
        return makeError(Error::Code::Io,
                         QStringLiteral("writing the model failed (disk full?): %1").arg(out.errorString()),
                         file);
    return {};
}

/// Calibration batches of `count` training images spread over the split.
std::vector<torch::Tensor> calibrationBatches(const Opened &o, int count, bool raw, int *used)
{
    data::Normalization norm = o.norm;
    if (raw) // the graph normalises itself: it is calibrated on raw 0..255 pixels
        for (int c = 0; c < 3; ++c) {
            norm.scale[c] = 1.0f;
            norm.offset[c] = 0.0f;
        }
    std::vector<torch::Tensor> batches;
    std::vector<cv::Mat> crops;
    *used = 0;
    for (int index : spread(int(o.train.size()), count)) {
        auto crop = evaluationCrop(o.train[index], o.size);
        if (!crop.ok())
            continue;
        crops.push_back(crop.value());
        ++*used;
        if (int(crops.size()) == kChunk) {
            batches.push_back(toInput(crops, norm, o.size));
            crops.clear();
        }
    }
    if (!crops.empty())
        batches.push_back(toInput(crops, norm, o.size));
    return batches;
}

QString points(double fraction)
{
    return QString::number(100.0 * fraction, 'f', 1);
}

/// Writes the file the request asks for; sets report.fp32Bytes for int8.
Status writeExport(const ExportRequest &request, Opened &o, ModelMeta meta, ExportReport &report,
                   const ExportProgress &progress, const std::atomic<bool> *cancel)
{
    const QString &file = request.outFile;
    if (request.format == ModelFormat::LibTorch) {
        if (progress)
            progress(QStringLiteral("writing %1").arg(QFileInfo(file).fileName()), 0, 0);
        Status saved = saveLibTorchModel(*o.run.model, meta, file);
        return saved.ok() ? saved : Status(withPath(saved.error(), file));
    }
    onnx::OnnxExportOptions options;
    options.embedNormalisation = request.embedNormalisation;
    options.featuresOutput = request.featuresOutput;
    if (request.int8) {
        if (o.train.isEmpty())
            return makeError(Error::Code::Invalid,
                             QStringLiteral("int8 needs training images to calibrate on; run %1 has none")
                                 .arg(o.run.run.id),
                             file);
        int used = 0;
        if (progress)
            progress(QStringLiteral("calibrating on %1 training images")
                         .arg(std::min<qsizetype>(request.calibrationImages, o.train.size())),
                     0, 0);
        options.calibration = calibrationBatches(o, std::max(1, request.calibrationImages),
                                                 request.embedNormalisation, &used);
        if (used == 0)
            return makeError(Error::Code::Decode,
                             QStringLiteral("no training image of run %1 could be read for calibration")
                                 .arg(o.run.run.id),
                             file);
    }
    if (cancelled(cancel))
        return cancelledError(file);
    if (progress)
        progress(QStringLiteral("building the ONNX graph"), 0, 0);
    auto fp32 = onnx::exportOnnx(*o.run.model, meta, options);
    if (!fp32.ok())
        return withPath(fp32.error(), file);
    QByteArray bytes = fp32->model;
    if (request.int8) {
        report.fp32Bytes = bytes.size();
        if (progress)
            progress(QStringLiteral("quantising to int8"), 0, 0);
        auto quantised = onnx::quantizeOnnx(bytes, fp32->ranges);
        if (!quantised.ok())
            return withPath(quantised.error(), file);
        bytes = std::move(quantised).value();
    }
    if (cancelled(cancel))
        return cancelledError(file);
    if (progress)
        progress(QStringLiteral("writing %1").arg(QFileInfo(file).fileName()), 0, 0);
    SALIENT_TRY(writeAtomically(bytes, file));
    const QString message = onnxCheckerMessage(bytes);
    report.parity.checkerOk = message.isEmpty();
    report.parity.checkerMessage = message;
    return {};
}

/// The out file's folder must exist before minutes are spent on the export.
Status checkOutFile(const QString &file)
{
    if (file.isEmpty())
        return makeError(Error::Code::Invalid, QStringLiteral("no output file given"));
    const QFileInfo info(file);
    if (info.isDir())
        return makeError(Error::Code::Invalid, QStringLiteral("is a folder, not a model file"), file);
    const QFileInfo dir(info.absolutePath());
    if (!dir.isDir())
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot write the model: the folder %1 %2")
                             .arg(dir.filePath(), dir.exists() ? QStringLiteral("is a file")
                                                               : QStringLiteral("does not exist")),
                         file);
    return {};
}

} // namespace

Result<ExportReport> exportModel(const ExportRequest &request, const ExportProgress &progress,
                                 const std::atomic<bool> *cancel)
{
    const QString &file = request.outFile;
    SALIENT_TRY(checkOutFile(file));
    if (request.format == ModelFormat::LibTorch && (request.int8 || request.embedNormalisation
                                                    || request.featuresOutput))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("int8, built-in normalisation and the features output are "
                                        "ONNX options; a LibTorch export has none of them"),
                         file);
    try {
        setEngineThreads(request.threads);
        ExportReport report;
        report.outFile = QFileInfo(file).absoluteFilePath();
        qint64 runId = request.runId;
        if (request.pruneSparsity > 0) {
            PruneOptions prune;
            prune.sparsity = request.pruneSparsity;
            prune.epochs = request.pruneEpochs;
            prune.threads = request.threads;
            auto pruned = pruneRun(request.projectFile, runId, prune, progress, cancel);
            if (!pruned.ok())
                return withPath(pruned.error(), request.projectFile);
            runId = pruned->runId;
            report.prunedRunId = runId;
            report.sparsity = pruned->sparsity;
            setEngineThreads(request.threads);
        }
        if (cancelled(cancel))
            return cancelledError(file);

        auto store = ProjectStore::open(request.projectFile, ProjectStore::OpenMode::ReadOnly);
        if (!store.ok())
            return store.error();
        if (progress)
            progress(QStringLiteral("loading run %1").arg(runId), 0, 0);
        auto opened = openRun(*store.value(), runId, request.checkpoint);
        if (!opened.ok())
            return opened.error();
        Opened &o = opened.value();
        for (torch::Tensor &p : o.run.model->parameters())
            p.set_requires_grad(false);
        ModelMeta meta = metaFor(o, request.projectFile);
        meta.sparsity = report.sparsity;

        SALIENT_TRY(writeExport(request, o, meta, report, progress, cancel));
        report.fileBytes = QFileInfo(file).size();

        // From here on the file is complete; what follows measures it.
        auto predictor = Predictor::open(file, request.threads);
        if (!predictor.ok())
            return withPath(predictor.error(), file);
        report.meta = predictor.value()->meta();
        CompareSpec spec;
        spec.size = o.size;
        spec.norm = o.norm;
        spec.parityImages = request.parityImages;
        spec.accuracy = true;
        spec.multiLabel = o.run.config.multiLabel;
        spec.thresholds = o.thresholds;
        auto measured = compare(*o.run.model, *predictor.value(), o.evaluation, spec, progress,
                                cancel, file);
        if (!measured.ok()) {
            if (measured.error().code != Error::Code::Cancelled)
                return measured.error();
            // A cancelled export leaves no file that was never checked.
            predictor.value().reset();
            QFile::remove(file);
            return makeError(Error::Code::Cancelled,
                             QStringLiteral("export cancelled; the unchecked file was removed"), file);
        }
        const Comparison &m = measured.value();
        const bool isOnnx = request.format == ModelFormat::Onnx;
        const bool checkerOk = report.parity.checkerOk;
        const QString checkerMessage = report.parity.checkerMessage;
        report.parity = m.parity;
        report.parity.checkerOk = isOnnx && checkerOk;
        report.parity.checkerMessage = checkerMessage;
        report.parity.tolerance = request.int8 ? 0.0 : fp32Tolerance(report.parity); // int8: by accuracy
        report.evalImages = m.images;
        if (m.images > 0) {
            report.fp32Accuracy = m.libtorchCorrect / m.images;
            report.exportedAccuracy = m.exportedCorrect / m.images;
            report.dropAboveLimit =
                report.fp32Accuracy - report.exportedAccuracy > request.maxAccuracyDrop + 1e-12;
        }

        const QString split = o.evaluationSplit;
        if (isOnnx && !checkerOk)
            report.warnings << QStringLiteral("The ONNX checker refused the file: %1.").arg(checkerMessage);
        if (!report.parity.ran)
            report.warnings << QStringLiteral("The run has no readable %1 images, so the export was not "
                                              "compared with LibTorch.").arg(split);
        else if (report.parity.tolerance > 0 && report.parity.maxAbsDiff > report.parity.tolerance)
            report.warnings << QStringLiteral("The exported file does not give LibTorch's outputs: the "
                                              "largest logit difference is %1 (allowed %2).")
                                   .arg(report.parity.maxAbsDiff, 0, 'g', 3)
                                   .arg(report.parity.tolerance, 0, 'g', 3);
        if (report.dropAboveLimit)
            report.warnings << QStringLiteral("%1 accuracy through the exported file is %2%, %3 points "
                                              "below LibTorch's %4%: more than the %5 points allowed.")
                                   .arg(split == QLatin1String("test") ? QStringLiteral("Test")
                                                                       : QStringLiteral("Validation"),
                                        points(report.exportedAccuracy),
                                        points(report.fp32Accuracy - report.exportedAccuracy),
                                        points(report.fp32Accuracy), points(request.maxAccuracyDrop));
        if (m.skipped > 0)
            report.warnings << QStringLiteral("%1 %2 images could not be read and were left out of the "
                                              "comparison.").arg(m.skipped).arg(split);

        if (progress)
            progress(QStringLiteral("writing the model card"), 0, 0);
        auto card = buildModelCard(*store.value(), runId, report, request.intendedUse,
                                   request.limitations);
        if (!card.ok())
            return withPath(card.error(), request.projectFile);
        auto written = writeModelCard(card.value(), file);
        if (!written.ok())
            return written.error();
        report.cardJsonFile = written->value(0);
        report.cardHtmlFile = written->value(1);
        return report;
    } catch (const c10::Error &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("export failed: %1").arg(firstLine(e.what_without_backtrace())),
                         file);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("export failed: %1").arg(firstLine(e.what())), file);
    }
}

Result<ParityReport> checkParity(const QString &projectFile, qint64 runId, const QString &modelFile,
                                 int images, int threads, const QString &checkpoint)
{
    try {
        setEngineThreads(threads);
        auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadOnly);
        if (!store.ok())
            return store.error();
        auto opened = openRun(*store.value(), runId, checkpoint);
        if (!opened.ok())
            return opened.error();
        Opened &o = opened.value();
        auto predictor = Predictor::open(modelFile, threads);
        if (!predictor.ok())
            return withPath(predictor.error(), modelFile);
        const ModelMeta &meta = predictor.value()->meta();
        CompareSpec spec;
        spec.size = o.size;
        spec.norm = o.norm;
        spec.parityImages = images;
        auto measured = compare(*o.run.model, *predictor.value(), o.evaluation, spec, {}, nullptr,
                                modelFile);
        if (!measured.ok())
            return measured.error();
        ParityReport parity = measured->parity;
        const bool isOnnx = meta.format.startsWith(QLatin1String("onnx"));
        if (isOnnx) {
            QFile f(modelFile);
            if (!f.open(QIODevice::ReadOnly))
                return makeError(Error::Code::Io, f.errorString(), modelFile);
            parity.checkerMessage = onnxCheckerMessage(f.readAll());
            parity.checkerOk = parity.checkerMessage.isEmpty();
        }
        parity.tolerance = meta.format == QLatin1String("onnx-int8") ? 0.0 : fp32Tolerance(parity);
        return parity;
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("parity check failed: %1").arg(firstLine(e.what())), modelFile);
    }
}

} // namespace salient::train
