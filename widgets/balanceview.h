// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/balance.h"

#include <QWidget>

class QBarSet;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QTableWidget;
class QTimer;

namespace salient {

class ProjectStore;

/// Class balance at a glance: a bar chart of images (or instances) per class
/// and split, rare classes drawn in a warning colour, the imbalance ratio, and
/// the class weights training will use (inverse frequency and effective number
/// of samples) beside it. Follows the store's change signals, so it stays
/// current while people label. Clicking a bar asks the browser to show that
/// class in that split.
class BalanceView : public QWidget {
    Q_OBJECT
public:
    explicit BalanceView(QWidget *parent = nullptr);

    /// May be null (no project). The view reads the store on the GUI thread.
    void setStore(ProjectStore *store);
    /// Recomputes now (tests; the view also does it by itself after changes).
    void refresh();

    const BalanceReport &report() const { return m_report; }
    QChart *chart() const { return m_chart; }
    QTableWidget *weightsTable() const { return m_weights; }
    QLabel *summaryLabel() const { return m_summary; }

    /// Count shown per bar.
    enum class Measure { Images, Instances };
    void setMeasure(Measure measure);

Q_SIGNALS:
    /// Show the images of this class in this split (0: in no split).
    void filterRequested(qint64 classId, qint64 splitId);

private:
    void scheduleRefresh();
    void rebuildChart();
    void rebuildTable();

    ProjectStore *m_store = nullptr;
    BalanceReport m_report;
    Measure m_measure = Measure::Images;
    QChart *m_chart;
    QChartView *m_chartView;
    QComboBox *m_measureBox;
    QLabel *m_summary;
    QTableWidget *m_weights;
    QTimer *m_debounce;
    QVector<qint64> m_barSplitIds; ///< split id of each bar set, in series order
};

} // namespace salient
