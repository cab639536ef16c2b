// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/classpanel.h"

#include "core/commands/editcommands.h"
#include "core/models/classlistmodel.h"
#include "widgets/icons.h"
#include "widgets/prompter.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace salient {

namespace {

/// One row: [swatch] name ........ count [key]
class ClassDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return {160, option.fontMetrics.height() + 12};
    }

    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.icon = QIcon();
        // Background and selection from the style, the rest painted here.
        option.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, option.widget);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        const QRect r = option.rect.adjusted(8, 0, -8, 0);
        const QColor c = index.data(ClassListModel::ColorRole).value<QColor>();
        const int s = 14;
        const QRectF sw(r.left(), r.center().y() - s / 2.0 + 0.5, s, s);
        p->setPen(c.darker(140));
        p->setBrush(c);
        p->drawRoundedRect(sw, 3, 3);

        const bool selected = option.state & QStyle::State_Selected;
        const QColor text =
            option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
        const QFontMetrics fm(option.font);
        const int key = index.data(ClassListModel::ShortcutRole).toInt();
        int right = r.right();
        if (key > 0) {
            const QRect keyBox(right - 18, r.center().y() - 9, 18, 18);
            QColor kb = text;
            kb.setAlpha(110);
            p->setPen(QPen(kb, 1));
            p->setBrush(Qt::NoBrush);
            p->drawRoundedRect(QRectF(keyBox).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
            p->setPen(text);
            p->drawText(keyBox, Qt::AlignCenter, QString::number(key));
            right = keyBox.left() - 8;
        }
        const QString count =
            QLocale().toString(index.data(ClassListModel::CountRole).toLongLong());
        const int cw = fm.horizontalAdvance(count);
        QColor dim = text;
        dim.setAlpha(170);
        p->setPen(dim);
        p->drawText(QRect(right - cw, r.top(), cw, r.height()), Qt::AlignVCenter | Qt::AlignRight,
                    count);
        right -= cw + 10;
        p->setPen(text);
        const QRect nameRect(int(sw.right()) + 8, r.top(), right - int(sw.right()) - 8, r.height());
        p->drawText(nameRect, Qt::AlignVCenter | Qt::AlignLeft,
                    fm.elidedText(index.data(ClassListModel::NameRole).toString(), Qt::ElideRight,
                                  nameRect.width()));
        p->restore();
    }

    void setEditorData(QWidget *editor, const QModelIndex &index) const override
    {
        if (auto *line = qobject_cast<QLineEdit *>(editor))
            line->setText(index.data(ClassListModel::NameRole).toString());
    }

    void updateEditorGeometry(QWidget *editor, const QStyleOptionViewItem &option,
                              const QModelIndex &) const override
    {
        editor->setGeometry(option.rect.adjusted(28, 2, -60, -2));
    }
};

} // namespace

ClassPanel::ClassPanel(QWidget *parent) : QWidget(parent)
{
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->setSpacing(4);
    m_view = new QListView(this);
    m_view->setItemDelegate(new ClassDelegate(m_view));
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setUniformItemSizes(true);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setTextElideMode(Qt::ElideRight);
    setMinimumWidth(200);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ClassPanel::showMenu);

    m_add = new QAction(icon(QStringLiteral("class-add")), tr("&Add Class…"), this);
    m_rename = new QAction(icon(QStringLiteral("rename")), tr("&Rename"), this);
    m_recolor = new QAction(icon(QStringLiteral("color")), tr("Re&colour…"), this);
    m_merge = new QAction(icon(QStringLiteral("merge")), tr("&Merge Into…"), this);
    m_delete = new QAction(icon(QStringLiteral("delete")), tr("&Delete…"), this);
    m_showOnly = new QAction(icon(QStringLiteral("filter")), tr("&Show Only This Class"), this);
    m_add->setToolTip(tr("Add a class"));
    m_rename->setToolTip(tr("Rename the selected class (F2)"));
    m_recolor->setToolTip(tr("Change the colour of the selected class"));
    m_merge->setToolTip(tr("Move every label of the selected class onto another class"));
    m_delete->setToolTip(tr("Delete the selected class and its labels"));
    connect(m_add, &QAction::triggered, this, &ClassPanel::addClass);
    connect(m_rename, &QAction::triggered, this, &ClassPanel::renameCurrent);
    connect(m_recolor, &QAction::triggered, this, &ClassPanel::recolorCurrent);
    connect(m_merge, &QAction::triggered, this, &ClassPanel::mergeCurrent);
    connect(m_delete, &QAction::triggered, this, &ClassPanel::deleteCurrent);
    connect(m_showOnly, &QAction::triggered, this,
            [this]() { Q_EMIT filterRequested(currentClassId()); });

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(2);
    for (QAction *a : {m_add, m_rename, m_recolor, m_merge, m_delete}) {
        auto *b = new QToolButton(this);
        b->setDefaultAction(a);
        b->setAutoRaise(true);
        b->setIconSize(QSize(18, 18));
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    lay->addWidget(m_view, 1);
    lay->addLayout(buttons);
    setModel(nullptr, nullptr);
}

Prompter &ClassPanel::prompter() const
{
    return m_prompter ? *m_prompter : Prompter::standard();
}

void ClassPanel::setModel(ClassListModel *model, EditCommands *commands)
{
    m_model = model;
    m_commands = commands;
    QItemSelectionModel *oldSelection = m_view->selectionModel();
    m_view->setModel(model); // a new selection model each time; the old one is ours to delete
    delete oldSelection;
    if (model) {
        connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &ClassPanel::updateButtons);
        connect(model, &QAbstractItemModel::modelReset, this, &ClassPanel::updateButtons);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &ClassPanel::updateButtons);
    }
    updateButtons();
}

qint64 ClassPanel::currentClassId() const
{
    const QModelIndex cur = m_view->currentIndex();
    return (m_model && cur.isValid()) ? m_model->idAt(cur.row()) : 0;
}

void ClassPanel::selectClass(qint64 id)
{
    if (!m_model)
        return;
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
}

void ClassPanel::updateButtons()
{
    const bool have = m_commands != nullptr;
    const bool current = have && currentClassId() != 0;
    m_add->setEnabled(have);
    for (QAction *a : {m_rename, m_recolor, m_delete, m_showOnly})
        a->setEnabled(current);
    m_merge->setEnabled(current && m_model && m_model->rowCount() > 1);
}

void ClassPanel::showMenu(const QPoint &pos)
{
    QMenu menu(this);
    menu.addAction(m_add);
    menu.addSeparator();
    menu.addAction(m_rename);
    menu.addAction(m_recolor);
    menu.addAction(m_merge);
    menu.addAction(m_delete);
    menu.addSeparator();
    menu.addAction(m_showOnly);
    menu.addAction(tr("Show &All Images"), this, [this]() { Q_EMIT filterRequested(0); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

void ClassPanel::addClass()
{
    if (!m_commands)
        return;
    const auto name = prompter().text(this, tr("Add Class"), tr("Name of the new class:"));
    if (!name || name->trimmed().isEmpty())
        return;
    const qint64 id = m_commands->addClass(name->trimmed());
    if (id > 0)
        selectClass(id);
}

void ClassPanel::renameCurrent()
{
    const QModelIndex cur = m_view->currentIndex();
    if (cur.isValid())
        m_view->edit(cur);
}

void ClassPanel::recolorCurrent()
{
    const qint64 id = currentClassId();
    if (!id || !m_commands)
        return;
    const QModelIndex cur = m_view->currentIndex();
    const QColor was = cur.data(ClassListModel::ColorRole).value<QColor>();
    const QColor c = prompter().chooseColor(
        this, tr("Colour of “%1”").arg(cur.data(ClassListModel::NameRole).toString()), was);
    if (c.isValid() && c != was)
        m_commands->recolorClass(id, c);
}

void ClassPanel::mergeCurrent()
{
    const qint64 from = currentClassId();
    if (!from || !m_commands)
        return;
    QStringList names;
    QVector<qint64> ids;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->idAt(row) == from)
            continue;
        ids.append(m_model->idAt(row));
        names.append(m_model->index(row, 0).data(ClassListModel::NameRole).toString());
    }
    if (ids.isEmpty())
        return;
    const QString fromName = m_view->currentIndex().data(ClassListModel::NameRole).toString();
    const auto pick = prompter().chooseItem(
        this, tr("Merge Class"),
        tr("Move every label of “%1” onto this class, then remove “%1”:").arg(fromName), names);
    if (!pick || *pick < 0 || *pick >= ids.size())
        return;
    if (m_commands->mergeClasses(from, ids.at(*pick)))
        selectClass(ids.at(*pick));
}

void ClassPanel::deleteCurrent()
{
    const qint64 id = currentClassId();
    if (!id || !m_commands)
        return;
    const QModelIndex cur = m_view->currentIndex();
    const QString name = cur.data(ClassListModel::NameRole).toString();
    const qint64 count = cur.data(ClassListModel::CountRole).toLongLong();
    const QString text = count > 0 ? tr("Delete the class “%1”? %n image(s) will lose this label.",
                                        nullptr, int(count))
                                         .arg(name)
                                   : tr("Delete the class “%1”? No image carries it.").arg(name);
    if (!prompter().confirm(this, tr("Delete Class"), text))
        return;
    m_commands->deleteClass(id);
}

} // namespace salient
