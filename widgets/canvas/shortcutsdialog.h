// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QList>
#include <QPair>

class QAction;
class QLineEdit;
class QTreeWidget;

namespace salient {

class CanvasTool;

/// Lists every keyboard shortcut, generated from the actions and tools
/// themselves (their QKeySequences and texts), so the list cannot drift from
/// what the keys do. Sections keep the order they were added; a filter
/// field narrows by key or description.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget *parent = nullptr);

    /// A section of actions; those without a shortcut are left out, as are
    /// actions already listed with the same keys (a menu and the canvas may share one).
    void addActions(const QString &section, const QList<QAction *> &actions);
    /// The tools' own keys and the clicks they understand.
    void addTools(const QString &section, const QList<CanvasTool *> &tools);
    /// Rows given as text (keys as shown, description).
    void addRows(const QString &section, const QList<QPair<QString, QString>> &rows);

    /// Every row as "keys\tdescription" (tests).
    QStringList rows() const;
    QTreeWidget *tree() const { return m_tree; }

private:
    void addRow(const QString &section, const QString &keys, const QString &text);
    void applyFilter(const QString &text);

    QLineEdit *m_filter;
    QTreeWidget *m_tree;
    QStringList m_seen; ///< "keys\ttext" already listed
};

} // namespace salient
