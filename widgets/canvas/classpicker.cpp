// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/classpicker.h"
#include "widgets/icons.h"

#include <QKeyEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QVBoxLayout>

namespace salient {


ClassPicker::ClassPicker(QWidget *parent) : QFrame(parent, Qt::Popup)
{
    setObjectName(QStringLiteral("classPicker"));
    setFrameShape(QFrame::StyledPanel);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(6, 6, 6, 6);
    lay->setSpacing(4);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Find a class…"));
    m_filter->setClearButtonEnabled(true);
    m_list = new QListWidget(this);
    m_list->setUniformItemSizes(true);
    lay->addWidget(m_filter);
    lay->addWidget(m_list);
    resize(260, 300);
    m_filter->installEventFilter(this);
    connect(m_filter, &QLineEdit::textChanged, this, &ClassPicker::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, &ClassPicker::pickCurrent);
    connect(m_list, &QListWidget::itemActivated, this, &ClassPicker::pickCurrent);
    connect(m_list, &QListWidget::itemClicked, this, &ClassPicker::pickCurrent);
}

void ClassPicker::setClasses(const QVector<ClassRecord> &classes, qint64 currentId)
{
    m_classes = classes;
    m_list->clear();
    for (int i = 0; i < classes.size(); ++i) {
        const QString text = i < 9 ? QStringLiteral("%1   %2").arg(i + 1).arg(classes[i].name)
                                   : QStringLiteral("     %1").arg(classes[i].name);
        auto *item = new QListWidgetItem(colorSwatch(classes[i].color), text, m_list);
        item->setData(Qt::UserRole, classes[i].id);
        item->setData(Qt::UserRole + 1, classes[i].name);
        if (classes[i].id == currentId)
            m_list->setCurrentItem(item);
    }
    if (!m_list->currentItem() && m_list->count())
        m_list->setCurrentRow(0);
    applyFilter(m_filter->text());
}

void ClassPicker::popup(const QPoint &globalPos)
{
    m_filter->clear();
    move(globalPos);
    show();
    raise();
    activateWindow();
    m_filter->setFocus(Qt::PopupFocusReason);
}

QVector<qint64> ClassPicker::shownIds() const
{
    QVector<qint64> ids;
    for (int i = 0; i < m_list->count(); ++i)
        if (!m_list->item(i)->isHidden())
            ids.append(m_list->item(i)->data(Qt::UserRole).toLongLong());
    return ids;
}

void ClassPicker::applyFilter(const QString &text)
{
    QListWidgetItem *first = nullptr;
    for (int i = 0; i < m_list->count(); ++i) {
        QListWidgetItem *item = m_list->item(i);
        const bool match =
            item->data(Qt::UserRole + 1).toString().contains(text.trimmed(), Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && !first)
            first = item;
    }
    if (first && (!m_list->currentItem() || m_list->currentItem()->isHidden()))
        m_list->setCurrentItem(first);
    if (!text.isEmpty() && first)
        m_list->setCurrentItem(first); // typing picks the best (first) match
}

void ClassPicker::pickCurrent()
{
    QListWidgetItem *item = m_list->currentItem();
    if (!item || item->isHidden())
        return;
    const qint64 id = item->data(Qt::UserRole).toLongLong();
    hide();
    Q_EMIT classPicked(id);
}

bool ClassPicker::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        auto *ke = static_cast<QKeyEvent *>(event);
        if (ke->key() == Qt::Key_Down || ke->key() == Qt::Key_Up) {
            int row = m_list->currentRow();
            const int step = ke->key() == Qt::Key_Down ? 1 : -1;
            for (int r = row + step; r >= 0 && r < m_list->count(); r += step)
                if (!m_list->item(r)->isHidden()) {
                    m_list->setCurrentRow(r);
                    break;
                }
            return true;
        }
        if (ke->key() == Qt::Key_Escape) {
            hide();
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

} // namespace salient
