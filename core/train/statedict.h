// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// INTERNAL to salient_train (includes torch): weights from a file into a model.

#include "core/train/models.h"
#include "core/train/weightfile.h"
#include "core/util/result.h"

#include <QStringList>

namespace salient::train {

/// What loadWeights() did.
struct LoadReport {
    int loaded = 0;          ///< tensors copied into the model
    QStringList keptHead;    ///< head tensors left as initialised (class count differs)
    QStringList ignored;     ///< file tensors the model has no use for (none in strict mode)
};

/// Copies a weight file's tensors into the model by state_dict name, under a
/// NoGradGuard, converting float16/float64/bfloat16 to the parameter's dtype.
/// Every parameter and buffer of the model must be in the file with its exact
/// shape, except the head's when `headMayDiffer` (fine-tuning for other
/// classes: the head keeps its fresh initialisation). A file for another
/// architecture, a missing or misshapen tensor, or extra tensors is an Error
/// that names the file and the first tensors concerned; nothing is half-loaded
/// (the model is only written once every check has passed).
Result<LoadReport> loadWeights(ClassifierNet &model, const WeightFile &file, const QString &path,
                               bool headMayDiffer);

} // namespace salient::train
