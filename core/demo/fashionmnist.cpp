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

} // namespace

QString defaultFashionMnistDir()
{
    return QStringLiteral("/usr/share/datasets/fashion-mnist");
}

QStringList fashionMnistClassNames()
{
    return {
        QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"), QStringLiteral("Pullover"),
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
        SALIENT_TRY(openIdx(f, imagesFile));
        // The magic first, so that a wrong file is called that, not "too short".
        unsigned char header[16];
        if (!f.readExactly(header, 4))
            return parseError(imagesFile, QStringLiteral("too short for an IDX images header (or a "
                                                         "damaged gzip stream)"));
        const quint32 magic = bigEndian(header);
        if (magic != kImagesMagic)
            return parseError(imagesFile, QStringLiteral("not an IDX images file (magic 0x%1, "
                                                         "expected 0x00000803)")
                                                             .arg(magic, 8, 16, QLatin1Char('0')));
        if (!f.readExactly(header + 4, 12))
            return parseError(imagesFile, QStringLiteral("too short for an IDX images header"));
        count = bigEndian(header + 4);
        const quint32 rows = bigEndian(header + 8);
        const quint32 cols = bigEndian(header + 12);
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
    SALIENT_TRY(openIdx(f, labelsFile));
    unsigned char header[8];
    if (!f.readExactly(header, 4))
        return parseError(labelsFile, QStringLiteral("too short for an IDX labels header (or a "
                                                     "damaged gzip stream)"));
    const quint32 magic = bigEndian(header);
    if (magic != kLabelsMagic)
        return parseError(labelsFile, QStringLiteral("not an IDX labels file (magic 0x%1, expected "
                                                     "0x00000801)")
                                                         .arg(magic, 8, 16, QLatin1Char('0')));
    if (!f.readExactly(header + 4, 4))
        return parseError(labelsFile, QStringLiteral("too short for an IDX labels header"));
    const qint64 labelCount = bigEndian(header + 4);
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
