// SPDX-License-Identifier: GPL-3.0-or-later
// End-to-end fine-tuning throughput of the real engine (runTraining), measured
// as ../shared/peers/bench_train.py measures torchvision: ResNet-18 at 224,
// frozen up to layer2, batch 32, SGD 0.01 / 0.9, cross-entropy, the standard
// recipe (rotate 15, random resized crop 224, colour jitter .2/.2/.2, flip,
// translate .1) decoded from the JPEGs every time (no cache, like the peer),
// 2 warm-up steps then 10 timed steps, data waits included.
//
//   bench_train --project P.salient [--threads 2] [--workers 0] [--runs 3]
//               [--freeze layer2] [--model resnet18] [--warm 2] [--timed 10] [--json FILE]
//
// P is a project whose "train" split holds the images (bench/compare_train.py
// builds it from /tmp/ds10k). Each run adds a run record to P (removed again).
// The engine computes in channels last (NHWC) on CPUs with oneDNN;
// SALIENT_MEMORY_FORMAT=contiguous in the environment runs it in NCHW instead.
#include "core/imaging/augment.h"
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/trainer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>

#include <sys/resource.h>

using namespace salient;
using namespace salient::train;

namespace {

struct Sample {
    double rate = 0;   ///< timed images per second
    double loss = -1;  ///< running loss at the last timed step
    bool exact = true; ///< false: the last timed step was not reported, the return time was used
    double firstStepSeconds = 0; ///< start to the first finished step (model, weights, loader start-up)
    /// CPU seconds (user + system, every thread of the process) per timed image:
    /// steadier than wall time on a shared machine, where a neighbour's load
    /// stretches the wall clock but not the work done.
    double cpuPerImage = -1;
};

double processCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

Result<Sample> oneRun(const QString &project, const TrainConfig &config, int warm, int timed)
{
    TrainRequest request;
    request.projectFile = project;
    request.config = config;
    request.config.maxSteps = warm + timed;
    request.runName = QStringLiteral("bench_train");
    request.evaluateTest = false;

    // Steps are 1-2 s apart, the progress throttle 0.1 s: every step is seen.
    QElapsedTimer clock;
    qint64 warmAt = -1, endAt = -1, firstAt = -1;
    double loss = -1;
    double cpuWarm = -1, cpuEnd = -1;
    TrainObserver observer;
    observer.progress = [&](const TrainProgress &p) {
        if (p.phase != TrainProgress::Phase::Training)
            return;
        if (p.step >= 1 && firstAt < 0)
            firstAt = clock.nsecsElapsed();
        if (p.step >= warm && warmAt < 0) {
            warmAt = clock.nsecsElapsed();
            cpuWarm = processCpuSeconds();
        }
        if (p.step >= warm + timed && endAt < 0) {
            endAt = clock.nsecsElapsed();
            cpuEnd = processCpuSeconds();
            loss = p.loss;
        }
    };
    clock.start();
    auto outcome = runTraining(request, observer);
    const qint64 returned = clock.nsecsElapsed();
    if (cpuEnd < 0)
        cpuEnd = processCpuSeconds();
    if (!outcome)
        return outcome.error();
    if (outcome->steps < warm + timed)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("the run stopped after %1 steps").arg(outcome->steps), project);
    if (warmAt < 0)
        return makeError(Error::Code::Invalid, QStringLiteral("no progress was reported"), project);
    Sample s;
    s.exact = endAt >= 0;
    s.rate = double(timed) * config.batchSize / (double((s.exact ? endAt : returned) - warmAt) / 1e9);
    s.loss = loss;
    s.firstStepSeconds = double(firstAt) / 1e9;
    s.cpuPerImage = (cpuEnd - cpuWarm) / (double(timed) * config.batchSize);

    // Keep the project as it was: the bench's runs are not the user's.
    auto store = ProjectStore::open(project);
    if (store)
        (void)RunStore(**store).removeRun(outcome->runId);
    return s;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions({
        {"project", "Project whose train split holds the images.", "FILE"},
        {"threads", "LibTorch threads.", "N", "2"},
        {"workers", "Loader threads (0: automatic).", "N", "0"},
        {"runs", "Runs.", "N", "3"},
        {"model", "Model.", "NAME", "resnet18"},
        {"freeze", "Freeze policy.", "POLICY", "layer2"},
        {"batch", "Batch size.", "N", "32"},
        {"warm", "Warm-up steps.", "N", "2"},
        {"timed", "Timed steps.", "N", "10"},
        {"seed", "Seed of the first run (the next runs add 1).", "N", "200"},
        {"json", "Also write the samples to this JSON file.", "FILE"},
    });
    parser.process(app);
    if (!parser.isSet("project")) {
        std::fprintf(stderr, "bench_train: --project FILE is required\n");
        return 2;
    }
    const QString project = parser.value("project");
    TrainConfig config;
    config.model = parser.value("model");
    config.freeze = freezeFromName(parser.value("freeze")).value_or(FreezePolicy::Layer2);
    config.imageSize = 224;
    config.batchSize = parser.value("batch").toInt();
    config.optimizer = OptimizerKind::Sgd;
    config.learningRate = 0.01;
    config.backboneLrFactor = 1.0; // the peer: one rate for every trainable parameter
    config.momentum = 0.9;
    config.weightDecay = 0;
    config.schedule = ScheduleKind::Constant;
    config.loss = LossKind::CrossEntropy;
    config.epochs = 1;
    config.threads = parser.value("threads").toInt();
    config.loaderWorkers = parser.value("workers").toInt();
    config.cacheBytes = 0;           // the peer decodes every JPEG every time
    config.validationFraction = 0;   // no validation pass inside the timed window
    config.augmentRecipe = AugmentRecipe::standardPreset().toJson();
    const int warm = parser.value("warm").toInt();
    const int timed = parser.value("timed").toInt();
    const int runs = std::max(1, parser.value("runs").toInt());

    QVector<Sample> samples;
    for (int r = 0; r < runs; ++r) {
        config.seed = parser.value("seed").toULongLong() + quint64(r);
        auto s = oneRun(project, config, warm, timed);
        if (!s) {
            std::fprintf(stderr, "bench_train: %s\n", qPrintable(s.error().toString()));
            return 1;
        }
        std::fprintf(stderr, "run %d: %.2f img/s, %.3f CPU s/img, loss %.3f, first step after %.1f s%s\n",
                     r, s->rate, s->cpuPerImage, s->loss, s->firstStepSeconds,
                     s->exact ? "" : " (end taken at return)");
        samples << *s;
    }
    QVector<double> rates, cpu;
    for (const Sample &s : samples) {
        rates << s.rate;
        cpu << s.cpuPerImage;
    }
    std::sort(rates.begin(), rates.end());
    std::sort(cpu.begin(), cpu.end());
    const double median = rates[rates.size() / 2];
    std::printf("| model | freeze | threads | workers | batch | salient img/s (median, min-max) | CPU s/img (median) |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    std::printf("| %s | %s | %d | %d | %d | %.2f (%.2f-%.2f) | %.3f |\n", qPrintable(config.model),
                qPrintable(freezeName(config.freeze)), config.threads, config.loaderWorkers,
                config.batchSize, median, rates.first(), rates.last(), cpu[cpu.size() / 2]);
    if (parser.isSet("json")) {
        QJsonArray list;
        for (const Sample &s : samples)
            list.append(QJsonObject{{"ips", s.rate}, {"cpu_per_image", s.cpuPerImage}, {"loss", s.loss}, {"exact", s.exact},
                                    {"first_step_s", s.firstStepSeconds}});
        QFile f(parser.value("json"));
        if (f.open(QIODevice::WriteOnly))
            f.write(QJsonDocument(QJsonObject{{"runs", list}, {"median", median}, {"min", rates.first()},
                                              {"max", rates.last()}})
                        .toJson());
    }
    return 0;
}
