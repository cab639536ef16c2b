// SPDX-License-Identifier: GPL-3.0-or-later
// The review report. One HTML text serves both formats: images are inline
// data URIs in the HTML file and QTextDocument resources in the PDF (Qt's
// rich text does not read data URIs).
#include "core/review/reviewreport.h"

#include "core/imaging/decode.h"
#include "core/project/store.h"
#include "core/runs/metrics.h"
#include "core/runs/runstore.h"
#include "core/runs/trainconfig.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSet>
#include <QTextDocument>
#include <QUrl>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <map>

namespace salient::review {

namespace {

const Verdict kVerdicts[] = {Verdict::Plausible, Verdict::Spurious, Verdict::Shortcut,
                             Verdict::Unsure, Verdict::Unreviewed};

QString esc(const QString &s)
{
    return s.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

QString percent(double v)
{
    return v < 0 ? QStringLiteral("&ndash;") : QStringLiteral("%1%").arg(v * 100, 0, 'f', 1);
}

/// Collects images and hands out the `src` that each format needs.
class Images {
public:
    explicit Images(bool inlineData) : m_inline(inlineData) {}

    QString add(const QImage &image, const char *format)
    {
        if (image.isNull())
            return {};
        if (m_inline) {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, format, format == QByteArrayLiteral("JPEG") ? 85 : -1);
            return QStringLiteral("data:image/%1;base64,%2") .arg(
                QString::fromLatin1(format).toLower(), QString::fromLatin1(bytes.toBase64()));
        }
        const QString name = QStringLiteral("salient-img:%1").arg(m_resources.size());
        m_resources.emplace(name, image);
        return name;
    }
    void addTo(QTextDocument &doc) const
    {
        for (const auto &[name, image] : m_resources)
            doc.addResource(QTextDocument::ImageResource, QUrl(name), image);
    }

private:
    bool m_inline;
    std::map<QString, QImage> m_resources;
};

struct Entry {
    qint64 imageId = 0;
    std::optional<Review> review;
    std::optional<Explanation> explanation;
    std::optional<train::Prediction> prediction;
};

/// Prefer the explanation of the predicted class, then Grad-CAM, then the newest (last).
bool better(const Explanation &a, const Explanation &b)
{
    const bool ap = a.target == a.predicted, bp = b.target == b.predicted;
    if (ap != bp)
        return ap;
    const bool ag = a.method == CamMethod::GradCam, bg = b.method == CamMethod::GradCam;
    if (ag != bg)
        return ag;
    return true;
}

/// Thumbnail and overlay, longer side `side`, or an error for the failure list.
Result<std::pair<QImage, QImage>> pictures(const ImageRecord &rec, const Entry &e,
                                           const ReportOptions &options)
{
    DecodeOptions dopt;
    dopt.orientation = rec.orientation;
    dopt.minSide = options.imageSize;
    auto decoded = decodeImage(rec.absolutePath, dopt);
    SALIENT_TRY(decoded);
    cv::Mat image = toDisplayDepth(decoded.value());
    try {
        if (image.channels() == 1)
            cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
        else if (image.channels() == 4)
            cv::cvtColor(image, image, cv::COLOR_BGRA2BGR);
        const int longer = std::max(image.cols, image.rows);
        const double s = double(std::max(16, options.imageSize)) / std::max(1, longer);
        cv::Mat thumb;
        // Small images are enlarged with visible pixels rather than blurred.
        cv::resize(image, thumb, cv::Size(), s, s,
                   s < 1 ? cv::INTER_AREA : (s >= 2 ? cv::INTER_NEAREST : cv::INTER_LINEAR));
        QImage overlay;
        if (e.explanation && !e.explanation->map.empty()) {
            const Explanation &x = *e.explanation;
            // The crop is in the displayed image's pixels; scale it to the thumbnail.
            const QSize full = x.imageSize.isValid() ? x.imageSize : QSize(image.cols, image.rows);
            const double sx = double(thumb.cols) / full.width();
            const double sy = double(thumb.rows) / full.height();
            const QRect crop(qRound(x.crop.x() * sx), qRound(x.crop.y() * sy),
                             qRound(x.crop.width() * sx), qRound(x.crop.height() * sy));
            const cv::Mat map = mapToImage(x.map, QSize(thumb.cols, thumb.rows), crop);
            auto rendered = renderOverlay(thumb, map, options.style, crop);
            if (rendered.ok())
                overlay = bgrToQImage(rendered.value());
        }
        return std::make_pair(bgrToQImage(thumb), overlay);
    } catch (const cv::Exception &ex) {
        return makeError(Error::Code::Decode, QString::fromStdString(ex.msg), rec.absolutePath);
    }
}

QString metricsHtml(const train::RunRecord &run)
{
    if (run.testMetrics.isEmpty())
        return QStringLiteral("<p>No test metrics were recorded for this run.</p>\n");
    const train::EvalMetrics m = train::EvalMetrics::fromJson(run.testMetrics);
    QString h = QStringLiteral("<table class=\"grid\"><tr><th>Test images</th><th>Accuracy</th>"
                               "<th>Macro-F1</th><th>Macro AUC</th><th>ECE</th></tr>");
    h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr></table>\n")
            .arg(m.samples)
            .arg(percent(m.accuracy), QString::number(m.macroF1, 'f', 3),
                 m.macroAuc < 0 ? QStringLiteral("&ndash;") : QString::number(m.macroAuc, 'f', 3),
                                                 QString::number(m.ece, 'f', 3));
    return h;
}

QString summaryHtml(const ReviewSummary &s)
{
    QString h = QStringLiteral("<table class=\"grid\"><tr><th>Class</th><th>Images</th>");
    for (Verdict v : kVerdicts)
        h += QStringLiteral("<th>%1</th>").arg(verdictName(v));
    h += QStringLiteral("</tr>\n");
    auto row = [&](const VerdictCounts &c, const QString &name) {
        h += QStringLiteral("<tr><td>%1</td><td>%2</td>").arg(esc(name)).arg(c.images);
        for (Verdict v : kVerdicts)
            h += QStringLiteral("<td>%1</td>").arg(c.counts.value(v, 0));
        h += QStringLiteral("</tr>\n");
    };
    for (const VerdictCounts &c : s.perClass)
        row(c, c.className);
    row(s.total, QStringLiteral("All classes"));
    return h + QStringLiteral("</table>\n");
}

QString namesOf(const QVector<int> &indexes, const QStringList &classes)
{
    QStringList out;
    for (int i : indexes)
        out << classes.value(i, QStringLiteral("#%1").arg(i));
    return out.join(QStringLiteral(", "));
}

Error writeError(const QString &path, const QString &why)
{
    return makeError(Error::Code::Io, QStringLiteral("cannot write the review report: %1").arg(why),
                                                     QDir::toNativeSeparators(path));
}

Status saveHtml(const QString &path, const QString &html)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path, file.errorString());
    const QByteArray bytes = html.toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit())
        return writeError(path, file.errorString());
    return {};
}

Status savePdf(const QString &path, const QString &html, const Images &images, const QString &title)
{
    // Text layout needs fonts, and Qt only has fonts inside a QGuiApplication
    // (offscreen is enough); without one QFontDatabase aborts the process.
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("a PDF report needs the Qt GUI platform (run with a "
                                        "QGuiApplication, QT_QPA_PLATFORM=offscreen works "
                                        "without a display); write .html instead"),
                                        QDir::toNativeSeparators(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return writeError(path, file.errorString());
    {
        QPdfWriter writer(&file);
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("Salient Studio"));
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setResolution(150);
        QTextDocument doc;
        images.addTo(doc);
        doc.setHtml(html);
        doc.print(&writer);
    } // the writer finishes the file when it goes
    if (file.error() != QFileDevice::NoError || !file.commit())
        return writeError(path, file.errorString());
    return {};
}

} // namespace

ReportOptions::Format ReportOptions::formatForPath(const QString &path)
{
    return QFileInfo(path).suffix().compare(QLatin1String("pdf"), Qt::CaseInsensitive) == 0
               ? Format::Pdf
               : Format::Html;
}

Status writeReviewReport(ProjectStore &store, qint64 runId, const QString &path,
                         const ReportOptions &options,
                         const std::function<void(int done, int total)> &progress)
{
    train::RunStore runs(store);
    ReviewStore reviews(store);
    auto run = runs.run(runId);
    SALIENT_TRY(run);
    auto summary = reviews.summary(runId);
    SALIENT_TRY(summary);
    auto predictions = runs.predictions(runId);
    SALIENT_TRY(predictions);
    auto stored = reviews.reviews(runId);
    SALIENT_TRY(stored);
    auto explained = options.reviewedOnly && stored->isEmpty()
                         ? Result<QVector<Explanation>>(QVector<Explanation>())
                         : reviews.explanations(runId);
    SALIENT_TRY(explained);

    std::map<qint64, Entry> entries; // by image id
    for (const Review &r : stored.value())
        entries[r.imageId].review = r;
    for (const Explanation &x : explained.value()) {
        if (options.reviewedOnly && !entries.count(x.imageId))
            continue;
        Entry &e = entries[x.imageId];
        if (!e.explanation || better(x, *e.explanation))
            e.explanation = x;
    }
    for (const train::Prediction &p : predictions.value())
        if (p.role != train::RunRole::Train && entries.count(p.imageId))
            entries[p.imageId].prediction = p;

    QVector<qint64> ids;
    for (auto &[id, e] : entries) {
        e.imageId = id;
        ids.push_back(id);
    }
    const int total = std::min<int>(ids.size(), std::max(0, options.maxImages));
    auto labels = store.labels(ids.mid(0, total));
    SALIENT_TRY(labels);
    QHash<qint64, int> indexOfClass;
    for (int i = 0; i < run->classIds.size(); ++i)
        indexOfClass.insert(run->classIds[i], i);

    const bool pdf = options.format == ReportOptions::Format::Pdf;
    Images images(!pdf);
    const train::TrainConfig config =
        train::TrainConfig::fromJson(run->config).valueOr(train::TrainConfig());
    const QString title =
        options.title.isEmpty() ? QStringLiteral("Review of %1").arg(run->name) : options.title;

    QString html = QStringLiteral(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%1</title>\n<style>"
        "body{font-family:sans-serif;margin:2em;color:#222}"
        "table.grid{border-collapse:collapse}"
        "table.grid td,table.grid th{border:1px solid #999;padding:3px 8px;text-align:right}"
        "table.images td{vertical-align:top;padding:4px}"
        ".verdict{font-weight:bold}.note{font-style:italic}"
        "</style></head><body>\n<h1>%1</h1>\n")
            .arg(esc(title));
    html += QStringLiteral("<p>Run %1 &ldquo;%2&rdquo; &middot; model %3 at %4 px &middot; "
                           "state %5 &middot; created %6 &middot; report written %7</p>\n")
                               .arg(run->id)
                               .arg(esc(run->name), esc(config.model))
                               .arg(config.effectiveImageSize())
                               .arg(train::runStateName(run->state),
                                    run->createdAt.toString(Qt::ISODate),
                                    QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    html += QStringLiteral("<h2>Test metrics</h2>\n") + metricsHtml(run.value());
    html += QStringLiteral("<h2>Verdicts per class (by true label)</h2>\n")
                           + summaryHtml(summary.value());
    html += QStringLiteral("<h2>Images</h2>\n");
    const QString bar = images.add(bgrToQImage(colourBar(options.style.colourMap, 160, 10)), "PNG");
    html += QStringLiteral("<p>Heatmap (%1): <img src=\"%2\" width=\"160\" height=\"10\"> "
                           "low to high.</p>\n")
                               .arg(colourMapName(options.style.colourMap), bar);
    if (total == 0)
        html += QStringLiteral("<p>No image of this run has a verdict or a stored explanation "
                               "yet.</p>\n");

    QStringList failures;
    html += QStringLiteral("<table class=\"images\">\n");
    for (int i = 0; i < total; ++i) {
        const Entry &e = entries[ids[i]];
        auto rec = store.image(e.imageId);
        QString thumbSrc, overlaySrc;
        QString where = QStringLiteral("image %1").arg(e.imageId);
        if (!rec.ok()) {
            failures << QStringLiteral("image %1: %2").arg(e.imageId).arg(rec.error().message);
        } else {
            where = QDir::toNativeSeparators(rec->path);
            auto pics = pictures(rec.value(), e, options);
            if (!pics.ok()) {
                failures << pics.error().toString();
            } else {
                thumbSrc = images.add(pics->first, "JPEG");
                overlaySrc = images.add(pics->second, "JPEG");
            }
        }
        QVector<int> truth;
        for (qint64 c : labels->value(e.imageId))
            if (indexOfClass.contains(c))
                truth.push_back(indexOfClass.value(c));
        std::sort(truth.begin(), truth.end());
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>") .arg(
            thumbSrc.isEmpty()
            ? QStringLiteral("(not readable)")
            : QStringLiteral("<img src=\"%1\">").arg(thumbSrc), overlaySrc.isEmpty()
                             ? QStringLiteral("(no heatmap)")
                             : QStringLiteral("<img src=\"%1\">").arg(overlaySrc));
        html += QStringLiteral("<b>%1</b><br>").arg(esc(where));
        html += QStringLiteral("Truth: %1<br>").arg(truth.isEmpty()
                                                    ? QStringLiteral("(unlabelled)")
                                                    : esc(namesOf(truth, run->classNames)));
        if (e.prediction) {
            const train::Prediction &p = *e.prediction;
            double conf = 0;
            for (int c : p.predicted)
                conf = std::max(conf, double(p.probabilities.value(c)));
            const QString predicted =
                p.predicted.isEmpty() ? QStringLiteral("(none)")
                                      : esc(namesOf(p.predicted, run->classNames));
            html += QStringLiteral("Predicted: %1 (%2)<br>").arg(predicted, percent(conf));
        } else if (e.explanation) {
            html += QStringLiteral("Predicted: %1 (%2)<br>") .arg(
                esc(run->classNames.value(e.explanation->predicted)),
                percent(e.explanation->confidence));
        }
        if (e.explanation) {
            const Explanation &x = *e.explanation;
            html += QStringLiteral("Heatmap: %1 on %2 for %3").arg(
                camMethodName(x.method), esc(x.layer), esc(run->classNames.value(x.target)));
            if (x.deletionScore >= 0)
                html += QStringLiteral(", deletion score %1").arg(x.deletionScore, 0, 'f', 3);
            html += QStringLiteral("<br>");
        }
        const Verdict v = e.review ? e.review->verdict : Verdict::Unreviewed;
        html +=
            QStringLiteral("Verdict: <span class=\"verdict\">%1</span><br>").arg(verdictName(v));
        if (e.review) {
            if (!e.review->note.isEmpty())
                html += QStringLiteral("Note: <span class=\"note\">%1</span><br>") .arg(
                    esc(e.review->note));
            html += QStringLiteral("Reviewed by %1, %2") .arg(
                e.review->reviewer.isEmpty()
                ? QStringLiteral("(unnamed)") : esc(e.review->reviewer),
                                 e.review->updatedAt.toString(Qt::ISODate));
        }
        html += QStringLiteral("</td></tr>\n");
        if (progress)
            progress(i + 1, total);
    }
    html += QStringLiteral("</table>\n");
    if (ids.size() > total)
        html += QStringLiteral("<p>%1 more images are not shown (limit %2).</p>\n")
                                   .arg(ids.size() - total)
                                   .arg(total);
    if (!failures.isEmpty()) {
        html += QStringLiteral("<h2>Images that could not be read</h2>\n<ul>\n");
        for (const QString &f : failures)
            html += QStringLiteral("<li>%1</li>\n").arg(esc(f));
        html += QStringLiteral("</ul>\n");
    }
    html += QStringLiteral("</body></html>\n");
    return pdf ? savePdf(path, html, images, title) : saveHtml(path, html);
}

} // namespace salient::review
