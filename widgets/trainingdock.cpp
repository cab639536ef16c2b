// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/trainingdock.h"

#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "widgets/confusionmatrixview.h"
#include "widgets/runsview.h"
#include "widgets/trainingcharts.h"
#include "widgets/trainingpanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

namespace salient {

using namespace salient::train;

namespace {
const char kRecipeKey[] = "augment.recipe"; // where AugmentPreview keeps the project's recipe
enum Source { BestValidation = 0, Test = 1 };
} // namespace

TrainingDock::TrainingDock(QWidget *parent)
    : QWidget(parent),
      m_stack(new QStackedWidget(this)),
      m_unavailable(new QLabel(this)),
      m_panel(new TrainingPanel(this)),
      m_tabs(new QTabWidget(this)),
      m_charts(new TrainingCharts(this)),
      m_matrix(new ConfusionMatrixView(this)),
      m_matrixSource(new QComboBox(this)),
      m_runs(new RunsView(this))
{
    m_unavailable->setText(tr("Training is not part of this build of Salient Studio. Build it "
                              "with LibTorch (cmake -DSALIENT_BUILD_TRAIN=ON), or train with "
                              "salient-cli on a machine that has it."));
    m_unavailable->setWordWrap(true);
    m_unavailable->setAlignment(Qt::AlignCenter);
    m_unavailable->setMargin(24);

    auto *matrixPage = new QWidget(this);
    auto *matrixLay = new QVBoxLayout(matrixPage);
    matrixLay->setContentsMargins(0, 0, 0, 0);
    auto *sourceRow = new QHBoxLayout;
    sourceRow->setContentsMargins(4, 4, 4, 0);
    auto *sourceLabel = new QLabel(tr("Show:"), matrixPage);
    sourceLabel->setBuddy(m_matrixSource);
    m_matrixSource->addItem(tr("Validation (best epoch)"));
    m_matrixSource->addItem(tr("Test split"));
    m_matrixSource->setToolTip(tr("For a finished or selected run; while training, each "
                                  "epoch's validation is shown"));
    sourceRow->addWidget(sourceLabel);
    sourceRow->addWidget(m_matrixSource);
    sourceRow->addStretch(1);
    matrixLay->addLayout(sourceRow);
    matrixLay->addWidget(m_matrix, 1);

    m_tabs->addTab(m_charts, tr("Charts"));
    m_tabs->addTab(matrixPage, tr("Confusion Matrix"));
    m_tabs->addTab(m_runs, tr("Runs"));
    m_tabs->setDocumentMode(true);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_panel);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    m_panel->setMinimumWidth(400);
    split->setSizes({460, 900});

    m_stack->addWidget(m_unavailable);
    m_stack->addWidget(split);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_stack);

    connect(m_matrix, &ConfusionMatrixView::cellActivated, this, &TrainingDock::onCell);
    connect(m_runs, &RunsView::runSelected, this, &TrainingDock::showRun);
    connect(m_runs, &RunsView::resumeRequested, this, [this](qint64 runId) {
        if (m_controller && m_store && !isTraining())
            m_controller->resume(m_store->filePath(), runId);
    });
    connect(m_runs, &RunsView::runDeleted, this, [this](qint64 runId) {
        if (runId == m_shownRun) {
            m_shownRun = 0;
            m_charts->clear();
            m_matrix->clear();
        }
    });
    connect(m_matrixSource, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &TrainingDock::showStoredMatrix);
    connect(m_panel, &TrainingPanel::runEnded, this, [this]() { updateLive(); });
    setController(nullptr);
}

void TrainingDock::setController(TrainingController *controller)
{
    if (m_controller)
        disconnect(m_controller, nullptr, this, nullptr);
    m_controller = controller;
    m_panel->setController(controller);
    m_stack->setCurrentIndex(controller ? 1 : 0);
    if (!controller)
        return;
    connect(controller, &TrainingController::started, this, &TrainingDock::onStarted);
    connect(controller, &TrainingController::progress, m_charts, &TrainingCharts::addProgress);
    connect(controller, &TrainingController::epochFinished, this, &TrainingDock::onEpoch);
    connect(controller, &TrainingController::finished, this, &TrainingDock::onFinished);
    connect(controller, &TrainingController::failed, this, &TrainingDock::onFailed);
    updateLive();
}

void TrainingDock::setStore(ProjectStore *store)
{
    m_store = store;
    m_shownRun = 0;
    m_runs->setStore(store);
    m_charts->clear();
    m_matrix->clear();
    refreshProject();
}

void TrainingDock::refreshProject()
{
    if (!m_store) {
        m_panel->setProject(QString(), {});
        m_panel->setProjectRecipe({});
        return;
    }
    QStringList names;
    if (auto classes = m_store->classes())
        for (const ClassRecord &c : classes.value())
            names << c.name;
    m_panel->setProject(m_store->filePath(), names, m_store->isReadOnly());
    m_panel->setProjectRecipe(
        m_store->setting(QString::fromLatin1(kRecipeKey)).valueOr(QString()).toUtf8());
}

void TrainingDock::setPrompter(Prompter *prompter)
{
    m_runs->setPrompter(prompter);
    m_panel->setPrompter(prompter);
}

bool TrainingDock::isTraining() const
{
    return m_panel->isBusy() || (m_controller && m_controller->isRunning());
}

void TrainingDock::updateLive()
{
    m_runs->setLiveRun(m_liveRun, isTraining());
}

void TrainingDock::onStarted(qint64 runId)
{
    m_liveRun = runId;
    m_shownRun = runId;
    int planned = m_panel->config().epochs;
    QVector<EpochRecord> history;
    if (m_store) {
        RunStore runs(*m_store);
        // A resumed run: its config and the epochs it already has.
        if (auto run = runs.run(runId))
            if (auto config = TrainConfig::fromJson(run->config))
                planned = config->epochs;
        if (auto eps = runs.epochs(runId))
            history = eps.value();
    }
    m_charts->setHistory(history, planned);
    m_matrix->clear(tr("Run %1: the matrix fills in when the first epoch is validated.").arg(runId));
    m_runs->reload();
    m_runs->selectRun(runId);
    updateLive();
    m_tabs->setCurrentWidget(m_charts);
}

void TrainingDock::onEpoch(const EpochSummary &s)
{
    if (s.runId == m_shownRun || m_shownRun == 0) {
        m_charts->addEpoch(s.record);
        if (s.validation.numClasses > 0)
            m_matrix->setMetrics(s.runId, s.validation, s.classNames, RunRole::Validation,
                                 tr("Run %1 · validation after epoch %2%3")
                                     .arg(s.runId)
                                     .arg(s.record.epoch)
                                     .arg(s.isBest ? tr(" (best so far)") : QString()));
        else
            m_matrix->clear(tr("Run %1 has no validation images: no matrix while it trains.")
                                .arg(s.runId));
    }
    m_runs->reload();
}

void TrainingDock::onFinished(const TrainOutcome &o)
{
    m_liveRun = 0;
    m_runs->reload();
    updateLive();
    if (o.runId == m_shownRun) {
        // Show what the run ended with: the test split when it was evaluated.
        const QSignalBlocker block(m_matrixSource);
        m_matrixSource->setCurrentIndex(o.test.numClasses > 0 ? Test : BestValidation);
        showStoredMatrix();
    }
    Q_EMIT message(tr("Training run %1 ended: %2.").arg(o.runId).arg(runStateName(o.state)));
}

void TrainingDock::onFailed()
{
    m_liveRun = 0;
    m_runs->reload();
    updateLive();
}

void TrainingDock::showRun(qint64 runId)
{
    if (!m_store || runId <= 0)
        return;
    if (runId == m_liveRun && isTraining() && m_shownRun == runId)
        return; // the live curves are already shown
    m_shownRun = runId;
    RunStore runs(*m_store);
    int planned = 0;
    if (auto run = runs.run(runId))
        if (auto config = TrainConfig::fromJson(run->config))
            planned = config->epochs;
    m_charts->setHistory(runs.epochs(runId).valueOr({}), planned);
    showStoredMatrix();
}

void TrainingDock::showStoredMatrix()
{
    if (!m_store || m_shownRun <= 0)
        return;
    auto run = RunStore(*m_store).run(m_shownRun);
    if (!run.ok()) {
        m_matrix->clear(run.error().toString());
        return;
    }
    const bool test = m_matrixSource->currentIndex() == Test;
    const QByteArray json = test ? run->testMetrics : run->bestMetrics;
    if (json.isEmpty()) {
        m_matrix->clear(test ? tr("Run %1 has no test evaluation (no test split, or it has not "
                                  "finished).")
                                   .arg(run->id)
                             : tr("Run %1 has no validated epoch yet.").arg(run->id));
        return;
    }
    const EvalMetrics metrics = EvalMetrics::fromJson(json);
    const QString caption =
        test ? tr("Run %1 “%2” · test split, best model").arg(run->id).arg(run->name)
             : tr("Run %1 “%2” · validation at the best epoch (%3)")
                   .arg(run->id)
                   .arg(run->name)
                   .arg(run->bestEpoch);
    m_matrix->setMetrics(run->id, metrics, run->classNames,
                         test ? RunRole::Test : RunRole::Validation, caption);
}

void TrainingDock::onCell(qint64 runId, int truth, int predicted)
{
    if (!m_store)
        return;
    RunStore runs(*m_store);
    const RunRole role = m_matrix->role();
    auto ids = runs.confusionImages(runId, role, truth, predicted);
    if (!ids.ok()) {
        Q_EMIT message(ids.error().toString());
        return;
    }
    QStringList names;
    if (auto run = runs.run(runId))
        names = run->classNames;
    auto nameOf = [&](int i) { return i >= 0 && i < names.size() ? names[i] : QString::number(i); };
    if (ids->isEmpty()) {
        Q_EMIT message(tr("No stored predictions for true “%1”, predicted “%2” in run %3 "
                          "(a run stores them for its best model when it ends).")
                           .arg(nameOf(truth), nameOf(predicted))
                           .arg(runId));
        return;
    }
    const QString split = role == RunRole::Test ? tr("test") : tr("validation");
    Q_EMIT imagesRequested(ids.value(),
                           tr("run %1 (%2): true “%3”, predicted “%4”")
                               .arg(runId)
                               .arg(split, nameOf(truth), nameOf(predicted)));
}

} // namespace salient

// Compiled here, not in the target's mocs_compilation.cpp: there an earlier moc may use
// salient::Error before trainingcontroller.h declares its metatype (a redefinition error).
#include "moc_trainingdock.cpp"
