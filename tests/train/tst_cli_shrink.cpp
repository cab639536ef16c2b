// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli prune` and `distill` as scripts use them, on the built binary
// and a run trained on the tiny project: the accuracy-against-sparsity table
// (parent row first) in JSON and text, the teacher / student comparison, and
// one-line errors with the documented exit codes.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "tests/core/clirun.h"
#include "tests/support/tinydataset.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace salient;
using salient::test::CliRun;
using salient::test::lastJsonLine;
using salient::test::runCli;

class TestCliShrink : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pruneJsonTable();
    void pruneText();
    void distillJson();
    void errors_data();
    void errors();

private:
    QString run() const { return QString::number(m_run); }

    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_run = 0;
};

void TestCliShrink::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = test::makeTinyProject(m_dir.filePath("tiny"));
    QVERIFY(!m_project.isEmpty());
    const QString recipe = m_dir.filePath("flip.json");
    QFile f(recipe);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"version":1,"transforms":[{"type":"horizontal_flip","p":0.5}]})");
    f.close();
    const CliRun r = runCli({"train",     m_project,  "--epochs",     "4",  "--name",    "teacher",
                             "--model",   "smallcnn", "--image-size", "32", "--batch",   "12",
                             "--lr",      "0.05",     "--threads",    "1",  "--workers", "1",
                             "--augment", recipe,     "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    m_run = lastJsonLine(r.out).value("run").toInteger();
    QVERIFY(m_run > 0);
}

void TestCliShrink::pruneJsonTable()
{
    const CliRun r = runCli({"prune", m_project, "--run", "teacher", "--sparsity", "0.5,0.8",
                             "--epochs", "1", "--threads", "1", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = lastJsonLine(r.out);
    QCOMPARE(o.value("parent").toInteger(), m_run);
    const QJsonArray rows = o.value("rows").toArray();
    QCOMPARE(rows.size(), 3);
    const QJsonObject parent = rows.at(0).toObject();
    QCOMPARE(parent.value("run").toInteger(), m_run); // the parent row first
    QCOMPARE(parent.value("sparsity").toDouble(), 0.0);
    QVERIFY(parent.value("requested").isNull());
    const double requested[] = {0.5, 0.8};
    qint64 previousDeflated = parent.value("compressed_bytes").toInteger();
    auto store = ProjectStore::open(m_project);
    QVERIFY(store.ok());
    train::RunStore runs(**store);
    for (int i = 1; i < 3; ++i) {
        const QJsonObject row = rows.at(i).toObject();
        QCOMPARE(row.value("requested").toDouble(), requested[i - 1]);
        QVERIFY(std::abs(row.value("sparsity").toDouble() - requested[i - 1]) < 1e-3);
        const qint64 id = row.value("run").toInteger();
        QVERIFY(id > m_run);
        QVERIFY(runs.run(id).ok()); // a new run in the project
        const double accuracy = row.value("accuracy").toDouble(-1);
        QVERIFY(accuracy >= 0 && accuracy <= 1);
        QCOMPARE(row.value("parameters").toInteger(), parent.value("parameters").toInteger());
        QVERIFY(row.value("non_zero").toInteger() < parent.value("non_zero").toInteger());
        QVERIFY(row.value("compressed_bytes").toInteger() < previousDeflated);
        previousDeflated = row.value("compressed_bytes").toInteger();
        QVERIFY(row.value("latency_ms").toDouble() > 0);
    }
}

void TestCliShrink::pruneText()
{
    const CliRun r = runCli({"prune", m_project, "--run", run(), "--sparsity", "0.6", "--epochs",
                             "1", "--threads", "1"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QStringList lines = QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
    const int header = int(lines.indexOf(QRegularExpression("^sparsity .*accuracy.*deflated.*")));
    QVERIFY2(header >= 0, r.out.constData());
    QVERIFY(lines.size() >= header + 3);
    QVERIFY2(lines.at(header + 1).startsWith("0% (parent)"), r.out.constData());
    QVERIFY2(lines.at(header + 2).startsWith("60.0%"), r.out.constData());
}

void TestCliShrink::distillJson()
{
    const CliRun r = runCli({"distill", m_project, "--teacher", run(), "--model", "smallcnn",
                             "--epochs", "3", "--temperature", "3", "--alpha", "0.7",
                             "--image-size", "32", "--threads", "1", "--name", "student", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = lastJsonLine(r.out);
    const QJsonObject teacher = o.value("teacher").toObject();
    const QJsonObject student = o.value("student").toObject();
    QCOMPARE(teacher.value("run").toInteger(), m_run);
    QVERIFY(student.value("run").toInteger() > m_run);
    QCOMPARE(student.value("model").toString(), QString("smallcnn"));
    QCOMPARE(o.value("temperature").toDouble(), 3.0);
    QCOMPARE(o.value("alpha").toDouble(), 0.7);
    for (const QJsonObject &f : {teacher, student}) {
        QVERIFY(f.value("parameters").toInteger() > 0);
        QVERIFY(f.value("file_bytes").toInteger() > 0);
        QVERIFY(f.value("latency_ms").toDouble() > 0);
        QVERIFY(f.value("accuracy").toDouble(-1) >= 0);
    }
    QVERIFY2(student.value("accuracy").toDouble() > 0.5, // chance: a third
             QJsonDocument(student).toJson().constData());
    auto store = ProjectStore::open(m_project);
    QVERIFY(store.ok());
    QCOMPARE(train::RunStore(**store).run(student.value("run").toInteger())->name, QString("student"));
}

void TestCliShrink::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("needle");
    const QString p = "PROJECT";
    QTest::newRow("prune without --sparsity") << QStringList{"prune", p, "--run", "1"} << 2 << "--sparsity";
    QTest::newRow("prune sparsity of one")
        << QStringList{"prune", p, "--run", "1", "--sparsity", "0.5,1"} << 2 << "'1'";
    QTest::newRow("prune zero epochs")
        << QStringList{"prune", p, "--run", "1", "--sparsity", "0.5", "--epochs", "0"} << 2 << "--epochs";
    QTest::newRow("prune unknown run")
        << QStringList{"prune", p, "--run", "77", "--sparsity", "0.5"} << 1 << "no run 77";
    QTest::newRow("distill unknown model")
        << QStringList{"distill", p, "--teacher", "1", "--model", "vgg"} << 2 << "--model";
    QTest::newRow("distill alpha above one")
        << QStringList{"distill", p, "--teacher", "1", "--model", "smallcnn", "--alpha", "2"} << 2
        << "--alpha";
    QTest::newRow("distill unknown teacher")
        << QStringList{"distill", p, "--teacher", "nobody", "--model", "smallcnn"} << 1 << "nobody";
}

void TestCliShrink::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, needle);
    args.replaceInStrings("PROJECT", m_project);
    const CliRun r = runCli(args);
    QCOMPARE(r.code, code);
    const QString err = QString::fromUtf8(r.err).trimmed();
    QCOMPARE(err.count('\n'), 0); // one line
    QVERIFY2(err.contains(needle), qPrintable(err));
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestCliShrink)
#include "tst_cli_shrink.moc"
