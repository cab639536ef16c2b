// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/imageviewer.h"

#include "core/imaging/decode.h"

#include <QFileInfo>
#include <QKeyEvent>
#include <QPainter>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace salient {

namespace {
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 32.0;
constexpr double kStep = 1.25;
} // namespace

ImageViewer::ImageViewer(QWidget *parent) : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    setAutoFillBackground(false);
    setMinimumSize(200, 150);
    connect(&m_watcher, &QFutureWatcher<Decoded>::finished, this, &ImageViewer::onDecoded);
}

ImageViewer::~ImageViewer()
{
    m_watcher.waitForFinished();
}

void ImageViewer::showImage(const ImageRecord &record, const QStringList &labels,
                            const QVariantList &colors)
{
    m_record = record;
    m_labels = labels;
    m_colors = colors;
    m_image = QImage();
    m_fit = true;
    if (!record.readable) {
        m_state = State::Failed;
        m_message = record.unreadableReason.isEmpty() ? tr("This file cannot be read.")
                                                      : record.unreadableReason;
        update();
        return;
    }
    m_state = State::Loading;
    m_message.clear();
    update();
    const QString path = record.absolutePath;
    const int orientation = record.orientation;
    const qint64 id = record.id;
    // The GUI thread never decodes: a 35 MB BMP must not freeze the window.
    m_watcher.setFuture(QtConcurrent::run([path, orientation, id]() {
        Decoded d;
        d.id = id;
        DecodeOptions opt;
        opt.orientation = orientation;
        auto mat = decodeImage(path, opt);
        if (!mat.ok())
            d.error = mat.error().toString();
        else
            d.image = toQImage(mat.value());
        if (d.error.isEmpty() && d.image.isNull())
            d.error = tr("%1: could not be decoded").arg(path);
        return d;
    }));
}

void ImageViewer::setLabels(const QStringList &labels, const QVariantList &colors)
{
    m_labels = labels;
    m_colors = colors;
    update();
}

void ImageViewer::clear()
{
    m_record = ImageRecord();
    m_image = QImage();
    m_state = State::Empty;
    update();
}

void ImageViewer::waitForDecode()
{
    m_watcher.waitForFinished();
}

void ImageViewer::onDecoded()
{
    const Decoded d = m_watcher.result();
    if (d.id != m_record.id)
        return; // an older request finished after the user moved on
    if (!d.error.isEmpty()) {
        m_state = State::Failed;
        m_message = d.error;
    } else {
        m_state = State::Ready;
        m_image = d.image;
        zoomFit();
    }
    update();
}

double ImageViewer::fitZoom() const
{
    if (m_image.isNull())
        return 1.0;
    const double zx = (width() - 24.0) / m_image.width();
    const double zy = (height() - 24.0) / m_image.height();
    return qBound(kMinZoom, qMin(1.0, qMin(zx, zy)), kMaxZoom);
}

void ImageViewer::setZoom(double zoom)
{
    m_zoom = qBound(kMinZoom, zoom, kMaxZoom);
    Q_EMIT zoomChanged(m_zoom);
}

void ImageViewer::zoomFit()
{
    m_fit = true;
    setZoom(fitZoom());
    m_offset = QPointF((width() - m_image.width() * m_zoom) / 2.0,
                       (height() - m_image.height() * m_zoom) / 2.0);
    update();
}

void ImageViewer::zoomActual()
{
    zoomAt(1.0 / m_zoom, QPointF(width() / 2.0, height() / 2.0));
}

void ImageViewer::zoomIn()
{
    zoomAt(kStep, QPointF(width() / 2.0, height() / 2.0));
}
void ImageViewer::zoomOut()
{
    zoomAt(1.0 / kStep, QPointF(width() / 2.0, height() / 2.0));
}

void ImageViewer::zoomAt(double factor, const QPointF &anchor)
{
    if (m_image.isNull())
        return;
    const double old = m_zoom;
    setZoom(m_zoom * factor);
    m_fit = false;
    // Keep the image point under the anchor where it was.
    const QPointF imagePoint = (anchor - m_offset) / old;
    m_offset = anchor - imagePoint * m_zoom;
    clampOffset();
    update();
}

void ImageViewer::clampOffset()
{
    const double w = m_image.width() * m_zoom;
    const double h = m_image.height() * m_zoom;
    // Smaller than the view: centred. Larger: no empty margin beyond an edge.
    if (w <= width())
        m_offset.setX((width() - w) / 2.0);
    else
        m_offset.setX(qBound(width() - w, m_offset.x(), 0.0));
    if (h <= height())
        m_offset.setY((height() - h) / 2.0);
    else
        m_offset.setY(qBound(height() - h, m_offset.y(), 0.0));
}

void ImageViewer::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(0x26, 0x28, 0x2B));
    p.setPen(QColor(0xDD, 0xDD, 0xDD));
    switch (m_state) {
    case State::Empty:
        p.drawText(rect(), Qt::AlignCenter, tr("No image"));
        return;
    case State::Loading:
        p.drawText(rect(), Qt::AlignCenter,
                   tr("Loading %1…").arg(QFileInfo(m_record.path).fileName()));
        return;
    case State::Failed: {
        QFont f = font();
        f.setBold(true);
        p.setFont(f);
        const QRect r = rect().adjusted(40, 0, -40, 0);
        p.setPen(QColor(0xFF, 0x8A, 0x80));
        p.drawText(r.adjusted(0, 0, 0, -40), Qt::AlignCenter, tr("This image cannot be shown"));
        p.setFont(font());
        p.setPen(QColor(0xDD, 0xDD, 0xDD));
        p.drawText(r.adjusted(0, 40, 0, 0), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    case State::Ready:
        break;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform, m_zoom < 1.0);
    const QRectF target(m_offset, QSizeF(m_image.size()) * m_zoom);
    p.drawImage(target, m_image);

    // Overlay: file name, size, zoom and the labels, on a translucent strip.
    const QString info = tr("%1 — %2 × %3 — %4%")
                             .arg(QFileInfo(m_record.path).fileName())
                             .arg(m_record.width)
                             .arg(m_record.height)
                             .arg(qRound(m_zoom * 100));
    const QFontMetrics fm(font());
    const QRect strip(0, height() - fm.height() - 12, width(), fm.height() + 12);
    p.fillRect(strip, QColor(0, 0, 0, 140));
    p.setPen(Qt::white);
    p.drawText(strip.adjusted(10, 0, -10, 0), Qt::AlignVCenter | Qt::AlignLeft, info);
    int x = strip.right() - 10;
    p.setRenderHint(QPainter::Antialiasing);
    for (int i = m_labels.size() - 1; i >= 0; --i) {
        const int w = fm.horizontalAdvance(m_labels.at(i)) + 16;
        const QRect chip(x - w, strip.top() + 4, w, strip.height() - 8);
        const QColor c = i < m_colors.size() ? m_colors.at(i).value<QColor>() : QColor(Qt::gray);
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawRoundedRect(chip, chip.height() / 2.0, chip.height() / 2.0);
        p.setPen(qGray(c.rgb()) > 150 ? Qt::black : Qt::white);
        p.drawText(chip, Qt::AlignCenter, m_labels.at(i));
        x -= w + 6;
    }
}

void ImageViewer::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomAt(std::pow(kStep, steps), event->position());
    event->accept();
}

void ImageViewer::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton || event->button() == Qt::MiddleButton) {
        m_dragging = true;
        m_dragFrom = event->pos();
        setCursor(Qt::ClosedHandCursor);
    }
}

void ImageViewer::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    m_offset += event->pos() - m_dragFrom;
    m_dragFrom = event->pos();
    m_fit = false;
    clampOffset();
    update();
}

void ImageViewer::mouseReleaseEvent(QMouseEvent *)
{
    m_dragging = false;
    unsetCursor();
}

void ImageViewer::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_fit)
        zoomAt(1.0 / m_zoom, event->position());
    else
        zoomFit();
}

void ImageViewer::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Escape:
        Q_EMIT closeRequested();
        return;
    case Qt::Key_Left:
    case Qt::Key_PageUp:
        Q_EMIT stepRequested(-1);
        return;
    case Qt::Key_Right:
    case Qt::Key_PageDown:
    case Qt::Key_Space:
        Q_EMIT stepRequested(1);
        return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_F:
        zoomFit();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void ImageViewer::resizeEvent(QResizeEvent *)
{
    if (m_fit)
        zoomFit();
    else
        clampOffset();
}

} // namespace salient
