// SPDX-License-Identifier: GPL-3.0-or-later
// The public evaluation entry points of trainer.h: a run's best checkpoint on
// one of its splits, and the digest of a checkpoint.
#include "core/train/trainer.h"

#include "core/project/store.h"
#include "core/train/checkpoint.h"
#include "core/train/engineinfo.h"
#include "core/train/evaluate.h"
#include "core/train/layout.h"

#include <QLocale>

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
            auto current = currentSplitItems(*o.store, split, o.run.classIds,
                                             o.config.multiLabel, data->notes);
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
        applyPreferredLayout(**best);
        if (observer.started)
            observer.started(runId);
        const int classes = int(o.run.classIds.size());
        LossSpec loss;
        loss.kind = o.config.loss;
        loss.multiLabel = o.config.multiLabel;
        loss.focalGamma = o.config.focalGamma;
        loss.classWeights = makeClassWeights(o.config.classWeighting, data->trainCounts(),
                                             o.config.effectiveNumberBeta);
        auto recipe = recipeFor(o.config, *o.store);
        if (!recipe.ok())
            return recipe.error();
        DataLoader loader(items, evalLoaderOptions(o.config, classes, recipe.value()));
        if (observer.progress) {
            TrainProgress p;
            p.phase = TrainProgress::Phase::Testing;
            p.runId = runId;
            p.threads = used;
            p.device = QStringLiteral("cpu");
            p.loaderWorkers = loader.workers();
            p.batchesPerEpoch = loader.batchesPerEpoch();
            p.message = QStringLiteral("evaluating run %1 on %2 %3 images")
                            .arg(runId)
                            .arg(QLocale(QLocale::English).toString(qint64(items.size())), split);
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
