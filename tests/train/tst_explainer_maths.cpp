// SPDX-License-Identifier: GPL-3.0-or-later
// The explainer's maths without a project: every architecture can be tapped
// at each of its blocks without changing what it computes, Grad-CAM and
// LayerCAM at the last block match their closed forms, the deletion curve
// starts at the image's probability and ends at the mean image's, and the
// rank correlation behaves as Spearman's.
#include "core/train/explaincam.h"
#include "core/train/explainer.h"
#include "core/train/models.h"

#include <QtTest>

#include <cmath>

Q_DECLARE_METATYPE(std::vector<float>)

using namespace salient;
using namespace salient::train;

namespace {

std::shared_ptr<ClassifierNet> seededModel(const std::string &name, int classes = 3)
{
    torch::manual_seed(5);
    auto model = makeModel(name, classes);
    if (model) {
        model->eval();
        for (torch::Tensor &p : model->parameters())
            p.set_requires_grad(false);
    }
    return model;
}

cv::Mat fromVector(int rows, int cols, const std::vector<float> &v)
{
    return cv::Mat(rows, cols, CV_32FC1, const_cast<float *>(v.data())).clone();
}

} // namespace

class ExplainerMathsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void identityTapGivesFeatures_data()
    {
        QTest::addColumn<QString>("architecture");
        QTest::addColumn<QStringList>("expectedBlocks");
        const auto features = [](int n) {
            QStringList l;
            for (int i = 0; i < n; ++i)
                l << QStringLiteral("features.%1").arg(i);
            return l;
        };
        const QStringList resnet = {"layer1", "layer2", "layer3", "layer4"};
        QTest::newRow("resnet18") << "resnet18" << resnet;
        QTest::newRow("resnet34") << "resnet34" << resnet;
        QTest::newRow("resnet50") << "resnet50" << resnet;
        QTest::newRow("mobilenet_v3_small") << "mobilenet_v3_small" << features(13);
        QTest::newRow("mobilenet_v3_large") << "mobilenet_v3_large" << features(17);
        QTest::newRow("efficientnet_b0") << "efficientnet_b0" << features(9);
        QTest::newRow("smallcnn") << "smallcnn" << features(3);
    }
    void identityTapGivesFeatures()
    {
        QFETCH(QString, architecture);
        QFETCH(QStringList, expectedBlocks);
        auto model = seededModel(architecture.toStdString());
        QVERIFY(model);
        QStringList blocks;
        for (const std::string &b : model->blockNames())
            blocks << QString::fromStdString(b);
        QCOMPARE(blocks, expectedBlocks);
        // Each name is a real module (a state-dict prefix) of the network.
        const auto modules = model->named_modules();
        for (const std::string &b : model->blockNames())
            QVERIFY2(modules.find(b) != nullptr, b.c_str());

        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::randn({1, 3, 64, 64});
        const torch::Tensor expected = model->features(x);
        std::vector<int64_t> lastSide;
        for (int i = 0; i < int(blocks.size()); ++i) {
            int calls = 0;
            torch::Tensor seen;
            const torch::Tensor got = model->featuresTapped(x, i, [&](torch::Tensor t) {
                ++calls;
                seen = t;
                return t;
            });
            QCOMPARE(calls, 1);
            QVERIFY2(torch::equal(got, expected), qPrintable(blocks[i]));
            QCOMPARE(seen.dim(), int64_t(4));
            // Blocks run input side first: the maps never grow.
            if (!lastSide.empty())
                QVERIFY(seen.size(2) <= lastSide.back());
            lastSide.push_back(seen.size(2));
        }
        // The last block's output is the features() map itself.
        const torch::Tensor last = model->featuresTapped(x, int(blocks.size()) - 1,
                                                         [](torch::Tensor t) { return t * 0; });
        QVERIFY(torch::equal(last, torch::zeros_like(expected)));
    }

    // At the last block classify() is pooling and a linear head, so the
    // gradient of class c is W[c] / (h w) everywhere: Grad-CAM is then the
    // original CAM sum_k W[c,k] A_k, and LayerCAM sum_k relu(W[c,k]) A_k.
    void lastBlockMatchesClosedForm_data()
    {
        QTest::addColumn<int>("method");
        QTest::newRow("gradcam") << int(review::CamMethod::GradCam);
        QTest::newRow("layercam") << int(review::CamMethod::LayerCam);
        QTest::newRow("gradcam++") << int(review::CamMethod::GradCamPlusPlus);
    }
    void lastBlockMatchesClosedForm()
    {
        QFETCH(int, method);
        auto model = seededModel("smallcnn", 4);
        const torch::Tensor x = torch::randn({1, 3, 32, 32});
        for (int target = 0; target < 4; ++target) {
            const cam::CamResult r =
                cam::computeCam(*model, x, 2, review::CamMethod(method), target, false);
            QCOMPARE(r.target, target);
            torch::NoGradGuard noGrad;
            const torch::Tensor a = model->features(x)[0];
            const torch::Tensor w = model->head()->weight[target].reshape({-1, 1, 1});
            torch::Tensor expected;
            if (review::CamMethod(method) == review::CamMethod::GradCam) {
                expected = cam::normaliseMap((w * a).sum(0));
            } else if (review::CamMethod(method) == review::CamMethod::LayerCam) {
                expected = cam::normaliseMap((torch::relu(w) * a).sum(0));
            } else {
                // Constant gradient g = w / (h w): alpha = 1 / (2 + sum(A) g)
                // where g != 0, weights = alpha relu(g) h w.
                const double cells = double(a.size(1) * a.size(2));
                const torch::Tensor g = w / cells;
                const torch::Tensor sumA = a.sum({1, 2}, true);
                const torch::Tensor alpha = torch::where(g != 0, 1.0 / (2 + sumA * g),
                                                         torch::zeros_like(g));
                expected = cam::normaliseMap((alpha * torch::relu(g) * a).sum(0));
            }
            QVERIFY2(torch::allclose(r.map, expected, 1e-4, 1e-5),
                     qPrintable(QStringLiteral("target %1").arg(target)));
            QCOMPARE(r.map.min().item<float>() >= 0.f, true);
            QCOMPARE(r.map.max().item<float>() <= 1.f, true);
            const torch::Tensor probs = torch::softmax(model->forward(x), 1)[0];
            QVERIFY(torch::allclose(r.probabilities, probs));
            QCOMPARE(r.predicted, int(probs.argmax().item<int64_t>()));
        }
    }

    void predictedClassIsTheDefaultTarget()
    {
        auto model = seededModel("resnet18", 5);
        const torch::Tensor x = torch::randn({1, 3, 64, 64});
        const cam::CamResult r = cam::computeCam(*model, x, 3, review::CamMethod::GradCam, -1, true);
        QCOMPARE(r.target, r.predicted);
        torch::NoGradGuard noGrad;
        // Multi-label: sigmoid probabilities, one per class.
        QVERIFY(torch::allclose(r.probabilities, torch::sigmoid(model->forward(x))[0]));
        QCOMPARE(r.map.size(0), int64_t(2)); // layer4 at 64 px: 2 x 2
        // The backward pass never reached a parameter.
        for (const torch::Tensor &p : model->parameters())
            QVERIFY(!p.grad().defined());
    }

    void normaliseMapRanges()
    {
        const torch::Tensor constant = torch::full({4, 4}, 3.0);
        QVERIFY(torch::equal(cam::normaliseMap(constant), torch::zeros({4, 4})));
        const torch::Tensor negative = -torch::rand({4, 4}) - 0.1;
        QVERIFY(torch::equal(cam::normaliseMap(negative), torch::zeros({4, 4})));
        const torch::Tensor mixed = torch::tensor({-2.f, 0.f, 1.f, 3.f}).reshape({2, 2});
        QVERIFY(torch::allclose(cam::normaliseMap(mixed),
                                torch::tensor({0.f, 0.f, 1.f / 3, 1.f}).reshape({2, 2})));
    }

    void curveAreaIsTrapezoid()
    {
        QCOMPARE(cam::curveArea({1.0, 1.0, 1.0}), 1.0);
        QCOMPARE(cam::curveArea({1.0, 0.0}), 0.5);
        QCOMPARE(cam::curveArea({1.0, 0.5, 0.0, 0.0, 0.0}), 0.25);
        QCOMPARE(cam::curveArea({}), -1.0);
    }

    void deletionCurveEnds()
    {
        auto model = seededModel("smallcnn", 3);
        const torch::Tensor x = torch::randn({1, 3, 32, 32});
        const torch::Tensor map = torch::rand({8, 8});
        torch::NoGradGuard noGrad;
        const std::vector<double> curve = cam::deletionCurve(*model, x, map, 1, false, 20);
        QCOMPARE(int(curve.size()), 21);
        const double original = torch::softmax(model->forward(x), 1)[0][1].item<double>();
        const double mean = torch::softmax(model->forward(torch::zeros_like(x)), 1)[0][1].item<double>();
        QVERIFY(std::abs(curve.front() - original) < 1e-5);
        QVERIFY(std::abs(curve.back() - mean) < 1e-5);
        // Deleting the hottest half by a map that is hot exactly on the
        // left half leaves the right half of the input untouched.
        torch::Tensor left = torch::zeros({32, 32});
        left.index_put_({torch::indexing::Slice(), torch::indexing::Slice(0, 16)}, 1.0);
        const std::vector<double> half = cam::deletionCurve(*model, x, left, 1, false, 2);
        torch::Tensor rightOnly = x.clone();
        rightOnly.index_put_({torch::indexing::Slice(), torch::indexing::Slice(),
                              torch::indexing::Slice(), torch::indexing::Slice(0, 16)},
                             0.0);
        const double expected = torch::softmax(model->forward(rightOnly), 1)[0][1].item<double>();
        QVERIFY(std::abs(half[1] - expected) < 1e-5);
    }

    void rankCorrelation_data()
    {
        QTest::addColumn<std::vector<float>>("a");
        QTest::addColumn<std::vector<float>>("b");
        QTest::addColumn<double>("expected");
        QTest::newRow("same ranking, other values")
            << std::vector<float>{0.1f, 0.2f, 0.3f, 0.9f} << std::vector<float>{1, 2, 5, 40} << 1.0;
        QTest::newRow("reversed") << std::vector<float>{0.1f, 0.2f, 0.3f, 0.9f}
                                  << std::vector<float>{4, 3, 2, 1} << -1.0;
        // Ties take their mean rank: ranks (0.5 0.5 2 3) against (0 1 2 3).
        QTest::newRow("ties") << std::vector<float>{0, 0, 1, 2} << std::vector<float>{0, 1, 2, 3}
                              << 0.9486832980505138;
    }
    void rankCorrelation()
    {
        QFETCH(std::vector<float>, a);
        QFETCH(std::vector<float>, b);
        QFETCH(double, expected);
        QVERIFY(std::abs(mapRankCorrelation(fromVector(2, 2, a), fromVector(2, 2, b)) - expected)
                < 1e-9);
    }

    void rankCorrelationUndefined()
    {
        const cv::Mat flat = cv::Mat::zeros(4, 4, CV_32FC1);
        cv::Mat ramp(4, 4, CV_32FC1);
        for (int i = 0; i < 16; ++i)
            ramp.at<float>(i / 4, i % 4) = float(i);
        QVERIFY(std::isnan(mapRankCorrelation(flat, ramp)));
        QVERIFY(std::isnan(mapRankCorrelation(ramp, cv::Mat::zeros(2, 8, CV_32FC1))));
        QVERIFY(std::isnan(mapRankCorrelation(cv::Mat(), cv::Mat())));
        QCOMPARE(mapRankCorrelation(ramp, ramp), 1.0);
    }
};

QTEST_GUILESS_MAIN(ExplainerMathsTest)
#include "tst_explainer_maths.moc"
