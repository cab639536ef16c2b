// SPDX-License-Identifier: GPL-3.0-or-later
// The augmentation engine: a seed gives the same pixels; boxes, polygons and
// masks land where the pixels they cover land; recipes survive JSON; domain
// guards flag transforms that change meaning.

#include "core/annotation/raster.h"
#include "core/imaging/augment.h"

#include <QTest>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdint>

using namespace salient;

namespace {

/// A dark noisy picture with one bright rectangle at `r` (continuous coordinates on pixel corners).
cv::Mat pictureWithBlock(int w, int h, const QRect &r)
{
    cv::Mat img(h, w, CV_8UC3);
    cv::RNG rng(7);
    rng.fill(img, cv::RNG::UNIFORM, 0, 60);
    img(cv::Rect(r.x(), r.y(), r.width(), r.height())).setTo(cv::Scalar(255, 255, 255));
    return img;
}

/// Pixels brighter than the background after augmentation (colour steps off).
cv::Mat brightPixels(const cv::Mat &img)
{
    cv::Mat grey, on;
    cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
    cv::threshold(grey, on, 160, 1, cv::THRESH_BINARY);
    return on;
}

AugmentRecipe geometricRecipe()
{
    AugmentRecipe r = AugmentRecipe::standardPreset();
    for (TransformSpec &t : r.transforms)
        if (t.type == TransformType::ColorJitter)
            t.enabled = false;
    r.minBoxVisibility = 0.0;
    r.minBoxPixels = 0.0;
    return r;
}

double iou(const cv::Mat &a, const cv::Mat &b)
{
    cv::Mat both, either;
    cv::bitwise_and(a, b, both);
    cv::bitwise_or(a, b, either);
    const int u = cv::countNonZero(either);
    return u ? double(cv::countNonZero(both)) / u : 1.0;
}

cv::Mat maskImage(const Mask &m, cv::Size size)
{
    cv::Mat out = cv::Mat::zeros(size, CV_8U);
    const QRect b = m.bounds();
    for (int y = b.top(); y <= b.bottom(); ++y)
        for (int x = b.left(); x <= b.right(); ++x)
            if (x >= 0 && y >= 0 && x < size.width && y < size.height && m.at(x, y))
                out.at<uchar>(y, x) = 1;
    return out;
}

} // namespace

class TestAugment : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSamePixels();
    void shapesFollowThePixels_data();
    void shapesFollowThePixels();
    void flipMovesBoxExactly();
    void reducedDecodeGivesTheSamePicture();
    void boxesLeavingThePictureAreDropped();
    void recipeSurvivesJson();
    void badRecipeNamesThePlace();
    void domainGuards();
    void mixUpMixesPixelsAndTargetsAlike();
    void cutMixTargetsFollowThePastedArea();
};

void TestAugment::sameSeedSamePixels()
{
    const cv::Mat img = pictureWithBlock(320, 240, QRect(100, 80, 60, 40));
    AugmentRecipe r = AugmentRecipe::standardPreset();
    TransformSpec noise;
    noise.type = TransformType::GaussianNoise;
    TransformSpec erase;
    erase.type = TransformType::RandomErasing;
    r.transforms << noise << erase;
    const Augmenter aug(r);
    const AugmentSample in{img, {Box{QRectF(100, 80, 60, 40)}}, {}};
    const AugmentSample a = aug.apply(in, 42), b = aug.apply(in, 42), c = aug.apply(in, 43);
    QCOMPARE(a.image.size(), cv::Size(224, 224));
    QCOMPARE(cv::norm(a.image, b.image, cv::NORM_INF), 0.0);
    QVERIFY(a.shapes == b.shapes);
    QVERIFY(cv::norm(a.image, c.image, cv::NORM_L1) > 0);
}

void TestAugment::shapesFollowThePixels_data()
{
    QTest::addColumn<quint64>("seed");
    for (quint64 s : {2ull, 3ull, 6ull, 8ull, 17ull, 99ull, 1234ull, 4242ull})
        QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(s))) << s;
}

void TestAugment::shapesFollowThePixels()
{
    // A white block is a box, a polygon and a mask at once: wherever the
    // pixels go, the three shapes must go with them.
    QFETCH(quint64, seed);
    const QRect block(130, 90, 80, 60);
    const cv::Mat img = pictureWithBlock(400, 300, block);
    const QRectF rect(block);
    const Polygon poly{QPolygonF(rect)};
    const Mask mask = rasterizeBox(rect, QSize(400, 300));
    const Augmenter aug(geometricRecipe());
    const AugmentSample out = aug.apply({img, {Box{rect}, poly, mask}, {}}, seed);
    const cv::Mat on = brightPixels(out.image);
    // These seeds keep the block in view (a crop may take it away entirely).
    QVERIFY2(cv::countNonZero(on) >= 400, "the block left the picture: pick another seed");
    QCOMPARE(out.shapes.size(), 3);
    QCOMPARE(out.sourceIndex, (QVector<int>{0, 1, 2}));

    // The box around the moved block, within a pixel and a half.
    const cv::Rect seen = cv::boundingRect(on);
    const QRectF box = std::get<Box>(out.shapes[0]).rect;
    QVERIFY2(std::abs(box.left() - seen.x) <= 1.5 && std::abs(box.top() - seen.y) <= 1.5
                 && std::abs(box.right() - (seen.x + seen.width)) <= 1.5
                 && std::abs(box.bottom() - (seen.y + seen.height)) <= 1.5,
             qPrintable(QStringLiteral("box %1,%2 %3x%4 vs pixels %5,%6 %7x%8")
                            .arg(box.x()).arg(box.y()).arg(box.width()).arg(box.height())
                            .arg(seen.x).arg(seen.y).arg(seen.width).arg(seen.height)));
    // Polygon and mask cover the same pixels as the block.
    const Mask polyPixels = rasterizePolygon(std::get<Polygon>(out.shapes[1]).points, QSize(224, 224));
    QVERIFY2(iou(maskImage(polyPixels, on.size()), on) > 0.9, "polygon left its pixels");
    QVERIFY2(iou(maskImage(std::get<Mask>(out.shapes[2]), on.size()), on) > 0.9, "mask left its pixels");
}

void TestAugment::flipMovesBoxExactly()
{
    AugmentRecipe r;
    TransformSpec flip;
    flip.type = TransformType::HorizontalFlip;
    r.transforms << flip;
    const cv::Mat img = pictureWithBlock(100, 50, QRect(10, 5, 20, 10));
    const AugmentSample out = Augmenter(r).apply({img, {Box{QRectF(10, 5, 20, 10)}}, {}}, 1);
    QCOMPARE(std::get<Box>(out.shapes[0]).rect, QRectF(70, 5, 20, 10));
    // The pixels moved the same way: column 70..89 is white now, 10..29 is not.
    QCOMPARE(out.image.at<cv::Vec3b>(10, 70), cv::Vec3b(255, 255, 255));
    QCOMPARE(out.image.at<cv::Vec3b>(10, 89), cv::Vec3b(255, 255, 255));
    QVERIFY(out.image.at<cv::Vec3b>(10, 20)[0] < 100);
}

void TestAugment::reducedDecodeGivesTheSamePicture()
{
    // A source decoded at half size (as a reduced JPEG decode delivers it)
    // must give the same shapes and nearly the same pixels as the full one.
    const cv::Mat full = pictureWithBlock(1280, 960, QRect(400, 300, 320, 240));
    cv::Mat half;
    cv::resize(full, half, cv::Size(640, 480), 0, 0, cv::INTER_AREA);
    const Augmenter aug(geometricRecipe());
    int reduced = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const int r = aug.sourceReduction(QSize(1280, 960), seed);
        QVERIFY(r == 1 || r == 2 || r == 4 || r == 8);
        if (r < 2)
            continue;
        ++reduced;
        const AugmentSample a = aug.apply({full, {Box{QRectF(400, 300, 320, 240)}}, {}}, seed);
        const AugmentSample b = aug.apply({half, {Box{QRectF(400, 300, 320, 240)}}, {}}, seed, QSize(1280, 960));
        QVERIFY(a.shapes == b.shapes);
        cv::Mat diff;
        cv::absdiff(a.image, b.image, diff);
        QVERIFY2(cv::mean(diff)[0] < 6.0, qPrintable(QString::number(cv::mean(diff)[0])));
    }
    QVERIFY(reduced >= 10); // a 224 crop of a 1280x960 photo rarely needs every pixel
}

void TestAugment::boxesLeavingThePictureAreDropped()
{
    // Translate far right: a box near the right edge leaves the picture, one on
    // the left stays (clipped to the picture when partly out).
    AugmentRecipe r;
    TransformSpec resize;
    resize.type = TransformType::Resize;
    resize.params = {{QStringLiteral("width"), 100}, {QStringLiteral("height"), 100}};
    r.transforms << resize;
    r.minBoxVisibility = 0.5;
    const cv::Mat img(100, 100, CV_8UC3, cv::Scalar::all(0));
    const AugmentSample same = Augmenter(r).apply({img, {Box{QRectF(90, 0, 20, 10)}}, {}}, 1);
    QCOMPARE(same.shapes.size(), 1); // exactly half visible: kept at 0.5
    QCOMPARE(std::get<Box>(same.shapes[0]).rect, QRectF(90, 0, 10, 10));
    r.minBoxVisibility = 0.6;
    QVERIFY(Augmenter(r).apply({img, {Box{QRectF(90, 0, 20, 10)}}, {}}, 1).shapes.isEmpty());
}

void TestAugment::recipeSurvivesJson()
{
    AugmentRecipe r = AugmentRecipe::standardPreset();
    r.transforms[0].enabled = false;
    r.transforms[1].params.insert(QStringLiteral("scale_min"), 0.3);
    r.minBoxVisibility = 0.4;
    auto back = AugmentRecipe::fromJson(r.toJson());
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().toString()));
    QCOMPARE(back->toJson(), r.toJson());
    QCOMPARE(back->transforms.size(), r.transforms.size());
    QCOMPARE(back->transforms[1].param(QStringLiteral("scale_min")), 0.3);
    QVERIFY(!back->transforms[0].enabled);
}

void TestAugment::badRecipeNamesThePlace()
{
    auto bad = AugmentRecipe::fromJson(R"({"transforms":[{"type":"rotate","degrees":15},
        {"type":"rotate","degrees":900}]})", QStringLiteral("recipe.json"));
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().toString().contains(QLatin1String("recipe.json"))
                 && bad.error().message.contains(QLatin1String("transforms[1].degrees")),
             qPrintable(bad.error().toString()));
    auto unknown = AugmentRecipe::fromJson(R"({"transforms":[{"type":"warp_drive"}]})");
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().message.contains(QLatin1String("warp_drive")));
    QVERIFY(!AugmentRecipe::fromJson("{\"transforms\": [").ok());
}

void TestAugment::domainGuards()
{
    const AugmentRecipe preset = AugmentRecipe::standardPreset(); // rotate 15 + horizontal flip
    QVERIFY(preset.domainWarnings(ImageDomain::Aerial).isEmpty());
    QVERIFY(preset.domainWarnings(ImageDomain::Natural).isEmpty());
    const QStringList medical = preset.domainWarnings(ImageDomain::Medical);
    QCOMPARE(medical.size(), 1);
    QVERIFY(medical[0].startsWith(QLatin1String("horizontal_flip")));
    const QStringList docs = preset.domainWarnings(ImageDomain::Documents);
    QCOMPARE(docs.size(), 2); // rotation of 15 degrees and the flip
}

namespace {
MixBatch fourFlatImages()
{
    MixBatch b;
    for (int i = 0; i < 4; ++i) {
        b.images.push_back(cv::Mat(32, 48, CV_8UC3, cv::Scalar::all(i * 60)));
        std::vector<float> t(4, 0.0f);
        t[std::size_t(i)] = 1.0f;
        b.targets.push_back(t);
    }
    return b;
}
} // namespace

void TestAugment::mixUpMixesPixelsAndTargetsAlike()
{
    MixBatch b = fourFlatImages();
    const double lambda = mixUp(b, 0.4, 11);
    QVERIFY(lambda > 0 && lambda < 1);
    for (int i = 0; i < 4; ++i) {
        // Pixel value v = lambda * 60 i + (1 - lambda) * 60 j: recover the partner j
        // from the target row and check the pixels agree with it.
        const std::vector<float> &t = b.targets[std::size_t(i)];
        double sum = 0, expected = 0;
        for (int k = 0; k < 4; ++k) {
            sum += t[std::size_t(k)];
            expected += t[std::size_t(k)] * 60.0 * k;
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-5);
        QVERIFY2(std::abs(b.images[std::size_t(i)].at<cv::Vec3b>(5, 5)[0] - expected) <= 1.0,
                 qPrintable(QString("%1 vs %2").arg(b.images[std::size_t(i)].at<cv::Vec3b>(5, 5)[0]).arg(expected)));
    }
    MixBatch again = fourFlatImages();
    QCOMPARE(mixUp(again, 0.4, 11), lambda); // same seed, same mix
}

void TestAugment::cutMixTargetsFollowThePastedArea()
{
    MixBatch b = fourFlatImages();
    const double lambda = cutMix(b, 1.0, 5);
    for (int i = 0; i < 4; ++i) {
        const cv::Mat &img = b.images[std::size_t(i)];
        const int own = cv::countNonZero(img.reshape(1) == cv::Mat(img.reshape(1).size(), CV_8U, cv::Scalar(i * 60)));
        const double ownShare = own / double(img.total() * 3);
        const float kept = b.targets[std::size_t(i)][std::size_t(i)];
        // An image paired with itself keeps everything; otherwise its share equals lambda.
        if (kept < 0.999f)
            QVERIFY2(std::abs(ownShare - lambda) < 1e-9,
                     qPrintable(QString("own %1 lambda %2").arg(ownShare).arg(lambda)));
        QVERIFY(std::abs(kept - (kept < 0.999f ? lambda : 1.0)) < 1e-5);
    }
}

QTEST_GUILESS_MAIN(TestAugment)
#include "augmenttest.moc"
