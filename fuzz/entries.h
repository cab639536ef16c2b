// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The fuzz targets' entry functions (issue #9). Each takes any bytes, feeds
// them to one reader the way a user's file would reach it, and returns true
// when the reader accepted the input (false: it refused it with an Error,
// which is fine). None may crash, hang, leak or trip a sanitiser on any input.
// libfuzzer_main.cpp wraps one of them as LLVMFuzzerTestOneInput; the gcc-built
// tst_fuzzreplay calls every one on its corpus and past findings.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace salient::fuzz {

using Entry = bool (*)(const std::uint8_t *data, std::size_t size);

struct Target {
    const char *name; ///< folder name under fuzz/corpus/ and fuzz/regressions/
    Entry entry;
};

/// Every target, in the order run-all.sh runs them.
const std::vector<Target> &targets();

// Importers: the input becomes the annotation file(s) of a dataset folder
// beside a real PNG (a.png), then the format's read() runs on it. Inputs that
// stand for several files hold them one after another separated by the line
// "#%%" (kPartSeparator).
bool fuzzCoco(const std::uint8_t *data, std::size_t size);    ///< annotations.json
bool fuzzVoc(const std::uint8_t *data, std::size_t size);     ///< Annotations/a.xml #%% ImageSets/Main/train.txt #%% labelmap.txt
bool fuzzYolo(const std::uint8_t *data, std::size_t size);    ///< data.yaml #%% labels/train/a.txt
bool fuzzLabelme(const std::uint8_t *data, std::size_t size); ///< a.json
bool fuzzCsv(const std::uint8_t *data, std::size_t size);     ///< labels.csv
/// COCO RLE: a JSON object {"size":[h,w],"counts":...} through maskFromJson, or
/// else two bytes of size then the compressed counts string.
bool fuzzCocoRle(const std::uint8_t *data, std::size_t size);
/// The bytes as a .salient file: opened read-only and read through, then read-write.
bool fuzzProject(const std::uint8_t *data, std::size_t size);
/// The bytes as a .pth file: readWeightFile and isTorchScriptArchive.
bool fuzzWeightFile(const std::uint8_t *data, std::size_t size);
/// The bytes as one pickle stream for the whitelisting Unpickler.
bool fuzzPickle(const std::uint8_t *data, std::size_t size);

} // namespace salient::fuzz
