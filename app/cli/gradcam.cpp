// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli gradcam` (one image's class-activation overlay, or a whole
// split explained into the project) and `salient-cli review-report` (the
// HTML/PDF report of a run's review).
#include "app/cli/commands.h"
#include "app/cli/trainshared.h"

#include "core/imaging/decode.h"
#include "core/imaging/heatmap.h"
#include "core/review/reviewreport.h"
#include "core/train/explainbatch.h"
#include "core/train/explainer.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSaveFile>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <optional>

namespace salient::cli {

using namespace salient::train;

namespace {

const QStringList kOverlaySuffixes =
    {
        QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"),
                                                                     QStringLiteral("bmp"), QStringLiteral("tif"), QStringLiteral("tiff"),
                                                                                                                                  QStringLiteral("webp")};

struct ImageToExplain {
    qint64 id = 0;       ///< 0: a file outside the project
    QString path;        ///< absolute
    int orientation = 1; ///< from the store for a project image; the file's own otherwise
};

/// A project image id, or a file: one inside the project resolves to its id
/// (so the orientation recorded at import is used), one outside stays a file.
Result<ImageToExplain> resolveImage(ProjectStore &store, const QString &which)
{
    const QFileInfo file(which);
    if (file.isFile()) {
        ImageToExplain image;
        image.path = file.absoluteFilePath();
        auto byPath = store.imageIdsByPath();
        if (!byPath)
            return byPath.error();
        for (const QString &candidate : {image.path, file.canonicalFilePath()}) {
            const qint64 id = byPath->value(store.toStoredPath(candidate), 0);
            if (id > 0) {
                auto record = store.image(id);
                if (!record)
                    return record.error();
                image.id = id;
                image.orientation = record->orientation;
                return image;
            }
        }
        // Outside the project: the file's own EXIF orientation, as explainFile() reads it.
        if (auto bytes = readFileBytes(image.path)) {
            if (auto probe = probeImage(*bytes, image.path))
                image.orientation = probe->orientation;
        }
        return image;
    }
    bool isId = false;
    const qint64 id = which.toLongLong(&isId);
    if (!isId || id <= 0)
        return makeError(Error::Code::NotFound, QStringLiteral("no such image file"), which);
    auto record = store.image(id);
    if (!record)
        return makeError(Error::Code::NotFound,
                         QStringLiteral("no image %1 in the project (and no file of that name; "
                                        "see salient-cli list)")
                                            .arg(id),
                                        store.filePath());
    return ImageToExplain{id, record->absolutePath, record->orientation};
}

/// The image as displayed (orientation applied, 8-bit BGR), at the size the explainer saw.
Result<cv::Mat> displayedImage(const ImageToExplain &image, QSize size)
{
    DecodeOptions options;
    options.orientation = image.orientation;
    auto decoded = decodeImage(image.path, options);
    if (!decoded)
        return decoded.error();
    try {
        cv::Mat pixels = toDisplayDepth(*decoded);
        if (pixels.channels() == 1)
            cv::cvtColor(pixels, pixels, cv::COLOR_GRAY2BGR);
        else if (pixels.channels() == 4)
            cv::cvtColor(pixels, pixels, cv::COLOR_BGRA2BGR);
        if (size.isValid() && (pixels.cols != size.width() || pixels.rows != size.height()))
            cv::resize(pixels, pixels, cv::Size(size.width(), size.height()), 0, 0, cv::INTER_AREA);
        return pixels;
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode, QString::fromStdString(e.msg), image.path);
    }
}

Status writeImage(const cv::Mat &bgr, const QString &path)
{
    std::vector<uchar> bytes;
    try {
        const std::string ext = "." + QFileInfo(path).suffix().toLower().toStdString();
        if (!cv::imencode(ext, bgr, bytes))
            return makeError(Error::Code::Io, QStringLiteral("could not encode the overlay"), path);
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Io, QString::fromStdString(e.msg), path);
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io, out.errorString(), path);
    out.write(reinterpret_cast<const char *>(bytes.data()), qint64(bytes.size()));
    if (!out.commit())
        return makeError(Error::Code::Io, out.errorString(), path);
    return {};
}

QString className(const QStringList &names, int index)
{
    return names.value(index, index < 0 ? QString() : QString::number(index));
}

/// --split for the batch: val, test or train.
std::optional<RunRole> roleFromName(const QString &name)
{
    if (name == QLatin1String("val") || name == QLatin1String("validation"))
        return RunRole::Validation;
    if (name == QLatin1String("test"))
        return RunRole::Test;
    if (name == QLatin1String("train"))
        return RunRole::Train;
    return std::nullopt;
}

int explainSplit(const QString &cmd, const QString &file, const RunRecord &run, RunRole role,
                 const QString &split, const review::ExplainRequest &request, int threads,
                 bool json)
{
    ExplainBatchHooks hooks;
    const InterruptFlag interrupt;
    hooks.cancel = interrupt.flag();
    hooks.progress = [](int done, int total) {
        progressLine(QStringLiteral("explaining %1/%2 images").arg(done).arg(total));
    };
    auto report = explainRoleReport(file, run.id, role, request, hooks, threads);
    endProgressLine();
    Q_UNUSED(cmd);
    if (!report)
        return fail(report.error().path.isEmpty()
                        ? makeError(report.error().code, report.error().message, file)
                        : report.error());
    for (const QString &problem : report->problems) {
        const QByteArray line = "salient-cli: skipped " + problem.toUtf8() + '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    }
    if (json) {
        jsonLine(QJsonObject{{QStringLiteral("event"), QStringLiteral("done")},
                              {QStringLiteral("run"), run.id},
                               {QStringLiteral("split"), split},
                                {QStringLiteral("method"), review::camMethodName(request.method)},
                                 {QStringLiteral("count"), report->stored},
                                  {QStringLiteral("total"), report->total},
                                   {QStringLiteral("skipped"), report->skipped},
                                    {QStringLiteral("cancelled"), report->cancelled}});
    } else {
        out(QStringLiteral("Explained %1 of %2 %3 images of run %4 (%5 skipped)\n")
                               .arg(report->stored)
                               .arg(report->total)
                               .arg(split)
                               .arg(run.id)
                               .arg(report->skipped));
    }
    if (report->cancelled)
        return fail(
            makeError(Error::Code::Cancelled,
                      QStringLiteral("cancelled; the %1 explanations stored so far are kept") .arg(
                                         report->stored),
                                     file));
    return 0;
}

} // namespace

int runGradcam(const QStringList &args)
{
    const QString cmd = QStringLiteral("gradcam");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("run"), QStringLiteral("The run (id or name) whose best model is explained."),
                               QStringLiteral("RUN")});
    parser.addOption(
        {QStringLiteral("image"), QStringLiteral("A project image id or an image file."),
                                                 QStringLiteral("PATH_OR_ID")});
    parser.addOption(
        {QStringLiteral("out"), QStringLiteral("The overlay image to write (.png, .jpg...)."),
                                               QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("split"),
        QStringLiteral("Without --image: explain every val, test or train image of the run into the project."),
            QStringLiteral("SPLIT")});
    parser.addOption({QStringLiteral("method"), QStringLiteral("gradcam, gradcam++ or layercam (default gradcam)."),
                                  QStringLiteral("METHOD"), QStringLiteral("gradcam")});
    parser.addOption({QStringLiteral("class"), QStringLiteral("The class to explain (default: the predicted one)."),
                                 QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("layer"), QStringLiteral("The block to explain (default: the last convolutional block)."),
                                 QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("colormap"), QStringLiteral("turbo, jet or viridis (default turbo)."),
                                    QStringLiteral("NAME"), QStringLiteral("turbo")});
    parser.addOption(
        {QStringLiteral("opacity"), QStringLiteral("Heatmap opacity from 0 to 1 (default 0.5)."),
                                                   QStringLiteral("X"), QStringLiteral("0.5")});
    parser.addOption(
        {QStringLiteral("contour"), QStringLiteral("Outline the map at this threshold in (0, 1)."),
                                                   QStringLiteral("X")});
    parser.addOption({QStringLiteral("side-by-side"), QStringLiteral("Write the original and the overlay side by side.")});
    addThreadsOption(parser, QStringLiteral("LibTorch threads"));
    addJsonOption(parser, QStringLiteral("Print one JSON object."));
    int code = 0;
    if (!parseArguments(parser, cmd, args, {QStringLiteral("PROJECT")}, &code))
        return code;

    if (!parser.isSet(QStringLiteral("run")))
        return usageError(cmd, QStringLiteral("missing --run RUN (see salient-cli runs)"));
    const bool single = parser.isSet(QStringLiteral("image"));
    const bool batch = parser.isSet(QStringLiteral("split"));
    if (single == batch)
        return usageError(
            cmd, QStringLiteral("give either --image PATH_OR_ID (with --out) or --split val|test"));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (single && outPath.isEmpty())
        return usageError(cmd, QStringLiteral("missing --out FILE for the overlay"));
    if (single && !kOverlaySuffixes.contains(QFileInfo(outPath).suffix().toLower()))
        return usageError(cmd, QStringLiteral("--out wants an image file name (%1)").arg(
                                   kOverlaySuffixes.join(QStringLiteral(", "))));
    std::optional<RunRole> role;
    if (batch) {
        role = roleFromName(parser.value(QStringLiteral("split")));
        if (!role)
            return usageError(
                cmd, QStringLiteral("unknown --split \"%1\" (one of: val, test, train)").arg(
                         parser.value(QStringLiteral("split"))));
    }
    review::ExplainRequest request;
    const auto method = review::camMethodFromName(parser.value(QStringLiteral("method")));
    if (!method)
        return usageError(
            cmd,
            QStringLiteral("unknown --method \"%1\" (one of: gradcam, gradcam++, layercam)").arg(
                parser.value(QStringLiteral("method"))));
    request.method = *method;
    request.layer = parser.value(QStringLiteral("layer"));
    OverlayStyle style;
    const auto colours = colourMapFromName(parser.value(QStringLiteral("colormap")));
    if (!colours)
        return usageError(
            cmd, QStringLiteral("unknown --colormap \"%1\" (one of: turbo, jet, viridis)").arg(
                     parser.value(QStringLiteral("colormap"))));
    style.colourMap = *colours;
    bool okNumber = false;
    style.opacity = parser.value(QStringLiteral("opacity")).toDouble(&okNumber);
    if (!okNumber || style.opacity < 0 || style.opacity > 1)
        return usageError(cmd, QStringLiteral("--opacity wants a number from 0 to 1"));
    if (parser.isSet(QStringLiteral("contour"))) {
        style.contourThreshold = parser.value(QStringLiteral("contour")).toDouble(&okNumber);
        if (!okNumber || style.contourThreshold <= 0 || style.contourThreshold >= 1)
            return usageError(cmd, QStringLiteral("--contour wants a number between 0 and 1"));
    }
    int threads = 0;
    if (!threadsOption(parser, cmd, &threads, &code))
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));

    auto store =
        openProject(parser.positionalArguments().at(0),
                    batch ? ProjectStore::OpenMode::ReadWrite : ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return fail(store.error());
    const QString file = (*store)->filePath();
    auto found = findRun(**store, parser.value(QStringLiteral("run")));
    if (!found)
        return fail(found.error());
    const RunRecord run = found.value();
    if (parser.isSet(QStringLiteral("class"))) {
        request.targetClass = int(run.classNames.indexOf(parser.value(QStringLiteral("class"))));
        if (request.targetClass < 0)
            return usageError(
                cmd, QStringLiteral("run %1 has no class \"%2\" (classes: %3)") .arg(run.id).arg(
                         parser.value(QStringLiteral("class")),
                                      run.classNames.join(QStringLiteral(", "))));
    }
    if (batch) {
        store->reset(); // the batch opens its own connection
        return explainSplit(cmd, file, run, *role,
                            parser.value(QStringLiteral("split")), request, threads, json);
    }

    auto image = resolveImage(**store, parser.value(QStringLiteral("image")));
    if (!image)
        return fail(image.error());
    auto explainer = Explainer::forRun(file, run.id, QStringLiteral("best"), threads);
    if (!explainer)
        return fail(explainer.error().path.isEmpty()
                        ? makeError(explainer.error().code, explainer.error().message, file)
                        : explainer.error());
    const review::ModelInfo &info = (*explainer)->info();
    if (!request.layer.isEmpty() && !info.layers.contains(request.layer))
        return usageError(
            cmd, QStringLiteral("the %1 model has no layer \"%2\" (layers: %3)") .arg(
                     info.architecture, request.layer, info.layers.join(QStringLiteral(", "))));
    auto explained = image->id > 0 ? (*explainer)->explainImage(image->id, request)
                                   : (*explainer)->explainFile(image->path, request);
    if (!explained)
        return fail(explained.error().path.isEmpty()
                        ? makeError(explained.error().code, explained.error().message, image->path)
                        : explained.error());
    const review::Explanation &x = *explained;

    auto pixels = displayedImage(*image, x.imageSize);
    if (!pixels)
        return fail(pixels.error());
    const QSize size(pixels->cols, pixels->rows);
    auto overlay = renderOverlay(*pixels, mapToImage(x.map, size, x.crop), style, x.crop);
    if (!overlay)
        return fail(overlay.error());
    const cv::Mat picture =
        parser.isSet(QStringLiteral("side-by-side")) ? sideBySide(*pixels, *overlay) : *overlay;
    if (Status written = writeImage(picture, outPath); !written)
        return fail(written.error());

    const QString layer = x.layer.isEmpty() ? info.defaultLayer : x.layer;
    const QStringList &names = info.classNames.isEmpty() ? run.classNames : info.classNames;
    if (json) {
        jsonLine(QJsonObject{
            {QStringLiteral("run"), run.id},
             {QStringLiteral("image"), image->path},
              {QStringLiteral("image_id"), image->id > 0 ? QJsonValue(image->id) : QJsonValue()},
               {QStringLiteral("method"), review::camMethodName(x.method)},
                {QStringLiteral("layer"), layer},
                 {QStringLiteral("predicted"), className(names, x.predicted)},
                  {QStringLiteral("confidence"), x.confidence},
                   {QStringLiteral("target"), className(names, x.target)},
                    {QStringLiteral("target_probability"), x.targetProbability},
                     {QStringLiteral("deletion_score"), measured(x.deletionScore)},
                      {QStringLiteral("out"), QFileInfo(outPath).absoluteFilePath()},
                     });
        return 0;
    }
    out(QStringLiteral("%1 of %2 (run %3, %4): predicted %5 (%6), explained %7 (%8), "
                       "deletion score %9\nWrote %10\n")
                           .arg(review::camMethodName(x.method), QFileInfo(image->path).fileName())
                           .arg(run.id)
                           .arg(layer, className(names, x.predicted), percent(x.confidence),
                                className(names, x.target), percent(x.targetProbability),
                                decimal(x.deletionScore), QFileInfo(outPath).absoluteFilePath()));
    return 0;
}

int runReviewReport(const QStringList &args)
{
    const QString cmd = QStringLiteral("review-report");
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("run"), QStringLiteral("The run (id or name) whose review is reported."),
                                               QStringLiteral("RUN")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("report.html or report.pdf."),
                                                            QStringLiteral("FILE")});
    parser.addOption(
        {QStringLiteral("reviewed-only"), QStringLiteral("Only images with a verdict.")});
    parser.addOption(
        {QStringLiteral("title"), QStringLiteral("The report's title (default: Review of <run>)."),
                                                 QStringLiteral("TEXT")});
    addJsonOption(parser, QStringLiteral("Print one JSON object."));
    int code = 0;
    if (!parseArguments(parser, cmd, args, {QStringLiteral("PROJECT")}, &code))
        return code;
    if (!parser.isSet(QStringLiteral("run")))
        return usageError(cmd, QStringLiteral("missing --run RUN (see salient-cli runs)"));
    const QString outPath = parser.value(QStringLiteral("out"));
    if (outPath.isEmpty())
        return usageError(cmd, QStringLiteral("missing --out report.html|report.pdf"));

    auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return fail(store.error());
    auto found = findRun(**store, parser.value(QStringLiteral("run")));
    if (!found)
        return fail(found.error());
    review::ReportOptions options;
    options.format = review::ReportOptions::formatForPath(outPath);
    options.reviewedOnly = parser.isSet(QStringLiteral("reviewed-only"));
    options.title = parser.value(QStringLiteral("title"));
    int images = 0;
    Status written = review::writeReviewReport(
        **store, found->id, outPath, options, [&images](int done, int total) {
            images = total;
            progressLine(QStringLiteral("writing the report %1/%2 images").arg(done).arg(total));
        });
    endProgressLine();
    if (!written)
        return fail(written.error().path.isEmpty()
                        ? makeError(written.error().code, written.error().message, outPath)
                        : written.error());
    const bool pdf = options.format == review::ReportOptions::Format::Pdf;
    if (parser.isSet(QStringLiteral("json"))) {
        jsonLine(QJsonObject{{QStringLiteral("run"), found->id},
                              {QStringLiteral("out"), QFileInfo(outPath).absoluteFilePath()},
                               {QStringLiteral("format"), pdf
                                               ? QStringLiteral("pdf") : QStringLiteral("html")},
                                               {QStringLiteral("images"), images}});
        return 0;
    }
    out(QStringLiteral("Wrote the review of run %1 (%2 images) to %3\n")
                           .arg(found->id)
                           .arg(images)
                           .arg(QFileInfo(outPath).absoluteFilePath()));
    return 0;
}

} // namespace salient::cli
