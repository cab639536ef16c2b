// SPDX-License-Identifier: GPL-3.0-or-later
// bench_formats: the scale target of the interchange formats. Generates (once,
// deterministically) a COCO file of N images and M boxes with real image files
// (100 distinct 640x480 JPEGs hard-linked under every name), then times each
// stage in a child process of its own, so the peak RSS (VmHWM) of a stage is
// that stage's alone:
//   read     CocoFormat::read() of the JSON
//   write    CocoFormat::write() of what was read (the read is not timed)
//   import   importDataset() into a fresh project (probe, hash, one transaction)
//   export   exportDataset() of that project to COCO
//
//   bench_formats [--images 100000] [--boxes 1000000] [--work DIR] [--stages
//   read,write,import,export]
#include "core/formats/datasetio.h"
#include "core/formats/format.h"
#include "core/project/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/resource.h>
#include <unistd.h>

using namespace salient;

namespace {

constexpr int kDistinctImages = 100;
constexpr int kWidth = 640, kHeight = 480;

/// Peak resident memory of this process so far, in MB (VmHWM).
double peakRssMb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

/// CPU seconds (user + system, all threads) of this process so far: on a
/// shared machine, a steadier figure than wall time.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString imageName(int i)
{
    return QStringLiteral("%1/img_%2.jpg").arg(i / 1000, 3, 10, QLatin1Char('0')).arg(i, 6, 10, QLatin1Char('0'));
}

bool generate(const QString &dir, int images, int boxes, QTextStream &log)
{
    const QString json = dir + QStringLiteral("/annotations.json");
    if (QFileInfo::exists(json)) {
        log << "reusing " << json << Qt::endl;
        return true;
    }
    log << "generating " << images << " images, " << boxes << " boxes in " << dir << Qt::endl;
    cv::RNG rng(4);
    QStringList sources;
    try {
        QDir().mkpath(dir + QStringLiteral("/sources"));
        for (int k = 0; k < kDistinctImages; ++k) {
            cv::Mat img(
                kHeight, kWidth, CV_8UC3,
                cv::Scalar(rng.uniform(30, 220), rng.uniform(30, 220), rng.uniform(30, 220)));
            for (int c = 0; c < 6; ++c)
                cv::circle(
                    img, {rng.uniform(0, kWidth), rng.uniform(0, kHeight)}, rng.uniform(20, 150),
                    cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
                    cv::FILLED);
            const QString p = dir + QStringLiteral("/sources/s%1.jpg").arg(k);
            if (!cv::imwrite(p.toStdString(), img, {cv::IMWRITE_JPEG_QUALITY, 85}))
                return false;
            sources << p;
        }
    } catch (const cv::Exception &e) {
        log << "OpenCV: " << e.what() << Qt::endl;
        return false;
    }
    QByteArray j;
    j.reserve(qsizetype(boxes) * 120 + qsizetype(images) * 100);
    j += "{\"info\":{\"description\":\"bench_formats\"},\"licenses\":[],\"images\":[";
    for (int i = 0; i < images; ++i) {
        const QString name = imageName(i);
        const QString target = dir + QStringLiteral("/images/") + name;
        QDir().mkpath(QFileInfo(target).absolutePath());
        if (::link(QFile::encodeName(sources[i % kDistinctImages]).constData(),
                   QFile::encodeName(target).constData())
            != 0)
            return false;
        if (i)
            j += ',';
        j += "{\"id\":" + QByteArray::number(i + 1) + ",\"file_name\":\"" + name.toUtf8()
             + "\",\"width\":640,\"height\":480,\"license\":1}";
    }
    j += "],\"annotations\":[";
    for (int a = 0; a < boxes; ++a) {
        const int image = int(qint64(a) * images / boxes);
        const double w = rng.uniform(4.0, 200.0), h = rng.uniform(4.0, 200.0);
        const double x = rng.uniform(0.0, kWidth - w), y = rng.uniform(0.0, kHeight - h);
        if (a)
            j += ',';
        j += "{\"id\":" + QByteArray::number(a + 1) + ",\"image_id\":"
             + QByteArray::number(image + 1) + ",\"category_id\":" + QByteArray::number(1 + a % 80)
             + ",\"bbox\":[" + QByteArray::number(x, 'f', 2) + ',' + QByteArray::number(y, 'f', 2)
             + ',' + QByteArray::number(w, 'f', 2) + ',' + QByteArray::number(h, 'f', 2)
             + "],\"area\":" + QByteArray::number(w * h, 'f', 2)
             + ",\"iscrowd\":0,\"segmentation\":[]}";
    }
    j += "],\"categories\":[";
    for (int c = 0; c < 80; ++c)
        j += (c ? "," : "") + QByteArray("{\"id\":") + QByteArray::number(c + 1)
             + ",\"name\":\"class" + QByteArray::number(c + 1) + "\",\"supercategory\":\"thing\"}";
    j += "]}";
    QFile f(json);
    if (!f.open(QIODevice::WriteOnly) || f.write(j) != j.size())
        return false;
    log << "annotations.json: " << QString::number(j.size() / 1e6, 'f', 1) << " MB" << Qt::endl;
    return true;
}

/// Runs one stage in this process and prints "RESULT seconds peakMB detail".
int runStage(const QString &stage, const QString &dir)
{
    QTextStream out(stdout);
    const DatasetFormat *coco = datasetFormat(QStringLiteral("coco"));
    const QString json = dir + QStringLiteral("/annotations.json");
    const QString project = dir + QStringLiteral("/bench.salient");
    QElapsedTimer t;
    double cpu0 = 0;
    QString detail;
    if (stage == QLatin1String("read") || stage == QLatin1String("write")) {
        QVector<FormatProblem> problems;
        t.start();
        cpu0 = cpuSeconds();
        Result<Dataset> d = coco->read(json, {}, problems);
        if (!d.ok()) {
            out << "FAIL " << d.error().toString() << Qt::endl;
            return 1;
        }
        qint64 shapes = 0;
        for (const DatasetImage &img : d->images)
            shapes += img.shapes.size();
        detail = QStringLiteral("%1 images, %2 boxes, %3 problems")
                                    .arg(d->images.size())
                                    .arg(shapes)
                                    .arg(problems.size());
        if (stage == QLatin1String("write")) {
            const QString outDir = dir + QStringLiteral("/out-write");
            QDir(outDir).removeRecursively();
            QVector<FormatProblem> warnings;
            t.start();
            cpu0 = cpuSeconds();
            const Status st = coco->write(d.value(), outDir, {}, warnings);
            if (!st.ok()) {
                out << "FAIL " << st.error().toString() << Qt::endl;
                return 1;
            }
            detail += QStringLiteral(", %1 MB written").arg(
                QFileInfo(outDir + QStringLiteral("/annotations.json")).size() / 1e6, 0, 'f', 1);
        }
    } else if (stage == QLatin1String("import")) {
        QFile::remove(project);
        auto store = ProjectStore::create(project);
        if (!store.ok()) {
            out << "FAIL " << store.error().toString() << Qt::endl;
            return 1;
        }
        DatasetImportOptions o;
        o.path = json;
        o.format = coco;
        t.start();
        cpu0 = cpuSeconds();
        auto report =
            importDataset(*store.value(), o, [](const QVector<FormatProblem> &) { return true; });
        if (!report.ok()) {
            out << "FAIL " << report.error().toString() << Qt::endl;
            return 1;
        }
        detail = QStringLiteral("%1 images, %2 boxes, %3 skipped")
                                    .arg(report->imagesAdded)
                                    .arg(report->boxes)
                                    .arg(report->skipped.size());
    } else if (stage == QLatin1String("export")) {
        auto store = ProjectStore::open(project);
        if (!store.ok()) {
            out << "FAIL " << store.error().toString() << Qt::endl;
            return 1;
        }
        const QString outDir = dir + QStringLiteral("/out-export");
        QDir(outDir).removeRecursively();
        DatasetExportOptions o;
        o.outDir = outDir;
        o.format = coco;
        t.start();
        cpu0 = cpuSeconds();
        auto report = exportDataset(*store.value(), o);
        if (!report.ok()) {
            out << "FAIL " << report.error().toString() << Qt::endl;
            return 1;
        }
        detail = QStringLiteral("%1 images, %2 boxes").arg(report->images).arg(report->boxes);
    } else {
        out << "FAIL unknown stage " << stage << Qt::endl;
        return 1;
    }
    const double seconds = t.nsecsElapsed() / 1e9;
    const double cpu = cpuSeconds() - cpu0;
    out << "RESULT " << QString::number(seconds, 'f', 2) << ' ' << QString::number(cpu, 'f', 2)
        << ' ' << QString::number(peakRssMb(), 'f', 0) << ' ' << detail << Qt::endl;
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("COCO read/write/import/export at scale.");
    parser.addHelpOption();
    parser.addOption({"images", "Images to generate (default 100000).", "n", "100000"});
    parser.addOption({"boxes", "Boxes to generate (default 1000000).", "n", "1000000"});
    parser.addOption(
        {"work", "Folder for the generated dataset (kept; default: a temporary one).", "dir"});
    parser.addOption({"stages", "Comma-separated stages (default read,write,import,export).",
                      "list", "read,write,import,export"});
    parser.addOption({"stage", "Internal: run one stage in this process.", "name"});
    parser.process(app);
    if (parser.isSet("stage"))
        return runStage(parser.value("stage"), parser.value("work"));

    QTextStream out(stdout);
    QTemporaryDir temp;
    const QString dir =
        parser.isSet("work") ? QDir(parser.value("work")).absolutePath() : temp.path();
    const int images = parser.value("images").toInt(), boxes = parser.value("boxes").toInt();
    QElapsedTimer t;
    t.start();
    if (!generate(dir, images, boxes, out)) {
        out << "cannot generate the dataset in " << dir << Qt::endl;
        return 1;
    }
    out << "generated in " << QString::number(t.elapsed() / 1000.0, 'f', 1) << " s\n";
    out << "\n| stage | seconds | CPU s | peak RSS MB | what |\n|---|---|---|---|---|\n";
    int failures = 0;
    for (const QString &stage :
         parser.value("stages").split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        QProcess child;
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start(QCoreApplication::applicationFilePath(), {"--stage", stage, "--work", dir});
        child.waitForFinished(-1);
        const QStringList lines = QString::fromUtf8(child.readAll()).split(QLatin1Char('\n'));
        QString row = QStringLiteral("| %1 | - | - | - | no result (exit %2) |").arg(stage).arg(
            child.exitCode());
        for (const QString &line : lines) {
            if (line.startsWith(QLatin1String("RESULT "))) {
                const QStringList f = line.split(QLatin1Char(' '));
                row = QStringLiteral("| %1 | %2 | %3 | %4 | %5 |") .arg(
                    stage, f.value(1), f.value(2), f.value(3), f.mid(4).join(QLatin1Char(' ')));
            } else if (line.startsWith(QLatin1String("FAIL "))) {
                row = QStringLiteral("| %1 | - | - | - | %2 |").arg(stage, line.mid(5));
                ++failures;
            }
        }
        out << row << Qt::endl;
    }
    return failures ? 1 : 0;
}
