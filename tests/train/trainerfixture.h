// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the trainer suites: a tiny project and a fast, seeded config.

#include "core/imaging/augment.h"
#include "core/runs/trainconfig.h"
#include "tests/support/tinydataset.h"

namespace salient::test {

/// smallcnn at 32 px, SGD, a horizontal flip as the only augmentation, one
/// loader worker, `threads` LibTorch threads: seconds per run.
inline train::TrainConfig tinyConfig(int epochs = 4, int threads = 1)
{
    train::TrainConfig c;
    c.model = QStringLiteral("smallcnn");
    c.imageSize = 32;
    c.epochs = epochs;
    c.batchSize = 12;
    c.learningRate = 0.05;
    c.backboneLrFactor = 1.0;
    c.optimizer = train::OptimizerKind::Sgd;
    c.schedule = train::ScheduleKind::Cosine;
    c.threads = threads;
    c.loaderWorkers = 1;
    c.cacheBytes = 0;
    c.seed = 3;
    AugmentRecipe recipe;
    TransformSpec flip;
    flip.type = TransformType::HorizontalFlip;
    flip.probability = 0.5;
    recipe.transforms << flip;
    c.augmentRecipe = recipe.toJson();
    return c;
}

} // namespace salient::test
