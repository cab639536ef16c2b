// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QColor>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace salient {

/// Where a person is with an image. Stored as an integer; never renumber.
enum class ImageStatus : int { New = 0, InProgress = 1, Done = 2, NeedsReview = 3 };

QString statusName(ImageStatus s);                    ///< "new", "in_progress", "done", "needs_review"
std::optional<ImageStatus> statusFromName(const QString &name);

/// One image row. Sizes are as displayed, i.e. after the EXIF orientation.
struct ImageRecord {
    qint64 id = 0;
    QString path;         ///< as stored: relative to the project folder when inside it, '/'-separated
    QString absolutePath; ///< resolved against the project folder
    QByteArray hash;      ///< hex content hash (xxh128 of the file bytes); empty if unread
    qint64 fileSize = 0;
    qint64 mtime = 0;     ///< ms since epoch
    int width = 0;        ///< displayed width (after EXIF orientation)
    int height = 0;       ///< displayed height
    int orientation = 1;  ///< EXIF orientation 1..8 that decoding must apply
    QString format;       ///< "jpeg", "png", "bmp", "tiff", "webp"
    int bitDepth = 8;     ///< bits per channel (8 or 16)
    int channels = 3;     ///< 1 grey, 3 colour, 4 with alpha
    ImageStatus status = ImageStatus::New;
    bool readable = true;
    QString unreadableReason; ///< why not, for the user
    qint64 splitId = 0;       ///< 0: in no split
    qint64 duplicateOf = 0;   ///< id of the earliest image with identical bytes, or 0
};

/// What the importer hands the store for a new image.
struct NewImage {
    QString absolutePath;
    QByteArray hash;
    qint64 fileSize = 0;
    qint64 mtime = 0;
    int width = 0;
    int height = 0;
    int orientation = 1;
    QString format;
    int bitDepth = 8;
    int channels = 3;
    bool readable = true;
    QString unreadableReason;
    QStringList labels;              ///< class names (created when missing)
    QHash<QString, QString> meta;    ///< per-image metadata, e.g. {"patient": "P17"}
};

struct ClassRecord {
    qint64 id = 0;
    QString name;
    QColor color;
    int order = 0;
};

struct SplitRecord {
    qint64 id = 0;
    QString name;
    bool locked = false;
};

/// The complete set of image-level labels of one image.
struct LabelSet {
    qint64 imageId = 0;
    QVector<qint64> classIds;
    bool operator==(const LabelSet &o) const { return imageId == o.imageId && classIds == o.classIds; }
};

/// Which images a view shows. Empty fields do not filter.
struct ImageFilter {
    QVector<qint64> classIds;            ///< has any of these labels
    std::optional<qint64> splitId;       ///< that split; 0 means "in no split"
    std::optional<ImageStatus> status;
    bool unlabelledOnly = false;         ///< no image-level label (and no shape)
    bool unreadableOnly = false;
    QString pathContains;                ///< case-insensitive substring of the stored path
    /// Only these images (a confusion-matrix cell's); empty: no restriction.
    QVector<qint64> imageIds;
    bool operator==(const ImageFilter &o) const
    {
        return classIds == o.classIds && splitId == o.splitId && status == o.status
            && unlabelledOnly == o.unlabelledOnly && unreadableOnly == o.unreadableOnly
            && pathContains == o.pathContains && imageIds == o.imageIds;
    }
};

/// One image with its split and every class on it (image-level labels and
/// shape classes), for the balance view and the splitter.
struct ImageClasses {
    qint64 imageId = 0;
    qint64 splitId = 0;       ///< 0: in no split
    QVector<qint64> classIds; ///< ascending, no repeats
};

} // namespace salient
