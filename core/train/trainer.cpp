// SPDX-License-Identifier: GPL-3.0-or-later
// The training loop: one run from its snapshot to its best checkpoint, with
// pause, cancel, resume at the exact batch and data parallelism hooks. The
// pieces live in trainer_setup.cpp, trainer_control.cpp and trainer_epoch.cpp.
#include "core/train/trainer.h"

#include "core/train/engineinfo.h"
#include "core/train/trainer_session.h"

#include <QLocale>
#include <QSet>

#include <optional>

namespace salient::train {

using namespace detail;

namespace {

/// While the first epoch fills the decode cache the loader is the slow part:
/// say so ("decoding 1,200 of 3,000 images into the cache").
QString cacheMessage(const Session &s, const DataLoader &loader, bool filling)
{
    if (!filling || s.config.cacheBytes <= 0)
        return {};
    const qint64 cached = loader.cachedImages();
    qint64 target = loader.itemCount();
    if (cached > 0) {
        // What fits: the cache holds images at training size, about alike in bytes.
        const double perImage = double(loader.cachedBytes()) / double(cached);
        target = std::min<qint64>(target, qint64(double(s.config.cacheBytes) / perImage));
    }
    if (cached >= target)
        return {};
    const QLocale english(QLocale::English);
    return QStringLiteral("decoding %1 of %2 images into the cache")
        .arg(english.toString(cached), english.toString(target));
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
                                                 evalLoaderOptions(s.config, s.numClasses(), recipe.value()));
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
    bool firstEpoch = true; // of this process: the one that fills the cache
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
        s.progress.message = cacheMessage(s, trainLoader, firstEpoch);
        bool stepLimit = false;
        while (true) {
            waitWhilePaused(s);
            auto cancel = cancelAgreed(s);
            if (!cancel.ok())
                return cancel.error();
            if (cancel.value()) {
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
            s.progress.message = cacheMessage(s, trainLoader, firstEpoch);
            s.report(TrainProgress::Phase::Training);
            if (s.config.maxSteps > 0 && s.state.step >= s.config.maxSteps) {
                stepLimit = true;
                trainLoader.stop();
                break;
            }
        }
        firstEpoch = false;
        s.progress.message.clear();
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
    SALIENT_TRY(evaluateBest(s, valLoader.get(), recipe.value(), outcome));
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
