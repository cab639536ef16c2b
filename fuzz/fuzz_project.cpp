// SPDX-License-Identifier: GPL-3.0-or-later
// Entry function for the project opener: the bytes as someone's .salient file.
#include "fuzz/entries.h"
#include "fuzz/fuzzsupport.h"

#include "core/project/store.h"

#include <QFile>

namespace salient::fuzz {

namespace {

// Reads what the studio reads when a project opens and an image is shown.
void readThrough(const ProjectStore &store)
{
    (void)store.classes();
    (void)store.splits();
    (void)store.setting(QStringLiteral("name"));
    (void)store.countImages();
    auto ids = store.imageIds({}, 0, 50);
    if (!ids.ok())
        return;
    (void)store.images(ids.value());
    (void)store.labels(ids.value());
    (void)store.shapesOfImages(ids.value());
    if (!ids.value().isEmpty())
        (void)store.meta(ids.value().first());
    (void)store.classImageCounts();
    (void)store.splitImageCounts();
    (void)store.shapeCountsByClass();
    (void)store.imageClasses();
}

} // namespace

bool fuzzProject(const std::uint8_t *data, std::size_t size)
{
    ensureApplication();
    const QString dir = scratchDir("project");
    const QString file = dir + QStringLiteral("/p.salient");
    for (const char *suffix : {"-wal", "-shm", "-journal"})
        QFile::remove(file + QLatin1String(suffix));
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    putFile(dir, QStringLiteral("p.salient"), &bytes);
    bool accepted = false;
    if (auto store = ProjectStore::open(file, ProjectStore::OpenMode::ReadOnly); store.ok()) {
        readThrough(*store.value());
        accepted = true;
    }
    // Read-write may migrate an older schema forward: that must hold up too.
    if (auto store = ProjectStore::open(file, ProjectStore::OpenMode::ReadWrite); store.ok())
        readThrough(*store.value());
    else
        accepted = false;
    return accepted;
}

} // namespace salient::fuzz
