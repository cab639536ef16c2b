// SPDX-License-Identifier: GPL-3.0-or-later
// The training panel against a fake controller: every control maps to its
// TrainConfig field, invalid input keeps Start disabled, Start hands the
// config over, progress fills the bar, buttons follow the run's state, the
// engine's messages reach the progress line and the run's log.

#include "tests/widgets/trainingfake.h"
#include "widgets/prompter.h"
#include "widgets/trainingpanel.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;
using namespace salient::train;

namespace {

/// Changes a control as a person would leave it, by its type.
bool setControl(QWidget *w, const QVariant &value)
{
    if (auto *c = qobject_cast<QComboBox *>(w)) {
        const int i = c->findData(value.toString());
        if (i < 0)
            return false;
        c->setCurrentIndex(i);
    } else if (auto *s = qobject_cast<QSpinBox *>(w)) {
        s->setValue(value.toInt());
    } else if (auto *d = qobject_cast<QDoubleSpinBox *>(w)) {
        d->setValue(value.toDouble());
    } else if (auto *e = qobject_cast<QLineEdit *>(w)) {
        e->clear();
        QTest::keyClicks(e, value.toString());
    } else if (auto *b = qobject_cast<QCheckBox *>(w)) {
        b->setChecked(value.toBool());
    } else {
        return false;
    }
    return true;
}

/// Says yes or no to every question and keeps what it was asked.
class AnsweringPrompter : public Prompter {
public:
    bool confirm(QWidget *, const QString &, const QString &text) override
    {
        asked << text;
        return answer;
    }
    bool answer = false;
    QStringList asked;
};

/// A zip laid out as torch.save / torch.jit.save write them (python3's
/// zipfile, no torch needed): with `code/` it is TorchScript.
bool writeTorchZip(const QString &path, bool scripted)
{
    QProcess python;
    python.start(QStringLiteral("python3"),
                 {QStringLiteral("-c"),
                  QStringLiteral("import sys, zipfile\n"
                                 "z = zipfile.ZipFile(sys.argv[1], 'w')\n"
                                 "z.writestr('m/data.pkl', b'\\x80\\x02}q\\x00.')\n"
                                 "z.writestr('m/version', b'3\\n')\n"
                                 "if sys.argv[2] == '1':\n"
                                 "    z.writestr('m/code/__torch__.py', b'import os\\n')\n"
                                 "    z.writestr('m/constants.pkl', b'\\x80\\x02).')\n"
                                 "z.close()\n"),
                  path, scripted ? QStringLiteral("1") : QStringLiteral("0")});
    return python.waitForFinished(30000) && python.exitCode() == 0;
}

QJsonObject configJson(const TrainingPanel &panel)
{
    return QJsonDocument::fromJson(panel.config().toJson()).object();
}

} // namespace

class TestTrainingPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eachControlMapsToItsField_data();
    void eachControlMapsToItsField();
    void configRoundTrips();
    void invalidInputDisablesStart_data();
    void invalidInputDisablesStart();
    void startHandsTheConfigToTheController();
    void progressFillsBarAndLabels();
    void buttonsFollowTheRun();
    void failureEndsTheRun();
    void threadsShowTheCoreCount();
    void progressLineShowsTheEngineMessage_data();
    void progressLineShowsTheEngineMessage();
    void logCollectsTheRunsMessages();
    void logStaysBoundedOnAFlood();
    void torchScriptWeightsAskFirst();
};

void TestTrainingPanel::eachControlMapsToItsField_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<QVariant>("input");
    QTest::addColumn<QVariant>("expected"); // the value under that key in TrainConfig::toJson
    auto row = [](const char *name, const QVariant &input, const QVariant &expected = {}) {
        QTest::newRow(name) << QString::fromLatin1(name) << input
                            << (expected.isValid() ? expected : input);
    };
    row("model", QStringLiteral("smallcnn"));
    row("weights", QStringLiteral("/tmp/resnet18.pth"));
    row("freeze", QStringLiteral("layer2"));
    row("multi_label", true);
    row("loss", QStringLiteral("focal"));
    row("focal_gamma", 3.5);
    row("class_weighting", QStringLiteral("effective"));
    row("beta", 0.99);
    row("label_smoothing", 0.1);
    row("sampler", QStringLiteral("weighted"));
    row("mix", QStringLiteral("cutmix"));
    row("mix_alpha", 0.4);
    row("mix_probability", 0.3);
    row("optimizer", QStringLiteral("adamw"));
    row("lr", QStringLiteral("0.003"), 0.003);
    row("backbone_lr_factor", 0.5);
    row("momentum", 0.8);
    row("weight_decay", QStringLiteral("5e-4"), 0.0005);
    row("schedule", QStringLiteral("onecycle"));
    row("warmup_epochs", 1.5);
    row("grad_clip", 2.0);
    row("epochs", 7);
    row("max_steps", 500);
    row("batch", 16);
    row("image_size", 96);
    row("patience", 3);
    row("monitor", QStringLiteral("loss"));
    row("seed", 42);
    row("threads", 2);
    row("workers", 3);
    row("cache_bytes", 512, double(qint64(512) << 20)); // the control is in MiB
    row("train_split", QStringLiteral("fit"));
    row("val_split", QStringLiteral("holdout"));
    row("test_split", QStringLiteral("exam"));
    row("val_fraction", 0.2);
}

void TestTrainingPanel::eachControlMapsToItsField()
{
    QFETCH(QString, control);
    QFETCH(QVariant, input);
    QFETCH(QVariant, expected);
    TrainingPanel panel;
    auto *w = panel.findChild<QWidget *>(control);
    QVERIFY2(w, qPrintable(QStringLiteral("no control named %1").arg(control)));
    const QJsonObject before = configJson(panel);
    QVERIFY2(before.value(control) != QJsonValue::fromVariant(expected),
             "the row must change the default");
    QVERIFY(setControl(w, input));
    const QJsonObject after = configJson(panel);
    QCOMPARE(after.value(control).toVariant(), QJsonValue::fromVariant(expected).toVariant());
    // Nothing else moved (multi-label also switches the loss to BCE, on purpose).
    for (const QString &key : before.keys()) {
        if (key == control || (control == QLatin1String("multi_label") && key == QLatin1String("loss")))
            continue;
        QVERIFY2(after.value(key) == before.value(key), qPrintable(key));
    }
}

void TestTrainingPanel::configRoundTrips()
{
    TrainConfig c;
    c.model = QStringLiteral("mobilenet_v3_small");
    c.freeze = FreezePolicy::Head;
    c.weightsFile = QStringLiteral("/x/w.pth");
    c.loss = LossKind::Focal;
    c.focalGamma = 1.5;
    c.sampler = SamplerKind::Weighted;
    c.optimizer = OptimizerKind::AdamW;
    c.learningRate = 3e-4;
    c.weightDecay = 0.05;
    c.schedule = ScheduleKind::OneCycle;
    c.epochs = 12;
    c.batchSize = 8;
    c.imageSize = 160;
    c.earlyStoppingPatience = 4;
    c.monitor = Metric::Accuracy;
    c.seed = 99;
    c.threads = 3;
    c.cacheBytes = qint64(256) << 20;
    c.augmentRecipe = R"({"transforms":[]})";
    TrainingPanel panel;
    panel.setConfig(c);
    QCOMPARE(QString::fromUtf8(panel.config().toJson()), QString::fromUtf8(c.toJson()));
}

void TestTrainingPanel::invalidInputDisablesStart_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<QVariant>("bad");
    QTest::addColumn<QVariant>("good");
    QTest::newRow("learning rate is not a number") << "lr" << QVariant(QStringLiteral("fast"))
                                                   << QVariant(QStringLiteral("0.01"));
    QTest::newRow("negative learning rate") << "lr" << QVariant(QStringLiteral("-0.1"))
                                            << QVariant(QStringLiteral("0.1"));
    QTest::newRow("weight decay is not a number")
        << "weight_decay" << QVariant(QStringLiteral("1e-")) << QVariant(QStringLiteral("1e-4"));
    QTest::newRow("BCE without multi-label") << "loss" << QVariant(QStringLiteral("bce"))
                                             << QVariant(QStringLiteral("ce"));
    QTest::newRow("weights file missing") << "weights"
                                          << QVariant(QStringLiteral("/nonexistent/w.pth"))
                                          << QVariant(QString());
    QTest::newRow("empty training split") << "train_split" << QVariant(QString())
                                          << QVariant(QStringLiteral("train"));
}

void TestTrainingPanel::invalidInputDisablesStart()
{
    QFETCH(QString, control);
    QFETCH(QVariant, bad);
    QFETCH(QVariant, good);
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a"), QStringLiteral("b")});
    QVERIFY(panel.startButton()->isEnabled());
    QVERIFY(panel.errorLabel()->isHidden());

    auto *w = panel.findChild<QWidget *>(control);
    QVERIFY(w);
    QVERIFY(setControl(w, bad));
    QVERIFY(!panel.startButton()->isEnabled());
    QVERIFY(!panel.errorLabel()->isHidden());
    QVERIFY(!panel.errorLabel()->text().isEmpty());
    QCOMPARE(panel.errorLabel()->text(), panel.validationMessage());
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QCOMPARE(fake.starts, 0);

    QVERIFY(setControl(w, good));
    QVERIFY2(panel.startButton()->isEnabled(), qPrintable(panel.errorLabel()->text()));
    QVERIFY(panel.errorLabel()->isHidden());
}

void TestTrainingPanel::startHandsTheConfigToTheController()
{
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    QVERIFY(!panel.startButton()->isEnabled()); // no project yet
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a"), QStringLiteral("b")});
    QVERIFY(setControl(panel.findChild<QWidget *>(QStringLiteral("epochs")), 3));
    QVERIFY(setControl(panel.findChild<QWidget *>(QStringLiteral("lr")), QStringLiteral("0.05")));
    QVERIFY(setControl(panel.findChild<QWidget *>(QStringLiteral("run_name")),
                       QStringLiteral("first try")));
    QSignalSpy requested(&panel, &TrainingPanel::startRequested);
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QCOMPARE(fake.starts, 1);
    QCOMPARE(requested.count(), 1);
    QCOMPARE(fake.lastProject, QStringLiteral("/tmp/p.salient"));
    QCOMPARE(fake.lastName, QStringLiteral("first try"));
    QCOMPARE(fake.lastConfig.epochs, 3);
    QCOMPARE(fake.lastConfig.learningRate, 0.05);
    QVERIFY(fake.lastConfig == panel.config());
    // A second click does nothing while the first run starts.
    QVERIFY(!panel.startButton()->isEnabled());
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QCOMPARE(fake.starts, 1);
}

void TestTrainingPanel::progressFillsBarAndLabels()
{
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a")});
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    fake.emitStarted(7);
    QCOMPARE(panel.currentRunId(), qint64(7));

    TrainProgress p;
    p.phase = TrainProgress::Phase::Training;
    p.runId = 7;
    p.epoch = 2;
    p.epochs = 5;
    p.batch = 10;
    p.batchesPerEpoch = 20;
    p.step = 30;
    p.totalSteps = 100;
    p.loss = 0.6931;
    p.accuracy = 0.5;
    p.imagesPerSecond = 123.4;
    p.etaSeconds = 75;
    p.threads = 4;
    p.device = QStringLiteral("cpu");
    Q_EMIT fake.progress(p);
    QCOMPARE(panel.progressBar()->maximum(), 100);
    QCOMPARE(panel.progressBar()->value(), 30);
    const QString bar = panel.progressBar()->text();
    QVERIFY2(bar.contains(QStringLiteral("Epoch 2 of 5")), qPrintable(bar));
    QVERIFY2(bar.contains(QStringLiteral("step 30 of 100")), qPrintable(bar));
    QVERIFY2(bar.contains(QStringLiteral("1:15")), qPrintable(bar)); // the ETA
    const QString details = panel.detailsLabel()->text();
    QVERIFY2(details.contains(QStringLiteral("123.4 images/s")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("4 threads")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("cpu")), qPrintable(details));
    const QString status = panel.statusLabel()->text();
    QVERIFY2(status.contains(QStringLiteral("batch 10 of 20")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("0.6931")), qPrintable(status));

    // Without an estimate yet, no ETA is made up.
    p.etaSeconds = -1;
    Q_EMIT fake.progress(p);
    QVERIFY(!panel.progressBar()->text().contains(QStringLiteral("left")));
}

void TestTrainingPanel::buttonsFollowTheRun()
{
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a")});
    auto states = [&]() {
        return QString::fromLatin1("%1%2%3")
            .arg(panel.startButton()->isEnabled() ? 'S' : '-')
            .arg(panel.pauseButton()->isEnabled() ? 'P' : '-')
            .arg(panel.cancelButton()->isEnabled() ? 'C' : '-');
    };
    QCOMPARE(states(), QStringLiteral("S--"));
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QCOMPARE(states(), QStringLiteral("--C")); // starting: nothing to pause yet
    fake.emitStarted(1);
    QCOMPARE(states(), QStringLiteral("-PC"));
    QCOMPARE(panel.pauseButton()->text().remove(QLatin1Char('&')), QStringLiteral("Pause"));

    QTest::mouseClick(panel.pauseButton(), Qt::LeftButton);
    QCOMPARE(fake.pauses, 1);
    QCOMPARE(panel.pauseButton()->text().remove(QLatin1Char('&')), QStringLiteral("Resume"));
    QCOMPARE(states(), QStringLiteral("-PC"));
    QTest::mouseClick(panel.pauseButton(), Qt::LeftButton);
    QCOMPARE(fake.unpauses, 1);
    QCOMPARE(panel.pauseButton()->text().remove(QLatin1Char('&')), QStringLiteral("Pause"));

    QTest::mouseClick(panel.cancelButton(), Qt::LeftButton);
    QCOMPARE(fake.cancels, 1);
    QCOMPARE(states(), QStringLiteral("---")); // stopping: wait for the checkpoint
    fake.emitFinished(RunState::Cancelled);
    QCOMPARE(states(), QStringLiteral("S--"));
    QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("cancelled")));

    // A run that finishes by itself frees the panel too.
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    fake.emitStarted(2);
    fake.emitFinished();
    QCOMPARE(states(), QStringLiteral("S--"));
    QCOMPARE(panel.progressBar()->value(), panel.progressBar()->maximum());
}

void TestTrainingPanel::failureEndsTheRun()
{
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a")});
    QSignalSpy ended(&panel, &TrainingPanel::runEnded);
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    Q_EMIT fake.failed(makeError(Error::Code::Io, QStringLiteral("cannot read the weights"),
                                 QStringLiteral("/w.pth")));
    QVERIFY(panel.startButton()->isEnabled());
    QVERIFY(!panel.cancelButton()->isEnabled());
    QVERIFY(panel.statusLabel()->text().contains(QStringLiteral("/w.pth: cannot read the weights")));
    QCOMPARE(ended.count(), 1);
}

void TestTrainingPanel::threadsShowTheCoreCount()
{
    TrainingPanel panel;
    auto *threads = panel.findChild<QSpinBox *>(QStringLiteral("threads"));
    QVERIFY(threads);
    QCOMPARE(threads->value(), 0);
    QVERIFY(threads->text().contains(QString::number(QThread::idealThreadCount())));
    auto *size = panel.findChild<QSpinBox *>(QStringLiteral("image_size"));
    QVERIFY(size->text().contains(QStringLiteral("224")));
    QVERIFY(setControl(panel.findChild<QWidget *>(QStringLiteral("model")), QStringLiteral("smallcnn")));
    QVERIFY(size->text().contains(QStringLiteral("64")));
}

void TestTrainingPanel::progressLineShowsTheEngineMessage_data()
{
    QTest::addColumn<int>("phase");
    QTest::addColumn<int>("epoch");
    QTest::addColumn<qint64>("totalSteps");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QStringList>("expected"); // all in the bar's text
    QTest::addColumn<QStringList>("absent");
    const QString cache = QStringLiteral("decoding 1,200 of 3,000 images into the cache");
    QTest::newRow("filling the cache, steps not planned yet")
        << int(TrainProgress::Phase::Preparing) << 0 << qint64(0) << cache
        << QStringList{QStringLiteral("Preparing"), cache} << QStringList{QStringLiteral("Epoch")};
    QTest::newRow("filling the cache before epoch 1, steps planned")
        << int(TrainProgress::Phase::Preparing) << 0 << qint64(100) << cache
        << QStringList{QStringLiteral("Preparing"), cache}
        << QStringList{QStringLiteral("Epoch 0")};
    QTest::newRow("a message during an epoch keeps epoch and step")
        << int(TrainProgress::Phase::Training) << 2 << qint64(100)
        << QStringLiteral("3 unreadable images skipped")
        << QStringList{QStringLiteral("Epoch 2 of 5"), QStringLiteral("step 30 of 100"),
                       QStringLiteral("3 unreadable images skipped")}
        << QStringList{};
    QTest::newRow("no message: epoch and step only")
        << int(TrainProgress::Phase::Training) << 2 << qint64(100) << QString()
        << QStringList{QStringLiteral("Epoch 2 of 5")} << QStringList{QStringLiteral("decoding")};
}

void TestTrainingPanel::progressLineShowsTheEngineMessage()
{
    QFETCH(int, phase);
    QFETCH(int, epoch);
    QFETCH(qint64, totalSteps);
    QFETCH(QString, message);
    QFETCH(QStringList, expected);
    QFETCH(QStringList, absent);
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a")});
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    fake.emitStarted(3);

    // An earlier message must not linger once the engine stops sending it.
    TrainProgress before;
    before.phase = TrainProgress::Phase::Preparing;
    before.message = QStringLiteral("decoding 10 of 3,000 images into the cache");
    Q_EMIT fake.progress(before);

    TrainProgress p;
    p.phase = TrainProgress::Phase(phase);
    p.runId = 3;
    p.epoch = epoch;
    p.epochs = 5;
    p.step = epoch > 0 ? 30 : 0;
    p.totalSteps = totalSteps;
    p.message = message;
    Q_EMIT fake.progress(p);
    // QProgressBar::text() is what the bar draws; a busy bar (0..0) draws none.
    const QString bar = panel.progressBar()->text();
    for (const QString &e : expected)
        QVERIFY2(bar.contains(e), qPrintable(bar));
    for (const QString &e : absent)
        QVERIFY2(!bar.contains(e), qPrintable(bar));
}

void TestTrainingPanel::logCollectsTheRunsMessages()
{
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a")});
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(!panel.logArea()->isVisible()); // nothing to say yet

    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    fake.emitStarted(4);
    const QString first = QStringLiteral("/data/cat 1.png: cannot decode (skipped)");
    const QString second = QStringLiteral("img_7.jpg: 2 classes on a single-label run (left out)");
    Q_EMIT fake.logged(first);
    Q_EMIT fake.logged(second);
    QVERIFY(panel.logArea()->isVisible());
    QCOMPARE(panel.logView()->toPlainText(), first + QLatin1Char('\n') + second);
    QVERIFY2(panel.logTitle()->text().contains(QLatin1Char('2')), qPrintable(panel.logTitle()->text()));
    // Readable and copyable, not editable.
    QVERIFY(panel.logView()->isReadOnly());
    QVERIFY(panel.logView()->textInteractionFlags() & Qt::TextSelectableByMouse);
    QClipboard *clipboard = QGuiApplication::clipboard();
    QVERIFY(clipboard);
    clipboard->setText(QStringLiteral("something else"));
    QTest::mouseClick(panel.copyLogButton(), Qt::LeftButton);
    QCOMPARE(clipboard->text(), first + QLatin1Char('\n') + second);

    // The lines stay readable after the run ends ...
    fake.emitFinished();
    QVERIFY(panel.logArea()->isVisible());
    QVERIFY(panel.logView()->toPlainText().contains(first));
    // ... and the next run starts with an empty log.
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QVERIFY(panel.logView()->toPlainText().isEmpty());
    QVERIFY(!panel.logArea()->isVisible());
    fake.emitStarted(5);
    Q_EMIT fake.logged(QStringLiteral("only this one"));
    QCOMPARE(panel.logView()->toPlainText(), QStringLiteral("only this one"));

    // A run resumed elsewhere (the Runs list) does not inherit these lines.
    fake.emitFinished();
    fake.emitStarted(6);
    QVERIFY(panel.logView()->toPlainText().isEmpty());
}

void TestTrainingPanel::logStaysBoundedOnAFlood()
{
    test::FakeController fake;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a")});
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    fake.emitStarted(8);
    const int lines = 5000; // a folder of broken files, one line each
    for (int i = 0; i < lines; ++i)
        Q_EMIT fake.logged(QStringLiteral("bad_%1.png: cannot decode (skipped)").arg(i));
    QVERIFY(panel.logView()->blockCount() < lines);
    // The newest lines are the ones kept, and the title tells the true count.
    QVERIFY(panel.logView()->toPlainText().endsWith(QStringLiteral("bad_4999.png: cannot decode (skipped)")));
    QVERIFY(!panel.logView()->toPlainText().contains(QStringLiteral("bad_0.png")));
    QVERIFY2(panel.logTitle()->text().contains(QLocale().toString(lines)),
             qPrintable(panel.logTitle()->text()));
}

void TestTrainingPanel::torchScriptWeightsAskFirst()
{
    QTemporaryDir dir;
    const QString scripted = dir.filePath(QStringLiteral("backbone-script.pt"));
    const QString plain = dir.filePath(QStringLiteral("backbone.pth"));
    QVERIFY(writeTorchZip(scripted, true));
    QVERIFY(writeTorchZip(plain, false));

    test::FakeController fake;
    AnsweringPrompter prompter;
    TrainingPanel panel;
    panel.setController(&fake);
    panel.setPrompter(&prompter);
    panel.setProject(QStringLiteral("/tmp/p.salient"), {QStringLiteral("a"), QStringLiteral("b")});
    auto *weights = panel.findChild<QWidget *>(QStringLiteral("weights"));
    QVERIFY(weights);

    // A plain state_dict starts without a question and without trust.
    QVERIFY(setControl(weights, plain));
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QCOMPARE(fake.starts, 1);
    QVERIFY(prompter.asked.isEmpty());
    QVERIFY(!fake.lastConfig.trustTorchScript);
    fake.emitStarted(1);
    fake.emitFinished(); // back to idle
    QTRY_VERIFY(panel.startButton()->isEnabled());

    // TorchScript: the person is warned, naming the file; "no" starts nothing.
    QVERIFY(setControl(weights, scripted));
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QCOMPARE(prompter.asked.size(), 1);
    QVERIFY(prompter.asked.first().contains(QStringLiteral("backbone-script.pt")));
    QVERIFY(prompter.asked.first().contains(QStringLiteral("code")));
    QCOMPARE(fake.starts, 1);
    QVERIFY(panel.startButton()->isEnabled());

    // "Yes" starts the run with the trust recorded for the engine.
    prompter.answer = true;
    QTest::mouseClick(panel.startButton(), Qt::LeftButton);
    QCOMPARE(prompter.asked.size(), 2);
    QCOMPARE(fake.starts, 2);
    QVERIFY(fake.lastConfig.trustTorchScript);
}

QTEST_MAIN(TestTrainingPanel)
#include "tst_trainingpanel.moc"
