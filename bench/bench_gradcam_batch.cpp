// SPDX-License-Identifier: GPL-3.0-or-later
// Grad-CAM over a whole split through explainRole's engine (one model, maps
// stored in chunks of 32): images per second and resident memory after 100,
// 500 and 1,000 images. Flat memory means the RSS column stops moving once
// the first chunk is written.
//
//   bench_gradcam_batch [--count 1000] [--model resnet18] [--image-size 224]
//                       [--method gradcam] [--deletion-steps 0] [--threads 0]
//                       [--dir DIR] [--json FILE]
//
// Builds a project of generated --image-size PNGs (the tiny dataset's
// patterns, --count of them in "test"), trains the model for one step (the
// maps need a model of the run, not a good one), then explains the run's
// test role.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/engineinfo.h"
#include "core/train/explainbatch.h"
#include "core/train/explainer.h"
#include "core/train/trainer.h"
#include "tests/support/tinydataset.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>

#include <sys/resource.h>
#include <unistd.h>

using namespace salient;
using namespace salient::train;

namespace {

double residentMiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1
               ? double(fields[1].toLongLong()) * double(sysconf(_SC_PAGESIZE)) / 1048576.0
               : -1;
}

double peakMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0; // KiB on Linux
}

struct Mark {
    int images = 0;
    double seconds = 0;
    double rssMiB = 0;
};

int fail(const QString &what)
{
    std::fprintf(stderr, "bench_gradcam_batch: %s\n", qPrintable(what));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("count"), QStringLiteral("Images to explain."),
                                                 QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("model"),
        QStringLiteral("Architecture."), QStringLiteral("NAME"), QStringLiteral("resnet18")});
    parser.addOption(
        {QStringLiteral("image-size"), QStringLiteral("Network input and PNG side."),
                                                      QStringLiteral("N"), QStringLiteral("224")});
    parser.addOption({QStringLiteral("method"), QStringLiteral("gradcam, gradcam++ or layercam."),
                                  QStringLiteral("NAME"), QStringLiteral("gradcam")});
    parser.addOption({QStringLiteral("deletion-steps"),
                                     QStringLiteral("Deletion score steps (0: none)."),
                                                    QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption(
        {QStringLiteral("threads"), QStringLiteral("LibTorch threads (0: all cores)."),
                                                   QStringLiteral("N"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("Where the project goes (default: a temporary folder)."),
                               QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Also write the figures as JSON."),
                                                             QStringLiteral("FILE")});
    parser.process(app);

    const int count = parser.value(QStringLiteral("count")).toInt();
    const int size = parser.value(QStringLiteral("image-size")).toInt();
    const int threads = parser.value(QStringLiteral("threads")).toInt();
    const auto method = review::camMethodFromName(parser.value(QStringLiteral("method")));
    if (count < 1 || size < 16 || !method)
        return fail(QStringLiteral("bad --count, --image-size or --method"));

    QTemporaryDir temporary;
    const QString dir = parser.isSet(QStringLiteral("dir")) ? parser.value(QStringLiteral("dir"))
                                                            : temporary.path();
    QElapsedTimer clock;
    clock.start();
    test::TinySpec spec;
    spec.size = size;
    spec.trainPerClass = {4, 4, 4};
    // In "test", which the one training step never evaluates (a validation
    // pass over the whole set would cost more than the benchmark).
    spec.valPerClass = 0;
    spec.testPerClass = (count + 2) / 3;
    const QString project = test::makeTinyProject(dir + QStringLiteral("/bench"), spec);
    if (project.isEmpty())
        return fail(QStringLiteral("could not build the project in ") + dir);
    std::fprintf(stderr, "project: %d images of %d px in %.1f s\n", 12 + 3 * spec.testPerClass, size,
                 clock.elapsed() / 1000.0);

    TrainRequest request;
    request.projectFile = project;
    request.config.model = parser.value(QStringLiteral("model"));
    request.config.imageSize = size;
    request.config.epochs = 1;
    request.config.maxSteps = 1;
    request.config.batchSize = 4;
    request.config.threads = threads;
    request.config.loaderWorkers = 1;
    request.runName = QStringLiteral("bench_gradcam_batch");
    request.evaluateTest = false;
    auto outcome = runTraining(request, {});
    if (!outcome)
        return fail(QStringLiteral("training: ") + outcome.error().toString());
    const qint64 runId = outcome->runId;

    auto store = ProjectStore::open(project);
    if (!store)
        return fail(store.error().toString());
    auto explainer = Explainer::forRun(project, runId, QStringLiteral("best"), threads);
    if (!explainer)
        return fail(QStringLiteral("explainer: ") + explainer.error().toString());
    const double rssLoaded = residentMiB();

    review::ExplainRequest what;
    what.method = *method;
    what.deletionSteps = parser.value(QStringLiteral("deletion-steps")).toInt();
    const QVector<int> marks = {100, 500, 1000, count};
    QVector<Mark> rows;
    int started = 0;
    clock.restart();
    ExplainBatchHooks hooks;
    hooks.between = [&] {
        // Called before image started + 1: `started` images are done.
        if (marks.contains(started) && (rows.isEmpty() || rows.last().images != started))
            rows.append(Mark{started, clock.elapsed() / 1000.0, residentMiB()});
        ++started;
    };
    auto report = explainRoleWith(**explainer, **store, runId, RunRole::Test, what, hooks);
    const double seconds = clock.elapsed() / 1000.0;
    if (!report)
        return fail(QStringLiteral("explain: ") + report.error().toString());
    if (rows.isEmpty() || rows.last().images != report->stored)
        rows.append(Mark{report->stored, seconds, residentMiB()});

    std::printf("Grad-CAM batch: %s at %d px, %s, deletion steps %d, %d threads, chunks of %d\n",
                qPrintable(request.config.model), size, qPrintable(review::camMethodName(*method)),
                what.deletionSteps, setEngineThreads(threads), kExplainChunk);
    std::printf("model loaded: RSS %.1f MiB\n", rssLoaded);
    std::printf("%8s %10s %10s %10s\n", "images", "seconds", "images/s", "RSS MiB");
    QJsonArray json;
    for (const Mark &m : rows) {
        std::printf("%8d %10.1f %10.2f %10.1f\n", m.images, m.seconds,
                    m.seconds > 0 ? m.images / m.seconds : 0.0, m.rssMiB);
        json.append(QJsonObject{
            {QStringLiteral("images"), m.images},
             {QStringLiteral("seconds"), m.seconds},
              {QStringLiteral("images_per_s"), m.seconds > 0 ? m.images / m.seconds : 0.0},
               {QStringLiteral("rss_mib"), m.rssMiB}});
    }
    std::printf("stored %d, skipped %d; peak RSS %.1f MiB\n", report->stored, report->skipped,
                peakMiB());
    if (parser.isSet(QStringLiteral("json"))) {
        QFile f(parser.value(QStringLiteral("json")));
        if (f.open(QIODevice::WriteOnly))
            f.write(QJsonDocument(
                QJsonObject{{QStringLiteral("model"), request.config.model},
                             {QStringLiteral("image_size"), size}, {QStringLiteral("rows"), json}})
                                .toJson());
    }
    return 0;
}
