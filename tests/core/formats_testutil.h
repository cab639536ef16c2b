// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the format suites: read a dataset and show why when it fails.

#include "core/formats/format.h"

#include <QDebug>

namespace salient::test {

/// format.read(dir); an empty Dataset on failure. Problems go to problemsOut
/// when given, else they are printed (a test that expects none then shows them).
inline Dataset readDataset(const DatasetFormat &format, const QString &dir,
                           QVector<FormatProblem> *problemsOut = nullptr)
{
    QVector<FormatProblem> problems;
    auto r = format.read(dir, {}, problems);
    if (!r.ok())
        qWarning() << r.error().toString();
    if (problemsOut)
        *problemsOut = problems;
    else
        for (const auto &p : problems)
            qWarning() << p.toString();
    return r.ok() ? r.value() : Dataset{};
}

} // namespace salient::test
