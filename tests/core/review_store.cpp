// SPDX-License-Identifier: GPL-3.0-or-later
// Review records in the project: verdicts and notes survive a reopen, every
// change is kept in order, the per-class summary counts what the reviewer
// did, unknown ids are refused, and stored explanations are found by key.
#include "core/review/reviewstore.h"
#include "tests/core/review_fixture.h"

#include <QTest>

#include <sqlite3.h>

#include <cstring>

using namespace salient;
using namespace salient::review;

Q_DECLARE_METATYPE(Verdict)

namespace {

int count(ProjectStore &s, const char *sql)
{
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(s.handle(), sql, -1, &st, nullptr);
    const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

Review makeReview(qint64 run, qint64 image, Verdict v, const QString &note = {},
                  const QString &who = QStringLiteral("Dr. Jones"))
{
    Review r;
    r.runId = run;
    r.imageId = image;
    r.verdict = v;
    r.note = note;
    r.reviewer = who;
    return r;
}

} // namespace

class ReviewStoreTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void verdictNames()
    {
        for (Verdict v : {Verdict::Unreviewed, Verdict::Plausible, Verdict::Spurious,
                          Verdict::Shortcut, Verdict::Unsure})
            QCOMPARE(verdictFromName(verdictName(v)), std::optional<Verdict>(v));
        QCOMPARE(verdictName(Verdict::Shortcut), QStringLiteral("shortcut"));
        QVERIFY(!verdictFromName(QStringLiteral("wrong")));
    }

    void verdictRoundTrip_data()
    {
        QTest::addColumn<Verdict>("verdict");
        QTest::addColumn<QString>("note");
        QTest::addRow("plausible, no note") << Verdict::Plausible << QString();
        QTest::addRow("spurious with a note")
            << Verdict::Spurious << QStringLiteral("looks at the background");
        QTest::addRow("shortcut, unicode and quotes")
            << Verdict::Shortcut << QStringLiteral("Lineal links \"5 cm\" – Maßstab");
        QTest::addRow("unsure, multi-line") << Verdict::Unsure << QStringLiteral("a\nb");
        QTest::addRow("unreviewed but a note")
            << Verdict::Unreviewed << QStringLiteral("come back to this");
    }

    void verdictRoundTrip()
    {
        QFETCH(Verdict, verdict);
        QFETCH(QString, note);
        test::ReviewFixture f;
        QVERIFY(f.make());
        const qint64 image = f.expected[1].imageId;
        const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
        ReviewStore reviews(*f.store);
        QVERIFY(reviews.setReview(makeReview(f.runId, image, verdict, note)).ok());
        const QDateTime after = QDateTime::currentDateTimeUtc().addMSecs(1);

        // Read back through a second connection: the write committed.
        auto again = f.store->connectAgain();
        QVERIFY(again.ok());
        auto r = ReviewStore(*again.value()).review(f.runId, image);
        QVERIFY(r.ok());
        QVERIFY(r->has_value());
        const Review got = **r;
        QCOMPARE(got.verdict, verdict);
        QCOMPARE(got.note, note);
        QCOMPARE(got.reviewer, QStringLiteral("Dr. Jones"));
        QCOMPARE(got.updatedAt.timeSpec(), Qt::UTC);
        QVERIFY(got.updatedAt >= before && got.updatedAt <= after);
        QCOMPARE(reviews.reviews(f.runId)->size(), 1);
        QVERIFY(!reviews.review(f.runId, f.expected[0].imageId)->has_value());
    }

    void historyKeepsEveryChangeInOrder()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewStore reviews(*f.store);
        const qint64 image = f.expected[2].imageId;
        QVERIFY(reviews.setReview(makeReview(f.runId, image, Verdict::Plausible, {}, "ann")).ok());
        QVERIFY(
            reviews.setReview(makeReview(f.runId, image, Verdict::Shortcut, "ruler", "bob")).ok());
        QVERIFY(
            reviews.setReview(makeReview(f.runId, f.expected[3].imageId, Verdict::Unsure)).ok());
        QVERIFY(reviews.setReview(makeReview(f.runId, image, Verdict::Unreviewed, {}, "bob")).ok());

        // Cleared: no current review, but the history has all three changes.
        QVERIFY(!reviews.review(f.runId, image)->has_value());
        QCOMPARE(reviews.reviews(f.runId)->size(), 1);
        auto h = reviews.history(f.runId, image);
        QVERIFY(h.ok());
        QCOMPARE(h->size(), 3);
        QCOMPARE(h->at(0).verdict, Verdict::Plausible);
        QCOMPARE(h->at(0).reviewer, QStringLiteral("ann"));
        QCOMPARE(h->at(1).verdict, Verdict::Shortcut);
        QCOMPARE(h->at(1).note, QStringLiteral("ruler"));
        QCOMPARE(h->at(2).verdict, Verdict::Unreviewed);
        QVERIFY(h->at(0).updatedAt <= h->at(1).updatedAt);
        QVERIFY(h->at(1).updatedAt <= h->at(2).updatedAt);
        QCOMPARE(reviews.history(f.runId, f.expected[3].imageId)->size(), 1);

        // Append-only: the file itself refuses an edit of the past.
        QVERIFY(sqlite3_exec(f.store->handle(), "UPDATE review_history SET verdict = 1", nullptr,
                             nullptr, nullptr)
                != SQLITE_OK);
    }

    void summaryCountsVerdictsPerClass()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewStore reviews(*f.store);
        // Verdicts on the first four predicted images, plus one on a training
        // image that the summary must ignore (a training prediction is not reviewed).
        const Verdict given[] = {Verdict::Plausible, Verdict::Spurious, Verdict::Plausible,
                                 Verdict::Shortcut};
        for (int i = 0; i < 4; ++i)
            QVERIFY(reviews.setReview(makeReview(f.runId, f.expected[i].imageId, given[i])).ok());
        QVERIFY(reviews.setReview(makeReview(f.runId, f.trainIds[0], Verdict::Unsure)).ok());

        auto s = reviews.summary(f.runId);
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
        QCOMPARE(s->runId, f.runId);
        QCOMPARE(s->perClass.size(), f.classNames.size());
        QCOMPARE(s->total.images, f.expected.size());
        QCOMPARE(s->total.counts.value(Verdict::Plausible), 2);
        QCOMPARE(s->total.counts.value(Verdict::Unsure), 0);
        QCOMPARE(s->total.counts.value(Verdict::Unreviewed), f.expected.size() - 4);
        for (int c = 0; c < f.classNames.size(); ++c) {
            int images = 0;
            QHash<Verdict, int> want;
            for (int i = 0; i < f.expected.size(); ++i) {
                if (f.expected[i].truth != c)
                    continue;
                ++images;
                ++want[i < 4 ? given[i] : Verdict::Unreviewed];
            }
            const VerdictCounts &got = s->perClass[c];
            QCOMPARE(got.classIndex, c);
            QCOMPARE(got.className, f.classNames[c]);
            QCOMPARE(got.images, images);
            for (auto it = want.cbegin(); it != want.cend(); ++it)
                QCOMPARE(got.counts.value(it.key()), it.value());
        }
    }

    void unknownIdsAreNotFound_data()
    {
        QTest::addColumn<int>("what");
        QTest::addRow("setReview, unknown run") << 0;
        QTest::addRow("setReview, unknown image") << 1;
        QTest::addRow("review, unknown run") << 2;
        QTest::addRow("history, unknown image") << 3;
        QTest::addRow("summary, unknown run") << 4;
        QTest::addRow("saveExplanations, unknown image") << 5;
        QTest::addRow("explanations, unknown run") << 6;
    }

    void unknownIdsAreNotFound()
    {
        QFETCH(int, what);
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewStore reviews(*f.store);
        const qint64 image = f.expected[0].imageId;
        const qint64 badRun = f.runId + 100, badImage = 99999;
        Error e;
        switch (what) {
        case 0:
            e = reviews.setReview(makeReview(badRun, image, Verdict::Plausible)).error();
            break;
        case 1:
            e = reviews.setReview(makeReview(f.runId, badImage, Verdict::Plausible)).error();
            break;
        case 2:
            e = reviews.review(badRun, image).error();
            break;
        case 3:
            e = reviews.history(f.runId, badImage).error();
            break;
        case 4:
            e = reviews.summary(badRun).error();
            break;
        case 5: {
            auto x = f.explanation(f.expected[0], 0.2);
            x.imageId = badImage;
            e = reviews.saveExplanations({f.explanation(f.expected[1], 0.1), x}).error();
            break;
        }
        case 6:
            e = reviews.explanations(badRun).error();
            break;
        }
        QCOMPARE(e.code, Error::Code::NotFound);
        QVERIFY2(e.toString().contains(QStringLiteral("tiny.salient")), qPrintable(e.toString()));
        // Nothing half written.
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM reviews"), 0);
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM review_history"), 0);
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM explanations"), 0);
    }

    void explanationsSaveReplaceAndLookUp()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewStore reviews(*f.store);
        const auto &e0 = f.expected[0];
        Explanation a = f.explanation(e0, 0.25);
        a.crop = QRect(3, 0, 26, 26);
        a.imageSize = QSize(32, 26);
        Explanation pp = f.explanation(e0, 0.5, CamMethod::GradCamPlusPlus);
        Explanation other = f.explanation(e0, 0.75);
        other.target = (e0.predicted + 1) % 3;
        QVERIFY(reviews.saveExplanations({a, pp, other, f.explanation(f.expected[1], -1)}).ok());
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM explanations"), 4);

        auto got =
            reviews.explanation(f.runId, e0.imageId, CamMethod::GradCam, QStringLiteral("stage3"));
        QVERIFY(got.ok() && got->has_value());
        const Explanation &x = **got;
        QCOMPARE(x.target, e0.predicted); // -1: the predicted class's
        QCOMPARE(x.layer, QStringLiteral("stage3"));
        QCOMPARE(x.imageSize, QSize(32, 26));
        QCOMPARE(x.crop, QRect(3, 0, 26, 26));
        QCOMPARE(x.deletionScore, 0.25);
        QCOMPARE(x.deletionCurve, (QVector<double>{1.0, 0.5, 0.25}));
        QCOMPARE(x.probabilities, a.probabilities);
        QCOMPARE(x.confidence, a.confidence);
        QCOMPARE(cv::norm(x.map, a.map, cv::NORM_INF), 0.0);

        auto byTarget = reviews.explanation(f.runId, e0.imageId, CamMethod::GradCam,
                                            QStringLiteral("stage3"), other.target);
        QVERIFY(byTarget.ok() && byTarget->has_value());
        QCOMPARE((*byTarget)->deletionScore, 0.75);
        auto anyLayer = reviews.explanation(f.runId, e0.imageId, CamMethod::GradCamPlusPlus, {});
        QVERIFY(anyLayer.ok() && anyLayer->has_value());
        QCOMPARE((*anyLayer)->method, CamMethod::GradCamPlusPlus);
        auto missing =
            reviews.explanation(f.runId, e0.imageId, CamMethod::LayerCam, QStringLiteral("stage3"));
        QVERIFY(missing.ok());
        QVERIFY(!missing->has_value());

        // Same key again: replaced, not added.
        Explanation replaced = a;
        replaced.deletionScore = 0.125;
        replaced.map.at<float>(0, 0) = 0.75f;
        QVERIFY(reviews.saveExplanations({replaced}).ok());
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM explanations"), 4);
        got =
            reviews.explanation(f.runId, e0.imageId, CamMethod::GradCam, QStringLiteral("stage3"));
        QCOMPARE((*got)->deletionScore, 0.125);
        QCOMPARE((*got)->map.at<float>(0, 0), 0.75f);

        auto all = reviews.explanations(f.runId);
        QVERIFY(all.ok());
        QCOMPARE(all->size(), 4);
        auto scores = reviews.deletionScores(f.runId);
        QVERIFY(scores.ok());
        QCOMPARE(scores->size(), 2);
        QCOMPARE(scores->value(e0.imageId), 0.125); // Grad-CAM on the predicted class wins
        QCOMPARE(scores->value(f.expected[1].imageId), -1.0);

        // Clearing the maps keeps the reviews.
        QVERIFY(reviews.setReview(makeReview(f.runId, e0.imageId, Verdict::Spurious)).ok());
        QVERIFY(reviews.clearExplanations(f.runId).ok());
        QCOMPARE(reviews.explanations(f.runId)->size(), 0);
        QCOMPARE(reviews.reviews(f.runId)->size(), 1);
    }

    void invalidExplanationIsRefused()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewStore reviews(*f.store);
        Explanation noLayer = f.explanation(f.expected[0], 0.1);
        noLayer.layer.clear();
        QCOMPARE(reviews.saveExplanations({noLayer}).error().code, Error::Code::Invalid);
        Explanation noTarget = f.explanation(f.expected[0], 0.1);
        noTarget.target = -1;
        QCOMPARE(reviews.saveExplanations({noTarget}).error().code, Error::Code::Invalid);
    }

    void deletingRunOrImageTakesItsReviews()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewStore reviews(*f.store);
        const qint64 a = f.expected[0].imageId, b = f.expected[1].imageId;
        QVERIFY(reviews.setReview(makeReview(f.runId, a, Verdict::Plausible)).ok());
        QVERIFY(reviews.setReview(makeReview(f.runId, b, Verdict::Spurious)).ok());
        QVERIFY(reviews
                    .saveExplanations(
                        {f.explanation(f.expected[0], 0.1), f.explanation(f.expected[1], 0.2)})
                    .ok());
        QVERIFY(f.store->removeImages({a}).ok());
        QCOMPARE(reviews.reviews(f.runId)->size(), 1);
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM review_history"), 1);
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM explanations"), 1);

        QVERIFY(train::RunStore(*f.store).removeRun(f.runId).ok());
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM reviews"), 0);
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM review_history"), 0);
        QCOMPARE(count(*f.store, "SELECT COUNT(*) FROM explanations"), 0);
    }
};

QTEST_GUILESS_MAIN(ReviewStoreTest)
#include "review_store.moc"
