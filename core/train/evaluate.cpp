// SPDX-License-Identifier: GPL-3.0-or-later
// A run's data: its classes and its images per role, from the project's
// splits (new run) or from the run's snapshot (resume, evaluation).
// The model side is in evaluate_model.cpp, evaluateRun() in evaluate_run.cpp.
#include "core/train/evaluate.h"

#include "core/project/splitter.h"
#include "core/project/store.h"

#include <algorithm>

namespace salient::train {

namespace {

Result<QVector<qint64>> splitImages(ProjectStore &store, const QHash<QString, qint64> &splits,
                                    const QString &name)
{
    const auto it = splits.constFind(name);
    if (name.isEmpty() || it == splits.constEnd())
        return QVector<qint64>();
    ImageFilter filter;
    filter.splitId = it.value();
    return store.imageIds(filter);
}

/// Loader items for `ids` with labels mapped to the run's class indices.
/// Unreadable images, images without a run class and (single-label) images
/// with several classes are skipped and counted.
Result<QVector<LoaderItem>> makeItems(ProjectStore &store, const QVector<qint64> &ids,
                                      const QHash<qint64, int> &classIndex, bool multiLabel,
                                      const QString &role, QStringList &notes)
{
    QVector<LoaderItem> items;
    if (ids.isEmpty())
        return items;
    auto records = store.images(ids);
    if (!records.ok())
        return records.error();
    auto labels = store.labels(ids);
    if (!labels.ok())
        return labels.error();
    int unreadable = 0, none = 0, several = 0;
    for (const ImageRecord &r : records.value()) {
        if (!r.readable) {
            ++unreadable;
            continue;
        }
        LoaderItem item;
        item.imageId = r.id;
        item.path = r.absolutePath;
        item.orientation = r.orientation;
        for (qint64 c : labels->value(r.id)) {
            const auto ci = classIndex.constFind(c);
            if (ci != classIndex.constEnd())
                item.classes << ci.value();
        }
        std::sort(item.classes.begin(), item.classes.end());
        if (item.classes.isEmpty()) {
            ++none;
            continue;
        }
        if (!multiLabel && item.classes.size() > 1) {
            ++several;
            continue;
        }
        items << item;
    }
    std::sort(items.begin(), items.end(),
              [](const LoaderItem &a, const LoaderItem &b) { return a.imageId < b.imageId; });
    if (unreadable)
        notes << QStringLiteral("%1: skipped %2 unreadable image(s)").arg(role).arg(unreadable);
    if (none)
        notes << QStringLiteral("%1: skipped %2 image(s) without a class of the run").arg(role).arg(
            none);
    if (several)
        notes << QStringLiteral("%1: skipped %2 image(s) with several classes (single-label training)")
                .arg(role)
                .arg(several);
    return items;
}

Result<QHash<QString, qint64>> splitIdsByName(ProjectStore &store)
{
    auto splits = store.splits();
    if (!splits.ok())
        return splits.error();
    QHash<QString, qint64> byName;
    for (const SplitRecord &s : splits.value())
        byName.insert(s.name, s.id);
    return byName;
}

} // namespace

QHash<qint64, RunRole> RunData::roles() const
{
    QHash<qint64, RunRole> r;
    for (const LoaderItem &i : train)
        r.insert(i.imageId, RunRole::Train);
    for (const LoaderItem &i : validation)
        r.insert(i.imageId, RunRole::Validation);
    for (const LoaderItem &i : test)
        r.insert(i.imageId, RunRole::Test);
    return r;
}

QVector<qint64> RunData::trainCounts() const
{
    QVector<qint64> counts(classIds.size(), 0);
    for (const LoaderItem &i : train)
        for (int c : i.classes)
            ++counts[c];
    return counts;
}

Result<RunData> buildRunData(ProjectStore &store, const TrainConfig &config)
{
    auto splits = splitIdsByName(store);
    if (!splits.ok())
        return splits.error();
    if (!splits->contains(config.trainSplit))
        return makeError(
            Error::Code::Invalid,
            QStringLiteral("the project has no \"%1\" split to train on").arg(config.trainSplit),
                           store.filePath());
    auto classes = store.classes();
    if (!classes.ok())
        return classes.error();
    QHash<qint64, int> allClasses;
    for (int i = 0; i < classes->size(); ++i)
        allClasses.insert(classes->at(i).id, i);

    RunData data;
    auto trainIds = splitImages(store, splits.value(), config.trainSplit);
    if (!trainIds.ok())
        return trainIds.error();
    auto train = makeItems(store, trainIds.value(), allClasses, config.multiLabel,
                           config.trainSplit, data.notes);
    if (!train.ok())
        return train.error();

    // The run's classes: those with a training image, in project order.
    QVector<bool> used(classes->size(), false);
    for (const LoaderItem &i : train.value())
        for (int c : i.classes)
            used[c] = true;
    QVector<int> remap(classes->size(), -1);
    QHash<qint64, int> runClass;
    for (int c = 0; c < classes->size(); ++c) {
        if (!used[c])
            continue;
        remap[c] = data.classIds.size();
        runClass.insert(classes->at(c).id, data.classIds.size());
        data.classIds << classes->at(c).id;
        data.classNames << classes->at(c).name;
    }
    const int minimum = config.multiLabel ? 1 : 2;
    if (data.classIds.size() < minimum)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("training needs at least %1 classes with images in the "
                                        "\"%2\" split; it has %3")
                                            .arg(minimum)
                                            .arg(config.trainSplit)
                                            .arg(data.classIds.size()),
                                        store.filePath());
    for (LoaderItem i : train.value()) {
        for (int &c : i.classes)
            c = remap[c];
        data.train << i;
    }

    auto valIds = splitImages(store, splits.value(), config.validationSplit);
    if (!valIds.ok())
        return valIds.error();
    if (!valIds->isEmpty()) {
        auto val = makeItems(store, valIds.value(), runClass, config.multiLabel,
                             config.validationSplit, data.notes);
        if (!val.ok())
            return val.error();
        data.validation = val.value();
    } else if (config.validationFraction > 0 && data.train.size() > 1) {
        QVector<SplitUnit> units;
        for (const LoaderItem &i : data.train) {
            SplitUnit u;
            for (int c : i.classes)
                u.classCounts << c << 1;
            units << u;
        }
        const QVector<int> to =
            stratifiedSplit(units, {1.0 - config.validationFraction, config.validationFraction},
                            data.classIds.size(), config.seed);
        QVector<LoaderItem> kept;
        for (int k = 0; k < data.train.size(); ++k)
            (to.value(k) == 1 ? data.validation : kept) << data.train[k];
        data.train = kept;
        data.notes << QStringLiteral("no \"%1\" split: %2 training image(s) held out for validation")
                .arg(config.validationSplit)
                .arg(data.validation.size());
    }

    auto testIds = splitImages(store, splits.value(), config.testSplit);
    if (!testIds.ok())
        return testIds.error();
    auto test = makeItems(store, testIds.value(), runClass, config.multiLabel, config.testSplit,
                          data.notes);
    if (!test.ok())
        return test.error();
    data.test = test.value();
    if (data.train.isEmpty())
        return makeError(Error::Code::Invalid, QStringLiteral("no training images"),
                                                              store.filePath());
    return data;
}

Result<RunData> loadRunData(ProjectStore &store, const RunStore &runs, const RunRecord &run,
                            const TrainConfig &config)
{
    RunData data;
    data.classIds = run.classIds;
    data.classNames = run.classNames;
    QHash<qint64, int> runClass;
    for (int i = 0; i < run.classIds.size(); ++i)
        runClass.insert(run.classIds[i], i);
    auto images = runs.runImages(run.id);
    if (!images.ok())
        return images.error();
    const QString names[] = {QStringLiteral("train"), QStringLiteral("validation"),
                                                                     QStringLiteral("test")};
    QVector<LoaderItem> *targets[] = {&data.train, &data.validation, &data.test};
    const RunRole roles[] = {RunRole::Train, RunRole::Validation, RunRole::Test};
    for (int r = 0; r < 3; ++r) {
        auto items = makeItems(store, images->value(roles[r]), runClass, config.multiLabel,
                               names[r], data.notes);
        if (!items.ok())
            return items.error();
        *targets[r] = items.value();
    }
    return data;
}

Result<QVector<LoaderItem>> currentSplitItems(ProjectStore &store, const QString &split,
                                              const QVector<qint64> &classIds, bool multiLabel,
                                              QStringList &notes)
{
    auto splits = splitIdsByName(store);
    if (!splits.ok())
        return splits.error();
    auto ids = splitImages(store, splits.value(), split);
    if (!ids.ok())
        return ids.error();
    QHash<qint64, int> runClass;
    for (int i = 0; i < classIds.size(); ++i)
        runClass.insert(classIds[i], i);
    return makeItems(store, ids.value(), runClass, multiLabel, split, notes);
}

} // namespace salient::train
