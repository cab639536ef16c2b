// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/tinydataset.h"

#include "core/project/store.h"

#include <QColor>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QRandomGenerator>
#include <QtDebug>

#include <cmath>

namespace salient::test {
namespace {

// Pattern `kind` over the rectangle [x0, x1) x [0, size) of `img`.
void drawPattern(QImage &img, int kind, int x0, int x1, QRandomGenerator &rng)
{
    const int size = img.height();
    const QColor fg = QColor::fromHsv(int(rng.bounded(360)), 150 + int(rng.bounded(100)),
                                      170 + int(rng.bounded(80)));
    const QColor bg = QColor::fromHsv(int(rng.bounded(360)), int(rng.bounded(80)),
                                      int(rng.bounded(90)));
    const int period = 4 + int(rng.bounded(3));
    const int phase = int(rng.bounded(period));
    const double cx = x0 + (x1 - x0) * (0.4 + 0.2 * rng.generateDouble());
    const double cy = size * (0.4 + 0.2 * rng.generateDouble());
    const double r = std::min(x1 - x0, size) * (0.25 + 0.1 * rng.generateDouble());
    for (int y = 0; y < size; ++y) {
        for (int x = x0; x < x1; ++x) {
            bool on = false;
            const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
            switch (kind) {
            case 0: on = ((y + phase) / (period / 2)) % 2 == 0; break;
            case 1: on = ((x + phase) / (period / 2)) % 2 == 0; break;
            case 2: on = d < r; break;
            case 3: on = (((x + phase) / period) + (y / period)) % 2 == 0; break;
            case 4: on = ((x + y + phase) / (period / 2)) % 2 == 0; break;
            default: on = d < r && d > r * 0.55; break;
            }
            QColor c = on ? fg : bg;
            const int noise = int(rng.bounded(41)) - 20;
            c.setRgb(std::clamp(c.red() + noise, 0, 255), std::clamp(c.green() + noise, 0, 255),
                     std::clamp(c.blue() + noise, 0, 255));
            img.setPixelColor(x, y, c);
        }
    }
}

} // namespace

QString makeTinyProject(const QString &dir, const TinySpec &spec)
{
    if (spec.classes.size() != spec.trainPerClass.size() || spec.classes.size() > 6) {
        qWarning("makeTinyProject: one train count per class, at most 6 classes");
        return {};
    }
    QRandomGenerator rng(spec.seed);
    const QString project = QDir(dir).filePath(QStringLiteral("tiny.salient"));
    auto created = ProjectStore::create(project);
    if (!created.ok()) {
        qWarning() << "makeTinyProject:" << created.error().toString();
        return {};
    }
    ProjectStore &store = *created.value();
    const QStringList splits = {QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test")};
    for (int s = 0; s < splits.size(); ++s) {
        const QString folder = QDir(dir).filePath(QStringLiteral("images/") + splits[s]);
        QDir().mkpath(folder);
        QVector<NewImage> batch;
        for (int c = 0; c < spec.classes.size(); ++c) {
            const int n = s == 0 ? spec.trainPerClass[c] : s == 1 ? spec.valPerClass : spec.testPerClass;
            for (int i = 0; i < n; ++i) {
                QImage img(spec.size, spec.size, QImage::Format_RGB32);
                QStringList labels = {spec.classes[c]};
                if (spec.secondLabelProbability > 0 && spec.classes.size() > 1
                    && rng.generateDouble() < spec.secondLabelProbability) {
                    int other = int(rng.bounded(spec.classes.size() - 1));
                    if (other >= c)
                        ++other;
                    drawPattern(img, c, 0, spec.size / 2, rng);
                    drawPattern(img, other, spec.size / 2, spec.size, rng);
                    labels.append(spec.classes[other]);
                } else {
                    drawPattern(img, c, 0, spec.size, rng);
                }
                const QString file = QDir(folder).filePath(
                    QStringLiteral("%1_%2.png").arg(c).arg(i, 4, 10, QLatin1Char('0')));
                if (!img.save(file, "PNG")) {
                    qWarning() << "makeTinyProject: cannot write" << file;
                    return {};
                }
                NewImage ni = squarePng(file, spec.size);
                ni.labels = labels;
                batch.append(ni);
            }
        }
        if (batch.isEmpty())
            continue;
        const Status added = addToSplit(store, splits[s], batch);
        if (!added.ok()) {
            qWarning() << "makeTinyProject:" << added.error().toString();
            return {};
        }
    }
    return project;
}

NewImage squarePng(const QString &file, int size)
{
    NewImage ni;
    ni.absolutePath = file;
    ni.fileSize = QFileInfo(file).size();
    ni.width = ni.height = size;
    ni.format = QStringLiteral("png");
    ni.hash = QByteArray::number(qHash(file), 16);
    return ni;
}

Status addToSplit(ProjectStore &store, const QString &split, const QVector<NewImage> &batch)
{
    auto ids = store.addImages(batch);
    SALIENT_TRY(ids);
    auto splitId = store.ensureSplit(split);
    SALIENT_TRY(splitId);
    return store.assignSplit(ids.value(), splitId.value());
}

} // namespace salient::test
