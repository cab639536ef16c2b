// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/datasetjob.h"

#include <QDialog>
#include <QPointer>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace salient {

class DatasetReportDialog;
class ProblemsDialog;
class ProjectStore;
class Prompter;

/// Questions the dataset dialogs ask beyond Prompter's. A Prompter that also
/// derives from this answers them (tests, scripted runs); otherwise the
/// dialogs show their own windows.
class DatasetQuestions {
public:
    virtual ~DatasetQuestions() = default;
    /// The import found these problems: true skips the items and imports the
    /// rest, false aborts and leaves the project unchanged.
    virtual bool skipProblems(QWidget *parent, const QVector<FormatProblem> &problems) = 0;
};

/// What the import and export dialogs share: a worker job, a progress bar
/// with the stage, a Cancel button, and the run button.
class DatasetDialogBase : public QDialog {
    Q_OBJECT
public:
    /// Questions and errors go through this (not owned; default: plain dialogs).
    void setPrompter(Prompter *prompter) { m_prompter = prompter; }
    /// From start until the worker's result has been handled.
    bool isRunning() const { return m_running; }
    DatasetJob *job() const { return m_job; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QLabel *stageLabel() const { return m_stage; }
    /// The report shown after the last finished job (null until then, or once closed).
    DatasetReportDialog *reportDialog() const { return m_report; }

    void reject() override; ///< while running: cancel, then close when the worker ends

protected:
    DatasetDialogBase(const QString &projectFile, QWidget *parent);
    Prompter &prompter() const;
    /// The progress area and the buttons, added under the form.
    void addRunArea(const QString &runText);
    void setRunning(bool running);
    void showReport(DatasetReportDialog *report);
    /// After the worker failed: Cancelled is a note, anything else an error message.
    void onFailed(const Error &error, const QString &title);
    virtual void updateState() = 0;
    /// A line edit with its browse buttons, for one row of a form.
    static QWidget *pathRow(QLineEdit *edit, const QList<QPushButton *> &buttons, QWidget *parent);

    QString m_projectFile;
    DatasetJob *m_job = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_stage = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_close = nullptr;
    QPointer<DatasetReportDialog> m_report;
    QList<QWidget *> m_fields; ///< disabled while a job runs
    Prompter *m_prompter = nullptr;
    bool m_closeWhenDone = false;
    bool m_running = false;
    bool m_aborted = false; ///< the person chose Abort when asked about problems
};

/// File > Import Dataset…: a format (or auto-detect), the dataset file or
/// folder, an optional image folder; imports in a worker, asks about the
/// problems found, then reports what was added.
class DatasetImportDialog : public DatasetDialogBase {
    Q_OBJECT
public:
    DatasetImportDialog(const QString &projectFile, QWidget *parent = nullptr,
                        const QVector<const DatasetFormat *> &formats = datasetFormats());

    /// For tests: another pipeline than importDataset.
    void setImportFunction(DatasetJob::ImportFn run) { m_runImport = std::move(run); }
    void setPath(const QString &path);
    void setImageRoot(const QString &folder);
    /// Selects a format by name ("coco"); empty: auto-detect. False when unknown.
    bool selectFormat(const QString &name);
    QComboBox *formatCombo() const { return m_format; }
    /// The problems window open now, if any (when no DatasetQuestions answers).
    ProblemsDialog *problemsDialog() const { return m_problemsDialog; }

    /// Checks the fields and starts the worker; false (with a message) when it cannot.
    bool start();

Q_SIGNALS:
    /// The import committed: views over the project must re-read it.
    void importFinished(const salient::DatasetImportReport &report);

private:
    const DatasetFormat *selectedFormat() const;
    void updateState() override;
    void browse(bool folder);
    void onProblems(const QVector<FormatProblem> &problems);

    QVector<const DatasetFormat *> m_formats;
    DatasetJob::ImportFn m_runImport;
    QComboBox *m_format = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_fileButton = nullptr;
    QPushButton *m_folderButton = nullptr;
    QLineEdit *m_imageRoot = nullptr;
    QPushButton *m_imageRootButton = nullptr;
    QPointer<ProblemsDialog> m_problemsDialog;
};

/// File > Export Dataset…: a format, an output folder, which images (split,
/// only annotated), how images travel (link, copy, none); exports in a worker
/// and reports counts and what the format could not express.
class DatasetExportDialog : public DatasetDialogBase {
    Q_OBJECT
public:
    /// `store` is the GUI's connection, read here for the split names only.
    DatasetExportDialog(ProjectStore &store, QWidget *parent = nullptr,
                        const QVector<const DatasetFormat *> &formats = datasetFormats());

    void setExportFunction(DatasetJob::ExportFn run) { m_runExport = std::move(run); }
    void setOutDir(const QString &folder);
    bool selectFormat(const QString &name);
    /// Selects a split by name; empty: all images. False when unknown.
    bool selectSplit(const QString &name);
    void setPlacement(ImagePlacement placement);
    QComboBox *formatCombo() const { return m_format; }
    QComboBox *splitCombo() const { return m_split; }
    QCheckBox *embedCheck() const { return m_embed; }
    QCheckBox *onlyAnnotatedCheck() const { return m_onlyAnnotated; }

    bool start();

Q_SIGNALS:
    void exportFinished(const salient::DatasetExportReport &report, const QString &outDir);

private:
    const DatasetFormat *selectedFormat() const;
    void updateState() override;

    QVector<const DatasetFormat *> m_formats;
    DatasetJob::ExportFn m_runExport;
    QComboBox *m_format = nullptr;
    QLineEdit *m_outDir = nullptr;
    QPushButton *m_outButton = nullptr;
    QComboBox *m_split = nullptr;
    QButtonGroup *m_placement = nullptr;
    QCheckBox *m_embed = nullptr;
    QCheckBox *m_onlyAnnotated = nullptr;
    QString m_runningOutDir;
};

} // namespace salient
