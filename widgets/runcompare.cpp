// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/runcompare.h"

#include "core/project/store.h"
#include "core/runs/metrics.h"
#include "core/runs/runstore.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <deque>

namespace salient {

using namespace salient::train;

namespace {

QString jsonText(const QJsonValue &v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 8);
    return v.toString();
}

QString metricText(double v, bool percent = false)
{
    if (v < 0)
        return QStringLiteral("–");
    return percent ? QLocale().toString(100.0 * v, 'f', 1) + QLatin1Char('%')
                   : QLocale().toString(v, 'f', 3);
}

} // namespace

RunCompareDialog::RunCompareDialog(ProjectStore &store, const QVector<qint64> &runIds,
                                   QWidget *parent)
    : QDialog(parent), m_table(new QTableWidget(this)), m_chart(new QChart),
      m_onlyDiff(new QCheckBox(tr("Only rows that differ"), this))
{
    setWindowTitle(tr("Compare Runs"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setDefaultSectionSize(180);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_chart->setTitle(tr("Validation macro-F1 per epoch"));
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    auto *view = new QChartView(m_chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(view);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *lay = new QVBoxLayout(this);
    lay->addWidget(m_onlyDiff);
    lay->addWidget(split, 1);
    lay->addWidget(buttons);
    connect(m_onlyDiff, &QCheckBox::toggled, this, &RunCompareDialog::applyFilter);
    build(store, runIds);
    resize(900, 680);
}

void RunCompareDialog::build(ProjectStore &store, const QVector<qint64> &runIds)
{
    RunStore runs(store);
    QVector<RunRecord> records;
    for (qint64 id : runIds)
        if (auto r = runs.run(id))
            records << r.value();

    // Rows: key, label; values per run.
    QStringList keys;
    QStringList labels;
    std::deque<QStringList> values; // [row][run]; a deque keeps the references below valid
    auto row = [&](const QString &key, const QString &label) -> QStringList & {
        keys << key;
        labels << label;
        values.emplace_back();
        return values.back();
    };
    QStringList &name = row(QStringLiteral("name"), tr("Name"));
    QStringList &state = row(QStringLiteral("state"), tr("State"));
    QStringList &created = row(QStringLiteral("created"), tr("Created"));
    QStringList &epochs = row(QStringLiteral("epochs_done"), tr("Epochs done"));
    QStringList &classes = row(QStringLiteral("classes"), tr("Classes"));
    for (const RunRecord &r : records) {
        name << r.name;
        state << runStateName(r.state);
        created << QLocale().toString(r.createdAt.toLocalTime(), QLocale::ShortFormat);
        epochs << QString::number(r.epochsDone);
        classes << r.classNames.join(QStringLiteral(", "));
    }
    // Config keys in the order the first run lists them, then any others.
    QVector<QJsonObject> configs;
    QStringList configKeys;
    for (const RunRecord &r : records) {
        configs << QJsonDocument::fromJson(r.config).object();
        for (const QString &k : configs.last().keys())
            if (!configKeys.contains(k))
                configKeys << k;
    }
    for (const QString &k : configKeys) {
        QStringList &v = row(QStringLiteral("config.") + k, k);
        for (const QJsonObject &c : configs)
            v << (c.contains(k) ? jsonText(c.value(k)) : QStringLiteral("–"));
    }
    QStringList &bestEpoch = row(QStringLiteral("best_epoch"), tr("Best epoch"));
    QStringList &valAcc = row(QStringLiteral("val.accuracy"), tr("Validation accuracy (best)"));
    QStringList &valF1 = row(QStringLiteral("val.macro_f1"), tr("Validation macro-F1 (best)"));
    QStringList &valLoss = row(QStringLiteral("val.loss"), tr("Validation loss (best)"));
    QStringList &testAcc = row(QStringLiteral("test.accuracy"), tr("Test accuracy"));
    QStringList &testF1 = row(QStringLiteral("test.macro_f1"), tr("Test macro-F1"));
    QStringList &testAuc = row(QStringLiteral("test.macro_auc"), tr("Test macro AUC"));
    QStringList &testEce = row(QStringLiteral("test.ece"), tr("Test calibration error"));
    for (const RunRecord &r : records) {
        bestEpoch << (r.bestEpoch > 0 ? QString::number(r.bestEpoch) : QStringLiteral("–"));
        const bool hasVal = !r.bestMetrics.isEmpty();
        const EvalMetrics val = EvalMetrics::fromJson(r.bestMetrics);
        valAcc << (hasVal ? metricText(val.accuracy, true) : QStringLiteral("–"));
        valF1 << (hasVal ? metricText(val.macroF1) : QStringLiteral("–"));
        valLoss << (hasVal ? metricText(val.loss) : QStringLiteral("–"));
        const bool hasTest = !r.testMetrics.isEmpty();
        const EvalMetrics test = EvalMetrics::fromJson(r.testMetrics);
        testAcc << (hasTest ? metricText(test.accuracy, true) : QStringLiteral("–"));
        testF1 << (hasTest ? metricText(test.macroF1) : QStringLiteral("–"));
        testAuc << (hasTest ? metricText(test.macroAuc) : QStringLiteral("–"));
        testEce << (hasTest ? metricText(test.ece) : QStringLiteral("–"));
    }

    m_table->setRowCount(int(keys.size()));
    m_table->setColumnCount(int(records.size()));
    QStringList headers;
    for (const RunRecord &r : records)
        headers << tr("Run %1").arg(r.id);
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setVerticalHeaderLabels(labels);
    const QColor highlight(0xff, 0xf1, 0xb8);
    for (int i = 0; i < keys.size(); ++i) {
        const QStringList &v = values[size_t(i)];
        const bool differs = std::any_of(v.begin(), v.end(), [&](const QString &s) { return s != v.first(); });
        const bool identity = keys[i] == QLatin1String("name") || keys[i] == QLatin1String("created");
        if (differs && !identity)
            m_differing << keys[i];
        for (int c = 0; c < v.size(); ++c) {
            auto *item = new QTableWidgetItem(v[c]);
            item->setToolTip(v[c]);
            if (differs && !identity) {
                item->setBackground(highlight);
                item->setForeground(Qt::black);
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_table->setItem(i, c, item);
        }
        m_table->verticalHeaderItem(i)->setData(Qt::UserRole, keys[i]);
    }

    // The overlay: one line per run.
    auto *x = new QValueAxis;
    x->setTitleText(tr("Epoch"));
    x->setLabelFormat(QStringLiteral("%.0f"));
    auto *y = new QValueAxis;
    y->setRange(0, 1);
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    int maxEpoch = 1;
    for (const RunRecord &r : records) {
        auto *series = new QLineSeries;
        series->setName(tr("Run %1 (%2)").arg(r.id).arg(r.name));
        series->setPointsVisible(true);
        if (auto eps = runs.epochs(r.id))
            for (const EpochRecord &e : eps.value())
                if (e.valMacroF1 >= 0) {
                    series->append(e.epoch, e.valMacroF1);
                    maxEpoch = qMax(maxEpoch, e.epoch);
                }
        m_chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    x->setRange(0, maxEpoch);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(qMax(1, (maxEpoch + 9) / 10));
}

QStringList RunCompareDialog::differingKeys() const
{
    return m_differing;
}

void RunCompareDialog::applyFilter()
{
    for (int i = 0; i < m_table->rowCount(); ++i) {
        const QString key = m_table->verticalHeaderItem(i)->data(Qt::UserRole).toString();
        m_table->setRowHidden(i, m_onlyDiff->isChecked() && !m_differing.contains(key)
                                     && key != QLatin1String("name"));
    }
}

} // namespace salient
