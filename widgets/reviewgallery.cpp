// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/reviewgallery.h"

#include "core/imaging/thumbnailer.h"
#include "core/models/reviewlistmodel.h"
#include "core/project/store.h"
#include "core/review/reviewstore.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHelpEvent>
#include <QLocale>
#include <QPainter>
#include <QToolTip>

namespace salient {

using review::ReviewListModel;
using review::Verdict;

namespace {
constexpr int kPad = 5;
constexpr int kMaxPixmaps = 600; // cells, not bytes: 600 small pixmaps are a few MB

QString percent(double p)
{
    return QLocale().toString(100.0 * p, 'f', 0) + QStringLiteral(" %");
}
} // namespace

QColor verdictColour(int verdict)
{
    switch (static_cast<Verdict>(verdict)) {
    case Verdict::Plausible:
        return QColor(0x2E, 0xA0, 0x43);
    case Verdict::Spurious:
        return QColor(0xE0, 0x7B, 0x10);
    case Verdict::Shortcut:
        return QColor(0xC0, 0x2B, 0x8A);
    case Verdict::Unsure:
        return QColor(0x5B, 0x7D, 0xB1);
    case Verdict::Unreviewed:
        break;
    }
    return {};
}

QString verdictLabel(int verdict)
{
    const char *ctx = "salient::ReviewGallery";
    switch (static_cast<Verdict>(verdict)) {
    case Verdict::Plausible:
        return QCoreApplication::translate(ctx, "Plausible");
    case Verdict::Spurious:
        return QCoreApplication::translate(ctx, "Spurious");
    case Verdict::Shortcut:
        return QCoreApplication::translate(ctx, "Shortcut");
    case Verdict::Unsure:
        return QCoreApplication::translate(ctx, "Unsure");
    case Verdict::Unreviewed:
        break;
    }
    return QCoreApplication::translate(ctx, "Unreviewed");
}

ReviewDelegate::ReviewDelegate(ReviewGallery *gallery)
    : QStyledItemDelegate(gallery), m_gallery(gallery)
{
}

QSize ReviewDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics fm(option.font);
    return {kSide + 2 * kPad + 4, kSide + 2 * kPad + 2 * fm.height() + 8};
}

void ReviewDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                           const QModelIndex &index) const
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QRect cell = option.rect.adjusted(2, 2, -2, -2);
    const QPalette &pal = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    if (selected || (option.state & QStyle::State_MouseOver)) {
        QColor bg = pal.color(QPalette::Highlight);
        bg.setAlpha(selected ? 80 : 25);
        p->setPen(selected ? QPen(pal.color(QPalette::Highlight), 2) : Qt::NoPen);
        p->setBrush(bg);
        p->drawRoundedRect(QRectF(cell).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    }

    const qint64 id = index.data(ReviewListModel::ImageIdRole).toLongLong();
    const QRect box(cell.left() + kPad, cell.top() + kPad, kSide, kSide);
    const QPixmap pm = m_gallery->thumbnail(id);
    if (pm.isNull()) {
        p->fillRect(box, pal.color(QPalette::Mid).lighter(130));
    } else {
        QRect r(QPoint(), pm.size() / pm.devicePixelRatio());
        r.moveCenter(box.center());
        p->drawPixmap(r, pm);
    }

    // Correct / wrong: a round mark in the top-left corner, so a misclassified
    // image is seen at a glance without reading the labels.
    const bool hasTruth = !index.data(ReviewListModel::TruthRole).toString().isEmpty();
    const bool correct = index.data(ReviewListModel::CorrectRole).toBool();
    QFont bold = option.font;
    bold.setBold(true);
    if (hasTruth) {
        const QRectF mark(box.left() + 3, box.top() + 3, 18, 18);
        p->setPen(QPen(Qt::white, 1.5));
        p->setBrush(correct ? QColor(0x2E, 0xA0, 0x43) : QColor(0xD9, 0x3F, 0x3F));
        p->drawEllipse(mark);
        p->setFont(bold);
        p->setPen(Qt::white);
        p->drawText(mark, Qt::AlignCenter, correct ? QStringLiteral("✓") : QStringLiteral("✗"));
    }

    // Verdict badge: top-right, in the verdict's colour.
    const int verdict = index.data(ReviewListModel::VerdictRole).toInt();
    if (verdict != int(Verdict::Unreviewed)) {
        QFont small = bold;
        small.setPointSizeF(option.font.pointSizeF() * 0.85);
        const QFontMetrics sfm(small);
        const QString text = verdictLabel(verdict);
        const int w = sfm.horizontalAdvance(text) + 10;
        const QRectF badge(box.right() - w - 2, box.top() + 3, w, sfm.height() + 2);
        p->setPen(QPen(Qt::white, 1));
        p->setBrush(verdictColour(verdict));
        p->drawRoundedRect(badge, badge.height() / 2, badge.height() / 2);
        p->setFont(small);
        p->drawText(badge, Qt::AlignCenter, text);
    }
    if (!index.data(ReviewListModel::NoteRole).toString().isEmpty()) {
        // A note is attached: a pencil mark in the bottom-right corner.
        const QRectF dot(box.right() - 19, box.bottom() - 19, 16, 16);
        p->setPen(QPen(Qt::white, 1));
        p->setBrush(QColor(0x30, 0x30, 0x30, 200));
        p->drawEllipse(dot);
        p->setFont(option.font);
        p->drawText(dot, Qt::AlignCenter, QStringLiteral("✎"));
    }

    // Prediction and confidence, then the truth.
    const QFontMetrics fm(option.font);
    const QRect line1(box.left(), box.bottom() + 4, kSide, fm.height());
    const QRect line2 = line1.translated(0, fm.height());
    const QString predicted = index.data(ReviewListModel::PredictedRole).toString();
    const QString conf = percent(index.data(ReviewListModel::ConfidenceRole).toDouble());
    p->setFont(bold);
    const QFontMetrics bfm(bold);
    p->setPen(hasTruth && !correct ? QColor(0xD9, 0x3F, 0x3F) : pal.color(QPalette::Text));
    p->drawText(line1, Qt::AlignLeft | Qt::AlignVCenter,
                bfm.elidedText(predicted, Qt::ElideRight, kSide - fm.horizontalAdvance(conf) - 6));
    p->setFont(option.font);
    p->setPen(pal.color(QPalette::Text));
    p->drawText(line1, Qt::AlignRight | Qt::AlignVCenter, conf);
    const QString truth = index.data(ReviewListModel::TruthRole).toString();
    p->setPen(pal.color(QPalette::PlaceholderText));
    p->drawText(line2, Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(truth.isEmpty() ? tr("no label") : tr("true: %1").arg(truth),
                              Qt::ElideRight, kSide));
    p->restore();
}

bool ReviewDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                               const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (!event || event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QVariant deletion = index.data(ReviewListModel::DeletionScoreRole);
    QStringList lines;
    lines << QFileInfo(index.data(ReviewListModel::PathRole).toString()).fileName().toHtmlEscaped();
    lines << tr("Predicted: %1 (%2)")
                 .arg(index.data(ReviewListModel::PredictedRole).toString().toHtmlEscaped(),
                      percent(index.data(ReviewListModel::ConfidenceRole).toDouble()));
    const QString truth = index.data(ReviewListModel::TruthRole).toString();
    lines << tr("True: %1").arg(truth.isEmpty() ? tr("no label") : truth.toHtmlEscaped());
    if (deletion.isValid())
        lines << tr("Deletion score: %1").arg(QLocale().toString(deletion.toDouble(), 'f', 3));
    const int verdict = index.data(ReviewListModel::VerdictRole).toInt();
    if (verdict != int(Verdict::Unreviewed))
        lines << tr("Verdict: %1 by %2")
                     .arg(verdictLabel(verdict),
                          index.data(ReviewListModel::ReviewerRole).toString().toHtmlEscaped());
    const QString note = index.data(ReviewListModel::NoteRole).toString();
    if (!note.isEmpty())
        lines << tr("Note: %1").arg(note.toHtmlEscaped());
    QToolTip::showText(event->globalPos(), lines.join(QStringLiteral("<br>")), view);
    return true;
}

ReviewGallery::ReviewGallery(QWidget *parent) : QListView(parent)
{
    setObjectName(QStringLiteral("reviewGallery"));
    setViewMode(QListView::IconMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setUniformItemSizes(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSpacing(2);
    setMouseTracking(true);
    setItemDelegate(new ReviewDelegate(this));
}

void ReviewGallery::setSource(ProjectStore *store, Thumbnailer *thumbnailer)
{
    if (m_thumbnailer)
        disconnect(m_thumbnailer, nullptr, this, nullptr);
    m_store = store;
    m_thumbnailer = thumbnailer;
    if (thumbnailer)
        connect(thumbnailer, &Thumbnailer::thumbnailReady, this, &ReviewGallery::onThumbnail);
    clearCache();
}

void ReviewGallery::clearCache()
{
    m_sources.clear();
    m_pixmaps.clear();
    viewport()->update();
}

QPixmap ReviewGallery::thumbnail(qint64 imageId) const
{
    if (auto it = m_pixmaps.constFind(imageId); it != m_pixmaps.constEnd())
        return it.value();
    if (!m_store || !m_thumbnailer)
        return {};
    auto src = m_sources.constFind(imageId);
    if (src == m_sources.constEnd()) {
        auto record = m_store->image(imageId);
        if (!record.ok())
            return {};
        src = m_sources.insert(imageId, {record->absolutePath, record->hash, record->orientation});
    }
    const QImage image = m_thumbnailer->request(imageId, src->path, src->hash, src->orientation);
    if (image.isNull())
        return {}; // onThumbnail() repaints it
    if (m_pixmaps.size() > kMaxPixmaps)
        m_pixmaps.clear();
    const qreal dpr = devicePixelRatioF();
    QPixmap pm =
        QPixmap::fromImage(image.scaled(QSize(ReviewDelegate::kSide, ReviewDelegate::kSide) * dpr,
                                        Qt::KeepAspectRatio, Qt::SmoothTransformation));
    pm.setDevicePixelRatio(dpr);
    m_pixmaps.insert(imageId, pm);
    return pm;
}

void ReviewGallery::onThumbnail(qint64 id, const QImage &)
{
    const auto *m = qobject_cast<const review::ReviewListModel *>(model());
    if (!m)
        return;
    const int row = m->rowOf(id);
    if (row >= 0)
        update(m->index(row, 0));
}

qint64 ReviewGallery::currentImageId() const
{
    const QModelIndex idx = currentIndex();
    return idx.isValid() ? idx.data(review::ReviewListModel::ImageIdRole).toLongLong() : 0;
}

void ReviewGallery::selectImage(qint64 imageId)
{
    const auto *m = qobject_cast<const review::ReviewListModel *>(model());
    if (!m || !selectionModel())
        return;
    const int row = m->rowOf(imageId);
    if (row < 0)
        return;
    const QModelIndex idx = m->index(row, 0);
    selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect);
    scrollTo(idx);
}

} // namespace salient
