// SPDX-License-Identifier: GPL-3.0-or-later
// Explanations for a whole role of a run's snapshot: one model, one image at a
// time, stored in small transactions. Nothing here grows with the number of
// images except the id list: each Explanation (a low-resolution map and a few
// numbers) lives until its chunk is written, then the chunk is emptied.
#include "core/train/explainbatch.h"

#include "core/project/store.h"
#include "core/review/reviewstore.h"
#include "core/train/explainer.h"

#include <QElapsedTimer>
#include <QFileInfo>

namespace salient::train {

namespace {

constexpr qint64 kProgressIntervalMs = 100; // ~10 reports a second

/// Errors that concern one image only: the batch skips it and goes on.
/// A bad request or a broken model names the project (the explainer's
/// errors do) and stops the batch; a file the probe finds absurd names the image.
bool isPerImage(const Error &e, const QString &projectFile)
{
    switch (e.code) {
    case Error::Code::Invalid:
        return !e.path.isEmpty() && QFileInfo(e.path).absoluteFilePath() != projectFile;
    case Error::Code::Io:
    case Error::Code::Decode:
    case Error::Code::Parse: // a header that is not an image's
    case Error::Code::NotFound:
    case Error::Code::Unsupported:
        return true;
    default:
        return false;
    }
}

} // namespace

Result<ExplainBatchReport> explainRoleWith(Explainer &explainer, ProjectStore &store, qint64 runId,
                                           RunRole role, const review::ExplainRequest &request,
                                           const ExplainBatchHooks &hooks)
{
    RunStore runs(store);
    auto snapshot = runs.runImages(runId);
    if (!snapshot)
        return snapshot.error();
    const QVector<qint64> ids = snapshot->value(role);
    snapshot = QHash<RunRole, QVector<qint64>>(); // only the ids of this role are kept

    ExplainBatchReport report;
    report.total = int(ids.size());

    review::ReviewStore reviews(store);
    QVector<review::Explanation> chunk;
    chunk.reserve(kExplainChunk);
    const auto flush = [&]() -> Status {
        if (chunk.isEmpty())
            return {};
        Status saved = reviews.saveExplanations(chunk);
        if (!saved)
            return saved;
        report.stored += int(chunk.size());
        chunk.clear();
        return {};
    };

    QElapsedTimer sinceReport;
    sinceReport.start();
    if (hooks.progress)
        hooks.progress(0, report.total);

    int done = 0;
    for (const qint64 imageId : ids) {
        if (hooks.cancel && hooks.cancel->load()) {
            report.cancelled = true;
            break;
        }
        if (hooks.between)
            hooks.between();

        Result<review::Explanation> e = explainer.explainImage(imageId, request);
        if (e) {
            review::Explanation &x = e.value();
            x.runId = runId;
            x.imageId = imageId;
            chunk.append(std::move(x));
        } else if (isPerImage(e.error(), store.filePath())) {
            ++report.skipped;
            if (report.problems.size() < ExplainBatchReport::kMaxProblems)
                report.problems << e.error().toString();
        } else {
            Status kept = flush(); // what was done stays done
            Q_UNUSED(kept);
            return e.error();
        }
        ++done;

        if (chunk.size() >= kExplainChunk)
            SALIENT_TRY(flush());
        if (hooks.progress && sinceReport.elapsed() >= kProgressIntervalMs) {
            hooks.progress(done, report.total);
            sinceReport.restart();
        }
    }
    SALIENT_TRY(flush());
    if (hooks.progress)
        hooks.progress(done, report.total);
    return report;
}

Result<ExplainBatchReport> explainRoleReport(const QString &projectFile, qint64 runId, RunRole role,
                                             const review::ExplainRequest &request,
                                             const ExplainBatchHooks &hooks, int threads)
{
    auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadWrite);
    if (!store)
        return store.error();
    auto explainer = Explainer::forRun(projectFile, runId, QStringLiteral("best"), threads);
    if (!explainer)
        return explainer.error();
    return explainRoleWith(*explainer.value(), *store.value(), runId, role, request, hooks);
}

Result<int> explainRole(const QString &projectFile, qint64 runId, RunRole role,
                        const review::ExplainRequest &request,
                        const std::function<void(int done, int total)> &progress,
                        const std::atomic<bool> *cancel, int threads)
{
    ExplainBatchHooks hooks;
    hooks.progress = progress;
    hooks.cancel = cancel;
    auto report = explainRoleReport(projectFile, runId, role, request, hooks, threads);
    if (!report)
        return report.error();
    return report->stored;
}

} // namespace salient::train
