// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Expert review kept in the project file (schema version 5): one verdict and
// note per (run, image) with reviewer and time, an append-only history of
// every verdict change, and the explanations computed for a run (low-resolution
// maps, small enough to keep thousands). Every write is one transaction.

#include "core/review/explanation.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QVector>

#include <optional>

namespace salient {
class ProjectStore;
}

namespace salient::review {

/// What a domain expert says about where the model looks.
enum class Verdict {
    Unreviewed = 0,
    Plausible, ///< looks at the right evidence
    Spurious,  ///< looks at the wrong region
    Shortcut,  ///< relies on an artefact: ruler, marker, text, border...
    Unsure,
};
QString verdictName(Verdict v); ///< "unreviewed" "plausible" "spurious" "shortcut" "unsure"
std::optional<Verdict> verdictFromName(const QString &name);

struct Review {
    qint64 runId = 0;
    qint64 imageId = 0;
    Verdict verdict = Verdict::Unreviewed;
    QString note;
    QString reviewer;
    QDateTime updatedAt; ///< UTC, set by the store
};

/// Verdict counts for one class (by truth) of a run, or for the whole run (classIndex -1).
struct VerdictCounts {
    int classIndex = -1;
    QString className;
    int images = 0;             ///< predicted images of the run in that class (validation + test)
    QHash<Verdict, int> counts; ///< reviewed images per verdict (Unreviewed: the rest)
};

struct ReviewSummary {
    qint64 runId = 0;
    VerdictCounts total;
    QVector<VerdictCounts> perClass; ///< in the run's class order
};

/// Reads and writes reviews through a ProjectStore's connection (one per connection).
class ReviewStore {
public:
    explicit ReviewStore(ProjectStore &store);

    /// Insert or replace the review of (runId, imageId); stamps updatedAt and
    /// appends the change to the history. Unreviewed with an empty note
    /// clears it. NotFound for an unknown run or image.
    Status setReview(const Review &review);
    Result<std::optional<Review>> review(qint64 runId, qint64 imageId) const;
    Result<QVector<Review>> reviews(qint64 runId) const; ///< by image id
    /// Every change ever made to that image's review, oldest first.
    Result<QVector<Review>> history(qint64 runId, qint64 imageId) const;
    Result<ReviewSummary> summary(qint64 runId) const;

    /// Stores explanations (replacing one with the same run, image, method,
    /// layer and target) in one transaction; the map is kept with encodeMap().
    Status saveExplanations(const QVector<Explanation> &rows);
    /// The stored explanation for that key; target -1: the one for the predicted class;
    /// layer empty: any layer (the newest).
    Result<std::optional<Explanation>> explanation(qint64 runId, qint64 imageId, CamMethod method,
                                                   const QString &layer, int target = -1) const;
    /// All of a run's stored explanations (any method/layer/target), by image id.
    Result<QVector<Explanation>> explanations(qint64 runId) const;
    /// Without the maps, for lists: image id -> deletion score of the image's
    /// preferred stored explanation (the predicted class's, Grad-CAM first,
    /// newest); -1 when that one has no score. Images without any are absent.
    Result<QHash<qint64, double>> deletionScores(qint64 runId) const;
    /// Removes a run's stored explanations (the maps, not the reviews).
    Status clearExplanations(qint64 runId);

private:
    ProjectStore &m_store;
};

} // namespace salient::review
