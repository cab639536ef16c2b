// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/formats/formatutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSaveFile>

#include <cmath>

#include <unistd.h>

namespace salient {

namespace {

QString shown(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

bool isInside(const QString &root, const QString &path)
{
    return path == root || path.startsWith(root + QLatin1Char('/'));
}

} // namespace

QString shownPath(const QString &path)
{
    return shown(path);
}

Result<QString> resolveInside(const QString &root, const QString &base, const QString &name)
{
    QString n = name;
    n.replace(QLatin1Char('\\'), QLatin1Char('/'));
    if (n.trimmed().isEmpty())
        return makeError(Error::Code::Invalid, QStringLiteral("empty image path"));
    // No file system takes a NUL in a name; Qt would warn and look up a cut name.
    if (const qsizetype nul = n.indexOf(QChar(0)); nul >= 0)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("image path '%1' refused: it contains a NUL character "
                                        "(position %2)")
                             .arg(QString(name).replace(QChar(0), QStringLiteral("\\0")),
                                  QString::number(nul + 1)));
    static const QRegularExpression drive(QStringLiteral("^[A-Za-z]:"));
    if (n.startsWith(QLatin1Char('/')) || drive.match(n).hasMatch() || n.startsWith(QLatin1Char('~')))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("image path '%1' refused: absolute paths may point "
                                        "anywhere; image paths must be relative to the dataset")
                             .arg(name));
    const QString cleanRoot = QDir::cleanPath(QDir(root).absolutePath());
    const QString joined = QDir::cleanPath(QDir(base).absoluteFilePath(n));
    if (!isInside(cleanRoot, joined))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("image path '%1' refused: it leads out of the dataset "
                                        "folder %2")
                             .arg(name, shown(cleanRoot)));
    // A symlink inside the folder must not lead out of it either.
    const QFileInfo fi(joined);
    if (fi.exists()) {
        // Readers resolve thousands of names against one root: remember its real path.
        thread_local QString lastRoot, lastCanonicalRoot;
        if (lastRoot != cleanRoot) {
            lastRoot = cleanRoot;
            lastCanonicalRoot = QFileInfo(cleanRoot).canonicalFilePath();
        }
        const QString canonicalRoot = lastCanonicalRoot;
        const QString canonical = fi.canonicalFilePath();
        if (!canonicalRoot.isEmpty() && !isInside(canonicalRoot, canonical))
            return makeError(Error::Code::Invalid,
                             QStringLiteral("image path '%1' refused: a symbolic link leads out "
                                            "of the dataset folder %2")
                                 .arg(name, shown(cleanRoot)));
    }
    return joined;
}

Result<QByteArray> readAnnotationFile(const QString &path, qint64 maxBytes)
{
    QFile f(path);
    const QFileInfo fi(path);
    if (!fi.exists())
        return makeError(Error::Code::NotFound, QStringLiteral("no such file"), shown(path));
    if (fi.isDir())
        return makeError(Error::Code::Invalid, QStringLiteral("is a folder, not a file"),
                         shown(path));
    if (fi.size() > maxBytes)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("file of %1 MB is larger than the %2 MB an annotation "
                                        "file may have")
                             .arg(fi.size() / 1000000)
                             .arg(maxBytes / 1000000),
                         shown(path));
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot read the file: %1").arg(f.errorString()),
                         shown(path));
    QByteArray bytes = f.readAll();
    if (f.error() != QFileDevice::NoError)
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot read the file: %1").arg(f.errorString()),
                         shown(path));
    return bytes;
}

int lineAtOffset(const QByteArray &text, qint64 offset)
{
    offset = std::clamp<qint64>(offset, 0, text.size());
    int line = 1;
    const char *p = text.constData();
    for (qint64 i = 0; i < offset; ++i)
        if (p[i] == '\n')
            ++line;
    return line;
}

int columnAtOffset(const QByteArray &text, qint64 offset)
{
    offset = std::clamp<qint64>(offset, 0, text.size());
    const qint64 nl = offset > 0 ? text.lastIndexOf('\n', offset - 1) : -1;
    return int(offset - nl);
}

Result<QJsonDocument> parseJsonFile(const QByteArray &text, const QString &path)
{
    QJsonParseError pe;
    QJsonDocument doc = QJsonDocument::fromJson(text, &pe);
    if (pe.error != QJsonParseError::NoError) {
        Error e = makeError(Error::Code::Parse,
                            QStringLiteral("malformed JSON at column %1: %2")
                                .arg(columnAtOffset(text, pe.offset))
                                .arg(pe.errorString()),
                            shown(path), lineAtOffset(text, pe.offset));
        return e;
    }
    return doc;
}

Status writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    const QFileInfo fi(path);
    if (!QDir().mkpath(fi.absolutePath()))
        return makeError(Error::Code::Io, QStringLiteral("cannot create the folder"),
                         shown(fi.absolutePath()));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot write the file: %1").arg(f.errorString()),
                         shown(path));
    if (f.write(bytes) != bytes.size() || !f.commit())
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot write the file: %1").arg(f.errorString()),
                         shown(path));
    return {};
}

Status placeImage(const QString &source, const QString &destination, ImagePlacement placement)
{
    if (placement == ImagePlacement::None)
        return {};
    const QFileInfo src(source);
    if (!src.exists())
        return makeError(Error::Code::NotFound, QStringLiteral("image file is missing"),
                         shown(source));
    const QFileInfo dst(destination);
    if (dst.exists()) {
        if (dst.size() == src.size())
            return {};
        QFile::remove(destination);
    }
    if (!QDir().mkpath(dst.absolutePath()))
        return makeError(Error::Code::Io, QStringLiteral("cannot create the folder"),
                         shown(dst.absolutePath()));
    // The link goes to the file itself: link(2) on a symbolic link would put
    // the link, pointing wherever it points, into the export.
    const QString real = src.canonicalFilePath();
    if (placement == ImagePlacement::Link
        && ::link(QFile::encodeName(real).constData(), QFile::encodeName(destination).constData())
            == 0)
        return {};
    // Copy beside, then rename: a crash never leaves a half image under the real name.
    const QString part = destination + QStringLiteral(".part");
    QFile::remove(part);
    if (!QFile::copy(source, part) || !QFile::rename(part, destination)) {
        QFile::remove(part);
        return makeError(Error::Code::Io, QStringLiteral("cannot copy the image to %1").arg(shown(destination)),
                         shown(source));
    }
    return {};
}

QString exportFileName(const QString &name)
{
    static const QRegularExpression awkward(QStringLiteral("[/\\\\:*?\"<>|\\x00-\\x1f]"));
    QString n = name;
    n.replace(awkward, QStringLiteral("_"));
    n = n.trimmed();
    // "." and ".." name folders, not files; a hidden name would vanish from view.
    if (n.startsWith(QLatin1Char('.')))
        n[0] = QLatin1Char('_');
    return n.isEmpty() ? QStringLiteral("_") : n;
}

QString exportRelativePath(const QString &storedPath)
{
    QString p = storedPath;
    p.replace(QLatin1Char('\\'), QLatin1Char('/'));
    static const QRegularExpression drive(QStringLiteral("^[A-Za-z]:"));
    const QString clean = QDir::cleanPath(p);
    const bool outside = QDir::isAbsolutePath(p) || drive.match(p).hasMatch()
                         || p.startsWith(QLatin1Char('~')) || clean == QLatin1String("..")
                         || clean.startsWith(QLatin1String("../"));
    QStringList parts;
    if (outside) {
        parts << QStringLiteral("external") << clean.section(QLatin1Char('/'), -1);
    } else {
        // Segment by segment, so that no ".." and no separator can survive
        // into a path the writers join to their output folder.
        for (const QString &segment : clean.split(QLatin1Char('/'), Qt::SkipEmptyParts))
            if (segment != QLatin1String("."))
                parts << segment;
        if (parts.isEmpty())
            parts << QString();
    }
    static const QRegularExpression awkward(QStringLiteral("[:*?\"<>|\\x00-\\x1f]"));
    for (QString &segment : parts) {
        segment.replace(awkward, QStringLiteral("_"));
        if (segment.isEmpty() || segment == QLatin1String("..") || segment == QLatin1String("."))
            segment = QStringLiteral("_");
    }
    return parts.join(QLatin1Char('/'));
}

QString formatNumber(double value, int decimals)
{
    if (!std::isfinite(value))
        return QStringLiteral("0");
    QString s = QString::number(value, 'f', decimals);
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    if (s == QLatin1String("-0"))
        s = QStringLiteral("0");
    return s;
}

} // namespace salient
