// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/windowlevel.h"

#include <QImage>
#include <QPoint>
#include <QVector>
#include <QWidget>

#include <opencv2/core/mat.hpp>

class QComboBox;
class QDoubleSpinBox;
class QSlider;
class QTimer;

namespace salient {

/// Window/level for 16-bit and grey images: a presets combo, window and level
/// sliders with spin boxes, and right-button drag on the canvas (x: window,
/// y: level, as in medical viewers) once installOn(canvas) was called.
/// Display only: it renders the full-depth pixels through the window and
/// never touches shapes or stored data. Disabled (and the drag passes
/// through) for 8-bit colour images.
///
/// Use: when an image loads, canvas->setImage(frame.display, frame.fullSize)
/// and bar->setImage(frame.fullDepth); connect displayChanged to
/// canvas->setImage(display, frame.fullSize) for the user's changes.
class WindowLevelBar : public QWidget {
    Q_OBJECT
public:
    explicit WindowLevelBar(QWidget *parent = nullptr);
    ~WindowLevelBar() override;

    /// The pixels at full depth (LargeImageFrame::fullDepth): CV_16U, or
    /// CV_8UC1 for grey images, enable the bar with the depth's first preset
    /// (auto for 16-bit, full range for 8-bit grey). An empty Mat disables it.
    /// Emits windowLevelChanged but not displayChanged: the first preset's
    /// rendering is exactly LargeImageFrame::display, so show that at once.
    void setImage(const cv::Mat &fullDepth);
    bool isApplicable() const { return !m_image.empty(); }
    WindowLevel windowLevel() const { return m_window; }
    void setWindowLevel(const WindowLevel &window);
    /// Picks a preset by id ("auto", "full", "12bit", …); false if unknown.
    bool applyPreset(const QString &id);
    QString currentPresetId() const; ///< empty when the window is custom
    /// The pixels rendered through the current window (null when not applicable).
    QImage render() const;

    /// Right-button drag on `canvas` changes the window. The filter takes
    /// only right-button events (and the context menu they would open) while
    /// the bar applies, so the canvas's own tools are not disturbed.
    void installOn(QWidget *canvas);
    bool eventFilter(QObject *watched, QEvent *event) override;

    // The drag as plain calls, for a canvas that dispatches input itself.
    void beginDrag(const QPoint &widgetPos);
    void dragTo(const QPoint &widgetPos);
    void endDrag();
    bool isDragging() const { return m_dragging; }

Q_SIGNALS:
    void windowLevelChanged(const salient::WindowLevel &window);
    /// The new rendering, once per event-loop turn however many changes came
    /// in it (a slider drag does not queue a render per step).
    void displayChanged(const QImage &display);

private:
    void fillPresets();
    void syncControls();
    void setWindowInternal(const WindowLevel &window, bool fromPreset);
    double range() const;

    cv::Mat m_image;
    WindowLevel m_window;
    QVector<WindowPreset> m_presets;
    QComboBox *m_presetBox = nullptr;
    QSlider *m_widthSlider = nullptr;
    QSlider *m_levelSlider = nullptr;
    QDoubleSpinBox *m_widthSpin = nullptr;
    QDoubleSpinBox *m_levelSpin = nullptr;
    QTimer *m_renderTimer = nullptr;
    bool m_syncing = false;
    bool m_dragging = false;
    QPoint m_dragFrom;
    WindowLevel m_dragStart;
};

} // namespace salient
