// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli train --world-size 2` as two real processes on 127.0.0.1 and
// the tiny project: both ranks finish, end with the same weights, the weights
// keep moving with more steps, and only rank 0 writes a run.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "tests/support/tinydataset.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include "tests/train/freeport.h"

#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace salient;
using salient::train::RunStore;

namespace {

using salient::test::freePort;

struct Rank {
    int code = -1;
    QJsonObject done; ///< the last JSON line
    QString err;
};

// Two `salient-cli train` ranks; rank r trains on projects[r].
QVector<Rank> trainTwoRanks(const QStringList &projects, int maxSteps)
{
    const QString master = QStringLiteral("127.0.0.1:%1").arg(freePort());
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int r = 0; r < 2; ++r) {
        auto p = std::make_unique<QProcess>();
        p->start(QStringLiteral(SALIENT_CLI_PATH),
            {QStringLiteral("train"), projects[r],
                QStringLiteral("--model"),
                    QStringLiteral("smallcnn"),
                        QStringLiteral("--image-size"),
                            QStringLiteral("32"),
                                QStringLiteral("--max-steps"), QString::number(maxSteps),
                                    QStringLiteral("--threads"),
                                        QStringLiteral("1"),
                                            QStringLiteral("--json"),
                                                QStringLiteral("--world-size"),
                                                    QStringLiteral("2"),
                                                        QStringLiteral("--rank"),
                                                                       QString::number(r),
                                                                       QStringLiteral("--master"),
                                                                                      master});
        processes.push_back(std::move(p));
    }
    QVector<Rank> ranks(2);
    for (int r = 0; r < 2; ++r) {
        QProcess &p = *processes[r];
        if (!p.waitForFinished(240000)) {
            p.kill();
            p.waitForFinished();
        }
        ranks[r].code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        ranks[r].err = QStringLiteral("rank %1 (master %2): ").arg(r).arg(master)
                                      + QString::fromUtf8(p.readAllStandardError());
        const auto lines = p.readAllStandardOutput().trimmed().split('\n');
        ranks[r].done = QJsonDocument::fromJson(lines.last()).object();
    }
    return ranks;
}

int runCount(const QString &project)
{
    auto store = ProjectStore::open(project, ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return -1;
    RunStore runs(**store);
    auto all = runs.runs();
    return all ? int(all->size()) : -1;
}

bool copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    const QDir source(from);
    for (const QFileInfo &entry : source.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot)) {
        const QString target = to + QLatin1Char('/') + entry.fileName();
        if (entry.isDir() ? !copyTree(entry.filePath(), target)
                          : !QFile::copy(entry.filePath(), target))
            return false;
    }
    return true;
}

} // namespace

class TestDistributedCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void twoRanksTrainTheSameModel()
    {
        QTemporaryDir dir;
        const QString project = test::makeTinyProject(dir.path() + QStringLiteral("/shared"));
        QVERIFY(!project.isEmpty());
        // A second machine has its own copy of the project (same images, same ids).
        QVERIFY(
            copyTree(dir.path() + QStringLiteral("/shared"), dir.path() + QStringLiteral("/copy")));
        const QString copy = dir.path() + QStringLiteral("/copy/") + QFileInfo(project).fileName();

        QString digest[2];
        const int steps[2] = {6, 2};
        const QStringList projects[2] = {{project, project}, {project, copy}};
        for (int run = 0; run < 2; ++run) {
            const QVector<Rank> ranks = trainTwoRanks(projects[run], steps[run]);
            for (const Rank &r : ranks) {
                QVERIFY2(r.code == 0, qPrintable(r.err));
                QCOMPARE(r.done.value(QStringLiteral("event")).toString(), QStringLiteral("done"));
                QCOMPARE(r.done.value(QStringLiteral("steps")).toInt(), steps[run]);
            }
            digest[run] = ranks[0].done.value(QStringLiteral("weights_sha256")).toString();
            QCOMPARE(digest[run].size(), 64);
            QVERIFY2(ranks[1].done.value(
                QStringLiteral("weights_sha256")).toString() == digest[run],
                qPrintable(QStringLiteral("%1 steps: the ranks ended with different weights") .arg(
                    steps[run])));
        }
        // The weights kept moving from step 2 to step 6: the ranks trained.
        QVERIFY(digest[0] != digest[1]);
        // Rank 0 wrote both runs into the shared project; rank 1 wrote nothing.
        QCOMPARE(runCount(project), 2);
        QCOMPARE(runCount(copy), 0);
    }
};

QTEST_GUILESS_MAIN(TestDistributedCli)
#include "tst_distributed_cli.moc"
