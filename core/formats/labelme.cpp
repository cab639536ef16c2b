// SPDX-License-Identifier: GPL-3.0-or-later
// labelme JSON: one file per image, usually beside it. Points are in our
// convention already (labelme's canvas paints pixel i over [i, i+1)).
#include "core/annotation/raster.h"
#include "core/formats/format.h"
#include "core/formats/formatutil.h"
#include "core/imaging/probe.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace salient {

namespace {

constexpr double kPi = 3.14159265358979323846;
// labelme 5.1.1 is what Debian ships and what our peer tests run against.
const char *const kLabelmeVersion = "5.1.1";

Error cancelError()
{
    return makeError(Error::Code::Cancelled, QStringLiteral("cancelled"));
}

// A circle (centre, point on the rim) as a polygon of equal area: one vertex
// about every 2 px of rim (at least 32), on a radius enlarged so that the
// polygon's area is exactly the circle's. The vertices then stray from the
// circle by about r * pi^2 / (3 n^2): under 0.04 px for any radius.
QPolygonF circleToPolygon(const QPointF &centre, const QPointF &rim)
{
    const double r = std::hypot(rim.x() - centre.x(), rim.y() - centre.y());
    // Clamped as a double: a hostile radius (1e300, inf) must not reach int (UB).
    const double wanted = std::ceil(2 * kPi * r / 2);
    const int n = wanted >= 2048 ? 2048 : wanted > 32 ? int(wanted) : 32;
    const double step = 2 * kPi / n;
    const double scale = std::sqrt(step / std::sin(step));
    QPolygonF poly;
    poly.reserve(n);
    for (int i = 0; i < n; ++i)
        poly.append(QPointF(centre.x() + r * scale * std::cos(i * step),
                            centre.y() + r * scale * std::sin(i * step)));
    return poly;
}

// labelme 5.2+ "mask" shapes: a base64 PNG whose top-left pixel sits at the
// integer part of the first point (labelme indexes mask[y1:y2+1, x1:x2+1]).
Result<Mask> decodeMaskShape(const QString &base64, const QPointF &topLeft)
{
    const auto notPng = [] {
        return makeError(Error::Code::Parse, QStringLiteral("mask is not a base64 PNG"));
    };
    QByteArray png =
        QByteArray::fromBase64(base64.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (png.isEmpty())
        return notPng();
    // A few bytes of base64 can declare a huge PNG: its size is checked
    // against the pixel limit before anything is decoded.
    QBuffer buffer(&png);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    if (!reader.size().isValid())
        return notPng();
    const Status sized = checkReaderSize(reader, QString());
    if (!sized.ok())
        return makeError(Error::Code::Invalid, QStringLiteral("mask PNG ") + sized.error().message);
    const QImage img = reader.read().convertToFormat(QImage::Format_Grayscale8);
    if (img.isNull())
        return notPng();
    const QPoint origin(int(topLeft.x()), int(topLeft.y()));
    Mask m(QRect(origin, img.size()));
    for (int y = 0; y < img.height(); ++y) {
        const uchar *row = img.constScanLine(y);
        for (int x = 0; x < img.width(); ++x)
            if (row[x])
                m.set(origin.x() + x, origin.y() + y, true);
    }
    return m;
}

bool isLabelmeHead(const QByteArray &head, const QByteArray &tail)
{
    const bool shapes = head.contains("\"shapes\"");
    const bool image = head.contains("\"imagePath\"") || tail.contains("\"imagePath\"")
                       || tail.contains("\"imageWidth\"") || tail.contains("\"imageHeight\"");
    return shapes && image;
}

bool looksLikeLabelmeFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = f.read(1024);
    QByteArray tail;
    if (f.size() > 1024 && f.seek(std::max<qint64>(1024, f.size() - 1024)))
        tail = f.read(1024);
    return isLabelmeHead(head, tail);
}

// The *.json files under a folder, in a stable order, hidden folders skipped.
QStringList jsonFilesUnder(const QString &folder, const std::atomic_bool *cancel)
{
    QStringList files;
    QDirIterator it(folder, {QStringLiteral("*.json"), QStringLiteral("*.JSON")},
                             QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    int n = 0;
    while (it.hasNext()) {
        const QString f = it.next();
        if (++n % 1000 == 0 && isCancelled(cancel))
            break;
        const QString rel = QDir(folder).relativeFilePath(f);
        if (rel.startsWith(QLatin1Char('.')) || rel.contains(QLatin1String("/.")))
            continue;
        files.append(f);
    }
    std::sort(files.begin(), files.end());
    return files;
}

// --- reading -----------------------------------------------------------------

struct FileReader {
    Dataset &data;
    QVector<FormatProblem> &problems;
    QString root;
    QHash<QString, int> classes; // Dataset::classIndex searches a list: O(1) here

    int classIndex(const QString &name)
    {
        auto it = classes.constFind(name);
        if (it == classes.constEnd())
            it = classes.insert(name, data.classIndex(name));
        return it.value();
    }

    void problem(const QString &file, const QString &where, const QString &message)
    {
        FormatProblem p;
        p.path = shownPath(file);
        p.where = where;
        p.message = message;
        problems.append(p);
    }

    // Points as a list of pairs of numbers; a problem naming the first bad one.
    std::optional<QPolygonF> points(const QString &file, const QJsonValue &v, const QString &where)
    {
        if (!v.isArray()) {
            problem(file, where, QStringLiteral("points is not a list, shape left out"));
            return std::nullopt;
        }
        const QJsonArray a = v.toArray();
        QPolygonF poly;
        poly.reserve(int(a.size()));
        for (int i = 0; i < a.size(); ++i) {
            const QJsonArray p = a[i].toArray();
            if (!a[i].isArray() || p.size() != 2 || !p[0].isDouble() || !p[1].isDouble()) {
                problem(file,
                        QStringLiteral("%1[%2]").arg(where).arg(i),
                            QStringLiteral("a point must be a pair of numbers, shape left out"));
                return std::nullopt;
            }
            poly.append(QPointF(p[0].toDouble(), p[1].toDouble()));
        }
        return poly;
    }

    std::optional<DatasetShape> shape(const QString &file, const QJsonObject &s, int index)
    {
        const QString where = QStringLiteral("shapes[%1]").arg(index);
        const QString label = s.value(QStringLiteral("label")).toString();
        if (label.isEmpty()) {
            problem(file, where
                              + QStringLiteral(".label"),
                                               QStringLiteral("shape has no label, left out"));
            return std::nullopt;
        }
        const QString type =
            s.value(QStringLiteral("shape_type")).toString(QStringLiteral("polygon"));
        const auto pts =
            points(file, s.value(QStringLiteral("points")), where + QStringLiteral(".points"));
        if (!pts)
            return std::nullopt;
        DatasetShape out;
        out.origin = index;
        const auto needs = [&](int count) {
            if (pts->size() == count)
                return true;
            problem(file, where
                              + QStringLiteral(".points"),
                                  QStringLiteral("a %1 needs %2 points, not %3; shape left out")
                                                     .arg(type)
                                                     .arg(count)
                                                     .arg(pts->size()));
            return false;
        };
        if (type == QLatin1String("polygon")) {
            out.geometry = Polygon{*pts}; // degenerate ones are reported by the pipeline
        } else if (type == QLatin1String("rectangle")) {
            if (!needs(2))
                return std::nullopt;
            out.geometry = Box{QRectF((*pts)[0], (*pts)[1]).normalized()};
        } else if (type == QLatin1String("circle")) {
            if (!needs(2))
                return std::nullopt;
            out.geometry = Polygon{circleToPolygon((*pts)[0], (*pts)[1])};
        } else if (type == QLatin1String("mask")) {
            if (!needs(2))
                return std::nullopt;
            auto m = decodeMaskShape(s.value(QStringLiteral("mask")).toString(), (*pts)[0]);
            if (!m) {
                problem(file, where + QStringLiteral(".mask"),
                        m.error().message + QStringLiteral(", shape left out"));
                return std::nullopt;
            }
            out.geometry = std::move(m).value();
        } else {
            problem(file,
                    where
                        + QStringLiteral(".shape_type"),
                            QStringLiteral("shape_type '%1' is not representable (boxes, polygons, circles "
                                   "and masks are), left out")
                                    .arg(type));
            return std::nullopt;
        }
        out.classIndex = classIndex(label);
        QJsonObject attrs;
        const QJsonValue gid = s.value(QStringLiteral("group_id"));
        if (gid.isDouble())
            attrs.insert(QStringLiteral("group_id"), gid.toInt());
        const QString description = s.value(QStringLiteral("description")).toString();
        if (!description.isEmpty())
            attrs.insert(QStringLiteral("description"), description);
        const QJsonObject flags = s.value(QStringLiteral("flags")).toObject();
        if (!flags.isEmpty())
            attrs.insert(QStringLiteral("flags"), flags);
        if (!attrs.isEmpty())
            out.attributes = QString::fromUtf8(QJsonDocument(attrs).toJson(QJsonDocument::Compact));
        return out;
    }

    Status file(const QString &file)
    {
        auto bytes = readAnnotationFile(file);
        if (!bytes)
            return bytes.error();
        auto doc = parseJsonFile(*bytes, file);
        if (!doc)
            return doc.error();
        if (!doc->isObject()) {
            return makeError(Error::Code::Parse,
                             QStringLiteral("a labelme file holds a JSON object, not a list"),
                                            shownPath(file), 1);
        }
        const QJsonObject o = doc->object();
        if (!o.value(QStringLiteral("shapes")).isArray()) {
            problem(file, QStringLiteral("shapes"),
                              QStringLiteral("not a labelme file (no list of shapes), left out"));
            return {};
        }
        const QJsonValue imagePath = o.value(QStringLiteral("imagePath"));
        if (!imagePath.isString()) {
            problem(file, QStringLiteral("imagePath"),
                                         QStringLiteral("imagePath is missing, file left out"));
            return {};
        }
        const QString base = QFileInfo(file).absolutePath();
        auto resolved = resolveInside(root, base, imagePath.toString());
        if (!resolved) {
            problem(file, QStringLiteral("imagePath"), resolved.error().message);
            return {};
        }
        DatasetImage img;
        img.path = *resolved;
        img.name = QDir(root).relativeFilePath(img.path);
        img.width = o.value(QStringLiteral("imageWidth")).toInt();
        img.height = o.value(QStringLiteral("imageHeight")).toInt();
        img.source = shownPath(file);
        img.shapeWhere = QStringLiteral("shapes[%1]");
        const QJsonValue imageData = o.value(QStringLiteral("imageData"));
        if (imageData.isString() && !imageData.toString().isEmpty()) {
            img.embeddedImage = QByteArray::fromBase64(imageData.toString().toLatin1(),
                                                       QByteArray::AbortOnBase64DecodingErrors);
            if (img.embeddedImage.isEmpty())
                problem(file,
                        QStringLiteral("imageData"),
                                       QStringLiteral("imageData is not valid base64, left out"));
        }
        // File-level flags are image-level tags: a flag set true is a label.
        const QJsonObject flags = o.value(QStringLiteral("flags")).toObject();
        for (auto it = flags.begin(); it != flags.end(); ++it)
            if (it.value().toBool(false))
                img.labels.append(classIndex(it.key()));
        const QJsonArray shapes = o.value(QStringLiteral("shapes")).toArray();
        img.shapes.reserve(int(shapes.size()));
        for (int i = 0; i < shapes.size(); ++i) {
            if (!shapes[i].isObject()) {
                problem(file,
                        QStringLiteral("shapes[%1]").arg(i),
                                       QStringLiteral("a shape must be a JSON object, left out"));
                continue;
            }
            if (auto s = shape(file, shapes[i].toObject(), i))
                img.shapes.append(std::move(*s));
        }
        data.images.append(std::move(img));
        return {};
    }
};

// --- writing -----------------------------------------------------------------

// JSON laid out as Python's json.dump(indent=2) does, keys in labelme's order.
class JsonOut {
public:
    QByteArray text;

    static QByteArray quoted(const QString &s)
    {
        QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
        return a.mid(1, a.size() - 2);
    }

    void value(const QJsonValue &v, int depth)
    {
        switch (v.type()) {
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            text += "null";
            break;
        case QJsonValue::Bool:
            text += v.toBool() ? "true" : "false";
            break;
        case QJsonValue::Double:
            text += formatNumber(v.toDouble()).toLatin1();
            break;
        case QJsonValue::String:
            text += quoted(v.toString());
            break;
        case QJsonValue::Array: {
            const QJsonArray a = v.toArray();
            if (a.isEmpty()) {
                text += "[]";
                break;
            }
            text += "[";
            for (int i = 0; i < a.size(); ++i) {
                text += i ? ",\n" : "\n";
                indent(depth + 1);
                value(a[i], depth + 1);
            }
            text += "\n";
            indent(depth);
            text += "]";
            break;
        }
        case QJsonValue::Object: {
            QVector<QPair<QString, QJsonValue>> members;
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                members.append({it.key(), it.value()});
            object(members, depth);
            break;
        }
        }
    }

    void object(const QVector<QPair<QString, QJsonValue>> &members, int depth)
    {
        if (members.isEmpty()) {
            text += "{}";
            return;
        }
        text += "{";
        for (int i = 0; i < members.size(); ++i) {
            text += i ? ",\n" : "\n";
            indent(depth + 1);
            text += quoted(members[i].first) + ": ";
            value(members[i].second, depth + 1);
        }
        text += "\n";
        indent(depth);
        text += "}";
    }

    void indent(int depth) { text += QByteArray(2 * depth, ' '); }
};

QJsonArray pointsJson(const QPolygonF &poly)
{
    QJsonArray a;
    for (const QPointF &p : poly)
        a.append(QJsonArray{p.x(), p.y()});
    return a;
}

// A region too thin for a polygon (maskToPolygons gives 1 or 2 points for a
// dot or a straight stroke): the hull of its end pixels, inset a little so
// that no neighbouring pixel centre lies on the outline.
QPolygonF strokeOutline(const QPolygonF &pts)
{
    const QPointF a = pts.first(), b = pts.last();
    constexpr double h = 0.49;
    if (a == b)
        return QPolygonF(
            {a + QPointF(-h, -h), a + QPointF(h, -h), a + QPointF(h, h), a + QPointF(-h, h)});
    // Walk the hull of the two squares: the corners on each side of the stroke.
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double sx = dx > 0 ? 1 : (dx < 0 ? -1 : 0), sy = dy > 0 ? 1 : (dy < 0 ? -1 : 0);
    if (sx == 0 || sy == 0) {
        const QRectF r = QRectF(a, b).normalized().adjusted(-h, -h, h, h);
        return QPolygonF({r.topLeft(), r.topRight(), r.bottomRight(), r.bottomLeft()});
    }
    // Diagonal stroke: a hexagon.
    return QPolygonF({a + QPointF(-h * sx, -h * sy), a + QPointF(h * sx, -h * sy),
                      b + QPointF(h * sx, -h * sy), b + QPointF(h * sx, h * sy),
                      b + QPointF(-h * sx, h * sy), a + QPointF(-h * sx, h * sy)});
}

QVector<QPair<QString, QJsonValue>> shapeMembers(const QString &label, const QJsonArray &points,
                                                 const QString &type, const QJsonObject &attrs)
{
    const QJsonValue gid = attrs.value(QStringLiteral("group_id"));
    return {
        {QStringLiteral("label"), label},
         {QStringLiteral("points"), points},
          {QStringLiteral("group_id"), gid.isDouble() ? gid : QJsonValue()},
           {QStringLiteral("description"), attrs.value(QStringLiteral("description")).toString()},
            {QStringLiteral("shape_type"), type},
             {QStringLiteral("flags"), attrs.value(QStringLiteral("flags")).toObject()}};
}

class LabelmeFormat final : public DatasetFormat {
public:
    FormatId id() const override { return FormatId::Labelme; }
    QString name() const override { return QStringLiteral("labelme"); }
    QString displayName() const override { return QStringLiteral("labelme JSON"); }
    bool readsFolder() const override { return true; }

    int detect(const QString &path) const override
    {
        const QFileInfo fi(path);
        if (fi.isFile())
            return fi.suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) == 0
                           && looksLikeLabelmeFile(path)
                       ? 90
                       : 0;
        if (!fi.isDir())
            return 0;
        // Cheap: the first few JSON files among the first few thousand
        // entries (a folder of a million images must not be walked whole).
        QDirIterator it(path, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        int looked = 0;
        for (int n = 0; it.hasNext() && n < 4000 && looked < 8; ++n) {
            const QString f = it.next();
            if (it.fileInfo().suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) != 0)
                continue;
            ++looked;
            if (looksLikeLabelmeFile(f))
                return 90;
        }
        return 0;
    }

    Result<Dataset> read(const QString &path, const ReadOptions &options,
                         QVector<FormatProblem> &problems) const override
    {
        const QFileInfo fi(path);
        if (!fi.exists())
            return makeError(Error::Code::NotFound, QStringLiteral("no such file or folder"),
                                                                   shownPath(path));
        Dataset data;
        // Image paths are relative to each JSON file and must stay inside the
        // dataset folder: the folder given, or the file's folder, or imageRoot.
        FileReader reader{
            data,
            problems,
            QDir::cleanPath(options.imageRoot.isEmpty()
                                ? (fi.isDir() ? fi.absoluteFilePath() : fi.absolutePath())
                                : QDir(options.imageRoot).absolutePath()),
            {}};
        const QStringList files = fi.isDir() ? jsonFilesUnder(fi.absoluteFilePath(), options.cancel)
                                             : QStringList{fi.absoluteFilePath()};
        if (isCancelled(options.cancel))
            return cancelError();
        for (int i = 0; i < files.size(); ++i) {
            if (i % 256 == 0 && isCancelled(options.cancel))
                return cancelError();
            // A symbolic link among the JSON files must not lead out of the folder.
            if (fi.isDir()) {
                const QString folder = fi.absoluteFilePath();
                auto inside = resolveInside(folder, folder, QDir(folder).relativeFilePath(files[i]));
                if (!inside.ok()) {
                    FormatProblem p;
                    p.path = shownPath(files[i]);
                    p.message = inside.error().message + QStringLiteral("; file left out");
                    problems.append(p);
                    continue;
                }
            }
            SALIENT_TRY(reader.file(files[i]));
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
        QSet<QString> jsonNames;
        int masks = 0, maskPolygons = 0, unclassed = 0, missing = 0;
        for (int i = 0; i < data.images.size(); ++i) {
            if (i % 256 == 0 && isCancelled(options.cancel))
                return cancelError();
            const DatasetImage &img = data.images[i];
            const QString rel = exportRelativePath(img.name);
            const QString imagePath = out.absoluteFilePath(rel);
            // labelme's layout: foo.json beside foo.jpg; foo.jpg.json when a
            // foo.png in the same folder already took foo.json.
            const QFileInfo rfi(rel);
            QString jsonRel =
                (rfi.path() == QLatin1String(".") ? QString() : rfi.path() + QLatin1Char('/'))
                + rfi.completeBaseName() + QStringLiteral(".json");
            if (jsonNames.contains(jsonRel.toLower()))
                jsonRel = rel + QStringLiteral(".json");
            jsonNames.insert(jsonRel.toLower());

            const Status placed = placeImage(img.path, imagePath, options.images);
            if (!placed) {
                if (placed.error().code != Error::Code::NotFound)
                    return placed.error();
                ++missing;
            }

            QJsonArray shapes;
            for (const DatasetShape &s : img.shapes) {
                if (s.classIndex < 0 || s.classIndex >= data.classes.size()) {
                    ++unclassed;
                    continue;
                }
                const QString label = data.classes[s.classIndex];
                const QJsonObject attrs = QJsonDocument::fromJson(s.attributes.toUtf8()).object();
                if (const auto *b = std::get_if<Box>(&s.geometry)) {
                    const QRectF r = b->rect.normalized();
                    shapes.append(QJsonArray{QJsonValue(label),
                                             QJsonArray{QJsonArray{r.left(), r.top()},
                                                        QJsonArray{r.right(), r.bottom()}},
                                             QStringLiteral("rectangle"), attrs});
                } else if (const auto *p = std::get_if<Polygon>(&s.geometry)) {
                    shapes.append(
                        QJsonArray{label, pointsJson(p->points), QStringLiteral("polygon"), attrs});
                } else if (const auto *m = std::get_if<Mask>(&s.geometry)) {
                    ++masks;
                    for (QPolygonF poly : maskToPolygons(*m)) {
                        if (poly.size() < 3)
                            poly = strokeOutline(poly);
                        ++maskPolygons;
                        shapes.append(
                            QJsonArray{label, pointsJson(poly), QStringLiteral("polygon"), attrs});
                    }
                }
            }

            JsonOut json;
            json.text += "{\n  \"version\": \"";
            json.text += kLabelmeVersion;
            json.text += "\",\n  \"flags\": ";
            QVector<QPair<QString, QJsonValue>> flags;
            for (int c : img.labels)
                if (c >= 0 && c < data.classes.size())
                    flags.append({data.classes[c], true});
            json.object(flags, 1);
            json.text += ",\n  \"shapes\": ";
            if (shapes.isEmpty()) {
                json.text += "[]";
            } else {
                json.text += "[";
                for (int k = 0; k < shapes.size(); ++k) {
                    const QJsonArray s = shapes[k].toArray();
                    json.text += k ? ",\n" : "\n";
                    json.indent(2);
                    json.object(shapeMembers(s[0].toString(), s[1].toArray(), s[2].toString(),
                                             s[3].toObject()),
                                2);
                }
                json.text += "\n  ]";
            }
            json.text += ",\n  \"imagePath\": " + JsonOut::quoted(rfi.fileName());
            json.text += ",\n  \"imageData\": ";
            auto bytes =
                options.embedImageData ? readFileBytes(img.path) : Result<QByteArray>(QByteArray());
            if (bytes.ok() && !bytes->isEmpty()) {
                json.text += '"' + bytes->toBase64() + '"';
            } else {
                json.text += "null";
            }
            json.text += ",\n  \"imageHeight\": " + QByteArray::number(img.height);
            json.text += ",\n  \"imageWidth\": " + QByteArray::number(img.width);
            json.text += "\n}\n";
            SALIENT_TRY(writeFileAtomically(out.absoluteFilePath(jsonRel), json.text));
        }
        const auto warn = [&](const QString &message) {
            FormatProblem p;
            p.path = shownPath(out.absolutePath());
            p.message = message;
            warnings.append(p);
        };
        if (masks)
            warn(
                QStringLiteral("%1 masks written as %2 polygons: labelme stores outlines, so holes "
                                "are filled")
                                   .arg(masks)
                                   .arg(maskPolygons));
        if (unclassed)
            warn(QStringLiteral("%1 shapes without a class left out: labelme needs a label").arg(
                unclassed));
        if (missing)
            warn(QStringLiteral("%1 image files are missing: their JSON files were written without "
                                "the image")
                                    .arg(missing));
        return {};
    }
};

} // namespace

std::unique_ptr<DatasetFormat> makeLabelmeFormat()
{
    return std::make_unique<LabelmeFormat>();
}

} // namespace salient
