// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVector>

namespace salient::train {

/// One tensor of a weight file, copied out as plain bytes.
struct WeightTensor {
    QString name;  ///< state_dict key, e.g. "layer1.0.conv1.weight"
    QString dtype; ///< "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16",
                   ///< "int8", "uint8", "bool"
    QVector<qint64> shape;  ///< empty for a 0-d scalar
    QVector<qint64> stride; ///< as stored in the file (elements); data is always contiguous
    QByteArray data;        ///< row-major, little-endian, exactly numel() * elementSize() bytes

    qint64 numel() const;
    int elementSize() const;
};

/// The tensors of a PyTorch weight file, in file order, and what the reader
/// noticed on the way (which nested key it read, what it skipped).
struct WeightFile {
    QVector<WeightTensor> tensors;
    QStringList warnings;
};

/// Reads a file written by torch.save (a state_dict, or a checkpoint dict that
/// holds exactly one dict of tensors) WITHOUT executing anything from it: the
/// pickle inside is interpreted by a whitelist that knows tensors, storages and
/// OrderedDict, and refuses any other global by name. Reads the zip format of
/// torch >= 1.6 and the legacy pre-1.6 format (without storage views). A
/// truncated, corrupted or foreign file gives an Error that names the file and,
/// where one is to blame, the tensor.
Result<WeightFile> readWeightFile(const QString &path);

/// True when the file is a zip archive holding TorchScript (code/ or
/// constants.pkl): such files carry code and load only after a warning.
/// False for a plain torch.save archive or a legacy pickle; an Error when
/// the file cannot be read or is neither.
Result<bool> isTorchScriptArchive(const QString &path);

/// What a person must read before a TorchScript file is loaded (names the file).
QString torchScriptWarning(const QString &path);

/// Bytes per element of a dtype name from WeightTensor::dtype (0 if unknown).
int dtypeElementSize(const QString &dtype);

} // namespace salient::train
