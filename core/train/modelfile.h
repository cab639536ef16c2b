// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (LibTorch): the LibTorch export, one
// torch::serialize archive with every parameter and buffer under its
// state-dict name plus "salient_meta" (ModelMeta JSON). Reading it runs no
// code from the file (no TorchScript methods): the architecture is rebuilt
// from the meta and the tensors are checked by name and shape.
#pragma once

#include "core/runs/modelexport.h"
#include "core/train/models.h"
#include "core/util/result.h"

#include <QByteArray>

#include <memory>

namespace salient::train {

/// Writes atomically (temporary file, then rename). meta.format becomes "libtorch".
Status saveLibTorchModel(ClassifierNet &model, ModelMeta meta, const QString &file);

struct LoadedModel {
    ModelMeta meta;
    std::shared_ptr<ClassifierNet> model; ///< eval(), CPU
};
/// Errors name the file: not a LibTorch export, truncated, unknown
/// architecture, missing or mis-shaped tensors, classes vs head mismatch.
Result<LoadedModel> loadLibTorchModel(const QString &file);
/// The same for bytes already read; `file` names them in messages.
Result<LoadedModel> loadLibTorchModelBytes(const QByteArray &bytes, const QString &file);

/// True when `bytes` start like a zip archive (a LibTorch export is one).
bool looksLikeZip(const QByteArray &bytes);
/// What a file that is not a model looks like from its first bytes ("a PNG
/// image", "a JPEG image", "a text file"...), or empty when nothing is recognised.
QString foreignFileKind(const QByteArray &bytes);

} // namespace salient::train
