// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The review gallery's model: one row per image a run predicted (validation
// and test roles), with prediction, confidence, the image's current truth
// (the project's labels today, mapped to the run's classes by class id, so a
// label fixed in the canvas shows after refresh()), the stored verdict and
// the stored explanation's deletion score. Filter and sort live inside, so
// row counts are what the reviewer sees. GUI thread only.

#include "core/review/reviewstore.h"
#include "core/runs/runstore.h"
#include "core/util/result.h"

#include <QAbstractListModel>
#include <QStringList>

#include <memory>
#include <optional>

namespace salient {
class ProjectStore;
}

namespace salient::review {

class ReviewListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Roles {
        ImageIdRole = Qt::UserRole + 1, ///< qint64
        PathRole,                       ///< absolute image path
        RunRoleRole,                    ///< int(train::RunRole)
        TruthRole,                      ///< QString: class names, ", "-joined ("" when unlabelled)
        TruthIndexesRole,               ///< QVariantList of int
        PredictedRole,                  ///< QString
        PredictedIndexesRole,           ///< QVariantList of int
        ConfidenceRole,                 ///< double: probability of the top predicted class
        CorrectRole,                    ///< bool: prediction equals truth
        VerdictRole,                    ///< int(Verdict)
        NoteRole,                       ///< QString
        ReviewerRole,                   ///< QString
        ReviewedAtRole,                 ///< QDateTime (UTC), invalid when unreviewed
        DeletionScoreRole,              ///< double, or invalid QVariant without a stored explanation
        HasExplanationRole,             ///< bool
    };

    enum class Sort { ImageId, ConfidenceAscending, ConfidenceDescending, DeletionScoreDescending };

    struct Filter {
        bool misclassifiedOnly = false;
        double maxConfidence = 1.0;           ///< rows with confidence <= this
        int classIndex = -1;                  ///< truth or prediction contains it; -1: any
        std::optional<Verdict> verdict;       ///< Unreviewed selects rows without a review
        std::optional<train::RunRole> role;   ///< Validation or Test; none: both
    };

    explicit ReviewListModel(ProjectStore &store, QObject *parent = nullptr);
    ~ReviewListModel() override;

    /// Loads a run (0: empty model). Resets the model.
    Status setRun(qint64 runId);
    qint64 runId() const;
    QStringList classNames() const;

    void setFilter(const Filter &filter);
    Filter filter() const;
    void setSort(Sort sort);
    Sort sort() const;

    int totalCount() const; ///< rows before filtering
    qint64 imageIdAt(int row) const; ///< 0 out of range
    int rowOf(qint64 imageId) const; ///< -1 when filtered out or unknown

    /// Records a verdict through ReviewStore (reviewer and time stamped) and
    /// updates the row in place; the row stays visible until the next
    /// setFilter()/refresh() so the selection does not jump under the reviewer.
    Status setVerdict(int row, Verdict verdict, const QString &note, const QString &reviewer);
    /// Re-reads truth, reviews and stored explanations (after a batch or a label fix).
    Status refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Impl;
    std::unique_ptr<Impl> d; // rows, filter, sort: the implementer's
};

} // namespace salient::review
