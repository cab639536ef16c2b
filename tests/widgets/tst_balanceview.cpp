// SPDX-License-Identifier: GPL-3.0-or-later
// The class balance chart: bars per class and split, rare classes marked,
// live update when labels change, and a click on a bar asks for that class
// in that split.

#include "core/project/store.h"
#include "tests/support/tempproject.h"
#include "widgets/balanceview.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace salient;

namespace {

NewImage image(const QString &path, const QString &label)
{
    NewImage img;
    img.absolutePath = path;
    img.hash = path.toUtf8().toHex().right(32);
    img.width = 64;
    img.height = 64;
    img.format = "png";
    img.labels = {label};
    return img;
}

QBarSeries *seriesOf(QChart *chart)
{
    return chart->series().isEmpty() ? nullptr : qobject_cast<QBarSeries *>(chart->series().first());
}

} // namespace

class TestBalanceView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void barsPerClassAndSplit();
};

void TestBalanceView::barsPerClassAndSplit()
{
    test::TempProject project;
    ProjectStore &store = project.store();
    QVector<NewImage> imgs;
    for (int i = 0; i < 50; ++i)
        imgs << image(project.dir() + QString("/a%1.png").arg(i), "apple");
    for (int i = 0; i < 4; ++i)
        imgs << image(project.dir() + QString("/p%1.png").arg(i), "pear");
    const QVector<qint64> ids = store.addImages(imgs).value();
    const qint64 train = store.ensureSplit("train").value();
    const qint64 test = store.ensureSplit("test").value();
    QVERIFY(store.assignSplit(ids.mid(0, 40) + ids.mid(50, 3), train).ok());
    QVERIFY(store.assignSplit(ids.mid(40, 10) + ids.mid(53, 1), test).ok());

    BalanceView view;
    view.resize(900, 700);
    view.show();
    view.setStore(&store);
    QBarSeries *series = seriesOf(view.chart());
    QVERIFY(series);
    QCOMPARE(series->count(), 2); // train and test; "no split" is empty
    QBarSet *trainSet = series->barSets().at(0);
    QCOMPARE(trainSet->label(), QString("train"));
    QCOMPARE(trainSet->at(0), 40.0);
    QCOMPARE(trainSet->at(1), 3.0);
    QCOMPARE(trainSet->selectedBars(), QList<int>{1}); // pear: 4 < 10% of 50
    QVERIFY(view.summaryLabel()->text().contains("12.5"));
    QCOMPARE(view.weightsTable()->rowCount(), 2);
    QCOMPARE(view.weightsTable()->item(1, 1)->text(), QString("3"));

    // Labels change: the chart follows (after its short debounce).
    const qint64 pear = store.classIdByName("pear").value();
    QVector<LabelSet> sets;
    for (int i = 0; i < 10; ++i)
        sets << LabelSet{ids.at(i), {pear}};
    QVERIFY(store.setLabels(sets).ok());
    QTRY_COMPARE_WITH_TIMEOUT(seriesOf(view.chart())->barSets().at(0)->at(1), 13.0, 3000);
    QVERIFY(view.report().rareClassIds.isEmpty());

    // A click on the test bar of "apple" asks for apple in test.
    series = seriesOf(view.chart());
    QSignalSpy asked(&view, &BalanceView::filterRequested);
    auto *chartView = view.findChild<QChartView *>();
    QVERIFY(chartView);
    QBarSet *testSet = series->barSets().at(1);
    const QPointF inChart = view.chart()->mapToPosition(QPointF(0 + 0.15, testSet->at(0) / 2), series);
    const QPoint inView = chartView->mapFromScene(view.chart()->mapToScene(inChart));
    QTest::mouseClick(chartView->viewport(), Qt::LeftButton, {}, inView);
    QTRY_COMPARE(asked.count(), 1);
    QCOMPARE(asked.at(0).at(0).toLongLong(), store.classIdByName("apple").value());
    QCOMPARE(asked.at(0).at(1).toLongLong(), test);
}

QTEST_MAIN(TestBalanceView)
#include "tst_balanceview.moc"
