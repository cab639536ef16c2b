// SPDX-License-Identifier: GPL-3.0-or-later
// YOLO writer: data.yaml as Ultralytics writes it, images/<split>/<rel>,
// labels/<split>/<rel stem>.txt (flat images/ and labels/ without splits).
#include "core/annotation/raster.h"
#include "core/formats/formatutil.h"
#include "core/formats/yolosupport.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <cmath>

namespace salient::yolo {

namespace {

void warn(QVector<FormatProblem> &warnings, int count, const QString &message)
{
    if (count <= 0)
        return;
    FormatProblem p;
    p.message = message.arg(count);
    warnings << p;
}

// A folder called "images" inside the relative path would make Ultralytics
// look for the labels there (it replaces the LAST /images/): rename it.
QString safeRelative(const QString &storedName)
{
    QStringList parts = exportRelativePath(storedName).split(QLatin1Char('/'));
    for (int i = 0; i + 1 < parts.size(); ++i)
        if (parts[i] == QLatin1String("images"))
            parts[i] = QStringLiteral("images_");
    return parts.join(QLatin1Char('/'));
}

} // namespace

Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
             QVector<FormatProblem> &warnings)
{
    const QString root = QDir::cleanPath(QDir(outDir).absolutePath());
    if (!QDir().mkpath(root))
        return makeError(Error::Code::Io, QStringLiteral("cannot create the folder"),
                                                         QDir::toNativeSeparators(root));
    bool hasSplits = false;
    for (const DatasetImage &img : data.images)
        hasSplits = hasSplits || !img.split.isEmpty();

    int labels = 0, masks = 0, maskPolygons = 0, noClass = 0, unsized = 0, tiny = 0, other = 0;
    int renamed = 0;
    QSet<QString> usedLabels;
    QMap<QString, int> splits; // split -> images
    for (int i = 0; i < data.images.size(); ++i) {
        if (i % 1000 == 0 && options.cancel && options.cancel->load())
            return makeError(Error::Code::Cancelled, QStringLiteral("export cancelled"));
        const DatasetImage &img = data.images[i];
        // A split name becomes a folder: made safe, it cannot lead out of root.
        const QString split =
            hasSplits ? (img.split.isEmpty() ? QStringLiteral("train") : exportFileName(img.split))
                      : QString();
        splits[split] += 1;
        QString rel = safeRelative(img.name);
        const QString sub = split.isEmpty() ? QString() : split + QLatin1Char('/');
        // a.jpg and a.png in one folder would share a.txt: the later one gets a suffix.
        const auto labelOf = [&](const QString &r) {
            const QFileInfo fi(r);
            const QString stem = fi.path() == QLatin1String(".")
                                     ? fi.completeBaseName()
                                     : fi.path() + QLatin1Char('/') + fi.completeBaseName();
            return sub + stem + QStringLiteral(".txt");
        };
        if (usedLabels.contains(labelOf(rel))) {
            const QFileInfo fi(rel);
            const QString dir =
                fi.path() == QLatin1String(".") ? QString() : fi.path() + QLatin1Char('/');
            QString candidate;
            for (int k = 2; candidate.isEmpty() || usedLabels.contains(labelOf(candidate)); ++k)
                candidate =
                    dir + fi.completeBaseName() + QStringLiteral("_%1.").arg(k) + fi.suffix();
            rel = candidate;
            ++renamed;
        }
        const QString labelRel = labelOf(rel);
        usedLabels.insert(labelRel);
        const QString imagePath = root + QStringLiteral("/images/") + sub + rel;
        SALIENT_TRY(placeImage(img.path, imagePath, options.images));
        labels += img.labels.size();

        QByteArray text;
        const double W = img.width, H = img.height;
        if (!img.shapes.isEmpty() && (W <= 0 || H <= 0)) {
            unsized += img.shapes.size();
        } else {
            const auto polygonLine = [&](int cls, const QPolygonF &poly) {
                if (poly.size() < 3) {
                    ++tiny;
                    return;
                }
                text += QByteArray::number(cls);
                for (const QPointF &p : poly)
                    text += ' ' + formatNumber(p.x() / W).toLatin1() + ' '
                            + formatNumber(p.y() / H).toLatin1();
                text += '\n';
            };
            for (const DatasetShape &s : img.shapes) {
                if (s.classIndex < 0 || s.classIndex >= data.classes.size()) {
                    ++noClass;
                    continue;
                }
                switch (kindOf(s.geometry)) {
                case ShapeKind::Box: {
                    const QRectF r = std::get<Box>(s.geometry).rect.normalized();
                    text += QByteArray::number(s.classIndex) + ' '
                            + formatNumber((r.left() + r.width() / 2) / W).toLatin1() + ' '
                            + formatNumber((r.top() + r.height() / 2) / H).toLatin1() + ' '
                            + formatNumber(r.width() / W).toLatin1() + ' '
                            + formatNumber(r.height() / H).toLatin1() + '\n';
                    break;
                }
                case ShapeKind::Polygon:
                    polygonLine(s.classIndex, std::get<Polygon>(s.geometry).points);
                    break;
                case ShapeKind::Mask: {
                    ++masks;
                    const QVector<QPolygonF> polys = maskToPolygons(std::get<Mask>(s.geometry));
                    maskPolygons += polys.size();
                    for (const QPolygonF &p : polys)
                        polygonLine(s.classIndex, p);
                    break;
                }
                }
            }
        }
        SALIENT_TRY(writeFileAtomically(root + QStringLiteral("/labels/") + labelRel, text));
    }

    YAML::Emitter out;
    // No "path" key on purpose: Ultralytics takes a relative "path" (even ".")
    // relative to its settings' datasets folder, but a missing one as the folder
    // of data.yaml, which is what keeps the exported folder movable.
    out << YAML::BeginMap;
    if (!hasSplits) {
        out << YAML::Key << "train" << YAML::Value << "images";
        out << YAML::Key << "val" << YAML::Value << "images";
    } else {
        for (const char *key : {"train", "val", "test"})
            if (splits.contains(QLatin1String(key)))
                out << YAML::Key << key << YAML::Value
                    << (QStringLiteral("images/") + QLatin1String(key)).toStdString();
        if (!splits.contains(QStringLiteral("val"))) // Ultralytics requires val
            out << YAML::Key << "val" << YAML::Value << "images/train";
        for (auto it = splits.cbegin(); it != splits.cend(); ++it)
            if (it.key() != QLatin1String("train") && it.key() != QLatin1String("val")
                && it.key() != QLatin1String("test"))
                other += it.value();
    }
    out << YAML::Key << "nc" << YAML::Value << int(data.classes.size());
    out << YAML::Key << "names" << YAML::Value << YAML::BeginMap;
    for (int c = 0; c < data.classes.size(); ++c)
        out << YAML::Key << c << YAML::Value << data.classes[c].toStdString();
    out << YAML::EndMap << YAML::EndMap;
    SALIENT_TRY(
        writeFileAtomically(root + QStringLiteral("/data.yaml"), QByteArray(out.c_str()) + '\n'));

    warn(warnings, masks,
         QStringLiteral("%1 masks were turned into %2 polygons (YOLO stores no pixels)") .arg(
             QStringLiteral("%1"), QString::number(maskPolygons)));
    warn(warnings, labels,
         QStringLiteral("%1 image-level labels cannot be expressed in YOLO and were left out"));
    warn(warnings, noClass, QStringLiteral("%1 shapes have no class and were left out"));
    warn(warnings, unsized,
         QStringLiteral("%1 shapes are on images of unknown size and could not be normalised; left out"));
    warn(warnings, renamed,
         QStringLiteral("%1 images shared a label file name with another image of their folder and got a suffix"));
    warn(warnings, tiny, QStringLiteral("%1 polygons have fewer than 3 points and were left out"));
    warn(warnings, other,
         QStringLiteral("%1 images are in splits other than train, val and test: "
                                         "written under images/<split>/, which data.yaml does not name"));
    return {};
}

} // namespace salient::yolo
