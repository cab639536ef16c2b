// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/runlistmodel.h"

#include "core/project/store.h"
#include "core/runs/metrics.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace salient {

using train::RunRecord;
using train::RunState;

namespace {

QString percent(double v)
{
    return QLocale().toString(v * 100, 'f', 1) + QStringLiteral(" %");
}

} // namespace

RunListModel::RunListModel(ProjectStore *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store)
{
    reload();
}

int RunListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunListModel::stateText(const RunRecord &run) const
{
    switch (run.state) {
    case RunState::Running:
        // Nobody is training it in this process: it died with the one that was.
        return run.id == m_activeRun ? tr("running") : tr("interrupted");
    case RunState::Paused:
        return tr("paused");
    case RunState::Cancelled:
        return tr("cancelled");
    case RunState::Failed:
        return tr("failed");
    case RunState::Finished:
        return tr("finished");
    }
    return {};
}

QVariant RunListModel::value(const Row &row, int column) const
{
    const RunRecord &r = row.record;
    auto measured = [](double v) { return v >= 0 ? QVariant(v) : QVariant(); };
    switch (column) {
    case NameColumn:
        return r.name;
    case ModelColumn:
        return row.model;
    case StateColumn:
        return int(r.state);
    case EpochsColumn:
        return r.epochsDone;
    case BestEpochColumn:
        return r.bestEpoch > 0 ? QVariant(r.bestEpoch) : QVariant();
    case ValAccuracyColumn:
        return measured(row.valAccuracy);
    case ValMacroF1Column:
        return measured(row.valMacroF1);
    case TestAccuracyColumn:
        return measured(row.testAccuracy);
    case TestMacroF1Column:
        return measured(row.testMacroF1);
    case CreatedColumn:
        return r.createdAt;
    default:
        return {};
    }
}

QVariant RunListModel::display(const Row &row, int column) const
{
    const RunRecord &r = row.record;
    const QVariant v = value(row, column);
    switch (column) {
    case NameColumn:
    case ModelColumn:
        return v;
    case StateColumn:
        return stateText(r);
    case EpochsColumn:
        return row.plannedEpochs > 0 ? tr("%1 of %2").arg(r.epochsDone).arg(row.plannedEpochs)
                                     : QString::number(r.epochsDone);
    case BestEpochColumn:
        return v.isValid() ? QString::number(v.toInt()) : QString();
    case ValAccuracyColumn:
    case ValMacroF1Column:
    case TestAccuracyColumn:
    case TestMacroF1Column:
        return v.isValid() ? percent(v.toDouble()) : QString();
    case CreatedColumn:
        return QLocale().toString(r.createdAt.toLocalTime(), QLocale::ShortFormat);
    default:
        return {};
    }
}

QVariant RunListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::EditRole:
        return index.column() == NameColumn ? QVariant(row.record.name)
                                            : display(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == StateColumn && !row.record.message.isEmpty())
            return row.record.message;
        if (index.column() == NameColumn)
            return tr("Run %1").arg(row.record.id);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= EpochsColumn && index.column() <= TestMacroF1Column)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case RunIdRole:
        return row.record.id;
    case ValueRole:
        return value(row, index.column());
    default:
        return {};
    }
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ModelColumn:
        return tr("Model");
    case StateColumn:
        return tr("State");
    case EpochsColumn:
        return tr("Epochs");
    case BestEpochColumn:
        return tr("Best epoch");
    case ValAccuracyColumn:
        return tr("Val. accuracy");
    case ValMacroF1Column:
        return tr("Val. macro-F1");
    case TestAccuracyColumn:
        return tr("Test accuracy");
    case TestMacroF1Column:
        return tr("Test macro-F1");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

bool RunListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!m_store || role != Qt::EditRole || index.column() != NameColumn
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString name = value.toString().trimmed();
    if (name.isEmpty())
        return false;
    Row &row = m_rows[index.row()];
    train::RunStore runs(*m_store);
    const Status s = runs.rename(row.record.id, name);
    if (!s.ok()) {
        m_error = s.error().toString();
        return false;
    }
    row.record.name = name;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole, ValueRole});
    return true;
}

Qt::ItemFlags RunListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (m_store && !m_store->isReadOnly() && index.column() == NameColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

qint64 RunListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).record.id : 0;
}

int RunListModel::rowOf(qint64 runId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).record.id == runId)
            return i;
    return -1;
}

void RunListModel::setActiveRun(qint64 runId)
{
    if (m_activeRun == runId)
        return;
    const int before = rowOf(m_activeRun);
    m_activeRun = runId;
    for (int row : {before, rowOf(runId)})
        if (row >= 0)
            Q_EMIT dataChanged(index(row, StateColumn), index(row, StateColumn), {Qt::DisplayRole});
}

void RunListModel::reload()
{
    QVector<Row> rows;
    m_error.clear();
    if (m_store) {
        auto runs = train::RunStore(*m_store).runs();
        if (runs.ok()) {
            for (const RunRecord &r : runs.value()) {
                Row row;
                row.record = r;
                const QJsonObject config = QJsonDocument::fromJson(r.config).object();
                row.model = config.value(QStringLiteral("model")).toString();
                row.plannedEpochs = config.value(QStringLiteral("epochs")).toInt(0);
                if (!r.bestMetrics.isEmpty()) {
                    const auto m = train::EvalMetrics::fromJson(r.bestMetrics);
                    row.valAccuracy = m.accuracy;
                    row.valMacroF1 = m.macroF1;
                }
                if (!r.testMetrics.isEmpty()) {
                    const auto m = train::EvalMetrics::fromJson(r.testMetrics);
                    row.testAccuracy = m.accuracy;
                    row.testMacroF1 = m.macroF1;
                }
                rows.push_back(std::move(row));
            }
        } else {
            m_error = runs.error().toString();
        }
    }
    // The same runs in the same order (an epoch ended): update in place so
    // views keep their selection; otherwise start over.
    bool sameRuns = rows.size() == m_rows.size();
    for (int i = 0; sameRuns && i < rows.size(); ++i)
        sameRuns = rows.at(i).record.id == m_rows.at(i).record.id;
    if (sameRuns) {
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

} // namespace salient
