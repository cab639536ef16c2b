// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/heatmapview.h"

#include "widgets/heatmapcanvas.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSlider>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace salient {

using namespace salient::review;

namespace {
constexpr int kTrueClass = -2; // class combo: "the image's true class"
constexpr int kPredicted = -1;
} // namespace

HeatmapView::HeatmapView(QWidget *parent)
    : QWidget(parent), m_canvas(new HeatmapCanvas(this)), m_status(new QLabel(this)),
      m_method(new QComboBox(this)), m_layer(new QComboBox(this)), m_class(new QComboBox(this)),
      m_colourMap(new QComboBox(this)), m_colourBar(new QLabel(this)),
      m_opacity(new QSlider(Qt::Horizontal, this)), m_contour(new QCheckBox(tr("C&ontour"), this)),
      m_threshold(new QSlider(Qt::Horizontal, this)),
      m_sideBySide(new QCheckBox(tr("Side b&y side"), this)), m_prediction(new QLabel(this)),
      m_deletion(new QLabel(this)), m_curve(new DeletionCurve(this))
{
    buildControls();
    clear();
}

HeatmapView::~HeatmapView() = default;

void HeatmapView::buildControls()
{
    m_method->addItem(tr("Grad-CAM"), int(CamMethod::GradCam));
    m_method->addItem(tr("Grad-CAM++"), int(CamMethod::GradCamPlusPlus));
    m_method->addItem(tr("LayerCAM"), int(CamMethod::LayerCam));
    m_method->setToolTip(tr("How the class activation map is computed"));
    m_layer->setToolTip(tr("The network block whose activations are explained; the last "
                           "convolutional block is the usual choice"));
    m_layer->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_class->setToolTip(tr("The class the map explains: where the model sees evidence for it"));
    m_class->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_colourMap->addItem(tr("Turbo"), int(ColourMap::Turbo));
    m_colourMap->addItem(tr("Jet"), int(ColourMap::Jet));
    m_colourMap->addItem(tr("Viridis"), int(ColourMap::Viridis));
    m_colourBar->setToolTip(tr("Low to high activation"));
    m_opacity->setRange(0, 100);
    m_opacity->setValue(50);
    m_opacity->setMinimumWidth(56);
    m_opacity->setToolTip(tr("Heatmap opacity: 0 shows the image only"));
    m_threshold->setRange(5, 95);
    m_threshold->setValue(50);
    m_threshold->setMinimumWidth(48);
    m_threshold->setToolTip(tr("Outline the region whose activation is at least this share of "
                               "the maximum"));
    m_threshold->setEnabled(false);
    m_sideBySide->setChecked(true);
    m_sideBySide->setToolTip(tr("The original beside the overlay, or the overlay alone"));
    m_prediction->setTextFormat(Qt::RichText);
    m_prediction->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_deletion->setToolTip(
        tr("Deletion score: the target's probability as the hottest pixels are removed, area "
           "under that curve. Lower means the map found what the model relies on."));
    m_curve->setToolTip(m_deletion->toolTip());
    m_status->hide(); // the canvas draws the status; the label keeps the text for tests

    auto label = [this](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    auto *what = new QHBoxLayout;
    what->addWidget(label(tr("Me&thod:"), m_method));
    what->addWidget(m_method);
    what->addSpacing(4);
    what->addWidget(label(tr("&Layer:"), m_layer));
    what->addWidget(m_layer);
    what->addSpacing(4);
    what->addWidget(label(tr("Cl&ass:"), m_class));
    what->addWidget(m_class);
    what->addStretch(1);

    auto *figures = new QHBoxLayout;
    figures->addWidget(m_prediction, 1);
    figures->addWidget(m_deletion);
    figures->addWidget(m_curve);

    auto *look = new QHBoxLayout;
    look->addWidget(label(tr("O&pacity:"), m_opacity));
    look->addWidget(m_opacity, 1);
    look->addSpacing(4);
    look->addWidget(label(tr("&Colours:"), m_colourMap));
    look->addWidget(m_colourMap);
    look->addWidget(m_colourBar);
    look->addSpacing(4);
    look->addWidget(m_contour);
    look->addWidget(m_threshold, 1);
    look->addSpacing(4);
    look->addWidget(m_sideBySide);

    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(4);
    lay->addLayout(what);
    lay->addWidget(m_canvas, 1);
    lay->addLayout(figures);
    lay->addLayout(look);

    auto asked = [this]() {
        if (!m_filling)
            Q_EMIT requestChanged(request());
    };
    connect(m_method, qOverload<int>(&QComboBox::currentIndexChanged), this, asked);
    connect(m_layer, qOverload<int>(&QComboBox::currentIndexChanged), this, asked);
    connect(m_class, qOverload<int>(&QComboBox::currentIndexChanged), this, asked);
    connect(m_opacity, &QSlider::valueChanged, this, &HeatmapView::rerender);
    connect(m_threshold, &QSlider::valueChanged, this, &HeatmapView::rerender);
    connect(m_contour, &QCheckBox::toggled, this, [this](bool on) {
        m_threshold->setEnabled(on);
        rerender();
    });
    connect(m_sideBySide, &QCheckBox::toggled, this, &HeatmapView::rerender);
    connect(m_colourMap, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        updateColourBar();
        rerender();
    });
    updateColourBar();
}

void HeatmapView::setModelInfo(const ModelInfo &info)
{
    m_filling = true;
    m_info = info;
    const QString keep = m_layer->currentData().toString();
    m_layer->clear();
    for (const QString &name : info.layers)
        m_layer->addItem(name == info.defaultLayer ? tr("%1 (default)").arg(name) : name, name);
    if (m_layer->count() == 0 && !info.defaultLayer.isEmpty())
        m_layer->addItem(tr("%1 (default)").arg(info.defaultLayer), info.defaultLayer);
    // The same layer when the next run has it (comparing runs alike), else the default.
    int at = m_layer->findData(keep);
    if (at < 0)
        at = m_layer->findData(info.defaultLayer);
    m_layer->setCurrentIndex(std::max(at, m_layer->count() > 0 ? 0 : -1));
    fillClassCombo();
    m_filling = false;
}

void HeatmapView::fillClassCombo()
{
    const bool filling = m_filling;
    m_filling = true;
    const QVariant keep = m_class->currentData();
    m_class->clear();
    m_class->addItem(tr("Predicted class"), kPredicted);
    QStringList truth;
    for (int t : m_truth)
        truth << className(t);
    m_class->addItem(truth.isEmpty()
                         ? tr("True class")
                         : tr("True class (%1)").arg(truth.join(QStringLiteral(", "))), kTrueClass);
    if (m_truth.isEmpty()) {
        if (auto *model = qobject_cast<QStandardItemModel *>(m_class->model()))
            model->item(1)->setEnabled(false);
    }
    m_class->insertSeparator(2);
    for (int i = 0; i < m_info.classNames.size(); ++i)
        m_class->addItem(m_info.classNames[i], i);
    int at = keep.isValid() ? m_class->findData(keep) : 0;
    if (at < 0 || (keep.toInt() == kTrueClass && m_truth.isEmpty()))
        at = 0;
    m_class->setCurrentIndex(at);
    m_filling = filling;
}

QString HeatmapView::className(int index) const
{
    return index >= 0 && index < m_info.classNames.size() ? m_info.classNames[index]
                                                          : tr("class %1").arg(index);
}

void HeatmapView::setImage(qint64 imageId, const cv::Mat &bgr, const QVector<int> &truth)
{
    m_imageId = imageId;
    m_truth = truth;
    m_explanation = {};
    m_map.release();
    m_image.release();
    m_scale = 1.0;
    if (!bgr.empty()) {
        cv::Mat colour;
        if (bgr.channels() == 1)
            cv::cvtColor(bgr, colour, cv::COLOR_GRAY2BGR);
        else if (bgr.channels() == 4)
            cv::cvtColor(bgr, colour, cv::COLOR_BGRA2BGR);
        else
            colour = bgr;
        const int longer = std::max(colour.cols, colour.rows);
        if (longer > kMaxDisplaySide) {
            m_scale = double(kMaxDisplaySide) / longer;
            cv::resize(colour, m_image, cv::Size(), m_scale, m_scale, cv::INTER_AREA);
        } else if (longer < kMinDisplaySide) {
            // Tiny images (32 px patches) are enlarged here, not by the
            // canvas, so the gap and contour keep a sensible width.
            m_scale = double(kMinDisplaySide) / longer;
            cv::resize(colour, m_image, cv::Size(), m_scale, m_scale, cv::INTER_NEAREST);
        } else {
            m_image = colour.clone();
        }
    }
    fillClassCombo(); // "True class (…)" names this image's truth
    updateFigures();
    rerender();
}

void HeatmapView::setExplanation(const Explanation &explanation)
{
    if (m_image.empty() || (m_imageId && explanation.imageId && explanation.imageId != m_imageId))
        return;
    m_explanation = explanation;
    // The explanation's crop is in the pixels of the image as displayed at
    // full size; ours may be scaled down.
    const QSize full = explanation.imageSize.isValid()
                           ? explanation.imageSize
                           : QSize(int(std::lround(m_image.cols / m_scale)),
                                   int(std::lround(m_image.rows / m_scale)));
    const double sx = double(m_image.cols) / std::max(1, full.width());
    const double sy = double(m_image.rows) / std::max(1, full.height());
    const QRect c = explanation.crop;
    m_crop = QRect(int(std::lround(c.x() * sx)), int(std::lround(c.y() * sy)),
                   int(std::lround(c.width() * sx)), int(std::lround(c.height() * sy)))
                 .intersected(QRect(0, 0, m_image.cols, m_image.rows));
    m_map = mapToImage(explanation.map, QSize(m_image.cols, m_image.rows), m_crop);
    setStatus({});
    updateFigures();
    rerender();
}

void HeatmapView::setStatus(const QString &text)
{
    m_status->setText(text);
    m_canvas->setStatus(text);
}

void HeatmapView::clear()
{
    m_imageId = 0;
    m_truth.clear();
    m_explanation = {};
    m_map.release();
    m_image.release();
    fillClassCombo();
    updateFigures();
    rerender();
    setStatus(tr("Select an image to see where the model looks."));
}

ExplainRequest HeatmapView::request() const
{
    ExplainRequest r;
    r.method = static_cast<CamMethod>(m_method->currentData().toInt());
    r.layer = m_layer->currentData().toString();
    const int cls = m_class->currentData().isValid() ? m_class->currentData().toInt() : kPredicted;
    if (cls == kTrueClass)
        r.targetClass = m_truth.isEmpty() ? -1 : m_truth.first();
    else
        r.targetClass = cls;
    return r;
}

void HeatmapView::setTargetClass(int classIndex)
{
    const bool filling = m_filling;
    m_filling = true;
    const int at = m_class->findData(classIndex < 0 ? kPredicted : classIndex);
    m_class->setCurrentIndex(std::max(at, 0));
    m_filling = filling;
}

OverlayStyle HeatmapView::style() const
{
    OverlayStyle s;
    s.colourMap = static_cast<ColourMap>(m_colourMap->currentData().toInt());
    s.opacity = m_opacity->value() / 100.0;
    s.contourThreshold = m_contour->isChecked() ? m_threshold->value() / 100.0 : -1;
    return s;
}

void HeatmapView::setStyle(const OverlayStyle &style)
{
    m_colourMap->setCurrentIndex(std::max(0, m_colourMap->findData(int(style.colourMap))));
    m_opacity->setValue(int(std::lround(style.opacity * 100)));
    m_contour->setChecked(style.contourThreshold > 0 && style.contourThreshold < 1);
    if (m_contour->isChecked())
        m_threshold->setValue(int(std::lround(style.contourThreshold * 100)));
}

bool HeatmapView::sideBySide() const
{
    return m_sideBySide->isChecked();
}

void HeatmapView::setSideBySide(bool on)
{
    m_sideBySide->setChecked(on);
}

void HeatmapView::updateColourBar()
{
    const auto map = static_cast<ColourMap>(m_colourMap->currentData().toInt());
    m_colourBar->setPixmap(QPixmap::fromImage(bgrToQImage(colourBar(map, 64, 12))));
}

void HeatmapView::updateFigures()
{
    const Explanation &e = m_explanation;
    if (m_map.empty() || e.predicted < 0) {
        m_prediction->setText(m_image.empty() ? QString() : tr("Prediction: —"));
        m_deletion->clear();
        m_curve->setCurve({});
        return;
    }
    const QLocale loc;
    auto percent = [&loc](double p) {
        return loc.toString(100.0 * p, 'f', 1) + QStringLiteral(" %");
    };
    QString text = tr("Predicted <b>%1</b> %2")
                       .arg(className(e.predicted).toHtmlEscaped(), percent(e.confidence));
    if (e.target != e.predicted)
        text += QStringLiteral(" &nbsp;·&nbsp; ")
                               + tr("explaining <b>%1</b> %2")
                                     .arg(className(e.target).toHtmlEscaped(),
                                          percent(e.targetProbability));
    m_prediction->setText(text);
    m_deletion->setText(e.deletionScore >= 0
                            ? tr("Deletion score %1").arg(loc.toString(e.deletionScore, 'f', 3))
                            : tr("No deletion score"));
    m_curve->setCurve(e.deletionCurve);
}

void HeatmapView::rerender()
{
    if (m_image.empty()) {
        m_rendered = QImage();
        m_canvas->setImage(m_rendered);
        return;
    }
    if (m_map.empty()) {
        m_rendered = bgrToQImage(m_image);
        m_canvas->setImage(m_rendered);
        return;
    }
    auto overlay = renderOverlay(m_image, m_map, style(), m_crop);
    ++m_renders;
    if (!overlay.ok()) {
        setStatus(overlay.error().toString());
        return;
    }
    m_rendered =
        bgrToQImage(m_sideBySide->isChecked() ? salient::sideBySide(m_image, overlay.value())
                                              : overlay.value());
    m_canvas->setImage(m_rendered);
}

} // namespace salient
