// SPDX-License-Identifier: GPL-3.0-or-later
// bench_thumbs: makeThumbnail (fit in 256x256) over the files of a folder,
// warm page cache, with 1 and 2 threads; OpenCV's reduced decode in the same
// process for reference. Prints images/s as a markdown table.
//
//   bench_thumbs --folder /tmp/ds10k [--n 1000] [--runs 3]
// Compare with ../shared/peers/bench_thumbs.py (PIL, one thread) on the same
// folder: it takes the first --n files by sorted path, as we do.

#include "bench/bench_imaging_common.h"
#include "core/imaging/decode.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <atomic>
#include <functional>

using namespace salient;

namespace {

/// images/s of fn over files with `threads` workers (1: the calling thread).
double timeOnce(const QStringList &files, int threads,
                const std::function<bool(const QString &)> &fn, int *failures)
{
    std::atomic_int failed{0};
    QElapsedTimer t;
    t.start();
    if (threads <= 1) {
        for (const QString &p : files)
            if (!fn(p))
                ++failed;
    } else {
        QThreadPool pool;
        pool.setMaxThreadCount(threads);
        QtConcurrent::blockingMap(&pool, files, [&](const QString &p) {
            if (!fn(p))
                ++failed;
        });
    }
    const double s = t.nsecsElapsed() / 1e9;
    *failures = failed;
    return files.size() / s;
}

bool openCvReduced(const QString &path, int side)
{
    try {
        cv::Mat img = cv::imread(path.toStdString(), cv::IMREAD_REDUCED_COLOR_4);
        if (img.empty())
            return false;
        const QSize fit = fitInside(img.cols * 4, img.rows * 4, side);
        cv::Mat small;
        cv::resize(img, small, {fit.width(), fit.height()}, 0, 0, cv::INTER_AREA);
        return !small.empty();
    } catch (const cv::Exception &) {
        return false;
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Thumbnail throughput (fit in 256x256, warm cache).");
    parser.addHelpOption();
    parser.addOption({"folder", "Folder of images (default: 300 generated JPEGs).", "dir"});
    parser.addOption({"n", "Use the first n files by sorted path (default 1000).", "n", "1000"});
    parser.addOption({"side", "Thumbnail box side (default 256).", "px", "256"});
    parser.addOption({"runs", "Timed runs per row (default 3).", "r", "3"});
    parser.addOption({"threads", "Comma-separated thread counts (default 1,2).", "list", "1,2"});
    parser.addOption({"no-reference", "Skip the OpenCV reference rows."});
    parser.process(app);
    QTextStream out(stdout);

    QTemporaryDir work;
    QString folder = parser.value("folder");
    if (folder.isEmpty()) {
        folder = work.filePath("images");
        if (!bench::generateJpegs(folder, 300, out))
            return 1;
    }
    QStringList files = bench::imageFiles(folder);
    files = files.mid(0, parser.value("n").toInt());
    if (files.isEmpty()) {
        out << folder << ": no images" << Qt::endl;
        return 1;
    }
    bench::warmCache(files);
    bench::warmCache(files);
    const int side = parser.value("side").toInt();
    const int runs = std::max(1, parser.value("runs").toInt());
    cv::setNumThreads(1); // OpenCV's own pool would blur the thread counts

    QVector<int> threadCounts;
    for (const QString &t : parser.value("threads").split(','))
        threadCounts << std::max(1, t.toInt());

    struct Row {
        QString name;
        std::function<bool(const QString &)> fn;
    };
    QVector<Row> rows{
        {"salient makeThumbnail (libjpeg 1/N + fast DCT)",
         [side](const QString &p) { return makeThumbnail(p, side, 1).ok(); }},
        {"OpenCV imread REDUCED_COLOR_4 + INTER_AREA",
         [side](const QString &p) { return openCvReduced(p, side); }},
    };

    if (parser.isSet("no-reference"))
        rows.removeLast();

    out << "\n"
        << files.size() << " files from " << folder << ", box " << side << "x" << side
        << ", median of " << runs << " runs\n\n"
        << "| method | threads | images/s | min | max |\n|---|---|---|---|---|\n";
    for (const Row &row : rows) {
        for (int threads : threadCounts) {
            std::vector<double> ips;
            int failures = 0;
            for (int r = 0; r < runs; ++r)
                ips.push_back(timeOnce(files, threads, row.fn, &failures));
            out << "| " << row.name << " | " << threads << " | "
                << QString::number(bench::median(ips), 'f', 1) << " | "
                << QString::number(*std::min_element(ips.begin(), ips.end()), 'f', 1) << " | "
                << QString::number(*std::max_element(ips.begin(), ips.end()), 'f', 1) << " |";
            if (failures)
                out << " " << failures << " failed";
            out << Qt::endl;
        }
    }
    return 0;
}
