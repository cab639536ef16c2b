// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"
#include "core/util/result.h"

#include <QHash>
#include <QVector>

namespace salient {

class ProjectStore;

/// How one class is represented, per split (split id 0: in no split).
struct ClassBalance {
    ClassRecord cls;
    QHash<qint64, qint64> images;    ///< split id -> images carrying the class (label or shape)
    QHash<qint64, qint64> instances; ///< split id -> shapes of the class
    qint64 totalImages = 0;
    qint64 totalInstances = 0;
};

/// Class weights for a loss, from per-class counts (usually the training split's).
struct ClassWeights {
    /// n / (k * n_c): 1 for a perfectly balanced set (scikit-learn's "balanced").
    QVector<double> inverseFrequency;
    /// Cui et al. 2019: (1 - beta) / (1 - beta^n_c), scaled so the weights of
    /// the classes present add up to their number.
    QVector<double> effectiveNumber;
    double beta = 0.999;
};

/// Weights for counts; a class with no example gets weight 0 (it cannot be learnt).
ClassWeights classWeights(const QVector<qint64> &counts, double beta = 0.999);

/// The class balance of a project.
struct BalanceReport {
    QVector<ClassBalance> classes; ///< in class order
    QVector<SplitRecord> splits;   ///< the project's splits; "in no split" is id 0
    /// Largest over smallest image count among classes with at least one image (1 when < 2 classes).
    double imbalanceRatio = 1.0;
    /// Classes with images but fewer than rareFraction of the largest class's.
    QVector<qint64> rareClassIds;
    double rareFraction = 0.1;
    /// Weights from the images per class in the "train" split when it exists, else all images.
    ClassWeights weights;
    QString weightsFrom; ///< "train" or "all images"
};

Result<BalanceReport> computeBalance(const ProjectStore &store, double rareFraction = 0.1,
                                     double beta = 0.999);

} // namespace salient
