// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>

#include <optional>

class QWidget;

namespace salient {

/// Every question the GUI asks a person goes through here, so that tests
/// (and scripted runs) can answer the dialogs. The default implementation
/// shows the ordinary modal Qt dialogs.
class Prompter {
public:
    virtual ~Prompter() = default;
    /// Yes/no question; true when the person confirmed.
    virtual bool confirm(QWidget *parent, const QString &title, const QString &text);
    /// One of `items`, or nothing when cancelled.
    virtual std::optional<int> chooseItem(QWidget *parent, const QString &title,
                                          const QString &label, const QStringList &items);
    /// A colour, or an invalid one when cancelled.
    virtual QColor chooseColor(QWidget *parent, const QString &title, const QColor &initial);
    /// A line of text, or nothing when cancelled.
    virtual std::optional<QString> text(QWidget *parent, const QString &title, const QString &label,
                                        const QString &initial = {});
    /// An error the person has to see.
    virtual void error(QWidget *parent, const QString &title, const QString &text);

    /// The process-wide default (plain dialogs).
    static Prompter &standard();
};

} // namespace salient
