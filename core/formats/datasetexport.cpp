// SPDX-License-Identifier: GPL-3.0-or-later
// exportDataset() and datasetFromProject(): the project as a Dataset, then a writer.
#include "core/formats/datasetio.h"

#include "core/imaging/probe.h"
#include "core/project/store.h"

#include <QDir>
#include <QFileInfo>
#include <QElapsedTimer>

#include <sqlite3.h>

namespace salient {

namespace {

constexpr int kChunk = 5000; // image ids per query

bool stopped(const std::atomic_bool *cancel)
{
    return cancel && cancel->load();
}

/// One read transaction on the store's connection, so that every query of the
/// export sees the same committed state even while another connection writes.
/// Inside a transaction the caller already holds, it does nothing.
class ReadSnapshot {
public:
    explicit ReadSnapshot(const ProjectStore &store) : m_store(store) {}
    ~ReadSnapshot()
    {
        if (m_began)
            sqlite3_exec(m_store.handle(), "COMMIT", nullptr, nullptr, nullptr);
    }
    Status begin()
    {
        sqlite3 *db = m_store.handle();
        if (!db || sqlite3_get_autocommit(db) == 0)
            return {};
        if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
            return makeError(Error::Code::Database,
                             QStringLiteral("database error: cannot start reading: %1") .arg(
                                                QString::fromUtf8(sqlite3_errmsg(db))),
                                            m_store.filePath());
        m_began = true;
        return {};
    }

private:
    const ProjectStore &m_store;
    bool m_began = false;
};

template <typename T>
Result<T> inProject(Result<T> r, const ProjectStore &store)
{
    if (!r.ok() && r.error().path.isEmpty()) {
        Error e = r.error();
        e.path = store.filePath();
        return e;
    }
    return r;
}

Result<Dataset> readProject(ProjectStore &store, const QString &split, bool onlyAnnotated,
                            const DatasetProgressFn &progress, const std::atomic_bool *cancel)
{
    ReadSnapshot snapshot(store);
    SALIENT_TRY(snapshot.begin());

    Dataset data;
    auto classes = inProject(store.classes(), store);
    SALIENT_TRY(classes);
    QHash<qint64, int> classIndex;
    for (const ClassRecord &c : classes.value()) {
        classIndex.insert(c.id, data.classes.size());
        data.classes.push_back(c.name);
    }

    auto splits = inProject(store.splits(), store);
    SALIENT_TRY(splits);
    QHash<qint64, QString> splitName;
    for (const SplitRecord &s : splits.value())
        splitName.insert(s.id, s.name);
    ImageFilter filter;
    if (!split.isEmpty()) {
        const SplitRecord *found = nullptr;
        for (const SplitRecord &s : splits.value())
            if (s.name == split.trimmed())
                found = &s;
        if (!found) {
            QStringList names;
            for (const SplitRecord &s : splits.value())
                names << QLatin1Char('"') + s.name + QLatin1Char('"');
            return makeError(
                Error::Code::NotFound, names.isEmpty()
                ? QStringLiteral("no split named \"%1\": the project has no splits") .arg(split)
                : QStringLiteral("no split named \"%1\" (the project has %2)") .arg(
                    split, names.join(QStringLiteral(", "))), store.filePath());
        }
        filter.splitId = found->id;
    }

    auto ids = inProject(store.imageIds(filter), store);
    SALIENT_TRY(ids);
    data.images.reserve(ids->size());
    for (int from = 0; from < ids->size(); from += kChunk) {
        if (stopped(cancel))
            return makeError(Error::Code::Cancelled, QStringLiteral("export cancelled"),
                                                                    store.filePath());
        if (progress)
            progress({QStringLiteral("Reading"), from, ids->size()});
        const QVector<qint64> chunk = ids->mid(from, kChunk);
        auto records = inProject(store.images(chunk), store);
        SALIENT_TRY(records);
        auto labels = inProject(store.labels(chunk), store);
        SALIENT_TRY(labels);
        auto shapes = inProject(store.shapesOfImages(chunk), store);
        SALIENT_TRY(shapes);
        for (const ImageRecord &r : records.value()) {
            if (!r.readable)
                continue;
            DatasetImage img;
            for (qint64 c : labels->value(r.id)) {
                const auto it = classIndex.constFind(c);
                if (it != classIndex.constEnd())
                    img.labels.push_back(it.value());
            }
            auto own = shapes->find(r.id);
            if (own != shapes->end()) {
                img.shapes.reserve(own->size());
                for (Shape &s : *own) {
                    DatasetShape d;
                    d.classIndex = classIndex.value(s.classId, -1);
                    d.geometry = std::move(s.geometry);
                    d.attributes = s.attributes.isEmpty() ? QStringLiteral("{}") : s.attributes;
                    img.shapes.push_back(std::move(d));
                }
            }
            if (onlyAnnotated && img.labels.isEmpty() && img.shapes.isEmpty())
                continue;
            img.path = r.absolutePath;
            img.name = r.path;
            img.width = r.width;
            img.height = r.height;
            img.orientation = r.orientation;
            img.split = splitName.value(r.splitId);
            auto meta = inProject(store.meta(r.id), store);
            SALIENT_TRY(meta);
            img.meta = std::move(meta).value();
            data.images.push_back(std::move(img));
        }
    }
    if (progress)
        progress({QStringLiteral("Reading"), ids->size(), ids->size()});
    return data;
}

} // namespace

Result<Dataset> datasetFromProject(ProjectStore &store, const QString &split, bool onlyAnnotated)
{
    return readProject(store, split, onlyAnnotated, {}, nullptr);
}

Result<DatasetExportReport> exportDataset(ProjectStore &store, const DatasetExportOptions &options,
                                          const DatasetProgressFn &progress,
                                          const std::atomic_bool *cancel)
{
    QElapsedTimer clock;
    clock.start();
    if (!options.format)
        return makeError(Error::Code::Invalid, QStringLiteral("no export format given"));
    if (options.outDir.isEmpty())
        return makeError(Error::Code::Invalid, QStringLiteral("no output folder given"));

    auto data = readProject(store, options.split, options.onlyAnnotated, progress, cancel);
    SALIENT_TRY(data);
    if (stopped(cancel))
        return makeError(Error::Code::Cancelled,
                         QStringLiteral("export cancelled"),
                                        QDir::toNativeSeparators(options.outDir));

    DatasetExportReport report;
    // A project from someone else may name any file as an image (a key, a
    // document, a device): only files that are images are copied or embedded.
    // Missing files stay in: each writer reports them in its own way.
    QStringList notImages;
    if (options.images != ImagePlacement::None || options.embedImageData) {
        QVector<DatasetImage> kept;
        kept.reserve(data->images.size());
        for (DatasetImage &img : data->images) {
            if (QFileInfo::exists(img.path) && !looksLikeImageFile(img.path))
                notImages << QDir::toNativeSeparators(img.path);
            else
                kept.push_back(std::move(img));
        }
        data->images = std::move(kept);
    }
    if (!notImages.isEmpty()) {
        FormatProblem p;
        p.path = store.filePath();
        p.message = QStringLiteral("%1 image rows name files that are not images and were left "
                                   "out, nothing copied from them: %2")
                        .arg(notImages.size())
                        .arg(notImages.mid(0, 5).join(QStringLiteral(", ")));
        report.warnings.push_back(p);
    }
    report.format = options.format->name();
    report.images = data->images.size();
    report.classes = data->classes.size();
    for (const DatasetImage &img : std::as_const(data->images)) {
        report.labels += img.labels.size();
        for (const DatasetShape &s : img.shapes) {
            switch (kindOf(s.geometry)) {
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
        }
    }

    if (progress)
        progress({QStringLiteral("Writing files"), 0, report.images});
    WriteOptions write;
    write.images = options.images;
    write.embedImageData = options.embedImageData;
    write.cancel = cancel;
    SALIENT_TRY(options.format->write(data.value(), options.outDir, write, report.warnings));
    if (progress)
        progress({QStringLiteral("Writing files"), report.images, report.images});
    report.seconds = clock.elapsed() / 1000.0;
    return report;
}

} // namespace salient
