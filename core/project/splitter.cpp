// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/project/splitter.h"

#include "core/project/store.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <random>

namespace salient {

namespace {

/// Fisher-Yates with our own index draws: the same seed shuffles the same way
/// on every standard library.
void shuffle(QVector<int> &v, std::mt19937_64 &rng)
{
    for (int i = int(v.size()) - 1; i > 0; --i) {
        const int j = int(rng() % std::uint64_t(i + 1));
        std::swap(v[i], v[j]);
    }
}

} // namespace

QVector<int> stratifiedSplit(const QVector<SplitUnit> &units, const QVector<double> &fractions,
                             int classCount, quint64 seed)
{
    const int nSplits = int(fractions.size());
    QVector<int> assigned(units.size(), -1);
    if (nSplits == 0)
        return assigned;
    std::mt19937_64 rng(seed);

    // Wanted per split and class, and per split in images.
    QVector<double> classTotal(classCount, 0.0);
    double imageTotal = 0;
    QVector<QVector<int>> unitsOfClass(classCount);
    for (int u = 0; u < units.size(); ++u) {
        imageTotal += units[u].images;
        const QVector<int> &cc = units[u].classCounts;
        for (int k = 0; k + 1 < cc.size(); k += 2) {
            classTotal[cc[k]] += cc[k + 1];
            unitsOfClass[cc[k]].push_back(u);
        }
    }
    QVector<QVector<double>> want(nSplits, QVector<double>(classCount, 0.0));
    QVector<double> wantImages(nSplits, 0.0);
    for (int s = 0; s < nSplits; ++s) {
        wantImages[s] = fractions[s] * imageTotal;
        for (int c = 0; c < classCount; ++c)
            want[s][c] = fractions[s] * classTotal[c];
    }
    QVector<double> remaining = classTotal; // unplaced label occurrences per class

    auto place = [&](int u, int s) {
        assigned[u] = s;
        wantImages[s] -= units[u].images;
        const QVector<int> &cc = units[u].classCounts;
        for (int k = 0; k + 1 < cc.size(); k += 2) {
            want[s][cc[k]] -= cc[k + 1];
            remaining[cc[k]] -= cc[k + 1];
        }
    };
    auto bestFor = [&](int c) {
        int best = 0;
        for (int s = 1; s < nSplits; ++s) {
            const double a = c >= 0 ? want[s][c] : 0, b = c >= 0 ? want[best][c] : 0;
            if (a > b + 1e-9 || (std::abs(a - b) <= 1e-9 && wantImages[s] > wantImages[best] + 1e-9))
                best = s;
        }
        return best;
    };

    QVector<int> classOrder(classCount);
    for (int c = 0; c < classCount; ++c)
        classOrder[c] = c;
    shuffle(classOrder, rng); // ties between equally rare classes broken by the seed
    QVector<bool> done(classCount, false);
    for (int round = 0; round < classCount; ++round) {
        // The rarest class still to place goes first: its few images decide most.
        int c = -1;
        for (int k : classOrder)
            if (!done[k] && remaining[k] > 0 && (c < 0 || remaining[k] < remaining[c]))
                c = k;
        if (c < 0)
            break;
        done[c] = true;
        QVector<int> list = unitsOfClass[c];
        shuffle(list, rng);
        for (int u : list)
            if (assigned[u] < 0)
                place(u, bestFor(c));
    }
    // Units with no class: by images wanted.
    QVector<int> rest;
    for (int u = 0; u < units.size(); ++u)
        if (assigned[u] < 0)
            rest.push_back(u);
    shuffle(rest, rng);
    for (int u : rest)
        place(u, bestFor(-1));
    return assigned;
}

Result<SplitOutcome> applySplits(ProjectStore &store, const SplitRequest &request)
{
    const QString file = store.filePath();
    double sum = 0;
    QSet<QString> names;
    for (const auto &f : request.fractions) {
        if (!(f.second > 0) || f.first.trimmed().isEmpty())
            return makeError(Error::Code::Invalid,
                             QStringLiteral("split \"%1\": a fraction must be above 0").arg(f.first));
        if (names.contains(f.first))
            return makeError(Error::Code::Invalid,
                             QStringLiteral("split \"%1\" is named twice").arg(f.first));
        names.insert(f.first);
        sum += f.second;
    }
    if (request.fractions.isEmpty() || std::abs(sum - 1.0) > 1e-6)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("split fractions must add up to 1 (they add up to %1)")
                             .arg(sum));

    auto existing = store.splits();
    SALIENT_TRY(existing);
    QSet<qint64> lockedIds;
    SplitOutcome outcome;
    for (const SplitRecord &s : existing.value())
        if (s.locked) {
            lockedIds.insert(s.id);
            outcome.lockedKept << s.name;
        }
    // The requested splits that can take images, with renormalised fractions.
    QVector<QPair<QString, double>> open;
    double openSum = 0;
    for (const auto &f : request.fractions) {
        bool locked = false;
        for (const SplitRecord &s : existing.value())
            locked = locked || (s.locked && s.name == f.first);
        if (!locked) {
            open.push_back(f);
            openSum += f.second;
        }
    }
    if (open.isEmpty())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("every requested split is locked; unlock one to split"),
                         file);

    auto table = store.imageClasses();
    SALIENT_TRY(table);
    QHash<qint64, QString> groupOf;
    if (!request.groupBy.isEmpty()) {
        auto values = store.metaValues(request.groupBy);
        SALIENT_TRY(values);
        groupOf = std::move(values).value();
    }

    // Groups touching a locked split must not spread into the others.
    QSet<QString> lockedGroups;
    for (const ImageClasses &ic : table.value())
        if (lockedIds.contains(ic.splitId) && groupOf.contains(ic.imageId))
            lockedGroups.insert(groupOf.value(ic.imageId));

    QHash<qint64, int> classIndex;
    QVector<SplitUnit> units;
    QVector<QVector<qint64>> unitImages;
    QHash<QString, int> unitOfGroup;
    QVector<qint64> heldBack;
    for (const ImageClasses &ic : table.value()) {
        if (lockedIds.contains(ic.splitId))
            continue;
        int u = -1;
        const auto g = groupOf.constFind(ic.imageId);
        if (g != groupOf.constEnd()) {
            if (lockedGroups.contains(g.value())) {
                heldBack.push_back(ic.imageId);
                continue;
            }
            u = unitOfGroup.value(g.value(), -1);
            if (u < 0) {
                u = int(units.size());
                unitOfGroup.insert(g.value(), u);
                units.push_back(SplitUnit{{}, 0});
                unitImages.push_back({});
            }
        } else {
            if (!request.groupBy.isEmpty())
                ++outcome.withoutGroup;
            u = int(units.size());
            units.push_back(SplitUnit{{}, 0});
            unitImages.push_back({});
        }
        SplitUnit &unit = units[u];
        unit.images += 1;
        unitImages[u].push_back(ic.imageId);
        for (qint64 cid : ic.classIds) {
            const int c = classIndex.value(cid, int(classIndex.size()));
            classIndex.insert(cid, c);
            bool found = false;
            for (int k = 0; k + 1 < unit.classCounts.size(); k += 2)
                if (unit.classCounts[k] == c) {
                    ++unit.classCounts[k + 1];
                    found = true;
                }
            if (!found)
                unit.classCounts << c << 1;
        }
    }
    for (const QVector<qint64> &imgs : unitImages)
        if (imgs.size() > 1)
            ++outcome.groups;
    outcome.units = int(units.size());
    outcome.heldBack = int(heldBack.size());

    QVector<double> fractions;
    for (const auto &f : open)
        fractions.push_back(f.second / openSum);
    const QVector<int> where = stratifiedSplit(units, fractions, int(classIndex.size()), request.seed);

    Status written = store.transaction([&]() -> Status {
        QVector<qint64> splitIds;
        for (const auto &f : open) {
            auto id = store.ensureSplit(f.first);
            SALIENT_TRY(id);
            splitIds.push_back(id.value());
        }
        QVector<QVector<qint64>> members(open.size());
        for (int u = 0; u < units.size(); ++u)
            members[where[u]] += unitImages[u];
        for (int s = 0; s < open.size(); ++s)
            SALIENT_TRY(store.assignSplit(members[s], splitIds[s]));
        if (!heldBack.isEmpty())
            SALIENT_TRY(store.assignSplit(heldBack, 0));
        return {};
    });
    SALIENT_TRY(written);

    auto counts = store.splitImageCounts();
    SALIENT_TRY(counts);
    auto after = store.splits();
    SALIENT_TRY(after);
    for (const auto &f : request.fractions) {
        int n = 0;
        for (const SplitRecord &s : after.value())
            if (s.name == f.first)
                n = int(counts->value(s.id));
        outcome.images.push_back({f.first, n});
    }
    return outcome;
}

} // namespace salient
