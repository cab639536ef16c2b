// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The review report handed to people outside the studio: per run, the model
// and its test metrics, verdict counts per class, then one entry per image
// (thumbnail, heatmap overlay, truth, prediction, confidence, deletion score,
// verdict, note, reviewer, time). HTML (one self-contained file, images
// inline) or PDF (QPdfWriter). Written atomically (QSaveFile).

#include "core/imaging/heatmap.h"
#include "core/review/reviewstore.h"
#include "core/util/result.h"

#include <QString>

#include <functional>

namespace salient {
class ProjectStore;
}

namespace salient::review {

struct ReportOptions {
    enum class Format { Html, Pdf };
    Format format = Format::Html;       ///< ReportOptions::formatForPath picks by suffix
    QString title;                      ///< empty: "Review of <run name>"
    bool reviewedOnly = false;          ///< false: every image with a verdict or an explanation
    int imageSize = 192;                ///< longer side of each thumbnail / overlay, pixels
    OverlayStyle style;
    int maxImages = 1000;
    static Format formatForPath(const QString &path); ///< ".pdf": Pdf, else Html
};

/// Writes the report of a run to `path`. progress(done, total) per image.
Status writeReviewReport(ProjectStore &store, qint64 runId, const QString &path,
                         const ReportOptions &options,
                         const std::function<void(int done, int total)> &progress = {});

} // namespace salient::review
