// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small helpers shared by the model and command suites (E3).

#include "core/project/store.h"

#include <QTest>

#include <algorithm>

namespace salient::test {

/// An image row that needs no file on disk: the models only read the store.
inline NewImage fakeImage(const QString &absolutePath, const QStringList &labels = {},
                          bool readable = true)
{
    NewImage img;
    img.absolutePath = absolutePath;
    img.hash = QByteArray::number(qHash(absolutePath), 16).rightJustified(32, '0');
    img.fileSize = 1000;
    img.mtime = 1700000000000;
    img.width = 640;
    img.height = 480;
    img.format = QStringLiteral("jpeg");
    img.readable = readable;
    if (!readable)
        img.unreadableReason = QStringLiteral("truncated JPEG");
    img.labels = labels;
    return img;
}

inline QVector<qint64> sortedIds(QVector<qint64> ids)
{
    std::sort(ids.begin(), ids.end());
    return ids;
}

/// Label set of one image, sorted, or {-1} when the store refused.
inline QVector<qint64> labelsOf(ProjectStore &store, qint64 imageId)
{
    auto labels = store.labels(imageId);
    return labels.ok() ? sortedIds(labels.value()) : QVector<qint64>{-1};
}

} // namespace salient::test
