// SPDX-License-Identifier: GPL-3.0-or-later
// bench_import: imports a folder of JPEGs into a fresh project (warm page
// cache) and prints images/s as a markdown table.
//
//   bench_import --folder /tmp/ds10k [--threads 2] [--runs 3]
//   bench_import --n 1000            (generates 1280x960 JPEGs in a temp folder)

#include "bench/bench_imaging_common.h"
#include "core/imaging/importer.h"
#include "core/project/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QThread>

using namespace salient;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Import throughput into a fresh project (warm cache).");
    parser.addHelpOption();
    parser.addOption({"folder", "Import this folder instead of generated images.", "dir"});
    parser.addOption(
        {"n", "Images to generate when no folder is given (default 1000).", "n", "1000"});
    parser.addOption({"threads", "Worker threads (default: all cores).", "t", "0"});
    parser.addOption({"runs", "Timed runs (default 3).", "r", "3"});
    parser.process(app);
    QTextStream out(stdout);

    QTemporaryDir work;
    if (!work.isValid()) {
        out << "cannot make a temporary folder" << Qt::endl;
        return 1;
    }
    QString folder = parser.value("folder");
    if (folder.isEmpty()) {
        folder = work.filePath("images");
        const int n = parser.value("n").toInt();
        out << "generating " << n << " 1280x960 JPEGs in " << folder << Qt::endl;
        if (!bench::generateJpegs(folder, n, out)) {
            out << "cannot write images into " << folder << Qt::endl;
            return 1;
        }
    }
    const QStringList files = bench::imageFiles(folder);
    if (files.isEmpty()) {
        out << folder << ": no images" << Qt::endl;
        return 1;
    }
    bench::warmCache(files);
    const qint64 bytes = bench::warmCache(files); // second pass: really cached
    const int threads = parser.value("threads").toInt() > 0 ? parser.value("threads").toInt()
                                                            : QThread::idealThreadCount();
    const int runs = std::max(1, parser.value("runs").toInt());

    out << "\n| run | images | GB | threads | seconds | images/s | MB/s |\n"
        << "|---|---|---|---|---|---|---|\n";
    std::vector<double> seconds;
    for (int run = 1; run <= runs; ++run) {
        const QString projectFile = work.filePath(QStringLiteral("run%1.salient").arg(run));
        auto store = ProjectStore::create(projectFile);
        if (!store.ok()) {
            out << store.error().toString() << Qt::endl;
            return 1;
        }
        ImportOptions options;
        options.paths = {folder};
        options.threads = threads;
        auto report = Importer(*store.value()).run(options);
        if (!report.ok()) {
            out << report.error().toString() << Qt::endl;
            return 1;
        }
        const double s = report->seconds;
        seconds.push_back(s);
        out << "| " << run << " | " << report->added << " | "
            << QString::number(bytes / 1e9, 'f', 2) << " | " << threads << " | "
            << QString::number(s, 'f', 2) << " | " << QString::number(report->added / s, 'f', 0)
            << " | " << QString::number(bytes / 1e6 / s, 'f', 0) << " |\n";
        if (report->unreadable > 0)
            out << "| | " << report->unreadable << " unreadable | | | | | |\n";
        store.value().reset();
    }
    const double med = bench::median(seconds);
    out << "| median | " << files.size() << " | " << QString::number(bytes / 1e9, 'f', 2) << " | "
        << threads << " | " << QString::number(med, 'f', 2) << " | "
        << QString::number(files.size() / med, 'f', 0) << " | "
        << QString::number(bytes / 1e6 / med, 'f', 0) << " |" << Qt::endl;
    return 0;
}
