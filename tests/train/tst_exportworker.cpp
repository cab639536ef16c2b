// SPDX-License-Identifier: GPL-3.0-or-later
// ExportWorker: exportModel() and Predictor on their own thread behind the
// ExportController seam. Signals arrive on the owner's (GUI) thread, a model
// file answers per image (a broken image gets its own error), a bad file
// fails naming it, cancel stops an export (no file), and the destructor
// cancels and joins.
#include "core/train/exportworker.h"
#include "tests/train/explainfixture.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;
using namespace salient::train;

class ExportWorkerTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_run = 0;
    QStringList m_testImages;

    ExportRequest request(const QString &name, ModelFormat format = ModelFormat::Onnx) const
    {
        ExportRequest r;
        r.projectFile = m_project;
        r.runId = m_run;
        r.format = format;
        r.outFile = m_dir.filePath(name);
        r.parityImages = 4;
        r.calibrationImages = 16;
        r.threads = 1;
        return r;
    }

    /// Exports and waits; the report, or an empty one after a failure.
    ExportReport exportAndWait(ExportWorker &worker, const ExportRequest &r)
    {
        QSignalSpy exported(&worker, &ExportController::exported);
        QSignalSpy failed(&worker, &ExportController::failed);
        worker.startExport(r);
        if (!QTest::qWaitFor([&] { return !exported.isEmpty() || !failed.isEmpty(); }, 240000))
            return {};
        if (!failed.isEmpty()) {
            qWarning("export failed: %s",
                     qPrintable(failed.first().first().value<Error>().toString()));
            return {};
        }
        return exported.first().first().value<ExportReport>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::TinySpec spec;
        spec.trainPerClass = {16, 16, 16};
        spec.valPerClass = 4;
        spec.testPerClass = 4;
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("p")), spec);
        QVERIFY(!m_project.isEmpty());
        m_run = test::trainTinyRun(m_project);
        QVERIFY(m_run > 0);
        auto store = ProjectStore::open(m_project);
        QVERIFY(store.ok());
        {
            train::RunStore runs(**store);
            QVERIFY(runs.setState(m_run, train::RunState::Finished).ok());
        }
        for (qint64 id : test::roleImages(m_project, m_run, RunRole::Test).mid(0, 3)) {
            auto record = (*store)->image(id);
            QVERIFY(record.ok());
            m_testImages << record->absolutePath;
        }
        QCOMPARE(m_testImages.size(), 3);
    }

    void exportSignalsArriveOnTheOwnersThread()
    {
        ExportWorker worker;
        QSignalSpy progress(&worker, &ExportController::progress);
        bool offThread = false;
        auto here = [&] { offThread = offThread || QThread::currentThread() != thread(); };
        connect(&worker, &ExportController::progress, this, here, Qt::DirectConnection);
        connect(&worker, &ExportController::exported, this, here, Qt::DirectConnection);
        const ExportRequest r = request(QStringLiteral("tiny.onnx"));
        QVERIFY(!worker.isBusy());
        const ExportReport report = exportAndWait(worker, r);
        QCOMPARE(report.outFile, r.outFile);
        QVERIFY(!offThread); // every signal was emitted here, not on the worker thread
        QVERIFY(!progress.isEmpty());
        QVERIFY(QFile::exists(r.outFile));
        QVERIFY(report.parity.ran);
        QVERIFY(!worker.isBusy());
    }

    void predictAnswersPerImage()
    {
        ExportWorker worker;
        const ExportRequest r = request(QStringLiteral("predict.onnx"));
        QVERIFY(!exportAndWait(worker, r).outFile.isEmpty());

        QSignalSpy opened(&worker, &ExportController::modelOpened);
        QSignalSpy predicted(&worker, &ExportController::predicted);
        QSignalSpy failed(&worker, &ExportController::failed);
        bool offThread = false;
        connect(
            &worker, &ExportController::predicted, this,
            [&] { offThread = QThread::currentThread() != thread(); }, Qt::DirectConnection);
        const QString missing = m_dir.filePath(QStringLiteral("no-such-image.png"));
        worker.predict(r.outFile, {m_testImages[0], missing, m_testImages[1]}, 2);
        QVERIFY(predicted.wait(120000));
        QVERIFY(!offThread);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(opened.count(), 1);
        const auto meta = opened.first().at(0).value<ModelMeta>();
        QCOMPARE(meta.classNames, (QStringList{"horizontal", "vertical", "disc"}));
        QCOMPARE(meta.runId, m_run);
        QVERIFY(!opened.first().at(1).toString().isEmpty()); // the runtime, named

        const auto answers = predicted.first().first().value<QVector<FilePrediction>>();
        QCOMPARE(answers.size(), 3);
        for (int i : {0, 2}) {
            QVERIFY2(answers[i].error.isEmpty(), qPrintable(answers[i].error));
            QCOMPARE(answers[i].topClasses.size(), 2);
            QCOMPARE(answers[i].topProbabilities.size(), 2);
            QVERIFY(answers[i].topProbabilities[0] >= answers[i].topProbabilities[1]);
            QVERIFY(answers[i].topProbabilities[0] > 0 && answers[i].topProbabilities[0] <= 1);
        }
        QCOMPARE(answers[1].path, missing);
        QVERIFY(!answers[1].error.isEmpty());
        QVERIFY(answers[1].error.contains(QLatin1String("no-such-image.png")));
    }

    void badModelFileFailsNamingIt()
    {
        ExportWorker worker;
        const QString fake = m_dir.filePath(QStringLiteral("picture.onnx"));
        QVERIFY(QFile::copy(m_testImages[0], fake));
        QSignalSpy opened(&worker, &ExportController::modelOpened);
        QSignalSpy failed(&worker, &ExportController::failed);
        worker.predict(fake, {m_testImages[0]}, 3);
        QVERIFY(failed.wait(60000));
        QCOMPARE(opened.count(), 0);
        const Error e = failed.first().first().value<Error>();
        QVERIFY2(e.toString().contains(QLatin1String("picture.onnx")), qPrintable(e.toString()));
    }

    void cancelStopsAnExportAndLeavesNoFile()
    {
        ExportWorker worker;
        ExportRequest first = request(QStringLiteral("cancelled.onnx"));
        first.int8 = true; // calibration and accuracy: long enough to be caught running
        first.calibrationImages = 48;
        ExportRequest queued = request(QStringLiteral("never.pt"), ModelFormat::LibTorch);
        QSignalSpy exported(&worker, &ExportController::exported);
        QSignalSpy failed(&worker, &ExportController::failed);
        worker.startExport(first);
        worker.startExport(queued);
        QVERIFY(worker.isBusy());
        worker.cancel();
        QVERIFY(QTest::qWaitFor([&] { return failed.count() + exported.count() >= 2; }, 120000));
        QVERIFY(!worker.isBusy());
        QCOMPARE(exported.count(), 0);
        for (const QList<QVariant> &args : failed)
            QCOMPARE(args.first().value<Error>().code, Error::Code::Cancelled);
        QVERIFY(!QFile::exists(first.outFile));
        QVERIFY(!QFile::exists(queued.outFile));
        // The worker takes new work after a cancel.
        QVERIFY(!exportAndWait(
            worker, request(QStringLiteral("after.pt"), ModelFormat::LibTorch)).outFile.isEmpty());
    }

    void destructorCancelsAndJoins()
    {
        const ExportRequest r = request(QStringLiteral("dropped.onnx"));
        QElapsedTimer clock;
        {
            auto worker = std::make_unique<ExportWorker>();
            worker->startExport(r);
            QTest::qWait(50); // let it start
            clock.start();
            worker.reset(); // must return: cancelled and joined, no thread left running
        }
        QVERIFY2(clock.elapsed() < 60000, qPrintable(QString::number(clock.elapsed())));
        QCoreApplication::processEvents(); // a late queued signal would land on a dead object here
        const QStringList left = QDir(m_dir.path()).entryList({QStringLiteral("dropped*")}, QDir::Files,
                                                              QDir::Name);
        // Cancelled in time: nothing (or the checked model without its card).
        // On a quiet machine the tiny export may finish within the 50 ms:
        // then the whole export is there. Never a half-written temporary.
        const QStringList whole = {QStringLiteral("dropped.onnx"), QStringLiteral("dropped.onnx.card.html"),
                                   QStringLiteral("dropped.onnx.card.json")};
        QVERIFY2(left.isEmpty() || left == QStringList{QStringLiteral("dropped.onnx")} || left == whole,
                 qPrintable(left.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(ExportWorkerTest)
#include "tst_exportworker.moc"
