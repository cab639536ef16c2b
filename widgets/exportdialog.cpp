// SPDX-License-Identifier: GPL-3.0-or-later
// ExportDialog, part one: the form, the request it describes, and the run of
// an export (progress, cancel, failure). The result page is in
// exportdialogresult.cpp.
#include "widgets/exportdialog.h"

#include "core/runs/metrics.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace salient {

namespace {

QString suffixFor(ModelFormat format)
{
    return format == ModelFormat::Onnx ? QStringLiteral("onnx") : QStringLiteral("pt");
}

/// "baseline" -> "baseline"; characters a file name should not carry become "-".
QString fileStem(const QString &runName, qint64 runId)
{
    QString stem = runName.trimmed();
    stem.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    stem.remove(QRegularExpression(QStringLiteral("^[-.]+|-+$")));
    return stem.isEmpty() ? QStringLiteral("run-%1").arg(runId) : stem;
}

QPlainTextEdit *cardField(const QString &placeholder, QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setMinimumHeight(70);
    return edit;
}

} // namespace

ExportDialog::ExportDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export Model"));
    m_openUrl = [](const QUrl &url) { return QDesktopServices::openUrl(url); };

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildForm());
    m_pages->addWidget(buildResultPage());

    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("exportStage"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setTextVisible(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("exportError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));

    m_export = new QPushButton(tr("&Export"), this);
    m_export->setDefault(true);
    m_cancel = new QPushButton(tr("&Cancel"), this);
    m_cancel->setToolTip(tr("Stop the export; nothing is written"));
    m_close = new QPushButton(tr("Close"), this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_stage, 1);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch(0); // keeps the buttons their size while no progress shows
    buttons->addWidget(m_export);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_close);

    auto *lay = new QVBoxLayout(this);
    lay->addWidget(m_pages, 1);
    lay->addWidget(m_error);
    lay->addLayout(buttons);

    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_cancel, &QPushButton::clicked, this, &ExportDialog::cancelExport);
    connect(m_close, &QPushButton::clicked, this, &ExportDialog::reject);
    setExporting(false);
    m_error->hide();
    resize(sizeHint().expandedTo(QSize(860, 520)));
}

ExportDialog::~ExportDialog()
{
    if (m_exporting && m_controller) {
        disconnect(m_controller, nullptr, this, nullptr);
        m_controller->cancel();
    }
}

QWidget *ExportDialog::buildForm()
{
    auto *page = new QWidget(this);

    auto *modelGroup = new QGroupBox(tr("Model"), page);
    auto *modelForm = new QFormLayout(modelGroup);
    m_run = new QComboBox(modelGroup);
    m_run->setObjectName(QStringLiteral("exportRun"));
    m_run->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_run->setMinimumContentsLength(28);
    modelForm->addRow(tr("&Run:"), m_run);
    m_format = new QComboBox(modelGroup);
    m_format->addItem(tr("ONNX (OpenCV, ONNX Runtime and other tools)"), int(ModelFormat::Onnx));
    m_format->addItem(tr("LibTorch (salient-cli predict and the studio)"),
                      int(ModelFormat::LibTorch));
    modelForm->addRow(tr("&Format:"), m_format);
    m_output = new QLineEdit(modelGroup);
    m_output->setObjectName(QStringLiteral("exportOutput"));
    m_browse = new QPushButton(tr("Browse…"), modelGroup);
    auto *outRow = new QHBoxLayout;
    outRow->addWidget(m_output, 1);
    outRow->addWidget(m_browse);
    auto *outLabel = new QLabel(tr("&Save as:"), modelGroup);
    outLabel->setBuddy(m_output);
    modelForm->addRow(outLabel, outRow);

    m_onnxGroup = new QGroupBox(tr("ONNX"), page);
    auto *onnxForm = new QFormLayout(m_onnxGroup);
    m_normalise = new QCheckBox(tr("Normalisation built in (input is raw 0–255 RGB)"), m_onnxGroup);
    m_normalise->setToolTip(tr("Mean and standard deviation become part of the graph, so a "
                               "deployment feeds pixels as they are"));
    m_features = new QCheckBox(tr("Grad-CAM features output"), m_onnxGroup);
    m_features->setToolTip(tr("A second output, \"features\", with the last convolutional "
                              "block, so Grad-CAM can be computed where the model is deployed"));
    m_int8 = new QCheckBox(tr("Quantise to int8 (calibrated on training images)"), m_onnxGroup);
    m_int8->setToolTip(tr("About four times smaller and faster on CPUs; its test accuracy is "
                          "measured and compared with the full-precision model"));
    onnxForm->addRow(m_normalise);
    onnxForm->addRow(m_features);
    onnxForm->addRow(m_int8);
    m_calibration = new QSpinBox(m_onnxGroup);
    m_calibration->setRange(8, 4096);
    m_calibration->setValue(256);
    m_calibration->setSuffix(tr(" images"));
    onnxForm->addRow(tr("Calibrate on:"), m_calibration);
    m_maxDrop = new QDoubleSpinBox(m_onnxGroup);
    m_maxDrop->setObjectName(QStringLiteral("exportMaxDrop"));
    m_maxDrop->setRange(0.0, 100.0);
    m_maxDrop->setDecimals(1);
    m_maxDrop->setSingleStep(0.5);
    m_maxDrop->setValue(1.0);
    m_maxDrop->setSuffix(tr(" points"));
    m_maxDrop->setToolTip(tr("Test accuracy may fall by this many percentage points before "
                             "the export warns"));
    onnxForm->addRow(tr("Largest accuracy drop allowed:"), m_maxDrop);

    auto *shrinkGroup = new QGroupBox(tr("Pruning and check"), page);
    auto *shrinkForm = new QFormLayout(shrinkGroup);
    m_sparsity = new QSpinBox(shrinkGroup);
    m_sparsity->setRange(0, 95);
    m_sparsity->setSingleStep(10);
    m_sparsity->setSuffix(tr(" %"));
    m_sparsity->setSpecialValueText(tr("Off"));
    m_sparsity->setToolTip(tr("Set this share of the weights (the smallest) to zero, fine-tune, "
                              "and export the pruned model (a new run)"));
    shrinkForm->addRow(tr("Prune to sparsity:"), m_sparsity);
    m_fineTune = new QSpinBox(shrinkGroup);
    m_fineTune->setRange(0, 100);
    m_fineTune->setValue(1);
    m_fineTune->setSuffix(tr(" epoch"));
    connect(m_fineTune, qOverload<int>(&QSpinBox::valueChanged), this,
            [this](int n) { m_fineTune->setSuffix(n == 1 ? tr(" epoch") : tr(" epochs")); });
    shrinkForm->addRow(tr("Fine-tune after pruning:"), m_fineTune);
    m_parityImages = new QSpinBox(shrinkGroup);
    m_parityImages->setRange(1, 1024);
    m_parityImages->setValue(32);
    m_parityImages->setSuffix(tr(" test images"));
    m_parityImages->setToolTip(tr("Real images run through the run's model and through the "
                                  "exported file, whose outputs are compared"));
    shrinkForm->addRow(tr("Compare outputs on:"), m_parityImages);

    auto *cardGroup = new QGroupBox(tr("Model card"), page);
    auto *cardLay = new QVBoxLayout(cardGroup);
    cardLay->addWidget(new QLabel(tr("&Intended use:"), cardGroup));
    m_intendedUse = cardField(tr("What the model is for, and who may use it"), cardGroup);
    static_cast<QLabel *>(cardLay->itemAt(0)->widget())->setBuddy(m_intendedUse);
    cardLay->addWidget(m_intendedUse, 1);
    auto *limLabel = new QLabel(tr("&Limitations:"), cardGroup);
    cardLay->addWidget(limLabel);
    m_limitations = cardField(tr("Where it is known to fail or was not tested"), cardGroup);
    limLabel->setBuddy(m_limitations);
    cardLay->addWidget(m_limitations, 1);
    auto *cardNote = new QLabel(tr("Saved beside the model as JSON and HTML, with the classes, "
                                   "split counts, test metrics and training config."),
                                cardGroup);
    cardNote->setWordWrap(true);
    cardNote->setEnabled(false);
    cardLay->addWidget(cardNote);

    auto *left = new QVBoxLayout;
    left->addWidget(modelGroup);
    left->addWidget(m_onnxGroup);
    left->addWidget(shrinkGroup);
    left->addStretch(1);
    auto *lay = new QHBoxLayout(page);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addLayout(left, 3);
    lay->addWidget(cardGroup, 2);

    connect(m_run, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        suggestOutput();
        updateForm();
    });
    connect(m_format, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        suggestOutput();
        updateForm();
    });
    connect(m_int8, &QCheckBox::toggled, this, [this]() {
        suggestOutput();
        updateForm();
    });
    connect(m_sparsity, qOverload<int>(&QSpinBox::valueChanged), this, [this]() {
        suggestOutput();
        updateForm();
    });
    connect(m_output, &QLineEdit::textEdited, this, [this]() {
        m_outputEdited = true;
        updateForm();
    });
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browseOutput);
    return page;
}

void ExportDialog::setController(ExportController *controller)
{
    if (m_controller)
        disconnect(m_controller, nullptr, this, nullptr);
    m_controller = controller;
    if (controller) {
        connect(controller, &ExportController::progress, this, &ExportDialog::onProgress);
        connect(controller, &ExportController::exported, this, &ExportDialog::onExported);
        connect(controller, &ExportController::failed, this, &ExportDialog::onFailed);
    }
    updateForm();
}

void ExportDialog::setProject(const QString &projectFile, const QVector<train::RunRecord> &runs,
                              qint64 selectedRunId)
{
    m_projectFile = projectFile;
    m_runs = runs;
    const QSignalBlocker block(m_run);
    m_run->clear();
    for (const train::RunRecord &r : runs) {
        const QString model =
            QJsonDocument::fromJson(r.config).object().value(QStringLiteral("model")).toString();
        QStringList about;
        if (!model.isEmpty())
            about << model;
        about << (r.epochsDone == 1 ? tr("1 epoch") : tr("%1 epochs").arg(r.epochsDone));
        if (!r.testMetrics.isEmpty())
            about << tr("test accuracy %1 %")
                         .arg(QLocale().toString(
                             100.0 * train::EvalMetrics::fromJson(r.testMetrics).accuracy, 'f', 1));
        m_run->addItem(tr("%1 (#%2) — %3").arg(r.name).arg(r.id).arg(about.join(tr(", "))), r.id);
    }
    const int at = m_run->findData(selectedRunId);
    m_run->setCurrentIndex(at >= 0 ? at : 0);
    m_outputEdited = false;
    suggestOutput();
    updateForm();
}

qint64 ExportDialog::selectedRunId() const
{
    return m_run->currentIndex() >= 0 ? m_run->currentData().toLongLong() : 0;
}

void ExportDialog::selectRun(qint64 runId)
{
    const int at = m_run->findData(runId);
    if (at >= 0)
        m_run->setCurrentIndex(at);
}

ExportRequest ExportDialog::request() const
{
    ExportRequest r;
    r.projectFile = m_projectFile;
    r.runId = selectedRunId();
    r.format = ModelFormat(m_format->currentData().toInt());
    r.outFile = m_output->text().trimmed();
    if (!r.outFile.isEmpty())
        r.outFile = QFileInfo(r.outFile).absoluteFilePath();
    const bool onnx = r.format == ModelFormat::Onnx;
    r.embedNormalisation = onnx && m_normalise->isChecked();
    r.featuresOutput = onnx && m_features->isChecked();
    r.int8 = onnx && m_int8->isChecked();
    r.calibrationImages = m_calibration->value();
    r.maxAccuracyDrop = m_maxDrop->value() / 100.0;
    r.pruneSparsity = m_sparsity->value() / 100.0;
    r.pruneEpochs = m_fineTune->value();
    r.parityImages = m_parityImages->value();
    r.intendedUse = m_intendedUse->toPlainText().trimmed();
    r.limitations = m_limitations->toPlainText().trimmed();
    return r;
}

QString ExportDialog::validationMessage() const
{
    if (m_projectFile.isEmpty())
        return tr("Open a project first.");
    if (m_run->count() == 0)
        return tr("This project has no finished run to export. Train one first (F9).");
    if (!m_controller)
        return tr("This build cannot export models (it was built without training).");
    const QString out = m_output->text().trimmed();
    if (out.isEmpty())
        return tr("Choose the file to save the model as.");
    const QFileInfo info(out);
    if (!info.absoluteDir().exists())
        return tr("The folder %1 does not exist.")
            .arg(QDir::toNativeSeparators(info.absolutePath()));
    if (info.isDir())
        return tr("%1 is a folder; choose a file name.").arg(QDir::toNativeSeparators(out));
    return {};
}

void ExportDialog::updateForm()
{
    const bool onnx = ModelFormat(m_format->currentData().toInt()) == ModelFormat::Onnx;
    const bool idle = !m_exporting;
    m_run->setEnabled(idle && m_run->count() > 1);
    for (QWidget *w :
         {static_cast<QWidget *>(m_format), static_cast<QWidget *>(m_output),
          static_cast<QWidget *>(m_browse), static_cast<QWidget *>(m_sparsity),
          static_cast<QWidget *>(m_parityImages), static_cast<QWidget *>(m_intendedUse),
          static_cast<QWidget *>(m_limitations)})
        w->setEnabled(idle);
    m_onnxGroup->setEnabled(idle && onnx);
    m_onnxGroup->setToolTip(onnx ? QString() : tr("Only for ONNX files"));
    m_calibration->setEnabled(m_int8->isChecked());
    m_maxDrop->setEnabled(m_int8->isChecked());
    m_fineTune->setEnabled(idle && m_sparsity->value() > 0);

    const QString why = validationMessage();
    m_export->setEnabled(idle && why.isEmpty() && m_pages->currentIndex() == 0);
    m_export->setToolTip(why);
}

void ExportDialog::suggestOutput()
{
    const ModelFormat format = ModelFormat(m_format->currentData().toInt());
    const QString suffix = suffixFor(format);
    if (m_outputEdited) {
        // The person's file keeps its name; only the suffix follows the format.
        QString path = m_output->text().trimmed();
        const QFileInfo info(path);
        const QString old = info.suffix().toLower();
        if (old == QLatin1String("onnx") || old == QLatin1String("pt"))
            path.chop(old.size() + 1);
        if (!path.isEmpty())
            m_output->setText(path + QLatin1Char('.') + suffix);
        return;
    }
    if (m_projectFile.isEmpty() || m_run->count() == 0) {
        m_output->clear();
        return;
    }
    const int at = m_run->currentIndex();
    const train::RunRecord &run = m_runs[at];
    QString stem = fileStem(run.name, run.id);
    if (m_sparsity->value() > 0)
        stem += QStringLiteral("-pruned%1").arg(m_sparsity->value());
    if (format == ModelFormat::Onnx && m_int8->isChecked())
        stem += QStringLiteral("-int8");
    const QDir dir = QFileInfo(m_projectFile).absoluteDir();
    m_output->setText(QDir::toNativeSeparators(dir.filePath(stem + QLatin1Char('.') + suffix)));
}

void ExportDialog::browseOutput()
{
    const bool onnx = ModelFormat(m_format->currentData().toInt()) == ModelFormat::Onnx;
    const QString filter = onnx ? tr("ONNX models (*.onnx)") : tr("LibTorch models (*.pt)");
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Save Model As"), m_output->text(), filter);
    if (file.isEmpty())
        return;
    m_output->setText(QDir::toNativeSeparators(file));
    m_outputEdited = true;
    suggestOutput(); // the suffix the format needs, when the person left it out
    updateForm();
}

void ExportDialog::startExport()
{
    if (m_exporting || !validationMessage().isEmpty())
        return;
    m_sent = request();
    m_error->hide();
    m_error->clear();
    setExporting(true);
    m_stage->setText(tr("Starting…"));
    m_controller->startExport(m_sent);
}

void ExportDialog::cancelExport()
{
    if (!m_exporting || m_cancelling || !m_controller)
        return;
    m_cancelling = true;
    m_cancel->setEnabled(false);
    m_stage->setText(tr("Stopping…"));
    m_controller->cancel();
}

void ExportDialog::reject()
{
    if (m_exporting) {
        cancelExport(); // the dialog stays until the export has stopped
        return;
    }
    QDialog::reject();
}

void ExportDialog::setExporting(bool on)
{
    m_exporting = on;
    if (!on)
        m_cancelling = false;
    m_stage->setVisible(on);
    m_progress->setVisible(on);
    m_progress->setRange(0, 0);
    m_export->setVisible(m_pages->currentIndex() == 0);
    m_cancel->setVisible(on);
    m_cancel->setEnabled(on);
    m_close->setEnabled(!on);
    updateForm();
}

void ExportDialog::onProgress(const QString &stage, int done, int total)
{
    if (!m_exporting || m_cancelling)
        return;
    // The engine's stages are sentence fragments ("calibrating on 256 training images").
    QString text = stage;
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    m_stage->setText(text);
    if (total > 0) {
        m_progress->setRange(0, total);
        m_progress->setValue(qBound(0, done, total));
        m_progress->setFormat(tr("%1 of %2").arg(qBound(0, done, total)).arg(total));
    } else {
        m_progress->setRange(0, 0); // busy: the stage does not know its length
    }
}

void ExportDialog::onExported(const ExportReport &report)
{
    if (!m_exporting)
        return;
    setExporting(false);
    m_report = report;
    showReport(report);
    Q_EMIT exportFinished(report);
}

void ExportDialog::onFailed(const Error &error)
{
    if (!m_exporting)
        return;
    setExporting(false);
    if (error.code == Error::Code::Cancelled) {
        m_error->setStyleSheet(QString());
        m_error->setText(tr("The export was stopped; no file was written."));
    } else {
        m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_error->setText(tr("The export failed: %1").arg(error.toString()));
    }
    m_error->show();
}

} // namespace salient
