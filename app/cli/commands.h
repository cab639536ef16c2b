// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/store.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

class QCommandLineParser;

/// salient-cli: the headless face of the studio. Each subcommand is a function
/// taking its own arguments (program name first, the subcommand name removed)
/// and returning the process exit code:
///   0  success
///   1  failure (one line on stderr that names the file)
///   2  bad usage (one line on stderr; --help shows the usage)
namespace salient::cli {

struct Command {
    const char *name;
    const char *synopsis; ///< e.g. "PROJECT PATH... [--labels-from-folders]"
    const char *summary;  ///< one line for the overview
    int (*run)(const QStringList &args);
};

/// Every subcommand, in the order the overview lists them.
const QVector<Command> &commands();

int runInit(const QStringList &args);
int runImport(const QStringList &args);
int runDemo(const QStringList &args);
int runRelink(const QStringList &args);
int runInfo(const QStringList &args); ///< in report.cpp
int runList(const QStringList &args); ///< in report.cpp
int runAugmentPreview(const QStringList &args); ///< in analysis.cpp
int runSplit(const QStringList &args);          ///< in analysis.cpp
int runExport(const QStringList &args); ///< in formats.cpp
#ifdef SALIENT_HAVE_TRAIN
int runTrain(const QStringList &args); ///< in train.cpp
int runEval(const QStringList &args);  ///< in runs.cpp
int runRuns(const QStringList &args);  ///< in runs.cpp
int runGradcam(const QStringList &args);      ///< in gradcam.cpp
int runReviewReport(const QStringList &args); ///< in gradcam.cpp
int runExportModel(const QStringList &args);  ///< in exportmodel.cpp
int runPredict(const QStringList &args);      ///< in predict.cpp
int runPrune(const QStringList &args);        ///< in shrink.cpp
int runDistill(const QStringList &args);      ///< in shrink.cpp
#endif

/// `import --format F`: the dataset options, and the import they ask for (formats.cpp).
void addDatasetImportOptions(QCommandLineParser &parser);
int runDatasetImport(const QCommandLineParser &parser);

// ---- shared by the subcommands ---------------------------------------------

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

/// Prints "salient-cli: <file>: <message>" as one line on stderr; returns kExitFailure.
int fail(const Error &error);
/// Prints "salient-cli <command>: <message>" as one line on stderr; returns kExitUsage.
int usageError(const QString &command, const QString &message);

/// Parses a subcommand's arguments; adds --help. On --help prints the usage and
/// returns 0 in *exitCode; on bad usage prints one line and returns kExitUsage.
/// Returns true when the command should go on. `positional` lists the names of
/// the required positional arguments; the last may end in "..." (one or more).
bool parseArguments(QCommandLineParser &parser, const QString &command, const QStringList &args,
                    const QStringList &positional, int *exitCode);

/// Adds --threads N (default 0: all cores); `what` names the threads, e.g.
/// "LibTorch threads".
void addThreadsOption(QCommandLineParser &parser, const QString &what);
/// Adds --json; `help` e.g. "Print one JSON object.".
void addJsonOption(QCommandLineParser &parser, const QString &help);
/// Reads the whole-number option `name` into *value when it is given; false when
/// it is not a whole number of at least `lo` (*value is then undefined).
bool wholeOption(const QCommandLineParser &parser, const QString &name, int lo, int *value);
/// Reads --threads into *threads (0: all cores); on a bad value prints the usage
/// line for `command`, puts kExitUsage in *exitCode and returns false.
bool threadsOption(const QCommandLineParser &parser, const QString &command, int *threads,
                   int *exitCode);

/// Opens an existing project; a missing file, a file that is not a project or a
/// newer schema is an error naming the file.
Result<std::unique_ptr<ProjectStore>> openProject(const QString &file, ProjectStore::OpenMode mode);

/// Whether stderr is a terminal (progress lines are drawn only then).
bool stderrIsTerminal();
/// Draws "\r<text>" on stderr, clearing what was there (only on a terminal).
void progressLine(const QString &text);
/// Ends a progress line (prints the newline) if one was drawn.
void endProgressLine();

/// Ctrl+C while one lives sets its flag, which long commands pass on as their
/// cancel flag: they stop at their next check, keep what they committed and
/// say so. A second Ctrl+C ends the process at once. The default handling
/// comes back when it goes. One at a time.
class InterruptFlag {
public:
    InterruptFlag();
    ~InterruptFlag();
    InterruptFlag(const InterruptFlag &) = delete;
    InterruptFlag &operator=(const InterruptFlag &) = delete;
    /// The flag to hand to a cancellable core call.
    const std::atomic_bool *flag() const;
    bool raised() const { return flag()->load(); }
};

/// Writes UTF-8 to stdout (buffered; flushed at exit).
void out(const QByteArray &utf8);
inline void out(const QString &text)
{
    out(text.toUtf8());
}

} // namespace salient::cli
