// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/annotation/raster.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

// fillPoly's fixed-point precision: vertices keep 1/256 px.
constexpr int kShift = 8;
constexpr double kScale = 1 << kShift;

cv::Mat maskToMat(const Mask &mask)
{
    const QRect b = mask.bounds();
    cv::Mat m(b.height(), b.width(), CV_8U);
    std::copy(mask.data().begin(), mask.data().end(), m.data);
    return m;
}

Mask matToMask(const cv::Mat &m, const QPoint &origin)
{
    Mask mask(QRect(origin, QSize(m.cols, m.rows)));
    auto &d = mask.data();
    for (int r = 0; r < m.rows; ++r) {
        const std::uint8_t *row = m.ptr<std::uint8_t>(r);
        for (int c = 0; c < m.cols; ++c)
            d[size_t(r) * size_t(m.cols) + size_t(c)] = row[c] ? 1 : 0;
    }
    return mask;
}

} // namespace

Mask rasterizePolygon(const QPolygonF &polygon, const QSize &imageSize)
{
    if (polygon.size() < 3 || imageSize.isEmpty())
        return Mask(QRect(QPoint(0, 0), imageSize));
    // Work in a window around the polygon, clipped to the image.
    const QRect window = polygon.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1)
                             .intersected(QRect(QPoint(0, 0), imageSize));
    if (window.isEmpty())
        return Mask(QRect(QPoint(0, 0), QSize(0, 0)));
    cv::Mat m = cv::Mat::zeros(window.height(), window.width(), CV_8U);
    std::vector<cv::Point> pts;
    pts.reserve(size_t(polygon.size()));
    for (const QPointF &p : polygon)
        pts.emplace_back(int(std::lround((p.x() - 0.5 - window.left()) * kScale)),
                         int(std::lround((p.y() - 0.5 - window.top()) * kScale)));
    const cv::Point *ptr = pts.data();
    const int n = int(pts.size());
    cv::fillPoly(m, &ptr, &n, 1, cv::Scalar(1), cv::LINE_8, kShift);
    return matToMask(m, window.topLeft());
}

Mask rasterizeBox(const QRectF &box, const QSize &imageSize)
{
    // Exact rule, no fixed point: column i is in when x0 <= i + 0.5 < x1.
    const QRectF r = box.normalized();
    const int x0 = std::max(0, int(std::ceil(r.left() - 0.5)));
    const int x1 = std::min(imageSize.width(), int(std::ceil(r.right() - 0.5)));
    const int y0 = std::max(0, int(std::ceil(r.top() - 0.5)));
    const int y1 = std::min(imageSize.height(), int(std::ceil(r.bottom() - 0.5)));
    Mask m(QRect(x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)));
    std::fill(m.data().begin(), m.data().end(), std::uint8_t(1));
    return m;
}

QVector<QPolygonF> maskToPolygons(const Mask &mask, int minArea)
{
    QVector<QPolygonF> out;
    if (mask.bounds().isEmpty())
        return out;
    // A one-pixel border so regions touching the window edge are traced whole.
    cv::Mat m;
    cv::copyMakeBorder(maskToMat(mask), m, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(m, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    const QPoint origin = mask.bounds().topLeft() - QPoint(1, 1);
    for (const auto &c : contours) {
        // Count the pixels of the region itself, not the polygon's area (a
        // one-pixel line has polygon area 0 but is a real stroke).
        cv::Mat region = cv::Mat::zeros(m.size(), CV_8U);
        cv::drawContours(region, std::vector<std::vector<cv::Point>>{c}, 0, cv::Scalar(1), cv::FILLED);
        if (cv::countNonZero(region) < minArea)
            continue;
        QPolygonF poly;
        poly.reserve(int(c.size()));
        for (const cv::Point &p : c)
            poly.append(QPointF(p.x + origin.x() + 0.5, p.y + origin.y() + 0.5));
        out.append(poly);
    }
    return out;
}

Mask fillHoles(const Mask &mask)
{
    if (mask.bounds().isEmpty())
        return mask;
    cv::Mat m;
    cv::copyMakeBorder(maskToMat(mask), m, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    // Flood the outside from the border; whatever stays unreached and off is a hole.
    cv::Mat outside = m.clone();
    cv::floodFill(outside, cv::Point(0, 0), cv::Scalar(2));
    cv::Mat filled = (outside != 2) / 255;
    return matToMask(filled(cv::Rect(1, 1, mask.bounds().width(), mask.bounds().height())), mask.bounds().topLeft());
}

Mask unite(const Mask &a, const Mask &b)
{
    const QRect bounds = a.bounds().united(b.bounds());
    Mask out = a.cropped(bounds);
    const QRect bb = b.bounds();
    for (int y = bb.top(); y <= bb.bottom(); ++y)
        for (int x = bb.left(); x <= bb.right(); ++x)
            if (b.at(x, y))
                out.set(x, y, true);
    return out;
}

} // namespace salient
