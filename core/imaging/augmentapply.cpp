// SPDX-License-Identifier: GPL-3.0-or-later
// Augmenter::apply: geometric steps composed into one affine map, one warp,
// then the pixel steps; shapes follow the same map.
#include "core/imaging/augment.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <random>

namespace salient {

namespace {

constexpr double kPi = 3.14159265358979323846;

/// Our own uniform draws: std::uniform_real_distribution is not specified
/// bit-for-bit, and a seed must give the same pixels on every build.
class Draw {
public:
    explicit Draw(std::uint64_t seed) : m_rng(seed) {}
    double unit() { return double(m_rng() >> 11) * (1.0 / 9007199254740992.0); } ///< [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
    int integer(int lo, int hi) ///< [lo, hi] inclusive
    {
        if (hi <= lo)
            return lo;
        return lo + int(std::floor(unit() * double(hi - lo + 1)));
    }
    std::uint64_t raw() { return m_rng(); }

private:
    std::mt19937_64 m_rng;
};

/// 3x3 affine in continuous coordinates (pixel i covers [i, i+1)).
using Affine = cv::Matx33d;

Affine translation(double tx, double ty)
{
    return Affine(1, 0, tx, 0, 1, ty, 0, 0, 1);
}

Affine scaling(double sx, double sy)
{
    return Affine(sx, 0, 0, 0, sy, 0, 0, 0, 1);
}

/// Counter-clockwise on screen (y points down), as torchvision's rotate.
Affine rotation(double degrees)
{
    const double a = degrees * kPi / 180.0;
    const double c = std::cos(a), s = std::sin(a);
    return Affine(c, s, 0, -s, c, 0, 0, 0, 1);
}

QPointF map(const Affine &m, const QPointF &p)
{
    return {m(0, 0) * p.x() + m(0, 1) * p.y() + m(0, 2), m(1, 0) * p.x() + m(1, 1) * p.y() + m(1, 2)};
}

/// torchvision's RandomResizedCrop.get_params on a w x h canvas.
cv::Rect2d cropWindow(Draw &draw, double w, double h, const TransformSpec &t)
{
    const double area = w * h;
    const double smin = t.param(QStringLiteral("scale_min")), smax = t.param(QStringLiteral("scale_max"));
    const double rmin = t.param(QStringLiteral("ratio_min")), rmax = t.param(QStringLiteral("ratio_max"));
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target = area * draw.uniform(std::min(smin, smax), std::max(smin, smax));
        const double ratio = std::exp(draw.uniform(std::log(std::min(rmin, rmax)), std::log(std::max(rmin, rmax))));
        const double cw = std::round(std::sqrt(target * ratio));
        const double ch = std::round(std::sqrt(target / ratio));
        if (cw > 0 && ch > 0 && cw <= w && ch <= h) {
            const int y = draw.integer(0, int(h - ch));
            const int x = draw.integer(0, int(w - cw));
            return {double(x), double(y), cw, ch};
        }
    }
    // Fallback: the largest centred window whose ratio is within range.
    const double ratio = w / h;
    double cw = w, ch = h;
    if (ratio < std::min(rmin, rmax))
        ch = std::round(w / std::min(rmin, rmax));
    else if (ratio > std::max(rmin, rmax))
        cw = std::round(h * std::max(rmin, rmax));
    return {std::floor((w - cw) / 2), std::floor((h - ch) / 2), cw, ch};
}

double polygonArea(const QPolygonF &p)
{
    double a = 0;
    for (int i = 0, n = p.size(); i < n; ++i) {
        const QPointF &u = p[i], &v = p[(i + 1) % n];
        a += u.x() * v.y() - v.x() * u.y();
    }
    return std::abs(a) / 2;
}

/// Sutherland-Hodgman against the canvas [0, w] x [0, h].
QPolygonF clipToCanvas(const QPolygonF &poly, double w, double h)
{
    QPolygonF out = poly;
    auto clip = [&](auto inside, auto cross) {
        QPolygonF in = out;
        out.clear();
        for (int i = 0, n = in.size(); i < n; ++i) {
            const QPointF cur = in[i], prev = in[(i + n - 1) % n];
            const bool ci = inside(cur), pi = inside(prev);
            if (ci) {
                if (!pi)
                    out << cross(prev, cur);
                out << cur;
            } else if (pi) {
                out << cross(prev, cur);
            }
        }
    };
    auto atX = [](double x) {
        return [x](const QPointF &a, const QPointF &b) {
            const double t = (x - a.x()) / (b.x() - a.x());
            return QPointF(x, a.y() + t * (b.y() - a.y()));
        };
    };
    auto atY = [](double y) {
        return [y](const QPointF &a, const QPointF &b) {
            const double t = (y - a.y()) / (b.y() - a.y());
            return QPointF(a.x() + t * (b.x() - a.x()), y);
        };
    };
    clip([](const QPointF &p) { return p.x() >= 0; }, atX(0));
    clip([w](const QPointF &p) { return p.x() <= w; }, atX(w));
    clip([](const QPointF &p) { return p.y() >= 0; }, atY(0));
    clip([h](const QPointF &p) { return p.y() <= h; }, atY(h));
    return out;
}

/// The map in pixel-index coordinates, as warpAffine wants it (2x3).
cv::Mat pixelMap(const Affine &m)
{
    const Affine p = translation(-0.5, -0.5) * m * translation(0.5, 0.5);
    return (cv::Mat_<double>(2, 3) << p(0, 0), p(0, 1), p(0, 2), p(1, 0), p(1, 1), p(1, 2));
}

void colorJitter(cv::Mat &img, Draw &draw, const TransformSpec &t)
{
    auto factor = [&](const char *key) {
        const double v = t.param(QString::fromLatin1(key));
        return draw.uniform(std::max(0.0, 1 - v), 1 + v);
    };
    const double b = factor("brightness"), c = factor("contrast"), s = factor("saturation");
    const double hueRange = t.param(QStringLiteral("hue"));
    const double h = draw.uniform(-hueRange, hueRange);
    img.convertTo(img, -1, b, 0);
    const bool colour = img.channels() == 3;
    cv::Mat grey;
    if (colour)
        cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
    else
        grey = img;
    const double mean = cv::mean(grey)[0];
    img.convertTo(img, -1, c, (1 - c) * mean); // blend with the mean grey (torchvision)
    if (colour) {
        cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
        cv::Mat grey3;
        cv::cvtColor(grey, grey3, cv::COLOR_GRAY2BGR);
        cv::addWeighted(img, s, grey3, 1 - s, 0, img);
        if (h != 0) {
            cv::Mat hsv;
            cv::cvtColor(img, hsv, cv::COLOR_BGR2HSV_FULL); // hue over 0..255
            const int shift = int(std::lround(h * 256.0));
            cv::Mat lut(1, 256, CV_8U);
            for (int i = 0; i < 256; ++i)
                lut.at<uchar>(i) = uchar((i + shift + 256 * 2) % 256);
            std::vector<cv::Mat> planes;
            cv::split(hsv, planes);
            cv::LUT(planes[0], lut, planes[0]);
            cv::merge(planes, hsv);
            cv::cvtColor(hsv, img, cv::COLOR_HSV2BGR_FULL);
        }
    }
}

void randomErasing(cv::Mat &img, Draw &draw, const TransformSpec &t)
{
    const double w = img.cols, h = img.rows, area = w * h;
    const double smin = t.param(QStringLiteral("scale_min")), smax = t.param(QStringLiteral("scale_max"));
    const double rmin = t.param(QStringLiteral("ratio_min")), rmax = t.param(QStringLiteral("ratio_max"));
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target = area * draw.uniform(std::min(smin, smax), std::max(smin, smax));
        const double ratio = std::exp(draw.uniform(std::log(std::min(rmin, rmax)), std::log(std::max(rmin, rmax))));
        const int eh = int(std::round(std::sqrt(target * ratio)));
        const int ew = int(std::round(std::sqrt(target / ratio)));
        if (eh > 0 && ew > 0 && eh < h && ew < w) {
            const int y = draw.integer(0, int(h) - eh);
            const int x = draw.integer(0, int(w) - ew);
            img(cv::Rect(x, y, ew, eh)).setTo(cv::Scalar::all(t.param(QStringLiteral("value"))));
            return;
        }
    }
}

} // namespace

Augmenter::Augmenter(AugmentRecipe recipe) : m_recipe(std::move(recipe)) {}

AugmentSample Augmenter::apply(const AugmentSample &input, std::uint64_t seed) const
{
    Draw draw(seed);
    Affine m = Affine::eye();
    double w = input.image.cols, h = input.image.rows;
    QVector<const TransformSpec *> pixelSteps;

    for (const TransformSpec &t : m_recipe.transforms) {
        if (!t.enabled)
            continue;
        if (draw.unit() >= t.probability)
            continue;
        switch (t.type) {
        case TransformType::Rotate: {
            const double d = t.param(QStringLiteral("degrees"));
            const double angle = draw.uniform(-d, d);
            m = translation(w / 2, h / 2) * rotation(angle) * translation(-w / 2, -h / 2) * m;
            break;
        }
        case TransformType::RandomResizedCrop: {
            const cv::Rect2d c = cropWindow(draw, w, h, t);
            const double size = std::round(t.param(QStringLiteral("size")));
            m = scaling(size / c.width, size / c.height) * translation(-c.x, -c.y) * m;
            w = h = size;
            break;
        }
        case TransformType::Resize: {
            const double nw = std::round(t.param(QStringLiteral("width")));
            const double nh = std::round(t.param(QStringLiteral("height")));
            m = scaling(nw / w, nh / h) * m;
            w = nw;
            h = nh;
            break;
        }
        case TransformType::HorizontalFlip:
            m = Affine(-1, 0, w, 0, 1, 0, 0, 0, 1) * m;
            break;
        case TransformType::VerticalFlip:
            m = Affine(1, 0, 0, 0, -1, h, 0, 0, 1) * m;
            break;
        case TransformType::Affine: {
            const double tr = t.param(QStringLiteral("translate"));
            const double tx = std::round(draw.uniform(-tr * w, tr * w));
            const double ty = std::round(draw.uniform(-tr * h, tr * h));
            const double lo = t.param(QStringLiteral("scale_min")), hi = t.param(QStringLiteral("scale_max"));
            const double sc = draw.uniform(std::min(lo, hi), std::max(lo, hi));
            const double sh = t.param(QStringLiteral("shear"));
            const double shear = std::tan(draw.uniform(-sh, sh) * kPi / 180.0);
            const Affine shearM(1, shear, 0, 0, 1, 0, 0, 0, 1);
            m = translation(w / 2 + tx, h / 2 + ty) * shearM * scaling(sc, sc)
                * translation(-w / 2, -h / 2) * m;
            break;
        }
        case TransformType::ColorJitter:
        case TransformType::GaussianBlur:
        case TransformType::GaussianNoise:
        case TransformType::RandomErasing:
            pixelSteps.push_back(&t);
            break;
        case TransformType::Normalize:
            break; // training normalises the tensor; previews show pixels
        }
    }

    AugmentSample out;
    const cv::Size outSize(std::max(1, int(std::lround(w))), std::max(1, int(std::lround(h))));
    if (input.image.empty()) {
        out.image = cv::Mat();
    } else {
        // Shrink by area averaging first when the map shrinks a lot: a bilinear
        // warp alone would alias (skip pixels) instead of averaging them.
        cv::Mat src = input.image;
        Affine toSrc = m;
        const double scale = std::sqrt(std::abs(m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)));
        if (scale < 0.5) {
            const int sw = std::max(1, int(std::lround(src.cols * scale * 2)));
            const int sh = std::max(1, int(std::lround(src.rows * scale * 2)));
            cv::resize(src, src, cv::Size(sw, sh), 0, 0, cv::INTER_AREA);
            toSrc = m * scaling(double(input.image.cols) / sw, double(input.image.rows) / sh);
        }
        cv::warpAffine(src, out.image, pixelMap(toSrc), outSize, cv::INTER_LINEAR,
                       cv::BORDER_CONSTANT, cv::Scalar::all(0));
        for (const TransformSpec *t : pixelSteps) {
            switch (t->type) {
            case TransformType::ColorJitter:
                colorJitter(out.image, draw, *t);
                break;
            case TransformType::GaussianBlur: {
                const double lo = t->param(QStringLiteral("sigma_min")), hi = t->param(QStringLiteral("sigma_max"));
                const double sigma = draw.uniform(std::min(lo, hi), std::max(lo, hi));
                cv::GaussianBlur(out.image, out.image, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT101);
                break;
            }
            case TransformType::GaussianNoise: {
                cv::Mat noise(out.image.size(), CV_MAKETYPE(CV_32F, out.image.channels()));
                cv::RNG rng(draw.raw());
                rng.fill(noise, cv::RNG::NORMAL, 0.0, t->param(QStringLiteral("std")) * 255.0);
                cv::Mat f;
                out.image.convertTo(f, CV_32F);
                f += noise;
                f.convertTo(out.image, out.image.depth());
                break;
            }
            case TransformType::RandomErasing:
                randomErasing(out.image, draw, *t);
                break;
            default:
                break;
            }
        }
    }

    // Shapes follow the same map.
    const double minVis = m_recipe.minBoxVisibility, minPx = m_recipe.minBoxPixels;
    for (int i = 0; i < input.shapes.size(); ++i) {
        const Geometry &g = input.shapes[i];
        if (const Box *b = std::get_if<Box>(&g)) {
            const QRectF r = b->rect;
            QPolygonF corners{map(m, r.topLeft()), map(m, r.topRight()), map(m, r.bottomRight()),
                              map(m, r.bottomLeft())};
            // Clip the moved quadrilateral, then take the box around what is
            // left: a rotated box cut by the edge keeps only its visible extent.
            const double full = polygonArea(corners);
            const QPolygonF visible = clipToCanvas(corners, w, h);
            const double seen = visible.size() >= 3 ? polygonArea(visible) : 0;
            if (seen <= 0 || seen < minVis * full || seen < minPx)
                continue;
            const QRectF clipped = visible.boundingRect().intersected(QRectF(0, 0, w, h));
            out.shapes.push_back(Box{clipped});
        } else if (const Polygon *p = std::get_if<Polygon>(&g)) {
            QPolygonF moved;
            moved.reserve(p->points.size());
            for (const QPointF &pt : p->points)
                moved << map(m, pt);
            const double full = polygonArea(moved);
            const QPolygonF clipped = clipToCanvas(moved, w, h);
            const double seen = clipped.size() >= 3 ? polygonArea(clipped) : 0;
            if (seen <= 0 || seen < minVis * full || seen < minPx)
                continue;
            out.shapes.push_back(Polygon{clipped});
        } else if (const Mask *mk = std::get_if<Mask>(&g)) {
            const QRect wb = mk->bounds();
            if (mk->isEmpty() || wb.isEmpty())
                continue;
            cv::Mat window(wb.height(), wb.width(), CV_8U, const_cast<std::uint8_t *>(mk->data().data()));
            cv::Mat warped;
            cv::warpAffine(window, warped, pixelMap(m * translation(wb.x(), wb.y())), outSize,
                           cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar::all(0));
            const cv::Rect tight = cv::boundingRect(warped);
            if (tight.area() == 0 || cv::countNonZero(warped) == 0)
                continue;
            Mask moved(QRect(tight.x, tight.y, tight.width, tight.height));
            for (int y = 0; y < tight.height; ++y) {
                const uchar *row = warped.ptr<uchar>(tight.y + y) + tight.x;
                std::copy(row, row + tight.width, moved.data().begin() + qsizetype(y) * tight.width);
            }
            out.shapes.push_back(moved);
        } else {
            continue;
        }
        out.sourceIndex.push_back(i);
    }
    return out;
}

} // namespace salient
