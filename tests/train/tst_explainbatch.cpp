// SPDX-License-Identifier: GPL-3.0-or-later
// explainRole: a whole role of a run's snapshot explained and stored, once per
// image, in chunks that survive a cancel; unreadable images skipped and
// counted; memory flat over a couple of hundred images.
#include "core/train/explainbatch.h"
#include "core/train/explainer.h"
#include "tests/train/explainfixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

#include <unistd.h>

using namespace salient;
using namespace salient::train;
using review::CamMethod;

namespace {

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

review::ExplainRequest request(CamMethod method, int deletionSteps = 20)
{
    review::ExplainRequest r;
    r.method = method;
    r.deletionSteps = deletionSteps;
    return r;
}

} // namespace

class ExplainBatchTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_run = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::TinySpec spec;
        spec.trainPerClass = {70, 70, 70}; // 210 train images: the memory test's role
        spec.valPerClass = 14;             // 42: more than one chunk of 32
        spec.testPerClass = 4;
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("p")), spec);
        QVERIFY(!m_project.isEmpty());
        m_run = test::trainTinyRun(m_project);
        QVERIFY(m_run > 0);
    }

    void init() { QVERIFY(test::clearStored(m_project, m_run).ok()); }

    void storesEveryImageOnce_data()
    {
        QTest::addColumn<int>("role");
        QTest::addColumn<int>("method");
        QTest::newRow("validation, Grad-CAM")
            << int(RunRole::Validation) << int(CamMethod::GradCam);
        QTest::newRow("test, Grad-CAM++") << int(RunRole::Test) << int(CamMethod::GradCamPlusPlus);
        QTest::newRow("validation, LayerCAM")
            << int(RunRole::Validation) << int(CamMethod::LayerCam);
    }
    void storesEveryImageOnce()
    {
        QFETCH(int, role);
        QFETCH(int, method);
        const QVector<qint64> expected = test::roleImages(m_project, m_run, RunRole(role));
        QVERIFY(!expected.isEmpty());
        QVector<QPair<int, int>> reports;
        auto stored = explainRole(
            m_project, m_run, RunRole(role), request(CamMethod(method)),
            [&](int done, int total) { reports << qMakePair(done, total); }, nullptr, 1);
        QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.error().toString()));
        QCOMPARE(*stored, int(expected.size()));

        QVector<qint64> ids = test::storedImages(m_project, m_run, CamMethod(method));
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, expected);
        // Progress starts at 0, ends at the total, never goes back.
        QVERIFY(reports.size() >= 2);
        QCOMPARE(reports.first(), qMakePair(0, int(expected.size())));
        QCOMPARE(reports.last(), qMakePair(int(expected.size()), int(expected.size())));
        for (int i = 1; i < reports.size(); ++i)
            QVERIFY(reports[i].first >= reports[i - 1].first);

        // What was stored is a usable explanation of that image, found again by its key.
        auto store = ProjectStore::open(m_project);
        review::ReviewStore reviews(**store);
        auto rows = reviews.explanations(m_run);
        QVERIFY(rows.ok());
        const review::Explanation &e = rows->first();
        QCOMPARE(e.runId, m_run);
        QVERIFY(!e.layer.isEmpty());
        QVERIFY(!e.map.empty());
        QCOMPARE(e.target, e.predicted); // no target asked: the predicted class
        QVERIFY(e.deletionScore >= 0 && e.deletionScore <= 1);
        auto again = reviews.explanation(m_run, e.imageId, CamMethod(method), e.layer, -1);
        QVERIFY(again.ok());
        QVERIFY(again->has_value());
        QCOMPARE((*again)->imageId, e.imageId);
    }

    void rerunReplacesInsteadOfDuplicating()
    {
        const QVector<qint64> expected = test::roleImages(m_project, m_run, RunRole::Validation);
        for (int pass = 0; pass < 2; ++pass) {
            auto stored = explainRole(m_project, m_run, RunRole::Validation,
                                      request(CamMethod::GradCam, 0), {}, nullptr, 1);
            QVERIFY(stored.ok());
            QCOMPARE(*stored, int(expected.size()));
        }
        QVector<qint64> ids = test::storedImages(m_project, m_run);
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, expected); // once each, not twice
    }

    void cancelKeepsADonePrefix_data()
    {
        QTest::addColumn<int>("cancelAfter");
        QTest::addColumn<int>("expectedStored");
        QTest::newRow("before the first image") << 0 << 0;
        QTest::newRow("inside the first chunk") << 5 << 5;
        QTest::newRow("after a full chunk") << kExplainChunk + 3 << kExplainChunk + 3;
    }
    void cancelKeepsADonePrefix()
    {
        QFETCH(int, cancelAfter);
        QFETCH(int, expectedStored);
        const QVector<qint64> all = test::roleImages(m_project, m_run, RunRole::Validation);
        QVERIFY(all.size() > kExplainChunk + 3);
        std::atomic<bool> cancel{cancelAfter == 0};
        int started = 0;
        ExplainBatchHooks hooks;
        hooks.cancel = &cancel;
        hooks.between = [&] {
            if (++started == cancelAfter)
                cancel = true; // this image is still done, the next is not started
        };
        auto report = explainRoleReport(m_project, m_run, RunRole::Validation,
                                        request(CamMethod::GradCam, 0), hooks, 1);
        QVERIFY(report.ok());
        QVERIFY(report->cancelled);
        QCOMPARE(report->stored, expectedStored);
        QCOMPARE(report->total, int(all.size()));
        QVector<qint64> ids = test::storedImages(m_project, m_run);
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, all.mid(0, expectedStored)); // the snapshot's first images, all stored
    }

    void unreadableImageIsSkippedAndCounted()
    {
        const QVector<qint64> all = test::roleImages(m_project, m_run, RunRole::Validation);
        const qint64 broken = all.at(3);
        QString path;
        {
            auto store = ProjectStore::open(m_project);
            path = (*store)->image(broken)->absolutePath;
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray original = file.readAll();
        file.close();
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("not a PNG at all");
        file.close();

        auto report = explainRoleReport(m_project, m_run, RunRole::Validation,
                                        request(CamMethod::GradCam, 0), {}, 1);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(original);
        file.close();

        QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
        QCOMPARE(report->skipped, 1);
        QCOMPARE(report->stored, int(all.size()) - 1);
        QVERIFY(!report->cancelled);
        QCOMPARE(report->problems.size(), 1);
        QVERIFY2(report->problems.first().contains(QFileInfo(path).fileName()),
                 qPrintable(report->problems.first()));
        const QVector<qint64> ids = test::storedImages(m_project, m_run);
        QVERIFY(!ids.contains(broken));
        QCOMPARE(ids.size(), all.size() - 1);
    }

    void memoryStaysFlat()
    {
#if defined(__SANITIZE_ADDRESS__)
        // ASan keeps freed blocks resident (its quarantine, up to 256 MB) and
        // reports any block never freed itself (LeakSanitizer, on in that build).
        QSKIP("RSS growth means nothing under AddressSanitizer; its leak check covers this");
#endif
        // A run at 64 px: the tapped block (smallcnn's last stage) is
        // 128 x 16 x 16 floats = 128 KiB a image, so keeping one activation
        // per image would grow the process by ~23 MiB over the measured 180.
        const qint64 run = test::trainTinyRun(m_project, 64, 2);
        QVERIFY(run > 0);
        const QVector<qint64> all = test::roleImages(m_project, run, RunRole::Train);
        QCOMPARE(all.size(), 210);
        constexpr int kWarm = 30; // allocator pools and the first chunk settle first
        constexpr qint64 kActivationBytes = 128 * 16 * 16 * 4;
        qint64 atWarm = -1, peak = 0;
        int started = 0;
        ExplainBatchHooks hooks;
        hooks.between = [&] {
            ++started;
            if (started == kWarm)
                atWarm = residentBytes();
            if (started > kWarm)
                peak = std::max(peak, residentBytes());
        };
        auto report = explainRoleReport(m_project, run, RunRole::Train,
                                        request(CamMethod::GradCam, 0), hooks, 1);
        QVERIFY(report.ok());
        QCOMPARE(report->stored, 210);
        const qint64 end = residentBytes();
        peak = std::max(peak, end);
        const qint64 growth = peak - atWarm;
        const qint64 leakOfOneActivation = (210 - kWarm) * kActivationBytes;
        qInfo("RSS at image %d: %.1f MiB, peak after: %.1f MiB, growth %.2f MiB "
              "(a leaked activation per image: %.1f MiB)",
              kWarm, atWarm / 1048576.0, peak / 1048576.0, growth / 1048576.0,
              leakOfOneActivation / 1048576.0);
        QVERIFY(atWarm > 0);
        QVERIFY2(growth < leakOfOneActivation / 3,
                 qPrintable(QStringLiteral("RSS grew %1 MiB over %2 images")
                                               .arg(growth / 1048576.0, 0, 'f', 1)
                                               .arg(210 - kWarm)));
    }

    void unknownRunIsAnError()
    {
        auto stored = explainRole(m_project, 9999, RunRole::Validation, {}, {}, nullptr, 1);
        QVERIFY(!stored.ok());
        QVERIFY(!stored.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(ExplainBatchTest)
#include "tst_explainbatch.moc"
