// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QListView>
#include <QStyledItemDelegate>
#include <QVector>

namespace salient {

class Thumbnailer;

/// Paints one grid cell: thumbnail (placeholder until ready), file name,
/// label chips in class colours, a status mark and an unreadable badge.
/// Reads everything from ImageListModel roles, so it costs nothing for rows
/// that are not on screen.
class ThumbnailDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit ThumbnailDelegate(QObject *parent = nullptr);

    void setThumbSize(int side) { m_side = side; }
    int thumbSize() const { return m_side; }
    QSize cellSize() const;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintThumbnail(QPainter *p, const QRect &box, const QModelIndex &index) const;
    void paintChips(QPainter *p, const QRect &row, const QModelIndex &index,
                    const QFont &font) const;
    int m_side = 128;
};

/// The dataset browser: a wrapping, uniformly sized list over ImageListModel.
/// Only the rows on screen are ever asked for data, so a 100,000-image
/// project opens at once. Emits openRequested() on Enter or double-click.
class ThumbnailGrid : public QListView {
    Q_OBJECT
public:
    explicit ThumbnailGrid(QWidget *parent = nullptr);

    /// The thumbnailer whose stale requests are dropped on fast scrolling.
    void setThumbnailer(Thumbnailer *thumbnailer) { m_thumbnailer = thumbnailer; }
    void setThumbSize(int side);
    int thumbSize() const { return m_delegate->thumbSize(); }
    static constexpr int kMinThumb = 64;
    static constexpr int kMaxThumb = 256;

    /// Image ids of the selected rows, in row order.
    QVector<qint64> selectedIds() const;
    /// Id of the current row, or 0.
    qint64 currentId() const;
    void selectId(qint64 id);

Q_SIGNALS:
    void openRequested(const QModelIndex &index);
    void selectionCountChanged(int count);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void selectionChanged(const QItemSelection &selected,
                          const QItemSelection &deselected) override;

private:
    void onScrolled(int value);

    ThumbnailDelegate *m_delegate; // owned by this view (Qt parent)
    Thumbnailer *m_thumbnailer = nullptr;
    int m_lastScroll = 0;
};

} // namespace salient
