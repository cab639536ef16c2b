// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli train`: a run from the command line, with a --config file and
// every knob as an option, JSON lines for scripts, a progress bar for people,
// and Ctrl+C that checkpoints so the run can be resumed.
#include "app/cli/commands.h"
#include "app/cli/trainshared.h"

#include "core/imaging/augment.h"
#include "core/train/trainer.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <atomic>
#include <csignal>
#include <functional>

#include <unistd.h>

namespace salient::cli {

using namespace salient::train;

namespace {

std::atomic<int> g_control{int(Control::Run)};

// First Ctrl+C: stop between batches, checkpoint, mark the run cancelled. A
// second one kills at once (the default action), for a run that hangs.
extern "C" void onTrainInterrupt(int)
{
    g_control.store(int(Control::Cancel));
    static const char kMsg[] =
        "\nsalient-cli: stopping after this batch and saving a checkpoint (Ctrl+C again quits at once)\n";
    (void)!::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
    std::signal(SIGINT, SIG_DFL);
}

/// A knob: applies the option's text to the config, or says what is wrong with it.
struct Knob {
    const char *name;
    const char *valueName;
    const char *help;
    std::function<QString(TrainConfig &, const QString &)> apply;
};

QString wantNumber(const char *name, double lo, double hi)
{
    return QStringLiteral("--%1 wants a number from %2 to %3").arg(QLatin1String(name)).arg(lo).arg(hi);
}

template <typename T>
std::function<QString(TrainConfig &, const QString &)> real(const char *name, T TrainConfig::*field,
                                                             double lo, double hi)
{
    return [=](TrainConfig &c, const QString &v) {
        bool ok = false;
        const double d = v.toDouble(&ok);
        if (!ok || !(d >= lo && d <= hi))
            return wantNumber(name, lo, hi);
        c.*field = T(d);
        return QString();
    };
}

template <typename T>
std::function<QString(TrainConfig &, const QString &)> whole(const char *name, T TrainConfig::*field,
                                                              qint64 lo, qint64 hi)
{
    return [=](TrainConfig &c, const QString &v) {
        bool ok = false;
        const qint64 n = v.toLongLong(&ok);
        if (!ok || n < lo || n > hi)
            return QStringLiteral("--%1 wants a whole number from %2 to %3")
                .arg(QLatin1String(name)).arg(lo).arg(hi);
        c.*field = T(n);
        return QString();
    };
}

template <typename E>
std::function<QString(TrainConfig &, const QString &)>
named(const char *name, E TrainConfig::*field, std::optional<E> (*fromName)(const QString &),
      const char *choices)
{
    return [=](TrainConfig &c, const QString &v) {
        const std::optional<E> e = fromName(v);
        if (!e)
            return QStringLiteral("unknown --%1 \"%2\" (one of: %3)")
                .arg(QLatin1String(name), v, QLatin1String(choices));
        c.*field = *e;
        return QString();
    };
}

const QVector<Knob> &knobs()
{
    static const QVector<Knob> all = {
        {"model", "NAME", "resnet18, resnet34, resnet50, mobilenet_v3_small, mobilenet_v3_large, "
                          "efficientnet_b0 or smallcnn (default resnet18).",
         [](TrainConfig &c, const QString &v) {
             if (!trainModelNames().contains(v))
                 return QStringLiteral("unknown model \"%1\" (one of: %2)")
                     .arg(v, trainModelNames().join(QStringLiteral(", ")));
             c.model = v;
             return QString();
         }},
        {"weights", "FILE", "Pretrained weights: torchvision .pth state_dict or TorchScript file.",
         [](TrainConfig &c, const QString &v) {
             c.weightsFile = QFileInfo(v).absoluteFilePath();
             return QString();
         }},
        {"freeze", "POLICY", "none, layer1, layer2, layer3 or head (default none).",
         named("freeze", &TrainConfig::freeze, &freezeFromName, "none, layer1, layer2, layer3, head")},
        {"image-size", "N", "Square input side in pixels (default 224; 64 for smallcnn).",
         whole("image-size", &TrainConfig::imageSize, 8, 4096)},
        {"batch", "N", "Batch size (default 32).", whole("batch", &TrainConfig::batchSize, 1, 65536)},
        {"lr", "X", "Learning rate of the head (peak for one-cycle; default 0.01).",
         real("lr", &TrainConfig::learningRate, 1e-9, 10)},
        {"backbone-lr-factor", "X", "Backbone learning rate = lr x this (default 0.1).",
         real("backbone-lr-factor", &TrainConfig::backboneLrFactor, 0, 100)},
        {"momentum", "X", "SGD momentum, AdamW beta1 (default 0.9).",
         real("momentum", &TrainConfig::momentum, 0, 0.999999)},
        {"epochs", "N", "Epochs (default 10).", whole("epochs", &TrainConfig::epochs, 1, 100000)},
        {"max-steps", "N", "Stop after N optimiser steps in all (default 0: no limit).",
         whole("max-steps", &TrainConfig::maxSteps, 0, qint64(1) << 40)},
        {"threads", "N", "LibTorch threads (default 0: all cores).",
         whole("threads", &TrainConfig::threads, 0, 1024)},
        {"workers", "N", "Decode/augment threads (default 0: automatic).",
         whole("workers", &TrainConfig::loaderWorkers, 0, 256)},
        {"loss", "KIND", "ce, focal or bce (multi-label) (default ce).",
         named("loss", &TrainConfig::loss, &lossFromName, "ce, focal, bce")},
        {"gamma", "X", "Focal loss gamma (default 2).", real("gamma", &TrainConfig::focalGamma, 0, 10)},
        {"class-weights", "KIND", "none, inverse or effective (default none).",
         named("class-weights", &TrainConfig::classWeighting, &weightingFromName,
               "none, inverse, effective")},
        {"beta", "X", "Beta of the effective-number class weights (default 0.999).",
         real("beta", &TrainConfig::effectiveNumberBeta, 0, 0.999999999)},
        {"sampler", "KIND", "shuffle or weighted (oversampling) (default shuffle).",
         named("sampler", &TrainConfig::sampler, &samplerFromName, "shuffle, weighted")},
        {"label-smoothing", "X", "0 to 0.5 (default 0).",
         real("label-smoothing", &TrainConfig::labelSmoothing, 0, 0.5)},
        {"mix", "KIND", "none, mixup or cutmix (default none).",
         named("mix", &TrainConfig::mix, &mixFromName, "none, mixup, cutmix")},
        {"mix-alpha", "X", "Beta(alpha, alpha) of MixUp/CutMix (default 0.2).",
         real("mix-alpha", &TrainConfig::mixAlpha, 1e-6, 100)},
        {"mix-probability", "X", "Share of batches mixed (default 0.5).",
         real("mix-probability", &TrainConfig::mixProbability, 0, 1)},
        {"optimizer", "KIND", "sgd or adamw (default sgd).",
         named("optimizer", &TrainConfig::optimizer, &optimizerFromName, "sgd, adamw")},
        {"schedule", "KIND", "constant, cosine or onecycle (default cosine).",
         named("schedule", &TrainConfig::schedule, &scheduleFromName, "constant, cosine, onecycle")},
        {"warmup", "EPOCHS", "Linear warm-up in epochs, fractions allowed (default 0).",
         real("warmup", &TrainConfig::warmupEpochs, 0, 1000)},
        {"weight-decay", "X", "Weight decay (default 1e-4).",
         real("weight-decay", &TrainConfig::weightDecay, 0, 10)},
        {"clip", "NORM", "Clip the gradients' global L2 norm (default 0: off).",
         real("clip", &TrainConfig::gradClipNorm, 0, 1e9)},
        {"patience", "N", "Early stopping after N epochs without improvement (default 0: off).",
         whole("patience", &TrainConfig::earlyStoppingPatience, 0, 100000)},
        {"monitor", "METRIC", "loss, accuracy or macro_f1 on validation (default macro_f1).",
         named("monitor", &TrainConfig::monitor, &metricFromName, "loss, accuracy, macro_f1")},
        {"seed", "N", "Seed of initialisation, order and augmentation (default 1).",
         [](TrainConfig &c, const QString &v) {
             bool ok = false;
             const quint64 s = v.toULongLong(&ok);
             if (!ok)
                 return QStringLiteral("--seed wants a whole number");
             c.seed = s;
             return QString();
         }},
        {"cache-mb", "MB", "Decoded-image cache in MiB (default 2048; 0: off).",
         [](TrainConfig &c, const QString &v) {
             bool ok = false;
             const qint64 mb = v.toLongLong(&ok);
             if (!ok || mb < 0 || mb > (qint64(1) << 24))
                 return QStringLiteral("--cache-mb wants a whole number of MiB");
             c.cacheBytes = mb << 20;
             return QString();
         }},
        {"val-fraction", "F", "Share of train held out for validation when the project has no "
                              "val split (default 0.15).",
         real("val-fraction", &TrainConfig::validationFraction, 0, 0.9)},
    };
    return all;
}

// Options that describe a new run; with --resume the run keeps its own.
bool isRunKnob(const QString &name)
{
    return name != QLatin1String("threads") && name != QLatin1String("workers");
}

QString clock(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("--:--");
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString bar(double fraction, int width = 24)
{
    const int full = int(std::clamp(fraction, 0.0, 1.0) * width + 0.5);
    return QLatin1Char('[') + QString(full, QLatin1Char('#')) + QString(width - full, QLatin1Char('-'))
        + QLatin1Char(']');
}

QJsonValue valObject(const EvalMetrics &m)
{
    if (m.numClasses == 0)
        return QJsonValue(QJsonValue::Null);
    return QJsonObject{{QStringLiteral("loss"), measured(m.loss)},
                       {QStringLiteral("accuracy"), m.accuracy},
                       {QStringLiteral("macro_f1"), m.macroF1}};
}

/// What the user sees while a run trains: JSON lines, or a bar and a line per epoch.
class Reporter {
public:
    explicit Reporter(bool json) : m_json(json) { m_clock.start(); }

    TrainObserver observer()
    {
        TrainObserver o;
        o.started = [this](qint64 id) { m_runId = id; if (!m_json) note(QStringLiteral("run %1 started").arg(id)); };
        o.progress = [this](const TrainProgress &p) { progress(p); };
        o.epochFinished = [this](const EpochSummary &s) { epoch(s); };
        o.log = [this](const QString &line) { note(line); };
        return o;
    }
    qint64 runId() const { return m_runId; }

private:
    void note(const QString &line)
    {
        endProgressLine();
        const QByteArray b = "salient-cli: " + line.toUtf8() + '\n';
        std::fwrite(b.constData(), 1, size_t(b.size()), stderr);
    }

    void progress(const TrainProgress &p)
    {
        if (p.runId > 0)
            m_runId = p.runId;
        if (m_json) {
            // At most one step line a second, whatever the engine's rate.
            if (p.phase == TrainProgress::Phase::Training && p.step > 0
                && (m_lastStepLine < 0 || m_clock.elapsed() - m_lastStepLine >= 1000)) {
                m_lastStepLine = m_clock.elapsed();
                jsonLine({{QStringLiteral("event"), QStringLiteral("step")},
                          {QStringLiteral("epoch"), p.epoch},
                          {QStringLiteral("step"), p.step},
                          {QStringLiteral("loss"), measured(p.loss)},
                          {QStringLiteral("images_per_s"), p.imagesPerSecond}});
            }
            return;
        }
        progressLine(barText(p));
    }

    QString barText(const TrainProgress &p)
    {
        const QString where = QStringLiteral("epoch %1/%2").arg(p.epoch).arg(p.epochs);
        switch (p.phase) {
        case TrainProgress::Phase::Preparing:
            return QStringLiteral("preparing %1").arg(p.message);
        case TrainProgress::Phase::Validating:
            return QStringLiteral("%1 validating %2").arg(where, p.message);
        case TrainProgress::Phase::Testing:
            return QStringLiteral("testing %1").arg(p.message);
        case TrainProgress::Phase::Saving:
            return QStringLiteral("%1 saving a checkpoint").arg(where);
        case TrainProgress::Phase::Paused:
            return QStringLiteral("%1 paused").arg(where);
        case TrainProgress::Phase::Done:
            return QStringLiteral("done");
        case TrainProgress::Phase::Training:
            break;
        }
        // ETA: the engine's, else from the pace of the steps seen by this process.
        if (m_firstStep < 0) {
            m_firstStep = p.step;
            m_firstStepAt = m_clock.elapsed();
        }
        double eta = p.etaSeconds;
        if (eta < 0 && p.totalSteps > 0 && p.step > m_firstStep) {
            const double perStep = (m_clock.elapsed() - m_firstStepAt) / 1000.0 / double(p.step - m_firstStep);
            eta = perStep * double(p.totalSteps - p.step);
        }
        const double fraction = p.totalSteps > 0 ? double(p.step) / double(p.totalSteps) : 0.0;
        return QStringLiteral("%1 %2 %3%  step %4/%5  loss %6  acc %7  %8 img/s  ETA %9  (%10 threads)")
            .arg(where, bar(fraction))
            .arg(int(100 * fraction))
            .arg(p.step)
            .arg(p.totalSteps)
            .arg(decimal(p.loss), percent(p.accuracy))
            .arg(p.imagesPerSecond, 0, 'f', 1)
            .arg(clock(eta))
            .arg(p.threads);
    }

    void epoch(const EpochSummary &s)
    {
        const EpochRecord &r = s.record;
        const bool hasVal = s.validation.numClasses > 0;
        if (m_json) {
            jsonLine({{QStringLiteral("event"), QStringLiteral("epoch")},
                      {QStringLiteral("epoch"), r.epoch},
                      {QStringLiteral("step"), r.step},
                      {QStringLiteral("loss"), measured(r.trainLoss)},
                      {QStringLiteral("train_accuracy"), measured(r.trainAccuracy)},
                      {QStringLiteral("val"), valObject(s.validation)},
                      {QStringLiteral("lr"), r.learningRate},
                      {QStringLiteral("images_per_s"), measured(r.imagesPerSecond)},
                      {QStringLiteral("best"), s.isBest}});
            return;
        }
        endProgressLine();
        QString line = QStringLiteral("epoch %1: loss %2  train acc %3").arg(r.epoch).arg(decimal(r.trainLoss), percent(r.trainAccuracy));
        if (hasVal)
            line += QStringLiteral("  val loss %1 acc %2 macro-F1 %3")
                        .arg(decimal(r.valLoss), percent(r.valAccuracy), decimal(r.valMacroF1));
        line += QStringLiteral("  lr %1  %2 img/s  %3 s%4\n")
                    .arg(r.learningRate, 0, 'g', 3)
                    .arg(r.imagesPerSecond, 0, 'f', 1)
                    .arg(r.seconds, 0, 'f', 1)
                    .arg(s.isBest ? QStringLiteral("  best") : QString());
        const QByteArray b = line.toUtf8();
        std::fwrite(b.constData(), 1, size_t(b.size()), stderr);
    }

    bool m_json;
    QElapsedTimer m_clock;
    qint64 m_lastStepLine = -1;
    qint64 m_firstStep = -1;
    qint64 m_firstStepAt = 0;
    qint64 m_runId = 0;
};

void printOutcome(const TrainOutcome &o, bool json, const QString &project)
{
    const bool finished = o.state == RunState::Finished;
    if (json) {
        QJsonValue test(QJsonValue::Null);
        if (o.test.numClasses > 0)
            test = QJsonObject{{QStringLiteral("accuracy"), o.test.accuracy},
                               {QStringLiteral("macro_f1"), o.test.macroF1},
                               {QStringLiteral("macro_auc"), measured(o.test.macroAuc)},
                               {QStringLiteral("ece"), o.test.ece}};
        QJsonValue val(QJsonValue::Null);
        if (o.bestValidation.numClasses > 0)
            val = QJsonObject{{QStringLiteral("accuracy"), o.bestValidation.accuracy},
                              {QStringLiteral("macro_f1"), o.bestValidation.macroF1},
                              {QStringLiteral("loss"), measured(o.bestValidation.loss)}};
        jsonLine({{QStringLiteral("event"), QStringLiteral("done")},
                  {QStringLiteral("run"), o.runId},
                  {QStringLiteral("state"), runStateName(o.state)},
                  {QStringLiteral("epochs"), o.epochsDone},
                  {QStringLiteral("steps"), o.steps},
                  {QStringLiteral("val"), val},
                  {QStringLiteral("test"), test},
                  {QStringLiteral("weights_sha256"), o.weightsDigest}});
        return;
    }
    QString text = QStringLiteral("Run %1 %2: %3 epoch(s), %4 step(s)%5\n")
                       .arg(o.runId)
                       .arg(runStateName(o.state))
                       .arg(o.epochsDone)
                       .arg(o.steps)
                       .arg(o.message.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(o.message));
    if (o.bestValidation.numClasses > 0)
        text += QStringLiteral("Best validation: accuracy %1, macro-F1 %2, loss %3\n")
                    .arg(percent(o.bestValidation.accuracy), decimal(o.bestValidation.macroF1),
                         decimal(o.bestValidation.loss));
    if (o.test.numClasses > 0)
        text += QStringLiteral("Test (%1 images): accuracy %2, macro-F1 %3, macro AUC %4, ECE %5\n")
                    .arg(o.test.samples)
                    .arg(percent(o.test.accuracy), decimal(o.test.macroF1), decimal(o.test.macroAuc),
                         decimal(o.test.ece));
    if (!o.weightsDigest.isEmpty())
        text += QStringLiteral("Weights SHA-256: %1\n").arg(o.weightsDigest);
    if (finished && o.runId > 0)
        text += QStringLiteral("Per class: salient-cli eval %1 --run %2\n").arg(project).arg(o.runId);
    out(text);
}

} // namespace

int runTrain(const QStringList &args)
{
    const QString cmd = QStringLiteral("train");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("config"), QStringLiteral("TrainConfig JSON file; the options below override it."), QStringLiteral("FILE")});
    for (const Knob &k : knobs())
        parser.addOption({QString::fromLatin1(k.name), QString::fromUtf8(k.help), QString::fromLatin1(k.valueName)});
    parser.addOption({QStringLiteral("augment"), QStringLiteral("Augmentation recipe JSON file (default: the project's recipe)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("multi-label"), QStringLiteral("Multi-label: sigmoid outputs, per-class thresholds.")});
    parser.addOption({QStringLiteral("trust-torchscript"), QStringLiteral("Load a TorchScript --weights file, which carries code that LibTorch runs (only from a source you trust).")});
    parser.addOption({QStringLiteral("name"), QStringLiteral("Name of the run (default: model and time)."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("no-test"), QStringLiteral("Do not evaluate on the test split at the end.")});
    parser.addOption({QStringLiteral("resume"), QStringLiteral("Continue run RUN (id or name) from its last checkpoint."), QStringLiteral("RUN")});
    parser.addOption({QStringLiteral("world-size"), QStringLiteral("Processes in a data-parallel run (default 1)."), QStringLiteral("N"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("rank"), QStringLiteral("This process's rank, 0 to N-1 (rank 0 writes the run)."), QStringLiteral("R"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("master"), QStringLiteral("HOST:PORT of rank 0 (with --world-size > 1)."), QStringLiteral("HOST:PORT")});
    addJsonOption(parser, QStringLiteral("JSON lines on stdout: step, epoch and done events."));
    int code = 0;
    if (!parseArguments(parser, cmd, args, {QStringLiteral("PROJECT")}, &code))
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));

    TrainRequest request;
    TrainConfig &config = request.config;
    if (parser.isSet(QStringLiteral("config"))) {
        const QString file = parser.value(QStringLiteral("config"));
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return fail(makeError(Error::Code::Io, f.errorString(), file));
        auto parsed = TrainConfig::fromJson(f.readAll(), file);
        if (!parsed)
            return fail(parsed.error().path.isEmpty() ? makeError(parsed.error().code, parsed.error().message, file)
                                                      : parsed.error());
        config = parsed.value();
    }
    const bool resuming = parser.isSet(QStringLiteral("resume"));
    for (const Knob &k : knobs()) {
        const QString name = QString::fromLatin1(k.name);
        if (!parser.isSet(name))
            continue;
        if (resuming && isRunKnob(name))
            return usageError(cmd, QStringLiteral("--resume continues a run with its own settings; drop --%1").arg(name));
        const QString problem = k.apply(config, parser.value(name));
        if (!problem.isEmpty())
            return usageError(cmd, problem);
    }
    for (const char *flag : {"multi-label", "augment", "config", "name", "trust-torchscript"})
        if (resuming && parser.isSet(QLatin1String(flag)))
            return usageError(cmd, QStringLiteral("--resume continues a run with its own settings; drop --%1").arg(QLatin1String(flag)));
    if (parser.isSet(QStringLiteral("multi-label"))) {
        config.multiLabel = true;
        if (!parser.isSet(QStringLiteral("loss")) && config.loss == LossKind::CrossEntropy)
            config.loss = LossKind::BinaryCrossEntropy; // the only sensible default there
    }
    if (parser.isSet(QStringLiteral("augment"))) {
        const QString file = parser.value(QStringLiteral("augment"));
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return fail(makeError(Error::Code::Io, f.errorString(), file));
        auto recipe = AugmentRecipe::fromJson(f.readAll(), file);
        if (!recipe)
            return fail(recipe.error());
        config.augmentRecipe = recipe->toJson();
    }
    if (!config.weightsFile.isEmpty() && !QFileInfo(config.weightsFile).isFile())
        return fail(makeError(Error::Code::NotFound, QStringLiteral("no such weights file"), config.weightsFile));
    if (parser.isSet(QStringLiteral("trust-torchscript")))
        config.trustTorchScript = true;
    if (!resuming) {
        const Status valid = config.validate();
        if (!valid.ok())
            return usageError(cmd, valid.error().message);
    }

    DistributedOptions &dist = request.distributed;
    bool okWorld = false, okRank = false;
    dist.worldSize = parser.value(QStringLiteral("world-size")).toInt(&okWorld);
    dist.rank = parser.value(QStringLiteral("rank")).toInt(&okRank);
    if (!okWorld || dist.worldSize < 1)
        return usageError(cmd, QStringLiteral("--world-size wants a whole number of at least 1"));
    if (!okRank || dist.rank < 0 || dist.rank >= dist.worldSize)
        return usageError(cmd, QStringLiteral("--rank wants a whole number from 0 to %1").arg(dist.worldSize - 1));
    dist.master = parser.value(QStringLiteral("master"));
    if (dist.worldSize > 1) {
        const int colon = dist.master.lastIndexOf(QLatin1Char(':'));
        bool okPort = false;
        const int port = colon > 0 ? dist.master.mid(colon + 1).toInt(&okPort) : 0;
        if (!okPort || port < 1 || port > 65535)
            return usageError(cmd, QStringLiteral("--world-size %1 needs --master HOST:PORT").arg(dist.worldSize));
    }

    // The project must exist; a resumed run must be in it.
    const QString project = parser.positionalArguments().at(0);
    {
        auto store = openProject(project, ProjectStore::OpenMode::ReadOnly);
        if (!store)
            return fail(store.error());
        request.projectFile = (*store)->filePath();
        if (resuming) {
            auto run = findRun(**store, parser.value(QStringLiteral("resume")));
            if (!run)
                return fail(run.error());
            request.resumeRunId = run->id;
        }
    }
    request.runName = parser.value(QStringLiteral("name"));
    request.evaluateTest = !parser.isSet(QStringLiteral("no-test"));

    Reporter reporter(json);
    g_control.store(int(Control::Run));
    std::signal(SIGINT, onTrainInterrupt);
    auto outcome = runTraining(request, reporter.observer(), &g_control);
    std::signal(SIGINT, SIG_DFL);
    endProgressLine();
    if (!outcome)
        return fail(outcome.error().path.isEmpty()
                        ? makeError(outcome.error().code, outcome.error().message, request.projectFile)
                        : outcome.error());
    printOutcome(*outcome, json, project);
    if (outcome->state == RunState::Cancelled) {
        std::fflush(stdout);
        const qint64 id = outcome->runId > 0 ? outcome->runId : reporter.runId();
        return fail(makeError(Error::Code::Cancelled,
                              QStringLiteral("run %1 cancelled after %2 step(s), checkpoint saved; "
                                             "resume with: salient-cli train %3 --resume %1")
                                  .arg(id)
                                  .arg(outcome->steps)
                                  .arg(project),
                              request.projectFile));
    }
    if (outcome->state == RunState::Failed)
        return fail(makeError(Error::Code::Invalid, QStringLiteral("run %1 failed: %2").arg(outcome->runId).arg(outcome->message),
                              request.projectFile));
    return 0;
}

} // namespace salient::cli
