// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow, part two: the project's life cycle, recent files and import.
#include "app/mainwindow.h"

#include "core/commands/editcommands.h"
#include "core/imaging/probe.h"
#include "core/imaging/thumbnailer.h"
#include "core/models/classlistmodel.h"
#include "core/models/imagelistmodel.h"
#include "core/project/projectlock.h"
#include "core/project/store.h"
#include "widgets/augmentpreview.h"
#include "widgets/balanceview.h"
#include "widgets/canvas/annotateview.h"
#include "widgets/classpanel.h"
#include "widgets/datasetdialogs.h"
#include "widgets/datasetreport.h"
#include "widgets/filterbar.h"
#include "widgets/imagedetails.h"
#include "widgets/imageviewer.h"
#include "widgets/importdialog.h"
#include "widgets/prompter.h"
#include "widgets/reviewpanel.h"
#include "widgets/thumbnailgrid.h"
#include "widgets/trainingdock.h"
#include "core/runs/trainingcontroller.h"

#include <QPixmapCache>
#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <QMimeData>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QMenu>
#include <QProgressDialog>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QUndoStack>

namespace salient {

namespace {
constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("recentProjects");
const QString kProjectFilter = QStringLiteral("Salient projects (*.salient)");

/// A project open read-only (another program holds its lock) takes no import:
/// says so and returns true.
bool refuseReadOnly(MainWindow *window, const QString &title)
{
    if (!window->store() || !window->store()->isReadOnly())
        return false;
    window->prompter().error(
        window, title,
        MainWindow::tr("%1 is open read-only: nothing can be added or changed. Close it in the "
                       "other program, then open it again here to edit it.")
            .arg(QDir::toNativeSeparators(window->store()->filePath())));
    return true;
}
} // namespace

QStringList MainWindow::recentProjects()
{
    return QSettings().value(kRecentKey).toStringList();
}

bool MainWindow::openProject(const QString &file)
{
    if (m_importRunner->isRunning()) {
        prompter().error(this, tr("Open Project"), tr("Wait for the import to finish first."));
        return false;
    }
    if (!confirmStopTraining(tr("Open Project")))
        return false;
    // One studio writes a project at a time; a second one may look at it read-only.
    const QString abs = QFileInfo(file).absoluteFilePath();
    auto mode = ProjectStore::OpenMode::ReadWrite;
    std::shared_ptr<ProjectLock> lock;
    if (m_lock && m_lock->projectFile() == abs) {
        lock = m_lock; // opening again the project this window holds
    } else if (QFileInfo(abs).isFile()) {
        lock = std::make_shared<ProjectLock>(abs);
        const Status locked = lock->tryLock();
        if (!locked.ok() && locked.error().code == Error::Code::Locked) {
            const std::optional<LockOwner> holder = lock->holder();
            const QString who = holder ? tr("%1 (pid %2 on host %3)")
                                             .arg(holder->appDisplayName())
                                             .arg(holder->pid)
                                             .arg(holder->host)
                                       : tr("another program");
            if (!prompter().confirm(
                    this, tr("Open Project"),
                    tr("%1 is open in %2.\n\nOpen it read-only? You can look at everything, but "
                       "no change will be saved. Cancel leaves it closed.\n\nIf no program has it "
                       "open there, delete %3 and open it again.")
                        .arg(QDir::toNativeSeparators(abs), who,
                             QDir::toNativeSeparators(ProjectLock::lockFilePath(abs)))))
                return false;
            mode = ProjectStore::OpenMode::ReadOnly;
            lock.reset();
        } else if (!locked.ok()) {
            // No lock can be written beside it (a read-only folder): open it
            // all the same; SQLite reads only where it cannot write.
            lock.reset();
        }
    }
    auto store = ProjectStore::open(abs, mode);
    if (!store.ok()) {
        Error e = store.error();
        if (e.path.isEmpty())
            e.path = file; // the message must name the file
        showError(tr("Open Project"), e);
        return false;
    }
    attachProject(std::move(store.value()));
    m_lock = std::move(lock);
    return true;
}

bool MainWindow::newProject(const QString &file)
{
    auto store = ProjectStore::create(file);
    if (!store.ok()) {
        Error e = store.error();
        if (e.path.isEmpty())
            e.path = file;
        showError(tr("New Project"), e);
        return false;
    }
    auto lock = std::make_shared<ProjectLock>(store.value()->filePath());
    if (!lock->tryLock().ok())
        lock.reset(); // a folder without write access: the store is read-only there anyway
    attachProject(std::move(store.value()));
    m_lock = std::move(lock);
    return true;
}

void MainWindow::attachProject(std::unique_ptr<ProjectStore> store)
{
    closeProject();
    m_store = std::move(store);
    const QString file = m_store->filePath();
    // Disk cache beside the project: <name>.salient.thumbs/
    m_thumbnailer = std::make_unique<Thumbnailer>(file + QStringLiteral(".thumbs"), 256);
    m_undo = std::make_unique<QUndoStack>();
    m_commands = std::make_unique<EditCommands>(*m_store, *m_undo);
    m_imageModel = std::make_unique<ImageListModel>(m_store.get(), m_thumbnailer.get());
    m_classModel = std::make_unique<ClassListModel>(m_store.get(), m_commands.get());

    connect(m_commands.get(), &EditCommands::failed, this,
            [this](const Error &e) { showError(tr("Edit"), e); });
    connect(m_undo.get(), &QUndoStack::indexChanged, this, &MainWindow::updateActions);
    connect(m_undo.get(), &QUndoStack::cleanChanged, this, &MainWindow::updateActions);
    connect(m_store.get(), &ProjectStore::labelsChanged, this, &MainWindow::scheduleCounts);
    connect(m_store.get(), &ProjectStore::imagesAdded, this, &MainWindow::scheduleCounts);
    connect(m_store.get(), &ProjectStore::imagesRemoved, this, &MainWindow::scheduleCounts);
    connect(m_store.get(), &ProjectStore::classesChanged, this, [this]() {
        m_filterBar->reloadChoices();
        m_training->refreshProject();
        updateLabelActions();
        scheduleCounts();
    });
    connect(m_store.get(), &ProjectStore::splitsChanged, m_filterBar, &FilterBar::reloadChoices);
    connect(m_imageModel.get(), &QAbstractItemModel::modelReset, this, &MainWindow::scheduleCounts);
    connect(m_imageModel.get(), &QAbstractItemModel::rowsInserted, this,
            &MainWindow::scheduleCounts);
    connect(m_imageModel.get(), &QAbstractItemModel::rowsRemoved, this,
            &MainWindow::scheduleCounts);
    connect(m_imageModel.get(), &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &to) {
                const int cur = m_grid->currentIndex().row();
                if (cur >= from.row() && cur <= to.row())
                    showCurrentDetails();
            });
    connect(m_classModel.get(), &QAbstractItemModel::modelReset, this,
            &MainWindow::updateLabelActions);
    connect(m_classModel.get(), &QAbstractItemModel::dataChanged, this,
            &MainWindow::updateLabelActions);
    connect(m_filterBar, &FilterBar::filterChanged, m_imageModel.get(), &ImageListModel::setFilter);

    m_grid->setThumbnailer(m_thumbnailer.get());
    QItemSelectionModel *oldSelection = m_grid->selectionModel();
    m_grid->setModel(m_imageModel.get()); // makes a new selection model; the old one is ours
    delete oldSelection;
    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::showCurrentDetails);
    m_filterBar->setStore(m_store.get());
    m_classPanel->setModel(m_classModel.get(), m_commands.get());
    m_annotate->setStore(m_store.get());
    m_balance->setStore(m_store.get());
    m_augment->setStore(m_store.get());
    m_training->setStore(m_store.get());
    m_review->setStore(m_store.get(), m_thumbnailer.get());
    m_stack->setCurrentIndex(1);
    if (m_imageModel->rowCount() > 0)
        m_grid->setCurrentIndex(m_imageModel->index(0, 0));
    m_grid->setFocus();

    if (m_store->isReadOnly()) {
        setWindowTitle(
            tr("%1 (read-only) — Salient Studio").arg(QFileInfo(file).completeBaseName()));
        statusBar()->showMessage(
            tr("Read-only: you can look at everything, but no change is saved."));
    } else {
        setWindowTitle(tr("%1 — Salient Studio").arg(QFileInfo(file).completeBaseName()));
    }
    setWindowFilePath(file);
    addRecent(file);
    updateActions();
    m_counts.stale = true;
    updateCounts();
    Q_EMIT projectOpened(file);
}

void MainWindow::closeProject()
{
    if (!m_store)
        return;
    if (m_importRunner->isRunning()) {
        m_importRunner->cancel();
        m_importRunner->waitForFinished();
    }
    stopTraining(); // the person was asked already where there was a choice
    closeViewer();
    QItemSelectionModel *oldSelection = m_grid->selectionModel();
    m_grid->setModel(nullptr);
    delete oldSelection;
    m_grid->setThumbnailer(nullptr);
    m_classPanel->setModel(nullptr, nullptr);
    m_annotate->setStore(nullptr); // drops the documents before their store goes
    m_balance->setStore(nullptr);
    m_augment->setStore(nullptr);
    m_training->setStore(nullptr);
    if (m_review->isExplainingAll() && m_review->controller())
        m_review->controller()->cancel(); // what is stored so far is kept
    m_review->setStore(nullptr);
    m_filterBar->setStore(nullptr);
    m_details->clear();
    // Views first, then models, commands and stack, and the connection last.
    m_classModel.reset();
    m_imageModel.reset();
    m_commands.reset();
    m_undo.reset();
    if (m_thumbnailer)
        m_thumbnailer->clear();
    m_thumbnailer.reset();
    // The grid's pixmaps are keyed by image id, which the next project reuses.
    QPixmapCache::clear();
    m_store.reset();
    m_lock.reset(); // after the connection: the next writer finds the file at rest
    m_stack->setCurrentIndex(0);
    m_startPage->setRecent(recentProjects());
    setWindowTitle(tr("Salient Studio"));
    setWindowFilePath(QString());
    updateActions();
    m_counts.stale = true;
    updateCounts();
}

void MainWindow::addRecent(const QString &file)
{
    QStringList recent = recentProjects();
    const QString abs = QFileInfo(file).absoluteFilePath();
    recent.removeAll(abs);
    recent.prepend(abs);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentProjects();
    for (int i = 0; i < recent.size(); ++i) {
        const QString f = recent[i];
        QAction *a = m_recentMenu->addAction(
            QStringLiteral("&%1  %2").arg(i + 1).arg(QFileInfo(f).completeBaseName()), this,
                           [this, f]() { openProject(f); });
        a->setToolTip(f);
        a->setStatusTip(f);
    }
    if (!recent.isEmpty()) {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [this]() {
            QSettings().remove(kRecentKey);
            rebuildRecentMenu();
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
    m_startPage->setRecent(recent);
}

void MainWindow::newProjectDialog()
{
    QString file = QFileDialog::getSaveFileName(this, tr("New Project"), QString(),
                                                tr("Salient projects (*.salient)"));
    if (file.isEmpty())
        return;
    if (!file.endsWith(QStringLiteral(".salient")))
        file += QStringLiteral(".salient");
    if (QFileInfo::exists(file)) {
        // The save dialog already asked to overwrite; a project is never
        // silently replaced, so open it instead.
        openProject(file);
        return;
    }
    newProject(file);
}

void MainWindow::openProjectDialog()
{
    const QString file = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(),
                                                      tr("Salient projects (*.salient)"));
    if (!file.isEmpty())
        openProject(file);
}

void MainWindow::importImagesDialog()
{
    if (!m_store || refuseReadOnly(this, tr("Import Images")))
        return;
    QStringList patterns;
    for (const QString &s : supportedImageSuffixes())
        patterns << QStringLiteral("*.") + s;
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Import Images"), QString(),
                                      tr("Images (%1)").arg(patterns.join(QLatin1Char(' '))));
    if (!files.isEmpty())
        startImport(files, false);
}

void MainWindow::importFolderDialog()
{
    if (!m_store || refuseReadOnly(this, tr("Import Folder")))
        return;
    // Qt's own dialog, so the option can sit in it: one step, not two.
    QFileDialog dlg(this, tr("Import Folder"));
    dlg.setFileMode(QFileDialog::Directory);
    dlg.setOption(QFileDialog::ShowDirsOnly, true);
    dlg.setOption(QFileDialog::DontUseNativeDialog, true);
    auto *useFolders = new QCheckBox(tr("Use subfolder names as classes"), &dlg);
    useFolders->setToolTip(tr("ImageFolder layout: images in cats/ get the class “cats”"));
    if (auto *grid = qobject_cast<QGridLayout *>(dlg.layout()))
        grid->addWidget(useFolders, grid->rowCount(), 0, 1, -1);
    if (dlg.exec() != QDialog::Accepted || dlg.selectedFiles().isEmpty())
        return;
    startImport(dlg.selectedFiles(), useFolders->isChecked());
}

void MainWindow::importDatasetDialog()
{
    if (!m_store || refuseReadOnly(this, tr("Import Dataset")))
        return;
    if (m_importRunner->isRunning()) {
        prompter().error(this, tr("Import Dataset"), tr("Wait for the import to finish first."));
        return;
    }
    auto *dlg = new DatasetImportDialog(m_store->filePath(), this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setPrompter(&prompter());
    connect(dlg, &DatasetImportDialog::importFinished, this,
            [this](const DatasetImportReport &report) {
                refreshAfterExternalWrite();
                statusBar()->showMessage(DatasetReportDialog::summary(report), 8000);
            });
    dlg->open();
}

void MainWindow::exportDatasetDialog()
{
    if (!m_store)
        return;
    auto *dlg = new DatasetExportDialog(*m_store, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setPrompter(&prompter());
    connect(dlg, &DatasetExportDialog::exportFinished, this,
            [this](const DatasetExportReport &report) {
                statusBar()->showMessage(DatasetReportDialog::summary(report), 8000);
            });
    dlg->open();
}

bool MainWindow::startImport(const QStringList &paths, bool labelsFromFolders)
{
    if (!m_store || m_importRunner->isRunning() || refuseReadOnly(this, tr("Import")))
        return false;
    ImportOptions options;
    options.paths = paths;
    options.labelsFromFolders = labelsFromFolders;
    if (!m_importRunner->start(m_store->filePath(), options))
        return false;
    // Window-modal progress: the event loop keeps running, nothing blocks.
    m_progress = new QProgressDialog(tr("Scanning…"), tr("Cancel"), 0, 0, this);
    m_progress->setWindowTitle(tr("Importing"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(400);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setMinimumWidth(420);
    connect(m_progress, &QProgressDialog::canceled, m_importRunner, &ImportRunner::cancel);
    connect(m_importRunner, &ImportRunner::progress, m_progress,
            [this](int done, int total, const QString &current) {
                if (!m_progress)
                    return;
                m_progress->setMaximum(total);
                m_progress->setValue(done);
                m_progress->setLabelText(tr("Importing %1 of %2\n%3")
                                             .arg(done)
                                             .arg(total)
                                             .arg(QFileInfo(current).fileName()));
            });
    statusBar()->showMessage(tr("Importing…"));
    updateActions();
    return true;
}

// Files and folders dropped on the window are imported (a .salient file is opened).
void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    if (paths.size() == 1 && paths.first().endsWith(QStringLiteral(".salient"))) {
        openProject(paths.first());
        return;
    }
    if (!m_store) {
        statusBar()->showMessage(tr("Create or open a project first, then drop images on it."),
                                 5000);
        return;
    }
    startImport(paths, false);
}

void MainWindow::refreshAfterExternalWrite()
{
    // The import wrote through its own connection: this one's signals did
    // not fire, so the models re-read what was committed.
    if (!m_store)
        return;
    m_imageModel->reload();
    m_classModel->reload();
    m_filterBar->reloadChoices();
    m_balance->refresh();
    m_training->refreshProject();
    m_review->reload();
    updateLabelActions();
    if (!m_grid->currentIndex().isValid() && m_imageModel->rowCount() > 0)
        m_grid->setCurrentIndex(m_imageModel->index(0, 0));
    m_counts.stale = true;
    updateCounts();
}

void MainWindow::onImportFinished(const ImportReport &report, bool cancelled)
{
    if (m_progress)
        m_progress->deleteLater();
    refreshAfterExternalWrite();
    statusBar()->showMessage(ImportReportDialog::summary(report, cancelled), 8000);
    if (m_showReports) {
        auto *dlg = new ImportReportDialog(report, cancelled, this);
        dlg->setAttribute(Qt::WA_DeleteOnClose);
        dlg->open();
    }
    updateActions();
    Q_EMIT importFinished(report, cancelled);
}

void MainWindow::onImportFailed(const Error &error)
{
    if (m_progress)
        m_progress->deleteLater();
    refreshAfterExternalWrite();
    statusBar()->clearMessage();
    showError(tr("Import"), error);
    updateActions();
}

// ---- training and the project: one stops before the other goes ----------

void MainWindow::setTrainingController(train::TrainingController *controller)
{
    m_training->setController(controller);
}

bool MainWindow::isTraining() const
{
    return m_training->isTraining();
}

bool MainWindow::confirmStopTraining(const QString &title)
{
    if (!isTraining())
        return true;
    if (!prompter().confirm(this, title,
                            tr("A training run is going on. Stop it? It is saved with a "
                               "checkpoint and can be resumed from the Runs list.")))
        return false;
    stopTraining();
    return true;
}

void MainWindow::stopTraining()
{
    train::TrainingController *c = m_training->controller();
    if (!c || !c->isRunning())
        return;
    statusBar()->showMessage(tr("Stopping the training run and saving a checkpoint…"));
    c->cancel();
    // Wait in an event loop (no input): the window keeps painting, and the
    // worker's last signals reach the dock while the project is still open.
    QEventLoop loop;
    connect(c, &train::TrainingController::finished, &loop, &QEventLoop::quit);
    connect(c, &train::TrainingController::failed, &loop, &QEventLoop::quit);
    QTimer poll;
    connect(&poll, &QTimer::timeout, &loop, [&loop, c]() {
        if (!c->isRunning())
            loop.quit();
    });
    poll.start(50);
    if (c->isRunning())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    QCoreApplication::sendPostedEvents(); // the queued finished() lands now, not later
    statusBar()->clearMessage();
}

void MainWindow::showImages(const QVector<qint64> &ids, const QString &origin)
{
    if (!m_store)
        return;
    closeViewer();
    m_filterBar->setImageIdFilter(ids, origin);
    if (m_imageModel && m_imageModel->rowCount() > 0)
        m_grid->setCurrentIndex(m_imageModel->index(0, 0));
    m_grid->setFocus();
}

} // namespace salient
