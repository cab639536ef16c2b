// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QString>

namespace salient {

/// Icon of a canvas tool or canvas action ("select", "box", "polygon",
/// "brush", "eraser", "tags"): the resource icon when one exists, else drawn
/// here with the palette's text colour, so the tool bar never shows a blank.
QIcon toolIcon(const QString &name);

} // namespace salient
