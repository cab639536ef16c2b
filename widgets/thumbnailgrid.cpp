// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/thumbnailgrid.h"

#include "core/imaging/thumbnailer.h"
#include "core/models/imagelistmodel.h"
#include "core/project/types.h"

#include <QApplication>
#include <QFileInfo>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPixmapCache>
#include <QScrollBar>

namespace salient {

namespace {
constexpr int kPad = 6;
constexpr int kChipH = 16;

QColor statusColor(int status)
{
    switch (static_cast<ImageStatus>(status)) {
    case ImageStatus::InProgress:
        return QColor(0xE6, 0xA2, 0x17);
    case ImageStatus::Done:
        return QColor(0x2E, 0xA0, 0x43);
    case ImageStatus::NeedsReview:
        return QColor(0xD9, 0x3F, 0x3F);
    case ImageStatus::New:
        break;
    }
    return {};
}

// Text colour readable on a chip of colour c.
QColor onColor(const QColor &c)
{
    return qGray(c.rgb()) > 150 ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white);
}
} // namespace

ThumbnailDelegate::ThumbnailDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

QSize ThumbnailDelegate::cellSize() const
{
    const QFontMetrics fm(QApplication::font());
    return {m_side + 2 * kPad, m_side + 3 * kPad + fm.height() + kChipH + 4};
}

QSize ThumbnailDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return cellSize();
}

void ThumbnailDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QRect cell = option.rect.adjusted(2, 2, -2, -2);
    const QPalette &pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const bool hovered = option.state & QStyle::State_MouseOver;

    if (selected || hovered) {
        QColor bg = pal.color(QPalette::Highlight);
        bg.setAlpha(selected ? 70 : 25);
        p->setPen(selected ? QPen(pal.color(QPalette::Highlight), 1.5) : Qt::NoPen);
        p->setBrush(bg);
        p->drawRoundedRect(QRectF(cell).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    }

    const QRect box(cell.left() + kPad - 2, cell.top() + kPad - 2, m_side, m_side);
    paintThumbnail(p, box, index);

    // Status mark: a dot in the top-right corner; "new" has none.
    const QColor sc = statusColor(index.data(ImageListModel::StatusRole).toInt());
    if (sc.isValid()) {
        p->setPen(QPen(Qt::white, 1.5));
        p->setBrush(sc);
        p->drawEllipse(QPointF(box.right() - 8, box.top() + 8), 5, 5);
    }

    // Unreadable badge.
    if (!index.data(ImageListModel::ReadableRole).toBool()) {
        const QRectF badge(box.left() + 4, box.top() + 4, 18, 18);
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(0xD9, 0x3F, 0x3F));
        p->drawEllipse(badge);
        QFont bf = option.font;
        bf.setBold(true);
        p->setFont(bf);
        p->setPen(Qt::white);
        p->drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
    }

    // File name, elided in the middle so the extension stays visible.
    QFont f = option.font;
    const QFontMetrics fm(f);
    const QRect textRect(cell.left() + kPad - 2, box.bottom() + kPad, m_side, fm.height());
    const QString name = QFileInfo(index.data(ImageListModel::PathRole).toString()).fileName();
    p->setFont(f);
    p->setPen(pal.color(selected ? QPalette::Text : QPalette::Text));
    p->drawText(textRect, Qt::AlignHCenter | Qt::AlignVCenter,
                fm.elidedText(name, Qt::ElideMiddle, textRect.width()));

    const QRect chipRow(textRect.left(), textRect.bottom() + 3, m_side, kChipH);
    paintChips(p, chipRow, index, f);
    p->restore();
}

void ThumbnailDelegate::paintThumbnail(QPainter *p, const QRect &box,
                                       const QModelIndex &index) const
{
    const qint64 id = index.data(ImageListModel::IdRole).toLongLong();
    const bool ready = index.data(ImageListModel::ThumbnailReadyRole).toBool();
    QPixmap pm;
    const QString key = QStringLiteral("salient-thumb-%1-%2").arg(id).arg(m_side);
    if (!ready || !QPixmapCache::find(key, &pm)) {
        // Asking for the decoration is what queues the thumbnail, so ask even
        // when only the placeholder will be painted.
        const QVariant deco = index.data(Qt::DecorationRole);
        if (ready) {
            QImage img;
            if (deco.typeId() == QMetaType::QImage)
                img = deco.value<QImage>();
            else if (deco.typeId() == QMetaType::QPixmap)
                img = deco.value<QPixmap>().toImage();
            if (!img.isNull()) {
                pm = QPixmap::fromImage(
                    img.scaled(box.size(), Qt::KeepAspectRatio, Qt::SmoothTransformation));
                QPixmapCache::insert(key, pm);
            }
        }
    }

    // Backdrop: a soft tile so the grid keeps its rhythm with placeholders.
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(128, 128, 128, 38));
    p->drawRoundedRect(box, 4, 4);
    if (!pm.isNull()) {
        QRect target(QPoint(0, 0), pm.size().scaled(box.size(), Qt::KeepAspectRatio));
        target.moveCenter(box.center());
        p->drawPixmap(target, pm);
        return;
    }
    // Placeholder: a simple picture glyph (mountain and sun), or a cross
    // for an unreadable file.
    const bool readable = index.data(ImageListModel::ReadableRole).toBool();
    const QPointF c = QRectF(box).center();
    const qreal s = box.width() / 5.0;
    p->setBrush(Qt::NoBrush);
    p->setPen(QPen(QColor(128, 128, 128, 140), 2));
    if (!readable) {
        p->drawLine(c + QPointF(-s, -s), c + QPointF(s, s));
        p->drawLine(c + QPointF(-s, s), c + QPointF(s, -s));
        return;
    }
    const QRectF frame(c.x() - s, c.y() - s * 0.8, 2 * s, 1.6 * s);
    p->drawRoundedRect(frame, 3, 3);
    QPainterPath hill;
    hill.moveTo(frame.left() + 2, frame.bottom() - 2);
    hill.lineTo(frame.left() + s * 0.7, frame.top() + s * 0.7);
    hill.lineTo(frame.left() + s * 1.2, frame.top() + s * 1.1);
    hill.lineTo(frame.left() + s * 1.5, frame.top() + s * 0.9);
    hill.lineTo(frame.right() - 2, frame.bottom() - 2);
    p->drawPath(hill);
    p->drawEllipse(QPointF(frame.right() - s * 0.5, frame.top() + s * 0.45), s * 0.15, s * 0.15);
}

void ThumbnailDelegate::paintChips(QPainter *p, const QRect &row, const QModelIndex &index,
                                   const QFont &font) const
{
    const QStringList names = index.data(ImageListModel::LabelsRole).toStringList();
    const QVariantList colors = index.data(ImageListModel::LabelColorsRole).toList();
    if (names.isEmpty())
        return;
    QFont small = font;
    small.setPointSizeF(qMax(6.5, font.pointSizeF() * 0.82));
    p->setFont(small);
    const QFontMetrics fm = p->fontMetrics(); // the device's metrics, not the screen's
    int x = row.left();
    const int right = row.right();
    for (int i = 0; i < names.size(); ++i) {
        const QColor c = i < colors.size() ? colors.at(i).value<QColor>() : QColor(Qt::gray);
        const int room = right - x;
        if (room < 24) {
            break;
        }
        // A few pixels of slack: elidedText measures a little wider than
        // horizontalAdvance, and a chip must not elide a name that fits.
        const int w = qMin(fm.horizontalAdvance(names.at(i)) + 16, room);
        const QRect chip(x, row.top(), w, row.height());
        p->setPen(Qt::NoPen);
        p->setBrush(c);
        p->drawRoundedRect(chip, row.height() / 2.0, row.height() / 2.0);
        p->setPen(onColor(c));
        const QRect text = chip.adjusted(5, 0, -5, 0);
        p->drawText(text, Qt::AlignVCenter | Qt::AlignHCenter,
                    fm.elidedText(names.at(i), Qt::ElideRight, text.width()));
        x += w + 4;
    }
}

// ---------------------------------------------------------------------------

ThumbnailGrid::ThumbnailGrid(QWidget *parent)
    : QListView(parent), m_delegate(new ThumbnailDelegate(this))
{
    // ListMode + LeftToRight + wrapping lays rows out from the uniform size
    // alone; IconMode would keep a geometry item per row.
    setViewMode(QListView::ListMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setUniformItemSizes(true);
    // One pass: with uniform sizes laying out 100,000 rows is arithmetic,
    // and batched layout leaves the scroll range short until idle time.
    setLayoutMode(QListView::SinglePass);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionRectVisible(true);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setMouseTracking(true);
    setSpacing(2);
    setItemDelegate(m_delegate);
    setFrameShape(QFrame::NoFrame);
    setThumbSize(128);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &ThumbnailGrid::onScrolled);
    connect(this, &QAbstractItemView::doubleClicked, this, &ThumbnailGrid::openRequested);
}

void ThumbnailGrid::setThumbSize(int side)
{
    side = qBound(kMinThumb, side, kMaxThumb);
    m_delegate->setThumbSize(side);
    setGridSize(QSize());
    verticalScrollBar()->setSingleStep(m_delegate->cellSize().height() / 3);
    // Uniform sizes are cached by the view; a relayout re-reads them.
    const QModelIndex current = currentIndex();
    doItemsLayout();
    if (current.isValid())
        scrollTo(current, QAbstractItemView::PositionAtCenter);
}

QVector<qint64> ThumbnailGrid::selectedIds() const
{
    QVector<qint64> ids;
    const auto *m = qobject_cast<const ImageListModel *>(model());
    if (!m || !selectionModel())
        return ids;
    // Walk ranges rather than indexes: Select All over 100,000 rows stays cheap.
    QVector<int> rows;
    for (const QItemSelectionRange &r : selectionModel()->selection())
        for (int row = r.top(); row <= r.bottom(); ++row)
            rows.append(row);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    ids.reserve(rows.size());
    for (int row : rows)
        ids.append(m->idAt(row));
    return ids;
}

qint64 ThumbnailGrid::currentId() const
{
    const auto *m = qobject_cast<const ImageListModel *>(model());
    const QModelIndex cur = currentIndex();
    return (m && cur.isValid()) ? m->idAt(cur.row()) : 0;
}

void ThumbnailGrid::selectId(qint64 id)
{
    const auto *m = qobject_cast<const ImageListModel *>(model());
    if (!m)
        return;
    const int row = m->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex idx = model()->index(row, 0);
    selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect);
    scrollTo(idx);
}

void ThumbnailGrid::keyPressEvent(QKeyEvent *event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && currentIndex().isValid() && event->modifiers() == Qt::NoModifier) {
        Q_EMIT openRequested(currentIndex());
        event->accept();
        return;
    }
    QListView::keyPressEvent(event);
}

void ThumbnailGrid::selectionChanged(const QItemSelection &selected,
                                     const QItemSelection &deselected)
{
    QListView::selectionChanged(selected, deselected);
    int n = 0;
    if (selectionModel())
        for (const QItemSelectionRange &r : selectionModel()->selection())
            n += r.height();
    Q_EMIT selectionCountChanged(n);
}

void ThumbnailGrid::onScrolled(int value)
{
    // A jump of more than a screen means the rows asked for before are gone:
    // drop their queued thumbnails so the new screen is served first.
    if (m_thumbnailer && qAbs(value - m_lastScroll) > viewport()->height())
        m_thumbnailer->cancelPending();
    m_lastScroll = value;
}

} // namespace salient
