// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to the fuzz entry functions.
#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

#include <cstddef>
#include <cstdint>

namespace salient::fuzz {

/// A line of its own that separates the files of a multi-file input.
inline constexpr char kPartSeparator[] = "\n#%%\n";

/// A QCoreApplication when none exists yet (Qt's thread pool, image plugins).
void ensureApplication();

/// This target's scratch folder (created once per process, in RAM when
/// /dev/shm exists), holding a real 8 x 6 PNG as a.png and, as given, copies
/// of it under `imageFolders`.
QString scratchDir(const char *target, const QStringList &imageFolders = {});

/// Writes bytes to dir/relative (folders created); an empty optional part
/// removes the file, so no file outlives the input that made it.
void putFile(const QString &dir, const QString &relative, const QByteArray *bytes);

/// The input split at kPartSeparator into at most `maxParts` parts (the last
/// keeps any further separators).
QVector<QByteArray> splitParts(const std::uint8_t *data, std::size_t size, int maxParts);

} // namespace salient::fuzz
