// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the training loop (trainer*.cpp, includes LibTorch): the state
// of one run while it trains and the steps runTraining() is made of.
#pragma once

#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/checkpoint.h"
#include "core/train/distributed.h"
#include "core/train/evaluate.h"
#include "core/train/freeze.h"
#include "core/train/optim.h"
#include "core/train/trainer.h"

#include <QElapsedTimer>

#include <deque>
#include <memory>

namespace salient::train::detail {

/// LibTorch appends a C++ backtrace after the first line: keep the message.
inline QString torchMessage(const std::exception &e)
{
    return QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
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
    PruneMask pruneMask;                   ///< empty unless config.pruneSparsity > 0
    std::shared_ptr<ClassifierNet> teacher;///< eval mode; null unless config.teacherRun > 0
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
    /// Reports `phase` (throttled to ~10/s unless forced).
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
    /// A long phase without batches: reported at once with what it is doing.
    void announce(TrainProgress::Phase phase, const QString &message)
    {
        progress.message = message;
        report(phase, true);
    }
    Control controlState() const { return control ? Control(control->load()) : Control::Run; }
};

// trainer_setup.cpp
/// Opens the project, the snapshot and the run record (new or resumed).
Status prepare(Session &s);
/// Model (in the engine's memory format), freeze, optimiser, loss, and the
/// checkpoint to resume from; every rank ends with rank 0's weights.
Status buildEngine(Session &s);
LoaderOptions trainLoaderOptions(const Session &s, const AugmentRecipe &recipe);
/// The checkpoint blob of the current weights, optimiser and position.
Result<QByteArray> snapshot(Session &s);

// trainer_control.cpp
/// Blocks while this rank's control says Pause.
void waitWhilePaused(Session &s);
/// True when the run stops here: this rank was cancelled or, in a data-parallel
/// run, any rank was (one all-reduce), so that every rank stops at the same step.
Result<bool> cancelAgreed(Session &s);
/// Ends the run at the current batch: checkpoint, state Cancelled.
Status cancelRun(Session &s, TrainOutcome &outcome);
/// One training batch: forward, loss, backward, gradient averaging, clipping, step.
Status trainBatch(Session &s, Batch &b);

// trainer_epoch.cpp
/// Validation, best-so-far, checkpoint and the epoch's record. False when the
/// run was cancelled during validation (then already recorded as such).
Result<bool> finishEpoch(Session &s, DataLoader *valLoader, double seconds, TrainOutcome &outcome);
/// Predictions of the best checkpoint on validation (and test), recorded in the run.
Status evaluateBest(Session &s, DataLoader *valLoader, const AugmentRecipe &recipe,
                    TrainOutcome &outcome);
void finishOutcome(Session &s, TrainOutcome &outcome);

} // namespace salient::train::detail
