// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/imaging/decode.h"

#include <QFile>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>

namespace salient {

// ---- reduced-size JPEG decoding with libjpeg ------------------------------
//
// OpenCV's JPEG reader always asks for the accurate DCT and fancy upsampling;
// for thumbnails we want DCT scaling with the fast integer DCT, which only
// libjpeg's own API offers. libjpeg reports fatal errors through error_exit,
// which must not return: we longjmp back. The function that calls setjmp
// keeps only plain data in its frame; the cv::Mat lives in the caller.

namespace {

struct JpegErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

extern "C" void jpegErrorExit(j_common_ptr cinfo)
{
    auto *err = reinterpret_cast<JpegErrorManager *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

extern "C" void jpegSilence(j_common_ptr) {}

/// The work of one decode, filled in two steps around the allocation.
struct JpegJob {
    const uchar *data = nullptr;
    unsigned long size = 0;
    int minWidth = 0;  ///< scaled output must stay at least this wide...
    int minHeight = 0; ///< ...and this high
    bool fast = false; ///< fast DCT, no fancy upsampling (thumbnails)
    qint64 maxPixels = 0; ///< libjpeg's own view of the size is checked too
    cv::Mat *out = nullptr;
    bool unsupported = false; ///< CMYK etc.: caller falls back to OpenCV
    bool tooLarge = false;    ///< over maxPixels: nothing was allocated
    unsigned width = 0, height = 0; ///< as libjpeg read them from the frame header
    char message[JMSG_LENGTH_MAX] = {};
};

bool runJpegDecode(JpegJob *job)
{
    jpeg_decompress_struct cinfo;
    JpegErrorManager err;
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = jpegErrorExit;
    err.base.output_message = jpegSilence; // warnings (e.g. extraneous bytes) are not errors
    if (setjmp(err.jump)) {
        std::snprintf(job->message, sizeof(job->message), "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, job->data, job->size);
    jpeg_read_header(&cinfo, TRUE);
    job->width = cinfo.image_width;
    job->height = cinfo.image_height;
    // The probe checked the size it found; this is the size libjpeg will
    // allocate for, checked again in case the two ever read a file differently.
    if (double(cinfo.image_width) * double(cinfo.image_height) > double(job->maxPixels)) {
        job->tooLarge = true;
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    if (cinfo.num_components == 1) {
        cinfo.out_color_space = JCS_GRAYSCALE;
    } else if (cinfo.jpeg_color_space == JCS_YCbCr || cinfo.jpeg_color_space == JCS_RGB) {
        cinfo.out_color_space = JCS_EXT_BGR;
    } else {
        job->unsupported = true;
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    // Largest power-of-two reduction whose output still covers the request.
    int denom = 8;
    while (denom > 1) {
        const long w = (long(cinfo.image_width) + denom - 1) / denom;
        const long h = (long(cinfo.image_height) + denom - 1) / denom;
        if (w >= job->minWidth && h >= job->minHeight)
            break;
        denom /= 2;
    }
    cinfo.scale_num = 1;
    cinfo.scale_denom = unsigned(denom);
    if (job->fast) {
        cinfo.dct_method = JDCT_IFAST;
        cinfo.do_fancy_upsampling = FALSE;
    }
    jpeg_start_decompress(&cinfo);
    job->out->create(int(cinfo.output_height), int(cinfo.output_width),
                     cinfo.output_components == 1 ? CV_8UC1 : CV_8UC3);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = job->out->ptr<uchar>(int(cinfo.output_scanline));
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return true;
}

bool isJpeg(const QByteArray &bytes)
{
    return bytes.size() > 3 && uchar(bytes[0]) == 0xFF && uchar(bytes[1]) == 0xD8;
}

/// libjpeg decode, or an empty Mat with `unsupported` set (caller uses OpenCV).
Result<cv::Mat> decodeJpegScaled(const QByteArray &bytes, const QString &path, int minWidth,
                                 int minHeight, bool fast, qint64 maxPixels, bool *unsupported)
{
    cv::Mat out;
    JpegJob job;
    job.data = reinterpret_cast<const uchar *>(bytes.constData());
    job.size = static_cast<unsigned long>(bytes.size());
    job.minWidth = minWidth;
    job.minHeight = minHeight;
    job.fast = fast;
    job.maxPixels = maxPixels;
    job.out = &out;
    try {
        const bool ok = runJpegDecode(&job);
        *unsupported = job.unsupported;
        if (job.tooLarge) {
            *unsupported = false;
            return checkPixelLimit(job.width, job.height, path, maxPixels).error();
        }
        if (!ok && !job.unsupported)
            return makeError(Error::Code::Decode,
                             QStringLiteral("cannot decode the JPEG data: %1") .arg(
                                                QString::fromLocal8Bit(job.message)),
                                            path);
    } catch (const cv::Exception &e) { // allocation failure in Mat::create
        return makeError(Error::Code::Decode,
                         QStringLiteral("cannot decode: %1").arg(QString::fromStdString(e.msg)),
                                        path);
    }
    return out;
}

Result<cv::Mat> openCvDecode(const QByteArray &bytes, const QString &path, int flags)
{
    try {
        const cv::Mat buffer(1, int(bytes.size()), CV_8UC1, const_cast<char *>(bytes.constData()));
        cv::Mat image = cv::imdecode(buffer, flags);
        if (image.empty())
            return makeError(Error::Code::Decode,
                             QStringLiteral("cannot decode the image data (OpenCV read nothing)"),
                                            path);
        return image;
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode,
                         QStringLiteral("cannot decode: %1").arg(QString::fromStdString(e.msg)),
                                        path);
    }
}

cv::Mat dropAlpha(const cv::Mat &image)
{
    cv::Mat out;
    if (image.channels() == 4)
        cv::cvtColor(image, out, cv::COLOR_BGRA2BGR);
    else if (image.channels() == 2)
        cv::extractChannel(image, out, 0);
    else
        out = image;
    return out;
}

} // namespace

// ---- public API -------------------------------------------------------------

cv::Mat applyOrientation(const cv::Mat &image, int orientation)
{
    // EXIF orientation names where the stored row 0 / column 0 belong when
    // displayed; each case undoes that (TIFF 6.0 / EXIF 2.3 tag 0x0112).
    cv::Mat out;
    switch (orientation) {
    case 2:
        cv::flip(image, out, 1);
        break; // mirrored left-right
    case 3:
        cv::rotate(image, out, cv::ROTATE_180);
        break;
    case 4:
        cv::flip(image, out, 0);
        break; // mirrored top-bottom
    case 5:
        cv::transpose(image, out);
        break; // mirrored, then 90 CCW
    case 6:
        cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
        break;
    case 7:
        cv::transpose(image, out);
        cv::flip(out, out, -1);
        break; // mirrored, then 90 CW
    case 8:
        cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
        break;
    default:
        out = image;
        break;
    }
    return out;
}

cv::Mat toDisplayDepth(const cv::Mat &image)
{
    if (image.empty() || image.depth() == CV_8U)
        return image;
    double lo = 0, hi = 0;
    cv::minMaxLoc(image.reshape(1), &lo, &hi);
    cv::Mat out;
    if (hi > lo)
        image.convertTo(out, CV_8U, 255.0 / (hi - lo), -lo * 255.0 / (hi - lo));
    else
        image.convertTo(out, CV_8U, 0.0, hi > 0 ? 255.0 : 0.0); // flat image
    return out;
}

QSize fitInside(int width, int height, int maxSide)
{
    if (width <= 0 || height <= 0 || maxSide <= 0)
        return {};
    if (width <= maxSide && height <= maxSide)
        return {width, height};
    const double s = std::min(double(maxSide) / width, double(maxSide) / height);
    return {std::max(1, int(width * s + 0.5)), std::max(1, int(height * s + 0.5))};
}

Result<cv::Mat> decodeImageBytes(const QByteArray &bytes, const QString &path,
                                 const DecodeOptions &options)
{
    // The probe refuses decompression bombs before a pixel is allocated.
    auto probe = probeImage(bytes, path, options.maxPixels);
    if (!probe.ok())
        return probe.error();

    cv::Mat image;
    bool unsupported = true;
    if (options.minSide > 0 && isJpeg(bytes)) {
        auto scaled = decodeJpegScaled(bytes, path, options.minSide, options.minSide,
                                       /*fast=*/false, options.maxPixels, &unsupported);
        if (!scaled.ok())
            return scaled.error();
        image = scaled.value();
    }
    if (unsupported) {
        // ANYDEPTH always: we map 16-bit to 8-bit ourselves (by range, not >> 8).
        auto decoded = openCvDecode(
            bytes, path, cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR | cv::IMREAD_IGNORE_ORIENTATION);
        if (!decoded.ok())
            return decoded.error();
        image = decoded.value();
    }
    try {
        image = dropAlpha(image);
        if (!options.keepDepth)
            image = toDisplayDepth(image);
        return applyOrientation(image, options.orientation);
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode,
                         QStringLiteral("cannot convert: %1").arg(QString::fromStdString(e.msg)),
                                        path);
    }
}

Result<cv::Mat> decodeImage(const QString &path, const DecodeOptions &options)
{
    auto bytes = readFileBytes(path);
    if (!bytes.ok())
        return bytes.error();
    return decodeImageBytes(bytes.value(), path, options);
}

Result<QImage> makeThumbnail(const QString &path, int maxSide, int orientation)
{
    auto bytes = readFileBytes(path);
    if (!bytes.ok())
        return bytes.error();
    const qint64 maxPixels = pixelLimit();
    auto probe = probeImage(bytes.value(), path, maxPixels);
    if (!probe.ok())
        return probe.error();
    const QSize target = fitInside(probe->storedWidth, probe->storedHeight, maxSide);

    cv::Mat image;
    bool unsupported = true;
    if (probe->format == QLatin1String("jpeg")) {
        auto scaled = decodeJpegScaled(bytes.value(), path, target.width(), target.height(),
                                       /*fast=*/true, maxPixels, &unsupported);
        if (!scaled.ok())
            return scaled.error();
        image = scaled.value();
    }
    if (unsupported) {
        auto decoded =
            openCvDecode(bytes.value(), path,
                         cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR | cv::IMREAD_IGNORE_ORIENTATION);
        if (!decoded.ok())
            return decoded.error();
        image = decoded.value();
    }
    try {
        image = toDisplayDepth(dropAlpha(image));
        if (image.cols != target.width() || image.rows != target.height()) {
            cv::Mat small;
            cv::resize(image, small, cv::Size(target.width(), target.height()), 0, 0,
                       cv::INTER_AREA);
            image = small;
        }
        const QImage thumb = toQImage(applyOrientation(image, orientation));
        if (thumb.isNull())
            return makeError(Error::Code::Decode, QStringLiteral("cannot make a thumbnail"), path);
        return thumb;
    } catch (const cv::Exception &e) {
        return makeError(
            Error::Code::Decode,
            QStringLiteral("cannot make a thumbnail: %1").arg(QString::fromStdString(e.msg)), path);
    }
}

QImage toQImage(const cv::Mat &input)
{
    if (input.empty())
        return {};
    cv::Mat image;
    try {
        image = toDisplayDepth(input);
        if (image.channels() == 2)
            cv::extractChannel(image, image, 0);
        QImage out;
        switch (image.channels()) {
        case 1: {
            out = QImage(image.cols, image.rows, QImage::Format_Grayscale8);
            cv::Mat dst(image.rows, image.cols, CV_8UC1, out.bits(), size_t(out.bytesPerLine()));
            image.copyTo(dst);
            break;
        }
        case 3: {
            out = QImage(image.cols, image.rows, QImage::Format_RGB888);
            cv::Mat dst(image.rows, image.cols, CV_8UC3, out.bits(), size_t(out.bytesPerLine()));
            cv::cvtColor(image, dst, cv::COLOR_BGR2RGB);
            break;
        }
        case 4: {
            // ARGB32 is 0xAARRGGBB per pixel: B, G, R, A in memory on little
            // endian machines, i.e. OpenCV's BGRA; big endian needs a swap.
            out = QImage(image.cols, image.rows, QImage::Format_ARGB32);
            cv::Mat dst(image.rows, image.cols, CV_8UC4, out.bits(), size_t(out.bytesPerLine()));
            if (QSysInfo::ByteOrder == QSysInfo::LittleEndian)
                image.copyTo(dst);
            else
                cv::mixChannels(image, dst, std::vector<int>{0, 3, 1, 2, 2, 1, 3, 0});
            break;
        }
        default:
            return {};
        }
        return out;
    } catch (const cv::Exception &) {
        return {};
    }
}

} // namespace salient
