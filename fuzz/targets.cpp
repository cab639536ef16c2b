// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/entries.h"

namespace salient::fuzz {

const std::vector<Target> &targets()
{
    static const std::vector<Target> all = {
        {"coco", fuzzCoco},         {"voc", fuzzVoc},         {"yolo", fuzzYolo},
        {"labelme", fuzzLabelme},   {"csv", fuzzCsv},         {"cocorle", fuzzCocoRle},
        {"project", fuzzProject},   {"weightfile", fuzzWeightFile}, {"pickle", fuzzPickle},
    };
    return all;
}

} // namespace salient::fuzz
