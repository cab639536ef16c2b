// SPDX-License-Identifier: GPL-3.0-or-later
// One thread, one job at a time: an export (exportModel) or a model file run
// on images (Predictor). Jobs wait in order in a small queue. Every signal is
// emitted on the owner's thread (queued), never from the worker thread, and
// progress is thinned to about ten a second so the GUI is not flooded.
#include "core/train/exportworker.h"

#include "core/train/engineinfo.h"
#include "core/train/exporter.h"
#include "core/train/jobqueue.h"
#include "core/train/predictor.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>

namespace salient::train {

namespace {

constexpr int kPredictChunk = 16;        // images between two looks at the cancel flag
constexpr qint64 kProgressEveryMs = 100; // at most ~10 progress signals a second

struct Job {
    enum class Kind { Export, Predict };
    Kind kind = Kind::Export;
    ExportRequest request; // Export
    QString modelFile;     // Predict
    QStringList images;    // Predict
    int topK = 5;          // Predict
};

Error cancelledError(const QString &what, const QString &path)
{
    return makeError(Error::Code::Cancelled, what, path);
}

} // namespace

struct ExportWorker::Impl {
    ExportWorker *q = nullptr;
    JobQueue<Job> jobs;

    // Worker thread only: the last model opened, reused while its file is unchanged.
    std::unique_ptr<Predictor> predictor;
    QString predictorFile;
    QDateTime predictorModified;
    qint64 predictorSize = -1;

    void loop();
    void doExport(const Job &job);
    void doPredict(const Job &job);

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

ExportWorker::ExportWorker(QObject *parent) : ExportController(parent), d(std::make_unique<Impl>())
{
    // Signals carry these by value across threads (and to queued receivers).
    qRegisterMetaType<salient::ExportRequest>();
    qRegisterMetaType<salient::ExportReport>();
    qRegisterMetaType<salient::ModelMeta>();
    qRegisterMetaType<salient::FilePrediction>();
    qRegisterMetaType<QVector<salient::FilePrediction>>();
    qRegisterMetaType<salient::Error>();

    d->q = this;
    d->jobs.start(QStringLiteral("export"), [impl = d.get()] { impl->loop(); });
}

ExportWorker::~ExportWorker()
{
    d->jobs.stop();
}

bool ExportWorker::isBusy() const
{
    return d->jobs.isBusy();
}

void ExportWorker::startExport(const ExportRequest &request)
{
    Job job;
    job.kind = Job::Kind::Export;
    job.request = request;
    d->jobs.push(std::move(job));
}

void ExportWorker::predict(const QString &modelFile, const QStringList &images, int topK)
{
    Job job;
    job.kind = Job::Kind::Predict;
    job.modelFile = modelFile;
    job.images = images;
    job.topK = qMax(1, topK);
    // Only the newest question about a model matters: older ones not yet started go.
    d->jobs.push(std::move(job), [](const Job &j) { return j.kind == Job::Kind::Predict; });
}

void ExportWorker::cancel()
{
    const std::deque<Job> dropped = d->jobs.drop({}, JobQueue<Job>::CancelRunning::IfRunning);
    // A job that never started still ends, so a dialog waiting for it resets.
    for (const Job &job : dropped) {
        const QString path = job.kind == Job::Kind::Export ? job.request.outFile : job.modelFile;
        d->postFailed(cancelledError(tr("Cancelled before it started."), path));
    }
}

void ExportWorker::Impl::loop()
{
    // LibTorch's thread count is per thread: set it here, where the models run.
    int threadsSet = -1;
    Job job;
    while (jobs.take(&job, {})) {
        const int threads = job.kind == Job::Kind::Export ? job.request.threads : 0;
        if (threads != threadsSet) {
            setEngineThreads(threads);
            threadsSet = threads;
        }
        if (job.kind == Job::Kind::Export)
            doExport(job);
        else
            doPredict(job);
        jobs.finished();
    }
    // The model belongs to this thread: release it here.
    predictor.reset();
}

void ExportWorker::Impl::doExport(const Job &job)
{
    QElapsedTimer clock;
    clock.start();
    QString lastStage;
    qint64 lastAt = -kProgressEveryMs;
    const ExportProgress progress = [&](const QString &stage, int done, int total) {
        const qint64 now = clock.elapsed();
        // A new stage and the end of one always show; steps within one are thinned.
        if (stage == lastStage && now - lastAt < kProgressEveryMs && !(total > 0 && done >= total))
            return;
        lastStage = stage;
        lastAt = now;
        post([w = q, stage, done, total] { Q_EMIT w->progress(stage, done, total); });
    };
    Result<ExportReport> report = exportModel(job.request, progress, &jobs.cancel);
    if (!report) {
        Error e = report.error();
        if (e.path.isEmpty())
            e.path = job.request.outFile;
        postFailed(e);
        return;
    }
    post([w = q, r = std::move(report.value())] { Q_EMIT w->exported(r); });
}

void ExportWorker::Impl::doPredict(const Job &job)
{
    const QFileInfo info(job.modelFile);
    const bool same = predictor && predictorFile == info.absoluteFilePath()
                      && predictorModified == info.lastModified() && predictorSize == info.size();
    if (!same) {
        predictor.reset();
        auto opened = Predictor::open(job.modelFile);
        if (!opened) {
            Error e = opened.error();
            if (e.path.isEmpty())
                e.path = job.modelFile;
            postFailed(e);
            return;
        }
        predictor = std::move(opened.value());
        predictorFile = info.absoluteFilePath();
        predictorModified = info.lastModified();
        predictorSize = info.size();
    }
    post([w = q, meta = predictor->meta(), runtime = predictor->runtime()] {
        Q_EMIT w->modelOpened(meta, runtime);
    });

    QVector<FilePrediction> out;
    out.reserve(job.images.size());
    for (int from = 0; from < job.images.size(); from += kPredictChunk) {
        if (jobs.cancel) {
            postFailed(cancelledError(
                tr("Stopped after %1 of %2 images.").arg(from).arg(job.images.size()),
                job.modelFile));
            return;
        }
        const QStringList chunk = job.images.mid(from, kPredictChunk);
        const QVector<ImagePrediction> answers = predictor->predictFiles(chunk, job.topK);
        for (int i = 0; i < answers.size(); ++i) {
            const ImagePrediction &p = answers[i];
            FilePrediction f;
            f.path = p.path.isEmpty() && i < chunk.size() ? chunk[i] : p.path;
            if (!p.ok()) {
                f.error = p.error.toString();
            } else {
                for (int c : p.topClasses) {
                    f.topClasses << c;
                    f.topProbabilities
                        << (c >= 0 && c < p.probabilities.size() ? double(p.probabilities[c])
                                                                 : 0.0);
                }
            }
            out << f;
        }
        if (job.images.size() > kPredictChunk) {
            const int done = qMin(from + kPredictChunk, int(job.images.size()));
            post([w = q, done, total = int(job.images.size())] {
                Q_EMIT w->progress(tr("Predicting"), done, total);
            });
        }
    }
    post([w = q, out = std::move(out)] { Q_EMIT w->predicted(out); });
}

} // namespace salient::train
