// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/largeimage.h"

#include "core/imaging/decode.h"
#include "core/imaging/probe.h"
#include "core/imaging/windowlevel.h"
#include "core/project/types.h"

#include <QThread>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

namespace salient {

namespace {

// ---- libjpeg with cancellation ----------------------------------------------
//
// OpenCV's imdecode cannot be interrupted, and a 100-megapixel JPEG takes a
// second or more: we drive libjpeg ourselves so that a cancelled load stops
// between scanlines, and so that a preview can use DCT scaling. libjpeg's
// error_exit must not return, so it longjmps back into runJpeg, whose frame
// holds only plain data (the cv::Mat lives with the caller).

struct JpegError {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

extern "C" void largeJpegErrorExit(j_common_ptr cinfo)
{
    auto *err = reinterpret_cast<JpegError *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

extern "C" void largeJpegQuiet(j_common_ptr) {}

struct JpegRun {
    const uchar *data = nullptr;
    unsigned long size = 0;
    int denom = 1;     ///< 1, 2, 4 or 8
    bool fast = false; ///< fast DCT, plain upsampling (previews)
    const std::atomic<bool> *cancel = nullptr;
    qint64 maxPixels = 0; ///< libjpeg's own view of the size is checked too
    cv::Mat *out = nullptr;
    bool cancelled = false;
    bool unsupported = false; ///< CMYK and the like: OpenCV takes over
    bool tooLarge = false;    ///< over maxPixels: nothing was allocated
    unsigned width = 0, height = 0;
    char message[JMSG_LENGTH_MAX] = {};
};

constexpr int kRowsBetweenCancelChecks = 64;

bool runJpeg(JpegRun *run)
{
    jpeg_decompress_struct cinfo;
    JpegError err;
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = largeJpegErrorExit;
    err.base.output_message = largeJpegQuiet;
    if (setjmp(err.jump)) {
        std::snprintf(run->message, sizeof(run->message), "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, run->data, run->size);
    jpeg_read_header(&cinfo, TRUE);
    run->width = cinfo.image_width;
    run->height = cinfo.image_height;
    // The size libjpeg will allocate for, checked whatever the probe read.
    if (double(cinfo.image_width) * double(cinfo.image_height) > double(run->maxPixels)) {
        run->tooLarge = true;
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else if (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB) {
        cinfo.out_color_space = JCS_EXT_RGB; // what QImage::Format_RGB888 holds
    } else {
        run->unsupported = true;
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    cinfo.scale_num = 1;
    cinfo.scale_denom = unsigned(run->denom);
    if (run->fast) {
        cinfo.dct_method = JDCT_IFAST;
        cinfo.do_fancy_upsampling = FALSE;
    }
    jpeg_start_decompress(&cinfo);
    bool allocated = true;
    try {
        run->out->create(int(cinfo.output_height), int(cinfo.output_width),
                         cinfo.output_components == 1 ? CV_8UC1 : CV_8UC3);
    } catch (const cv::Exception &) {
        allocated = false;
    }
    if (!allocated) {
        std::snprintf(run->message, sizeof(run->message), "out of memory for %ux%u pixels",
                      cinfo.output_width, cinfo.output_height);
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    int sinceCheck = 0;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = run->out->ptr<uchar>(int(cinfo.output_scanline));
        jpeg_read_scanlines(&cinfo, &row, 1);
        if (++sinceCheck == kRowsBetweenCancelChecks) {
            sinceCheck = 0;
            if (run->cancel && run->cancel->load(std::memory_order_relaxed)) {
                run->cancelled = true;
                jpeg_abort_decompress(&cinfo);
                jpeg_destroy_decompress(&cinfo);
                return false;
            }
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return true;
}

Error cancelledError(const QString &path)
{
    return makeError(Error::Code::Cancelled, QStringLiteral("loading was cancelled"), path);
}

bool isCancelled(const std::atomic<bool> *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

/// Decodes JPEG bytes with libjpeg at 1/denom. An empty Mat and no error
/// means the colour space is not ours (caller falls back to OpenCV).
Result<cv::Mat> decodeJpeg(const QByteArray &bytes, const QString &path, int denom, bool fast,
                           const std::atomic<bool> *cancel)
{
    cv::Mat out;
    JpegRun run;
    run.data = reinterpret_cast<const uchar *>(bytes.constData());
    run.size = static_cast<unsigned long>(bytes.size());
    run.denom = denom;
    run.fast = fast;
    run.cancel = cancel;
    run.maxPixels = pixelLimit();
    run.out = &out;
    if (runJpeg(&run))
        return out;
    if (run.cancelled)
        return cancelledError(path);
    if (run.tooLarge)
        return checkPixelLimit(run.width, run.height, path, run.maxPixels).error();
    if (run.unsupported)
        return cv::Mat();
    return makeError(Error::Code::Decode, QStringLiteral("cannot decode the JPEG data: %1") .arg(
                                                             QString::fromLocal8Bit(run.message)),
                                                         path);
}

/// A QImage over a cv::Mat's pixels without copying; the QImage keeps the
/// Mat (and so its buffer) alive until the last copy of the image goes.
QImage wrapMat(const cv::Mat &mat, QImage::Format format)
{
    auto *keep = new cv::Mat(mat);
    return QImage(
        keep->data, keep->cols, keep->rows, qsizetype(keep->step), format,
        [](void *p) { delete static_cast<cv::Mat *>(p); }, keep);
}

/// 8-bit grey or RGB pixels (as libjpeg wrote them) -> QImage, no copy.
QImage displayFromRgbOrGrey(const cv::Mat &mat)
{
    return wrapMat(mat, mat.channels() == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
}

QSize displayedSize(int storedWidth, int storedHeight, int orientation)
{
    return orientation >= 5 && orientation <= 8 ? QSize(storedHeight, storedWidth)
                                                : QSize(storedWidth, storedHeight);
}

struct Probed {
    QByteArray bytes;
    ProbeInfo info;
};

Result<Probed> readAndProbe(const QString &path)
{
    auto bytes = readFileBytes(path);
    if (!bytes.ok())
        return bytes.error();
    auto info = probeImage(bytes.value(), path);
    if (!info.ok())
        return info.error();
    return Probed{std::move(bytes.value()), info.value()};
}

/// The largest DCT reduction (1/8 at most) keeping both sides >= minSide.
int previewDenom(const ProbeInfo &info, int minSide)
{
    int denom = 8;
    while (denom > 1
           && ((info.storedWidth + denom - 1) / denom < minSide
               || (info.storedHeight + denom - 1) / denom < minSide))
        denom /= 2;
    return denom;
}

Result<LargeImageFrame> fullFromOpenCv(const QString &path, const Probed &probed, int orientation)
{
    DecodeOptions options;
    options.orientation = orientation;
    options.keepDepth = true;
    auto decoded = decodeImageBytes(probed.bytes, path, options);
    if (!decoded.ok())
        return decoded.error();
    cv::Mat mat = decoded.value();
    LargeImageFrame frame;
    frame.fullSize = QSize(mat.cols, mat.rows);
    frame.channels = mat.channels();
    try {
        if (mat.depth() == CV_16U) {
            frame.bitDepth = 16;
            frame.fullDepth = mat;
            // The bar's first 16-bit preset is Auto: show what it will show.
            frame.display = renderWindowLevel(mat, autoWindow(mat));
        } else {
            if (mat.depth() != CV_8U)
                mat = toDisplayDepth(mat); // float TIFF and the like: by range
            if (mat.channels() == 1) {
                frame.fullDepth = mat;
                frame.display = wrapMat(mat, QImage::Format_Grayscale8);
            } else {
                frame.display = toQImage(mat); // BGR -> RGB
            }
        }
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode,
                         QStringLiteral("cannot convert: %1").arg(QString::fromStdString(e.msg)),
                                        path);
    }
    if (frame.display.isNull())
        return makeError(Error::Code::Decode, QStringLiteral("cannot display the image"), path);
    return frame;
}

} // namespace

// ---- ImagePyramid -------------------------------------------------------------

ImagePyramid ImagePyramid::build(const QImage &full, int minSide)
{
    ImagePyramid pyramid;
    if (full.isNull())
        return pyramid;
    pyramid.m_levels.append(full);
    QImage current = full;
    if (current.format() != QImage::Format_Grayscale8 && current.format() != QImage::Format_RGB888
        && current.format() != QImage::Format_RGB32 && current.format() != QImage::Format_ARGB32
        && current.format() != QImage::Format_ARGB32_Premultiplied)
        current = current.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    const int cvType = current.depth() == 8 ? CV_8UC1 : current.depth() == 24 ? CV_8UC3 : CV_8UC4;
    try {
        while (std::max(current.width(), current.height()) > std::max(1, minSide)) {
            const cv::Mat src(current.height(), current.width(), cvType,
                              const_cast<uchar *>(current.constBits()),
                              size_t(current.bytesPerLine()));
            cv::Mat half;
            // INTER_AREA at exactly 1/2 averages 2x2 blocks: no aliasing.
            cv::resize(src, half, cv::Size((src.cols + 1) / 2, (src.rows + 1) / 2), 0, 0,
                       cv::INTER_AREA);
            current = wrapMat(half, current.format());
            pyramid.m_levels.append(current);
        }
    } catch (const cv::Exception &) {
        // Out of memory for a level: the levels made so far still work.
    }
    return pyramid;
}

int ImagePyramid::levelIndexFor(double zoom) const
{
    if (m_levels.isEmpty() || zoom <= 0)
        return 0;
    const double fullWidth = m_levels.first().width();
    int best = 0;
    for (int i = 1; i < m_levels.size(); ++i) {
        if (m_levels.at(i).width() / fullWidth >= zoom)
            best = i;
        else
            break;
    }
    return best;
}

// ---- stages -------------------------------------------------------------------

Result<QSize> LargeImageLoader::probeDisplayedSize(const QString &path, int orientation,
                                                   bool *isJpeg)
{
    auto probed = readAndProbe(path);
    if (!probed.ok())
        return probed.error();
    if (isJpeg)
        *isJpeg = probed->info.format == QLatin1String("jpeg");
    return displayedSize(probed->info.storedWidth, probed->info.storedHeight, orientation);
}

Result<LargeImageFrame> LargeImageLoader::decodePreview(const LargeImageRequest &request,
                                                        const std::atomic<bool> *cancel)
{
    auto probed = readAndProbe(request.path);
    if (!probed.ok())
        return probed.error();
    const ProbeInfo &info = probed->info;
    if (info.format != QLatin1String("jpeg"))
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("no cheap preview for %1 files").arg(info.format),
                                        request.path);
    auto small = decodeJpeg(probed->bytes, request.path, previewDenom(info, request.previewMinSide),
                            /*fast=*/true, cancel);
    if (!small.ok())
        return small.error();
    if (small->empty())
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("no cheap preview for this JPEG colour space"),
                                        request.path);
    LargeImageFrame frame;
    frame.preview = true;
    frame.fullSize = displayedSize(info.storedWidth, info.storedHeight, request.orientation);
    frame.channels = small->channels();
    try {
        frame.display = displayFromRgbOrGrey(applyOrientation(small.value(), request.orientation));
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode,
                         QStringLiteral("cannot orient: %1").arg(QString::fromStdString(e.msg)),
                                        request.path);
    }
    return frame;
}

Result<LargeImageFrame> LargeImageLoader::decodeFull(const LargeImageRequest &request,
                                                     const std::atomic<bool> *cancel)
{
    auto probed = readAndProbe(request.path);
    if (!probed.ok())
        return probed.error();
    if (isCancelled(cancel))
        return cancelledError(request.path);
    Result<LargeImageFrame> result = LargeImageFrame{};
    bool done = false;
    if (probed->info.format == QLatin1String("jpeg")) {
        auto full = decodeJpeg(probed->bytes, request.path, 1, /*fast=*/false, cancel);
        if (!full.ok())
            return full.error();
        if (!full->empty()) {
            LargeImageFrame frame;
            try {
                const cv::Mat oriented = applyOrientation(full.value(), request.orientation);
                frame.fullSize = QSize(oriented.cols, oriented.rows);
                frame.channels = oriented.channels();
                frame.display = displayFromRgbOrGrey(oriented);
                if (oriented.channels() == 1)
                    frame.fullDepth = oriented; // grey: window/level applies
            } catch (const cv::Exception &e) {
                return makeError(
                    Error::Code::Decode,
                    QStringLiteral("cannot orient: %1").arg(QString::fromStdString(e.msg)),
                                   request.path);
            }
            result = frame;
            done = true;
        }
    }
    if (!done)
        result = fullFromOpenCv(request.path, probed.value(), request.orientation);
    if (!result.ok())
        return result;
    if (isCancelled(cancel))
        return cancelledError(request.path);
    result->pyramid = ImagePyramid::build(result->display);
    return result;
}

// ---- the loader -----------------------------------------------------------------

struct LargeImageLoader::Job {
    LargeImageRequest request;
    std::atomic<bool> cancel{false};
};

LargeImageLoader::LargeImageLoader(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<salient::LargeImageFrame>();
    // Preview and full image decode side by side; a third thread lets the
    // next image start while a cancelled decode finishes its scanlines.
    m_pool.setMaxThreadCount(3);
}

LargeImageLoader::~LargeImageLoader()
{
    cancel();
    m_pool.waitForDone();
}

void LargeImageLoader::load(const ImageRecord &record)
{
    load(record.absolutePath, record.orientation);
}

void LargeImageLoader::load(const QString &path, int orientation)
{
    cancel();
    auto job = std::make_shared<Job>();
    job->request.path = path;
    job->request.orientation = orientation;
    job->request.previewMinSide = m_previewMinSide;
    m_current = job;
    const qint64 threshold = m_previewThreshold;
    // The destructor waits for the pool, so `this` outlives the workers;
    // events still queued when it dies are dropped with it.
    auto post = [this, job](Result<LargeImageFrame> frame, bool last) {
        QMetaObject::invokeMethod(
            this, [this, job, frame, last]() { deliver(job, frame, last); }, Qt::QueuedConnection);
    };
    auto preview = [job, threshold, post]() {
        if (job->cancel)
            return;
        bool jpeg = false;
        auto size = probeDisplayedSize(job->request.path, job->request.orientation, &jpeg);
        if (!size.ok() || !jpeg || qint64(size->width()) * size->height() < threshold)
            return; // the full stage reports errors
        auto frame = decodePreview(job->request, &job->cancel);
        if (!job->cancel && frame.ok())
            post(frame, false);
    };
    auto full = [job, post]() {
        if (job->cancel)
            return;
        auto frame = decodeFull(job->request, &job->cancel);
        if (!job->cancel)
            post(frame, true);
    };
    // With four cores or more the preview decodes beside the full image
    // (which then arrives a preview's time sooner); with fewer, the two would
    // share a core and the first view, what the user waits for, would come late.
    if (QThread::idealThreadCount() >= 4) {
        m_pool.start(preview);
        m_pool.start(full);
    } else {
        m_pool.start([preview, full]() {
            preview();
            full();
        });
    }
}

void LargeImageLoader::cancel()
{
    if (m_current)
        m_current->cancel = true;
    m_current.reset();
}

bool LargeImageLoader::waitForDone(int msecs)
{
    return m_pool.waitForDone(msecs);
}

void LargeImageLoader::deliver(const std::shared_ptr<Job> &job, Result<LargeImageFrame> frame,
                               bool last)
{
    // Stale, cancelled, or a preview that lost the race to the full image
    // (the job stopped being current when the full image arrived).
    if (job != m_current || job->cancel)
        return;
    if (last)
        m_current.reset();
    if (!frame.ok())
        Q_EMIT failed(frame.error());
    else if (frame->preview)
        Q_EMIT previewReady(frame.value());
    else
        Q_EMIT imageReady(frame.value());
}

} // namespace salient
