// SPDX-License-Identifier: GPL-3.0-or-later
// importDataset(): read, check every image and shape, let the user decide, then
// write everything in one transaction (datasetio.h).
#include "core/formats/datasetio.h"

#include "core/formats/formatutil.h"
#include "core/formats/shapecheck.h"
#include "core/imaging/importer.h"
#include "core/project/store.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <vector>

namespace salient {

namespace {

constexpr int kCancelEvery = 1000; // items between looks at the cancel flag
constexpr int kProbeChunk = 2000;  // images probed between progress reports
constexpr int kReadChunk = 5000;   // image ids per query when reading existing annotations

bool stopped(const std::atomic_bool *cancel)
{
    return cancel && cancel->load();
}

Error cancelledError(const QString &path)
{
    return makeError(Error::Code::Cancelled, QStringLiteral("import cancelled"), path);
}

/// Forwards progress at most about ten times a second (and always the first of a stage).
class Throttle {
public:
    explicit Throttle(const DatasetProgressFn &fn) : m_fn(fn) { m_clock.start(); }
    void operator()(const QString &stage, qint64 done, qint64 total)
    {
        if (!m_fn)
            return;
        if (stage == m_stage && done < total && m_clock.elapsed() < 100)
            return;
        m_stage = stage;
        m_clock.restart();
        m_fn({stage, done, total});
    }

private:
    const DatasetProgressFn &m_fn;
    QElapsedTimer m_clock;
    QString m_stage;
};

/// Files this import wrote (extracted embedded images); removed again unless
/// the import commits, so an aborted import leaves no trace either.
struct ExtractedFiles {
    QStringList created;
    bool keep = false;
    ~ExtractedFiles()
    {
        if (!keep)
            for (const QString &f : std::as_const(created))
                QFile::remove(f);
    }
};

/// Writes an image carried inside the annotation file (labelme imageData) beside
/// the project, so that the project can point at a real file.
Result<QString> extractEmbedded(const ProjectStore &store, const DatasetImage &image,
                                ExtractedFiles &extracted)
{
    const QFileInfo project(store.filePath());
    QString name = image.name;
    if (name.isEmpty())
        name = QFileInfo(image.path.isEmpty() ? image.source : image.path).fileName();
    const QString folder = store.directory() + QLatin1Char('/') + project.completeBaseName()
                           + QStringLiteral(".imported");
    const QString rel = exportRelativePath(name);
    QString target = QDir::cleanPath(folder + QLatin1Char('/') + rel);
    const QByteArray hash = contentHash(image.embeddedImage);
    // A file already there with other bytes (another dataset's image of that
    // name) stays; this one gets a numbered name beside it.
    for (int n = 2; QFileInfo::exists(target); ++n) {
        auto bytes = readFileBytes(target);
        if (bytes.ok() && contentHash(bytes.value()) == hash)
            return target;
        const QFileInfo fi(QDir::cleanPath(folder + QLatin1Char('/') + rel));
        target = fi.path() + QLatin1Char('/') + fi.completeBaseName() + QLatin1Char('-')
                 + QString::number(n)
                 + (fi.suffix().isEmpty() ? QString() : QLatin1Char('.') + fi.suffix());
    }
    SALIENT_TRY(writeFileAtomically(target, image.embeddedImage));
    extracted.created.push_back(target);
    return target;
}

/// What the checks found out about one file the dataset names.
struct FileInfo {
    QString path;
    NewImage probe;
    bool missing = false;
};

QString sizeText(int w, int h)
{
    return QStringLiteral("%1x%2").arg(w).arg(h);
}

QString displayName(const DatasetImage &image)
{
    return image.name.isEmpty() ? QDir::toNativeSeparators(image.path) : image.name;
}

/// Checks one dataset image against its probed file; fills problems and
/// warnings, fixes what can be fixed in place (EXIF frame, clamping) and drops
/// nothing itself: returns false when the image has to go, and marks bad shapes.
bool checkImage(DatasetImage &image, const FileInfo &file, int classCount,
                QVector<FormatProblem> &problems, QVector<FormatProblem> &warnings,
                std::vector<bool> &badShape)
{
    badShape.assign(size_t(image.shapes.size()), false);
    if (file.missing) {
        problems.push_back(problemAt(
            image, QStringLiteral("image file \"%1\" not found").arg(displayName(image))));
        return false;
    }
    const NewImage &p = file.probe;
    if (!p.readable) {
        problems.push_back(problemAt(image, QStringLiteral("cannot read the image \"%1\": %2") .arg(
                                                displayName(image), p.unreadableReason)));
        return false;
    }
    if (image.width > 0 && image.height > 0
        && (image.width != p.width || image.height != p.height)) {
        const bool swapped = p.orientation >= 5 && p.orientation <= 8 && image.width == p.height
                             && image.height == p.width;
        if (!swapped) {
            problems.push_back(problemAt(
                image, QStringLiteral("declared %1 but the file is %2") .arg(
                           sizeText(image.width, image.height), sizeText(p.width, p.height))));
            return false;
        }
        // The file was annotated in its stored frame (a tool that ignores EXIF).
        const QSize stored(p.height, p.width);
        for (DatasetShape &s : image.shapes)
            s.geometry = toDisplayedFrame(s.geometry, p.orientation, stored);
        warnings.push_back(problemAt(
            image, QStringLiteral("declared the stored size %1 of an image shown as %2 (EXIF "
                                  "orientation %3): coordinates turned into the displayed frame")
                                      .arg(sizeText(image.width, image.height),
                                           sizeText(p.width, p.height))
                                      .arg(p.orientation)));
    }
    const QSize displayed(p.width, p.height);
    for (int i = 0; i < image.shapes.size(); ++i) {
        DatasetShape &s = image.shapes[i];
        QString message = s.classIndex >= classCount
            ? QStringLiteral("class index %1 is not in the class list").arg(s.classIndex)
            : checkShape(s.geometry, displayed);
        if (!message.isEmpty()) {
            problems.push_back(problemAt(image, message, i));
            badShape[size_t(i)] = true;
        }
    }
    QVector<int> labels;
    for (int l : std::as_const(image.labels)) {
        if (l >= 0 && l < classCount)
            labels.push_back(l);
        else
            problems.push_back(
                problemAt(image, QStringLiteral("label index %1 is not in the class list").arg(l)));
    }
    image.labels = labels;
    return true;
}

// Step 5 of importDataset(), below: the one transaction.
Status writeCheckedDataset(ProjectStore &store, Dataset &data, const QVector<QString> &filePaths,
                           QVector<NewImage> &probes, const QVector<int> &fileOf,
                           DatasetImportReport &report, const std::atomic_bool *cancel);

} // namespace

Result<DatasetImportReport> importDataset(ProjectStore &store, const DatasetImportOptions &options,
                                          const ProblemDecision &decide,
                                          const DatasetProgressFn &progress,
                                          const std::atomic_bool *cancel)
{
    QElapsedTimer clock;
    clock.start();
    Throttle report_(progress);
    DatasetImportReport report;
    const QString shownPath = QDir::toNativeSeparators(options.path);
    if (options.path.isEmpty() || !QFileInfo::exists(options.path))
        return makeError(Error::Code::NotFound, QStringLiteral("no such file or folder"),
                                                               shownPath);

    const DatasetFormat *format = options.format;
    if (!format) {
        auto detected = detectDatasetFormat(options.path);
        SALIENT_TRY(detected);
        format = detected.value();
    }
    report.format = format->name();

    // 1. Read.
    report_(QStringLiteral("Reading"), 0, 0);
    QVector<FormatProblem> problems;
    ReadOptions readOptions;
    readOptions.imageRoot = options.imageRoot;
    readOptions.cancel = cancel;
    auto read = format->read(options.path, readOptions, problems);
    SALIENT_TRY(read);
    Dataset data = std::move(read).value();
    if (stopped(cancel))
        return cancelledError(shownPath);
    report.imagesInFile = data.images.size();

    // 2. Which files: each distinct path once; embedded images extracted.
    ExtractedFiles extracted;
    QVector<QString> filePaths;
    QHash<QString, int> fileIndex;
    QVector<int> fileOf(data.images.size(), -1);
    int embedded = 0;
    for (int i = 0; i < data.images.size(); ++i) {
        DatasetImage &img = data.images[i];
        if (!img.embeddedImage.isEmpty() && (img.path.isEmpty() || !QFileInfo::exists(img.path))) {
            auto target = extractEmbedded(store, img, extracted);
            SALIENT_TRY(target);
            img.path = target.value();
            img.embeddedImage.clear(); // written: no need to hold the bytes any longer
            ++embedded;
        }
        const QString path = img.path.isEmpty() ? QString() : QDir::cleanPath(img.path);
        auto it = fileIndex.constFind(path);
        if (it == fileIndex.constEnd()) {
            it = fileIndex.insert(path, filePaths.size());
            filePaths.push_back(path);
        }
        fileOf[i] = it.value();
    }
    if (embedded > 0) {
        FormatProblem w;
        w.path = QDir::toNativeSeparators(options.path);
        w.message = QStringLiteral("%1 images embedded in the annotation files were extracted to "
                                   "%2.imported/ beside the project")
                                       .arg(embedded)
                                       .arg(QFileInfo(store.filePath()).completeBaseName());
        report.warnings.push_back(w);
    }

    // 3. Probe every file (header, size, hash) in a private pool.
    const QString checking = QStringLiteral("Checking images");
    QVector<FileInfo> files(filePaths.size());
    {
        QThreadPool pool;
        pool.setMaxThreadCount(options.threads > 0 ? options.threads
                                                   : std::max(1, QThread::idealThreadCount()));
        const qint64 maxPixels = options.maxPixels;
        for (int from = 0; from < files.size(); from += kProbeChunk) {
            report_(checking, from, files.size());
            if (stopped(cancel))
                return cancelledError(shownPath);
            std::vector<int> chunk;
            for (int k = from; k < std::min<int>(files.size(), from + kProbeChunk); ++k)
                chunk.push_back(k);
            QtConcurrent::blockingMap(&pool, chunk, [&](int k) {
                FileInfo &f = files[k];
                f.path = filePaths[k];
                f.missing = f.path.isEmpty() || !QFileInfo(f.path).isFile();
                if (!f.missing)
                    f.probe = readImageFile(f.path, maxPixels);
                f.probe.absolutePath = f.path;
            });
        }
        report_(checking, files.size(), files.size());
    }

    // 4. Check images and shapes against the files.
    QVector<FormatProblem> warnings;
    std::vector<bool> badShape;
    const int classCount = data.classes.size();
    for (int i = 0; i < data.images.size(); ++i) {
        if (i % kCancelEvery == 0 && stopped(cancel))
            return cancelledError(shownPath);
        DatasetImage &img = data.images[i];
        if (!checkImage(img, files[fileOf[i]], classCount, problems, warnings, badShape)) {
            fileOf[i] = -1; // skipped with its shapes, if the user skips
            continue;
        }
        if (std::find(badShape.begin(), badShape.end(), true) != badShape.end()) {
            QVector<DatasetShape> kept;
            kept.reserve(img.shapes.size());
            for (int s = 0; s < img.shapes.size(); ++s)
                if (!badShape[size_t(s)])
                    kept.push_back(std::move(img.shapes[s]));
            img.shapes = std::move(kept);
        }
    }

    // 5. The user decides.
    if (!problems.isEmpty()) {
        if (!decide || !decide(problems))
            return makeError(Error::Code::Cancelled,
                             QStringLiteral("import aborted: %1 problems").arg(problems.size()),
                                            shownPath);
        report.skipped = problems;
    }
    report.warnings += warnings;
    if (stopped(cancel))
        return cancelledError(shownPath);

    // 6. One transaction.
    report_(QStringLiteral("Writing project"), 0, 0);
    QVector<NewImage> probes;
    probes.reserve(files.size());
    for (FileInfo &f : files)
        probes.push_back(std::move(f.probe));
    files.clear();
    SALIENT_TRY(writeCheckedDataset(store, data, filePaths, probes, fileOf, report, cancel));
    extracted.keep = true;
    report_(QStringLiteral("Writing project"), 1, 1);
    report.seconds = clock.elapsed() / 1000.0;
    return report;
}

namespace {

/// Identity of a shape for "already on that image": class and exact geometry.
QByteArray shapeKey(qint64 classId, const Geometry &geometry)
{
    return QByteArray::number(classId) + ':' + char('0' + int(kindOf(geometry)))
           + encodeGeometry(geometry);
}

template <typename T>
Result<T> named(Result<T> r, const QString &what)
{
    if (r.ok())
        return r;
    Error e = r.error();
    e.message = what + QStringLiteral(": ") + e.message;
    return e;
}

Status writeCheckedDataset(ProjectStore &store, Dataset &data, const QVector<QString> &filePaths,
                           QVector<NewImage> &probes, const QVector<int> &fileOf,
                           DatasetImportReport &report, const std::atomic_bool *cancel)
{
    const QString projectFile = store.filePath();
    const auto cancelled = [&]() -> Status {
        if (stopped(cancel))
            return makeError(Error::Code::Cancelled, QStringLiteral("import cancelled"),
                                                                    projectFile);
        return {};
    };
    return store.transaction([&]() -> Status {
        // Classes, in the dataset's order; names match the project's as the store matches them.
        QVector<qint64> classIds(data.classes.size(), 0);
        for (int c = 0; c < data.classes.size(); ++c) {
            const QString &name = data.classes[c];
            auto found = store.classIdByName(name);
            if (found.ok()) {
                classIds[c] = found.value();
                continue;
            }
            if (found.error().code != Error::Code::NotFound)
                return found.error();
            auto added = named(store.addClass(name),
                               QStringLiteral("cannot add the class \"%1\"").arg(name));
            SALIENT_TRY(added);
            classIds[c] = added.value();
            ++report.classesAdded;
        }
        SALIENT_TRY(cancelled());

        // Images: new rows in one call; files the project has already get merged.
        auto before = store.imageIdsByPath();
        SALIENT_TRY(before);
        QVector<qint64> idOfFile(filePaths.size(), 0);
        QVector<int> rowOfFile(filePaths.size(), -1);
        QVector<bool> seen(filePaths.size(), false);
        QVector<NewImage> rows;
        QVector<int> rowFile;
        QVector<qint64> present;
        for (int i = 0; i < data.images.size(); ++i) {
            const int f = fileOf[i];
            if (f < 0)
                continue;
            if (!seen[f]) {
                seen[f] = true;
                const qint64 id = before->value(store.toStoredPath(filePaths[f]), 0);
                if (id > 0) {
                    idOfFile[f] = id;
                    present.push_back(id);
                } else {
                    rowOfFile[f] = rows.size();
                    rows.push_back(std::move(probes[f]));
                    rowFile.push_back(f);
                }
            }
            if (rowOfFile[f] >= 0) {
                const QHash<QString, QString> &meta = data.images[i].meta;
                for (auto it = meta.constBegin(); it != meta.constEnd(); ++it)
                    rows[rowOfFile[f]].meta.insert(it.key(), it.value());
            }
        }
        report.imagesPresent = present.size();
        probes.clear();
        auto added = store.addImages(rows);
        SALIENT_TRY(added);
        rows.clear();
        bool unknown = false;
        for (int k = 0; k < rowFile.size(); ++k) {
            idOfFile[rowFile[k]] = added->at(k);
            if (added->at(k) > 0)
                ++report.imagesAdded;
            else
                unknown = true;
        }
        if (unknown) { // two names of one file: the first row took the path
            auto after = store.imageIdsByPath();
            SALIENT_TRY(after);
            for (int f : std::as_const(rowFile))
                if (idOfFile[f] == 0)
                    idOfFile[f] = after->value(store.toStoredPath(filePaths[f]), 0);
        }
        SALIENT_TRY(cancelled());

        // What the merged images carry already.
        QHash<qint64, QVector<qint64>> labelsNow;
        QHash<qint64, QSet<QByteArray>> shapesNow;
        for (int from = 0; from < present.size(); from += kReadChunk) {
            const QVector<qint64> chunk = present.mid(from, kReadChunk);
            auto labels = store.labels(chunk);
            SALIENT_TRY(labels);
            labelsNow.insert(labels.value());
            auto shapes = store.shapesOfImages(chunk);
            SALIENT_TRY(shapes);
            for (auto it = shapes->constBegin(); it != shapes->constEnd(); ++it) {
                QSet<QByteArray> &keys = shapesNow[it.key()];
                for (const Shape &s : it.value())
                    keys.insert(shapeKey(s.classId, s.geometry));
            }
            SALIENT_TRY(cancelled());
        }

        // Labels: the union of what the project and the dataset say.
        QHash<qint64, QVector<qint64>> labelSets;
        QVector<qint64> labelOrder;
        for (int i = 0; i < data.images.size(); ++i) {
            if (i % kCancelEvery == 0)
                SALIENT_TRY(cancelled());
            const qint64 id = fileOf[i] < 0 ? 0 : idOfFile[fileOf[i]];
            if (id == 0 || data.images[i].labels.isEmpty())
                continue;
            auto it = labelSets.find(id);
            if (it == labelSets.end()) {
                it = labelSets.insert(id, labelsNow.value(id));
                labelOrder.push_back(id);
            }
            for (int l : std::as_const(data.images[i].labels)) {
                if (!it->contains(classIds[l])) {
                    it->push_back(classIds[l]);
                    ++report.labelsAdded;
                }
            }
        }
        QVector<LabelSet> sets;
        sets.reserve(labelOrder.size());
        for (qint64 id : std::as_const(labelOrder))
            if (labelSets.value(id) != labelsNow.value(id))
                sets.push_back({id, labelSets.value(id)});
        SALIENT_TRY(store.setLabels(sets));
        SALIENT_TRY(cancelled());

        // Shapes, except those identical to one already on the image.
        qint64 total = 0;
        for (const DatasetImage &img : std::as_const(data.images))
            total += img.shapes.size();
        QVector<Shape> shapes;
        shapes.reserve(int(total));
        for (int i = 0; i < data.images.size(); ++i) {
            if (i % kCancelEvery == 0)
                SALIENT_TRY(cancelled());
            const qint64 id = fileOf[i] < 0 ? 0 : idOfFile[fileOf[i]];
            if (id == 0)
                continue;
            const auto existing = shapesNow.constFind(id);
            for (DatasetShape &s : data.images[i].shapes) {
                Shape shape;
                shape.imageId = id;
                shape.classId = s.classIndex >= 0 ? classIds[s.classIndex] : 0;
                if (existing != shapesNow.constEnd()
                    && existing->contains(shapeKey(shape.classId, s.geometry))) {
                    ++report.shapesPresent;
                    continue;
                }
                shape.geometry = std::move(s.geometry);
                shape.attributes = s.attributes;
                switch (shape.kind()) {
                case ShapeKind::Box:
                    ++report.boxes;
                    break;
                case ShapeKind::Polygon:
                    ++report.polygons;
                    break;
                case ShapeKind::Mask:
                    ++report.masks;
                    break;
                }
                shapes.push_back(std::move(shape));
            }
            data.images[i].shapes.clear();
        }
        if (!shapes.isEmpty())
            SALIENT_TRY(store.addShapes(shapes));
        shapes.clear();
        SALIENT_TRY(cancelled());

        // Splits: a locked split keeps its images and takes none.
        auto splits = store.splits();
        SALIENT_TRY(splits);
        QHash<qint64, SplitRecord> splitById;
        QHash<QString, qint64> splitByName;
        for (const SplitRecord &s : splits.value()) {
            splitById.insert(s.id, s);
            splitByName.insert(s.name, s.id);
        }
        QHash<qint64, qint64> splitNow; // only images that are in some split
        for (const SplitRecord &s : splits.value()) {
            ImageFilter inSplit;
            inSplit.splitId = s.id;
            auto ids = store.imageIds(inSplit);
            SALIENT_TRY(ids);
            for (qint64 id : ids.value())
                splitNow.insert(id, s.id);
        }
        QHash<qint64, QVector<qint64>> moves;
        QVector<qint64> splitOrder;
        QSet<qint64> warned;
        for (int i = 0; i < data.images.size(); ++i) {
            const DatasetImage &img = data.images[i];
            const qint64 id = fileOf[i] < 0 ? 0 : idOfFile[fileOf[i]];
            const QString name = img.split.trimmed();
            if (id == 0 || name.isEmpty())
                continue;
            qint64 target = splitByName.value(name, 0);
            if (target == 0) {
                auto made = store.ensureSplit(name);
                SALIENT_TRY(made);
                target = made.value();
                splitByName.insert(name, target);
                splitById.insert(target, {target, name, false});
            }
            const qint64 now = splitNow.value(id, 0);
            if (now == target)
                continue;
            const SplitRecord &from = splitById[now];
            const SplitRecord &to = splitById[target];
            if ((now != 0 && from.locked) || to.locked) {
                if (!warned.contains(id)) {
                    warned.insert(id);
                    report.warnings.push_back(problemAt(
                        img, from.locked && now != 0
                        ? QStringLiteral("the image stays in the locked split \"%1\" (the "
                                             "dataset puts it in \"%2\")")
                                             .arg(from.name, name)
                        : QStringLiteral("the split \"%1\" is locked: the image was not put "
                                             "into it")
                                             .arg(name)));
                }
                continue;
            }
            splitNow.insert(id, target);
            if (!moves.contains(target))
                splitOrder.push_back(target);
            moves[target].push_back(id);
        }
        for (qint64 split : std::as_const(splitOrder)) {
            // Several entries for one image: the last one said where it goes.
            QVector<qint64> ids;
            for (qint64 id : moves.value(split))
                if (splitNow.value(id) == split)
                    ids.push_back(id);
            SALIENT_TRY(store.assignSplit(ids, split));
        }
        SALIENT_TRY(cancelled());

        // Metadata of merged images (new rows carried theirs in addImages).
        for (int i = 0; i < data.images.size(); ++i) {
            const int f = fileOf[i];
            if (f < 0 || rowOfFile[f] >= 0 || idOfFile[f] == 0)
                continue;
            const QHash<QString, QString> &meta = data.images[i].meta;
            for (auto it = meta.constBegin(); it != meta.constEnd(); ++it)
                SALIENT_TRY(store.setMeta(idOfFile[f], it.key(), it.value()));
        }
        return cancelled();
    });
}

} // namespace

} // namespace salient
