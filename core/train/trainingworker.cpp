// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/trainingworker.h"

#include <QCoreApplication>
#include <QPointer>

namespace salient::train {

TrainingWorker::TrainingWorker(QObject *parent) : TrainingController(parent)
{
    // Queued signals across threads carry these by value.
    qRegisterMetaType<salient::train::TrainConfig>();
    qRegisterMetaType<salient::train::TrainProgress>();
    qRegisterMetaType<salient::train::EpochSummary>();
    qRegisterMetaType<salient::train::TrainOutcome>();
    qRegisterMetaType<salient::Error>();
}

TrainingWorker::~TrainingWorker()
{
    if (m_thread) {
        m_control.store(int(Control::Cancel));
        m_thread->wait();
        delete m_thread;
    }
}

bool TrainingWorker::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

bool TrainingWorker::isPaused() const
{
    return isRunning() && m_control.load() == int(Control::Pause);
}

bool TrainingWorker::wait(unsigned long ms)
{
    return !m_thread
           || m_thread->wait(QDeadlineTimer(ms == ULONG_MAX ? QDeadlineTimer::Forever
                                                            : QDeadlineTimer(qint64(ms))));
}

void TrainingWorker::start(const QString &projectFile, const TrainConfig &config,
                           const QString &runName)
{
    TrainRequest request;
    request.projectFile = projectFile;
    request.config = config;
    request.runName = runName;
    launch(request);
}

void TrainingWorker::resume(const QString &projectFile, qint64 runId)
{
    TrainRequest request;
    request.projectFile = projectFile;
    request.resumeRunId = runId;
    launch(request);
}

void TrainingWorker::pause()
{
    int expected = int(Control::Run);
    m_control.compare_exchange_strong(expected, int(Control::Pause));
}

void TrainingWorker::unpause()
{
    int expected = int(Control::Pause);
    m_control.compare_exchange_strong(expected, int(Control::Run));
}

void TrainingWorker::cancel()
{
    m_control.store(int(Control::Cancel));
}

void TrainingWorker::launch(const TrainRequest &request)
{
    if (isRunning()) {
        Q_EMIT failed(makeError(Error::Code::Invalid,
                                tr("A training run is already in progress; cancel it first."),
                                request.projectFile));
        return;
    }
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    m_control.store(int(Control::Run));

    // The callbacks run on the training thread; each hops to this object's
    // thread with a queued call (dropped if this object is gone by then).
    TrainObserver observer;
    observer.started = [this](qint64 id) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT started(id); }, Qt::QueuedConnection);
    };
    observer.progress = [this](const TrainProgress &p) {
        QMetaObject::invokeMethod(
            this, [this, p] { Q_EMIT progress(p); }, Qt::QueuedConnection);
    };
    observer.epochFinished = [this](const EpochSummary &e) {
        QMetaObject::invokeMethod(
            this, [this, e] { Q_EMIT epochFinished(e); }, Qt::QueuedConnection);
    };
    observer.log = [this](const QString &line) {
        qInfo("training: %s", qPrintable(line));
        QMetaObject::invokeMethod(
            this, [this, line] { Q_EMIT logged(line); }, Qt::QueuedConnection);
    };

    m_thread = QThread::create([this, request, observer] {
        Result<TrainOutcome> outcome = runTraining(request, observer, &m_control);
        // Emitted after the thread has ended, so isRunning() is false in the slots.
        QThread *thread = QThread::currentThread();
        QMetaObject::invokeMethod(
            this,
            [this, outcome, thread] {
                if (m_thread == thread)
                    thread->wait();
                if (outcome.ok())
                    Q_EMIT finished(outcome.value());
                else
                    Q_EMIT failed(outcome.error());
            },
            Qt::QueuedConnection);
    });
    m_thread->setObjectName(QStringLiteral("training"));
    m_thread->start();
}

} // namespace salient::train
