// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Exporting a run's model (public face of salient_train: no torch types).
// Blocking calls for a worker thread or the CLI.

#include "core/runs/modelexport.h"
#include "core/util/result.h"

#include <atomic>
#include <functional>

namespace salient::train {

/// `stage` is a sentence for the user ("calibrating on 256 training images"),
/// done/total its progress (total 0: unknown).
using ExportProgress = std::function<void(const QString &stage, int done, int total)>;

/// Exports a run: optionally prunes it first (a new run, see shrink.h),
/// writes the ONNX (fp32 or int8) or LibTorch file atomically (temporary file
/// + rename: a failed export leaves no half file), checks it (ONNX checker +
/// OpenCV dnn parity on real images; LibTorch: loaded back), measures test
/// accuracy through the exported file for int8, and writes the model card
/// beside it. Errors name the file.
Result<ExportReport> exportModel(const ExportRequest &request, const ExportProgress &progress = {},
                                 const std::atomic<bool> *cancel = nullptr);

/// Runs `images` real images of the run's test split (else validation) through
/// the run's LibTorch model and through `modelFile` (ONNX via OpenCV dnn, or a
/// LibTorch export) and compares the logits. ONNX files also go through the
/// ONNX checker.
Result<ParityReport> checkParity(const QString &projectFile, qint64 runId, const QString &modelFile,
                                 int images = 32, int threads = 0,
                                 const QString &checkpoint = QStringLiteral("best"));

} // namespace salient::train
