// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/canvastool.h"

namespace salient {

CanvasTool::CanvasTool(AnnotationCanvas *canvas) : m_canvas(canvas) {}

CanvasTool::~CanvasTool() = default;

} // namespace salient
