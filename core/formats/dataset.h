// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace salient {

/// One annotation as a dataset file states it, before (import) or after
/// (export) it lives in a project. Coordinates are ours: continuous, pixels of
/// the image AS DISPLAYED (EXIF applied), origin at the top-left pixel corner
/// (see core/annotation/geometry.h). Readers and writers convert at the border.
struct DatasetShape {
    int classIndex = -1; ///< into Dataset::classes; -1: no class
    Geometry geometry;
    QString attributes = QStringLiteral("{}"); ///< JSON object (iscrowd, difficult, group_id, ...)
    int origin = -1; ///< where it was found: an index for DatasetImage::shapeWhere, or a
                     ///< 1-based line of DatasetImage::source when shapeWhere is empty
};

/// One image of a dataset file, with everything said about it.
struct DatasetImage {
    /// Import: absolute, clean path of the image file, already confirmed to lie
    /// inside the dataset folder. Export: absolute path of the project's image file.
    QString path;
    /// The name the dataset file uses for the image ('/'-separated, relative), for
    /// messages; on export, the project's stored path.
    QString name;
    int width = 0;  ///< displayed size as the file declares it (0: not declared);
    int height = 0; ///< on export: the project's displayed size
    int orientation = 1; ///< export only: EXIF orientation of the source file
    QVector<int> labels; ///< image-level classes, indices into Dataset::classes
    QVector<DatasetShape> shapes;
    QString split;                 ///< "train", "val", ... or empty
    QHash<QString, QString> meta;  ///< per-image metadata (e.g. "patient")
    QByteArray embeddedImage;      ///< import only: image bytes carried inside the
                                   ///< annotation file (labelme imageData), if any

    // Where the image was declared, for problem messages.
    QString source;     ///< the annotation file that declared the image
    int line = -1;      ///< 1-based line in source (text formats), or -1
    QString where;      ///< JSON path of the image's entry, e.g. "images[3]" (may be empty)
    QString shapeWhere; ///< pattern for a shape's JSON path with "%1" for DatasetShape::origin,
                        ///< e.g. "annotations[%1]"; empty when origin is a line of source
};

/// A whole dataset as a format file describes it: class names and images.
struct Dataset {
    QStringList classes; ///< in the order the file gives them (or first use)
    QVector<DatasetImage> images;

    /// Index of the class called `name`, appended when absent. O(1): a lookup
    /// table follows `classes` (rebuilt when someone appended to it directly).
    int classIndex(const QString &name);

private:
    QHash<QString, int> m_lookup;
};

/// Something wrong with one item of a dataset file that the user may skip (the
/// item is left out) or treat as fatal (the import is aborted, nothing changes).
struct FormatProblem {
    QString path;    ///< file the problem is in
    int line = -1;   ///< 1-based line, or -1
    QString where;   ///< JSON path or other locator, may be empty
    QString message; ///< for the user: what is wrong, e.g. "category id 7 is not in categories"

    /// "path:line where: message", parts left out when empty (as Error::toString()).
    QString toString() const;
};

/// Problems found at an image's entry, or at one of its shapes (shape >= 0).
FormatProblem problemAt(const DatasetImage &image, const QString &message, int shape = -1);

} // namespace salient
