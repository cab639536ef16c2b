// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Classification metrics from predicted probabilities: what the training
// panel charts, what `salient-cli eval` prints and what a run records.
// Pure functions, torch-free, deterministic.

#include <QByteArray>
#include <QStringList>
#include <QVector>

#include <cstdint>
#include <vector>

namespace salient::train {

struct ClassMetrics {
    double precision = 0; ///< 0 when nothing was predicted as the class
    double recall = 0;    ///< 0 when the class has no example
    double f1 = 0;
    qint64 support = 0;   ///< examples that truly carry the class
    double auc = -1;      ///< one-vs-rest ROC-AUC; -1 when undefined (no positives or no negatives)
    double threshold = 0.5; ///< multi-label only: the decision threshold used
};

/// Metrics over one set of examples.
struct EvalMetrics {
    int numClasses = 0;
    qint64 samples = 0;
    bool multiLabel = false;
    double loss = -1;     ///< mean loss when the caller knew it; -1 otherwise
    /// Single-label: share of examples whose arg-max is the label. Multi-label:
    /// share of examples whose whole predicted label set is exactly right.
    double accuracy = 0;
    /// Mean of the per-class F1 over classes with support > 0 or predictions > 0.
    double macroF1 = 0;
    double macroAuc = -1; ///< mean of the defined per-class AUCs; -1 if none is defined
    /// Expected calibration error (single-label: top-1 confidence, 15 equal-width
    /// bins; multi-label: every class probability against its 0/1 truth).
    double ece = 0;
    QVector<ClassMetrics> perClass;
    /// Single-label: confusion[truth][predicted] counts. Multi-label: empty.
    QVector<QVector<qint64>> confusion;

    /// {"samples","loss","accuracy","macro_f1","macro_auc","ece","multi_label",
    ///  "per_class":{name:{precision,recall,f1,support,auc,threshold}},
    ///  "confusion":[[...]], "classes":[names]}. `classNames` must have
    /// numClasses entries (else classes are named "0", "1", ...).
    QByteArray toJson(const QStringList &classNames) const;
    static EvalMetrics fromJson(const QByteArray &json); ///< best effort; missing fields default
};

/// `probs`: N x C row-major probabilities (softmax rows). `labels`: N class
/// indices in [0, C). Examples with a label outside the range are ignored.
EvalMetrics singleLabelMetrics(const std::vector<float> &probs, const std::vector<int> &labels,
                               int numClasses, int eceBins = 15);

/// `probs`: N x C sigmoid probabilities; `targets`: N x C of 0/1. A class is
/// predicted when its probability >= thresholds[c] (0.5 when thresholds is empty).
EvalMetrics multiLabelMetrics(const std::vector<float> &probs, const std::vector<std::uint8_t> &targets,
                              int numClasses, const QVector<double> &thresholds = {},
                              int eceBins = 15);

/// Per-class thresholds that maximise each class's F1 on these examples
/// (candidate cuts between the sorted scores; 0.5 for a class with no positives).
QVector<double> tuneThresholds(const std::vector<float> &probs, const std::vector<std::uint8_t> &targets,
                               int numClasses);

/// ROC-AUC of `scores` for the binary truth `positive` (ties count one half),
/// -1 when either class is absent. O(N log N).
double rocAuc(const std::vector<float> &scores, const std::vector<std::uint8_t> &positive);

} // namespace salient::train
