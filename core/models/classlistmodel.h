// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QAbstractListModel>
#include <QVector>

namespace salient {

class ProjectStore;
class EditCommands;

/// The project's classes in display order with live image counts. Editing
/// the name (EditRole) goes through EditCommands, so it is undoable.
class ClassListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        NameRole,   ///< QString
        ColorRole,  ///< QColor
        CountRole,  ///< qint64 images carrying the class
        ShortcutRole ///< int 1..9 for the first nine classes, else 0
    };

    ClassListModel(ProjectStore *store, EditCommands *commands, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;

    qint64 idAt(int row) const;
    int rowOf(qint64 id) const;
    const QVector<ClassRecord> &classes() const { return m_classes; }
    void reload();
    qint64 countOf(qint64 classId) const { return m_counts.value(classId); }

private:
    void refreshCounts();
    void onClassesChanged();
    ProjectStore *m_store;
    EditCommands *m_commands;
    QVector<ClassRecord> m_classes;
    QHash<qint64, qint64> m_counts;
};

} // namespace salient
