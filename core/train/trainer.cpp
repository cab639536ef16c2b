// SPDX-License-Identifier: GPL-3.0-or-later
// The training loop: one run from its snapshot to its best checkpoint, with
// pause, cancel, resume at the exact batch and data parallelism hooks.
#include "core/train/trainer.h"

#include "core/project/store.h"
#include "core/train/checkpoint.h"
#include "core/train/distributed.h"
#include "core/train/engineinfo.h"
#include "core/train/evaluate.h"
#include "core/train/freeze.h"
#include "core/train/optim.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QSet>
#include <QThread>

#include <cmath>
#include <deque>
#include <optional>

namespace salient::train {

namespace {

QString torchMessage(const std::exception &e)
{
    // LibTorch appends a C++ backtrace after the first line: keep the message.
    return QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
}

/// Higher is better for accuracy and macro-F1, lower for loss.
bool improves(Metric monitor, double value, double best, bool haveBest)
{
    if (!haveBest)
        return true;
    return monitor == Metric::Loss ? value < best : value > best;
}

double monitored(Metric monitor, const EvalMetrics &m)
{
    switch (monitor) {
    case Metric::Loss:
        return m.loss;
    case Metric::Accuracy:
        return m.accuracy;
    case Metric::MacroF1:
        return m.macroF1;
    }
    return m.macroF1;
}

/// Throughput over the last few seconds and the throttle for progress reports.
class ProgressClock {
public:
    ProgressClock() { m_timer.start(); }
    void add(qint64 images)
    {
        m_total += images;
        const qint64 now = m_timer.elapsed();
        m_window.emplace_back(now, m_total);
        while (m_window.size() > 2 && now - m_window.front().first > 3000)
            m_window.pop_front();
    }
    double imagesPerSecond() const
    {
        if (m_window.size() < 2)
            return 0;
        const double ms = double(m_window.back().first - m_window.front().first);
        return ms > 0 ? 1000.0 * double(m_window.back().second - m_window.front().second) / ms : 0;
    }
    /// True at most ten times a second.
    bool due()
    {
        const qint64 now = m_timer.elapsed();
        if (m_last >= 0 && now - m_last < 100)
            return false;
        m_last = now;
        return true;
    }

private:
    QElapsedTimer m_timer;
    std::deque<std::pair<qint64, qint64>> m_window;
    qint64 m_total = 0;
    qint64 m_last = -1;
};

/// Everything one run needs while it trains.
struct Session {
    Session(const TrainRequest &r, const TrainObserver &o, const std::atomic<int> *c)
        : request(r), observer(o), control(c)
    {
    }
    const TrainRequest &request;
    const TrainObserver &observer;
    const std::atomic<int> *control;
    TrainConfig config;
    std::unique_ptr<Communicator> comm;
    std::unique_ptr<ProjectStore> store;
    std::unique_ptr<RunStore> runs;
    qint64 runId = 0;
    bool writer = true; ///< rank 0
    RunData data;
    std::shared_ptr<ClassifierNet> model;
    FreezeState freeze;
    OptimizerSetup optim;
    LossSpec loss;
    TrainState state;
    QByteArray bestBlob;
    EvalMetrics bestMetrics;
    TrainProgress progress;
    ProgressClock clock;

    int numClasses() const { return data.classIds.size(); }
    void log(const QString &line) const
    {
        if (observer.log)
            observer.log(line);
    }
    void report(TrainProgress::Phase phase, bool force = false)
    {
        progress.phase = phase;
        if (!observer.progress || (!force && !clock.due()))
            return;
        progress.imagesPerSecond = clock.imagesPerSecond();
        const double stepsPerSecond = progress.imagesPerSecond / std::max(1, config.batchSize);
        progress.etaSeconds =
            stepsPerSecond > 0 ? double(progress.totalSteps - progress.step) / stepsPerSecond : -1;
        observer.progress(progress);
    }
    Control controlState() const { return control ? Control(control->load()) : Control::Run; }
};

// The default CPU generator drives dropout; its state travels with checkpoints.
torch::Tensor rngState()
{
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
}

void setRngState(const torch::Tensor &state)
{
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
}

/// Opens the project, the snapshot and the run record (new or resumed).
Status prepare(Session &s)
{
    const TrainRequest &req = s.request;
    s.writer = req.distributed.rank == 0;
    auto store = ProjectStore::open(req.projectFile, s.writer ? ProjectStore::OpenMode::ReadWrite
                                                              : ProjectStore::OpenMode::ReadOnly);
    if (!store.ok())
        return store.error();
    s.store = std::move(store.value());
    s.runs = std::make_unique<RunStore>(*s.store);

    if (req.resumeRunId > 0) {
        auto run = s.runs->run(req.resumeRunId);
        if (!run.ok())
            return run.error();
        if (run->state == RunState::Finished)
            return makeError(
                Error::Code::Invalid,
                QStringLiteral("run %1 has finished; there is nothing to resume").arg(run->id),
                               req.projectFile);
        auto config = TrainConfig::fromJson(run->config, QStringLiteral("run %1").arg(run->id));
        if (!config.ok())
            return config.error();
        s.config = config.value();
        s.runId = run->id;
        auto data = loadRunData(*s.store, *s.runs, run.value(), s.config);
        if (!data.ok())
            return data.error();
        s.data = data.value();
        return {};
    }
    s.config = req.config;
    const Status valid = s.config.validate();
    if (!valid.ok())
        return valid;
    auto data = buildRunData(*s.store, s.config);
    if (!data.ok())
        return data.error();
    s.data = data.value();
    if (!s.writer)
        return {};
    const QString name = req.runName.isEmpty() ? QStringLiteral("%1 %2").arg(
        s.config.model, QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd hh:mm")))
        : req.runName;
    auto id = s.runs->createRun(name, s.config.toJson(), s.data.classIds, s.data.classNames,
                                s.data.roles());
    if (!id.ok())
        return id.error();
    s.runId = id.value();
    return {};
}

/// Model, freeze, optimiser, loss, and the checkpoint to resume from.
Status buildEngine(Session &s)
{
    std::optional<Checkpoint> last;
    if (s.request.resumeRunId > 0) {
        auto ckpt = s.runs->checkpoint(s.runId, QStringLiteral("last"));
        if (ckpt.ok())
            last = ckpt.value();
        else if (ckpt.error().code != Error::Code::NotFound)
            return ckpt.error();
    }
    // A checkpoint replaces every weight: the original weights file is not needed again.
    TrainConfig modelConfig = s.config;
    if (last)
        modelConfig.weightsFile.clear();
    QStringList notes;
    auto model = buildModel(modelConfig, s.numClasses(), &notes);
    if (!model.ok())
        return model.error();
    s.model = model.value();
    for (const QString &n : notes)
        s.log(n);
    s.freeze = applyFreeze(*s.model, s.config.freeze);
    s.optim = makeOptimizer(*s.model, s.config);

    s.loss.kind = s.config.loss;
    s.loss.multiLabel = s.config.multiLabel;
    s.loss.focalGamma = s.config.focalGamma;
    s.loss.labelSmoothing = s.config.multiLabel ? 0.0 : s.config.labelSmoothing;
    s.loss.classWeights = makeClassWeights(s.config.classWeighting, s.data.trainCounts(),
                                           s.config.effectiveNumberBeta);

    s.state = TrainState();
    torch::manual_seed(s.config.seed + 1); // the training stream, apart from initialisation
    if (s.request.resumeRunId > 0) {
        if (last) {
            SALIENT_TRY(loadCheckpoint(last->data, *s.model, s.optim.optimizer.get(), &s.state,
                                       QStringLiteral("run %1").arg(s.runId)));
            if (s.state.rngState.defined())
                setRngState(s.state.rngState);
            s.log(QStringLiteral("resuming run %1 at epoch %2, batch %3")
                                     .arg(s.runId)
                                     .arg(s.state.epochComplete ? s.state.epoch + 1 : s.state.epoch)
                                     .arg(s.state.epochComplete ? 0 : s.state.batchInEpoch));
        }
        auto best = s.runs->checkpoint(s.runId, QStringLiteral("best"));
        if (best.ok())
            s.bestBlob = best->data;
        auto run = s.runs->run(s.runId);
        if (run.ok() && !run->bestMetrics.isEmpty())
            s.bestMetrics = EvalMetrics::fromJson(run->bestMetrics);
    }
    // Every rank starts from rank 0's weights (identical already when seeded; cheap insurance).
    std::vector<torch::Tensor> tensors;
    for (const auto &p : s.model->named_parameters(true))
        tensors.push_back(p.value());
    for (const auto &b : s.model->named_buffers(true))
        tensors.push_back(b.value());
    return s.comm->broadcast(tensors);
}

LoaderOptions trainLoaderOptions(const Session &s, const AugmentRecipe &recipe)
{
    LoaderOptions o = evalLoaderOptions(s.config, s.numClasses());
    o.augment = true;
    o.dropLast = true;
    o.recipe = recipe;
    o.sampler = s.config.sampler;
    o.mix = s.config.mix;
    o.mixAlpha = s.config.mixAlpha;
    o.mixProbability = s.config.mixProbability;
    o.rank = s.request.distributed.rank;
    o.worldSize = std::max(1, s.request.distributed.worldSize);
    return o;
}

Result<QByteArray> snapshot(Session &s)
{
    s.state.rngState = rngState();
    return saveCheckpoint(*s.model, s.optim.optimizer.get(), s.state);
}

/// Ends the run at the current batch: checkpoint, state Cancelled.
Status cancelRun(Session &s, TrainOutcome &outcome)
{
    s.report(TrainProgress::Phase::Saving, true);
    if (s.writer) {
        auto blob = snapshot(s);
        if (!blob.ok())
            return blob.error();
        Checkpoint last{s.state.epoch, s.state.step, s.state.batchInEpoch, blob.value()};
        SALIENT_TRY(s.runs->saveLastCheckpoint(s.runId, last));
        SALIENT_TRY(s.runs->setState(
            s.runId, RunState::Cancelled,
            QStringLiteral("cancelled at epoch %1, batch %2") .arg(s.state.epoch).arg(s.state.batchInEpoch)));
    }
    outcome.state = RunState::Cancelled;
    outcome.message = QStringLiteral("cancelled at epoch %1, batch %2").arg(s.state.epoch).arg(s.state.batchInEpoch);
    return {};
}

/// Blocks while paused. Returns false when the run is to be cancelled.
bool waitWhilePaused(Session &s)
{
    if (s.controlState() == Control::Pause) {
        if (s.writer)
            (void)s.runs->setState(s.runId, RunState::Paused);
        s.report(TrainProgress::Phase::Paused, true);
        while (s.controlState() == Control::Pause)
            QThread::msleep(20);
        if (s.writer && s.controlState() == Control::Run)
            (void)s.runs->setState(s.runId, RunState::Running);
    }
    return s.controlState() != Control::Cancel;
}

/// BatchNorm statistics see only this rank's shard: after every step take rank
/// 0's (as DistributedDataParallel's broadcast_buffers does), so every rank
/// validates, checkpoints and stops (maxSteps, cancel) with the same weights.
Status syncBuffers(Session &s)
{
    if (s.comm->worldSize() <= 1)
        return {};
    std::vector<torch::Tensor> buffers;
    for (const auto &b : s.model->named_buffers(true))
        buffers.push_back(b.value());
    return s.comm->broadcast(buffers);
}

/// One training batch: forward, loss, backward, gradient averaging, clipping, step.
Status trainBatch(Session &s, Batch &b)
{
    const int64_t classes = s.numClasses();
    torch::Tensor x = torch::from_blob(b.pixels.data(), {b.size, 3, b.height, b.width});
    torch::Tensor t = torch::from_blob(b.targets.data(), {b.size, classes});
    const double factor = scheduleFactor(
        s.config.schedule, s.state.step, s.progress.totalSteps,
        qint64(std::llround(s.config.warmupEpochs * double(s.progress.batchesPerEpoch))));
    setLearningRates(*s.optim.optimizer, s.optim.baseRates, factor);
    s.progress.learningRate = s.config.learningRate * factor;

    s.optim.optimizer->zero_grad();
    torch::Tensor logits = s.model->forward(x);
    torch::Tensor loss = computeLoss(s.loss, logits, t);
    loss.backward();
    SALIENT_TRY(s.comm->averageGradients(s.optim.trainable));
    if (s.config.gradClipNorm > 0)
        torch::nn::utils::clip_grad_norm_(s.optim.trainable, s.config.gradClipNorm);
    s.optim.optimizer->step();
    SALIENT_TRY(syncBuffers(s));
    ++s.state.step;

    const double value = loss.item<double>();
    if (!std::isfinite(value))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("the loss became %1 at step %2; lower the learning rate")
                                            .arg(value)
                                            .arg(s.state.step));
    s.state.lossSum += value * b.size;
    s.state.seen += b.size;
    if (!b.mixed) {
        torch::NoGradGuard noGrad;
        if (s.config.multiLabel) {
            torch::Tensor exact = ((logits > 0) == (t > 0.5)).all(1);
            s.state.correct += exact.sum().item<double>();
        } else {
            torch::Tensor truth =
                torch::from_blob(b.labels.data(), {b.size}, torch::kInt32).to(torch::kLong);
            s.state.correct += (logits.argmax(1) == truth).sum().item<double>();
        }
        s.state.accuracySeen += b.size;
    }
    return {};
}

void finishOutcome(Session &s, TrainOutcome &outcome)
{
    outcome.runId = s.runId;
    outcome.steps = s.state.step;
    outcome.classNames = s.data.classNames;
    outcome.weightsDigest = weightsDigest(*s.model);
    if (outcome.bestValidation.numClasses == 0)
        outcome.bestValidation = s.bestMetrics;
}

/// Predictions of the best checkpoint on validation (and test): recorded in the run.
Status evaluateBest(Session &s, DataLoader *valLoader, TrainOutcome &outcome)
{
    const bool doTest = s.request.evaluateTest && !s.data.test.isEmpty();
    if (s.bestBlob.isEmpty() || (!valLoader && !doTest))
        return {};
    s.report(TrainProgress::Phase::Testing, true);
    auto best = makeModel(s.config.model.toStdString(), s.numClasses());
    TrainState bestState;
    SALIENT_TRY(loadCheckpoint(s.bestBlob, *best, nullptr, &bestState,
                               QStringLiteral("run %1").arg(s.runId)));
    const int c = s.numClasses();
    const bool multi = s.config.multiLabel;
    QVector<Prediction> rows;
    if (valLoader) {
        const PredictionSet set = predict(*best, *valLoader, s.loss);
        outcome.bestValidation = metricsOf(set, c, multi, bestState.thresholds);
        rows << predictionRows(set, c, multi, RunRole::Validation, bestState.thresholds);
    }
    if (doTest) {
        DataLoader testLoader(s.data.test, evalLoaderOptions(s.config, c));
        const PredictionSet set = predict(*best, testLoader, s.loss);
        outcome.test = metricsOf(set, c, multi, bestState.thresholds);
        rows << predictionRows(set, c, multi, RunRole::Test, bestState.thresholds);
        if (s.writer)
            SALIENT_TRY(s.runs->setTestMetrics(s.runId, outcome.test.toJson(s.data.classNames)));
    }
    if (s.writer)
        SALIENT_TRY(s.runs->savePredictions(s.runId, rows));
    return {};
}

/// Validation, best-so-far, checkpoint and the epoch's record. Returns false
/// in `*cancelled` terms through the outcome when cancelled during validation.
Result<bool> finishEpoch(Session &s, DataLoader *valLoader, double seconds, TrainOutcome &outcome)
{
    std::vector<double> sums{s.state.lossSum, s.state.seen, s.state.correct, s.state.accuracySeen};
    SALIENT_TRY(s.comm->allReduceSum(sums));
    EpochRecord rec;
    rec.epoch = s.state.epoch;
    rec.step = s.state.step;
    rec.trainLoss = sums[1] > 0 ? sums[0] / sums[1] : -1;
    rec.trainAccuracy = sums[3] > 0 ? sums[2] / sums[3] : -1;
    if (s.progress.learningRate <= 0 && s.state.step > 0) // resumed at an epoch's end: no batch ran
        s.progress.learningRate =
            s.config.learningRate
            * scheduleFactor(s.config.schedule, s.state.step - 1, s.progress.totalSteps,
                             qint64(std::llround(s.config.warmupEpochs
                                                 * double(s.progress.batchesPerEpoch))));
    rec.learningRate = s.progress.learningRate;
    rec.seconds = seconds;
    rec.imagesPerSecond = seconds > 0 ? sums[1] / seconds : -1;

    EvalMetrics val;
    const int c = s.numClasses();
    if (valLoader) {
        s.report(TrainProgress::Phase::Validating, true);
        const PredictionSet set = predict(*s.model, *valLoader, s.loss,
                                          [&] { return s.controlState() == Control::Cancel; });
        if (set.cancelled) {
            SALIENT_TRY(cancelRun(s, outcome));
            return false;
        }
        if (s.config.multiLabel)
            s.state.thresholds = tuneThresholds(set.probs, set.targets, c);
        val = metricsOf(set, c, s.config.multiLabel, s.state.thresholds);
        rec.valLoss = val.loss;
        rec.valAccuracy = val.accuracy;
        rec.valMacroF1 = val.macroF1;
        rec.valMetrics = val.toJson(s.data.classNames);
    }
    // Without validation every epoch is the best: the last weights are kept.
    const double value = valLoader ? monitored(s.config.monitor, val) : rec.trainLoss;
    const bool isBest =
        !valLoader || improves(s.config.monitor, value, s.state.bestValue, s.state.bestEpoch > 0);
    if (isBest) {
        s.state.bestEpoch = s.state.epoch;
        s.state.bestValue = value;
        s.state.epochsSinceBest = 0;
        s.bestMetrics = val;
    } else {
        ++s.state.epochsSinceBest;
    }
    s.state.epochComplete = true;
    s.report(TrainProgress::Phase::Saving, true);
    auto blob = snapshot(s);
    if (!blob.ok())
        return blob.error();
    if (isBest)
        s.bestBlob = blob.value();
    if (s.writer)
        SALIENT_TRY(s.runs->recordEpoch(
            s.runId, rec,
            Checkpoint{s.state.epoch, s.state.step, s.state.batchInEpoch, blob.value()}, isBest,
            s.state.bestValue, isBest ? rec.valMetrics : QByteArray()));
    outcome.epochsDone = s.state.epoch;
    if (s.observer.epochFinished) {
        EpochSummary summary;
        summary.runId = s.runId;
        summary.record = rec;
        summary.validation = val;
        summary.classNames = s.data.classNames;
        summary.isBest = isBest;
        s.observer.epochFinished(summary);
    }
    return true;
}

Result<TrainOutcome> trainLoop(Session &s)
{
    TrainOutcome outcome;
    outcome.runId = s.runId;
    s.progress.runId = s.runId;
    s.progress.epochs = s.config.epochs;
    s.progress.device = QStringLiteral("cpu");
    if (s.observer.started)
        s.observer.started(s.runId);
    for (const QString &note : s.data.notes)
        s.log(note);
    s.report(TrainProgress::Phase::Preparing, true);
    SALIENT_TRY(buildEngine(s));

    auto recipe = recipeFor(s.config, *s.store);
    if (!recipe.ok())
        return recipe.error();
    DataLoader trainLoader(s.data.train, trainLoaderOptions(s, recipe.value()));
    std::unique_ptr<DataLoader> valLoader;
    if (!s.data.validation.isEmpty())
        valLoader = std::make_unique<DataLoader>(s.data.validation,
                                                 evalLoaderOptions(s.config, s.numClasses()));
    const qint64 perEpoch = trainLoader.batchesPerEpoch();
    s.progress.batchesPerEpoch = perEpoch;
    s.progress.totalSteps = qint64(s.config.epochs) * perEpoch;
    if (s.config.maxSteps > 0)
        s.progress.totalSteps = std::min(s.progress.totalSteps, s.config.maxSteps);
    s.progress.loaderWorkers = trainLoader.workers();
    s.progress.step = s.state.step;
    outcome.epochsDone = s.state.epochComplete ? s.state.epoch : s.state.epoch - 1;

    int epoch = s.state.epochComplete ? s.state.epoch + 1 : s.state.epoch;
    QString message;
    QSet<QString> reported;
    for (bool stop = false; !stop && epoch <= s.config.epochs; ++epoch) {
        if (s.config.maxSteps > 0 && s.state.step >= s.config.maxSteps)
            break;
        if (s.state.epoch != epoch || s.state.epochComplete) {
            s.state.lossSum = s.state.seen = s.state.correct = s.state.accuracySeen = 0;
            s.state.batchInEpoch = 0;
        }
        s.state.epoch = epoch;
        s.state.epochComplete = false;
        s.progress.epoch = epoch;
        QElapsedTimer timer;
        timer.start();
        trainLoader.startEpoch(epoch, s.state.batchInEpoch);
        setTrainingMode(*s.model, s.freeze, true);
        bool stepLimit = false;
        while (true) {
            if (!waitWhilePaused(s)) {
                trainLoader.stop();
                SALIENT_TRY(cancelRun(s, outcome));
                finishOutcome(s, outcome);
                return outcome;
            }
            std::optional<Batch> batch = trainLoader.next();
            if (!batch)
                break;
            SALIENT_TRY(trainBatch(s, *batch));
            ++s.state.batchInEpoch;
            s.clock.add(batch->size);
            trainLoader.recycle(std::move(*batch)); // its buffers serve the next batch
            s.progress.batch = s.state.batchInEpoch;
            s.progress.step = s.state.step;
            s.progress.loss = s.state.seen > 0 ? s.state.lossSum / s.state.seen : -1;
            s.progress.accuracy =
                s.state.accuracySeen > 0 ? s.state.correct / s.state.accuracySeen : -1;
            s.report(TrainProgress::Phase::Training);
            if (s.config.maxSteps > 0 && s.state.step >= s.config.maxSteps) {
                stepLimit = true;
                trainLoader.stop();
                break;
            }
        }
        for (const QString &problem : trainLoader.problems())
            if (!reported.contains(problem)) {
                reported.insert(problem);
                s.log(problem);
            }
        auto done = finishEpoch(s, valLoader.get(), timer.elapsed() / 1000.0, outcome);
        if (!done.ok())
            return done.error();
        if (!done.value()) {
            finishOutcome(s, outcome);
            return outcome;
        }
        if (valLoader && s.config.earlyStoppingPatience > 0
            && s.state.epochsSinceBest >= s.config.earlyStoppingPatience) {
            stop = true;
            message = QStringLiteral("stopped early: %1 did not improve for %2 epochs")
                                         .arg(metricName(s.config.monitor))
                                         .arg(s.state.epochsSinceBest);
        }
        if (stepLimit) {
            stop = true;
            message = QStringLiteral("stopped after %1 steps (the step limit)").arg(s.state.step);
        }
    }
    SALIENT_TRY(evaluateBest(s, valLoader.get(), outcome));
    outcome.state = RunState::Finished;
    outcome.message = message;
    finishOutcome(s, outcome);
    if (s.writer)
        SALIENT_TRY(s.runs->setState(s.runId, RunState::Finished, message));
    s.report(TrainProgress::Phase::Done, true);
    return outcome;
}

} // namespace

Result<TrainOutcome> runTraining(const TrainRequest &request, const TrainObserver &observer,
                                 const std::atomic<int> *control)
{
    Session s(request, observer, control);
    try {
        auto comm = Communicator::connect(request.distributed);
        if (!comm.ok())
            return comm.error();
        s.comm = std::move(comm.value());
        SALIENT_TRY(prepare(s));
        // Set here, in the thread that runs torch: the setting is per thread.
        s.progress.threads = setEngineThreads(s.config.threads);
        if (s.writer && request.resumeRunId > 0)
            SALIENT_TRY(s.runs->setState(s.runId, RunState::Running));
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid, torchMessage(e), request.projectFile);
    }
    Result<TrainOutcome> outcome = makeError(Error::Code::Invalid, QString());
    try {
        outcome = trainLoop(s);
    } catch (const std::exception &e) {
        outcome = makeError(Error::Code::Invalid,
                            QStringLiteral("training stopped: %1").arg(torchMessage(e)),
                                           request.projectFile);
    }
    if (!outcome.ok() && s.writer && s.runs && s.runId > 0)
        (void)s.runs->setState(s.runId, RunState::Failed, outcome.error().toString());
    return outcome;
}

} // namespace salient::train
