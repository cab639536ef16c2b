// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/util/result.h"

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QSize>
#include <QString>
#include <QThreadPool>
#include <QVector>

#include <opencv2/core/mat.hpp>

#include <atomic>
#include <memory>

namespace salient {

struct ImageRecord;

/// Halved copies of a display image (level 0 is the image itself, level k is
/// 1/2^k of it), so that painting a zoomed-out 100-megapixel image scales a
/// level near the screen's size instead of all the pixels every frame.
/// Levels share pixels with the QImages handed in (implicit sharing).
class ImagePyramid {
public:
    ImagePyramid() = default;
    /// Halves (area average) until the longer side is at most minSide.
    static ImagePyramid build(const QImage &full, int minSide = 512);

    bool isEmpty() const { return m_levels.isEmpty(); }
    int levelCount() const { return int(m_levels.size()); }
    const QImage &level(int index) const { return m_levels.at(index); }
    QSize fullSize() const { return m_levels.isEmpty() ? QSize() : m_levels.first().size(); }
    /// The coarsest level that still has at least one pixel per screen pixel
    /// at `zoom` (screen pixels per full-resolution image pixel; multiply by
    /// the device pixel ratio on high-DPI screens). Zoom >= 1 gives level 0.
    int levelIndexFor(double zoom) const;
    QImage levelFor(double zoom) const { return isEmpty() ? QImage() : level(levelIndexFor(zoom)); }

private:
    QVector<QImage> m_levels;
};

/// One stage of a progressive load. All pixels are as displayed (the
/// record's EXIF orientation applied); `fullSize` is always the full
/// resolution's displayed size, so the canvas can draw a preview scaled to it
/// (AnnotationCanvas::setImage(display, fullSize)).
struct LargeImageFrame {
    QImage display; ///< 8-bit (Grayscale8 or RGB888); reduced for a preview
    QSize fullSize; ///< displayed size of the full-resolution image
    bool preview = false;
    /// Full stage only, for window/level: the pixels at their own depth
    /// (CV_16U, or CV_8UC1 for grey images); empty for 8-bit colour.
    cv::Mat fullDepth;
    int bitDepth = 8;     ///< of the file: 8 or 16
    int channels = 3;     ///< 1 grey, 3 colour
    ImagePyramid pyramid; ///< full stage only: halved levels of `display`
};

/// What LargeImageLoader::decodePreview/decodeFull need; also usable without
/// the loader (benchmarks, exports).
struct LargeImageRequest {
    QString path;
    int orientation = 1;      ///< from the store's record, 1..8
    int previewMinSide = 512; ///< a JPEG preview keeps both sides at least this long
};

/// Loads one image in stages off the GUI thread: first a reduced preview
/// (JPEG: libjpeg DCT scaling to 1/2..1/8, which costs a fraction of a full
/// decode), then the full resolution with its pyramid. Only JPEG gets a
/// preview: OpenCV's other codecs decode the full image before any
/// IMREAD_REDUCED_* resize, so a preview would cost as much as the image.
/// Small images (under previewThreshold pixels) skip the preview too. With
/// four or more cores the preview decodes beside the full image; a preview
/// that would arrive after the full image is dropped.
///
/// A new load() or cancel() stops the running one between scanlines; a
/// cancelled load never emits again. Signals arrive in the loader's thread.
class LargeImageLoader : public QObject {
    Q_OBJECT
public:
    static constexpr qint64 kDefaultPreviewThreshold = 4LL * 1000 * 1000;

    explicit LargeImageLoader(QObject *parent = nullptr);
    ~LargeImageLoader() override; ///< cancels and waits for the worker

    void load(const QString &path, int orientation);
    void load(const ImageRecord &record);
    void cancel();
    bool isLoading() const { return m_current != nullptr; }
    /// Blocks until the worker is idle (tests, shutdown). Signals still queue.
    bool waitForDone(int msecs = -1);

    void setPreviewThreshold(qint64 pixels) { m_previewThreshold = pixels; }
    void setPreviewMinSide(int side) { m_previewMinSide = side; }

    /// The stages themselves, synchronous. `cancel` may be null. A cancelled
    /// decode gives Error::Code::Cancelled.
    static Result<LargeImageFrame> decodePreview(const LargeImageRequest &request,
                                                 const std::atomic<bool> *cancel = nullptr);
    static Result<LargeImageFrame> decodeFull(const LargeImageRequest &request,
                                              const std::atomic<bool> *cancel = nullptr);
    /// Displayed size and whether a cheap preview exists, from the header only.
    static Result<QSize> probeDisplayedSize(const QString &path, int orientation,
                                            bool *isJpeg = nullptr);

Q_SIGNALS:
    void previewReady(const salient::LargeImageFrame &frame);
    void imageReady(const salient::LargeImageFrame &frame);
    void failed(const salient::Error &error);

private:
    struct Job;
    void deliver(const std::shared_ptr<Job> &job, Result<LargeImageFrame> frame, bool last);

    QThreadPool m_pool;
    std::shared_ptr<Job> m_current;
    qint64 m_previewThreshold = kDefaultPreviewThreshold;
    int m_previewMinSide = 512;
};

} // namespace salient

Q_DECLARE_METATYPE(salient::LargeImageFrame)
