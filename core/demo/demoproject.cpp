// SPDX-License-Identifier: GPL-3.0-or-later
// The demo project: an imbalanced, labelled slice of Fashion-MNIST.
#include "core/demo/fashionmnist.h"

#include "core/imaging/importer.h"
#include "core/project/store.h"

#include <QColor>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImage>

#include <algorithm>
#include <cmath>
#include <random>

namespace salient {

namespace {

constexpr int kClasses = 10;
// Largest class over smallest in each split (the demo promises at least 10x).
constexpr double kImbalance = 12.0;
constexpr double kTestFraction = 0.15;

// Colours far apart in hue, so that ten classes stay tellable in the browser.
const QColor kPalette[kClasses] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e),
                                   QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
                                   QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                   QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
                                   QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};

// Fisher-Yates over mt19937 output (fully specified by the standard), so that
// a seed gives the same demo on every platform, unlike std::shuffle.
template <typename T>
void seededShuffle(QVector<T> &v, std::mt19937 &rng)
{
    for (int i = v.size() - 1; i > 0; --i)
        std::swap(v[i], v[int(rng() % quint32(i + 1))]);
}

// Splits `total` over the classes along a geometric profile from 1 down to
// 1/kImbalance (largest remainder rounding, at least one image per class).
// rank[c] is the class's place in the profile (0: largest).
QVector<int> imbalancedCounts(int total, const QVector<int> &rank)
{
    QVector<double> quota(kClasses);
    double sum = 0;
    for (int c = 0; c < kClasses; ++c) {
        quota[c] = std::pow(1.0 / kImbalance, rank[c] / double(kClasses - 1));
        sum += quota[c];
    }
    QVector<int> counts(kClasses);
    int given = 0;
    for (int c = 0; c < kClasses; ++c) {
        quota[c] *= total / sum;
        counts[c] = std::max(1, int(std::floor(quota[c])));
        given += counts[c];
    }
    QVector<int> order(kClasses);
    for (int c = 0; c < kClasses; ++c)
        order[c] = c;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return quota[a] - std::floor(quota[a]) > quota[b] - std::floor(quota[b]);
    });
    for (int i = 0; given < total; i = (i + 1) % kClasses, ++given)
        ++counts[order[i]];
    for (int i = kClasses - 1; given > total; --given) {
        while (counts[order[i]] <= 1)
            i = (i + kClasses - 1) % kClasses;
        --counts[order[i]];
    }
    return counts;
}

bool imbalanceHolds(const QVector<int> &counts)
{
    const auto [lo, hi] = std::minmax_element(counts.begin(), counts.end());
    return *lo >= 1 && *hi >= 10 * *lo;
}

struct Picked {
    QString part;
    int index = 0; // in the IDX file
    int label = 0;
};

// Chooses which images of `data` go into the demo: counts[c] of class c, seeded.
Result<QVector<Picked>> pick(const IdxDataset &data, const QString &part,
                             const QVector<int> &counts, std::mt19937 &rng)
{
    QVector<QVector<int>> byClass(kClasses);
    for (int i = 0; i < data.count(); ++i) {
        if (data.labels[i] >= kClasses)
            return makeError(
                Error::Code::Parse,
                QStringLiteral("label %1 of item %2 is out of range") .arg(data.labels[i]).arg(i));
        byClass[data.labels[i]].append(i);
    }
    QVector<Picked> out;
    for (int c = 0; c < kClasses; ++c) {
        if (byClass[c].size() < counts[c])
            return makeError(Error::Code::Invalid,
                             QStringLiteral("the %1 part has only %2 images of class %3, %4 needed")
                                                .arg(part)
                                                .arg(byClass[c].size())
                                                .arg(c)
                                                .arg(counts[c]));
        seededShuffle(byClass[c], rng);
        for (int k = 0; k < counts[c]; ++k)
            out.append({part, byClass[c][k], c});
    }
    return out;
}

QString classFolder(const QString &name)
{
    QString s = name;
    s.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char(' '), QLatin1Char('_'));
    return s;
}

void removeProjectFiles(const QString &file)
{
    for (const char *suffix : {"", "-wal", "-shm", "-journal"})
        QFile::remove(file + QLatin1String(suffix));
}

} // namespace

Result<DemoReport> createDemoProject(const QString &projectFile, int count, quint32 seed,
                                     const QString &datasetDir, const DemoProgressFn &progress)
{
    const QFileInfo target(projectFile);
    const QString finalFile = target.absoluteFilePath();
    if (target.exists())
        return makeError(Error::Code::Invalid, QStringLiteral("already exists"), finalFile);
    if (count < kMinDemoImages || count > kMaxDemoImages)
        return makeError(Error::Code::Invalid, QStringLiteral("a demo has %1 to %2 images, not %3")
                                                                  .arg(kMinDemoImages)
                                                                  .arg(kMaxDemoImages)
                                                                  .arg(count),
                                                              finalFile);
    const QDir projectDir = target.absoluteDir();
    if (!projectDir.exists() && !QDir().mkpath(projectDir.path()))
        return makeError(Error::Code::Io, QStringLiteral("cannot create the folder"),
                                                         projectDir.path());
    const QString imagesDir =
        projectDir.filePath(target.completeBaseName() + QLatin1String("_images"));
    if (QFileInfo::exists(imagesDir) && !QDir(imagesDir).isEmpty())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("already exists and is not empty; remove it or choose "
                                        "another project name"),
                                        imagesDir);

    std::mt19937 rng(seed);
    QVector<int> rank(kClasses);
    for (int c = 0; c < kClasses; ++c)
        rank[c] = c;
    seededShuffle(rank, rng);
    const int testCount = int(std::lround(count * kTestFraction));
    DemoReport report;
    report.trainPerClass = imbalancedCounts(count - testCount, rank);
    report.testPerClass = imbalancedCounts(testCount, rank);
    report.trainImages = count - testCount;
    report.testImages = testCount;
    if (!imbalanceHolds(report.trainPerClass) || !imbalanceHolds(report.testPerClass))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("%1 images are too few for a 10x imbalance").arg(count),
                                        finalFile);

    const QStringList names = fashionMnistClassNames();
    // Written under a temporary name and renamed at the end: a failure leaves
    // no half-built project behind (and the images folder is removed).
    const QString partialFile =
        projectDir.filePath(QStringLiteral(".%1.partial-%2.salient")
                                               .arg(target.completeBaseName())
                                               .arg(QCoreApplication::applicationPid()));
    removeProjectFiles(partialFile);
    auto fail = [&](Error e) -> Result<DemoReport> {
        removeProjectFiles(partialFile);
        QDir(imagesDir).removeRecursively();
        return e;
    };

    QHash<QString, Picked> written; // absolute path -> source
    int done = 0;
    for (const QString &part : {QStringLiteral("train"), QStringLiteral("test")}) {
        auto data = loadFashionMnist(part, datasetDir);
        if (!data)
            return fail(data.error());
        auto chosen =
            pick(*data, part,
                 part == QLatin1String("train") ? report.trainPerClass : report.testPerClass, rng);
        if (!chosen)
            return fail(chosen.error());
        QVector<int> serial(kClasses, 0);
        for (const Picked &p : *chosen) {
            const QString folder =
                QStringLiteral("%1/%2/%3") .arg(imagesDir, part, classFolder(names[p.label]));
            if (serial[p.label] == 0 && !QDir().mkpath(folder))
                return fail(
                    makeError(Error::Code::Io, QStringLiteral("cannot create the folder"), folder));
            const QString file = QStringLiteral("%1/%2.png") .arg(folder).arg(serial[p.label]++, 5,
                                                                              10, QLatin1Char('0'));
            const int side = data->rows * data->cols;
            QImage image(data->pixels.constData() + qint64(p.index) * side, data->cols, data->rows,
                         data->cols, QImage::Format_Grayscale8);
            if (!image.save(file, "PNG"))
                return fail(
                    makeError(Error::Code::Io, QStringLiteral("cannot write the image"), file));
            written.insert(QFileInfo(file).absoluteFilePath(), p);
            if (progress && ++done % 100 == 0)
                progress(done, count * 2);
        }
    }

    Status built = [&]() -> Status {
        auto created = ProjectStore::create(partialFile);
        if (!created)
            return created.error();
        ProjectStore &store = **created;
        QVector<qint64> classIds;
        for (int c = 0; c < kClasses; ++c) {
            auto id = store.addClass(names[c], kPalette[c]);
            if (!id)
                return id.error();
            classIds.append(*id);
        }
        // The importer records hash, size and header facts exactly as for any
        // other folder; labels and splits come from what we wrote, not folder
        // names ("T-shirt/top" cannot be a folder name).
        Importer importer(store);
        ImportOptions options;
        options.paths = {imagesDir};
        auto imported = importer.run(options, [&](const ImportProgress &p) {
            if (progress)
                progress(count + p.done * count / std::max(1, p.total), count * 2);
        });
        if (!imported)
            return imported.error();
        if (imported->unreadable > 0 || imported->added != written.size())
            return makeError(Error::Code::Io,
                             QStringLiteral("%1 of %2 written images were imported (%3 unreadable)")
                                                .arg(imported->added)
                                                .arg(written.size())
                                                .arg(imported->unreadable),
                                            imagesDir);
        auto trainId = store.ensureSplit(QStringLiteral("train"));
        auto testId = store.ensureSplit(QStringLiteral("test"));
        if (!trainId)
            return trainId.error();
        if (!testId)
            return testId.error();
        auto ids = store.imageIds();
        if (!ids)
            return ids.error();
        auto records = store.images(*ids);
        if (!records)
            return records.error();
        return store.transaction([&]() -> Status {
            QVector<LabelSet> labels;
            QVector<qint64> trainImages, testImages;
            for (const ImageRecord &r : *records) {
                const auto it = written.constFind(QFileInfo(r.absolutePath).absoluteFilePath());
                if (it == written.constEnd())
                    return makeError(Error::Code::Invalid,
                                     QStringLiteral("unexpected file in the demo folder"),
                                                    r.absolutePath);
                labels.append(LabelSet{r.id, {classIds[it->label]}});
                (it->part == QLatin1String("train") ? trainImages : testImages).append(r.id);
                SALIENT_TRY(store.setMeta(
                    r.id, QStringLiteral("source"),
                              QStringLiteral("fashion-mnist:%1:%2") .arg(it->part).arg(it->index)));
            }
            SALIENT_TRY(store.setLabels(labels));
            SALIENT_TRY(store.assignSplit(trainImages, *trainId));
            SALIENT_TRY(store.assignSplit(testImages, *testId));
            return store.setSetting(QStringLiteral("demo"), QStringLiteral("fashion-mnist count=%1 seed=%2") .arg(count).arg(seed));
        });
    }();
    if (!built)
        return fail(built.error());
    // The store is closed here, which checkpoints the WAL; should a WAL file
    // remain, it moves with the database so that no committed row is lost.
    QFile::remove(partialFile + QLatin1String("-shm"));
    if (QFileInfo::exists(partialFile + QLatin1String("-wal"))
        && !QFile::rename(partialFile + QLatin1String("-wal"), finalFile + QLatin1String("-wal")))
        return fail(makeError(Error::Code::Io, QStringLiteral("cannot move the write-ahead log"),
                                                              finalFile));
    if (!QFile::rename(partialFile, finalFile))
        return fail(makeError(Error::Code::Io,
                              QStringLiteral("cannot rename %1 to the project") .arg(partialFile),
                                             finalFile));
    removeProjectFiles(partialFile);
    if (progress)
        progress(count * 2, count * 2);
    return report;
}

} // namespace salient
