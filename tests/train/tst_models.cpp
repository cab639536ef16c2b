// SPDX-License-Identifier: GPL-3.0-or-later
// The model zoo against Debian's python3-torchvision 0.14: the same state_dict keys,
// shapes and BatchNorm settings, and the same logits from the same weights, so that
// torchvision weight files load as they are. Also: a replaced head keeps the backbone,
// and the small CNN learns.
#include "core/train/models.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <map>

using namespace salient::train;

namespace {

const QStringList kTorchvisionArchs = QStringLiteral(
    "resnet18 resnet34 resnet50 mobilenet_v3_small mobilenet_v3_large efficientnet_b0")
        .split(QLatin1Char(' '));

QString scriptPath()
{
    return qEnvironmentVariable("SALIENT_SOURCE_DIR")
           + QStringLiteral("/tests/data/train/model_keys.py");
}

/// Runs model_keys.py with Debian's Python; an empty string on success, else why not.
QString runScript(const QStringList &args)
{
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), QStringList{scriptPath()} + args);
    if (!python.waitForStarted())
        return QStringLiteral("cannot start /usr/bin/python3: install the Debian packages python3-torch python3-torchvision");
    if (!python.waitForFinished(240000))
        return QStringLiteral("model_keys.py %1 did not finish in 4 minutes").arg(
            args.join(QLatin1Char(' ')));
    const QString err = QString::fromUtf8(python.readAllStandardError()).trimmed();
    if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0)
        return QStringLiteral("model_keys.py %1 failed (exit %2): %3")
                                  .arg(args.join(QLatin1Char(' ')))
                                  .arg(python.exitCode())
                                  .arg(err);
    return {};
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<int64_t> toShape(const QJsonValue &v)
{
    std::vector<int64_t> shape;
    for (const QJsonValue &d : v.toArray())
        shape.push_back(d.toInteger());
    return shape;
}

QString shapeText(c10::IntArrayRef shape)
{
    QStringList dims;
    for (int64_t d : shape)
        dims << QString::number(d);
    return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

/// A float32 tensor stored at entry["offset"] with entry["shape"] in a raw .bin.
torch::Tensor tensorAt(const QByteArray &bin, const QJsonObject &entry)
{
    const std::vector<int64_t> shape = toShape(entry.value(QStringLiteral("shape")));
    const qint64 offset = entry.value(QStringLiteral("offset")).toInteger();
    int64_t count = 1;
    for (int64_t d : shape)
        count *= d;
    if (offset < 0 || offset + count * 4 > bin.size())
        return {};
    return torch::from_blob(const_cast<char *>(bin.constData() + offset), shape, torch::kFloat32)
        .clone();
}

std::map<std::string, torch::Tensor> byName(const ClassifierNet &model)
{
    std::map<std::string, torch::Tensor> out;
    for (auto &entry : stateDict(model))
        out.emplace(entry.first, entry.second.clone());
    return out;
}

/// Images of horizontal (class 0) or vertical (class 1) stripes with noise.
std::pair<torch::Tensor, torch::Tensor> stripes(int count, int size)
{
    torch::Tensor ramp =
        torch::arange(size, torch::kFloat32).remainder(4).lt(2).to(torch::kFloat32);
    torch::Tensor horizontal = ramp.view({size, 1}).expand({size, size});
    torch::Tensor vertical = ramp.view({1, size}).expand({size, size});
    torch::Tensor labels = torch::arange(count, torch::kLong).remainder(2);
    std::vector<torch::Tensor> images;
    for (int i = 0; i < count; ++i)
        images.push_back((i % 2 == 0 ? horizontal : vertical).unsqueeze(0).expand({3, size, size}));
    torch::Tensor x = torch::stack(images) + 0.3 * torch::randn({count, 3, size, size});
    return {x, labels};
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        torch::set_num_threads(2);
        QVERIFY(m_dir.isValid());
        m_pythonError = runScript({QStringLiteral("keys"), m_dir.path()});
        if (m_pythonError.isEmpty())
            m_torchvision = readJson(m_dir.filePath(QStringLiteral("keys.json")));
    }

    void stateDictKeysAndShapesMatchTorchvision_data() { addArchRows(); }
    void stateDictKeysAndShapesMatchTorchvision()
    {
        QFETCH(QString, arch);
        QVERIFY2(m_pythonError.isEmpty(), qPrintable(m_pythonError));
        const QJsonArray expected =
            m_torchvision.value(arch).toObject().value(QStringLiteral("keys")).toArray();
        QVERIFY2(!expected.isEmpty(), "keys.json lists no keys");

        const auto model = makeModel(arch.toStdString(), 1000);
        QVERIFY(model);
        const auto actual = stateDict(*model);
        for (int i = 0; i < std::min<int>(expected.size(), int(actual.size())); ++i) {
            const QJsonArray e = expected.at(i).toArray();
            const QString name = QString::fromStdString(actual[size_t(i)].first);
            QVERIFY2(name == e.at(0).toString(),
                     qPrintable(QStringLiteral("key %1: C++ %2, torchvision %3").arg(i).arg(
                         name, e.at(0).toString())));
            const std::vector<int64_t> shape = toShape(e.at(1));
            QVERIFY2(actual[size_t(i)].second.sizes() == c10::IntArrayRef(shape),
                     qPrintable(QStringLiteral("%1: C++ %2, torchvision %3") .arg(
                         name, shapeText(actual[size_t(i)].second.sizes()), shapeText(shape))));
        }
        QCOMPARE(int(actual.size()), int(expected.size()));
    }

    void batchNormSettingsMatchTorchvision_data() { addArchRows(); }
    void batchNormSettingsMatchTorchvision()
    {
        QFETCH(QString, arch);
        QVERIFY2(m_pythonError.isEmpty(), qPrintable(m_pythonError));
        const QJsonArray expected =
            m_torchvision.value(arch).toObject().value(QStringLiteral("batchnorm")).toArray();
        QVERIFY(!expected.isEmpty());

        const auto model = makeModel(arch.toStdString(), 1000);
        int i = 0;
        for (const auto &m : model->named_modules()) {
            const auto *bn = m.value()->as<torch::nn::BatchNorm2dImpl>();
            if (!bn)
                continue;
            QVERIFY2(i < expected.size(), "more BatchNorm layers than torchvision");
            const QJsonArray e = expected.at(i++).toArray();
            const QString name = QString::fromStdString(m.key());
            QCOMPARE(name, e.at(0).toString());
            QVERIFY2(qFuzzyCompare(bn->options.eps(), e.at(1).toDouble()),
                     qPrintable(name + QStringLiteral(" eps")));
            QVERIFY2(qFuzzyCompare(bn->options.momentum().value(), e.at(2).toDouble()),
                     qPrintable(name + QStringLiteral(" momentum")));
        }
        QCOMPARE(i, int(expected.size()));
    }

    void logitsMatchTorchvisionWithItsWeights_data() { addArchRows(); }
    void logitsMatchTorchvisionWithItsWeights()
    {
        QFETCH(QString, arch);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString error = runScript({QStringLiteral("parity"), arch, dir.path()});
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QJsonObject index = readJson(dir.filePath(arch + QStringLiteral(".json")));
        QFile binFile(dir.filePath(arch + QStringLiteral(".bin")));
        QVERIFY(binFile.open(QIODevice::ReadOnly));
        const QByteArray bin = binFile.readAll();

        const auto model = makeModel(arch.toStdString(), 1000);
        std::map<std::string, torch::Tensor> targets;
        for (auto &entry : stateDict(*model))
            targets.emplace(entry.first, entry.second);
        {
            torch::NoGradGuard noGrad;
            for (const QJsonValue &v : index.value(QStringLiteral("tensors")).toArray()) {
                const QJsonObject entry = v.toObject();
                const std::string name =
                    entry.value(QStringLiteral("name")).toString().toStdString();
                const torch::Tensor source = tensorAt(bin, entry);
                QVERIFY2(source.defined(), name.c_str());
                const auto it = targets.find(name);
                QVERIFY2(it != targets.end(),
                         qPrintable(QStringLiteral("no C++ tensor named %1").arg(
                             QString::fromStdString(name))));
                QVERIFY2(it->second.sizes() == source.sizes(), name.c_str());
                it->second.copy_(source); // num_batches_tracked converts back to int64
                targets.erase(it);
            }
        }
        QVERIFY2(targets.empty(),
                 qPrintable(QStringLiteral("%1 C++ tensors not in the file, e.g. %2")
                         .arg(targets.size())
                         .arg(targets.empty() ? QString()
                                              : QString::fromStdString(targets.begin()->first))));

        const torch::Tensor input = tensorAt(bin, index.value(QStringLiteral("input")).toObject());
        const torch::Tensor expected =
            tensorAt(bin, index.value(QStringLiteral("logits")).toObject());
        QVERIFY(input.defined() && expected.defined());
        model->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor featureMap = model->features(input);
        QCOMPARE(featureMap.size(1), int64_t(model->featureChannels()));
        QCOMPARE(featureMap.size(2), int64_t(7)); // 224 / 32: the stride of every architecture here
        const torch::Tensor logits = model->classify(featureMap);
        QVERIFY(logits.sizes() == expected.sizes());
        const double maxDiff = (logits - expected).abs().max().item<double>();
        const double maxLogit = expected.abs().max().item<double>();
        qInfo("%s: max |C++ - Python| = %.3g (max |logit| %.3g)", qPrintable(arch), maxDiff,
              maxLogit);
        // Absolute as the issue asks, and relative too: MobileNet's logits are small.
        QVERIFY2(maxDiff <= 1e-4 && maxDiff <= 1e-3 * maxLogit,
                 qPrintable(QStringLiteral("max abs difference %1").arg(maxDiff)));
    }

    void replacedHeadKeepsTheBackbone_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("head");
        const QStringList heads = {
            QStringLiteral("fc"),           QStringLiteral("fc"),
                                                           QStringLiteral("fc"),           QStringLiteral("classifier.3"),
                                                                                                          QStringLiteral("classifier.3"), QStringLiteral("classifier.1")};
        for (int i = 0; i < kTorchvisionArchs.size(); ++i)
            QTest::newRow(qPrintable(kTorchvisionArchs[i])) << kTorchvisionArchs[i] << heads[i];
        QTest::newRow("smallcnn") << QStringLiteral("smallcnn") << QStringLiteral("fc");
    }
    void replacedHeadKeepsTheBackbone()
    {
        QFETCH(QString, arch);
        QFETCH(QString, head);
        const auto model = makeModel(arch.toStdString(), 1000);
        QCOMPARE(QString::fromStdString(model->headName()), head);
        const auto before = byName(*model);
        model->replaceHead(0);
        QCOMPARE(model->numClasses(), 1000);

        model->replaceHead(7);
        QCOMPARE(model->numClasses(), 7);
        const auto after = stateDict(*model);
        QCOMPARE(after.size(), before.size());
        const std::string prefix = model->headName() + '.';
        for (const auto &entry : after) {
            const auto it = before.find(entry.first);
            QVERIFY2(it != before.end(), entry.first.c_str());
            if (entry.first.rfind(prefix, 0) == 0)
                QCOMPARE(entry.second.size(0), int64_t(7));
            else
                QVERIFY2(torch::equal(entry.second, it->second), entry.first.c_str());
        }
        // The new head must be registered, or an optimizer would never train it.
        bool headIsAParameter = false;
        for (const auto &p : model->parameters())
            headIsAParameter = headIsAParameter || p.is_same(model->head()->weight);
        QVERIFY(headIsAParameter);

        model->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor logits = model->forward(torch::randn({2, 3, 64, 64}));
        QCOMPARE(logits.size(0), int64_t(2));
        QCOMPARE(logits.size(1), int64_t(7));
    }

    // Dropout before the head (and EfficientNet's stochastic depth) act while
    // training only: eval is repeatable, training is not.
    void regularisationActsInTrainingOnly_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::newRow("mobilenet_v3_small") << QStringLiteral("mobilenet_v3_small");
        QTest::newRow("efficientnet_b0") << QStringLiteral("efficientnet_b0");
    }
    void regularisationActsInTrainingOnly()
    {
        QFETCH(QString, arch);
        torch::manual_seed(1);
        const auto model = makeModel(arch.toStdString(), 10);
        const torch::Tensor x = torch::randn({4, 3, 64, 64});
        torch::NoGradGuard noGrad;
        model->eval();
        QVERIFY(torch::equal(model->forward(x), model->forward(x)));
        model->train();
        QVERIFY(!torch::allclose(model->forward(x), model->forward(x)));
    }

    void smallCnnLearnsStripes()
    {
        torch::manual_seed(0);
        const auto model = makeModel("smallcnn", 2);
        QVERIFY(model);
        const auto [x, y] = stripes(32, 32);
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-2));
        model->train();
        double first = 0.0;
        double last = 0.0;
        for (int step = 0; step < 30; ++step) {
            optimizer.zero_grad();
            torch::Tensor loss = torch::cross_entropy_loss(model->forward(x), y);
            loss.backward();
            optimizer.step();
            (step == 0 ? first : last) = loss.item<double>();
        }
        QVERIFY2(last < 0.25 * first,
                 qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));

        model->eval();
        torch::NoGradGuard noGrad;
        const auto [testX, testY] = stripes(16, 32);
        const double accuracy =
            model->forward(testX).argmax(1).eq(testY).to(torch::kFloat32).mean().item<double>();
        QVERIFY2(accuracy >= 0.9, qPrintable(QStringLiteral("accuracy %1").arg(accuracy)));
    }

    void unknownNamesGiveNoModel()
    {
        QVERIFY(!makeModel("vgg16", 10));
        QVERIFY(!makeModel("resnet18", 0));
        for (const std::string &name : modelNames()) {
            const auto model = makeModel(name, 3);
            QVERIFY2(model, name.c_str());
            QCOMPARE(model->architecture(), name);
            QCOMPARE(model->numClasses(), 3);
        }
    }

private:
    static void addArchRows()
    {
        QTest::addColumn<QString>("arch");
        for (const QString &arch : kTorchvisionArchs)
            QTest::newRow(qPrintable(arch)) << arch;
    }

    QTemporaryDir m_dir;
    QString m_pythonError;
    QJsonObject m_torchvision;
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
