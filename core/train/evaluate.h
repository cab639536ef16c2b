// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch): the pieces a run is made of
// besides the training loop itself: its data snapshot, its model, and
// predictions of a model over a loader.
#pragma once

#include "core/runs/metrics.h"
#include "core/runs/runstore.h"
#include "core/train/dataloader.h"
#include "core/train/losses.h"
#include "core/train/models.h"
#include "core/util/result.h"

#include <QHash>
#include <QStringList>

#include <functional>
#include <memory>

namespace salient {
class ProjectStore;
}

namespace salient::train {

/// A run's classes and its images per role, as loader items (sorted by id).
struct RunData {
    QVector<qint64> classIds;
    QStringList classNames;
    QVector<LoaderItem> train, validation, test;
    QStringList notes; ///< what was skipped and why, one line each

    QHash<qint64, RunRole> roles() const;
    QVector<qint64> trainCounts() const; ///< training images per class
};

/// The snapshot of a new run: splits by the config's names, the validation
/// hold-out when there is no validation split, the classes with training images.
Result<RunData> buildRunData(ProjectStore &store, const TrainConfig &config);
/// Loader items of the project's split named `split` as it is today, labelled
/// with a run's classes (`classIds`, in run order); skipped images are noted.
Result<QVector<LoaderItem>> currentSplitItems(ProjectStore &store, const QString &split,
                                              const QVector<qint64> &classIds, bool multiLabel,
                                              QStringList &notes);
/// An existing run's snapshot with today's labels (classes as the run has them).
Result<RunData> loadRunData(ProjectStore &store, const RunStore &runs, const RunRecord &run,
                            const TrainConfig &config);

/// Seeded fresh model for the config with `numClasses` outputs; with a weights
/// file (.pth state_dict or TorchScript archive) the backbone is loaded from
/// it and the head re-initialised for the run's classes.
Result<std::shared_ptr<ClassifierNet>> buildModel(const TrainConfig &config, int numClasses,
                                                  QStringList *log = nullptr);

/// The augmentation recipe: the config's, else the project's saved one, else
/// the standard preset.
Result<AugmentRecipe> recipeFor(const TrainConfig &config, const ProjectStore &store);

/// A model's outputs over one pass of a loader (evaluation mode, no grad).
struct PredictionSet {
    std::vector<float> probs;          ///< N x C
    std::vector<int> labels;           ///< single-label truth
    std::vector<std::uint8_t> targets; ///< N x C multi-hot truth
    std::vector<qint64> imageIds;
    double loss = -1;
    bool cancelled = false;
};
/// `shouldStop` is asked between batches (true: return what there is, cancelled).
PredictionSet predict(ClassifierNet &model, DataLoader &loader, const LossSpec &loss,
                      const std::function<bool()> &shouldStop = {});

/// Metrics of a prediction set (thresholds for multi-label; empty: 0.5).
EvalMetrics metricsOf(const PredictionSet &set, int numClasses, bool multiLabel,
                      const QVector<double> &thresholds = {});
/// Rows for RunStore::savePredictions.
QVector<Prediction> predictionRows(const PredictionSet &set, int numClasses, bool multiLabel,
                                   RunRole role, const QVector<double> &thresholds);

/// Evaluation loader options for a run. `recipe` is the run's (recipeFor):
/// evaluation takes only its Normalize step (ImageNet's mean/std when it has
/// none), so that validation, test, Grad-CAM and export all see the pixels
/// the model was trained on.
LoaderOptions evalLoaderOptions(const TrainConfig &config, int numClasses,
                                const AugmentRecipe &recipe);

} // namespace salient::train
