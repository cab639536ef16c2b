// SPDX-License-Identifier: GPL-3.0-or-later
// Metrics against cases worked out by hand: the numbers the training panel
// charts and `salient-cli eval` prints must be the textbook ones.
#include "core/runs/metrics.h"

#include <QTest>

#include <cmath>

using namespace salient::train;

namespace {

bool near(double a, double b, double tol = 1e-6)
{
    return std::abs(a - b) <= tol;
}

#define QNEAR(a, b)                                                                                \
    QVERIFY2(near((a), (b)),                                                                       \
             qPrintable(QStringLiteral("%1 != %2").arg(double(a), 0, 'g', 12).arg(double(b), 0, 'g', 12)))

/// A 3-class softmax row whose arg-max is `winner` with probability `p`.
void addRow(std::vector<float> &probs, int winner, float p)
{
    for (int c = 0; c < 3; ++c)
        probs.push_back(c == winner ? p : (1.0f - p) / 2);
}

} // namespace

class RunsMetricsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void threeClassConfusionByHand()
    {
        // truth:     0 0 0 1 1 2 2 2   (and one row labelled 3: out of range, ignored)
        // predicted: 0 0 1 1 2 2 2 0
        const std::vector<int> labels{0, 0, 0, 1, 1, 2, 2, 2, 3};
        const int predicted[] = {0, 0, 1, 1, 2, 2, 2, 0, 1};
        std::vector<float> probs;
        for (int p : predicted)
            addRow(probs, p, 0.8f);
        const EvalMetrics m = singleLabelMetrics(probs, labels, 3);
        QCOMPARE(m.numClasses, 3);
        QCOMPARE(m.samples, qint64(8));
        QVERIFY(!m.multiLabel);
        const QVector<QVector<qint64>> confusion{{2, 1, 0}, {0, 1, 1}, {1, 0, 2}};
        QCOMPARE(m.confusion, confusion);
        QNEAR(m.accuracy, 5.0 / 8);
        // class 0: tp 2, predicted 3, support 3; class 1: 1, 2, 2; class 2: 2, 3, 3.
        QNEAR(m.perClass[0].precision, 2.0 / 3);
        QNEAR(m.perClass[0].recall, 2.0 / 3);
        QNEAR(m.perClass[1].precision, 0.5);
        QNEAR(m.perClass[1].recall, 0.5);
        QNEAR(m.perClass[1].f1, 0.5);
        QNEAR(m.perClass[2].f1, 2.0 / 3);
        QCOMPARE(m.perClass[0].support, qint64(3));
        QCOMPARE(m.perClass[1].support, qint64(2));
        QNEAR(m.macroF1, (2.0 / 3 + 0.5 + 2.0 / 3) / 3); // 11/18
        QCOMPARE(m.loss, -1.0);
        // All winners at 0.8: ECE = |0.8 - 5/8|.
        QNEAR(m.ece, 0.8 - 0.625);
    }

    void classesThatNeverOccurStayOutOfMacroF1()
    {
        // Class 2 is neither true nor predicted anywhere: macro-F1 averages classes 0 and 1.
        std::vector<float> probs;
        addRow(probs, 0, 0.9f);
        addRow(probs, 1, 0.9f);
        addRow(probs, 0, 0.9f); // truth 1: wrong
        const EvalMetrics m = singleLabelMetrics(probs, {0, 1, 1}, 3);
        // class 0: P 1/2 R 1 F1 2/3; class 1: P 1 R 1/2 F1 2/3.
        QNEAR(m.macroF1, 2.0 / 3);
        QCOMPARE(m.perClass[2].f1, 0.0);
        QCOMPARE(m.perClass[2].auc, -1.0); // no positives
        QNEAR(m.macroAuc, (m.perClass[0].auc + m.perClass[1].auc) / 2);
    }

    void emptyInputGivesZeroesNotNaN()
    {
        const EvalMetrics m = singleLabelMetrics({}, {}, 4);
        QCOMPARE(m.samples, qint64(0));
        QCOMPARE(m.accuracy, 0.0);
        QCOMPARE(m.macroF1, 0.0);
        QCOMPARE(m.macroAuc, -1.0);
        QCOMPARE(m.ece, 0.0);
        QCOMPARE(m.confusion.size(), 4);
        const EvalMetrics ml = multiLabelMetrics({}, {}, 2);
        QCOMPARE(ml.samples, qint64(0));
        QCOMPARE(ml.accuracy, 0.0);
    }

    void rocAucByHand_data()
    {
        QTest::addColumn<std::vector<float>>("scores");
        QTest::addColumn<std::vector<std::uint8_t>>("positive");
        QTest::addColumn<double>("auc");
        QTest::newRow("perfect") << std::vector<float>{0.1f, 0.2f, 0.8f, 0.9f}
                                 << std::vector<std::uint8_t>{0, 0, 1, 1} << 1.0;
        QTest::newRow("reversed") << std::vector<float>{0.9f, 0.8f, 0.2f, 0.1f}
                                  << std::vector<std::uint8_t>{0, 0, 1, 1} << 0.0;
        // Pairs (pos, neg): (0.4, 0.1) 1, (0.4, 0.4) 1/2, (0.8, 0.1) 1, (0.8, 0.4) 1 -> 3.5 / 4.
        QTest::newRow("one tie across classes") << std::vector<float>{0.1f, 0.4f, 0.4f, 0.8f}
                                                << std::vector<std::uint8_t>{0, 0, 1, 1} << 0.875;
        QTest::newRow("all tied") << std::vector<float>{0.5f, 0.5f, 0.5f}
                                  << std::vector<std::uint8_t>{1, 0, 1} << 0.5;
        // Pairs: (0.7, 0.3) 1, (0.7, 0.9) 0, (0.2, 0.3) 0, (0.2, 0.9) 0 -> 1/4.
        QTest::newRow("mixed") << std::vector<float>{0.7f, 0.3f, 0.2f, 0.9f}
                               << std::vector<std::uint8_t>{1, 0, 1, 0} << 0.25;
        QTest::newRow("no negatives")
            << std::vector<float>{0.1f, 0.9f} << std::vector<std::uint8_t>{1, 1} << -1.0;
        QTest::newRow("no positives")
            << std::vector<float>{0.1f, 0.9f} << std::vector<std::uint8_t>{0, 0} << -1.0;
        QTest::newRow("empty") << std::vector<float>{} << std::vector<std::uint8_t>{} << -1.0;
    }

    void rocAucByHand()
    {
        QFETCH(std::vector<float>, scores);
        QFETCH(std::vector<std::uint8_t>, positive);
        QFETCH(double, auc);
        QNEAR(rocAuc(scores, positive), auc);
    }

    void expectedCalibrationErrorByHand()
    {
        // Top-1 confidences 0.92 (right), 0.83 (wrong), 0.71 (right), 0.64 (right).
        const std::vector<float> probs{0.92f, 0.08f, 0.83f, 0.17f, 0.29f, 0.71f, 0.36f, 0.64f};
        const std::vector<int> labels{0, 1, 1, 1};
        // 15 bins: each confidence alone in its bin -> (0.08 + 0.83 + 0.29 + 0.36) / 4.
        QNEAR(singleLabelMetrics(probs, labels, 2).ece, 0.39);
        // 2 bins: all four in (0.5, 1] -> |3/4 - mean(0.92, 0.83, 0.71, 0.64)| = |0.75 - 0.775|.
        QNEAR(singleLabelMetrics(probs, labels, 2, 2).ece, 0.025);
        // A perfectly calibrated bin costs nothing.
        const std::vector<float> calibrated{0.75f, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f, 0.25f};
        QNEAR(singleLabelMetrics(calibrated, {0, 0, 0, 1}, 2).ece, 0.0);
    }

    void multiLabelByHand()
    {
        // rows: [0.9, 0.2] truth [1, 0]; [0.6, 0.7] truth [0, 1]; [0.1, 0.4] truth [0, 1]
        const std::vector<float> probs{0.9f, 0.2f, 0.6f, 0.7f, 0.1f, 0.4f};
        const std::vector<std::uint8_t> targets{1, 0, 0, 1, 0, 1};
        EvalMetrics m = multiLabelMetrics(probs, targets, 2, {}, 2);
        QVERIFY(m.multiLabel);
        QCOMPARE(m.samples, qint64(3));
        QVERIFY(m.confusion.isEmpty());
        // At 0.5 the sets are {0}, {0, 1}, {}: only the first is exactly right.
        QNEAR(m.accuracy, 1.0 / 3);
        QNEAR(m.perClass[0].precision, 0.5);
        QNEAR(m.perClass[0].recall, 1.0);
        QNEAR(m.perClass[1].precision, 1.0);
        QNEAR(m.perClass[1].recall, 0.5);
        QNEAR(m.macroF1, 2.0 / 3);
        QCOMPARE(m.perClass[1].support, qint64(2));
        QNEAR(m.perClass[0].auc, 1.0);
        QNEAR(m.perClass[1].auc, 1.0);
        QCOMPARE(m.perClass[0].threshold, 0.5);
        // Every probability against its 0/1 truth, 2 bins:
        // [0, 0.5]: 0.2, 0.1, 0.4 with one hit -> |1 - 0.7| / 6; (0.5, 1]: 0.9, 0.6, 0.7, two hits
        // -> |2 - 2.2| / 6.
        QNEAR(m.ece, 0.5 / 6);

        m = multiLabelMetrics(probs, targets, 2, {0.5, 0.3});
        QNEAR(m.accuracy, 2.0 / 3);
        QNEAR(m.perClass[1].f1, 1.0);
        QCOMPARE(m.perClass[1].threshold, 0.3);
    }

    void thresholdsMaximiseF1()
    {
        // Three classes over six examples (row-major N x C).
        // class 0: scores 0.9 0.8 0.6 0.45 0.3 0.2, truth 1 1 0 1 0 0: the top four give
        //          F1 = 6/7 (best), so the cut lies half way between 0.45 and 0.3.
        // class 1: no positives -> 0.5.
        // class 2: scores 0.6 0.6 0.1 0.1 0.1 0.1, truth 1 0 0 0 0 0: ties cannot be split;
        //          the top two (F1 2/3) beat all six (2/7): cut between 0.6 and 0.1.
        const float s0[] = {0.9f, 0.8f, 0.6f, 0.45f, 0.3f, 0.2f};
        const std::uint8_t t0[] = {1, 1, 0, 1, 0, 0};
        const float s2[] = {0.6f, 0.6f, 0.1f, 0.1f, 0.1f, 0.1f};
        const std::uint8_t t2[] = {1, 0, 0, 0, 0, 0};
        std::vector<float> probs;
        std::vector<std::uint8_t> targets;
        // Shuffle the row order so that sorting is exercised.
        for (int i : {3, 0, 5, 1, 4, 2}) {
            probs.insert(probs.end(), {s0[i], 0.7f, s2[i]});
            targets.insert(targets.end(), {t0[i], 0, t2[i]});
        }
        const QVector<double> t = tuneThresholds(probs, targets, 3);
        QCOMPARE(t.size(), 3);
        QNEAR(t[0], 0.375);
        QCOMPARE(t[1], 0.5);
        QNEAR(t[2], 0.35);
        const EvalMetrics tuned = multiLabelMetrics(probs, targets, 3, t);
        const EvalMetrics plain = multiLabelMetrics(probs, targets, 3);
        QNEAR(tuned.perClass[0].f1, 6.0 / 7);
        QNEAR(plain.perClass[0].f1, 2.0 / 3);
        QNEAR(tuned.perClass[2].f1, 2.0 / 3);

        // Every example positive: the best cut keeps them all.
        const std::vector<float> all{0.3f, 0.1f, 0.2f};
        const QVector<double> low = tuneThresholds(all, {1, 1, 1}, 1);
        QVERIFY(low[0] <= 0.1f);
        QNEAR(multiLabelMetrics(all, {1, 1, 1}, 1, low).perClass[0].f1, 1.0);
    }

    void jsonRoundTripKeepsClassOrder()
    {
        const std::vector<int> labels{0, 0, 1, 2, 2};
        std::vector<float> probs;
        for (int p : {0, 1, 1, 2, 0})
            addRow(probs, p, 0.7f);
        EvalMetrics m = singleLabelMetrics(probs, labels, 3);
        m.loss = 0.42;
        const QStringList names{QStringLiteral("zebra"), QStringLiteral("ant"),
                                                                        QStringLiteral("moth")};
        const QByteArray json = m.toJson(names);
        const EvalMetrics back = EvalMetrics::fromJson(json);
        QCOMPARE(back.numClasses, 3);
        QCOMPARE(back.samples, m.samples);
        QCOMPARE(back.loss, 0.42);
        QCOMPARE(back.accuracy, m.accuracy);
        QCOMPARE(back.macroF1, m.macroF1);
        QCOMPARE(back.macroAuc, m.macroAuc);
        QCOMPARE(back.ece, m.ece);
        QCOMPARE(back.confusion, m.confusion);
        for (int c = 0; c < 3; ++c) {
            QCOMPARE(back.perClass[c].precision, m.perClass[c].precision);
            QCOMPARE(back.perClass[c].recall, m.perClass[c].recall);
            QCOMPARE(back.perClass[c].support, m.perClass[c].support);
            QCOMPARE(back.perClass[c].auc, m.perClass[c].auc);
        }
        QVERIFY(json.contains("\"classes\":[\"zebra\",\"ant\",\"moth\"]"));
        QVERIFY(json.contains("\"zebra\":{"));
        // Without matching names classes are numbered.
        QVERIFY(m.toJson({}).contains("\"classes\":[\"0\",\"1\",\"2\"]"));
        // Best effort on junk: defaults, no crash.
        const EvalMetrics junk = EvalMetrics::fromJson("not json");
        QCOMPARE(junk.numClasses, 0);
        QCOMPARE(junk.loss, -1.0);
        QCOMPARE(junk.macroAuc, -1.0);
    }
};

QTEST_GUILESS_MAIN(RunsMetricsTest)
#include "runs_metrics.moc"
