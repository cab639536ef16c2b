// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/geometry.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace salient::cocorle {

// COCO's run-length masks (pycocotools' maskApi): the image of h x w pixels is
// read COLUMN-major (x outer, y inner), and `counts` alternate off/on run
// lengths starting with an off run (which may be 0). The compressed form is a
// string: each count, after count[i] -= count[i-2] for i > 2, is written as
// little-endian 5-bit groups, each group + 48 as one character, with 0x20
// meaning "more groups follow" and 0x10 in the last group the sign bit.

/// Masks larger than this (h * w) are refused when decoding.
constexpr qint64 kMaxRlePixels = 400LL * 1000 * 1000;

/// The runs of `mask` over an image of width x height (pixels outside are
/// dropped). Costs O(mask window), not O(image). Sum of counts == width * height.
std::vector<std::uint64_t> maskToCounts(const Mask &mask, int width, int height);

/// COCO's string form of counts.
QByteArray encodeCounts(const std::vector<std::uint64_t> &counts);

/// Decodes COCO's string form. Every character and length is checked: bad
/// characters, over-long groups, negative or overflowing counts, or counts
/// summing past `maxSum` give an Error (Parse), never a crash.
Result<std::vector<std::uint64_t>> decodeCounts(const QByteArray &text, std::uint64_t maxSum);

/// The mask the runs describe over an image of width x height, its window the
/// tight bounds of its on pixels (an empty Mask when none is on). An Error when
/// the size is not positive, larger than maxPixels, or the counts do not sum
/// to width * height. Allocates only the on pixels' window.
Result<Mask> countsToMask(const std::vector<std::uint64_t> &counts, int width, int height,
                          qint64 maxPixels = kMaxRlePixels);

/// The mask of a COCO RLE object {"size": [h, w], "counts": "..." or [...]}
/// (compressed or not). imageWidth/Height: the declared image size (0: not
/// declared); an RLE of another size is refused. An Error's `where` names the
/// member at fault (".size", ".counts", ".counts[3]").
Result<Mask> maskFromJson(const QJsonObject &rle, int imageWidth, int imageHeight);

/// The compressed RLE object of `mask` over an image of width x height, as
/// JSON text; `area` receives the on pixels inside the image.
QByteArray maskToJson(const Mask &mask, int width, int height, std::uint64_t *area = nullptr);

} // namespace salient::cocorle

namespace salient::cocojson {

// A COCO file of a million annotations is ~150 MB of JSON. Parsing it whole
// into a QJsonDocument holds a tree of ~1 GB and takes seconds of allocation;
// instead the text is split here into its top-level members and each array
// into its elements, and only one element at a time is parsed with Qt's
// parser. Every byte still passes through a JSON parser (the splitter checks
// the structure between elements, QJsonDocument the elements themselves), so
// malformed text anywhere is still found and located.

/// A byte range [begin, end) of the text.
struct Span {
    qsizetype begin = 0;
    qsizetype end = 0;
};

class Splitter {
public:
    explicit Splitter(const QByteArray &text) : m_text(text) {}

    /// The members of the top-level object, in file order, with the span of
    /// each value. False (see errorOffset()) when the text is not one object.
    bool topLevelMembers(std::vector<std::pair<QString, Span>> &out);
    /// Parses `value` (any JSON value) with Qt's parser. False on a syntax error.
    bool parse(Span value, QJsonValue &out);
    /// Calls fn(index, element) for each element of the array at `array`,
    /// stopping early when fn returns false. False on a syntax error.
    bool forEachElement(Span array, const std::function<bool(int, const QJsonValue &)> &fn);
    bool isArray(Span s) const { return s.begin < s.end && m_text[s.begin] == '['; }

    /// Where the last syntax error is (byte offset) and what the parser said.
    qsizetype errorOffset() const { return m_errorOffset; }
    QString errorText() const { return m_errorText; }

private:
    qsizetype skipSpace(qsizetype p) const;
    qsizetype valueEnd(qsizetype p);  ///< -1 on error
    qsizetype stringEnd(qsizetype p); ///< p at the opening quote; -1 on error
    bool fail(qsizetype offset, const QString &what);

    const QByteArray &m_text;
    qsizetype m_errorOffset = -1;
    QString m_errorText;
};

/// Appends `s` as a JSON string (quoted, escaped; UTF-8).
void appendString(QByteArray &out, const QString &s);
/// Appends a JSON number: integers as such, others via formatNumber (6 decimals at most).
void appendNumber(QByteArray &out, double v);

} // namespace salient::cocojson
