// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/trainingcontroller.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace salient {

class ConfusionMatrixView;
class ProjectStore;
class Prompter;
class RunsView;
class TrainingCharts;
class TrainingPanel;

/// Everything about training in one place (the main window's Training dock):
/// the panel on the left; on the right the live charts, the confusion matrix
/// with per-class figures, and the runs list. Follows the controller's
/// signals; a selected run from the list shows its stored curves and matrix.
class TrainingDock : public QWidget {
    Q_OBJECT
public:
    explicit TrainingDock(QWidget *parent = nullptr);

    /// Not owned. Null: this build has no training engine; the dock says so.
    void setController(salient::train::TrainingController *controller);
    train::TrainingController *controller() const { return m_controller; }
    /// May be null (no project). The dock reads runs on this connection.
    void setStore(ProjectStore *store);
    /// The project's classes or recipe changed.
    void refreshProject();
    void setPrompter(Prompter *prompter);
    /// Whether a run is being trained (or started, paused, stopping).
    bool isTraining() const;

    TrainingPanel *panel() const { return m_panel; }
    TrainingCharts *charts() const { return m_charts; }
    ConfusionMatrixView *matrix() const { return m_matrix; }
    RunsView *runs() const { return m_runs; }
    QTabWidget *tabs() const { return m_tabs; }
    QComboBox *matrixSourceBox() const { return m_matrixSource; }

Q_SIGNALS:
    /// Show exactly these images in the browser; `origin` completes
    /// "Showing N images from …".
    void imagesRequested(const QVector<qint64> &imageIds, const QString &origin);
    /// A line worth the status bar.
    void message(const QString &text);

private:
    void onStarted(qint64 runId);
    void onEpoch(const salient::train::EpochSummary &summary);
    void onFinished(const salient::train::TrainOutcome &outcome);
    void onFailed();
    void showRun(qint64 runId);
    void showStoredMatrix();
    void onCell(qint64 runId, int truth, int predicted);
    void updateLive();

    QPointer<train::TrainingController> m_controller;
    ProjectStore *m_store = nullptr;
    qint64 m_liveRun = 0;
    qint64 m_shownRun = 0; ///< the run the charts and matrix show
    QStackedWidget *m_stack;
    QLabel *m_unavailable;
    TrainingPanel *m_panel;
    QTabWidget *m_tabs;
    TrainingCharts *m_charts;
    ConfusionMatrixView *m_matrix;
    QComboBox *m_matrixSource;
    RunsView *m_runs;
};

} // namespace salient
