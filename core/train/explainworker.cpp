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

#include <QMutex>
#include <QPointer>
#include <QThread>
#include <QWaitCondition>

#include <torch/torch.h>

#include <deque>

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
    QThread *thread = nullptr; // owned; joined and deleted by the destructor

    mutable QMutex mutex;
    QWaitCondition wake;
    std::deque<Job> queue; // guarded by mutex
    bool running = false;  // a job is being worked on; guarded by mutex
    bool stopping = false; // guarded by mutex
    std::atomic<bool> cancel{false};

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
    d->thread = QThread::create([impl = d.get()] { impl->loop(); });
    d->thread->setObjectName(QStringLiteral("explain"));
    d->thread->start();
}

ExplainWorker::~ExplainWorker()
{
    {
        QMutexLocker lock(&d->mutex);
        d->stopping = true;
        d->queue.clear();
        d->cancel = true;
        d->wake.wakeAll();
    }
    d->thread->wait();
    delete d->thread;
}

bool ExplainWorker::isBusy() const
{
    QMutexLocker lock(&d->mutex);
    return d->running || !d->queue.empty();
}

void ExplainWorker::open(const QString &projectFile, qint64 runId)
{
    Job job;
    job.kind = Job::Kind::Open;
    job.projectFile = projectFile;
    job.runId = runId;
    QMutexLocker lock(&d->mutex);
    // A batch of the model being replaced is not what the user wants any more.
    d->cancel = d->running;
    d->queue.push_back(job);
    d->wake.wakeAll();
}

void ExplainWorker::explain(qint64 imageId, const review::ExplainRequest &request)
{
    Job job;
    job.kind = Job::Kind::Explain;
    job.imageId = imageId;
    job.request = request;
    QMutexLocker lock(&d->mutex);
    // Latest request wins: an older one that has not started is dropped.
    for (auto it = d->queue.begin(); it != d->queue.end();) {
        if (it->kind == Job::Kind::Explain)
            it = d->queue.erase(it);
        else
            ++it;
    }
    d->queue.push_back(job);
    d->wake.wakeAll();
}

void ExplainWorker::explainRole(RunRole role, const review::ExplainRequest &request)
{
    Job job;
    job.kind = Job::Kind::Batch;
    job.role = role;
    job.request = request;
    QMutexLocker lock(&d->mutex);
    d->queue.push_back(job);
    d->wake.wakeAll();
}

void ExplainWorker::cancel()
{
    int dropped = 0;
    {
        QMutexLocker lock(&d->mutex);
        for (auto it = d->queue.begin(); it != d->queue.end();) {
            if (it->kind == Job::Kind::Batch) {
                it = d->queue.erase(it);
                ++dropped;
            } else {
                ++it;
            }
        }
        d->cancel = true;
    }
    // A batch that never started still ends, so a panel waiting for it resets.
    for (int i = 0; i < dropped; ++i)
        d->post([w = this] { Q_EMIT w->batchFinished(0, true); });
}

void ExplainWorker::Impl::loop()
{
    // Thread count and grad mode are per thread in LibTorch: set them here,
    // on the thread that runs the model. Grad mode must be on: a CAM needs
    // the gradient of the score with respect to the tapped activations.
    setEngineThreads(threads);
    torch::autograd::GradMode::set_enabled(true);

    for (;;) {
        Job job;
        {
            QMutexLocker lock(&mutex);
            while (!stopping && queue.empty())
                wake.wait(&mutex);
            if (stopping)
                break;
            job = std::move(queue.front());
            queue.pop_front();
            running = true;
            if (job.kind == Job::Kind::Batch)
                cancel = false; // a cancel given before this batch started was for an older one
        }
        work(job);
        QMutexLocker lock(&mutex);
        running = false;
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
    QMutexLocker lock(&mutex);
    for (auto it = queue.begin(); it != queue.end(); ++it) {
        if (it->kind == Job::Kind::Explain) {
            *job = std::move(*it);
            queue.erase(it);
            return true;
        }
    }
    return false;
}

void ExplainWorker::Impl::doBatch(const Job &job)
{
    if (!explainer) {
        postFailed(makeError(Error::Code::Invalid, QObject::tr("No run is open to explain.")));
        post([w = q] { Q_EMIT w->batchFinished(0, false); });
        return;
    }
    ExplainBatchHooks hooks;
    hooks.cancel = &cancel;
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
