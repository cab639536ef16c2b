// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/tagbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace salient {

TagBar::TagBar(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("tagBar"));
    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(8, 4, 8, 4);
    m_layout->setSpacing(4);
    m_title = new QLabel(tr("Image tags:"), this);
    m_title->setToolTip(tr("Labels of the whole image (click a chip to toggle it)"));
    m_layout->addWidget(m_title);
    m_layout->addStretch(1);
}

void TagBar::setClasses(const QVector<ClassRecord> &classes)
{
    const QVector<qint64> checked = tags();
    qDeleteAll(m_chips);
    m_chips.clear();
    m_order.clear();
    for (const ClassRecord &c : classes) {
        auto *b = new QToolButton(this);
        b->setText(c.name);
        b->setCheckable(true);
        b->setAutoRaise(false);
        b->setCursor(Qt::PointingHandCursor);
        b->setToolTip(tr("Toggle the image tag “%1”").arg(c.name));
        const QColor fg = c.color.lightnessF() > 0.6 ? QColor(Qt::black) : QColor(Qt::white);
        // Unchecked: an outline in the class colour; checked: filled.
        b->setStyleSheet(QStringLiteral(
            "QToolButton { border: 1px solid %1; border-radius: 9px; padding: 1px 8px; }"
            "QToolButton:checked { background: %1; color: %2; }")
                .arg(c.color.name(), fg.name()));
        connect(b, &QToolButton::clicked, this, [this, id = c.id]() { Q_EMIT tagToggled(id); });
        m_layout->insertWidget(m_layout->count() - 1, b);
        m_chips.insert(c.id, b);
        m_order.append(c.id);
    }
    setTags(checked);
}

void TagBar::setTags(const QVector<qint64> &classIds)
{
    for (auto it = m_chips.begin(); it != m_chips.end(); ++it)
        (*it)->setChecked(classIds.contains(it.key()));
}

QVector<qint64> TagBar::tags() const
{
    QVector<qint64> ids;
    for (qint64 id : m_order)
        if (m_chips.value(id)->isChecked())
            ids.append(id);
    return ids;
}

} // namespace salient
