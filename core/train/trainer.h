// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The training engine's public face (no torch types): run a training, resume
// one, evaluate a run's best model. Blocking calls, meant for a worker thread
// or the CLI; progress goes to an observer, control comes from an atomic flag.

#include "core/runs/trainingcontroller.h"
#include "core/util/result.h"

#include <QString>

#include <atomic>
#include <functional>

namespace salient::train {

/// Between batches the engine reads this: Run, Pause (block until it changes,
/// reporting Phase::Paused), Cancel (checkpoint, mark cancelled, return).
enum class Control : int { Run = 0, Pause = 1, Cancel = 2 };

/// Callbacks from the training thread. Keep them quick; they run between batches.
struct TrainObserver {
    std::function<void(qint64 runId)> started;
    std::function<void(const TrainProgress &)> progress; ///< throttled to ~10/s by the engine
    std::function<void(const EpochSummary &)> epochFinished;
    std::function<void(const QString &)> log;          ///< warnings worth showing (skipped images...)
};

/// Data parallelism across processes (c10d; Gloo on CPU, NCCL with CUDA).
/// worldSize 1: a single process. Rank 0 owns the run record and
/// checkpoints; the other ranks train on their shard and write nothing.
struct DistributedOptions {
    int worldSize = 1;
    int rank = 0;
    QString master; ///< "host:port" of rank 0's store
    int timeoutSeconds = 300;
};

struct TrainRequest {
    QString projectFile;
    TrainConfig config;
    QString runName;           ///< empty: "<model> <date time>"
    qint64 resumeRunId = 0;    ///< > 0: continue that run from its last checkpoint (config ignored)
    DistributedOptions distributed;
    bool evaluateTest = true;  ///< evaluate the best model on the test split at the end
};

/// Trains (or resumes) a run. Creates the run record first (rank 0), then
/// reports through `observer`. Returns the outcome, including a cancelled or
/// early-stopped run; an Error only when the run could not start or broke
/// (the run is then marked failed with the message).
Result<TrainOutcome> runTraining(const TrainRequest &request, const TrainObserver &observer,
                                 const std::atomic<int> *control = nullptr);

/// The best checkpoint of a run evaluated on the project's images in the run's
/// snapshot role for `split` ("train", "val", "test"), or on the project's
/// current split of that name when the snapshot has none. Records test
/// metrics and predictions in the run when split is "test".
Result<EvalMetrics> evaluateRun(const QString &projectFile, qint64 runId, const QString &split,
                                const TrainObserver &observer = {},
                                const std::atomic<int> *control = nullptr, int threads = 0);

/// SHA-256 (hex) over every parameter and buffer of a run's checkpoint
/// ("last" or "best"), by name: equal digests mean identical weights.
Result<QString> checkpointDigest(const QString &projectFile, qint64 runId, const QString &kind);

} // namespace salient::train
