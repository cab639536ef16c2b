// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Making a run's model smaller (public face of salient_train: no torch
// types): global magnitude pruning with a short fine-tune, and knowledge
// distillation into a small student. Each result is a new run in the
// project (its config records where it came from), so it can be reviewed,
// compared and exported like any other.

#include "core/runs/trainconfig.h"
#include "core/util/result.h"

#include <QString>
#include <QVector>

#include <atomic>
#include <functional>

namespace salient::train {

/// Model size and speed, measured the same way for every run compared.
struct ModelFigures {
    qint64 runId = 0;
    QString architecture;
    qint64 parameters = 0;     ///< all weights and biases
    qint64 nonZero = 0;        ///< parameters that are not exactly 0
    qint64 fileBytes = 0;      ///< LibTorch export size
    qint64 compressedBytes = 0;///< that file deflated (what pruning saves on disk)
    double latencyMs = -1;     ///< median single-image forward, threads as asked
    double testAccuracy = -1;  ///< test split (validation when there is none)
    double testMacroF1 = -1;
};

struct PruneOptions {
    double sparsity = 0.5;  ///< fraction of conv + linear weights set to 0, globally by |w|
    int epochs = 1;         ///< fine-tuning epochs with the mask held fixed
    double learningRate = 0;///< 0: a tenth of the parent run's
    int threads = 0;
};
struct PruneResult {
    qint64 runId = 0;       ///< the new, pruned run
    double sparsity = 0;    ///< measured fraction of zero prunable weights
    ModelFigures parent;
    ModelFigures pruned;
};
/// Prunes run `runId`'s best model and fine-tunes it as a new run named
/// "<parent> pruned 50%". progress(message, done, total); cancel between steps.
Result<PruneResult> pruneRun(const QString &projectFile, qint64 runId, const PruneOptions &options,
                             const std::function<void(const QString &, int, int)> &progress = {},
                             const std::atomic<bool> *cancel = nullptr);

struct DistillOptions {
    TrainConfig student;       ///< the student's recipe (model, epochs, size, ...)
    double temperature = 4.0;  ///< softens both distributions
    double alpha = 0.5;        ///< weight of the soft-label loss (1 - alpha: hard labels)
    int threads = 0;
};
struct DistillResult {
    qint64 runId = 0;          ///< the student run
    ModelFigures teacher;
    ModelFigures student;
};
/// Trains a student from teacher run `teacherRunId` with soft labels
/// (KL divergence at `temperature`, scaled by T^2) mixed with the usual loss.
Result<DistillResult> distillRun(const QString &projectFile, qint64 teacherRunId,
                                 const DistillOptions &options,
                                 const std::function<void(const QString &, int, int)> &progress = {},
                                 const std::atomic<bool> *cancel = nullptr);

/// Figures of an existing run (its best checkpoint).
Result<ModelFigures> measureRun(const QString &projectFile, qint64 runId, int threads = 0);

} // namespace salient::train
