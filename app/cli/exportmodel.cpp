// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli export-model`: a run's model as an ONNX (fp32 or int8) or
// LibTorch file, checked against LibTorch, with its model card beside it.
#include "app/cli/commands.h"
#include "app/cli/trainshared.h"

#include "core/train/exporter.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>


namespace salient::cli {

using namespace salient::train;

namespace {

QString sizeText(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("-");
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 2);
}

QJsonObject reportJson(const ExportReport &r)
{
    const ParityReport &p = r.parity;
    const bool both = r.fp32Accuracy >= 0 && r.exportedAccuracy >= 0;
    return QJsonObject{
        {QStringLiteral("out"), r.outFile},
        {QStringLiteral("format"), r.meta.format},
        {QStringLiteral("run"), r.meta.runId},
        {QStringLiteral("pruned_run"), r.prunedRunId > 0 ? QJsonValue(r.prunedRunId) : QJsonValue()},
        {QStringLiteral("sparsity"), r.sparsity},
        {QStringLiteral("bytes"), r.fileBytes},
        {QStringLiteral("fp32_bytes"), r.fp32Bytes > 0 ? QJsonValue(r.fp32Bytes) : QJsonValue()},
        {QStringLiteral("size_ratio"), r.fp32Bytes > 0 && r.fileBytes > 0
                                           ? QJsonValue(double(r.fp32Bytes) / double(r.fileBytes))
                                           : QJsonValue()},
        {QStringLiteral("parity"),
         QJsonObject{{QStringLiteral("ok"), p.ok()},
                     {QStringLiteral("runtime"), p.runtime},
                     {QStringLiteral("images"), p.images},
                     {QStringLiteral("max_abs_diff"), measured(p.maxAbsDiff)},
                     {QStringLiteral("top1_agreement"), measured(p.top1Agreement)},
                     {QStringLiteral("checker_ok"), p.checkerOk},
                     {QStringLiteral("checker_message"), p.checkerMessage},
                     {QStringLiteral("tolerance"), p.tolerance}}},
        {QStringLiteral("eval_images"), r.evalImages},
        {QStringLiteral("fp32_accuracy"), measured(r.fp32Accuracy)},
        {QStringLiteral("exported_accuracy"), measured(r.exportedAccuracy)},
        {QStringLiteral("accuracy_change"), both ? QJsonValue(r.exportedAccuracy - r.fp32Accuracy) : QJsonValue()},
        {QStringLiteral("drop_above_limit"), r.dropAboveLimit},
        {QStringLiteral("card_json"), r.cardJsonFile},
        {QStringLiteral("card_html"), r.cardHtmlFile},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings)}};
}

void printSummary(const ExportReport &r)
{
    const ParityReport &p = r.parity;
    QString text = QStringLiteral("Exported run %1 as %2 to %3 (%4")
                       .arg(r.meta.runId)
                       .arg(r.meta.format, r.outFile, sizeText(r.fileBytes));
    if (r.fp32Bytes > 0 && r.fileBytes > 0)
        text += QStringLiteral(", %1x smaller than fp32").arg(double(r.fp32Bytes) / r.fileBytes, 0, 'f', 1);
    text += QStringLiteral(")\n");
    if (r.prunedRunId > 0)
        text += QStringLiteral("Pruned first to %1 zero weights (new run %2)\n")
                    .arg(percent(r.sparsity))
                    .arg(r.prunedRunId);
    if (p.ran) {
        text += QStringLiteral("Parity with LibTorch (%1, %2 images): max |diff| %3, top-1 agreement %4")
                    .arg(p.runtime)
                    .arg(p.images)
                    .arg(p.maxAbsDiff, 0, 'g', 3)
                    .arg(percent(p.top1Agreement));
        if (r.meta.format.startsWith(QLatin1String("onnx")))
            text += p.checkerOk ? QStringLiteral(", ONNX checker ok") : QStringLiteral(", ONNX checker refused it");
        text += p.ok() ? QStringLiteral(": ok\n") : QStringLiteral(": FAILED\n");
    } else {
        text += QStringLiteral("Parity with LibTorch: not checked (no images)\n");
    }
    if (r.evalImages > 0)
        text += QStringLiteral("Accuracy on %1 images: LibTorch %2, exported %3 (%4 points)\n")
                    .arg(r.evalImages)
                    .arg(percent(r.fp32Accuracy), percent(r.exportedAccuracy))
                    .arg(100.0 * (r.exportedAccuracy - r.fp32Accuracy), 0, 'f', 1);
    for (const QString &w : r.warnings)
        text += QStringLiteral("Warning: %1\n").arg(w);
    text += QStringLiteral("Model card: %1, %2\n").arg(r.cardJsonFile, r.cardHtmlFile);
    out(text);
}

} // namespace

int runExportModel(const QStringList &args)
{
    const QString cmd = QStringLiteral("export-model");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("run"), QStringLiteral("The run (id or name) whose best model is exported."),
                      QStringLiteral("RUN")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("onnx or libtorch."), QStringLiteral("FORMAT")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("The model file to write."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("int8"), QStringLiteral("ONNX: int8 static quantisation, calibrated on training images.")});
    parser.addOption({QStringLiteral("calibration-images"),
                      QStringLiteral("Training images to calibrate int8 on (default 256)."), QStringLiteral("N"),
                      QStringLiteral("256")});
    parser.addOption({QStringLiteral("max-drop"),
                      QStringLiteral("Warn when test accuracy drops by more than this fraction (default 0.01)."),
                      QStringLiteral("X"), QStringLiteral("0.01")});
    parser.addOption({QStringLiteral("prune"), QStringLiteral("Prune to this fraction of zero weights first (a new run)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("prune-epochs"), QStringLiteral("Fine-tuning epochs after pruning (default 1)."),
                      QStringLiteral("N"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("embed-normalisation"),
                      QStringLiteral("ONNX: the model takes raw 0..255 RGB and normalises itself.")});
    parser.addOption({QStringLiteral("features-output"),
                      QStringLiteral("ONNX: a second output with the last convolutional features (for Grad-CAM).")});
    parser.addOption({QStringLiteral("intended-use"), QStringLiteral("The model card's intended use."),
                      QStringLiteral("TEXT")});
    parser.addOption({QStringLiteral("limitations"), QStringLiteral("The model card's limitations."),
                      QStringLiteral("TEXT")});
    addThreadsOption(parser, QStringLiteral("LibTorch and OpenCV threads"));
    addJsonOption(parser, QStringLiteral("Print one JSON object."));
    int code = 0;
    if (!parseArguments(parser, cmd, args, {QStringLiteral("PROJECT")}, &code))
        return code;

    if (!parser.isSet(QStringLiteral("run")))
        return usageError(cmd, QStringLiteral("missing --run RUN (see salient-cli runs)"));
    if (!parser.isSet(QStringLiteral("format")))
        return usageError(cmd, QStringLiteral("missing --format onnx|libtorch"));
    const auto format = modelFormatFromName(parser.value(QStringLiteral("format")));
    if (!format)
        return usageError(cmd, QStringLiteral("unknown --format \"%1\" (one of: onnx, libtorch)")
                                   .arg(parser.value(QStringLiteral("format"))));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (outPath.isEmpty())
        return usageError(cmd, QStringLiteral("missing --out FILE"));

    ExportRequest request;
    request.format = *format;
    request.outFile = outPath;
    request.int8 = parser.isSet(QStringLiteral("int8"));
    request.embedNormalisation = parser.isSet(QStringLiteral("embed-normalisation"));
    request.featuresOutput = parser.isSet(QStringLiteral("features-output"));
    if (request.format == ModelFormat::LibTorch
        && (request.int8 || request.embedNormalisation || request.featuresOutput))
        return usageError(cmd, QStringLiteral("--int8, --embed-normalisation and --features-output "
                                              "need --format onnx"));
    bool okNumber = false;
    request.maxAccuracyDrop = parser.value(QStringLiteral("max-drop")).toDouble(&okNumber);
    if (!okNumber || request.maxAccuracyDrop < 0 || request.maxAccuracyDrop > 1)
        return usageError(cmd, QStringLiteral("--max-drop wants a fraction from 0 to 1 (0.01: one point)"));
    request.calibrationImages = parser.value(QStringLiteral("calibration-images")).toInt(&okNumber);
    if (!okNumber || request.calibrationImages < 1)
        return usageError(cmd, QStringLiteral("--calibration-images wants a positive whole number"));
    if (parser.isSet(QStringLiteral("prune"))) {
        request.pruneSparsity = parser.value(QStringLiteral("prune")).toDouble(&okNumber);
        if (!okNumber || request.pruneSparsity <= 0 || request.pruneSparsity >= 1)
            return usageError(cmd, QStringLiteral("--prune wants a fraction between 0 and 1 (0.5: half the weights)"));
    }
    request.pruneEpochs = parser.value(QStringLiteral("prune-epochs")).toInt(&okNumber);
    if (!okNumber || request.pruneEpochs < 0)
        return usageError(cmd, QStringLiteral("--prune-epochs wants a whole number"));
    if (!threadsOption(parser, cmd, &request.threads, &code))
        return code;
    request.intendedUse = parser.value(QStringLiteral("intended-use"));
    request.limitations = parser.value(QStringLiteral("limitations"));
    const bool json = parser.isSet(QStringLiteral("json"));

    {
        auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
        if (!store)
            return fail(store.error());
        auto found = findRun(**store, parser.value(QStringLiteral("run")));
        if (!found)
            return fail(found.error());
        request.projectFile = (*store)->filePath();
        request.runId = found->id;
    } // the export opens its own connections

    const InterruptFlag interrupt;
    auto report = exportModel(
        request,
        [](const QString &stage, int done, int total) {
            progressLine(total > 0 ? QStringLiteral("%1 %2/%3").arg(stage).arg(done).arg(total) : stage);
        },
        interrupt.flag());
    endProgressLine();
    if (!report)
        return fail(report.error().path.isEmpty()
                        ? makeError(report.error().code, report.error().message, outPath)
                        : report.error());
    if (json)
        jsonLine(reportJson(*report));
    else
        printSummary(*report);
    // A file that does not behave like the run's model is a failed export
    // (an accuracy drop above the limit is only a warning: the user chose int8).
    if (report->parity.ran && !report->parity.ok())
        return fail(makeError(Error::Code::Invalid,
                              QStringLiteral("the exported model does not match LibTorch (see above)"),
                              report->outFile));
    return 0;
}

} // namespace salient::cli
