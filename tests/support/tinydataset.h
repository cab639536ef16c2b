// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A tiny, learnable, seeded image-classification project for training tests:
// each class is a distinct pattern (stripes of one orientation, a disc, a
// checkerboard...) with random colour, phase and noise, so a small CNN
// separates them within a few epochs on the CPU.

#include "core/project/types.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>
#include <QVector>

namespace salient {
class ProjectStore;
}

namespace salient::test {

struct TinySpec {
    /// Up to 6 classes; patterns by position: horizontal stripes, vertical
    /// stripes, disc, checkerboard, diagonal stripes, ring.
    QStringList classes = {QStringLiteral("horizontal"), QStringLiteral("vertical"),
                           QStringLiteral("disc")};
    QVector<int> trainPerClass = {24, 24, 24}; ///< one entry per class (imbalance allowed)
    int valPerClass = 8;  ///< 0: no "val" split
    int testPerClass = 8; ///< 0: no "test" split
    int size = 32;        ///< square PNG side
    quint32 seed = 7;
    /// Multi-label: each image also carries a second class pattern drawn on
    /// its right half with this probability (labels: both classes).
    double secondLabelProbability = 0.0;
};

/// Writes PNGs under `dir`/images/<split>/ and a project `dir`/tiny.salient
/// with the images labelled and put in splits "train", "val", "test".
/// Returns the project path, or an empty string (after QTest::qFail-style
/// reporting through qWarning) when anything fails.
QString makeTinyProject(const QString &dir, const TinySpec &spec = {});

/// A square PNG of side `size` already written at `file`, as the store takes it
/// (labels left for the caller).
NewImage squarePng(const QString &file, int size);
/// Adds `batch` to the store and puts it in split `split` (created if needed).
Status addToSplit(ProjectStore &store, const QString &split, const QVector<NewImage> &batch);

} // namespace salient::test
