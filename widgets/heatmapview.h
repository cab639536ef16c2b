// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/heatmap.h"
#include "core/review/explanation.h"

#include <QImage>
#include <QVector>
#include <QWidget>

#include <opencv2/core.hpp>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

namespace salient {

class HeatmapCanvas;
class DeletionCurve;

/// One image's explanation: the original beside its heatmap overlay (or the
/// overlay alone), with the look (opacity, colour map, contour) and what to
/// explain (method, layer, target class). The look re-renders from the kept
/// image and map, never asking again; a change of method, layer or class
/// emits requestChanged() so the owner asks the controller. Beside it the
/// prediction, confidence, target probability and deletion score with its
/// curve. Knows no controller and no store.
class HeatmapView : public QWidget {
    Q_OBJECT
public:
    /// Longer side of the decoded image kept for rendering: overlays of a
    /// 40-megapixel scan stay fast to re-blend while a slider moves.
    static constexpr int kMaxDisplaySide = 1280;
    /// Smaller images are enlarged to this (pixels kept square, not smoothed).
    static constexpr int kMinDisplaySide = 384;

    explicit HeatmapView(QWidget *parent = nullptr);
    ~HeatmapView() override;

    /// The run's model: fills the layer (default selected) and class combos.
    void setModelInfo(const salient::review::ModelInfo &info);
    review::ModelInfo modelInfo() const { return m_info; }
    /// The image as displayed (BGR, EXIF applied; any size) and its true
    /// classes. Drops the previous explanation. An empty mat clears.
    void setImage(qint64 imageId, const cv::Mat &bgr, const QVector<int> &truth);
    qint64 imageId() const { return m_imageId; }
    /// The explanation of the current image (others are ignored).
    void setExplanation(const salient::review::Explanation &explanation);
    bool hasExplanation() const { return !m_map.empty(); }
    const review::Explanation &explanation() const { return m_explanation; }
    /// A line in place of the heatmap: "Explaining…", an error.
    void setStatus(const QString &text);
    void clear();

    /// What the combos ask for (the class combo's "true class" resolved
    /// against the image's truth).
    review::ExplainRequest request() const;
    /// Selects a target in the class combo (-1: predicted) without emitting.
    void setTargetClass(int classIndex);
    OverlayStyle style() const;
    void setStyle(const OverlayStyle &style);
    bool sideBySide() const;
    void setSideBySide(bool on);

    /// What is on screen: original | overlay, or the overlay (tests, screenshots).
    QImage renderedImage() const { return m_rendered; }
    /// How often the overlay was blended (tests: a slider costs a blend, no explain).
    int renderCount() const { return m_renders; }

    // For tests and the panel: the controls, by what they do.
    QComboBox *methodCombo() const { return m_method; }
    QComboBox *layerCombo() const { return m_layer; }
    QComboBox *classCombo() const { return m_class; }
    QComboBox *colourMapCombo() const { return m_colourMap; }
    QSlider *opacitySlider() const { return m_opacity; }
    QCheckBox *contourCheck() const { return m_contour; }
    QSlider *thresholdSlider() const { return m_threshold; }
    QCheckBox *sideBySideCheck() const { return m_sideBySide; }
    QLabel *predictionLabel() const { return m_prediction; }
    QLabel *deletionLabel() const { return m_deletion; }

Q_SIGNALS:
    /// Method, layer or target changed: the owner explains the image again.
    void requestChanged(const salient::review::ExplainRequest &request);

private:
    void buildControls();
    void fillClassCombo();
    void rerender();
    void updateFigures();
    void updateColourBar();
    QString className(int index) const;

    review::ModelInfo m_info;
    qint64 m_imageId = 0;
    QVector<int> m_truth;
    cv::Mat m_image;      ///< BGR, at most kMaxDisplaySide
    double m_scale = 1.0; ///< m_image size / the image as displayed
    review::Explanation m_explanation;
    cv::Mat m_map; ///< the explanation's map at m_image's size
    QRect m_crop;  ///< the explanation's crop, in m_image's pixels
    QImage m_rendered;
    int m_renders = 0;
    bool m_filling = false;

    HeatmapCanvas *m_canvas;
    QLabel *m_status;
    QComboBox *m_method;
    QComboBox *m_layer;
    QComboBox *m_class;
    QComboBox *m_colourMap;
    QLabel *m_colourBar;
    QSlider *m_opacity;
    QCheckBox *m_contour;
    QSlider *m_threshold;
    QCheckBox *m_sideBySide;
    QLabel *m_prediction;
    QLabel *m_deletion;
    DeletionCurve *m_curve;
};

} // namespace salient
