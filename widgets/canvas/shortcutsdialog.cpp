// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/shortcutsdialog.h"

#include "widgets/canvas/canvastool.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace salient {

ShortcutsDialog::ShortcutsDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    auto *lay = new QVBoxLayout(this);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter by key or action…"));
    m_filter->setClearButtonEnabled(true);
    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Keys"), tr("Action")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    lay->addWidget(m_filter);
    lay->addWidget(m_tree, 1);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    lay->addWidget(box);
    connect(m_filter, &QLineEdit::textChanged, this, &ShortcutsDialog::applyFilter);
    resize(640, 560);
}

void ShortcutsDialog::addRow(const QString &section, const QString &keys, const QString &text)
{
    const QString key = keys + QLatin1Char('\t') + text;
    if (m_seen.contains(key))
        return;
    m_seen.append(key);
    QTreeWidgetItem *parent = nullptr;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        if (m_tree->topLevelItem(i)->text(0) == section)
            parent = m_tree->topLevelItem(i);
    if (!parent) {
        parent = new QTreeWidgetItem(m_tree, {section});
        QFont bold = parent->font(0);
        bold.setBold(true);
        parent->setFont(0, bold);
        parent->setFirstColumnSpanned(true);
        parent->setExpanded(true);
        parent->setFlags(Qt::ItemIsEnabled);
    }
    new QTreeWidgetItem(parent, {keys, text});
    m_tree->resizeColumnToContents(0);
}

void ShortcutsDialog::addActions(const QString &section, const QList<QAction *> &actions)
{
    for (QAction *a : actions) {
        if (!a || a->shortcuts().isEmpty() || !a->isVisible())
            continue;
        QStringList keys;
        for (const QKeySequence &k : a->shortcuts())
            keys.append(k.toString(QKeySequence::NativeText));
        QString text = a->text();
        text.remove(QLatin1Char('&'));
        text.remove(QStringLiteral("…"));
        addRow(section, keys.join(QStringLiteral(", ")), text);
    }
}

void ShortcutsDialog::addTools(const QString &section, const QList<CanvasTool *> &tools)
{
    for (CanvasTool *t : tools)
        addRow(section, t->shortcut().toString(QKeySequence::NativeText),
               tr("%1 tool").arg(t->name()));
    for (CanvasTool *t : tools)
        for (const auto &row : t->keyHelp())
            addRow(section, row.first, row.second);
}

void ShortcutsDialog::addRows(const QString &section, const QList<QPair<QString, QString>> &rows)
{
    for (const auto &row : rows)
        addRow(section, row.first, row.second);
}

QStringList ShortcutsDialog::rows() const
{
    return m_seen;
}

void ShortcutsDialog::applyFilter(const QString &text)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *section = m_tree->topLevelItem(i);
        int shown = 0;
        for (int j = 0; j < section->childCount(); ++j) {
            QTreeWidgetItem *row = section->child(j);
            const bool match = text.isEmpty() || row->text(0).contains(text, Qt::CaseInsensitive)
                               || row->text(1).contains(text, Qt::CaseInsensitive);
            row->setHidden(!match);
            shown += match;
        }
        section->setHidden(shown == 0);
    }
}

} // namespace salient
