// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/review/explaincontroller.h"
#include "core/review/reviewstore.h"
#include "core/util/result.h"

#include <QFutureWatcher>
#include <QPointer>
#include <QVector>
#include <QWidget>

#include <memory>
#include <optional>

class QAbstractButton;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTimer;

namespace salient {

class HeatmapView;
class ProjectStore;
class Prompter;
class ReviewGallery;
class Thumbnailer;

namespace review {
class ReviewListModel;
}

/// Expert review of a trained run (the main window's Review dock): pick a
/// run with a best checkpoint and a role, flick through the gallery of its
/// validation / test images (filtered and sorted), see each image's
/// heatmap, and record a verdict and a note, all from the keyboard:
/// 1 plausible, 2 spurious, 3 shortcut, 4 unsure, 0 clear, N note, J/K or
/// arrows move, M misclassified only. Verdicts are stamped with the
/// reviewer (QSettings "review/reviewer", asked once). Also: verdict counts
/// per class, "Explain all" in the background, the review report, and
/// "Fix label" for a wrong truth. Talks to an ExplainController, never to
/// LibTorch.
class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPanel(QWidget *parent = nullptr);
    ~ReviewPanel() override; ///< waits for a report being written

    /// Not owned. Null: explanations are not part of this build; stored ones
    /// are still shown, and verdicts work.
    void setController(salient::review::ExplainController *controller);
    review::ExplainController *controller() const { return m_controller; }
    /// May be null (no project). The thumbnailer (not owned, may be null)
    /// gives the gallery its pictures.
    void setStore(ProjectStore *store, Thumbnailer *thumbnailer = nullptr);
    void setPrompter(Prompter *prompter) { m_prompter = prompter; }
    /// Re-reads the runs and the gallery (a run finished, labels were fixed).
    void reload();

    qint64 currentRunId() const;
    void selectRun(qint64 runId);
    qint64 currentImageId() const;
    void selectImage(qint64 imageId);
    /// Records a verdict for the current image with the note in the editor.
    bool setVerdict(salient::review::Verdict verdict);
    /// Writes the run's review report (HTML or PDF by suffix) off the GUI
    /// thread; reportFinished() follows. False if one is being written.
    bool exportReportTo(const QString &path);
    bool isExporting() const;
    bool isExplainingAll() const { return !m_batchRoles.isEmpty() || m_batchRunning; }
    /// The reviewer's name (QSettings "review/reviewer"); asks once when empty.
    QString reviewer(bool askIfEmpty);
    /// Whether a verdict moves on to the next image (QSettings "review/advance").
    void setAdvanceAfterVerdict(bool on);

    // For tests and the dock: the parts, by what they do.
    review::ReviewListModel *model() const { return m_model.get(); }
    HeatmapView *heatmap() const { return m_heatmap; }
    ReviewGallery *gallery() const { return m_gallery; }
    QComboBox *runCombo() const { return m_run; }
    QComboBox *roleCombo() const { return m_role; }
    QCheckBox *misclassifiedCheck() const { return m_misclassified; }
    QDoubleSpinBox *maxConfidenceSpin() const { return m_maxConfidence; }
    QComboBox *classFilterCombo() const { return m_classFilter; }
    QComboBox *verdictFilterCombo() const { return m_verdictFilter; }
    QComboBox *sortCombo() const { return m_sort; }
    QLineEdit *noteEdit() const { return m_note; }
    QCheckBox *advanceCheck() const { return m_advanceCheck; }
    QAbstractButton *verdictButton(salient::review::Verdict verdict) const;
    QPushButton *explainAllButton() const { return m_explainAll; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *fixLabelButton() const { return m_fixLabel; }
    QTableWidget *summaryTable() const { return m_summary; }
    QLabel *messageLabel() const { return m_message; }
    QLabel *unavailableLabel() const { return m_unavailable; }

Q_SIGNALS:
    /// The person wants to correct this image's label (the canvas, with undo).
    void fixLabelRequested(qint64 imageId);
    /// The report was written (ok) or not; `text` names the file.
    void reportFinished(bool ok, const QString &text);
    /// A line worth the status bar.
    void message(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // reviewpanelform.cpp: building the controls.
    QWidget *buildGallerySide();
    QWidget *buildVerdictSide();
    void buildTopBar();

    // reviewpanel.cpp: project, controller, runs, filters, the gallery.
    bool reloadRuns(); ///< true when the chosen run changed (and was loaded)
    void onRunChosen();
    void openModel(); ///< asks the controller for the run's model, once, while visible
    void applyFilter();
    void refreshModel();
    void updateCount();
    void fillClassFilter();
    void installKeys();
    Prompter &prompter() const;
    void say(const QString &text);

    // reviewpanelactions.cpp: the current image, verdicts, notes, keys, summary.
    static QString roleName(salient::train::RunRole role);
    void onCurrentChanged();
    void explainCurrent();
    void onReady(const salient::review::ModelInfo &info);
    void onExplained(const salient::review::Explanation &explanation);
    void onFailed(const salient::Error &error);
    bool showStoredExplanation();
    void saveNote();
    void updateVerdictButtons();
    void updateSummary();
    void step(int delta);
    bool handleKey(QObject *watched, int key, Qt::KeyboardModifiers modifiers, bool perform);

    // reviewpanelbatch.cpp: "Explain all" and the report.
    void explainAll();
    void startNextBatch();
    void onBatchProgress(int done, int total);
    void onBatchFinished(int stored, bool cancelled);
    void exportReport();
    void onReportDone();
    void updateActions();
    review::ModelInfo fallbackModelInfo() const;

    QPointer<review::ExplainController> m_controller;
    ProjectStore *m_store = nullptr;
    Thumbnailer *m_thumbnailer = nullptr;
    Prompter *m_prompter = nullptr;
    std::unique_ptr<review::ReviewListModel> m_model;
    std::unique_ptr<review::ReviewStore> m_reviews;
    bool m_modelReady = false; ///< the controller has the run's model open
    qint64 m_openedRun = 0;    ///< the run the controller was asked to open
    qint64 m_noteImage = 0;    ///< the image the note editor belongs to
    bool m_advance = true;
    QVector<int> m_batchRoles; ///< roles still to explain (int(RunRole))
    bool m_batchRunning = false;
    int m_batchStored = 0;
    QString m_batchRoleName;
    QFutureWatcher<Status> m_report;
    QString m_reportPath;

    QLabel *m_unavailable;
    QComboBox *m_run;
    QComboBox *m_role;
    QPushButton *m_explainAll;
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QPushButton *m_export;
    QLabel *m_message;
    QCheckBox *m_misclassified;
    QCheckBox *m_advanceCheck = nullptr;
    QDoubleSpinBox *m_maxConfidence;
    QComboBox *m_classFilter;
    QComboBox *m_verdictFilter;
    QComboBox *m_sort;
    ReviewGallery *m_gallery;
    QLabel *m_count;
    HeatmapView *m_heatmap;
    QLabel *m_imageInfo;
    QVector<QAbstractButton *> m_verdictButtons; ///< by int(Verdict)
    QLineEdit *m_note;
    QLabel *m_reviewerLabel;
    QPushButton *m_fixLabel;
    QTableWidget *m_summary;
    QTimer *m_refreshTimer;
    bool m_filling = false;
};

} // namespace salient
