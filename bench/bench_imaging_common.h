// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Shared by bench_import and bench_thumbs: the input folder (given, or
// generated photo-like JPEGs) and a warm page cache, so both measure CPU
// work rather than the disk.

#include "core/imaging/probe.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QStringList>
#include <QTextStream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

namespace salient::bench {

/// Image files under folder (recursive), sorted by path as the peer scripts do.
inline QStringList imageFiles(const QString &folder)
{
    QStringList out;
    const QStringList suffixes = supportedImageSuffixes();
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString p = it.next();
        if (suffixes.contains(QFileInfo(p).suffix().toLower()))
            out << p;
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// Writes n 1280x960 q90 JPEGs with photo-like entropy (smooth shapes plus
/// sensor-like noise, ~200-300 KB each) into 10 class folders.
inline bool generateJpegs(const QString &folder, int n, QTextStream &log)
{
    cv::RNG rng(2);
    cv::Mat noise(960, 1280, CV_16SC3);
    for (int i = 0; i < n; ++i) {
        cv::Mat img(960, 1280, CV_8UC3);
        const cv::Scalar base(rng.uniform(30, 200), rng.uniform(30, 200), rng.uniform(30, 200));
        for (int y = 0; y < img.rows; ++y)
            img.row(y).setTo(base + cv::Scalar::all(y * 40.0 / img.rows));
        for (int k = 0; k < 12; ++k)
            cv::circle(img, {rng.uniform(0, 1280), rng.uniform(0, 960)}, rng.uniform(30, 300),
                       cv::Scalar(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255)),
                       cv::FILLED, cv::LINE_AA);
        cv::GaussianBlur(img, img, {0, 0}, 3);
        rng.fill(noise, cv::RNG::NORMAL, 0, 5);
        cv::Mat out;
        cv::add(img, noise, out, cv::noArray(), CV_8UC3);
        const QString dir =
            QStringLiteral("%1/c%2").arg(folder).arg(i % 10, 2, 10, QLatin1Char('0'));
        QDir().mkpath(dir);
        const QString path =
            QStringLiteral("%1/img_%2.jpg").arg(dir).arg(i, 6, 10, QLatin1Char('0'));
        if (!cv::imwrite(path.toStdString(), out, {cv::IMWRITE_JPEG_QUALITY, 90}))
            return false;
        if ((i + 1) % 500 == 0)
            log << "generated " << (i + 1) << " of " << n << Qt::endl;
    }
    return true;
}

/// Reads every file once so the page cache holds them; returns total bytes.
inline qint64 warmCache(const QStringList &files)
{
    qint64 total = 0;
    std::vector<char> buf(1 << 20);
    for (const QString &p : files) {
        QFile f(p);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        qint64 n;
        while ((n = f.read(buf.data(), qint64(buf.size()))) > 0)
            total += n;
    }
    return total;
}

inline double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

} // namespace salient::bench
