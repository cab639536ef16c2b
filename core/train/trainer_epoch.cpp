// SPDX-License-Identifier: GPL-3.0-or-later
// The end of an epoch (validation, best-so-far, checkpoint, record) and the
// end of a run (the best checkpoint on validation and test).
#include "core/train/layout.h"
#include "core/train/trainer_session.h"

#include <QLocale>

#include <cmath>

namespace salient::train::detail {

namespace {

/// Higher is better for accuracy and macro-F1, lower for loss.
bool improves(Metric monitor, double value, double best, bool haveBest)
{
    if (!haveBest)
        return true;
    return monitor == Metric::Loss ? value < best : value > best;
}

double monitored(Metric monitor, const EvalMetrics &m)
{
    switch (monitor) {
    case Metric::Loss:
        return m.loss;
    case Metric::Accuracy:
        return m.accuracy;
    case Metric::MacroF1:
        return m.macroF1;
    }
    return m.macroF1;
}

QString imagesText(qint64 n, const QString &what)
{
    return QStringLiteral("%1 %2 images").arg(QLocale(QLocale::English).toString(n), what);
}

} // namespace

void finishOutcome(Session &s, TrainOutcome &outcome)
{
    outcome.runId = s.runId;
    outcome.steps = s.state.step;
    outcome.classNames = s.data.classNames;
    outcome.weightsDigest = weightsDigest(*s.model);
    if (outcome.bestValidation.numClasses == 0)
        outcome.bestValidation = s.bestMetrics;
}

Status evaluateBest(Session &s, DataLoader *valLoader, const AugmentRecipe &recipe,
                    TrainOutcome &outcome)
{
    const bool doTest = s.request.evaluateTest && !s.data.test.isEmpty();
    if (s.bestBlob.isEmpty() || (!valLoader && !doTest))
        return {};
    s.announce(TrainProgress::Phase::Testing, QStringLiteral("loading the best checkpoint"));
    auto best = makeModel(s.config.model.toStdString(), s.numClasses());
    applyPreferredLayout(*best);
    TrainState bestState;
    SALIENT_TRY(loadCheckpoint(s.bestBlob, *best, nullptr, &bestState,
                               QStringLiteral("run %1").arg(s.runId)));
    const int c = s.numClasses();
    const bool multi = s.config.multiLabel;
    QVector<Prediction> rows;
    if (valLoader) {
        s.announce(TrainProgress::Phase::Testing,
                   QStringLiteral("evaluating the best model on %1")
                       .arg(imagesText(s.data.validation.size(), QStringLiteral("validation"))));
        const PredictionSet set = predict(*best, *valLoader, s.loss);
        outcome.bestValidation = metricsOf(set, c, multi, bestState.thresholds);
        rows << predictionRows(set, c, multi, RunRole::Validation, bestState.thresholds);
    }
    if (doTest) {
        s.announce(TrainProgress::Phase::Testing,
                   QStringLiteral("evaluating the best model on %1")
                       .arg(imagesText(s.data.test.size(), QStringLiteral("test"))));
        DataLoader testLoader(s.data.test, evalLoaderOptions(s.config, c, recipe));
        const PredictionSet set = predict(*best, testLoader, s.loss);
        outcome.test = metricsOf(set, c, multi, bestState.thresholds);
        rows << predictionRows(set, c, multi, RunRole::Test, bestState.thresholds);
        if (s.writer)
            SALIENT_TRY(s.runs->setTestMetrics(s.runId, outcome.test.toJson(s.data.classNames)));
    }
    if (s.writer) {
        s.announce(TrainProgress::Phase::Saving, QStringLiteral("saving the predictions"));
        SALIENT_TRY(s.runs->savePredictions(s.runId, rows));
    }
    s.progress.message.clear();
    return {};
}

Result<bool> finishEpoch(Session &s, DataLoader *valLoader, double seconds, TrainOutcome &outcome)
{
    std::vector<double> sums{s.state.lossSum, s.state.seen, s.state.correct, s.state.accuracySeen};
    SALIENT_TRY(s.comm->allReduceSum(sums));
    EpochRecord rec;
    rec.epoch = s.state.epoch;
    rec.step = s.state.step;
    rec.trainLoss = sums[1] > 0 ? sums[0] / sums[1] : -1;
    rec.trainAccuracy = sums[3] > 0 ? sums[2] / sums[3] : -1;
    if (s.progress.learningRate <= 0 && s.state.step > 0) // resumed at an epoch's end: no batch ran
        s.progress.learningRate =
            s.config.learningRate
            * scheduleFactor(s.config.schedule, s.state.step - 1, s.progress.totalSteps,
                             qint64(std::llround(s.config.warmupEpochs
                                                 * double(s.progress.batchesPerEpoch))));
    rec.learningRate = s.progress.learningRate;
    rec.seconds = seconds;
    rec.imagesPerSecond = seconds > 0 ? sums[1] / seconds : -1;

    EvalMetrics val;
    const int c = s.numClasses();
    if (valLoader) {
        s.announce(TrainProgress::Phase::Validating,
                   QStringLiteral("validating on %1")
                       .arg(imagesText(s.data.validation.size(), QString()).simplified()));
        // Asked before every validation batch on every rank (they all validate
        // the whole set), so a cancel stops all of them at the same point.
        Status agreement;
        const PredictionSet set = predict(*s.model, *valLoader, s.loss, [&] {
            auto cancel = cancelAgreed(s);
            if (!cancel.ok()) {
                agreement = cancel.error();
                return true;
            }
            return cancel.value();
        });
        SALIENT_TRY(agreement);
        if (set.cancelled) {
            SALIENT_TRY(cancelRun(s, outcome));
            return false;
        }
        if (s.config.multiLabel)
            s.state.thresholds = tuneThresholds(set.probs, set.targets, c);
        val = metricsOf(set, c, s.config.multiLabel, s.state.thresholds);
        rec.valLoss = val.loss;
        rec.valAccuracy = val.accuracy;
        rec.valMacroF1 = val.macroF1;
        rec.valMetrics = val.toJson(s.data.classNames);
    }
    // Without validation every epoch is the best: the last weights are kept.
    const double value = valLoader ? monitored(s.config.monitor, val) : rec.trainLoss;
    const bool isBest =
        !valLoader || improves(s.config.monitor, value, s.state.bestValue, s.state.bestEpoch > 0);
    if (isBest) {
        s.state.bestEpoch = s.state.epoch;
        s.state.bestValue = value;
        s.state.epochsSinceBest = 0;
        s.bestMetrics = val;
    } else {
        ++s.state.epochsSinceBest;
    }
    s.state.epochComplete = true;
    s.announce(TrainProgress::Phase::Saving, QStringLiteral("saving the checkpoint"));
    auto blob = snapshot(s);
    if (!blob.ok())
        return blob.error();
    if (isBest)
        s.bestBlob = blob.value();
    if (s.writer)
        SALIENT_TRY(s.runs->recordEpoch(
            s.runId, rec,
            Checkpoint{s.state.epoch, s.state.step, s.state.batchInEpoch, blob.value()}, isBest,
            s.state.bestValue, isBest ? rec.valMetrics : QByteArray()));
    s.progress.message.clear();
    outcome.epochsDone = s.state.epoch;
    if (s.observer.epochFinished) {
        EpochSummary summary;
        summary.runId = s.runId;
        summary.record = rec;
        summary.validation = val;
        summary.classNames = s.data.classNames;
        summary.isBest = isBest;
        s.observer.epochFinished(summary);
    }
    return true;
}

} // namespace salient::train::detail
