// SPDX-License-Identifier: GPL-3.0-or-later
// RunStore: training runs in the project file (schema version 4). Every write
// is one ProjectStore::transaction(); checkpoints (50-100 MB) are bound
// without a copy.
#include "core/runs/runstore.h"

#include "core/project/store.h"
#include "core/runs/runsql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtEndian>

#include <algorithm>

namespace salient::train {

using detail::SqlStatement;

namespace {

const char *const kStateNames[] = {"running", "paused", "cancelled", "failed", "finished"};
const RunState kStates[] = {RunState::Running, RunState::Paused, RunState::Cancelled,
                            RunState::Failed, RunState::Finished};

bool validRole(int r)
{
    return r >= int(RunRole::Train) && r <= int(RunRole::Test);
}

/// A JSON array of integers ("[0,2]"), for class ids and class indices alike.
template <typename Int>
QByteArray intsJson(const QVector<Int> &v)
{
    QByteArray out("[");
    for (int i = 0; i < v.size(); ++i) {
        if (i)
            out += ',';
        out += QByteArray::number(v[i]);
    }
    return out + ']';
}

/// "[0,2]" back to {0, 2}: written by intsJson() only, so a plain split suffices.
QVector<int> parseInts(const QByteArray &json)
{
    QVector<int> out;
    const QByteArray inner = json.mid(1, json.size() - 2);
    if (inner.trimmed().isEmpty())
        return out;
    for (const QByteArray &part : inner.split(','))
        out.push_back(part.trimmed().toInt());
    return out;
}

QVector<qint64> parseIds(const QByteArray &json)
{
    QVector<qint64> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array())
        out.push_back(v.toInteger());
    return out;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

constexpr char kRunColumns[] =
    "SELECT id, name, created_at, updated_at, state, message, config, class_ids, class_names, "
    "epochs_done, best_epoch, best_value, best_metrics, test_metrics FROM runs";

RunRecord readRun(const SqlStatement &st)
{
    RunRecord r;
    r.id = st.int64(0);
    r.name = st.text(1);
    r.createdAt = QDateTime::fromMSecsSinceEpoch(st.int64(2), Qt::UTC);
    r.updatedAt = QDateTime::fromMSecsSinceEpoch(st.int64(3), Qt::UTC);
    r.state = runStateFromName(st.text(4)).value_or(RunState::Failed);
    r.message = st.text(5);
    r.config = st.textBytes(6);
    r.classIds = parseIds(st.textBytes(7));
    for (const QJsonValue &v : QJsonDocument::fromJson(st.textBytes(8)).array())
        r.classNames << v.toString();
    r.epochsDone = st.toInt(9);
    r.bestEpoch = st.toInt(10);
    r.bestValue = st.real(11);
    r.bestMetrics = st.textBytes(12);
    r.testMetrics = st.textBytes(13);
    return r;
}

} // namespace

QString runStateName(RunState s)
{
    for (size_t i = 0; i < std::size(kStates); ++i)
        if (kStates[i] == s)
            return QString::fromLatin1(kStateNames[i]);
    return {};
}

std::optional<RunState> runStateFromName(const QString &name)
{
    for (size_t i = 0; i < std::size(kStates); ++i)
        if (name == QLatin1String(kStateNames[i]))
            return kStates[i];
    return std::nullopt;
}

RunStore::RunStore(ProjectStore &store) : m_store(store) {}

namespace {

/// Shorthands bound to one store: prepare with the file named, and errors of its own.
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
    Error noRun(qint64 id) const
    {
        return error(Error::Code::NotFound, QStringLiteral("no training run with id %1").arg(id));
    }
    /// NotFound unless the run exists.
    Status requireRun(qint64 id) const
    {
        auto st = prepare("SELECT 1 FROM runs WHERE id = ?", QStringLiteral("looking up a run"));
        SALIENT_TRY(st);
        st->bind(1, id);
        auto row = st->step();
        SALIENT_TRY(row);
        if (!row.value())
            return noRun(id);
        return {};
    }
    /// Runs an UPDATE of one run; NotFound when it matched nothing.
    Status updateRun(SqlStatement &st, qint64 id) const
    {
        SALIENT_TRY(st.exec());
        if (sqlite3_changes(store.handle()) == 0)
            return noRun(id);
        return {};
    }
};

Status writeCheckpoint(const Db &db, qint64 id, const char *kind, const Checkpoint &cp)
{
    auto st = db.prepare("INSERT OR REPLACE INTO run_checkpoints(run_id, kind, epoch, step, "
                         "batch_in_epoch, data) VALUES (?, ?, ?, ?, ?, ?)",
                         QStringLiteral("writing a checkpoint"));
    SALIENT_TRY(st);
    st->bind(1, id).bind(2, QString::fromLatin1(kind)).bind(3, cp.epoch).bind(4, cp.step);
    st->bind(5, cp.batchInEpoch).bindBlobNoCopy(6, cp.data.constData(), cp.data.size());
    return st->exec();
}

} // namespace

Result<qint64> RunStore::createRun(const QString &name, const QByteArray &config,
                                   const QVector<qint64> &classIds, const QStringList &classNames,
                                   const QHash<qint64, RunRole> &images)
{
    const Db db{m_store};
    if (classIds.size() != classNames.size())
        return db.error(Error::Code::Invalid,
                        QStringLiteral("a run needs one name per class (%1 ids, %2 names)")
                                           .arg(classIds.size())
                                           .arg(classNames.size()));
    for (auto it = images.cbegin(); it != images.cend(); ++it)
        if (!validRole(int(it.value())))
            return db.error(Error::Code::Invalid,
                            QStringLiteral("image %1 has an unknown run role").arg(it.key()));
    qint64 runId = 0;
    Status s = m_store.transaction([&]() -> Status {
        auto st = db.prepare("INSERT INTO runs(name, created_at, updated_at, state, config, "
                             "class_ids, class_names) VALUES (?, ?, ?, 'running', ?, ?, ?)",
                             QStringLiteral("creating a run"));
        SALIENT_TRY(st);
        const qint64 now = nowMs();
        QJsonArray names;
        for (const QString &n : classNames)
            names.append(n);
        st->bind(1, name).bind(2, now).bind(3, now).bindText(4, config);
        st->bindText(5, intsJson(classIds))
            .bindText(6, QJsonDocument(names).toJson(QJsonDocument::Compact));
        SALIENT_TRY(st->exec());
        runId = sqlite3_last_insert_rowid(m_store.handle());
        auto add = db.prepare("INSERT INTO run_images(run_id, image_id, role) VALUES (?, ?, ?)",
                              QStringLiteral("writing the run's image snapshot"));
        SALIENT_TRY(add);
        for (auto it = images.cbegin(); it != images.cend(); ++it) {
            add->bind(1, runId).bind(2, it.key()).bind(3, int(it.value()));
            SALIENT_TRY(add->exec());
        }
        return {};
    });
    SALIENT_TRY(s);
    return runId;
}

Result<QVector<RunRecord>> RunStore::runs() const
{
    const Db db{m_store};
    auto st = db.prepare(
        QByteArray(kRunColumns + QByteArray(" ORDER BY created_at DESC, id DESC")).constData(),
        QStringLiteral("listing runs"));
    SALIENT_TRY(st);
    QVector<RunRecord> out;
    SALIENT_TRY(st->forEachRow([&](const SqlStatement &row) { out.push_back(readRun(row)); }));
    return out;
}

Result<RunRecord> RunStore::run(qint64 id) const
{
    const Db db{m_store};
    auto st = db.prepare(QByteArray(kRunColumns + QByteArray(" WHERE id = ?")).constData(),
                         QStringLiteral("reading a run"));
    SALIENT_TRY(st);
    st->bind(1, id);
    auto row = st->step();
    SALIENT_TRY(row);
    if (!row.value())
        return db.noRun(id);
    RunRecord r = readRun(*st);
    st->reset();
    return r;
}

Result<QHash<RunRole, QVector<qint64>>> RunStore::runImages(qint64 id) const
{
    const Db db{m_store};
    auto st = db.prepare("SELECT image_id, role FROM run_images WHERE run_id = ? "
                         "ORDER BY role, image_id",
                         QStringLiteral("reading the run's image snapshot"));
    SALIENT_TRY(st);
    st->bind(1, id);
    QHash<RunRole, QVector<qint64>> out;
    for (RunRole r : {RunRole::Train, RunRole::Validation, RunRole::Test})
        out.insert(r, {});
    SALIENT_TRY(st->forEachRow(
        [&](const SqlStatement &row) { out[RunRole(row.toInt(1))].push_back(row.int64(0)); }));
    return out;
}

Status RunStore::setState(qint64 id, RunState state, const QString &message)
{
    const Db db{m_store};
    return m_store.transaction([&]() -> Status {
        auto st = db.prepare("UPDATE runs SET state = ?, message = ?, updated_at = ? WHERE id = ?",
                             QStringLiteral("changing a run's state"));
        SALIENT_TRY(st);
        st->bind(1, runStateName(state)).bind(2, message).bind(3, nowMs()).bind(4, id);
        return db.updateRun(*st, id);
    });
}

Status RunStore::rename(qint64 id, const QString &name)
{
    const Db db{m_store};
    return m_store.transaction([&]() -> Status {
        auto st = db.prepare("UPDATE runs SET name = ?, updated_at = ? WHERE id = ?",
                             QStringLiteral("renaming a run"));
        SALIENT_TRY(st);
        st->bind(1, name).bind(2, nowMs()).bind(3, id);
        return db.updateRun(*st, id);
    });
}

Status RunStore::removeRun(qint64 id)
{
    const Db db{m_store};
    return m_store.transaction([&]() -> Status {
        // Epochs, checkpoints, predictions and the snapshot go with it (ON DELETE CASCADE).
        auto st = db.prepare("DELETE FROM runs WHERE id = ?", QStringLiteral("removing a run"));
        SALIENT_TRY(st);
        st->bind(1, id);
        return db.updateRun(*st, id);
    });
}

Status RunStore::recordEpoch(qint64 id, const EpochRecord &e, const Checkpoint &last, bool isBest,
                             double bestValue, const QByteArray &bestMetrics)
{
    const Db db{m_store};
    if (e.epoch < 1)
        return db.error(Error::Code::Invalid,
                        QStringLiteral("epoch numbers start at 1 (got %1)").arg(e.epoch));
    return m_store.transaction([&]() -> Status {
        auto up = isBest ? db.prepare(
            "UPDATE runs SET epochs_done = ?, updated_at = ?, best_epoch = ?, "
            "best_value = ?, best_metrics = ? WHERE id = ?",
            QStringLiteral("recording an epoch"))
            : db.prepare("UPDATE runs SET epochs_done = ?, updated_at = ? WHERE id = ?",
                         QStringLiteral("recording an epoch"));
        SALIENT_TRY(up);
        up->bind(1, e.epoch).bind(2, nowMs());
        if (isBest)
            up->bind(3, e.epoch).bind(4, bestValue).bindText(5, bestMetrics).bind(6, id);
        else
            up->bind(3, id);
        SALIENT_TRY(db.updateRun(*up, id));

        auto row = db.prepare(
            "INSERT OR REPLACE INTO run_epochs(run_id, epoch, step, train_loss, train_accuracy, "
            "val_loss, val_accuracy, val_macro_f1, learning_rate, seconds, images_per_second, "
            "val_metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            QStringLiteral("recording an epoch"));
        SALIENT_TRY(row);
        row->bind(1, id).bind(2, e.epoch).bind(3, e.step).bind(4, e.trainLoss);
        row->bind(5, e.trainAccuracy).bind(6, e.valLoss).bind(7, e.valAccuracy);
        row->bind(8, e.valMacroF1).bind(9, e.learningRate).bind(10, e.seconds);
        row->bind(11, e.imagesPerSecond).bindText(12, e.valMetrics);
        SALIENT_TRY(row->exec());

        SALIENT_TRY(writeCheckpoint(db, id, "last", last));
        // The same bytes bound a second time, still without a copy on our side
        // (measured: as fast as INSERT ... SELECT from the "last" row, which reads it back).
        if (isBest)
            SALIENT_TRY(writeCheckpoint(db, id, "best", last));
        return {};
    });
}

Status RunStore::saveLastCheckpoint(qint64 id, const Checkpoint &last)
{
    const Db db{m_store};
    return m_store.transaction([&]() -> Status {
        auto up = db.prepare("UPDATE runs SET updated_at = ? WHERE id = ?",
                             QStringLiteral("saving a checkpoint"));
        SALIENT_TRY(up);
        up->bind(1, nowMs()).bind(2, id);
        SALIENT_TRY(db.updateRun(*up, id));
        return writeCheckpoint(db, id, "last", last);
    });
}

Result<QVector<EpochRecord>> RunStore::epochs(qint64 id) const
{
    const Db db{m_store};
    auto st = db.prepare("SELECT epoch, step, train_loss, train_accuracy, val_loss, val_accuracy, "
                         "val_macro_f1, learning_rate, seconds, images_per_second, val_metrics "
                         "FROM run_epochs WHERE run_id = ? ORDER BY epoch",
                         QStringLiteral("reading a run's epochs"));
    SALIENT_TRY(st);
    st->bind(1, id);
    QVector<EpochRecord> out;
    SALIENT_TRY(st->forEachRow([&](const SqlStatement &row) {
        EpochRecord e;
        e.epoch = row.toInt(0);
        e.step = row.int64(1);
        e.trainLoss = row.real(2);
        e.trainAccuracy = row.real(3);
        e.valLoss = row.real(4);
        e.valAccuracy = row.real(5);
        e.valMacroF1 = row.real(6);
        e.learningRate = row.real(7);
        e.seconds = row.real(8);
        e.imagesPerSecond = row.real(9);
        e.valMetrics = row.textBytes(10);
        out.push_back(e);
    }));
    return out;
}

Result<Checkpoint> RunStore::checkpoint(qint64 id, const QString &kind) const
{
    const Db db{m_store};
    if (kind != QLatin1String("last") && kind != QLatin1String("best"))
        return db.error(Error::Code::Invalid,
                        QStringLiteral("unknown checkpoint kind '%1' (last or best)").arg(kind));
    auto st = db.prepare("SELECT epoch, step, batch_in_epoch, data FROM run_checkpoints "
                         "WHERE run_id = ? AND kind = ?",
                         QStringLiteral("reading a checkpoint"));
    SALIENT_TRY(st);
    st->bind(1, id).bind(2, kind);
    auto row = st->step();
    SALIENT_TRY(row);
    if (!row.value())
        return db.error(Error::Code::NotFound,
                        QStringLiteral("run %1 has no %2 checkpoint").arg(id).arg(kind));
    Checkpoint cp;
    cp.epoch = st->toInt(0);
    cp.step = st->int64(1);
    cp.batchInEpoch = st->int64(2);
    cp.data = st->blob(3); // the one copy: out of SQLite's page buffer into ours
    st->reset();
    return cp;
}

Status RunStore::setTestMetrics(qint64 id, const QByteArray &metrics)
{
    const Db db{m_store};
    return m_store.transaction([&]() -> Status {
        auto st = db.prepare("UPDATE runs SET test_metrics = ?, updated_at = ? WHERE id = ?",
                             QStringLiteral("saving test metrics"));
        SALIENT_TRY(st);
        st->bindText(1, metrics).bind(2, nowMs()).bind(3, id);
        return db.updateRun(*st, id);
    });
}

Status RunStore::savePredictions(qint64 id, const QVector<Prediction> &rows)
{
    const Db db{m_store};
    QSet<int> roles;
    for (const Prediction &p : rows) {
        if (!validRole(int(p.role)))
            return db.error(
                Error::Code::Invalid,
                QStringLiteral("prediction for image %1 has an unknown role").arg(p.imageId));
        roles.insert(int(p.role));
    }
    return m_store.transaction([&]() -> Status {
        SALIENT_TRY(db.requireRun(id));
        auto clear = db.prepare("DELETE FROM run_predictions WHERE run_id = ? AND role = ?",
                                QStringLiteral("replacing predictions"));
        SALIENT_TRY(clear);
        for (int role : roles) {
            clear->bind(1, id).bind(2, role);
            SALIENT_TRY(clear->exec());
        }
        auto add = db.prepare("INSERT INTO run_predictions(run_id, image_id, role, truth, "
                              "predicted, probabilities) VALUES (?, ?, ?, ?, ?, ?)",
                              QStringLiteral("saving predictions"));
        SALIENT_TRY(add);
        QVector<float> le;
        for (const Prediction &p : rows) {
            // float32 little-endian, as on every machine we ship for; swap elsewhere.
            const float *probs = p.probabilities.constData();
            if (QSysInfo::ByteOrder != QSysInfo::LittleEndian) {
                le.resize(p.probabilities.size());
                qToLittleEndian<float>(probs, p.probabilities.size(), le.data());
                probs = le.constData();
            }
            add->bind(1, id).bind(2, p.imageId).bind(3, int(p.role));
            add->bindText(4, intsJson(p.truth)).bindText(5, intsJson(p.predicted));
            add->bindBlobNoCopy(6, probs, qint64(p.probabilities.size()) * qint64(sizeof(float)));
            SALIENT_TRY(add->exec());
        }
        return {};
    });
}

Result<QVector<Prediction>> RunStore::predictions(qint64 id, std::optional<RunRole> role) const
{
    const Db db{m_store};
    auto st = role
        ? db.prepare("SELECT image_id, role, truth, predicted, probabilities FROM "
                     "run_predictions WHERE run_id = ? AND role = ? ORDER BY image_id",
                     QStringLiteral("reading predictions"))
                     : db.prepare("SELECT image_id, role, truth, predicted, probabilities FROM "
                                  "run_predictions WHERE run_id = ? ORDER BY role, image_id",
                                  QStringLiteral("reading predictions"));
    SALIENT_TRY(st);
    st->bind(1, id);
    if (role)
        st->bind(2, int(*role));
    QVector<Prediction> out;
    SALIENT_TRY(st->forEachRow([&](const SqlStatement &row) {
        Prediction p;
        p.imageId = row.int64(0);
        p.role = RunRole(row.toInt(1));
        p.truth = parseInts(row.textBytes(2));
        p.predicted = parseInts(row.textBytes(3));
        const qint64 n = row.blobSize(4) / qint64(sizeof(float));
        p.probabilities.resize(n);
        if (n > 0)
            qFromLittleEndian<float>(row.blobData(4), n, p.probabilities.data());
        out.push_back(std::move(p));
    }));
    return out;
}

Result<QVector<qint64>> RunStore::confusionImages(qint64 id, RunRole role, int truthClass,
                                                  int predictedClass) const
{
    const Db db{m_store};
    auto st = db.prepare("SELECT image_id, truth, predicted FROM run_predictions "
                         "WHERE run_id = ? AND role = ? ORDER BY image_id",
                         QStringLiteral("reading predictions"));
    SALIENT_TRY(st);
    st->bind(1, id).bind(2, int(role));
    QVector<qint64> out;
    SALIENT_TRY(st->forEachRow([&](const SqlStatement &row) {
        if (parseInts(row.textBytes(1)).contains(truthClass)
            && parseInts(row.textBytes(2)).contains(predictedClass))
            out.push_back(row.int64(0));
    }));
    return out;
}

} // namespace salient::train
