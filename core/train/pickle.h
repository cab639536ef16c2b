// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (no torch types, so tests may include it).
#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QString>
#include <QVector>

#include <deque>
#include <utility>

namespace salient::train::pickle {

/// A storage named by a weight file's pickle: bytes that live outside the pickle
/// (a zip entry data/<key>, or a record after the pickles in the legacy format).
struct StorageRef {
    QString key;
    QString dtype;       ///< "float32", "int64", ...
    int elementSize = 0; ///< bytes per element
    QString location;    ///< "cpu", "cuda:0" (informative only)
    qint64 numel = 0;    ///< elements, as the pickle says
};

/// What torch._utils._rebuild_tensor_v2 would have built, without building it.
struct TensorRef {
    StorageRef storage;
    qint64 offset = 0; ///< in elements
    QVector<qint64> shape;
    QVector<qint64> stride; ///< in elements
};

/// One unpickled value. Values live in the Unpickler's arena and point at each
/// other with raw pointers, so a hostile pickle that builds cycles or deep
/// nesting costs no recursion and no leak.
struct Value {
    enum class Kind {
        None,
        Bool,
        Int,
        BigInt,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Global,
        Storage,
        Tensor
    };
    Kind kind = Kind::None;
    bool boolean = false;
    qint64 integer = 0;
    double real = 0;
    QString text;                 ///< String; Global as "module.name"
    QByteArray bytes;             ///< Bytes; BigInt as little-endian two's complement
    QVector<const Value *> items; ///< Tuple, List
    QVector<std::pair<const Value *, const Value *>> entries; ///< Dict, in insertion order
    StorageRef storage;                                       ///< Storage
    TensorRef tensor;                                         ///< Tensor
};

/// A pickle reader for the subset of opcodes torch.save writes, with a whitelist
/// of globals: collections.OrderedDict, torch._utils._rebuild_tensor(_v2),
/// torch._utils._rebuild_parameter and the torch.*Storage types. Any other global
/// is refused by name; nothing from the input is ever executed or imported.
/// Every length and memo index is checked, so any byte string is safe to feed.
class Unpickler {
public:
    explicit Unpickler(QByteArray data) : m_data(std::move(data)) {}

    /// Reads one pickle starting at *pos (up to and including STOP) and moves
    /// *pos past it. Errors carry no path: the caller knows the file.
    Result<const Value *> load(qsizetype *pos);

    /// Short description of a value for messages ("a dict of 3 entries").
    static QString describe(const Value *value);

private:
    Value *make(Value::Kind kind);
    static constexpr qint64 kMaxValues =
        1'000'000;             // ~350 MB at worst; resnet50's pickle makes ~10,000
    std::deque<Value> m_arena; // owns every Value; stable addresses
    qint64 m_made = 0;
    QByteArray m_data;
};

/// dtype name and element size for a torch storage type ("torch.FloatStorage"),
/// or an empty name when the type is not one a weight file should hold.
std::pair<QString, int> storageDtype(const QString &globalName);

} // namespace salient::train::pickle
