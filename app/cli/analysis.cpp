// SPDX-License-Identifier: GPL-3.0-or-later
// salient-cli augment-preview and split: what training will see, and leak-free splits.
#include "app/cli/commands.h"

#include "core/imaging/augment.h"
#include "core/imaging/decode.h"
#include "core/project/splitter.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>

namespace salient::cli {

namespace {

const char kRecipeKey[] = "augment.recipe";
const char kDomainKey[] = "project.domain";

void warn(const QString &line)
{
    const QByteArray b = "salient-cli: warning: " + line.toUtf8() + '\n';
    std::fwrite(b.constData(), 1, size_t(b.size()), stderr);
}

/// The image named by id or by path (as given, or as stored).
Result<ImageRecord> findImage(ProjectStore &store, const QString &which)
{
    bool isId = false;
    const qint64 id = which.toLongLong(&isId);
    if (isId)
        return store.image(id);
    auto byPath = store.imageIdsByPath();
    SALIENT_TRY(byPath);
    const QString stored = store.toStoredPath(QFileInfo(which).absoluteFilePath());
    qint64 found = byPath->value(stored, byPath->value(which, 0));
    if (found == 0)
        return makeError(Error::Code::NotFound,
                         QStringLiteral("no image \"%1\" in the project").arg(which), store.filePath());
    return store.image(found);
}

/// Tiles side by side in rows of `columns`, each fitted into `tile` x `tile` on grey.
cv::Mat grid(const QVector<cv::Mat> &tiles, int columns, int tile)
{
    const int rows = (int(tiles.size()) + columns - 1) / columns;
    constexpr int kGap = 4;
    cv::Mat out(rows * (tile + kGap) + kGap, columns * (tile + kGap) + kGap, CV_8UC3,
                cv::Scalar(48, 48, 48));
    for (int i = 0; i < tiles.size(); ++i) {
        const cv::Mat &t = tiles[i];
        const double s = std::min(double(tile) / t.cols, double(tile) / t.rows);
        cv::Mat fitted;
        cv::resize(t, fitted, cv::Size(std::max(1, int(t.cols * s)), std::max(1, int(t.rows * s))), 0, 0,
                   s < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
        const int x = kGap + (i % columns) * (tile + kGap) + (tile - fitted.cols) / 2;
        const int y = kGap + (i / columns) * (tile + kGap) + (tile - fitted.rows) / 2;
        fitted.copyTo(out(cv::Rect(x, y, fitted.cols, fitted.rows)));
    }
    return out;
}

} // namespace

int runAugmentPreview(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({"count", "Variants to draw (1..64, default 8).", "N", "8"});
    parser.addOption({"out", "PNG file to write the grid to (required).", "FILE"});
    parser.addOption({"seed", "Seed of the variants (default 1).", "N", "1"});
    parser.addOption({"recipe", "Recipe JSON file instead of the project's.", "FILE"});
    int code = 0;
    if (!parseArguments(parser, QStringLiteral("augment-preview"), args,
                        {QStringLiteral("PROJECT"), QStringLiteral("IMAGE")}, &code))
        return code;
    bool okCount = false, okSeed = false;
    const int count = parser.value("count").toInt(&okCount);
    const quint64 seed = parser.value("seed").toULongLong(&okSeed);
    if (!okCount || count < 1 || count > 64)
        return usageError("augment-preview", "--count must be a number from 1 to 64");
    if (!okSeed)
        return usageError("augment-preview", "--seed must be a whole number");
    if (!parser.isSet("out"))
        return usageError("augment-preview", "missing --out FILE");

    auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return fail(store.error());
    ProjectStore &s = **store;

    AugmentRecipe recipe = AugmentRecipe::standardPreset();
    if (parser.isSet("recipe")) {
        QFile f(parser.value("recipe"));
        if (!f.open(QIODevice::ReadOnly))
            return fail(makeError(Error::Code::Io, f.errorString(), parser.value("recipe")));
        auto r = AugmentRecipe::fromJson(f.readAll(), parser.value("recipe"));
        if (!r)
            return fail(r.error());
        recipe = r.value();
    } else {
        const QString json = s.setting(kRecipeKey).valueOr(QString());
        if (!json.isEmpty()) {
            auto r = AugmentRecipe::fromJson(json.toUtf8(), s.filePath() + QStringLiteral(" (augmentation recipe)"));
            if (!r)
                return fail(r.error());
            recipe = r.value();
        }
    }
    const ImageDomain domain =
        domainFromName(s.setting(kDomainKey).valueOr(QString())).value_or(ImageDomain::Natural);
    for (const QString &w : recipe.domainWarnings(domain))
        warn(QStringLiteral("%1 (project domain: %2)").arg(w, domainName(domain)));

    auto rec = findImage(s, parser.positionalArguments().at(1));
    if (!rec)
        return fail(rec.error());
    if (!rec->readable)
        return fail(makeError(Error::Code::Decode, rec->unreadableReason, rec->absolutePath));
    DecodeOptions opt;
    opt.orientation = rec->orientation;
    auto img = decodeImage(rec->absolutePath, opt);
    if (!img)
        return fail(img.error());
    cv::Mat pixels = toDisplayDepth(img.value());

    QHash<qint64, QColor> colors;
    auto classes = s.classes();
    if (classes)
        for (const ClassRecord &c : classes.value())
            colors.insert(c.id, c.color);
    auto shapes = s.shapes(rec->id);
    if (!shapes)
        return fail(shapes.error());
    QVector<Geometry> geometry;
    QVector<QColor> shapeColors;
    for (const Shape &sh : shapes.value()) {
        geometry.push_back(sh.geometry);
        shapeColors.push_back(colors.value(sh.classId, QColor(Qt::yellow)));
    }

    const Augmenter aug(recipe);
    const QVector<cv::Mat> pyramid = augmentPyramid(pixels);
    QVector<cv::Mat> tiles{drawAugmentSample({pixels, geometry, {}}, shapeColors)};
    int tile = 224;
    for (int i = 0; i < count; ++i) {
        const AugmentSample v = augmentFromPyramid(aug, pyramid, geometry, seed * 7919ULL + quint64(i));
        QVector<QColor> kept;
        for (int k : v.sourceIndex)
            kept.push_back(shapeColors.value(k));
        tiles.push_back(drawAugmentSample(v, kept));
        tile = std::max(tile, std::max(v.image.cols, v.image.rows));
    }
    const QString outFile = QFileInfo(parser.value("out")).absoluteFilePath();
    QDir().mkpath(QFileInfo(outFile).absolutePath());
    try {
        // The original first, then the variants, in a near-square grid.
        const int columns = int(std::ceil(std::sqrt(double(tiles.size()))));
        if (!cv::imwrite(outFile.toStdString(), grid(tiles, columns, std::min(tile, 320))))
            return fail(makeError(Error::Code::Io, QStringLiteral("cannot write the PNG"), outFile));
    } catch (const cv::Exception &e) {
        return fail(makeError(Error::Code::Io, QString::fromStdString(e.msg), outFile));
    }
    out(QStringLiteral("Wrote %1: the image and %2 variant(s), seed %3\n").arg(outFile).arg(count).arg(seed));
    return 0;
}

int runSplit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addOption({"train", "Fraction for train (default 0.7).", "F", "0.7"});
    parser.addOption({"val", "Fraction for val (default 0.15).", "F", "0.15"});
    parser.addOption({"test", "Fraction for test (default 0.15).", "F", "0.15"});
    parser.addOption({"group-by", "Metadata key whose images stay together (e.g. patient).", "KEY"});
    parser.addOption({"seed", "Seed (default 0).", "N", "0"});
    parser.addOption({"lock-test", "Lock the test split afterwards against reshuffling."});
    parser.addOption({"json", "Print the outcome as JSON."});
    int code = 0;
    if (!parseArguments(parser, QStringLiteral("split"), args, {QStringLiteral("PROJECT")}, &code))
        return code;
    SplitRequest request;
    for (const char *name : {"train", "val", "test"}) {
        bool ok = false;
        const double f = parser.value(name).toDouble(&ok);
        if (!ok || f < 0)
            return usageError("split", QStringLiteral("--%1 must be a fraction from 0 to 1").arg(name));
        if (f > 0)
            request.fractions.push_back({QString::fromLatin1(name), f});
    }
    bool okSeed = false;
    request.seed = parser.value("seed").toULongLong(&okSeed);
    if (!okSeed)
        return usageError("split", "--seed must be a whole number");
    request.groupBy = parser.value("group-by");

    auto store = openProject(parser.positionalArguments().at(0), ProjectStore::OpenMode::ReadWrite);
    if (!store)
        return fail(store.error());
    ProjectStore &s = **store;
    auto outcome = applySplits(s, request);
    if (!outcome) {
        Error e = outcome.error();
        if (e.path.isEmpty())
            e.path = s.filePath();
        return fail(e);
    }
    if (parser.isSet("lock-test")) {
        auto id = s.ensureSplit("test");
        if (!id)
            return fail(id.error());
        Status locked = s.setSplitLocked(id.value(), true);
        if (!locked.ok())
            return fail(locked.error());
    }
    const SplitOutcome &o = outcome.value();
    if (!request.groupBy.isEmpty() && o.withoutGroup > 0)
        warn(QStringLiteral("%1 image(s) have no \"%2\" value: each was placed on its own")
                 .arg(o.withoutGroup)
                 .arg(request.groupBy));
    if (o.heldBack > 0)
        warn(QStringLiteral("%1 image(s) left in no split: their group already has images in a "
                            "locked split, and placing them elsewhere would leak it")
                 .arg(o.heldBack));
    if (parser.isSet("json")) {
        QJsonObject root, splits;
        for (const auto &n : o.images)
            splits.insert(n.first, n.second);
        root.insert("splits", splits);
        root.insert("units", o.units);
        root.insert("groups", o.groups);
        root.insert("without_group", o.withoutGroup);
        root.insert("held_back", o.heldBack);
        root.insert("locked_kept", QJsonArray::fromStringList(o.lockedKept));
        out(QJsonDocument(root).toJson(QJsonDocument::Compact) + '\n');
        return 0;
    }
    QStringList parts;
    for (const auto &n : o.images)
        parts << QStringLiteral("%1 %2").arg(n.first).arg(n.second);
    out(QStringLiteral("Split %1 image(s)%2: %3%4\n")
            .arg(o.images.isEmpty() ? 0 : [&] { int t = 0; for (const auto &n : o.images) t += n.second; return t; }())
            .arg(request.groupBy.isEmpty() ? QString()
                                           : QStringLiteral(" in %1 group(s) by \"%2\"").arg(o.units).arg(request.groupBy))
            .arg(parts.join(QStringLiteral(", ")))
            .arg(o.lockedKept.isEmpty() ? QString()
                                        : QStringLiteral(" (kept locked: %1)").arg(o.lockedKept.join(QStringLiteral(", ")))));
    return 0;
}

} // namespace salient::cli
