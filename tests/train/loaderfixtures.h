// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Small helpers shared by the data loader tests: image files written on the
// spot and a loader run through a whole epoch.

#include "core/train/dataloader.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QString>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <vector>

namespace salient::test {

/// A PNG filled with one BGR colour.
inline bool writeSolidPng(const QString &path, int width, int height, const cv::Scalar &bgr,
                          int channels = 3)
{
    cv::Mat img(height, width, channels == 1 ? CV_8UC1 : CV_8UC3, bgr);
    return cv::imwrite(path.toStdString(), img);
}

/// `perClass[c]` small distinct JPEGs of class c under `dir`, ids from 1.
inline QVector<train::LoaderItem> writeClassImages(const QString &dir, const QVector<int> &perClass,
                                                   int width = 40, int height = 30)
{
    QVector<train::LoaderItem> items;
    int seed = 0;
    for (int c = 0; c < perClass.size(); ++c)
        for (int k = 0; k < perClass[c]; ++k) {
            train::LoaderItem item;
            item.imageId = ++seed;
            item.path = QDir(dir).filePath(QStringLiteral("c%1_%2.jpg").arg(c).arg(k));
            item.classes = {c};
            if (!writeJpeg(item.path, width, height, seed))
                return {};
            items.push_back(item);
        }
    return items;
}

/// Every batch of one epoch.
inline std::vector<train::Batch> runEpoch(train::DataLoader &loader, int epoch, qint64 skip = 0)
{
    std::vector<train::Batch> out;
    loader.startEpoch(epoch, skip);
    while (auto b = loader.next())
        out.push_back(std::move(*b));
    return out;
}

/// The same, handing every batch's buffers back after copying it, as a
/// trainer that recycles would.
inline std::vector<train::Batch> runEpochRecycling(train::DataLoader &loader, int epoch)
{
    std::vector<train::Batch> out;
    loader.startEpoch(epoch);
    while (auto b = loader.next()) {
        out.push_back(*b); // a deep copy
        loader.recycle(std::move(*b));
    }
    return out;
}

inline std::vector<qint64> idsOf(const std::vector<train::Batch> &batches)
{
    std::vector<qint64> ids;
    for (const train::Batch &b : batches)
        ids.insert(ids.end(), b.imageIds.begin(), b.imageIds.end());
    return ids;
}

/// Bit-identical pixels, targets, labels and ids.
inline bool sameBatches(const std::vector<train::Batch> &a, const std::vector<train::Batch> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].size != b[i].size || a[i].pixels != b[i].pixels || a[i].targets != b[i].targets
            || a[i].labels != b[i].labels || a[i].imageIds != b[i].imageIds
            || a[i].mixed != b[i].mixed)
            return false;
    return true;
}

} // namespace salient::test
