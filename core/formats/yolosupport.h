// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to the YOLO reader and writer.

#include "core/formats/format.h"

namespace salient::yolo {

/// Ultralytics' rule: the label file of .../images/<rest>.<ext> is
/// .../labels/<rest>.txt (the last "images" folder of the path replaced);
/// with no "images" folder in the path below `root`, the .txt beside the image.
QString labelPathFor(const QString &imagePath, const QString &root = {});

Result<Dataset> read(const QString &path, const ReadOptions &options,
                     QVector<FormatProblem> &problems);
Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
             QVector<FormatProblem> &warnings);

} // namespace salient::yolo
