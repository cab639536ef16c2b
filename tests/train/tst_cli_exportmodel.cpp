// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli export-model` as scripts use it, on the built binary and a run
// trained on the tiny project: the --json contract of an ONNX export checked
// against LibTorch, the human summary, int8's size ratio and accuracy
// change, and bad usage / failures as one line with exit 2 / 1 and no file.
#include "tests/core/clirun.h"
#include "tests/support/tinydataset.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;
using salient::test::CliRun;
using salient::test::lastJsonLine;
using salient::test::runCli;

class TestCliExportModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void onnxJsonContract();
    void libtorchHumanSummary();
    void int8ReportsRatioAndChange();
    void errors_data();
    void errors();

private:
    QStringList base(const QString &format, const QString &out) const
    {
        return {"export-model", m_project, "--run", QString::number(m_run), "--format", format,
                "--out", out, "--threads", "1"};
    }

    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_run = 0;
};

void TestCliExportModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = test::makeTinyProject(m_dir.filePath("tiny"));
    QVERIFY(!m_project.isEmpty());
    const QString recipe = m_dir.filePath("flip.json");
    QFile f(recipe);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"version":1,"transforms":[{"type":"horizontal_flip","p":0.5}]})");
    f.close();
    const CliRun r = runCli({"train", m_project, "--epochs", "3", "--name", "export me", "--model",
                             "smallcnn", "--image-size", "32", "--batch", "8", "--lr", "0.05",
                             "--threads", "1", "--workers", "1", "--augment", recipe, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    m_run = lastJsonLine(r.out).value("run").toInteger();
    QVERIFY(m_run > 0);
}

void TestCliExportModel::onnxJsonContract()
{
    const QString out = m_dir.filePath("model.onnx");
    const CliRun r = runCli(base("onnx", out)
                            + QStringList{"--features-output", "--intended-use", "a test", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QVERIFY2(!o.isEmpty(), r.out.constData());
    QCOMPARE(o.value("out").toString(), QFileInfo(out).absoluteFilePath());
    QCOMPARE(o.value("format").toString(), QString("onnx"));
    QCOMPARE(o.value("run").toInteger(), m_run);
    QCOMPARE(o.value("bytes").toInteger(), QFileInfo(out).size());
    const QJsonObject parity = o.value("parity").toObject();
    QVERIFY(parity.value("ok").toBool());
    QVERIFY(parity.value("checker_ok").toBool());
    QVERIFY(parity.value("runtime").toString().startsWith("OpenCV dnn"));
    QCOMPARE(parity.value("images").toInt(), 24);
    QVERIFY(parity.value("max_abs_diff").toDouble() <= 1e-4);
    QCOMPARE(o.value("eval_images").toInt(), 24);
    QCOMPARE(o.value("accuracy_change").toDouble(), 0.0);
    QVERIFY(o.value("fp32_bytes").isNull());
    QVERIFY(QFileInfo(o.value("card_json").toString()).isFile());
    QVERIFY(QFileInfo(o.value("card_html").toString()).isFile());
    QFile card(o.value("card_json").toString());
    QVERIFY(card.open(QIODevice::ReadOnly));
    const QJsonObject c = QJsonDocument::fromJson(card.readAll()).object();
    QCOMPARE(c.value("intended_use").toString(), QString("a test"));
    QCOMPARE(c.value("model").toObject().value("features_output").toBool(), true);
}

void TestCliExportModel::libtorchHumanSummary()
{
    const QString out = m_dir.filePath("model.pt");
    const CliRun r = runCli(base("libtorch", out));
    QVERIFY2(r.code == 0, r.err.constData());
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains(QFileInfo(out).absoluteFilePath()), r.out.constData());
    QVERIFY2(text.contains("Parity with LibTorch (LibTorch"), r.out.constData());
    QVERIFY2(text.contains("max |diff| 0,") || text.contains("max |diff| 0 "), r.out.constData());
    QVERIFY(text.contains(": ok\n"));
    QVERIFY(text.contains("Accuracy on 24 images"));
    QVERIFY(text.contains("Model card: " + QFileInfo(out).absoluteFilePath() + ".card.json"));
    QVERIFY(QFileInfo(out).isFile());
}

void TestCliExportModel::int8ReportsRatioAndChange()
{
    const QString out = m_dir.filePath("int8.onnx");
    const CliRun r = runCli(base("onnx", out) + QStringList{"--int8", "--calibration-images", "36",
                                                            "--max-drop", "0", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("format").toString(), QString("onnx-int8"));
    QVERIFY2(o.value("size_ratio").toDouble() > 2.5, r.out.constData());
    const double change = o.value("accuracy_change").toDouble();
    QCOMPARE(change, o.value("exported_accuracy").toDouble() - o.value("fp32_accuracy").toDouble());
    // With no drop allowed, any loss is flagged and explained.
    QCOMPARE(o.value("drop_above_limit").toBool(), change < 0);
    QCOMPARE(o.value("warnings").toArray().isEmpty(), change >= 0);
}

void TestCliExportModel::errors_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("out");
    QTest::addColumn<QString>("run");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown format") << QStringList() << "tflite" << "a.onnx" << "" << 2 << "unknown --format";
    QTest::newRow("int8 with libtorch") << QStringList{"--int8"} << "libtorch" << "a.pt" << "" << 2
                                        << "need --format onnx";
    QTest::newRow("max drop out of range") << QStringList{"--max-drop", "5"} << "onnx" << "a.onnx"
                                           << "" << 2 << "--max-drop";
    QTest::newRow("unknown run") << QStringList() << "onnx" << "a.onnx" << "4242" << 1 << "no run 4242";
    QTest::newRow("output folder missing") << QStringList() << "onnx" << "missing/a.onnx" << "" << 1
                                           << "does not exist";
}

void TestCliExportModel::errors()
{
    QFETCH(QStringList, extra);
    QFETCH(QString, format);
    QFETCH(QString, out);
    QFETCH(QString, run);
    QFETCH(int, code);
    QFETCH(QString, says);
    const QString path = m_dir.filePath(out);
    QStringList args = base(format, path) + extra;
    if (!run.isEmpty())
        args[3] = run;
    const CliRun r = runCli(args);
    QCOMPARE(r.code, code);
    QVERIFY(r.out.isEmpty());
    const QByteArray line = r.err.trimmed();
    QVERIFY2(!line.contains('\n'), r.err.constData()); // one line
    QVERIFY2(line.contains(says.toUtf8()), r.err.constData());
    if (code == 1) // names the file it is about
        QVERIFY2(line.contains(run.isEmpty() ? path.toUtf8() : m_project.toUtf8()), r.err.constData());
    QVERIFY(!QFileInfo::exists(path));
}

QTEST_GUILESS_MAIN(TestCliExportModel)
#include "tst_cli_exportmodel.moc"
