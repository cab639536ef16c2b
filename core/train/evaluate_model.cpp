// SPDX-License-Identifier: GPL-3.0-or-later
// The model side of a run: building it (with a weights file), the
// augmentation recipe, and predictions over a loader in the engine's layout.
#include "core/train/evaluate.h"

#include "core/project/store.h"
#include "core/train/engineinfo.h"
#include "core/train/layout.h"
#include "core/train/statedict.h"
#include "core/train/weightfile.h"

#include <torch/script.h>

namespace salient::train {

namespace {

const char kRecipeKey[] =
    "augment.recipe"; // where the augmentation preview keeps the project's recipe

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
    if (scripted.value() && !config.trustTorchScript)
        return makeError(Error::Code::Invalid, torchScriptWarning(config.weightsFile),
                         config.weightsFile);
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
        torch::Tensor x = inputLayout(
            torch::from_blob(b->pixels.data(), {b->size, 3, b->height, b->width}), model);
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

LoaderOptions evalLoaderOptions(const TrainConfig &config, int numClasses,
                                const AugmentRecipe &recipe)
{
    LoaderOptions o;
    o.recipe = recipe; // augment = false: only its normalisation is used
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
