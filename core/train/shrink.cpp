// SPDX-License-Identifier: GPL-3.0-or-later
// Pruning and distillation as new runs, and the figures that compare them.
// The training itself is the ordinary engine (trainer*.cpp) driven by the
// TrainConfig shrink fields: init_from_run + prune_sparsity hold a magnitude
// mask through fine-tuning, teacher_run mixes in the soft-label loss.
#include "core/train/shrink.h"

#include "core/project/store.h"
#include "core/runs/metrics.h"
#include "core/train/engineinfo.h"
#include "core/train/layout.h"
#include "core/train/modelfile.h"
#include "core/train/optim.h"
#include "core/train/runmodel.h"
#include "core/train/trainer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>

namespace salient::train {

namespace {

using Progress = std::function<void(const QString &, int, int)>;

QString firstLine(const std::exception &e)
{
    return QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
}

/// The LibTorch export (modelfile.h) of a run's model, written to a
/// temporary file and read back: its size is what a user would ship.
Result<QByteArray> libTorchBytes(const RunModel &loaded)
{
    QTemporaryDir dir;
    if (!dir.isValid())
        return makeError(Error::Code::Io, dir.errorString(), dir.path());
    ModelMeta meta;
    meta.classNames = loaded.run.classNames;
    meta.multiLabel = loaded.config.multiLabel;
    meta.inputSize = loaded.config.effectiveImageSize();
    meta.runId = loaded.run.id;
    meta.runName = loaded.run.name;
    const QString file = dir.filePath(QStringLiteral("model.pt"));
    SALIENT_TRY(saveLibTorchModel(*loaded.model, meta, file));
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, in.errorString(), file);
    return in.readAll();
}

/// Median of single-image forwards at the run's input size (eval, no grad,
/// the engine's layout), after a warm-up; at most ~2 s of measuring.
double medianLatencyMs(ClassifierNet &model, int side)
{
    torch::NoGradGuard noGrad;
    applyPreferredLayout(model);
    const torch::Tensor x = inputLayout(torch::randn({1, 3, side, side}), model);
    for (int i = 0; i < 3; ++i)
        model.forward(x);
    std::vector<double> ms;
    QElapsedTimer total;
    total.start();
    while (ms.size() < 30 && (ms.size() < 5 || total.elapsed() < 2000)) {
        QElapsedTimer t;
        t.start();
        model.forward(x);
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
    return ms[ms.size() / 2];
}

/// Test metrics as recorded; evaluated (and recorded) when the run has test
/// images but no figures yet; the best validation metrics when it has none.
Status accuracyOf(const QString &projectFile, const RunRecord &run, int threads, ModelFigures &f)
{
    EvalMetrics m;
    if (!run.testMetrics.isEmpty()) {
        m = EvalMetrics::fromJson(run.testMetrics);
    } else {
        auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadOnly);
        if (!store.ok())
            return store.error();
        auto images = RunStore(**store).runImages(run.id);
        if (!images.ok())
            return images.error();
        if (!images->value(RunRole::Test).isEmpty()) {
            store.value().reset(); // evaluateRun writes through its own connection
            auto evaluated = evaluateRun(projectFile, run.id, QStringLiteral("test"), {}, nullptr,
                                         threads);
            if (!evaluated.ok())
                return evaluated.error();
            m = evaluated.value();
        } else if (!run.bestMetrics.isEmpty()) {
            m = EvalMetrics::fromJson(run.bestMetrics);
        } else {
            return {};
        }
    }
    f.testAccuracy = m.accuracy;
    f.testMacroF1 = m.macroF1;
    return {};
}

Result<TrainConfig> configOf(const QString &projectFile, qint64 runId, RunRecord *record)
{
    auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadOnly);
    if (!store.ok())
        return store.error();
    auto run = RunStore(**store).run(runId);
    if (!run.ok()) {
        Error e = run.error();
        e.path = projectFile;
        if (e.code == Error::Code::NotFound)
            e.message = QStringLiteral("no run %1 in the project").arg(runId);
        return e;
    }
    *record = run.value();
    return TrainConfig::fromJson(run->config, QStringLiteral("run %1").arg(runId));
}

/// Runs the training, turning `cancel` into the engine's control flag and its
/// progress into progress(message, step, steps).
Result<TrainOutcome> trainQuietly(const TrainRequest &request, const QString &what,
                                  const Progress &progress, const std::atomic<bool> *cancel)
{
    std::atomic<int> control{int(Control::Run)};
    const auto check = [&] {
        if (cancel && cancel->load())
            control.store(int(Control::Cancel));
    };
    TrainObserver observer;
    observer.progress = [&](const TrainProgress &p) {
        check();
        if (progress)
            progress(what, int(p.step), int(p.totalSteps));
    };
    observer.epochFinished = [&](const EpochSummary &) { check(); };
    check();
    auto outcome = runTraining(request, observer, &control);
    if (!outcome.ok())
        return outcome.error();
    if (outcome->state == RunState::Cancelled)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("%1 was cancelled (run %2 keeps what it did)")
                             .arg(what)
                             .arg(outcome->runId),
                         request.projectFile);
    return outcome;
}

QString percentText(double fraction)
{
    return QString::number(100.0 * fraction, 'g', 3) + QLatin1Char('%');
}

} // namespace

Result<ModelFigures> measureRun(const QString &projectFile, qint64 runId, int threads)
{
    try {
        setEngineThreads(threads);
        ModelFigures f;
        f.runId = runId;
        RunRecord record;
        {
            auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadOnly);
            if (!store.ok())
                return store.error();
            auto loaded = loadRunModel(**store, runId);
            if (!loaded.ok())
                return loaded.error();
            record = loaded->run;
            ClassifierNet &model = *loaded->model;
            f.architecture = QString::fromStdString(model.architecture());
            torch::NoGradGuard noGrad;
            for (const torch::Tensor &p : model.parameters()) {
                f.parameters += p.numel();
                f.nonZero += (p != 0).sum().item<int64_t>();
            }
            auto file = libTorchBytes(loaded.value());
            if (!file.ok())
                return file.error();
            f.fileBytes = file->size();
            f.compressedBytes = qCompress(file.value(), 9).size() - 4; // less qCompress's length prefix
            f.latencyMs = medianLatencyMs(model, loaded->config.effectiveImageSize());
        }
        SALIENT_TRY(accuracyOf(projectFile, record, threads, f));
        return f;
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("measuring run %1 failed: %2").arg(runId).arg(firstLine(e)),
                         projectFile);
    }
}

Result<PruneResult> pruneRun(const QString &projectFile, qint64 runId, const PruneOptions &options,
                             const Progress &progress, const std::atomic<bool> *cancel)
{
    if (!(options.sparsity > 0 && options.sparsity < 1))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("sparsity must be above 0 and below 1, not %1")
                             .arg(options.sparsity),
                         projectFile);
    if (options.epochs < 1)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("pruning needs at least one fine-tuning epoch"), projectFile);
    RunRecord parentRun;
    auto parentConfig = configOf(projectFile, runId, &parentRun);
    if (!parentConfig.ok())
        return parentConfig.error();
    const auto say = [&](const QString &m) {
        if (progress)
            progress(m, 0, 0);
    };
    PruneResult result;
    say(QStringLiteral("measuring run %1").arg(runId));
    auto parent = measureRun(projectFile, runId, options.threads);
    if (!parent.ok())
        return parent.error();
    result.parent = parent.value();

    // The parent's recipe, fine-tuned briefly at a lower rate from its best weights.
    TrainConfig c = parentConfig.value();
    c.initFromRun = runId;
    c.pruneSparsity = options.sparsity;
    c.weightsFile.clear();
    c.teacherRun = 0;
    c.epochs = options.epochs;
    c.learningRate = options.learningRate > 0 ? options.learningRate : c.learningRate / 10;
    c.warmupEpochs = 0;
    c.maxSteps = 0;
    c.earlyStoppingPatience = 0;
    if (options.threads > 0)
        c.threads = options.threads;
    TrainRequest request;
    request.projectFile = projectFile;
    request.config = c;
    request.runName =
        QStringLiteral("%1 pruned %2").arg(parentRun.name, percentText(options.sparsity));
    const QString what = QStringLiteral("fine-tuning at %1 sparsity").arg(percentText(options.sparsity));
    auto outcome = trainQuietly(request, what, progress, cancel);
    if (!outcome.ok())
        return outcome.error();
    result.runId = outcome->runId;

    say(QStringLiteral("measuring run %1").arg(result.runId));
    auto pruned = measureRun(projectFile, result.runId, options.threads);
    if (!pruned.ok())
        return pruned.error();
    result.pruned = pruned.value();
    try {
        auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadOnly);
        if (!store.ok())
            return store.error();
        auto model = loadRunModel(**store, result.runId);
        if (!model.ok())
            return model.error();
        result.sparsity = prunedFraction(*model->model);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid, firstLine(e), projectFile);
    }
    return result;
}

Result<DistillResult> distillRun(const QString &projectFile, qint64 teacherRunId,
                                 const DistillOptions &options, const Progress &progress,
                                 const std::atomic<bool> *cancel)
{
    RunRecord teacherRun;
    auto teacherConfig = configOf(projectFile, teacherRunId, &teacherRun);
    if (!teacherConfig.ok())
        return teacherConfig.error();
    if (teacherConfig->multiLabel)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("run %1 is multi-label; distillation is for single-label runs")
                             .arg(teacherRunId),
                         projectFile);
    TrainConfig c = options.student;
    c.teacherRun = teacherRunId;
    c.distillTemperature = options.temperature;
    c.distillAlpha = options.alpha;
    c.initFromRun = 0;
    c.pruneSparsity = 0;
    c.multiLabel = false;
    if (c.loss == LossKind::BinaryCrossEntropy)
        c.loss = LossKind::CrossEntropy;
    // The teacher must see the pixels it was trained on: same normalisation recipe.
    if (c.augmentRecipe.isEmpty())
        c.augmentRecipe = teacherConfig->augmentRecipe;
    if (options.threads > 0)
        c.threads = options.threads;
    SALIENT_TRY(c.validate());

    const auto say = [&](const QString &m) {
        if (progress)
            progress(m, 0, 0);
    };
    DistillResult result;
    say(QStringLiteral("measuring the teacher, run %1").arg(teacherRunId));
    auto teacher = measureRun(projectFile, teacherRunId, options.threads);
    if (!teacher.ok())
        return teacher.error();
    result.teacher = teacher.value();

    TrainRequest request;
    request.projectFile = projectFile;
    request.config = c;
    request.runName = QStringLiteral("%1 distilled from %2").arg(c.model, teacherRun.name);
    auto outcome = trainQuietly(request, QStringLiteral("distilling into %1").arg(c.model),
                                progress, cancel);
    if (!outcome.ok())
        return outcome.error();
    result.runId = outcome->runId;
    say(QStringLiteral("measuring the student, run %1").arg(result.runId));
    auto student = measureRun(projectFile, result.runId, options.threads);
    if (!student.ok())
        return student.error();
    result.student = student.value();
    return result;
}

} // namespace salient::train
