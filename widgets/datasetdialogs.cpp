// SPDX-License-Identifier: GPL-3.0-or-later
// File > Import Dataset… and what both dataset dialogs share.
#include "widgets/datasetdialogs.h"

#include "core/project/store.h"
#include "widgets/datasetreport.h"
#include "widgets/prompter.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace salient {

QWidget *DatasetDialogBase::pathRow(QLineEdit *edit, const QList<QPushButton *> &buttons,
                                    QWidget *parent)
{
    auto *row = new QWidget(parent);
    auto *lay = new QHBoxLayout(row);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(edit, 1);
    for (QPushButton *b : buttons) {
        b->setAutoDefault(false); // Enter runs the dialog, not a file picker
        lay->addWidget(b);
    }
    return row;
}

// ---------------------------------------------------------------------------

DatasetDialogBase::DatasetDialogBase(const QString &projectFile, QWidget *parent)
    : QDialog(parent), m_projectFile(projectFile), m_job(new DatasetJob(this))
{
    connect(m_job, &DatasetJob::progress, this,
            [this](const QString &stage, qint64 done, qint64 total) {
                if (m_closeWhenDone || m_job->isCancelling())
                    return; // "Cancelling…" stays until the worker ends
                // QProgressBar counts in int; scale big totals down.
                const int shift = total > (1LL << 30) ? 10 : 0;
                m_progress->setRange(0, int(total >> shift));
                m_progress->setValue(int(std::min(done, total) >> shift));
                const QLocale loc;
                m_stage->setText(total > 0 ? tr("%1: %2 of %3")
                                                 .arg(datasetStageText(stage), loc.toString(done),
                                                      loc.toString(total))
                                           : tr("%1…").arg(datasetStageText(stage)));
            });
}

Prompter &DatasetDialogBase::prompter() const
{
    return m_prompter ? *m_prompter : Prompter::standard();
}

void DatasetDialogBase::addRunArea(const QString &runText)
{
    auto *lay = qobject_cast<QVBoxLayout *>(layout());
    Q_ASSERT(lay);
    auto *progressRow = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setTextVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    m_cancel->setAutoDefault(false);
    connect(m_cancel, &QPushButton::clicked, this, [this]() {
        m_job->cancel();
        m_stage->setText(tr("Cancelling…"));
    });
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    lay->addSpacing(6);
    lay->addLayout(progressRow);
    m_stage = new QLabel(this);
    m_stage->setObjectName(QStringLiteral("stage"));
    m_stage->setWordWrap(true);
    lay->addWidget(m_stage);
    lay->addStretch(1);

    auto *box = new QDialogButtonBox(this);
    m_run = box->addButton(runText, QDialogButtonBox::AcceptRole);
    m_run->setObjectName(QStringLiteral("run"));
    m_run->setDefault(true);
    m_close = box->addButton(QDialogButtonBox::Close);
    connect(box, &QDialogButtonBox::rejected, this, &DatasetDialogBase::reject);
    lay->addWidget(box);
    setRunning(false);
}

void DatasetDialogBase::setRunning(bool running)
{
    m_running = running;
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    m_cancel->setEnabled(running);
    if (running) {
        m_progress->setRange(0, 0);
        m_stage->clear();
    }
    // The form stays readable but cannot change under a running job.
    for (QWidget *w : std::as_const(m_fields))
        w->setEnabled(!running);
    m_run->setEnabled(!running);
    if (!running)
        updateState();
}

void DatasetDialogBase::reject()
{
    if (isRunning()) {
        m_closeWhenDone = true;
        m_job->cancel();
        m_stage->setText(tr("Cancelling…"));
        return;
    }
    QDialog::reject();
}

void DatasetDialogBase::showReport(DatasetReportDialog *report)
{
    report->setAttribute(Qt::WA_DeleteOnClose);
    m_report = report;
    report->open();
}

void DatasetDialogBase::onFailed(const Error &error, const QString &title)
{
    setRunning(false);
    if (error.code == Error::Code::Cancelled) {
        m_stage->setText(m_aborted ? tr("Aborted. Nothing was changed.")
                                   : tr("Cancelled. Nothing was changed."));
        if (m_closeWhenDone)
            QDialog::reject();
        return;
    }
    m_stage->setText(tr("Failed."));
    if (m_closeWhenDone)
        QDialog::reject();
    prompter().error(this, title, error.toString());
}

// ---------------------------------------------------------------------------

DatasetImportDialog::DatasetImportDialog(const QString &projectFile, QWidget *parent,
                                         const QVector<const DatasetFormat *> &formats)
    : DatasetDialogBase(projectFile, parent), m_formats(formats)
{
    setObjectName(QStringLiteral("datasetImport"));
    setWindowTitle(tr("Import Dataset"));
    auto *lay = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("format"));
    m_fields.append(m_format);
    m_format->addItem(tr("Auto-detect"), QString());
    for (const DatasetFormat *f : m_formats)
        m_format->addItem(f->displayName(), f->name());
    form->addRow(tr("&Format:"), m_format);

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("path"));
    m_fields.append(m_path);
    m_path->setPlaceholderText(tr("Annotation file or dataset folder"));
    m_path->setMinimumWidth(360);
    m_fileButton = new QPushButton(tr("F&ile…"), this);
    m_fileButton->setObjectName(QStringLiteral("fileButton"));
    m_fields.append(m_fileButton);
    m_folderButton = new QPushButton(tr("F&older…"), this);
    m_folderButton->setObjectName(QStringLiteral("folderButton"));
    m_fields.append(m_folderButton);
    connect(m_fileButton, &QPushButton::clicked, this, [this]() { browse(false); });
    connect(m_folderButton, &QPushButton::clicked, this, [this]() { browse(true); });
    form->addRow(tr("&Dataset:"), pathRow(m_path, {m_fileButton, m_folderButton}, this));

    m_imageRoot = new QLineEdit(this);
    m_imageRoot->setObjectName(QStringLiteral("imageRoot"));
    m_fields.append(m_imageRoot);
    m_imageRoot->setPlaceholderText(tr("Optional: where the format usually keeps them"));
    m_imageRootButton = new QPushButton(tr("&Browse…"), this);
    m_imageRootButton->setObjectName(QStringLiteral("imageRootButton"));
    m_fields.append(m_imageRootButton);
    connect(m_imageRootButton, &QPushButton::clicked, this, [this]() {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Image Folder"), m_imageRoot->text());
        if (!dir.isEmpty())
            m_imageRoot->setText(QDir::toNativeSeparators(dir));
    });
    form->addRow(tr("I&mages in:"), pathRow(m_imageRoot, {m_imageRootButton}, this));
    lay->addLayout(form);

    auto *note = new QLabel(tr("Images already in the project keep their annotations; what the "
                               "dataset adds is merged in. Nothing changes unless the whole "
                               "import succeeds."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    lay->addWidget(note);
    addRunArea(tr("&Import"));

    connect(m_format, &QComboBox::currentIndexChanged, this, &DatasetImportDialog::updateState);
    connect(m_path, &QLineEdit::textChanged, this, &DatasetImportDialog::updateState);
    connect(m_run, &QPushButton::clicked, this, &DatasetImportDialog::start);
    connect(m_job, &DatasetJob::problemsFound, this, &DatasetImportDialog::onProblems);
    connect(m_job, &DatasetJob::importFinished, this, [this](const DatasetImportReport &report) {
        setRunning(false);
        m_stage->setText(DatasetReportDialog::summary(report));
        Q_EMIT importFinished(report);
        const bool closing = m_closeWhenDone; // finished before the cancel arrived
        showReport(new DatasetReportDialog(report, parentWidget()));
        if (!closing)
            accept();
        else
            QDialog::reject();
    });
    connect(m_job, &DatasetJob::failed, this, [this](const Error &error) {
        if (m_problemsDialog)
            m_problemsDialog->close();
        onFailed(error, tr("Import Dataset"));
    });
    setTabOrder(m_format, m_path);
    setTabOrder(m_path, m_fileButton);
    setTabOrder(m_fileButton, m_folderButton);
    setTabOrder(m_folderButton, m_imageRoot);
    setTabOrder(m_imageRoot, m_imageRootButton);
    setTabOrder(m_imageRootButton, m_run);
    updateState();
    resize(sizeHint().expandedTo(QSize(640, 0)));
}

const DatasetFormat *DatasetImportDialog::selectedFormat() const
{
    const int i = m_format->currentIndex() - 1; // row 0 is Auto-detect
    return i >= 0 && i < m_formats.size() ? m_formats[i] : nullptr;
}

bool DatasetImportDialog::selectFormat(const QString &name)
{
    const int i = m_format->findData(name);
    if (i < 0)
        return false;
    m_format->setCurrentIndex(i);
    return true;
}

void DatasetImportDialog::setPath(const QString &path)
{
    m_path->setText(QDir::toNativeSeparators(path));
}

void DatasetImportDialog::setImageRoot(const QString &folder)
{
    m_imageRoot->setText(QDir::toNativeSeparators(folder));
}

void DatasetImportDialog::updateState()
{
    const DatasetFormat *f = selectedFormat();
    // A named format says whether it reads a file or a folder; auto offers both.
    m_fileButton->setVisible(!f || !f->readsFolder());
    m_folderButton->setVisible(!f || f->readsFolder());
    m_fileButton->setText(f ? tr("&Browse…") : tr("F&ile…"));
    m_folderButton->setText(f ? tr("&Browse…") : tr("F&older…"));
    if (!isRunning())
        m_run->setEnabled(!m_path->text().trimmed().isEmpty());
}

void DatasetImportDialog::browse(bool folder)
{
    const QString start = m_path->text().trimmed();
    QString picked;
    if (folder) {
        picked = QFileDialog::getExistingDirectory(this, tr("Dataset Folder"), start);
    } else {
        const DatasetFormat *f = selectedFormat();
        const QString filter = f && f->id() == FormatId::Csv
                                   ? tr("CSV files (*.csv *.txt);;All files (*)")
                               : f && f->id() == FormatId::Coco
                                   ? tr("JSON files (*.json);;All files (*)")
                                   : tr("Annotation files (*.json *.csv *.txt *.xml *.yaml "
                                        "*.yml);;All files (*)");
        picked = QFileDialog::getOpenFileName(this, tr("Dataset File"), start, filter);
    }
    if (!picked.isEmpty())
        setPath(picked);
}

bool DatasetImportDialog::start()
{
    if (isRunning())
        return false;
    const QString path = QDir::fromNativeSeparators(m_path->text().trimmed());
    if (path.isEmpty()) {
        prompter().error(this, tr("Import Dataset"), tr("Choose a dataset file or folder first."));
        return false;
    }
    const QFileInfo fi(path);
    if (!fi.exists()) {
        prompter().error(this, tr("Import Dataset"),
                         tr("%1: no such file or folder.").arg(QDir::toNativeSeparators(path)));
        return false;
    }
    const DatasetFormat *f = selectedFormat();
    if (f && f->readsFolder() != fi.isDir()) {
        prompter().error(this, tr("Import Dataset"),
                         (f->readsFolder() ? tr("%1 reads a folder; %2 is a file.")
                                           : tr("%1 reads a file; %2 is a folder."))
                             .arg(f->displayName(), QDir::toNativeSeparators(path)));
        return false;
    }
    DatasetImportOptions options;
    options.path = fi.absoluteFilePath();
    options.format = f;
    const QString root = QDir::fromNativeSeparators(m_imageRoot->text().trimmed());
    if (!root.isEmpty()) {
        if (!QFileInfo(root).isDir()) {
            prompter().error(this, tr("Import Dataset"),
                             tr("%1: no such folder.").arg(QDir::toNativeSeparators(root)));
            return false;
        }
        options.imageRoot = QFileInfo(root).absoluteFilePath();
    }
    m_closeWhenDone = false;
    m_aborted = false;
    if (!m_job->startImport(m_projectFile, options, m_runImport))
        return false;
    setRunning(true);
    m_stage->setText(tr("Reading…"));
    return true;
}

void DatasetImportDialog::onProblems(const QVector<FormatProblem> &problems)
{
    if (auto *questions = dynamic_cast<DatasetQuestions *>(&prompter())) {
        const bool skip = questions->skipProblems(this, problems);
        m_aborted = !skip;
        m_job->answerProblems(skip);
        return;
    }
    // Window-modal and not exec(): the worker waits, the event loop runs on.
    auto *dlg = new ProblemsDialog(problems, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    m_problemsDialog = dlg;
    connect(dlg, &QDialog::finished, this, [this](int result) {
        m_aborted = result != QDialog::Accepted;
        m_job->answerProblems(!m_aborted);
    });
    dlg->open();
}

} // namespace salient
