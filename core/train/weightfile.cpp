// SPDX-License-Identifier: GPL-3.0-or-later
// Reads torch.save files by interpreting their pickle with a whitelist (see
// pickle.h) and copying storages out of the zip archive: Debian's LibTorch
// pickle_load rejects the OrderedDict of state_dicts, and Python's own loader
// would execute whatever the file asks for.
#include "core/train/weightfile.h"

#include "core/train/pickle.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QSet>

#include <array>
#include <cstring>
#include <functional>
#include <new>

namespace salient::train {

using pickle::Unpickler;
using pickle::Value;
using Kind = Value::Kind;

namespace {

constexpr quint32 kLocalSig = 0x04034b50;
constexpr quint32 kCentralSig = 0x02014b50;
constexpr quint32 kEndSig = 0x06054b50;
constexpr quint32 kEnd64LocatorSig = 0x07064b50;
constexpr quint32 kEnd64Sig = 0x06064b50;
constexpr quint32 kDescriptorSig = 0x08074b50;
// torch.save's legacy format opens with this number pickled as a LONG1.
const QByteArray kLegacyMagic = QByteArray::fromHex("6cfc9c46f9206aa85019");

/// A read-only view of the whole file (memory-mapped where possible).
struct Bytes {
    const char *data = nullptr;
    qint64 size = 0;
    bool has(qint64 offset, qint64 n) const
    {
        return offset >= 0 && n >= 0 && offset <= size && n <= size - offset;
    }
    quint64 le(qint64 offset, int n) const
    {
        quint64 v = 0;
        for (int i = n - 1; i >= 0; --i)
            v = (v << 8) | quint8(data[offset + i]);
        return v;
    }
};

struct ZipEntry {
    qint64 dataOffset = -1; ///< first byte of the (stored) data
    qint64 size = 0;        ///< compressed size == size for stored entries
    quint16 method = 0;
    quint32 crc = 0;
    bool crcKnown = false;
};

struct Archive {
    QHash<QString, ZipEntry> entries;
    QStringList names;    // in directory order
    bool complete = true; // false: no directory at the end, entries found by walking
};

Error fileError(Error::Code code, const QString &path, const QString &message)
{
    return makeError(code, message, QDir::toNativeSeparators(path));
}

// CRC-32 (zip's polynomial), eight bytes per step: the whole file is checked
// on every read, so this runs at memory speed rather than a byte at a time.
quint32 crc32(const char *data, qint64 n)
{
    using Tables = std::array<std::array<quint32, 256>, 8>;
    static const Tables tables = [] {
        Tables t{};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[0][i] = c;
        }
        for (quint32 i = 0; i < 256; ++i)
            for (int s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
        return t;
    }();
    const auto *p = reinterpret_cast<const quint8 *>(data);
    quint32 c = 0xFFFFFFFFu;
    for (; n >= 8; n -= 8, p += 8) {
        const quint32 lo =
            c ^ (quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24);
        const quint32 hi =
            quint32(p[4]) | quint32(p[5]) << 8 | quint32(p[6]) << 16 | quint32(p[7]) << 24;
        c = tables[7][lo & 0xFF] ^ tables[6][(lo >> 8) & 0xFF] ^ tables[5][(lo >> 16) & 0xFF]
            ^ tables[4][lo >> 24] ^ tables[3][hi & 0xFF] ^ tables[2][(hi >> 8) & 0xFF]
            ^ tables[1][(hi >> 16) & 0xFF] ^ tables[0][hi >> 24];
    }
    for (; n > 0; --n, ++p)
        c = tables[0][(c ^ *p) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/// Reads the central directory (with zip64 records, which torch always writes).
/// Returns an empty optional-like Archive with complete=false when the end
/// record is missing, as in a cut download.
Result<Archive> readDirectory(const Bytes &b, const QString &path)
{
    Archive archive;
    qint64 end = -1;
    for (qint64 at = b.size - 22; at >= 0 && at >= b.size - 22 - 65535; --at) {
        if (b.le(at, 4) == kEndSig && at + 22 + qint64(b.le(at + 20, 2)) == b.size) {
            end = at;
            break;
        }
    }
    if (end < 0) {
        archive.complete = false;
        return archive;
    }
    quint64 count = b.le(end + 10, 2);
    quint64 dirSize = b.le(end + 12, 4);
    quint64 dirOffset = b.le(end + 16, 4);
    if (end >= 20 && b.le(end - 20, 4) == kEnd64LocatorSig) {
        const qint64 end64 = qint64(b.le(end - 20 + 8, 8));
        if (!b.has(end64, 56) || b.le(end64, 4) != kEnd64Sig)
            return fileError(Error::Code::Parse, path,
                             QStringLiteral("the zip archive's zip64 directory record is damaged"));
        count = b.le(end64 + 32, 8);
        dirSize = b.le(end64 + 40, 8);
        dirOffset = b.le(end64 + 48, 8);
    }
    if (dirOffset > quint64(b.size) || dirSize > quint64(b.size) - dirOffset
        || count > dirSize / 46)
        return fileError(Error::Code::Parse, path,
                         QStringLiteral("the zip archive's directory points outside the file"));
    qint64 at = qint64(dirOffset);
    for (quint64 i = 0; i < count; ++i) {
        if (!b.has(at, 46) || b.le(at, 4) != kCentralSig)
            return fileError(
                Error::Code::Parse, path,
                QStringLiteral("the zip archive's directory is damaged (entry %1)").arg(i));
        ZipEntry e;
        const quint16 flags = quint16(b.le(at + 8, 2));
        e.method = quint16(b.le(at + 10, 2));
        e.crc = quint32(b.le(at + 16, 4));
        e.crcKnown = true;
        quint64 csize = b.le(at + 20, 4);
        quint64 usize = b.le(at + 24, 4);
        const qint64 nameLen = qint64(b.le(at + 28, 2));
        const qint64 extraLen = qint64(b.le(at + 30, 2));
        const qint64 commentLen = qint64(b.le(at + 32, 2));
        quint64 local = b.le(at + 42, 4);
        if (!b.has(at + 46, nameLen + extraLen + commentLen))
            return fileError(
                Error::Code::Parse, path,
                QStringLiteral("the zip archive's directory is damaged (entry %1)").arg(i));
        const QString name = (flags & 0x800) ? QString::fromUtf8(b.data + at + 46, nameLen)
                                             : QString::fromLatin1(b.data + at + 46, nameLen);
        // Zip64 extra field: the 64-bit values follow in this order, each only if its 32-bit slot
        // is saturated.
        for (qint64 x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
            const quint64 id = b.le(x, 2), len = b.le(x + 2, 2);
            qint64 f = x + 4;
            const qint64 fieldEnd = f + qint64(len);
            if (fieldEnd > at + 46 + nameLen + extraLen)
                break;
            if (id == 0x0001) {
                if (usize == 0xFFFFFFFFu && f + 8 <= fieldEnd) {
                    usize = b.le(f, 8);
                    f += 8;
                }
                if (csize == 0xFFFFFFFFu && f + 8 <= fieldEnd) {
                    csize = b.le(f, 8);
                    f += 8;
                }
                if (local == 0xFFFFFFFFu && f + 8 <= fieldEnd) {
                    local = b.le(f, 8);
                    f += 8;
                }
            }
            x = fieldEnd;
        }
        at += 46 + nameLen + extraLen + commentLen;
        if (e.method == 0 && csize != usize)
            return fileError(
                Error::Code::Parse, path,
                QStringLiteral("the zip entry %1 is damaged (sizes disagree)").arg(name));
        if (!b.has(qint64(local), 30) || b.le(qint64(local), 4) != kLocalSig)
            return fileError(
                Error::Code::Parse, path,
                QStringLiteral("the zip entry %1 points outside the file or at garbage").arg(name));
        e.dataOffset = qint64(local) + 30 + qint64(b.le(qint64(local) + 26, 2))
                       + qint64(b.le(qint64(local) + 28, 2));
        e.size = qint64(csize);
        if (csize > quint64(b.size) || !b.has(e.dataOffset, e.size))
            return fileError(
                Error::Code::Parse, path,
                QStringLiteral("the zip entry %1 runs past the end of the file").arg(name));
        archive.entries.insert(name, e);
        archive.names.append(name);
    }
    return archive;
}

/// The archive's top folder ("archive/", "resnet18/" ...): torch names it after the file.
QString archivePrefix(const Archive &archive)
{
    for (const QString &name : archive.names)
        if (name.endsWith(QLatin1String("/data.pkl")) && name.count(QLatin1Char('/')) == 1)
            return name.left(name.size() - 8);
    return QString();
}

bool isTorchScript(const Archive &archive)
{
    for (const QString &name : archive.names) {
        const qsizetype slash = name.indexOf(QLatin1Char('/'));
        const QString rest = name.mid(slash + 1);
        if (rest.startsWith(QLatin1String("code/")) || rest == QLatin1String("constants.pkl"))
            return true;
    }
    return false;
}

/// A tensor of the pickle with the name it has in the state_dict.
struct NamedRef {
    QString name;
    pickle::TensorRef ref;
};

/// Finds the dict of tensors: the top-level dict, or exactly one nested dict
/// of a checkpoint ({"epoch": 3, "state_dict": {...}}).
Result<QVector<NamedRef>> tensorsOf(const Value *root, const QString &path, QStringList *warnings)
{
    if (root->kind != Kind::Dict)
        return fileError(
            Error::Code::Invalid, path,
            QStringLiteral("holds %1, not a state_dict of tensors").arg(Unpickler::describe(root)));
    auto tensorCount = [](const Value *dict) {
        int n = 0;
        for (const auto &[k, v] : dict->entries)
            n += v->kind == Kind::Tensor ? 1 : 0;
        return n;
    };
    const Value *chosen = root;
    QStringList nested;
    const Value *nestedDict = nullptr;
    for (const auto &[k, v] : root->entries) {
        if (v->kind == Kind::Dict && tensorCount(v) > 0) {
            nested.append(k->kind == Kind::String ? k->text : Unpickler::describe(k));
            nestedDict = v;
        }
    }
    if (nested.size() > 1)
        return fileError(Error::Code::Invalid, path,
                         QStringLiteral("holds several dicts of tensors (%1): cannot tell which is the model's; save model.state_dict() alone")
                                            .arg(nested.join(QStringLiteral(", "))));
    if (nested.size() == 1) {
        chosen = nestedDict;
        warnings->append(
            QStringLiteral("read the tensors under the key \"%1\" of a checkpoint with %2 entries")
                               .arg(nested.first())
                               .arg(root->entries.size()));
    } else if (tensorCount(root) == 0) {
        return fileError(Error::Code::Invalid, path,
                         QStringLiteral("holds no tensors (%1)").arg(Unpickler::describe(root)));
    }
    QVector<NamedRef> out;
    QSet<QString> seen;
    QStringList skipped;
    for (const auto &[k, v] : chosen->entries) {
        const QString key = k->kind == Kind::String ? k->text : Unpickler::describe(k);
        if (k->kind != Kind::String || v->kind != Kind::Tensor) {
            skipped.append(key);
            continue;
        }
        if (seen.contains(key))
            return fileError(Error::Code::Parse, path,
                             QStringLiteral("names the tensor \"%1\" twice").arg(key));
        seen.insert(key);
        out.append({key, v->tensor});
    }
    if (!skipped.isEmpty())
        warnings->append(QStringLiteral("skipped %1 entries that are not tensors: %2")
                                            .arg(skipped.size())
                                            .arg(skipped.mid(0, 8).join(QStringLiteral(", "))));
    return out;
}

/// Copies a tensor out of its storage bytes, contiguous and row-major, after
/// checking that every element it addresses lies inside the storage.
/// *budget bounds the bytes all tensors may take together: views with stride 0
/// (expand) let a hostile file ask for terabytes from a few bytes.
Result<WeightTensor> materialize(const NamedRef &t, const char *storage, qint64 storageBytes,
                                 const QString &path, qint64 *budget)
{
    const pickle::TensorRef &r = t.ref;
    const int es = r.storage.elementSize;
    auto bad = [&](const QString &why) {
        return fileError(Error::Code::Parse, path,
                         QStringLiteral("tensor \"%1\": %2").arg(t.name, why));
    };
    if (r.offset < 0)
        return bad(QStringLiteral("negative storage offset"));
    qint64 numel = 1, last = r.offset; // last: index of the furthest element
    for (int d = 0; d < r.shape.size(); ++d) {
        if (r.shape[d] < 0 || r.stride[d] < 0)
            return bad(QStringLiteral("negative size or stride"));
        if (__builtin_mul_overflow(numel, r.shape[d], &numel))
            return bad(QStringLiteral("its size overflows"));
    }
    WeightTensor w;
    w.name = t.name;
    w.dtype = r.storage.dtype;
    w.shape = r.shape;
    w.stride = r.stride;
    if (numel == 0)
        return w;
    for (int d = 0; d < r.shape.size(); ++d) {
        qint64 reach = 0;
        if (__builtin_mul_overflow(r.shape[d] - 1, r.stride[d], &reach)
            || __builtin_add_overflow(last, reach, &last))
            return bad(QStringLiteral("its size overflows"));
    }
    qint64 bytes = 0;
    if (__builtin_mul_overflow(numel, qint64(es), &bytes) || last >= storageBytes / es)
        return bad(QStringLiteral("addresses element %1 of a storage of %2 elements (data/%3)")
                                      .arg(last)
                                      .arg(storageBytes / es)
                                      .arg(r.storage.key));
    if (bytes > *budget)
        return bad(QStringLiteral("it would take %1 MiB, far more than the file holds; the file is damaged") .arg(bytes
                                                                                            >> 20));
    *budget -= bytes;
    try {
        w.data.resize(qsizetype(bytes));
    } catch (const std::bad_alloc &) {
        return fileError(
            Error::Code::Io, path,
            QStringLiteral("not enough memory for tensor \"%1\" (%2 MiB)") .arg(t.name).arg(bytes
                                                                                            >> 20));
    }
    char *out = w.data.data();
    bool contiguous = true;
    for (qint64 d = r.shape.size() - 1, expect = 1; d >= 0; --d) {
        if (r.shape[d] != 1 && r.stride[d] != expect)
            contiguous = false;
        expect *= r.shape[d];
    }
    if (contiguous) {
        std::memcpy(out, storage + r.offset * es, size_t(bytes));
        return w;
    }
    // Strided copy: an odometer over the index, innermost dimension fastest.
    const int dims = r.shape.size();
    QVector<qint64> index(dims, 0);
    qint64 src = r.offset;
    for (qint64 i = 0; i < numel; ++i) {
        std::memcpy(out + i * es, storage + src * es, size_t(es));
        for (int d = dims - 1; d >= 0; --d) {
            if (++index[d] < r.shape[d]) {
                src += r.stride[d];
                break;
            }
            src -= (r.shape[d] - 1) * r.stride[d];
            index[d] = 0;
        }
    }
    return w;
}

} // namespace

qint64 WeightTensor::numel() const
{
    qint64 n = 1;
    for (qint64 s : shape)
        n *= s;
    return n;
}

int WeightTensor::elementSize() const
{
    return dtypeElementSize(dtype);
}

int dtypeElementSize(const QString &dtype)
{
    static const QHash<QString, int> sizes = {
        {QStringLiteral("float32"), 4}, {QStringLiteral("float64"), 8},
                                         {QStringLiteral("float16"), 2}, {QStringLiteral("bfloat16"), 2},
                                                                          {QStringLiteral("int64"), 8},   {QStringLiteral("int32"), 4},
                                                                                                           {QStringLiteral("int16"), 2},   {QStringLiteral("int8"), 1},
                                                                                                                                            {QStringLiteral("uint8"), 1},   {QStringLiteral("bool"), 1},
                                                                                                                                            };
    return sizes.value(dtype, 0);
}

namespace {

/// Owns the open file and its mapping for the length of one read.
struct OpenFile {
    QFile file;
    QByteArray fallback; // when the file cannot be mapped
    Bytes bytes;
};

Status openFile(OpenFile *f, const QString &path)
{
    f->file.setFileName(path);
    if (!f->file.open(QIODevice::ReadOnly))
        return fileError(
            Error::Code::Io, path,
            QStringLiteral("cannot open the weight file: %1").arg(f->file.errorString()));
    f->bytes.size = f->file.size();
    if (f->bytes.size == 0)
        return fileError(Error::Code::Parse, path, QStringLiteral("the weight file is empty"));
    if (uchar *m = f->file.map(0, f->bytes.size)) {
        f->bytes.data = reinterpret_cast<const char *>(m);
    } else {
        f->fallback = f->file.readAll();
        f->bytes.data = f->fallback.constData();
        f->bytes.size = f->fallback.size();
    }
    return {};
}

// Shared storages (tied weights) and expanded views may copy out to more bytes
// than the file holds, but not to arbitrarily more.
qint64 outputBudget(const Bytes &b)
{
    return 4 * b.size + (qint64(256) << 20);
}

bool looksLegacy(const Bytes &b)
{
    return b.has(0, 14) && quint8(b.data[0]) == 0x80 && quint8(b.data[2]) == 0x8a
           && quint8(b.data[3]) == 0x0a && QByteArray::fromRawData(b.data + 4, 10) == kLegacyMagic;
}

/// A cut download has no directory: walk the local headers in torch's order
/// (data.pkl, then the storages), using the sizes the pickle promises, to name
/// the first tensor whose bytes are missing.
Error truncatedArchive(const Bytes &b, const QString &path)
{
    const QString cut = QStringLiteral("the file is truncated (its zip directory is missing)");
    if (!b.has(0, 30) || b.le(0, 4) != kLocalSig)
        return fileError(Error::Code::Parse, path, cut);
    const qint64 nameLen = qint64(b.le(26, 2));
    qint64 start = 30 + nameLen + qint64(b.le(28, 2));
    if (!b.has(30, nameLen) || !b.has(start, 0))
        return fileError(Error::Code::Parse, path, cut);
    const QString first = QString::fromUtf8(b.data + 30, nameLen);
    if (!first.endsWith(QLatin1String("/data.pkl")))
        return fileError(Error::Code::Parse, path, cut);
    const QString prefix = first.left(first.size() - 8);
    Unpickler up(QByteArray::fromRawData(b.data + start, qsizetype(b.size - start)));
    qsizetype consumed = 0;
    auto root = up.load(&consumed);
    if (!root)
        return fileError(Error::Code::Parse, path,
                         cut + QStringLiteral(" inside data.pkl: ") + root.error().message);
    QStringList ignored;
    auto refs = tensorsOf(*root, path, &ignored);
    if (!refs)
        return fileError(Error::Code::Parse, path, cut);
    QHash<QString, qint64> expected; // storage key -> bytes
    for (const NamedRef &t : *refs)
        expected.insert(t.ref.storage.key, t.ref.storage.numel * t.ref.storage.elementSize);
    QSet<QString> complete;
    qint64 at = start + consumed;
    while (true) {
        // Skip a data descriptor (torch writes one; other zip writers may not):
        // optional signature, crc, then 32- or 64-bit sizes.
        if (!b.has(at, 4) || b.le(at, 4) != kLocalSig) {
            if (b.has(at, 4) && b.le(at, 4) == kDescriptorSig)
                at += 4;
            if (b.has(at + 12, 4) && b.le(at + 12, 4) == kLocalSig)
                at += 12;
            else if (b.has(at + 20, 4) && b.le(at + 20, 4) == kLocalSig)
                at += 20;
            else
                break;
        }
        if (!b.has(at, 30))
            break;
        const qint64 n = qint64(b.le(at + 26, 2));
        const qint64 data = at + 30 + n + qint64(b.le(at + 28, 2));
        if (!b.has(at + 30, n))
            break;
        const QString name = QString::fromUtf8(b.data + at + 30, n);
        const QString key = name.startsWith(prefix + QLatin1String("data/"))
                                ? name.mid(prefix.size() + 5)
                                : QString();
        if (!expected.contains(key) || !b.has(data, expected.value(key)))
            break;
        complete.insert(key);
        at = data + expected.value(key);
    }
    // Storages sit in key order ("0", "1", "10", ...), not tensor order: count them all.
    QString firstMissing;
    int missing = 0;
    for (const NamedRef &t : *refs) {
        if (!complete.contains(t.ref.storage.key)) {
            if (missing++ == 0)
                firstMissing = t.name;
        }
    }
    if (missing > 0)
        return fileError(
            Error::Code::Parse, path,
            cut
                + QStringLiteral(": the data of %1 of %2 tensors is missing (the first is \"%3\")")
                                     .arg(missing)
                                     .arg(refs->size())
                                     .arg(firstMissing));
    return fileError(Error::Code::Parse, path, cut + QStringLiteral(" after the last tensor"));
}

Result<WeightFile> readZip(const Bytes &b, const QString &path)
{
    auto dir = readDirectory(b, path);
    if (!dir)
        return dir.error();
    if (!dir->complete)
        return truncatedArchive(b, path);
    const Archive &archive = *dir;
    if (isTorchScript(archive))
        return fileError(Error::Code::Unsupported, path,
                         QStringLiteral("is a TorchScript archive (it carries code), not a state_dict saved with torch.save"));
    const QString prefix = archivePrefix(archive);
    if (prefix.isEmpty())
        return fileError(
            Error::Code::Parse, path,
            QStringLiteral("is a zip archive but not a PyTorch weight file (no data.pkl)"));
    QSet<QString> checked;
    auto entryBytes = [&](const QString &name, const char **data, qint64 *size) -> Status {
        const auto it = archive.entries.constFind(name);
        if (it == archive.entries.constEnd())
            return fileError(Error::Code::Parse, path,
                             QStringLiteral("the archive has no entry %1").arg(name));
        if (it->method != 0)
            return fileError(
                Error::Code::Unsupported, path,
                QStringLiteral("the entry %1 is compressed (zip method %2); torch.save stores entries uncompressed, re-save the file with torch.save")
                                   .arg(name)
                                   .arg(it->method));
        *data = b.data + it->dataOffset;
        *size = it->size;
        if (it->crcKnown && !checked.contains(name)) {
            if (crc32(*data, *size) != it->crc)
                return fileError(
                    Error::Code::Parse, path,
                    QStringLiteral("the entry %1 is corrupted (checksum mismatch)").arg(name));
            checked.insert(name);
        }
        return {};
    };
    // torch >= 2.0 records the byte order of the storages; older files are little-endian.
    if (archive.entries.contains(prefix + QLatin1String("byteorder"))) {
        const char *order = nullptr;
        qint64 orderSize = 0;
        SALIENT_TRY(entryBytes(prefix + QLatin1String("byteorder"), &order, &orderSize));
        if (QByteArray::fromRawData(order, qsizetype(orderSize)).trimmed() != "little")
            return fileError(
                Error::Code::Unsupported, path,
                QStringLiteral("was written on a big-endian machine; re-save it on a PC"));
    }
    const char *pkl = nullptr;
    qint64 pklSize = 0;
    SALIENT_TRY(entryBytes(prefix + QLatin1String("data.pkl"), &pkl, &pklSize));
    Unpickler up(QByteArray::fromRawData(pkl, qsizetype(pklSize)));
    qsizetype pos = 0;
    auto root = up.load(&pos);
    if (!root) {
        Error e = root.error();
        e.path = QDir::toNativeSeparators(path);
        return e;
    }
    WeightFile out;
    qint64 budget = outputBudget(b);
    auto refs = tensorsOf(*root, path, &out.warnings);
    if (!refs)
        return refs.error();
    for (const NamedRef &t : *refs) {
        const char *data = nullptr;
        qint64 size = 0;
        const Status s =
            entryBytes(prefix + QLatin1String("data/") + t.ref.storage.key, &data, &size);
        if (!s.ok()) {
            Error e = s.error();
            e.message = QStringLiteral("tensor \"%1\": %2").arg(t.name, e.message);
            return e;
        }
        auto w = materialize(t, data, size, path, &budget);
        if (!w)
            return w.error();
        out.tensors.append(std::move(*w));
    }
    return out;
}

/// torch.save before 1.6: five pickles (magic, protocol, system info, the
/// object, the storage keys), then each storage as an int64 element count and
/// its bytes.
Result<WeightFile> readLegacy(const Bytes &b, const QString &path)
{
    Unpickler up(QByteArray::fromRawData(b.data, qsizetype(b.size)));
    qsizetype pos = 0;
    const Value *parts[5] = {};
    for (const Value *&part : parts) {
        auto v = up.load(&pos);
        if (!v) {
            Error e = v.error();
            e.path = QDir::toNativeSeparators(path);
            e.message = QStringLiteral("legacy (pre-1.6) weight file: ") + e.message;
            return e;
        }
        part = *v;
    }
    if (parts[1]->kind != Kind::Int || parts[1]->integer != 1001)
        return fileError(Error::Code::Unsupported, path,
                         QStringLiteral("legacy weight file of an unknown protocol version"));
    for (const auto &[k, v] : parts[2]->entries)
        if (k->kind == Kind::String && k->text == QLatin1String("little_endian")
            && v->kind == Kind::Bool && !v->boolean)
            return fileError(Error::Code::Unsupported, path,
                             QStringLiteral("legacy weight file written on a big-endian machine"));
    WeightFile out;
    qint64 budget = outputBudget(b);
    auto refs = tensorsOf(parts[3], path, &out.warnings);
    if (!refs)
        return refs.error();
    QHash<QString, int> elementSize;
    for (const NamedRef &t : *refs)
        elementSize.insert(t.ref.storage.key, t.ref.storage.elementSize);
    if (parts[4]->kind != Kind::List)
        return fileError(Error::Code::Parse, path,
                         QStringLiteral("legacy weight file without its list of storages"));
    QHash<QString, std::pair<qint64, qint64>> storages; // key -> offset, bytes
    qint64 at = pos;
    for (const Value *key : parts[4]->items) {
        if (key->kind != Kind::String || !elementSize.contains(key->text))
            return fileError(Error::Code::Parse, path,
                             QStringLiteral("legacy weight file lists a storage no tensor uses"));
        qint64 bytes = 0;
        if (!b.has(at, 8)
            || __builtin_mul_overflow(qint64(b.le(at, 8)), qint64(elementSize.value(key->text)),
                                      &bytes)
            || !b.has(at + 8, bytes))
            return fileError(
                Error::Code::Parse, path,
                QStringLiteral("the file is truncated: storage %1 is cut short").arg(key->text));
        storages.insert(key->text, {at + 8, bytes});
        at += 8 + bytes;
    }
    for (const NamedRef &t : *refs) {
        const auto it = storages.constFind(t.ref.storage.key);
        if (it == storages.constEnd())
            return fileError(Error::Code::Parse, path,
                             QStringLiteral("tensor \"%1\": its storage is missing").arg(t.name));
        auto w = materialize(t, b.data + it->first, it->second, path, &budget);
        if (!w)
            return w.error();
        out.tensors.append(std::move(*w));
    }
    out.warnings.append(QStringLiteral("read the legacy (pre-1.6) torch.save format"));
    return out;
}

} // namespace

Result<WeightFile> readWeightFile(const QString &path)
{
    OpenFile f;
    SALIENT_TRY(openFile(&f, path));
    const Bytes &b = f.bytes;
    if (b.has(0, 4) && b.le(0, 4) == kLocalSig)
        return readZip(b, path);
    if (looksLegacy(b))
        return readLegacy(b, path);
    if (b.size < 4
        && QByteArray::fromRawData(b.data, qsizetype(b.size))
               == QByteArray("PK\x03\x04", int(b.size)))
        return fileError(Error::Code::Parse, path, QStringLiteral("the file is truncated"));
    return fileError(Error::Code::Parse, path,
                     QStringLiteral("is not a PyTorch weight file (neither a torch.save zip archive nor a legacy torch.save pickle)"));
}

Result<bool> isTorchScriptArchive(const QString &path)
{
    OpenFile f;
    SALIENT_TRY(openFile(&f, path));
    if (looksLegacy(f.bytes))
        return false;
    if (!f.bytes.has(0, 4) || f.bytes.le(0, 4) != kLocalSig)
        return fileError(Error::Code::Parse, path,
                         QStringLiteral("is not a PyTorch file (not a zip archive)"));
    auto dir = readDirectory(f.bytes, path);
    if (!dir)
        return dir.error();
    if (!dir->complete)
        return fileError(Error::Code::Parse, path,
                         QStringLiteral("the file is truncated (its zip directory is missing)"));
    return isTorchScript(*dir);
}

QString torchScriptWarning(const QString &path)
{
    return QStringLiteral(
               "%1 is a TorchScript archive: it carries code, and LibTorch runs that code while "
               "it loads the file. Load it only if you trust where it came from (the studio asks "
               "first; salient-cli train needs --trust-torchscript). A torch.save(state_dict) .pth "
               "file carries no code and needs no such trust.")
        .arg(QDir::toNativeSeparators(path));
}

} // namespace salient::train
