// SPDX-License-Identifier: GPL-3.0-or-later
// Scale (issue #9): peak memory of a 100,000-image project while browsing and
// labelling it, and the time of every user action on a 1,000,000-row shapes
// table (100,000 images x 10 shapes).
//
//   bench_scale [--work DIR] [--images N] [--shapes-per-image N] [--files N]
//               [--runs N] [--stages memory,actions] [--labelled N] [--wait-every N]
//
// The project (bench/scaleproject.h) is built once per --work folder and
// reused. Each stage runs in a child process of its own (`--stage NAME`), so
// its peak RSS is its own. The studio's objects are the real ones from core
// (ProjectStore, ImageListModel with its Thumbnailer, ClassListModel,
// EditCommands, DocumentCache / AnnotationDocument); what MainWindow and the
// widgets run in reply to an edit is called here in the same order and timed
// as its own row (status-bar counts, class balance), since each of those runs
// on the GUI thread too. Prints markdown tables.
#include "bench/scaleproject.h"
#include "bench/scalestages.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QProcess>

#include <cstdio>

using namespace salient;

namespace {

int runBuild(const QString &work, const bench::ScaleSpec &spec)
{
    const QString file = work + QStringLiteral("/scale.salient");
    if (QFileInfo::exists(file)) {
        std::printf("reusing %s\n", qPrintable(file));
        return 0;
    }
    QElapsedTimer t;
    t.start();
    const Status s = bench::buildScaleProject(work, file, spec, [&](const QString &what) {
        std::fprintf(stderr, "  built %s (%.0f s)\n", qPrintable(what), t.elapsed() / 1000.0);
    });
    if (!s.ok()) {
        std::fprintf(stderr, "bench_scale: %s\n", qPrintable(s.error().toString()));
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(file + QLatin1String(suffix));
        return 1;
    }
    std::printf("built %s: %d images, %d shapes, %d files, in %.1f s\n", qPrintable(file),
                spec.images, spec.images * spec.shapesPerImage, spec.files, t.elapsed() / 1000.0);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({"work", "Folder for the project (kept and reused).", "DIR",
                      QDir::tempPath() + QStringLiteral("/salient-bench-scale")});
    parser.addOption({"images", "Images in the project.", "N", "100000"});
    parser.addOption({"shapes-per-image", "Shapes on every image.", "N", "10"});
    parser.addOption({"files", "Distinct image files behind the rows.", "N", "300"});
    parser.addOption({"runs", "Repetitions of each action.", "N", "30"});
    parser.addOption({"labelled", "Images labelled in the memory stage.", "N", "300"});
    parser.addOption(
        {"wait-every", "Memory stage: wait for every thumbnail on each Nth page.", "N", "10"});
    parser.addOption({"stages", "Stages to run.", "LIST", "memory,actions"});
    parser.addOption({"stage", "Internal: run one stage in this process.", "NAME"});
    parser.process(app);

    const QString work = QFileInfo(parser.value("work")).absoluteFilePath();
    bench::ScaleSpec spec;
    spec.images = parser.value("images").toInt();
    spec.shapesPerImage = parser.value("shapes-per-image").toInt();
    spec.files = parser.value("files").toInt();
    const QString file = work + QStringLiteral("/scale.salient");

    if (parser.isSet("stage")) {
        const QString stage = parser.value("stage");
        if (stage == QLatin1String("build"))
            return runBuild(work, spec);
        if (stage == QLatin1String("memory"))
            return bench::runMemoryStage(file, parser.value("labelled").toInt(),
                                         parser.value("wait-every").toInt());
        if (stage == QLatin1String("actions"))
            return bench::runActionsStage(file, parser.value("runs").toInt());
        std::fprintf(stderr, "bench_scale: unknown stage %s\n", qPrintable(stage));
        return 2;
    }

    QDir().mkpath(work);
    QStringList stages{QStringLiteral("build")};
    stages += parser.value("stages").split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &stage : stages) {
        QStringList args = app.arguments().mid(1);
        args << QStringLiteral("--stage") << stage;
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(app.applicationFilePath(), args);
        if (!child.waitForFinished(-1) || child.exitStatus() != QProcess::NormalExit
            || child.exitCode() != 0) {
            std::fprintf(stderr, "bench_scale: stage %s failed\n", qPrintable(stage));
            return 1;
        }
    }
    return 0;
}
