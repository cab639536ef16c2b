// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/exportcontroller.h"
#include "core/runs/runstore.h"

#include <QDialog>
#include <QPointer>
#include <QUrl>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace salient {

/// Model > Export Model…: export a finished run as ONNX (optionally int8,
/// pruned, with normalisation and a Grad-CAM features output built in) or as
/// a LibTorch file, with the model card's intended use and limitations. The
/// export runs in an ExportController off the GUI thread with a progress bar
/// and Cancel; then the dialog shows what it measured: whether another
/// runtime reads the file the same (parity check and ONNX checker), the file
/// size, the test accuracy before and after (warned when the drop is above
/// the limit the person set), and opens the model card or the folder.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(QWidget *parent = nullptr);
    ~ExportDialog() override; ///< cancels an export still going

    /// Not owned; may be null (Export stays disabled).
    void setController(salient::ExportController *controller);
    /// The project and the runs that can be exported (finished ones);
    /// `selectedRunId` is preselected when among them.
    void setProject(const QString &projectFile, const QVector<train::RunRecord> &runs,
                    qint64 selectedRunId = 0);
    qint64 selectedRunId() const;
    void selectRun(qint64 runId);

    /// The export the form describes.
    ExportRequest request() const;
    /// Empty when the form can be exported, else why not (shown under it).
    QString validationMessage() const;
    bool isExporting() const { return m_exporting; }
    /// The last export's report (valid once the result page shows).
    const ExportReport &report() const { return m_report; }
    /// How files and folders are opened (tests record them); default QDesktopServices.
    void setUrlOpener(std::function<bool(const QUrl &)> opener) { m_openUrl = std::move(opener); }

    // For tests: the controls, by what they do.
    QStackedWidget *pages() const { return m_pages; }
    QComboBox *runCombo() const { return m_run; }
    QComboBox *formatCombo() const { return m_format; }
    QLineEdit *outputEdit() const { return m_output; }
    QCheckBox *normalisationCheck() const { return m_normalise; }
    QCheckBox *featuresCheck() const { return m_features; }
    QCheckBox *int8Check() const { return m_int8; }
    QSpinBox *calibrationSpin() const { return m_calibration; }
    QDoubleSpinBox *maxDropSpin() const { return m_maxDrop; }
    QSpinBox *sparsitySpin() const { return m_sparsity; }
    QSpinBox *fineTuneSpin() const { return m_fineTune; }
    QSpinBox *parityImagesSpin() const { return m_parityImages; }
    QPlainTextEdit *intendedUseEdit() const { return m_intendedUse; }
    QPlainTextEdit *limitationsEdit() const { return m_limitations; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *closeButton() const { return m_close; }
    QProgressBar *progressBar() const { return m_progress; }
    QLabel *stageLabel() const { return m_stage; }
    QLabel *errorLabel() const { return m_error; }
    // The result page.
    QLabel *verdictLabel() const { return m_verdict; }
    QLabel *resultValue(const QString &key) const; ///< "runtime", "images", "maxdiff",
    ///< "top1", "checker", "size", "fp32acc", "exportacc", "drop", "pruned", "file"
    QLabel *dropWarningLabel() const { return m_dropWarning; }
    QLabel *warningsLabel() const { return m_warnings; }
    QPushButton *openCardButton() const { return m_openCard; }
    QPushButton *openFolderButton() const { return m_openFolder; }
    QPushButton *againButton() const { return m_again; }

public Q_SLOTS:
    /// Starts the export the form describes (nothing when invalid or busy).
    void startExport();
    /// Asks the controller to stop; failed() (cancelled) follows.
    void cancelExport();
    /// Esc / Close: while exporting it cancels first and the dialog stays.
    void reject() override;

Q_SIGNALS:
    /// An export finished and its file is written.
    void exportFinished(const salient::ExportReport &report);

private:
    // exportdialog.cpp: the form and the run of an export.
    QWidget *buildForm();
    void updateForm();
    void suggestOutput();
    void browseOutput();
    void setExporting(bool on);
    void onProgress(const QString &stage, int done, int total);
    void onExported(const salient::ExportReport &report);
    void onFailed(const salient::Error &error);
    // exportdialogresult.cpp: the page that shows what the export measured.
    QWidget *buildResultPage();
    void showReport(const ExportReport &report);
    QLabel *addResultRow(QGridLayout *grid, const QString &key, const QString &label);
    void openUrl(const QUrl &url);

    QPointer<ExportController> m_controller;
    QString m_projectFile;
    QVector<train::RunRecord> m_runs;
    bool m_exporting = false;
    bool m_cancelling = false;
    bool m_outputEdited = false; ///< the person chose the file: only its suffix follows the format
    ExportRequest m_sent;        ///< what the running export was asked
    ExportReport m_report;
    std::function<bool(const QUrl &)> m_openUrl;

    QStackedWidget *m_pages;
    QComboBox *m_run;
    QComboBox *m_format;
    QLineEdit *m_output;
    QPushButton *m_browse;
    QGroupBox *m_onnxGroup;
    QCheckBox *m_normalise;
    QCheckBox *m_features;
    QCheckBox *m_int8;
    QSpinBox *m_calibration;
    QDoubleSpinBox *m_maxDrop;
    QSpinBox *m_sparsity;
    QSpinBox *m_fineTune;
    QSpinBox *m_parityImages;
    QPlainTextEdit *m_intendedUse;
    QPlainTextEdit *m_limitations;
    QLabel *m_stage;
    QProgressBar *m_progress;
    QLabel *m_error;
    QPushButton *m_export;
    QPushButton *m_cancel;
    QPushButton *m_close;

    QLabel *m_resultTitle = nullptr;
    QLabel *m_verdict = nullptr;
    QHash<QString, QLabel *> m_values;
    QHash<QString, QLabel *> m_captions;
    QLabel *m_dropWarning = nullptr;
    QLabel *m_warnings = nullptr;
    QPushButton *m_openCard = nullptr;
    QPushButton *m_openFolder = nullptr;
    QPushButton *m_again = nullptr;
};

} // namespace salient
