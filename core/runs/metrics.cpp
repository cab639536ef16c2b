// SPDX-License-Identifier: GPL-3.0-or-later
// Classification metrics: confusion, precision/recall/F1, one-vs-rest ROC-AUC
// (rank statistic, ties count one half), expected calibration error and
// per-class multi-label thresholds. Deterministic: no hashing order, no RNG.
#include "core/runs/metrics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace salient::train {

namespace {

double ratio(double num, double den)
{
    return den > 0 ? num / den : 0.0;
}

double f1Of(double precision, double recall)
{
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

/// NaN scores would break the sort's ordering; they rank lowest.
float sortable(float s)
{
    return std::isnan(s) ? -std::numeric_limits<float>::infinity() : s;
}

/// Equal-width bin of a probability in [0, 1]: bin b holds (b/B, (b+1)/B], the
/// first bin also holds 0 (the convention of Guo et al. 2017).
int binOf(double p, int bins)
{
    const int b = int(std::ceil(p * bins)) - 1;
    return std::clamp(b, 0, bins - 1);
}

struct Calibration {
    std::vector<double> confidence;
    std::vector<double> hits;
    std::vector<qint64> count;
    explicit Calibration(int bins) : confidence(bins), hits(bins), count(bins) {}
    void add(double p, double hit)
    {
        if (std::isnan(p))
            return;
        const int b = binOf(p, int(count.size()));
        confidence[b] += p;
        hits[b] += hit;
        ++count[b];
    }
    double ece() const
    {
        const qint64 n = std::accumulate(count.begin(), count.end(), qint64(0));
        if (n == 0)
            return 0;
        double e = 0;
        for (size_t b = 0; b < count.size(); ++b)
            if (count[b] > 0)
                e += std::abs(hits[b] - confidence[b]) / double(n); // n_b/N * |acc_b - conf_b|
        return e;
    }
};

/// Fills precision/recall/F1 from counts and returns the macro-F1 over classes
/// that occur in the truth or in the predictions.
double finishClasses(QVector<ClassMetrics> &perClass, const std::vector<qint64> &tp,
                     const std::vector<qint64> &predictedCount)
{
    double f1Sum = 0;
    int counted = 0;
    for (int c = 0; c < perClass.size(); ++c) {
        ClassMetrics &m = perClass[c];
        m.precision = ratio(double(tp[c]), double(predictedCount[c]));
        m.recall = ratio(double(tp[c]), double(m.support));
        m.f1 = f1Of(m.precision, m.recall);
        if (m.support > 0 || predictedCount[c] > 0) {
            f1Sum += m.f1;
            ++counted;
        }
    }
    return ratio(f1Sum, counted);
}

double meanDefinedAuc(const QVector<ClassMetrics> &perClass)
{
    double sum = 0;
    int n = 0;
    for (const ClassMetrics &m : perClass)
        if (m.auc >= 0) {
            sum += m.auc;
            ++n;
        }
    return n > 0 ? sum / n : -1;
}

} // namespace

double rocAuc(const std::vector<float> &scores, const std::vector<std::uint8_t> &positive)
{
    const size_t n = std::min(scores.size(), positive.size());
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return sortable(scores[a]) < sortable(scores[b]); });
    // Mann-Whitney U: the positives' rank sum, tied scores sharing their mean rank,
    // which is exactly "a tied positive/negative pair counts one half".
    double positiveRankSum = 0;
    qint64 positives = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && sortable(scores[order[j + 1]]) == sortable(scores[order[i]]))
            ++j;
        const double meanRank = (double(i + 1) + double(j + 1)) / 2;
        for (size_t k = i; k <= j; ++k)
            if (positive[order[k]]) {
                positiveRankSum += meanRank;
                ++positives;
            }
        i = j + 1;
    }
    const qint64 negatives = qint64(n) - positives;
    if (positives == 0 || negatives == 0)
        return -1;
    const double u = positiveRankSum - double(positives) * double(positives + 1) / 2;
    return u / (double(positives) * double(negatives));
}

EvalMetrics singleLabelMetrics(const std::vector<float> &probs, const std::vector<int> &labels,
                               int numClasses, int eceBins)
{
    EvalMetrics m;
    m.numClasses = std::max(numClasses, 0);
    m.multiLabel = false;
    const int C = m.numClasses;
    m.perClass.resize(C);
    m.confusion = QVector<QVector<qint64>>(C, QVector<qint64>(C, 0));
    if (C == 0)
        return m;
    const size_t rows = std::min(labels.size(), probs.size() / size_t(C));
    std::vector<qint64> tp(C, 0), predictedCount(C, 0);
    Calibration calibration(std::max(eceBins, 1));
    std::vector<std::vector<float>> classScores(C);
    std::vector<std::vector<std::uint8_t>> classTruth(C);
    for (auto &v : classScores)
        v.reserve(rows);
    for (auto &v : classTruth)
        v.reserve(rows);
    qint64 correct = 0;
    for (size_t i = 0; i < rows; ++i) {
        const int label = labels[i];
        if (label < 0 || label >= C)
            continue;
        const float *row = probs.data() + i * size_t(C);
        int best = 0;
        for (int c = 1; c < C; ++c)
            if (sortable(row[c]) > sortable(row[best]))
                best = c; // the first of equal maxima wins, as torch.argmax
        ++m.samples;
        ++m.confusion[label][best];
        ++m.perClass[label].support;
        ++predictedCount[best];
        if (best == label) {
            ++tp[label];
            ++correct;
        }
        calibration.add(row[best], best == label ? 1.0 : 0.0);
        for (int c = 0; c < C; ++c) {
            classScores[c].push_back(row[c]);
            classTruth[c].push_back(label == c ? 1 : 0);
        }
    }
    m.accuracy = ratio(double(correct), double(m.samples));
    m.macroF1 = finishClasses(m.perClass, tp, predictedCount);
    for (int c = 0; c < C; ++c)
        m.perClass[c].auc = rocAuc(classScores[c], classTruth[c]);
    m.macroAuc = meanDefinedAuc(m.perClass);
    m.ece = calibration.ece();
    return m;
}

EvalMetrics multiLabelMetrics(const std::vector<float> &probs,
                              const std::vector<std::uint8_t> &targets, int numClasses,
                              const QVector<double> &thresholds, int eceBins)
{
    EvalMetrics m;
    m.numClasses = std::max(numClasses, 0);
    m.multiLabel = true;
    const int C = m.numClasses;
    m.perClass.resize(C);
    if (C == 0)
        return m;
    for (int c = 0; c < C; ++c)
        m.perClass[c].threshold = c < thresholds.size() ? thresholds[c] : 0.5;
    const size_t rows = std::min(probs.size(), targets.size()) / size_t(C);
    std::vector<qint64> tp(C, 0), predictedCount(C, 0);
    Calibration calibration(std::max(eceBins, 1));
    qint64 exact = 0;
    for (size_t i = 0; i < rows; ++i) {
        const float *row = probs.data() + i * size_t(C);
        const std::uint8_t *truth = targets.data() + i * size_t(C);
        bool allRight = true;
        for (int c = 0; c < C; ++c) {
            const bool predicted = double(row[c]) >= m.perClass[c].threshold;
            const bool actual = truth[c] != 0;
            allRight = allRight && predicted == actual;
            if (actual)
                ++m.perClass[c].support;
            if (predicted)
                ++predictedCount[c];
            if (predicted && actual)
                ++tp[c];
            calibration.add(row[c], actual ? 1.0 : 0.0);
        }
        if (allRight)
            ++exact;
    }
    m.samples = qint64(rows);
    m.accuracy = ratio(double(exact), double(rows));
    m.macroF1 = finishClasses(m.perClass, tp, predictedCount);
    std::vector<float> scores(rows);
    std::vector<std::uint8_t> truth(rows);
    for (int c = 0; c < C; ++c) {
        for (size_t i = 0; i < rows; ++i) {
            scores[i] = probs[i * size_t(C) + size_t(c)];
            truth[i] = targets[i * size_t(C) + size_t(c)] != 0 ? 1 : 0;
        }
        m.perClass[c].auc = rocAuc(scores, truth);
    }
    m.macroAuc = meanDefinedAuc(m.perClass);
    m.ece = calibration.ece();
    return m;
}

QVector<double> tuneThresholds(const std::vector<float> &probs,
                               const std::vector<std::uint8_t> &targets, int numClasses)
{
    if (numClasses <= 0)
        return {};
    const int C = numClasses;
    QVector<double> out(C, 0.5);
    const size_t rows = std::min(probs.size(), targets.size()) / size_t(C);
    std::vector<size_t> order(rows);
    for (int c = 0; c < C; ++c) {
        auto score = [&](size_t i) { return sortable(probs[i * size_t(C) + size_t(c)]); };
        auto positive = [&](size_t i) { return targets[i * size_t(C) + size_t(c)] != 0; };
        qint64 positives = 0;
        for (size_t i = 0; i < rows; ++i)
            positives += positive(i) ? 1 : 0;
        if (positives == 0)
            continue;
        std::iota(order.begin(), order.end(), size_t(0));
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return score(a) > score(b); });
        // Sweep the cut down the sorted scores: predicting the top k (k ending
        // where the score changes) positive. The first best cut is kept, so on
        // equal F1 the higher threshold (fewer false alarms) wins.
        double bestF1 = -1;
        qint64 tp = 0;
        for (size_t k = 0; k < rows; ++k) {
            tp += positive(order[k]) ? 1 : 0;
            const bool lastOfTie = k + 1 == rows || score(order[k + 1]) < score(order[k]);
            if (!lastOfTie)
                continue;
            const double f1 = 2.0 * double(tp) / double(qint64(k + 1) + positives);
            if (f1 > bestF1) {
                bestF1 = f1;
                const double here = score(order[k]);
                // Half way to the next lower score; at the bottom, the lowest score itself (>=).
                out[c] = k + 1 == rows ? here : (here + double(score(order[k + 1]))) / 2;
            }
        }
    }
    return out;
}

QByteArray EvalMetrics::toJson(const QStringList &classNames) const
{
    QStringList names = classNames;
    if (names.size() != numClasses) {
        names.clear();
        for (int c = 0; c < numClasses; ++c)
            names << QString::number(c);
    }
    QJsonObject o;
    o.insert(QStringLiteral("samples"), samples);
    o.insert(QStringLiteral("loss"), loss);
    o.insert(QStringLiteral("accuracy"), accuracy);
    o.insert(QStringLiteral("macro_f1"), macroF1);
    o.insert(QStringLiteral("macro_auc"), macroAuc);
    o.insert(QStringLiteral("ece"), ece);
    o.insert(QStringLiteral("multi_label"), multiLabel);
    QJsonObject per;
    for (int c = 0; c < numClasses && c < perClass.size(); ++c) {
        const ClassMetrics &m = perClass[c];
        QJsonObject cm;
        cm.insert(QStringLiteral("precision"), m.precision);
        cm.insert(QStringLiteral("recall"), m.recall);
        cm.insert(QStringLiteral("f1"), m.f1);
        cm.insert(QStringLiteral("support"), m.support);
        cm.insert(QStringLiteral("auc"), m.auc);
        cm.insert(QStringLiteral("threshold"), m.threshold);
        per.insert(names[c], cm);
    }
    o.insert(QStringLiteral("per_class"), per);
    QJsonArray confusionRows;
    for (const QVector<qint64> &row : confusion) {
        QJsonArray r;
        for (qint64 v : row)
            r.append(v);
        confusionRows.append(r);
    }
    o.insert(QStringLiteral("confusion"), confusionRows);
    o.insert(QStringLiteral("classes"), QJsonArray::fromStringList(names));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

EvalMetrics EvalMetrics::fromJson(const QByteArray &json)
{
    EvalMetrics m;
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    m.samples = o.value(QStringLiteral("samples")).toInteger(0);
    m.loss = o.value(QStringLiteral("loss")).toDouble(-1);
    m.accuracy = o.value(QStringLiteral("accuracy")).toDouble(0);
    m.macroF1 = o.value(QStringLiteral("macro_f1")).toDouble(0);
    m.macroAuc = o.value(QStringLiteral("macro_auc")).toDouble(-1);
    m.ece = o.value(QStringLiteral("ece")).toDouble(0);
    m.multiLabel = o.value(QStringLiteral("multi_label")).toBool(false);
    const QJsonObject per = o.value(QStringLiteral("per_class")).toObject();
    QStringList names;
    for (const QJsonValue &v : o.value(QStringLiteral("classes")).toArray())
        names << v.toString();
    if (names.isEmpty())
        names = per.keys(); // older or hand-written JSON: alphabetical is the best we can do
    for (const QJsonValue &rowValue : o.value(QStringLiteral("confusion")).toArray()) {
        QVector<qint64> row;
        for (const QJsonValue &v : rowValue.toArray())
            row.push_back(v.toInteger(0));
        m.confusion.push_back(row);
    }
    m.numClasses = int(std::max<qsizetype>(names.size(), m.confusion.size()));
    m.perClass.resize(m.numClasses);
    for (int c = 0; c < names.size(); ++c) {
        const QJsonObject cm = per.value(names[c]).toObject();
        ClassMetrics &k = m.perClass[c];
        k.precision = cm.value(QStringLiteral("precision")).toDouble(0);
        k.recall = cm.value(QStringLiteral("recall")).toDouble(0);
        k.f1 = cm.value(QStringLiteral("f1")).toDouble(0);
        k.support = cm.value(QStringLiteral("support")).toInteger(0);
        k.auc = cm.value(QStringLiteral("auc")).toDouble(-1);
        k.threshold = cm.value(QStringLiteral("threshold")).toDouble(0.5);
    }
    return m;
}

} // namespace salient::train
