// SPDX-License-Identifier: GPL-3.0-or-later
// Peer tests: Debian's labelme 5.1.1 (its Python code, run with /usr/bin/python3)
// reads what we write, writes what we read, and rasterises our shapes into the
// class masks our side makes. A missing labelme fails these tests: ./test.sh
// installs the Debian package `labelme`.
#include "tests/core/formats_labelme_test.h"

#include "core/annotation/raster.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace salient;
using namespace labelmetest;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 480;
// Class masks against labelme's rasteriser: every image's IoU (all classes'
// pixels together) and every class's, except that classes holding a
// rectangle get PIL's extra row and column (0.975 for a 120x60 box).
constexpr double kClassIoU = 0.99;
constexpr double kRectangleIoU = 0.97;

/// Runs tests/data/labelme/<script>; returns an empty string on success, else
/// why not (naming the Debian package when labelme cannot be imported).
QString runPeer(const QString &script, const QStringList &args, QByteArray &out)
{
    const QString python = QStringLiteral("/usr/bin/python3");
    if (!QFileInfo::exists(python))
        return QStringLiteral("%1 is missing: install the Debian packages `python3` and `labelme` "
                              "(./test.sh installs them)")
                                  .arg(python);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("PYTHONDONTWRITEBYTECODE"),
                              QStringLiteral("1")); // keep the source tree clean
    p.setProcessEnvironment(env);
    p.start(python, QStringList{QStringLiteral(SALIENT_LABELME_SCRIPTS "/") + script} + args);
    if (!p.waitForFinished(240000)) {
        p.kill();
        p.waitForFinished();
        return QStringLiteral("%1 did not finish").arg(script);
    }
    out = p.readAllStandardOutput();
    const QString err = QString::fromUtf8(p.readAllStandardError());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() == 3)
        return QStringLiteral("labelme peer unavailable: %1").arg(err.trimmed());
    if (p.exitCode() != 0)
        return QStringLiteral("%1 failed (exit %2): %3").arg(script).arg(p.exitCode()).arg(err.right(3000));
    return {};
}

QPolygonF ellipse(const QPointF &c, double rx, double ry, int n, double phase = 0)
{
    QPolygonF p;
    for (int i = 0; i < n; ++i) {
        const double a = phase + 2 * M_PI * i / n;
        p.append(QPointF(c.x() + rx * std::cos(a), c.y() + ry * std::sin(a)));
    }
    return p;
}

/// Realistic scenes: 640x480 images with 3-6 objects of `minSize`..`maxSize`
/// px across: rectangles, polygons of 8-40 vertices, circles and mask blobs,
/// at sub-pixel positions (labelme's clicks are floats); some image flags.
Dataset makeScene(const QString &srcDir, unsigned seed, int images, double minSize, double maxSize)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> unit(0, 1);
    const auto uniform = [&](double a, double b) { return a + (b - a) * unit(rng); };
    Dataset d;
    d.classes = {
        QStringLiteral("person"), QStringLiteral("car"),     QStringLiteral("tree"),
                                                                            QStringLiteral("sign"),   QStringLiteral("outdoor"), QStringLiteral("night")};
    for (int i = 0; i < images; ++i) {
        DatasetImage img;
        img.name = QStringLiteral("%1scene%2_%3.png").arg(
            i % 2 ? QStringLiteral("sub/") : QString()).arg(seed).arg(i);
        img.path = QDir(srcDir).absoluteFilePath(img.name);
        img.width = kWidth;
        img.height = kHeight;
        writeImage(img.path, kWidth, kHeight, int(seed) + i);
        if (rng() % 2)
            img.labels.append(4);
        if (rng() % 3 == 0)
            img.labels.append(5);
        const int objects = 3 + int(rng() % 4);
        QVector<QRectF> taken;
        for (int k = 0; k < objects; ++k) {
            // Objects side by side, as in most labelled photos (an occluded
            // sliver is a small object, measured by the small-object case).
            double s = 0;
            QPointF c;
            bool placed = false;
            for (int attempt = 0; attempt < 200 && !placed; ++attempt) {
                s = uniform(minSize, attempt < 100 ? maxSize : minSize * 1.2);
                c = QPointF(uniform(s / 2, kWidth - s / 2), uniform(s / 2, kHeight - s / 2));
                const QRectF r(c.x() - s / 2 - 2, c.y() - s / 2 - 2, s + 4, s + 4);
                placed = std::none_of(taken.begin(), taken.end(),
                                      [&](const QRectF &t) { return t.intersects(r); });
                if (placed)
                    taken.append(r);
            }
            if (!placed)
                break;
            const int cls = int(rng() % 4);
            Geometry geometry;
            switch (rng() % 4) {
            case 0:
                geometry =
                    Box{QRectF(c.x() - s / 2, c.y() - s / 2 * 0.8, s, s * uniform(0.5, 0.8))};
                break;
            case 1: { // a star-ish polygon of 8-40 vertices
                const int n = 8 + int(rng() % 33);
                QPolygonF p;
                for (int v = 0; v < n; ++v) {
                    const double a = 2 * M_PI * (v + uniform(0, 0.5)) / n;
                    const double r = s / 2 * uniform(0.7, 1.0);
                    p.append(QPointF(c.x() + r * std::cos(a), c.y() + r * std::sin(a)));
                }
                geometry = Polygon{p};
                break;
            }
            case 2: // a circle, as labelme's circles arrive (a polygon)
                geometry = Polygon{ellipse(c, s / 2, s / 2, 64)};
                break;
            default: // a painted blob: a mask without holes
                geometry = rasterizePolygon(ellipse(c, s / 2, s / 2 * 0.7, 50, 0.3),
                                            QSize(kWidth, kHeight));
                break;
            }
            img.shapes.append({cls, std::move(geometry),
                               k % 3 == 1 ? QStringLiteral(R"({"group_id":%1})").arg(k)
                                          : QStringLiteral("{}")});
        }
        d.images.append(img);
    }
    return d;
}

QString jsonRel(const DatasetImage &img)
{
    return img.name.left(img.name.lastIndexOf(QLatin1Char('.'))) + QStringLiteral(".json");
}

struct PeerShape {
    QString label, type;
    QPolygonF points;
    QString attributes;
};

/// What our writer must have put into labelme's hands for one image.
QVector<PeerShape> expectedShapes(const Dataset &d, const DatasetImage &img)
{
    QVector<PeerShape> out;
    for (const DatasetShape &s : img.shapes) {
        const QString label = d.classes[s.classIndex];
        if (const auto *b = std::get_if<Box>(&s.geometry))
            out.append({label, QStringLiteral("rectangle"),
                                              QPolygonF({b->rect.topLeft(), b->rect.bottomRight()}),
                                              s.attributes});
        else if (const auto *p = std::get_if<Polygon>(&s.geometry))
            out.append({label, QStringLiteral("polygon"), p->points, s.attributes});
        else
            for (const QPolygonF &poly : maskToPolygons(std::get<Mask>(s.geometry)))
                out.append({label, QStringLiteral("polygon"), poly, s.attributes});
    }
    return out;
}

QPolygonF pointsOf(const QJsonValue &v)
{
    QPolygonF p;
    for (const QJsonValue &pt : v.toArray())
        p.append(QPointF(pt.toArray().at(0).toDouble(), pt.toArray().at(1).toDouble()));
    return p;
}

bool samePoints(const QPolygonF &a, const QPolygonF &b, double tol = 1e-5)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i)
        if (std::abs(a[i].x() - b[i].x()) > tol || std::abs(a[i].y() - b[i].y()) > tol)
            return false;
    return true;
}

/// Our class mask for an image, as a VOC-style export makes it: class index + 1
/// per pixel, later shapes painted over earlier ones.
QImage ourClassMask(const DatasetImage &img)
{
    QImage out(img.width, img.height, QImage::Format_Grayscale8);
    out.fill(0);
    const QSize size(img.width, img.height);
    for (const DatasetShape &s : img.shapes) {
        Mask m;
        if (const auto *b = std::get_if<Box>(&s.geometry))
            m = rasterizeBox(b->rect, size);
        else if (const auto *p = std::get_if<Polygon>(&s.geometry))
            m = rasterizePolygon(p->points, size);
        else
            m = std::get<Mask>(s.geometry);
        const QRect r = m.bounds().intersected(QRect(QPoint(0, 0), size));
        for (int y = r.top(); y <= r.bottom(); ++y)
            for (int x = r.left(); x <= r.right(); ++x)
                if (m.at(x, y))
                    out.scanLine(y)[x] = uchar(s.classIndex + 1);
    }
    return out;
}

} // namespace

void TestFormatsLabelme::peerLoadsOurJson()
{
    QTemporaryDir src, plain, embedded;
    const Dataset d = makeScene(src.path(), 1, 4, 120, 400);
    QVector<FormatProblem> warnings;
    QVERIFY(labelme().write(d, plain.path(), WriteOptions{}, warnings).ok());
    WriteOptions embed;
    embed.embedImageData = true;
    embed.images = ImagePlacement::None; // labelme must take the image from imageData alone
    QVERIFY(labelme().write(d, embedded.path(), embed, warnings).ok());

    QByteArray out;
    const QString err =
        runPeer(QStringLiteral("peer_load.py"), {plain.path(), embedded.path()}, out);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const QJsonObject seen = QJsonDocument::fromJson(out).object();
    int shapesCompared = 0;
    for (const QString &folder : {plain.path(), embedded.path()}) {
        const QJsonArray files = seen.value(folder).toArray();
        QCOMPARE(files.size(), d.images.size());
        for (int i = 0; i < d.images.size(); ++i) {
            const DatasetImage &img = d.images[i];
            const auto it = std::find_if(files.begin(), files.end(), [&](const QJsonValue &f) {
                return f.toObject().value(QStringLiteral("json")).toString() == jsonRel(img);
            });
            QVERIFY2(it != files.end(), qPrintable(jsonRel(img)));
            const QJsonObject f = it->toObject();
            QCOMPARE(f.value(QStringLiteral("imagePath")).toString(),
                             QFileInfo(img.name).fileName());
            QCOMPARE(f.value(QStringLiteral("imageSize")).toArray(), (QJsonArray{kWidth, kHeight}));
            QStringList flags, labels;
            const QJsonObject fl = f.value(QStringLiteral("flags")).toObject();
            for (auto k = fl.begin(); k != fl.end(); ++k)
                if (k.value().toBool())
                    flags << k.key();
            for (int c : img.labels)
                labels << d.classes[c];
            flags.sort();
            labels.sort();
            QCOMPARE(flags, labels);
            const QVector<PeerShape> expected = expectedShapes(d, img);
            const QJsonArray shapes = f.value(QStringLiteral("shapes")).toArray();
            QCOMPARE(shapes.size(), expected.size());
            for (int k = 0; k < expected.size(); ++k) {
                const QJsonObject s = shapes[k].toObject();
                QCOMPARE(s.value(QStringLiteral("label")).toString(), expected[k].label);
                QCOMPARE(s.value(QStringLiteral("shape_type")).toString(), expected[k].type);
                QVERIFY2(
                    samePoints(pointsOf(s.value(QStringLiteral("points"))), expected[k].points),
                               qPrintable(QStringLiteral("%1 shape %2").arg(jsonRel(img)).arg(k)));
                const QJsonValue gid = QJsonDocument::fromJson(expected[k].attributes.toUtf8())
                                           .object()
                                           .value(QStringLiteral("group_id"));
                QCOMPARE(s.value(QStringLiteral("group_id")),
                                 gid.isUndefined() ? QJsonValue() : gid);
                ++shapesCompared;
            }
        }
    }
    qInfo(
        "labelme 5.1.1 LabelFile loaded %d images (plain and with imageData), %d shapes equal ours",
        int(2 * d.images.size()), shapesCompared);
}

void TestFormatsLabelme::peerWrittenJsonImports()
{
    QTemporaryDir dir;
    QByteArray out;
    const QString err = runPeer(QStringLiteral("peer_write.py"), {dir.path()}, out);
    QVERIFY2(err.isEmpty(), qPrintable(err));
    const QJsonArray expected = QJsonDocument::fromJson(out).array();
    QCOMPARE(expected.size(), 2);

    QVector<FormatProblem> problems;
    auto data = labelme().read(dir.path(), ReadOptions{}, problems);
    QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
    QCOMPARE(data->images.size(), 2);
    // The point and the line cannot be represented: reported with their JSON path.
    QCOMPARE(problems.size(), 2);
    QCOMPARE(problems[0].where, QStringLiteral("shapes[3].shape_type"));
    QCOMPARE(problems[1].where, QStringLiteral("shapes[4].shape_type"));
    QVERIFY(problems[0].path.endsWith(QStringLiteral("street.json")));

    for (const QJsonValue &ev : expected) {
        const QJsonObject e = ev.toObject();
        const QString path =
            QDir(dir.path()).absoluteFilePath(e.value(QStringLiteral("image")).toString());
        const auto img = std::find_if(data->images.begin(), data->images.end(),
                                      [&](const DatasetImage &i) { return i.path == path; });
        QVERIFY2(img != data->images.end(), qPrintable(path));
        QStringList labels;
        for (int c : img->labels)
            labels << data->classes[c];
        QStringList flags;
        for (const QJsonValue &f : e.value(QStringLiteral("flags")).toArray())
            flags << f.toString();
        QCOMPARE(labels, flags);
        const int embedded = e.value(QStringLiteral("embedded")).toInt();
        QCOMPARE(int(img->embeddedImage.size()), embedded);
        if (embedded) {
            const QImage decoded = QImage::fromData(img->embeddedImage);
            QCOMPARE(decoded.size(),
                     QSize(e.value(QStringLiteral("size")).toArray().at(0).toInt(),
                                   e.value(QStringLiteral("size")).toArray().at(1).toInt()));
        }
        int k = 0;
        for (const QJsonValue &sv : e.value(QStringLiteral("shapes")).toArray()) {
            const QJsonObject s = sv.toObject();
            const QString type = s.value(QStringLiteral("shape_type")).toString();
            if (type == QLatin1String("point") || type == QLatin1String("line"))
                continue;
            QVERIFY(k < img->shapes.size());
            const DatasetShape &ours = img->shapes[k++];
            QCOMPARE(data->classes[ours.classIndex], s.value(QStringLiteral("label")).toString());
            const QPolygonF pts = pointsOf(s.value(QStringLiteral("points")));
            if (type == QLatin1String("rectangle")) {
                QCOMPARE(std::get<Box>(ours.geometry).rect, QRectF(pts[0], pts[1]).normalized());
            } else if (type == QLatin1String("polygon")) {
                QCOMPARE(std::get<Polygon>(ours.geometry).points, pts);
            } else {
                QCOMPARE(type, QStringLiteral("circle"));
                const QPolygonF poly = std::get<Polygon>(ours.geometry).points;
                const double r = std::hypot(pts[1].x() - pts[0].x(), pts[1].y() - pts[0].y());
                double area = 0;
                QPointF mean;
                for (int v = 0; v < poly.size(); ++v) {
                    const QPointF &a = poly[v], &b = poly[(v + 1) % poly.size()];
                    area += (a.x() * b.y() - b.x() * a.y()) / 2;
                    mean += a / poly.size();
                }
                QVERIFY(std::abs(std::abs(area) - M_PI * r * r) < 0.005 * M_PI * r * r);
                QVERIFY(std::hypot(mean.x() - pts[0].x(), mean.y() - pts[0].y()) < 1e-6);
            }
            const QJsonValue gid = s.value(QStringLiteral("group_id"));
            const QJsonObject attrs = QJsonDocument::fromJson(ours.attributes.toUtf8()).object();
            QCOMPARE(attrs.value(QStringLiteral("group_id")),
                                 gid.isNull() ? QJsonValue(QJsonValue::Undefined) : gid);
        }
        QCOMPARE(k, img->shapes.size());
    }
}

void TestFormatsLabelme::classMasksMatchPeerRasteriser()
{
    struct Case {
        const char *name;
        unsigned seed;
        int images;
        double minSize, maxSize;
        bool asserted;
    };
    const Case cases[] = {{"objects 120-400 px", 2, 8, 120, 400, true},
                          {"small objects 20-40 px", 3, 3, 20, 40, false}};
    for (const Case &c : cases) {
        QTemporaryDir src, out, masks;
        const Dataset d = makeScene(src.path(), c.seed, c.images, c.minSize, c.maxSize);
        QVector<FormatProblem> warnings;
        QVERIFY(labelme().write(d, out.path(), WriteOptions{}, warnings).ok());
        for (const DatasetImage &img : d.images) {
            const QString png =
                QDir(masks.path())
                    .absoluteFilePath(jsonRel(img).chopped(5) + QStringLiteral(".png"));
            QDir().mkpath(QFileInfo(png).absolutePath());
            QVERIFY(ourClassMask(img).save(png, "PNG"));
        }
        QVERIFY(writeFile(masks.filePath(QStringLiteral("classes.txt")),
                                         d.classes.join(QLatin1Char('\n')).toUtf8()));
        QByteArray result;
        const QString err = runPeer(QStringLiteral("peer_masks.py"),
            {out.path(), masks.path(), masks.filePath(QStringLiteral("classes.txt"))}, result);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        const QJsonArray images = QJsonDocument::fromJson(result).array();
        QCOMPARE(images.size(), d.images.size());
        QStringList failures;
        double overallMin = 1, overallSum = 0, minImage = 1;
        int overallCount = 0;
        for (const QJsonValue &iv : images) {
            const QString json = iv.toObject().value(QStringLiteral("json")).toString();
            const auto img =
                std::find_if(d.images.begin(), d.images.end(),
                             [&](const DatasetImage &i) { return jsonRel(i) == json; });
            QVERIFY2(img != d.images.end(), qPrintable(json));
            // labelme draws a rectangle with PIL's inclusive corners: one more
            // row and column than the box covers (10x10 px becomes 11x11), so
            // a class holding a rectangle gets w*h/((w+1)*(h+1)), not 1.
            QSet<QString> withRectangle;
            for (const DatasetShape &s : img->shapes)
                if (std::holds_alternative<Box>(s.geometry))
                    withRectangle.insert(d.classes[s.classIndex]);
            const QJsonObject classes = iv.toObject().value(QStringLiteral("classes")).toObject();
            QVERIFY(!classes.isEmpty());
            double mn = 1, sum = 0;
            qint64 inter = 0, uni = 0;
            QStringList detail;
            for (auto k = classes.begin(); k != classes.end(); ++k) {
                const QJsonObject o = k.value().toObject();
                const double iou = o.value(QStringLiteral("iou")).toDouble();
                mn = std::min(mn, iou);
                sum += iou;
                inter += o.value(QStringLiteral("inter")).toInteger();
                uni += o.value(QStringLiteral("union")).toInteger();
                const bool rect = withRectangle.contains(k.key());
                detail << QStringLiteral("%1%2 %3 (ours %4 px, labelme %5 px)") .arg(
                    k.key(), rect ? QStringLiteral("[rect]") : QString())
                                 .arg(iou, 0, 'f', 4)
                                 .arg(o.value(QStringLiteral("ours")).toInt())
                                          .arg(o.value(QStringLiteral("theirs")).toInt());
                if (c.asserted && iou < (rect ? kRectangleIoU : kClassIoU))
                    failures << QStringLiteral("%1 class %2: IoU %3").arg(json, k.key()).arg(iou);
            }
            const double imageIoU = uni ? double(inter) / double(uni) : 1.0;
            if (c.asserted && imageIoU < kClassIoU)
                failures << QStringLiteral("%1: image IoU %2").arg(json).arg(imageIoU);
            overallMin = std::min(overallMin, mn);
            overallSum += sum;
            overallCount += int(classes.size());
            minImage = std::min(minImage, imageIoU);
            qInfo("%s %s: image IoU %.4f, class IoU min %.4f mean %.4f: %s", c.name,
                  qPrintable(json), imageIoU, mn, sum / classes.size(),
                  qPrintable(detail.join(QStringLiteral(", "))));
        }
        qInfo("%s: IoU against labelme.utils.shapes_to_label over %d images: image IoU min %.4f; "
              "per class min %.4f, mean %.4f%s",
              c.name, int(images.size()), minImage, overallMin,
              overallSum / std::max(1, overallCount),
              c.asserted ? "" : " (reported, not asserted)");
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    }
}
