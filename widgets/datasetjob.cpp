// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/datasetjob.h"

#include "core/project/store.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace salient {

/// The worker's side of the problems question, shared so that it outlives
/// whichever of the two ends first.
struct DatasetJob::Shared {
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<bool> answer;
};

DatasetJob::DatasetJob(QObject *parent)
    : QObject(parent), m_cancel(std::make_shared<std::atomic_bool>(false)),
      m_shared(std::make_shared<Shared>())
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &DatasetJob::onFinished);
}

DatasetJob::~DatasetJob()
{
    cancel();
    m_watcher.waitForFinished();
}

void DatasetJob::cancel()
{
    m_cancel->store(true);
    // A worker waiting for an answer wakes up and aborts.
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    m_shared->answered.notify_all();
}

void DatasetJob::answerProblems(bool skip)
{
    std::lock_guard<std::mutex> lock(m_shared->mutex);
    m_shared->answer = skip;
    m_shared->answered.notify_all();
}

DatasetProgressFn DatasetJob::progressForwarder()
{
    QPointer<DatasetJob> self(this);
    return [self](const DatasetProgress &p) {
        // Called in the worker; the signal is emitted on the GUI thread.
        QMetaObject::invokeMethod(
            self.data(),
            [self, p]() {
                if (self)
                    Q_EMIT self->progress(p.stage, p.done, p.total);
            },
            Qt::QueuedConnection);
    };
}

bool DatasetJob::startImport(const QString &projectFile, const DatasetImportOptions &options,
                             ImportFn run)
{
    if (m_watcher.isRunning())
        return false;
    if (!run)
        run = importDataset;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_shared = std::make_shared<Shared>();
    auto cancel = m_cancel;
    auto shared = m_shared;
    QPointer<DatasetJob> self(this);
    const DatasetProgressFn progress = progressForwarder();
    ProblemDecision decide = [self, cancel, shared](const QVector<FormatProblem> &problems) {
        {
            std::lock_guard<std::mutex> lock(shared->mutex);
            shared->answer.reset();
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, problems]() {
                if (self)
                    Q_EMIT self->problemsFound(problems);
            },
            Qt::QueuedConnection);
        std::unique_lock<std::mutex> lock(shared->mutex);
        while (!shared->answer && !cancel->load())
            shared->answered.wait_for(lock, std::chrono::milliseconds(200));
        // Cancelled while asking: abort, which leaves the project unchanged.
        return shared->answer.value_or(false) && !cancel->load();
    };
    m_watcher.setFuture(QtConcurrent::run([projectFile, options, run, decide, progress, cancel]() {
        Outcome out;
        auto store = ProjectStore::open(projectFile);
        if (!store.ok()) {
            out.error = store.error();
            return out;
        }
        auto report = run(**store, options, decide, progress, cancel.get());
        if (report.ok())
            out.imported = report.value();
        else
            out.error = report.error();
        return out;
    }));
    return true;
}

bool DatasetJob::startExport(const QString &projectFile, const DatasetExportOptions &options,
                             ExportFn run)
{
    if (m_watcher.isRunning())
        return false;
    if (!run)
        run = exportDataset;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_shared = std::make_shared<Shared>();
    auto cancel = m_cancel;
    const DatasetProgressFn progress = progressForwarder();
    m_watcher.setFuture(QtConcurrent::run([projectFile, options, run, progress, cancel]() {
        Outcome out;
        auto store = ProjectStore::open(projectFile);
        if (!store.ok()) {
            out.error = store.error();
            return out;
        }
        auto report = run(**store, options, progress, cancel.get());
        if (report.ok())
            out.exported = report.value();
        else
            out.error = report.error();
        return out;
    }));
    return true;
}

void DatasetJob::onFinished()
{
    const Outcome out = m_watcher.result();
    if (out.imported)
        Q_EMIT importFinished(*out.imported);
    else if (out.exported)
        Q_EMIT exportFinished(*out.exported);
    else if (out.error)
        Q_EMIT failed(*out.error);
}

QString datasetStageText(const QString &stage)
{
    // The pipeline names its stages in English; these are the ones it uses.
    static const char *const kStages[] = {
        QT_TRANSLATE_NOOP("salient::DatasetJob", "Reading"),
        QT_TRANSLATE_NOOP("salient::DatasetJob", "Checking images"),
        QT_TRANSLATE_NOOP("salient::DatasetJob", "Writing project"),
        QT_TRANSLATE_NOOP("salient::DatasetJob", "Writing files"),
    };
    for (const char *s : kStages)
        if (stage == QLatin1String(s))
            return QCoreApplication::translate("salient::DatasetJob", s);
    return stage;
}

} // namespace salient
