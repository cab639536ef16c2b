// SPDX-License-Identifier: GPL-3.0-or-later
// CSV for classification: path,label[;label...][,split], RFC 4180 quoting.
//
// Duplicate paths are merged, not reported: "long" multi-label files give one
// row per (image, label), and that is a legitimate way to write them. Only a
// conflicting split between such rows is a problem.
#include "core/formats/format.h"
#include "core/formats/formatutil.h"
#include "core/imaging/probe.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <map>

namespace salient {

namespace {

QString normalisedSplit(const QString &s)
{
    const QString n = s.trimmed().toLower();
    if (n == QLatin1String("valid") || n == QLatin1String("validation"))
        return QStringLiteral("val");
    return n;
}

struct Record {
    QStringList fields;
    int line = 1; ///< where the record starts
};

/// RFC 4180 records. Quoted fields may hold commas, line breaks and doubled
/// quotes; CRLF, LF and lone CR end records; blank lines are skipped. A quote
/// inside an unquoted field is kept as a character (as Python's csv does).
Result<QVector<Record>> parseCsv(const QString &text, const QString &path)
{
    QVector<Record> records;
    Record rec;
    QString field;
    int line = 1;
    bool quoted = false;      // inside a quoted field
    bool fieldQuoted = false; // the current field was quoted
    bool recordQuoted =
        false; // some field was: "" alone on a line is a record, a blank line is not
    int quoteLine = 0;
    const auto endField = [&] {
        rec.fields.append(field);
        field.clear();
        fieldQuoted = false;
    };
    const auto endRecord = [&] {
        endField();
        if (rec.fields.size() > 1 || !rec.fields.first().isEmpty() || recordQuoted)
            records.append(rec);
        rec = Record();
        recordQuoted = false;
    };
    const int n = int(text.size());
    for (int i = 0; i < n; ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < n && text[i + 1] == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"') && field.isEmpty() && !fieldQuoted) {
            quoted = fieldQuoted = recordQuoted = true;
            quoteLine = line;
        } else if (c == QLatin1Char(',')) {
            endField();
        } else if (c == QLatin1Char('\r') || c == QLatin1Char('\n')) {
            if (c == QLatin1Char('\r') && i + 1 < n && text[i + 1] == QLatin1Char('\n'))
                ++i;
            endRecord();
            ++line;
            rec.line = line;
        } else {
            field += c;
        }
    }
    if (quoted)
        return makeError(Error::Code::Parse,
                         QStringLiteral("malformed CSV: the quoted field that starts on line %1 "
                                        "is never closed")
                                            .arg(quoteLine),
                                        shownPath(path), quoteLine);
    if (!field.isEmpty() || !rec.fields.isEmpty() || recordQuoted)
        endRecord();
    return records;
}

bool isPathHeader(const QString &field)
{
    static const QSet<QString> names{
        QStringLiteral("path"),     QStringLiteral("filename"),   QStringLiteral("file"),
                                                                                 QStringLiteral("image"),    QStringLiteral("image_path"), QStringLiteral("file_name"),
                                                                                                                                                      QStringLiteral("filepath"), QStringLiteral("image_name")};
    return names.contains(field.trimmed().toLower());
}

int headerColumn(const QStringList &header, std::initializer_list<const char *> names)
{
    for (int i = 0; i < header.size(); ++i)
        for (const char *n : names)
            if (header[i].trimmed().compare(QLatin1String(n), Qt::CaseInsensitive) == 0)
                return i;
    return -1;
}

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"'))
        && !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')) && s.trimmed() == s)
        return s;
    QString q = s;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

class CsvFormat final : public DatasetFormat {
public:
    FormatId id() const override { return FormatId::Csv; }
    QString name() const override { return QStringLiteral("csv"); }
    QString displayName() const override { return QStringLiteral("CSV (path,label)"); }
    bool readsFolder() const override { return false; }

    int detect(const QString &path) const override
    {
        const QFileInfo fi(path);
        if (!fi.isFile() || fi.suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) != 0)
            return 0;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        QByteArray head = f.read(4096);
        if (head.startsWith("\xEF\xBB\xBF"))
            head.remove(0, 3);
        const int nl = head.indexOf('\n');
        const QString first = QString::fromUtf8(nl < 0 ? head : head.left(nl)).trimmed();
        const QStringList fields = first.split(QLatin1Char(','));
        if (fields.isEmpty())
            return 0;
        QString p = fields.first().trimmed();
        if (p.startsWith(QLatin1Char('"')) && p.endsWith(QLatin1Char('"')) && p.size() >= 2)
            p = p.mid(1, p.size() - 2);
        if (isPathHeader(p))
            return 80;
        if (fields.size() <= 3
            && supportedImageSuffixes().contains(QFileInfo(p).suffix().toLower()))
            return 80;
        return 0;
    }

    Result<Dataset> read(const QString &path, const ReadOptions &options,
                         QVector<FormatProblem> &problems) const override
    {
        auto bytes = readAnnotationFile(path);
        if (!bytes)
            return bytes.error();
        QByteArray raw = std::move(*bytes);
        if (raw.startsWith("\xEF\xBB\xBF"))
            raw.remove(0, 3);
        auto parsed = parseCsv(QString::fromUtf8(raw), path);
        if (!parsed)
            return parsed.error();
        const QVector<Record> &records = *parsed;
        const QString csvDir = QFileInfo(path).absolutePath();
        const QString root =
            options.imageRoot.isEmpty() ? csvDir : QDir(options.imageRoot).absolutePath();

        Dataset data;
        if (records.isEmpty())
            return data;
        int pathCol = 0, labelCol = 1, splitCol = 2;
        int first = 0;
        int columns = int(records.first().fields.size());
        QVector<QPair<int, QString>> metaCols;
        const QString f0 = records.first().fields.first();
        // A header names its first column, and names no file beside the CSV.
        if (isPathHeader(f0) && !QFileInfo::exists(QDir(root).absoluteFilePath(f0.trimmed()))) {
            const QStringList &h = records.first().fields;
            first = 1;
            pathCol =
                std::max(0, headerColumn(h, {"path", "filename", "file", "image", "image_path",
                                             "file_name", "filepath", "image_name"}));
            labelCol = headerColumn(h, {"label", "labels", "class", "classes", "category", "tags"});
            splitCol = headerColumn(h, {"split", "subset"});
            for (int i = 0; i < h.size(); ++i)
                if (i != pathCol && i != labelCol && i != splitCol && !h[i].trimmed().isEmpty())
                    metaCols.append({i, h[i].trimmed()});
        } else {
            if (columns < 3)
                splitCol = -1;
            if (columns < 2)
                labelCol = -1;
        }
        QHash<QString, int> byPath;  // resolved path -> image index
        QHash<QString, int> classes; // Dataset::classIndex searches a list: O(1) here
        for (int r = first; r < records.size(); ++r) {
            if (r % 1000 == 0 && isCancelled(options.cancel))
                return makeError(Error::Code::Cancelled, QStringLiteral("cancelled"));
            const Record &rec = records[r];
            const auto problem = [&](const QString &message) {
                FormatProblem p;
                p.path = shownPath(path);
                p.line = rec.line;
                p.message = message;
                problems.append(p);
            };
            if (rec.fields.size() != columns) {
                problem(QStringLiteral("row has %1 fields where the %2 has %3; row left out")
                                           .arg(rec.fields.size())
                                           .arg(first ? QStringLiteral("header")
                                                      : QStringLiteral("first row"))
                                                          .arg(columns));
                continue;
            }
            const QString name = rec.fields[pathCol].trimmed();
            auto resolved = resolveInside(root, root, name);
            if (!resolved) {
                problem(resolved.error().message + QStringLiteral("; row left out"));
                continue;
            }
            const QString split = splitCol >= 0 ? normalisedSplit(rec.fields[splitCol]) : QString();
            QVector<int> labels;
            if (labelCol >= 0) {
                for (const QString &l : rec.fields[labelCol].split(QLatin1Char(';'))) {
                    const QString t = l.trimmed();
                    if (t.isEmpty())
                        continue;
                    auto known = classes.constFind(t);
                    if (known == classes.constEnd())
                        known = classes.insert(t, data.classIndex(t));
                    const int c = known.value();
                    if (!labels.contains(c))
                        labels.append(c);
                }
            }
            const auto seen = byPath.constFind(*resolved);
            if (seen != byPath.constEnd()) {
                DatasetImage &img = data.images[*seen];
                for (int c : labels)
                    if (!img.labels.contains(c))
                        img.labels.append(c);
                if (!split.isEmpty() && img.split.isEmpty())
                    img.split = split;
                else if (!split.isEmpty() && split != img.split)
                    problem(QStringLiteral("split '%1' contradicts split '%2' given on line %3 for "
                                           "the same image; the first is kept")
                                               .arg(split, img.split)
                                               .arg(img.line));
                continue;
            }
            DatasetImage img;
            img.path = *resolved;
            img.name = QString(name).replace(QLatin1Char('\\'), QLatin1Char('/'));
            img.labels = labels;
            img.split = split;
            for (const auto &m : metaCols)
                if (!rec.fields[m.first].isEmpty())
                    img.meta.insert(m.second, rec.fields[m.first]);
            img.source = shownPath(path);
            img.line = rec.line;
            byPath.insert(img.path, int(data.images.size()));
            data.images.append(std::move(img));
        }
        return data;
    }

    Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
                 QVector<FormatProblem> &warnings) const override
    {
        const QDir out(outDir);
        if (!QDir().mkpath(out.absolutePath()))
            return makeError(Error::Code::Io, QStringLiteral("cannot create the folder"),
                                                             shownPath(outDir));
        const bool splits = std::any_of(data.images.begin(), data.images.end(),
                                        [](const DatasetImage &i) { return !i.split.isEmpty(); });
        std::map<QString, int> metaKeys; // sorted: a stable column order
        for (const DatasetImage &img : data.images)
            for (auto it = img.meta.begin(); it != img.meta.end(); ++it)
                if (it.key() != QLatin1String("path") && it.key() != QLatin1String("label")
                    && it.key() != QLatin1String("split"))
                    metaKeys.emplace(it.key(), 0);
        // ';' separates labels, so a class name cannot hold one.
        QStringList names;
        int renamed = 0;
        for (const QString &c : data.classes) {
            QString n = c;
            if (n.contains(QLatin1Char(';'))) {
                n.replace(QLatin1Char(';'), QLatin1Char('_'));
                ++renamed;
            }
            names << n;
        }
        QString text = QStringLiteral("path,label");
        if (splits)
            text += QStringLiteral(",split");
        for (const auto &k : metaKeys)
            text += QLatin1Char(',') + csvField(k.first);
        text += QLatin1Char('\n');
        int shapes = 0, missing = 0;
        for (int i = 0; i < data.images.size(); ++i) {
            if (i % 1000 == 0 && isCancelled(options.cancel))
                return makeError(Error::Code::Cancelled, QStringLiteral("cancelled"));
            const DatasetImage &img = data.images[i];
            shapes += img.shapes.size();
            const QString rel = QStringLiteral("images/") + exportRelativePath(img.name);
            const Status placed = placeImage(img.path, out.absoluteFilePath(rel), options.images);
            if (!placed) {
                if (placed.error().code != Error::Code::NotFound)
                    return placed.error();
                ++missing;
            }
            QStringList labels;
            for (int c : img.labels)
                if (c >= 0 && c < names.size() && !labels.contains(names[c]))
                    labels << names[c];
            text += csvField(rel) + QLatin1Char(',') + csvField(labels.join(QLatin1Char(';')));
            if (splits)
                text += QLatin1Char(',')
                        + csvField(img.split.isEmpty() ? QStringLiteral("train") : img.split);
            for (const auto &k : metaKeys)
                text += QLatin1Char(',') + csvField(img.meta.value(k.first));
            text += QLatin1Char('\n');
        }
        SALIENT_TRY(
            writeFileAtomically(out.absoluteFilePath(QStringLiteral("labels.csv")), text.toUtf8()));
        const auto warn = [&](const QString &message) {
            FormatProblem p;
            p.path = shownPath(out.absoluteFilePath(QStringLiteral("labels.csv")));
            p.message = message;
            warnings.append(p);
        };
        if (shapes)
            warn(QStringLiteral("%1 shapes (boxes, polygons, masks) left out: CSV holds image labels only")
                    .arg(shapes));
        if (renamed)
            warn(QStringLiteral("%1 class names held ';', the label separator: written with '_' instead")
                    .arg(renamed));
        if (missing)
            warn(QStringLiteral("%1 image files are missing and were not placed").arg(missing));
        return {};
    }
};

} // namespace

std::unique_ptr<DatasetFormat> makeCsvFormat()
{
    return std::make_unique<CsvFormat>();
}

} // namespace salient
