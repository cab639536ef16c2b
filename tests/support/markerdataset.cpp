// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/markerdataset.h"
#include "tests/support/tinydataset.h"

#include "core/project/store.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QRandomGenerator>
#include <QtDebug>

namespace salient::test {
namespace {

/// A marker square inside quadrant `corner` (0 top-left, 1 top-right,
/// 2 bottom-left, 3 bottom-right), wholly inside it.
QRect markerIn(int corner, const MarkerSpec &spec, QRandomGenerator &rng)
{
    const int half = spec.size / 2;
    const int span = std::max(1, half - spec.markerSide - 1);
    const int x = 1 + int(rng.bounded(span)) + (corner % 2) * (half - 1);
    const int y = 1 + int(rng.bounded(span)) + (corner / 2) * (half - 1);
    return QRect(x, y, spec.markerSide, spec.markerSide);
}

QImage noiseImage(int size, QRandomGenerator &rng)
{
    QImage img(size, size, QImage::Format_RGB32);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            img.setPixel(x, y, qRgb(30 + int(rng.bounded(130)), 30 + int(rng.bounded(130)),
                                    30 + int(rng.bounded(130))));
    return img;
}

void paintMarker(QImage &img, const QRect &r, QRandomGenerator &rng)
{
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const int v = 235 + int(rng.bounded(21));
            img.setPixel(x, y, qRgb(v, v, v));
        }
}

} // namespace

MarkerProject makeMarkerProject(const QString &dir, const MarkerSpec &spec)
{
    const QStringList classes = {QStringLiteral("topleft"), QStringLiteral("topright"),
                                 QStringLiteral("bottomleft"), QStringLiteral("bottomright")};
    QRandomGenerator rng(spec.seed);
    MarkerProject out;
    const QString project = QDir(dir).filePath(QStringLiteral("marker.salient"));
    auto created = ProjectStore::create(project);
    if (!created.ok()) {
        qWarning() << "makeMarkerProject:" << created.error().toString();
        return out;
    }
    ProjectStore &store = *created.value();
    const QStringList splits = {QStringLiteral("train"), QStringLiteral("val"),
                                QStringLiteral("test")};
    const int counts[3] = {spec.trainPerClass, spec.valPerClass, spec.testPerClass};
    for (int s = 0; s < splits.size(); ++s) {
        const QString folder = QDir(dir).filePath(QStringLiteral("images/") + splits[s]);
        QDir().mkpath(folder);
        QVector<NewImage> batch;
        for (int c = 0; c < classes.size(); ++c) {
            for (int i = 0; i < counts[s]; ++i) {
                QImage img = noiseImage(spec.size, rng);
                QVector<int> carried = {c};
                if (spec.multiLabel) {
                    carried.clear();
                    for (int k = 0; k < classes.size(); ++k)
                        if (k == c || rng.generateDouble() < 0.4)
                            carried << k;
                }
                QStringList labels;
                QVector<QRect> rects(classes.size());
                for (int k : carried) {
                    rects[k] = markerIn(k, spec, rng);
                    paintMarker(img, rects[k], rng);
                    labels << classes[k];
                }
                const QString file = QDir(folder).filePath(
                    QStringLiteral("%1_%2.png").arg(c).arg(i, 4, 10, QLatin1Char('0')));
                if (!img.save(file, "PNG")) {
                    qWarning() << "makeMarkerProject: cannot write" << file;
                    return out;
                }
                out.markers.insert(file, rects);
                NewImage ni = squarePng(file, spec.size);
                ni.labels = labels;
                batch.append(ni);
            }
        }
        if (batch.isEmpty())
            continue;
        const Status added = addToSplit(store, splits[s], batch);
        if (!added.ok()) {
            qWarning() << "makeMarkerProject:" << added.error().toString();
            return out;
        }
    }
    out.project = project;
    return out;
}

} // namespace salient::test
