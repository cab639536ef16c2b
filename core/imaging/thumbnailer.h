// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCache>
#include <QHash>
#include <QImage>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>

namespace salient {

/// Makes thumbnails off the GUI thread. request() answers at once: the
/// thumbnail if it is in memory, else a null image, and then
/// thumbnailReady() later. Duplicate requests are dropped; the newest
/// requests are served first (what is on screen now); a disk cache keyed by
/// content hash (`<project>.thumbs/`) makes a reopened project fast.
/// clear() (and the destructor) drop pending work.
///
/// Thread use: request(), cancelPending(), clear() and the signals belong to
/// the thread that owns the object (the GUI thread); only the pool decodes.
class Thumbnailer : public QObject {
    Q_OBJECT
public:
    /// Memory cache bound, in KiB (the cache's cost unit).
    static constexpr int kDefaultMemoryKiB = 96 * 1024;
    /// JPEG quality of the disk cache files.
    static constexpr int kDiskQuality = 85;

    /// cacheDir: where the disk cache lives ("" = no disk cache). side: thumbnail box in pixels.
    explicit Thumbnailer(QString cacheDir, int side = 256, int threads = 0, QObject *parent = nullptr);
    ~Thumbnailer() override;

    int side() const { return m_side; }
    QString cacheDir() const { return m_cacheDir; }

    /// The thumbnail if ready, else a null QImage (and the work is queued).
    QImage request(qint64 id, const QString &absolutePath, const QByteArray &hash, int orientation);
    /// True when request(id, ...) would answer with the thumbnail at once.
    bool contains(qint64 id) const { return m_memory.contains(id); }
    /// True when making this thumbnail failed (since the last clear()); such
    /// ids are not queued again, so a broken file is decoded once.
    bool hasFailed(qint64 id) const { return m_failed.contains(id); }
    /// Drops queued requests that have not started (e.g. the view scrolled on).
    void cancelPending();
    /// Drops pending work and the memory cache (the project closed).
    void clear();
    /// Blocks until started work has finished (tests, shutdown).
    void waitForDone();

    /// Path of the cached thumbnail file for a content hash.
    QString cacheFile(const QByteArray &hash) const;
    /// Sets the memory cache bound in KiB (tests, low-memory machines).
    void setMemoryLimitKiB(int kib) { m_memory.setMaxCost(kib); }
    /// Jobs waiting for a thread (for tests and the status bar).
    int pendingCount() const;

Q_SIGNALS:
    void thumbnailReady(qint64 id, const QImage &image);
    void thumbnailFailed(qint64 id, const QString &reason);

private:
    struct Pending;
    void schedule();
    void runJobs();
    void finish(qint64 id, const QImage &image, const QString &error, quint64 generation);

    QString m_cacheDir;
    int m_side;
    QThreadPool m_pool;
    QCache<qint64, QImage> m_memory; ///< cost in KiB, bounded
    QHash<qint64, QString> m_failed; ///< id -> reason; GUI thread only
    mutable QMutex m_mutex;          ///< guards the queue below
    struct Job {
        qint64 id;
        QString path;
        QByteArray hash;
        int orientation;
        quint64 generation;
    };
    QVector<Job> m_queue;            ///< newest last; served newest first
    QHash<qint64, bool> m_inFlight;  ///< queued or running
    quint64 m_generation = 0;        ///< bumped by clear(): late results are dropped
    int m_running = 0;               ///< pool runnables draining the queue
};

} // namespace salient
