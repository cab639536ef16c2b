// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The two measuring stages of bench_scale, each run in a process of its own.

#include <QFile>
#include <QString>

#include <sys/resource.h>

namespace salient::bench {

/// Opens the project as the studio does, scrolls the whole grid, filters, and
/// labels `labelled` images through the documents; prints peak RSS at each step.
int runMemoryStage(const QString &file, int labelled, int waitEvery);

/// Times every user action `runs` times; prints median and worst.
int runActionsStage(const QString &file, int runs);

/// A field of /proc/self/status ("VmHWM:", "VmRSS:") in MiB, -1 if unknown.
inline double procStatusMiB(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray k(key);
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(k))
            return line.mid(k.size()).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

/// getrusage's peak resident set size in MiB (Linux reports KiB).
inline double maxRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;
}

} // namespace salient::bench
