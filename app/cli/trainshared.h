// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small helpers shared by `salient-cli train`, `eval` and `runs` (train.cpp,
// runs.cpp): JSON lines that reach a pipe at once, metric formatting, and
// finding a run by id or name.

#include "app/cli/commands.h"
#include "core/runs/metrics.h"
#include "core/runs/runstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cstdio>

namespace salient::cli {

/// One compact JSON object and a newline on stdout, flushed: a script reading
/// the pipe sees each event when it happens.
inline void jsonLine(const QJsonObject &o)
{
    out(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
    std::fflush(stdout);
}

/// The engine marks unmeasured values with a negative number; JSON says null.
inline QJsonValue measured(double v)
{
    return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
}

/// "91.2%" or "-" for an unmeasured value.
inline QString percent(double v)
{
    return v < 0 ? QStringLiteral("-") : QString::number(100.0 * v, 'f', 1) + QLatin1Char('%');
}

/// "0.912" or "-".
inline QString decimal(double v, int digits = 3)
{
    return v < 0 ? QStringLiteral("-") : QString::number(v, 'f', digits);
}

/// A run named by its id or, failing that, by its exact name (newest first wins).
inline Result<train::RunRecord> findRun(ProjectStore &store, const QString &which)
{
    train::RunStore runs(store);
    bool isId = false;
    const qint64 id = which.toLongLong(&isId);
    if (isId && id > 0) {
        auto r = runs.run(id);
        if (!r && r.error().code == Error::Code::NotFound)
            return makeError(Error::Code::NotFound,
                             QStringLiteral("no run %1 in the project (see salient-cli runs)").arg(id),
                             store.filePath());
        return r;
    }
    auto all = runs.runs();
    if (!all)
        return all.error();
    for (const train::RunRecord &r : *all)
        if (r.name == which)
            return r;
    return makeError(Error::Code::NotFound,
                     QStringLiteral("no run named \"%1\" in the project (see salient-cli runs)").arg(which),
                     store.filePath());
}

} // namespace salient::cli
