// SPDX-License-Identifier: GPL-3.0-or-later
// Entry function for COCO's run-length mask decoder.
#include "fuzz/entries.h"

#include "core/formats/cocorle.h"

#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdlib>

namespace salient::fuzz {

bool fuzzCocoRle(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    if (size > 0 && data[0] == '{') {
        // The JSON object as a COCO annotation holds it; the image size is
        // declared (taken from the object itself) or not.
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        if (!doc.isObject())
            return false;
        const QJsonObject rle = doc.object();
        const bool undeclared = cocorle::maskFromJson(rle, 0, 0).ok();
        const QJsonArray sizes = rle.value(QStringLiteral("size")).toArray();
        const int h = sizes.size() == 2 ? sizes.at(0).toInt() : 0;
        const int w = sizes.size() == 2 ? sizes.at(1).toInt() : 0;
        const bool declared = cocorle::maskFromJson(rle, w, h).ok();
        return undeclared && declared;
    }
    if (size < 2)
        return false;
    // Two bytes of size (1..256 each), then the compressed counts.
    const int height = int(data[0]) + 1;
    const int width = int(data[1]) + 1;
    const QByteArray text = bytes.mid(2);
    auto counts = cocorle::decodeCounts(text, std::uint64_t(width) * std::uint64_t(height));
    if (!counts.ok())
        return false;
    auto mask = cocorle::countsToMask(counts.value(), width, height);
    if (!mask.ok())
        return false;
    // A decoded mask survives encoding and decoding again unchanged: a
    // difference is a finding (abort, which libFuzzer reports as a crash).
    const QByteArray encoded =
        cocorle::encodeCounts(cocorle::maskToCounts(mask.value(), width, height));
    auto again = cocorle::decodeCounts(encoded, std::uint64_t(width) * std::uint64_t(height));
    if (!again.ok())
        std::abort();
    auto back = cocorle::countsToMask(again.value(), width, height);
    if (!back.ok() || back.value() != mask.value())
        std::abort();
    return true;
}

} // namespace salient::fuzz
