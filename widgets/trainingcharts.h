// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/trainingcontroller.h"

#include <QElapsedTimer>
#include <QWidget>

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace salient {

/// Live curves of one run: the loss chart (training loss as it runs, within
/// each epoch, and validation loss per epoch) and the quality chart
/// (training accuracy, validation accuracy and macro-F1). X is in epochs
/// (fractions while an epoch runs); the axes grow with the data.
class TrainingCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrainingCharts(QWidget *parent = nullptr);

    /// Forgets every point; `epochs` sets the x range to begin with.
    void clear(int epochs = 0);
    /// A running point (at most one per throttle interval; Training phase only).
    void addProgress(const salient::train::TrainProgress &progress);
    /// The per-epoch points (also ends the epoch's running curves).
    void addEpoch(const salient::train::EpochRecord &record);
    /// A stored run: its epochs as points.
    void setHistory(const QVector<salient::train::EpochRecord> &epochs, int plannedEpochs);
    /// Minimum time between two running points (default 250 ms; tests use 0).
    void setThrottleMs(int ms) { m_throttleMs = ms; }

    QChart *lossChart() const { return m_lossChart; }
    QChart *qualityChart() const { return m_qualityChart; }
    QLineSeries *trainLossSeries() const { return m_trainLoss; }
    QLineSeries *valLossSeries() const { return m_valLoss; }
    QLineSeries *trainAccuracySeries() const { return m_trainAcc; }
    QLineSeries *valAccuracySeries() const { return m_valAcc; }
    QLineSeries *valMacroF1Series() const { return m_valF1; }
    /// Points in every series together (tests, "has the chart anything").
    int pointCount() const;

private:
    void append(QLineSeries *series, double x, double y);
    void rescale();

    QChart *m_lossChart;
    QChart *m_qualityChart;
    QChartView *m_lossView;
    QChartView *m_qualityView;
    QLineSeries *m_trainLoss;
    QLineSeries *m_valLoss;
    QLineSeries *m_trainAcc;
    QLineSeries *m_valAcc;
    QLineSeries *m_valF1;
    QValueAxis *m_lossX;
    QValueAxis *m_lossY;
    QValueAxis *m_qualityX;
    QValueAxis *m_qualityY;
    int m_epochs = 0;
    double m_maxX = 1;
    double m_maxLoss = 0;
    int m_throttleMs = 250;
    QElapsedTimer m_sinceLast;
};

} // namespace salient
