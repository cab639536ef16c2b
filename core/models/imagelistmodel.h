// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QAbstractListModel>
#include <QCache>
#include <QImage>
#include <QVector>

namespace salient {

class ProjectStore;
class Thumbnailer;

/// The images of a project that pass a filter, ordered by path, as a list
/// model for the thumbnail grid. Holds only the ids of all rows; records are
/// fetched from the store in pages when a row is first shown and kept in a
/// bounded cache, so 100,000 images cost a few MB. Thumbnails come from the
/// Thumbnailer (placeholder until ready). Reacts to the store's signals.
///
/// Updates keep the view's selection and scroll position where they can:
/// when a change (labels under a label filter, status/split/path under any
/// filter, an import or removal) alters the set of rows, the id query runs
/// again and the difference is signalled as row removals and insertions.
/// Only when rows that stay change their order (a relink), or the change is
/// scattered over more than kMaxIncrementalRuns runs, is the model reset.
/// A filter change (setFilter) is always a reset.
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
        ThumbnailReadyRole, ///< bool: DecorationRole holds the real thumbnail
        ThumbnailFailedRole ///< bool: no thumbnail can be made (unreadable, or the decode failed)
    };

    /// Rows fetched around a missing row in one go (two queries).
    static constexpr int kPageSize = 256;
    /// Rows whose record is kept in memory; the id list itself is always whole.
    static constexpr int kRowCacheLimit = 4096;
    /// Above this many separate runs of inserted or removed rows, one reset is cheaper.
    static constexpr int kMaxIncrementalRuns = 256;
    /// Up to this many changed images, a status or split change checks the
    /// order around them instead of re-reading every id.
    static constexpr int kMaxLocalOrderChecks = 64;

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

    /// Records held in the row cache now (never above kRowCacheLimit).
    int cachedRowCount() const { return m_rows.size(); }
    /// Store queries made to fill the row cache so far (tests, benchmarks).
    int pageFetches() const { return m_pageFetches; }
    /// The grey tile shown until a thumbnail is ready, side x side.
    QImage placeholder() const;
    /// The tile with a cross shown for unreadable images.
    QImage brokenPlaceholder() const;

Q_SIGNALS:
    /// The store refused a query; the model shows what it had.
    void loadFailed(const QString &message);

private:
    struct Row {
        ImageRecord record;
        QVector<qint64> labelIds;
    };
    const Row *rowData(int row) const;
    void fetchPage(int row) const;
    /// Updates the rows to `ids` with insert/remove signals where the order
    /// allows it (keeps the view's selection and scroll), else one reset.
    void refreshIds(const QVector<qint64> &ids);
    void requery();
    /// Drops the id -> row index; rowOf() builds it again on first use (a grid
    /// that is only scrolled never needs it, and opening 100,000 rows skips it).
    void rebuildRowIndex();
    void loadClassInfo();
    void loadSplitNames();
    void emitChangedRows(const QVector<qint64> &ids, const QVector<int> &roles = {});
    void onLabelsChanged(const QVector<qint64> &ids);
    void onImagesChanged(const QVector<qint64> &ids);
    void onClassesChanged();
    void onSplitsChanged();
    void onThumbnail(qint64 id);
    void onThumbnailFailed(qint64 id);
    bool filterUsesLabels() const;
    bool filterUsesImageFields() const;
    /// True when each changed image still sorts between its neighbours (and so
    /// every row keeps its place); false when unsure.
    bool orderUnchanged(const QVector<qint64> &ids) const;
    QString toolTip(const Row &row) const;

    ProjectStore *m_store;
    Thumbnailer *m_thumbnailer;
    ImageFilter m_filter;
    QVector<qint64> m_ids;
    mutable QHash<qint64, int> m_rowOfId;
    mutable bool m_rowIndexBuilt = false;
    bool m_rowIndexStale = false;       ///< true while refreshIds() moves rows
    mutable QCache<qint64, Row> m_rows; ///< by image id, bounded
    mutable QHash<qint64, QString> m_splitNames;
    mutable QHash<qint64, QPair<QString, QColor>> m_classInfo;
    mutable int m_pageFetches = 0;
    mutable QImage m_placeholder;       ///< made once, on first use
    mutable QImage m_brokenPlaceholder;
};

} // namespace salient
