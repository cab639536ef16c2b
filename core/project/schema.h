// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The project schema: ordered forward migrations. `PRAGMA user_version` is the
// schema version; `PRAGMA application_id` marks the file as a Salient project.

#include "core/util/result.h"

#include <QString>

struct sqlite3;

namespace salient::schema {

/// 'SALT': written into the SQLite header of every project file.
constexpr int kApplicationId = 0x53414C54;

/// Highest schema version this build knows.
int latestVersion();

/// The file's user_version (an error when negative) / application_id.
Result<int> userVersion(sqlite3 *db, const QString &file);
Result<int> applicationId(sqlite3 *db, const QString &file);

/// Applies the migrations from the file's current version up to `version`, all
/// in one transaction (a savepoint when one is already open), so a failure
/// leaves the file at its old version. Also stamps the application id.
/// Used by ProjectStore; public so tests can build a file at any earlier version.
Status migrateTo(sqlite3 *db, int version, const QString &file);

} // namespace salient::schema
