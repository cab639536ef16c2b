// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/windowlevelbar.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QSlider>
#include <QTimer>

#include <cmath>

namespace salient {

WindowLevelBar::WindowLevelBar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_presetBox = new QComboBox(this);
    m_presetBox->setObjectName(QStringLiteral("windowPresets"));
    m_presetBox->setToolTip(tr("Window/level preset (display only; right-drag on the image "
                               "changes window and level)"));
    layout->addWidget(m_presetBox);

    auto addPair = [&](const QString &label, const QString &name, QSlider *&slider,
                       QDoubleSpinBox *&spin) {
        layout->addWidget(new QLabel(label, this));
        slider = new QSlider(Qt::Horizontal, this);
        slider->setObjectName(name + QStringLiteral("Slider"));
        slider->setMinimumWidth(100);
        layout->addWidget(slider);
        spin = new QDoubleSpinBox(this);
        spin->setObjectName(name + QStringLiteral("Spin"));
        spin->setDecimals(1);
        spin->setKeyboardTracking(false);
        layout->addWidget(spin);
    };
    addPair(tr("Window"), QStringLiteral("window"), m_widthSlider, m_widthSpin);
    addPair(tr("Level"), QStringLiteral("level"), m_levelSlider, m_levelSpin);

    m_renderTimer = new QTimer(this);
    m_renderTimer->setSingleShot(true);
    m_renderTimer->setInterval(0);
    connect(m_renderTimer, &QTimer::timeout, this, [this]() {
        if (isApplicable())
            Q_EMIT displayChanged(render());
    });

    connect(m_presetBox, &QComboBox::activated, this, [this](int index) {
        if (index >= 0 && index < m_presets.size())
            setWindowInternal(resolvePreset(m_presets.at(index), m_image), true);
    });
    connect(m_widthSlider, &QSlider::valueChanged, this, [this](int v) {
        if (!m_syncing)
            setWindowLevel({m_window.center, std::max(1.0, double(v))});
    });
    connect(m_levelSlider, &QSlider::valueChanged, this, [this](int v) {
        if (!m_syncing)
            setWindowLevel({double(v), m_window.width});
    });
    connect(m_widthSpin, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!m_syncing)
            setWindowLevel({m_window.center, std::max(1.0, v)});
    });
    connect(m_levelSpin, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (!m_syncing)
            setWindowLevel({v, m_window.width});
    });
    setImage(cv::Mat());
}

WindowLevelBar::~WindowLevelBar() = default;

double WindowLevelBar::range() const
{
    return maxValueForDepth(m_image.empty() ? CV_8U : m_image.depth());
}

void WindowLevelBar::fillPresets()
{
    m_presets = windowPresets(!m_image.empty() && m_image.depth() == CV_16U ? 16 : 8);
    m_syncing = true;
    m_presetBox->clear();
    for (const WindowPreset &p : m_presets)
        m_presetBox->addItem(QCoreApplication::translate("WindowLevelBar", p.name), p.id);
    m_syncing = false;
}

void WindowLevelBar::setImage(const cv::Mat &fullDepth)
{
    const bool usable = !fullDepth.empty()
                        && (fullDepth.depth() == CV_16U
                            || (fullDepth.depth() == CV_8U && fullDepth.channels() == 1));
    m_image = usable ? fullDepth : cv::Mat();
    m_dragging = false;
    setEnabled(usable);
    fillPresets();
    const int max = int(range());
    m_syncing = true;
    m_widthSlider->setRange(1, 2 * max);
    m_levelSlider->setRange(-max / 2, max + max / 2);
    m_widthSpin->setRange(1, 2 * max);
    m_levelSpin->setRange(-max / 2.0, max * 1.5);
    m_syncing = false;
    const WindowLevel first =
        usable ? resolvePreset(m_presets.first(), m_image) : fullRangeWindow(CV_8U);
    // A new image always announces its window, even if equal to the last one.
    m_window = first;
    syncControls();
    m_presetBox->setCurrentIndex(0);
    // No displayChanged here: the loader's frame.display already shows this
    // window (LargeImageFrame renders 16-bit with the auto window, grey as is).
    m_renderTimer->stop();
    if (usable)
        Q_EMIT windowLevelChanged(m_window);
}

void WindowLevelBar::setWindowLevel(const WindowLevel &window)
{
    setWindowInternal(window, false);
}

void WindowLevelBar::setWindowInternal(const WindowLevel &window, bool fromPreset)
{
    if (!isApplicable())
        return;
    const double max = range();
    WindowLevel w{std::clamp(window.center, -max / 2.0, max * 1.5),
                  std::clamp(window.width, 1.0, 2.0 * max)};
    if (w == m_window && !fromPreset)
        return;
    const bool changed = w != m_window;
    m_window = w;
    syncControls();
    if (!fromPreset) {
        // A hand-made window: show the preset it happens to match, if any.
        const QString id = currentPresetId();
        m_syncing = true;
        m_presetBox->setCurrentIndex(id.isEmpty() ? -1 : m_presetBox->findData(id));
        m_syncing = false;
    }
    if (changed) {
        Q_EMIT windowLevelChanged(m_window);
        m_renderTimer->start();
    }
}

bool WindowLevelBar::applyPreset(const QString &id)
{
    for (int i = 0; i < m_presets.size(); ++i) {
        if (m_presets.at(i).id == id) {
            m_presetBox->setCurrentIndex(i);
            setWindowInternal(resolvePreset(m_presets.at(i), m_image), true);
            return true;
        }
    }
    return false;
}

QString WindowLevelBar::currentPresetId() const
{
    for (const WindowPreset &p : m_presets)
        if (resolvePreset(p, m_image) == m_window)
            return p.id;
    return {};
}

void WindowLevelBar::syncControls()
{
    m_syncing = true;
    m_widthSlider->setValue(int(std::lround(m_window.width)));
    m_levelSlider->setValue(int(std::lround(m_window.center)));
    m_widthSpin->setValue(m_window.width);
    m_levelSpin->setValue(m_window.center);
    m_syncing = false;
}

QImage WindowLevelBar::render() const
{
    return isApplicable() ? renderWindowLevel(m_image, m_window) : QImage();
}

// ---- right-button drag ----------------------------------------------------------

void WindowLevelBar::installOn(QWidget *canvas)
{
    canvas->installEventFilter(this);
}

void WindowLevelBar::beginDrag(const QPoint &widgetPos)
{
    m_dragging = true;
    m_dragFrom = widgetPos;
    m_dragStart = m_window;
}

void WindowLevelBar::dragTo(const QPoint &widgetPos)
{
    if (!m_dragging)
        return;
    const QPoint d = widgetPos - m_dragFrom;
    setWindowLevel(dragWindow(m_dragStart, d.x(), d.y(), range()));
}

void WindowLevelBar::endDrag()
{
    m_dragging = false;
}

bool WindowLevelBar::eventFilter(QObject *watched, QEvent *event)
{
    if (!isApplicable())
        return QWidget::eventFilter(watched, event);
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *me = static_cast<QMouseEvent *>(event);
        if (me->button() != Qt::RightButton)
            break;
        beginDrag(me->position().toPoint());
        return true;
    }
    case QEvent::MouseMove: {
        auto *me = static_cast<QMouseEvent *>(event);
        if (!m_dragging)
            break;
        dragTo(me->position().toPoint());
        // The canvas still hears moves when its tool is in a gesture (left held).
        return !(me->buttons() & Qt::LeftButton);
    }
    case QEvent::MouseButtonRelease: {
        auto *me = static_cast<QMouseEvent *>(event);
        if (me->button() != Qt::RightButton || !m_dragging)
            break;
        dragTo(me->position().toPoint());
        endDrag();
        return true;
    }
    case QEvent::ContextMenu:
        // The right button belongs to window/level here: no menu on press.
        if (static_cast<QContextMenuEvent *>(event)->reason() == QContextMenuEvent::Mouse)
            return true;
        break;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace salient
