// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The project bench_scale measures: N image rows that point at real files (a
// few hundred distinct small PNGs and JPEGs, hard-linked under every name, so
// thumbnails and the canvas decode real pixels), image-level labels, splits,
// statuses and `shapesPerImage` shapes on every image. Deterministic (seeded).

#include "core/project/store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <unistd.h>

namespace salient::bench {

struct ScaleSpec {
    int images = 100000;
    int shapesPerImage = 10;
    int files = 300; ///< distinct image files behind all rows
};

/// Class names of a street-scene dataset; their frequency falls off like Zipf's law.
inline QStringList scaleClassNames()
{
    return {"person",     "car",      "bicycle",       "dog",     "cat",
            "bus",        "truck",    "traffic light", "bench",   "bird",
            "motorcycle", "backpack", "umbrella",      "handbag", "stop sign",
            "horse",      "suitcase", "skateboard",    "kite",    "fire hydrant"};
}

/// Index into scaleClassNames(), skewed: class 0 ~40 times as frequent as class 19.
inline int skewedClass(std::mt19937 &rng)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const int n = int(scaleClassNames().size());
    return std::min(n - 1, int(std::floor(n * std::pow(u(rng), 2.2))));
}

/// Writes the distinct source files: 320x240, half PNG, half JPEG.
inline Result<QStringList> writeSourceFiles(const QString &dir, int count)
{
    QDir().mkpath(dir);
    QStringList out;
    std::mt19937 rng(7);
    for (int i = 0; i < count; ++i) {
        QImage img(320, 240, QImage::Format_RGB32);
        img.fill(QColor::fromHsv((i * 37) % 360, 90, 200));
        QPainter p(&img);
        for (int k = 0; k < 6; ++k) {
            p.setBrush(QColor::fromHsv(int(rng() % 360), 200, int(rng() % 200) + 55));
            p.drawEllipse(int(rng() % 300), int(rng() % 220), 20 + int(rng() % 100),
                          20 + int(rng() % 80));
        }
        p.end();
        const QString file =
            QStringLiteral("%1/src%2.%3")
                               .arg(dir)
                               .arg(i, 4, 10, QLatin1Char('0'))
                               .arg(i % 2 ? QStringLiteral("png") : QStringLiteral("jpg"));
        if (!QFile::exists(file) && !img.save(file))
            return makeError(Error::Code::Io, QStringLiteral("cannot write the image"), file);
        out << file;
    }
    return out;
}

inline Geometry scaleGeometry(std::mt19937 &rng)
{
    const double x = rng() % 280, y = rng() % 200;
    const double w = 8 + rng() % 40, h = 8 + rng() % 40;
    const unsigned kind = rng() % 100;
    if (kind < 2) { // a few brush masks
        Mask m(QRect(int(x), int(y), 24, 24));
        for (int yy = 0; yy < 24; ++yy)
            for (int xx = 0; xx < 24; ++xx)
                m.set(int(x) + xx, int(y) + yy,
                      (xx - 12) * (xx - 12) + (yy - 12) * (yy - 12) < 120);
        return m;
    }
    if (kind < 20)
        return Polygon{QPolygonF({QPointF(x, y), QPointF(x + w, y + 2), QPointF(x + w - 3, y + h),
                                  QPointF(x + 2, y + h - 1), QPointF(x - 2, y + h / 2)})};
    return Box{QRectF(x, y, w, h)};
}

/// Builds the project at `file` (which must not exist) under `dir`.
inline Status buildScaleProject(const QString &dir, const QString &file, const ScaleSpec &spec,
                                const std::function<void(const QString &)> &progress)
{
    auto sources = writeSourceFiles(dir + QStringLiteral("/sources"), spec.files);
    SALIENT_TRY(sources);
    QVector<QByteArray> hashes;
    QVector<qint64> sizes;
    for (const QString &s : sources.value()) {
        QFile f(s);
        if (!f.open(QIODevice::ReadOnly))
            return makeError(Error::Code::Io, QStringLiteral("cannot read the image"), s);
        const QByteArray bytes = f.readAll();
        hashes << QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex();
        sizes << bytes.size();
    }
    auto created = ProjectStore::create(file);
    SALIENT_TRY(created);
    ProjectStore &store = *created.value();
    const QStringList names = scaleClassNames();
    std::mt19937 rng(11);
    constexpr int kBatch = 10000;
    QVector<qint64> ids;
    for (int start = 0; start < spec.images; start += kBatch) {
        QVector<NewImage> rows;
        for (int i = start; i < std::min(spec.images, start + kBatch); ++i) {
            const int src = i % spec.files;
            const QString source = sources->at(src);
            NewImage n;
            n.absolutePath = QStringLiteral("%1/images/%2/img%3.%4")
                                                .arg(dir)
                                                .arg(i / 1000, 3, 10, QLatin1Char('0'))
                                                .arg(i, 6, 10, QLatin1Char('0'))
                                                .arg(source.section(QLatin1Char('.'), -1));
            QDir().mkpath(n.absolutePath.section(QLatin1Char('/'), 0, -2));
            if (!QFile::exists(n.absolutePath)
                && ::link(QFile::encodeName(source).constData(),
                          QFile::encodeName(n.absolutePath).constData())
                       != 0
                && !QFile::copy(source, n.absolutePath))
                return makeError(Error::Code::Io, QStringLiteral("cannot link the image"),
                                                                 n.absolutePath);
            n.hash = hashes.at(src);
            n.fileSize = sizes.at(src);
            n.width = 320;
            n.height = 240;
            n.format = src % 2 ? QStringLiteral("png") : QStringLiteral("jpeg");
            if (rng() % 100 < 80) // a fifth of the images still unlabelled
                n.labels = QStringList{names.at(skewedClass(rng))};
            rows << n;
        }
        auto added = store.addImages(rows);
        SALIENT_TRY(added);
        ids += added.value();
        progress(QStringLiteral("%1 images").arg(ids.size()));
    }
    // 80/10/10 splits; a third done, a tenth in progress.
    QVector<qint64> train, val, test, done, busy;
    for (int i = 0; i < ids.size(); ++i) {
        const unsigned r = rng() % 100;
        (r < 80 ? train : r < 90 ? val : test) << ids[i];
        const unsigned s = rng() % 100;
        if (s < 33)
            done << ids[i];
        else if (s < 43)
            busy << ids[i];
    }
    const QStringList splitNames{"train", "val", "test"};
    const QVector<qint64> *members[] = {&train, &val, &test};
    for (int k = 0; k < 3; ++k) {
        auto split = store.ensureSplit(splitNames[k]);
        SALIENT_TRY(split);
        SALIENT_TRY(store.assignSplit(*members[k], split.value()));
    }
    SALIENT_TRY(store.setStatus(done, ImageStatus::Done));
    SALIENT_TRY(store.setStatus(busy, ImageStatus::InProgress));
    progress(QStringLiteral("splits and statuses"));

    QVector<qint64> classIds;
    for (const QString &n : names) {
        auto id = store.classIdByName(n);
        if (!id.ok()) // a class no image got as a label yet
            id = store.addClass(n);
        SALIENT_TRY(id);
        classIds << id.value();
    }
    auto labels = store.labels(ids);
    SALIENT_TRY(labels);
    QVector<Shape> shapes;
    for (int i = 0; i < ids.size(); ++i) {
        const QVector<qint64> own = labels->value(ids[i]);
        for (int k = 0; k < spec.shapesPerImage; ++k) {
            Shape s;
            s.imageId = ids[i];
            // Most shapes are of the image's own class, the rest of any class.
            s.classId =
                !own.isEmpty() && rng() % 100 < 60 ? own.first() : classIds.at(skewedClass(rng));
            s.geometry = scaleGeometry(rng);
            shapes << s;
        }
        if (shapes.size() >= 100000 || i + 1 == ids.size()) {
            auto added = store.addShapes(shapes);
            SALIENT_TRY(added);
            shapes.clear();
            progress(QStringLiteral("shapes on %1 images").arg(i + 1));
        }
    }
    return {};
}

} // namespace salient::bench
