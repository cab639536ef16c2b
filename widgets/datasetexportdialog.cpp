// SPDX-License-Identifier: GPL-3.0-or-later
// File > Export Dataset…
#include "core/project/store.h"
#include "widgets/datasetdialogs.h"
#include "widgets/datasetreport.h"
#include "widgets/prompter.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace salient {

DatasetExportDialog::DatasetExportDialog(ProjectStore &store, QWidget *parent,
                                         const QVector<const DatasetFormat *> &formats)
    : DatasetDialogBase(store.filePath(), parent), m_formats(formats)
{
    setObjectName(QStringLiteral("datasetExport"));
    setWindowTitle(tr("Export Dataset"));
    auto *lay = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("format"));
    m_fields.append(m_format);
    for (const DatasetFormat *f : m_formats)
        m_format->addItem(f->displayName(), f->name());
    form->addRow(tr("&Format:"), m_format);

    m_outDir = new QLineEdit(this);
    m_outDir->setObjectName(QStringLiteral("outDir"));
    m_fields.append(m_outDir);
    m_outDir->setPlaceholderText(tr("Folder to write into"));
    m_outDir->setMinimumWidth(360);
    m_outButton = new QPushButton(tr("&Browse…"), this);
    m_outButton->setObjectName(QStringLiteral("outButton"));
    m_fields.append(m_outButton);
    connect(m_outButton, &QPushButton::clicked, this, [this]() {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Output Folder"), m_outDir->text());
        if (!dir.isEmpty())
            setOutDir(dir);
    });
    form->addRow(tr("&Output folder:"), pathRow(m_outDir, {m_outButton}, this));

    m_split = new QComboBox(this);
    m_split->setObjectName(QStringLiteral("split"));
    m_fields.append(m_split);
    m_split->addItem(tr("All images"), QString());
    const auto splits = store.splits();
    if (splits.ok())
        for (const SplitRecord &s : *splits)
            m_split->addItem(tr("Split “%1”").arg(s.name), s.name);
    form->addRow(tr("&Images from:"), m_split);

    m_placement = new QButtonGroup(this);
    auto *placementBox = new QWidget(this);
    auto *placementLay = new QVBoxLayout(placementBox);
    placementLay->setContentsMargins(0, 0, 0, 0);
    const QList<QPair<ImagePlacement, QString>> placements = {
        {ImagePlacement::Link, tr("&Link (hard link when possible, else copy)")},
        {ImagePlacement::Copy, tr("Co&py")},
        {ImagePlacement::None, tr("&Annotations only")}};
    for (const auto &p : placements) {
        auto *radio = new QRadioButton(p.second, placementBox);
        m_fields.append(radio);
        m_placement->addButton(radio, int(p.first));
        placementLay->addWidget(radio);
    }
    m_placement->button(int(ImagePlacement::Link))->setChecked(true);
    form->addRow(tr("Image files:"), placementBox);

    m_embed = new QCheckBox(tr("E&mbed image data in each JSON file (labelme)"), this);
    m_embed->setObjectName(QStringLiteral("embed"));
    m_fields.append(m_embed);
    m_embed->setToolTip(tr("labelme only: the image travels inside its annotation file"));
    m_onlyAnnotated = new QCheckBox(tr("O&nly annotated images"), this);
    m_onlyAnnotated->setObjectName(QStringLiteral("onlyAnnotated"));
    m_fields.append(m_onlyAnnotated);
    m_onlyAnnotated->setToolTip(tr("Leave out images with no label and no shape"));
    form->addRow(QString(), m_embed);
    form->addRow(QString(), m_onlyAnnotated);
    lay->addLayout(form);
    addRunArea(tr("&Export"));

    connect(m_format, &QComboBox::currentIndexChanged, this, &DatasetExportDialog::updateState);
    connect(m_outDir, &QLineEdit::textChanged, this, &DatasetExportDialog::updateState);
    connect(m_run, &QPushButton::clicked, this, &DatasetExportDialog::start);
    connect(m_job, &DatasetJob::exportFinished, this, [this](const DatasetExportReport &report) {
        setRunning(false);
        m_stage->setText(DatasetReportDialog::summary(report));
        Q_EMIT exportFinished(report, m_runningOutDir);
        const bool closing = m_closeWhenDone;
        showReport(new DatasetReportDialog(report, m_runningOutDir, parentWidget()));
        if (!closing)
            accept();
        else
            QDialog::reject();
    });
    connect(m_job, &DatasetJob::failed, this,
            [this](const Error &error) { onFailed(error, tr("Export Dataset")); });
    updateState();
    resize(sizeHint().expandedTo(QSize(640, 0)));
}

const DatasetFormat *DatasetExportDialog::selectedFormat() const
{
    const int i = m_format->currentIndex();
    return i >= 0 && i < m_formats.size() ? m_formats[i] : nullptr;
}

bool DatasetExportDialog::selectFormat(const QString &name)
{
    const int i = m_format->findData(name);
    if (i < 0)
        return false;
    m_format->setCurrentIndex(i);
    return true;
}

bool DatasetExportDialog::selectSplit(const QString &name)
{
    const int i = m_split->findData(name);
    if (i < 0)
        return false;
    m_split->setCurrentIndex(i);
    return true;
}

void DatasetExportDialog::setOutDir(const QString &folder)
{
    m_outDir->setText(QDir::toNativeSeparators(folder));
}

void DatasetExportDialog::setPlacement(ImagePlacement placement)
{
    m_placement->button(int(placement))->setChecked(true);
}

void DatasetExportDialog::updateState()
{
    const DatasetFormat *f = selectedFormat();
    const bool labelme = f && f->id() == FormatId::Labelme;
    m_embed->setEnabled(labelme && !isRunning());
    if (!labelme)
        m_embed->setChecked(false);
    if (!isRunning())
        m_run->setEnabled(f && !m_outDir->text().trimmed().isEmpty());
}

bool DatasetExportDialog::start()
{
    if (isRunning())
        return false;
    const DatasetFormat *f = selectedFormat();
    const QString dir = QDir::fromNativeSeparators(m_outDir->text().trimmed());
    if (!f || dir.isEmpty()) {
        prompter().error(this, tr("Export Dataset"),
                         f ? tr("Choose an output folder first.")
                           : tr("No dataset format is available in this build."));
        return false;
    }
    const QFileInfo fi(dir);
    if (fi.exists() && !fi.isDir()) {
        prompter().error(this, tr("Export Dataset"),
                         tr("%1 is a file, not a folder.").arg(QDir::toNativeSeparators(dir)));
        return false;
    }
    if (fi.isDir() && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
        && !prompter().confirm(this, tr("Export Dataset"),
                               tr("The folder %1 is not empty. Files the export writes replace "
                                  "those of the same name; others are left alone. Continue?")
                                   .arg(QDir::toNativeSeparators(dir))))
        return false;
    DatasetExportOptions options;
    options.outDir = fi.absoluteFilePath();
    options.format = f;
    options.split = m_split->currentData().toString();
    options.onlyAnnotated = m_onlyAnnotated->isChecked();
    options.images = static_cast<ImagePlacement>(m_placement->checkedId());
    options.embedImageData = m_embed->isEnabled() && m_embed->isChecked();
    m_runningOutDir = options.outDir;
    m_closeWhenDone = false;
    m_aborted = false;
    if (!m_job->startExport(m_projectFile, options, m_runExport))
        return false;
    setRunning(true);
    m_stage->setText(tr("Reading project…"));
    return true;
}

} // namespace salient
