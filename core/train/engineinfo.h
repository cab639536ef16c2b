// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace salient::train {

/// What the training engine runs on, for the UI and `salient-cli info`.
struct EngineInfo {
    QString torchVersion;  ///< e.g. "1.13.1"
    int threads = 1;       ///< intra-op threads in use
    bool cuda = false;     ///< LibTorch built with CUDA and a device present
    QString device;        ///< "cpu" or "cuda:0"
};

/// Sets LibTorch's intra-op thread count on purpose (Debian's starts with one).
/// threads <= 0 means all cores. Returns the count now in effect.
int setEngineThreads(int threads);

EngineInfo engineInfo();

} // namespace salient::train
