// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli prune` (accuracy against sparsity, one new run per sparsity)
// and `salient-cli distill` (a student run from a teacher run, both compared).
#include "app/cli/commands.h"
#include "app/cli/trainshared.h"

#include "core/train/shrink.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QLocale>


namespace salient::cli {

using namespace salient::train;

namespace {

QString bytesText(qint64 n)
{
    return QLocale(QLocale::English).formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat);
}

QString count(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QJsonObject figuresJson(const ModelFigures &f)
{
    QJsonObject o;
    o.insert(QStringLiteral("run"), f.runId);
    o.insert(QStringLiteral("model"), f.architecture);
    o.insert(QStringLiteral("parameters"), f.parameters);
    o.insert(QStringLiteral("non_zero"), f.nonZero);
    o.insert(QStringLiteral("file_bytes"), f.fileBytes);
    o.insert(QStringLiteral("compressed_bytes"), f.compressedBytes);
    o.insert(QStringLiteral("latency_ms"), measured(f.latencyMs));
    o.insert(QStringLiteral("accuracy"), measured(f.testAccuracy));
    o.insert(QStringLiteral("macro_f1"), measured(f.testMacroF1));
    return o;
}

/// One table row after its label: the figures every comparison prints.
QString figuresRow(const ModelFigures &f)
{
    return QString::number(f.runId).rightJustified(5) + percent(f.testAccuracy).rightJustified(10)
        + decimal(f.testMacroF1).rightJustified(10) + count(f.parameters).rightJustified(13)
        + count(f.nonZero).rightJustified(13) + bytesText(f.fileBytes).rightJustified(11)
        + bytesText(f.compressedBytes).rightJustified(11)
        + (f.latencyMs < 0 ? QStringLiteral("-") : QString::number(f.latencyMs, 'f', 2) + QStringLiteral(" ms"))
              .rightJustified(11)
        + QLatin1Char('\n');
}

QString tableHeader(const QString &first, int width)
{
    return first.leftJustified(width) + QStringLiteral("  run  accuracy  macro-F1   parameters"
                                                       "     non-zero       file   deflated    latency\n");
}

/// Progress of a long library call on stderr (terminals only).
std::function<void(const QString &, int, int)> progressPrinter()
{
    return [](const QString &what, int done, int total) {
        progressLine(total > 0 ? QStringLiteral("%1  step %2/%3").arg(what).arg(done).arg(total)
                               : what);
    };
}

bool realOption(const QCommandLineParser &parser, const QString &name, double *value)
{
    if (!parser.isSet(name))
        return true;
    bool ok = false;
    *value = parser.value(name).toDouble(&ok);
    return ok;
}

/// Finds the run and closes the project again: the engine opens its own.
Result<RunRecord> runNamed(const QString &project, const QString &which)
{
    auto store = openProject(project, ProjectStore::OpenMode::ReadOnly);
    if (!store.ok())
        return store.error();
    return findRun(**store, which);
}

} // namespace

int runPrune(const QStringList &args)
{
    const QString cmd = QStringLiteral("prune");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("run"), QStringLiteral("The run to prune (id or name)."),
                      QStringLiteral("RUN")});
    parser.addOption({QStringLiteral("sparsity"),
                      QStringLiteral("Fractions of conv + linear weights to zero, e.g. 0.5,0.7,0.9."),
                      QStringLiteral("S[,S...]")});
    parser.addOption({QStringLiteral("epochs"),
                      QStringLiteral("Fine-tuning epochs per sparsity (default 1)."),
                      QStringLiteral("N"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("lr"),
                      QStringLiteral("Fine-tuning learning rate (default: a tenth of the run's)."),
                      QStringLiteral("X")});
    addThreadsOption(parser, QStringLiteral("LibTorch threads"));
    addJsonOption(parser, QStringLiteral("Print one JSON object."));
    int code = 0;
    if (!parseArguments(parser, cmd, args, {QStringLiteral("PROJECT")}, &code))
        return code;
    if (!parser.isSet(QStringLiteral("run")))
        return usageError(cmd, QStringLiteral("missing --run RUN (see salient-cli runs)"));
    if (!parser.isSet(QStringLiteral("sparsity")))
        return usageError(cmd, QStringLiteral("missing --sparsity S[,S...], e.g. 0.5,0.7,0.9"));
    QVector<double> levels;
    for (const QString &part : parser.value(QStringLiteral("sparsity")).split(QLatin1Char(','))) {
        bool ok = false;
        const double s = part.trimmed().toDouble(&ok);
        if (!ok || !(s > 0 && s < 1))
            return usageError(cmd, QStringLiteral("--sparsity wants fractions above 0 and below 1, "
                                                  "not '%1'").arg(part));
        levels << s;
    }
    PruneOptions options;
    if (!wholeOption(parser, QStringLiteral("epochs"), 1, &options.epochs))
        return usageError(cmd, QStringLiteral("--epochs wants a whole number of at least 1"));
    if (!realOption(parser, QStringLiteral("lr"), &options.learningRate) || options.learningRate < 0)
        return usageError(cmd, QStringLiteral("--lr wants a positive number"));
    if (!threadsOption(parser, cmd, &options.threads, &code))
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString project = parser.positionalArguments().constFirst();
    auto run = runNamed(project, parser.value(QStringLiteral("run")));
    if (!run.ok())
        return fail(run.error());

    const InterruptFlag interrupt;
    QVector<PruneResult> results;
    for (double s : levels) {
        options.sparsity = s;
        auto r = pruneRun(project, run->id, options, progressPrinter(), interrupt.flag());
        endProgressLine();
        if (!r.ok())
            return fail(r.error());
        results << r.value();
    }
    const ModelFigures &parent = results.first().parent;
    if (json) {
        QJsonArray rows;
        QJsonObject first = figuresJson(parent);
        first.insert(QStringLiteral("requested"), QJsonValue::Null);
        first.insert(QStringLiteral("sparsity"), 0.0);
        rows.append(first);
        for (int i = 0; i < results.size(); ++i) {
            QJsonObject o = figuresJson(results[i].pruned);
            o.insert(QStringLiteral("requested"), levels[i]);
            o.insert(QStringLiteral("sparsity"), results[i].sparsity);
            rows.append(o);
        }
        QJsonObject o;
        o.insert(QStringLiteral("parent"), run->id);
        o.insert(QStringLiteral("epochs"), options.epochs);
        o.insert(QStringLiteral("rows"), rows);
        jsonLine(o);
        return 0;
    }
    QString t = QStringLiteral("Run %1 (\"%2\") pruned and fine-tuned %3 epoch(s); accuracy on "
                               "the test split:\n\n")
                    .arg(run->id)
                    .arg(run->name)
                    .arg(options.epochs);
    t += tableHeader(QStringLiteral("sparsity"), 12);
    t += QStringLiteral("0% (parent)").leftJustified(12) + figuresRow(parent);
    for (const PruneResult &r : results)
        t += percent(r.sparsity).leftJustified(12) + figuresRow(r.pruned);
    out(t);
    return 0;
}

int runDistill(const QStringList &args)
{
    const QString cmd = QStringLiteral("distill");
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("teacher"), QStringLiteral("The teacher run (id or name)."),
                      QStringLiteral("RUN")});
    parser.addOption({QStringLiteral("model"),
                      QStringLiteral("The student's architecture, e.g. smallcnn."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("epochs"), QStringLiteral("Student epochs (default: the teacher's)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("temperature"), QStringLiteral("Softmax temperature T (default 4)."),
                      QStringLiteral("T"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("alpha"),
                      QStringLiteral("Weight of the soft-label loss, 0 to 1 (default 0.5)."),
                      QStringLiteral("A"), QStringLiteral("0.5")});
    parser.addOption({QStringLiteral("image-size"),
                      QStringLiteral("Input side for student and teacher (default: the teacher's)."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("lr"), QStringLiteral("Learning rate (default: the teacher's)."),
                      QStringLiteral("X")});
    parser.addOption({QStringLiteral("name"), QStringLiteral("Name of the student run."),
                      QStringLiteral("NAME")});
    addThreadsOption(parser, QStringLiteral("LibTorch threads"));
    addJsonOption(parser, QStringLiteral("Print one JSON object."));
    int code = 0;
    if (!parseArguments(parser, cmd, args, {QStringLiteral("PROJECT")}, &code))
        return code;
    if (!parser.isSet(QStringLiteral("teacher")))
        return usageError(cmd, QStringLiteral("missing --teacher RUN (see salient-cli runs)"));
    const QString model = parser.value(QStringLiteral("model"));
    if (!trainModelNames().contains(model))
        return usageError(cmd, QStringLiteral("--model wants one of %1")
                                   .arg(trainModelNames().join(QStringLiteral(", "))));
    DistillOptions options;
    if (!realOption(parser, QStringLiteral("temperature"), &options.temperature)
        || !(options.temperature > 0 && options.temperature <= 100))
        return usageError(cmd, QStringLiteral("--temperature wants a number above 0, up to 100"));
    if (!realOption(parser, QStringLiteral("alpha"), &options.alpha)
        || !(options.alpha >= 0 && options.alpha <= 1))
        return usageError(cmd, QStringLiteral("--alpha wants a number from 0 to 1"));
    int epochs = 0, imageSize = 0;
    double lr = 0;
    if (!wholeOption(parser, QStringLiteral("epochs"), 1, &epochs))
        return usageError(cmd, QStringLiteral("--epochs wants a whole number of at least 1"));
    if (!wholeOption(parser, QStringLiteral("image-size"), 16, &imageSize))
        return usageError(cmd, QStringLiteral("--image-size wants a whole number of at least 16"));
    if (!realOption(parser, QStringLiteral("lr"), &lr) || lr < 0)
        return usageError(cmd, QStringLiteral("--lr wants a positive number"));
    if (!threadsOption(parser, cmd, &options.threads, &code))
        return code;
    const bool json = parser.isSet(QStringLiteral("json"));
    const QString project = parser.positionalArguments().constFirst();
    auto teacher = runNamed(project, parser.value(QStringLiteral("teacher")));
    if (!teacher.ok())
        return fail(teacher.error());
    auto teacherConfig = TrainConfig::fromJson(teacher->config,
                                               QStringLiteral("run %1").arg(teacher->id));
    if (!teacherConfig.ok())
        return fail(teacherConfig.error());

    // The teacher's recipe for a student that starts from scratch at the teacher's input size.
    TrainConfig student = teacherConfig.value();
    student.model = model;
    student.weightsFile.clear();
    student.freeze = FreezePolicy::None;
    student.initFromRun = 0;
    student.pruneSparsity = 0;
    student.imageSize = imageSize > 0 ? imageSize : teacherConfig->effectiveImageSize();
    if (epochs > 0)
        student.epochs = epochs;
    student.warmupEpochs = std::min(student.warmupEpochs, double(student.epochs));
    if (lr > 0)
        student.learningRate = lr;
    options.student = student;

    const InterruptFlag interrupt;
    auto r = distillRun(project, teacher->id, options, progressPrinter(), interrupt.flag());
    endProgressLine();
    if (!r.ok())
        return fail(r.error());
    if (parser.isSet(QStringLiteral("name"))) {
        auto store = openProject(project, ProjectStore::OpenMode::ReadWrite);
        if (!store.ok())
            return fail(store.error());
        const Status renamed = RunStore(**store).rename(r->runId, parser.value(QStringLiteral("name")));
        if (!renamed.ok())
            return fail(renamed.error());
    }
    if (json) {
        QJsonObject o;
        o.insert(QStringLiteral("teacher"), figuresJson(r->teacher));
        o.insert(QStringLiteral("student"), figuresJson(r->student));
        o.insert(QStringLiteral("temperature"), options.temperature);
        o.insert(QStringLiteral("alpha"), options.alpha);
        o.insert(QStringLiteral("epochs"), student.epochs);
        o.insert(QStringLiteral("image_size"), student.imageSize);
        jsonLine(o);
        return 0;
    }
    QString t = QStringLiteral("Student run %1 (%2) distilled from run %3 (\"%4\") at T = %5, "
                               "alpha = %6; accuracy on the test split:\n\n")
                    .arg(r->runId)
                    .arg(model)
                    .arg(teacher->id)
                    .arg(teacher->name)
                    .arg(options.temperature)
                    .arg(options.alpha);
    t += tableHeader(QStringLiteral("model"), 22);
    t += (QStringLiteral("teacher ") + r->teacher.architecture).leftJustified(22)
        + figuresRow(r->teacher);
    t += (QStringLiteral("student ") + r->student.architecture).leftJustified(22)
        + figuresRow(r->student);
    out(t);
    return 0;
}

} // namespace salient::cli
