// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli train`, `eval` and `runs` as scripts use them, on the built
// binary and the tiny learnable project: JSON lines that parse, a run that
// learns, per-class evaluation, one-line usage errors, --max-steps, the
// --config file under command-line overrides, Ctrl+C then --resume.

#include "tests/core/clirun.h"
#include "tests/support/tinydataset.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace salient;
using salient::test::CliRun;
using salient::test::runCli;

namespace {

/// Every stdout line as a JSON object; fails (empty list) on one that is not.
QVector<QJsonObject> jsonLines(const QByteArray &out, QString *bad)
{
    QVector<QJsonObject> lines;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
            *bad = QString::fromUtf8(line);
            return {};
        }
        lines << doc.object();
    }
    return lines;
}

QVector<QJsonObject> events(const QVector<QJsonObject> &lines, const QString &kind)
{
    QVector<QJsonObject> out;
    for (const QJsonObject &o : lines)
        if (o.value("event").toString() == kind)
            out << o;
    return out;
}

const QStringList kClasses = {"horizontal", "vertical", "disc"};

} // namespace

class TestCliTrain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void trainPrintsJsonLinesAndLearns();
    void evalReportsEveryClass();
    void runsListsTheRun();
    void badUsage_data();
    void badUsage();
    void maxStepsStopsEarly();
    void commandLineOverridesConfigFile();
    void interruptThenResume();
    void torchScriptNeedsTrust();

private:
    QStringList tinyArgs() const
    {
        return {"--model", "smallcnn", "--image-size", "32", "--batch", "8", "--lr", "0.05",
                "--threads", "1", "--workers", "1", "--augment", m_recipe, "--json"};
    }

    QTemporaryDir m_dir;
    QString m_project;
    QString m_recipe;
    qint64 m_run = 0;
};

void TestCliTrain::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = test::makeTinyProject(m_dir.filePath("tiny"));
    QVERIFY(!m_project.isEmpty());
    // Flips only: the patterns stay what they are, so three epochs suffice.
    m_recipe = m_dir.filePath("flip.json");
    QFile f(m_recipe);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"version":1,"transforms":[{"type":"horizontal_flip","p":0.5}]})");
}

void TestCliTrain::trainPrintsJsonLinesAndLearns()
{
    const CliRun r = runCli(QStringList{"train", m_project, "--epochs", "3", "--name", "first"} + tinyArgs());
    QVERIFY2(r.code == 0, r.err.constData());
    QString bad;
    const QVector<QJsonObject> lines = jsonLines(r.out, &bad);
    QVERIFY2(bad.isEmpty(), qPrintable("not JSON: " + bad));
    QVERIFY(!lines.isEmpty());

    const QVector<QJsonObject> epochs = events(lines, "epoch");
    QCOMPARE(epochs.size(), 3);
    for (int i = 0; i < epochs.size(); ++i) {
        const QJsonObject &e = epochs[i];
        QCOMPARE(e.value("epoch").toInt(), i + 1);
        QVERIFY(e.value("step").toInt() > 0);
        QVERIFY(e.value("loss").isDouble());
        QVERIFY(e.value("train_accuracy").isDouble());
        QVERIFY(e.value("lr").toDouble() > 0);
        QVERIFY(e.value("images_per_s").toDouble() > 0);
        QVERIFY(e.value("best").isBool());
        const QJsonObject val = e.value("val").toObject();
        for (const char *key : {"loss", "accuracy", "macro_f1"})
            QVERIFY2(val.value(key).isDouble(), key);
    }
    QVERIFY(epochs[0].value("step").toInt() < epochs[2].value("step").toInt());
    for (const QJsonObject &s : events(lines, "step")) {
        QVERIFY(s.value("step").toInt() > 0);
        QVERIFY(s.contains("loss") && s.contains("images_per_s") && s.contains("epoch"));
    }

    const QJsonObject done = lines.last();
    QCOMPARE(done.value("event").toString(), QString("done"));
    QCOMPARE(done.value("state").toString(), QString("finished"));
    QCOMPARE(done.value("epochs").toInt(), 3);
    QCOMPARE(done.value("steps").toInt(), epochs[2].value("step").toInt());
    m_run = done.value("run").toInteger();
    QVERIFY(m_run > 0);
    // Three balanced classes: chance is 1/3; the patterns are easy.
    const double valAccuracy = done.value("val").toObject().value("accuracy").toDouble();
    QVERIFY2(valAccuracy > 0.6, qPrintable(QString::number(valAccuracy)));
    const QJsonObject testMetrics = done.value("test").toObject();
    QVERIFY(testMetrics.value("accuracy").toDouble() > 0.5);
    for (const char *key : {"macro_f1", "macro_auc", "ece"})
        QVERIFY2(testMetrics.contains(key), key);
    QVERIFY(QRegularExpression("^[0-9a-f]{64}$").match(done.value("weights_sha256").toString()).hasMatch());
}

void TestCliTrain::evalReportsEveryClass()
{
    QVERIFY2(m_run > 0, "needs the run of trainPrintsJsonLinesAndLearns");
    const CliRun r = runCli({"eval", m_project, "--run", QString::number(m_run), "--threads", "1", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("run").toInteger(), m_run);
    QCOMPARE(o.value("split").toString(), QString("test"));
    QCOMPARE(o.value("samples").toInt(), 24);
    QVERIFY(o.value("accuracy").toDouble() > 0.5);
    QVERIFY(o.value("macro_f1").toDouble() > 0.4);
    QVERIFY(o.value("ece").isDouble());
    const QJsonObject perClass = o.value("per_class").toObject();
    QCOMPARE(perClass.keys().size(), kClasses.size());
    for (const QString &name : kClasses) {
        const QJsonObject c = perClass.value(name).toObject();
        QVERIFY2(!c.isEmpty(), qPrintable(name));
        QCOMPARE(c.value("support").toInt(), 8);
        for (const char *key : {"precision", "recall", "f1", "auc"})
            QVERIFY2(c.contains(key), key);
    }

    // The same by name, as a table a person reads.
    const CliRun text = runCli({"eval", m_project, "--run", "first", "--split", "val", "--threads", "1"});
    QVERIFY2(text.code == 0, text.err.constData());
    for (const QString &name : kClasses)
        QVERIFY2(text.out.contains(name.toUtf8()), text.out.constData());
    QVERIFY(text.out.contains("precision") && text.out.contains("recall"));
}

void TestCliTrain::runsListsTheRun()
{
    QVERIFY2(m_run > 0, "needs the run of trainPrintsJsonLinesAndLearns");
    const CliRun r = runCli({"runs", m_project, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonArray runs = QJsonDocument::fromJson(r.out).array();
    QJsonObject mine;
    for (const QJsonValue &v : runs)
        if (v.toObject().value("id").toInteger() == m_run)
            mine = v.toObject();
    QVERIFY2(!mine.isEmpty(), r.out.constData());
    QCOMPARE(mine.value("name").toString(), QString("first"));
    QCOMPARE(mine.value("state").toString(), QString("finished"));
    QCOMPARE(mine.value("model").toString(), QString("smallcnn"));
    QCOMPARE(mine.value("epochs_done").toInt(), 3);
    QCOMPARE(mine.value("classes").toArray().size(), kClasses.size());
    QVERIFY(mine.value("val_accuracy").toDouble() > 0.5);

    const CliRun text = runCli({"runs", m_project});
    QCOMPARE(text.code, 0);
    QVERIFY(text.out.contains("first") && text.out.contains("smallcnn"));
}

void TestCliTrain::badUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("named"); // what the one line must name
    const QString p = QStringLiteral("PROJECT");
    QTest::newRow("unknown model") << QStringList{"train", p, "--model", "nosuchnet"} << 2 << "nosuchnet";
    QTest::newRow("bogus freeze policy") << QStringList{"train", p, "--freeze", "bogus"} << 2 << "bogus";
    QTest::newRow("epochs not a number") << QStringList{"train", p, "--epochs", "many"} << 2 << "--epochs";
    QTest::newRow("label smoothing out of range") << QStringList{"train", p, "--label-smoothing", "0.9"} << 2 << "--label-smoothing";
    QTest::newRow("bce without multi-label") << QStringList{"train", p, "--loss", "bce"} << 2 << "bce";
    QTest::newRow("missing project") << QStringList{"train", "/nonexistent/none.salient"} << 1 << "none.salient";
    QTest::newRow("missing weights file") << QStringList{"train", p, "--weights", "/nonexistent/w.pth"} << 1 << "w.pth";
    QTest::newRow("resume with new settings") << QStringList{"train", p, "--resume", "1", "--lr", "0.1"} << 2 << "--lr";
    QTest::newRow("resume an unknown run") << QStringList{"train", p, "--resume", "999"} << 1 << "999";
    QTest::newRow("world size without master") << QStringList{"train", p, "--world-size", "2", "--rank", "1"} << 2 << "--master";
    QTest::newRow("eval without --run") << QStringList{"eval", p} << 2 << "--run";
    QTest::newRow("eval an unknown run") << QStringList{"eval", p, "--run", "424242"} << 1 << "424242";
    QTest::newRow("eval a bogus split") << QStringList{"eval", p, "--run", "1", "--split", "holdout"} << 2 << "holdout";
    // Every command that takes --threads refuses a negative count before it opens anything.
    const QStringList bad{"--threads", "-2"};
    QTest::newRow("eval --threads -2") << QStringList{"eval", p, "--run", "1"} + bad << 2 << "--threads";
    QTest::newRow("predict --threads -2") << QStringList{"predict", "m.onnx", "img.png"} + bad << 2 << "--threads";
    QTest::newRow("gradcam --threads -2") << QStringList{"gradcam", p, "--run", "1", "--split", "val"} + bad << 2 << "--threads";
    QTest::newRow("export-model --threads -2")
        << QStringList{"export-model", p, "--run", "1", "--format", "onnx", "--out", "m.onnx"} + bad << 2 << "--threads";
    QTest::newRow("prune --threads -2") << QStringList{"prune", p, "--run", "1", "--sparsity", "0.5"} + bad << 2 << "--threads";
    QTest::newRow("distill --threads -2")
        << QStringList{"distill", p, "--teacher", "1", "--model", "resnet18"} + bad << 2 << "--threads";
    QTest::newRow("runs of a missing project") << QStringList{"runs", "/nonexistent/gone.salient"} << 1 << "gone.salient";
}

void TestCliTrain::badUsage()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, named);
    args.replaceInStrings(QRegularExpression("^PROJECT$"), m_project);
    const CliRun r = runCli(args, 60000);
    QCOMPARE(r.code, code);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QCOMPARE(r.err.count('\n'), 1); // one line
    QVERIFY2(r.err.contains(named.toUtf8()), r.err.constData());
}

void TestCliTrain::maxStepsStopsEarly()
{
    const CliRun r = runCli(QStringList{"train", m_project, "--epochs", "50", "--max-steps", "4", "--no-test"} + tinyArgs());
    QVERIFY2(r.code == 0, r.err.constData());
    QString bad;
    const QVector<QJsonObject> lines = jsonLines(r.out, &bad);
    QVERIFY2(!lines.isEmpty(), qPrintable(bad));
    const QJsonObject done = lines.last();
    QCOMPARE(done.value("event").toString(), QString("done"));
    QCOMPARE(done.value("steps").toInt(), 4);
    QVERIFY(done.value("epochs").toInt() <= 1); // 9 batches an epoch
    QVERIFY(done.value("test").isNull());
}

void TestCliTrain::commandLineOverridesConfigFile()
{
    const QString config = m_dir.filePath("run.json");
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"model":"smallcnn","epochs":7,"batch":8,"image_size":32,"max_steps":3,"threads":1})");
    f.close();
    const CliRun r = runCli({"train", m_project, "--config", config, "--epochs", "2", "--name", "from-file",
                             "--no-test", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject done = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
    QCOMPARE(done.value("steps").toInt(), 3); // the file's max_steps

    const QJsonArray runs = QJsonDocument::fromJson(runCli({"runs", m_project, "--json"}).out).array();
    QJsonObject run;
    for (const QJsonValue &v : runs)
        if (v.toObject().value("id").toInteger() == done.value("run").toInteger())
            run = v.toObject();
    QCOMPARE(run.value("name").toString(), QString("from-file"));
    QCOMPARE(run.value("model").toString(), QString("smallcnn")); // the file's
    QCOMPARE(run.value("epochs").toInt(), 2);                     // the command line's

    // A config file with a key the engine does not know is refused, naming the file.
    QFile wrong(m_dir.filePath("wrong.json"));
    QVERIFY(wrong.open(QIODevice::WriteOnly));
    wrong.write(R"({"model":"smallcnn","learning_rate":0.1})");
    wrong.close();
    const CliRun refused = runCli({"train", m_project, "--config", wrong.fileName()});
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains("wrong.json") && refused.err.contains("learning_rate"), refused.err.constData());
}

void TestCliTrain::interruptThenResume()
{
    QProcess p;
    p.start(QStringLiteral(SALIENT_CLI_PATH), QStringList{"train", m_project, "--epochs", "12", "--no-test"} + tinyArgs());
    QVERIFY(p.waitForStarted());
    // Ctrl+C once the first epoch is done, as a person would.
    QByteArray seen;
    while (!seen.contains("\"event\":\"epoch\"") && p.state() == QProcess::Running) {
        p.waitForReadyRead(1000);
        seen += p.readAllStandardOutput();
    }
    QVERIFY2(seen.contains("\"event\":\"epoch\""), p.readAllStandardError().constData());
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(120000));
    seen += p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitCode(), 1);
    const QJsonObject done = QJsonDocument::fromJson(seen.trimmed().split('\n').last()).object();
    QCOMPARE(done.value("state").toString(), QString("cancelled"));
    const qint64 run = done.value("run").toInteger();
    QVERIFY(run > 0);
    QVERIFY(done.value("epochs").toInt() < 12);
    const QByteArray hint = "salient-cli train " + m_project.toUtf8() + " --resume " + QByteArray::number(run);
    QVERIFY2(err.contains(hint), err.constData());

    const CliRun again = runCli({"train", m_project, "--resume", QString::number(run), "--threads", "1", "--json"});
    QVERIFY2(again.code == 0, again.err.constData());
    const QJsonObject finished = QJsonDocument::fromJson(again.out.trimmed().split('\n').last()).object();
    QCOMPARE(finished.value("state").toString(), QString("finished"));
    QCOMPARE(finished.value("run").toInteger(), run);
    QCOMPARE(finished.value("epochs").toInt(), 12);
}

void TestCliTrain::torchScriptNeedsTrust()
{
    // A zip laid out as torch.jit.save writes it: code/ makes it TorchScript.
    const QString scripted = m_dir.filePath("backbone-script.pt");
    QProcess python;
    python.start("python3", {"-c",
                             "import sys, zipfile\n"
                             "z = zipfile.ZipFile(sys.argv[1], 'w')\n"
                             "z.writestr('m/data.pkl', b'\\x80\\x02}q\\x00.')\n"
                             "z.writestr('m/code/__torch__.py', b'import os\\n')\n"
                             "z.writestr('m/constants.pkl', b'\\x80\\x02).')\n"
                             "z.close()\n",
                             scripted});
    QVERIFY(python.waitForFinished(30000) && python.exitCode() == 0);

    const QStringList args = QStringList{"train", m_project, "--epochs", "1", "--no-test",
                                         "--weights", scripted} + tinyArgs();
    const CliRun refused = runCli(args, 60000);
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains("backbone-script.pt"), refused.err.constData());
    QVERIFY2(refused.err.contains("--trust-torchscript"), refused.err.constData());
    QVERIFY2(refused.err.contains("code"), refused.err.constData());

    // Trusted, LibTorch gets to read it (and says this fake is no real module):
    // the refusal is gone.
    const CliRun trusted = runCli(args + QStringList{"--trust-torchscript"}, 60000);
    QVERIFY(trusted.code != 0);
    QVERIFY2(!trusted.err.contains("--trust-torchscript"), trusted.err.constData());
}

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
