// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/prompter.h"

#include <QColorDialog>
#include <QInputDialog>
#include <QMessageBox>

namespace salient {

bool Prompter::confirm(QWidget *parent, const QString &title, const QString &text)
{
    return QMessageBox::question(parent, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                 QMessageBox::Cancel)
           == QMessageBox::Yes;
}

std::optional<int> Prompter::chooseItem(QWidget *parent, const QString &title, const QString &label,
                                        const QStringList &items)
{
    bool ok = false;
    const QString picked = QInputDialog::getItem(parent, title, label, items, 0, false, &ok);
    if (!ok)
        return std::nullopt;
    return items.indexOf(picked);
}

QColor Prompter::chooseColor(QWidget *parent, const QString &title, const QColor &initial)
{
    return QColorDialog::getColor(initial, parent, title);
}

std::optional<QString> Prompter::text(QWidget *parent, const QString &title, const QString &label,
                                      const QString &initial)
{
    bool ok = false;
    const QString t = QInputDialog::getText(parent, title, label, QLineEdit::Normal, initial, &ok);
    if (!ok)
        return std::nullopt;
    return t;
}

void Prompter::error(QWidget *parent, const QString &title, const QString &text)
{
    QMessageBox::warning(parent, title, text);
}

Prompter &Prompter::standard()
{
    static Prompter p;
    return p;
}

} // namespace salient
