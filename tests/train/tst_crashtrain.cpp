// SPDX-License-Identifier: GPL-3.0-or-later
// Training crash test (issue #9): `salient-cli train` is killed with SIGKILL in
// the middle of an epoch, at a different moment each time; the project still
// passes SQLite's integrity check, `--resume` carries the run on from its last
// checkpoint, and the finished run is the same, bit for bit (weights digest,
// validation metrics), as one that was never interrupted with the same seed.
#include "tests/core/clirun.h"
#include "tests/support/sqlitepragma.h"
#include "tests/support/tinydataset.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace salient;
using salient::test::CliRun;
using salient::test::lastJsonLine;
using salient::test::runCli;

namespace {

constexpr int kEpochs = 6;

/// Every "event" line of `out` whose event is `kind`.
int countEvents(const QByteArray &out, const char *kind)
{
    int n = 0;
    for (const QByteArray &line : out.split('\n'))
        if (QJsonDocument::fromJson(line).object().value("event").toString() == QLatin1String(kind))
            ++n;
    return n;
}

} // namespace

class TestCrashTrain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("tiny")));
        QVERIFY(!m_project.isEmpty());
        m_recipe = m_dir.filePath(QStringLiteral("flip.json"));
        QFile f(m_recipe);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // Random flips: the resumed run must replay the augmentation exactly too.
        f.write(R"({"version":1,"transforms":[{"type":"horizontal_flip","p":0.5}]})");
        f.close();

        const CliRun whole = runCli(args(QStringLiteral("whole")));
        QVERIFY2(whole.code == 0, whole.err.constData());
        m_reference = lastJsonLine(whole.out);
        QCOMPARE(m_reference.value("state").toString(), QStringLiteral("finished"));
        QVERIFY(!m_reference.value("weights_sha256").toString().isEmpty());
    }

    void killedMidEpochResumesToTheSameRun_data()
    {
        QTest::addColumn<int>("epoch"); // killed after this many epochs...
        QTest::addColumn<int>("delayMs"); // ...and this long into the next
        QTest::newRow("at the start of the first epoch") << 0 << 0;
        QTest::newRow("early in the third epoch") << 2 << 5;
        QTest::newRow("later in the fifth epoch") << 4 << 40;
    }

    void killedMidEpochResumesToTheSameRun()
    {
        QFETCH(int, epoch);
        QFETCH(int, delayMs);
        const QString name = QStringLiteral("killed-%1-%2").arg(epoch).arg(delayMs);
        QProcess p;
        p.start(QStringLiteral(SALIENT_CLI_PATH), args(name));
        QVERIFY(p.waitForStarted());
        QByteArray seen;
        qint64 run = 0;
        // Progress lines are flushed as they happen; epoch lines always.
        while (p.state() == QProcess::Running && countEvents(seen, "epoch") < epoch) {
            p.waitForReadyRead(5);
            seen += p.readAllStandardOutput();
        }
        if (epoch == 0) // wait for the first step: the run is inside its first epoch
            while (p.state() == QProcess::Running && countEvents(seen, "step") == 0) {
                p.waitForReadyRead(5);
                seen += p.readAllStandardOutput();
            }
        QThread::msleep(delayMs);
        QVERIFY2(p.state() == QProcess::Running,
                 qPrintable(QStringLiteral("the run ended before the kill: ") +
                            QString::fromUtf8(p.readAllStandardError())));
        ::kill(pid_t(p.processId()), SIGKILL);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        seen += p.readAllStandardOutput();
        QVERIFY2(countEvents(seen, "done") == 0, seen.constData());
        qInfo("killed after %d epoch lines and %d step lines", countEvents(seen, "epoch"),
              countEvents(seen, "step"));

        QCOMPARE(test::integrityCheck(m_project), QStringLiteral("ok"));
        // The run is there, interrupted; its id is the newest run's.
        const CliRun list = runCli({QStringLiteral("runs"), m_project});
        QVERIFY2(list.code == 0, list.err.constData());
        QVERIFY2(list.out.contains(name.toUtf8()), list.out.constData());
        for (const QByteArray &line : list.out.split('\n'))
            if (line.contains(name.toUtf8()))
                run = line.trimmed().split(' ').first().toLongLong();
        QVERIFY(run > 0);

        const CliRun resumed = runCli({QStringLiteral("train"), m_project, QStringLiteral("--resume"),
                                       QString::number(run), QStringLiteral("--threads"),
                                       QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY2(resumed.code == 0, resumed.err.constData());
        const QJsonObject done = lastJsonLine(resumed.out);
        QCOMPARE(done.value("state").toString(), QStringLiteral("finished"));
        QCOMPARE(done.value("run").toInteger(), run);
        QCOMPARE(done.value("epochs").toInt(), kEpochs);
        // The same run as one never interrupted: weights and validation.
        QCOMPARE(done.value("weights_sha256").toString(), m_reference.value("weights_sha256").toString());
        QCOMPARE(done.value("val").toObject().value("accuracy").toDouble(),
                 m_reference.value("val").toObject().value("accuracy").toDouble());
        QCOMPARE(done.value("val").toObject().value("loss").toDouble(),
                 m_reference.value("val").toObject().value("loss").toDouble());
        QCOMPARE(test::integrityCheck(m_project), QStringLiteral("ok"));
    }

private:
    QStringList args(const QString &name) const
    {
        return {QStringLiteral("train"), m_project, QStringLiteral("--epochs"), QString::number(kEpochs),
                QStringLiteral("--no-test"), QStringLiteral("--name"), name,
                QStringLiteral("--seed"), QStringLiteral("7"),
                QStringLiteral("--model"), QStringLiteral("smallcnn"), QStringLiteral("--image-size"),
                QStringLiteral("32"), QStringLiteral("--batch"), QStringLiteral("4"), QStringLiteral("--lr"),
                QStringLiteral("0.05"), QStringLiteral("--threads"), QStringLiteral("1"),
                QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--augment"), m_recipe,
                QStringLiteral("--json")};
    }

    QTemporaryDir m_dir;
    QString m_project;
    QString m_recipe;
    QJsonObject m_reference;
};

QTEST_GUILESS_MAIN(TestCrashTrain)
#include "tst_crashtrain.moc"
