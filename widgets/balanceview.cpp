// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/balanceview.h"

#include "core/project/store.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace salient {

namespace {

/// Split colours: train blue, validation orange, test green, others grey shades.
QColor splitColor(const QString &name, int index)
{
    if (name == QLatin1String("train"))
        return QColor(0x3b, 0x75, 0xaf);
    if (name == QLatin1String("val") || name == QLatin1String("validation"))
        return QColor(0xef, 0x8a, 0x3c);
    if (name == QLatin1String("test"))
        return QColor(0x51, 0x9e, 0x3e);
    return QColor::fromHsv((index * 67) % 360, 60, 150 + (index % 3) * 30);
}

} // namespace

BalanceView::BalanceView(QWidget *parent)
    : QWidget(parent),
      m_chart(new QChart),
      m_chartView(new QChartView(m_chart, this)),
      m_measureBox(new QComboBox(this)),
      m_summary(new QLabel(this)),
      m_weights(new QTableWidget(this)),
      m_debounce(new QTimer(this))
{
    m_chart->setAnimationOptions(QChart::NoAnimation); // live updates must not wobble
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(260);
    m_chart->setMargins(QMargins(4, 4, 4, 4));

    m_measureBox->addItem(tr("Images per class"));
    m_measureBox->addItem(tr("Instances (shapes) per class"));
    connect(m_measureBox, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        setMeasure(i == 1 ? Measure::Instances : Measure::Images);
    });

    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_weights->setColumnCount(4);
    m_weights->setHorizontalHeaderLabels(
        {tr("Class"), tr("Images"), tr("Inverse frequency"), tr("Effective number")});
    m_weights->verticalHeader()->hide();
    m_weights->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_weights->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_weights->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_weights->setMinimumWidth(320);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_measureBox);
    top->addStretch(1);
    // Chart and summary on the left, the weights beside them: the chart gets
    // the height it needs for readable class names.
    auto *left = new QVBoxLayout;
    left->addLayout(top);
    left->addWidget(m_chartView, 1);
    left->addWidget(m_summary);
    auto *right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("Class weights for the loss"), this));
    right->addWidget(m_weights, 1);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addLayout(right, 2);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250); // a burst of label keys recomputes once
    connect(m_debounce, &QTimer::timeout, this, &BalanceView::refresh);
}

void BalanceView::setStore(ProjectStore *store)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = store;
    if (m_store) {
        connect(m_store, &ProjectStore::labelsChanged, this, &BalanceView::scheduleRefresh);
        connect(m_store, &ProjectStore::shapesChanged, this, &BalanceView::scheduleRefresh);
        connect(m_store, &ProjectStore::splitsChanged, this, &BalanceView::scheduleRefresh);
        connect(m_store, &ProjectStore::classesChanged, this, &BalanceView::scheduleRefresh);
        connect(m_store, &ProjectStore::imagesAdded, this, &BalanceView::scheduleRefresh);
        connect(m_store, &ProjectStore::imagesRemoved, this, &BalanceView::scheduleRefresh);
        connect(m_store, &ProjectStore::destroyed, this, [this] { setStore(nullptr); });
    }
    refresh();
}

void BalanceView::scheduleRefresh()
{
    m_debounce->start();
}

void BalanceView::setMeasure(Measure measure)
{
    m_measure = measure;
    const int index = measure == Measure::Instances ? 1 : 0;
    if (m_measureBox->currentIndex() != index)
        m_measureBox->setCurrentIndex(index);
    rebuildChart();
}

void BalanceView::refresh()
{
    m_debounce->stop();
    m_report = BalanceReport();
    if (m_store) {
        auto r = computeBalance(*m_store);
        if (r.ok())
            m_report = std::move(r).value();
        else
            m_summary->setText(r.error().toString());
    }
    rebuildChart();
    rebuildTable();
}

void BalanceView::rebuildChart()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis *axis : m_chart->axes()) {
        m_chart->removeAxis(axis); // the chart gives the axis back: ours to delete
        delete axis;
    }
    m_barSplitIds.clear();
    if (m_report.classes.isEmpty()) {
        m_chart->setTitle(m_store ? tr("No classes yet") : QString());
        m_summary->setText(m_store ? tr("Add classes and label images to see their balance.")
                                   : QString());
        return;
    }
    const bool instances = m_measure == Measure::Instances;
    m_chart->setTitle(instances ? tr("Instances per class and split") : tr("Images per class and split"));

    // Bar sets: each split with images, then "no split" if any image lacks one.
    QVector<QPair<qint64, QString>> sets;
    for (const SplitRecord &s : m_report.splits)
        sets.push_back({s.id, s.name});
    sets.push_back({0, tr("no split")});
    auto *series = new QBarSeries;
    QStringList categories;
    QList<int> rare;
    for (int i = 0; i < m_report.classes.size(); ++i) {
        const ClassBalance &b = m_report.classes[i];
        categories << b.cls.name;
        if (m_report.rareClassIds.contains(b.cls.id))
            rare << i;
    }
    qreal top = 1;
    for (int k = 0; k < sets.size(); ++k) {
        qint64 sum = 0;
        for (const ClassBalance &b : m_report.classes)
            sum += (instances ? b.instances : b.images).value(sets[k].first);
        if (sum == 0)
            continue;
        auto *set = new QBarSet(sets[k].second);
        const QColor c = splitColor(sets[k].second, k);
        set->setColor(c);
        set->setBorderColor(c.darker(120));
        for (const ClassBalance &b : m_report.classes) {
            const qint64 v = (instances ? b.instances : b.images).value(sets[k].first);
            *set << qreal(v);
            top = std::max(top, qreal(v));
        }
        // Rare classes stand out in every split: drawn in the warning colour.
        set->setSelectedColor(QColor(0xd6, 0x27, 0x28));
        set->selectBars(rare);
        series->append(set);
        m_barSplitIds.push_back(sets[k].first);
    }
    connect(series, &QBarSeries::clicked, this, [this, series](int index, QBarSet *set) {
        const int k = int(series->barSets().indexOf(set));
        if (k < 0 || index < 0 || index >= m_report.classes.size())
            return;
        Q_EMIT filterRequested(m_report.classes[index].cls.id, m_barSplitIds.value(k));
    });
    m_chart->addSeries(series);
    auto *x = new QBarCategoryAxis;
    x->append(categories);
    // Names stay whole: turned when many, never cut to "T-s…".
    x->setLabelsAngle(categories.size() > 8 ? -60 : 0);
    QFont small = x->labelsFont();
    small.setPointSizeF(small.pointSizeF() * (categories.size() > 8 ? 0.85 : 1.0));
    x->setLabelsFont(small);
    auto *y = new QValueAxis;
    y->setRange(0, top * 1.08);
    y->setLabelFormat(QStringLiteral("%d"));
    y->applyNiceNumbers();
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);

    QStringList rareNames;
    for (const ClassBalance &b : m_report.classes)
        if (m_report.rareClassIds.contains(b.cls.id))
            rareNames << b.cls.name;
    QString text = tr("Imbalance ratio (largest / smallest class, by images): <b>%1</b>")
                       .arg(QString::number(m_report.imbalanceRatio, 'f', 1));
    if (!rareNames.isEmpty())
        text += QStringLiteral("<br>")
            + tr("<span style='color:#d62728'>Rare classes</span> (under %1% of the largest): %2")
                  .arg(int(m_report.rareFraction * 100))
                  .arg(rareNames.join(QStringLiteral(", ")).toHtmlEscaped());
    m_summary->setText(text);
}

void BalanceView::rebuildTable()
{
    m_weights->setRowCount(int(m_report.classes.size()));
    qint64 trainId = -1;
    for (const SplitRecord &s : m_report.splits)
        if (s.name == QLatin1String("train"))
            trainId = s.id;
    for (int i = 0; i < m_report.classes.size(); ++i) {
        const ClassBalance &b = m_report.classes[i];
        const qint64 used = trainId >= 0 ? b.images.value(trainId) : b.totalImages;
        auto cell = [&](int col, const QString &text, bool number) {
            auto *item = new QTableWidgetItem(text);
            if (number)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (m_report.rareClassIds.contains(b.cls.id))
                item->setForeground(QColor(0xd6, 0x27, 0x28));
            m_weights->setItem(i, col, item);
        };
        cell(0, b.cls.name, false);
        cell(1, QString::number(used), true);
        cell(2, QString::number(m_report.weights.inverseFrequency.value(i), 'f', 3), true);
        cell(3, QString::number(m_report.weights.effectiveNumber.value(i), 'f', 3), true);
    }
    m_weights->setHorizontalHeaderItem(
        1, new QTableWidgetItem(m_report.weightsFrom == QLatin1String("train") ? tr("Train images")
                                                                                : tr("Images")));
    m_weights->setToolTip(tr("Computed from the images in %1; training uses the method you "
                             "choose. Effective number of samples: Cui et al. 2019, beta %2.")
                              .arg(m_report.weightsFrom)
                              .arg(m_report.weights.beta));
}

} // namespace salient
