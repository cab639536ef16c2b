// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/commands.h"

#include "core/demo/fashionmnist.h"
#include "core/imaging/importer.h"
#include "core/project/projectlock.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>

#include <unistd.h>

namespace salient::cli {

namespace {

bool g_progressDrawn = false;
std::atomic_bool g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted = true;
    std::signal(SIGINT, SIG_DFL); // a second Ctrl+C ends it at once
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

} // namespace

const QVector<Command> &commands()
{
    static const QVector<Command> all = {
        {"init", "PROJECT", "Create an empty project file (*.salient).", runInit},
        {"import",
         "PROJECT PATH... [--labels-from-folders] [--json]\n"
         "         PROJECT PATH --format coco|voc|yolo|labelme|imagefolder|csv|auto\n"
         "         [--images DIR] [--on-problem abort|skip] [--json]",
         "Import image files and folders, or with --format a dataset and its annotations.",
         runImport},
        {"export",
         "PROJECT OUT --format coco|voc|yolo|labelme|imagefolder|csv [--split NAME]\n"
         "         [--images link|copy|none] [--embed-images] [--only-annotated] [--json]",
         "Write the project (or one split) as a dataset in OUT.", runExport},
        {"demo", "PROJECT [--count N] [--seed N] [--dataset DIR]",
         "Build the demo project from Debian's Fashion-MNIST (imbalanced, with a test split).",
         runDemo},
        {"info", "PROJECT [--json]",
         "Summarise a project: images, unreadable files, duplicates, classes, splits, status.",
         runInfo},
        {"list", "PROJECT [--json]", "List every image with size, status, labels and split.",
         runList},
        {"relink", "PROJECT FOLDER", "Find moved images in FOLDER by content and relink them.",
         runRelink},
        {"split",
         "PROJECT [--train F] [--val F] [--test F] [--group-by KEY] [--seed N] [--lock-test]\n"
         "         [--json]",
         "Stratified train/val/test split; groups (e.g. patients) never cross splits.", runSplit},
        {"augment-preview", "PROJECT IMAGE --out grid.png [--count N] [--seed N] [--recipe FILE]",
         "Draw an image and N augmented variants (with their shapes) into one PNG.",
         runAugmentPreview},
#ifdef SALIENT_HAVE_TRAIN
        {"train",
         "PROJECT [--config FILE] [--model NAME] [--weights FILE] [--freeze POLICY]\n"
         "         [--image-size N] [--batch N] [--lr X] [--epochs N] [--max-steps N] [--threads N]\n"
         "         [--loss ce|focal|bce] [--class-weights none|inverse|effective]\n"
         "         [--sampler shuffle|weighted] ... [--resume RUN] [--json]",
         "Fine-tune a model on the project's train split; Ctrl+C checkpoints for --resume.",
         runTrain},
        {"eval", "PROJECT --run RUN [--split test|val|train] [--threads N] [--json]",
         "Evaluate a run's best model: accuracy, macro-F1, AUC, ECE and a per-class table.",
         runEval},
        {"runs", "PROJECT [--json]", "List the training runs kept in the project.", runRuns},
        {"gradcam",
         "PROJECT --run RUN --image PATH_OR_ID --out overlay.png\n"
         "         [--method gradcam|gradcam++|layercam] [--class NAME] [--layer NAME]\n"
         "         [--colormap turbo|jet|viridis] [--opacity X] [--contour X] [--side-by-side] [--json]\n"
         "         PROJECT --run RUN --split val|test [--method ...] [--json]",
         "Where a run's model looks: a heatmap overlay of one image, or a whole split "
         "explained into the project.",
         runGradcam},
        {"review-report", "PROJECT --run RUN --out report.html|report.pdf [--reviewed-only] [--json]",
         "Write a run's expert review (thumbnails, heatmaps, verdicts, notes) as HTML or PDF.",
         runReviewReport},
        {"export-model",
         "PROJECT --run RUN --format onnx|libtorch --out FILE [--int8] [--max-drop X]\n"
         "         [--prune S] [--prune-epochs N] [--embed-normalisation] [--features-output]\n"
         "         [--intended-use TEXT] [--limitations TEXT] [--json]",
         "Export a run's model (ONNX fp32/int8 or LibTorch), check it against LibTorch and "
         "write its model card.",
         runExportModel},
        {"predict", "MODEL IMAGE_OR_DIR... [--top-k K] [--batch N] [--json]",
         "Classify images with an exported model file (ONNX via OpenCV dnn, or LibTorch).",
         runPredict},
        {"prune", "PROJECT --run RUN --sparsity S[,S...] [--epochs N] [--json]",
         "Prune a run's model to each sparsity with a short fine-tune (new runs); print "
         "accuracy against sparsity.",
         runPrune},
        {"distill",
         "PROJECT --teacher RUN --model NAME [--epochs N] [--temperature T] [--alpha A] [--json]",
         "Train a small student run from a teacher run with soft labels; compare accuracy, size "
         "and latency.",
         runDistill},
#endif
    };
    return all;
}

int fail(const Error &error)
{
    endProgressLine();
    std::fflush(stdout);
    const QByteArray line = "salient-cli: " + oneLine(error.toString()).toUtf8() + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    return kExitFailure;
}

int usageError(const QString &command, const QString &message)
{
    const QByteArray line = QStringLiteral("salient-cli %1: %2 (see salient-cli %1 --help)\n")
                                               .arg(command, oneLine(message))
                                               .toUtf8();
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    return kExitUsage;
}

void addThreadsOption(QCommandLineParser &parser, const QString &what)
{
    parser.addOption({QStringLiteral("threads"), what + QStringLiteral(" (default 0: all cores)."),
                      QStringLiteral("N"), QStringLiteral("0")});
}

void addJsonOption(QCommandLineParser &parser, const QString &help)
{
    parser.addOption({QStringLiteral("json"), help});
}

bool wholeOption(const QCommandLineParser &parser, const QString &name, int lo, int *value)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    *value = parser.value(name).toInt(&ok);
    return ok && *value >= lo;
}

bool threadsOption(const QCommandLineParser &parser, const QString &command, int *threads,
                   int *exitCode)
{
    *threads = 0;
    if (wholeOption(parser, QStringLiteral("threads"), 0, threads))
        return true;
    *exitCode = usageError(command, QStringLiteral("--threads wants a whole number, 0 for all cores"));
    return false;
}

bool parseArguments(QCommandLineParser &parser, const QString &command, const QStringList &args,
                    const QStringList &positional, int *exitCode)
{
    *exitCode = 0;
    parser.addHelpOption();
    for (const Command &c : commands())
        if (command == QLatin1String(c.name))
            parser.setApplicationDescription(QString::fromUtf8(c.summary));
    for (const QString &p : positional)
        parser.addPositionalArgument(p, QString(), p);
    if (!parser.parse(args)) {
        *exitCode = usageError(command, parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt's usage line names only the program; put the subcommand in it.
        QString text = parser.helpText();
        const QString program = QFileInfo(QCoreApplication::applicationFilePath()).fileName();
        const int eol = text.indexOf(QLatin1Char('\n'));
        text.replace(0, eol,
                     QStringLiteral("Usage: %1 %2 [options] %3") .arg(
                         program, command, positional.join(QLatin1Char(' '))));
        out(text);
        return false;
    }
    const QStringList given = parser.positionalArguments();
    const bool variadic = !positional.isEmpty() && positional.last().endsWith(QLatin1String("..."));
    if (given.size() < positional.size() || (!variadic && given.size() > positional.size())) {
        *exitCode = usageError(
            command, given.size() < positional.size()
            ? QStringLiteral("missing %1") .arg(positional.mid(given.size()).join(' '))
            : QStringLiteral("unexpected argument \"%1\"") .arg(given.value(positional.size())));
        return false;
    }
    return true;
}

Result<std::unique_ptr<ProjectStore>> openProject(const QString &file, ProjectStore::OpenMode mode)
{
    const QFileInfo info(file);
    if (!info.exists())
        return makeError(Error::Code::NotFound, QStringLiteral("no such project file"), file);
    if (!info.isFile())
        return makeError(Error::Code::Invalid, QStringLiteral("not a project file"), file);
    if (mode == ProjectStore::OpenMode::ReadWrite) {
        // A command that writes holds the project's lock until the process ends,
        // so a studio (or another command) cannot write beside it. A lock left by
        // a dead process is taken over; a live holder refuses (no --force: read-only
        // commands still work, and a stale lock from another host is a file to delete).
        static QHash<QString, std::shared_ptr<ProjectLock>> held;
        const QString abs = info.absoluteFilePath();
        if (!held.contains(abs)) {
            auto lock = std::make_shared<ProjectLock>(abs);
            const Status locked = lock->tryLock();
            if (!locked.ok() && locked.error().code == Error::Code::Locked)
                return locked.error();
            if (locked.ok())
                held.insert(abs, lock);
        }
    }
    auto store = ProjectStore::open(info.absoluteFilePath(), mode);
    if (!store) {
        Error e = store.error();
        if (e.path.isEmpty())
            e.path = file;
        return e;
    }
    return store;
}

bool stderrIsTerminal()
{
    static const bool tty = ::isatty(STDERR_FILENO) == 1;
    return tty;
}

void progressLine(const QString &text)
{
    if (!stderrIsTerminal())
        return;
    const QByteArray line = "\r\033[K" + text.left(160).toUtf8();
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
    g_progressDrawn = true;
}

void endProgressLine()
{
    if (g_progressDrawn)
        std::fputc('\n', stderr);
    g_progressDrawn = false;
}

void out(const QByteArray &utf8)
{
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stdout);
}

// ---- init -------------------------------------------------------------------

int runInit(const QStringList &args)
{
    QCommandLineParser parser;
    int code = 0;
    if (!parseArguments(parser, QStringLiteral("init"), args, {QStringLiteral("PROJECT")}, &code))
        return code;
    const QString file = parser.positionalArguments().at(0);
    if (QFileInfo::exists(file))
        return fail(makeError(Error::Code::Invalid, QStringLiteral("already exists"), file));
    auto store = ProjectStore::create(QFileInfo(file).absoluteFilePath());
    if (!store)
        return fail(store.error().path.isEmpty()
                        ? makeError(store.error().code, store.error().message, file)
                        : store.error());
    out(QStringLiteral("Created %1\n").arg((*store)->filePath()));
    return 0;
}

// ---- import -------------------------------------------------------------------

int runImport(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("labels-from-folders"), QStringLiteral("Use each image's parent folder name as its class "
                                     "(ImageFolder layout).")});
    addJsonOption(parser, QStringLiteral("Print the report as JSON."));
    addDatasetImportOptions(parser);
    int code = 0;
    if (!parseArguments(
            parser, QStringLiteral("import"), args,
                                   {QStringLiteral("PROJECT"), QStringLiteral("PATH...")}, &code))
        return code;
    if (parser.isSet(QStringLiteral("format")))
        return runDatasetImport(parser);
    if (parser.isSet(QStringLiteral("images")) || parser.isSet(QStringLiteral("on-problem")))
        return usageError(QStringLiteral("import"),
                          QStringLiteral("--images and --on-problem go with --format"));
    const QStringList positional = parser.positionalArguments();
    ImportOptions options;
    for (const QString &path : positional.mid(1)) {
        if (!QFileInfo::exists(path))
            return fail(
                makeError(Error::Code::NotFound, QStringLiteral("no such file or folder"), path));
        options.paths << QFileInfo(path).absoluteFilePath();
    }
    options.labelsFromFolders = parser.isSet(QStringLiteral("labels-from-folders"));
    auto store = openProject(positional.at(0), ProjectStore::OpenMode::ReadWrite);
    if (!store)
        return fail(store.error());

    // Ctrl+C during an import: stop between batches so that what was committed
    // stays committed and the report says so, instead of dying mid-write.
    const InterruptFlag interrupt;
    Importer importer(**store);
    auto report = importer.run(
        options,
        [](const ImportProgress &p) {
            progressLine(QStringLiteral("importing %1/%2  %3") .arg(p.done).arg(p.total).arg(
                QFileInfo(p.current).fileName()));
        },
        interrupt.flag());
    endProgressLine();
    if (!report)
        return fail(report.error());
    const ImportReport &r = *report;
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray unreadable, duplicates;
        for (const ImportProblem &p : r.problems)
            unreadable.append(QJsonObject{{QStringLiteral("path"), p.path},
                                           {QStringLiteral("reason"), p.reason}});
        for (const ImportProblem &p : r.duplicatesOf)
            duplicates.append(QJsonObject{{QStringLiteral("path"), p.path},
                                           {QStringLiteral("reason"), p.reason}});
        const QJsonObject o{{QStringLiteral("scanned"), r.scanned},
                             {QStringLiteral("added"), r.added},
                              {QStringLiteral("alreadyPresent"), r.alreadyPresent},
                               {QStringLiteral("unreadable"), unreadable},
                                {QStringLiteral("duplicates"), duplicates},
                                 {QStringLiteral("seconds"), r.seconds}};
        out(QJsonDocument(o).toJson(QJsonDocument::Indented));
        return 0;
    }
    out(QStringLiteral("Scanned %1 image files: %2 added, %3 already in the project, "
                       "%4 unreadable, %5 duplicates (%6)\n")
                           .arg(r.scanned)
                           .arg(r.added)
                           .arg(r.alreadyPresent)
                           .arg(r.unreadable)
                           .arg(r.duplicates)
                           .arg(seconds(r.seconds)));
    for (const ImportProblem &p : r.problems)
        out(QStringLiteral("unreadable: %1: %2\n").arg(p.path, oneLine(p.reason)));
    for (const ImportProblem &p : r.duplicatesOf)
        out(QStringLiteral("duplicate: %1: %2\n").arg(p.path, oneLine(p.reason)));
    return 0;
}

// ---- demo -------------------------------------------------------------------

int runDemo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("count"),
        QStringLiteral("Number of images (%1 to %2).") .arg(kMinDemoImages).arg(kMaxDemoImages),
                       QStringLiteral("N"), QStringLiteral("3000")});
    parser.addOption(
        {QStringLiteral("seed"), QStringLiteral("Seed for the choice of images."),
                                                QStringLiteral("N"), QStringLiteral("42")});
    parser.addOption({QStringLiteral("dataset"), QStringLiteral("Folder with the Fashion-MNIST IDX files."),
                                   QStringLiteral("DIR"), defaultFashionMnistDir()});
    int code = 0;
    if (!parseArguments(parser, QStringLiteral("demo"), args, {QStringLiteral("PROJECT")}, &code))
        return code;
    bool countOk = false, seedOk = false;
    const int count = parser.value(QStringLiteral("count")).toInt(&countOk);
    const quint32 seed = parser.value(QStringLiteral("seed")).toUInt(&seedOk);
    if (!countOk)
        return usageError(QStringLiteral("demo"), QStringLiteral("--count wants a number"));
    if (!seedOk)
        return usageError(QStringLiteral("demo"), QStringLiteral("--seed wants a number"));
    const QString file = parser.positionalArguments().at(0);
    auto report = createDemoProject(
        file, count, seed, parser.value(QStringLiteral("dataset")), [](int done, int total) {
            progressLine(
                QStringLiteral("building the demo %1%") .arg(100 * done / std::max(1, total)));
        });
    endProgressLine();
    if (!report)
        return fail(report.error());
    const auto [lo, hi] =
        std::minmax_element(report->trainPerClass.begin(), report->trainPerClass.end());
    out(QStringLiteral("Created %1: %2 train and %3 test images of %4 classes "
                       "(largest class %5, smallest %6 in train)\n")
                           .arg(QFileInfo(file).absoluteFilePath())
                           .arg(report->trainImages)
                           .arg(report->testImages)
                           .arg(fashionMnistClassNames().size())
                           .arg(*hi)
                           .arg(*lo));
    return 0;
}

// ---- relink -------------------------------------------------------------------

int runRelink(const QStringList &args)
{
    QCommandLineParser parser;
    int code = 0;
    if (!parseArguments(
            parser, QStringLiteral("relink"), args,
                                   {QStringLiteral("PROJECT"), QStringLiteral("FOLDER")}, &code))
        return code;
    const QString folder = parser.positionalArguments().at(1);
    if (!QFileInfo(folder).isDir())
        return fail(makeError(Error::Code::NotFound, QStringLiteral("no such folder"), folder));
    auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadWrite);
    if (!store)
        return fail(store.error());
    auto relinked = relinkByHash(**store, QFileInfo(folder).absoluteFilePath());
    if (!relinked)
        return fail(relinked.error());
    out(QStringLiteral("Relinked %1 images\n").arg(*relinked));
    return 0;
}

InterruptFlag::InterruptFlag()
{
    g_interrupted = false;
    std::signal(SIGINT, onInterrupt);
}

InterruptFlag::~InterruptFlag()
{
    std::signal(SIGINT, SIG_DFL);
}

const std::atomic_bool *InterruptFlag::flag() const
{
    return &g_interrupted;
}

} // namespace salient::cli
