// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/evaluate.h"

#include "core/project/splitter.h"
#include "core/project/store.h"
#include "core/train/checkpoint.h"
#include "core/train/engineinfo.h"
#include "core/train/statedict.h"
#include "core/train/trainer.h"
#include "core/train/weightfile.h"

#include <torch/script.h>

#include <QSet>

#include <algorithm>

namespace salient::train {

namespace {

const char kRecipeKey[] =
    "augment.recipe"; // where the augmentation preview keeps the project's recipe

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

/// A TorchScript archive's parameters and buffers as a WeightFile, so that
/// loadWeights() applies the same by-name checks and messages.
Result<WeightFile> scriptedWeights(const QString &path)
{
    try {
        torch::jit::Module module = torch::jit::load(path.toStdString(), torch::kCPU);
        WeightFile file;
        auto add = [&](const std::string &name, const torch::Tensor &value) {
            torch::Tensor t = value.detach().to(torch::kFloat32).contiguous();
            WeightTensor w;
            w.name = QString::fromStdString(name);
            w.dtype = QStringLiteral("float32");
            for (int64_t d : t.sizes())
                w.shape << d;
            w.data = QByteArray(static_cast<const char *>(t.data_ptr()), int(t.numel() * 4));
            if (value.scalar_type() == torch::kInt64) {
                w.dtype = QStringLiteral("int64");
                torch::Tensor i = value.contiguous();
                w.data = QByteArray(static_cast<const char *>(i.data_ptr()), int(i.numel() * 8));
            }
            file.tensors << w;
        };
        for (const auto &p : module.named_parameters(true))
            add(p.name, p.value);
        for (const auto &b : module.named_buffers(true))
            add(b.name, b.value);
        file.warnings << QStringLiteral("TorchScript archive: only its tensors were used");
        return file;
    } catch (const std::exception &e) {
        return makeError(
            Error::Code::Parse,
            QStringLiteral("cannot read the TorchScript archive: %1") .arg(
                               QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)),
                           path);
    }
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

Result<std::shared_ptr<ClassifierNet>> buildModel(const TrainConfig &config, int numClasses,
                                                  QStringList *log)
{
    torch::manual_seed(config.seed);
    std::shared_ptr<ClassifierNet> model = makeModel(config.model.toStdString(), numClasses);
    if (!model)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("unknown model \"%1\" (known: %2)") .arg(
                             config.model, trainModelNames().join(QStringLiteral(", "))));
    if (config.weightsFile.isEmpty())
        return model;
    auto scripted = isTorchScriptArchive(config.weightsFile);
    if (!scripted.ok())
        return scripted.error();
    auto file =
        scripted.value() ? scriptedWeights(config.weightsFile) : readWeightFile(config.weightsFile);
    if (!file.ok())
        return file.error();
    auto report = loadWeights(*model, file.value(), config.weightsFile, true);
    if (!report.ok())
        return report.error();
    if (log) {
        *log << file->warnings;
        *log << QStringLiteral("loaded %1 tensors from %2").arg(report->loaded).arg(config.weightsFile);
    }
    // The head is always fresh: the file's (ImageNet's) classes are not the run's.
    model->replaceHead(numClasses);
    return model;
}

Result<AugmentRecipe> recipeFor(const TrainConfig &config, const ProjectStore &store)
{
    if (!config.augmentRecipe.isEmpty())
        return AugmentRecipe::fromJson(config.augmentRecipe,
                                       QStringLiteral("the run's augmentation recipe"));
    const QString saved = store.setting(QString::fromLatin1(kRecipeKey)).valueOr(QString());
    if (!saved.isEmpty())
        return AugmentRecipe::fromJson(saved.toUtf8(),
                                       QStringLiteral("the project's augmentation recipe"));
    return AugmentRecipe::standardPreset();
}

PredictionSet predict(ClassifierNet &model, DataLoader &loader, const LossSpec &loss,
                      const std::function<bool()> &shouldStop)
{
    PredictionSet set;
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.is_training();
    model.eval();
    loader.startEpoch(1);
    double lossSum = 0;
    qint64 n = 0;
    while (true) {
        if (shouldStop && shouldStop()) {
            loader.stop();
            set.cancelled = true;
            break;
        }
        std::optional<Batch> b = loader.next();
        if (!b)
            break;
        const int64_t classes = int64_t(b->targets.size() / size_t(std::max(1, b->size)));
        torch::Tensor x = torch::from_blob(b->pixels.data(), {b->size, 3, b->height, b->width});
        torch::Tensor t = torch::from_blob(b->targets.data(), {b->size, classes});
        torch::Tensor logits = model.forward(x);
        lossSum += computeLoss(loss, logits, t).item<double>() * b->size;
        n += b->size;
        torch::Tensor p = probabilities(logits, loss.multiLabel).contiguous();
        const float *pp = p.data_ptr<float>();
        set.probs.insert(set.probs.end(), pp, pp + p.numel());
        for (int i = 0; i < b->size; ++i) {
            set.imageIds.push_back(b->imageIds[size_t(i)]);
            set.labels.push_back(b->labels[size_t(i)]);
            for (int64_t c = 0; c < classes; ++c)
                set.targets.push_back(b->targets[size_t(i * classes + c)] > 0.5f ? 1 : 0);
        }
    }
    set.loss = n > 0 ? lossSum / double(n) : -1;
    model.train(wasTraining);
    return set;
}

EvalMetrics metricsOf(const PredictionSet &set, int numClasses, bool multiLabel,
                      const QVector<double> &thresholds)
{
    EvalMetrics m = multiLabel ? multiLabelMetrics(set.probs, set.targets, numClasses, thresholds)
                               : singleLabelMetrics(set.probs, set.labels, numClasses);
    m.loss = set.loss;
    return m;
}

QVector<Prediction> predictionRows(const PredictionSet &set, int numClasses, bool multiLabel,
                                   RunRole role, const QVector<double> &thresholds)
{
    QVector<Prediction> rows;
    for (size_t i = 0; i < set.imageIds.size(); ++i) {
        Prediction p;
        p.imageId = set.imageIds[i];
        p.role = role;
        const float *probs = set.probs.data() + i * size_t(numClasses);
        int best = 0;
        for (int c = 0; c < numClasses; ++c) {
            p.probabilities << probs[c];
            if (probs[c] > probs[best])
                best = c;
            if (multiLabel) {
                if (set.targets[i * size_t(numClasses) + size_t(c)])
                    p.truth << c;
                if (probs[c] >= thresholds.value(c, 0.5))
                    p.predicted << c;
            }
        }
        if (!multiLabel) {
            p.truth << set.labels[i];
            p.predicted << best;
        }
        rows << p;
    }
    return rows;
}

LoaderOptions evalLoaderOptions(const TrainConfig &config, int numClasses)
{
    LoaderOptions o;
    o.imageSize = config.effectiveImageSize();
    o.numClasses = numClasses;
    o.multiLabel = config.multiLabel;
    o.batchSize = config.batchSize;
    o.augment = false;
    o.seed = config.seed;
    o.workers = config.loaderWorkers;
    o.cacheBytes = config.cacheBytes;
    return o;
}

} // namespace salient::train

// ---- The public evaluation entry points (trainer.h) ------------------------------

namespace salient::train {

namespace {

struct OpenedRun {
    std::unique_ptr<ProjectStore> store;
    std::unique_ptr<RunStore> runs;
    RunRecord run;
    TrainConfig config;
};

Result<OpenedRun> openRun(const QString &projectFile, qint64 runId, bool writable)
{
    OpenedRun o;
    auto store = ProjectStore::open(projectFile, writable ? ProjectStore::OpenMode::ReadWrite
                                                          : ProjectStore::OpenMode::ReadOnly);
    if (!store.ok())
        return store.error();
    o.store = std::move(store.value());
    o.runs = std::make_unique<RunStore>(*o.store);
    auto run = o.runs->run(runId);
    if (!run.ok())
        return run.error();
    o.run = run.value();
    auto config = TrainConfig::fromJson(o.run.config, QStringLiteral("run %1").arg(runId));
    if (!config.ok())
        return config.error();
    o.config = config.value();
    return o;
}

/// The run's weights of `kind` in a fresh model; `state` receives the rest.
Result<std::shared_ptr<ClassifierNet>> checkpointModel(const OpenedRun &o, const QString &kind,
                                                       TrainState *state)
{
    auto ckpt = o.runs->checkpoint(o.run.id, kind);
    if (!ckpt.ok())
        return ckpt.error();
    auto model = makeModel(o.config.model.toStdString(), int(o.run.classIds.size()));
    if (!model)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("run %1 uses an unknown model \"%2\"") .arg(o.run.id).arg(
                             o.config.model));
    SALIENT_TRY(
        loadCheckpoint(ckpt->data, *model, nullptr, state, QStringLiteral("run %1").arg(o.run.id)));
    return model;
}

QString firstLine(const std::exception &e)
{
    return QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
}

} // namespace

Result<EvalMetrics> evaluateRun(const QString &projectFile, qint64 runId, const QString &split,
                                const TrainObserver &observer, const std::atomic<int> *control,
                                int threads)
{
    try {
        const int used = setEngineThreads(threads);
        const bool isTest = split == QLatin1String("test");
        auto opened = openRun(projectFile, runId, isTest);
        if (!opened.ok())
            return opened.error();
        OpenedRun &o = opened.value();
        auto data = loadRunData(*o.store, *o.runs, o.run, o.config);
        if (!data.ok())
            return data.error();
        QVector<LoaderItem> items;
        RunRole role = RunRole::Test;
        if (split == QLatin1String("train")) {
            items = data->train;
            role = RunRole::Train;
        } else if (split == QLatin1String("val") || split == QLatin1String("validation")) {
            items = data->validation;
            role = RunRole::Validation;
        } else if (isTest) {
            items = data->test;
        } else {
            return makeError(
                Error::Code::Invalid,
                QStringLiteral("unknown split \"%1\" (train, val or test)").arg(split));
        }
        if (items.isEmpty()) {
            // The snapshot has none in that role: the project's split of that name today.
            auto splits = splitIdsByName(*o.store);
            if (!splits.ok())
                return splits.error();
            auto ids = splitImages(*o.store, splits.value(), split);
            if (!ids.ok())
                return ids.error();
            QHash<qint64, int> runClass;
            for (int i = 0; i < o.run.classIds.size(); ++i)
                runClass.insert(o.run.classIds[i], i);
            auto current =
                makeItems(*o.store, ids.value(), runClass, o.config.multiLabel, split, data->notes);
            if (!current.ok())
                return current.error();
            items = current.value();
        }
        for (const QString &note : data->notes)
            if (observer.log)
                observer.log(note);
        if (items.isEmpty())
            return makeError(
                Error::Code::NotFound,
                QStringLiteral("run %1 has no images to evaluate in \"%2\"").arg(runId).arg(split),
                               projectFile);
        TrainState state;
        auto best = checkpointModel(o, QStringLiteral("best"), &state);
        if (!best.ok() && best.error().code == Error::Code::NotFound)
            best = checkpointModel(o, QStringLiteral("last"), &state);
        if (!best.ok())
            return best.error();
        if (observer.started)
            observer.started(runId);
        const int classes = int(o.run.classIds.size());
        LossSpec loss;
        loss.kind = o.config.loss;
        loss.multiLabel = o.config.multiLabel;
        loss.focalGamma = o.config.focalGamma;
        loss.classWeights = makeClassWeights(o.config.classWeighting, data->trainCounts(),
                                             o.config.effectiveNumberBeta);
        DataLoader loader(items, evalLoaderOptions(o.config, classes));
        if (observer.progress) {
            TrainProgress p;
            p.phase = TrainProgress::Phase::Testing;
            p.runId = runId;
            p.threads = used;
            p.device = QStringLiteral("cpu");
            p.loaderWorkers = loader.workers();
            p.batchesPerEpoch = loader.batchesPerEpoch();
            observer.progress(p);
        }
        const PredictionSet set = predict(**best, loader, loss, [control] {
            return control && Control(control->load()) == Control::Cancel;
        });
        if (set.cancelled)
            return makeError(Error::Code::Cancelled, QStringLiteral("evaluation cancelled"),
                                                                    projectFile);
        EvalMetrics metrics = metricsOf(set, classes, o.config.multiLabel, state.thresholds);
        if (isTest) {
            SALIENT_TRY(o.runs->setTestMetrics(runId, metrics.toJson(o.run.classNames)));
            SALIENT_TRY(o.runs->savePredictions(
                runId, predictionRows(set, classes, o.config.multiLabel, role, state.thresholds)));
        }
        return metrics;
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("evaluation failed: %1").arg(firstLine(e)), projectFile);
    }
}

Result<QString> checkpointDigest(const QString &projectFile, qint64 runId, const QString &kind)
{
    try {
        auto opened = openRun(projectFile, runId, false);
        if (!opened.ok())
            return opened.error();
        auto model = checkpointModel(opened.value(), kind, nullptr);
        if (!model.ok())
            return model.error();
        return weightsDigest(**model);
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid, firstLine(e), projectFile);
    }
}

} // namespace salient::train
