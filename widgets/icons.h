// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>
#include <QString>

class QPainter;

namespace salient {

/// The icon `name` from :/icons/<name>.svg, drawn with Qt SVG; the icons'
/// `currentColor` follows the palette (light and dark themes).
QIcon icon(const QString &name);

/// A small rounded square of a class colour, for combo boxes, lists and menus.
QIcon colorSwatch(const QColor &color);

/// Renders an SVG file into rect with currentColor = current (used by icon() and the start page).
bool renderSvg(const QString &file, QPainter *painter, const QRectF &rect, const QColor &current);

} // namespace salient
