// SPDX-License-Identifier: GPL-3.0-or-later
// The queue between a worker object, called on its owner's thread, and the
// one thread of its own that works the jobs one at a time (ExportWorker,
// ExplainWorker), with the cancel flag the running job looks at.
#pragma once

#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>

namespace salient::train {

template <typename Job>
class JobQueue {
public:
    using Match = std::function<bool(const Job &)>;
    enum class CancelRunning { No, IfRunning, Always };

    /// The running job stops at its next look; take() clears it for the jobs
    /// its `resetsCancel` selects (a cancel given earlier was for an older job).
    std::atomic<bool> cancel{false};

    /// Starts the working thread: `loop` calls take() until it returns false.
    void start(const QString &name, std::function<void()> loop)
    {
        m_thread.reset(QThread::create(std::move(loop)));
        m_thread->setObjectName(name);
        m_thread->start();
    }

    ~JobQueue() { stop(); }

    /// Drops the waiting jobs, cancels the running one and joins the thread
    /// (the worker's destructor calls it before the thread's objects go).
    void stop()
    {
        {
            QMutexLocker lock(&m_mutex);
            m_stopping = true;
            m_queue.clear();
            cancel = true;
            m_wake.wakeAll();
        }
        if (m_thread)
            m_thread->wait();
    }

    /// Appends a job after dropping the waiting ones `replaces` selects.
    void push(Job job, const Match &replaces = {}, CancelRunning c = CancelRunning::No)
    {
        QMutexLocker lock(&m_mutex);
        if (replaces)
            m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(), replaces), m_queue.end());
        setCancel(c);
        m_queue.push_back(std::move(job));
        m_wake.wakeAll();
    }

    /// Removes the waiting jobs `which` selects (every one without it) and returns them.
    std::deque<Job> drop(const Match &which, CancelRunning c)
    {
        QMutexLocker lock(&m_mutex);
        std::deque<Job> dropped;
        for (auto it = m_queue.begin(); it != m_queue.end();) {
            if (!which || which(*it)) {
                dropped.push_back(std::move(*it));
                it = m_queue.erase(it);
            } else {
                ++it;
            }
        }
        setCancel(c);
        return dropped;
    }

    /// Worker thread: waits for the next job; false once the queue is being destroyed.
    bool take(Job *job, const Match &resetsCancel)
    {
        QMutexLocker lock(&m_mutex);
        while (!m_stopping && m_queue.empty())
            m_wake.wait(&m_mutex);
        if (m_stopping)
            return false;
        *job = std::move(m_queue.front());
        m_queue.pop_front();
        m_running = true;
        if (!resetsCancel || resetsCancel(*job))
            cancel = false;
        return true;
    }

    /// Worker thread: the job taken last is done.
    void finished()
    {
        QMutexLocker lock(&m_mutex);
        m_running = false;
    }

    bool isBusy() const
    {
        QMutexLocker lock(&m_mutex);
        return m_running || !m_queue.empty();
    }

private:
    void setCancel(CancelRunning c) // m_mutex held
    {
        if (c == CancelRunning::Always)
            cancel = true;
        else if (c == CancelRunning::IfRunning)
            cancel = m_running;
    }

    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Job> m_queue; // guarded by m_mutex
    bool m_running = false;  // guarded by m_mutex
    bool m_stopping = false; // guarded by m_mutex
    std::unique_ptr<QThread> m_thread;
};

} // namespace salient::train
