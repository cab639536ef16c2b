// SPDX-License-Identifier: GPL-3.0-or-later
// YOLO (Ultralytics): data.yaml (or classes.txt), images/<split>/..., and one
// labels/<split>/<stem>.txt per image with lines "class cx cy w h" (box) or
// "class x1 y1 ... xn yn" (polygon), normalised by the DISPLAYED image size.
// The files do not state that size, so the reader probes every image header.
#include "core/formats/formatutil.h"
#include "core/formats/yolosupport.h"
#include "core/imaging/probe.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSet>
#include <QtConcurrent/QtConcurrentMap>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

namespace salient {

namespace yolo {

QString labelPathFor(const QString &imagePath, const QString &root)
{
    QString p = imagePath;
    const int i = p.lastIndexOf(QLatin1String("/images/"));
    if (i >= 0 && i >= root.size()) // an "images" folder above the dataset does not count
        p = p.left(i) + QStringLiteral("/labels/") + p.mid(i + 8);
    const QFileInfo fi(p);
    return fi.path() + QLatin1Char('/') + fi.completeBaseName() + QStringLiteral(".txt");
}

namespace {

FormatProblem problem(const QString &path, int line, const QString &message)
{
    FormatProblem p;
    p.path = shownPath(path);
    p.line = line;
    p.message = message;
    return p;
}

// More classes than any real dataset has; a larger nc or class id is a typo
// or a hostile file, and would otherwise make millions of class names.
constexpr int kMaxClasses = 100000;

struct Entry {
    QString path; // absolute image file
    QString split;
    ProbeInfo probe;
    QString probeError;
};

struct Layout {
    QStringList classes;
    QVector<Entry> images;
};

QStringList imagesUnder(const QString &dir, const QString &skip = {})
{
    QStringList out;
    QSet<QString> suffixes;
    for (const QString &s : supportedImageSuffixes())
        suffixes.insert(s);
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        if (!skip.isEmpty() && f.startsWith(skip + QLatin1Char('/')))
            continue;
        if (suffixes.contains(QFileInfo(f).suffix().toLower()))
            out << QDir::cleanPath(f);
    }
    std::sort(out.begin(), out.end());
    return out;
}

int yamlLine(const YAML::Node &n)
{
    return n.Mark().line >= 0 ? n.Mark().line + 1 : -1;
}

// One train/val/test entry: a folder of images or a .txt list of image paths.
void addEntry(const QString &root, const QString &dataRoot, const QString &yamlPath, int line,
              const QString &entry, QStringList &out, QVector<FormatProblem> &problems)
{
    auto r = resolveInside(root, dataRoot, entry);
    // Ultralytics' own rule for Roboflow-style "../train/images": try it inside the dataset.
    if ((!r.ok() || !QFileInfo::exists(r.value())) && entry.startsWith(QLatin1String("../"))) {
        auto inner = resolveInside(root, dataRoot, entry.mid(3));
        if (inner.ok() && QFileInfo::exists(inner.value()))
            r = inner;
    }
    if (!r.ok()) {
        problems << problem(yamlPath, line, r.error().message);
        return;
    }
    const QFileInfo fi(r.value());
    if (fi.isDir()) {
        out << imagesUnder(r.value());
        return;
    }
    if (!fi.exists()) {
        problems << problem(yamlPath, line,
                            QStringLiteral("'%1' is not found; no images from it").arg(entry));
        return;
    }
    auto bytes = readAnnotationFile(r.value());
    if (!bytes.ok()) {
        problems << problem(yamlPath, line, bytes.error().toString());
        return;
    }
    const QList<QByteArray> lines = bytes.value().split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString l = QString::fromUtf8(lines[i]).trimmed();
        if (l.isEmpty())
            continue;
        const QString base = l.startsWith(QLatin1String("./")) ? fi.absolutePath() : dataRoot;
        auto img = resolveInside(root, base, l);
        if (!img.ok())
            problems << problem(r.value(), i + 1, img.error().message);
        else
            out << img.value();
    }
}

Result<Layout> readYaml(const QString &root, const QString &yamlPath,
                        QVector<FormatProblem> &problems)
{
    auto bytes = readAnnotationFile(yamlPath);
    SALIENT_TRY(bytes);
    Layout layout;
    try {
        const YAML::Node doc = YAML::Load(bytes.value().toStdString());
        if (!doc.IsMap())
            return makeError(Error::Code::Parse,
                             QStringLiteral("not a YOLO data file: the top level is not a mapping"),
                                            shownPath(yamlPath), std::max(1, yamlLine(doc)));
        const YAML::Node names = doc["names"];
        if (names && names.IsSequence()) {
            if (names.size() > std::size_t(kMaxClasses))
                return makeError(Error::Code::Invalid,
                                 QStringLiteral("names lists %1 classes; at most %2 are supported")
                                                    .arg(names.size())
                                                    .arg(kMaxClasses),
                                                shownPath(yamlPath), yamlLine(names));
            for (const YAML::Node &n : names)
                layout.classes << QString::fromStdString(n.as<std::string>());
        } else if (names && names.IsMap()) {
            QMap<int, QString> byId;
            for (const auto &kv : names) {
                bool ok = false;
                const int id = QString::fromStdString(kv.first.as<std::string>()).toInt(&ok);
                if (!ok || id < 0 || id >= kMaxClasses)
                    return makeError(
                        Error::Code::Parse,
                        QStringLiteral("names: key '%1' is not a class id (0 to %2)")
                                           .arg(QString::fromStdString(kv.first.as<std::string>()))
                                           .arg(kMaxClasses - 1),
                                       shownPath(yamlPath), yamlLine(kv.first));
                byId.insert(id, QString::fromStdString(kv.second.as<std::string>()));
            }
            const int count = byId.isEmpty() ? 0 : byId.lastKey() + 1;
            for (int i = 0; i < count; ++i)
                layout.classes << byId.value(i, QStringLiteral("class_%1").arg(i));
        } else if (names) {
            return makeError(Error::Code::Parse,
                             QStringLiteral("names is neither a list nor a map"),
                                            shownPath(yamlPath), yamlLine(names));
        }
        const YAML::Node nc = doc["nc"];
        if (nc) {
            const int n = nc.as<int>();
            if (n < 0 || n > kMaxClasses)
                return makeError(
                    Error::Code::Invalid,
                    QStringLiteral("nc is %1; a class count from 0 to %2 is expected") .arg(n).arg(
                                       kMaxClasses),
                                   shownPath(yamlPath), yamlLine(nc));
            if (!names)
                for (int i = 0; i < n; ++i)
                    layout.classes << QStringLiteral("class_%1").arg(i);
            else if (n != layout.classes.size())
                problems << problem(
                    yamlPath, yamlLine(nc),
                    QStringLiteral("nc is %1 but names has %2 classes; names is used") .arg(n).arg(
                        layout.classes.size()));
        }
        if (!names && !nc)
            return makeError(Error::Code::Invalid,
                             QStringLiteral("no names (class list) in the YOLO data file"),
                                            shownPath(yamlPath));

        QString dataRoot = root;
        const YAML::Node pathNode = doc["path"];
        if (pathNode && pathNode.IsScalar() && !pathNode.Scalar().empty()) {
            auto r = resolveInside(root, root, QString::fromStdString(pathNode.Scalar()));
            if (r.ok() && QFileInfo(r.value()).isDir())
                dataRoot = r.value();
            else
                problems << problem(
                    yamlPath, yamlLine(pathNode),
                    (r.ok() ? QStringLiteral("path '%1' is not a folder").arg(
                                  QString::fromStdString(pathNode.Scalar()))
                            : r.error().message)
                     + QStringLiteral("; the folder of the data file is used instead"));
        }
        QSet<QString> seen;
        QSet<QString> entries;
        for (const char *key : {"train", "val", "test"}) {
            const YAML::Node node = doc[key];
            if (!node || node.IsNull())
                continue;
            QStringList found;
            const auto add = [&](const YAML::Node &n) {
                const QString e = QString::fromStdString(n.as<std::string>());
                entries.insert(QDir::cleanPath(QDir(dataRoot).absoluteFilePath(e)));
                addEntry(root, dataRoot, yamlPath, yamlLine(n), e, found, problems);
            };
            if (node.IsSequence())
                for (const YAML::Node &n : node)
                    add(n);
            else
                add(node);
            for (const QString &f : found) {
                if (seen.contains(f))
                    continue; // the first split that names an image keeps it
                seen.insert(f);
                layout.images.push_back({f, QString::fromLatin1(key), {}, {}});
            }
        }
        // train and val naming the same single folder: a flat dataset, no splits.
        if (entries.size() == 1)
            for (Entry &e : layout.images)
                e.split.clear();
    } catch (const YAML::Exception &e) {
        return makeError(Error::Code::Parse,
                         QStringLiteral("malformed YAML: %1").arg(QString::fromStdString(e.msg)),
                                        shownPath(yamlPath),
                                        e.mark.line >= 0 ? e.mark.line + 1 : -1);
    }
    return layout;
}

Result<Layout> readClassesTxt(const QString &root, const QString &classesPath)
{
    auto bytes = readAnnotationFile(classesPath);
    SALIENT_TRY(bytes);
    Layout layout;
    for (const QByteArray &l : bytes.value().split('\n'))
        layout.classes << QString::fromUtf8(l).trimmed();
    while (!layout.classes.isEmpty() && layout.classes.last().isEmpty())
        layout.classes.removeLast();
    const QString imagesDir = root + QStringLiteral("/images");
    const bool haveImages = QFileInfo(imagesDir).isDir();
    const QString base = haveImages ? imagesDir : root;
    for (const QString &f :
         imagesUnder(base, haveImages ? QString() : root + QStringLiteral("/labels"))) {
        Entry e;
        e.path = f;
        const QString rel = f.mid(base.size() + 1);
        if (rel.contains(QLatin1Char('/'))) {
            const QString first = rel.section(QLatin1Char('/'), 0, 0);
            if (first == QLatin1String("train") || first == QLatin1String("val")
                || first == QLatin1String("test"))
                e.split = first;
            else if (first == QLatin1String("valid"))
                e.split = QStringLiteral("val");
        }
        layout.images.push_back(e);
    }
    return layout;
}

} // namespace

namespace {

// Parses one label file into shapes of `img` (sized already); bad lines are problems.
void readLabels(const QString &labelPath, const QStringList &classes, DatasetImage &img,
                QVector<FormatProblem> &problems)
{
    auto bytes = readAnnotationFile(labelPath);
    if (!bytes.ok()) {
        problems << problem(labelPath, -1,
                            bytes.error().message + QStringLiteral("; image left without labels"));
        return;
    }
    const QList<QByteArray> lines = bytes.value().split('\n');
    const double W = img.width, H = img.height;
    for (int li = 0; li < lines.size(); ++li) {
        const int line = li + 1;
        const QList<QByteArray> tokens = lines[li].simplified().split(' ');
        if (tokens.size() == 1 && tokens[0].isEmpty())
            continue;
        const int count = int(tokens.size());
        if (count != 5 && (count < 7 || count % 2 == 0)) {
            problems << problem(
                labelPath, line,
                QStringLiteral("%1 values: a line is \"class cx cy w h\" (5 values) or "
                                               "\"class x1 y1 x2 y2 x3 y3 ...\" (odd, at least 7); "
                                               "left out")
                                   .arg(count));
            continue;
        }
        bool ok = false;
        const double c = tokens[0].toDouble(&ok);
        if (!ok || c != std::floor(c) || c < 0 || c >= classes.size()) {
            problems << problem(
                labelPath, line,
                QStringLiteral("class id '%1' is not one of the %2 classes (0..%3); left out")
                                   .arg(QString::fromUtf8(tokens[0]))
                                   .arg(classes.size())
                                   .arg(classes.size() - 1));
            continue;
        }
        QVector<double> v(count - 1);
        int bad = -1;
        for (int i = 1; i < count && bad < 0; ++i) {
            v[i - 1] = tokens[i].toDouble(&ok);
            if (!ok)
                bad = i;
        }
        if (bad >= 0) {
            problems << problem(
                labelPath, line,
                QStringLiteral("value %1 '%2' is not a number; left out") .arg(bad + 1).arg(
                    QString::fromUtf8(tokens[bad])));
            continue;
        }
        DatasetShape s;
        s.classIndex = int(c);
        s.origin = line;
        if (count == 5) {
            const double w = v[2] * W, h = v[3] * H;
            s.geometry = Box{QRectF(v[0] * W - w / 2, v[1] * H - h / 2, w, h)};
        } else {
            QPolygonF poly;
            poly.reserve(v.size() / 2);
            for (int i = 0; i + 1 < v.size(); i += 2)
                poly << QPointF(v[i] * W, v[i + 1] * H);
            s.geometry = Polygon{poly};
        }
        img.shapes.push_back(s);
    }
}

} // namespace

Result<Dataset> read(const QString &path, const ReadOptions &options,
                     QVector<FormatProblem> &problems)
{
    const QString root = QDir::cleanPath(QDir(path).absolutePath());
    if (!QFileInfo(root).isDir())
        return makeError(Error::Code::NotFound, QStringLiteral("no such folder"), shownPath(root));
    const QDir dir(root);
    QString yamlPath;
    for (const QString &n : {QStringLiteral("data.yaml"), QStringLiteral("data.yml")})
        if (dir.exists(n))
            yamlPath = dir.filePath(n);
    if (yamlPath.isEmpty()) {
        const QStringList yamls = dir.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml")},
                                                 QDir::Files, QDir::Name);
        if (yamls.size() == 1)
            yamlPath = dir.filePath(yamls.first());
    }
    Result<Layout> layout = makeError(
        Error::Code::NotFound,
        QStringLiteral("not a YOLO dataset: no data.yaml and no classes.txt"), shownPath(root));
    if (!yamlPath.isEmpty())
        layout = readYaml(root, yamlPath, problems);
    else if (dir.exists(QStringLiteral("classes.txt")))
        layout = readClassesTxt(root, dir.filePath(QStringLiteral("classes.txt")));
    SALIENT_TRY(layout);

    // Images found by listing folders were never named in a file: a symbolic
    // link among them must not lead out of the dataset either.
    const QString listing =
        yamlPath.isEmpty() ? dir.filePath(QStringLiteral("classes.txt")) : yamlPath;
    {
        QVector<Entry> inside;
        inside.reserve(layout->images.size());
        for (Entry &e : layout->images) {
            auto r = resolveInside(root, root, QDir(root).relativeFilePath(e.path));
            if (r.ok())
                inside.push_back(std::move(e));
            else
                problems << problem(listing, -1,
                                    r.error().message + QStringLiteral("; image left out"));
        }
        layout->images = std::move(inside);
    }

    // Headers only, in parallel: YOLO needs every image's displayed size.
    QVector<Entry> &entries = layout->images;
    QtConcurrent::blockingMap(entries, [](Entry &e) {
        auto bytes = readFileBytes(e.path);
        if (!bytes.ok()) {
            e.probeError = bytes.error().message;
            return;
        }
        auto info = probeImage(bytes.value(), e.path);
        if (info.ok())
            e.probe = info.value();
        else
            e.probeError = info.error().message;
    });

    Dataset data;
    data.classes = layout->classes;
    QSet<QString> claimed;
    data.images.reserve(entries.size());
    for (int i = 0; i < entries.size(); ++i) {
        if (i % 1000 == 0 && options.cancel && options.cancel->load())
            return makeError(Error::Code::Cancelled, QStringLiteral("import cancelled"));
        const Entry &e = entries[i];
        const QString labelPath = labelPathFor(e.path, root);
        claimed.insert(labelPath);
        if (!e.probeError.isEmpty()) {
            problems << problem(
                e.path, -1,
                QStringLiteral("cannot read the image's size, which YOLO coordinates "
                                               "need (%1); image left out")
                                   .arg(e.probeError));
            continue;
        }
        DatasetImage img;
        img.path = e.path;
        img.name = e.path.mid(root.size() + 1);
        img.width = e.probe.width;
        img.height = e.probe.height;
        img.split = e.split;
        img.source = shownPath(labelPath);
        if (QFileInfo::exists(labelPath)) { // no label file: a background image, kept
            auto inside = resolveInside(root, root, QDir(root).relativeFilePath(labelPath));
            if (inside.ok())
                readLabels(labelPath, data.classes, img, problems);
            else
                problems << problem(labelPath, -1,
                                    inside.error().message
                                        + QStringLiteral("; image left without labels"));
        }
        data.images.push_back(std::move(img));
    }
    // Label files no image claims: their labels would be lost without a word
    // (a renamed images folder, a missing image).
    QDirIterator it(root, {QStringLiteral("*.txt")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = QDir::cleanPath(it.next());
        if (f.mid(root.size()).contains(QLatin1String("/labels/")) && !claimed.contains(f)
            && QFileInfo(f).fileName() != QLatin1String("classes.txt"))
            problems << problem(
                f, -1,
                QStringLiteral("no image for this label file (%1.*); its labels are left out") .arg(
                    QFileInfo(f).completeBaseName()));
    }
    return data;
}

} // namespace yolo

namespace {

class YoloFormat : public DatasetFormat {
public:
    FormatId id() const override { return FormatId::Yolo; }
    QString name() const override { return QStringLiteral("yolo"); }
    QString displayName() const override { return QStringLiteral("YOLO (Ultralytics)"); }
    bool readsFolder() const override { return true; }
    int detect(const QString &path) const override
    {
        if (!QFileInfo(path).isDir())
            return 0;
        const QDir dir(path);
        const bool yaml =
            dir.exists(QStringLiteral("data.yaml")) || dir.exists(QStringLiteral("data.yml"));
        const bool classes = dir.exists(QStringLiteral("classes.txt"));
        const bool labels = QFileInfo(dir.filePath(QStringLiteral("labels"))).isDir();
        if ((yaml || classes) && labels)
            return 90;
        return yaml ? 50 : 0;
    }
    Result<Dataset> read(const QString &path, const ReadOptions &options,
                         QVector<FormatProblem> &problems) const override
    {
        return yolo::read(path, options, problems);
    }
    Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
                 QVector<FormatProblem> &warnings) const override
    {
        return yolo::write(data, outDir, options, warnings);
    }
};

} // namespace

std::unique_ptr<DatasetFormat> makeYoloFormat()
{
    return std::make_unique<YoloFormat>();
}

} // namespace salient
