// SPDX-License-Identifier: GPL-3.0-or-later
// Pascal VOC: one XML per image under Annotations/, images in JPEGImages/,
// splits in ImageSets/Main/<split>.txt, and optional segmentation PNGs.
// VOC corners are 1-based and inclusive: ours = [xmin - 1, xmax) (see dataset.h).
#include "core/formats/format.h"
#include "core/formats/formatutil.h"
#include "core/formats/vocsupport.h"
#include "core/imaging/probe.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QXmlStreamReader>

#include <algorithm>
#include <optional>

namespace salient {

namespace voc {
namespace {

struct XmlObject {
    QString name;
    int line = -1;
    bool hasBox = false;
    double box[4] = {0, 0, 0, 0}; // xmin ymin xmax ymax, as written (1-based)
    QString boxProblem;           // why the box cannot be used, with its line
    int boxLine = -1;
    QJsonObject attributes;
};

struct XmlAnnotation {
    QString folder;
    QString filename;
    int width = 0;
    int height = 0;
    QVector<XmlObject> objects;
};

bool flagSet(const QString &text)
{
    const QString t = text.trimmed();
    bool ok = false;
    const double v = t.toDouble(&ok);
    return ok ? v != 0 : t.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

void readBox(QXmlStreamReader &xml, XmlObject &o)
{
    o.boxLine = int(xml.lineNumber());
    static const char *const keys[4] = {"xmin", "ymin", "xmax", "ymax"};
    bool seen[4] = {false, false, false, false};
    while (xml.readNextStartElement()) {
        const int line = int(xml.lineNumber());
        int k = -1;
        for (int i = 0; i < 4; ++i)
            if (xml.name() == QLatin1String(keys[i]))
                k = i;
        if (k < 0) {
            xml.skipCurrentElement();
            continue;
        }
        const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        bool ok = false;
        const double v = text.toDouble(&ok); // floats occur in the wild: accepted
        if (!ok && o.boxProblem.isEmpty()) {
            o.boxProblem =
                QStringLiteral("<%1> is '%2', not a number").arg(QLatin1String(keys[k]), text);
            o.boxLine = line;
        }
        o.box[k] = v;
        seen[k] = true;
    }
    for (int i = 0; i < 4 && o.boxProblem.isEmpty(); ++i)
        if (!seen[i])
            o.boxProblem = QStringLiteral("<bndbox> has no <%1>").arg(QLatin1String(keys[i]));
    o.hasBox = o.boxProblem.isEmpty();
}

void readObject(QXmlStreamReader &xml, XmlObject &o)
{
    o.line = int(xml.lineNumber());
    while (xml.readNextStartElement()) {
        const auto n = xml.name();
        if (n == QLatin1String("bndbox")) {
            readBox(xml, o);
            continue;
        }
        if (n != QLatin1String("name") && n != QLatin1String("pose")
            && n != QLatin1String("truncated") && n != QLatin1String("difficult")
            && n != QLatin1String("occluded")) {
            xml.skipCurrentElement(); // <part>, <actions>, ... of the object
            continue;
        }
        const QString key = n.toString();
        const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
        if (key == QLatin1String("name"))
            o.name = text;
        else if (key == QLatin1String("pose")) {
            if (!text.isEmpty() && text != QLatin1String("Unspecified"))
                o.attributes.insert(key, text);
        } else if (flagSet(text))
            o.attributes.insert(key, 1);
    }
    if (!o.hasBox && o.boxProblem.isEmpty())
        o.boxProblem = QStringLiteral("object has no <bndbox>");
}

Result<XmlAnnotation> parseXml(const QByteArray &bytes, const QString &path)
{
    XmlAnnotation a;
    QXmlStreamReader xml(bytes);
    if (xml.readNextStartElement()) {
        if (xml.name() != QLatin1String("annotation"))
            return makeError(Error::Code::Parse,
                             QStringLiteral("not a Pascal VOC annotation: the root element is "
                                            "<%1>, not <annotation>")
                                                .arg(xml.name().toString()),
                                            shownPath(path), int(xml.lineNumber()));
        while (xml.readNextStartElement()) {
            const auto n = xml.name();
            if (n == QLatin1String("folder"))
                a.folder = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            else if (n == QLatin1String("filename"))
                a.filename = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            else if (n == QLatin1String("size")) {
                while (xml.readNextStartElement()) {
                    const bool w = xml.name() == QLatin1String("width");
                    const bool h = xml.name() == QLatin1String("height");
                    const QString t = xml.readElementText(QXmlStreamReader::IncludeChildElements);
                    // Out of int's range (1e70, inf, nan) is no size: -1, as a
                    // negative one, rather than a double-to-int overflow (UB).
                    const double d = t.trimmed().toDouble();
                    const int v = d > -1e9 && d < 1e9 ? int(d) : -1;
                    if (w)
                        a.width = v;
                    else if (h)
                        a.height = v;
                }
            } else if (n == QLatin1String("object")) {
                XmlObject o;
                readObject(xml, o);
                a.objects.push_back(o);
            } else {
                xml.skipCurrentElement();
            }
        }
    }
    if (xml.hasError())
        return makeError(
            Error::Code::Parse,
            QStringLiteral("malformed XML at column %1: %2") .arg(xml.columnNumber()).arg(xml.errorString()),
                shownPath(path), int(xml.lineNumber()));
    return a;
}

struct ReadContext {
    QString root;      // the dataset folder
    QString imageRoot; // images must lie inside it
    QString imageBase; // JPEGImages/ (or the given image root)
    QVector<LabelEntry> labelmap;
    QHash<QString, QString> splits;
};

QString jsonText(const QJsonObject &o)
{
    return o.isEmpty() ? QStringLiteral("{}")
                       : QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Result<QString> resolveImage(const ReadContext &c, const XmlAnnotation &a, const QString &stem,
                             QString &name)
{
    if (a.filename.isEmpty()) {
        for (const QString &ext : supportedImageSuffixes()) {
            const QString candidate =
                c.imageBase + QLatin1Char('/') + stem + QLatin1Char('.') + ext;
            if (QFileInfo::exists(candidate)) {
                name = stem + QLatin1Char('.') + ext;
                return resolveInside(c.imageRoot, c.imageBase, name);
            }
        }
        return makeError(Error::Code::NotFound,
                         QStringLiteral("no <filename>, and no image called %1.* in %2") .arg(
                             stem, shownPath(c.imageBase)));
    }
    name = a.filename;
    auto first = resolveInside(c.imageRoot, c.imageBase, a.filename);
    if (!first.ok() || QFileInfo::exists(first.value()))
        return first;
    // Fallbacks: beside the annotations' dataset folder, or under <folder>.
    QVector<std::pair<QString, QString>> more = {{c.root, a.filename}};
    if (!a.folder.isEmpty())
        more.push_back({c.root, a.folder + QLatin1Char('/') + a.filename});
    for (const auto &[base, n] : more) {
        auto r = resolveInside(c.imageRoot, base, n);
        if (r.ok() && QFileInfo::exists(r.value()))
            return r;
    }
    return first; // missing: the pipeline reports it like every format's
}

// Class name -> index in O(1) (Dataset::classIndex searches the list).
class ClassIndex {
public:
    explicit ClassIndex(Dataset &data) : m_data(data) {}
    int of(const QString &name)
    {
        auto it = m_index.constFind(name);
        if (it != m_index.constEnd())
            return it.value();
        const int i = m_data.classIndex(name);
        m_index.insert(name, i);
        return i;
    }

private:
    Dataset &m_data;
    QHash<QString, int> m_index;
};

FormatProblem problem(const QString &path, int line, const QString &message)
{
    FormatProblem p;
    p.path = shownPath(path);
    p.line = line;
    p.message = message;
    return p;
}

// Segmentation PNGs of one image, turned into shapes: SegmentationObject gives
// object i (1-based, the i-th <object>) a Mask that replaces its box;
// SegmentationClass alone gives one Mask per class index (boxes stay).
void addMasks(const ReadContext &c, const QString &stem, const XmlAnnotation &a,
              QVector<std::optional<DatasetShape>> &objects, DatasetImage &img, ClassIndex &classes,
              QVector<FormatProblem> &problems)
{
    const QString objectPng =
        c.root + QStringLiteral("/SegmentationObject/") + stem + QStringLiteral(".png");
    const QString classPng =
        c.root + QStringLiteral("/SegmentationClass/") + stem + QStringLiteral(".png");
    const bool haveObject = QFileInfo::exists(objectPng);
    if (!haveObject && !QFileInfo::exists(classPng))
        return;
    const QString png = haveObject ? objectPng : classPng;
    if (auto inside = resolveInside(c.root, c.root, QDir(c.root).relativeFilePath(png));
        !inside.ok()) {
        problems << problem(png, -1, inside.error().message + QStringLiteral("; masks left out"));
        return;
    }
    QVector<QRgb> colors = palette();
    if (!haveObject && !c.labelmap.isEmpty()) {
        colors.clear();
        for (const LabelEntry &e : c.labelmap)
            colors << e.color;
    }
    auto index = readIndexPng(png, colors);
    if (!index.ok()) {
        problems << problem(png, -1, index.error().message);
        return;
    }
    if ((a.width > 0 && index->width != a.width) || (a.height > 0 && index->height != a.height)) {
        problems << problem(png, -1,
                            QStringLiteral("mask is %1 x %2 pixels but the annotation declares "
                                           "%3 x %4; its masks are left out")
                                               .arg(index->width)
                                               .arg(index->height)
                                               .arg(a.width)
                                               .arg(a.height));
        return;
    }
    if (index->unknown > 0)
        problems << problem(png, -1,
                            QStringLiteral("%1 pixels have colours of no class; they are left "
                                           "out of every mask")
                                               .arg(index->unknown));
    const QHash<int, Mask> masks = masksOf(index.value());
    QList<int> keys = masks.keys();
    std::sort(keys.begin(), keys.end());
    for (int k : keys) {
        if (haveObject) {
            if (k > a.objects.size() || a.objects[k - 1].name.isEmpty()) {
                problems << problem(png, -1,
                                    QStringLiteral("mask index %1 has no <object> with a name in "
                                                   "the annotation; left out")
                                                       .arg(k));
                continue;
            }
            const XmlObject &o = a.objects[k - 1];
            DatasetShape s;
            s.classIndex = classes.of(o.name);
            s.geometry = masks.value(k);
            s.attributes = jsonText(o.attributes);
            s.origin = o.line;
            objects[k - 1] = s;
            continue;
        }
        QString name;
        if (!c.labelmap.isEmpty())
            name = c.labelmap.value(k).name;
        else {
            bool standard = true;
            for (const XmlObject &o : a.objects)
                standard = standard && standardClasses().contains(o.name);
            if (standard)
                name = standardClasses().value(k - 1);
        }
        if (name.isEmpty()) {
            problems << problem(png, -1,
                                QStringLiteral("class index %1 has no name (no labelmap.txt entry, "
                                               "and the classes are not VOC's 20); left out")
                                                   .arg(k));
            continue;
        }
        DatasetShape s;
        s.classIndex = classes.of(name);
        s.geometry = masks.value(k);
        img.shapes.push_back(s);
    }
}

} // namespace

Result<Dataset> read(const QString &path, const ReadOptions &options,
                     QVector<FormatProblem> &problems)
{
    ReadContext c;
    c.root = QDir::cleanPath(QDir(path).absolutePath());
    if (!QFileInfo(c.root).isDir())
        return makeError(Error::Code::NotFound, QStringLiteral("no such folder"), shownPath(c.root));
    const QString annDir = QFileInfo(c.root + QStringLiteral("/Annotations")).isDir()
        ? c.root + QStringLiteral("/Annotations") : c.root;
    if (!options.imageRoot.isEmpty()) {
        c.imageRoot = QDir::cleanPath(QDir(options.imageRoot).absolutePath());
        c.imageBase = c.imageRoot;
    } else {
        c.imageRoot = c.root;
        c.imageBase = QFileInfo(c.root + QStringLiteral("/JPEGImages")).isDir()
            ? c.root + QStringLiteral("/JPEGImages") : c.root;
    }
    Dataset data;
    ClassIndex classes(data);
    const QString labelmapPath = c.root + QStringLiteral("/labelmap.txt");
    if (QFileInfo::exists(labelmapPath)) {
        auto bytes = readAnnotationFile(labelmapPath);
        SALIENT_TRY(bytes);
        c.labelmap = parseLabelmap(bytes.value());
        // The labelmap's order is the dataset's class order (entry 0: background).
        for (int i = 1; i < c.labelmap.size(); ++i)
            classes.of(c.labelmap[i].name);
    }
    c.splits = readSplits(c.root);

    const QStringList xmls =
        QDir(annDir).entryList({QStringLiteral("*.xml")}, QDir::Files, QDir::Name);
    for (const QString &file : xmls) {
        if (options.cancel && options.cancel->load())
            return makeError(Error::Code::Cancelled, QStringLiteral("import cancelled"));
        const QString xmlPath = annDir + QLatin1Char('/') + file;
        // A symbolic link among the annotations must not lead out of the dataset.
        if (auto inside = resolveInside(c.root, annDir, file); !inside.ok()) {
            problems << problem(xmlPath, -1,
                                inside.error().message + QStringLiteral("; annotation left out"));
            continue;
        }
        auto bytes = readAnnotationFile(xmlPath);
        SALIENT_TRY(bytes);
        auto parsed = parseXml(bytes.value(), xmlPath);
        SALIENT_TRY(parsed);
        const XmlAnnotation &a = parsed.value();
        const QString stem = QFileInfo(file).completeBaseName();

        DatasetImage img;
        img.source = shownPath(xmlPath);
        img.line = 1;
        img.width = a.width;
        img.height = a.height;
        img.split = c.splits.value(stem);
        auto resolved = resolveImage(c, a, stem, img.name);
        if (!resolved.ok()) {
            problems << problem(xmlPath, -1, resolved.error().message);
            continue;
        }
        img.path = resolved.value();

        QVector<std::optional<DatasetShape>> objects(a.objects.size());
        addMasks(c, stem, a, objects, img, classes, problems);
        for (int i = 0; i < a.objects.size(); ++i) {
            const XmlObject &o = a.objects[i];
            if (objects[i])
                continue; // its mask stands for it
            if (o.name.isEmpty()) {
                problems << problem(xmlPath, o.line,
                                    QStringLiteral("object has no <name>; left out"));
                continue;
            }
            if (!o.hasBox) {
                problems << problem(xmlPath, o.boxLine > 0 ? o.boxLine : o.line,
                                    o.boxProblem + QStringLiteral("; object left out"));
                continue;
            }
            DatasetShape s;
            s.classIndex = classes.of(o.name);
            s.geometry =
                Box{QRectF(QPointF(o.box[0] - 1, o.box[1] - 1), QPointF(o.box[2], o.box[3]))};
            s.attributes = jsonText(o.attributes);
            s.origin = o.line;
            objects[i] = s;
        }
        QVector<DatasetShape> shapes;
        for (const auto &s : objects)
            if (s)
                shapes.push_back(*s);
        shapes += img.shapes; // class masks of SegmentationClass-only images
        img.shapes = shapes;
        data.images.push_back(std::move(img));
    }
    return data;
}

} // namespace voc

namespace {

class VocFormat : public DatasetFormat {
public:
    FormatId id() const override { return FormatId::Voc; }
    QString name() const override { return QStringLiteral("voc"); }
    QString displayName() const override { return QStringLiteral("Pascal VOC"); }
    bool readsFolder() const override { return true; }
    int detect(const QString &path) const override
    {
        const QFileInfo fi(path);
        if (!fi.isDir())
            return 0;
        const QDir dir(path);
        if (dir.exists(QStringLiteral("Annotations"))
                       && !QDir(dir.filePath(QStringLiteral("Annotations")))
                                    .entryList({QStringLiteral("*.xml")}, QDir::Files).isEmpty())
            return 90;
        const QStringList xmls = dir.entryList({QStringLiteral("*.xml")}, QDir::Files, QDir::Name);
        if (xmls.isEmpty())
            return 0;
        QFile f(dir.filePath(xmls.first()));
        if (f.open(QIODevice::ReadOnly) && f.read(4096).contains("<annotation"))
            return 60;
        return 0;
    }
    Result<Dataset> read(const QString &path, const ReadOptions &options,
                         QVector<FormatProblem> &problems) const override
    {
        return voc::read(path, options, problems);
    }
    Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
                 QVector<FormatProblem> &warnings) const override
    {
        return voc::write(data, outDir, options, warnings);
    }
};

} // namespace

std::unique_ptr<DatasetFormat> makeVocFormat()
{
    return std::make_unique<VocFormat>();
}

} // namespace salient
