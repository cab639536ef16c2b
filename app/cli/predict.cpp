// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli predict MODEL IMAGE_OR_DIR...`: an exported model (ONNX or a
// LibTorch export) on image files, batched. One line per image, or a JSON
// array; an image that cannot be read is reported and the others go on.
#include "app/cli/commands.h"
#include "app/cli/trainshared.h"

#include "core/imaging/probe.h"
#include "core/train/predictor.h"

#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cstdio>

namespace salient::cli {

using namespace salient::train;

namespace {

/// The files named on the command line: files as given, directories
/// recursed into for image files (sorted, so the output is stable).
QStringList expandInputs(const QStringList &inputs)
{
    const QStringList suffixes = supportedImageSuffixes();
    QStringList files;
    for (const QString &input : inputs) {
        const QFileInfo info(input);
        if (!info.isDir()) {
            files << input; // a missing file is reported with the images
            continue;
        }
        QStringList found;
        QDirIterator it(input, QDir::Files | QDir::Readable, QDirIterator::Subdirectories
                                                                 | QDirIterator::FollowSymlinks);
        while (it.hasNext()) {
            const QString path = it.next();
            if (suffixes.contains(QFileInfo(path).suffix().toLower()))
                found << path;
        }
        std::sort(found.begin(), found.end());
        files << found;
    }
    return files;
}

QString classOf(const QStringList &names, int index)
{
    return names.value(index, QString::number(index));
}

QString textLine(const ImagePrediction &p, const QStringList &names)
{
    QStringList parts;
    for (int c : p.topClasses)
        parts << QStringLiteral("%1 %2").arg(classOf(names, c),
                                             QString::number(p.probabilities.value(c), 'f', 3));
    return p.path + QLatin1Char('\t') + parts.join(QStringLiteral(", ")) + QLatin1Char('\n');
}

QJsonObject jsonOf(const ImagePrediction &p, const QStringList &names)
{
    QJsonObject o{{QStringLiteral("path"), p.path}};
    if (!p.ok()) {
        o.insert(QStringLiteral("error"), p.error.message);
        return o;
    }
    QJsonArray top;
    for (int c : p.topClasses)
        top.append(QJsonObject{{QStringLiteral("class"), classOf(names, c)},
                               {QStringLiteral("index"), c},
                               {QStringLiteral("probability"), double(p.probabilities.value(c))}});
    QJsonArray predicted;
    for (int c : p.predicted)
        predicted.append(classOf(names, c));
    o.insert(QStringLiteral("top"), top);
    o.insert(QStringLiteral("predicted"), predicted);
    return o;
}

void reportFailure(const ImagePrediction &p)
{
    Error e = p.error;
    if (e.path.isEmpty())
        e.path = p.path;
    const QByteArray line =
        "salient-cli: " + e.toString().section(QLatin1Char('\n'), 0, 0).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
}

} // namespace

int runPredict(const QStringList &args)
{
    const QString cmd = QStringLiteral("predict");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("top-k"),
                      QStringLiteral("Classes listed per image, most probable first (default 3)."),
                      QStringLiteral("K"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("batch"), QStringLiteral("Images per batch (default 16)."),
                      QStringLiteral("N"), QStringLiteral("16")});
    addThreadsOption(parser, QStringLiteral("Threads for the model"));
    addJsonOption(parser, QStringLiteral("Print one JSON array."));
    int code = 0;
    if (!parseArguments(parser, cmd, args,
                        {QStringLiteral("MODEL"), QStringLiteral("IMAGE_OR_DIR...")}, &code))
        return code;
    bool okNumber = false;
    const int topK = parser.value(QStringLiteral("top-k")).toInt(&okNumber);
    if (!okNumber || topK < 1)
        return usageError(cmd, QStringLiteral("--top-k wants a whole number of at least 1"));
    const int batch = parser.value(QStringLiteral("batch")).toInt(&okNumber);
    if (!okNumber || batch < 1 || batch > 4096)
        return usageError(cmd, QStringLiteral("--batch wants a whole number from 1 to 4096"));
    int threads = 0;
    if (!threadsOption(parser, cmd, &threads, &code))
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));

    const QStringList positional = parser.positionalArguments();
    const QString modelFile = positional.at(0);
    auto predictor = Predictor::open(modelFile, threads);
    if (!predictor)
        return fail(predictor.error().path.isEmpty() ? makeError(predictor.error().code,
                                                                 predictor.error().message,
                                                                 modelFile)
                                                     : predictor.error());
    const QStringList names = (*predictor)->meta().classNames;

    const QStringList files = expandInputs(positional.mid(1));
    if (files.isEmpty())
        return fail(makeError(Error::Code::NotFound,
                              QStringLiteral("no image files found (looked for %1)")
                                  .arg(supportedImageSuffixes().join(QStringLiteral(", "))),
                              positional.mid(1).join(QStringLiteral(", "))));

    int failed = 0;
    QJsonArray all;
    for (qsizetype start = 0; start < files.size(); start += batch) {
        const QStringList chunk = files.mid(start, batch);
        const QVector<ImagePrediction> predictions = (*predictor)->predictFiles(chunk, topK, batch);
        for (const ImagePrediction &p : predictions) {
            if (!p.ok()) {
                ++failed;
                reportFailure(p);
            }
            if (json)
                all.append(jsonOf(p, names));
            else if (p.ok())
                out(textLine(p, names));
        }
        if (!json)
            std::fflush(stdout);
        if (files.size() > batch)
            progressLine(QStringLiteral("predicted %1/%2 images")
                             .arg(std::min(files.size(), start + batch))
                             .arg(files.size()));
    }
    endProgressLine();
    if (json)
        out(QJsonDocument(all).toJson(QJsonDocument::Indented));
    std::fflush(stdout);
    if (failed > 0) {
        const QByteArray line = QStringLiteral("salient-cli: %1 of %2 images could not be "
                                               "predicted\n")
                                    .arg(failed)
                                    .arg(files.size())
                                    .toUtf8();
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
        return kExitFailure;
    }
    return 0;
}

} // namespace salient::cli
