// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to the Pascal VOC reader and writer: the devkit's colour map,
// CVAT's labelmap.txt and the segmentation PNGs.

#include "core/formats/format.h"

#include <QColor>
#include <QHash>
#include <QImage>
#include <QString>
#include <QStringList>
#include <QVector>

namespace salient::voc {

/// The VOC devkit's 256-entry palette (bits of the index interleaved into r, g, b).
const QVector<QRgb> &palette();

/// VOC's 20 classes in the devkit's order (class index k + 1 in its PNGs).
const QStringList &standardClasses();

/// labelmap.txt as CVAT writes it ("name:r,g,b:parts:actions", '#' comments).
/// Entry 0 is the background.
struct LabelEntry {
    QString name;
    QRgb color = 0;
};
QVector<LabelEntry> parseLabelmap(const QByteArray &text);
QByteArray writeLabelmap(const QStringList &classes);

/// One segmentation PNG as indices: Indexed8 and Grayscale8 images give their
/// values; colour images are mapped through `colors` (colour -> index), and
/// pixels of a colour not in it become 255 (void) and are counted in `unknown`.
struct IndexImage {
    int width = 0;
    int height = 0;
    QByteArray pixels; ///< row-major, one index per pixel
    int unknown = 0;
};
Result<IndexImage> readIndexPng(const QString &path, const QVector<QRgb> &colors);

/// A paletted PNG (VOC palette) from one index per pixel.
QByteArray encodeIndexPng(const QByteArray &pixels, int width, int height);

/// ImageSets/Main/<split>.txt as stem -> split. "<class>_<split>.txt" files are
/// per-class presence lists, not splits; trainval only counts when there is no
/// train or val; CVAT's default.txt means "no split".
QHash<QString, QString> readSplits(const QString &root);

/// A mask per index 1..254 of an index image (0 background and 255 void belong to none).
QHash<int, Mask> masksOf(const IndexImage &img);

Result<Dataset> read(const QString &path, const ReadOptions &options,
                     QVector<FormatProblem> &problems);
Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
             QVector<FormatProblem> &warnings);

} // namespace salient::voc
