// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/importer.h"
#include "core/util/result.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QActionGroup;
class QDockWidget;
class QTimer;
class QToolBar;
class QLabel;
class QMenu;
class QProgressDialog;
class QSlider;
class QStackedWidget;
class QUndoStack;

namespace salient {

class AnnotateView;
class AugmentPreview;
class ExportController;
class ExportDialog;
class ModelTryDialog;
class BalanceView;
class ClassListModel;
class ClassPanel;
class EditCommands;
class FilterBar;
class ImageDetails;
class ImageListModel;
class ImageViewer;
class ImportRunner;
class ProjectLock;
class ProjectStore;
class Prompter;
class ReviewPanel;
class StartPage;
class ThumbnailGrid;
class Thumbnailer;
class TrainingDock;

namespace train {
class TrainingController;
}
namespace review {
class ExplainController;
}

/// The studio's main window: start page, the browser (filter bar over the
/// thumbnail grid), the large image view, the class panel and details docks,
/// menus, toolbar and a status bar with counts. Owns the open project's
/// store connection, thumbnailer, undo stack and models.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a project; on failure the error (naming the file) is shown and false returned.
    bool openProject(const QString &file);
    /// Creates a project (the file must not exist) and opens it.
    bool newProject(const QString &file);
    void closeProject();
    /// Imports files/folders off the GUI thread; false if none is open or one runs.
    bool startImport(const QStringList &paths, bool labelsFromFolders);

    /// Questions and errors go through this (tests answer them). Not owned.
    void setPrompter(Prompter *prompter);
    Prompter &prompter() const;
    /// Whether a report dialog pops up after an import (tests turn it off).
    void setShowImportReports(bool show) { m_showReports = show; }

    // For tests and the benchmark.
    ProjectStore *store() const { return m_store.get(); }
    QUndoStack *undoStack() const { return m_undo.get(); }
    ThumbnailGrid *grid() const { return m_grid; }
    FilterBar *filterBar() const { return m_filterBar; }
    ClassPanel *classPanel() const { return m_classPanel; }
    ImageViewer *viewer() const { return m_viewer; }
    BalanceView *balanceView() const { return m_balance; }
    AugmentPreview *augmentPreview() const { return m_augment; }
    QDockWidget *balanceDock() const { return m_balanceDock; }
    QDockWidget *augmentDock() const { return m_augmentDock; }
    QDockWidget *trainingDockWidget() const { return m_trainingDock; }
    TrainingDock *trainingDock() const { return m_training; }
    /// The engine behind the Training dock (not owned; the studio passes its
    /// TrainingWorker when built with training, tests a fake). Null: the
    /// dock says training is not built.
    void setTrainingController(train::TrainingController *controller);
    /// Whether a training run is going on (started, running, paused or stopping).
    bool isTraining() const;
    QDockWidget *reviewDockWidget() const { return m_reviewDock; }
    ReviewPanel *reviewPanel() const { return m_review; }
    /// The explainer behind the Review dock (not owned; the studio passes its
    /// ExplainWorker when built with training, tests a fake). Null: the dock
    /// says explanations are not built, and still shows stored ones.
    void setExplainController(review::ExplainController *controller);
    /// The engine behind Model > Export Model… and Try a Model File… (not
    /// owned; the studio passes its ExportWorker when built with training,
    /// tests a fake). Null: both actions stay disabled.
    void setExportController(ExportController *controller);
    ExportController *exportController() const;
    QAction *exportModelAction() const { return m_exportModelAct; }
    QAction *exportRunAction() const { return m_exportRunAct; }
    QAction *tryModelAction() const { return m_tryModelAct; }
    /// The export / try dialogs while they are open (null otherwise).
    ExportDialog *exportDialog() const;
    ModelTryDialog *modelTryDialog() const;
    AnnotateView *annotateView() const { return m_annotate; }
    /// The undo stack Edit > Undo acts on: the annotated image's while
    /// annotating, else the browser's (labels, classes, status).
    QUndoStack *activeUndoStack() const;
    ImageListModel *imageModel() const { return m_imageModel.get(); }
    ImportRunner *importRunner() const { return m_importRunner; }
    bool isViewerOpen() const;
    bool isAnnotating() const;
    QString statusCounts() const;
    static QStringList recentProjects();

Q_SIGNALS:
    void projectOpened(const QString &file);
    void importFinished(const salient::ImportReport &report, bool cancelled);

public Q_SLOTS:
    void openViewer();
    void closeViewer();
    /// Opens the current image in the annotate view (tools, shapes, tags).
    void openAnnotate();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    // mainwindow.cpp: widgets, actions, menus, labelling, view.
    void createWidgets();
    void createActions();
    void createMenus();
    void updateActions();
    void updateLabelActions();
    void scheduleCounts();         ///< the data changed: re-count
    void scheduleSelectionCount(); ///< only the selection changed
    void updateCounts();
    void showCurrentDetails();
    QVector<qint64> targetIds() const;
    void assignClassKey(int key);
    void clearLabels();
    void setStatusOf(int status);
    void stepViewer(int delta);
    void stepAnnotate(int delta);
    void zoom(int direction);
    void showShortcuts();
    void showAbout();
    void showError(const QString &title, const Error &error);
    /// Training must stop before the project goes: asks (false: the person
    /// said no), then cancels (checkpointed) and waits.
    bool confirmStopTraining(const QString &title);
    /// Cancels a running training and waits for it, the GUI kept painting.
    void stopTraining();
    void showImages(const QVector<qint64> &ids, const QString &origin);

    // mainwindowreview.cpp: the Review dock (F10) and label fixes from it.
    void createReviewDock();
    /// Opens the image in the annotate view (its label edits have undo),
    /// showing it in the browser first if the filter hid it.
    void fixLabel(qint64 imageId);
    // mainwindowreview.cpp: the Model menu (export a run, try a model file).
    void createModelActions();
    QMenu *createModelMenu();
    /// Enables the model actions for the project's finished runs and the selected one.
    void updateModelActions();
    /// Opens the export dialog, `runId` preselected (0: the selected run).
    void exportModelDialog(qint64 runId);
    void tryModelDialog();
    /// The image open in the viewer or canvas, else the browser's current one.
    QString currentImagePath() const;

    // mainwindowproject.cpp: project life cycle, recent files, import.
    void attachProject(std::unique_ptr<ProjectStore> store);
    void addRecent(const QString &file);
    void rebuildRecentMenu();
    void newProjectDialog();
    void openProjectDialog();
    void importImagesDialog();
    void importFolderDialog();
    void importDatasetDialog(); ///< File > Import Dataset… (widgets/datasetdialogs.h)
    void exportDatasetDialog();
    void onImportFinished(const ImportReport &report, bool cancelled);
    void onImportFailed(const Error &error);
    void refreshAfterExternalWrite();

    std::unique_ptr<ProjectStore> m_store;
    /// The open project's lock while this window may write it (shared: the
    /// type stays incomplete here; mainwindowproject.cpp makes and drops it).
    std::shared_ptr<ProjectLock> m_lock;
    std::unique_ptr<Thumbnailer> m_thumbnailer;
    std::unique_ptr<QUndoStack> m_undo;
    std::unique_ptr<EditCommands> m_commands;
    std::unique_ptr<ImageListModel> m_imageModel;
    std::unique_ptr<ClassListModel> m_classModel;

    Prompter *m_prompter = nullptr;
    bool m_showReports = true;

    QStackedWidget *m_stack = nullptr;
    StartPage *m_startPage = nullptr;
    QWidget *m_browserPage = nullptr;
    FilterBar *m_filterBar = nullptr;
    ThumbnailGrid *m_grid = nullptr;
    ImageViewer *m_viewer = nullptr;
    AnnotateView *m_annotate = nullptr;
    QPointer<QUndoStack> m_watchedStack; ///< the annotated image's stack, whose changes update the actions
    ClassPanel *m_classPanel = nullptr;
    ImageDetails *m_details = nullptr;
    QLabel *m_countsLabel = nullptr;
    QSlider *m_sizeSlider = nullptr;
    ImportRunner *m_importRunner = nullptr;
    QPointer<QProgressDialog> m_progress;
    QTimer *m_countsTimer = nullptr;
    struct Counts {
        qint64 total = 0;
        qint64 labelled = 0;
        qint64 unreadable = 0;
        bool stale = true;
    } m_counts;

    QMenu *m_recentMenu = nullptr;
    QAction *m_newAct = nullptr;
    QAction *m_openAct = nullptr;
    QAction *m_importImagesAct = nullptr;
    QAction *m_importFolderAct = nullptr;
    QAction *m_importDatasetAct = nullptr;
    QAction *m_exportDatasetAct = nullptr;
    QAction *m_closeAct = nullptr;
    QAction *m_quitAct = nullptr;
    QAction *m_undoAct = nullptr;
    QAction *m_redoAct = nullptr;
    QAction *m_selectAllAct = nullptr;
    QAction *m_zoomInAct = nullptr;
    QAction *m_zoomOutAct = nullptr;
    QAction *m_zoomFitAct = nullptr;
    QAction *m_zoomActualAct = nullptr;
    QAction *m_openViewerAct = nullptr;
    QAction *m_annotateAct = nullptr;
    QAction *m_backAct = nullptr;
    QAction *m_clearLabelsAct = nullptr;
    QAction *m_singleModeAct = nullptr;
    QAction *m_multiModeAct = nullptr;
    QVector<QAction *> m_classKeyActs; ///< keys 1..9
    QVector<QAction *> m_statusActs;
    QMenu *m_viewMenu = nullptr;
    QToolBar *m_toolBar = nullptr;
    QDockWidget *m_classDock = nullptr;
    QDockWidget *m_detailsDock = nullptr;
    BalanceView *m_balance = nullptr;
    QDockWidget *m_balanceDock = nullptr;
    AugmentPreview *m_augment = nullptr;
    QDockWidget *m_augmentDock = nullptr;
    TrainingDock *m_training = nullptr;
    QDockWidget *m_trainingDock = nullptr;
    ReviewPanel *m_review = nullptr;
    QDockWidget *m_reviewDock = nullptr;
    QPointer<ExportController> m_exportController;
    QAction *m_exportModelAct = nullptr;
    QAction *m_exportRunAct = nullptr; ///< the Runs list's: exports the selected run
    QAction *m_tryModelAct = nullptr;
    QPointer<ExportDialog> m_exportDialog;
    QPointer<ModelTryDialog> m_tryDialog;
    QVector<qint64> m_finishedRuns;  ///< the open project's finished runs (cached)
    bool m_finishedRunsStale = true; ///< a run ended or went, or the project changed
};

} // namespace salient
