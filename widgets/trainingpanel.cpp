// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/trainingpanel.h"

#include "core/train/weightfile.h"
#include "widgets/prompter.h"

#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <climits>

namespace salient {

using namespace salient::train;

namespace {

// A run over a folder of broken files may log one line per image: keep the
// newest lines, enough to read and copy, without growing without bound.
constexpr int kMaxLogLines = 2000;
constexpr int kLogRowsShown = 5;

QString formatDuration(double seconds)
{
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString phaseText(TrainProgress::Phase phase)
{
    switch (phase) {
    case TrainProgress::Phase::Preparing:
        return TrainingPanel::tr("Preparing");
    case TrainProgress::Phase::Training:
        return TrainingPanel::tr("Training");
    case TrainProgress::Phase::Validating:
        return TrainingPanel::tr("Validating");
    case TrainProgress::Phase::Testing:
        return TrainingPanel::tr("Testing");
    case TrainProgress::Phase::Saving:
        return TrainingPanel::tr("Saving");
    case TrainProgress::Phase::Paused:
        return TrainingPanel::tr("Paused");
    case TrainProgress::Phase::Done:
        return TrainingPanel::tr("Done");
    }
    return {};
}

} // namespace

TrainingPanel::TrainingPanel(QWidget *parent) : QWidget(parent)
{
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(6, 6, 6, 6);

    // Controls and progress on top: they stay in view while the form scrolls.
    m_start = new QPushButton(tr("&Start Training"), this);
    m_start->setDefault(true);
    m_pause = new QPushButton(tr("&Pause"), this);
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setToolTip(tr("Stop after this batch; the run is checkpointed and can be resumed"));
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(tr("Not started"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    lay->addLayout(buttons);
    lay->addWidget(m_progress);

    m_status = new QLabel(tr("Ready."), this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    lay->addWidget(m_status);
    m_details = new QLabel(this);
    m_details->setForegroundRole(QPalette::PlaceholderText);
    m_details->setWordWrap(true);
    lay->addWidget(m_details);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("trainingError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();
    lay->addWidget(m_error);

    m_logArea = new QWidget(this);
    auto *logLay = new QVBoxLayout(m_logArea);
    logLay->setContentsMargins(0, 0, 0, 0);
    logLay->setSpacing(2);
    auto *logHead = new QHBoxLayout;
    m_logTitle = new QLabel(m_logArea);
    m_copyLog = new QPushButton(tr("Cop&y Log"), m_logArea);
    m_copyLog->setToolTip(tr("Copy the messages shown to the clipboard"));
    logHead->addWidget(m_logTitle, 1);
    logHead->addWidget(m_copyLog);
    logLay->addLayout(logHead);
    m_log = new QPlainTextEdit(m_logArea);
    m_log->setObjectName(QStringLiteral("trainingLog"));
    m_log->setReadOnly(true);
    m_log->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setFixedHeight(m_log->fontMetrics().lineSpacing() * kLogRowsShown
                          + 2 * m_log->frameWidth() + 8);
    logLay->addWidget(m_log);
    lay->addWidget(m_logArea);
    m_logArea->hide();

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildForm());
    lay->addWidget(scroll, 1);

    connect(m_start, &QPushButton::clicked, this, &TrainingPanel::onStart);
    connect(m_pause, &QPushButton::clicked, this, &TrainingPanel::onPauseClicked);
    connect(m_cancel, &QPushButton::clicked, this, &TrainingPanel::onCancel);
    connect(m_copyLog, &QPushButton::clicked, this, &TrainingPanel::copyLog);
    connectForm();
    setConfig(TrainConfig());
    updateButtons();
}

void TrainingPanel::setController(TrainingController *controller)
{
    if (m_controller)
        disconnect(m_controller, nullptr, this, nullptr);
    m_controller = controller;
    if (controller) {
        connect(controller, &TrainingController::started, this, &TrainingPanel::onStarted);
        connect(controller, &TrainingController::progress, this, &TrainingPanel::onProgress);
        connect(controller, &TrainingController::epochFinished, this, &TrainingPanel::onEpoch);
        connect(controller, &TrainingController::finished, this, &TrainingPanel::onFinished);
        connect(controller, &TrainingController::failed, this, &TrainingPanel::onFailed);
        connect(controller, &TrainingController::logged, this, &TrainingPanel::onLogged);
        if (controller->isRunning())
            setState(controller->isPaused() ? State::Paused : State::Running);
    }
    validate();
}

void TrainingPanel::setProject(const QString &projectFile, const QStringList &classNames,
                               bool readOnly)
{
    m_projectFile = projectFile;
    m_projectReadOnly = readOnly;
    m_classNames = classNames;
    validate();
}

void TrainingPanel::setProjectRecipe(const QByteArray &json)
{
    m_projectRecipe = json;
    updateDependentFields();
}

QString TrainingPanel::runName() const
{
    return m_runName->text().trimmed();
}

void TrainingPanel::validate()
{
    QString message = validationMessage();
    if (message.isEmpty() && m_projectFile.isEmpty())
        message = tr("Open a project to train on it.");
    else if (message.isEmpty() && m_projectReadOnly)
        message = tr("This project is open read-only (another program has it open): a run "
                     "cannot be stored. Close it there and open it again here to train.");
    else if (message.isEmpty() && m_classNames.isEmpty())
        message = tr("The project has no classes yet: label some images first.");
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    updateButtons();
}

void TrainingPanel::updateButtons()
{
    const bool valid = m_error->text().isEmpty();
    m_start->setEnabled(m_controller && valid && m_state == State::Idle);
    m_start->setToolTip(valid ? tr("Train a new run with these settings") : m_error->text());
    m_pause->setEnabled(m_state == State::Running || m_state == State::Paused);
    m_pause->setText(m_state == State::Paused ? tr("&Resume") : tr("&Pause"));
    m_cancel->setEnabled(m_state == State::Starting || m_state == State::Running
                         || m_state == State::Paused);
}

void TrainingPanel::setState(State state)
{
    m_state = state;
    updateButtons();
}

void TrainingPanel::onStart()
{
    if (!m_controller || m_state != State::Idle)
        return;
    validate();
    if (!m_error->text().isEmpty())
        return;
    TrainConfig c = config();
    if (!confirmTorchScript(c))
        return;
    m_runId = 0;
    m_progress->setRange(0, 0); // busy until the first progress
    m_progress->setFormat(tr("Preparing…"));
    m_status->setText(tr("Starting…"));
    m_details->clear();
    clearLog();
    setState(State::Starting);
    Q_EMIT startRequested(c, runName());
    m_controller->start(m_projectFile, c, runName());
}

bool TrainingPanel::confirmTorchScript(TrainConfig &c)
{
    if (c.weightsFile.isEmpty())
        return true;
    const Result<bool> scripted = isTorchScriptArchive(c.weightsFile);
    if (!scripted.ok()) {
        // Not a weight file at all: the run fails with this message anyway,
        // shown where the person is looking.
        m_error->setText(scripted.error().toString());
        return false;
    }
    if (!scripted.value())
        return true;
    Prompter &ask = m_prompter ? *m_prompter : Prompter::standard();
    if (!ask.confirm(this, tr("Load Code from a Weights File?"),
                     tr("%1 is a TorchScript file. Besides weights it carries code, and LibTorch "
                        "runs that code while loading it: a file from an untrusted source can do "
                        "anything your user account can.\n\nLoad it only if you trust where it "
                        "came from. A torch.save(state_dict) .pth file carries no code.\n\n"
                        "Load this TorchScript file and train?")
                         .arg(QDir::toNativeSeparators(c.weightsFile))))
        return false;
    c.trustTorchScript = true;
    return true;
}

void TrainingPanel::onPauseClicked()
{
    if (!m_controller)
        return;
    if (m_state == State::Running) {
        m_controller->pause();
        m_status->setText(tr("Pausing after this batch…"));
        setState(State::Paused);
    } else if (m_state == State::Paused) {
        m_controller->unpause();
        m_status->setText(tr("Resuming…"));
        setState(State::Running);
    }
}

void TrainingPanel::onCancel()
{
    if (!m_controller)
        return;
    m_controller->cancel();
    m_status->setText(tr("Stopping after this batch and saving a checkpoint…"));
    setState(State::Cancelling);
}

void TrainingPanel::onStarted(qint64 runId)
{
    m_runId = runId;
    // A run started elsewhere (resume from the runs list) shows here too,
    // without the messages of the run before it.
    if (m_state == State::Idle)
        clearLog();
    if (m_state == State::Idle || m_state == State::Starting)
        setState(State::Running);
    m_status->setText(tr("Run %1 started.").arg(runId));
    Q_EMIT runStarted(runId);
}

void TrainingPanel::onProgress(const TrainProgress &p)
{
    if (m_state == State::Idle || m_state == State::Starting)
        setState(p.phase == TrainProgress::Phase::Paused ? State::Paused : State::Running);
    if (p.phase == TrainProgress::Phase::Paused && m_state == State::Running)
        setState(State::Paused);
    if (p.runId)
        m_runId = p.runId;
    const QLocale loc;
    const bool counted = p.totalSteps > 0;
    if (counted) {
        // QProgressBar counts in int; runs past 2^31 steps are not a worry.
        m_progress->setRange(0, int(qMin<qint64>(p.totalSteps, INT_MAX)));
        m_progress->setValue(int(qMin<qint64>(p.step, INT_MAX)));
    } else if (p.message.isEmpty()) {
        m_progress->setRange(0, 0);
    } else {
        // A busy bar draws no text, and the message is the only news there is.
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
    }
    QString format;
    if (counted && (p.epoch > 0 || p.message.isEmpty())) {
        format = tr("Epoch %1 of %2 · step %3 of %4")
                     .arg(p.epoch)
                     .arg(p.epochs)
                     .arg(loc.toString(p.step), loc.toString(p.totalSteps));
        if (p.etaSeconds >= 0)
            format += tr(" · %1 left").arg(formatDuration(p.etaSeconds));
        if (!p.message.isEmpty())
            format += QStringLiteral(" · ") + p.message;
    } else {
        // Before the first epoch (filling the cache...) the message says more than "epoch 0".
        format = p.message.isEmpty() ? phaseText(p.phase) + QStringLiteral("…")
                                     : tr("%1: %2").arg(phaseText(p.phase), p.message);
    }
    m_progress->setFormat(format);

    QString status = phaseText(p.phase);
    if (p.batchesPerEpoch > 0 && p.phase == TrainProgress::Phase::Training)
        status += tr(": batch %1 of %2").arg(loc.toString(p.batch), loc.toString(p.batchesPerEpoch));
    if (p.loss >= 0)
        status += tr(" · loss %1").arg(p.loss, 0, 'f', 4);
    if (p.accuracy >= 0)
        status += tr(" · accuracy %1%").arg(100.0 * p.accuracy, 0, 'f', 1);
    m_status->setText(status);

    QStringList details;
    if (p.imagesPerSecond > 0)
        details << tr("%1 images/s").arg(p.imagesPerSecond, 0, 'f', 1);
    details << (p.threads == 1 ? tr("1 thread") : tr("%1 threads").arg(p.threads));
    if (p.loaderWorkers > 0)
        details << tr("%1 loader threads").arg(p.loaderWorkers);
    if (!p.device.isEmpty())
        details << tr("device %1").arg(p.device);
    if (p.learningRate > 0)
        details << tr("lr %1").arg(p.learningRate, 0, 'g', 3);
    m_details->setText(details.join(QStringLiteral("  ·  ")));
}

void TrainingPanel::onEpoch(const EpochSummary &s)
{
    const EpochRecord &r = s.record;
    QString text = tr("Epoch %1 done").arg(r.epoch);
    if (r.valMacroF1 >= 0)
        text += tr(": validation macro-F1 %1, accuracy %2%")
                    .arg(r.valMacroF1, 0, 'f', 3)
                    .arg(100.0 * r.valAccuracy, 0, 'f', 1);
    if (s.isBest)
        text += tr(" (best so far)");
    m_status->setText(text);
}

void TrainingPanel::onFinished(const TrainOutcome &o)
{
    const qint64 run = o.runId ? o.runId : m_runId;
    setState(State::Idle);
    validate();
    QString text;
    switch (o.state) {
    case RunState::Finished:
        text = tr("Run %1 finished after %n epoch(s).", nullptr, o.epochsDone).arg(run);
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
        m_progress->setFormat(tr("Finished"));
        break;
    case RunState::Cancelled:
        text = tr("Run %1 cancelled after %n epoch(s); resume it from the Runs list.", nullptr,
                  o.epochsDone)
                   .arg(run);
        m_progress->setFormat(tr("Cancelled"));
        break;
    default:
        text = tr("Run %1 ended (%2).").arg(run).arg(runStateName(o.state));
        break;
    }
    if (o.test.numClasses > 0)
        text += tr(" Test: accuracy %1%, macro-F1 %2.")
                    .arg(100.0 * o.test.accuracy, 0, 'f', 1)
                    .arg(o.test.macroF1, 0, 'f', 3);
    if (!o.message.isEmpty())
        text += QLatin1Char(' ') + o.message;
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    m_status->setText(text);
    Q_EMIT runEnded(run);
}

void TrainingPanel::onFailed(const Error &error)
{
    const bool wasBusy = m_state != State::Idle;
    setState(State::Idle);
    validate();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("Failed"));
    m_status->setText(tr("Training failed: %1").arg(error.toString()));
    if (wasBusy)
        Q_EMIT runEnded(m_runId);
}

void TrainingPanel::onLogged(const QString &line)
{
    ++m_logLines;
    m_log->appendPlainText(line);
    m_logTitle->setText(m_logLines > m_log->blockCount()
                            ? tr("Messages: %1 (the last %2 shown)")
                                  .arg(QLocale().toString(m_logLines))
                                  .arg(m_log->blockCount())
                            : tr("Messages: %1").arg(QLocale().toString(m_logLines)));
    m_logArea->show();
}

void TrainingPanel::clearLog()
{
    m_logLines = 0;
    m_log->clear();
    m_logTitle->clear();
    m_logArea->hide();
}

void TrainingPanel::copyLog() const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(m_log->toPlainText());
}

} // namespace salient

// Compiled here, not in the target's mocs_compilation.cpp: there an earlier moc may use
// salient::Error before trainingcontroller.h declares its metatype (a redefinition error).
#include "moc_trainingpanel.cpp"
