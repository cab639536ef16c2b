// SPDX-License-Identifier: GPL-3.0-or-later
// ReviewStore: verdicts, their history and stored explanations (schema 5).
// Every write is one ProjectStore::transaction(); values are always bound.
#include "core/review/reviewstore.h"

#include "core/imaging/heatmap.h"
#include "core/project/store.h"
#include "core/runs/runsql.h"
#include "core/runs/runstore.h"

#include <QSet>
#include <QtEndian>

#include <iterator>

namespace salient::review {

using train::detail::SqlStatement;

namespace {

const char *const kVerdictNames[] = {"unreviewed", "plausible", "spurious", "shortcut", "unsure"};

bool validVerdict(int v)
{
    return v >= int(Verdict::Unreviewed) && v <= int(Verdict::Unsure);
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

template <typename T>
QByteArray packLittleEndian(const QVector<T> &values)
{
    QByteArray out(int(values.size() * sizeof(T)), Qt::Uninitialized);
    char *p = out.data();
    for (T v : values) {
        qToLittleEndian<T>(v, p);
        p += sizeof(T);
    }
    return out;
}

template <typename T>
QVector<T> unpackLittleEndian(const QByteArray &bytes)
{
    QVector<T> out(bytes.size() / int(sizeof(T)));
    const char *p = bytes.constData();
    for (T &v : out) {
        v = qFromLittleEndian<T>(p);
        p += sizeof(T);
    }
    return out;
}

/// Shorthands bound to one store: statements that name the file in their errors.
struct Db {
    ProjectStore &store;

    Result<SqlStatement> prepare(const char *sql, const QString &context) const
    {
        return SqlStatement::prepare(store.handle(), store.filePath(), sql, context);
    }
    Error error(Error::Code code, const QString &message) const
    {
        return makeError(code, message, QDir::toNativeSeparators(store.filePath()));
    }
    Status requireRow(const char *sql, qint64 id, const QString &what) const
    {
        auto st = prepare(sql, QStringLiteral("looking up %1 %2").arg(what).arg(id));
        SALIENT_TRY(st);
        st->bind(1, id);
        auto row = st->step();
        SALIENT_TRY(row);
        if (!row.value())
            return error(Error::Code::NotFound,
                         QStringLiteral("no %1 with id %2").arg(what).arg(id));
        st->reset();
        return {};
    }
    Status requireRun(qint64 id) const
    {
        return requireRow("SELECT 1 FROM runs WHERE id = ?", id, QStringLiteral("training run"));
    }
    Status requireImage(qint64 id) const
    {
        return requireRow("SELECT 1 FROM images WHERE id = ?", id, QStringLiteral("image"));
    }
};

Review readReview(const SqlStatement &st)
{
    // Columns: run_id, image_id, verdict, note, reviewer, time.
    Review r;
    r.runId = st.int64(0);
    r.imageId = st.int64(1);
    const int v = st.toInt(2);
    r.verdict = validVerdict(v) ? Verdict(v) : Verdict::Unreviewed;
    r.note = st.text(3);
    r.reviewer = st.text(4);
    r.updatedAt = fromMs(st.int64(5));
    return r;
}

constexpr char kExplanationColumns[] =
    "SELECT run_id, image_id, method, layer, target, predicted, confidence, target_probability, "
    "probabilities, deletion_score, deletion_curve, map, image_width, image_height, crop_x, "
    "crop_y, crop_width, crop_height FROM explanations ";

Result<Explanation> readExplanation(const Db &db, const SqlStatement &st)
{
    Explanation e;
    e.runId = st.int64(0);
    e.imageId = st.int64(1);
    const auto method = camMethodFromName(st.text(2));
    if (!method)
        return db.error(Error::Code::Unsupported,
                        QStringLiteral("stored explanation of image %1 uses an unknown method "
                                       "\"%2\"")
                                           .arg(e.imageId)
                                           .arg(st.text(2)));
    e.method = *method;
    e.layer = st.text(3);
    e.target = st.toInt(4);
    e.predicted = st.toInt(5);
    e.confidence = st.real(6);
    e.targetProbability = st.real(7);
    e.probabilities = unpackLittleEndian<float>(st.blob(8));
    e.deletionScore = st.real(9);
    e.deletionCurve = unpackLittleEndian<double>(st.blob(10));
    auto map = decodeMap(st.blob(11));
    if (!map.ok()) {
        Error err = map.error();
        err.message = QStringLiteral("explanation of image %1: %2").arg(e.imageId).arg(err.message);
        err.path = QDir::toNativeSeparators(db.store.filePath());
        return err;
    }
    e.map = map.value();
    e.imageSize = QSize(st.toInt(12), st.toInt(13));
    e.crop = QRect(st.toInt(14), st.toInt(15), st.toInt(16), st.toInt(17));
    return e;
}

} // namespace

QString verdictName(Verdict v)
{
    return validVerdict(int(v)) ? QString::fromLatin1(kVerdictNames[int(v)]) : QString();
}

std::optional<Verdict> verdictFromName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (int i = 0; i < int(std::size(kVerdictNames)); ++i)
        if (key == QLatin1String(kVerdictNames[i]))
            return Verdict(i);
    return std::nullopt;
}

ReviewStore::ReviewStore(ProjectStore &store) : m_store(store) {}

Status ReviewStore::setReview(const Review &review)
{
    const Db db{m_store};
    if (!validVerdict(int(review.verdict)))
        return db.error(Error::Code::Invalid,
                        QStringLiteral("unknown verdict %1").arg(int(review.verdict)));
    return m_store.transaction([&]() -> Status {
        SALIENT_TRY(db.requireRun(review.runId));
        SALIENT_TRY(db.requireImage(review.imageId));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const bool clears = review.verdict == Verdict::Unreviewed && review.note.isEmpty();
        if (clears) {
            auto del = db.prepare("DELETE FROM reviews WHERE run_id = ? AND image_id = ?",
                                  QStringLiteral("clearing a review"));
            SALIENT_TRY(del);
            del->bind(1, review.runId).bind(2, review.imageId);
            SALIENT_TRY(del->exec());
        } else {
            auto up = db.prepare("INSERT OR REPLACE INTO reviews(run_id, image_id, verdict, note, "
                                 "reviewer, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 QStringLiteral("recording a review"));
            SALIENT_TRY(up);
            up->bind(1, review.runId).bind(2, review.imageId).bind(3, int(review.verdict));
            up->bind(4, review.note).bind(5, review.reviewer).bind(6, now);
            SALIENT_TRY(up->exec());
        }
        auto hist = db.prepare("INSERT INTO review_history(run_id, image_id, verdict, note, "
                               "reviewer, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                               QStringLiteral("recording the review history"));
        SALIENT_TRY(hist);
        hist->bind(1, review.runId).bind(2, review.imageId).bind(3, int(review.verdict));
        hist->bind(4, review.note).bind(5, review.reviewer).bind(6, now);
        return hist->exec();
    });
}

Result<std::optional<Review>> ReviewStore::review(qint64 runId, qint64 imageId) const
{
    const Db db{m_store};
    auto st =
        db.prepare("SELECT run_id, image_id, verdict, note, reviewer, updated_at FROM reviews "
                   "WHERE run_id = ? AND image_id = ?",
                   QStringLiteral("reading a review"));
    SALIENT_TRY(st);
    st->bind(1, runId).bind(2, imageId);
    auto row = st->step();
    SALIENT_TRY(row);
    if (!row.value()) {
        SALIENT_TRY(db.requireRun(runId));
        SALIENT_TRY(db.requireImage(imageId));
        return std::optional<Review>();
    }
    std::optional<Review> out = readReview(*st);
    st->reset();
    return out;
}

Result<QVector<Review>> ReviewStore::reviews(qint64 runId) const
{
    const Db db{m_store};
    SALIENT_TRY(db.requireRun(runId));
    auto st =
        db.prepare("SELECT run_id, image_id, verdict, note, reviewer, updated_at FROM reviews "
                   "WHERE run_id = ? ORDER BY image_id",
                   QStringLiteral("reading the reviews of a run"));
    SALIENT_TRY(st);
    st->bind(1, runId);
    QVector<Review> out;
    SALIENT_TRY(st->forEachRow([&](const SqlStatement &row) { out.push_back(readReview(row)); }));
    return out;
}

Result<QVector<Review>> ReviewStore::history(qint64 runId, qint64 imageId) const
{
    const Db db{m_store};
    SALIENT_TRY(db.requireRun(runId));
    SALIENT_TRY(db.requireImage(imageId));
    auto st = db.prepare("SELECT run_id, image_id, verdict, note, reviewer, changed_at FROM "
                         "review_history WHERE run_id = ? AND image_id = ? ORDER BY id",
                         QStringLiteral("reading the review history"));
    SALIENT_TRY(st);
    st->bind(1, runId).bind(2, imageId);
    QVector<Review> out;
    SALIENT_TRY(st->forEachRow([&](const SqlStatement &row) { out.push_back(readReview(row)); }));
    return out;
}

Result<ReviewSummary> ReviewStore::summary(qint64 runId) const
{
    train::RunStore runs(m_store);
    auto run = runs.run(runId);
    SALIENT_TRY(run);
    auto predictions = runs.predictions(runId);
    SALIENT_TRY(predictions);
    auto stored = reviews(runId);
    SALIENT_TRY(stored);
    QHash<qint64, Verdict> verdicts;
    for (const Review &r : stored.value())
        verdicts.insert(r.imageId, r.verdict);

    ReviewSummary s;
    s.runId = runId;
    s.total.classIndex = -1;
    const QStringList &names = run->classNames;
    for (int c = 0; c < names.size(); ++c) {
        VerdictCounts counts;
        counts.classIndex = c;
        counts.className = names[c];
        s.perClass.push_back(counts);
    }
    auto count = [&](VerdictCounts &into, Verdict v) {
        ++into.images;
        ++into.counts[v];
    };
    QSet<qint64> seen; // an image listed under two roles counts once
    for (const train::Prediction &p : predictions.value()) {
        if (p.role == train::RunRole::Train || seen.contains(p.imageId))
            continue;
        seen.insert(p.imageId);
        const Verdict v = verdicts.value(p.imageId, Verdict::Unreviewed);
        count(s.total, v);
        QSet<int> classes;
        for (int c : p.truth)
            if (c >= 0 && c < s.perClass.size() && !classes.contains(c)) {
                classes.insert(c);
                count(s.perClass[c], v);
            }
    }
    return s;
}

Status ReviewStore::saveExplanations(const QVector<Explanation> &rows)
{
    const Db db{m_store};
    for (const Explanation &e : rows) {
        if (e.layer.isEmpty() || e.target < 0 || camMethodName(e.method).isEmpty())
            return db.error(Error::Code::Invalid,
                            QStringLiteral("explanation of image %1 needs a method, a layer and "
                                           "a target class")
                                               .arg(e.imageId));
        if (!e.map.empty() && e.map.channels() != 1)
            return db.error(Error::Code::Invalid,
                            QStringLiteral("explanation of image %1: the map must have one "
                                           "channel")
                                               .arg(e.imageId));
    }
    return m_store.transaction([&]() -> Status {
        QSet<qint64> runsSeen, imagesSeen;
        auto st = db.prepare(
            "INSERT OR REPLACE INTO explanations(run_id, image_id, method, layer, target, "
            "predicted, confidence, target_probability, probabilities, deletion_score, "
            "deletion_curve, map, image_width, image_height, crop_x, crop_y, crop_width, "
            "crop_height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?)",
            QStringLiteral("storing explanations"));
        SALIENT_TRY(st);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const Explanation &e : rows) {
            if (!runsSeen.contains(e.runId)) {
                SALIENT_TRY(db.requireRun(e.runId));
                runsSeen.insert(e.runId);
            }
            if (!imagesSeen.contains(e.imageId)) {
                SALIENT_TRY(db.requireImage(e.imageId));
                imagesSeen.insert(e.imageId);
            }
            const QByteArray probabilities = packLittleEndian(e.probabilities);
            const QByteArray curve = packLittleEndian(e.deletionCurve);
            const QByteArray map = encodeMap(e.map);
            st->bind(1, e.runId).bind(2, e.imageId).bind(3, camMethodName(e.method));
            st->bind(4, e.layer).bind(5, e.target).bind(6, e.predicted).bind(7, e.confidence);
            st->bind(8, e.targetProbability);
            st->bindBlobNoCopy(9, probabilities.constData(), probabilities.size());
            st->bind(10, e.deletionScore).bindBlobNoCopy(11, curve.constData(), curve.size());
            st->bindBlobNoCopy(12, map.constData(), map.size());
            st->bind(13, e.imageSize.width()).bind(14, e.imageSize.height());
            st->bind(15, e.crop.x()).bind(16, e.crop.y()).bind(17, e.crop.width());
            st->bind(18, e.crop.height()).bind(19, now);
            SALIENT_TRY(st->exec());
        }
        return Status();
    });
}

Result<std::optional<Explanation>> ReviewStore::explanation(qint64 runId, qint64 imageId,
                                                            CamMethod method, const QString &layer,
                                                            int target) const
{
    const Db db{m_store};
    // -1 binds as "no constraint" for target and an empty layer as "any layer".
    static const QByteArray sql =
        QByteArray(kExplanationColumns)
        + "WHERE run_id = ?1 AND image_id = ?2 AND method = ?3 AND (?4 = '' OR layer = ?4) "
          "AND (CASE WHEN ?5 < 0 THEN target = predicted ELSE target = ?5 END) "
          "ORDER BY id DESC LIMIT 1";
    auto st = db.prepare(sql.constData(), QStringLiteral("reading a stored explanation"));
    SALIENT_TRY(st);
    st->bind(1, runId).bind(2, imageId).bind(3, camMethodName(method)).bind(4, layer);
    st->bind(5, target);
    auto row = st->step();
    SALIENT_TRY(row);
    if (!row.value()) {
        SALIENT_TRY(db.requireRun(runId));
        SALIENT_TRY(db.requireImage(imageId));
        return std::optional<Explanation>();
    }
    auto e = readExplanation(db, *st);
    st->reset();
    SALIENT_TRY(e);
    return std::optional<Explanation>(std::move(e).value());
}

Result<QVector<Explanation>> ReviewStore::explanations(qint64 runId) const
{
    const Db db{m_store};
    SALIENT_TRY(db.requireRun(runId));
    static const QByteArray sql =
        QByteArray(kExplanationColumns) + "WHERE run_id = ? ORDER BY image_id, id";
    auto st = db.prepare(sql.constData(), QStringLiteral("reading stored explanations"));
    SALIENT_TRY(st);
    st->bind(1, runId);
    QVector<Explanation> out;
    for (;;) {
        auto row = st->step();
        SALIENT_TRY(row);
        if (!row.value())
            return out;
        auto e = readExplanation(db, *st);
        if (!e.ok()) {
            st->reset();
            return e.error();
        }
        out.push_back(std::move(e).value());
    }
}

Result<QHash<qint64, double>> ReviewStore::deletionScores(qint64 runId) const
{
    const Db db{m_store};
    SALIENT_TRY(db.requireRun(runId));
    // Least preferred first: later rows of an image overwrite earlier ones.
    auto st = db.prepare("SELECT image_id, deletion_score FROM explanations WHERE run_id = ? "
                         "ORDER BY image_id, target = predicted, method = 'gradcam', id",
                         QStringLiteral("reading deletion scores"));
    SALIENT_TRY(st);
    st->bind(1, runId);
    QHash<qint64, double> out;
    SALIENT_TRY(st->forEachRow([&](const SqlStatement &row) {
        const double score = row.real(1);
        out.insert(row.int64(0), score >= 0 ? score : -1.0);
    }));
    return out;
}

Status ReviewStore::clearExplanations(qint64 runId)
{
    const Db db{m_store};
    return m_store.transaction([&]() -> Status {
        SALIENT_TRY(db.requireRun(runId));
        auto st = db.prepare("DELETE FROM explanations WHERE run_id = ?",
                             QStringLiteral("removing stored explanations"));
        SALIENT_TRY(st);
        st->bind(1, runId);
        return st->exec();
    });
}

} // namespace salient::review
