// SPDX-License-Identifier: GPL-3.0-or-later
// A run before its first batch: the project and snapshot, the run record, the
// model in the engine's memory format, the optimiser and the resume point.
#include "core/train/layout.h"
#include "core/train/runmodel.h"
#include "core/train/trainer_session.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QDateTime>
#include <QFileInfo>

#include <optional>

namespace salient::train::detail {

namespace {

// The default CPU generator drives dropout; its state travels with checkpoints.
torch::Tensor rngState()
{
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
}

void setRngState(const torch::Tensor &state)
{
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
}

/// The snapshot of a run made from another (a pruned fine-tune, a distilled
/// student): that run's images per role and its classes, so the two are
/// compared on the same test images and the weights / logits line up.
Result<RunData> sourceRunData(Session &s)
{
    const TrainConfig &c = s.config;
    const qint64 sourceId = c.initFromRun > 0 ? c.initFromRun : c.teacherRun;
    auto source = s.runs->run(sourceId);
    if (!source.ok())
        return makeError(Error::Code::NotFound,
                         QStringLiteral("run %1, which this run starts from, is not in the project")
                             .arg(sourceId),
                         s.request.projectFile);
    auto sourceConfig = TrainConfig::fromJson(source->config, QStringLiteral("run %1").arg(sourceId));
    if (!sourceConfig.ok())
        return sourceConfig.error();
    if (sourceConfig->multiLabel != c.multiLabel)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("run %1 is %2 and this run is not")
                             .arg(sourceId)
                             .arg(c.multiLabel ? QStringLiteral("single-label")
                                               : QStringLiteral("multi-label")),
                         s.request.projectFile);
    if (c.initFromRun > 0 && c.teacherRun > 0 && c.teacherRun != c.initFromRun) {
        auto teacher = s.runs->run(c.teacherRun);
        if (!teacher.ok())
            return teacher.error();
        if (teacher->classIds != source->classIds)
            return makeError(Error::Code::Invalid,
                             QStringLiteral("teacher run %1 has other classes than run %2")
                                 .arg(c.teacherRun)
                                 .arg(sourceId),
                             s.request.projectFile);
    }
    return loadRunData(*s.store, *s.runs, source.value(), c);
}

/// The weights of run config.initFromRun's best checkpoint, into the fresh model.
Status loadInitialWeights(Session &s)
{
    const qint64 from = s.config.initFromRun;
    s.announce(TrainProgress::Phase::Preparing,
               QStringLiteral("loading the weights of run %1").arg(from));
    auto ckpt = s.runs->checkpoint(from, QStringLiteral("best"));
    if (!ckpt.ok() && ckpt.error().code == Error::Code::NotFound)
        ckpt = s.runs->checkpoint(from, QStringLiteral("last"));
    if (!ckpt.ok())
        return makeError(ckpt.error().code,
                         QStringLiteral("run %1 has no checkpoint to start from").arg(from),
                         s.request.projectFile);
    return loadCheckpoint(ckpt->data, *s.model, nullptr, nullptr,
                          QStringLiteral("run %1").arg(from));
}

/// The distillation teacher: run config.teacherRun's best model, eval mode, no grad.
Status loadTeacher(Session &s)
{
    s.announce(TrainProgress::Phase::Preparing,
               QStringLiteral("loading the teacher, run %1").arg(s.config.teacherRun));
    auto teacher = loadRunModel(*s.store, s.config.teacherRun);
    if (!teacher.ok())
        return teacher.error();
    if (teacher->model->numClasses() != s.numClasses())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("teacher run %1 has %2 classes, this run %3")
                             .arg(s.config.teacherRun)
                             .arg(teacher->model->numClasses())
                             .arg(s.numClasses()),
                         s.request.projectFile);
    s.teacher = teacher->model;
    for (auto &p : s.teacher->parameters())
        p.set_requires_grad(false);
    applyPreferredLayout(*s.teacher);
    return {};
}

} // namespace

Status prepare(Session &s)
{
    const TrainRequest &req = s.request;
    s.writer = req.distributed.rank == 0;
    auto store = ProjectStore::open(req.projectFile, s.writer ? ProjectStore::OpenMode::ReadWrite
                                                              : ProjectStore::OpenMode::ReadOnly);
    if (!store.ok())
        return store.error();
    s.store = std::move(store.value());
    s.runs = std::make_unique<RunStore>(*s.store);

    if (req.resumeRunId > 0) {
        auto run = s.runs->run(req.resumeRunId);
        if (!run.ok())
            return run.error();
        if (run->state == RunState::Finished)
            return makeError(
                Error::Code::Invalid,
                QStringLiteral("run %1 has finished; there is nothing to resume").arg(run->id),
                req.projectFile);
        auto config = TrainConfig::fromJson(run->config, QStringLiteral("run %1").arg(run->id));
        if (!config.ok())
            return config.error();
        s.config = config.value();
        s.runId = run->id;
        auto data = loadRunData(*s.store, *s.runs, run.value(), s.config);
        if (!data.ok())
            return data.error();
        s.data = data.value();
        return {};
    }
    s.config = req.config;
    const Status valid = s.config.validate();
    if (!valid.ok())
        return valid;
    auto data = s.config.initFromRun > 0 || s.config.teacherRun > 0 ? sourceRunData(s)
                                                                     : buildRunData(*s.store, s.config);
    if (!data.ok())
        return data.error();
    s.data = data.value();
    if (!s.writer)
        return {};
    const QString name = req.runName.isEmpty()
        ? QStringLiteral("%1 %2").arg(s.config.model, QDateTime::currentDateTime().toString(
                                                          QStringLiteral("yyyy-MM-dd hh:mm")))
        : req.runName;
    auto id = s.runs->createRun(name, s.config.toJson(), s.data.classIds, s.data.classNames,
                                s.data.roles());
    if (!id.ok())
        return id.error();
    s.runId = id.value();
    return {};
}

Status buildEngine(Session &s)
{
    std::optional<Checkpoint> last;
    if (s.request.resumeRunId > 0) {
        s.announce(TrainProgress::Phase::Preparing,
                   QStringLiteral("reading the last checkpoint of run %1").arg(s.runId));
        auto ckpt = s.runs->checkpoint(s.runId, QStringLiteral("last"));
        if (ckpt.ok())
            last = ckpt.value();
        else if (ckpt.error().code != Error::Code::NotFound)
            return ckpt.error();
    }
    // A checkpoint replaces every weight: the original weights file is not needed again.
    TrainConfig modelConfig = s.config;
    if (last)
        modelConfig.weightsFile.clear();
    s.announce(TrainProgress::Phase::Preparing,
               modelConfig.weightsFile.isEmpty()
                   ? QStringLiteral("building %1").arg(s.config.model)
                   : QStringLiteral("loading weights from %1")
                         .arg(QFileInfo(modelConfig.weightsFile).fileName()));
    QStringList notes;
    auto model = buildModel(modelConfig, s.numClasses(), &notes);
    if (!model.ok())
        return model.error();
    s.model = model.value();
    for (const QString &n : notes)
        s.log(n);
    if (s.config.initFromRun > 0 && !last)
        SALIENT_TRY(loadInitialWeights(s));
    if (s.config.teacherRun > 0)
        SALIENT_TRY(loadTeacher(s));
    s.freeze = applyFreeze(*s.model, s.config.freeze);
    // Before the optimiser sees the parameters: set_data keeps them the same
    // tensors anyway, but the optimiser state is then born in the same layout.
    applyPreferredLayout(*s.model);
    s.optim = makeOptimizer(*s.model, s.config);

    s.loss.kind = s.config.loss;
    s.loss.multiLabel = s.config.multiLabel;
    s.loss.focalGamma = s.config.focalGamma;
    s.loss.labelSmoothing = s.config.multiLabel ? 0.0 : s.config.labelSmoothing;
    s.loss.classWeights = makeClassWeights(s.config.classWeighting, s.data.trainCounts(),
                                           s.config.effectiveNumberBeta);

    s.state = TrainState();
    torch::manual_seed(s.config.seed + 1); // the training stream, apart from initialisation
    if (s.request.resumeRunId > 0) {
        if (last) {
            // loadCheckpoint keeps the model's (channels-last) layout and puts
            // the optimiser state in it, as in the uninterrupted run.
            SALIENT_TRY(loadCheckpoint(last->data, *s.model, s.optim.optimizer.get(), &s.state,
                                       QStringLiteral("run %1").arg(s.runId)));
            if (s.state.rngState.defined())
                setRngState(s.state.rngState);
            s.log(QStringLiteral("resuming run %1 at epoch %2, batch %3")
                      .arg(s.runId)
                      .arg(s.state.epochComplete ? s.state.epoch + 1 : s.state.epoch)
                      .arg(s.state.epochComplete ? 0 : s.state.batchInEpoch));
        }
        auto best = s.runs->checkpoint(s.runId, QStringLiteral("best"));
        if (best.ok())
            s.bestBlob = best->data;
        auto run = s.runs->run(s.runId);
        if (run.ok() && !run->bestMetrics.isEmpty())
            s.bestMetrics = EvalMetrics::fromJson(run->bestMetrics);
    }
    s.progress.message.clear();
    // Every rank starts from rank 0's weights (identical already when seeded; cheap insurance).
    std::vector<torch::Tensor> tensors;
    for (const auto &p : s.model->named_parameters(true))
        tensors.push_back(p.value());
    for (const auto &b : s.model->named_buffers(true))
        tensors.push_back(b.value());
    SALIENT_TRY(s.comm->broadcast(tensors));
    if (s.config.pruneSparsity > 0) {
        // A resumed pruned run already holds its zeros; a new one chooses them now.
        s.pruneMask = last ? nonZeroMask(*s.model) : magnitudeMask(*s.model, s.config.pruneSparsity);
        s.pruneMask.apply();
    }
    return {};
}

LoaderOptions trainLoaderOptions(const Session &s, const AugmentRecipe &recipe)
{
    LoaderOptions o = evalLoaderOptions(s.config, s.numClasses(), recipe);
    o.augment = true;
    o.dropLast = true;
    o.recipe = recipe;
    o.sampler = s.config.sampler;
    o.mix = s.config.mix;
    o.mixAlpha = s.config.mixAlpha;
    o.mixProbability = s.config.mixProbability;
    o.rank = s.request.distributed.rank;
    o.worldSize = std::max(1, s.request.distributed.worldSize);
    return o;
}

Result<QByteArray> snapshot(Session &s)
{
    s.state.rngState = rngState();
    return saveCheckpoint(*s.model, s.optim.optimizer.get(), s.state);
}

} // namespace salient::train::detail
