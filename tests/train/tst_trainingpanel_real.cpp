// SPDX-License-Identifier: GPL-3.0-or-later
// The training dock with the real engine: a person clicks Start on the tiny
// project and watches an epoch finish while the GUI stays responsive.

#include "core/project/store.h"
#include "core/train/trainingworker.h"
#include "tests/support/tinydataset.h"
#include "widgets/confusionmatrixview.h"
#include "widgets/trainingcharts.h"
#include "widgets/trainingdock.h"
#include "widgets/trainingpanel.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace salient;
using namespace salient::train;

class TestTrainingPanelReal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void startTrainsWhileTheGuiStaysAlive();
};

void TestTrainingPanelReal::startTrainsWhileTheGuiStaysAlive()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = test::makeTinyProject(dir.path());
    QVERIFY(!file.isEmpty());
    auto store = ProjectStore::open(file);
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));

    TrainingWorker worker;
    TrainingDock dock;
    dock.setController(&worker);
    dock.setStore(store.value().get());
    dock.resize(1400, 500);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));

    TrainConfig c;
    c.model = QStringLiteral("smallcnn");
    c.imageSize = 32;
    c.epochs = 2;
    c.batchSize = 16;
    c.learningRate = 0.05;
    c.threads = 2;
    c.loaderWorkers = 1;
    TrainingPanel *panel = dock.panel();
    panel->setConfig(c);
    QVERIFY2(panel->startButton()->isEnabled(), qPrintable(panel->errorLabel()->text()));

    // A 20 ms heartbeat on the GUI thread: a long gap means the GUI froze.
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 worstGap = 0;
    QTimer heartbeat;
    connect(&heartbeat, &QTimer::timeout, this, [&]() {
        const qint64 now = clock.elapsed();
        worstGap = qMax(worstGap, now - last);
        last = now;
    });
    QSignalSpy epochs(&worker, &TrainingController::epochFinished);
    QSignalSpy ended(panel, &TrainingPanel::runEnded);
    QSignalSpy failed(&worker, &TrainingController::failed);
    clock.start();
    heartbeat.start(20);

    QTest::mouseClick(panel->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 1 || failed.count() > 0, 180000);
    QVERIFY2(failed.isEmpty(),
             qPrintable(failed.isEmpty() ? QString()
                                         : failed.first().first().value<Error>().toString()));
    const qint64 gapDuringTraining = worstGap;
    QVERIFY2(gapDuringTraining <= 250,
             qPrintable(QStringLiteral("the GUI stalled for %1 ms").arg(gapDuringTraining)));
    QVERIFY(dock.charts()->valMacroF1Series()->count() >= 1);
    QVERIFY(dock.charts()->pointCount() >= 3);
    QVERIFY(panel->progressBar()->maximum() > 0);
    QCOMPARE(dock.matrix()->matrixView()->model()->rowCount(), 3);

    QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 1, 180000);
    QVERIFY(panel->startButton()->isEnabled());
    QCOMPARE(dock.charts()->valMacroF1Series()->count(), 2);
    heartbeat.stop();
    qInfo("worst GUI gap while training: %lld ms", worstGap);
}

QTEST_MAIN(TestTrainingPanelReal)
#include "tst_trainingpanel_real.moc"
