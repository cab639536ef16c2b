// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/formats/format.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QString>

#include <atomic>

namespace salient {

/// Annotation files larger than this are refused before reading (a COCO file of
/// a million boxes is about 150 MB).
constexpr qint64 kMaxAnnotationFileBytes = 4LL * 1024 * 1024 * 1024 - 1;

/// Resolves `name` (as written in an annotation file) against `base`, and
/// confirms that the result lies inside `root`. Absolute names, names that
/// climb out of root with "..", and symlinks that lead out of it are refused
/// with a message for the user ("refused: absolute path", ...). Backslashes
/// are taken as separators (files written on Windows).
Result<QString> resolveInside(const QString &root, const QString &base, const QString &name);

/// Whole file, with an Error naming it when missing, unreadable or too large.
Result<QByteArray> readAnnotationFile(const QString &path, qint64 maxBytes = kMaxAnnotationFileBytes);

/// 1-based line and column of a byte offset in text.
int lineAtOffset(const QByteArray &text, qint64 offset);
int columnAtOffset(const QByteArray &text, qint64 offset);

/// Parses JSON; a syntax error is a Parse Error naming the file, the line and
/// column, and what the parser expected.
Result<QJsonDocument> parseJsonFile(const QByteArray &text, const QString &path);

/// Writes a whole file through QSaveFile (the old file, if any, stays intact
/// until the new one is complete). Creates missing folders.
Status writeFileAtomically(const QString &path, const QByteArray &bytes);

/// Puts the image `source` at `destination` (folders created): a hard link
/// when allowed and possible, else a copy; nothing for ImagePlacement::None.
/// An existing destination with the same size is kept.
Status placeImage(const QString &source, const QString &destination, ImagePlacement placement);

/// A file name safe to write on every common file system, derived from a
/// project's stored path: '/' kept as folders, other awkward characters replaced.
/// Absolute or climbing stored paths become "external/<file name>"; no "..",
/// "." or empty segment survives, so the result joined to an output folder
/// stays inside it whatever the project says.
QString exportRelativePath(const QString &storedPath);

/// One path segment (a split or class name used as a folder or file name):
/// separators and awkward characters replaced, never "", "." or "..", not hidden.
QString exportFileName(const QString &name);

/// A path as the user's system writes it, for messages.
QString shownPath(const QString &path);

/// Whether a cancel flag (may be null) is set.
inline bool isCancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

/// Number formatting for text formats: shortest round-trip form, "." decimal
/// point, no exponent for ordinary magnitudes, at most `decimals` decimals.
QString formatNumber(double value, int decimals = 6);

} // namespace salient
