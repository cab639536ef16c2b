// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QPair>
#include <QString>
#include <QVector>

namespace salient {

class ProjectStore;

/// Something that must land in one split whole: one image, or every image of
/// a group (a patient, a field, a video) when splitting by a metadata key.
struct SplitUnit {
    QVector<int> classCounts; ///< (class index, images in the unit with it), flattened pairs
    int images = 1;
};

/// Iterative stratification (Sechidis et al. 2011) over units: the rarest class
/// is placed first, each of its units going to the split that still wants that
/// class most (then the split that wants the most images). Multi-label aware;
/// single-label data without groups ends within one image of the ideal count
/// per class and split. Deterministic for a seed. Returns, per unit, the index
/// into `fractions` of its split.
QVector<int> stratifiedSplit(const QVector<SplitUnit> &units, const QVector<double> &fractions,
                             int classCount, quint64 seed);

struct SplitRequest {
    QVector<QPair<QString, double>> fractions; ///< e.g. {"train", 0.7}, {"val", 0.15}, {"test", 0.15}
    QString groupBy;  ///< metadata key whose images must stay together; empty: none
    quint64 seed = 0;
};

struct SplitOutcome {
    QVector<QPair<QString, int>> images; ///< images per split after the split, in request order
    int units = 0;                       ///< images or groups that were placed
    int groups = 0;                      ///< groups of two or more images
    int withoutGroup = 0;                ///< images lacking the group key (each its own group)
    QStringList lockedKept;              ///< locked splits left as they were
    int heldBack = 0; ///< images left in no split because their group is partly in a locked split
};

/// Splits the project's readable images as asked, in one transaction. Images in
/// locked splits stay where they are; the others are divided among the
/// unlocked requested splits in proportion to their fractions. With groupBy,
/// no group is ever divided: a group that already has images in a locked split
/// keeps its other images out of every split (reported as heldBack) rather than
/// leak. Fractions must be positive and sum to 1 (within 1e-6).
Result<SplitOutcome> applySplits(ProjectStore &store, const SplitRequest &request);

} // namespace salient
