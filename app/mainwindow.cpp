// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/mainwindow.h"

#include "core/commands/editcommands.h"
#include "core/imaging/thumbnailer.h"
#include "core/models/classlistmodel.h"
#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "widgets/augmentpreview.h"
#include "widgets/balanceview.h"
#include "widgets/canvas/annotateview.h"
#include "widgets/canvas/annotationcanvas.h"
#include "widgets/canvas/shortcutsdialog.h"
#include "widgets/canvas/toolicons.h"
#include "widgets/classpanel.h"
#include "widgets/filterbar.h"
#include "widgets/icons.h"
#include "widgets/imagedetails.h"
#include "widgets/imageviewer.h"
#include "widgets/importdialog.h"
#include "widgets/preferencesdialog.h"
#include "widgets/prompter.h"
#include "widgets/reviewpanel.h"
#include "widgets/thumbnailgrid.h"
#include "widgets/trainingdock.h"
#include "widgets/trainingpanel.h"

#ifdef SALIENT_HAVE_TRAIN
#include "core/train/explainworker.h"
#include "core/train/exportworker.h"
#include "core/train/trainingworker.h"
#endif

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSlider>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace salient {

namespace {
enum Page { StartPageIndex = 0, BrowserPageIndex = 1, ViewerPageIndex = 2, AnnotatePageIndex = 3 };
} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(icon(QStringLiteral("salient")));
    setAcceptDrops(true);
    m_importRunner = new ImportRunner(this);
    m_countsTimer = new QTimer(this);
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(50);
    connect(m_countsTimer, &QTimer::timeout, this, &MainWindow::updateCounts);
    createWidgets();
    createActions();
    createModelActions();
    createMenus();
#ifdef SALIENT_HAVE_TRAIN
    setTrainingController(new train::TrainingWorker(this));
    setExplainController(new train::ExplainWorker(this));
    setExportController(new train::ExportWorker(this));
#endif
    connect(m_importRunner, &ImportRunner::finished, this, &MainWindow::onImportFinished);
    connect(m_importRunner, &ImportRunner::failed, this, &MainWindow::onImportFailed);

    resize(1280, 820);
    PreferencesDialog::applyStored(); // the pixel limit, before any image is decoded
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_grid->setThumbSize(settings.value(QStringLiteral("browser/thumbSize"), 128).toInt());
    m_sizeSlider->setValue(m_grid->thumbSize());
    rebuildRecentMenu();
    updateActions();
    setWindowTitle(tr("Salient Studio"));
}

MainWindow::~MainWindow()
{
    m_importRunner->cancel();
    m_importRunner->waitForFinished();
    closeProject();
}

void MainWindow::setPrompter(Prompter *prompter)
{
    m_prompter = prompter;
    m_classPanel->setPrompter(prompter);
    m_training->setPrompter(prompter);
    m_review->setPrompter(prompter);
}

Prompter &MainWindow::prompter() const
{
    return m_prompter ? *m_prompter : Prompter::standard();
}

void MainWindow::createWidgets()
{
    m_stack = new QStackedWidget(this);
    m_startPage = new StartPage(m_stack);
    connect(m_startPage, &StartPage::newRequested, this, &MainWindow::newProjectDialog);
    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::openProjectDialog);
    connect(m_startPage, &StartPage::recentRequested, this, &MainWindow::openProject);
    connect(m_startPage, &StartPage::importRequested, this, [this]() {
        newProjectDialog();
        if (m_store)
            importFolderDialog();
    });

    m_browserPage = new QWidget(m_stack);
    auto *lay = new QVBoxLayout(m_browserPage);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    m_filterBar = new FilterBar(m_browserPage);
    m_grid = new ThumbnailGrid(m_browserPage);
    auto *line = new QFrame(m_browserPage);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    lay->addWidget(m_filterBar);
    lay->addWidget(line);
    lay->addWidget(m_grid, 1);
    connect(m_grid, &ThumbnailGrid::openRequested, this, &MainWindow::openViewer);
    connect(m_grid, &ThumbnailGrid::selectionCountChanged, this,
            &MainWindow::scheduleSelectionCount);

    m_viewer = new ImageViewer(m_stack);
    connect(m_viewer, &ImageViewer::closeRequested, this, &MainWindow::closeViewer);
    connect(m_viewer, &ImageViewer::stepRequested, this, &MainWindow::stepViewer);

    m_stack->insertWidget(StartPageIndex, m_startPage);
    m_stack->insertWidget(BrowserPageIndex, m_browserPage);
    m_stack->insertWidget(ViewerPageIndex, m_viewer);

    m_annotate = new AnnotateView(m_stack);
    m_stack->insertWidget(AnnotatePageIndex, m_annotate);
    connect(m_annotate, &AnnotateView::stepRequested, this, &MainWindow::stepAnnotate);
    connect(m_annotate, &AnnotateView::failed, this,
            [this](const Error &e) { showError(tr("Annotate"), e); });
    connect(m_annotate, &AnnotateView::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 3000); });
    connect(m_annotate, &AnnotateView::undoStackChanged, this, [this](QUndoStack *stack) {
        if (m_watchedStack)
            disconnect(m_watchedStack, nullptr, this, nullptr);
        m_watchedStack = stack;
        if (stack)
            connect(stack, &QUndoStack::indexChanged, this, &MainWindow::updateActions);
        updateActions();
    });
    setCentralWidget(m_stack);

    m_classPanel = new ClassPanel(this);
    m_classDock = new QDockWidget(tr("Classes"), this);
    m_classDock->setObjectName(QStringLiteral("classDock"));
    m_classDock->setWidget(m_classPanel);
    addDockWidget(Qt::LeftDockWidgetArea, m_classDock);
    connect(m_classPanel, &ClassPanel::filterRequested, m_filterBar, &FilterBar::setClassFilter);

    m_details = new ImageDetails(this);
    m_details->setMinimumWidth(250);
    m_detailsDock = new QDockWidget(tr("Image Details"), this);
    m_detailsDock->setObjectName(QStringLiteral("detailsDock"));
    m_detailsDock->setWidget(m_details);
    addDockWidget(Qt::RightDockWidgetArea, m_detailsDock);
    resizeDocks({m_classDock, m_detailsDock}, {240, 280}, Qt::Horizontal);

    // Before training: class balance per split, and what augmentation makes of
    // the current image. Both hidden until asked for (View menu, F7 / F8).
    m_balance = new BalanceView(this);
    m_balanceDock = new QDockWidget(tr("Class Balance"), this);
    m_balanceDock->setObjectName(QStringLiteral("balanceDock"));
    m_balanceDock->setWidget(m_balance);
    addDockWidget(Qt::BottomDockWidgetArea, m_balanceDock);
    m_balanceDock->hide();
    connect(m_balance, &BalanceView::filterRequested, this, [this](qint64 classId, qint64 splitId) {
        m_filterBar->setClassAndSplitFilter(classId, splitId);
    });
    m_augment = new AugmentPreview(this);
    m_augmentDock = new QDockWidget(tr("Augmentation Preview"), this);
    m_augmentDock->setObjectName(QStringLiteral("augmentDock"));
    m_augmentDock->setWidget(m_augment);
    addDockWidget(Qt::BottomDockWidgetArea, m_augmentDock);
    tabifyDockWidget(m_balanceDock, m_augmentDock);
    m_augmentDock->hide();
    connect(m_augmentDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            showCurrentDetails(); // the preview follows the current image while shown
    });
    // Training: the panel, live charts, confusion matrix and runs (F9).
    m_training = new TrainingDock(this);
    m_trainingDock = new QDockWidget(tr("Training"), this);
    m_trainingDock->setObjectName(QStringLiteral("trainingDock"));
    m_trainingDock->setWidget(m_training);
    addDockWidget(Qt::BottomDockWidgetArea, m_trainingDock);
    tabifyDockWidget(m_augmentDock, m_trainingDock);
    m_trainingDock->hide();
    connect(m_training, &TrainingDock::imagesRequested, this, &MainWindow::showImages);
    // The form starts from the settings of the last run started here.
    if (auto last = train::TrainConfig::fromJson(
            QSettings().value(QStringLiteral("training/lastConfig")).toByteArray()))
        m_training->panel()->setConfig(last.value());
    connect(m_training->panel(), &TrainingPanel::startRequested, this,
            [](const train::TrainConfig &config) {
                QSettings().setValue(QStringLiteral("training/lastConfig"), config.toJson());
            });
    connect(m_training, &TrainingDock::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    createReviewDock(); // Review: Grad-CAM and verdicts (F10), tabbed with Training

    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("counts"));
    statusBar()->addPermanentWidget(m_countsLabel);
    auto *sizeIcon = new QLabel(this);
    sizeIcon->setPixmap(icon(QStringLiteral("grid")).pixmap(16, 16));
    statusBar()->addPermanentWidget(sizeIcon);
    m_sizeSlider = new QSlider(Qt::Horizontal, this);
    m_sizeSlider->setRange(ThumbnailGrid::kMinThumb, ThumbnailGrid::kMaxThumb);
    m_sizeSlider->setFixedWidth(140);
    m_sizeSlider->setToolTip(tr("Thumbnail size"));
    statusBar()->addPermanentWidget(m_sizeSlider);
    connect(m_sizeSlider, &QSlider::valueChanged, m_grid, &ThumbnailGrid::setThumbSize);
}

void MainWindow::createActions()
{
    auto make = [this](const QString &iconName, const QString &text, auto slot,
                       const QList<QKeySequence> &keys = {}) {
        auto *a = new QAction(iconName.isEmpty() ? QIcon() : icon(iconName), text, this);
        a->setShortcuts(keys);
        connect(a, &QAction::triggered, this, slot);
        addAction(a); // shortcuts work even while the menu bar is hidden
        return a;
    };
    m_newAct = make(QStringLiteral("new"), tr("&New Project…"), &MainWindow::newProjectDialog,
                                   {QKeySequence::New});
    m_openAct = make(QStringLiteral("open"), tr("&Open Project…"), &MainWindow::openProjectDialog,
                                    {QKeySequence::Open});
    m_importImagesAct =
        make(QStringLiteral("import-images"), tr("Import &Images…"),
                            &MainWindow::importImagesDialog, {QKeySequence(tr("Ctrl+I"))});
    m_importFolderAct =
        make(QStringLiteral("import-folder"), tr("Import &Folder…"),
                            &MainWindow::importFolderDialog, {QKeySequence(tr("Ctrl+Alt+I"))});
    // Datasets with annotations (COCO, VOC, YOLO, labelme, ImageFolder, CSV).
    m_importDatasetAct = make(QString(), tr("Import &Dataset…"), &MainWindow::importDatasetDialog,
                              {QKeySequence(tr("Ctrl+Shift+I"))});
    m_importDatasetAct->setObjectName(QStringLiteral("importDatasetAction"));
    m_importDatasetAct->setStatusTip(
        tr("Import images with their annotations from COCO, VOC, YOLO, labelme, ImageFolder "
           "or CSV"));
    m_exportDatasetAct = make(QString(), tr("&Export Dataset…"), &MainWindow::exportDatasetDialog,
                              {QKeySequence(tr("Ctrl+Shift+E"))});
    m_exportDatasetAct->setObjectName(QStringLiteral("exportDatasetAction"));
    m_exportDatasetAct->setStatusTip(tr("Write the project's images and annotations in a dataset "
                                        "format other tools read"));
    m_closeAct = make(QString(), tr("&Close Project"),
                      [this]() {
                          if (confirmStopTraining(tr("Close Project")))
                              closeProject();
                      },
                      {QKeySequence::Close});
    m_quitAct = make(QString(), tr("&Quit"), &QWidget::close, {QKeySequence(tr("Ctrl+Q"))});
    m_quitAct->setMenuRole(QAction::QuitRole);

    m_undoAct = make(QStringLiteral("undo"), tr("&Undo"),
                                    [this]() {
                                        if (QUndoStack *stack = activeUndoStack())
                                            stack->undo();
                                    },
                                    {QKeySequence(Qt::CTRL | Qt::Key_Z)});
    m_redoAct = make(QStringLiteral("redo"), tr("&Redo"),
                                    [this]() {
                                        if (QUndoStack *stack = activeUndoStack())
                                            stack->redo();
                                    },
                                    {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z),
                                     QKeySequence(Qt::CTRL | Qt::Key_Y)});
    m_selectAllAct = make(QString(), tr("Select &All"), [this]() { m_grid->selectAll(); },
                          {QKeySequence::SelectAll});
    m_selectAllAct->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_grid->addAction(m_selectAllAct);

    m_zoomInAct = make(QStringLiteral("zoom-in"), tr("Zoom &In"), [this]() { zoom(1); },
                                      {QKeySequence::ZoomIn});
    m_zoomOutAct = make(QStringLiteral("zoom-out"), tr("Zoom &Out"), [this]() { zoom(-1); },
                                       {QKeySequence::ZoomOut});
    m_zoomFitAct = make(QStringLiteral("zoom-fit"), tr("&Fit"), [this]() { zoom(0); },
                                       {QKeySequence(Qt::CTRL | Qt::Key_0)});
    m_zoomActualAct = make(QStringLiteral("zoom-actual"), tr("Actual &Size"), [this]() { zoom(2); },
                                          {QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_0)});
    m_openViewerAct = make(QStringLiteral("viewer"), tr("Open &Image"), &MainWindow::openViewer);
    m_openViewerAct->setToolTip(tr("Open the current image large (Enter)"));
    m_annotateAct = make(QString(), tr("&Annotate"), &MainWindow::openAnnotate,
                         {QKeySequence(Qt::CTRL | Qt::Key_Return)});
    m_annotateAct->setIcon(toolIcon(QStringLiteral("polygon")));
    m_annotateAct->setToolTip(
        tr("Draw boxes, polygons and masks on the current image (Ctrl+Enter)"));
    m_backAct = make(QStringLiteral("grid"), tr("&Back to Grid"), &MainWindow::closeViewer,
                                    {QKeySequence(Qt::Key_Escape)});

    // Keys 1..9 and 0 label what is selected; text follows the class names.
    for (int k = 1; k <= 9; ++k) {
        QAction *a = make(QString(), tr("Class %1").arg(k), [this, k]() { assignClassKey(k); },
                          {QKeySequence(Qt::Key_0 + k)});
        m_classKeyActs.append(a);
    }
    m_clearLabelsAct =
        make(QStringLiteral("clear"), tr("&Clear Labels"), &MainWindow::clearLabels,
                            {QKeySequence(Qt::Key_0), QKeySequence(Qt::Key_Backspace)});
    auto *modes = new QActionGroup(this);
    m_singleModeAct = new QAction(tr("&Single Label per Image"), modes);
    m_multiModeAct = new QAction(tr("&Multiple Labels per Image"), modes);
    for (QAction *a : {m_singleModeAct, m_multiModeAct}) {
        a->setCheckable(true);
        connect(a, &QAction::triggered, this, [this]() {
            if (!m_commands)
                return;
            const Status s = m_commands->setMultiLabel(m_multiModeAct->isChecked());
            if (!s.ok())
                showError(tr("Label Mode"), s.error());
        });
    }
    const QStringList statusNames = {tr("New"), tr("In Progress"), tr("Done"), tr("Needs Review")};
    for (int i = 0; i < statusNames.size(); ++i)
        m_statusActs.append(make(QString(), statusNames[i], [this, i]() { setStatusOf(i); },
                                 {QKeySequence(Qt::ALT | (Qt::Key_1 + i))}));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAct);
    file->addAction(m_openAct);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_importImagesAct);
    file->addAction(m_importFolderAct);
    file->addSeparator();
    file->addAction(m_importDatasetAct);
    file->addAction(m_exportDatasetAct);
    file->addSeparator();
    file->addAction(m_closeAct);
    file->addAction(m_quitAct);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAct);
    edit->addAction(m_redoAct);
    edit->addSeparator();
    edit->addAction(m_selectAllAct);
    edit->addSeparator();
    QAction *preferences = edit->addAction(tr("&Preferences…"), this, [this] {
        PreferencesDialog dialog(this);
        dialog.exec();
    });
    preferences->setObjectName(QStringLiteral("preferencesAction"));
    preferences->setMenuRole(QAction::PreferencesRole);
    preferences->setShortcut(QKeySequence::Preferences);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_openViewerAct);
    m_viewMenu->addAction(m_annotateAct);
    m_viewMenu->addAction(m_backAct);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_zoomInAct);
    m_viewMenu->addAction(m_zoomOutAct);
    m_viewMenu->addAction(m_zoomFitAct);
    m_viewMenu->addAction(m_zoomActualAct);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_classDock->toggleViewAction());
    m_viewMenu->addAction(m_detailsDock->toggleViewAction());
    m_balanceDock->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F7));
    m_augmentDock->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F8));
    m_trainingDock->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F9));
    m_reviewDock->toggleViewAction()->setShortcut(QKeySequence(Qt::Key_F10));
    m_viewMenu->addAction(m_balanceDock->toggleViewAction());
    m_viewMenu->addAction(m_augmentDock->toggleViewAction());
    m_viewMenu->addAction(m_trainingDock->toggleViewAction());
    m_viewMenu->addAction(m_reviewDock->toggleViewAction());
    // The training dock needs room for its form and charts: a good share of
    // the window the first time it opens (later, the size the person left).
    connect(m_trainingDock->toggleViewAction(), &QAction::triggered, this, [this](bool on) {
        if (on && m_trainingDock->height() < height() / 3)
            resizeDocks({m_trainingDock}, {height() * 2 / 5}, Qt::Vertical);
    });
    connect(m_reviewDock->toggleViewAction(), &QAction::triggered, this, [this](bool on) {
        if (on && m_reviewDock->height() < height() / 2)
            resizeDocks({m_reviewDock}, {height() * 11 / 20}, Qt::Vertical); // gallery and heatmap
    });
    for (QDockWidget *dock : {m_balanceDock, m_augmentDock, m_trainingDock, m_reviewDock}) // tabbed together: bring the asked one up
        connect(dock->toggleViewAction(), &QAction::triggered, dock, [dock](bool on) {
            if (on)
                dock->raise();
        });

    QMenu *label = menuBar()->addMenu(tr("&Label"));
    for (QAction *a : m_classKeyActs)
        label->addAction(a);
    label->addAction(m_clearLabelsAct);
    label->addSeparator();
    QMenu *status = label->addMenu(tr("Set &Status"));
    for (QAction *a : m_statusActs)
        status->addAction(a);
    label->addSeparator();
    label->addAction(m_singleModeAct);
    label->addAction(m_multiModeAct);

    menuBar()->addMenu(createModelMenu());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence(Qt::Key_F1), this,
                    &MainWindow::showShortcuts);
    help->addAction(tr("&About Salient Studio"), this, &MainWindow::showAbout);

    m_toolBar = addToolBar(tr("Main Toolbar"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setIconSize(QSize(20, 20));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setMovable(false);
    for (QAction *a : {m_newAct, m_openAct})
        m_toolBar->addAction(a);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_importImagesAct);
    m_toolBar->addAction(m_importFolderAct);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_undoAct);
    m_toolBar->addAction(m_redoAct);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_openViewerAct);
    m_toolBar->addAction(m_annotateAct);
    m_toolBar->addAction(m_backAct);
    m_toolBar->addAction(m_zoomOutAct);
    m_toolBar->addAction(m_zoomInAct);
    m_toolBar->addAction(m_zoomFitAct);
    m_viewMenu->insertAction(m_classDock->toggleViewAction(), m_toolBar->toggleViewAction());
    // Text beside the icons only where it helps; the rest are icon buttons.
    for (QAction *a : {m_undoAct, m_redoAct, m_zoomOutAct, m_zoomInAct, m_zoomFitAct})
        a->setPriority(QAction::LowPriority);
}

void MainWindow::updateActions()
{
    const bool open = m_store != nullptr;
    const bool viewing = isViewerOpen() || isAnnotating();
    for (QAction *a :
         {m_importImagesAct, m_importFolderAct, m_importDatasetAct, m_closeAct, m_selectAllAct, m_zoomInAct,
          m_zoomOutAct, m_zoomFitAct, m_clearLabelsAct, m_singleModeAct, m_multiModeAct})
        a->setEnabled(open);
    for (QAction *a : m_statusActs)
        a->setEnabled(open);
    m_zoomActualAct->setEnabled(open && viewing);
    m_exportDatasetAct->setEnabled(open && m_counts.total > 0);
    m_openViewerAct->setEnabled(open && !viewing);
    m_annotateAct->setEnabled(open && !isAnnotating());
    m_backAct->setEnabled(open && viewing);
    const QUndoStack *undo = activeUndoStack();
    m_undoAct->setEnabled(undo && undo->canUndo());
    m_redoAct->setEnabled(undo && undo->canRedo());
    m_undoAct->setText(undo && undo->canUndo() ? tr("&Undo %1").arg(undo->undoText())
                                               : tr("&Undo"));
    m_redoAct->setText(undo && undo->canRedo() ? tr("&Redo %1").arg(undo->redoText())
                                               : tr("&Redo"));
    if (m_commands) {
        const bool multi = m_commands->isMultiLabel();
        m_multiModeAct->setChecked(multi);
        m_singleModeAct->setChecked(!multi);
    }
    updateLabelActions();
    updateModelActions();
}

void MainWindow::updateLabelActions()
{
    const int classes = m_classModel ? m_classModel->rowCount() : 0;
    for (int k = 1; k <= 9; ++k) {
        QAction *a = m_classKeyActs[k - 1];
        const bool has = k <= classes;
        a->setVisible(has || k == 1);
        a->setEnabled(has);
        a->setText(
            has ? tr("Assign “%1”")
                      .arg(m_classModel->index(k - 1, 0).data(ClassListModel::NameRole).toString())
                : tr("Assign Class %1").arg(k));
    }
}

bool MainWindow::isViewerOpen() const
{
    return m_stack->currentIndex() == ViewerPageIndex;
}

bool MainWindow::isAnnotating() const
{
    return m_stack->currentIndex() == AnnotatePageIndex;
}

QUndoStack *MainWindow::activeUndoStack() const
{
    if (isAnnotating() && m_annotate->undoStack())
        return m_annotate->undoStack();
    return m_undo.get();
}

void MainWindow::scheduleCounts()
{
    m_counts.stale = true;
    m_countsTimer->start();
}

void MainWindow::scheduleSelectionCount()
{
    m_countsTimer->start();
}

void MainWindow::updateCounts()
{
    if (!m_store || !m_imageModel) {
        m_countsLabel->clear();
        m_counts = {};
        m_exportDatasetAct->setEnabled(false);
        return;
    }
    // Three COUNT queries: only after the data changed, never for a mere
    // change of selection (arrow keys through 100,000 images).
    if (m_counts.stale) {
        ImageFilter unlabelled;
        unlabelled.unlabelledOnly = true;
        ImageFilter unreadable;
        unreadable.unreadableOnly = true;
        m_counts.total = m_store->countImages().valueOr(0);
        m_counts.labelled = m_counts.total - m_store->countImages(unlabelled).valueOr(0);
        m_counts.unreadable = m_store->countImages(unreadable).valueOr(0);
        m_counts.stale = false;
        m_exportDatasetAct->setEnabled(m_counts.total > 0); // nothing to export without images
    }
    const int selected = m_grid->selectionModel() ? int(m_grid->selectedIds().size()) : 0;
    const QLocale loc;
    m_countsLabel->setText(tr("%1 of %2 shown  ·  %3 labelled  ·  %4 unreadable  ·  %5 selected")
                               .arg(loc.toString(m_imageModel->rowCount()),
                                    loc.toString(m_counts.total), loc.toString(m_counts.labelled),
                                    loc.toString(m_counts.unreadable), loc.toString(selected)));
}

QString MainWindow::statusCounts() const
{
    return m_countsLabel->text();
}

QVector<qint64> MainWindow::targetIds() const
{
    if (isViewerOpen())
        return m_viewer->imageId() ? QVector<qint64>{m_viewer->imageId()} : QVector<qint64>{};
    if (isAnnotating())
        return m_annotate->imageId() ? QVector<qint64>{m_annotate->imageId()} : QVector<qint64>{};
    return m_grid->selectedIds();
}

void MainWindow::assignClassKey(int key)
{
    if (!m_commands || !m_classModel)
        return;
    if (key < 1 || key > m_classModel->rowCount()) {
        statusBar()->showMessage(tr("No class has the key %1.").arg(key), 3000);
        return;
    }
    const QVector<qint64> ids = targetIds();
    if (ids.isEmpty()) {
        statusBar()->showMessage(tr("Select images first."), 3000);
        return;
    }
    const qint64 classId = m_classModel->idAt(key - 1);
    if (m_commands->applyClassKey(ids, classId))
        statusBar()->showMessage(
            tr("Labelled %n image(s) “%1”.", nullptr, int(ids.size()))
                .arg(m_classModel->index(key - 1, 0).data(ClassListModel::NameRole).toString()),
            3000);
}

void MainWindow::clearLabels()
{
    const QVector<qint64> ids = targetIds();
    if (m_commands && !ids.isEmpty())
        m_commands->clearLabels(ids);
}

void MainWindow::setStatusOf(int status)
{
    const QVector<qint64> ids = targetIds();
    if (m_commands && !ids.isEmpty())
        m_commands->setStatus(ids, static_cast<ImageStatus>(status));
}

void MainWindow::openViewer()
{
    if (!m_store)
        return;
    const qint64 id = m_grid->currentId();
    if (!id)
        return;
    auto record = m_store->image(id);
    if (!record.ok()) {
        showError(tr("Open Image"), record.error());
        return;
    }
    const QModelIndex idx = m_grid->currentIndex();
    m_viewer->showImage(*record, idx.data(ImageListModel::LabelsRole).toStringList(),
                        idx.data(ImageListModel::LabelColorsRole).toList());
    m_stack->setCurrentIndex(ViewerPageIndex);
    m_viewer->setFocus();
    updateActions();
}

void MainWindow::openAnnotate()
{
    if (!m_store)
        return;
    const qint64 id = isViewerOpen() && m_viewer->imageId() ? m_viewer->imageId()
                                                            : m_grid->currentId();
    if (!id)
        return;
    if (isViewerOpen())
        m_viewer->clear();
    if (!m_annotate->showImage(id))
        return;
    m_stack->setCurrentIndex(AnnotatePageIndex);
    m_annotate->canvas()->setFocus();
    updateActions();
}

void MainWindow::stepAnnotate(int delta)
{
    const int row = m_grid->currentIndex().row() + delta;
    if (!m_imageModel || row < 0 || row >= m_imageModel->rowCount()) {
        statusBar()->showMessage(delta < 0 ? tr("This is the first image shown.")
                                           : tr("This is the last image shown."),
                                 3000);
        return;
    }
    m_grid->selectId(m_imageModel->idAt(row));
    openAnnotate();
}

void MainWindow::closeViewer()
{
    if (!isViewerOpen() && !isAnnotating())
        return;
    m_stack->setCurrentIndex(m_store ? BrowserPageIndex : StartPageIndex);
    m_viewer->clear();
    m_annotate->clear();
    m_grid->setFocus();
    if (m_grid->currentIndex().isValid())
        m_grid->scrollTo(m_grid->currentIndex());
    updateActions();
}

void MainWindow::stepViewer(int delta)
{
    const int row = m_grid->currentIndex().row() + delta;
    if (!m_imageModel || row < 0 || row >= m_imageModel->rowCount())
        return;
    m_grid->selectId(m_imageModel->idAt(row));
    openViewer();
}

void MainWindow::zoom(int direction)
{
    if (isAnnotating()) {
        AnnotationCanvas *canvas = m_annotate->canvas();
        if (direction == 1)
            canvas->zoomIn();
        else if (direction == -1)
            canvas->zoomOut();
        else if (direction == 0)
            canvas->zoomToFit();
        else
            canvas->zoomToActual();
        return;
    }
    if (isViewerOpen()) {
        switch (direction) {
        case 1:
            m_viewer->zoomIn();
            break;
        case -1:
            m_viewer->zoomOut();
            break;
        case 0:
            m_viewer->zoomFit();
            break;
        default:
            m_viewer->zoomActual();
            break;
        }
        return;
    }
    if (direction == 0)
        m_sizeSlider->setValue(128);
    else if (direction == 1 || direction == -1)
        m_sizeSlider->setValue(m_sizeSlider->value() + direction * 32);
}

void MainWindow::showCurrentDetails()
{
    const QModelIndex idx = m_grid->currentIndex();
    if (m_augmentDock && m_augmentDock->isVisible())
        m_augment->setImage(m_store && idx.isValid() ? m_imageModel->idAt(idx.row()) : 0);
    if (!m_store || !idx.isValid()) {
        m_details->clear();
        return;
    }
    auto record = m_store->image(m_imageModel->idAt(idx.row()));
    if (!record.ok()) {
        m_details->clear();
        return;
    }
    const QVariant deco = idx.data(Qt::DecorationRole);
    const bool ready = idx.data(ImageListModel::ThumbnailReadyRole).toBool();
    m_details->showRecord(*record, idx.data(ImageListModel::LabelsRole).toStringList(),
                          idx.data(ImageListModel::SplitRole).toString(),
                          ready ? deco.value<QImage>() : QImage());
    if (isViewerOpen() && m_viewer->imageId() == record->id)
        m_viewer->setLabels(idx.data(ImageListModel::LabelsRole).toStringList(),
                            idx.data(ImageListModel::LabelColorsRole).toList());
}

void MainWindow::showError(const QString &title, const Error &error)
{
    prompter().error(this, title, error.toString());
}

void MainWindow::showShortcuts()
{
    // Generated from the actions and tools themselves, so it cannot drift.
    ShortcutsDialog dlg(this);
    AnnotationCanvas *canvas = m_annotate->canvas();
    dlg.addTools(tr("Annotate: tools"), canvas->tools());
    QList<QAction *> canvasKeys = canvas->shortcutActions();
    for (QAction *a : canvas->toolActions()) // listed with the tools
        canvasKeys.removeAll(a);
    dlg.addActions(tr("Annotate"), canvasKeys);
    dlg.addRows(tr("Annotate"),
                {{tr("Wheel"), tr("Zoom around the cursor (Shift+wheel pans)")},
                 {tr("Space+drag, middle drag"), tr("Pan")}});
    QList<QAction *> browser;
    for (QAction *a : actions())
        browser.append(a);
    dlg.addActions(tr("Browser and image view"), browser);
    dlg.addRows(tr("Browser and image view"),
                {{tr("Enter, double-click"), tr("Open the image large")},
                 {tr("Left / Right"), tr("Previous / next image in the large view")},
                 {tr("F2"), tr("Rename the selected class")}});
    dlg.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Salient Studio"),
        tr("<h3>Salient Studio %1</h3><p>Label images, fine-tune CNNs and review Grad-CAM "
           "explanations.</p><p>Licensed under the GNU GPL, version 3 or later.</p>")
            .arg(QApplication::applicationVersion()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmStopTraining(tr("Quit")))
        return event->ignore();
    if (m_importRunner->isRunning()) {
        if (!prompter().confirm(this, tr("Quit"),
                                tr("An import is running. Stop it and quit? What was imported "
                                   "so far is kept.")))
            return event->ignore();
        m_importRunner->cancel();
        m_importRunner->waitForFinished();
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("browser/thumbSize"), m_grid->thumbSize());
    event->accept();
}

} // namespace salient
