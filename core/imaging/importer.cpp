// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/importer.h"

#include "core/project/store.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <xxhash.h>

#include <algorithm>

namespace salient {
namespace {

/// Rows per store transaction: large enough that commits are cheap, small
/// enough that a cancel or crash loses little and progress moves.
constexpr int kBatchSize = 500;
constexpr qint64 kProgressIntervalMs = 100;

struct Candidate {
    QString path; ///< absolute, clean
    QString root; ///< folder it was found under ("" for a file named directly)
};

/// What a worker learns about one file.
struct Scanned {
    NewImage image;
};

QByteArray hashHex(const QByteArray &bytes)
{
    const XXH128_hash_t h = XXH3_128bits(bytes.constData(), size_t(bytes.size()));
    XXH128_canonical_t canonical;
    XXH128_canonicalFromHash(&canonical, h);
    return QByteArray(reinterpret_cast<const char *>(canonical.digest), sizeof(canonical.digest))
        .toHex();
}

bool hasImageSuffix(const QString &fileName, const QStringList &suffixes)
{
    const int dot = fileName.lastIndexOf(QLatin1Char('.'));
    if (dot < 0)
        return false;
    return suffixes.contains(fileName.mid(dot + 1).toLower());
}

/// Folders we never descend into: hidden ones and the project's thumbnail cache.
struct ScanRules {
    QStringList suffixes = supportedImageSuffixes();
    QSet<QString> skipDirs; ///< absolute paths
};

void scanFolder(const QString &root, const ScanRules &rules, QVector<Candidate> &out)
{
    QVector<QString> stack{root};
    QSet<QString> visited; // canonical paths: symlink loops end here
    while (!stack.isEmpty()) {
        const QString dirPath = stack.takeLast();
        const QString canonical = QFileInfo(dirPath).canonicalFilePath();
        if (visited.contains(canonical))
            continue;
        visited.insert(canonical);
        // No QDir::Hidden: hidden files and folders (.git, .cache...) are skipped.
        const QFileInfoList entries = QDir(dirPath).entryInfoList(
            QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        for (const QFileInfo &fi : entries) {
            const QString p = fi.absoluteFilePath();
            if (fi.isDir()) {
                if (!rules.skipDirs.contains(p))
                    stack.append(p);
            } else if (hasImageSuffix(fi.fileName(), rules.suffixes)) {
                out.append({p, root});
            }
        }
    }
}

Scanned readOne(const Candidate &c, bool labelsFromFolders, qint64 maxPixels)
{
    Scanned s;
    NewImage &img = s.image;
    img.absolutePath = c.path;
    const QFileInfo fi(c.path);
    img.fileSize = fi.size();
    img.mtime = fi.lastModified().toMSecsSinceEpoch();
    if (labelsFromFolders) {
        // ImageFolder layout: root/<class>/image. Files lying directly in the
        // imported folder have no class.
        const QString parent = fi.absolutePath();
        if (parent != c.root)
            img.labels = QStringList{QFileInfo(parent).fileName()};
    }
    auto bytes = readFileBytes(c.path);
    if (!bytes.ok()) {
        img.readable = false;
        img.unreadableReason = bytes.error().message;
        return s;
    }
    img.fileSize = bytes->size();
    if (!bytes->isEmpty())
        img.hash = hashHex(bytes.value());
    auto probe = probeImage(bytes.value(), c.path, maxPixels);
    if (!probe.ok()) {
        img.readable = false;
        img.unreadableReason = probe.error().message;
        return s;
    }
    img.width = probe->width;
    img.height = probe->height;
    img.orientation = probe->orientation;
    img.format = probe->format;
    img.bitDepth = probe->bitDepth;
    img.channels = probe->channels;
    return s;
}

QString shown(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

/// Paths of the given arguments, expanded; errors for paths that do not exist.
Result<QVector<Candidate>> collect(const QStringList &paths, const ScanRules &rules,
                                   QVector<ImportProblem> &skipped)
{
    QVector<Candidate> out;
    for (const QString &arg : paths) {
        const QFileInfo fi(arg);
        if (!fi.exists())
            return makeError(Error::Code::NotFound, QStringLiteral("no such file or folder"), arg);
        if (fi.isDir()) {
            scanFolder(QDir::cleanPath(fi.absoluteFilePath()), rules, out);
        } else if (hasImageSuffix(fi.fileName(), rules.suffixes)) {
            out.append({QDir::cleanPath(fi.absoluteFilePath()), QString()});
        } else {
            skipped.append({shown(fi.absoluteFilePath()),
                            QStringLiteral("not an image file type (.%1)").arg(fi.suffix())});
        }
    }
    // Sorted and unique, so that "earlier" (for duplicates) is well defined.
    std::sort(out.begin(), out.end(),
              [](const Candidate &a, const Candidate &b) { return a.path < b.path; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Candidate &a, const Candidate &b) { return a.path == b.path; }),
              out.end());
    return out;
}

ScanRules rulesFor(const ProjectStore &store)
{
    ScanRules rules;
    const QFileInfo project(store.filePath());
    const QDir dir(store.directory());
    rules.skipDirs.insert(QDir::cleanPath(
        dir.absoluteFilePath(project.completeBaseName() + QStringLiteral(".thumbs"))));
    rules.skipDirs.insert(
        QDir::cleanPath(dir.absoluteFilePath(project.fileName() + QStringLiteral(".thumbs"))));
    return rules;
}

int threadCount(int requested)
{
    return requested > 0 ? requested : std::max(1, QThread::idealThreadCount());
}

/// Runs fn over items in a private pool, handing results back in order.
template <typename In, typename Fn>
auto startMapped(QThreadPool &pool, const QVector<In> &items, Fn fn)
{
    return QtConcurrent::mapped(&pool, items, fn);
}

} // namespace

NewImage readImageFile(const QString &absolutePath, qint64 maxPixels)
{
    return readOne(Candidate{absolutePath, QString()}, false, maxPixels).image;
}

QByteArray contentHash(const QByteArray &bytes)
{
    return hashHex(bytes);
}

Importer::Importer(ProjectStore &store) : m_store(store) {}

Result<ImportReport> Importer::run(const ImportOptions &options, const ProgressFn &progress,
                                   const std::atomic_bool *cancel)
{
    QElapsedTimer clock;
    clock.start();
    ImportReport report;

    const ScanRules rules = rulesFor(m_store);
    auto collected = collect(options.paths, rules, report.problems);
    if (!collected.ok())
        return collected.error();
    QVector<Candidate> &all = collected.value();
    report.scanned = all.size();

    // What the project has already: its paths (one query) and, for duplicate
    // reports, the content hash of each stored image.
    auto stored = m_store.storedPaths();
    if (!stored.ok())
        return stored.error();
    QSet<QString> present;
    present.reserve(stored->size());
    for (const QString &p : stored.value())
        present.insert(QDir::cleanPath(m_store.toAbsolutePath(p)));
    QVector<Candidate> todo;
    todo.reserve(all.size());
    for (const Candidate &c : all) {
        if (present.contains(c.path))
            ++report.alreadyPresent;
        else
            todo.append(c);
    }
    QHash<QByteArray, QString> firstWithHash;
    if (!present.isEmpty() && !todo.isEmpty()) {
        auto ids = m_store.imageIds();
        if (!ids.ok())
            return ids.error();
        auto records = m_store.images(ids.value());
        if (!records.ok())
            return records.error();
        for (const ImageRecord &r : records.value()) {
            if (!r.hash.isEmpty() && !firstWithHash.contains(r.hash))
                firstWithHash.insert(r.hash, r.absolutePath);
        }
    }

    QThreadPool pool;
    pool.setMaxThreadCount(threadCount(options.threads));
    const bool labels = options.labelsFromFolders;
    const qint64 maxPixels = options.maxPixels;
    auto work = [labels, maxPixels](const Candidate &c) { return readOne(c, labels, maxPixels); };

    ImportProgress state;
    state.total = todo.size();
    QElapsedTimer sinceReport;
    sinceReport.start();
    auto report_ = [&](bool force) {
        if (!progress || (!force && sinceReport.elapsed() < kProgressIntervalMs))
            return;
        sinceReport.restart();
        progress(state);
    };
    report_(true);
    if (cancel && cancel->load())
        return makeError(Error::Code::Cancelled,
                         QStringLiteral("import cancelled before it started"));

    // Batch k+1 is read and hashed by the pool while batch k is committed.
    auto batchOf = [&](int index) { return todo.mid(index * kBatchSize, kBatchSize); };
    const int batches = (todo.size() + kBatchSize - 1) / kBatchSize;
    QFuture<Scanned> next;
    if (batches > 0)
        next = startMapped(pool, batchOf(0), work);
    for (int b = 0; b < batches; ++b) {
        while (!next.isFinished()) {
            if (progress) {
                state.done = b * kBatchSize + next.resultCount();
                report_(false);
            }
            QThread::msleep(5);
        }
        const QList<Scanned> results = next.results();
        const bool cancelled = cancel && cancel->load();
        if (b + 1 < batches && !cancelled)
            next = startMapped(pool, batchOf(b + 1), work);

        QVector<NewImage> rows;
        rows.reserve(results.size());
        for (const Scanned &s : results)
            rows.append(s.image);
        auto ids = m_store.addImages(rows);
        if (!ids.ok()) {
            next.waitForFinished();
            return ids.error();
        }
        for (int i = 0; i < rows.size(); ++i) {
            const NewImage &img = rows[i];
            if (i < ids->size() && ids->at(i) == 0) { // another connection added it meanwhile
                ++report.alreadyPresent;
                continue;
            }
            ++report.added;
            if (!img.readable) {
                ++report.unreadable;
                report.problems.append({shown(img.absolutePath), img.unreadableReason});
            }
            if (!img.hash.isEmpty()) {
                auto it = firstWithHash.constFind(img.hash);
                if (it != firstWithHash.constEnd()) {
                    ++report.duplicates;
                    report.duplicatesOf.append(
                        {shown(img.absolutePath),
                         QStringLiteral("same content as %1").arg(shown(it.value()))});
                } else {
                    firstWithHash.insert(img.hash, img.absolutePath);
                }
            }
        }
        state.done = std::min(int(todo.size()), (b + 1) * kBatchSize);
        state.current = rows.isEmpty() ? QString() : rows.last().absolutePath;
        report_(b + 1 == batches);
        if (cancelled && b + 1 < batches)
            return makeError(Error::Code::Cancelled,
                             QStringLiteral("import cancelled after %1 of %2 new images")
                                                .arg(state.done)
                                                .arg(state.total));
    }
    report.seconds = clock.nsecsElapsed() / 1e9;
    return report;
}

Result<int> relinkByHash(ProjectStore &store, const QString &folder)
{
    const QFileInfo fi(folder);
    if (!fi.isDir())
        return makeError(Error::Code::NotFound, QStringLiteral("no such folder"), folder);
    auto ids = store.imageIds();
    if (!ids.ok())
        return ids.error();
    auto records = store.images(ids.value());
    if (!records.ok())
        return records.error();

    // Missing images by hash; sizes let us skip hashing files that cannot match.
    QHash<QByteArray, QVector<qint64>> missing;
    QSet<qint64> sizes;
    QSet<QString> present;
    for (const ImageRecord &r : records.value()) {
        if (QFileInfo::exists(r.absolutePath)) {
            present.insert(QDir::cleanPath(r.absolutePath));
        } else if (!r.hash.isEmpty()) {
            missing[r.hash].append(r.id);
            sizes.insert(r.fileSize);
        }
    }
    if (missing.isEmpty())
        return 0;

    QVector<Candidate> files;
    scanFolder(QDir::cleanPath(fi.absoluteFilePath()), rulesFor(store), files);
    QVector<QString> candidates;
    for (const Candidate &c : files) {
        if (!present.contains(c.path) && sizes.contains(QFileInfo(c.path).size()))
            candidates.append(c.path);
    }
    std::sort(candidates.begin(), candidates.end());

    QThreadPool pool;
    pool.setMaxThreadCount(threadCount(0));
    const QList<QByteArray> hashes =
        QtConcurrent::blockingMapped<QList<QByteArray>>(&pool, candidates, [](const QString &p) {
            auto bytes = readFileBytes(p);
            return bytes.ok() && !bytes->isEmpty() ? hashHex(bytes.value()) : QByteArray();
        });

    // Each missing image takes the next unused file with its content, so
    // duplicates that moved together are relinked to distinct files.
    QVector<QPair<qint64, QString>> moves;
    for (int i = 0; i < candidates.size(); ++i) {
        auto it = missing.find(hashes.at(i));
        if (it == missing.end() || it->isEmpty())
            continue;
        moves.append({it->takeFirst(), candidates.at(i)});
    }
    if (moves.isEmpty())
        return 0;
    auto status = store.setImagePaths(moves);
    if (!status.ok())
        return status.error();
    return int(moves.size());
}

} // namespace salient
