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
class Thumbnailer : public QObject {
    Q_OBJECT
public:
    /// cacheDir: where the disk cache lives ("" = no disk cache). side: thumbnail box in pixels.
    explicit Thumbnailer(QString cacheDir, int side = 256, int threads = 0, QObject *parent = nullptr);
    ~Thumbnailer() override;

    int side() const { return m_side; }

    /// The thumbnail if ready, else a null QImage (and the work is queued).
    QImage request(qint64 id, const QString &absolutePath, const QByteArray &hash, int orientation);
    /// Drops queued requests that have not started (e.g. the view scrolled on).
    void cancelPending();
    /// Drops pending work and the memory cache (the project closed).
    void clear();
    /// Blocks until started work has finished (tests, shutdown).
    void waitForDone();

    /// Path of the cached thumbnail file for a content hash.
    QString cacheFile(const QByteArray &hash) const;

Q_SIGNALS:
    void thumbnailReady(qint64 id, const QImage &image);
    void thumbnailFailed(qint64 id, const QString &reason);

private:
    struct Pending;
    void schedule();
    void finish(qint64 id, const QImage &image, const QString &error, quint64 generation);

    QString m_cacheDir;
    int m_side;
    QThreadPool m_pool;
    QCache<qint64, QImage> m_memory; ///< cost in KiB, bounded
    QMutex m_mutex;                  ///< guards the queue below
    struct Job {
        qint64 id;
        QString path;
        QByteArray hash;
        int orientation;
    };
    QVector<Job> m_queue;            ///< newest last; served newest first
    QHash<qint64, bool> m_inFlight;  ///< queued or running
    quint64 m_generation = 0;        ///< bumped by clear(): late results are dropped
    int m_running = 0;
};

} // namespace salient
