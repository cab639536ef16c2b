// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/toolicons.h"

#include "widgets/icons.h"

#include <QApplication>
#include <QFile>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

namespace salient {

namespace {

/// Draws the tool glyphs on a 24x24 grid, in the palette's text colour.
class ToolIconEngine : public QIconEngine {
public:
    explicit ToolIconEngine(QString name) : m_name(std::move(name)) {}
    QIconEngine *clone() const override { return new ToolIconEngine(m_name); }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }
    void paint(QPainter *p, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const QColor c = qApp->palette().color(
            mode == QIcon::Disabled ? QPalette::Disabled : QPalette::Active, QPalette::WindowText);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        p->translate(rect.topLeft());
        p->scale(rect.width() / 24.0, rect.height() / 24.0);
        QPen pen(c, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        p->setPen(pen);
        p->setBrush(Qt::NoBrush);
        if (m_name == QLatin1String("select")) {
            QPainterPath arrow;
            arrow.moveTo(6, 3);
            arrow.lineTo(6, 19);
            arrow.lineTo(10, 15);
            arrow.lineTo(13, 21);
            arrow.lineTo(15.5, 20);
            arrow.lineTo(12.5, 14);
            arrow.lineTo(18, 14);
            arrow.closeSubpath();
            p->drawPath(arrow);
        } else if (m_name == QLatin1String("box")) {
            p->drawRect(QRectF(4, 6, 16, 12));
            p->setBrush(c);
            for (const QPointF &h :
                 {QPointF(4, 6), QPointF(20, 6), QPointF(20, 18), QPointF(4, 18)})
                p->drawRect(QRectF(h - QPointF(1.8, 1.8), QSizeF(3.6, 3.6)));
        } else if (m_name == QLatin1String("polygon")) {
            const QPolygonF poly({QPointF(5, 8), QPointF(13, 3.5), QPointF(20, 10), QPointF(16, 20),
                                  QPointF(6, 18)});
            p->drawPolygon(poly);
            p->setBrush(c);
            for (const QPointF &v : poly)
                p->drawEllipse(v, 1.8, 1.8);
        } else if (m_name == QLatin1String("brush")) {
            p->drawLine(QPointF(19, 4), QPointF(10, 13));
            p->setBrush(c);
            QPainterPath tip;
            tip.moveTo(10, 12);
            tip.cubicTo(6, 12, 6, 16, 4, 20);
            tip.cubicTo(9, 20, 12, 18, 12, 14);
            tip.closeSubpath();
            p->drawPath(tip);
        } else if (m_name == QLatin1String("eraser")) {
            QPolygonF body(
                {QPointF(4, 15), QPointF(13, 6), QPointF(20, 13), QPointF(12, 21), QPointF(8, 21)});
            p->drawPolygon(body);
            p->drawLine(QPointF(8.5, 10.5), QPointF(15.5, 17.5));
            p->drawLine(QPointF(12, 21), QPointF(20, 21));
        } else if (m_name == QLatin1String("tags")) {
            QPainterPath tag;
            tag.moveTo(4, 4);
            tag.lineTo(12, 4);
            tag.lineTo(20, 12);
            tag.lineTo(12, 20);
            tag.lineTo(4, 12);
            tag.closeSubpath();
            p->drawPath(tag);
            p->drawEllipse(QPointF(8.5, 8.5), 1.5, 1.5);
        } else {
            p->drawEllipse(QRectF(5, 5, 14, 14));
        }
        p->restore();
    }

private:
    QString m_name;
};

} // namespace

QIcon toolIcon(const QString &name)
{
    if (QFile::exists(QStringLiteral(":/icons/%1.svg").arg(name)))
        return icon(name);
    return QIcon(new ToolIconEngine(name));
}

} // namespace salient
