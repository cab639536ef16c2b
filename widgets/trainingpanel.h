// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/trainingcontroller.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace salient {

class Prompter;

/// The training form and its controls: every TrainConfig knob (the common
/// ones in view, the rest in a collapsible "Advanced" group), inline
/// validation that keeps Start disabled while the config is invalid,
/// Start / Pause (Resume) / Cancel, a progress bar with epoch, step, ETA,
/// throughput, threads and device (or what the engine is doing, e.g. filling
/// its cache), and the run's messages (skipped images...) in a read-only log
/// the person can select and copy. Knows no ProjectStore: it is given the
/// project file and its class names, and talks to a TrainingController.
class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget *parent = nullptr);

    /// Not owned; may be null (Start stays disabled).
    void setController(salient::train::TrainingController *controller);
    /// Who answers the TorchScript warning (null: plain dialogs).
    void setPrompter(Prompter *prompter) { m_prompter = prompter; }
    train::TrainingController *controller() const { return m_controller; }
    /// The project runs train on (empty: none open) and its classes; a project
    /// open read-only (another program holds it) cannot store a run, so Start is off.
    void setProject(const QString &projectFile, const QStringList &classNames,
                    bool readOnly = false);
    /// The project's own augmentation recipe (JSON, empty: the standard
    /// preset); what "Edit…" starts from while the run uses the project's.
    void setProjectRecipe(const QByteArray &json);

    /// The config the form describes (without validation).
    train::TrainConfig config() const;
    /// Fills the form from a config (a run's, to train again alike).
    void setConfig(const train::TrainConfig &config);
    /// Empty when the form is valid, else the message shown under it.
    QString validationMessage() const;
    QString runName() const;
    /// The run shown in the progress area (0: none yet).
    qint64 currentRunId() const { return m_runId; }
    bool isBusy() const { return m_state != State::Idle; }

    // For tests: the controls, by what they do.
    QPushButton *startButton() const { return m_start; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *statusLabel() const { return m_status; }
    QLabel *detailsLabel() const { return m_details; }
    QLabel *errorLabel() const { return m_error; }
    QGroupBox *advancedGroup() const { return m_advanced; }
    /// The controller's logged() lines of the current run, oldest first
    /// (hidden while there are none).
    QPlainTextEdit *logView() const { return m_log; }
    QWidget *logArea() const { return m_logArea; }
    QLabel *logTitle() const { return m_logTitle; }
    QPushButton *copyLogButton() const { return m_copyLog; }
    /// Puts the whole log on the clipboard, one line each.
    void copyLog() const;

Q_SIGNALS:
    /// The person asked for a run (emitted before the controller is told).
    void startRequested(const salient::train::TrainConfig &config, const QString &runName);
    /// Training began, moved on, or ended (the dock follows these).
    void runStarted(qint64 runId);
    void runEnded(qint64 runId);

private:
    enum class State { Idle, Starting, Running, Paused, Cancelling };

    // trainingpanelform.cpp: building the form and mapping it to TrainConfig.
    QWidget *buildForm();
    void connectForm();
    void updateDependentFields();
    void editRecipe();
    void browseWeights();

    // trainingpanel.cpp: controls, state and progress.
    void validate();
    void updateButtons();
    void setState(State state);
    void onStart();
    void onPauseClicked();
    void onCancel();
    void onStarted(qint64 runId);
    void onProgress(const salient::train::TrainProgress &p);
    void onEpoch(const salient::train::EpochSummary &s);
    void onFinished(const salient::train::TrainOutcome &outcome);
    void onFailed(const salient::Error &error);
    void onLogged(const QString &line);
    void clearLog();

    /// False when the weights file is TorchScript and the person declined to
    /// run its code; sets trustTorchScript on `config` when they accepted.
    bool confirmTorchScript(train::TrainConfig &config);

    QPointer<train::TrainingController> m_controller;
    Prompter *m_prompter = nullptr;
    QString m_projectFile;
    bool m_projectReadOnly = false;
    QStringList m_classNames;
    QByteArray m_projectRecipe;
    QByteArray m_customRecipe; ///< empty: the project's recipe
    State m_state = State::Idle;
    qint64 m_runId = 0;
    bool m_filling = false;

    // Basic
    QComboBox *m_model;
    QLineEdit *m_weights;
    QToolButton *m_browse;
    QComboBox *m_freeze;
    QCheckBox *m_multiLabel;
    QSpinBox *m_epochs;
    QSpinBox *m_batch;
    QSpinBox *m_imageSize;
    QLineEdit *m_lr;
    QLabel *m_recipeLabel;
    QPushButton *m_recipeEdit;
    QPushButton *m_recipeReset;
    QLineEdit *m_runName;
    // Advanced
    QGroupBox *m_advanced;
    QWidget *m_advancedBody;
    QComboBox *m_loss;
    QDoubleSpinBox *m_gamma;
    QComboBox *m_weighting;
    QDoubleSpinBox *m_beta;
    QComboBox *m_sampler;
    QDoubleSpinBox *m_smoothing;
    QComboBox *m_mix;
    QDoubleSpinBox *m_mixAlpha;
    QDoubleSpinBox *m_mixProb;
    QComboBox *m_optimizer;
    QDoubleSpinBox *m_momentum;
    QDoubleSpinBox *m_backboneFactor;
    QLineEdit *m_weightDecay;
    QComboBox *m_schedule;
    QDoubleSpinBox *m_warmup;
    QDoubleSpinBox *m_gradClip;
    QSpinBox *m_maxSteps;
    QSpinBox *m_patience;
    QComboBox *m_monitor;
    QSpinBox *m_seed;
    QSpinBox *m_threads;
    QSpinBox *m_workers;
    QSpinBox *m_cacheMb;
    QDoubleSpinBox *m_valFraction;
    QLineEdit *m_trainSplit;
    QLineEdit *m_valSplit;
    QLineEdit *m_testSplit;

    // Controls and progress
    QPushButton *m_start;
    QPushButton *m_pause;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    QLabel *m_details;
    QLabel *m_error;
    // The run's messages
    QWidget *m_logArea;
    QLabel *m_logTitle;
    QPlainTextEdit *m_log;
    QPushButton *m_copyLog;
    qint64 m_logLines = 0; ///< all received this run, also those scrolled out
};

} // namespace salient
