// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow, part three: the Review dock (Grad-CAM and expert verdicts, F10),
// fixing a wrong label found in review, and the Model menu: export a
// finished run, try an exported model file.
#include "app/mainwindow.h"

#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "core/review/explaincontroller.h"
#include "core/runs/exportcontroller.h"
#include "core/runs/runstore.h"
#include "widgets/canvas/annotateview.h"
#include "widgets/exportdialog.h"
#include "widgets/filterbar.h"
#include "widgets/imageviewer.h"
#include "widgets/modeltrydialog.h"
#include "widgets/reviewpanel.h"
#include "widgets/runsview.h"
#include "widgets/thumbnailgrid.h"
#include "widgets/trainingdock.h"
#include "widgets/trainingpanel.h"

#include <QAction>
#include <QBoxLayout>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>

namespace salient {

void MainWindow::createReviewDock()
{
    m_review = new ReviewPanel(this);
    m_reviewDock = new QDockWidget(tr("Review"), this);
    m_reviewDock->setObjectName(QStringLiteral("reviewDock"));
    m_reviewDock->setWidget(m_review);
    addDockWidget(Qt::BottomDockWidgetArea, m_reviewDock);
    tabifyDockWidget(m_trainingDock, m_reviewDock);
    m_reviewDock->hide();
    connect(m_review, &ReviewPanel::fixLabelRequested, this, &MainWindow::fixLabel);
    connect(m_review, &ReviewPanel::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    m_review->messageLabel()->hide(); // the status bar says it here
    // A run that just finished training can be reviewed at once.
    connect(m_training->panel(), &TrainingPanel::runEnded, this, [this]() {
        if (m_reviewDock->isVisible())
            m_review->reload();
    });
}

void MainWindow::setExplainController(review::ExplainController *controller)
{
    m_review->setController(controller);
}

void MainWindow::fixLabel(qint64 imageId)
{
    if (!m_store || !m_imageModel || !imageId)
        return;
    if (m_imageModel->rowOf(imageId) < 0) // hidden by the browser's filter
        m_filterBar->setImageIdFilter({imageId}, tr("the review"));
    m_grid->selectId(imageId);
    if (m_grid->currentId() != imageId)
        return;
    if (isViewerOpen())
        closeViewer();
    openAnnotate();
    if (isAnnotating()) {
        const auto record = m_store->image(imageId);
        statusBar()->showMessage(
            tr("Correct the label of %1 (Ctrl+Z undoes it); the review follows.")
                .arg(record.ok() ? QFileInfo(record->path).fileName() : QString::number(imageId)),
            8000);
    }
}

// ---- the Model menu: export a run, try a model file -----------------------

void MainWindow::createModelActions()
{
    m_exportModelAct = new QAction(tr("&Export Model…"), this);
    m_exportModelAct->setObjectName(QStringLiteral("exportModelAction"));
    m_exportModelAct->setStatusTip(tr("Export a finished run as ONNX (optionally int8 or pruned) "
                                      "or LibTorch, checked against the run's own model"));
    connect(m_exportModelAct, &QAction::triggered, this, [this]() { exportModelDialog(0); });
    // The same, from the Runs list: a button beside Compare / Resume / Delete and
    // its context menu, for the selected run.
    m_exportRunAct = new QAction(tr("E&xport…"), this);
    m_exportRunAct->setObjectName(QStringLiteral("exportRunAction"));
    m_exportRunAct->setToolTip(tr("Export the selected finished run as a model file"));
    connect(m_exportRunAct, &QAction::triggered, this, [this]() {
        const QVector<qint64> ids = m_training->runs()->selectedRunIds();
        exportModelDialog(ids.size() == 1 ? ids.first() : 0);
    });
    m_tryModelAct = new QAction(tr("&Try a Model File…"), this);
    m_tryModelAct->setObjectName(QStringLiteral("tryModelAction"));
    m_tryModelAct->setStatusTip(
        tr("Open an exported .onnx or LibTorch file and see what it predicts for images"));
    connect(m_tryModelAct, &QAction::triggered, this, &MainWindow::tryModelDialog);

    RunsView *runs = m_training->runs();
    runs->table()->setContextMenuPolicy(Qt::ActionsContextMenu);
    runs->table()->addAction(m_exportRunAct);
    // RunsView keeps its buttons in one row above the table; ours joins it.
    if (auto *row = runs->compareButton()->parentWidget()->findChild<QHBoxLayout *>()) {
        const int at = row->indexOf(runs->deleteButton());
        if (at >= 0) {
            auto *button = new QToolButton(runs);
            button->setObjectName(QStringLiteral("exportRunButton"));
            button->setDefaultAction(m_exportRunAct);
            button->setToolButtonStyle(Qt::ToolButtonTextOnly);
            button->setMinimumHeight(runs->deleteButton()->sizeHint().height());
            row->insertWidget(at + 1, button);
        }
    }
    auto stale = [this]() {
        m_finishedRunsStale = true;
        updateModelActions();
    };
    connect(this, &MainWindow::projectOpened, this, stale);
    connect(m_training->panel(), &TrainingPanel::runEnded, this, stale);
    connect(runs, &RunsView::runDeleted, this, stale);
    connect(runs, &RunsView::runSelected, this, stale); // its state may have changed since
}

QMenu *MainWindow::createModelMenu()
{
    auto *menu = new QMenu(tr("&Model"), this);
    menu->setObjectName(QStringLiteral("modelMenu"));
    menu->addAction(m_exportModelAct);
    menu->addAction(m_tryModelAct);
    connect(menu, &QMenu::aboutToShow, this, [this]() {
        m_finishedRunsStale = true; // runs may have finished in another process
        updateModelActions();
    });
    return menu;
}

void MainWindow::updateModelActions()
{
    if (!m_exportModelAct)
        return;
    if (!m_store) {
        m_finishedRuns.clear();
        m_finishedRunsStale = true;
    } else if (m_finishedRunsStale) {
        m_finishedRuns.clear();
        train::RunStore store(*m_store);
        if (const auto runs = store.runs(); runs.ok())
            for (const train::RunRecord &r : runs.value())
                if (r.state == train::RunState::Finished)
                    m_finishedRuns << r.id;
        m_finishedRunsStale = false;
    }
    const bool engine = m_exportController != nullptr;
    const bool busy = engine && (m_exportDialog || m_tryDialog);
    m_exportModelAct->setEnabled(engine && !busy && !m_finishedRuns.isEmpty());
    m_exportModelAct->setToolTip(!engine ? tr("This build cannot export models")
                                 : m_finishedRuns.isEmpty() ? tr("No finished run to export")
                                                            : QString());
    const QVector<qint64> selected = m_training->runs()->selectedRunIds();
    m_exportRunAct->setEnabled(engine && !busy && selected.size() == 1
                               && m_finishedRuns.contains(selected.first()));
    m_tryModelAct->setEnabled(engine && !busy);
}

void MainWindow::setExportController(ExportController *controller)
{
    m_exportController = controller;
    updateModelActions();
}

ExportController *MainWindow::exportController() const
{
    return m_exportController;
}

ExportDialog *MainWindow::exportDialog() const
{
    return m_exportDialog;
}

ModelTryDialog *MainWindow::modelTryDialog() const
{
    return m_tryDialog;
}

void MainWindow::exportModelDialog(qint64 runId)
{
    if (!m_store || !m_exportController || m_exportDialog)
        return;
    m_finishedRunsStale = true;
    updateModelActions();
    QVector<train::RunRecord> runs;
    train::RunStore store(*m_store);
    const auto all = store.runs();
    if (!all.ok()) {
        showError(tr("Export Model"), all.error());
        return;
    }
    for (const train::RunRecord &r : all.value())
        if (r.state == train::RunState::Finished)
            runs << r;
    if (runs.isEmpty())
        return;
    if (runId == 0) {
        const QVector<qint64> selected = m_training->runs()->selectedRunIds();
        runId = selected.size() == 1 ? selected.first() : runs.first().id;
    }
    m_exportDialog = new ExportDialog(this);
    m_exportDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_exportDialog->setController(m_exportController);
    m_exportDialog->setProject(m_store->filePath(), runs, runId);
    connect(m_exportDialog, &ExportDialog::exportFinished, this, [this](const ExportReport &r) {
        statusBar()->showMessage(tr("Model exported to %1").arg(r.outFile), 8000);
        if (r.prunedRunId > 0) { // pruning made a new run: the Runs list shows it
            m_training->runs()->reload();
            m_finishedRunsStale = true;
        }
    });
    connect(m_exportDialog, &QObject::destroyed, this, &MainWindow::updateModelActions,
            Qt::QueuedConnection);
    m_exportDialog->open();
    updateModelActions();
}

void MainWindow::tryModelDialog()
{
    if (!m_exportController || m_tryDialog)
        return;
    m_tryDialog = new ModelTryDialog(this);
    m_tryDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_tryDialog->setController(m_exportController);
    m_tryDialog->setCurrentImage(currentImagePath());
    connect(m_tryDialog, &QObject::destroyed, this, &MainWindow::updateModelActions,
            Qt::QueuedConnection);
    m_tryDialog->open();
    updateModelActions();
}

QString MainWindow::currentImagePath() const
{
    if (!m_store)
        return {};
    const qint64 id = isViewerOpen()   ? m_viewer->imageId()
                      : isAnnotating() ? m_annotate->imageId()
                                       : m_grid->currentId();
    if (id <= 0)
        return {};
    const auto record = m_store->image(id);
    return record.ok() ? record->absolutePath : QString();
}

} // namespace salient
