// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli import --format F` and `salient-cli export`: interchange datasets
// (COCO, VOC, YOLO, labelme, ImageFolder, CSV) in and out of a project.
#include "app/cli/commands.h"

#include "core/formats/datasetio.h"
#include "core/formats/format.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace salient::cli {

namespace {

constexpr int kProblemLines = 50; // problems printed before "... and N more"

const QStringList &formatNames()
{
    static const QStringList names = {
        QStringLiteral("coco"),    QStringLiteral("voc"),         QStringLiteral("yolo"),
                                                                                 QStringLiteral("labelme"), QStringLiteral("imagefolder"), QStringLiteral("csv")};
    return names;
}

QString oneLine(QString s)
{
    s.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return s.trimmed();
}

QString seconds(double s)
{
    return QString::number(s, 'f', s < 10 ? 2 : 1) + QLatin1String(" s");
}

/// The named format; `allowAuto` lets "auto" through as nullptr (detect).
Result<const DatasetFormat *> pickFormat(const QString &name, bool allowAuto)
{
    const QString n = name.trimmed().toLower();
    if (allowAuto && n == QLatin1String("auto"))
        return static_cast<const DatasetFormat *>(nullptr);
    if (!formatNames().contains(n))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("unknown format \"%1\" (one of %2%3)") .arg(
                             name, formatNames().join(QStringLiteral(", ")),
                                                      allowAuto ? QStringLiteral(" or auto")
                                                                : QString()));
    const DatasetFormat *f = datasetFormat(n);
    if (!f)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("the format \"%1\" is not available in this build").arg(n));
    return f;
}

void printLines(FILE *stream, const QStringList &lines, const QString &prefix)
{
    QByteArray buf;
    for (int i = 0; i < lines.size() && i < kProblemLines; ++i)
        buf += (prefix + oneLine(lines[i])).toUtf8() + '\n';
    if (lines.size() > kProblemLines)
        buf += QStringLiteral("... and %1 more\n").arg(lines.size() - kProblemLines).toUtf8();
    std::fwrite(buf.constData(), 1, size_t(buf.size()), stream);
}

QStringList problemLines(const QVector<FormatProblem> &problems)
{
    QStringList out;
    out.reserve(problems.size());
    for (const FormatProblem &p : problems)
        out << p.toString();
    return out;
}

QJsonArray problemsJson(const QVector<FormatProblem> &problems)
{
    QJsonArray out;
    for (const FormatProblem &p : problems) {
        QJsonObject o{{QStringLiteral("path"), p.path}, {QStringLiteral("message"), p.message}};
        if (p.line > 0)
            o.insert(QStringLiteral("line"), p.line);
        if (!p.where.isEmpty())
            o.insert(QStringLiteral("where"), p.where);
        out.append(o);
    }
    return out;
}

void showProgress(const DatasetProgress &p)
{
    if (p.total > 0)
        progressLine(QStringLiteral("%1 %2/%3").arg(p.stage).arg(p.done).arg(p.total));
    else
        progressLine(p.stage + QStringLiteral("..."));
}

ImagePlacement placementFrom(const QString &name, bool *ok)
{
    *ok = true;
    if (name == QLatin1String("copy"))
        return ImagePlacement::Copy;
    if (name == QLatin1String("none"))
        return ImagePlacement::None;
    *ok = name == QLatin1String("link");
    return ImagePlacement::Link;
}

} // namespace

void addDatasetImportOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("format"),
        QStringLiteral("Import PATH as a dataset in this format: %1 or auto "
                                     "(without it, PATH... are image files and folders).")
                           .arg(formatNames().join(QStringLiteral(", "))), QStringLiteral("F")});
    parser.addOption({QStringLiteral("images"), QStringLiteral("Folder the dataset's image names are relative to "
                                     "(default: the format's usual places)."),
                                  QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("on-problem"), QStringLiteral("What to do about missing images and bad annotations: abort "
                                     "(default; the project is left unchanged) or skip them."),
                                      QStringLiteral("abort|skip"), QStringLiteral("abort")});
}

int runDatasetImport(const QCommandLineParser &parser)
{
    const QString command = QStringLiteral("import");
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return usageError(command, QStringLiteral("--format imports exactly one PATH"));
    if (parser.isSet(QStringLiteral("labels-from-folders")))
        return usageError(command, QStringLiteral("--labels-from-folders does not go with "
                                                  "--format (--format imagefolder reads folders)"));
    auto format = pickFormat(parser.value(QStringLiteral("format")), true);
    if (!format)
        return usageError(command, format.error().message);
    const QString onProblem = parser.value(QStringLiteral("on-problem"));
    if (onProblem != QLatin1String("abort") && onProblem != QLatin1String("skip"))
        return usageError(command, QStringLiteral("--on-problem wants abort or skip"));
    const QString path = positional.at(1);
    if (!QFileInfo::exists(path))
        return fail(
            makeError(Error::Code::NotFound, QStringLiteral("no such file or folder"), path));
    DatasetImportOptions options;
    options.path = QFileInfo(path).absoluteFilePath();
    options.format = format.value();
    if (parser.isSet(QStringLiteral("images"))) {
        const QString dir = parser.value(QStringLiteral("images"));
        if (!QFileInfo(dir).isDir())
            return fail(makeError(Error::Code::NotFound, QStringLiteral("no such folder"), dir));
        options.imageRoot = QFileInfo(dir).absoluteFilePath();
    }
    auto store = openProject(positional.at(0), ProjectStore::OpenMode::ReadWrite);
    if (!store)
        return fail(store.error());

    const bool skip = onProblem == QLatin1String("skip");
    int problemCount = 0;
    const ProblemDecision decide = [&](const QVector<FormatProblem> &problems) {
        problemCount = problems.size();
        if (skip)
            return true;
        endProgressLine();
        std::fflush(stdout);
        printLines(stderr, problemLines(problems), QString());
        return false;
    };
    // Ctrl+C: the pipeline stops at its next check and rolls back, so the
    // project is left exactly as it was.
    const InterruptFlag interrupt;
    auto report = importDataset(**store, options, decide, showProgress, interrupt.flag());
    endProgressLine();
    if (!report) {
        if (report.error().code == Error::Code::Cancelled && problemCount > 0 && !interrupt.raised()) {
            const QByteArray line =
                QStringLiteral(
                "salient-cli: import aborted, project unchanged (%1 problems; "
                "--on-problem skip imports the rest)\n")
                                    .arg(problemCount)
                                    .toUtf8();
            std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
            return kExitFailure;
        }
        return fail(report.error());
    }
    const DatasetImportReport &r = *report;
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject o{{QStringLiteral("format"), r.format},
                             {QStringLiteral("imagesInFile"), r.imagesInFile},
                              {QStringLiteral("imagesAdded"), r.imagesAdded},
                               {QStringLiteral("imagesPresent"), r.imagesPresent},
                                {QStringLiteral("classesAdded"), r.classesAdded},
                                 {QStringLiteral("labelsAdded"), r.labelsAdded},
                                  {QStringLiteral("boxes"), r.boxes},
                                   {QStringLiteral("polygons"), r.polygons},
                                    {QStringLiteral("masks"), r.masks},
                                     {QStringLiteral("shapesPresent"), r.shapesPresent},
                                      {QStringLiteral("skipped"), problemsJson(r.skipped)},
                                       {QStringLiteral("warnings"), problemsJson(r.warnings)},
                                        {QStringLiteral("seconds"), r.seconds}};
        out(QJsonDocument(o).toJson(QJsonDocument::Indented));
        return 0;
    }
    out(QStringLiteral("Imported %1 (%2): %3 images in the file, %4 added, %5 already in the "
                       "project; %6 classes and %7 labels added; %8 boxes, %9 polygons, %10 masks "
                       "added, %11 already there; %12 skipped (%13)\n")
                           .arg(QDir::toNativeSeparators(options.path), r.format)
                           .arg(r.imagesInFile)
                           .arg(r.imagesAdded)
                           .arg(r.imagesPresent)
                           .arg(r.classesAdded)
                           .arg(r.labelsAdded)
                           .arg(r.boxes)
                           .arg(r.polygons)
                           .arg(r.masks)
                           .arg(r.shapesPresent)
                           .arg(r.skipped.size())
                           .arg(seconds(r.seconds)));
    std::fflush(stdout);
    printLines(stdout, problemLines(r.skipped), QStringLiteral("skipped: "));
    printLines(stdout, problemLines(r.warnings), QStringLiteral("warning: "));
    return 0;
}

int runExport(const QStringList &args)
{
    const QString command = QStringLiteral("export");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("format"), QStringLiteral("Dataset format: %1.").arg(
                                                    formatNames().join(QStringLiteral(", "))),
                                                    QStringLiteral("F")});
    parser.addOption({QStringLiteral("split"), QStringLiteral("Export only the images of this split."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("images"), QStringLiteral("How images reach OUT: link (hard link, else copy), copy, or "
                                     "none (annotations only)."),
                                  QStringLiteral("link|copy|none"), QStringLiteral("link")});
    parser.addOption({QStringLiteral("embed-images"), QStringLiteral("labelme: put each image's bytes into its JSON file.")});
    parser.addOption({QStringLiteral("only-annotated"), QStringLiteral("Leave out images with no label and no shape.")});
    addJsonOption(parser, QStringLiteral("Print the report as JSON."));
    int code = 0;
    if (!parseArguments(parser, command, args,
                        {QStringLiteral("PROJECT"), QStringLiteral("OUT")}, &code))
        return code;
    if (!parser.isSet(QStringLiteral("format")))
        return usageError(command, QStringLiteral("--format is required (one of %1)") .arg(
                                       formatNames().join(QStringLiteral(", "))));
    auto format = pickFormat(parser.value(QStringLiteral("format")), false);
    if (!format)
        return usageError(command, format.error().message);
    bool placementOk = false;
    DatasetExportOptions options;
    options.images = placementFrom(parser.value(QStringLiteral("images")), &placementOk);
    if (!placementOk)
        return usageError(command, QStringLiteral("--images wants link, copy or none"));
    options.format = format.value();
    options.split = parser.value(QStringLiteral("split"));
    options.onlyAnnotated = parser.isSet(QStringLiteral("only-annotated"));
    options.embedImageData = parser.isSet(QStringLiteral("embed-images"));
    options.outDir = QFileInfo(parser.positionalArguments().at(1)).absoluteFilePath();
    if (QFileInfo(options.outDir).exists() && !QFileInfo(options.outDir).isDir())
        return fail(
            makeError(Error::Code::Invalid, QStringLiteral("exists and is not a folder"),
                                                           parser.positionalArguments().at(1)));
    auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return fail(store.error());

    const InterruptFlag interrupt;
    auto report = exportDataset(**store, options, showProgress, interrupt.flag());
    endProgressLine();
    if (!report)
        return fail(report.error());
    const DatasetExportReport &r = *report;
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject o{{QStringLiteral("format"), r.format},
                             {QStringLiteral("out"), options.outDir},
                              {QStringLiteral("images"), r.images},
                               {QStringLiteral("classes"), r.classes},
                                {QStringLiteral("labels"), r.labels},
                                 {QStringLiteral("boxes"), r.boxes},
                                  {QStringLiteral("polygons"), r.polygons},
                                   {QStringLiteral("masks"), r.masks},
                                    {QStringLiteral("warnings"), problemsJson(r.warnings)},
                                     {QStringLiteral("seconds"), r.seconds}};
        out(QJsonDocument(o).toJson(QJsonDocument::Indented));
        return 0;
    }
    out(QStringLiteral("Exported %1 images (%2) to %3: %4 classes, %5 labels, %6 boxes, "
                       "%7 polygons, %8 masks (%9)\n")
                           .arg(r.images)
                           .arg(r.format, QDir::toNativeSeparators(options.outDir))
                           .arg(r.classes)
                           .arg(r.labels)
                           .arg(r.boxes)
                           .arg(r.polygons)
                           .arg(r.masks)
                           .arg(seconds(r.seconds)));
    std::fflush(stdout);
    printLines(stdout, problemLines(r.warnings), QStringLiteral("warning: "));
    return 0;
}

} // namespace salient::cli
