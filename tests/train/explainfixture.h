// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by the explain batch and worker suites: a tiny trained run and the
// explanations stored for it.

#include "core/project/store.h"
#include "core/review/reviewstore.h"
#include "core/runs/runstore.h"
#include "core/train/trainer.h"
#include "tests/train/trainerfixture.h"

#include <QFile>
#include <QSet>

namespace salient::test {

/// Trains smallcnn on `project` (a few steps are enough: the maps only need a
/// model of the run, not a good one). Returns the run id, or 0.
inline qint64 trainTinyRun(const QString &project, int imageSize = 32, int maxSteps = 6)
{
    train::TrainRequest request;
    request.projectFile = project;
    request.config = tinyConfig(1, 1);
    request.config.imageSize = imageSize;
    request.config.maxSteps = maxSteps;
    request.runName = QStringLiteral("explain %1px").arg(imageSize);
    request.evaluateTest = false;
    auto outcome = train::runTraining(request, {});
    if (!outcome) {
        qWarning("training failed: %s", qPrintable(outcome.error().toString()));
        return 0;
    }
    return outcome->runId;
}

/// The run's snapshot ids of one role, ascending.
inline QVector<qint64> roleImages(const QString &project, qint64 runId, train::RunRole role)
{
    auto store = ProjectStore::open(project);
    if (!store)
        return {};
    train::RunStore runs(**store);
    auto images = runs.runImages(runId);
    return images ? images->value(role) : QVector<qint64>();
}

/// Image ids of the stored explanations of a run with `method`, in the order
/// the store gives them (duplicates kept, so a test can see them).
inline QVector<qint64> storedImages(const QString &project, qint64 runId,
                                    review::CamMethod method = review::CamMethod::GradCam)
{
    auto store = ProjectStore::open(project);
    if (!store)
        return {-1};
    review::ReviewStore reviews(**store);
    auto rows = reviews.explanations(runId);
    if (!rows) {
        qWarning("explanations: %s", qPrintable(rows.error().toString()));
        return {-1};
    }
    QVector<qint64> ids;
    for (const review::Explanation &e : *rows)
        if (e.method == method)
            ids << e.imageId;
    return ids;
}

inline Status clearStored(const QString &project, qint64 runId)
{
    auto store = ProjectStore::open(project);
    if (!store)
        return store.error();
    return review::ReviewStore(**store).clearExplanations(runId);
}

} // namespace salient::test
