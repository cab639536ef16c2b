// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The two painted parts of HeatmapView (internal to widgets/).

#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QVector>
#include <QWidget>

#include <algorithm>

namespace salient {

/// The picture: an image scaled to fit (aspect kept), with a status line.
class HeatmapCanvas : public QWidget {
public:
    explicit HeatmapCanvas(QWidget *parent) : QWidget(parent)
    {
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setMinimumSize(240, 160);
    }
    void setImage(const QImage &image)
    {
        m_image = image;
        update();
    }
    void setStatus(const QString &text)
    {
        m_status = text;
        update();
    }
    QSize sizeHint() const override { return {560, 320}; }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.fillRect(rect(), palette().color(QPalette::Base).darker(110));
        if (!m_image.isNull()) {
            const QSize fit = m_image.size().scaled(size(), Qt::KeepAspectRatio);
            const QRect target(QPoint((width() - fit.width()) / 2, (height() - fit.height()) / 2),
                               fit);
            p.setRenderHint(QPainter::SmoothPixmapTransform);
            p.drawImage(target, m_image);
        }
        if (m_status.isEmpty())
            return;
        // Over the picture when there is one, so an old overlay stays in view
        // while the next one is computed.
        QFont f = font();
        p.setFont(f);
        const QRect text = p.fontMetrics().boundingRect(rect().adjusted(16, 0, -16, 0),
                                                        Qt::TextWordWrap, m_status);
        QRect box = text.adjusted(-10, -6, 10, 6);
        box.moveCenter(m_image.isNull() ? rect().center()
                                        : QPoint(width() / 2, height() - box.height() / 2 - 8));
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 170));
        p.drawRoundedRect(box, 6, 6);
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter | Qt::TextWordWrap, m_status);
    }

private:
    QImage m_image;
    QString m_status;
};

/// The deletion curve: the target's probability as the hottest pixels go.
class DeletionCurve : public QWidget {
public:
    explicit DeletionCurve(QWidget *parent) : QWidget(parent) { setFixedSize(96, 34); }
    void setCurve(const QVector<double> &curve)
    {
        m_curve = curve;
        setVisible(curve.size() >= 2);
        update();
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF r = QRectF(rect()).adjusted(1, 1, -1, -1);
        p.setPen(palette().color(QPalette::Mid));
        p.drawRect(r);
        if (m_curve.size() < 2)
            return;
        QPainterPath line;
        for (int i = 0; i < m_curve.size(); ++i) {
            const double x = r.left() + r.width() * i / (m_curve.size() - 1);
            const double y = r.bottom() - r.height() * std::clamp(m_curve[i], 0.0, 1.0);
            i == 0 ? line.moveTo(x, y) : line.lineTo(x, y);
        }
        QPainterPath area = line;
        area.lineTo(r.bottomRight());
        area.lineTo(r.bottomLeft());
        area.closeSubpath();
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(60);
        p.fillPath(area, fill);
        p.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
        p.drawPath(line);
    }

private:
    QVector<double> m_curve;
};

} // namespace salient
