// SPDX-License-Identifier: GPL-3.0-or-later
// The review report as its reader gets it: one self-contained HTML file with
// the run, the test figures, the verdict table per class, each image's
// thumbnail and heatmap inline, verdicts and notes; unreadable images listed
// instead of failing; clear errors that name the output file.
#include "core/review/reviewreport.h"
#include "tests/core/review_fixture.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace salient;
using namespace salient::review;

namespace {

QString readText(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/// Every inline JPEG of the report, decoded.
QVector<QImage> inlineImages(const QString &html)
{
    QVector<QImage> out;
    static const QRegularExpression re(QStringLiteral("data:image/jpeg;base64,([A-Za-z0-9+/=]+)"));
    for (auto it = re.globalMatch(html); it.hasNext();)
        out << QImage::fromData(QByteArray::fromBase64(it.next().captured(1).toLatin1()), "JPEG");
    return out;
}

/// Reviews on images 0 and 2, stored explanations on images 0 and 4.
bool prepare(test::ReviewFixture &f)
{
    if (!f.make())
        return false;
    ReviewStore reviews(*f.store);
    Review a;
    a.runId = f.runId;
    a.imageId = f.expected[0].imageId;
    a.verdict = Verdict::Plausible;
    a.note = QStringLiteral("ruler <5 cm> & marker");
    a.reviewer = QStringLiteral("Dr. Jones");
    Review b = a;
    b.imageId = f.expected[2].imageId;
    b.verdict = Verdict::Shortcut;
    b.note.clear();
    return reviews.setReview(a).ok() && reviews.setReview(b).ok()
           && reviews
                  .saveExplanations(
                      {f.explanation(f.expected[0], 0.25), f.explanation(f.expected[4], 0.5)})
                  .ok();
}

} // namespace

class ReviewReportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatFollowsTheSuffix_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("pdf");
        QTest::addRow("html") << QStringLiteral("/tmp/r.html") << false;
        QTest::addRow("PDF upper case") << QStringLiteral("/tmp/R.PDF") << true;
        QTest::addRow("pdf") << QStringLiteral("out/report.pdf") << true;
        QTest::addRow("no suffix") << QStringLiteral("report") << false;
    }

    void formatFollowsTheSuffix()
    {
        QFETCH(QString, path);
        QFETCH(bool, pdf);
        QCOMPARE(ReportOptions::formatForPath(path) == ReportOptions::Format::Pdf, pdf);
    }

    void htmlHasTheRunVerdictsNotesAndImages()
    {
        test::ReviewFixture f;
        QVERIFY(prepare(f));
        const QString out = f.dir.filePath(QStringLiteral("report.html"));
        QVector<QPair<int, int>> calls;
        ReportOptions options;
        const Status s =
            writeReviewReport(*f.store, f.runId, out, options,
                              [&](int done, int total) { calls << qMakePair(done, total); });
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QCOMPARE(calls.size(), 3);
        QCOMPARE(calls.last(), qMakePair(3, 3));

        const QString html = readText(out);
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("<title>Review of tiny run</title>")));
        QVERIFY(html.contains(QStringLiteral("smallcnn")));
        QVERIFY(html.contains(QStringLiteral("87.5%"))); // test accuracy
        QVERIFY(html.contains(QStringLiteral("ruler &lt;5 cm&gt; &amp; marker")));
        QVERIFY(!html.contains(QStringLiteral("<5 cm>")));
        QVERIFY(html.contains(QStringLiteral("Dr. Jones")));
        QVERIFY(html.contains(QStringLiteral("<span class=\"verdict\">plausible</span>")));
        QVERIFY(html.contains(QStringLiteral("<span class=\"verdict\">shortcut</span>")));
        QVERIFY(html.contains(QStringLiteral("deletion score 0.250")));
        // Whole run: 1 plausible, 0 spurious, 1 shortcut, 0 unsure, the rest unreviewed.
        QVERIFY2(html.contains(QStringLiteral("<td>All classes</td><td>%1</td><td>1</td><td>0</td>"
                                              "<td>1</td><td>0</td><td>%2</td>")
                                                  .arg(f.expected.size())
                                                  .arg(f.expected.size() - 2)),
                               qPrintable(html.left(3000)));
        // Three thumbnails and two heatmaps, inline and decodable, 192 px.
        const QVector<QImage> images = inlineImages(html);
        QCOMPARE(images.size(), 5);
        for (const QImage &img : images) {
            QVERIFY(!img.isNull());
            QCOMPARE(std::max(img.width(), img.height()), 192);
        }
        QVERIFY(html.contains(QStringLiteral("data:image/png;base64,"))); // the colour bar
        QVERIFY(!html.contains(QStringLiteral("src=\"file:")));
        QVERIFY(!html.contains(QStringLiteral("could not be read")));
    }

    void reviewedOnlyLeavesOutImagesWithoutAVerdict()
    {
        test::ReviewFixture f;
        QVERIFY(prepare(f));
        const QString out = f.dir.filePath(QStringLiteral("reviewed.html"));
        ReportOptions options;
        options.reviewedOnly = true;
        options.imageSize = 64;
        QVERIFY(writeReviewReport(*f.store, f.runId, out, options).ok());
        const QVector<QImage> images = inlineImages(readText(out));
        QCOMPARE(images.size(), 3); // two thumbnails, one heatmap
        QCOMPARE(std::max(images[0].width(), images[0].height()), 64);
    }

    void unreadableImageIsListedNotFatal()
    {
        test::ReviewFixture f;
        QVERIFY(prepare(f));
        const ImageRecord broken = f.store->image(f.expected[2].imageId).value();
        QFile file(broken.absolutePath);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("this is not a PNG any more");
        file.close();
        const QString out = f.dir.filePath(QStringLiteral("report.html"));
        const Status s = writeReviewReport(*f.store, f.runId, out, {});
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        const QString html = readText(out);
        QVERIFY(html.contains(QStringLiteral("Images that could not be read")));
        const QString name = QFileInfo(broken.absolutePath).fileName();
        const int listed = html.indexOf(QStringLiteral("Images that could not be read"));
        QVERIFY2(html.indexOf(name, listed) > listed, qPrintable(html.mid(listed)));
        QCOMPARE(inlineImages(html).size(), 4); // the other two images and both heatmaps
    }

    void unwritablePathIsAnErrorNamingIt()
    {
        test::ReviewFixture f;
        QVERIFY(prepare(f));
        const QString out = f.dir.filePath(QStringLiteral("no/such/folder/report.html"));
        const Status s = writeReviewReport(*f.store, f.runId, out, {});
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Io);
        QVERIFY2(s.error().toString().contains(QDir::toNativeSeparators(out)),
                 qPrintable(s.error().toString()));
        QVERIFY(!QFile::exists(out));
    }

    void pdfWithoutTheGuiPlatformIsAClearError()
    {
        // salient_core code may run in a QCoreApplication (the CLI): Qt has
        // no fonts there, so PDF must refuse instead of aborting the process.
        test::ReviewFixture f;
        QVERIFY(prepare(f));
        const QString out = f.dir.filePath(QStringLiteral("report.pdf"));
        ReportOptions options;
        options.format = ReportOptions::Format::Pdf;
        const Status s = writeReviewReport(*f.store, f.runId, out, options);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Unsupported);
        QVERIFY(s.error().toString().contains(QDir::toNativeSeparators(out)));
        QVERIFY(!QFile::exists(out));
    }

    void unknownRunIsNotFound()
    {
        test::ReviewFixture f;
        QVERIFY(prepare(f));
        const QString out = f.dir.filePath(QStringLiteral("x.html"));
        const Status s = writeReviewReport(*f.store, f.runId + 7, out, {});
        QCOMPARE(s.error().code, Error::Code::NotFound);
        QVERIFY(!QFile::exists(out));
    }
};

QTEST_GUILESS_MAIN(ReviewReportTest)
#include "review_report.moc"
