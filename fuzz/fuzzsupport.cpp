// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/fuzzsupport.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>

#include <cstring>
#include <memory>
#include <utility>

namespace salient::fuzz {

void ensureApplication()
{
    if (QCoreApplication::instance())
        return;
    static int argc = 1;
    static char name[] = "salient-fuzz";
    static char *argv[] = {name, nullptr};
    static auto *app = new QCoreApplication(argc, argv); // lives as long as the process
    (void)app;
}

namespace {

QByteArray smallPng()
{
    QImage img(8, 6, QImage::Format_RGB888);
    img.fill(QColor(40, 120, 200));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    img.save(&buffer, "PNG");
    return bytes;
}

} // namespace

QString scratchDir(const char *target, const QStringList &imageFolders)
{
    // Removed again when the process exits normally (libFuzzer's time limit, a test's end).
    struct Made {
        QHash<QString, QString> dirs;
        ~Made()
        {
            for (const QString &d : std::as_const(dirs))
                QDir(d).removeRecursively();
        }
    };
    static Made made;
    const QString key = QString::fromLatin1(target);
    auto it = made.dirs.constFind(key);
    if (it != made.dirs.constEnd())
        return *it;
    // RAM when it is there: libFuzzer writes these files millions of times.
    const QString base = QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm")
                                                                   : QDir::tempPath();
    const QString dir = QStringLiteral("%1/salient-fuzz-%2-%3")
                            .arg(base, key)
                            .arg(QCoreApplication::applicationPid());
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    const QByteArray png = smallPng();
    putFile(dir, QStringLiteral("a.png"), &png);
    for (const QString &folder : imageFolders)
        putFile(dir, folder + QStringLiteral("/a.png"), &png);
    made.dirs.insert(key, dir);
    return dir;
}

void putFile(const QString &dir, const QString &relative, const QByteArray *bytes)
{
    const QString path = dir + QLatin1Char('/') + relative;
    if (!bytes) {
        QFile::remove(path);
        return;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(*bytes);
}

QVector<QByteArray> splitParts(const std::uint8_t *data, std::size_t size, int maxParts)
{
    const QByteArray in(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray sep(kPartSeparator);
    QVector<QByteArray> parts;
    qsizetype from = 0;
    while (parts.size() + 1 < maxParts) {
        const qsizetype at = in.indexOf(sep, from);
        if (at < 0)
            break;
        parts << in.mid(from, at - from);
        from = at + sep.size();
    }
    parts << in.mid(from);
    return parts;
}

} // namespace salient::fuzz
