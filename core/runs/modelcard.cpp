// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/runs/modelcard.h"

#include "core/imaging/augment.h"
#include "core/project/store.h"
#include "core/runs/metrics.h"
#include "core/runs/runstore.h"
#include "core/runs/trainconfig.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <cmath>
#include <tuple>

namespace salient {

namespace {

using train::RunRole;

// Where the augmentation preview keeps the project's recipe (as recipeFor() reads it).
const char kProjectRecipeKey[] = "augment.recipe";

QString utc(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

/// -1 (not measured) becomes null.
QJsonValue measured(double v)
{
    return v < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(v);
}

QString number(double v)
{
    return QString::number(v, 'g', 4);
}

/// One transform in words: "rotate (degrees 15; p 0.5)".
QString transformInWords(const TransformSpec &t)
{
    QString text = transformName(t.type).replace(QLatin1Char('_'), QLatin1Char(' '));
    QStringList parts;
    for (const TransformParam &param : transformParams(t.type))
        parts << QStringLiteral("%1 %2").arg(param.key).arg(number(t.param(param.key)));
    if (t.probability < 1.0)
        parts << QStringLiteral("p %1").arg(number(t.probability));
    if (!parts.isEmpty())
        text += QStringLiteral(" (%1)").arg(parts.join(QStringLiteral("; ")));
    return text;
}

/// The run's recipe as the trainer chose it: the config's, else the project's, else the preset.
QJsonArray augmentationInWords(const train::TrainConfig &config, const ProjectStore &store,
                               QString *source)
{
    Result<AugmentRecipe> recipe = AugmentRecipe::standardPreset();
    *source = QStringLiteral("standard preset");
    if (!config.augmentRecipe.isEmpty()) {
        recipe = AugmentRecipe::fromJson(config.augmentRecipe);
        *source = QStringLiteral("run");
    } else if (const QString saved =
                   store.setting(QString::fromLatin1(kProjectRecipeKey)).valueOr(QString());
               !saved.isEmpty()) {
        recipe = AugmentRecipe::fromJson(saved.toUtf8());
        *source = QStringLiteral("project");
    }
    QJsonArray words;
    if (!recipe.ok()) {
        words.append(QStringLiteral("unreadable recipe: %1").arg(recipe.error().message));
        return words;
    }
    for (const TransformSpec &t : recipe->transforms)
        if (t.enabled)
            words.append(transformInWords(t));
    return words;
}

/// Images per run class in each role of the snapshot (labels as they are today).
Result<QJsonArray> classCounts(ProjectStore &store, const train::RunRecord &run,
                               const QHash<RunRole, QVector<qint64>> &images)
{
    const RunRole roles[] = {RunRole::Train, RunRole::Validation, RunRole::Test};
    QHash<qint64, int> index;
    for (int i = 0; i < run.classIds.size(); ++i)
        index.insert(run.classIds[i], i);
    QVector<QVector<qint64>> counts(3, QVector<qint64>(run.classIds.size(), 0));
    for (int r = 0; r < 3; ++r) {
        auto labels = store.labels(images.value(roles[r]));
        if (!labels.ok())
            return labels.error();
        for (const QVector<qint64> &classes : labels.value())
            for (qint64 c : classes)
                if (index.contains(c))
                    ++counts[r][index.value(c)];
    }
    QJsonArray out;
    for (int i = 0; i < run.classIds.size(); ++i)
        out.append(QJsonObject{{QStringLiteral("name"), run.classNames.value(i)},
                               {QStringLiteral("train"), counts[0][i]},
                               {QStringLiteral("validation"), counts[1][i]},
                               {QStringLiteral("test"), counts[2][i]}});
    return out;
}

QJsonObject metricsObject(const train::RunRecord &run)
{
    const bool test = !run.testMetrics.isEmpty();
    const QByteArray json = test ? run.testMetrics : run.bestMetrics;
    if (json.isEmpty())
        return QJsonObject{{QStringLiteral("split"), QJsonValue::Null}};
    const train::EvalMetrics m = train::EvalMetrics::fromJson(json);
    QJsonArray perClass;
    for (int i = 0; i < m.perClass.size(); ++i) {
        const train::ClassMetrics &c = m.perClass[i];
        QJsonObject o{{QStringLiteral("name"), run.classNames.value(i, QString::number(i))},
                      {QStringLiteral("precision"), c.precision},
                      {QStringLiteral("recall"), c.recall},
                      {QStringLiteral("f1"), c.f1},
                      {QStringLiteral("support"), c.support}};
        if (m.multiLabel)
            o.insert(QStringLiteral("threshold"), c.threshold);
        perClass.append(o);
    }
    return QJsonObject{{QStringLiteral("split"), test ? QStringLiteral("test") : QStringLiteral("validation")},
                       {QStringLiteral("samples"), m.samples},
                       {QStringLiteral("accuracy"), m.accuracy},
                       {QStringLiteral("macro_f1"), m.macroF1},
                       {QStringLiteral("macro_auc"), measured(m.macroAuc)},
                       {QStringLiteral("ece"), m.samples > 0 ? QJsonValue(m.ece) : QJsonValue()},
                       {QStringLiteral("per_class"), perClass}};
}

QJsonObject exportObject(const ExportReport &report)
{
    const ParityReport &p = report.parity;
    QJsonObject parity{{QStringLiteral("ran"), p.ran},
                       {QStringLiteral("runtime"), p.runtime},
                       {QStringLiteral("images"), p.images},
                       {QStringLiteral("max_abs_diff"), measured(p.maxAbsDiff)},
                       {QStringLiteral("top1_agreement"), measured(p.top1Agreement)},
                       {QStringLiteral("largest_logit"), measured(p.largestLogit)},
                       {QStringLiteral("checker_ok"), p.checkerOk},
                       {QStringLiteral("checker_message"), p.checkerMessage},
                       {QStringLiteral("tolerance"), p.tolerance}};
    const bool both = report.fp32Accuracy >= 0 && report.exportedAccuracy >= 0;
    return QJsonObject{
        {QStringLiteral("format"), report.meta.format},
        {QStringLiteral("file"), QFileInfo(report.outFile).fileName()},
        {QStringLiteral("bytes"), report.fileBytes},
        {QStringLiteral("fp32_bytes"), report.fp32Bytes > 0 ? QJsonValue(report.fp32Bytes) : QJsonValue()},
        {QStringLiteral("size_ratio"), report.fp32Bytes > 0 && report.fileBytes > 0
                                           ? QJsonValue(double(report.fp32Bytes) / double(report.fileBytes))
                                           : QJsonValue()},
        {QStringLiteral("parity"), parity},
        {QStringLiteral("eval_images"), report.evalImages},
        {QStringLiteral("fp32_accuracy"), measured(report.fp32Accuracy)},
        {QStringLiteral("exported_accuracy"), measured(report.exportedAccuracy)},
        {QStringLiteral("accuracy_change"), both ? QJsonValue(report.exportedAccuracy - report.fp32Accuracy)
                                                 : QJsonValue()},
        {QStringLiteral("drop_above_limit"), report.dropAboveLimit},
        {QStringLiteral("sparsity"), report.sparsity},
        {QStringLiteral("pruned_run"), report.prunedRunId > 0 ? QJsonValue(report.prunedRunId) : QJsonValue()},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(report.warnings)}};
}

} // namespace

Result<QJsonObject> buildModelCard(ProjectStore &store, qint64 runId, const ExportReport &report,
                                   const QString &intendedUse, const QString &limitations)
{
    train::RunStore runs(store);
    auto run = runs.run(runId);
    if (!run.ok()) {
        Error e = run.error();
        if (e.path.isEmpty())
            e.path = store.filePath();
        return e;
    }
    auto config = train::TrainConfig::fromJson(run->config, QStringLiteral("run %1").arg(runId));
    if (!config.ok())
        return config.error();
    auto images = runs.runImages(runId);
    if (!images.ok())
        return images.error();
    auto classes = classCounts(store, run.value(), images.value());
    if (!classes.ok())
        return classes.error();

    QString recipeSource;
    const QJsonArray augmentation = augmentationInWords(config.value(), store, &recipeSource);
    const QJsonObject training{
        {QStringLiteral("run"), runId},
        {QStringLiteral("run_name"), run->name},
        {QStringLiteral("state"), train::runStateName(run->state)},
        {QStringLiteral("config"), QJsonDocument::fromJson(config->toJson()).object()},
        {QStringLiteral("augmentation"), augmentation},
        {QStringLiteral("augmentation_source"), recipeSource},
        {QStringLiteral("epochs"), run->epochsDone},
        {QStringLiteral("epochs_planned"), config->epochs},
        {QStringLiteral("best_epoch"), run->bestEpoch > 0 ? QJsonValue(run->bestEpoch) : QJsonValue()},
        {QStringLiteral("started_at"), utc(run->createdAt)},
        {QStringLiteral("finished_at"), utc(run->updatedAt)},
        {QStringLiteral("images"), QJsonObject{
             {QStringLiteral("train"), qint64(images->value(RunRole::Train).size())},
             {QStringLiteral("validation"), qint64(images->value(RunRole::Validation).size())},
             {QStringLiteral("test"), qint64(images->value(RunRole::Test).size())}}}};

    QJsonObject card;
    card.insert(QStringLiteral("model"), QJsonDocument::fromJson(report.meta.toJson()).object());
    card.insert(QStringLiteral("project"), QFileInfo(store.filePath()).fileName());
    card.insert(QStringLiteral("classes"), classes.value());
    card.insert(QStringLiteral("metrics"), metricsObject(run.value()));
    card.insert(QStringLiteral("training"), training);
    card.insert(QStringLiteral("export"), exportObject(report));
    card.insert(QStringLiteral("intended_use"), intendedUse);
    card.insert(QStringLiteral("limitations"), limitations);
    card.insert(QStringLiteral("created_at"), utc(QDateTime::currentDateTimeUtc()));
    return card;
}

// ---- HTML ------------------------------------------------------------------

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

/// A JSON value as readable text (numbers short, arrays joined, null "-").
QString text(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QStringLiteral("-");
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == std::floor(d) && std::abs(d) < 1e15 ? QString::number(qint64(d)) : number(d);
    }
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &e : v.toArray())
            parts << text(e);
        return parts.join(QStringLiteral(", "));
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

QString percentText(const QJsonValue &v)
{
    return v.isDouble() ? QString::number(100.0 * v.toDouble(), 'f', 1) + QLatin1Char('%')
                        : QStringLiteral("-");
}

/// A two-column table of an object's keys (in `keys` order when given).
QString keyValueTable(const QJsonObject &o, const QStringList &keys = {})
{
    QString html = QStringLiteral("<table class=\"kv\">\n");
    for (const QString &k : keys.isEmpty() ? o.keys() : keys)
        if (o.contains(k))
            html += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>\n")
                        .arg(esc(QString(k).replace(QLatin1Char('_'), QLatin1Char(' '))),
                             esc(text(o.value(k))));
    return html + QStringLiteral("</table>\n");
}

/// The user's own words, or a visible note that they are still missing.
QString userText(const QString &value)
{
    if (value.trimmed().isEmpty())
        return QStringLiteral("<p class=\"missing\">Not filled in yet.</p>\n");
    return QStringLiteral("<p class=\"user\">%1</p>\n").arg(esc(value).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

} // namespace

QString modelCardHtml(const QJsonObject &card)
{
    const QJsonObject model = card.value(QStringLiteral("model")).toObject();
    const QJsonObject metrics = card.value(QStringLiteral("metrics")).toObject();
    const QJsonObject training = card.value(QStringLiteral("training")).toObject();
    const QJsonObject exported = card.value(QStringLiteral("export")).toObject();
    const QString title = QStringLiteral("Model card: %1")
                              .arg(training.value(QStringLiteral("run_name")).toString(
                                  model.value(QStringLiteral("architecture")).toString()));
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h += QStringLiteral("<title>%1</title>\n").arg(esc(title));
    h += QStringLiteral(
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:0.5em 0}th,td{border:1px solid #ccc;padding:0.2em 0.6em;"
        "text-align:left}table.kv th{background:#f4f4f4;font-weight:normal}"
        ".missing{color:#a60;font-style:italic}.warning{color:#b00}</style>\n</head>\n<body>\n");
    h += QStringLiteral("<h1>%1</h1>\n").arg(esc(title));
    h += QStringLiteral("<p>Project %1, created %2.</p>\n")
             .arg(esc(card.value(QStringLiteral("project")).toString()),
                  esc(card.value(QStringLiteral("created_at")).toString()));

    h += QStringLiteral("<h2>Intended use</h2>\n") + userText(card.value(QStringLiteral("intended_use")).toString());
    h += QStringLiteral("<h2>Limitations</h2>\n") + userText(card.value(QStringLiteral("limitations")).toString());

    h += QStringLiteral("<h2>Model</h2>\n")
         + keyValueTable(model, {QStringLiteral("format"), QStringLiteral("architecture"),
                                 QStringLiteral("input_size"), QStringLiteral("mean"), QStringLiteral("std"),
                                 QStringLiteral("normalisation_built_in"), QStringLiteral("multi_label"),
                                 QStringLiteral("thresholds"), QStringLiteral("features_output"),
                                 QStringLiteral("features_layer"), QStringLiteral("sparsity"),
                                 QStringLiteral("run_id"), QStringLiteral("run_name"),
                                 QStringLiteral("project_name"), QStringLiteral("exported_at"),
                                 QStringLiteral("producer")});

    h += QStringLiteral("<h2>Classes</h2>\n<table>\n<tr><th>Class</th><th>Train</th><th>Validation</th><th>Test</th></tr>\n");
    for (const QJsonValue &v : card.value(QStringLiteral("classes")).toArray()) {
        const QJsonObject c = v.toObject();
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>\n")
                 .arg(esc(c.value(QStringLiteral("name")).toString()), text(c.value(QStringLiteral("train"))),
                      text(c.value(QStringLiteral("validation"))), text(c.value(QStringLiteral("test"))));
    }
    h += QStringLiteral("</table>\n");

    const QJsonValue split = metrics.value(QStringLiteral("split"));
    h += QStringLiteral("<h2>Metrics</h2>\n");
    if (!split.isString()) {
        h += QStringLiteral("<p class=\"missing\">The run has no evaluation yet.</p>\n");
    } else {
        h += QStringLiteral("<p>On the %1 split (%2 images): accuracy %3, macro-F1 %4, ECE %5.</p>\n")
                 .arg(esc(split.toString()), text(metrics.value(QStringLiteral("samples"))),
                      percentText(metrics.value(QStringLiteral("accuracy"))),
                      text(metrics.value(QStringLiteral("macro_f1"))), text(metrics.value(QStringLiteral("ece"))));
        h += QStringLiteral("<table>\n<tr><th>Class</th><th>Precision</th><th>Recall</th><th>F1</th><th>Support</th></tr>\n");
        for (const QJsonValue &v : metrics.value(QStringLiteral("per_class")).toArray()) {
            const QJsonObject c = v.toObject();
            h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>\n")
                     .arg(esc(c.value(QStringLiteral("name")).toString()), text(c.value(QStringLiteral("precision"))),
                          text(c.value(QStringLiteral("recall"))), text(c.value(QStringLiteral("f1"))),
                          text(c.value(QStringLiteral("support"))));
        }
        h += QStringLiteral("</table>\n");
    }

    h += QStringLiteral("<h2>Export</h2>\n");
    for (const QJsonValue &w : exported.value(QStringLiteral("warnings")).toArray())
        h += QStringLiteral("<p class=\"warning\">%1</p>\n").arg(esc(w.toString()));
    QJsonObject flat = exported;
    flat.remove(QStringLiteral("warnings"));
    const QJsonObject parity = flat.take(QStringLiteral("parity")).toObject();
    h += keyValueTable(flat);
    h += QStringLiteral("<h3>Parity with LibTorch</h3>\n") + keyValueTable(parity);

    h += QStringLiteral("<h2>Training</h2>\n");
    QJsonObject trainingFlat = training;
    const QJsonObject config = trainingFlat.take(QStringLiteral("config")).toObject();
    const QJsonArray augmentation = trainingFlat.take(QStringLiteral("augmentation")).toArray();
    h += keyValueTable(trainingFlat);
    h += QStringLiteral("<h3>Augmentation</h3>\n<ul>\n");
    for (const QJsonValue &a : augmentation)
        h += QStringLiteral("<li>%1</li>\n").arg(esc(a.toString()));
    if (augmentation.isEmpty())
        h += QStringLiteral("<li>none</li>\n");
    h += QStringLiteral("</ul>\n<h3>Configuration</h3>\n") + keyValueTable(config);
    h += QStringLiteral("</body>\n</html>\n");
    return h;
}

Result<QStringList> writeModelCard(const QJsonObject &card, const QString &modelFile)
{
    const QString jsonPath = modelFile + QStringLiteral(".card.json");
    const QString htmlPath = modelFile + QStringLiteral(".card.html");
    const QByteArray json = QJsonDocument(card).toJson(QJsonDocument::Indented);
    const QByteArray html = modelCardHtml(card).toUtf8();
    // Both files are written in full before either replaces what was there.
    QSaveFile jsonFile(jsonPath);
    QSaveFile htmlFile(htmlPath);
    for (auto [file, bytes, path] : {std::tuple{&jsonFile, &json, &jsonPath},
                                     std::tuple{&htmlFile, &html, &htmlPath}}) {
        if (!file->open(QIODevice::WriteOnly))
            return makeError(Error::Code::Io,
                             QStringLiteral("cannot write the model card: %1").arg(file->errorString()),
                             *path);
        if (file->write(*bytes) != bytes->size())
            return makeError(Error::Code::Io,
                             QStringLiteral("cannot write the model card: %1").arg(file->errorString()),
                             *path);
    }
    const bool hadJson = QFileInfo::exists(jsonPath);
    if (!jsonFile.commit())
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot write the model card: %1").arg(jsonFile.errorString()),
                         jsonPath);
    if (!htmlFile.commit()) {
        if (!hadJson) // no card half there: a JSON without its page would look complete
            QFile::remove(jsonPath);
        return makeError(Error::Code::Io,
                         QStringLiteral("cannot write the model card: %1").arg(htmlFile.errorString()),
                         htmlPath);
    }
    return QStringList{jsonPath, htmlPath};
}

} // namespace salient
