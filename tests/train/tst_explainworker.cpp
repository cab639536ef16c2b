// SPDX-License-Identifier: GPL-3.0-or-later
// ExplainWorker: an Explainer on its own thread behind the ExplainController
// seam. Signals arrive on the owner's (GUI) thread, the newest single-image
// request wins, a batch reports progress and can be cancelled, a bad run fails.
#include "core/train/explainworker.h"
#include "tests/train/explainfixture.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

using namespace salient;
using namespace salient::train;
using review::ExplainController;

class ExplainWorkerTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_run = 0;

    /// Opens the run and waits for ready().
    bool openRun(ExplainWorker &worker)
    {
        QSignalSpy ready(&worker, &ExplainController::ready);
        worker.open(m_project, m_run);
        return ready.wait(60000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::TinySpec spec;
        spec.trainPerClass = {40, 40, 40};
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("p")), spec);
        QVERIFY(!m_project.isEmpty());
        m_run = test::trainTinyRun(m_project);
        QVERIFY(m_run > 0);
    }

    void init() { QVERIFY(test::clearStored(m_project, m_run).ok()); }

    void signalsArriveOnTheOwnersThread()
    {
        ExplainWorker worker(nullptr, 1);
        QSignalSpy ready(&worker, &ExplainController::ready);
        QSignalSpy explained(&worker, &ExplainController::explained);
        QSignalSpy failed(&worker, &ExplainController::failed);
        QThread *seen = nullptr;
        connect(
            &worker, &ExplainController::ready, this, [&] { seen = QThread::currentThread(); },
            Qt::DirectConnection);
        worker.open(m_project, m_run);
        QVERIFY(ready.wait(60000));
        QCOMPARE(seen, thread()); // emitted here, not on the worker thread
        const auto info = ready.first().first().value<review::ModelInfo>();
        QCOMPARE(info.runId, m_run);
        QCOMPARE(info.classNames, (QStringList{"horizontal", "vertical", "disc"}));
        QVERIFY(info.layers.contains(info.defaultLayer));

        const qint64 image = test::roleImages(m_project, m_run, RunRole::Validation).first();
        seen = nullptr;
        connect(
            &worker, &ExplainController::explained, this, [&] { seen = QThread::currentThread(); },
            Qt::DirectConnection);
        worker.explain(image, {});
        QVERIFY(explained.wait(60000));
        QCOMPARE(seen, thread());
        QCOMPARE(failed.count(), 0);
        const auto e = explained.first().first().value<review::Explanation>();
        QCOMPARE(e.imageId, image);
        QCOMPARE(e.runId, m_run);
        QCOMPARE(e.layer, info.defaultLayer);
        QVERIFY(!e.map.empty());
    }

    void newestRequestWins()
    {
        ExplainWorker worker(nullptr, 1);
        QVERIFY(openRun(worker));
        QSignalSpy explained(&worker, &ExplainController::explained);
        const QVector<qint64> images = test::roleImages(m_project, m_run, RunRole::Validation);
        QVERIFY(images.size() >= 10);
        // A reviewer holding the arrow key: ten requests faster than one answer.
        for (int i = 0; i < 10; ++i)
            worker.explain(images[i], {});
        QTRY_VERIFY_WITH_TIMEOUT(
            !explained.isEmpty()
                && explained.last().first().value<review::Explanation>().imageId == images[9],
            60000);
        QTest::qWait(300); // nothing else still on its way
        QTRY_VERIFY(!worker.isBusy());
        // At most the one already started and the newest; the eight between are dropped.
        QVERIFY2(explained.count() <= 2, qPrintable(QString::number(explained.count())));
        QCOMPARE(explained.last().first().value<review::Explanation>().imageId, images[9]);
    }

    void batchReportsProgressAndStoresTheRole()
    {
        ExplainWorker worker(nullptr, 1);
        QVERIFY(openRun(worker));
        QSignalSpy progress(&worker, &ExplainController::batchProgress);
        QSignalSpy finished(&worker, &ExplainController::batchFinished);
        const QVector<qint64> images = test::roleImages(m_project, m_run, RunRole::Validation);
        worker.explainRole(RunRole::Validation, {});
        QVERIFY(worker.isBusy());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toInt(), int(images.size()));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QVERIFY(progress.count() >= 2);
        QCOMPARE(progress.last().at(0).toInt(), int(images.size()));
        QCOMPARE(progress.last().at(1).toInt(), int(images.size()));
        QVector<qint64> stored = test::storedImages(m_project, m_run);
        std::sort(stored.begin(), stored.end());
        QCOMPARE(stored, images);
    }

    void cancelStopsTheBatchAndKeepsWhatIsDone()
    {
        ExplainWorker worker(nullptr, 1);
        QVERIFY(openRun(worker));
        QSignalSpy finished(&worker, &ExplainController::batchFinished);
        const int total = int(test::roleImages(m_project, m_run, RunRole::Train).size());
        // Cancel as soon as the first report arrives (the batch has started).
        connect(&worker, &ExplainController::batchProgress, &worker, &ExplainWorker::cancel);
        worker.explainRole(RunRole::Train, {});
        QVERIFY(finished.wait(120000));
        const int stored = finished.first().at(0).toInt();
        QCOMPARE(finished.first().at(1).toBool(), true);
        QVERIFY2(stored < total, qPrintable(QStringLiteral("%1 of %2").arg(stored).arg(total)));
        QCOMPARE(int(test::storedImages(m_project, m_run).size()), stored);
    }

    void singleRequestsAreAnsweredDuringABatch()
    {
        ExplainWorker worker(nullptr, 1);
        QVERIFY(openRun(worker));
        QSignalSpy explained(&worker, &ExplainController::explained);
        QSignalSpy finished(&worker, &ExplainController::batchFinished);
        const qint64 image = test::roleImages(m_project, m_run, RunRole::Test).first();
        worker.explainRole(RunRole::Train, {});
        worker.explain(image, {});
        QVERIFY(explained.wait(60000));
        QCOMPARE(explained.first().first().value<review::Explanation>().imageId, image);
        // The answer came before the batch ended: it did not wait behind 120 images.
        QCOMPARE(finished.count(), 0);
        worker.cancel();
        QVERIFY(finished.wait(60000));
    }

    void cancelledBeforeItStartsStillFinishes()
    {
        ExplainWorker worker(nullptr, 1);
        QSignalSpy finished(&worker, &ExplainController::batchFinished);
        worker.open(m_project, m_run); // the batch waits behind loading the model
        worker.explainRole(RunRole::Validation, {});
        worker.cancel();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(1).toBool(), true);
        QTRY_VERIFY(!worker.isBusy());
    }

    void badRunFails()
    {
        ExplainWorker worker(nullptr, 1);
        QSignalSpy ready(&worker, &ExplainController::ready);
        QSignalSpy failed(&worker, &ExplainController::failed);
        worker.open(m_project, 9999);
        QVERIFY(failed.wait(60000));
        QCOMPARE(ready.count(), 0);
        const auto error = failed.first().first().value<Error>();
        QVERIFY(!error.message.isEmpty());
        // Without a model an explain request fails too, it does not hang.
        failed.clear();
        worker.explain(1, {});
        QVERIFY(failed.wait(10000));
    }

    void destructorCancelsAndJoins()
    {
        QElapsedTimer clock;
        clock.start();
        {
            ExplainWorker worker(nullptr, 1);
            QVERIFY(openRun(worker));
            QSignalSpy progress(&worker, &ExplainController::batchProgress);
            worker.explainRole(RunRole::Train, {});
            QVERIFY(progress.wait(60000));
            clock.restart();
        } // leaves with the batch under way
        QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        // What was done before the end is in the project, nothing half written.
        const QVector<qint64> stored = test::storedImages(m_project, m_run);
        QVERIFY(!stored.contains(-1));
    }
};

QTEST_GUILESS_MAIN(ExplainWorkerTest)
#include "tst_explainworker.moc"
