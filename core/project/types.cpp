// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/project/types.h"

namespace salient {

QString statusName(ImageStatus s)
{
    switch (s) {
    case ImageStatus::New:
        return QStringLiteral("new");
    case ImageStatus::InProgress:
        return QStringLiteral("in_progress");
    case ImageStatus::Done:
        return QStringLiteral("done");
    case ImageStatus::NeedsReview:
        return QStringLiteral("needs_review");
    }
    return QStringLiteral("new");
}

std::optional<ImageStatus> statusFromName(const QString &name)
{
    for (ImageStatus s :
         {ImageStatus::New, ImageStatus::InProgress, ImageStatus::Done, ImageStatus::NeedsReview}) {
        if (name.compare(statusName(s), Qt::CaseInsensitive) == 0)
            return s;
    }
    return std::nullopt;
}

} // namespace salient
