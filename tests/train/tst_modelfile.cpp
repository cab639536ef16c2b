// SPDX-License-Identifier: GPL-3.0-or-later
// The LibTorch export: a save/load round trip gives the very same logits
// (BatchNorm statistics included) and metadata; ModelMeta's JSON round trips
// and names the bad key; every kind of bad file is refused with a message
// naming the file, by the loader and by Predictor::open alike.
#include "core/runs/modelexport.h"
#include "core/train/modelfile.h"
#include "core/train/predictor.h"
#include "tests/support/imagemaker.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;
using namespace salient::train;

namespace {

/// A model whose every parameter and BatchNorm statistic differs from a fresh
/// one's, so a tensor left out of the file shows in the logits.
std::shared_ptr<ClassifierNet> perturbedModel(const std::string &arch, int classes)
{
    torch::manual_seed(11);
    auto model = makeModel(arch, classes);
    torch::NoGradGuard noGrad;
    for (auto &p : model->named_parameters(true))
        p.value().add_(torch::randn_like(p.value()) * 0.01);
    for (auto &b : model->named_buffers(true)) {
        if (b.key().find("running_mean") != std::string::npos)
            b.value().copy_(torch::randn_like(b.value()) * 0.1);
        else if (b.key().find("running_var") != std::string::npos)
            b.value().copy_(torch::rand_like(b.value()) + 0.5);
    }
    model->eval();
    return model;
}

ModelMeta metaFor(const ClassifierNet &model, int size)
{
    ModelMeta m;
    m.architecture = QString::fromStdString(model.architecture());
    for (int i = 0; i < model.numClasses(); ++i)
        m.classNames << QStringLiteral("class %1").arg(i);
    m.inputSize = size;
    m.mean[0] = 0.5;
    m.std[2] = 0.3;
    m.runId = 42;
    m.runName = QStringLiteral("baseline");
    m.projectName = QStringLiteral("tiny.salient");
    m.exportedAt = QDateTime(QDate(2026, 11, 27), QTime(18, 0, 1, 250), Qt::UTC);
    m.producer = QStringLiteral("Salient Studio test");
    return m;
}

/// Module::save()'s layout without tensor `skip`: a file missing one tensor.
void writeWithout(const torch::nn::Module &module, torch::serialize::OutputArchive &archive,
                  const std::string &prefix, const std::string &skip)
{
    for (const auto &p : module.named_parameters(false))
        if (prefix + p.key() != skip)
            archive.write(p.key(), p.value().detach());
    for (const auto &b : module.named_buffers(false))
        if (prefix + b.key() != skip)
            archive.write(b.key(), b.value(), true);
    for (const auto &child : module.named_children()) {
        torch::serialize::OutputArchive sub(archive.compilation_unit());
        writeWithout(*child.value(), sub, prefix + child.key() + ".", skip);
        archive.write(child.key(), sub);
    }
}

bool writeArchive(const ClassifierNet &model, const QByteArray &metaJson, const QString &file,
                  const std::string &skip = {})
{
    torch::serialize::OutputArchive archive;
    writeWithout(model, archive, "", skip);
    if (!metaJson.isEmpty())
        archive.write("salient_meta", c10::IValue(metaJson.toStdString()));
    archive.save_to(file.toStdString());
    return QFileInfo(file).size() > 0;
}

bool writeBytes(const QString &file, const QByteArray &bytes)
{
    QFile f(file);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readBytes(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        torch::set_num_threads(1);
        m_small = perturbedModel("smallcnn", 3);
        m_good = m_dir.filePath("good.pt");
        QVERIFY2(saveLibTorchModel(*m_small, metaFor(*m_small, 32), m_good).ok(), "save failed");
    }

    void roundTripGivesIdenticalLogits_data()
    {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<int>("size");
        QTest::newRow("smallcnn") << "smallcnn" << 32;
        QTest::newRow("resnet18") << "resnet18" << 64;
    }
    void roundTripGivesIdenticalLogits()
    {
        QFETCH(QString, arch);
        QFETCH(int, size);
        auto model = perturbedModel(arch.toStdString(), 4);
        const QString file = m_dir.filePath(arch + ".pt");
        const ModelMeta meta = metaFor(*model, size);
        const Status saved = saveLibTorchModel(*model, meta, file);
        QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
        QVERIFY(looksLikeZip(readBytes(file)));

        auto loaded = loadLibTorchModel(file);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
        QCOMPARE(loaded->meta.format, QStringLiteral("libtorch"));
        QCOMPARE(loaded->meta.architecture, arch);
        QCOMPARE(loaded->meta.classNames, meta.classNames);
        QCOMPARE(loaded->meta.inputSize, size);
        QCOMPARE(loaded->meta.mean[0], 0.5);
        QCOMPARE(loaded->meta.std[2], 0.3);
        QCOMPARE(loaded->meta.exportedAt, meta.exportedAt);
        QVERIFY(!loaded->model->is_training());

        torch::manual_seed(5);
        const torch::Tensor x = torch::randn({3, 3, size, size});
        torch::NoGradGuard noGrad;
        const torch::Tensor before = model->forward(x);
        const torch::Tensor after = loaded->model->forward(x);
        QVERIFY(torch::equal(before, after));
        // A fresh model of the same architecture answers differently: the
        // comparison above would notice a weight that did not arrive.
        auto fresh = makeModel(arch.toStdString(), 4);
        fresh->eval();
        QVERIFY(!torch::allclose(fresh->forward(x), before, 1e-3, 1e-3));
    }

    void saveRefusesClassesThatDoNotFitTheHead()
    {
        ModelMeta meta = metaFor(*m_small, 32);
        meta.classNames << QStringLiteral("extra");
        const QString file = m_dir.filePath("refused.pt");
        const Status saved = saveLibTorchModel(*m_small, meta, file);
        QVERIFY(!saved.ok());
        QCOMPARE(saved.error().path, file);
        QVERIFY(!QFile::exists(file));
    }

    void metaJsonRoundTrip()
    {
        ModelMeta m = metaFor(*m_small, 48);
        m.format = QStringLiteral("onnx-int8");
        m.multiLabel = true;
        m.thresholds = {0.25, 0.5, 0.75};
        m.normalisationBuiltIn = true;
        m.featuresOutput = true;
        m.featuresLayer = QStringLiteral("features.2");
        m.sparsity = 0.7;
        const QByteArray json = m.toJson();
        for (const char *key : {"class_names", "multi_label", "input_size", "normalisation_built_in",
                                "features_layer", "run_id", "exported_at", "sparsity"})
            QVERIFY2(json.contains(QByteArray("\"") + key + "\""), key);
        auto back = ModelMeta::fromJson(json, QStringLiteral("m.onnx"));
        QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().toString()));
        QCOMPARE(back->toJson(), json);
        QCOMPARE(back->thresholds, m.thresholds);
        QCOMPARE(back->exportedAt, m.exportedAt);
        QCOMPARE(modelFormatName(ModelFormat::LibTorch), QStringLiteral("libtorch"));
        QCOMPARE(modelFormatFromName(QStringLiteral("onnx")), std::optional(ModelFormat::Onnx));
        QVERIFY(!modelFormatFromName(QStringLiteral("tflite")));
    }

    void metaJsonErrorsNameTheKey_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("key");
        const QByteArray ok = R"("architecture":"smallcnn","class_names":["a","b"],"input_size":32)";
        QTest::newRow("not JSON") << QByteArray("{\"architecture\":") << QString("JSON");
        QTest::newRow("no classes") << QByteArray(R"({"architecture":"smallcnn","input_size":32})")
                                    << QString("class_names");
        QTest::newRow("no architecture") << QByteArray(R"({"class_names":["a"],"input_size":32})")
                                         << QString("architecture");
        QTest::newRow("input size text") << QByteArray(R"({"architecture":"x","class_names":["a"],"input_size":"big"})")
                                         << QString("input_size");
        QTest::newRow("zero std") << "{" + ok + R"(,"std":[0.2,0,0.2]})" << QString("std");
        QTest::newRow("thresholds per class") << "{" + ok + R"(,"thresholds":[0.5]})"
                                              << QString("thresholds");
        QTest::newRow("class name a number") << QByteArray(R"({"architecture":"x","class_names":["a",3],"input_size":32})")
                                             << QString("class_names[1]");
    }
    void metaJsonErrorsNameTheKey()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, key);
        auto meta = ModelMeta::fromJson(json, QStringLiteral("/models/m.onnx"));
        QVERIFY(!meta.ok());
        const QString text = meta.error().toString();
        QVERIFY2(text.startsWith(QStringLiteral("/models/m.onnx")), qPrintable(text));
        QVERIFY2(text.contains(key), qPrintable(text));
    }

    void badFilesAreRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero bytes") << "zero" << "empty";
        QTest::newRow("truncated") << "truncated" << "truncated";
        QTest::newRow("PNG renamed .pt") << "png" << "PNG image";
        QTest::newRow("a missing tensor") << "missing" << "missing tensor layer";
        QTest::newRow("classes do not match the head") << "classes" << "has 3 outputs";
        QTest::newRow("unknown architecture") << "arch" << "unknown architecture";
        QTest::newRow("no metadata") << "nometa" << "without Salient Studio metadata";
        QTest::newRow("TorchScript with code") << "code" << "carries TorchScript code";
    }
    void badFilesAreRefused()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        const QString file = m_dir.filePath("bad-" + kind + ".pt");
        const ModelMeta meta = metaFor(*m_small, 32);
        if (kind == "zero") {
            QVERIFY(test::writeZeroBytes(file));
        } else if (kind == "truncated") {
            const QByteArray good = readBytes(m_good);
            QVERIFY(writeBytes(file, good.left(good.size() * 2 / 3)));
        } else if (kind == "png") {
            QVERIFY(test::writePng(file + ".png", 16, 16) && QFile::rename(file + ".png", file));
        } else if (kind == "missing") {
            // resnet18's first block: the file is complete except for one tensor.
            auto resnet = makeModel("resnet18", 3);
            const QByteArray json = metaFor(*resnet, 32).toJson();
            QVERIFY(writeArchive(*resnet, json, file, "layer1.0.bn1.running_var"));
            expected = QStringLiteral("missing tensor layer1.0.bn1.running_var");
        } else if (kind == "classes") {
            ModelMeta four = meta;
            four.classNames << QStringLiteral("fourth");
            QVERIFY(writeArchive(*m_small, four.toJson(), file));
        } else if (kind == "arch") {
            ModelMeta other = meta;
            other.architecture = QStringLiteral("vgg99");
            QVERIFY(writeArchive(*m_small, other.toJson(), file));
        } else if (kind == "nometa") {
            QVERIFY(writeArchive(*m_small, {}, file));
        } else if (kind == "code") {
            const int rc = QProcess::execute(QStringLiteral("/usr/bin/python3"),
                                             {peerScript(), QStringLiteral("script"), file});
            QCOMPARE(rc, 0);
        }
        auto loaded = loadLibTorchModel(file);
        QVERIFY(!loaded.ok());
        const QString text = loaded.error().toString();
        QCOMPARE(loaded.error().path, file);
        QVERIFY2(text.contains(expected), qPrintable(text));

        // The predictor tells the same story (it detects the format by content).
        auto predictor = Predictor::open(file, 1);
        QVERIFY(!predictor.ok());
        QCOMPARE(predictor.error().path, file);
        QVERIFY2(predictor.error().message.contains(expected.section(' ', 0, 0)),
                 qPrintable(predictor.error().toString()));
    }

private:
    static QString peerScript()
    {
        return qEnvironmentVariable("SALIENT_SOURCE_DIR") + QStringLiteral("/tests/train/predict_peer.py");
    }

    QTemporaryDir m_dir;
    std::shared_ptr<ClassifierNet> m_small;
    QString m_good;
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "tst_modelfile.moc"
