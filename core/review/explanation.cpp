// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/review/explanation.h"

#include <iterator>

namespace salient::review {

namespace {

// Stable names: stored in projects (explanations.method) and used on the CLI.
struct MethodName {
    CamMethod method;
    const char *name;
};
constexpr MethodName kMethods[] = {
    {CamMethod::GradCam, "gradcam"},
    {CamMethod::GradCamPlusPlus, "gradcam++"},
    {CamMethod::LayerCam, "layercam"},
};

} // namespace

QString camMethodName(CamMethod m)
{
    for (const MethodName &n : kMethods)
        if (n.method == m)
            return QString::fromLatin1(n.name);
    return {};
}

std::optional<CamMethod> camMethodFromName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const MethodName &n : kMethods)
        if (key == QLatin1String(n.name))
            return n.method;
    // Spellings people type: "grad-cam", "gradcampp", "layer-cam".
    if (key == QLatin1String("grad-cam"))
        return CamMethod::GradCam;
    if (key == QLatin1String("grad-cam++") || key == QLatin1String("gradcampp")
        || key == QLatin1String("gradcamplusplus"))
        return CamMethod::GradCamPlusPlus;
    if (key == QLatin1String("layer-cam"))
        return CamMethod::LayerCam;
    return std::nullopt;
}

} // namespace salient::review
