// SPDX-License-Identifier: GPL-3.0-or-later
// COCO JSON (detection and instance segmentation), read and written.
//
// Where images are looked for (ReadOptions::imageRoot empty): the dataset
// folder ("root", which every image must lie inside) is the JSON file's
// folder, or its parent when the file sits in a folder called "annotations"
// (the usual COCO layout: root/annotations/instances_val2017.json beside
// root/val2017/ or root/images/). Each file_name is tried, first existing
// wins, against root/images/ and root/<the file name's tail, "val2017">/ (each
// when the folder exists), root/ and the JSON's own folder; when none holds
// it, the first candidate that lies inside root is kept and the import
// pipeline reports the missing file. With imageRoot set, names are relative to
// it and it is the root.
//
// read() takes the .json file, or a folder holding annotations.json or exactly
// one COCO file in annotations/ (several: an Error asking to name one).
//
// Our extensions, ignored by other COCO tools and read back by us: images carry
// "labels": ["class", ...] (image-level classes, which COCO has no place for),
// "split": "train" and "meta": {"key": "value"}.
#include "core/formats/cocorle.h"
#include "core/formats/format.h"
#include "core/formats/formatutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <climits>
#include <cmath>
#include <optional>

namespace salient {

namespace {

constexpr int kCancelEvery = 1000;

Error isCancelled()
{
    return makeError(Error::Code::Cancelled, QStringLiteral("cancelled"));
}

bool isCancelled(const std::atomic_bool *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

/// 0: not COCO, 1: "images" only, 2: "images" and "annotations" or "categories".
int cocoSignature(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray head = f.read(4096);
    if (!head.trimmed().startsWith('{') || !head.contains("\"images\""))
        return 0;
    return head.contains("\"annotations\"") || head.contains("\"categories\"") ? 2 : 1;
}

/// The COCO file a folder holds: annotations.json, or the one COCO file in
/// annotations/. Empty with `why` set when there is none or several.
QString cocoFileInFolder(const QString &dir, QString *why = nullptr)
{
    const QString direct = QDir(dir).filePath(QStringLiteral("annotations.json"));
    if (QFileInfo(direct).isFile() && cocoSignature(direct) > 0)
        return direct;
    const QDir sub(QDir(dir).filePath(QStringLiteral("annotations")));
    QStringList found;
    const QStringList jsons = sub.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : jsons)
        if (cocoSignature(sub.filePath(name)) > 0)
            found << sub.filePath(name);
    if (found.size() == 1)
        return found.first();
    if (why)
        *why = found.isEmpty()
            ? QStringLiteral("no COCO file here (looked for annotations.json and annotations/*.json)")
            : QStringLiteral("several COCO files in annotations/ (%1): name the one to read") .arg(
                QFileInfo(found.first()).fileName() + QStringLiteral(", ..."));
    return {};
}

bool integerOf(const QJsonValue &v, qint64 &out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
        return false;
    out = qint64(d);
    return true;
}

bool numbersOf(const QJsonArray &a, QVector<double> &out)
{
    out.resize(a.size());
    for (int i = 0; i < a.size(); ++i) {
        const QJsonValue v = a.at(i);
        if (!v.isDouble())
            return false;
        out[i] = v.toDouble();
    }
    return true;
}

/// Where file_name values are resolved (see the comment at the top).
struct ImagePlaces {
    QString root;
    QStringList bases;
    int lastHit = 0; // datasets keep their images in one place: try it first

    Result<QString> resolve(const QString &name)
    {
        const int n = int(bases.size());
        int okIndex = -1;
        QString okPath;
        std::optional<Error> error;
        for (int k = 0; k < n; ++k) {
            const int i = (lastHit + k) % n;
            Result<QString> r = resolveInside(root, bases[i], name);
            if (!r.ok()) {
                if (!error)
                    error = r.error();
                continue;
            }
            if (n == 1 || QFileInfo::exists(r.value())) {
                lastHit = i;
                return r;
            }
            if (okIndex < 0 || i < okIndex) {
                okIndex = i;
                okPath = r.value();
            }
        }
        if (okIndex >= 0)
            return okPath;
        return *error;
    }
};

ImagePlaces placesFor(const QString &jsonPath, const QString &imageRoot)
{
    ImagePlaces p;
    if (!imageRoot.isEmpty()) {
        p.root = QDir::cleanPath(QDir(imageRoot).absolutePath());
        p.bases << p.root;
        return p;
    }
    const QFileInfo fi(jsonPath);
    const QString jsonDir = QDir::cleanPath(fi.absolutePath());
    const bool inAnnotations =
        QFileInfo(jsonDir).fileName().compare(QLatin1String("annotations"), Qt::CaseInsensitive)
        == 0;
    p.root = inAnnotations ? QDir::cleanPath(jsonDir + QStringLiteral("/..")) : jsonDir;
    const QDir root(p.root);
    if (QFileInfo(root.filePath(QStringLiteral("images"))).isDir())
        p.bases << root.filePath(QStringLiteral("images"));
    if (inAnnotations) {
        // instances_val2017.json -> val2017/
        static const QRegularExpression splitName(QStringLiteral("^[A-Za-z]+_(.+)$"));
        const auto m = splitName.match(fi.completeBaseName());
        if (m.hasMatch() && QFileInfo(root.filePath(m.captured(1))).isDir())
            p.bases << root.filePath(m.captured(1));
    }
    p.bases << p.root;
    if (inAnnotations)
        p.bases << jsonDir;
    return p;
}

/// Reads one COCO file; see read() for what becomes a problem and what an Error.
class CocoReader {
public:
    CocoReader(const QString &jsonPath, const ReadOptions &options,
               QVector<FormatProblem> &problems)
        : m_path(jsonPath), m_file(shownPath(QFileInfo(jsonPath).absoluteFilePath())),
          m_options(options), m_problems(problems)
    {
    }

    Result<Dataset> read()
    {
        Result<QByteArray> bytes = readAnnotationFile(m_path);
        if (!bytes.ok())
            return bytes.error();
        const QByteArray &text = bytes.value();
        cocojson::Splitter json(text);
        const auto syntaxError = [&] {
            const qsizetype at = json.errorOffset();
            return makeError(Error::Code::Parse, QStringLiteral("malformed JSON at column %1: %2")
                                                                    .arg(columnAtOffset(text, at))
                                                                    .arg(json.errorText()),
                                                                m_file, lineAtOffset(text, at));
        };
        std::vector<std::pair<QString, cocojson::Span>> members;
        if (!json.topLevelMembers(members))
            return syntaxError();
        std::optional<cocojson::Span> images, annotations, categories;
        for (const auto &[key, span] : members) {
            std::optional<cocojson::Span> *list = key == QLatin1String("images") ? &images
                                                  : key == QLatin1String("annotations")
                                                      ? &annotations
                                                  : key == QLatin1String("categories") ? &categories
                                                                                       : nullptr;
            if (list && json.isArray(span)) {
                *list = span;
                continue;
            }
            QJsonValue ignored; // info, licenses, ...: only checked to be JSON
            if (!json.parse(span, ignored))
                return syntaxError();
            if (list && !ignored.isNull())
                return makeError(Error::Code::Parse,
                                 QStringLiteral("\"%1\" must be a list").arg(key), m_file,
                                                lineAtOffset(text, span.begin));
        }
        if (!images)
            return makeError(Error::Code::Parse,
                             QStringLiteral("not a COCO file: no \"images\" list"), m_file);
        m_places = placesFor(m_path, m_options.imageRoot);
        bool stopped = false;
        const auto each = [&](const std::optional<cocojson::Span> &list, auto member) {
            return !list || json.forEachElement(*list, [&](int i, const QJsonValue &v) {
                if (i % kCancelEvery == 0 && isCancelled(m_options.cancel)) {
                    stopped = true;
                    return false;
                }
                (this->*member)(i, v);
                return true;
            });
        };
        // Categories and images first: annotations refer to both, wherever the file puts them.
        if (!each(categories, &CocoReader::readCategory) || !each(images, &CocoReader::readImage)
            || !each(annotations, &CocoReader::readAnnotation))
            return syntaxError();
        if (stopped)
            return isCancelled();
        return std::move(m_data);
    }

private:
    void problem(const QString &where, const QString &message)
    {
        FormatProblem p;
        p.path = m_file;
        p.where = where;
        p.message = message;
        m_problems.push_back(p);
    }

    int classOf(const QString &name)
    {
        const auto it = m_classByName.constFind(name);
        if (it != m_classByName.constEnd())
            return *it;
        const int i = int(m_data.classes.size());
        m_data.classes.push_back(name);
        m_classByName.insert(name, i);
        return i;
    }

    void readCategory(int i, const QJsonValue &v)
    {
        const QString where = QStringLiteral("categories[%1]").arg(i);
        if (!v.isObject()) {
            problem(where, QStringLiteral("a category must be an object"));
            return;
        }
        const QJsonObject o = v.toObject();
        qint64 id = 0;
        if (!integerOf(o.value(QLatin1String("id")), id)) {
            problem(where
                    + QStringLiteral(".id"), QStringLiteral("category id must be an integer"));
            return;
        }
        const QString name = o.value(QLatin1String("name")).toString().trimmed();
        if (name.isEmpty()) {
            problem(where
                    + QStringLiteral(".name"), QStringLiteral("category %1 has no name").arg(id));
            return;
        }
        if (m_categories.contains(id)) {
            problem(where
                    + QStringLiteral(".id"),
                                     QStringLiteral("category id %1 is declared twice").arg(id));
            return;
        }
        m_categories.insert(id, classOf(name)); // equal names share one class
    }

    void readImage(int i, const QJsonValue &v)
    {
        const QString where = QStringLiteral("images[%1]").arg(i);
        if (!v.isObject()) {
            problem(where, QStringLiteral("an image must be an object"));
            return;
        }
        const QJsonObject o = v.toObject();
        qint64 id = 0;
        if (!integerOf(o.value(QLatin1String("id")), id)) {
            problem(where + QStringLiteral(".id"), QStringLiteral("image id must be an integer"));
            return;
        }
        if (m_imageIndex.contains(id) || m_refusedImages.contains(id)) {
            problem(where
                    + QStringLiteral(".id"),
                                     QStringLiteral("image id %1 is declared twice").arg(id));
            return;
        }
        // From here on, a refused image takes its annotations with it quietly:
        // the image's own problem says why.
        m_refusedImages.insert(id);
        const QJsonValue nameValue = o.value(QLatin1String("file_name"));
        const QString name = nameValue.toString();
        if (!nameValue.isString() || name.isEmpty()) {
            problem(where
                    + QStringLiteral(".file_name"),
                                     QStringLiteral("file_name must be a non-empty string"));
            return;
        }
        DatasetImage image;
        bool sizeOk = true;
        for (const auto &[key, out] :
             {std::pair{"width", &image.width}, {"height", &image.height}}) {
            const QJsonValue s = o.value(QLatin1String(key));
            qint64 n = 0;
            if (s.isUndefined() || s.isNull())
                continue;
            if (!integerOf(s, n) || n < 0 || n > INT_MAX) {
                problem(
                    where + QLatin1Char('.') + QLatin1String(key),
                    QStringLiteral("%1 must be a non-negative integer").arg(QLatin1String(key)));
                sizeOk = false;
                break;
            }
            *out = int(n);
        }
        if (!sizeOk)
            return;
        Result<QString> path = m_places.resolve(name);
        if (!path.ok()) {
            problem(where + QStringLiteral(".file_name"), path.error().message);
            return;
        }
        image.path = path.value();
        image.name = name;
        image.source = m_file;
        image.where = where;
        image.shapeWhere = QStringLiteral("annotations[%1]");
        readImageExtras(o, where, image);
        m_refusedImages.remove(id);
        m_imageIndex.insert(id, int(m_data.images.size()));
        m_data.images.push_back(std::move(image));
    }

    /// Our extensions: "labels", "split", "meta" (see the top of the file).
    void readImageExtras(const QJsonObject &o, const QString &where, DatasetImage &image)
    {
        const QJsonValue labels = o.value(QLatin1String("labels"));
        if (labels.isArray()) {
            const QJsonArray a = labels.toArray();
            for (int j = 0; j < a.size(); ++j) {
                const QString label = a.at(j).toString().trimmed();
                if (!a.at(j).isString() || label.isEmpty()) {
                    problem(where
                            + QStringLiteral(".labels[%1]").arg(j),
                                             QStringLiteral("an image label must be a class name"));
                    continue;
                }
                const int c = classOf(label);
                if (!image.labels.contains(c))
                    image.labels.push_back(c);
            }
        } else if (!labels.isUndefined() && !labels.isNull()) {
            problem(where
                    + QStringLiteral(".labels"),
                                     QStringLiteral("labels must be a list of class names"));
        }
        const QJsonValue split = o.value(QLatin1String("split"));
        if (split.isString())
            image.split = split.toString().trimmed();
        const QJsonValue meta = o.value(QLatin1String("meta"));
        if (meta.isObject()) {
            const QJsonObject m = meta.toObject();
            for (auto it = m.begin(); it != m.end(); ++it)
                image.meta.insert(it.key(), it.value().isString()
                                                ? it.value().toString()
                                                : it.value().toVariant().toString());
        }
    }

    void readAnnotation(int i, const QJsonValue &v)
    {
        // JSON paths are built only when something is wrong: a million of them cost seconds.
        const auto at = [i](const char *field) {
            return QStringLiteral("annotations[%1]").arg(i) + QLatin1String(field);
        };
        if (!v.isObject()) {
            problem(at(""), QStringLiteral("an annotation must be an object"));
            return;
        }
        const QJsonObject o = v.toObject();
        qint64 imageId = 0, categoryId = 0;
        if (!integerOf(o.value(QLatin1String("image_id")), imageId)) {
            problem(at(".image_id"), QStringLiteral("image_id must be an integer"));
            return;
        }
        const auto image = m_imageIndex.constFind(imageId);
        if (image == m_imageIndex.constEnd()) {
            if (!m_refusedImages.contains(imageId))
                problem(at(".image_id"),
                        QStringLiteral("image id %1 is not in images").arg(imageId));
            return;
        }
        if (!integerOf(o.value(QLatin1String("category_id")), categoryId)) {
            problem(at(".category_id"), QStringLiteral("category_id must be an integer"));
            return;
        }
        const auto category = m_categories.constFind(categoryId);
        if (category == m_categories.constEnd()) {
            problem(at(".category_id"),
                    QStringLiteral("category id %1 is not in categories").arg(categoryId));
            return;
        }
        DatasetImage &img = m_data.images[*image];
        m_geometries.clear();
        if (!readGeometry(o, img, at, m_geometries, m_numbers))
            return;
        const QJsonValue crowd = o.value(QLatin1String("iscrowd"));
        const bool isCrowd = crowd.isDouble() ? crowd.toDouble() == 1 : crowd.toBool();
        for (Geometry &g : m_geometries) {
            DatasetShape s;
            s.classIndex = *category;
            s.geometry = std::move(g);
            if (isCrowd)
                s.attributes = QStringLiteral("{\"iscrowd\":1}");
            s.origin = i;
            img.shapes.push_back(std::move(s));
        }
    }

    /// The annotation's shapes: its segmentation (polygons or one mask) when it
    /// has one, else its bbox. False (problem reported) when it is unusable.
    template <typename At>
    bool readGeometry(const QJsonObject &o, const DatasetImage &img, const At &at,
                      QVector<Geometry> &out, QVector<double> &numbers)
    {
        const QJsonValue seg = o.value(QLatin1String("segmentation"));
        if (seg.isArray()) {
            const QJsonArray parts = seg.toArray();
            for (int j = 0; j < parts.size(); ++j) {
                const QString where = at(".segmentation") + QStringLiteral("[%1]").arg(j);
                if (!parts.at(j).isArray() || !numbersOf(parts.at(j).toArray(), numbers)) {
                    problem(where, QStringLiteral("a polygon must be a list of numbers x1, y1, x2, y2, ..."));
                    return false;
                }
                if (numbers.size() % 2 != 0) {
                    problem(where,
                            QStringLiteral("polygon has an odd number of coordinates (%1)") .arg(
                                numbers.size()));
                    return false;
                }
                QPolygonF points;
                points.reserve(numbers.size() / 2);
                for (int k = 0; k + 1 < numbers.size(); k += 2)
                    points.append(QPointF(numbers[k], numbers[k + 1]));
                out.push_back(Polygon{points});
            }
        } else if (seg.isObject()) {
            Result<Mask> mask = cocorle::maskFromJson(seg.toObject(), img.width, img.height);
            if (!mask.ok()) {
                problem(at(".segmentation") + mask.error().where, mask.error().message);
                return false;
            }
            out.push_back(std::move(mask.value()));
        } else if (!seg.isUndefined() && !seg.isNull()) {
            problem(at(".segmentation"),
                    QStringLiteral("segmentation must be a list of polygons or an RLE object"));
            return false;
        }
        const QJsonValue bbox = o.value(QLatin1String("bbox"));
        const bool hasBox = !bbox.isUndefined() && !bbox.isNull()
                            && !(bbox.isArray() && bbox.toArray().isEmpty() && !out.isEmpty());
        if (hasBox) {
            if (!bbox.isArray() || !numbersOf(bbox.toArray(), numbers) || numbers.size() != 4) {
                problem(at(".bbox"),
                        QStringLiteral("bbox must be 4 numbers [x, y, width, height]"));
                return false;
            }
            if (out.isEmpty()) // a segmentation is the shape; its bbox says nothing more
                out.push_back(Box{QRectF(numbers[0], numbers[1], numbers[2], numbers[3])});
        }
        if (out.isEmpty()) {
            problem(at(""), QStringLiteral("annotation has neither a bbox nor a segmentation"));
            return false;
        }
        return true;
    }

    QString m_path;
    QString m_file; ///< for messages
    ReadOptions m_options;
    QVector<FormatProblem> &m_problems;
    ImagePlaces m_places;
    Dataset m_data;
    QHash<QString, int> m_classByName;
    QHash<qint64, int> m_categories; ///< category id -> class index
    QHash<qint64, int> m_imageIndex; ///< image id -> index in m_data.images
    QSet<qint64> m_refusedImages;    ///< ids of images left out (their problem is reported)
    QVector<Geometry> m_geometries;  ///< scratch, reused for every annotation
    QVector<double> m_numbers;       ///< scratch
};

void appendBox(QByteArray &out, const QRectF &r)
{
    out += "\"bbox\":[";
    cocojson::appendNumber(out, r.x());
    out += ',';
    cocojson::appendNumber(out, r.y());
    out += ',';
    cocojson::appendNumber(out, r.width());
    out += ',';
    cocojson::appendNumber(out, r.height());
    out += ']';
}

int crowdOf(const QString &attributes)
{
    if (attributes.size() <= 2 || !attributes.contains(QLatin1String("iscrowd")))
        return 0;
    const QJsonValue v =
        QJsonDocument::fromJson(attributes.toUtf8()).object().value(QLatin1String("iscrowd"));
    return v.isBool() ? int(v.toBool()) : (v.toInt() == 1 ? 1 : 0);
}

double shoelace(const QPolygonF &p)
{
    double twice = 0;
    for (int i = 0, n = int(p.size()); i < n; ++i) {
        const QPointF &a = p[i], &b = p[(i + 1) % n];
        twice += a.x() * b.y() - b.x() * a.y();
    }
    return std::fabs(twice) / 2;
}

/// Counts of what the writer had to leave out or change, turned into warnings at the end.
struct WriteNotes {
    int noClass = 0;
    int emptyMasks = 0;
    int clippedMasks = 0;
    int emptyPolygons = 0;
};

/// One annotation object, or false when the shape cannot be written.
bool appendAnnotation(QByteArray &j, const DatasetImage &img, const DatasetShape &s, qint64 id,
                      int imageId, WriteNotes &notes)
{
    // Written straight into j (the caller cuts it back when this returns false):
    // a million annotations should not cost a million temporary buffers.
    j += "{\"id\":" + QByteArray::number(id) + ",\"image_id\":" + QByteArray::number(imageId)
         + ",\"category_id\":" + QByteArray::number(s.classIndex + 1) + ',';
    if (const auto *box = std::get_if<Box>(&s.geometry)) {
        appendBox(j, box->rect);
        j += ",\"area\":";
        cocojson::appendNumber(j, std::fabs(box->rect.width() * box->rect.height()));
        j += ",\"segmentation\":[]";
    } else if (const auto *poly = std::get_if<Polygon>(&s.geometry)) {
        if (poly->points.isEmpty()) {
            ++notes.emptyPolygons;
            return false;
        }
        j += "\"segmentation\":[[";
        for (int k = 0; k < poly->points.size(); ++k) {
            if (k)
                j += ',';
            cocojson::appendNumber(j, poly->points[k].x());
            j += ',';
            cocojson::appendNumber(j, poly->points[k].y());
        }
        j += "]],";
        appendBox(j, poly->points.boundingRect());
        j += ",\"area\":";
        cocojson::appendNumber(j, shoelace(poly->points));
    } else {
        const Mask &mask = std::get<Mask>(s.geometry);
        const QRect tight = mask.tightBounds();
        // RLE needs the image's frame; an undeclared size falls back to the mask's extent.
        const int w = img.width > 0 ? img.width : tight.x() + tight.width();
        const int h = img.height > 0 ? img.height : tight.y() + tight.height();
        std::uint64_t area = 0;
        if (!tight.isEmpty())
            j += "\"segmentation\":" + cocorle::maskToJson(mask, w, h, &area) + ',';
        if (area == 0) {
            ++notes.emptyMasks;
            return false;
        }
        if (area < std::uint64_t(mask.area()))
            ++notes.clippedMasks;
        appendBox(j, QRectF(tight.intersected(QRect(0, 0, w, h))));
        j += ",\"area\":" + QByteArray::number(area);
    }
    j += ",\"iscrowd\":" + QByteArray::number(crowdOf(s.attributes)) + '}';
    return true;
}

void appendImage(QByteArray &j, const Dataset &data, const DatasetImage &img, int id,
                 const QString &relative)
{
    j += "{\"id\":" + QByteArray::number(id) + ",\"file_name\":";
    cocojson::appendString(j, relative);
    j += ",\"width\":" + QByteArray::number(img.width)
         + ",\"height\":" + QByteArray::number(img.height);
    if (!img.split.isEmpty()) {
        j += ",\"split\":";
        cocojson::appendString(j, img.split);
    }
    if (!img.labels.isEmpty()) {
        j += ",\"labels\":[";
        bool first = true;
        for (int c : img.labels) {
            if (c < 0 || c >= data.classes.size())
                continue;
            if (!first)
                j += ',';
            first = false;
            cocojson::appendString(j, data.classes[c]);
        }
        j += ']';
    }
    if (!img.meta.isEmpty()) {
        j += ",\"meta\":{";
        QStringList keys = img.meta.keys();
        keys.sort(); // stable output for the same project
        for (int k = 0; k < keys.size(); ++k) {
            if (k)
                j += ',';
            cocojson::appendString(j, keys[k]);
            j += ':';
            cocojson::appendString(j, img.meta.value(keys[k]));
        }
        j += '}';
    }
    j += '}';
}

Status writeCoco(const Dataset &data, const QString &outDir, const WriteOptions &options,
                 QVector<FormatProblem> &warnings)
{
    const QDir out(outDir);
    const QString jsonPath = out.filePath(QStringLiteral("annotations.json"));
    const auto warn = [&](const QString &message) {
        FormatProblem p;
        p.path = shownPath(jsonPath);
        p.message = message;
        warnings.push_back(p);
    };
    int missing = 0;
    qsizetype shapes = 0;
    for (const DatasetImage &img : data.images)
        shapes += img.shapes.size();
    QByteArray j;
    j.reserve(qsizetype(1 << 16) + 100 * qsizetype(data.images.size()) + 140 * shapes);
    j += "{\"info\":{\"description\":\"Salient Studio export\"},\"images\":[";
    for (int i = 0; i < data.images.size(); ++i) {
        if (i % kCancelEvery == 0 && isCancelled(options.cancel))
            return isCancelled();
        const DatasetImage &img = data.images[i];
        const QString relative = exportRelativePath(img.name);
        const Status placed = placeImage(
            img.path, out.filePath(QStringLiteral("images/") + relative), options.images);
        if (!placed.ok()) {
            if (placed.error().code != Error::Code::NotFound)
                return placed.error();
            if (missing++ < 10)
                warn(QStringLiteral("image file %1 is missing; its entry is written all the same")
                                        .arg(shownPath(img.path)));
        }
        if (i)
            j += ',';
        appendImage(j, data, img, i + 1, relative);
    }
    j += "],\"annotations\":[";
    WriteNotes notes;
    qint64 nextId = 1;
    for (int i = 0; i < data.images.size(); ++i) {
        if (i % kCancelEvery == 0 && isCancelled(options.cancel))
            return isCancelled();
        for (const DatasetShape &s : data.images[i].shapes) {
            if (s.classIndex < 0 || s.classIndex >= data.classes.size()) {
                ++notes.noClass;
                continue;
            }
            const int before = int(j.size());
            if (nextId > 1)
                j += ',';
            if (appendAnnotation(j, data.images[i], s, nextId, i + 1, notes))
                ++nextId;
            else
                j.truncate(before);
        }
    }
    j += "],\"categories\":[";
    for (int c = 0; c < data.classes.size(); ++c) {
        if (c)
            j += ',';
        j += "{\"id\":" + QByteArray::number(c + 1) + ",\"name\":";
        cocojson::appendString(j, data.classes[c]);
        j += ",\"supercategory\":\"\"}";
    }
    j += "]}";
    if (missing > 10)
        warn(QStringLiteral("%1 image files are missing in all").arg(missing));
    if (notes.noClass)
        warn(QStringLiteral("%1 shapes without a class left out: COCO needs a category").arg(
            notes.noClass));
    if (notes.emptyMasks)
        warn(QStringLiteral("%1 empty masks left out").arg(notes.emptyMasks));
    if (notes.emptyPolygons)
        warn(QStringLiteral("%1 polygons without points left out").arg(notes.emptyPolygons));
    if (notes.clippedMasks)
        warn(QStringLiteral("%1 masks reach outside their image: the pixels outside were left out")
                                .arg(notes.clippedMasks));
    return writeFileAtomically(jsonPath, j);
}

class CocoFormat final : public DatasetFormat {
public:
    FormatId id() const override { return FormatId::Coco; }
    QString name() const override { return QStringLiteral("coco"); }
    QString displayName() const override { return QStringLiteral("COCO JSON"); }
    bool readsFolder() const override { return false; }

    int detect(const QString &path) const override
    {
        const QFileInfo fi(path);
        if (fi.isDir())
            return cocoFileInFolder(path).isEmpty() ? 0 : 60;
        if (!fi.isFile() || fi.suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) != 0)
            return 0;
        switch (cocoSignature(path)) {
        case 2:
            return 90;
        case 1:
            return 80; // COCO's own files put a long "images" list before the rest
        default:
            return 0;
        }
    }

    Result<Dataset> read(const QString &path, const ReadOptions &options,
                         QVector<FormatProblem> &problems) const override
    {
        QString file = path;
        if (QFileInfo(path).isDir()) {
            QString why;
            file = cocoFileInFolder(path, &why);
            if (file.isEmpty())
                return makeError(Error::Code::NotFound, why, shownPath(path));
        }
        return CocoReader(file, options, problems).read();
    }

    Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
                 QVector<FormatProblem> &warnings) const override
    {
        return writeCoco(data, outDir, options, warnings);
    }
};

} // namespace

std::unique_ptr<DatasetFormat> makeCocoFormat()
{
    return std::make_unique<CocoFormat>();
}

} // namespace salient
