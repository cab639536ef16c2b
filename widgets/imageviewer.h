// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QFutureWatcher>
#include <QImage>
#include <QWidget>

namespace salient {

/// A large single-image view: the image is decoded off the GUI thread (a
/// "loading" state meanwhile), with its stored EXIF orientation applied.
/// Wheel zooms around the cursor, drag pans, F fits, 1:1 via zoomActual().
/// Esc asks to close (closeRequested), Left/Right step through the images.
class ImageViewer : public QWidget {
    Q_OBJECT
public:
    enum class State { Empty, Loading, Ready, Failed };

    explicit ImageViewer(QWidget *parent = nullptr);
    ~ImageViewer() override;

    /// Shows the image of this record (decoding starts at once, in the pool).
    void showImage(const ImageRecord &record, const QStringList &labels = {},
                   const QVariantList &colors = {});
    /// Updates the label chips of the shown image without reloading it.
    void setLabels(const QStringList &labels, const QVariantList &colors);
    void clear();

    State state() const { return m_state; }
    qint64 imageId() const { return m_record.id; }
    QString message() const { return m_message; }
    const QImage &image() const { return m_image; }
    double zoom() const { return m_zoom; }
    bool isFitted() const { return m_fit; }

    /// Blocks until a started decode finished (tests).
    void waitForDecode();

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void zoomFit();
    void zoomActual();

Q_SIGNALS:
    void closeRequested();
    void stepRequested(int delta); ///< -1 previous, +1 next image
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Decoded {
        qint64 id = 0;
        QImage image;
        QString error;
    };
    void onDecoded();
    void zoomAt(double factor, const QPointF &anchor);
    void setZoom(double zoom);
    double fitZoom() const;
    void clampOffset();

    ImageRecord m_record;
    QStringList m_labels;
    QVariantList m_colors;
    State m_state = State::Empty;
    QString m_message;
    QImage m_image;
    double m_zoom = 1.0;
    bool m_fit = true;
    QPointF m_offset; ///< image origin in widget coordinates
    QPoint m_dragFrom;
    bool m_dragging = false;
    QFutureWatcher<Decoded> m_watcher;
};

} // namespace salient
