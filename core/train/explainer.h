// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Grad-CAM, Grad-CAM++ and LayerCAM on the exact model of a run (its best
// checkpoint), plus the deletion score and the model-randomisation sanity
// check. Public face of salient_train: no torch types. Blocking calls, for a
// worker thread or the CLI; one Explainer per thread.

#include "core/review/explanation.h"
#include "core/runs/runstore.h"
#include "core/util/result.h"

#include <QString>

#include <atomic>
#include <functional>
#include <memory>

#include <opencv2/core.hpp>

namespace salient::train {

class Explainer {
public:
    ~Explainer();
    Explainer(const Explainer &) = delete;
    Explainer &operator=(const Explainer &) = delete;

    /// Loads a run's checkpoint ("best", falling back to "last") from a
    /// project. threads 0: all cores (set on the calling thread).
    static Result<std::unique_ptr<Explainer>> forRun(const QString &projectFile, qint64 runId,
                                                     const QString &checkpoint = QStringLiteral("best"),
                                                     int threads = 0);

    const review::ModelInfo &info() const;

    /// One image of the project (decoded with its EXIF orientation).
    Result<review::Explanation> explainImage(qint64 imageId, const review::ExplainRequest &request);
    /// An image file outside the project (imageId 0 in the result).
    Result<review::Explanation> explainFile(const QString &path, const review::ExplainRequest &request);
    /// An image already decoded as displayed (CV_8UC3 BGR).
    Result<review::Explanation> explainPixels(const cv::Mat &displayedBgr,
                                              const review::ExplainRequest &request);

    /// The deletion curve (steps + 1 probabilities of `target`) of any `map`
    /// (single channel, any size, covering the network input) on an image
    /// decoded as displayed: e.g. a random ranking, the baseline a CAM must beat.
    Result<QVector<double>> deletionCurve(const cv::Mat &displayedBgr, const cv::Mat &map,
                                          int target, int steps = 20);

    /// Cascading randomisation (Adebayo et al. 2018): re-initialises every
    /// parameter from the head down to and including `layer` (empty: the
    /// whole network) with a seeded fresh initialisation. For the sanity check.
    Status randomise(const QString &layer, quint64 seed);

private:
    Explainer();
    struct Impl;
    std::unique_ptr<Impl> d;
};

/// Explains every image a run had in `role` with a freshly loaded model and
/// stores the results (ReviewStore::saveExplanations, in chunks, so a cancel
/// keeps what is done). `progress(done, total)` is throttled to ~10/s;
/// `cancel` is read between images. Returns the number stored. Memory stays
/// flat over any number of images.
Result<int> explainRole(const QString &projectFile, qint64 runId, RunRole role,
                        const review::ExplainRequest &request,
                        const std::function<void(int done, int total)> &progress = {},
                        const std::atomic<bool> *cancel = nullptr, int threads = 0);

/// Spearman rank correlation of two maps of the same size (the sanity check's
/// similarity measure; 1: same ranking, 0: unrelated). NaN for constant maps.
double mapRankCorrelation(const cv::Mat &a, const cv::Mat &b);

} // namespace salient::train
