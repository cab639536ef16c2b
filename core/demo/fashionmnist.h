// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>
#include <functional>

namespace salient {

/// Where Debian's dataset-fashion-mnist puts its gzipped IDX files.
QString defaultFashionMnistDir();

/// The ten class names, in label order.
QStringList fashionMnistClassNames();

/// One part (train: 60,000, test: 10,000) of Fashion-MNIST, 28x28 grey.
struct IdxDataset {
    int rows = 0;
    int cols = 0;
    QVector<std::uint8_t> pixels; ///< count * rows * cols, row-major
    QVector<std::uint8_t> labels; ///< count
    int count() const { return labels.size(); }
};

/// Reads a gzipped (or plain) IDX images file and its labels file, checking
/// magic numbers, sizes and that the two agree; errors name the file.
Result<IdxDataset> readIdx(const QString &imagesFile, const QString &labelsFile);
/// "train" or "test" from dir (defaultFashionMnistDir() when empty).
Result<IdxDataset> loadFashionMnist(const QString &part, const QString &dir = {});

struct DemoReport {
    int trainImages = 0;
    int testImages = 0;
    QVector<int> trainPerClass; ///< by label
    QVector<int> testPerClass;
};

/// Builds the demo project: `count` images (85% train from the training part,
/// 15% held-out "test" split from the test part), written as PNGs in
/// `<project>_images/` beside the project file, labelled with the ten class
/// names, deliberately imbalanced (largest class >= 10x the smallest), seeded.
Result<DemoReport> createDemoProject(const QString &projectFile, int count = 3000,
                                     quint32 seed = 42, const QString &datasetDir = {});

} // namespace salient
