// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Training runs kept in the project file (schema version 4): the config, the
// class list and split snapshot taken at the start, one row per finished
// epoch, the last and best checkpoints, and per-image predictions (so a
// confusion-matrix cell can list its images). Every write is one transaction.

#include "core/util/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace salient {
class ProjectStore;
}

namespace salient::train {

/// "running": a process is training it, or died doing so (the UI shows such
/// a run, not owned by a live worker, as interrupted and offers to resume it).
enum class RunState { Running, Paused, Cancelled, Failed, Finished };
QString runStateName(RunState s); ///< "running" "paused" "cancelled" "failed" "finished"
std::optional<RunState> runStateFromName(const QString &name);

/// Which part of the snapshot an image was in.
enum class RunRole { Train = 0, Validation = 1, Test = 2 };

struct RunRecord {
    qint64 id = 0;
    QString name;
    QDateTime createdAt; ///< UTC
    QDateTime updatedAt;
    RunState state = RunState::Running;
    QString message;       ///< why it failed / was cancelled, or empty
    QByteArray config;     ///< TrainConfig JSON
    QVector<qint64> classIds; ///< the head's outputs, in order
    QStringList classNames;   ///< same order, as named when the run started
    int epochsDone = 0;
    int bestEpoch = -1;    ///< 1-based; -1 before the first validation
    double bestValue = 0;  ///< the monitored metric at bestEpoch
    QByteArray bestMetrics; ///< EvalMetrics JSON (validation) at bestEpoch
    QByteArray testMetrics; ///< EvalMetrics JSON on the test split, or empty
};

/// One finished epoch. Values that were not measured are -1.
struct EpochRecord {
    int epoch = 0;         ///< 1-based
    qint64 step = 0;       ///< optimiser steps done at its end
    double trainLoss = -1;
    double trainAccuracy = -1;
    double valLoss = -1;
    double valAccuracy = -1;
    double valMacroF1 = -1;
    double learningRate = -1; ///< the head's, at the end of the epoch
    double seconds = -1;
    double imagesPerSecond = -1;
    QByteArray valMetrics; ///< full EvalMetrics JSON, or empty
};

/// Opaque training state written by salient_train (weights, optimiser, RNG,
/// position). `epoch` / `step` tell where it resumes: `step` optimiser steps
/// done in all, `batchInEpoch` batches of epoch `epoch` (1-based) done.
struct Checkpoint {
    int epoch = 0;
    qint64 step = 0;
    qint64 batchInEpoch = 0;
    QByteArray data;
};

/// One image's prediction by a run's best model.
struct Prediction {
    qint64 imageId = 0;
    RunRole role = RunRole::Validation;
    QVector<int> truth;      ///< class indices (into the run's class list)
    QVector<int> predicted;  ///< arg-max (single-label) or thresholded set
    QVector<float> probabilities; ///< one per class
};

/// Reads and writes runs through a ProjectStore's connection (use one
/// RunStore per connection; a worker opens its own with connectAgain()).
class RunStore {
public:
    explicit RunStore(ProjectStore &store);

    /// A new run in state Running with the split snapshot, in one transaction.
    Result<qint64> createRun(const QString &name, const QByteArray &config,
                             const QVector<qint64> &classIds, const QStringList &classNames,
                             const QHash<qint64, RunRole> &images);
    Result<QVector<RunRecord>> runs() const; ///< newest first
    Result<RunRecord> run(qint64 id) const;  ///< NotFound for an unknown id
    /// The snapshot: image ids per role, ascending.
    Result<QHash<RunRole, QVector<qint64>>> runImages(qint64 id) const;

    Status setState(qint64 id, RunState state, const QString &message = {});
    Status rename(qint64 id, const QString &name);
    Status removeRun(qint64 id); ///< with its epochs, checkpoints and predictions

    /// Records an epoch and its checkpoint atomically: the epoch row, the
    /// "last" checkpoint, epochs_done, and when `isBest` the best fields and
    /// the "best" checkpoint (the same data). An existing row for that epoch
    /// is replaced (a resumed run that redoes an epoch).
    Status recordEpoch(qint64 id, const EpochRecord &epoch, const Checkpoint &last, bool isBest,
                       double bestValue = 0, const QByteArray &bestMetrics = {});
    /// Only the "last" checkpoint (a cancel or pause mid-epoch), one transaction.
    Status saveLastCheckpoint(qint64 id, const Checkpoint &last);
    Result<QVector<EpochRecord>> epochs(qint64 id) const; ///< by epoch
    /// kind: "last" or "best". NotFound when none was written.
    Result<Checkpoint> checkpoint(qint64 id, const QString &kind) const;

    Status setTestMetrics(qint64 id, const QByteArray &metrics);
    /// Replaces the predictions of the given roles (those present in `rows`).
    Status savePredictions(qint64 id, const QVector<Prediction> &rows);
    Result<QVector<Prediction>> predictions(qint64 id, std::optional<RunRole> role = {}) const;
    /// Images whose truth contains `truthClass` and whose prediction contains
    /// `predictedClass` (single-label: the confusion cell), in that role.
    Result<QVector<qint64>> confusionImages(qint64 id, RunRole role, int truthClass,
                                            int predictedClass) const;

private:
    ProjectStore &m_store;
};

} // namespace salient::train
