// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/runstore.h"

#include <QAbstractTableModel>
#include <QVector>

namespace salient {

class ProjectStore;

/// The project's training runs, newest first, one column per figure a user
/// compares side by side. Run records change without store signals (a worker
/// writes them on its own connection), so the owner calls reload() when it
/// learns of a change (an epoch ended, a run was removed).
class RunListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        ModelColumn,
        StateColumn,
        EpochsColumn,
        BestEpochColumn,
        ValAccuracyColumn,
        ValMacroF1Column,
        TestAccuracyColumn,
        TestMacroF1Column,
        CreatedColumn,
        ColumnCount
    };
    enum Role {
        RunIdRole = Qt::UserRole, ///< qint64, in every column
        ValueRole, ///< the raw value (int, double, QDateTime) for sorting; invalid when not
                   ///< measured
    };

    explicit RunListModel(ProjectStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    /// Renaming a run (EditRole on the name column) writes it to the project.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    const train::RunRecord &runAt(int row) const { return m_rows.at(row).record; }
    qint64 idAt(int row) const;
    int rowOf(qint64 runId) const; ///< -1 when not listed
    /// The run a live worker in this process is training: other runs stored as
    /// "running" died with their process and are shown as interrupted.
    void setActiveRun(qint64 runId);
    /// The last read or write error, empty when the last reload worked.
    QString lastError() const { return m_error; }

public Q_SLOTS:
    void reload();

private:
    struct Row {
        train::RunRecord record;
        QString model;
        int plannedEpochs = 0;
        double valAccuracy = -1;
        double valMacroF1 = -1;
        double testAccuracy = -1;
        double testMacroF1 = -1;
    };
    QVariant display(const Row &row, int column) const;
    QVariant value(const Row &row, int column) const;
    QString stateText(const train::RunRecord &run) const;

    ProjectStore *m_store;
    QVector<Row> m_rows;
    qint64 m_activeRun = 0;
    QString m_error;
};

} // namespace salient
