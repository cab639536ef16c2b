// SPDX-License-Identifier: GPL-3.0-or-later
// Pascal VOC writer: Annotations/<stem>.xml, JPEGImages/<stem>.<ext>,
// ImageSets/Main/<split>.txt, labelmap.txt, and for images with polygons or
// masks SegmentationClass/<stem>.png and SegmentationObject/<stem>.png.
#include "core/annotation/raster.h"
#include "core/formats/formatutil.h"
#include "core/formats/vocsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QXmlStreamWriter>

#include <cmath>

namespace salient::voc {

namespace {

// VOC corners are whole pixels: each edge goes to the nearest pixel corner, so
// no edge moves more than half a pixel (the round-trip promise).
double nearestCorner(double v)
{
    return std::floor(v + 0.5);
}
bool whole(double v)
{
    return std::abs(v - std::round(v)) < 1e-6;
}

int flag(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1String(key));
    return (v.isBool() ? v.toBool() : v.toDouble() != 0) ? 1 : 0;
}

struct Counts {
    int offPixel = 0;   // boxes not on whole pixels
    int noClass = 0;    // shapes without a class
    int notFinite = 0;  // shapes with NaN / infinite coordinates
    int labels = 0;     // image-level labels
    int renamed = 0;    // stems made unique
    int overlapped = 0; // objects that lost pixels to a later one
    int tooMany = 0;    // segmented objects past index 254
    int tooManyClasses = 0;
    int unsized = 0; // images with masks but no size
};

void warn(QVector<FormatProblem> &warnings, const QString &message)
{
    FormatProblem p;
    p.message = message;
    warnings << p;
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

    Counts n;
    QSet<QString> usedStems;
    QMap<QString, QStringList> splitLists, segmentationLists;
    for (const DatasetImage &img : data.images) {
        if (options.cancel && options.cancel->load())
            return makeError(Error::Code::Cancelled, QStringLiteral("export cancelled"));
        const QString rel = exportRelativePath(img.name);
        const QString suffix = QFileInfo(rel).suffix();
        const QString base = suffix.isEmpty() ? rel : rel.chopped(suffix.size() + 1);
        QString stem = QString(base).replace(QLatin1Char('/'), QStringLiteral("__"));
        if (usedStems.contains(stem)) {
            int k = 2;
            while (usedStems.contains(stem + QStringLiteral("_%1").arg(k)))
                ++k;
            stem += QStringLiteral("_%1").arg(k);
            ++n.renamed;
        }
        usedStems.insert(stem);
        const QString file = suffix.isEmpty() ? stem : stem + QLatin1Char('.') + suffix;
        SALIENT_TRY(
            placeImage(img.path, root + QStringLiteral("/JPEGImages/") + file, options.images));
        n.labels += img.labels.size();

        // Objects in shape order; a polygon or mask object's 1-based position is
        // its index in SegmentationObject/, as VOC defines.
        const int w = img.width, h = img.height;
        QByteArray classPixels, objectPixels;
        bool segmented = false;
        for (const DatasetShape &s : img.shapes)
            segmented = segmented || kindOf(s.geometry) != ShapeKind::Box;
        if (segmented && (w <= 0 || h <= 0)) {
            ++n.unsized;
            segmented = false;
        }
        if (segmented) {
            classPixels = QByteArray(qsizetype(w) * h, 0);
            objectPixels = QByteArray(qsizetype(w) * h, 0);
        }

        QByteArray xmlBytes;
        QXmlStreamWriter xml(&xmlBytes);
        xml.setAutoFormatting(true);
        xml.setAutoFormattingIndent(2);
        xml.writeStartElement(QStringLiteral("annotation"));
        xml.writeTextElement(QStringLiteral("folder"), QStringLiteral("JPEGImages"));
        xml.writeTextElement(QStringLiteral("filename"), file);
        xml.writeStartElement(QStringLiteral("size"));
        xml.writeTextElement(QStringLiteral("width"), QString::number(w));
        xml.writeTextElement(QStringLiteral("height"), QString::number(h));
        xml.writeTextElement(QStringLiteral("depth"), QStringLiteral("3"));
        xml.writeEndElement();
        xml.writeTextElement(QStringLiteral("segmented"),
                                            segmented ? QStringLiteral("1") : QStringLiteral("0"));
        QVector<bool> lostPixels;
        int position = 0;
        for (const DatasetShape &s : img.shapes) {
            if (s.classIndex < 0 || s.classIndex >= data.classes.size()) {
                ++n.noClass;
                continue;
            }
            double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
            const ShapeKind kind = kindOf(s.geometry);
            Mask pixels;
            if (kind == ShapeKind::Box) {
                const QRectF r = std::get<Box>(s.geometry).rect.normalized();
                if (!std::isfinite(r.left()) || !std::isfinite(r.top()) || !std::isfinite(r.right())
                    || !std::isfinite(r.bottom())) {
                    ++n.notFinite;
                    continue;
                }
                if (!whole(r.left()) || !whole(r.top()) || !whole(r.right()) || !whole(r.bottom()))
                    ++n.offPixel;
                x0 = nearestCorner(r.left()) + 1;
                y0 = nearestCorner(r.top()) + 1;
                x1 = std::max(x0, nearestCorner(r.right()));
                y1 = std::max(y0, nearestCorner(r.bottom()));
            } else {
                if (kind == ShapeKind::Polygon) {
                    const QPolygonF &poly = std::get<Polygon>(s.geometry).points;
                    const QRectF br = poly.boundingRect();
                    if (!std::isfinite(br.left()) || !std::isfinite(br.top())
                        || !std::isfinite(br.right()) || !std::isfinite(br.bottom())) {
                        ++n.notFinite;
                        continue;
                    }
                    pixels = rasterizePolygon(poly, QSize(std::max(w, 1), std::max(h, 1)));
                    const QRect tb = pixels.tightBounds();
                    if (tb.isEmpty()) { // nothing to paint: still say where it is
                        x0 = nearestCorner(br.left()) + 1;
                        y0 = nearestCorner(br.top()) + 1;
                        x1 = std::max(x0, nearestCorner(br.right()));
                        y1 = std::max(y0, nearestCorner(br.bottom()));
                    }
                } else {
                    pixels = std::get<Mask>(s.geometry);
                }
                const QRect tb = pixels.tightBounds();
                if (!tb.isEmpty()) {
                    x0 = tb.left() + 1;
                    y0 = tb.top() + 1;
                    x1 = tb.right() + 1;
                    y1 = tb.bottom() + 1;
                }
            }
            ++position;
            const QJsonObject attrs = QJsonDocument::fromJson(s.attributes.toUtf8()).object();
            const QString pose = attrs.value(QLatin1String("pose")).toString();
            xml.writeStartElement(QStringLiteral("object"));
            xml.writeTextElement(QStringLiteral("name"), data.classes[s.classIndex]);
            xml.writeTextElement(
                QStringLiteral("pose"), pose.isEmpty() ? QStringLiteral("Unspecified") : pose);
            xml.writeTextElement(QStringLiteral("truncated"),
                                                QString::number(flag(attrs, "truncated")));
            xml.writeTextElement(QStringLiteral("difficult"),
                                                QString::number(flag(attrs, "difficult")));
            xml.writeTextElement(QStringLiteral("occluded"),
                                                QString::number(flag(attrs, "occluded")));
            xml.writeStartElement(QStringLiteral("bndbox"));
            xml.writeTextElement(QStringLiteral("xmin"), QString::number(qint64(x0)));
            xml.writeTextElement(QStringLiteral("ymin"), QString::number(qint64(y0)));
            xml.writeTextElement(QStringLiteral("xmax"), QString::number(qint64(x1)));
            xml.writeTextElement(QStringLiteral("ymax"), QString::number(qint64(y1)));
            xml.writeEndElement();
            xml.writeEndElement();
            if (kind == ShapeKind::Box || !segmented)
                continue;
            if (position > 254) { // 255 is void; the object stays a box in the XML
                ++n.tooMany;
                continue;
            }
            if (s.classIndex + 1 > 254)
                ++n.tooManyClasses;
            lostPixels.resize(position + 1);
            const QRect r = pixels.bounds().intersected(QRect(0, 0, w, h));
            uchar *obj = reinterpret_cast<uchar *>(objectPixels.data());
            uchar *cls = reinterpret_cast<uchar *>(classPixels.data());
            for (int y = r.top(); y <= r.bottom(); ++y)
                for (int x = r.left(); x <= r.right(); ++x) {
                    if (!pixels.at(x, y))
                        continue;
                    const qsizetype i = qsizetype(y) * w + x;
                    if (obj[i] != 0) // later shapes paint over earlier ones
                        lostPixels[obj[i]] = true;
                    obj[i] = uchar(position);
                    cls[i] = uchar(std::min(s.classIndex + 1, 255));
                }
        }
        xml.writeEndElement();
        xml.writeEndDocument();
        n.overlapped += int(std::count(lostPixels.begin(), lostPixels.end(), true));
        SALIENT_TRY(writeFileAtomically(
            root + QStringLiteral("/Annotations/") + stem + QStringLiteral(".xml"), xmlBytes));
        if (segmented) {
            SALIENT_TRY(writeFileAtomically(
                root
                + QStringLiteral("/SegmentationClass/") + stem
                                 + QStringLiteral(".png"), encodeIndexPng(classPixels, w, h)));
            SALIENT_TRY(writeFileAtomically(
                root
                + QStringLiteral("/SegmentationObject/") + stem
                                 + QStringLiteral(".png"), encodeIndexPng(objectPixels, w, h)));
        }
        // A split name becomes a file name under ImageSets/: made safe.
        const QString split = hasSplits ? (
            img.split.isEmpty() ? QStringLiteral("train") : exportFileName(img.split)) : QStringLiteral("default");
        splitLists[split] << stem;
        if (segmented)
            segmentationLists[split] << stem;
    }
    // Main/ lists every image; Segmentation/ the segmented ones (torchvision's
    // VOCSegmentation and the devkit read their splits from there).
    for (auto it = splitLists.cbegin(); it != splitLists.cend(); ++it)
        SALIENT_TRY(writeFileAtomically(
            root
            + QStringLiteral("/ImageSets/Main/") + it.key()
                + QStringLiteral(".txt"), (it.value().join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()));
    for (auto it = segmentationLists.cbegin(); it != segmentationLists.cend(); ++it)
        SALIENT_TRY(writeFileAtomically(
            root
            + QStringLiteral("/ImageSets/Segmentation/") + it.key()
                + QStringLiteral(".txt"), (it.value().join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8()));
    SALIENT_TRY(
        writeFileAtomically(root + QStringLiteral("/labelmap.txt"), writeLabelmap(data.classes)));

    if (n.offPixel)
        warn(warnings,
             QStringLiteral("%1 boxes were not on whole pixels: VOC corners are whole "
                                      "pixels, so each edge went to the nearest one (at most 0.5 px)")
                                .arg(n.offPixel));
    if (n.noClass)
        warn(warnings, QStringLiteral("%1 shapes have no class and were left out").arg(n.noClass));
    if (n.notFinite)
        warn(
            warnings,
            QStringLiteral("%1 shapes have coordinates that are not numbers and were left out").arg(
                n.notFinite));
    if (n.labels)
        warn(warnings,
             QStringLiteral("%1 image-level labels cannot be expressed in Pascal VOC and were left out")
                     .arg(n.labels));
    if (n.renamed)
        warn(warnings,
             QStringLiteral("%1 images had the same file stem as another and got a suffix").arg(
                 n.renamed));
    if (n.overlapped)
        warn(warnings, QStringLiteral("%1 polygons or masks overlap a later one, which owns the shared pixels in the segmentation PNGs")
                                          .arg(n.overlapped));
    if (n.tooMany)
        warn(warnings,
             QStringLiteral("%1 polygons or masks come after the 254th object of their image; a segmentation PNG cannot number them, so they are boxes only")
                                .arg(n.tooMany));
    if (n.tooManyClasses)
        warn(warnings, QStringLiteral("%1 polygons or masks have a class past the 254th; SegmentationClass marks them void (255)")
                                          .arg(n.tooManyClasses));
    if (n.unsized)
        warn(warnings, QStringLiteral("%1 images have polygons or masks but no known size; they were written as boxes only")
                                          .arg(n.unsized));
    return {};
}

} // namespace salient::voc
