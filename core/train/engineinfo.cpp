// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/engineinfo.h"

#include <QThread>

namespace salient::train {

int setEngineThreads(int threads)
{
    if (threads <= 0)
        threads = std::max(1, QThread::idealThreadCount());
    torch::set_num_threads(threads);
    return torch::get_num_threads();
}

EngineInfo engineInfo()
{
    EngineInfo info;
    info.torchVersion = QStringLiteral("%1.%2.%3").arg(TORCH_VERSION_MAJOR).arg(TORCH_VERSION_MINOR).arg(TORCH_VERSION_PATCH);
    info.threads = torch::get_num_threads();
    info.cuda = torch::cuda::is_available();
    info.device = info.cuda ? QStringLiteral("cuda:0") : QStringLiteral("cpu");
    return info;
}

} // namespace salient::train
