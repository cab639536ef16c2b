// SPDX-License-Identifier: GPL-3.0-or-later
// torchvision's own weight files, as torch.save writes them, load into our
// models as they are and give the same logits as Python within 1e-4; a file
// for another architecture is refused by name; a new head for other classes
// keeps the loaded backbone.

#include "core/train/models.h"
#include "core/train/statedict.h"
#include "core/train/weightfile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;
using namespace salient::train;

namespace {

QString script()
{
    return qEnvironmentVariable("SALIENT_SOURCE_DIR") + QStringLiteral("/tests/data/train/model_keys.py");
}

/// Writes ARCH.pth, ARCH.json and ARCH.bin into dir with Debian's Python; empty on success.
QString makeFiles(const QString &arch, const QString &dir)
{
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), {script(), QStringLiteral("parity"), arch, dir});
    if (!python.waitForFinished(240000))
        return QStringLiteral("model_keys.py did not finish (is /usr/bin/python3 there? install "
                              "python3-torch python3-torchvision)");
    if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0)
        return QStringLiteral("model_keys.py failed (exit %1): %2 — Debian packages python3-torch "
                              "python3-torchvision are needed")
            .arg(python.exitCode())
            .arg(QString::fromUtf8(python.readAllStandardError()));
    return {};
}

torch::Tensor tensorAt(const QByteArray &bin, const QJsonObject &entry)
{
    std::vector<int64_t> shape;
    for (const QJsonValue &d : entry.value("shape").toArray())
        shape.push_back(d.toInteger());
    const qint64 offset = entry.value("offset").toInteger();
    return torch::from_blob(const_cast<char *>(bin.constData() + offset), shape, torch::kFloat32).clone();
}

} // namespace

class TestWeightParity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void torchvisionFilesGiveTorchvisionLogits_data();
    void torchvisionFilesGiveTorchvisionLogits();
    void anotherArchitectureIsRefused();
    void newHeadKeepsTheLoadedBackbone();

private:
    QTemporaryDir m_resnet18Dir; ///< resnet18's files, made once for the tests that share them
    QString m_resnet18;          ///< its .pth
};

void TestWeightParity::initTestCase()
{
    torch::set_num_threads(2);
    const QString why = makeFiles(QStringLiteral("resnet18"), m_resnet18Dir.path());
    if (!why.isEmpty())
        QFAIL(qPrintable(why));
    m_resnet18 = m_resnet18Dir.filePath("resnet18.pth");
}

void TestWeightParity::torchvisionFilesGiveTorchvisionLogits_data()
{
    QTest::addColumn<QString>("arch");
    for (const char *a : {"resnet18", "resnet34", "resnet50", "mobilenet_v3_small",
                          "mobilenet_v3_large", "efficientnet_b0"})
        QTest::newRow(a) << QString::fromLatin1(a);
}

void TestWeightParity::torchvisionFilesGiveTorchvisionLogits()
{
    QFETCH(QString, arch);
    QTemporaryDir dir;
    const QString why = makeFiles(arch, dir.path());
    if (!why.isEmpty())
        QFAIL(qPrintable(why));
    const QString pth = dir.filePath(arch + ".pth");
    auto file = readWeightFile(pth);
    QVERIFY2(file.ok(), qPrintable(file.ok() ? QString() : file.error().toString()));

    auto model = makeModel(arch.toStdString(), 1000);
    QVERIFY(model);
    auto loaded = loadWeights(*model, file.value(), pth, false);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->loaded, int(stateDict(*model).size()));
    QVERIFY(loaded->keptHead.isEmpty() && loaded->ignored.isEmpty());

    QFile jf(dir.filePath(arch + ".json")), bf(dir.filePath(arch + ".bin"));
    QVERIFY(jf.open(QIODevice::ReadOnly) && bf.open(QIODevice::ReadOnly));
    const QJsonObject index = QJsonDocument::fromJson(jf.readAll()).object();
    const QByteArray bin = bf.readAll();
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor logits = model->forward(tensorAt(bin, index.value("input").toObject()));
    const torch::Tensor expected = tensorAt(bin, index.value("logits").toObject());
    const double diff = (logits - expected).abs().max().item<double>();
    const double scale = expected.abs().max().item<double>();
    qInfo("%s: max |C++ - Python| = %.3g (largest logit %.3g)", qPrintable(arch), diff, scale);
    QVERIFY2(diff <= 1e-4, qPrintable(QString::number(diff)));
}

void TestWeightParity::anotherArchitectureIsRefused()
{
    const QString pth = m_resnet18;
    auto file = readWeightFile(pth);
    QVERIFY(file.ok());
    auto model = makeModel("resnet34", 1000);
    const auto before = stateDict(*model).front().second.clone();
    auto loaded = loadWeights(*model, file.value(), pth, false);
    QVERIFY(!loaded.ok());
    QVERIFY2(loaded.error().toString().contains("resnet18.pth")
                 && loaded.error().message.contains("not resnet34 weights"),
             qPrintable(loaded.error().toString()));
    QVERIFY(torch::equal(stateDict(*model).front().second, before)); // nothing half-loaded

    auto mobile = makeModel("mobilenet_v3_small", 1000);
    QVERIFY(!loadWeights(*mobile, file.value(), pth, true).ok());
}

void TestWeightParity::newHeadKeepsTheLoadedBackbone()
{
    const QString pth = m_resnet18;
    auto file = readWeightFile(pth);
    QVERIFY(file.ok());
    auto model = makeModel("resnet18", 7); // fine-tuning for 7 classes
    auto strict = loadWeights(*model, file.value(), pth, false);
    QVERIFY(!strict.ok()); // the 1000-class head does not fit without permission
    auto loaded = loadWeights(*model, file.value(), pth, true);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->keptHead, (QStringList{"fc.weight", "fc.bias"}));
    QCOMPARE(model->numClasses(), 7);
    for (const WeightTensor &t : file->tensors)
        if (t.name == "layer4.1.conv2.weight") {
            std::vector<int64_t> shape(t.shape.begin(), t.shape.end());
            const torch::Tensor fromFile =
                torch::from_blob(const_cast<char *>(t.data.constData()), shape, torch::kFloat32);
            for (const auto &p : stateDict(*model))
                if (p.first == "layer4.1.conv2.weight")
                    QVERIFY(torch::equal(p.second, fromFile));
        }
}

QTEST_GUILESS_MAIN(TestWeightParity)
#include "tst_weightparity.moc"
