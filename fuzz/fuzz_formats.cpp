// SPDX-License-Identifier: GPL-3.0-or-later
// Entry functions for the dataset importers: the real read() on a real folder.
#include "fuzz/entries.h"
#include "fuzz/fuzzsupport.h"

#include "core/formats/format.h"

namespace salient::fuzz {

namespace {

bool readWith(FormatId id, const QString &path)
{
    const DatasetFormat *format = datasetFormat(id);
    format->detect(path); // the cheap sniffing runs on the same hostile bytes
    QVector<FormatProblem> problems;
    return format->read(path, ReadOptions{}, problems).ok();
}

const QByteArray *part(const QVector<QByteArray> &parts, int i)
{
    return i < parts.size() ? &parts[i] : nullptr;
}

} // namespace

bool fuzzCoco(const std::uint8_t *data, std::size_t size)
{
    ensureApplication();
    const QString dir = scratchDir("coco", {QStringLiteral("images")});
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    putFile(dir, QStringLiteral("annotations.json"), &bytes);
    return readWith(FormatId::Coco, dir + QStringLiteral("/annotations.json"));
}

bool fuzzVoc(const std::uint8_t *data, std::size_t size)
{
    ensureApplication();
    const QString dir = scratchDir("voc", {QStringLiteral("JPEGImages")});
    const QVector<QByteArray> parts = splitParts(data, size, 3);
    putFile(dir, QStringLiteral("Annotations/a.xml"), part(parts, 0));
    putFile(dir, QStringLiteral("ImageSets/Main/train.txt"), part(parts, 1));
    putFile(dir, QStringLiteral("labelmap.txt"), part(parts, 2));
    return readWith(FormatId::Voc, dir);
}

bool fuzzYolo(const std::uint8_t *data, std::size_t size)
{
    ensureApplication();
    const QString dir = scratchDir("yolo", {QStringLiteral("images/train")});
    const QVector<QByteArray> parts = splitParts(data, size, 2);
    putFile(dir, QStringLiteral("data.yaml"), part(parts, 0));
    putFile(dir, QStringLiteral("labels/train/a.txt"), part(parts, 1));
    return readWith(FormatId::Yolo, dir);
}

bool fuzzLabelme(const std::uint8_t *data, std::size_t size)
{
    ensureApplication();
    const QString dir = scratchDir("labelme");
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    putFile(dir, QStringLiteral("a.json"), &bytes);
    return readWith(FormatId::Labelme, dir);
}

bool fuzzCsv(const std::uint8_t *data, std::size_t size)
{
    ensureApplication();
    const QString dir = scratchDir("csv", {QStringLiteral("images")});
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    putFile(dir, QStringLiteral("labels.csv"), &bytes);
    return readWith(FormatId::Csv, dir + QStringLiteral("/labels.csv"));
}

} // namespace salient::fuzz
