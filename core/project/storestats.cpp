// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore: read-only statistics for the class balance view and the splitter.
#include "core/project/store.h"

#include "core/project/storeimpl.h"

#include <algorithm>

namespace salient {

Result<QVector<ImageClasses>> ProjectStore::imageClasses() const
{
    auto images = d->prepare("SELECT id, COALESCE(split_id, 0) FROM images WHERE readable = 1 "
                             "ORDER BY id");
    SALIENT_TRY(images);
    QVector<ImageClasses> out;
    QHash<qint64, int> row;
    SALIENT_TRY(eachRow(*images, [&] {
        row.insert(images->int64(0), int(out.size()));
        out.push_back(ImageClasses{images->int64(0), images->int64(1), {}});
    }));
    auto classes = d->prepare("SELECT image_id, class_id FROM image_labels UNION "
                              "SELECT image_id, class_id FROM shapes WHERE class_id IS NOT NULL "
                              "ORDER BY 1, 2");
    SALIENT_TRY(classes);
    SALIENT_TRY(eachRow(*classes, [&] {
        const auto it = row.constFind(classes->int64(0));
        if (it != row.constEnd())
            out[it.value()].classIds.push_back(classes->int64(1)); // UNION: sorted, distinct
    }));
    return out;
}

Result<QHash<QPair<qint64, qint64>, qint64>> ProjectStore::shapeCountsBySplit() const
{
    // Totals kept by the triggers of schema 6; the join over every shape they
    // replace took ~0.5 s at a million shapes (bench/bench_scale).
    auto st = d->prepare("SELECT split_id, class_id, shape_count FROM class_stats "
                         "WHERE shape_count <> 0");
    SALIENT_TRY(st);
    QHash<QPair<qint64, qint64>, qint64> out;
    SALIENT_TRY(eachRow(*st, [&] { out.insert({st->int64(0), st->int64(1)}, st->int64(2)); }));
    return out;
}

Result<QHash<QPair<qint64, qint64>, qint64>> ProjectStore::imageCountsBySplit() const
{
    auto st = d->prepare("SELECT split_id, class_id, image_count FROM class_stats "
                         "WHERE image_count <> 0");
    SALIENT_TRY(st);
    QHash<QPair<qint64, qint64>, qint64> out;
    SALIENT_TRY(eachRow(*st, [&] { out.insert({st->int64(0), st->int64(1)}, st->int64(2)); }));
    return out;
}

Result<QHash<qint64, QString>> ProjectStore::metaValues(const QString &key) const
{
    auto st = d->prepare("SELECT image_id, value FROM image_meta WHERE key = ?");
    SALIENT_TRY(st);
    st->bind(1, key);
    QHash<qint64, QString> out;
    SALIENT_TRY(eachRow(*st, [&] { out.insert(st->int64(0), st->text(1)); }));
    return out;
}

} // namespace salient
