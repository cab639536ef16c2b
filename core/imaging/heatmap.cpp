// SPDX-License-Identifier: GPL-3.0-or-later
// Heatmap overlays: OpenCV does the colour maps, the bilinear resize and the
// contour; this file only places the map on the crop the network saw.
#include "core/imaging/heatmap.h"

#include <QtEndian>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace salient {

namespace {

struct MapName {
    ColourMap map;
    const char *name;
    int cv;
};
const MapName kMaps[] = {
    {ColourMap::Turbo, "turbo", cv::COLORMAP_TURBO},
    {ColourMap::Jet, "jet", cv::COLORMAP_JET},
    {ColourMap::Viridis, "viridis", cv::COLORMAP_VIRIDIS},
};

int cvColourMap(ColourMap m)
{
    for (const MapName &n : kMaps)
        if (n.map == m)
            return n.cv;
    return cv::COLORMAP_TURBO;
}

constexpr char kMagic[4] = {'S', 'L', 'M', 'P'};
constexpr quint32 kMapVersion = 1;
constexpr int kHeaderBytes = 16;
// A class-activation map is a block's feature grid (7 x 7 to 64 x 64); anything
// far larger in a stored blob is damage, not data.
constexpr quint32 kMaxMapSide = 4096;

cv::Rect toCv(const QRect &r)
{
    return cv::Rect(r.x(), r.y(), r.width(), r.height());
}

/// 8-bit grey / BGR / BGRA as BGR; anything else empty.
cv::Mat asBgr(const cv::Mat &image)
{
    if (image.type() == CV_8UC3)
        return image;
    cv::Mat out;
    if (image.type() == CV_8UC1)
        cv::cvtColor(image, out, cv::COLOR_GRAY2BGR);
    else if (image.type() == CV_8UC4)
        cv::cvtColor(image, out, cv::COLOR_BGRA2BGR);
    return out;
}

Error overlayError(const QString &message)
{
    return makeError(Error::Code::Invalid, QStringLiteral("heatmap overlay: %1").arg(message));
}

Error mapBlobError(const QString &message)
{
    return makeError(Error::Code::Parse, QStringLiteral("stored heatmap: %1").arg(message));
}

} // namespace

QString colourMapName(ColourMap m)
{
    for (const MapName &n : kMaps)
        if (n.map == m)
            return QString::fromLatin1(n.name);
    return {};
}

std::optional<ColourMap> colourMapFromName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const MapName &n : kMaps)
        if (key == QLatin1String(n.name))
            return n.map;
    return std::nullopt;
}

cv::Mat mapToImage(const cv::Mat &lowRes, QSize imageSize, QRect crop)
{
    if (imageSize.width() <= 0 || imageSize.height() <= 0)
        return {};
    cv::Mat out = cv::Mat::zeros(imageSize.height(), imageSize.width(), CV_32FC1);
    if (lowRes.empty() || lowRes.channels() != 1 || crop.width() <= 0 || crop.height() <= 0)
        return out;
    const cv::Rect full = toCv(crop);
    const cv::Rect inside = full & cv::Rect(0, 0, imageSize.width(), imageSize.height());
    if (inside.empty())
        return out;
    try {
        cv::Mat map;
        lowRes.convertTo(map, CV_32F);
        cv::Mat onCrop;
        // Bilinear with OpenCV's pixel-centre alignment: the same as the
        // upsampling in the deletion metric, so what is shown is what was scored.
        cv::resize(map, onCrop, full.size(), 0, 0, cv::INTER_LINEAR);
        cv::min(cv::max(onCrop, 0.0), 1.0, onCrop);
        // A crop partly outside the image: keep the part that lands on it.
        const cv::Rect inCrop(inside.x - full.x, inside.y - full.y, inside.width, inside.height);
        onCrop(inCrop).copyTo(out(inside));
    } catch (const cv::Exception &) {
        out.setTo(0);
    }
    return out;
}

Result<cv::Mat> renderOverlay(const cv::Mat &imageBgr, const cv::Mat &mapAtImage,
                              const OverlayStyle &style, QRect crop)
{
    if (imageBgr.empty())
        return overlayError(QStringLiteral("the image is empty"));
    if (imageBgr.depth() != CV_8U
        || (imageBgr.channels() != 1 && imageBgr.channels() != 3 && imageBgr.channels() != 4))
        return overlayError(QStringLiteral("the image must be 8-bit grey, BGR or BGRA"));
    if (mapAtImage.type() != CV_32FC1 || mapAtImage.size() != imageBgr.size())
        return overlayError(QStringLiteral("the map must be one float channel of the image's size "
                                           "(%1 x %2), got %3 x %4")
                                               .arg(imageBgr.cols)
                                               .arg(imageBgr.rows)
                                               .arg(mapAtImage.cols)
                                               .arg(mapAtImage.rows));
    const double opacity = std::clamp(std::isfinite(style.opacity) ? style.opacity : 0.5, 0.0, 1.0);
    try {
        const cv::Mat image = asBgr(imageBgr);
        cv::Mat out = image.clone();
        cv::Rect region(0, 0, image.cols, image.rows);
        if (!style.heatOutsideCrop && crop.width() > 0 && crop.height() > 0)
            region &= toCv(crop);
        if (opacity > 0 && !region.empty()) {
            cv::Mat map8;
            mapAtImage(region).convertTo(map8, CV_8U, 255.0);
            cv::Mat colour;
            cv::applyColorMap(map8, colour, cvColourMap(style.colourMap));
            cv::Mat target = out(region);
            cv::addWeighted(image(region), 1.0 - opacity, colour, opacity, 0.0, target);
        }
        const double t = style.contourThreshold;
        if (t > 0 && t < 1) {
            cv::Mat mask = mapAtImage >= t;
            std::vector<std::vector<cv::Point>> contours;
            cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
            // Thickness grows with the image so the outline stays visible when scaled down.
            const int width = std::max(1, std::min(image.cols, image.rows) / 256);
            cv::drawContours(out, contours, -1, cv::Scalar(32, 32, 32), width + 2, cv::LINE_8);
            cv::drawContours(out, contours, -1, cv::Scalar(255, 255, 255), width, cv::LINE_8);
        }
        return out;
    } catch (const cv::Exception &e) {
        return overlayError(QString::fromStdString(e.msg));
    }
}

cv::Mat sideBySide(const cv::Mat &leftBgr, const cv::Mat &rightBgr, int gap)
{
    const cv::Mat left = leftBgr.empty() ? cv::Mat() : asBgr(leftBgr);
    const cv::Mat right = rightBgr.empty() ? cv::Mat() : asBgr(rightBgr);
    gap = std::max(0, gap);
    const int height = std::max(left.rows, right.rows);
    const int width = left.cols + right.cols + (left.empty() || right.empty() ? 0 : gap);
    if (height == 0 || width == 0)
        return {};
    cv::Mat out(height, width, CV_8UC3, cv::Scalar(255, 255, 255));
    try {
        if (!left.empty())
            left.copyTo(out(cv::Rect(0, 0, left.cols, left.rows)));
        if (!right.empty())
            right.copyTo(out(cv::Rect(width - right.cols, 0, right.cols, right.rows)));
    } catch (const cv::Exception &) {
        return {};
    }
    return out;
}

cv::Mat colourBar(ColourMap map, int width, int height)
{
    if (width <= 0 || height <= 0)
        return {};
    // Horizontal bars run low to high from left to right; vertical ones from bottom to top.
    const bool horizontal = width >= height;
    const int steps = horizontal ? width : height;
    cv::Mat ramp(1, steps, CV_8UC1);
    for (int i = 0; i < steps; ++i)
        ramp.at<uchar>(0, i) =
            cv::saturate_cast<uchar>(steps > 1 ? 255.0 * i / (steps - 1) : 255.0);
    try {
        cv::Mat colour;
        cv::applyColorMap(ramp, colour, cvColourMap(map));
        cv::Mat out;
        if (horizontal) {
            cv::repeat(colour, height, 1, out);
        } else {
            cv::Mat column;
            cv::flip(colour.t(), column, 0);
            cv::repeat(column, 1, width, out);
        }
        return out;
    } catch (const cv::Exception &) {
        return {};
    }
}

QImage bgrToQImage(const cv::Mat &bgr)
{
    if (bgr.empty() || bgr.depth() != CV_8U)
        return {};
    try {
        cv::Mat rgb;
        if (bgr.channels() == 1)
            cv::cvtColor(bgr, rgb, cv::COLOR_GRAY2RGB);
        else if (bgr.channels() == 4)
            cv::cvtColor(bgr, rgb, cv::COLOR_BGRA2RGB);
        else if (bgr.channels() == 3)
            cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
        else
            return {};
        const QImage view(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888);
        return view.copy();
    } catch (const cv::Exception &) {
        return {};
    }
}

cv::Mat qImageToBgr(const QImage &image)
{
    if (image.isNull())
        return {};
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    try {
        const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar *>(rgb.constBits()),
                           size_t(rgb.bytesPerLine()));
        cv::Mat bgr;
        cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR); // a new buffer: the QImage may go
        return bgr;
    } catch (const cv::Exception &) {
        return {};
    }
}

QByteArray encodeMap(const cv::Mat &lowRes)
{
    cv::Mat map;
    if (!lowRes.empty() && lowRes.channels() == 1) {
        try {
            lowRes.convertTo(map, CV_32F);
        } catch (const cv::Exception &) {
            map.release();
        }
    }
    const quint32 rows = quint32(map.rows);
    const quint32 cols = quint32(map.cols);
    QByteArray out(kHeaderBytes + int(rows * cols * sizeof(float)), Qt::Uninitialized);
    char *p = out.data();
    std::memcpy(p, kMagic, 4);
    qToLittleEndian<quint32>(kMapVersion, p + 4);
    qToLittleEndian<quint32>(rows, p + 8);
    qToLittleEndian<quint32>(cols, p + 12);
    p += kHeaderBytes;
    for (int y = 0; y < map.rows; ++y) {
        const float *row = map.ptr<float>(y);
        for (int x = 0; x < map.cols; ++x, p += sizeof(float))
            qToLittleEndian<float>(row[x], p);
    }
    return out;
}

Result<cv::Mat> decodeMap(const QByteArray &blob)
{
    if (blob.size() < kHeaderBytes || std::memcmp(blob.constData(), kMagic, 4) != 0)
        return mapBlobError(
            QStringLiteral("not a Salient map (bad header, %1 bytes)") .arg(blob.size()));
    const char *p = blob.constData();
    const quint32 version = qFromLittleEndian<quint32>(p + 4);
    if (version != kMapVersion)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("stored heatmap: format version %1 is not known to this "
                                        "build (it reads version %2)")
                                            .arg(version)
                                            .arg(kMapVersion));
    const quint32 rows = qFromLittleEndian<quint32>(p + 8);
    const quint32 cols = qFromLittleEndian<quint32>(p + 12);
    if (rows > kMaxMapSide || cols > kMaxMapSide || (rows == 0) != (cols == 0))
        return mapBlobError(QStringLiteral("impossible size %1 x %2").arg(cols).arg(rows));
    const qint64 expected = kHeaderBytes + qint64(rows) * cols * qint64(sizeof(float));
    if (blob.size() != expected)
        return mapBlobError(QStringLiteral("%1 x %2 needs %3 bytes, the blob has %4")
                                               .arg(cols)
                                               .arg(rows)
                                               .arg(expected)
                                               .arg(blob.size()));
    if (rows == 0)
        return cv::Mat();
    cv::Mat map(int(rows), int(cols), CV_32FC1);
    p += kHeaderBytes;
    for (int y = 0; y < map.rows; ++y) {
        float *row = map.ptr<float>(y);
        for (int x = 0; x < map.cols; ++x, p += sizeof(float)) {
            row[x] = qFromLittleEndian<float>(p);
            if (!std::isfinite(row[x]))
                return mapBlobError(
                    QStringLiteral("value at (%1, %2) is not a number").arg(x).arg(y));
        }
    }
    return map;
}

} // namespace salient
