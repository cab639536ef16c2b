// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch): a run's trained model loaded
// from its checkpoint, in evaluation mode. Shared by export, pruning,
// distillation and prediction.
#pragma once

#include "core/runs/runstore.h"
#include "core/runs/trainconfig.h"
#include "core/train/models.h"
#include "core/util/result.h"

#include <memory>

namespace salient {
class ProjectStore;
}

namespace salient::train {

struct RunModel {
    RunRecord run;
    TrainConfig config;
    std::shared_ptr<ClassifierNet> model; ///< eval(), CPU, requires_grad on
    QString checkpointKind;               ///< the checkpoint actually read ("best" or "last")
};

/// Loads run `runId`'s checkpoint `kind` ("best" falls back to "last").
/// NotFound when the run or a checkpoint is missing; messages name the project.
Result<RunModel> loadRunModel(ProjectStore &store, qint64 runId,
                              const QString &kind = QStringLiteral("best"));

} // namespace salient::train
