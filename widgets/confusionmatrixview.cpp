// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/confusionmatrixview.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace salient {

using namespace salient::train;

namespace {

const QColor kRight(0x3b, 0x75, 0xaf);
const QColor kWrong(0xc0, 0x39, 0x2b);

/// White blended towards `to` by `share` (0..1).
QColor shade(const QColor &to, double share)
{
    const double t = qBound(0.0, share, 1.0);
    auto mix = [t](int a) { return int(255 + (a - 255) * t + 0.5); };
    return QColor(mix(to.red()), mix(to.green()), mix(to.blue()));
}

QStandardItem *numberItem(double value, int decimals)
{
    auto *item = new QStandardItem(value < 0 ? QStringLiteral("–")
                                             : QLocale().toString(value, 'f', decimals));
    item->setData(value, Qt::UserRole); // numeric sort
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

ConfusionMatrixView::ConfusionMatrixView(QWidget *parent)
    : QWidget(parent),
      m_caption(new QLabel(this)),
      m_summary(new QLabel(this)),
      m_matrix(new QTableView(this)),
      m_perClass(new QTableView(this)),
      m_matrixModel(new QStandardItemModel(this)),
      m_perClassModel(new QStandardItemModel(this))
{
    m_caption->setWordWrap(true);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_matrix->setModel(m_matrixModel);
    m_matrix->setObjectName(QStringLiteral("confusionMatrix"));
    m_matrix->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matrix->setSelectionMode(QAbstractItemView::SingleSelection);
    m_matrix->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_matrix->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrix->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrix->horizontalHeader()->setMinimumSectionSize(44);
    m_matrix->setCornerButtonEnabled(false);
    m_matrix->installEventFilter(this);
    m_matrix->setToolTip(tr("Rows: true class. Columns: predicted class."));
    connect(m_matrix, &QTableView::clicked, this, &ConfusionMatrixView::activate);

    m_perClass->setModel(m_perClassModel);
    m_perClass->setObjectName(QStringLiteral("perClassMetrics"));
    m_perClass->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_perClass->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_perClass->verticalHeader()->hide();
    m_perClass->setSortingEnabled(true);
    m_perClass->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_perClass->horizontalHeader()->setStretchLastSection(true);
    m_perClassModel->setSortRole(Qt::UserRole);
    // Rows as compact as the matrix's beside it.
    m_perClass->verticalHeader()->setDefaultSectionSize(m_perClass->fontMetrics().height() + 6);

    auto *left = new QWidget(this);
    auto *leftLay = new QVBoxLayout(left);
    leftLay->setContentsMargins(0, 0, 0, 0);
    auto *axes = new QLabel(tr("Rows: true class · columns: predicted class · click a cell to "
                               "show its images in the browser"),
                            left);
    axes->setWordWrap(true);
    axes->setForegroundRole(QPalette::PlaceholderText);
    leftLay->addWidget(axes);
    leftLay->addWidget(m_matrix, 1);

    // Side by side: the dock is wide and low.
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_perClass);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->addWidget(m_caption);
    lay->addWidget(m_summary);
    lay->addWidget(split, 1);
    clear();
}

void ConfusionMatrixView::clear(const QString &message)
{
    m_runId = 0;
    m_metrics = {};
    m_classNames.clear();
    m_caption->setText(message.isEmpty() ? tr("No evaluation yet: the matrix fills in after the "
                                              "first epoch, or pick a run in the Runs list.")
                                         : message);
    m_summary->clear();
    m_summary->hide();
    m_matrixModel->clear();
    m_perClassModel->clear();
}

void ConfusionMatrixView::setMetrics(qint64 runId, const EvalMetrics &metrics,
                                     const QStringList &classNames, RunRole role,
                                     const QString &caption)
{
    m_runId = runId;
    m_metrics = metrics;
    m_role = role;
    m_classNames = classNames;
    while (m_classNames.size() < metrics.numClasses)
        m_classNames << QString::number(m_classNames.size());
    m_caption->setText(QStringLiteral("<b>%1</b>").arg(caption.toHtmlEscaped()));
    const QLocale loc;
    QStringList parts;
    parts << (metrics.samples == 1 ? tr("1 image")
                                   : tr("%1 images").arg(loc.toString(metrics.samples)));
    parts << tr("accuracy %1%").arg(loc.toString(100.0 * metrics.accuracy, 'f', 1));
    parts << tr("macro-F1 %1").arg(loc.toString(metrics.macroF1, 'f', 3));
    if (metrics.macroAuc >= 0)
        parts << tr("macro AUC %1").arg(loc.toString(metrics.macroAuc, 'f', 3));
    parts << tr("calibration error %1").arg(loc.toString(metrics.ece, 'f', 3));
    if (metrics.loss >= 0)
        parts << tr("loss %1").arg(loc.toString(metrics.loss, 'f', 4));
    m_summary->setText(parts.join(QStringLiteral("  ·  ")));
    m_summary->show();
    fillMatrix();
    fillPerClass();
}

void ConfusionMatrixView::fillMatrix()
{
    // Keep the keyboard position across epochs.
    const QModelIndex was = m_matrix->currentIndex();
    const int wasRow = was.isValid() ? was.row() : -1;
    const int wasColumn = was.isValid() ? was.column() : -1;
    m_matrixModel->clear();
    const int n = m_metrics.numClasses;
    if (m_metrics.confusion.size() != n) {
        m_matrix->setToolTip(tr("A multi-label run has no confusion matrix; the table lists "
                                "each class."));
        return;
    }
    m_matrix->setToolTip(tr("Rows: true class. Columns: predicted class."));
    m_matrixModel->setRowCount(n);
    m_matrixModel->setColumnCount(n);
    m_matrixModel->setVerticalHeaderLabels(m_classNames.mid(0, n));
    m_matrixModel->setHorizontalHeaderLabels(m_classNames.mid(0, n));
    const QLocale loc;
    for (int t = 0; t < n; ++t) {
        const QVector<qint64> &row = m_metrics.confusion[t];
        qint64 total = 0;
        for (qint64 c : row)
            total += c;
        for (int p = 0; p < n && p < row.size(); ++p) {
            const qint64 count = row[p];
            const double share = total > 0 ? double(count) / double(total) : 0;
            auto *item = new QStandardItem(loc.toString(count));
            item->setTextAlignment(Qt::AlignCenter);
            const QColor bg = shade(t == p ? kRight : kWrong, share);
            item->setBackground(bg);
            item->setForeground(bg.lightnessF() < 0.55 ? Qt::white : Qt::black);
            item->setToolTip(
                tr("True “%1”, predicted “%2”: %n image(s) (%3% of “%1”)", nullptr, int(count))
                    .arg(m_classNames[t], m_classNames[p], loc.toString(100.0 * share, 'f', 1))
                + (count > 0 ? QStringLiteral("\n") + tr("Click or press Enter to show them in the browser")
                             : QString()));
            m_matrixModel->setItem(t, p, item);
        }
    }
    if (wasRow >= 0 && wasRow < n && wasColumn < n)
        m_matrix->setCurrentIndex(m_matrixModel->index(wasRow, wasColumn));
}

void ConfusionMatrixView::fillPerClass()
{
    m_perClassModel->clear();
    QStringList headers = {tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support"),
                           tr("AUC")};
    if (m_metrics.multiLabel)
        headers << tr("Threshold");
    m_perClassModel->setHorizontalHeaderLabels(headers);
    for (int c = 0; c < m_metrics.perClass.size(); ++c) {
        const ClassMetrics &m = m_metrics.perClass[c];
        auto *name = new QStandardItem(c < m_classNames.size() ? m_classNames[c] : QString::number(c));
        name->setData(name->text(), Qt::UserRole);
        QList<QStandardItem *> row = {name, numberItem(m.precision, 3), numberItem(m.recall, 3),
                                      numberItem(m.f1, 3), numberItem(double(m.support), 0),
                                      numberItem(m.auc, 3)};
        if (m_metrics.multiLabel)
            row << numberItem(m.threshold, 2);
        m_perClassModel->appendRow(row);
    }
    m_perClass->horizontalHeader()->setSortIndicatorShown(false);
}

void ConfusionMatrixView::activate(const QModelIndex &index)
{
    if (!index.isValid() || m_runId <= 0)
        return;
    Q_EMIT cellActivated(m_runId, index.row(), index.column());
}

bool ConfusionMatrixView::eventFilter(QObject *watched, QEvent *event)
{
    // Enter on the current cell does what a click does (not `activated`,
    // which a double-click would fire on top of its click).
    if (watched == m_matrix && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            activate(m_matrix->currentIndex());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace salient
