// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli info` and `salient-cli list`: read-only views of a project.
#include "app/cli/commands.h"

#include <QCommandLineParser>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace salient::cli {

namespace {

constexpr int kListChunk = 2000; // rows fetched per query while streaming `list`

// JSON string literal; hand-written so that `list` streams 100k rows without
// building a document per row.
void appendJsonString(QByteArray &buf, const QString &s)
{
    buf += '"';
    for (const char c : s.toUtf8()) {
        switch (c) {
        case '"':
            buf += "\\\"";
            break;
        case '\\':
            buf += "\\\\";
            break;
        case '\n':
            buf += "\\n";
            break;
        case '\r':
            buf += "\\r";
            break;
        case '\t':
            buf += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                buf += "\\u00";
                buf += "0123456789abcdef"[(c >> 4) & 0xf];
                buf += "0123456789abcdef"[c & 0xf];
            } else {
                buf += c;
            }
        }
    }
    buf += '"';
}

template <typename T>
Result<T> check(Result<T> r, const ProjectStore &store)
{
    if (!r.ok() && r.error().path.isEmpty()) {
        Error e = r.error();
        e.path = store.filePath();
        return e;
    }
    return r;
}

struct Summary {
    QJsonObject json;
    QStringList text;
};

Result<Summary> summarise(const ProjectStore &store)
{
    Summary s;
    auto images = check(store.countImages(), store);
    ImageFilter unlabelled;
    unlabelled.unlabelledOnly = true;
    auto unlabelledCount = check(store.countImages(unlabelled), store);
    auto unreadable = check(store.unreadableImages(), store);
    auto groups = check(store.duplicateGroups(), store);
    auto classes = check(store.classes(), store);
    auto classCounts = check(store.classImageCounts(), store);
    auto shapeCounts = check(store.shapeCountsByClass(), store);
    auto splits = check(store.splits(), store);
    auto splitCounts = check(store.splitImageCounts(), store);
    if (!images)
        return images.error();
    if (!unlabelledCount)
        return unlabelledCount.error();
    if (!unreadable)
        return unreadable.error();
    if (!groups)
        return groups.error();
    if (!classes)
        return classes.error();
    if (!classCounts)
        return classCounts.error();
    if (!shapeCounts)
        return shapeCounts.error();
    if (!splits)
        return splits.error();
    if (!splitCounts)
        return splitCounts.error();

    QJsonObject status;
    QStringList statusText;
    for (ImageStatus st :
         {ImageStatus::New, ImageStatus::InProgress, ImageStatus::Done, ImageStatus::NeedsReview}) {
        ImageFilter f;
        f.status = st;
        auto n = check(store.countImages(f), store);
        if (!n)
            return n.error();
        status.insert(statusName(st), *n);
        statusText << QStringLiteral("%1 %2").arg(*n).arg(statusName(st));
    }

    QJsonArray unreadableJson;
    for (const ImageRecord &r : *unreadable)
        unreadableJson.append(QJsonObject{{QStringLiteral("path"), r.path},
                                           {QStringLiteral("reason"), r.unreadableReason}});
    QJsonArray groupsJson;
    int extraCopies = 0;
    for (const QVector<qint64> &group : *groups) {
        auto records = check(store.images(group), store);
        if (!records)
            return records.error();
        QJsonArray paths;
        for (const ImageRecord &r : *records)
            paths.append(r.path);
        groupsJson.append(paths);
        extraCopies += group.size() - 1;
    }
    QJsonArray classesJson;
    QStringList classText;
    for (const ClassRecord &c : *classes) {
        const qint64 n = classCounts->value(c.id);
        const ShapeCounts shapes = shapeCounts->value(c.id);
        classesJson.append(QJsonObject{{QStringLiteral("name"), c.name},
                                       {QStringLiteral("color"), c.color.name()},
                                       {QStringLiteral("images"), n},
                                       {QStringLiteral("boxes"), shapes.boxes},
                                       {QStringLiteral("polygons"), shapes.polygons},
                                       {QStringLiteral("masks"), shapes.masks}});
        QString line = QStringLiteral("%1 %2").arg(c.name).arg(n);
        if (shapes.boxes + shapes.polygons + shapes.masks > 0)
            line += QStringLiteral(" (%1 boxes, %2 polygons, %3 masks)")
                        .arg(shapes.boxes)
                        .arg(shapes.polygons)
                        .arg(shapes.masks);
        classText << line;
    }
    QJsonArray splitsJson;
    QStringList splitText;
    for (const SplitRecord &sp : *splits) {
        const qint64 n = splitCounts->value(sp.id);
        splitsJson.append(
            QJsonObject{{QStringLiteral("name"), sp.name}, {QStringLiteral("images"), n},
                                                            {QStringLiteral("locked"), sp.locked}});
        splitText << QStringLiteral("%1 %2%3").arg(sp.name).arg(n).arg(
            sp.locked ? QStringLiteral(" (locked)") : QString());
    }

    const qint64 labelled = *images - *unlabelledCount;
    s.json = QJsonObject{
        {QStringLiteral("project"), store.filePath()},
         {QStringLiteral("schemaVersion"), store.schemaVersion()},
          {QStringLiteral("images"), *images},
           {QStringLiteral("labelled"), labelled},
            {QStringLiteral("unlabelled"), *unlabelledCount},
             {QStringLiteral("status"), status},
              {QStringLiteral("unreadable"), unreadableJson},
               {QStringLiteral("duplicates"), groupsJson},
                {QStringLiteral("duplicateCopies"), extraCopies},
                 {QStringLiteral("classes"), classesJson},
                  {QStringLiteral("splits"), splitsJson},
                   {QStringLiteral("unsplit"), splitCounts->value(0)},
                  };
    s.text << QStringLiteral("Project:    %1 (schema %2)").arg(store.filePath()).arg(store.schemaVersion())
        << QStringLiteral("Images:     %1 (%2 labelled, %3 unlabelled)")
                   .arg(*images)
                   .arg(labelled)
                   .arg(*unlabelledCount)
               << QStringLiteral("Status:     %1").arg(
                      statusText.join(QStringLiteral(", ")))
                      << QStringLiteral("Classes:    %1").arg(
                             classText.isEmpty() ? QStringLiteral("none")
                                                 : classText.join(QStringLiteral(", ")))
                             << QStringLiteral("Splits:     %1%2") .arg(
                                    splitText.isEmpty()
                                    ? QStringLiteral("none")
                                    : splitText.join(QStringLiteral(", ")))
                                        .arg(splitText.isEmpty()
                                                 ? QString()
                                                 : QStringLiteral(", %1 in no split") .arg(
                                                       splitCounts->value(0)))
                                                 << QStringLiteral("Unreadable: %1").arg(
                                                        unreadable->size());
    for (const ImageRecord &r : *unreadable)
        s.text << QStringLiteral("  %1: %2").arg(r.path, r.unreadableReason);
    s.text << QStringLiteral("Duplicates: %1 groups, %2 extra copies").arg(groups->size()).arg(extraCopies);
    for (const QJsonValue &g : groupsJson) {
        QStringList paths;
        for (const QJsonValue &p : g.toArray())
            paths << p.toString();
        s.text << QStringLiteral("  %1").arg(paths.join(QStringLiteral(" = ")));
    }
    return s;
}

} // namespace

int runInfo(const QStringList &args)
{
    QCommandLineParser parser;
    addJsonOption(parser, QStringLiteral("Print one JSON object."));
    int code = 0;
    if (!parseArguments(parser, QStringLiteral("info"), args, {QStringLiteral("PROJECT")}, &code))
        return code;
    auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return fail(store.error());
    auto summary = summarise(**store);
    if (!summary)
        return fail(summary.error());
    if (parser.isSet(QStringLiteral("json")))
        out(QJsonDocument(summary->json).toJson(QJsonDocument::Indented));
    else
        out(summary->text.join(QLatin1Char('\n')) + QLatin1Char('\n'));
    return 0;
}

int runList(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print a JSON array, one object per "
                                                             "image.")});
    int code = 0;
    if (!parseArguments(parser, QStringLiteral("list"), args, {QStringLiteral("PROJECT")}, &code))
        return code;
    auto opened = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
    if (!opened)
        return fail(opened.error());
    const ProjectStore &store = **opened;
    const bool json = parser.isSet(QStringLiteral("json"));

    auto ids = check(store.imageIds(), store);
    auto classes = check(store.classes(), store);
    auto splits = check(store.splits(), store);
    if (!ids)
        return fail(ids.error());
    if (!classes)
        return fail(classes.error());
    if (!splits)
        return fail(splits.error());
    QHash<qint64, QString> className, splitName;
    for (const ClassRecord &c : *classes)
        className.insert(c.id, c.name);
    for (const SplitRecord &s : *splits)
        splitName.insert(s.id, s.name);

    // Rows are fetched and written a chunk at a time: memory stays flat and the
    // first rows appear at once, whatever the size of the project. A failure
    // half way still exits non-zero (the output is then incomplete).
    QByteArray buf;
    if (json)
        out(QByteArrayLiteral("["));
    bool first = true;
    for (qint64 start = 0; start < ids->size(); start += kListChunk) {
        const QVector<qint64> chunk = ids->mid(start, kListChunk);
        auto records = check(store.images(chunk), store);
        if (!records)
            return fail(records.error());
        auto labels = check(store.labels(chunk), store);
        if (!labels)
            return fail(labels.error());
        buf.clear();
        for (const ImageRecord &r : *records) {
            QStringList names;
            for (qint64 c : labels->value(r.id))
                names << className.value(c);
            const QString split = splitName.value(r.splitId);
            if (!json) {
                buf += QStringLiteral("%1\t%2x%3\t%4\t%5\t%6\n")
                                          .arg(r.path)
                                          .arg(r.width)
                                          .arg(r.height)
                                          .arg(statusName(r.status), names.join(QLatin1Char(',')),
                                               r.splitId ? split : QStringLiteral("-")).toUtf8();
                continue;
            }
            buf += first ? "\n{\"path\":" : ",\n{\"path\":";
            first = false;
            appendJsonString(buf, r.path);
            buf += ",\"width\":" + QByteArray::number(r.width);
            buf += ",\"height\":" + QByteArray::number(r.height);
            buf += ",\"status\":";
            appendJsonString(buf, statusName(r.status));
            buf += ",\"labels\":[";
            for (int i = 0; i < names.size(); ++i) {
                if (i)
                    buf += ',';
                appendJsonString(buf, names[i]);
            }
            buf += "],\"split\":";
            if (r.splitId)
                appendJsonString(buf, split);
            else
                buf += "null";
            buf += ",\"readable\":";
            buf += r.readable ? "true" : "false";
            if (!r.readable) {
                buf += ",\"reason\":";
                appendJsonString(buf, r.unreadableReason);
            }
            buf += '}';
        }
        out(buf);
    }
    if (json)
        out(QByteArrayLiteral("\n]\n"));
    return 0;
}

} // namespace salient::cli
