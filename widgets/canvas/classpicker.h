// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QFrame>
#include <QVector>

class QLineEdit;
class QListWidget;

namespace salient {

/// A small searchable class list that pops up over the canvas (C or Ctrl+K):
/// type to filter (substring, any case), Up/Down to move, Enter to pick,
/// Esc to close. Numbers 1-9 are shown beside the first nine classes.
class ClassPicker : public QFrame {
    Q_OBJECT
public:
    explicit ClassPicker(QWidget *parent = nullptr);

    void setClasses(const QVector<ClassRecord> &classes, qint64 currentId = 0);
    /// Shows the picker with its top-left corner at a global position, focused.
    void popup(const QPoint &globalPos);
    QLineEdit *filterEdit() const { return m_filter; }
    QListWidget *list() const { return m_list; }
    /// Ids of the classes the filter shows, in order.
    QVector<qint64> shownIds() const;

Q_SIGNALS:
    void classPicked(qint64 classId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyFilter(const QString &text);
    void pickCurrent();

    QVector<ClassRecord> m_classes;
    QLineEdit *m_filter;
    QListWidget *m_list;
};

} // namespace salient
