// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/formats/vocsupport.h"

#include "core/imaging/pixellimit.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>
#include <QSet>

#include <algorithm>

namespace salient::voc {

const QVector<QRgb> &palette()
{
    static const QVector<QRgb> table = [] {
        QVector<QRgb> t(256);
        for (int i = 0; i < 256; ++i) {
            int r = 0, g = 0, b = 0, c = i;
            for (int j = 0; j < 8; ++j) {
                r |= ((c >> 0) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            t[i] = qRgb(r, g, b);
        }
        return t;
    }();
    return table;
}

const QStringList &standardClasses()
{
    static const QStringList names = {QStringLiteral("aeroplane"),   QStringLiteral("bicycle"),
                                                                                    QStringLiteral("bird"),        QStringLiteral("boat"),
                                                                                                                                  QStringLiteral("bottle"),      QStringLiteral("bus"),
                                                                                                                                                                                QStringLiteral("car"),         QStringLiteral("cat"),
                                                                                                                                                                                                                              QStringLiteral("chair"),       QStringLiteral("cow"),
                                                                                                                                                                                                                                                                            QStringLiteral("diningtable"), QStringLiteral("dog"),
                                                                                                                                                                                                                                                                                                                          QStringLiteral("horse"),       QStringLiteral("motorbike"),
                                                                                                                                                                                                                                                                                                                                                                        QStringLiteral("person"),      QStringLiteral("pottedplant"),
                                                                                                                                                                                                                                                                                                                                                                                                                      QStringLiteral("sheep"),       QStringLiteral("sofa"),
                                                                                                                                                                                                                                                                                                                                                                                                                                                                    QStringLiteral("train"),       QStringLiteral("tvmonitor")};
    return names;
}

QVector<LabelEntry> parseLabelmap(const QByteArray &text)
{
    QVector<LabelEntry> out;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList parts = line.split(QLatin1Char(':'));
        LabelEntry e;
        e.name = parts.value(0).trimmed();
        const QStringList rgb = parts.value(1).split(QLatin1Char(','));
        if (rgb.size() == 3)
            e.color =
                qRgb(rgb[0].trimmed().toInt(), rgb[1].trimmed().toInt(), rgb[2].trimmed().toInt());
        else
            e.color = palette().value(out.size());
        out.push_back(e);
    }
    return out;
}

QByteArray writeLabelmap(const QStringList &classes)
{
    QByteArray out = "# label:color_rgb:parts:actions\nbackground:0,0,0::\n";
    for (int i = 0; i < classes.size(); ++i) {
        // Colons would end the name field; CVAT has no escape for them.
        QString name = classes[i];
        name.replace(QLatin1Char(':'), QLatin1Char('_'));
        const QRgb c = palette().value(std::min(i + 1, 255));
        out += name.toUtf8() + ':' + QByteArray::number(qRed(c)) + ','
               + QByteArray::number(qGreen(c)) + ',' + QByteArray::number(qBlue(c)) + "::\n";
    }
    return out;
}

Result<IndexImage> readIndexPng(const QString &path, const QVector<QRgb> &colors)
{
    QImageReader reader(path);
    reader.setAutoTransform(false); // masks are in the stored frame of their own file
    // Refused before read() allocates: a small PNG can declare a huge size.
    if (reader.size().isValid())
        SALIENT_TRY(checkReaderSize(reader, QDir::toNativeSeparators(path)));
    QImage img = reader.read();
    if (img.isNull())
        return makeError(
            Error::Code::Decode,
            QStringLiteral("cannot read the segmentation PNG: %1") .arg(reader.errorString()),
                           QDir::toNativeSeparators(path));
    IndexImage out;
    out.width = img.width();
    out.height = img.height();
    out.pixels.resize(qsizetype(out.width) * out.height);
    uchar *dst = reinterpret_cast<uchar *>(out.pixels.data());
    if (img.format() == QImage::Format_Indexed8 || img.format() == QImage::Format_Grayscale8) {
        for (int y = 0; y < out.height; ++y)
            memcpy(dst + qsizetype(y) * out.width, img.constScanLine(y), size_t(out.width));
        return out;
    }
    if (img.format() == QImage::Format_Mono || img.format() == QImage::Format_MonoLSB) {
        img = img.convertToFormat(QImage::Format_Indexed8);
        for (int y = 0; y < out.height; ++y)
            memcpy(dst + qsizetype(y) * out.width, img.constScanLine(y), size_t(out.width));
        return out;
    }
    QHash<QRgb, int> index;
    for (int i = 0; i < colors.size(); ++i)
        if (!index.contains(colors[i] | 0xff000000u))
            index.insert(colors[i] | 0xff000000u, i);
    img = img.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < out.height; ++y) {
        const QRgb *row = reinterpret_cast<const QRgb *>(img.constScanLine(y));
        for (int x = 0; x < out.width; ++x) {
            const int k = index.value(row[x] | 0xff000000u, -1);
            if (k < 0 || k > 255)
                ++out.unknown;
            dst[qsizetype(y) * out.width + x] = uchar(k < 0 || k > 255 ? 255 : k);
        }
    }
    return out;
}

QByteArray encodeIndexPng(const QByteArray &pixels, int width, int height)
{
    QImage img(width, height, QImage::Format_Indexed8);
    img.setColorTable(palette());
    for (int y = 0; y < height; ++y)
        memcpy(img.scanLine(y), pixels.constData() + qsizetype(y) * width, size_t(width));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    img.save(&buffer, "PNG");
    return bytes;
}

// ImageSets/Main/<split>.txt -> stem -> split. "<class>_<split>.txt" files are
// per-class presence lists, not splits; trainval only counts when there is no
// train or val; CVAT's default.txt means "no split".
QHash<QString, QString> readSplits(const QString &root)
{
    QHash<QString, QString> out;
    const QDir main(root + QStringLiteral("/ImageSets/Main"));
    if (!main.exists())
        return out;
    const QStringList files = main.entryList({QStringLiteral("*.txt")}, QDir::Files, QDir::Name);
    QSet<QString> bases;
    for (const QString &f : files)
        bases.insert(QFileInfo(f).completeBaseName());
    static const QSet<QString> standard = {QStringLiteral("train"),
        QStringLiteral("val"), QStringLiteral("test"), QStringLiteral("trainval"),
                                                                      QStringLiteral("default")};
    QStringList splits;
    for (const QString &b : bases) {
        const int us = b.lastIndexOf(QLatin1Char('_'));
        if (us > 0) {
            const QString tail = b.mid(us + 1);
            if (standard.contains(tail) || bases.contains(tail))
                continue;
        }
        splits << b;
    }
    if (splits.contains(QLatin1String("train")) || splits.contains(QLatin1String("val")))
        splits.removeAll(QStringLiteral("trainval"));
    // Deterministic precedence when an image is listed twice: train, val, test, others.
    std::sort(splits.begin(), splits.end(), [](const QString &a, const QString &b) {
        static const QStringList order = {
            QStringLiteral("train"), QStringLiteral("val"), QStringLiteral("test")};
        const int ia = order.contains(a) ? order.indexOf(a) : 3;
        const int ib = order.contains(b) ? order.indexOf(b) : 3;
        return ia != ib ? ia < ib : a < b;
    });
    for (const QString &s : splits) {
        QFile f(main.filePath(s + QStringLiteral(".txt")));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QString split = s == QLatin1String("default") ? QString() : s;
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (const QByteArray &l : lines) {
            const QString stem = QString::fromUtf8(l).simplified().section(QLatin1Char(' '), 0, 0);
            if (!stem.isEmpty() && !out.contains(stem))
                out.insert(stem, split);
        }
    }
    return out;
}

// Masks of every index 1..254 of an index image, keyed by index.
QHash<int, Mask> masksOf(const IndexImage &img)
{
    QHash<int, QRect> bounds;
    const uchar *p = reinterpret_cast<const uchar *>(img.pixels.constData());
    for (int y = 0; y < img.height; ++y)
        for (int x = 0; x < img.width; ++x) {
            const int k = p[qsizetype(y) * img.width + x];
            if (k == 0 || k == 255) // background and void belong to no mask
                continue;
            QRect &r = bounds[k];
            r = r.isNull() ? QRect(x, y, 1, 1) : r.united(QRect(x, y, 1, 1));
        }
    QHash<int, Mask> out;
    for (auto it = bounds.cbegin(); it != bounds.cend(); ++it) {
        Mask m(it.value());
        const QRect r = it.value();
        for (int y = r.top(); y <= r.bottom(); ++y)
            for (int x = r.left(); x <= r.right(); ++x)
                if (p[qsizetype(y) * img.width + x] == it.key())
                    m.set(x, y, true);
        out.insert(it.key(), m);
    }
    return out;
}

} // namespace salient::voc
