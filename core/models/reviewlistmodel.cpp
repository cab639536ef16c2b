// SPDX-License-Identifier: GPL-3.0-or-later
// The review gallery's model. All rows of a run are kept; `visible` holds the
// filtered, sorted indexes into them, so filtering and sorting never touch
// the store.
#include "core/models/reviewlistmodel.h"

#include "core/project/store.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace salient::review {

namespace {

struct Row {
    qint64 imageId = 0;
    QString path;
    train::RunRole role = train::RunRole::Validation;
    QVector<int> truth;     ///< sorted run class indices
    QVector<int> predicted; ///< sorted run class indices
    double confidence = 0;
    bool correct = false;
    Verdict verdict = Verdict::Unreviewed;
    QString note;
    QString reviewer;
    QDateTime reviewedAt;
    bool hasExplanation = false;
    double deletionScore = -1;
};

QVariantList toVariantList(const QVector<int> &v)
{
    QVariantList out;
    for (int i : v)
        out << i;
    return out;
}

/// The top predicted class's probability; for an empty multi-label set, the highest one.
double confidenceOf(const train::Prediction &p)
{
    double best = -1;
    for (int c : p.predicted)
        if (c >= 0 && c < p.probabilities.size())
            best = std::max(best, double(p.probabilities[c]));
    if (best < 0)
        for (float v : p.probabilities)
            best = std::max(best, double(v));
    return std::max(best, 0.0);
}

} // namespace

struct ReviewListModel::Impl {
    explicit Impl(ProjectStore &s) : store(s), runs(s), reviews(s) {}

    ProjectStore &store;
    train::RunStore runs;
    ReviewStore reviews;
    qint64 runId = 0;
    QStringList classNames;
    QVector<qint64> classIds;
    QVector<Row> rows;
    QVector<int> visible;
    Filter filter;
    Sort sort = Sort::ImageId;

    QString names(const QVector<int> &indexes) const
    {
        QStringList out;
        for (int i : indexes)
            out << classNames.value(i, QStringLiteral("#%1").arg(i));
        return out.join(QStringLiteral(", "));
    }

    bool accepts(const Row &r) const
    {
        if (filter.misclassifiedOnly && r.correct)
            return false;
        if (r.confidence > filter.maxConfidence)
            return false;
        if (filter.classIndex >= 0 && !r.truth.contains(filter.classIndex)
            && !r.predicted.contains(filter.classIndex))
            return false;
        if (filter.verdict && r.verdict != *filter.verdict)
            return false;
        if (filter.role && r.role != *filter.role)
            return false;
        return true;
    }

    void rebuildVisible()
    {
        visible.clear();
        for (int i = 0; i < rows.size(); ++i)
            if (accepts(rows[i]))
                visible.push_back(i);
        auto byId = [&](int a, int b) { return rows[a].imageId < rows[b].imageId; };
        switch (sort) {
        case Sort::ImageId:
            std::sort(visible.begin(), visible.end(), byId);
            break;
        case Sort::ConfidenceAscending:
        case Sort::ConfidenceDescending: {
            const bool up = sort == Sort::ConfidenceAscending;
            std::sort(visible.begin(), visible.end(), [&](int a, int b) {
                if (rows[a].confidence != rows[b].confidence)
                    return up ? rows[a].confidence < rows[b].confidence
                              : rows[a].confidence > rows[b].confidence;
                return byId(a, b);
            });
            break;
        }
        case Sort::DeletionScoreDescending:
            // Rows without a score go last: nothing to say about them yet.
            std::sort(visible.begin(), visible.end(), [&](int a, int b) {
                const double sa = rows[a].deletionScore, sb = rows[b].deletionScore;
                if (sa != sb)
                    return sa > sb;
                return byId(a, b);
            });
            break;
        }
    }

    /// Truth from today's labels, verdicts and deletion scores into `rows`.
    Status readVolatile()
    {
        QVector<qint64> ids;
        ids.reserve(rows.size());
        for (const Row &r : rows)
            ids.push_back(r.imageId);
        auto labels = store.labels(ids);
        SALIENT_TRY(labels);
        auto stored = reviews.reviews(runId);
        SALIENT_TRY(stored);
        QHash<qint64, Review> byImage;
        for (const Review &r : stored.value())
            byImage.insert(r.imageId, r);
        auto scores = reviews.deletionScores(runId);
        SALIENT_TRY(scores);
        QHash<qint64, int> indexOfClass;
        for (int i = 0; i < classIds.size(); ++i)
            indexOfClass.insert(classIds[i], i);

        for (Row &r : rows) {
            r.truth.clear();
            for (qint64 classId : labels->value(r.imageId))
                if (indexOfClass.contains(classId))
                    r.truth.push_back(indexOfClass.value(classId));
            std::sort(r.truth.begin(), r.truth.end());
            r.correct = r.truth == r.predicted;
            const Review review = byImage.value(r.imageId);
            r.verdict = review.verdict;
            r.note = review.note;
            r.reviewer = review.reviewer;
            r.reviewedAt = review.updatedAt;
            const auto score = scores->constFind(r.imageId);
            r.hasExplanation = score != scores->constEnd();
            r.deletionScore = r.hasExplanation ? *score : -1.0;
        }
        return {};
    }

    Status load(qint64 id)
    {
        runId = 0;
        classNames.clear();
        classIds.clear();
        rows.clear();
        visible.clear();
        if (id == 0)
            return {};
        auto run = runs.run(id);
        SALIENT_TRY(run);
        auto predictions = runs.predictions(id);
        SALIENT_TRY(predictions);
        QVector<Row> loaded;
        QSet<qint64> seen;
        QVector<qint64> ids;
        for (const train::Prediction &p : predictions.value()) {
            if (p.role == train::RunRole::Train || seen.contains(p.imageId))
                continue;
            seen.insert(p.imageId);
            Row r;
            r.imageId = p.imageId;
            r.role = p.role;
            r.predicted = p.predicted;
            std::sort(r.predicted.begin(), r.predicted.end());
            r.confidence = confidenceOf(p);
            loaded.push_back(r);
            ids.push_back(p.imageId);
        }
        // Images deleted since the run keep their prediction but have no path.
        auto records = store.images(ids);
        if (records.ok()) {
            QHash<qint64, QString> paths;
            for (const ImageRecord &rec : records.value())
                paths.insert(rec.id, rec.absolutePath);
            for (Row &r : loaded)
                r.path = paths.value(r.imageId);
        } else {
            for (Row &r : loaded) {
                auto rec = store.image(r.imageId);
                if (rec.ok())
                    r.path = rec->absolutePath;
            }
        }
        runId = id;
        classNames = run->classNames;
        classIds = run->classIds;
        rows = std::move(loaded);
        Status s = readVolatile();
        if (!s.ok()) {
            rows.clear();
            runId = 0;
            return s;
        }
        rebuildVisible();
        return {};
    }
};

ReviewListModel::ReviewListModel(ProjectStore &store, QObject *parent)
    : QAbstractListModel(parent), d(std::make_unique<Impl>(store))
{
}

ReviewListModel::~ReviewListModel() = default;

Status ReviewListModel::setRun(qint64 runId)
{
    beginResetModel();
    Status s = d->load(runId);
    endResetModel();
    return s;
}

qint64 ReviewListModel::runId() const
{
    return d->runId;
}

QStringList ReviewListModel::classNames() const
{
    return d->classNames;
}

void ReviewListModel::setFilter(const Filter &filter)
{
    beginResetModel();
    d->filter = filter;
    d->rebuildVisible();
    endResetModel();
}

ReviewListModel::Filter ReviewListModel::filter() const
{
    return d->filter;
}

void ReviewListModel::setSort(Sort sort)
{
    beginResetModel();
    d->sort = sort;
    d->rebuildVisible();
    endResetModel();
}

ReviewListModel::Sort ReviewListModel::sort() const
{
    return d->sort;
}

int ReviewListModel::totalCount() const
{
    return d->rows.size();
}

qint64 ReviewListModel::imageIdAt(int row) const
{
    if (row < 0 || row >= d->visible.size())
        return 0;
    return d->rows[d->visible[row]].imageId;
}

int ReviewListModel::rowOf(qint64 imageId) const
{
    for (int i = 0; i < d->visible.size(); ++i)
        if (d->rows[d->visible[i]].imageId == imageId)
            return i;
    return -1;
}

Status ReviewListModel::setVerdict(int row, Verdict verdict, const QString &note,
                                   const QString &reviewer)
{
    if (row < 0 || row >= d->visible.size())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("no review row %1 (the gallery shows %2)") .arg(row).arg(
                                            d->visible.size()),
                                        d->store.filePath());
    Row &r = d->rows[d->visible[row]];
    Review review;
    review.runId = d->runId;
    review.imageId = r.imageId;
    review.verdict = verdict;
    review.note = note;
    review.reviewer = reviewer;
    SALIENT_TRY(d->reviews.setReview(review));
    auto stored = d->reviews.review(d->runId, r.imageId);
    SALIENT_TRY(stored);
    const Review now = stored->value_or(Review{});
    r.verdict = now.verdict;
    r.note = now.note;
    r.reviewer = now.reviewer;
    r.reviewedAt = now.updatedAt;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i);
    return {};
}

Status ReviewListModel::refresh()
{
    beginResetModel();
    Status s = d->load(d->runId);
    endResetModel();
    return s;
}

int ReviewListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : d->visible.size();
}

QVariant ReviewListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = d->rows[d->visible[index.row()]];
    switch (role) {
    case Qt::DisplayRole: {
        const QString truth = r.truth.isEmpty() ? tr("unlabelled") : d->names(r.truth);
        const QString predicted = r.predicted.isEmpty() ? tr("none") : d->names(r.predicted);
        return tr("%1 -> %2 (%3%)").arg(truth, predicted).arg(qRound(r.confidence * 100));
    }
    case Qt::ToolTipRole: {
        QStringList lines;
        lines << (r.path.isEmpty() ? tr("image %1 (deleted)").arg(r.imageId) : r.path);
        if (r.verdict != Verdict::Unreviewed)
            lines << tr("Verdict: %1").arg(verdictName(r.verdict));
        if (!r.note.isEmpty())
            lines << tr("Note: %1").arg(r.note);
        if (r.reviewedAt.isValid())
            lines << (r.reviewer.isEmpty()
                          ? tr("Reviewed %1").arg(r.reviewedAt.toString(Qt::ISODate))
                          : tr("Reviewed by %1, %2")
                                .arg(r.reviewer, r.reviewedAt.toString(Qt::ISODate)));
        if (r.deletionScore >= 0)
            lines << tr("Deletion score: %1").arg(r.deletionScore, 0, 'f', 3);
        return lines.join(QLatin1Char('\n'));
    }
    case ImageIdRole:
        return r.imageId;
    case PathRole:
        return r.path;
    case RunRoleRole:
        return int(r.role);
    case TruthRole:
        return d->names(r.truth);
    case TruthIndexesRole:
        return toVariantList(r.truth);
    case PredictedRole:
        return d->names(r.predicted);
    case PredictedIndexesRole:
        return toVariantList(r.predicted);
    case ConfidenceRole:
        return r.confidence;
    case CorrectRole:
        return r.correct;
    case VerdictRole:
        return int(r.verdict);
    case NoteRole:
        return r.note;
    case ReviewerRole:
        return r.reviewer;
    case ReviewedAtRole:
        return r.reviewedAt;
    case DeletionScoreRole:
        return r.deletionScore >= 0 ? QVariant(r.deletionScore) : QVariant();
    case HasExplanationRole:
        return r.hasExplanation;
    default:
        return {};
    }
}

QHash<int, QByteArray> ReviewListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ImageIdRole, "imageId");
    names.insert(PathRole, "path");
    names.insert(RunRoleRole, "runRole");
    names.insert(TruthRole, "truth");
    names.insert(TruthIndexesRole, "truthIndexes");
    names.insert(PredictedRole, "predicted");
    names.insert(PredictedIndexesRole, "predictedIndexes");
    names.insert(ConfidenceRole, "confidence");
    names.insert(CorrectRole, "correct");
    names.insert(VerdictRole, "verdict");
    names.insert(NoteRole, "note");
    names.insert(ReviewerRole, "reviewer");
    names.insert(ReviewedAtRole, "reviewedAt");
    names.insert(DeletionScoreRole, "deletionScore");
    names.insert(HasExplanationRole, "hasExplanation");
    return names;
}

} // namespace salient::review
