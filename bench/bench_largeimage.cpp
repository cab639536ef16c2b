// SPDX-License-Identifier: GPL-3.0-or-later
// Opening a 100-megapixel JPEG: time to the first preview (a usable view)
// and to the full image with its pyramid, through LargeImageLoader as the
// canvas uses it; and the cost of painting the fitted view from the full
// image versus from the pyramid level. Prints a table for a note.
//
// usage: bench_largeimage [width height [runs]]   (default 10000 10000 3)
#include "core/imaging/largeimage.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPainter>
#include <QTemporaryDir>
#include <QTextStream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

using namespace salient;

namespace {

/// Photo-like content: smooth colour fields plus sensor-like noise, so the
/// JPEG is as big and as slow to decode as a camera's (noise-free gradients
/// compress to almost nothing and would flatter the figures).
bool writePhotoLikeJpeg(const QString &path, int width, int height)
{
    cv::Mat seed(12, 16, CV_8UC3);
    cv::randu(seed, 30, 220);
    cv::Mat img;
    cv::resize(seed, img, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
    cv::Mat noise(height, width, CV_8UC3);
    cv::randn(noise, 0, 12);
    img += noise;
    return cv::imwrite(path.toStdString(), img, {cv::IMWRITE_JPEG_QUALITY, 92});
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double paintMs(const QImage &source, const QSize &target)
{
    QImage canvas(target, QImage::Format_ARGB32_Premultiplied);
    QElapsedTimer t;
    t.start();
    QPainter p(&canvas);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.drawImage(QRectF(QPointF(0, 0), QSizeF(target)), source);
    p.end();
    return t.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int width = args.size() > 2 ? args.at(1).toInt() : 10000;
    const int height = args.size() > 2 ? args.at(2).toInt() : 10000;
    const int runs = args.size() > 3 ? args.at(3).toInt() : 3;
    QTextStream out(stdout);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.jpg"));
    if (!writePhotoLikeJpeg(path, width, height)) {
        out << "cannot write " << path << "\n";
        return 1;
    }
    out << "image: " << width << " x " << height << " JPEG (q92, photo-like), "
        << QFileInfo(path).size() / (1024 * 1024) << " MiB; threads " << cv::getNumThreads()
        << "\n\n";

    std::vector<double> previewMs, fullMs;
    LargeImageFrame full;
    for (int i = 0; i < runs; ++i) {
        LargeImageLoader loader;
        QEventLoop loop;
        QElapsedTimer t;
        double preview = -1;
        QObject::connect(&loader, &LargeImageLoader::previewReady,
                         [&](const LargeImageFrame &) { preview = t.nsecsElapsed() / 1e6; });
        QObject::connect(&loader, &LargeImageLoader::imageReady, [&](const LargeImageFrame &f) {
            fullMs.push_back(t.nsecsElapsed() / 1e6);
            full = f;
            loop.quit();
        });
        QObject::connect(&loader, &LargeImageLoader::failed, [&](const Error &e) {
            out << "failed: " << e.toString() << "\n";
            loop.quit();
        });
        t.start();
        loader.load(path, 1);
        loop.exec();
        previewMs.push_back(preview);
    }
    if (full.display.isNull())
        return 1;

    // Where the full stage's time goes.
    QElapsedTimer split;
    split.start();
    const bool decoded = LargeImageLoader::decodeFull({path, 1}).ok();
    const double decodeAndPyramidMs = decoded ? split.nsecsElapsed() / 1e6 : -1;
    split.restart();
    const ImagePyramid rebuilt = ImagePyramid::build(full.display);
    const double pyramidMs = split.nsecsElapsed() / 1e6;

    // Painting the fitted view (a 1600 x 1000 widget) each frame.
    const QSize view(1600, 1000);
    const double zoom = std::min(double(view.width()) / width, double(view.height()) / height);
    const QImage level = full.pyramid.levelFor(zoom);
    std::vector<double> paintFull, paintLevel;
    for (int i = 0; i < 3; ++i) {
        paintFull.push_back(paintMs(full.display, view));
        paintLevel.push_back(paintMs(level, view));
    }
    // What the canvas does once per zoom step below 1:1: a smooth rescale.
    const QSize fitted(int(width * zoom), int(height * zoom));
    std::vector<double> scaleFull, scaleLevel;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer t;
        t.start();
        QImage a = full.display.scaled(fitted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        scaleFull.push_back(t.nsecsElapsed() / 1e6);
        t.restart();
        QImage b = level.scaled(fitted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        scaleLevel.push_back(t.nsecsElapsed() / 1e6);
    }

    auto row = [&out](const QString &label, double ms, int decimals) {
        out << "| " << label.leftJustified(48) << " | "
            << QString::number(ms, 'f', decimals).rightJustified(7) << " |\n";
    };
    out << "| "
        << QStringLiteral("stage (median of %1 loads; others of 3)").arg(runs).leftJustified(48)
                          << " | ms      |\n";
    out << "|" << QString(50, QLatin1Char('-')) << "|---------|\n";
    row(QStringLiteral("first preview (DCT 1/8) delivered"), median(previewMs), 0);
    row(QStringLiteral("full image + pyramid delivered"), median(fullMs), 0);
    row(QStringLiteral("decodeFull alone, synchronous (1 run)"), decodeAndPyramidMs, 0);
    row(QStringLiteral("  of which pyramid (%1 levels)").arg(rebuilt.levelCount()), pyramidMs, 0);
    row(QStringLiteral("paint fitted view from the full image"), median(paintFull), 1);
    row(QStringLiteral("paint fitted view from level %1 (%2x%3)")
                           .arg(full.pyramid.levelIndexFor(zoom))
                           .arg(level.width())
                           .arg(level.height()),
                       median(paintLevel), 1);
    row(QStringLiteral("smooth rescale to fit from the full image"), median(scaleFull), 1);
    row(QStringLiteral("smooth rescale to fit from the level"), median(scaleLevel), 1);
    out << "\ntarget: usable view (preview) < 3000 ms\n";
    return 0;
}
