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

/// The geometric map and the pixel steps of one draw. Draws happen in recipe
/// order, so a plan made again from the same seed is the same plan.
struct Plan {
    Affine m = Affine::eye(); ///< full-size source -> output, continuous coordinates
    double w = 0, h = 0;      ///< output size
    QVector<const TransformSpec *> pixelSteps;
};

Plan makePlan(const AugmentRecipe &recipe, double w, double h, Draw &draw)
{
    Plan plan;
    Affine &m = plan.m;
    QVector<const TransformSpec *> &pixelSteps = plan.pixelSteps;

    for (const TransformSpec &t : recipe.transforms) {
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
    plan.w = w;
    plan.h = h;
    return plan;
}

} // namespace

Augmenter::Augmenter(AugmentRecipe recipe) : m_recipe(std::move(recipe)) {}

int Augmenter::sourceReduction(const QSize &size, std::uint64_t seed) const
{
    Draw draw(seed);
    const Plan plan = makePlan(m_recipe, size.width(), size.height(), draw);
    const double scale = std::sqrt(std::abs(plan.m(0, 0) * plan.m(1, 1) - plan.m(0, 1) * plan.m(1, 0)));
    int r = 1;
    while (r < 8 && scale * r * 2 <= 1.0)
        r *= 2;
    return r;
}

AugmentSample Augmenter::apply(const AugmentSample &input, std::uint64_t seed, const QSize &fullSize) const
{
    Draw draw(seed);
    const double fullW = fullSize.isValid() ? fullSize.width() : input.image.cols;
    const double fullH = fullSize.isValid() ? fullSize.height() : input.image.rows;
    const Plan plan = makePlan(m_recipe, fullW, fullH, draw);
    const Affine &m = plan.m;
    const double w = plan.w, h = plan.h;
    AugmentSample out;
    const cv::Size outSize(std::max(1, int(std::lround(w))), std::max(1, int(std::lround(h))));
    if (input.image.empty()) {
        out.image = cv::Mat();
    } else {
        // Shrink by area averaging first when the map shrinks a lot: a bilinear
        // warp alone would alias (skip pixels) instead of averaging them.
        cv::Mat src = input.image;
        // The pixels may come shrunk (a reduced JPEG decode): map them up first.
        const Affine fromPixels = m * scaling(fullW / src.cols, fullH / src.rows);
        Affine toSrc = fromPixels;
        const double scale = std::sqrt(std::abs(toSrc(0, 0) * toSrc(1, 1) - toSrc(0, 1) * toSrc(1, 0)));
        if (scale < 0.5) {
            const int sw = std::max(1, int(std::lround(src.cols * scale * 2)));
            const int sh = std::max(1, int(std::lround(src.rows * scale * 2)));
            cv::resize(src, src, cv::Size(sw, sh), 0, 0, cv::INTER_AREA);
            toSrc = fromPixels * scaling(double(input.image.cols) / sw, double(input.image.rows) / sh);
        }
        cv::warpAffine(src, out.image, pixelMap(toSrc), outSize, cv::INTER_LINEAR,
                       cv::BORDER_CONSTANT, cv::Scalar::all(0));
        for (const TransformSpec *t : plan.pixelSteps) {
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

QVector<cv::Mat> augmentPyramid(const cv::Mat &image)
{
    QVector<cv::Mat> levels;
    if (image.empty())
        return levels;
    levels.push_back(image);
    for (int k = 1; k < 4; ++k) {
        const cv::Mat &prev = levels.back();
        if (prev.cols < 16 || prev.rows < 16)
            break;
        cv::Mat half;
        cv::resize(prev, half, cv::Size((prev.cols + 1) / 2, (prev.rows + 1) / 2), 0, 0, cv::INTER_AREA);
        levels.push_back(half);
    }
    return levels;
}

AugmentSample augmentFromPyramid(const Augmenter &augmenter, const QVector<cv::Mat> &pyramid,
                                 const QVector<Geometry> &shapes, std::uint64_t seed)
{
    if (pyramid.isEmpty())
        return {};
    const QSize full(pyramid.first().cols, pyramid.first().rows);
    const int reduction = augmenter.sourceReduction(full, seed);
    int level = 0;
    while ((1 << (level + 1)) <= reduction && level + 1 < pyramid.size())
        ++level;
    return augmenter.apply({pyramid[level], shapes, {}}, seed, full);
}

cv::Mat drawAugmentSample(const AugmentSample &sample, const QVector<QColor> &colors)
{
    cv::Mat out;
    if (sample.image.empty())
        return out;
    if (sample.image.channels() == 1)
        cv::cvtColor(sample.image, out, cv::COLOR_GRAY2BGR);
    else if (sample.image.channels() == 4)
        cv::cvtColor(sample.image, out, cv::COLOR_BGRA2BGR);
    else
        out = sample.image.clone();
    const int thickness = std::max(1, std::min(out.cols, out.rows) / 150);
    constexpr int kShift = 4; // sub-pixel drawing: 1/16 px
    auto fixed = [](const QPointF &p) {
        return cv::Point(int(std::lround(p.x() * 16)), int(std::lround(p.y() * 16)));
    };
    for (int i = 0; i < sample.shapes.size(); ++i) {
        const QColor q = colors.value(i, QColor(Qt::yellow));
        const cv::Scalar c(q.blue(), q.green(), q.red());
        cv::Mat fill = cv::Mat::zeros(out.size(), CV_8U);
        if (const Box *b = std::get_if<Box>(&sample.shapes[i])) {
            cv::rectangle(out, fixed(b->rect.topLeft()), fixed(b->rect.bottomRight()), c, thickness,
                          cv::LINE_AA, kShift);
            continue;
        }
        if (const Polygon *p = std::get_if<Polygon>(&sample.shapes[i])) {
            std::vector<cv::Point> pts;
            for (const QPointF &pt : p->points)
                pts.push_back(fixed(pt));
            const std::vector<std::vector<cv::Point>> polys{pts};
            cv::fillPoly(fill, polys, cv::Scalar(1), cv::LINE_8, kShift);
            cv::polylines(out, polys, true, c, thickness, cv::LINE_AA, kShift);
        } else if (const Mask *m = std::get_if<Mask>(&sample.shapes[i])) {
            const QRect r = m->bounds().intersected(QRect(0, 0, out.cols, out.rows));
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = r.left(); x <= r.right(); ++x)
                    if (m->at(x, y))
                        fill.at<uchar>(y, x) = 1;
        }
        cv::Mat tinted(out.size(), out.type(), c);
        cv::Mat blended;
        cv::addWeighted(out, 0.6, tinted, 0.4, 0, blended);
        blended.copyTo(out, fill);
    }
    return out;
}

namespace {

double betaDraw(std::mt19937_64 &rng, double alpha)
{
    if (!(alpha > 0))
        return 1.0;
    std::gamma_distribution<double> g(alpha, 1.0);
    const double a = g(rng), b = g(rng);
    return a + b > 0 ? a / (a + b) : 0.5;
}

std::vector<int> partners(std::size_t n, std::mt19937_64 &rng)
{
    std::vector<int> p(n);
    for (std::size_t i = 0; i < n; ++i)
        p[i] = int(i);
    for (std::size_t i = n; i > 1; --i)
        std::swap(p[i - 1], p[std::size_t(rng() % i)]);
    return p;
}

void mixTargets(MixBatch &batch, const std::vector<std::vector<float>> &original,
                const std::vector<int> &partner, double lambda)
{
    for (std::size_t i = 0; i < batch.targets.size() && std::size_t(partner[i]) < original.size(); ++i) {
        const std::vector<float> &other = original[std::size_t(partner[i])];
        std::vector<float> &t = batch.targets[i];
        for (std::size_t k = 0; k < t.size() && k < other.size(); ++k)
            t[k] = float(lambda * t[k] + (1 - lambda) * other[k]);
    }
}

} // namespace

double mixUp(MixBatch &batch, double alpha, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const double lambda = betaDraw(rng, alpha);
    const std::vector<int> partner = partners(batch.images.size(), rng);
    const std::vector<cv::Mat> original = batch.images; // shallow: mixed into new Mats below
    const auto targets = batch.targets;
    for (std::size_t i = 0; i < batch.images.size(); ++i) {
        cv::Mat mixed;
        cv::addWeighted(original[i], lambda, original[std::size_t(partner[i])], 1 - lambda, 0, mixed);
        batch.images[i] = mixed;
    }
    mixTargets(batch, targets, partner, lambda);
    return lambda;
}

double cutMix(MixBatch &batch, double alpha, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const double lambda = betaDraw(rng, alpha);
    const std::vector<int> partner = partners(batch.images.size(), rng);
    if (batch.images.empty())
        return lambda;
    const int w = batch.images[0].cols, h = batch.images[0].rows;
    const double cut = std::sqrt(1 - lambda);
    const int cw = int(std::lround(w * cut)), ch = int(std::lround(h * cut));
    Draw draw(rng());
    const int cx = draw.integer(0, w - 1), cy = draw.integer(0, h - 1);
    const cv::Rect box = cv::Rect(cx - cw / 2, cy - ch / 2, cw, ch) & cv::Rect(0, 0, w, h);
    const double effective = 1.0 - double(box.area()) / double(w * h);
    const std::vector<cv::Mat> original = batch.images;
    const auto targets = batch.targets;
    for (std::size_t i = 0; i < batch.images.size(); ++i) {
        cv::Mat mixed = original[i].clone();
        if (box.area() > 0)
            original[std::size_t(partner[i])](box).copyTo(mixed(box));
        batch.images[i] = mixed;
    }
    mixTargets(batch, targets, partner, effective);
    return effective;
}

} // namespace salient
