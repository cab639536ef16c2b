// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli eval` (a run's best model on a split, per class) and
// `salient-cli runs` (the runs kept in a project).
#include "app/cli/commands.h"
#include "app/cli/trainshared.h"

#include "core/runs/trainconfig.h"
#include "core/train/trainer.h"

#include <QCommandLineParser>
#include <QJsonArray>

#include <atomic>
#include <csignal>

namespace salient::cli {

using namespace salient::train;

namespace {

std::atomic<int> g_evalControl{int(Control::Run)};

extern "C" void onEvalInterrupt(int)
{
    g_evalControl.store(int(Control::Cancel));
    std::signal(SIGINT, SIG_DFL);
}

QString padded(const QString &s, int width, bool right = true)
{
    return right ? s.rightJustified(width) : s.leftJustified(width);
}

QString metricsTable(const EvalMetrics &m, const QStringList &names)
{
    int nameWidth = 5;
    for (const QString &n : names)
        nameWidth = std::max(nameWidth, int(n.size()));
    QString t = padded(QStringLiteral("class"), nameWidth, false)
        + QStringLiteral("  precision  recall      f1  support     auc")
        + (m.multiLabel ? QStringLiteral("  threshold\n") : QStringLiteral("\n"));
    for (int c = 0; c < m.perClass.size(); ++c) {
        const ClassMetrics &k = m.perClass[c];
        t += padded(names.value(c, QString::number(c)), nameWidth, false) + QStringLiteral("  ")
            + padded(decimal(k.precision), 9) + padded(decimal(k.recall), 8) + padded(decimal(k.f1), 8)
            + padded(QString::number(k.support), 9) + padded(decimal(k.auc), 8)
            + (m.multiLabel ? padded(decimal(k.threshold), 11) : QString()) + QLatin1Char('\n');
    }
    // The confusion matrix while it still fits a terminal.
    if (!m.confusion.isEmpty() && m.confusion.size() <= 12) {
        t += QStringLiteral("\nconfusion (rows: truth, columns: predicted, in class order)\n");
        for (int r = 0; r < m.confusion.size(); ++r) {
            t += padded(names.value(r, QString::number(r)), nameWidth, false);
            for (qint64 n : m.confusion[r])
                t += padded(QString::number(n), 7);
            t += QLatin1Char('\n');
        }
    }
    return t;
}

QJsonObject metricsJson(const EvalMetrics &m, const QStringList &names)
{
    QJsonObject perClass;
    for (int c = 0; c < m.perClass.size(); ++c) {
        const ClassMetrics &k = m.perClass[c];
        QJsonObject o{{QStringLiteral("precision"), k.precision},
                      {QStringLiteral("recall"), k.recall},
                      {QStringLiteral("f1"), k.f1},
                      {QStringLiteral("support"), k.support},
                      {QStringLiteral("auc"), measured(k.auc)}};
        if (m.multiLabel)
            o.insert(QStringLiteral("threshold"), k.threshold);
        perClass.insert(names.value(c, QString::number(c)), o);
    }
    return QJsonObject{{QStringLiteral("samples"), m.samples},
                       {QStringLiteral("accuracy"), m.accuracy},
                       {QStringLiteral("macro_f1"), m.macroF1},
                       {QStringLiteral("macro_auc"), measured(m.macroAuc)},
                       {QStringLiteral("ece"), m.ece},
                       {QStringLiteral("per_class"), perClass}};
}

} // namespace

int runEval(const QStringList &args)
{
    const QString cmd = QStringLiteral("eval");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("run"), QStringLiteral("The run (id or name) whose best model is evaluated."), QStringLiteral("RUN")});
    parser.addOption({QStringLiteral("split"), QStringLiteral("test, val or train (default test)."), QStringLiteral("SPLIT"), QStringLiteral("test")});
    addThreadsOption(parser, QStringLiteral("LibTorch threads"));
    addJsonOption(parser, QStringLiteral("Print one JSON object."));
    int code = 0;
    if (!parseArguments(parser, cmd, args, {QStringLiteral("PROJECT")}, &code))
        return code;
    if (!parser.isSet(QStringLiteral("run")))
        return usageError(cmd, QStringLiteral("missing --run RUN (see salient-cli runs)"));
    const QString split = parser.value(QStringLiteral("split"));
    if (split != QLatin1String("test") && split != QLatin1String("val") && split != QLatin1String("train"))
        return usageError(cmd, QStringLiteral("unknown --split \"%1\" (one of: test, val, train)").arg(split));
    int threads = 0;
    if (!threadsOption(parser, cmd, &threads, &code))
        return code;

    QString file;
    RunRecord run;
    {
        auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
        if (!store)
            return fail(store.error());
        file = (*store)->filePath();
        auto found = findRun(**store, parser.value(QStringLiteral("run")));
        if (!found)
            return fail(found.error());
        run = found.value();
    }

    TrainObserver observer;
    observer.progress = [](const TrainProgress &p) {
        progressLine(p.batchesPerEpoch > 0
                         ? QStringLiteral("evaluating %1/%2 batches").arg(p.batch).arg(p.batchesPerEpoch)
                         : QStringLiteral("evaluating %1").arg(p.message));
    };
    observer.log = [](const QString &line) {
        endProgressLine();
        const QByteArray b = "salient-cli: " + line.toUtf8() + '\n';
        std::fwrite(b.constData(), 1, size_t(b.size()), stderr);
    };
    g_evalControl.store(int(Control::Run));
    std::signal(SIGINT, onEvalInterrupt);
    auto metrics = evaluateRun(file, run.id, split, observer, &g_evalControl, threads);
    std::signal(SIGINT, SIG_DFL);
    endProgressLine();
    if (!metrics)
        return fail(metrics.error().path.isEmpty()
                        ? makeError(metrics.error().code, metrics.error().message, file)
                        : metrics.error());
    const EvalMetrics &m = *metrics;
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject o = metricsJson(m, run.classNames);
        o.insert(QStringLiteral("run"), run.id);
        o.insert(QStringLiteral("split"), split);
        if (m.multiLabel)
            o.insert(QStringLiteral("multi_label"), true);
        jsonLine(o);
        return 0;
    }
    out(QStringLiteral("Run %1 \"%2\" on %3: %4 images\n"
                       "accuracy %5  macro-F1 %6  macro AUC %7  ECE %8\n\n")
            .arg(run.id)
            .arg(run.name, split)
            .arg(m.samples)
            .arg(percent(m.accuracy), decimal(m.macroF1), decimal(m.macroAuc), decimal(m.ece)));
    out(metricsTable(m, run.classNames));
    return 0;
}

int runRuns(const QStringList &args)
{
    QCommandLineParser parser;
    addJsonOption(parser, QStringLiteral("Print a JSON array, one object per run."));
    int code = 0;
    if (!parseArguments(parser, QStringLiteral("runs"), args, {QStringLiteral("PROJECT")}, &code))
        return code;
    auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return fail(store.error());
    RunStore runStore(**store);
    auto runs = runStore.runs();
    if (!runs)
        return fail(runs.error().path.isEmpty()
                        ? makeError(runs.error().code, runs.error().message, (*store)->filePath())
                        : runs.error());

    QJsonArray list;
    QStringList rows;
    for (const RunRecord &r : *runs) {
        const QJsonObject config = QJsonDocument::fromJson(r.config).object();
        const EvalMetrics val = EvalMetrics::fromJson(r.bestMetrics);
        const bool hasVal = !r.bestMetrics.isEmpty();
        const EvalMetrics test = EvalMetrics::fromJson(r.testMetrics);
        const bool hasTest = !r.testMetrics.isEmpty();
        list.append(QJsonObject{
            {QStringLiteral("id"), r.id},
            {QStringLiteral("name"), r.name},
            {QStringLiteral("state"), runStateName(r.state)},
            {QStringLiteral("message"), r.message},
            {QStringLiteral("model"), config.value(QStringLiteral("model"))},
            {QStringLiteral("epochs_done"), r.epochsDone},
            {QStringLiteral("epochs"), config.value(QStringLiteral("epochs"))},
            {QStringLiteral("classes"), QJsonArray::fromStringList(r.classNames)},
            {QStringLiteral("best_epoch"), r.bestEpoch > 0 ? QJsonValue(r.bestEpoch) : QJsonValue()},
            {QStringLiteral("monitor"), config.value(QStringLiteral("monitor"))},
            {QStringLiteral("best_value"), r.bestEpoch > 0 ? QJsonValue(r.bestValue) : QJsonValue()},
            {QStringLiteral("val_accuracy"), hasVal ? QJsonValue(val.accuracy) : QJsonValue()},
            {QStringLiteral("val_macro_f1"), hasVal ? QJsonValue(val.macroF1) : QJsonValue()},
            {QStringLiteral("test_accuracy"), hasTest ? QJsonValue(test.accuracy) : QJsonValue()},
            {QStringLiteral("test_macro_f1"), hasTest ? QJsonValue(test.macroF1) : QJsonValue()},
            {QStringLiteral("created"), r.createdAt.toString(Qt::ISODate)},
            {QStringLiteral("updated"), r.updatedAt.toString(Qt::ISODate)},
        });
        rows << QStringLiteral("%1  %2  %3  %4  %5/%6  %7  %8  %9")
                    .arg(padded(QString::number(r.id), 4))
                    .arg(padded(runStateName(r.state), 9, false))
                    .arg(padded(config.value(QStringLiteral("model")).toString(), 18, false))
                    .arg(r.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd hh:mm")))
                    .arg(r.epochsDone)
                    .arg(config.value(QStringLiteral("epochs")).toInt())
                    .arg(padded(hasVal ? percent(val.accuracy) + QStringLiteral(" / ") + decimal(val.macroF1) : QStringLiteral("-"), 15))
                    .arg(padded(hasTest ? percent(test.accuracy) + QStringLiteral(" / ") + decimal(test.macroF1) : QStringLiteral("-"), 15))
                    .arg(r.name);
    }
    if (parser.isSet(QStringLiteral("json"))) {
        out(QJsonDocument(list).toJson(QJsonDocument::Compact) + '\n');
        return 0;
    }
    if (rows.isEmpty()) {
        out(QStringLiteral("No runs yet (salient-cli train %1)\n").arg(parser.positionalArguments().at(0)));
        return 0;
    }
    out(QStringLiteral("  id  state      model               created           epochs  val acc / F1   test acc / F1  name\n"));
    out(rows.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    return 0;
}

} // namespace salient::cli
