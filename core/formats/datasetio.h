// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/formats/format.h"
#include "core/imaging/probe.h"
#include "core/util/result.h"

#include <QString>
#include <QVector>

#include <atomic>
#include <functional>

namespace salient {

class ProjectStore;

/// What an import or export is doing, for progress bars (called at most ~10x/s).
struct DatasetProgress {
    QString stage; ///< "Reading", "Checking images", "Writing project", "Writing files" (English)
    qint64 done = 0;
    qint64 total = 0; ///< 0: unknown
};
using DatasetProgressFn = std::function<void(const DatasetProgress &)>;

/// Shown the problems found, the user decides: true to skip the items they name
/// and import the rest, false to abort (the project is left unchanged).
using ProblemDecision = std::function<bool(const QVector<FormatProblem> &problems)>;

struct DatasetImportOptions {
    QString path;                   ///< annotation file or dataset folder
    const DatasetFormat *format = nullptr; ///< nullptr: detect
    QString imageRoot;              ///< see ReadOptions
    qint64 maxPixels = pixelLimit(); ///< the process-wide limit when the options are made
    int threads = 0;                ///< 0: all cores
};

struct DatasetImportReport {
    QString format;         ///< name of the format read
    int imagesInFile = 0;   ///< images the file(s) declare
    int imagesAdded = 0;    ///< new image rows
    int imagesPresent = 0;  ///< already in the project: their annotations were merged
    int classesAdded = 0;
    int labelsAdded = 0;    ///< image-level labels
    int boxes = 0, polygons = 0, masks = 0; ///< shapes added
    int shapesPresent = 0;  ///< identical shapes already there, not added again
    QVector<FormatProblem> skipped;  ///< problems the user chose to skip
    QVector<FormatProblem> warnings; ///< notes that lost nothing (e.g. embedded images extracted)
    double seconds = 0;
};

/// Imports a dataset file into the project, all or nothing:
///   1. read and parse (format detected when not given);
///   2. check every image: present, inside the dataset folder, readable
///      (header probe and content hash, in a thread pool); for images whose
///      declared size is the stored (un-rotated) size of an EXIF-rotated file,
///      coordinates are turned into the displayed frame;
///   3. check every shape against its image: NaN, negative or out-of-image
///      coordinates (beyond half a pixel; within it they are clamped), degenerate
///      boxes and polygons (zero area, fewer than 3 points), empty masks;
///   4. if any problem was found, `decide` chooses skip or abort (no `decide`: abort);
///   5. one transaction writes images, classes, labels, shapes, splits and metadata.
/// A failure or cancel at any step leaves the project exactly as it was.
/// Run it off the GUI thread with a store connection of that thread.
Result<DatasetImportReport> importDataset(ProjectStore &store, const DatasetImportOptions &options,
                                          const ProblemDecision &decide,
                                          const DatasetProgressFn &progress = {},
                                          const std::atomic_bool *cancel = nullptr);

struct DatasetExportOptions {
    QString outDir;
    const DatasetFormat *format = nullptr;
    QString split;        ///< only images in this split; empty: all images
    bool onlyAnnotated = false; ///< leave out images with no label and no shape
    ImagePlacement images = ImagePlacement::Link;
    bool embedImageData = false;
};

struct DatasetExportReport {
    QString format;
    int images = 0;
    int classes = 0;
    int labels = 0;
    int boxes = 0, polygons = 0, masks = 0;
    QVector<FormatProblem> warnings; ///< what the format could not express
    double seconds = 0;
};

/// Reads the project (one read transaction, so a consistent snapshot) into a
/// Dataset and writes it with the format's writer.
Result<DatasetExportReport> exportDataset(ProjectStore &store, const DatasetExportOptions &options,
                                          const DatasetProgressFn &progress = {},
                                          const std::atomic_bool *cancel = nullptr);

/// The project as a Dataset (images in path order; unreadable images left out).
Result<Dataset> datasetFromProject(ProjectStore &store, const QString &split = {},
                                   bool onlyAnnotated = false);

} // namespace salient
