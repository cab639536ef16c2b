// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/thumbnailer.h"

#include "core/imaging/decode.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QMutexLocker>
#include <QPainter>
#include <QSaveFile>
#include <QThread>

#include <algorithm>

namespace salient {

namespace {

int costKiB(const QImage &image)
{
    return std::max<int>(1, int(image.sizeInBytes() / 1024));
}

/// Reads a cached thumbnail; a file that does not decode counts as a miss.
QImage readDiskCache(const QString &file, int side)
{
    if (file.isEmpty() || !QFileInfo::exists(file))
        return {};
    QImageReader reader(file);
    // Our own files, but the folder is writable by anyone who can write the
    // project: a planted "thumbnail" gets the same size check as any image.
    if (!checkReaderSize(reader, file).ok())
        return {};
    QImage image = reader.read();
    if (image.isNull())
        return {};
    // A cache written with a larger side (an older setting) still serves, shrunk.
    if (image.width() > side || image.height() > side)
        image = image.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

/// JPEG has no alpha: composite onto white so transparent areas do not turn black.
QImage opaqueForJpeg(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return image;
    QImage out(image.size(), QImage::Format_RGB32);
    out.fill(Qt::white);
    QPainter painter(&out);
    painter.drawImage(0, 0, image);
    painter.end();
    return out;
}

/// Atomic write (QSaveFile): a crash leaves no half-written thumbnail that
/// a later run would take for a good one.
void writeDiskCache(const QString &file, const QImage &image)
{
    if (file.isEmpty())
        return;
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        return;
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return;
    QImageWriter writer(&out, "jpg");
    writer.setQuality(Thumbnailer::kDiskQuality);
    if (writer.write(opaqueForJpeg(image)))
        out.commit();
    else
        out.cancelWriting();
}

} // namespace

Thumbnailer::Thumbnailer(QString cacheDir, int side, int threads, QObject *parent)
    : QObject(parent), m_cacheDir(std::move(cacheDir)), m_side(std::max(16, side))
{
    m_pool.setMaxThreadCount(threads > 0 ? threads : std::max(1, QThread::idealThreadCount()));
    m_memory.setMaxCost(kDefaultMemoryKiB);
}

Thumbnailer::~Thumbnailer()
{
    clear();
    m_pool.waitForDone();
}

QString Thumbnailer::cacheFile(const QByteArray &hash) const
{
    if (m_cacheDir.isEmpty() || hash.isEmpty())
        return {};
    // The hash comes from the project file, which may come from someone else:
    // only a plain hex digest may become a file name ("../../x" would put a
    // thumbnail anywhere with a .jpg name). Anything else gets no disk cache.
    static const auto isHexDigit = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    if (hash.size() > 128 || !std::all_of(hash.begin(), hash.end(), isHexDigit))
        return {};
    const QString name = QString::fromLatin1(hash);
    return m_cacheDir + QLatin1Char('/') + name.left(2) + QLatin1Char('/') + name
        + QStringLiteral(".jpg");
}

QImage Thumbnailer::request(qint64 id, const QString &absolutePath, const QByteArray &hash,
                            int orientation)
{
    if (const QImage *hit = m_memory.object(id))
        return *hit;
    if (m_failed.contains(id))
        return {};
    {
        QMutexLocker lock(&m_mutex);
        if (m_inFlight.contains(id))
            return {};
        m_inFlight.insert(id, true);
        m_queue.append(Job{id, absolutePath, hash, orientation, m_generation});
    }
    schedule();
    return {};
}

void Thumbnailer::schedule()
{
    QMutexLocker lock(&m_mutex);
    // One runnable per free thread; each drains the queue newest-first, so
    // the order is decided when a thread is free, not when a job was asked.
    while (m_running < m_pool.maxThreadCount() && m_running < m_queue.size()) {
        ++m_running;
        m_pool.start([this] { runJobs(); });
    }
}

void Thumbnailer::runJobs()
{
    for (;;) {
        Job job;
        {
            QMutexLocker lock(&m_mutex);
            if (m_queue.isEmpty()) {
                --m_running;
                return;
            }
            job = m_queue.takeLast();
        }
        const QString file = cacheFile(job.hash);
        QImage image = readDiskCache(file, m_side);
        QString error;
        if (image.isNull()) {
            Result<QImage> made = makeThumbnail(job.path, m_side, job.orientation);
            if (made.ok()) {
                image = std::move(made.value());
                writeDiskCache(file, image);
            } else {
                error = made.error().toString();
                if (error.isEmpty())
                    error = tr("%1: cannot make a thumbnail").arg(job.path);
            }
        }
        QMetaObject::invokeMethod(
            this,
            [this, id = job.id, image, error, generation = job.generation] {
                finish(id, image, error, generation);
            },
            Qt::QueuedConnection);
    }
}

void Thumbnailer::finish(qint64 id, const QImage &image, const QString &error, quint64 generation)
{
    {
        QMutexLocker lock(&m_mutex);
        if (generation != m_generation)
            return; // asked for before clear(): the project it belonged to is gone
        m_inFlight.remove(id);
    }
    if (!error.isEmpty() || image.isNull()) {
        const QString reason = error.isEmpty() ? tr("empty thumbnail") : error;
        m_failed.insert(id, reason);
        Q_EMIT thumbnailFailed(id, reason);
        return;
    }
    m_memory.insert(id, new QImage(image), costKiB(image));
    Q_EMIT thumbnailReady(id, image);
}

void Thumbnailer::cancelPending()
{
    QMutexLocker lock(&m_mutex);
    for (const Job &job : std::as_const(m_queue))
        m_inFlight.remove(job.id);
    m_queue.clear();
}

void Thumbnailer::clear()
{
    {
        QMutexLocker lock(&m_mutex);
        m_queue.clear();
        m_inFlight.clear();
        ++m_generation;
    }
    m_memory.clear();
    m_failed.clear();
}

void Thumbnailer::waitForDone()
{
    m_pool.waitForDone();
}

int Thumbnailer::pendingCount() const
{
    QMutexLocker lock(&m_mutex);
    return m_queue.size();
}

} // namespace salient
