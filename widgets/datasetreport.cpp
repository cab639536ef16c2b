// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/datasetreport.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace salient {

namespace {

/// Long paths lose their start, never the file name; messages keep their start.
class ElideLeftDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideLeft;
    }
};

QString formatName(const QString &name)
{
    const DatasetFormat *f = datasetFormat(name);
    return f ? f->displayName() : name;
}

} // namespace

ProblemTable::ProblemTable(const QVector<FormatProblem> &problems, QWidget *parent)
    : QWidget(parent), m_problems(problems)
{
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    const int rows = int(std::min<qsizetype>(problems.size(), kMaxRows));
    m_table = new QTableWidget(rows, 4, this);
    m_table->setObjectName(QStringLiteral("problemTable"));
    m_table->setHorizontalHeaderLabels({tr("File"), tr("Line"), tr("Where"), tr("Problem")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->setItemDelegateForColumn(0, new ElideLeftDelegate(m_table));
    bool anyLine = false, anyWhere = false;
    for (int i = 0; i < rows; ++i) {
        const FormatProblem &p = problems[i];
        const QString file = QDir::toNativeSeparators(p.path);
        auto *fileItem = new QTableWidgetItem(file);
        fileItem->setToolTip(file);
        auto *lineItem = new QTableWidgetItem;
        if (p.line > 0)
            lineItem->setData(Qt::DisplayRole, p.line); // sorts as a number
        anyLine = anyLine || p.line > 0;
        anyWhere = anyWhere || !p.where.isEmpty();
        auto *whereItem = new QTableWidgetItem(p.where);
        auto *messageItem = new QTableWidgetItem(p.message);
        messageItem->setToolTip(p.message);
        m_table->setItem(i, 0, fileItem);
        m_table->setItem(i, 1, lineItem);
        m_table->setItem(i, 2, whereItem);
        m_table->setItem(i, 3, messageItem);
    }
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // keep the order found until asked
    QHeaderView *h = m_table->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::Interactive);
    h->setStretchLastSection(true);
    m_table->setColumnWidth(0, 260);
    m_table->setColumnWidth(1, 56);
    m_table->setColumnWidth(2, 150);
    // Formats say either a line or a JSON path: no empty column.
    m_table->setColumnHidden(1, !anyLine);
    m_table->setColumnHidden(2, !anyWhere);
    lay->addWidget(m_table, 1);

    auto *row = new QHBoxLayout;
    if (problems.size() > rows)
        row->addWidget(new QLabel(
            tr("The first %1 of %2 are shown; Copy copies all.")
                .arg(QLocale().toString(rows), QLocale().toString(qint64(problems.size()))),
            this));
    row->addStretch(1);
    auto *copy = new QPushButton(tr("&Copy All"), this);
    copy->setObjectName(QStringLiteral("copyProblems"));
    copy->setAutoDefault(false);
    copy->setToolTip(tr("Copy every line to the clipboard"));
    connect(copy, &QPushButton::clicked, this, &ProblemTable::copyToClipboard);
    row->addWidget(copy);
    lay->addLayout(row);
}

QString ProblemTable::text() const
{
    QStringList lines;
    lines.reserve(m_problems.size());
    for (const FormatProblem &p : m_problems)
        lines << p.toString();
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void ProblemTable::copyToClipboard() const
{
    QApplication::clipboard()->setText(text());
}

// ---------------------------------------------------------------------------

ProblemsDialog::ProblemsDialog(const QVector<FormatProblem> &problems, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("datasetProblems"));
    setWindowTitle(tr("Problems in the Dataset"));
    resize(820, 440);
    auto *lay = new QVBoxLayout(this);
    auto *head = new QLabel(tr("%n item(s) of the dataset cannot be imported as they are. "
                               "Skip them and import the rest, or abort and leave the project "
                               "unchanged.",
                               nullptr, int(problems.size())),
                            this);
    head->setWordWrap(true);
    lay->addWidget(head);
    m_problems = new ProblemTable(problems, this);
    lay->addWidget(m_problems, 1);
    auto *box = new QDialogButtonBox(this);
    m_skip =
        box->addButton(tr("&Skip These Items and Import the Rest"), QDialogButtonBox::AcceptRole);
    m_skip->setObjectName(QStringLiteral("skipProblems"));
    m_abort = box->addButton(tr("&Abort Import (Change Nothing)"), QDialogButtonBox::RejectRole);
    m_abort->setObjectName(QStringLiteral("abortImport"));
    // Enter must not skip by accident: aborting changes nothing.
    m_abort->setDefault(true);
    m_abort->setFocus();
    connect(box, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    lay->addWidget(box);
}

// ---------------------------------------------------------------------------

QString DatasetReportDialog::summary(const DatasetImportReport &r)
{
    QString s = tr("Imported %n image(s)", nullptr, r.imagesAdded);
    if (r.imagesPresent > 0)
        s += tr(" (%n already in the project)", nullptr, r.imagesPresent);
    s += tr(", %n shape(s)", nullptr, r.boxes + r.polygons + r.masks);
    s += tr(", %n label(s)", nullptr, r.labelsAdded);
    if (!r.skipped.isEmpty())
        s += tr("; %n item(s) skipped", nullptr, int(r.skipped.size()));
    if (!r.warnings.isEmpty())
        s += tr("; %n warning(s)", nullptr, int(r.warnings.size()));
    return s + QLatin1Char('.');
}

QString DatasetReportDialog::summary(const DatasetExportReport &r)
{
    QString s = tr("Exported %n image(s)", nullptr, r.images);
    s += tr(", %n shape(s)", nullptr, r.boxes + r.polygons + r.masks);
    s += tr(", %n label(s)", nullptr, r.labels);
    if (!r.warnings.isEmpty())
        s += tr("; %n warning(s)", nullptr, int(r.warnings.size()));
    return s + QLatin1Char('.');
}

DatasetReportDialog::DatasetReportDialog(const DatasetImportReport &r, QWidget *parent)
    : QDialog(parent)
{
    build(tr("Dataset Import Report"), summary(r),
          {{QStringLiteral("format"), {tr("Format:"), -1}},
            {QStringLiteral("imagesInFile"), {tr("Images in the dataset:"), r.imagesInFile}},
             {QStringLiteral("imagesAdded"), {tr("Images added:"), r.imagesAdded}},
              {QStringLiteral("imagesPresent"), {tr("Images already present:"), r.imagesPresent}},
               {QStringLiteral("classesAdded"), {tr("Classes added:"), r.classesAdded}},
                {QStringLiteral("labelsAdded"), {tr("Image labels added:"), r.labelsAdded}},
                 {QStringLiteral("boxes"), {tr("Boxes added:"), r.boxes}},
                  {QStringLiteral("polygons"), {tr("Polygons added:"), r.polygons}},
                   {QStringLiteral("masks"), {tr("Masks added:"), r.masks}},
                    {QStringLiteral("shapesPresent"),
                                    {tr("Shapes already present:"), r.shapesPresent}},
                     {QStringLiteral("skipped"), {tr("Items skipped:"), r.skipped.size()}},
                      {QStringLiteral("warnings"), {tr("Warnings:"), r.warnings.size()}}},
                     r.seconds,
                     r.skipped,
                     r.warnings,
                     QString());
    if (auto *f = findChild<QLabel *>(QStringLiteral("format")))
        f->setText(formatName(r.format));
}

DatasetReportDialog::DatasetReportDialog(const DatasetExportReport &r, const QString &outDir,
                                         QWidget *parent)
    : QDialog(parent)
{
    build(tr("Dataset Export Report"), summary(r),
          {{QStringLiteral("format"), {tr("Format:"), -1}},
            {QStringLiteral("images"), {tr("Images:"), r.images}},
             {QStringLiteral("classes"), {tr("Classes:"), r.classes}},
              {QStringLiteral("labels"), {tr("Image labels:"), r.labels}},
               {QStringLiteral("boxes"), {tr("Boxes:"), r.boxes}},
                {QStringLiteral("polygons"), {tr("Polygons:"), r.polygons}},
                 {QStringLiteral("masks"), {tr("Masks:"), r.masks}},
                  {QStringLiteral("warnings"), {tr("Warnings:"), r.warnings.size()}}},
                 r.seconds,
                 {},
                 r.warnings,
                 outDir);
    if (auto *f = findChild<QLabel *>(QStringLiteral("format")))
        f->setText(formatName(r.format));
}

void DatasetReportDialog::build(const QString &title, const QString &summaryText,
                                const QVector<QPair<QString, QPair<QString, qint64>>> &counts,
                                double seconds, const QVector<FormatProblem> &skipped,
                                const QVector<FormatProblem> &warnings, const QString &outDir)
{
    setObjectName(QStringLiteral("datasetReport"));
    setWindowTitle(title);
    auto *lay = new QVBoxLayout(this);
    auto *head = new QLabel(summaryText, this);
    head->setObjectName(QStringLiteral("summary"));
    head->setWordWrap(true);
    QFont font = head->font();
    font.setPointSizeF(font.pointSizeF() * 1.1);
    head->setFont(font);
    lay->addWidget(head);

    auto *form = new QFormLayout;
    const QLocale loc;
    for (const auto &c : counts) {
        auto *value =
            new QLabel(c.second.second >= 0 ? loc.toString(c.second.second) : QString(), this);
        value->setObjectName(c.first);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(c.second.first, value);
    }
    if (seconds > 0) {
        auto *took = new QLabel(tr("%1 s").arg(loc.toString(seconds, 'f', 1)), this);
        took->setObjectName(QStringLiteral("seconds"));
        form->addRow(tr("Time:"), took);
    }
    if (!outDir.isEmpty()) {
        auto *where = new QLabel(QDir::toNativeSeparators(outDir), this);
        where->setObjectName(QStringLiteral("outDir"));
        where->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(tr("Folder:"), where);
    }
    lay->addLayout(form);

    if (!skipped.isEmpty() || !warnings.isEmpty()) {
        auto *tabs = new QTabWidget(this);
        if (!skipped.isEmpty()) {
            auto *t = new ProblemTable(skipped, tabs);
            t->setObjectName(QStringLiteral("skippedTable"));
            tabs->addTab(t, tr("Skipped (%1)").arg(skipped.size()));
        }
        if (!warnings.isEmpty()) {
            auto *t = new ProblemTable(warnings, tabs);
            t->setObjectName(QStringLiteral("warningsTable"));
            tabs->addTab(t, tr("Warnings (%1)").arg(warnings.size()));
        }
        lay->addWidget(tabs, 1);
        resize(820, 560);
    } else {
        lay->addStretch(1);
        resize(460, sizeHint().height());
    }

    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    if (!outDir.isEmpty()) {
        QPushButton *open = box->addButton(tr("&Open Folder"), QDialogButtonBox::ActionRole);
        open->setObjectName(QStringLiteral("openFolder"));
        connect(open, &QPushButton::clicked, this,
                [outDir]() { QDesktopServices::openUrl(QUrl::fromLocalFile(outDir)); });
    }
    box->button(QDialogButtonBox::Close)->setDefault(true);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::accept);
    lay->addWidget(box);
}

QString DatasetReportDialog::count(const QString &name) const
{
    const auto *l = findChild<QLabel *>(name);
    return l ? l->text() : QString();
}

} // namespace salient
