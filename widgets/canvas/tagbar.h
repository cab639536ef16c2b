// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QHash>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QToolButton;

namespace salient {

/// The image-level tags of the annotated image as a row of chips, one per
/// class: a checked chip is a label of the image; clicking toggles it.
class TagBar : public QWidget {
    Q_OBJECT
public:
    explicit TagBar(QWidget *parent = nullptr);

    void setClasses(const QVector<ClassRecord> &classes);
    void setTags(const QVector<qint64> &classIds);
    QVector<qint64> tags() const;
    QToolButton *chip(qint64 classId) const { return m_chips.value(classId); }

Q_SIGNALS:
    void tagToggled(qint64 classId);

private:
    QHBoxLayout *m_layout;
    QLabel *m_title;
    QHash<qint64, QToolButton *> m_chips;
    QVector<qint64> m_order;
};

} // namespace salient
