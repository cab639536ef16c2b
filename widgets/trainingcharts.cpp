// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/trainingcharts.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace salient {

using namespace salient::train;

namespace {

/// A live series keeps at most this many points: beyond, every other one goes.
constexpr int kMaxPoints = 2000;

const QColor kTrainColor(0x3b, 0x75, 0xaf); // the balance view's train blue
const QColor kValColor(0xef, 0x8a, 0x3c);   // and its validation orange
const QColor kF1Color(0x51, 0x9e, 0x3e);

QLineSeries *makeSeries(const QString &name, const QColor &color, bool points, Qt::PenStyle style = Qt::SolidLine)
{
    auto *s = new QLineSeries;
    s->setName(name);
    QPen pen(color);
    pen.setWidthF(points ? 2.0 : 1.5);
    pen.setStyle(style);
    s->setPen(pen);
    s->setPointsVisible(points);
    return s;
}

QChart *makeChart(const QString &title)
{
    auto *c = new QChart;
    c->setTitle(title);
    c->setAnimationOptions(QChart::NoAnimation); // live updates must not wobble
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    return c;
}

void attach(QChart *chart, QLineSeries *series, QValueAxis *x, QValueAxis *y)
{
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

} // namespace

TrainingCharts::TrainingCharts(QWidget *parent)
    : QWidget(parent),
      m_lossChart(makeChart(tr("Loss"))),
      m_qualityChart(makeChart(tr("Accuracy and macro-F1"))),
      m_lossView(new QChartView(m_lossChart, this)),
      m_qualityView(new QChartView(m_qualityChart, this)),
      m_trainLoss(makeSeries(tr("Training (running)"), kTrainColor, false)),
      m_valLoss(makeSeries(tr("Validation"), kValColor, true)),
      m_trainAcc(makeSeries(tr("Training accuracy"), kTrainColor, false)),
      m_valAcc(makeSeries(tr("Validation accuracy"), kValColor, true)),
      m_valF1(makeSeries(tr("Validation macro-F1"), kF1Color, true)),
      m_lossX(new QValueAxis),
      m_lossY(new QValueAxis),
      m_qualityX(new QValueAxis),
      m_qualityY(new QValueAxis)
{
    for (QValueAxis *x : {m_lossX, m_qualityX}) {
        x->setTitleText(tr("Epoch"));
        x->setLabelFormat(QStringLiteral("%.0f"));
    }
    m_lossY->setLabelFormat(QStringLiteral("%.2f"));
    m_qualityY->setRange(0, 1);
    m_qualityY->setTickCount(6); // 0, 0.2, ... 1: labels that are what they say
    m_qualityY->setLabelFormat(QStringLiteral("%.1f"));
    m_lossChart->addAxis(m_lossX, Qt::AlignBottom);
    m_lossChart->addAxis(m_lossY, Qt::AlignLeft);
    m_qualityChart->addAxis(m_qualityX, Qt::AlignBottom);
    m_qualityChart->addAxis(m_qualityY, Qt::AlignLeft);
    attach(m_lossChart, m_trainLoss, m_lossX, m_lossY);
    attach(m_lossChart, m_valLoss, m_lossX, m_lossY);
    attach(m_qualityChart, m_trainAcc, m_qualityX, m_qualityY);
    attach(m_qualityChart, m_valAcc, m_qualityX, m_qualityY);
    attach(m_qualityChart, m_valF1, m_qualityX, m_qualityY);

    auto *lay = new QHBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    for (QChartView *v : {m_lossView, m_qualityView}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumSize(260, 200);
        lay->addWidget(v, 1);
    }
    clear();
}

void TrainingCharts::clear(int epochs)
{
    for (QLineSeries *s : {m_trainLoss, m_valLoss, m_trainAcc, m_valAcc, m_valF1})
        s->clear();
    m_epochs = epochs;
    m_maxX = qMax(1, epochs);
    m_maxLoss = 0;
    m_sinceLast.invalidate();
    rescale();
}

void TrainingCharts::addProgress(const TrainProgress &p)
{
    if (p.phase != TrainProgress::Phase::Training || p.batchesPerEpoch <= 0 || p.epoch <= 0)
        return;
    if (m_throttleMs > 0 && m_sinceLast.isValid() && m_sinceLast.elapsed() < m_throttleMs)
        return;
    m_sinceLast.start();
    if (p.epochs > 0)
        m_epochs = p.epochs;
    const double x = (p.epoch - 1) + double(p.batch) / double(p.batchesPerEpoch);
    if (p.loss >= 0)
        append(m_trainLoss, x, p.loss);
    if (p.accuracy >= 0)
        append(m_trainAcc, x, p.accuracy);
    rescale();
}

void TrainingCharts::addEpoch(const EpochRecord &r)
{
    const double x = r.epoch;
    if (r.trainLoss >= 0)
        append(m_trainLoss, x, r.trainLoss);
    if (r.trainAccuracy >= 0)
        append(m_trainAcc, x, r.trainAccuracy);
    if (r.valLoss >= 0)
        append(m_valLoss, x, r.valLoss);
    if (r.valAccuracy >= 0)
        append(m_valAcc, x, r.valAccuracy);
    if (r.valMacroF1 >= 0)
        append(m_valF1, x, r.valMacroF1);
    rescale();
}

void TrainingCharts::setHistory(const QVector<EpochRecord> &epochs, int plannedEpochs)
{
    clear(plannedEpochs);
    // The running curve is not stored; start each epoch's training line at its start.
    for (const EpochRecord &r : epochs)
        addEpoch(r);
}

void TrainingCharts::append(QLineSeries *series, double x, double y)
{
    if (!std::isfinite(y))
        return;
    // Points arrive in x order except when a resumed run redoes an epoch.
    const int n = series->count();
    if (n > 0 && series->at(n - 1).x() > x) {
        QList<QPointF> kept;
        for (const QPointF &pt : series->points())
            if (pt.x() < x)
                kept.append(pt);
        series->replace(kept);
    }
    series->append(x, y);
    if (series->count() > kMaxPoints) {
        QList<QPointF> thin;
        const QList<QPointF> all = series->points();
        for (int i = 0; i < all.size(); i += 2)
            thin.append(all[i]);
        if (thin.last() != all.last())
            thin.append(all.last());
        series->replace(thin);
    }
    m_maxX = qMax(m_maxX, x);
    if (series == m_trainLoss || series == m_valLoss)
        m_maxLoss = qMax(m_maxLoss, y);
}

void TrainingCharts::rescale()
{
    const double xMax = std::ceil(qMax<double>(m_maxX, qMax(1, m_epochs)));
    for (QValueAxis *x : {m_lossX, m_qualityX}) {
        x->setRange(0, xMax);
        // Whole epochs only, at most about ten labels.
        x->setTickType(QValueAxis::TicksDynamic);
        x->setTickAnchor(0);
        x->setTickInterval(std::ceil(xMax / 10.0));
    }
    m_lossY->setRange(0, m_maxLoss > 0 ? m_maxLoss * 1.05 : 1.0);
    m_lossY->applyNiceNumbers(); // ticks at 0.5, 1, 1.5 rather than 0.64, 1.28
}

int TrainingCharts::pointCount() const
{
    int n = 0;
    for (QLineSeries *s : {m_trainLoss, m_valLoss, m_trainAcc, m_valAcc, m_valF1})
        n += s->count();
    return n;
}

} // namespace salient

// Compiled here, not in the target's mocs_compilation.cpp: there an earlier moc may use
// salient::Error before trainingcontroller.h declares its metatype (a redefinition error).
#include "moc_trainingcharts.cpp"
