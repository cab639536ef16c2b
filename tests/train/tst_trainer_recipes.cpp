// SPDX-License-Identifier: GPL-3.0-or-later
// The training recipes through runTraining itself (not only the loader):
// gradient clipping bounds each step, MixUp / CutMix batches are reported as
// mixed and the network still learns, the weighted sampler lifts the rare
// class, and the engine says what it is doing in its long silent phases.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/checkpoint.h"
#include "core/train/evaluate.h"
#include "core/train/trainer.h"
#include "tests/train/trainerfixture.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace salient;
using namespace salient::train;

namespace {

QString errorText(const Result<TrainOutcome> &r)
{
    return r.ok() ? QString() : r.error().toString();
}

/// The L2 distance between the parameters (not the BatchNorm statistics) of two models.
double parameterDistance(ClassifierNet &a, ClassifierNet &b)
{
    torch::NoGradGuard noGrad;
    double sum = 0;
    const auto pa = a.named_parameters(true);
    const auto pb = b.named_parameters(true);
    for (const auto &p : pa) {
        const torch::Tensor d = p.value().to(torch::kDouble) - pb[p.key()].to(torch::kDouble);
        sum += d.pow(2).sum().item<double>();
    }
    return std::sqrt(sum);
}

} // namespace

class TrainerRecipesTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;
    QString m_imbalanced;

    Result<TrainOutcome> train(const QString &project, const TrainConfig &config,
                               const TrainObserver &observer = {})
    {
        TrainRequest r;
        r.projectFile = project;
        r.config = config;
        r.evaluateTest = false;
        return runTraining(r, observer);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("balanced")));
        QVERIFY(!m_project.isEmpty());
        test::TinySpec rare;
        rare.trainPerClass = {40, 40, 5};
        rare.valPerClass = 12;
        rare.testPerClass = 0;
        m_imbalanced = test::makeTinyProject(m_dir.filePath(QStringLiteral("imbalanced")), rare);
        QVERIFY(!m_imbalanced.isEmpty());
    }

    void gradientClippingBoundsEveryStep_data()
    {
        QTest::addColumn<double>("clip");
        QTest::addColumn<int>("steps");
        QTest::newRow("one step clipped at 0.01 moves exactly lr x 0.01") << 0.01 << 1;
        QTest::newRow("three steps clipped at 0.01 move at most 3 lr x 0.01") << 0.01 << 3;
        QTest::newRow("one step unclipped moves far more") << 0.0 << 1;
    }

    void gradientClippingBoundsEveryStep()
    {
        QFETCH(double, clip);
        QFETCH(int, steps);
        TrainConfig config = test::tinyConfig(1, 1);
        config.momentum = 0;  // plain SGD: a step is lr x the (clipped) gradient
        config.weightDecay = 0;
        config.schedule = ScheduleKind::Constant;
        config.gradClipNorm = clip;
        config.maxSteps = steps;
        auto out = train(m_project, config);
        QVERIFY2(out.ok(), qPrintable(errorText(out)));
        QCOMPARE(out->steps, qint64(steps));

        auto before = buildModel(config, 3); // the run's seeded initial weights
        QVERIFY(before.ok());
        auto store = ProjectStore::open(m_project);
        QVERIFY(store.ok());
        RunStore runs(**store);
        auto last = runs.checkpoint(out->runId, QStringLiteral("last"));
        QVERIFY(last.ok());
        auto after = makeModel("smallcnn", 3);
        QVERIFY(loadCheckpoint(last->data, *after, nullptr, nullptr, QStringLiteral("test")).ok());
        const double moved = parameterDistance(**before, *after);
        const double bound = config.learningRate * 0.01; // one clipped step
        qInfo("%d step(s), clip %g: parameters moved %.3g (lr x 0.01 = %.3g)", steps, clip, moved,
              bound);
        if (clip <= 0) {
            // The tiny project's gradients are far larger than 0.01, so the
            // clipped rows above really are clipped.
            QVERIFY2(moved > 10 * bound, qPrintable(QString::number(moved)));
        } else if (steps == 1) {
            QVERIFY2(std::abs(moved - bound) < 0.02 * bound, qPrintable(QString::number(moved)));
        } else {
            QVERIFY2(moved <= steps * bound * 1.02, qPrintable(QString::number(moved)));
            QVERIFY2(moved > bound, qPrintable(QString::number(moved)));
        }
    }

    void mixedBatchesAreReportedAndStillLearn_data()
    {
        QTest::addColumn<int>("mix");
        QTest::newRow("MixUp on every batch") << int(MixKind::MixUp);
        QTest::newRow("CutMix on every batch") << int(MixKind::CutMix);
        QTest::newRow("no mixing") << int(MixKind::None);
    }

    void mixedBatchesAreReportedAndStillLearn()
    {
        QFETCH(int, mix);
        TrainConfig config = test::tinyConfig(8, 1);
        config.mix = MixKind(mix);
        config.mixProbability = 1.0;
        config.mixAlpha = 0.4;
        QVector<EpochSummary> epochs;
        QVector<TrainProgress> progress;
        TrainObserver observer;
        observer.epochFinished = [&](const EpochSummary &e) { epochs << e; };
        observer.progress = [&](const TrainProgress &p) { progress << p; };
        auto out = train(m_project, config, observer);
        QVERIFY2(out.ok(), qPrintable(errorText(out)));
        QCOMPARE(epochs.size(), 8);
        const bool mixed = MixKind(mix) != MixKind::None;
        for (const EpochSummary &e : epochs) {
            // A mixed batch has no single right answer: training accuracy is
            // not reported (-1) when every batch was mixed.
            QCOMPARE(e.record.trainAccuracy < 0, mixed);
            QVERIFY(e.record.trainLoss > 0);
        }
        for (const TrainProgress &p : progress)
            if (p.phase == TrainProgress::Phase::Training)
                QCOMPARE(p.accuracy < 0, mixed);
        qInfo("%s: train loss %.3f -> %.3f, validation accuracy %.3f",
              qPrintable(mixName(MixKind(mix))), epochs.first().record.trainLoss,
              epochs.last().record.trainLoss, out->bestValidation.accuracy);
        QVERIFY(epochs.last().record.trainLoss < epochs.first().record.trainLoss);
        QVERIFY2(out->bestValidation.accuracy > 0.6,
                 qPrintable(QString::number(out->bestValidation.accuracy))); // chance: 0.33
    }

    void weightedSamplerLiftsTheRareClass()
    {
        // 40 / 40 / 5 training images: shuffled, one image in 17 is a disc; the
        // weighted sampler draws the disc class about a third of the time.
        auto rareRecall = [this](SamplerKind sampler, double *rareProbability) {
            TrainConfig config = test::tinyConfig(4, 1);
            config.sampler = sampler;
            config.monitor = Metric::Loss;
            auto out = train(m_imbalanced, config);
            if (!out.ok()) {
                qWarning("%s", qPrintable(errorText(out)));
                return -1.0;
            }
            auto store = ProjectStore::open(m_imbalanced);
            RunStore runs(**store);
            auto predictions = runs.predictions(out->runId, RunRole::Validation);
            double sum = 0;
            int n = 0;
            for (const Prediction &p : predictions.value())
                if (p.truth.value(0) == 2) {
                    sum += p.probabilities.value(2);
                    ++n;
                }
            *rareProbability = n > 0 ? sum / n : -1;
            return out->bestValidation.perClass.value(2).recall;
        };
        double shuffledP = 0, weightedP = 0;
        const double shuffled = rareRecall(SamplerKind::Shuffle, &shuffledP);
        const double weighted = rareRecall(SamplerKind::Weighted, &weightedP);
        qInfo("rare class: recall %.2f -> %.2f, mean probability %.3f -> %.3f (shuffle -> weighted)",
              shuffled, weighted, shuffledP, weightedP);
        QVERIFY(shuffled >= 0 && weighted >= 0);
        QVERIFY2(weightedP > shuffledP + 0.1, qPrintable(QString::number(weightedP)));
        QVERIFY2(weighted > shuffled, qPrintable(QString::number(weighted)));
    }

    void longPhasesSayWhatTheyDo()
    {
        TrainConfig config = test::tinyConfig(2, 1);
        config.cacheBytes = 64 << 20; // the first epoch fills the decode cache
        config.batchSize = 6;
        QVector<TrainProgress> progress;
        TrainObserver observer;
        observer.progress = [&](const TrainProgress &p) {
            progress << p;
            if (p.phase == TrainProgress::Phase::Training)
                QThread::msleep(110); // so that every batch reports
        };
        TrainRequest r;
        r.projectFile = m_project;
        r.config = config;
        auto out = runTraining(r, observer);
        QVERIFY2(out.ok(), qPrintable(errorText(out)));
        auto messages = [&](TrainProgress::Phase phase, int epoch = 0) {
            QStringList m;
            for (const TrainProgress &p : progress)
                if (p.phase == phase && (epoch == 0 || p.epoch == epoch))
                    m << p.message;
            return m;
        };
        const QStringList first = messages(TrainProgress::Phase::Training, 1);
        QVERIFY(!first.isEmpty());
        // 72 training images: the count rises while the workers decode ahead.
        const QRegularExpression filling(QStringLiteral("^decoding (\\d+) of 72 images into the cache$"));
        int reports = 0, lastCount = 0;
        for (const QString &m : first) {
            const auto match = filling.match(m);
            if (!match.hasMatch())
                continue;
            const int count = match.captured(1).toInt();
            QVERIFY2(count >= lastCount && count < 72, qPrintable(m));
            lastCount = count;
            ++reports;
        }
        QVERIFY2(reports >= 2, qPrintable(first.join(QStringLiteral(" | "))));
        // Once every image is cached the loader has nothing slow left to say.
        for (const QString &m : messages(TrainProgress::Phase::Training, 2))
            QVERIFY2(m.isEmpty(), qPrintable(m));
        QVERIFY(messages(TrainProgress::Phase::Preparing).contains(QStringLiteral("building smallcnn")));
        QVERIFY(messages(TrainProgress::Phase::Validating)
                    .contains(QStringLiteral("validating on 24 images")));
        QVERIFY(messages(TrainProgress::Phase::Testing)
                    .contains(QStringLiteral("evaluating the best model on 24 test images")));
        QVERIFY(messages(TrainProgress::Phase::Saving).contains(QStringLiteral("saving the checkpoint")));
        QCOMPARE(progress.last().phase, TrainProgress::Phase::Done);
        QVERIFY(progress.last().message.isEmpty());

        QStringList evaluating;
        TrainObserver evalObserver;
        evalObserver.progress = [&](const TrainProgress &p) { evaluating << p.message; };
        auto metrics = evaluateRun(m_project, out->runId, QStringLiteral("test"), evalObserver,
                                   nullptr, 1);
        QVERIFY(metrics.ok());
        QVERIFY2(evaluating.contains(QStringLiteral("evaluating run %1 on 24 test images").arg(out->runId)),
                 qPrintable(evaluating.join(QStringLiteral(" | "))));
    }
};

QTEST_GUILESS_MAIN(TrainerRecipesTest)
#include "tst_trainer_recipes.moc"
