// SPDX-License-Identifier: GPL-3.0-or-later
// The review report as PDF. Qt lays out text only inside a QGuiApplication
// (offscreen here), which is why this is its own executable with QTEST_MAIN.
#include "core/review/reviewreport.h"
#include "tests/core/review_fixture.h"

#include <QFile>
#include <QTest>

using namespace salient;
using namespace salient::review;

class ReviewReportPdfTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pdfIsWrittenWithItsImages()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        Review r;
        r.runId = f.runId;
        r.imageId = f.expected[0].imageId;
        r.verdict = Verdict::Spurious;
        r.note = QStringLiteral("looks at the corner");
        r.reviewer = QStringLiteral("Dr. Jones");
        QVERIFY(ReviewStore(*f.store).setReview(r).ok());
        QVERIFY(ReviewStore(*f.store).saveExplanations({f.explanation(f.expected[0], 0.3)}).ok());

        const QString out = f.dir.filePath(QStringLiteral("report.pdf"));
        ReportOptions options;
        options.format = ReportOptions::formatForPath(out);
        const Status s = writeReviewReport(*f.store, f.runId, out, options);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        QVERIFY(bytes.contains("/Subtype /Image")); // thumbnail and heatmap embedded
    }

    void unwritablePdfPathIsAnErrorNamingIt()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        const QString out = f.dir.filePath(QStringLiteral("missing/report.pdf"));
        ReportOptions options;
        options.format = ReportOptions::Format::Pdf;
        const Status s = writeReviewReport(*f.store, f.runId, out, options);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Io);
        QVERIFY(s.error().toString().contains(QDir::toNativeSeparators(out)));
    }
};

QTEST_MAIN(ReviewReportPdfTest)
#include "review_report_pdf.moc"
