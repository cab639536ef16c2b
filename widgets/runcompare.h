// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QChart;
class QCheckBox;
class QTableWidget;

namespace salient {

class ProjectStore;

/// Two or more runs side by side: one column per run, one row per setting
/// and result (config keys, best validation metrics, test metrics); rows
/// whose values differ are highlighted, and a chart overlays each run's
/// validation macro-F1 per epoch.
class RunCompareDialog : public QDialog {
    Q_OBJECT
public:
    RunCompareDialog(ProjectStore &store, const QVector<qint64> &runIds, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    QChart *chart() const { return m_chart; }
    /// Rows whose values differ between the runs, by their key (tests).
    QStringList differingKeys() const;

private:
    void build(ProjectStore &store, const QVector<qint64> &runIds);
    void applyFilter();

    QTableWidget *m_table;
    QChart *m_chart;
    QCheckBox *m_onlyDiff;
    QStringList m_differing;
};

} // namespace salient
