// SPDX-License-Identifier: GPL-3.0-or-later
// Class balance: counts per class and split, the imbalance ratio, rare
// classes, and class weights by both formulas, checked against hand values.

#include "core/project/balance.h"
#include "core/project/store.h"
#include "tests/core/models_fixture.h"
#include "tests/support/tempproject.h"

#include <QTest>

#include <cmath>

using namespace salient;

class TestBalance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void inverseFrequencyByHand();
    void effectiveNumberByHand();
    void emptyClassGetsNoWeight();
    void countsPerClassAndSplit();
};

void TestBalance::inverseFrequencyByHand()
{
    // 100 + 25 + 5 = 130 images, 3 classes: 130 / (3 * n_c).
    const ClassWeights w = classWeights({100, 25, 5});
    QCOMPARE(w.inverseFrequency.size(), 3);
    QVERIFY(std::abs(w.inverseFrequency[0] - 130.0 / 300.0) < 1e-12);
    QVERIFY(std::abs(w.inverseFrequency[1] - 130.0 / 75.0) < 1e-12);
    QVERIFY(std::abs(w.inverseFrequency[2] - 130.0 / 15.0) < 1e-12);
}

void TestBalance::effectiveNumberByHand()
{
    // beta 0.9: E_n = (1 - 0.9^n) / 0.1. n = 1 -> 1; n = 2 -> 1.9; n = 10 -> 6.5132155990.
    const ClassWeights w = classWeights({1, 2, 10}, 0.9);
    const double e[3] = {1.0, 1.9, (1 - std::pow(0.9, 10)) / 0.1};
    double sum = 0;
    for (double x : e)
        sum += 1 / x;
    for (int i = 0; i < 3; ++i)
        QVERIFY2(std::abs(w.effectiveNumber[i] - (1 / e[i]) * 3 / sum) < 1e-12,
                 qPrintable(QString::number(w.effectiveNumber[i])));
    // Rarer classes weigh more, and the weights average to 1.
    QVERIFY(w.effectiveNumber[0] > w.effectiveNumber[1] && w.effectiveNumber[1] > w.effectiveNumber[2]);
    QVERIFY(std::abs(w.effectiveNumber[0] + w.effectiveNumber[1] + w.effectiveNumber[2] - 3) < 1e-12);
}

void TestBalance::emptyClassGetsNoWeight()
{
    const ClassWeights w = classWeights({10, 0, 10});
    QCOMPARE(w.inverseFrequency[1], 0.0);
    QCOMPARE(w.effectiveNumber[1], 0.0);
    QVERIFY(std::abs(w.inverseFrequency[0] - 1.0) < 1e-12); // balanced among present classes
}

void TestBalance::countsPerClassAndSplit()
{
    test::TempProject project;
    ProjectStore &store = project.store();
    QVector<NewImage> imgs;
    for (int i = 0; i < 40; ++i)
        imgs << test::fakeImage(project.dir() + QStringLiteral("/c%1.jpg").arg(i), {"cat"});
    for (int i = 0; i < 3; ++i)
        imgs << test::fakeImage(project.dir() + QStringLiteral("/d%1.jpg").arg(i), {"dog"});
    imgs << test::fakeImage(project.dir() + "/broken.jpg", {"dog"}, false); // unreadable: not counted
    const QVector<qint64> ids = store.addImages(imgs).value();
    const qint64 train = store.ensureSplit("train").value();
    QVERIFY(store.assignSplit(ids.mid(0, 30) + ids.mid(40, 2), train).ok());
    const qint64 dog = store.classIdByName("dog").value();
    Shape box;
    box.imageId = ids.at(41);
    box.classId = dog;
    box.geometry = Box{QRectF(1, 1, 10, 10)};
    QVERIFY(store.addShapes({box, box, box}).ok());

    auto r = computeBalance(store, 0.1);
    QVERIFY(r.ok());
    QCOMPARE(r->classes.size(), 2);
    const ClassBalance &cat = r->classes[0], &dogB = r->classes[1];
    QCOMPARE(cat.cls.name, QStringLiteral("cat"));
    QCOMPARE(cat.totalImages, 40);
    QCOMPARE(cat.images.value(train), 30);
    QCOMPARE(cat.images.value(0), 10);
    QCOMPARE(dogB.totalImages, 3);
    QCOMPARE(dogB.images.value(train), 2);
    QCOMPARE(dogB.instances.value(train), 3);
    QVERIFY(std::abs(r->imbalanceRatio - 40.0 / 3.0) < 1e-12);
    QCOMPARE(r->rareClassIds, QVector<qint64>{dog}); // 3 < 0.1 * 40
    QCOMPARE(r->weightsFrom, QStringLiteral("train"));
    QVERIFY(std::abs(r->weights.inverseFrequency[1] - 32.0 / (2 * 2)) < 1e-12);
}

QTEST_GUILESS_MAIN(TestBalance)
#include "balancetest.moc"
