// SPDX-License-Identifier: GPL-3.0-or-later
// The review gallery's model, as the reviewer uses it: the run's validation
// and test images with truth, prediction and confidence; filters and sorts
// change what is listed; a verdict is stored and stays in place; a label fixed
// in the project shows after refresh(). Always under QAbstractItemModelTester.
#include "core/models/reviewlistmodel.h"
#include "tests/core/review_fixture.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <functional>

using namespace salient;
using namespace salient::review;

using Expected = test::ReviewFixture::Expected;
using Predicate = std::function<bool(const Expected &, int index)>;
Q_DECLARE_METATYPE(ReviewListModel::Filter)
Q_DECLARE_METATYPE(ReviewListModel::Sort)
Q_DECLARE_METATYPE(Predicate)

namespace {

// Verdicts the filter tests start from: the first three predicted images.
const Verdict kGiven[] = {Verdict::Plausible, Verdict::Shortcut, Verdict::Plausible};

QVector<qint64> idsOf(const ReviewListModel &m)
{
    QVector<qint64> out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << m.data(m.index(r), ReviewListModel::ImageIdRole).toLongLong();
    return out;
}

} // namespace

class ReviewModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsTheRunsPredictedImages()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewListModel model(*f.store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.setRun(f.runId).ok());
        QCOMPARE(model.runId(), f.runId);
        QCOMPARE(model.classNames(), f.classNames);
        QCOMPARE(model.rowCount(), f.expected.size()); // no training images
        QCOMPARE(model.totalCount(), f.expected.size());
        for (const Expected &e : f.expected) {
            const int row = model.rowOf(e.imageId);
            QVERIFY(row >= 0);
            QCOMPARE(model.imageIdAt(row), e.imageId);
            const QModelIndex i = model.index(row);
            QCOMPARE(i.data(ReviewListModel::TruthRole).toString(), f.classNames[e.truth]);
            QCOMPARE(i.data(ReviewListModel::PredictedRole).toString(), f.classNames[e.predicted]);
            QCOMPARE(i.data(ReviewListModel::PredictedIndexesRole).toList(),
                     QVariantList{e.predicted});
            QCOMPARE(i.data(ReviewListModel::ConfidenceRole).toDouble(), e.confidence);
            QCOMPARE(i.data(ReviewListModel::CorrectRole).toBool(), e.truth == e.predicted);
            QCOMPARE(i.data(ReviewListModel::RunRoleRole).toInt(), int(e.role));
            QVERIFY(i.data(ReviewListModel::PathRole).toString().endsWith(QStringLiteral(".png")));
            QCOMPARE(i.data(ReviewListModel::VerdictRole).toInt(), int(Verdict::Unreviewed));
            QVERIFY(!i.data(ReviewListModel::DeletionScoreRole).isValid());
            QCOMPARE(i.data(ReviewListModel::HasExplanationRole).toBool(), false);
            QCOMPARE(i.data(Qt::DisplayRole).toString(),
                     QStringLiteral("%1 -> %2 (%3%)")
                                        .arg(f.classNames[e.truth], f.classNames[e.predicted])
                                        .arg(qRound(e.confidence * 100)));
        }
        QCOMPARE(model.imageIdAt(-1), qint64(0));
        QCOMPARE(model.imageIdAt(model.rowCount()), qint64(0));
        QCOMPARE(model.rowOf(f.trainIds[0]), -1);
        QVERIFY(model.roleNames().value(ReviewListModel::ConfidenceRole) == "confidence");

        QVERIFY(model.setRun(0).ok());
        QCOMPARE(model.rowCount(), 0);
        auto bad = model.setRun(f.runId + 50);
        QCOMPARE(bad.error().code, Error::Code::NotFound);
        QCOMPARE(model.rowCount(), 0);
    }

    void filters_data()
    {
        QTest::addColumn<ReviewListModel::Filter>("filter");
        QTest::addColumn<Predicate>("expected");
        using F = ReviewListModel::Filter;
        auto verdictOf = [](int index) { return index < 3 ? kGiven[index] : Verdict::Unreviewed; };
        QTest::addRow("no filter") << F{} << Predicate([](const Expected &, int) { return true; });
        F mis;
        mis.misclassifiedOnly = true;
        QTest::addRow("misclassified only")
            << mis << Predicate([](const Expected &e, int) { return e.truth != e.predicted; });
        F low;
        low.maxConfidence = 0.6;
        QTest::addRow("confidence at most 0.6")
            << low << Predicate([](const Expected &e, int) { return e.confidence <= 0.6; });
        F cls;
        cls.classIndex = 1;
        QTest::addRow("class 1 in truth or prediction")
            << cls
            << Predicate([](const Expected &e, int) { return e.truth == 1 || e.predicted == 1; });
        F plausible;
        plausible.verdict = Verdict::Plausible;
        QTest::addRow("verdict plausible") << plausible << Predicate([=](const Expected &, int i) {
            return verdictOf(i) == Verdict::Plausible;
        });
        F unreviewed;
        unreviewed.verdict = Verdict::Unreviewed;
        QTest::addRow("not reviewed yet") << unreviewed << Predicate([=](const Expected &, int i) {
            return verdictOf(i) == Verdict::Unreviewed;
        });
        F test;
        test.role = train::RunRole::Test;
        QTest::addRow("test role")
            << test
            << Predicate([](const Expected &e, int) { return e.role == train::RunRole::Test; });
        F both;
        both.misclassifiedOnly = true;
        both.role = train::RunRole::Validation;
        QTest::addRow("misclassified in validation")
            << both << Predicate([](const Expected &e, int) {
                   return e.truth != e.predicted && e.role == train::RunRole::Validation;
               });
    }

    void filters()
    {
        QFETCH(ReviewListModel::Filter, filter);
        QFETCH(Predicate, expected);
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewStore reviews(*f.store);
        for (int i = 0; i < 3; ++i) {
            Review r;
            r.runId = f.runId;
            r.imageId = f.expected[i].imageId;
            r.verdict = kGiven[i];
            QVERIFY(reviews.setReview(r).ok());
        }
        ReviewListModel model(*f.store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setRun(f.runId).ok());
        model.setFilter(filter);
        QVector<qint64> want;
        for (int i = 0; i < f.expected.size(); ++i)
            if (expected(f.expected[i], i))
                want << f.expected[i].imageId;
        std::sort(want.begin(), want.end());
        QVERIFY(want.size() < f.expected.size() || !filter.verdict); // most rows filter something
        QCOMPARE(idsOf(model), want);
        QCOMPARE(model.totalCount(), f.expected.size());
        model.setFilter({});
        QCOMPARE(model.rowCount(), f.expected.size());
    }

    void sorts_data()
    {
        QTest::addColumn<ReviewListModel::Sort>("sort");
        QTest::addRow("by image id") << ReviewListModel::Sort::ImageId;
        QTest::addRow("least confident first") << ReviewListModel::Sort::ConfidenceAscending;
        QTest::addRow("most confident first") << ReviewListModel::Sort::ConfidenceDescending;
        QTest::addRow("highest deletion score first")
            << ReviewListModel::Sort::DeletionScoreDescending;
    }

    void sorts()
    {
        QFETCH(ReviewListModel::Sort, sort);
        test::ReviewFixture f;
        QVERIFY(f.make());
        // Deletion scores on four images, in an order unrelated to ids or confidence.
        const QVector<int> scored = {5, 1, 8, 3};
        const QVector<double> scores = {0.3, 0.9, 0.1, 0.6};
        QVector<Explanation> rows;
        for (int k = 0; k < scored.size(); ++k)
            rows << f.explanation(f.expected[scored[k]], scores[k]);
        QVERIFY(ReviewStore(*f.store).saveExplanations(rows).ok());

        ReviewListModel model(*f.store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setRun(f.runId).ok());
        model.setSort(sort);
        QCOMPARE(model.sort(), sort);
        QCOMPARE(model.rowCount(), f.expected.size());

        QVector<Expected> want = f.expected;
        QHash<qint64, double> scoreOf;
        for (int k = 0; k < scored.size(); ++k)
            scoreOf.insert(f.expected[scored[k]].imageId, scores[k]);
        std::stable_sort(want.begin(), want.end(), [&](const Expected &a, const Expected &b) {
            switch (sort) {
            case ReviewListModel::Sort::ConfidenceAscending:
                if (a.confidence != b.confidence)
                    return a.confidence < b.confidence;
                break;
            case ReviewListModel::Sort::ConfidenceDescending:
                if (a.confidence != b.confidence)
                    return a.confidence > b.confidence;
                break;
            case ReviewListModel::Sort::DeletionScoreDescending:
                if (scoreOf.value(a.imageId, -1) != scoreOf.value(b.imageId, -1))
                    return scoreOf.value(a.imageId, -1) > scoreOf.value(b.imageId, -1);
                break;
            case ReviewListModel::Sort::ImageId:
                break;
            }
            return a.imageId < b.imageId;
        });
        QVector<qint64> wantIds;
        for (const Expected &e : want)
            wantIds << e.imageId;
        QCOMPARE(idsOf(model), wantIds);
        if (sort == ReviewListModel::Sort::DeletionScoreDescending) {
            QCOMPARE(model.index(0).data(ReviewListModel::DeletionScoreRole).toDouble(), 0.9);
            QVERIFY(model.index(0).data(ReviewListModel::HasExplanationRole).toBool());
            QVERIFY(!model.index(model.rowCount() - 1)
                         .data(ReviewListModel::DeletionScoreRole)
                         .isValid());
        }
    }

    void setVerdictPersistsAndStaysInPlace()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewListModel model(*f.store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setRun(f.runId).ok());
        ReviewListModel::Filter open;
        open.verdict = Verdict::Unreviewed;
        model.setFilter(open);
        const int before = model.rowCount();
        const int row = 2;
        const qint64 image = model.imageIdAt(row);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(model.setVerdict(row, Verdict::Spurious,
                                 QStringLiteral("looks at the border"),
                                                QStringLiteral("Dr. Okafor")).ok());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), row);
        // Still listed (the selection must not jump) though the filter no longer matches.
        QCOMPARE(model.rowCount(), before);
        QCOMPARE(model.imageIdAt(row), image);
        const QModelIndex i = model.index(row);
        QCOMPARE(i.data(ReviewListModel::VerdictRole).toInt(), int(Verdict::Spurious));
        QCOMPARE(i.data(ReviewListModel::NoteRole).toString(),
                 QStringLiteral("looks at the border"));
        QCOMPARE(i.data(ReviewListModel::ReviewerRole).toString(), QStringLiteral("Dr. Okafor"));
        QVERIFY(i.data(ReviewListModel::ReviewedAtRole).toDateTime().isValid());
        const QString tip = i.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("looks at the border"))
                              && tip.contains(QStringLiteral("Dr. Okafor")), qPrintable(tip));

        auto stored = ReviewStore(*f.store).review(f.runId, image);
        QVERIFY(stored.ok() && stored->has_value());
        QCOMPARE((*stored)->verdict, Verdict::Spurious);
        QCOMPARE((*stored)->reviewer, QStringLiteral("Dr. Okafor"));

        QVERIFY(model.refresh().ok());
        QCOMPARE(model.rowCount(), before - 1);
        QCOMPARE(model.rowOf(image), -1);
        QVERIFY(!model.setVerdict(model.rowCount(), Verdict::Plausible, {}, {}).ok());

        // A second model on the same project sees it.
        ReviewListModel other(*f.store);
        QVERIFY(other.setRun(f.runId).ok());
        QCOMPARE(other.index(other.rowOf(image)).data(ReviewListModel::VerdictRole).toInt(),
                 int(Verdict::Spurious));
    }

    void fixedLabelShowsAfterRefresh()
    {
        test::ReviewFixture f;
        QVERIFY(f.make());
        ReviewListModel model(*f.store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setRun(f.runId).ok());
        const Expected wrong = f.expected[2]; // predicted as the next class
        QVERIFY(wrong.truth != wrong.predicted);
        const int row = model.rowOf(wrong.imageId);
        QCOMPARE(model.index(row).data(ReviewListModel::CorrectRole).toBool(), false);

        // The reviewer decides the label was wrong and fixes it in the project.
        QVERIFY(f.store->setLabels({LabelSet{wrong.imageId, {f.classIds[wrong.predicted]}}}).ok());
        QCOMPARE(model.index(row).data(ReviewListModel::TruthRole).toString(),
                 f.classNames[wrong.truth]); // not yet
        QVERIFY(model.refresh().ok());
        const QModelIndex i = model.index(model.rowOf(wrong.imageId));
        QCOMPARE(i.data(ReviewListModel::TruthRole).toString(), f.classNames[wrong.predicted]);
        QCOMPARE(i.data(ReviewListModel::TruthIndexesRole).toList(), QVariantList{wrong.predicted});
        QCOMPARE(i.data(ReviewListModel::CorrectRole).toBool(), true);

        // Unlabelled: empty truth, still listed.
        QVERIFY(f.store->setLabels({LabelSet{wrong.imageId, {}}}).ok());
        QVERIFY(model.refresh().ok());
        const QModelIndex j = model.index(model.rowOf(wrong.imageId));
        QCOMPARE(j.data(ReviewListModel::TruthRole).toString(), QString());
        QVERIFY(j.data(Qt::DisplayRole).toString().startsWith(QStringLiteral("unlabelled -> ")));
    }
};

QTEST_GUILESS_MAIN(ReviewModelTest)
#include "review_model.moc"
