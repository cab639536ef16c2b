// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The seam between the training panel (widgets, no LibTorch) and the engine
// (salient_train): typed progress values and an abstract controller. The app
// hands the panel a TrainingWorker; tests may hand it a fake.

#include "core/runs/metrics.h"
#include "core/runs/runstore.h"
#include "core/runs/trainconfig.h"
#include "core/util/result.h"

#include <QMetaType>
#include <QObject>
#include <QString>

namespace salient::train {

/// Live progress, emitted at most about 10 times a second.
struct TrainProgress {
    enum class Phase { Preparing, Training, Validating, Testing, Saving, Paused, Done };
    Phase phase = Phase::Preparing;
    qint64 runId = 0;
    int epoch = 0;              ///< 1-based, current
    int epochs = 0;
    qint64 batch = 0;           ///< batches done in this epoch
    qint64 batchesPerEpoch = 0;
    qint64 step = 0;            ///< optimiser steps done in all
    qint64 totalSteps = 0;      ///< planned (epochs x batches, or maxSteps)
    double loss = -1;           ///< running mean training loss this epoch
    double accuracy = -1;       ///< running training accuracy this epoch (unmixed batches)
    double learningRate = 0;
    double imagesPerSecond = 0; ///< training throughput over the last few seconds
    double etaSeconds = -1;     ///< -1 until it can be estimated
    int threads = 1;            ///< intra-op threads in use
    int loaderWorkers = 0;
    QString device;             ///< "cpu" or "cuda:0"
    QString message;            ///< e.g. "decoding 1,200 of 3,000 images into the cache"
};

/// One finished epoch with its validation metrics.
struct EpochSummary {
    qint64 runId = 0;
    EpochRecord record;
    EvalMetrics validation;   ///< numClasses 0 when there is no validation set
    QStringList classNames;
    bool isBest = false;
};

/// How a run ended.
struct TrainOutcome {
    qint64 runId = 0;
    RunState state = RunState::Finished;
    int epochsDone = 0;
    qint64 steps = 0;
    EvalMetrics bestValidation; ///< numClasses 0 without validation
    EvalMetrics test;           ///< numClasses 0 when the test split is empty or not evaluated
    QStringList classNames;
    QString weightsDigest;      ///< SHA-256 of the final in-memory weights (equal on every rank of a data-parallel run)
    QString message;            ///< e.g. "stopped early: macro-F1 did not improve for 3 epochs"
};

/// Starts, pauses, resumes and cancels one run at a time, off the GUI thread.
/// Signals arrive on the controller's thread (queued).
class TrainingController : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~TrainingController() override = default;

    virtual bool isRunning() const = 0;
    virtual bool isPaused() const = 0;

public Q_SLOTS:
    /// A new run on `projectFile` (its own connection). Refused (failed()
    /// emitted) while one is running.
    virtual void start(const QString &projectFile, const salient::train::TrainConfig &config,
                       const QString &runName) = 0;
    /// Continues a cancelled, paused-then-closed or interrupted run from its last checkpoint.
    virtual void resume(const QString &projectFile, qint64 runId) = 0;
    virtual void pause() = 0;    ///< between batches; progress() then says Paused
    virtual void unpause() = 0;
    /// Stops between batches, writes a checkpoint, marks the run cancelled.
    virtual void cancel() = 0;

Q_SIGNALS:
    void started(qint64 runId);
    void progress(const salient::train::TrainProgress &progress);
    void epochFinished(const salient::train::EpochSummary &summary);
    void finished(const salient::train::TrainOutcome &outcome);
    /// A warning worth showing (an unreadable image skipped, single-label
    /// images with several classes left out...), one line each.
    void logged(const QString &line);
    /// Could not start or broke down (bad weights file, unreadable project...).
    void failed(const salient::Error &error);
};

} // namespace salient::train

Q_DECLARE_METATYPE(salient::train::TrainConfig)
Q_DECLARE_METATYPE(salient::train::TrainProgress)
Q_DECLARE_METATYPE(salient::train::EpochSummary)
Q_DECLARE_METATYPE(salient::train::TrainOutcome)
