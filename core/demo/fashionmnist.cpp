// SPDX-License-Identifier: GPL-3.0-or-later
// Reading Fashion-MNIST's IDX files (gzipped or plain).
#include "core/demo/fashionmnist.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace salient {

namespace {

constexpr quint32 kImagesMagic = 0x00000803; // unsigned byte, 3 dimensions
constexpr quint32 kLabelsMagic = 0x00000801; // unsigned byte, 1 dimension
constexpr int kMaxSide = 4096;
constexpr qint64 kMaxItems = 10 * 1000 * 1000;

// Opens a gzip (or, transparently, a plain) file; gzread does both.
class GzFile {
public:
    explicit GzFile(const QString &path) : m_file(gzopen(QFile::encodeName(path).constData(), "rb"))
    {
        if (m_file)
            gzbuffer(m_file, 256 * 1024);
    }
    ~GzFile()
    {
        if (m_file)
            gzclose(m_file);
    }
    GzFile(const GzFile &) = delete;
    GzFile &operator=(const GzFile &) = delete;
    bool isOpen() const { return m_file != nullptr; }

    /// Reads exactly n bytes; false on a short read or a gzip error.
    bool readExactly(void *buffer, qint64 n)
    {
        auto *out = static_cast<char *>(buffer);
        while (n > 0) {
            const unsigned chunk = unsigned(std::min<qint64>(n, 64 * 1024 * 1024));
            const int got = gzread(m_file, out, chunk);
            if (got <= 0)
                return false;
            out += got;
            n -= got;
        }
        return true;
    }

private:
    gzFile m_file;
};

quint32 bigEndian(const unsigned char *p)
{
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

Error parseError(const QString &path, const QString &message)
{
    return makeError(Error::Code::Parse, message, path);
}

Status openIdx(GzFile &file, const QString &path)
{
    if (!QFileInfo(path).isFile())
        return makeError(Error::Code::Io, QStringLiteral("no such file"), path);
    if (!file.isOpen())
        return makeError(Error::Code::Io, QStringLiteral("cannot open for reading"), path);
    return {};
}

/// Opens an IDX file and reads its header: the magic first, so that a wrong
/// file is called that rather than "too short", then `count` big-endian
/// 32-bit sizes into `sizes`. `kind` is "images" or "labels", for messages.
Status readIdxHeader(GzFile &f, const QString &path, const char *kind, quint32 expectedMagic,
                     quint32 *sizes, int count)
{
    SALIENT_TRY(openIdx(f, path));
    const QString what = QString::fromLatin1(kind);
    unsigned char word[4];
    if (!f.readExactly(word, 4))
        return parseError(path, QStringLiteral("too short for an IDX %1 header (or a damaged gzip "
                                               "stream)").arg(what));
    const quint32 magic = bigEndian(word);
    if (magic != expectedMagic)
        return parseError(path, QStringLiteral("not an IDX %1 file (magic 0x%2, expected 0x%3)")
                                    .arg(what)
                                    .arg(magic, 8, 16, QLatin1Char('0'))
                                    .arg(expectedMagic, 8, 16, QLatin1Char('0')));
    for (int i = 0; i < count; ++i) {
        if (!f.readExactly(word, 4))
            return parseError(path, QStringLiteral("too short for an IDX %1 header").arg(what));
        sizes[i] = bigEndian(word);
    }
    return {};
}

} // namespace

QString defaultFashionMnistDir()
{
    return QStringLiteral("/usr/share/datasets/fashion-mnist");
}

QStringList fashionMnistClassNames()
{
    return {QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"), QStringLiteral("Pullover"),
            QStringLiteral("Dress"),       QStringLiteral("Coat"),    QStringLiteral("Sandal"),
            QStringLiteral("Shirt"),       QStringLiteral("Sneaker"), QStringLiteral("Bag"),
            QStringLiteral("Ankle boot")};
}

Result<IdxDataset> readIdx(const QString &imagesFile, const QString &labelsFile)
{
    IdxDataset data;
    qint64 count = 0;
    {
        GzFile f(imagesFile);
        quint32 sizes[3];
        SALIENT_TRY(readIdxHeader(f, imagesFile, "images", kImagesMagic, sizes, 3));
        count = sizes[0];
        const quint32 rows = sizes[1];
        const quint32 cols = sizes[2];
        if (rows == 0 || cols == 0 || rows > kMaxSide || cols > kMaxSide)
            return parseError(imagesFile,
                              QStringLiteral("implausible image size %1x%2").arg(cols).arg(rows));
        if (count > kMaxItems)
            return parseError(imagesFile, QStringLiteral("implausible image count %1").arg(count));
        if (count * rows * cols > std::numeric_limits<int>::max())
            return parseError(imagesFile, QStringLiteral("too large to load at once"));
        data.rows = int(rows);
        data.cols = int(cols);
        data.pixels.resize(int(count * rows * cols));
        if (!f.readExactly(data.pixels.data(), data.pixels.size()))
            return parseError(imagesFile,
                              QStringLiteral("truncated: the header announces %1 images "
                                                         "of %2x%3")
                                                 .arg(count)
                                                 .arg(cols)
                                                 .arg(rows));
    }
    GzFile f(labelsFile);
    quint32 labelSizes[1];
    SALIENT_TRY(readIdxHeader(f, labelsFile, "labels", kLabelsMagic, labelSizes, 1));
    const qint64 labelCount = labelSizes[0];
    if (labelCount != count)
        return parseError(labelsFile, QStringLiteral("%1 labels, but %2 has %3 images")
                                                         .arg(labelCount)
                                                         .arg(QFileInfo(imagesFile).fileName())
                                                         .arg(count));
    data.labels.resize(int(count));
    if (!f.readExactly(data.labels.data(), data.labels.size()))
        return parseError(labelsFile,
                          QStringLiteral("truncated: the header announces %1 labels").arg(count));
    return data;
}

Result<IdxDataset> loadFashionMnist(const QString &part, const QString &dir)
{
    const QDir base(dir.isEmpty() ? defaultFashionMnistDir() : dir);
    QString prefix;
    if (part == QLatin1String("train"))
        prefix = QStringLiteral("train");
    else if (part == QLatin1String("test"))
        prefix = QStringLiteral("t10k");
    else
        return makeError(
            Error::Code::Invalid,
            QStringLiteral("unknown Fashion-MNIST part \"%1\" (train or test)").arg(part));
    // Debian ships them gzipped; an unpacked copy works too.
    auto file = [&](const QString &kind) {
        const QString name = base.filePath(prefix + QLatin1Char('-') + kind);
        return QFileInfo::exists(name + QLatin1String(".gz")) || !QFileInfo::exists(name)
                   ? name + QLatin1String(".gz")
                   : name;
    };
    return readIdx(file(QStringLiteral("images-idx3-ubyte")),
                        file(QStringLiteral("labels-idx1-ubyte")));
}

} // namespace salient
