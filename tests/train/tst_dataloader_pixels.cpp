// SPDX-License-Identifier: GPL-3.0-or-later
// DataLoader pixels: RGB planes normalised with ImageNet's (or the recipe's)
// mean and std, grey expanded to three channels, the store's EXIF orientation
// applied, unreadable files reported and replaced, the evaluation centre crop,
// and MixUp / CutMix targets.
#include "core/train/dataloader.h"
#include "core/train/evaluate.h"
#include "tests/train/loaderfixtures.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace salient;
using namespace salient::train;
using namespace salient::test;

namespace {

constexpr double kMean[3] = {0.485, 0.456, 0.406};
constexpr double kStd[3] = {0.229, 0.224, 0.225};

/// The 0..255 value behind a normalised float of plane c (RGB).
double raw(const Batch &b, int image, int c, int y, int x)
{
    const std::size_t plane = std::size_t(b.height) * std::size_t(b.width);
    const float v = b.pixels[std::size_t(image) * 3 * plane + std::size_t(c) * plane
                             + std::size_t(y) * std::size_t(b.width) + std::size_t(x)];
    return (v * kStd[c] + kMean[c]) * 255.0;
}

LoaderItem itemFor(const QString &path, qint64 id, int cls = 0, int orientation = 1)
{
    LoaderItem item;
    item.imageId = id;
    item.path = path;
    item.classes = {cls};
    item.orientation = orientation;
    return item;
}

LoaderOptions evalOptions(int size)
{
    LoaderOptions o;
    o.imageSize = size;
    o.numClasses = 3;
    o.batchSize = 8;
    o.augment = false;
    o.workers = 2;
    return o;
}

} // namespace

class TestDataLoaderPixels : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString file(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void solidColourIsNormalised_data()
    {
        QTest::addColumn<bool>("augment");
        QTest::addColumn<bool>("recipeNormalize");
        QTest::newRow("evaluation, ImageNet mean/std") << false << false;
        QTest::newRow("training with flips, ImageNet mean/std") << true << false;
        QTest::newRow("training, the recipe's mean 0.5 std 0.25") << true << true;
        QTest::newRow("evaluation, the recipe's mean 0.5 std 0.25") << false << true;
    }
    void solidColourIsNormalised()
    {
        QFETCH(bool, augment);
        QFETCH(bool, recipeNormalize);
        const QString path = file(QStringLiteral("solid.png"));
        QVERIFY(writeSolidPng(path, 30, 20, cv::Scalar(0, 128, 255))); // BGR: R 255, G 128, B 0
        LoaderOptions o = evalOptions(16);
        o.augment = augment;
        TransformSpec flip;
        flip.type = TransformType::HorizontalFlip;
        o.recipe.transforms = {flip};
        if (recipeNormalize) {
            TransformSpec n;
            n.type = TransformType::Normalize;
            n.params = {
                {QStringLiteral("mean_r"), 0.5}, {QStringLiteral("mean_g"), 0.5},
                                                  {QStringLiteral("mean_b"), 0.5}, {QStringLiteral("std_r"), 0.25},
                                                                                    {QStringLiteral("std_g"), 0.25}, {QStringLiteral("std_b"), 0.25}};
            o.recipe.transforms << n;
        }
        DataLoader loader({itemFor(path, 1), itemFor(path, 2)}, o);
        const auto batches = runEpoch(loader, 1);
        QCOMPARE(batches.size(), std::size_t(1));
        const Batch &b = batches.front();
        QCOMPARE(b.size, 2);
        QCOMPARE(b.width, 16);
        QCOMPARE(b.pixels.size(), std::size_t(2 * 3 * 16 * 16));
        const double value[3] = {255, 128, 0};
        for (int c = 0; c < 3; ++c) {
            const double mean = recipeNormalize ? 0.5 : kMean[c],
                         stdv = recipeNormalize ? 0.25 : kStd[c];
            const float expected = float((value[c] / 255.0 - mean) / stdv);
            for (std::size_t k = 0; k < 16 * 16 * 2; ++k) {
                const std::size_t image = k / 256, at = k % 256;
                const float got = b.pixels[image * 3 * 256 + std::size_t(c) * 256 + at];
                QVERIFY2(std::abs(got - expected) < 1e-5f,
                         qPrintable(
                             QStringLiteral("channel %1: %2 != %3").arg(c).arg(got).arg(expected)));
            }
        }
    }

    void runEvaluationUsesTheRecipesNormalisation()
    {
        // Validation, test, Grad-CAM and export must see what training saw: a
        // run whose recipe normalises with mean 0.5 / std 0.25 is evaluated so.
        const QString path = file(QStringLiteral("solid-eval.png"));
        QVERIFY(writeSolidPng(path, 30, 20, cv::Scalar(0, 128, 255)));
        TrainConfig config;
        config.imageSize = 16;
        config.batchSize = 4;
        AugmentRecipe recipe;
        TransformSpec n;
        n.type = TransformType::Normalize;
        n.params = {{QStringLiteral("mean_r"), 0.5}, {QStringLiteral("mean_g"), 0.5},
                    {QStringLiteral("mean_b"), 0.5}, {QStringLiteral("std_r"), 0.25},
                    {QStringLiteral("std_g"), 0.25}, {QStringLiteral("std_b"), 0.25}};
        recipe.transforms = {n};
        const LoaderOptions o = evalLoaderOptions(config, 3, recipe);
        QVERIFY(!o.augment);
        DataLoader loader({itemFor(path, 1)}, o);
        const auto batches = runEpoch(loader, 1);
        QCOMPARE(batches.size(), std::size_t(1));
        const Batch &b = batches.front();
        QCOMPARE(b.width, 16);
        // R 255 -> (1 - 0.5) / 0.25 = 2; with ImageNet's it would be 2.249.
        QVERIFY2(std::abs(b.pixels[0] - 2.0f) < 1e-5f, qPrintable(QString::number(b.pixels[0])));
        const std::size_t plane = 16 * 16;
        QVERIFY2(std::abs(b.pixels[2 * plane] - (-2.0f)) < 1e-5f,
                 qPrintable(QString::number(b.pixels[2 * plane])));
    }

    void greyBecomesThreeEqualChannels_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("grey PNG") << QStringLiteral("png");
        QTest::newRow("grey JPEG") << QStringLiteral("jpeg");
    }
    void greyBecomesThreeEqualChannels()
    {
        QFETCH(QString, kind);
        const QString path = file(QStringLiteral("grey.") + kind);
        QVERIFY(kind == QLatin1String("png") ? writeSolidPng(path, 20, 20, cv::Scalar(100), 1)
                                             : writeGreyJpeg(path, 40, 30, 3));
        for (bool augment : {false, true}) {
            LoaderOptions o = evalOptions(16);
            o.augment = augment;
            o.recipe = AugmentRecipe::standardPreset(); // colour jitter on grey: still grey
            DataLoader loader({itemFor(path, 1)}, o);
            const Batch b = runEpoch(loader, 1).front();
            bool anyNonBlack = false;
            for (int y = 0; y < 16; ++y)
                for (int x = 0; x < 16; ++x) {
                    const double r = raw(b, 0, 0, y, x), g = raw(b, 0, 1, y, x),
                                 bl = raw(b, 0, 2, y, x);
                    QVERIFY(std::abs(r - g) < 1e-3 && std::abs(g - bl) < 1e-3);
                    anyNonBlack = anyNonBlack || r > 1;
                    if (kind == QLatin1String("png") && !augment)
                        QVERIFY(std::abs(r - 100) < 1e-3);
                }
            QVERIFY(anyNonBlack);
        }
    }

    void storeOrientationIsApplied_data()
    {
        QTest::addColumn<int>("orientation");
        QTest::addColumn<bool>("markerTopRight");
        QTest::newRow("orientation 1: marker top left") << 1 << false;
        QTest::newRow("orientation 6 (90 cw): marker top right") << 6 << true;
    }
    void storeOrientationIsApplied()
    {
        QFETCH(int, orientation);
        QFETCH(bool, markerTopRight);
        // The file says 6; the loader follows the store's value in the item.
        const QString path = file(QStringLiteral("exif6.jpg"));
        QVERIFY(writeJpeg(path, 48, 48, 5, 6));
        for (qint64 cache : {qint64(0), qint64(1) << 20}) {
            LoaderOptions o = evalOptions(48);
            o.cacheBytes = cache;
            DataLoader loader({itemFor(path, 1, 0, orientation)}, o);
            const Batch b = runEpoch(loader, 1).front();
            auto red = [&](int y, int x) {
                return raw(b, 0, 0, y, x) > 200 && raw(b, 0, 1, y, x) < 60
                       && raw(b, 0, 2, y, x) < 60;
            };
            QCOMPARE(red(2, 45), markerTopRight);
            QCOMPARE(red(2, 2), !markerTopRight);
        }
    }

    void rotatedTrainingFrameMatchesEvaluation()
    {
        // Stored 96 x 48, displayed 48 x 96: the full-resolution training path
        // must use the displayed size, so an empty recipe gives the eval crop.
        const QString path = file(QStringLiteral("wide6.jpg"));
        QVERIFY(writeJpeg(path, 96, 48, 9, 6));
        LoaderOptions eval = evalOptions(48);
        LoaderOptions train = eval;
        train.augment = true;
        train.recipe = AugmentRecipe();
        DataLoader le({itemFor(path, 1, 0, 6)}, eval), lt({itemFor(path, 1, 0, 6)}, train);
        const Batch be = runEpoch(le, 1).front(), bt = runEpoch(lt, 1).front();
        QCOMPARE(bt.pixels.size(), be.pixels.size());
        double worst = 0;
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 48; ++y)
                for (int x = 0; x < 48; ++x)
                    worst = std::max(worst, std::abs(raw(be, 0, c, y, x) - raw(bt, 0, c, y, x)));
        QVERIFY2(worst <= 3.0, qPrintable(QString::number(worst))); // decoder rounding at most
    }

    void evaluationCentreCropOfAWideImage_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("80x40 to 20: halved, then cropped") << 20;
        QTest::newRow("80x40 to 40: cropped only") << 40;
    }
    void evaluationCentreCropOfAWideImage()
    {
        QFETCH(int, size);
        // Red | green | blue in quarters 1 | 2-3 | 4: the centre square is all green.
        cv::Mat img(40, 80, CV_8UC3, cv::Scalar(0, 255, 0));
        img(cv::Rect(0, 0, 20, 40)).setTo(cv::Scalar(0, 0, 255));
        img(cv::Rect(60, 0, 20, 40)).setTo(cv::Scalar(255, 0, 0));
        const QString path = file(QStringLiteral("wide.png"));
        QVERIFY(cv::imwrite(path.toStdString(), img));
        DataLoader loader({itemFor(path, 1)}, evalOptions(size));
        const Batch b = runEpoch(loader, 1).front();
        QCOMPARE(b.width, size);
        QCOMPARE(b.height, size);
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) {
                QVERIFY2(std::abs(raw(b, 0, 1, y, x) - 255) < 1e-3,
                         qPrintable(QStringLiteral("%1,%2").arg(x).arg(y)));
                QVERIFY(std::abs(raw(b, 0, 0, y, x)) < 1e-3 && std::abs(raw(b, 0, 2, y, x)) < 1e-3);
            }
    }

    void unreadableImagesAreReportedOnceAndReplaced()
    {
        QVector<LoaderItem> items = writeClassImages(m_dir.path(), {3, 3});
        QCOMPARE(items.size(), 6);
        const QString text = file(QStringLiteral("notes.jpg")),
                                  cut = file(QStringLiteral("cut.jpg")),
                                             missing = file(QStringLiteral("missing.png"));
        QVERIFY(writeText(text));
        QVERIFY(writeTruncatedJpeg(cut, 64, 48, 0.4));
        items << itemFor(text, 101, 1) << itemFor(cut, 102, 0) << itemFor(missing, 103, 1);
        std::vector<std::vector<Batch>> runs;
        for (int workers : {1, 3}) {
            LoaderOptions o = evalOptions(16);
            o.augment = true;
            o.recipe = AugmentRecipe::standardPreset();
            o.batchSize = 4;
            o.workers = workers;
            DataLoader loader(items, o);
            for (int epoch = 1; epoch <= 2; ++epoch) {
                const auto batches = runEpoch(loader, epoch);
                QCOMPARE(batches.size(), std::size_t(3));
                int images = 0;
                for (const Batch &b : batches) {
                    images += b.size;
                    for (int i = 0; i < b.size; ++i) {
                        const qint64 id = b.imageIds[std::size_t(i)];
                        QVERIFY2(id <= 6, "an unreadable image made it into a batch");
                        QCOMPARE(b.labels[std::size_t(i)],
                                 int((id - 1) / 3)); // the replacement's label
                    }
                }
                QCOMPARE(images, 9); // no hole: every position filled
                if (epoch == 1)
                    runs.push_back(batches);
            }
            const QStringList problems = loader.problems();
            QCOMPARE(problems.size(), 3); // once each, though seen in two epochs
            for (const QString &p : {text, cut, missing})
                QVERIFY2(problems.filter(p + QStringLiteral(": ")).size() == 1,
                                         qPrintable(problems.join('\n')));
        }
        QVERIFY(sameBatches(runs[0], runs[1])); // replacements do not depend on timing
    }

    void mixedTargetsSumToOne_data()
    {
        QTest::addColumn<int>("mix");
        QTest::addColumn<double>("probability");
        QTest::newRow("mixup, every batch") << int(MixKind::MixUp) << 1.0;
        QTest::newRow("cutmix, every batch") << int(MixKind::CutMix) << 1.0;
        QTest::newRow("mixup, half of the batches") << int(MixKind::MixUp) << 0.5;
        QTest::newRow("mixup, never") << int(MixKind::MixUp) << 0.0;
    }
    void mixedTargetsSumToOne()
    {
        QFETCH(int, mix);
        QFETCH(double, probability);
        const QVector<LoaderItem> items = writeClassImages(m_dir.path(), {6, 6, 6});
        LoaderOptions o = evalOptions(16);
        o.augment = true;
        o.recipe = AugmentRecipe::standardPreset();
        o.batchSize = 6;
        o.mix = MixKind(mix);
        o.mixProbability = probability;
        o.mixAlpha = 1.0;
        DataLoader loader(items, o);
        LoaderOptions plainOptions = o;
        plainOptions.mix = MixKind::None;
        DataLoader plain(items, plainOptions);
        int mixedBatches = 0, softRows = 0, batchesSeen = 0;
        for (int epoch = 1; epoch <= 3; ++epoch) {
            const auto batches = runEpoch(loader, epoch), unmixed = runEpoch(plain, epoch);
            for (std::size_t k = 0; k < batches.size(); ++k) {
                const Batch &b = batches[k];
                ++batchesSeen;
                mixedBatches += b.mixed ? 1 : 0;
                QCOMPARE(b.mixed,
                         b.pixels != unmixed[k].pixels); // mixing changes pixels, only then
                for (int i = 0; i < b.size; ++i) {
                    const float *row = b.targets.data() + i * 3;
                    QVERIFY(std::abs(row[0] + row[1] + row[2] - 1.0f) < 1e-5f);
                    const int dominant = int(std::max_element(row, row + 3) - row);
                    QCOMPARE(b.labels[std::size_t(i)], dominant);
                    softRows += *std::max_element(row, row + 3) < 0.999f ? 1 : 0;
                }
            }
        }
        if (probability == 1.0) {
            QCOMPARE(mixedBatches, batchesSeen);
            QVERIFY(softRows > 0);
        } else if (probability == 0.0) {
            QCOMPARE(mixedBatches, 0);
            QCOMPARE(softRows, 0);
        } else {
            QVERIFY(mixedBatches > 0 && mixedBatches < batchesSeen);
        }
    }
};

QTEST_GUILESS_MAIN(TestDataLoaderPixels)
#include "tst_dataloader_pixels.moc"
