// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/models/imagelistmodel.h"

#include "core/imaging/thumbnailer.h"
#include "core/project/store.h"

#include <QLocale>
#include <QPainter>
#include <QSet>
#include <QSize>

#include <algorithm>

namespace salient {

ImageListModel::ImageListModel(ProjectStore *store, Thumbnailer *thumbnailer, QObject *parent)
    : QAbstractListModel(parent), m_store(store), m_thumbnailer(thumbnailer)
{
    m_rows.setMaxCost(kRowCacheLimit);
    if (m_store) {
        connect(m_store, &ProjectStore::imagesAdded, this, &ImageListModel::requery);
        connect(m_store, &ProjectStore::imagesRemoved, this, &ImageListModel::requery);
        connect(m_store, &ProjectStore::imagesChanged, this, &ImageListModel::onImagesChanged);
        connect(m_store, &ProjectStore::labelsChanged, this, &ImageListModel::onLabelsChanged);
        connect(m_store, &ProjectStore::classesChanged, this, &ImageListModel::onClassesChanged);
        connect(m_store, &ProjectStore::splitsChanged, this, &ImageListModel::onSplitsChanged);
    }
    if (m_thumbnailer) {
        connect(m_thumbnailer, &Thumbnailer::thumbnailReady, this,
                [this](qint64 id, const QImage &) { onThumbnail(id); });
        connect(m_thumbnailer, &Thumbnailer::thumbnailFailed, this,
                [this](qint64 id, const QString &) { onThumbnailFailed(id); });
    }
    reload();
}

int ImageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

QHash<int, QByteArray> ImageListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "imageId");
    names.insert(PathRole, "path");
    names.insert(AbsolutePathRole, "absolutePath");
    names.insert(LabelsRole, "labels");
    names.insert(LabelIdsRole, "labelIds");
    names.insert(LabelColorsRole, "labelColors");
    names.insert(StatusRole, "status");
    names.insert(SplitRole, "split");
    names.insert(ReadableRole, "readable");
    names.insert(ReasonRole, "reason");
    names.insert(SizeRole, "size");
    names.insert(ThumbnailReadyRole, "thumbnailReady");
    names.insert(ThumbnailFailedRole, "thumbnailFailed");
    return names;
}

qint64 ImageListModel::idAt(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : 0;
}

int ImageListModel::rowOf(qint64 id) const
{
    if (!m_rowIndexBuilt && !m_rowIndexStale) {
        m_rowOfId.reserve(m_ids.size());
        for (int row = 0; row < m_ids.size(); ++row)
            m_rowOfId.insert(m_ids.at(row), row);
        m_rowIndexBuilt = true;
    }
    const int row = m_rowOfId.value(id, -1);
    if (!m_rowIndexStale)
        return row;
    if (row >= 0 && row < m_ids.size() && m_ids.at(row) == id)
        return row;
    // The index is rebuilt after a batch of row moves; in between, look it up.
    return int(m_ids.indexOf(id));
}

void ImageListModel::setFilter(const ImageFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

void ImageListModel::reload()
{
    QVector<qint64> ids;
    if (m_store) {
        auto result = m_store->imageIds(m_filter);
        if (result.ok())
            ids = std::move(result.value());
        else
            Q_EMIT loadFailed(result.error().toString());
    }
    beginResetModel();
    m_ids = std::move(ids);
    m_rows.clear();
    loadClassInfo();
    loadSplitNames();
    rebuildRowIndex();
    endResetModel();
}

void ImageListModel::requery()
{
    if (!m_store)
        return;
    auto result = m_store->imageIds(m_filter);
    if (!result.ok()) {
        Q_EMIT loadFailed(result.error().toString());
        return;
    }
    refreshIds(result.value());
}

void ImageListModel::rebuildRowIndex()
{
    m_rowOfId.clear();
    m_rowIndexBuilt = false;
}

void ImageListModel::refreshIds(const QVector<qint64> &ids)
{
    // Not QList::operator==: on two empty lists Qt 6.4 calls memcmp(nullptr, nullptr, 0),
    // which UndefinedBehaviorSanitizer stops on.
    if (ids.size() == m_ids.size() && std::equal(ids.cbegin(), ids.cend(), m_ids.cbegin()))
        return;
    const QSet<qint64> newSet(ids.cbegin(), ids.cend());
    const QSet<qint64> oldSet(m_ids.cbegin(), m_ids.cend());

    // Incremental signals work when the rows that stay keep their order
    // (true unless a path changed); count the runs to bound the cost.
    QVector<qint64> keptOld;
    QVector<qint64> keptNew;
    int runs = 0;
    bool inRun = false;
    for (qint64 id : std::as_const(m_ids)) {
        const bool stays = newSet.contains(id);
        if (stays)
            keptOld.append(id);
        runs += (!stays && !inRun) ? 1 : 0;
        inRun = !stays;
    }
    inRun = false;
    for (qint64 id : ids) {
        const bool old = oldSet.contains(id);
        if (old)
            keptNew.append(id);
        runs += (!old && !inRun) ? 1 : 0;
        inRun = !old;
    }
    for (qint64 id : std::as_const(m_ids)) {
        if (!newSet.contains(id))
            m_rows.remove(id);
    }

    if (keptOld != keptNew || runs > kMaxIncrementalRuns) {
        // A reset loses the view's selection and scroll position; taken only
        // when the order changed or the change is scattered over many runs.
        beginResetModel();
        m_ids = ids;
        rebuildRowIndex();
        endResetModel();
        return;
    }
    m_rowIndexStale = true;
    // Removals bottom-up so that earlier row numbers stay valid.
    for (int end = int(m_ids.size()) - 1; end >= 0; --end) {
        if (newSet.contains(m_ids.at(end)))
            continue;
        int first = end;
        while (first > 0 && !newSet.contains(m_ids.at(first - 1)))
            --first;
        beginRemoveRows({}, first, end);
        m_ids.remove(first, end - first + 1);
        endRemoveRows();
        end = first;
    }
    // Insertions top-down: rows before `first` already match the new list.
    for (int first = 0; first < ids.size(); ++first) {
        if (oldSet.contains(ids.at(first)))
            continue;
        int last = first;
        while (last + 1 < ids.size() && !oldSet.contains(ids.at(last + 1)))
            ++last;
        beginInsertRows({}, first, last);
        m_ids.insert(first, last - first + 1, 0);
        std::copy(ids.cbegin() + first, ids.cbegin() + last + 1, m_ids.begin() + first);
        endInsertRows();
        first = last;
    }
    Q_ASSERT(m_ids == ids);
    rebuildRowIndex();
    m_rowIndexStale = false;
}

void ImageListModel::loadClassInfo()
{
    m_classInfo.clear();
    if (!m_store)
        return;
    auto classes = m_store->classes();
    if (!classes.ok())
        return;
    for (const ClassRecord &c : std::as_const(classes.value()))
        m_classInfo.insert(c.id, {c.name, c.color});
}

void ImageListModel::loadSplitNames()
{
    m_splitNames.clear();
    if (!m_store)
        return;
    auto splits = m_store->splits();
    if (!splits.ok())
        return;
    for (const SplitRecord &s : std::as_const(splits.value()))
        m_splitNames.insert(s.id, s.name);
}

void ImageListModel::fetchPage(int row) const
{
    // Mostly scrolling down: a quarter of the page above, the rest below.
    const int first = std::max(0, row - kPageSize / 4);
    const int last = std::min(int(m_ids.size()), first + kPageSize);
    QVector<qint64> wanted;
    wanted.reserve(last - first);
    for (int r = first; r < last; ++r) {
        if (!m_rows.contains(m_ids.at(r)))
            wanted.append(m_ids.at(r));
    }
    if (wanted.isEmpty())
        return;
    ++m_pageFetches;
    auto records = m_store->images(wanted);
    auto labels = m_store->labels(wanted);
    if (!records.ok() || !labels.ok()) {
        qWarning("ImageListModel: %s",
                 qPrintable((records.ok() ? labels.error() : records.error()).toString()));
        return;
    }
    for (ImageRecord &record : records.value()) {
        auto *cached = new Row;
        cached->labelIds = labels->value(record.id);
        cached->record = std::move(record);
        m_rows.insert(cached->record.id, cached, 1);
    }
}

const ImageListModel::Row *ImageListModel::rowData(int row) const
{
    if (!m_store || row < 0 || row >= m_ids.size())
        return nullptr;
    const qint64 id = m_ids.at(row);
    if (const Row *cached = m_rows.object(id))
        return cached;
    fetchPage(row);
    return m_rows.object(id);
}

QImage ImageListModel::placeholder() const
{
    if (m_placeholder.isNull()) {
        const int side = m_thumbnailer ? m_thumbnailer->side() : 256;
        m_placeholder = QImage(side, side, QImage::Format_RGB32);
        m_placeholder.fill(QColor(0xd8, 0xd8, 0xd8));
    }
    return m_placeholder;
}

QImage ImageListModel::brokenPlaceholder() const
{
    if (m_brokenPlaceholder.isNull()) {
        const int side = m_thumbnailer ? m_thumbnailer->side() : 256;
        m_brokenPlaceholder = QImage(side, side, QImage::Format_RGB32);
        m_brokenPlaceholder.fill(QColor(0xf0, 0xe0, 0xe0));
        QPainter painter(&m_brokenPlaceholder);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(QColor(0xb0, 0x30, 0x30), std::max(2, side / 32)));
        const int m = side / 4;
        painter.drawLine(m, m, side - m, side - m);
        painter.drawLine(side - m, m, m, side - m);
    }
    return m_brokenPlaceholder;
}

QString ImageListModel::toolTip(const Row &row) const
{
    const ImageRecord &r = row.record;
    QStringList lines;
    lines << r.path;
    lines << tr("%1 × %2 px, %3").arg(r.width).arg(r.height).arg(QLocale().formattedDataSize(r.fileSize));
    QStringList names;
    for (qint64 id : row.labelIds)
        names << m_classInfo.value(id).first;
    lines << (names.isEmpty() ? tr("No labels") : tr("Labels: %1").arg(names.join(QStringLiteral(", "))));
    lines << tr("Status: %1").arg(statusName(r.status));
    if (r.splitId != 0)
        lines << tr("Split: %1").arg(m_splitNames.value(r.splitId));
    if (!r.readable)
        lines << tr("Unreadable: %1").arg(r.unreadableReason);
    return lines.join(QLatin1Char('\n'));
}

QVariant ImageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 id = m_ids.at(index.row());
    if (role == IdRole)
        return id;
    if (role == ThumbnailReadyRole)
        return m_thumbnailer != nullptr && m_thumbnailer->contains(id);
    if (role == ThumbnailFailedRole && m_thumbnailer && m_thumbnailer->hasFailed(id))
        return true;
    const Row *row = rowData(index.row());
    if (!row)
        return {};
    const ImageRecord &r = row->record;
    switch (role) {
    case Qt::DisplayRole:
        return r.path.section(QLatin1Char('/'), -1);
    case Qt::DecorationRole: {
        if (!r.readable || (m_thumbnailer && m_thumbnailer->hasFailed(id)))
            return brokenPlaceholder();
        if (!m_thumbnailer)
            return placeholder();
        const QImage thumb = m_thumbnailer->request(id, r.absolutePath, r.hash, r.orientation);
        return thumb.isNull() ? placeholder() : thumb;
    }
    case Qt::ToolTipRole:
        return toolTip(*row);
    case PathRole:
        return r.path;
    case AbsolutePathRole:
        return r.absolutePath;
    case LabelsRole: {
        QStringList names;
        for (qint64 c : row->labelIds)
            names << m_classInfo.value(c).first;
        return names;
    }
    case LabelIdsRole: {
        QVariantList out;
        for (qint64 c : row->labelIds)
            out << c;
        return out;
    }
    case LabelColorsRole: {
        QVariantList out;
        for (qint64 c : row->labelIds)
            out << m_classInfo.value(c).second;
        return out;
    }
    case StatusRole:
        return int(r.status);
    case SplitRole:
        return r.splitId != 0 ? m_splitNames.value(r.splitId) : QString();
    case ReadableRole:
        return r.readable;
    case ReasonRole:
        return r.unreadableReason;
    case ThumbnailFailedRole:
        return !r.readable;
    case SizeRole:
        return QSize(r.width, r.height);
    default:
        return {};
    }
}

bool ImageListModel::filterUsesLabels() const
{
    return !m_filter.classIds.isEmpty() || m_filter.unlabelledOnly;
}

bool ImageListModel::filterUsesImageFields() const
{
    return m_filter.splitId.has_value() || m_filter.status.has_value() || m_filter.unreadableOnly
        || !m_filter.pathContains.isEmpty();
}

void ImageListModel::emitChangedRows(const QVector<qint64> &ids, const QVector<int> &roles)
{
    QVector<int> rows;
    rows.reserve(ids.size());
    for (qint64 id : ids) {
        const int row = rowOf(id);
        if (row >= 0)
            rows.append(row);
    }
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end());
    // One signal per run of neighbouring rows; one wide signal if scattered.
    QVector<QPair<int, int>> runs;
    for (int row : std::as_const(rows)) {
        if (!runs.isEmpty() && row <= runs.last().second + 1)
            runs.last().second = std::max(runs.last().second, row);
        else
            runs.append({row, row});
    }
    if (runs.size() > 64)
        runs = {{rows.first(), rows.last()}};
    for (const auto &run : std::as_const(runs))
        Q_EMIT dataChanged(index(run.first), index(run.second), roles);
}

void ImageListModel::onLabelsChanged(const QVector<qint64> &ids)
{
    for (qint64 id : ids)
        m_rows.remove(id);
    if (filterUsesLabels())
        requery();
    emitChangedRows(ids);
}

void ImageListModel::onImagesChanged(const QVector<qint64> &ids)
{
    for (qint64 id : ids)
        m_rows.remove(id);
    // A relink changes paths, and so the order, even without a filter. A
    // status or split change (marking an image done) moves nothing unless the
    // filter looks at it: then a look at the changed rows and their
    // neighbours spares reading all 100,000 ids again.
    if (filterUsesImageFields() || !orderUnchanged(ids))
        requery();
    emitChangedRows(ids);
}

bool ImageListModel::orderUnchanged(const QVector<qint64> &ids) const
{
    if (!m_store || ids.size() > kMaxLocalOrderChecks)
        return false;
    // Only the paths of the neighbours matter; an image not shown stays out,
    // since the filter looks at no image field.
    QVector<qint64> rows;
    QVector<qint64> wanted;
    for (qint64 id : ids) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        rows.append(row);
        for (int r = std::max(0, row - 1); r <= std::min(int(m_ids.size()) - 1, row + 1); ++r)
            wanted.append(m_ids.at(r));
    }
    if (rows.isEmpty())
        return true;
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    auto records = m_store->images(wanted);
    if (!records.ok())
        return false;
    // SQLite orders TEXT by its UTF-8 bytes (BINARY); so does QByteArray.
    QHash<qint64, QByteArray> path;
    for (const ImageRecord &r : std::as_const(records.value()))
        path.insert(r.id, r.path.toUtf8());
    for (int row : std::as_const(rows)) {
        const QByteArray &here = path[m_ids.at(row)];
        if (row > 0 && !(path[m_ids.at(row - 1)] < here))
            return false;
        if (row + 1 < m_ids.size() && !(here < path[m_ids.at(row + 1)]))
            return false;
    }
    return true;
}

void ImageListModel::onClassesChanged()
{
    loadClassInfo();
    // A merge or delete changes labels of many images at once.
    m_rows.clear();
    if (filterUsesLabels())
        requery();
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_ids.size()) - 1));
}

void ImageListModel::onSplitsChanged()
{
    loadSplitNames();
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_ids.size()) - 1), {SplitRole, Qt::ToolTipRole});
}

void ImageListModel::onThumbnail(qint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const QModelIndex idx = index(row);
    Q_EMIT dataChanged(idx, idx, {Qt::DecorationRole, ThumbnailReadyRole});
}

void ImageListModel::onThumbnailFailed(qint64 id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const QModelIndex idx = index(row);
    Q_EMIT dataChanged(idx, idx, {Qt::DecorationRole, ThumbnailFailedRole});
}

} // namespace salient
