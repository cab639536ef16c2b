// SPDX-License-Identifier: GPL-3.0-or-later
// The LibTorch export: a torch::serialize archive (the layout Module::save()
// writes: one nested archive per child module, so a LibTorch user can also
// model->load() it) plus "salient_meta", the ModelMeta JSON.
//
// Reading never runs code from the file. The archive is a TorchScript zip;
// the class declarations OutputArchive writes hold attributes only, so any
// `def` in its code/ records (a __setstate__ would run while unpickling) is
// refused before LibTorch sees the file. The network is rebuilt from the
// meta with makeModel() and each tensor is copied in after its name and
// shape are checked.
#include "core/train/modelfile.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/istream_adapter.h>

#include <sstream>

namespace salient::train {

namespace {

constexpr const char *kMetaKey = "salient_meta";
constexpr const char *kVersionKey = "salient_export_version";
constexpr std::int64_t kExportVersion = 1;

QString firstLine(const char *what)
{
    return QString::fromUtf8(what).section(QLatin1Char('\n'), 0, 0).trimmed();
}

QString shapeText(at::IntArrayRef sizes)
{
    QStringList parts;
    for (const auto s : sizes)
        parts << QString::number(s);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

Error fileError(Error::Code code, const QString &message, const QString &file)
{
    return makeError(code, message, file);
}

/// Module::save()'s layout, with every tensor a detached, contiguous CPU copy
/// (a model trained channels-last reads back the same everywhere).
void writeModule(const torch::nn::Module &module, torch::serialize::OutputArchive &archive)
{
    auto plain = [](const torch::Tensor &t) { return t.detach().to(torch::kCPU).contiguous(); };
    for (const auto &p : module.named_parameters(false))
        archive.write(p.key(), plain(p.value()));
    for (const auto &b : module.named_buffers(false))
        archive.write(b.key(), plain(b.value()), /*is_buffer=*/true);
    for (const auto &child : module.named_children()) {
        torch::serialize::OutputArchive childArchive(archive.compilation_unit());
        writeModule(*child.value(), childArchive);
        archive.write(child.key(), childArchive);
    }
}

/// The zip's records, checked before LibTorch parses them: a TorchScript
/// archive with data.pkl and no code beyond attribute declarations.
Status inspectArchive(const QByteArray &bytes, const QString &file)
{
    std::istringstream in(std::string(bytes.constData(), size_t(bytes.size())));
    std::vector<std::string> records;
    try {
        caffe2::serialize::PyTorchStreamReader reader(&in);
        records = reader.getAllRecords();
        bool hasData = false;
        for (const std::string &name : records) {
            if (name == "data.pkl")
                hasData = true;
            const bool code = name.rfind("code/", 0) == 0 && name.size() > 3
                              && name.compare(name.size() - 3, 3, ".py") == 0;
            if (!code)
                continue;
            at::DataPtr data;
            size_t size = 0;
            std::tie(data, size) = reader.getRecord(name);
            const std::string text(static_cast<const char *>(data.get()), size);
            if (text.find("def ") != std::string::npos)
                return fileError(Error::Code::Unsupported,
                                 QStringLiteral("carries TorchScript code (%1); a Salient Studio "
                                                "export never does, so it is not loaded")
                                     .arg(QString::fromStdString(name)),
                                 file);
        }
        if (!hasData)
            return fileError(Error::Code::Unsupported,
                             QStringLiteral("is a zip archive but not a LibTorch export (no data.pkl)"),
                             file);
    } catch (const std::exception &e) {
        return fileError(Error::Code::Parse,
                         QStringLiteral("is truncated or damaged: not a readable LibTorch archive "
                                        "(%1)")
                             .arg(firstLine(e.what())),
                         file);
    }
    return {};
}

/// Tensor parts[i..] below `archive` ("layer1.0.conv1.weight": child archives
/// layer1 / 0 / conv1, then the tensor), or an undefined tensor when absent.
torch::Tensor readTensor(torch::serialize::InputArchive &archive,
                         const std::vector<std::string> &parts, size_t i, bool buffer)
{
    if (i + 1 == parts.size()) {
        torch::Tensor t;
        if (!archive.try_read(parts[i], t, buffer))
            return {};
        return t;
    }
    torch::serialize::InputArchive child;
    if (!archive.try_read(parts[i], child))
        return {};
    return readTensor(child, parts, i + 1, buffer);
}

torch::Tensor readTensor(torch::serialize::InputArchive &root, const std::string &name,
                         bool buffer)
{
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t dot = name.find('.'); dot != std::string::npos; dot = name.find('.', start)) {
        parts.push_back(name.substr(start, dot - start));
        start = dot + 1;
    }
    parts.push_back(name.substr(start));
    return readTensor(root, parts, 0, buffer);
}

} // namespace

bool looksLikeZip(const QByteArray &bytes)
{
    return bytes.startsWith(QByteArrayLiteral("PK\x03\x04"))
           || bytes.startsWith(QByteArrayLiteral("PK\x05\x06")); // an empty zip
}

QString foreignFileKind(const QByteArray &bytes)
{
    struct Magic {
        QByteArray head;
        const char *kind;
    };
    static const Magic kMagic[] = {
        {QByteArrayLiteral("\x89PNG\r\n\x1a\n"), "a PNG image"},
        {QByteArrayLiteral("\xff\xd8\xff"), "a JPEG image"},
        {QByteArrayLiteral("GIF8"), "a GIF image"},
        {QByteArrayLiteral("BM"), "a BMP image"},
        {QByteArrayLiteral("II*\x00"), "a TIFF image"},
        {QByteArrayLiteral("MM\x00*"), "a TIFF image"},
        {QByteArrayLiteral("%PDF"), "a PDF document"},
        {QByteArrayLiteral("SQLite format 3"), "an SQLite database (a project?)"},
        {QByteArrayLiteral("\x80\x02"), "a Python pickle (a legacy torch.save file)"},
    };
    for (const Magic &m : kMagic)
        if (bytes.startsWith(m.head))
            return QString::fromLatin1(m.kind);
    if (bytes.startsWith("RIFF") && bytes.mid(8, 4) == "WEBP")
        return QStringLiteral("a WebP image");
    const QByteArray head = bytes.left(256).trimmed();
    if (head.startsWith('{') || head.startsWith('['))
        return QStringLiteral("a JSON file");
    if (!head.isEmpty()) {
        bool text = true;
        for (char c : head)
            if (static_cast<unsigned char>(c) < 0x09
                || (static_cast<unsigned char>(c) > 0x0d && static_cast<unsigned char>(c) < 0x20))
                text = false;
        if (text)
            return QStringLiteral("a text file");
    }
    return {};
}

Status saveLibTorchModel(ClassifierNet &model, ModelMeta meta, const QString &file)
{
    meta.format = QStringLiteral("libtorch");
    meta.architecture = QString::fromStdString(model.architecture());
    if (meta.classNames.size() != model.numClasses())
        return fileError(Error::Code::Invalid,
                         QStringLiteral("cannot export: %1 class names for a model with %2 outputs")
                             .arg(meta.classNames.size())
                             .arg(model.numClasses()),
                         file);
    std::string bytes;
    try {
        torch::serialize::OutputArchive archive;
        writeModule(model, archive);
        archive.write(kMetaKey, c10::IValue(meta.toJson().toStdString()));
        archive.write(kVersionKey, c10::IValue(kExportVersion));
        std::ostringstream out;
        archive.save_to(out);
        bytes = out.str();
    } catch (const std::exception &e) {
        return fileError(Error::Code::Io,
                         QStringLiteral("cannot write the LibTorch export: %1").arg(firstLine(e.what())),
                         file);
    }
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return fileError(Error::Code::Io, out.errorString(), file);
    if (out.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()) || !out.commit())
        return fileError(Error::Code::Io, out.errorString(), file);
    return {};
}

Result<LoadedModel> loadLibTorchModel(const QString &file)
{
    QFile f(file);
    if (!f.exists())
        return fileError(Error::Code::NotFound, QStringLiteral("no such model file"), file);
    if (!f.open(QIODevice::ReadOnly))
        return fileError(Error::Code::Io, f.errorString(), file);
    return loadLibTorchModelBytes(f.readAll(), file);
}

Result<LoadedModel> loadLibTorchModelBytes(const QByteArray &bytes, const QString &file)
{
    if (bytes.isEmpty())
        return fileError(Error::Code::Parse, QStringLiteral("is empty (0 bytes): not a model file"),
                         file);
    if (!looksLikeZip(bytes)) {
        const QString kind = foreignFileKind(bytes);
        return fileError(Error::Code::Unsupported,
                         kind.isEmpty()
                             ? QStringLiteral("is not a LibTorch export (not a zip archive)")
                             : QStringLiteral("is %1, not a LibTorch export").arg(kind),
                         file);
    }
    SALIENT_TRY(inspectArchive(bytes, file));

    LoadedModel loaded;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(bytes.constData(), size_t(bytes.size()), torch::Device(torch::kCPU));
        c10::IValue metaValue;
        if (!archive.try_read(kMetaKey, metaValue) || !metaValue.isString())
            return fileError(Error::Code::Unsupported,
                             QStringLiteral("is a LibTorch archive without Salient Studio metadata "
                                            "(%1): not a model export")
                                 .arg(QLatin1String(kMetaKey)),
                             file);
        auto meta = ModelMeta::fromJson(QByteArray::fromStdString(metaValue.toStringRef()), file);
        if (!meta)
            return meta.error();
        loaded.meta = meta.value();
        c10::IValue version;
        if (archive.try_read(kVersionKey, version) && version.isInt()
            && version.toInt() > kExportVersion)
            return fileError(Error::Code::Unsupported,
                             QStringLiteral("was written by a newer Salient Studio (export version "
                                            "%1; this build reads %2)")
                                 .arg(version.toInt())
                                 .arg(kExportVersion),
                             file);

        const std::string arch = loaded.meta.architecture.toStdString();
        const int classes = int(loaded.meta.classNames.size());
        auto model = makeModel(arch, classes);
        if (!model) {
            QStringList known;
            for (const std::string &n : modelNames())
                known << QString::fromStdString(n);
            return fileError(Error::Code::Unsupported,
                             QStringLiteral("names an unknown architecture \"%1\" (known: %2)")
                                 .arg(loaded.meta.architecture, known.join(QStringLiteral(", "))),
                             file);
        }

        // The head first, for the message a mismatch deserves.
        const std::string headWeight = model->headName() + ".weight";
        const torch::Tensor head = readTensor(archive, headWeight, false);
        if (head.defined() && head.dim() == 2 && head.size(0) != classes)
            return fileError(Error::Code::Parse,
                             QStringLiteral("lists %1 classes in its metadata but its head (%2) "
                                            "has %3 outputs")
                                 .arg(classes)
                                 .arg(QString::fromStdString(headWeight))
                                 .arg(head.size(0)),
                             file);

        torch::NoGradGuard noGrad;
        auto copyIn = [&](const std::string &name, torch::Tensor &target, bool buffer) -> Status {
            const torch::Tensor stored = readTensor(archive, name, buffer);
            if (!stored.defined())
                return fileError(Error::Code::Parse,
                                 QStringLiteral("is missing tensor %1 of %2")
                                     .arg(QString::fromStdString(name), loaded.meta.architecture),
                                 file);
            if (stored.sizes() != target.sizes())
                return fileError(Error::Code::Parse,
                                 QStringLiteral("has tensor %1 of shape %2; %3 needs %4")
                                     .arg(QString::fromStdString(name), shapeText(stored.sizes()),
                                          loaded.meta.architecture, shapeText(target.sizes())),
                                 file);
            if (stored.is_floating_point() != target.is_floating_point())
                return fileError(Error::Code::Parse,
                                 QStringLiteral("has tensor %1 of the wrong type")
                                     .arg(QString::fromStdString(name)),
                                 file);
            target.copy_(stored);
            return {};
        };
        for (auto &p : model->named_parameters(true))
            SALIENT_TRY(copyIn(p.key(), p.value(), false));
        for (auto &b : model->named_buffers(true))
            SALIENT_TRY(copyIn(b.key(), b.value(), true));
        model->eval();
        loaded.model = model;
    } catch (const std::exception &e) {
        return fileError(Error::Code::Parse,
                         QStringLiteral("cannot be read as a LibTorch export: %1").arg(firstLine(e.what())),
                         file);
    }
    if (loaded.meta.format.isEmpty())
        loaded.meta.format = QStringLiteral("libtorch");
    return loaded;
}

} // namespace salient::train
