// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/classlistmodel.h"

#include "core/commands/editcommands.h"
#include "core/project/store.h"

namespace salient {

namespace {
constexpr int kShortcutKeys = 9; // keys 1-9 label with the first nine classes
}

ClassListModel::ClassListModel(ProjectStore *store, EditCommands *commands, QObject *parent)
    : QAbstractListModel(parent), m_store(store), m_commands(commands)
{
    if (m_store) {
        connect(m_store, &ProjectStore::classesChanged, this, &ClassListModel::onClassesChanged);
        // Counts follow every label change, and image removal takes labels with it.
        connect(m_store, &ProjectStore::labelsChanged, this, [this] { refreshCounts(); });
        connect(m_store, &ProjectStore::imagesRemoved, this, [this] { refreshCounts(); });
        connect(m_store, &ProjectStore::imagesAdded, this, [this] { refreshCounts(); });
    }
    reload();
}

int ClassListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_classes.size());
}

QVariant ClassListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ClassRecord &c = m_classes.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
    case NameRole:
        return c.name;
    case Qt::DecorationRole: // a QColor decoration is drawn as a small swatch
    case ColorRole:
        return c.color;
    case Qt::ToolTipRole:
        return tr("%1: %n image(s)", nullptr, int(m_counts.value(c.id))).arg(c.name);
    case IdRole:
        return c.id;
    case CountRole:
        return m_counts.value(c.id);
    case ShortcutRole:
        return index.row() < kShortcutKeys ? index.row() + 1 : 0;
    default:
        return {};
    }
}

bool ClassListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!m_commands
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const qint64 id = m_classes.at(index.row()).id;
    // Edits go through the undo stack; the store's classesChanged updates the row.
    if (role == Qt::EditRole || role == NameRole)
        return m_commands->renameClass(id, value.toString());
    if (role == ColorRole || role == Qt::DecorationRole) {
        const QColor color = value.value<QColor>();
        return color.isValid() && m_commands->recolorClass(id, color);
    }
    return false;
}

Qt::ItemFlags ClassListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (m_commands)
        f |= Qt::ItemIsEditable;
    return f;
}

QHash<int, QByteArray> ClassListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "classId");
    names.insert(NameRole, "name");
    names.insert(ColorRole, "color");
    names.insert(CountRole, "count");
    names.insert(ShortcutRole, "shortcut");
    return names;
}

qint64 ClassListModel::idAt(int row) const
{
    return row >= 0 && row < m_classes.size() ? m_classes.at(row).id : 0;
}

int ClassListModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_classes.size(); ++row) {
        if (m_classes.at(row).id == id)
            return row;
    }
    return -1;
}

void ClassListModel::reload()
{
    QVector<ClassRecord> classes;
    if (m_store) {
        auto result = m_store->classes();
        if (result.ok())
            classes = std::move(result.value());
        else
            qWarning("ClassListModel: %s", qPrintable(result.error().toString()));
    }
    beginResetModel();
    m_classes = std::move(classes);
    m_counts.clear();
    if (m_store) {
        auto counts = m_store->classImageCounts();
        if (counts.ok())
            m_counts = std::move(counts.value());
    }
    endResetModel();
}

void ClassListModel::onClassesChanged()
{
    if (!m_store)
        return;
    auto result = m_store->classes();
    if (!result.ok()) {
        qWarning("ClassListModel: %s", qPrintable(result.error().toString()));
        return;
    }
    const QVector<ClassRecord> &classes = result.value();
    bool sameRows = classes.size() == m_classes.size();
    for (int row = 0; sameRows && row < classes.size(); ++row)
        sameRows = classes.at(row).id == m_classes.at(row).id;
    if (!sameRows) {
        // Added, removed or reordered: a reset (the class list is short).
        reload();
        return;
    }
    // Rename or recolour: the rows stay, so the panel keeps its selection.
    m_classes = classes;
    refreshCounts();
    if (!m_classes.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_classes.size()) - 1));
}

void ClassListModel::refreshCounts()
{
    if (!m_store)
        return;
    auto counts = m_store->classImageCounts();
    if (!counts.ok()) {
        qWarning("ClassListModel: %s", qPrintable(counts.error().toString()));
        return;
    }
    if (counts.value() == m_counts)
        return;
    m_counts = std::move(counts.value());
    if (!m_classes.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_classes.size()) - 1),
                           {CountRole, Qt::ToolTipRole});
}

} // namespace salient
