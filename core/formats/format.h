// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/formats/dataset.h"
#include "core/util/result.h"

#include <QString>
#include <QVector>

#include <atomic>
#include <memory>
#include <optional>

namespace salient {

/// The interchange formats. Stored by name ("coco", ...); never renumber.
enum class FormatId { Coco, Voc, Yolo, Labelme, ImageFolder, Csv };

struct ReadOptions {
    /// Folder the image names in the file are relative to; empty: the format's
    /// usual places (beside the file, images/, ...). Images must lie inside the
    /// dataset folder (the folder given, or the annotation file's folder).
    QString imageRoot;
    const std::atomic_bool *cancel = nullptr; ///< checked between items when set
};

/// How exported images reach the output folder.
enum class ImagePlacement {
    Link, ///< a hard link where the file system allows, else a copy
    Copy,
    None, ///< annotations only (the layout still names where images belong)
};

struct WriteOptions {
    ImagePlacement images = ImagePlacement::Link;
    bool embedImageData = false; ///< labelme: put the image bytes into each JSON
    const std::atomic_bool *cancel = nullptr;
};

/// One interchange format: a reader and a writer for the same files.
///
/// read() parses without touching any project: it returns the dataset, and
/// every item that is wrong but skippable (unknown category id, degenerate
/// polygon, path outside the dataset folder, ...) goes to `problems` with the
/// file and line or JSON path where it was found, and is left out of the
/// dataset. A file that cannot be parsed at all (malformed JSON, XML, YAML or
/// CSV) is an Error naming the file and line. Coordinates in the dataset are
/// ours (see dataset.h): each reader converts from its format's convention.
///
/// write() writes the dataset into `outDir` (created when missing) in the
/// format's usual layout, every annotation file through QSaveFile, and places
/// each image there per WriteOptions. What the format cannot express (masks in
/// YOLO detection, several labels in ImageFolder, ...) goes to `warnings`.
class DatasetFormat {
public:
    virtual ~DatasetFormat() = default;

    virtual FormatId id() const = 0;
    virtual QString name() const = 0;        ///< "coco", "voc", "yolo", "labelme", "imagefolder", "csv"
    virtual QString displayName() const = 0; ///< "COCO JSON", ... (English; the GUI translates)
    /// What read() takes: a file (COCO .json, CSV) or a folder (VOC, YOLO, labelme, ImageFolder).
    virtual bool readsFolder() const = 0;
    /// How sure (0: not at all .. 100: certain) that `path` holds this format;
    /// cheap: looks at names and at most the first few KiB of one file.
    virtual int detect(const QString &path) const = 0;

    virtual Result<Dataset> read(const QString &path, const ReadOptions &options,
                                 QVector<FormatProblem> &problems) const = 0;
    virtual Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
                         QVector<FormatProblem> &warnings) const = 0;
};

/// Every format, in menu order (COCO, VOC, YOLO, labelme, ImageFolder, CSV).
const QVector<const DatasetFormat *> &datasetFormats();
const DatasetFormat *datasetFormat(FormatId id);
const DatasetFormat *datasetFormat(const QString &name); ///< nullptr when unknown
/// The format whose detect() is most certain about `path`; an Error naming the
/// path when none recognises it.
Result<const DatasetFormat *> detectDatasetFormat(const QString &path);

// Factories, one per format source file.
std::unique_ptr<DatasetFormat> makeCocoFormat();
std::unique_ptr<DatasetFormat> makeVocFormat();
std::unique_ptr<DatasetFormat> makeYoloFormat();
std::unique_ptr<DatasetFormat> makeLabelmeFormat();
std::unique_ptr<DatasetFormat> makeImageFolderFormat();
std::unique_ptr<DatasetFormat> makeCsvFormat();

} // namespace salient
