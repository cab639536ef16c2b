// SPDX-License-Identifier: GPL-3.0-or-later
// bench_loader: the training DataLoader end to end (decode, standard preset
// augmentation at 224, normalise into float batches of 32), images/s with N
// workers, in three states:
//   no cache     every image decoded from the file, only as large as its crop needs
//   cold cache   the first epoch of a cached run: decode at training size and fill
//   warm cache   a later epoch: augmentation from the cached training-size images
// The files are read once beforehand so the page cache holds them.
//
//   bench_loader --folder /tmp/ds10k [--images 640] [--workers 1,2]

#include "bench/bench_imaging_common.h"
#include "core/train/dataloader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>

using namespace salient;
using namespace salient::train;

namespace {

/// CPU seconds this process has used (all threads): on a shared machine the
/// wall clock depends on the neighbours, images per CPU second much less.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Rate {
    double wall = 0; ///< images/s
    double cpu = 0;  ///< images per CPU second
    qint64 images = 0;
};

/// One epoch (the first `warmup` batches not timed).
Rate epochRate(DataLoader &loader, int epoch, int warmup)
{
    loader.startEpoch(epoch);
    QElapsedTimer t;
    double cpu0 = 0;
    qint64 counted = 0;
    int seen = 0;
    while (auto b = loader.next()) {
        if (++seen == warmup) {
            t.start();
            cpu0 = cpuSeconds();
        } else if (seen > warmup) {
            counted += b->size;
        }
        loader.recycle(std::move(*b)); // as the trainer does
    }
    Rate r;
    r.images = counted;
    if (t.isValid() && counted > 0) {
        r.wall = double(counted) / (double(t.nsecsElapsed()) / 1e9);
        r.cpu = double(counted) / std::max(1e-9, cpuSeconds() - cpu0);
    }
    return r;
}

void row(const char *what, int workers, const Rate &r)
{
    std::printf("| %s | %d | %.1f | %.1f | %lld |\n", what, workers, r.wall, r.cpu, r.images);
    std::fflush(stdout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({"folder", "Folder of class folders of images.", "dir"});
    p.addOption({"images", "Images per epoch (spread over the classes).", "n", "640"});
    p.addOption({"workers", "Comma-separated worker counts.", "list", "1,2"});
    p.addOption(
        {"generate", "Generate this many 1280x960 JPEGs when no folder is given.", "n", "256"});
    p.process(app);
    QTextStream log(stderr);

    QTemporaryDir tmp;
    QString folder = p.value("folder");
    if (folder.isEmpty()) {
        folder = tmp.path();
        if (!bench::generateJpegs(folder, p.value("generate").toInt(), log))
            return 1;
    }
    QStringList files = bench::imageFiles(folder);
    const int wanted = std::max(64, p.value("images").toInt());
    if (files.size() > wanted) { // every k-th file, so all classes take part
        QStringList picked;
        const double step = double(files.size()) / wanted;
        for (int i = 0; i < wanted; ++i)
            picked << files[int(i * step)];
        files = picked;
    }
    if (files.isEmpty()) {
        log << "no images in " << folder << "\n";
        return 1;
    }
    QStringList classNames;
    QVector<LoaderItem> items;
    for (const QString &f : files) {
        const QString cls = QFileInfo(f).dir().dirName();
        if (!classNames.contains(cls))
            classNames << cls;
        LoaderItem item;
        item.imageId = items.size() + 1;
        item.path = f;
        item.classes = {int(classNames.indexOf(cls))};
        items.push_back(item);
    }
    bench::warmCache(files);

    std::printf("%d images from %s, batch 32, 224 x 224, standard preset\n\n", int(items.size()),
                qPrintable(folder));
    std::printf(
        "| loader | workers | img/s | img per CPU-s | images timed |\n|---|---|---|---|---|\n");
    for (const QString &wc : p.value("workers").split(',')) {
        LoaderOptions o;
        o.imageSize = 224;
        o.numClasses = int(classNames.size());
        o.batchSize = 32;
        o.recipe = AugmentRecipe::standardPreset();
        o.workers = std::max(1, wc.toInt());
        o.seed = 7;
        {
            DataLoader loader(items, o);
            row("no cache (decode as large as the crop needs)", o.workers, epochRate(loader, 1, 2));
        }
        o.cacheBytes = qint64(4) << 30;
        DataLoader cached(items, o);
        row("cache, cold epoch (decode at 224 + fill)", o.workers, epochRate(cached, 1, 2));
        row("cache, warm epoch", o.workers, epochRate(cached, 2, 2));
        log << "cache: " << cached.cachedImages() << " images, " << cached.cachedBytes() / 1000000
            << " MB\n";
        if (!cached.problems().isEmpty())
            log << cached.problems().join(QLatin1Char('\n')) << "\n";
    }
    return 0;
}
