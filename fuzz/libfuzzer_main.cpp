// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer's entry point for one target: SALIENT_FUZZ_ENTRY names the entry
// function (see entries.h); CMake builds this file once per target.
#include "fuzz/entries.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    (void)salient::fuzz::SALIENT_FUZZ_ENTRY(data, size);
    return 0; // a refused input is as good as an accepted one: both must not crash
}
