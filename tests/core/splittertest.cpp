// SPDX-License-Identifier: GPL-3.0-or-later
// Splits: every class lands in every split within one image of its share, no
// group (patient) is ever divided, a locked test split never moves, and a seed
// gives the same split again.

#include "core/project/splitter.h"
#include "core/project/store.h"
#include "tests/core/models_fixture.h"
#include "tests/support/tempproject.h"

#include <QSet>
#include <QTest>

#include <cmath>
#include <memory>

using namespace salient;

namespace {

const QVector<QPair<QString, double>> kFractions{
    {QStringLiteral("train"), 0.7}, {QStringLiteral("val"), 0.15}, {QStringLiteral("test"), 0.15}};

/// split name -> class name -> images
QHash<QString, QHash<QString, int>> countsBySplit(ProjectStore &store)
{
    QHash<QString, QHash<QString, int>> out;
    auto ids = store.imageIds();
    auto recs = store.images(ids.value());
    auto labels = store.labels(ids.value());
    QHash<qint64, QString> splitName, className;
    const auto splits = store.splits();
    const auto classes = store.classes();
    for (const SplitRecord &s : splits.value())
        splitName.insert(s.id, s.name);
    for (const ClassRecord &c : classes.value())
        className.insert(c.id, c.name);
    for (const ImageRecord &r : recs.value())
        for (qint64 c : labels->value(r.id))
            ++out[splitName.value(r.splitId)][className.value(c)];
    return out;
}

} // namespace

class TestSplitter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void singleLabelWithinOneImagePerClass_data();
    void singleLabelWithinOneImagePerClass();
    void multiLabelKeepsRareLabelsInEverySplit();
    void groupsNeverLeak();
    void lockedTestSplitNeverMoves();
    void sameSeedSameSplit();
    void badFractionsAreRefused_data();
    void badFractionsAreRefused();

private:
    void addImages(const QVector<QPair<QStringList, int>> &labelsAndCounts);
    std::unique_ptr<test::TempProject> m_project;
    ProjectStore *m_store = nullptr;
    int m_next = 0;
};

void TestSplitter::init()
{
    m_project = std::make_unique<test::TempProject>();
    m_store = &m_project->store();
    m_next = 0;
}

void TestSplitter::cleanup()
{
    m_store = nullptr;
    m_project.reset();
}

void TestSplitter::addImages(const QVector<QPair<QStringList, int>> &labelsAndCounts)
{
    QVector<NewImage> imgs;
    for (const auto &lc : labelsAndCounts)
        for (int i = 0; i < lc.second; ++i)
            imgs.push_back(test::fakeImage(
                m_project->dir() + QStringLiteral("/img%1.jpg").arg(m_next++, 6, 10, QLatin1Char('0')),
                lc.first));
    QVERIFY(m_store->addImages(imgs).ok());
}

void TestSplitter::singleLabelWithinOneImagePerClass_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::newRow("seed 0") << quint64(0);
    QTest::newRow("seed 7") << quint64(7);
    QTest::newRow("seed 12345") << quint64(12345);
}

void TestSplitter::singleLabelWithinOneImagePerClass()
{
    QFETCH(quint64, seed);
    // Imbalanced as real data is: 500, 120, 37, 9 and 3 images.
    const QVector<QPair<QString, int>> classes{{"common", 500}, {"usual", 120}, {"uncommon", 37},
                                               {"rare", 9}, {"very rare", 3}};
    for (const auto &c : classes)
        addImages({{{c.first}, c.second}});
    auto out = applySplits(*m_store, SplitRequest{kFractions, {}, seed});
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().toString()));
    const auto counts = countsBySplit(*m_store);
    for (const auto &c : classes)
        for (const auto &f : kFractions) {
            const double ideal = f.second * c.second;
            const int got = counts.value(f.first).value(c.first);
            QVERIFY2(std::abs(got - ideal) <= 1.0,
                     qPrintable(QStringLiteral("%1 in %2: %3 images, ideal %4")
                                    .arg(c.first, f.first).arg(got).arg(ideal)));
        }
    int total = 0;
    for (const auto &n : out->images)
        total += n.second;
    QCOMPARE(total, 669); // every image placed
}

void TestSplitter::multiLabelKeepsRareLabelsInEverySplit()
{
    // Multi-label: "rare" appears only alongside common labels, 20 times.
    addImages({{{"a"}, 300}, {{"b"}, 200}, {{"a", "b"}, 100}, {{"a", "rare"}, 10}, {{"b", "rare"}, 10}});
    auto out = applySplits(*m_store, SplitRequest{kFractions, {}, 3});
    QVERIFY(out.ok());
    const auto counts = countsBySplit(*m_store);
    for (const auto &f : kFractions) {
        const double ideal = f.second * 20;
        const int got = counts.value(f.first).value("rare");
        QVERIFY2(std::abs(got - ideal) <= 1.5,
                 qPrintable(QStringLiteral("rare in %1: %2, ideal %3").arg(f.first).arg(got).arg(ideal)));
        const double idealA = f.second * 410;
        QVERIFY(std::abs(counts.value(f.first).value("a") - idealA) <= 0.03 * 410);
    }
}

void TestSplitter::groupsNeverLeak()
{
    // 60 patients with 1 to 9 images each; a patient's images must share a split.
    QVector<NewImage> imgs;
    for (int p = 0; p < 60; ++p)
        for (int i = 0; i < 1 + p % 9; ++i) {
            NewImage img = test::fakeImage(m_project->dir() + QStringLiteral("/p%1_%2.jpg").arg(p).arg(i),
                                           {p % 4 == 0 ? QStringLiteral("sick") : QStringLiteral("well")});
            img.meta.insert(QStringLiteral("patient"), QStringLiteral("P%1").arg(p));
            imgs.push_back(img);
        }
    QVERIFY(m_store->addImages(imgs).ok());
    auto out = applySplits(*m_store, SplitRequest{kFractions, QStringLiteral("patient"), 11});
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().toString()));
    QCOMPARE(out->groups, 60 - 7); // patients with one image are no group of two
    QCOMPARE(out->withoutGroup, 0);
    auto patients = m_store->metaValues(QStringLiteral("patient"));
    QHash<QString, QSet<qint64>> splitsOfPatient;
    const auto records = m_store->images(m_store->imageIds().value());
    for (const ImageRecord &r : records.value()) {
        QVERIFY(r.splitId != 0);
        splitsOfPatient[patients->value(r.id)].insert(r.splitId);
    }
    QCOMPARE(splitsOfPatient.size(), 60);
    for (auto it = splitsOfPatient.constBegin(); it != splitsOfPatient.constEnd(); ++it)
        QVERIFY2(it.value().size() == 1, qPrintable(it.key() + " is in more than one split"));
    for (const auto &n : out->images)
        QVERIFY2(n.second > 0, qPrintable(n.first + " is empty"));
}

void TestSplitter::lockedTestSplitNeverMoves()
{
    addImages({{{"cat"}, 100}, {{"dog"}, 100}});
    QVERIFY(applySplits(*m_store, SplitRequest{kFractions, {}, 1}).ok());
    const qint64 test = m_store->ensureSplit("test").value();
    QVERIFY(m_store->setSplitLocked(test, true).ok());
    ImageFilter inTest;
    inTest.splitId = test;
    const QVector<qint64> before = m_store->imageIds(inTest).value();
    QVERIFY(before.size() == 30);

    addImages({{{"cat"}, 20}}); // new images arrive; reshuffle with another seed
    auto out = applySplits(*m_store, SplitRequest{kFractions, {}, 99});
    QVERIFY2(out.ok(), qPrintable(out.ok() ? QString() : out.error().toString()));
    QCOMPARE(out->lockedKept, QStringList{"test"});
    QCOMPARE(m_store->imageIds(inTest).value(), before);
    ImageFilter none;
    none.splitId = 0;
    QCOMPARE(m_store->countImages(none).value(), 0); // the 20 new ones went to train and val
}

void TestSplitter::sameSeedSameSplit()
{
    addImages({{{"x"}, 50}, {{"y"}, 30}, {{"x", "y"}, 10}});
    QVERIFY(applySplits(*m_store, SplitRequest{kFractions, {}, 5}).ok());
    QVector<qint64> first;
    const auto before = m_store->images(m_store->imageIds().value());
    for (const ImageRecord &r : before.value())
        first << r.splitId;
    QVERIFY(applySplits(*m_store, SplitRequest{kFractions, {}, 6}).ok());
    QVERIFY(applySplits(*m_store, SplitRequest{kFractions, {}, 5}).ok());
    QVector<qint64> again;
    const auto after = m_store->images(m_store->imageIds().value());
    for (const ImageRecord &r : after.value())
        again << r.splitId;
    QCOMPARE(again, first);
}

void TestSplitter::badFractionsAreRefused_data()
{
    QTest::addColumn<QVector<double>>("fractions");
    QTest::newRow("sum above 1") << QVector<double>{0.8, 0.2, 0.2};
    QTest::newRow("zero") << QVector<double>{1.0, 0.0, 0.0};
    QTest::newRow("negative") << QVector<double>{1.2, -0.1, -0.1};
}

void TestSplitter::badFractionsAreRefused()
{
    QFETCH(QVector<double>, fractions);
    addImages({{{"x"}, 10}});
    SplitRequest r;
    r.fractions = {{"train", fractions[0]}, {"val", fractions[1]}, {"test", fractions[2]}};
    auto out = applySplits(*m_store, r);
    QVERIFY(!out.ok());
    QVERIFY(m_store->splits()->isEmpty()); // nothing written
}

QTEST_GUILESS_MAIN(TestSplitter)
#include "splittertest.moc"
