// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QListView>
#include <QPixmap>
#include <QStyledItemDelegate>

namespace salient {

class ProjectStore;
class Thumbnailer;
class ReviewGallery;

/// One review cell: the thumbnail with a correct / wrong mark and the
/// verdict badge, then the prediction with its confidence and the truth.
/// Reads ReviewListModel roles only.
class ReviewDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit ReviewDelegate(ReviewGallery *gallery);

    static constexpr int kSide = 88;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

private:
    ReviewGallery *m_gallery;
};

/// The review gallery over a ReviewListModel: a wrapping grid, thumbnails
/// from the studio's Thumbnailer (placeholders until they are ready).
class ReviewGallery : public QListView {
    Q_OBJECT
public:
    explicit ReviewGallery(QWidget *parent = nullptr);

    /// Both may be null (no project, or no thumbnails: placeholders only).
    void setSource(ProjectStore *store, Thumbnailer *thumbnailer);
    /// The thumbnail of an image fitted to the cell, or a null pixmap while it is made.
    QPixmap thumbnail(qint64 imageId) const;
    /// Drops cached pixmaps (another run, another project).
    void clearCache();
    qint64 currentImageId() const;
    void selectImage(qint64 imageId);

private:
    void onThumbnail(qint64 id, const QImage &image);

    struct Source {
        QString path;
        QByteArray hash;
        int orientation = 1;
    };
    ProjectStore *m_store = nullptr;
    Thumbnailer *m_thumbnailer = nullptr;
    mutable QHash<qint64, Source> m_sources; ///< read once per image from the store
    mutable QHash<qint64, QPixmap> m_pixmaps;
};

/// The colour a verdict is shown in (badges, buttons, summary).
QColor verdictColour(int verdict);
/// Short translated name of a verdict ("Plausible"...; "Unreviewed").
QString verdictLabel(int verdict);

} // namespace salient
