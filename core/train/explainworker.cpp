// SPDX-License-Identifier: GPL-3.0-or-later
// One thread, one Explainer, one job at a time. Jobs wait in a small queue:
// opening a run and batches in order, single-image requests coalesced so
// that only the newest waits (a reviewer flicking through images gets the
// image they stopped on). A batch answers a waiting single-image request
// between its images, so the panel stays live while a split is explained.
// Every signal is emitted on the owner's thread (queued), never from the
// worker thread.
#include "core/train/explainworker.h"

#include "core/project/store.h"
#include "core/train/engineinfo.h"
#include "core/train/explainbatch.h"
#include "core/train/explainer.h"
#include "core/train/jobqueue.h"

#include <QPointer>

#include <torch/torch.h>

namespace salient::train {

namespace {

struct Job {
    enum class Kind { Open, Explain, Batch };
    Kind kind = Kind::Explain;
    QString projectFile;                // Open
    qint64 runId = 0;                   // Open
    qint64 imageId = 0;                 // Explain
    RunRole role = RunRole::Validation; // Batch
    review::ExplainRequest request;
};

} // namespace

struct ExplainWorker::Impl {
    ExplainWorker *q = nullptr;
    int threads = 0;
    JobQueue<Job> jobs;

    // Worker thread only.
    std::unique_ptr<Explainer> explainer;
    std::unique_ptr<ProjectStore> store;
    QString projectFile;
    qint64 runId = 0;

    void loop();
    void work(const Job &job);
    void doOpen(const Job &job);
    void doExplain(const Job &job);
    void doBatch(const Job &job);
    bool takePendingExplain(Job *job);

    /// Runs `emitter` on the owner's thread; dropped if the worker is gone.
    template <typename F>
    void post(F emitter)
    {
        QMetaObject::invokeMethod(q, std::move(emitter), Qt::QueuedConnection);
    }
    void postFailed(const Error &e)
    {
        post([w = q, e] { Q_EMIT w->failed(e); });
    }
};

ExplainWorker::ExplainWorker(QObject *parent, int threads)
    : review::ExplainController(parent), d(std::make_unique<Impl>())
{
    // Queued signals across threads carry these by value.
    qRegisterMetaType<salient::review::ExplainRequest>();
    qRegisterMetaType<salient::review::ModelInfo>();
    qRegisterMetaType<salient::review::Explanation>();
    qRegisterMetaType<salient::train::RunRole>();
    qRegisterMetaType<salient::Error>();

    d->q = this;
    d->threads = threads;
    d->jobs.start(QStringLiteral("explain"), [impl = d.get()] { impl->loop(); });
}

ExplainWorker::~ExplainWorker()
{
    d->jobs.stop();
}

bool ExplainWorker::isBusy() const
{
    return d->jobs.isBusy();
}

void ExplainWorker::open(const QString &projectFile, qint64 runId)
{
    Job job;
    job.kind = Job::Kind::Open;
    job.projectFile = projectFile;
    job.runId = runId;
    // A batch of the model being replaced is not what the user wants any more.
    d->jobs.push(std::move(job), {}, JobQueue<Job>::CancelRunning::IfRunning);
}

void ExplainWorker::explain(qint64 imageId, const review::ExplainRequest &request)
{
    Job job;
    job.kind = Job::Kind::Explain;
    job.imageId = imageId;
    job.request = request;
    // Latest request wins: an older one that has not started is dropped.
    d->jobs.push(std::move(job), [](const Job &j) { return j.kind == Job::Kind::Explain; });
}

void ExplainWorker::explainRole(RunRole role, const review::ExplainRequest &request)
{
    Job job;
    job.kind = Job::Kind::Batch;
    job.role = role;
    job.request = request;
    d->jobs.push(std::move(job));
}

void ExplainWorker::cancel()
{
    const std::size_t dropped =
        d->jobs
            .drop([](const Job &j) { return j.kind == Job::Kind::Batch; },
                  JobQueue<Job>::CancelRunning::Always)
            .size();
    // A batch that never started still ends, so a panel waiting for it resets.
    for (std::size_t i = 0; i < dropped; ++i)
        d->post([w = this] { Q_EMIT w->batchFinished(0, true); });
}

void ExplainWorker::Impl::loop()
{
    // Thread count and grad mode are per thread in LibTorch: set them here,
    // on the thread that runs the model. Grad mode must be on: a CAM needs
    // the gradient of the score with respect to the tapped activations.
    setEngineThreads(threads);
    torch::autograd::GradMode::set_enabled(true);

    // A cancel given before a batch started was for an older one.
    Job job;
    while (jobs.take(&job, [](const Job &j) { return j.kind == Job::Kind::Batch; })) {
        work(job);
        jobs.finished();
    }
    // Models and connections belong to this thread: release them here.
    explainer.reset();
    store.reset();
}

void ExplainWorker::Impl::work(const Job &job)
{
    switch (job.kind) {
    case Job::Kind::Open:
        doOpen(job);
        break;
    case Job::Kind::Explain:
        doExplain(job);
        break;
    case Job::Kind::Batch:
        doBatch(job);
        break;
    }
}

void ExplainWorker::Impl::doOpen(const Job &job)
{
    explainer.reset();
    store.reset();
    runId = 0;
    auto loaded = Explainer::forRun(job.projectFile, job.runId, QStringLiteral("best"), threads);
    if (!loaded) {
        Error e = loaded.error();
        if (e.path.isEmpty())
            e.path = job.projectFile;
        postFailed(e);
        return;
    }
    auto opened = ProjectStore::open(job.projectFile, ProjectStore::OpenMode::ReadWrite);
    if (!opened) {
        postFailed(opened.error());
        return;
    }
    explainer = std::move(loaded.value());
    store = std::move(opened.value());
    projectFile = job.projectFile;
    runId = job.runId;
    post([w = q, info = explainer->info()] { Q_EMIT w->ready(info); });
}

void ExplainWorker::Impl::doExplain(const Job &job)
{
    if (!explainer) {
        postFailed(makeError(Error::Code::Invalid,
                             QObject::tr("No run is open to explain image %1.").arg(job.imageId)));
        return;
    }
    Result<review::Explanation> e = explainer->explainImage(job.imageId, job.request);
    if (!e) {
        postFailed(e.error());
        return;
    }
    review::Explanation x = std::move(e.value());
    x.runId = runId;
    x.imageId = job.imageId;
    post([w = q, x = std::move(x)] { Q_EMIT w->explained(x); });
}

bool ExplainWorker::Impl::takePendingExplain(Job *job)
{
    std::deque<Job> waiting = jobs.drop([](const Job &j) { return j.kind == Job::Kind::Explain; },
                                        JobQueue<Job>::CancelRunning::No);
    if (waiting.empty()) // explain() keeps at most one waiting
        return false;
    *job = std::move(waiting.back());
    return true;
}

void ExplainWorker::Impl::doBatch(const Job &job)
{
    if (!explainer) {
        postFailed(makeError(Error::Code::Invalid, QObject::tr("No run is open to explain.")));
        post([w = q] { Q_EMIT w->batchFinished(0, false); });
        return;
    }
    ExplainBatchHooks hooks;
    hooks.cancel = &jobs.cancel;
    hooks.progress = [this](int done, int total) {
        post([w = q, done, total] { Q_EMIT w->batchProgress(done, total); });
    };
    hooks.between = [this] {
        Job pending;
        if (takePendingExplain(&pending))
            doExplain(pending);
    };
    auto report = explainRoleWith(*explainer, *store, runId, job.role, job.request, hooks);
    if (!report) {
        postFailed(report.error());
        post([w = q] { Q_EMIT w->batchFinished(0, false); });
        return;
    }
    for (const QString &problem : report->problems)
        qInfo("explain: skipped %s", qPrintable(problem));
    post([w = q, stored = report->stored, cancelled = report->cancelled] {
        Q_EMIT w->batchFinished(stored, cancelled);
    });
}

} // namespace salient::train
