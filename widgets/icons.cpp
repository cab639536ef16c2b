// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/icons.h"

#include <QApplication>
#include <QFile>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QSvgRenderer>

namespace salient {

namespace {

/// SVG text of an icon file, read once.
QByteArray svgText(const QString &file)
{
    static QHash<QString, QByteArray> cache;
    auto it = cache.find(file);
    if (it == cache.end()) {
        QFile f(file);
        it = cache.insert(file, f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray());
    }
    return *it;
}

} // namespace

bool renderSvg(const QString &file, QPainter *painter, const QRectF &rect, const QColor &current)
{
    // Our icons draw in `currentColor`: substitute the palette colour so they
    // follow light and dark themes (Qt SVG has no notion of a current colour).
    QByteArray svg = svgText(file);
    if (svg.isEmpty())
        return false;
    svg.replace("currentColor", current.name(QColor::HexRgb).toLatin1());
    QSvgRenderer renderer(svg);
    if (!renderer.isValid())
        return false;
    renderer.render(painter, rect);
    return true;
}

namespace {

class SvgIconEngine : public QIconEngine {
public:
    explicit SvgIconEngine(QString file) : m_file(std::move(file)) {}
    void paint(QPainter *p, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const QPalette pal = qApp->palette();
        const bool disabled = mode == QIcon::Disabled;
        const QColor c = pal.color(disabled ? QPalette::Disabled : QPalette::Active, QPalette::WindowText);
        p->save();
        if (disabled)
            p->setOpacity(0.45);
        renderSvg(m_file, p, rect, c);
        p->restore();
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(), size), mode, state);
        return pm;
    }
    QIconEngine *clone() const override { return new SvgIconEngine(m_file); }
    QString key() const override { return QStringLiteral("salient-svg"); }

private:
    QString m_file;
};

} // namespace

QIcon colorSwatch(const QColor &color)
{
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(color.darker(140));
    p.setBrush(color);
    p.drawRoundedRect(QRectF(1, 1, 12, 12), 3, 3);
    return QIcon(pm);
}

QIcon icon(const QString &name)
{
    static QHash<QString, QIcon> cache;
    auto it = cache.find(name);
    if (it != cache.end())
        return *it;
    const QString file = QStringLiteral(":/icons/%1.svg").arg(name);
    QIcon i = QFile::exists(file) ? QIcon(new SvgIconEngine(file)) : QIcon();
    cache.insert(name, i);
    return i;
}

} // namespace salient
