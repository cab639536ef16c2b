// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/probe.h"
#include "core/project/types.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>
#include <functional>

namespace salient {

class ProjectStore;

struct ImportOptions {
    QStringList paths;              ///< folders (scanned recursively) and single files
    bool labelsFromFolders = false; ///< ImageFolder layout: parent folder name becomes the class
    qint64 maxPixels = pixelLimit(); ///< the process-wide limit when the options are made
    int threads = 0; ///< 0: all cores
};

struct ImportProblem {
    QString path;
    QString reason;
};

/// What an import did, for the report shown to the user and printed by the CLI.
struct ImportReport {
    int scanned = 0;                     ///< image files found
    int added = 0;                       ///< new rows (readable or not)
    int alreadyPresent = 0;              ///< skipped: path already in the project
    int unreadable = 0;                  ///< added but marked unreadable (see problems)
    int duplicates = 0;                  ///< added, with the same bytes as an earlier image
    QVector<ImportProblem> problems;     ///< unreadable files with the reason, plus named
                                         ///< files that are no image type (not added)
    QVector<ImportProblem> duplicatesOf; ///< path -> "same content as <other path>"
    double seconds = 0;
};

struct ImportProgress {
    int done = 0;
    int total = 0;
    QString current;
};

/// Imports image files into a project: scans, hashes, reads headers (no full
/// decode) in a thread pool, and writes the rows in transactions. Odd files
/// never abort an import: each is recorded as unreadable with its reason.
/// Re-importing adds only what is new. Call it off the GUI thread, with a
/// store connection that belongs to the calling thread.
class Importer {
public:
    using ProgressFn = std::function<void(const ImportProgress &)>;

    explicit Importer(ProjectStore &store);

    /// progress is called at most ~10 times a second; cancel is checked between batches.
    /// A cancelled import keeps the batches already committed and reports Cancelled.
    Result<ImportReport> run(const ImportOptions &options, const ProgressFn &progress = {},
                             const std::atomic_bool *cancel = nullptr);

private:
    ProjectStore &m_store;
};

/// Everything the store needs about one image file: size, mtime, content hash
/// and header probe (no pixel decode). A file that cannot be read or probed
/// comes back with readable = false and the reason. Thread-safe.
NewImage readImageFile(const QString &absolutePath, qint64 maxPixels = pixelLimit());

/// Content hash as the store keeps it (hex XXH3-128 of the bytes).
QByteArray contentHash(const QByteArray &bytes);

/// Finds moved images by content: scans `folder`, and for every image whose
/// file is missing, points it at a file there with the same hash.
/// Returns how many were relinked.
Result<int> relinkByHash(ProjectStore &store, const QString &folder);

} // namespace salient
