// SPDX-License-Identifier: GPL-3.0-or-later
// The pieces of the training engine on their own: losses against values
// worked out by hand, freeze policies that leave frozen weights and BatchNorm
// statistics bit-identical, the schedule, and checkpoints that round-trip.
#include "core/train/checkpoint.h"
#include "core/train/evaluate.h"
#include "core/train/freeze.h"
#include "core/train/losses.h"
#include "core/train/models.h"
#include "core/train/optim.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

#include <cmath>
#include <map>

using namespace salient::train;

namespace {

torch::Tensor oneHot(const std::vector<int64_t> &labels, int64_t classes)
{
    return torch::one_hot(torch::tensor(labels), classes).to(torch::kFloat32);
}

/// Copies of every parameter and buffer, by name.
std::map<std::string, torch::Tensor> snapshotOf(const torch::nn::Module &m)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto &e : stateDict(m))
        out[e.first] = e.second.detach().clone();
    return out;
}

} // namespace

class TrainerPartsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void crossEntropyWithClassWeightsByHand()
    {
        // Two examples, two classes: logits (2, 0) with label 0 and (0, 1) with label 1.
        const torch::Tensor logits = torch::tensor({{2.0f, 0.0f}, {0.0f, 1.0f}});
        LossSpec spec;
        spec.classWeights = torch::tensor({1.0f, 3.0f});
        const double l0 = -std::log(std::exp(2.0) / (std::exp(2.0) + 1.0));
        const double l1 = -std::log(std::exp(1.0) / (std::exp(1.0) + 1.0));
        const double expected = (1.0 * l0 + 3.0 * l1) / (1.0 + 3.0);
        const double got = computeLoss(spec, logits, oneHot({0, 1}, 2)).item<double>();
        QVERIFY2(std::abs(got - expected) < 1e-6, qPrintable(QString::number(got)));
        spec.classWeights = torch::Tensor();
        const double plain = computeLoss(spec, logits, oneHot({0, 1}, 2)).item<double>();
        QVERIFY(std::abs(plain - (l0 + l1) / 2) < 1e-6);
        QVERIFY(std::abs(plain - got) > 1e-3); // the weights changed it
    }

    void classWeightsFromCounts()
    {
        // 30 / 10 images: scikit-learn's balanced weights n / (k n_c) = 40/60, 40/20.
        const torch::Tensor w = makeClassWeights(ClassWeighting::InverseFrequency, {30, 10}, 0.999);
        QCOMPARE(w.numel(), 2);
        QVERIFY(std::abs(w[0].item<double>() - 40.0 / 60.0) < 1e-6);
        QVERIFY(std::abs(w[1].item<double>() - 2.0) < 1e-6);
        QVERIFY(!makeClassWeights(ClassWeighting::None, {30, 10}, 0.999).defined());
    }

    void focalAtGammaZeroIsCrossEntropy()
    {
        torch::manual_seed(3);
        const torch::Tensor logits = torch::randn({6, 4});
        const torch::Tensor targets = oneHot({0, 1, 2, 3, 1, 1}, 4);
        LossSpec ce;
        LossSpec focal;
        focal.kind = LossKind::Focal;
        focal.focalGamma = 0.0;
        const double a = computeLoss(ce, logits, targets).item<double>();
        QVERIFY(std::abs(a - computeLoss(focal, logits, targets).item<double>()) < 1e-6);
        QVERIFY(std::abs(a
                         - torch::nn::functional::cross_entropy(logits,
                                                                torch::tensor({0, 1, 2, 3, 1, 1}))
                               .item<double>())
                < 1e-6);
        focal.focalGamma = 2.0; // down-weights easy examples: never above CE
        QVERIFY(computeLoss(focal, logits, targets).item<double>() < a);
    }

    void labelSmoothingByHand()
    {
        // One example, logits (1, 0, 0), label 0, eps 0.3: targets (0.8, 0.1, 0.1).
        const torch::Tensor logits = torch::tensor({{1.0f, 0.0f, 0.0f}});
        LossSpec spec;
        spec.labelSmoothing = 0.3;
        const double z = std::exp(1.0) + 2.0;
        const double expected = -(0.8 * std::log(std::exp(1.0) / z) + 0.1 * std::log(1 / z) * 2);
        const double got = computeLoss(spec, logits, oneHot({0}, 3)).item<double>();
        QVERIFY2(std::abs(got - expected) < 1e-6, qPrintable(QString::number(got)));
    }

    void binaryCrossEntropyWithPositiveWeights()
    {
        const torch::Tensor logits = torch::tensor({{0.5f, -1.0f}});
        const torch::Tensor targets = torch::tensor({{1.0f, 0.0f}});
        LossSpec spec;
        spec.kind = LossKind::BinaryCrossEntropy;
        spec.multiLabel = true;
        spec.classWeights = torch::tensor({2.0f, 5.0f});
        const double s0 = 1 / (1 + std::exp(-0.5)), s1 = 1 / (1 + std::exp(1.0));
        const double expected = (-2.0 * std::log(s0) - std::log(1 - s1)) / 2;
        const double got = computeLoss(spec, logits, targets).item<double>();
        QVERIFY2(std::abs(got - expected) < 1e-6, qPrintable(QString::number(got)));
    }

    void classWeightsRaiseMinorityGradientShare()
    {
        // Nine majority examples and one minority example with equally wrong
        // logits: the weighted loss must give the minority example a larger
        // share of the gradient than the plain one does.
        torch::manual_seed(5);
        std::vector<int64_t> labels(9, 0);
        labels.push_back(1);
        const torch::Tensor targets = oneHot(labels, 2);
        auto share = [&](const torch::Tensor &weights) {
            torch::Tensor logits = torch::zeros({10, 2}, torch::requires_grad());
            LossSpec spec;
            spec.classWeights = weights;
            computeLoss(spec, logits, targets).backward();
            const torch::Tensor g = logits.grad().abs().sum(1);
            return (g[9] / g.sum()).item<double>();
        };
        const double plain = share({});
        const double weighted =
            share(makeClassWeights(ClassWeighting::InverseFrequency, {9, 1}, 0.999));
        QVERIFY2(std::abs(plain - 0.1) < 1e-6, qPrintable(QString::number(plain)));
        QVERIFY2(weighted > 0.45, qPrintable(QString::number(weighted)));
    }

    void freezeKeepsFrozenWeightsAndStatistics_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("policy");
        QTest::addColumn<QStringList>("frozen");  // names that must not change
        QTest::addColumn<QStringList>("trained"); // names that must change
        const QString head = QStringLiteral("fc.weight");
        QTest::newRow("resnet18 none")
            << "resnet18" << int(FreezePolicy::None) << QStringList{}
            << QStringList{"conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight", head};
        QTest::newRow("resnet18 layer1")
            << "resnet18" << int(FreezePolicy::Layer1)
            << QStringList{"conv1.weight",
                           "bn1.weight",
                           "bn1.running_mean",
                           "bn1.running_var",
                           "layer1.1.bn2.running_var",
                           "layer1.0.conv2.weight"}
            << QStringList{"layer2.0.conv1.weight", "layer2.0.bn1.running_mean", head};
        QTest::newRow("resnet18 layer2")
            << "resnet18" << int(FreezePolicy::Layer2)
            << QStringList{"layer2.0.downsample.1.running_mean", "layer2.1.conv2.weight",
                           "conv1.weight"}
            << QStringList{"layer3.0.conv1.weight", "layer3.0.bn1.running_var", head};
        QTest::newRow("resnet18 layer3")
            << "resnet18" << int(FreezePolicy::Layer3)
            << QStringList{"layer3.1.bn2.running_mean", "layer3.0.conv1.weight",
                           "bn1.num_batches_tracked"}
            << QStringList{"layer4.0.conv1.weight", "layer4.1.bn2.running_mean", head};
        QTest::newRow("resnet18 head")
            << "resnet18" << int(FreezePolicy::Head)
            << QStringList{"layer4.1.bn2.running_mean", "layer4.1.conv2.weight", "conv1.weight"}
            << QStringList{head, "fc.bias"};
        QTest::newRow("smallcnn layer2")
            << "smallcnn" << int(FreezePolicy::Layer2)
            << QStringList{"features.0.0.0.weight", "features.1.1.1.running_mean"}
            << QStringList{"features.2.0.0.weight", "features.2.1.1.running_var", head};
        QTest::newRow("mobilenet_v3_small layer1 (stride 4)")
            << "mobilenet_v3_small" << int(FreezePolicy::Layer1)
            << QStringList{"features.0.0.weight", "features.1.block.0.1.running_mean"}
            << QStringList{"features.2.block.0.0.weight", "features.3.block.1.1.running_var",
                           "classifier.3.weight"};
    }

    void freezeKeepsFrozenWeightsAndStatistics()
    {
        QFETCH(QString, arch);
        QFETCH(int, policy);
        QFETCH(QStringList, frozen);
        QFETCH(QStringList, trained);
        torch::manual_seed(11);
        auto model = makeModel(arch.toStdString(), 3);
        QVERIFY(model);
        TrainConfig config;
        config.learningRate = 0.05;
        config.backboneLrFactor = 1.0;
        const FreezeState state = applyFreeze(*model, FreezePolicy(policy));
        OptimizerSetup optim = makeOptimizer(*model, config);
        const auto before = snapshotOf(*model);
        for (int step = 0; step < 2; ++step) {
            setTrainingMode(*model, state, true);
            const torch::Tensor x = torch::randn({4, 3, 32, 32});
            optim.optimizer->zero_grad();
            computeLoss(LossSpec{}, model->forward(x), oneHot({0, 1, 2, 0}, 3)).backward();
            optim.optimizer->step();
        }
        const auto after = snapshotOf(*model);
        for (const QString &name : frozen) {
            const auto it = before.find(name.toStdString());
            QVERIFY2(it != before.end(), qPrintable(name));
            QVERIFY2(torch::equal(it->second, after.at(it->first)), qPrintable(name + " changed"));
        }
        for (const QString &name : trained) {
            const auto it = before.find(name.toStdString());
            QVERIFY2(it != before.end(), qPrintable(name));
            QVERIFY2(!torch::equal(it->second, after.at(it->first)),
                     qPrintable(name + " did not change"));
        }
        // Every frozen tensor of the policy, not only the listed ones, is untouched.
        for (const auto &e : before)
            if (isFrozen(e.first, state, model->headName()))
                QVERIFY2(torch::equal(e.second, after.at(e.first)), e.first.c_str());
    }

    void scheduleShapes()
    {
        QCOMPARE(scheduleFactor(ScheduleKind::Constant, 50, 100, 0), 1.0);
        QVERIFY(scheduleFactor(ScheduleKind::Constant, 0, 100, 10) < 0.2); // warm-up starts low
        QCOMPARE(scheduleFactor(ScheduleKind::Cosine, 0, 100, 0), 1.0);
        QVERIFY(std::abs(scheduleFactor(ScheduleKind::Cosine, 50, 100, 0) - 0.5) < 1e-9);
        QVERIFY(scheduleFactor(ScheduleKind::Cosine, 99, 100, 0) < 0.01);
        QVERIFY(std::abs(scheduleFactor(ScheduleKind::OneCycle, 0, 100, 0) - 0.04) < 1e-9);
        QVERIFY(std::abs(scheduleFactor(ScheduleKind::OneCycle, 30, 100, 0) - 1.0) < 1e-9);
        QVERIFY(scheduleFactor(ScheduleKind::OneCycle, 99, 100, 0) < 0.01);
    }

    void discriminativeRates()
    {
        auto model = makeModel("smallcnn", 2);
        TrainConfig config;
        config.learningRate = 0.1;
        config.backboneLrFactor = 0.1;
        // From scratch there are no pretrained features to protect: one rate.
        OptimizerSetup scratch = makeOptimizer(*model, config);
        QCOMPARE(int(scratch.optimizer->param_groups().size()), 2);
        QVERIFY(std::abs(scratch.baseRates[0] - 0.1) < 1e-12);
        // Fine-tuning a weights file: the backbone moves ten times slower.
        config.weightsFile = QStringLiteral("/pretrained/smallcnn.pth");
        OptimizerSetup optim = makeOptimizer(*model, config);
        QCOMPARE(int(optim.optimizer->param_groups().size()), 2);
        setLearningRates(*optim.optimizer, optim.baseRates, 0.5);
        QVERIFY(std::abs(optim.optimizer->param_groups()[0].options().get_lr() - 0.005) < 1e-12);
        QVERIFY(std::abs(optim.optimizer->param_groups()[1].options().get_lr() - 0.05) < 1e-12);
        // The head group holds exactly the head.
        QCOMPARE(int(optim.optimizer->param_groups()[1].params().size()), 2);
    }

    void torchScriptBackboneLoads()
    {
        // A ResNet-18 scripted by Debian's python3-torchvision loads by name;
        // the same archive is refused, naming the file, for another architecture.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("resnet18-script.pt"));
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
                            QStringLiteral("import sys, torch, torchvision\n"
                                     "torch.manual_seed(0)\n"
                                     "m = torchvision.models.resnet18(num_classes=10)\n"
                                     "torch.jit.script(m).save(sys.argv[1])\n"
                                     "print(float(m.layer1[0].conv1.weight.sum()))\n"),
                                           path});
        QVERIFY2(python.waitForFinished(240000) && python.exitCode() == 0,
                 qPrintable(QStringLiteral("/usr/bin/python3 with python3-torchvision is needed: ")
                                           + QString::fromUtf8(python.readAllStandardError())));
        const double expected =
            QString::fromUtf8(python.readAllStandardOutput()).trimmed().toDouble();

        TrainConfig config;
        config.model = QStringLiteral("resnet18");
        config.weightsFile = path;
        // It carries code: without the person's say-so it is not loaded, and
        // the message names the file and how to trust it.
        auto untrusted = buildModel(config, 3);
        QVERIFY(!untrusted.ok());
        QVERIFY2(untrusted.error().toString().contains(QLatin1String("resnet18-script.pt")),
                 qPrintable(untrusted.error().toString()));
        QVERIFY2(untrusted.error().message.contains(QLatin1String("--trust-torchscript")),
                 qPrintable(untrusted.error().message));
        config.trustTorchScript = true;
        auto model = buildModel(config, 3);
        QVERIFY2(model.ok(), qPrintable(model.ok() ? QString() : model.error().toString()));
        QCOMPARE((*model)->numClasses(), 3);
        double got = 0;
        for (const auto &e : stateDict(**model))
            if (e.first == "layer1.0.conv1.weight")
                got = e.second.sum().item<double>();
        QVERIFY2(std::abs(got - expected) < 1e-3,
                 qPrintable(QStringLiteral("%1 vs %2").arg(got).arg(expected)));

        config.model = QStringLiteral("resnet34");
        auto wrong = buildModel(config, 3);
        QVERIFY(!wrong.ok());
        QVERIFY2(wrong.error().toString().contains(QLatin1String("resnet18-script.pt")),
                 qPrintable(wrong.error().toString()));
        QVERIFY2(wrong.error().message.contains(QLatin1String("resnet34")),
                 qPrintable(wrong.error().message));
    }

    void checkpointRoundTrip()
    {
        torch::manual_seed(2);
        auto model = makeModel("smallcnn", 3);
        TrainConfig config;
        config.optimizer = OptimizerKind::AdamW;
        OptimizerSetup optim = makeOptimizer(*model, config);
        optim.optimizer->zero_grad();
        computeLoss(LossSpec{}, model->forward(torch::randn({2, 3, 16, 16})), oneHot({0, 2}, 3))
            .backward();
        optim.optimizer->step();
        TrainState state;
        state.epoch = 3;
        state.batchInEpoch = 7;
        state.step = 41;
        state.bestEpoch = 2;
        state.bestValue = 0.75;
        state.thresholds = {0.3, 0.6, 0.5};
        state.rngState = torch::randn({3}); // any tensor travels
        auto blob = saveCheckpoint(*model, optim.optimizer.get(), state);
        QVERIFY2(blob.ok(), qPrintable(blob.ok() ? QString() : blob.error().message));

        auto copy = makeModel("smallcnn", 3); // different random init
        QVERIFY(weightsDigest(*copy) != weightsDigest(*model));
        OptimizerSetup copyOptim = makeOptimizer(*copy, config);
        TrainState read;
        const auto status =
            loadCheckpoint(blob.value(), *copy, copyOptim.optimizer.get(), &read, "test");
        QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().message));
        QCOMPARE(weightsDigest(*copy), weightsDigest(*model));
        QCOMPARE(read.epoch, 3);
        QCOMPARE(read.batchInEpoch, qint64(7));
        QCOMPARE(read.step, qint64(41));
        QCOMPARE(read.bestEpoch, 2);
        QCOMPARE(read.thresholds, state.thresholds);
        // The optimiser state came along: one more identical step stays identical.
        const torch::Tensor x = torch::randn({2, 3, 16, 16});
        for (auto *pair : {&optim, &copyOptim}) {
            pair->optimizer->zero_grad();
        }
        computeLoss(LossSpec{}, model->forward(x), oneHot({1, 2}, 3)).backward();
        optim.optimizer->step();
        computeLoss(LossSpec{}, copy->forward(x), oneHot({1, 2}, 3)).backward();
        copyOptim.optimizer->step();
        QCOMPARE(weightsDigest(*copy), weightsDigest(*model));

        auto garbage =
            loadCheckpoint(QByteArray("not a checkpoint"), *copy, nullptr, nullptr, "run 9");
        QVERIFY(!garbage.ok());
        QVERIFY(garbage.error().message.contains(QLatin1String("run 9")));
    }
};

QTEST_GUILESS_MAIN(TrainerPartsTest)
#include "tst_trainer_parts.moc"
