// SPDX-License-Identifier: GPL-3.0-or-later
// ExportDialog, part two: the result page. It answers the three questions a
// person has after an export: does another runtime read the file the same
// (parity check and ONNX checker, with a clear pass or fail), how big is it,
// and what did it cost in test accuracy (warned above the allowed drop).
#include "widgets/exportdialog.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <cmath>

namespace salient {

namespace {

const char *const kPassStyle =
    "QLabel { background: #e3f4e1; color: #1d5e1a; border: 1px solid #7fbf79;"
    " border-radius: 4px; padding: 6px 10px; font-weight: bold; }";
const char *const kFailStyle =
    "QLabel { background: #fbe4e2; color: #8c1d18; border: 1px solid #e0908a;"
    " border-radius: 4px; padding: 6px 10px; font-weight: bold; }";
const char *const kWarnStyle =
    "QLabel { background: #fff3d6; color: #6b4a00; border: 1px solid #e3b341;"
    " border-radius: 4px; padding: 6px 10px; }";

/// The verdict the page shows. fp32 files must match within the tolerance;
/// an int8 file cannot, so it passes when the runtime read it and the
/// checker accepted it, and its accuracy is judged on its own row.
bool parityPassed(const ParityReport &p, bool onnx, bool int8)
{
    if (!p.ran || p.images <= 0)
        return false;
    if (onnx && !p.checkerOk)
        return false;
    return int8 || (p.maxAbsDiff >= 0 && p.maxAbsDiff <= p.tolerance);
}

QString percent(double fraction)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(100.0 * fraction, 'f', 1));
}

QString points(double fraction)
{
    return QLocale().toString(100.0 * fraction, 'f', 1);
}

QString scientific(double value)
{
    return QLocale().toString(value, 'e', 1);
}

} // namespace

QLabel *ExportDialog::addResultRow(QGridLayout *grid, const QString &key, const QString &label)
{
    const int row = grid->rowCount();
    auto *caption = new QLabel(label, grid->parentWidget());
    auto *value = new QLabel(grid->parentWidget());
    value->setObjectName(QStringLiteral("result_") + key);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    value->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    grid->addWidget(caption, row, 0, Qt::AlignTop);
    grid->addWidget(value, row, 1, Qt::AlignTop);
    m_captions.insert(key, caption);
    m_values.insert(key, value);
    return value;
}

QLabel *ExportDialog::resultValue(const QString &key) const
{
    return m_values.value(key, nullptr);
}

QWidget *ExportDialog::buildResultPage()
{
    auto *page = new QWidget(this);
    m_resultTitle = new QLabel(page);
    m_resultTitle->setObjectName(QStringLiteral("resultTitle"));
    m_resultTitle->setWordWrap(true);
    m_resultTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict = new QLabel(page);
    m_verdict->setObjectName(QStringLiteral("parityVerdict"));
    m_verdict->setWordWrap(true);

    auto *parity = new QGroupBox(tr("Does another runtime read it the same?"), page);
    auto *pg = new QGridLayout(parity);
    pg->setColumnStretch(1, 1);
    addResultRow(pg, QStringLiteral("runtime"), tr("Runtime:"));
    addResultRow(pg, QStringLiteral("images"), tr("Images compared:"));
    addResultRow(pg, QStringLiteral("maxdiff"), tr("Largest |difference|:"));
    addResultRow(pg, QStringLiteral("top1"), tr("Same top class:"));
    addResultRow(pg, QStringLiteral("checker"), tr("ONNX checker:"));

    auto *figures = new QGroupBox(tr("Size and accuracy"), page);
    auto *fg = new QGridLayout(figures);
    fg->setColumnStretch(1, 1);
    addResultRow(fg, QStringLiteral("file"), tr("File:"));
    addResultRow(fg, QStringLiteral("size"), tr("Size:"));
    addResultRow(fg, QStringLiteral("fp32acc"), tr("Test accuracy before:"));
    addResultRow(fg, QStringLiteral("exportacc"), tr("Test accuracy after:"));
    addResultRow(fg, QStringLiteral("drop"), tr("Change:"));
    addResultRow(fg, QStringLiteral("pruned"), tr("Pruned:"));

    m_dropWarning = new QLabel(page);
    m_dropWarning->setObjectName(QStringLiteral("dropWarning"));
    m_dropWarning->setWordWrap(true);
    m_dropWarning->setStyleSheet(QLatin1String(kWarnStyle));
    m_warnings = new QLabel(page);
    m_warnings->setObjectName(QStringLiteral("exportWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_openCard = new QPushButton(tr("Open Model &Card"), page);
    m_openFolder = new QPushButton(tr("Open Containing &Folder"), page);
    m_again = new QPushButton(tr("Export &Another…"), page);
    auto *links = new QHBoxLayout;
    links->addWidget(m_openCard);
    links->addWidget(m_openFolder);
    links->addStretch(1);
    links->addWidget(m_again);

    auto *columns = new QHBoxLayout;
    columns->addWidget(parity, 1);
    columns->addWidget(figures, 1);
    auto *lay = new QVBoxLayout(page);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(m_resultTitle);
    lay->addWidget(m_verdict);
    lay->addLayout(columns);
    lay->addWidget(m_dropWarning);
    lay->addWidget(m_warnings);
    lay->addStretch(1);
    lay->addLayout(links);

    connect(m_openCard, &QPushButton::clicked, this,
            [this]() { openUrl(QUrl::fromLocalFile(m_report.cardHtmlFile)); });
    connect(m_openFolder, &QPushButton::clicked, this,
            [this]() { openUrl(QUrl::fromLocalFile(QFileInfo(m_report.outFile).absolutePath())); });
    connect(m_again, &QPushButton::clicked, this, [this]() {
        m_pages->setCurrentIndex(0);
        m_error->hide();
        setExporting(false);
    });
    return page;
}

void ExportDialog::openUrl(const QUrl &url)
{
    if (m_openUrl && !m_openUrl(url)) {
        m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_error->setText(tr("Could not open %1.").arg(QDir::toNativeSeparators(url.toLocalFile())));
        m_error->show();
    }
}

void ExportDialog::showReport(const ExportReport &r)
{
    const QLocale loc;
    const ParityReport &p = r.parity;
    const bool onnx = !r.meta.format.startsWith(QLatin1String("libtorch"));
    const bool int8 = r.meta.format == QLatin1String("onnx-int8") || m_sent.int8;

    m_resultTitle->setText(tr("<b>%1</b> is written, with its model card beside it.")
                               .arg(QFileInfo(r.outFile).fileName().toHtmlEscaped()));
    const bool passed = parityPassed(p, onnx, int8);
    if (passed) {
        m_verdict->setText(int8 ? tr("✔ Parity check passed: %1 reads the int8 file and agrees "
                                     "on the top class of %2 of %3 images.")
                                      .arg(p.runtime)
                                      .arg(qRound(p.top1Agreement * p.images))
                                      .arg(p.images)
                                : tr("✔ Parity check passed: %1 gives the same outputs as "
                                     "LibTorch on %2 real images.")
                                      .arg(p.runtime)
                                      .arg(p.images));
        m_verdict->setStyleSheet(QLatin1String(kPassStyle));
    } else {
        QString why;
        if (!p.ran)
            why = tr("the check did not run");
        else if (onnx && !p.checkerOk)
            why = tr("the ONNX checker refused the file");
        else if (p.images <= 0)
            why = tr("no image could be compared");
        else
            why = tr("outputs differ by up to %1, more than %2")
                      .arg(scientific(p.maxAbsDiff), scientific(p.tolerance));
        m_verdict->setText(
            tr("✘ Parity check failed: %1. Do not deploy this file as it is.").arg(why));
        m_verdict->setStyleSheet(QLatin1String(kFailStyle));
    }

    const QString none = tr("—");
    m_values[QStringLiteral("runtime")]->setText(p.runtime.isEmpty() ? none : p.runtime);
    m_values[QStringLiteral("images")]->setText(p.ran ? loc.toString(p.images) : none);
    if (p.ran && p.maxAbsDiff >= 0)
        m_values[QStringLiteral("maxdiff")]->setText(
                     int8 ? tr("%1 (int8 is judged by accuracy instead)")
                                .arg(scientific(p.maxAbsDiff))
                          : tr("%1 (allowed %2)")
                                .arg(scientific(p.maxAbsDiff), scientific(p.tolerance)));
    else
        m_values[QStringLiteral("maxdiff")]->setText(none);
    m_values[QStringLiteral("top1")]->setText(p.ran && p.top1Agreement >= 0
                                                  ? tr("%1 (%2 of %3 images)")
                                                        .arg(percent(p.top1Agreement))
                                                        .arg(qRound(p.top1Agreement * p.images))
                                                        .arg(p.images)
                                                  : none);
    m_values[QStringLiteral("checker")]->setText(
                 !onnx         ? tr("not an ONNX file")
                 : p.checkerOk ? tr("accepted")
                               : tr("refused: %1")
                                     .arg(p.checkerMessage.isEmpty() ? tr("no reason given")
                                                                     : p.checkerMessage));
    m_captions[QStringLiteral("checker")]->setVisible(onnx);
    m_values[QStringLiteral("checker")]->setVisible(onnx);

    m_values[QStringLiteral("file")]->setText(QDir::toNativeSeparators(r.outFile));
    QString size = loc.formattedDataSize(r.fileBytes, 1, QLocale::DataSizeSIFormat);
    if (int8 && r.fp32Bytes > 0 && r.fileBytes > 0)
        size = tr("%1, %2× smaller than full precision (%3)")
                   .arg(size, loc.toString(double(r.fp32Bytes) / double(r.fileBytes), 'f', 1),
                        loc.formattedDataSize(r.fp32Bytes, 1, QLocale::DataSizeSIFormat));
    m_values[QStringLiteral("size")]->setText(size);

    const QString notMeasured = tr("not measured");
    m_values[QStringLiteral("fp32acc")]->setText(
                 r.fp32Accuracy >= 0
                     ? tr("%1 (LibTorch, the run's model)").arg(percent(r.fp32Accuracy))
                     : notMeasured);
    m_values[QStringLiteral("exportacc")]->setText(
                 r.exportedAccuracy >= 0 ? tr("%1 (through the exported file, %2 test images)")
                                               .arg(percent(r.exportedAccuracy))
                                               .arg(loc.toString(r.evalImages))
                                         : notMeasured);
    const bool measured = r.fp32Accuracy >= 0 && r.exportedAccuracy >= 0;
    const double drop = measured ? r.fp32Accuracy - r.exportedAccuracy : 0;
    if (measured) {
        const QString change =
            drop > 0 ? tr("−%1 points").arg(points(drop)) : tr("+%1 points").arg(points(-drop));
        m_values[QStringLiteral("drop")]->setText(
                     tr("%1 (allowed drop %2 points)").arg(change, points(m_sent.maxAccuracyDrop)));
    } else {
        m_values[QStringLiteral("drop")]->setText(none);
    }
    for (const QString &key : {QStringLiteral("exportacc"), QStringLiteral("drop")}) {
        m_captions[key]->setVisible(measured || int8);
        m_values[key]->setVisible(measured || int8);
    }
    const bool pruned = r.prunedRunId > 0 || r.sparsity > 0;
    m_values[QStringLiteral("pruned")]->setText(
                 tr("%1 of the weights are zero (run #%2, fine-tuned)")
                     .arg(percent(r.sparsity))
                     .arg(r.prunedRunId));
    m_captions[QStringLiteral("pruned")]->setVisible(pruned);
    m_values[QStringLiteral("pruned")]->setVisible(pruned);

    const bool above = r.dropAboveLimit || (measured && drop > m_sent.maxAccuracyDrop + 1e-12);
    m_dropWarning->setText(
        tr("⚠ Test accuracy fell by %1 points, more than the %2 allowed. Try more calibration "
           "images, less pruning, or a full-precision export.")
            .arg(points(drop), points(m_sent.maxAccuracyDrop)));
    m_dropWarning->setVisible(above);
    m_values[QStringLiteral("drop")]->setStyleSheet(
                 above ? QStringLiteral("color: #8c1d18; font-weight: bold;") : QString());
    m_warnings->setText(r.warnings.isEmpty()
                            ? QString()
                            : QStringLiteral("• ") + r.warnings.join(QStringLiteral("\n• ")));
    m_warnings->setVisible(!r.warnings.isEmpty());

    m_openCard->setEnabled(!r.cardHtmlFile.isEmpty());
    m_openFolder->setEnabled(!r.outFile.isEmpty());
    m_pages->setCurrentIndex(1);
    m_export->setVisible(false);
    updateForm();
}

} // namespace salient
