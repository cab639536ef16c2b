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

/// Bounds of `count`: fewer images cannot keep a 10x imbalance with at least
/// one test image per class; more would run out of images of the largest class.
constexpr int kMinDemoImages = 300;
constexpr int kMaxDemoImages = 25000;

/// Progress of createDemoProject: done out of total steps (writing, then importing).
using DemoProgressFn = std::function<void(int done, int total)>;

/// Builds the demo project: `count` images (85% train from the training part,
/// 15% held-out "test" split from the test part), written as PNGs in
/// `<project>_images/` beside the project file, labelled with the ten class
/// names, deliberately imbalanced (largest class >= 10x the smallest), seeded.
///
/// Layout: `<base>_images/{train,test}/<class folder>/NNNNN.png` ("T-shirt/top"
/// is written as the folder T-shirt_top; the label keeps the real name). Each
/// image carries the metadata "source" = "fashion-mnist:<part>:<index in the
/// IDX file>". The splits are "train" and "test". The project is built under a
/// temporary name and renamed at the end: on failure neither the project nor
/// the images folder is left behind. Fails if the project exists or the
/// images folder exists and is not empty.
Result<DemoReport> createDemoProject(const QString &projectFile, int count = 3000,
                                     quint32 seed = 42, const QString &datasetDir = {},
                                     const DemoProgressFn &progress = {});

} // namespace salient
