// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the benchmarks that need a big project without big files.

#include "core/project/store.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <functional>

namespace salient::bench {

/// Adds `count` image rows (no files on disk) under `dir`/images/, 1,000 to a
/// folder, in transactions of 10,000. labelsOf(i) gives image i's class names.
inline Status addSyntheticImages(ProjectStore &store, const QString &dir, int count,
                                 const QSize &size,
                                 const std::function<QStringList(int)> &labelsOf)
{
    constexpr int kBatch = 10000;
    for (int start = 0; start < count; start += kBatch) {
        QVector<NewImage> rows;
        for (int i = start; i < std::min(count, start + kBatch); ++i) {
            NewImage n;
            n.absolutePath = QStringLiteral("%1/images/%2/img%3.jpg")
                                 .arg(dir)
                                 .arg(i / 1000, 3, 10, QLatin1Char('0'))
                                 .arg(i, 6, 10, QLatin1Char('0'));
            n.hash = QByteArray::number(i, 16).rightJustified(32, '0');
            n.fileSize = 150000;
            n.width = size.width();
            n.height = size.height();
            n.format = QStringLiteral("jpeg");
            n.labels = labelsOf(i);
            rows.append(n);
        }
        auto added = store.addImages(rows);
        if (!added.ok())
            return added.error();
    }
    return {};
}

} // namespace salient::bench
