// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/project/balance.h"

#include "core/project/store.h"

#include <algorithm>
#include <cmath>

namespace salient {

ClassWeights classWeights(const QVector<qint64> &counts, double beta)
{
    ClassWeights w;
    w.beta = beta;
    const int k = int(counts.size());
    w.inverseFrequency.fill(0.0, k);
    w.effectiveNumber.fill(0.0, k);
    qint64 n = 0;
    int present = 0;
    for (qint64 c : counts) {
        n += std::max<qint64>(0, c);
        present += c > 0 ? 1 : 0;
    }
    if (present == 0)
        return w;
    double sum = 0;
    for (int i = 0; i < k; ++i) {
        if (counts[i] <= 0)
            continue;
        w.inverseFrequency[i] = double(n) / (double(present) * double(counts[i]));
        // 1 - beta^n without losing precision for beta close to 1.
        const double effective = -std::expm1(double(counts[i]) * std::log(beta)) / (1.0 - beta);
        w.effectiveNumber[i] = 1.0 / effective;
        sum += w.effectiveNumber[i];
    }
    for (double &v : w.effectiveNumber)
        v *= double(present) / sum;
    return w;
}

Result<BalanceReport> computeBalance(const ProjectStore &store, double rareFraction, double beta)
{
    BalanceReport r;
    r.rareFraction = rareFraction;
    auto classes = store.classes();
    SALIENT_TRY(classes);
    auto splits = store.splits();
    SALIENT_TRY(splits);
    r.splits = splits.value();
    QHash<qint64, int> row;
    for (const ClassRecord &c : classes.value()) {
        row.insert(c.id, int(r.classes.size()));
        r.classes.push_back(ClassBalance{c, {}, {}, 0, 0});
    }
    // Per-(split, class) totals from the store, not a walk over every image:
    // the view refreshes after each edit, on the GUI thread.
    auto images = store.imageCountsBySplit();
    SALIENT_TRY(images);
    for (auto it = images->constBegin(); it != images->constEnd(); ++it) {
        const auto c = row.constFind(it.key().second);
        if (c == row.constEnd())
            continue;
        ClassBalance &b = r.classes[c.value()];
        b.images[it.key().first] += it.value();
        b.totalImages += it.value();
    }
    auto shapes = store.shapeCountsBySplit();
    SALIENT_TRY(shapes);
    for (auto it = shapes->constBegin(); it != shapes->constEnd(); ++it) {
        const auto c = row.constFind(it.key().second);
        if (c == row.constEnd())
            continue;
        ClassBalance &b = r.classes[c.value()];
        b.instances[it.key().first] += it.value();
        b.totalInstances += it.value();
    }

    qint64 largest = 0, smallest = 0;
    for (const ClassBalance &b : r.classes)
        if (b.totalImages > 0) {
            largest = std::max(largest, b.totalImages);
            smallest = smallest == 0 ? b.totalImages : std::min(smallest, b.totalImages);
        }
    r.imbalanceRatio = smallest > 0 ? double(largest) / double(smallest) : 1.0;
    for (const ClassBalance &b : r.classes)
        if (b.totalImages > 0 && double(b.totalImages) < rareFraction * double(largest))
            r.rareClassIds.push_back(b.cls.id);

    qint64 trainId = -1;
    for (const SplitRecord &s : r.splits)
        if (s.name == QLatin1String("train"))
            trainId = s.id;
    QVector<qint64> counts;
    for (const ClassBalance &b : r.classes)
        counts.push_back(trainId >= 0 ? b.images.value(trainId) : b.totalImages);
    r.weightsFrom = trainId >= 0 ? QStringLiteral("train") : QStringLiteral("all images");
    r.weights = classWeights(counts, beta);
    return r;
}

} // namespace salient
