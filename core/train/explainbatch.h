// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The batch behind explainRole() with its full report, for callers that want
// to know what was skipped (the CLI, the worker, the benchmark) or that
// already hold an open Explainer (the worker reuses its model). Torch-free.

#include "core/review/explanation.h"
#include "core/runs/runstore.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace salient {
class ProjectStore;
}

namespace salient::train {

class Explainer;

/// What a batch did.
struct ExplainBatchReport {
    int total = 0;   ///< images the run had in the role
    int stored = 0;  ///< explanations written to the project
    int skipped = 0; ///< images that could not be read or decoded
    bool cancelled = false;
    QStringList problems; ///< "path: reason" of the first skipped images (at most kMaxProblems)
    static constexpr int kMaxProblems = 20;
};

/// Images stored per transaction: a cancel or a crash keeps all but the last chunk's work.
constexpr int kExplainChunk = 32;

struct ExplainBatchHooks {
    /// (done, total): at the start, at most ~10 times a second, and at the end.
    std::function<void(int done, int total)> progress;
    /// Called between images on the batch's thread (the worker answers a
    /// pending single-image request there, so browsing stays live during a batch).
    std::function<void()> between;
    const std::atomic<bool> *cancel = nullptr; ///< read between images
};

/// Explains every image of `role` in run `runId`'s snapshot with `explainer`
/// (a model of that run) and stores the results through `store` in chunks
/// of kExplainChunk. Unreadable images are skipped and counted; any other
/// failure (database, a bad request) stops the batch with that error after
/// keeping what was stored.
Result<ExplainBatchReport> explainRoleWith(Explainer &explainer, ProjectStore &store, qint64 runId,
                                           RunRole role, const review::ExplainRequest &request,
                                           const ExplainBatchHooks &hooks = {});

/// explainRole() with the report: opens its own connection to `projectFile`
/// and a freshly loaded model (threads 0: all cores).
Result<ExplainBatchReport> explainRoleReport(const QString &projectFile, qint64 runId, RunRole role,
                                             const review::ExplainRequest &request,
                                             const ExplainBatchHooks &hooks = {}, int threads = 0);

} // namespace salient::train
