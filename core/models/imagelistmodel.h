// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QAbstractListModel>
#include <QCache>
#include <QVector>

namespace salient {

class ProjectStore;
class Thumbnailer;

/// The images of a project that pass a filter, ordered by path, as a list
/// model for the thumbnail grid. Holds only the ids of all rows; records are
/// fetched from the store in pages when a row is first shown and kept in a
/// bounded cache, so 100,000 images cost a few MB. Thumbnails come from the
/// Thumbnailer (placeholder until ready). Reacts to the store's signals.
class ImageListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        PathRole,          ///< QString, as stored
        AbsolutePathRole,  ///< QString
        LabelsRole,        ///< QStringList of class names
        LabelIdsRole,      ///< QVariantList of qint64 class ids
        LabelColorsRole,   ///< QVariantList of QColor
        StatusRole,        ///< int (ImageStatus)
        SplitRole,         ///< QString split name, "" when none
        ReadableRole,      ///< bool
        ReasonRole,        ///< QString why unreadable
        SizeRole,          ///< QSize as displayed
        ThumbnailReadyRole ///< bool: DecorationRole holds the real thumbnail
    };

    ImageListModel(ProjectStore *store, Thumbnailer *thumbnailer, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setFilter(const ImageFilter &filter);
    ImageFilter filter() const { return m_filter; }

    qint64 idAt(int row) const;
    int rowOf(qint64 id) const;   ///< -1 when filtered out
    QVector<qint64> ids() const { return m_ids; }
    /// Re-reads the id list from the store (after an import, say).
    void reload();

private:
    struct Row {
        ImageRecord record;
        QStringList labelNames;
        QVariantList labelIds;
        QVariantList labelColors;
        QString splitName;
    };
    const Row *rowData(int row) const;
    void refreshIds(const QVector<qint64> &ids);
    void onLabelsChanged(const QVector<qint64> &ids);
    void onThumbnail(qint64 id);

    ProjectStore *m_store;
    Thumbnailer *m_thumbnailer;
    ImageFilter m_filter;
    QVector<qint64> m_ids;
    QHash<qint64, int> m_rowOfId;
    mutable QCache<qint64, Row> m_rows; ///< by image id, bounded
    mutable QHash<qint64, QString> m_splitNames;
    mutable QHash<qint64, QPair<QString, QColor>> m_classInfo;
};

} // namespace salient
