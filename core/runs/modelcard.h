// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The model card written beside every export (JSON for tools, HTML for
// people): what the model is, what it was trained on, how well it does and
// what it is (not) for. Torch-free; built from the project, the run and the
// export report.

#include "core/runs/modelexport.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QString>

namespace salient {
class ProjectStore;

/// Card content: "model" (ModelMeta), "classes" with counts per split of the
/// run's snapshot, "metrics" (test split, else validation: accuracy,
/// macro-F1, per-class precision/recall, ECE when known), "training"
/// (TrainConfig JSON, augmentation recipe in words, epochs, best epoch,
/// dates), "export" (format, size, parity, int8 accuracy change, sparsity),
/// "intended_use" and "limitations" (the user's words; empty fields are kept
/// so they can be filled in later), "created_at" (UTC).
Result<QJsonObject> buildModelCard(ProjectStore &store, qint64 runId, const ExportReport &report,
                                   const QString &intendedUse, const QString &limitations);
/// A self-contained readable page (no external files), escaped.
QString modelCardHtml(const QJsonObject &card);
/// Writes <modelFile>.card.json and <modelFile>.card.html atomically; returns their paths.
Result<QStringList> writeModelCard(const QJsonObject &card, const QString &modelFile);

} // namespace salient
