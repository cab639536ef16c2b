// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/metrics.h"
#include "core/runs/runstore.h"

#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;

namespace salient {

/// A run's evaluation at a glance: the confusion matrix (rows: true class,
/// columns: predicted; counts, colour by share of the row, blue on the
/// diagonal and red off it) and the per-class precision / recall / F1 /
/// support table beside it. Clicking a cell, or Enter on it, asks for its
/// images (cellActivated); arrow keys move between cells.
class ConfusionMatrixView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget *parent = nullptr);

    /// `role`: the run's images the metrics are about (validation or test).
    void setMetrics(qint64 runId, const salient::train::EvalMetrics &metrics,
                    const QStringList &classNames, salient::train::RunRole role,
                    const QString &caption);
    void clear(const QString &message = {});

    qint64 runId() const { return m_runId; }
    train::RunRole role() const { return m_role; }
    const train::EvalMetrics &metrics() const { return m_metrics; }

    QTableView *matrixView() const { return m_matrix; }
    QTableView *perClassView() const { return m_perClass; }
    QLabel *captionLabel() const { return m_caption; }
    QLabel *summaryLabel() const { return m_summary; }

Q_SIGNALS:
    /// Show the images of this cell (class indices into the run's class list).
    void cellActivated(qint64 runId, int truthClass, int predictedClass);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fillMatrix();
    void fillPerClass();
    void activate(const QModelIndex &index);

    qint64 m_runId = 0;
    train::RunRole m_role = train::RunRole::Validation;
    train::EvalMetrics m_metrics;
    QStringList m_classNames;
    QLabel *m_caption;
    QLabel *m_summary;
    QTableView *m_matrix;
    QTableView *m_perClass;
    QStandardItemModel *m_matrixModel;
    QStandardItemModel *m_perClassModel;
};

} // namespace salient
