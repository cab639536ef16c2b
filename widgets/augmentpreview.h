// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/augment.h"

#include <QColor>
#include <QFutureWatcher>
#include <QImage>
#include <QThreadPool>
#include <QWidget>

#include <opencv2/core/mat.hpp>

class QGridLayout;
class QLabel;
class QSpinBox;

namespace salient {

class ProjectStore;
class RecipeEditor;

/// What the model will see: the current image beside a grid of augmented
/// variants, boxes and masks drawn in their class colours, re-rendered live
/// (in a private thread pool, newest request wins) as the recipe changes. The
/// recipe and the image domain are kept in the project's settings.
class AugmentPreview : public QWidget {
    Q_OBJECT
public:
    explicit AugmentPreview(QWidget *parent = nullptr);
    ~AugmentPreview() override;

    /// May be null. Loads the project's recipe (the standard preset when none).
    void setStore(ProjectStore *store);
    /// Shows variants of this image (0: none).
    void setImage(qint64 imageId);
    void setVariantCount(int count); ///< 8..16
    void setSeed(quint64 seed);
    quint64 seed() const { return m_seed; }

    RecipeEditor *editor() const { return m_editor; }
    /// The variants last rendered (tests, the CLI's grid uses the same drawing).
    const QVector<QImage> &variants() const { return m_variants; }
    /// Milliseconds the last render took (all variants, in the pool).
    double lastRenderMs() const { return m_lastRenderMs; }
    /// Saves recipe and domain into the project (one transaction each).
    void saveToProject();

    /// Draws shapes onto an 8-bit BGR/grey picture as an RGB QImage (used for
    /// tiles here and by `salient-cli augment-preview`).
    static QImage drawSample(const AugmentSample &sample, const QVector<QColor> &colors);

Q_SIGNALS:
    void rendered();

private:
    struct Loaded {
        int generation = 0;
        QVector<cv::Mat> pyramid;
        QString error;
    };
    void imageLoaded();
    void showOriginal();
    struct Rendered {
        int generation = 0;
        QVector<QImage> images;
        double ms = 0;
    };
    void scheduleRender();
    void render();
    void showResults();

    ProjectStore *m_store = nullptr;
    RecipeEditor *m_editor;
    QLabel *m_original;
    QGridLayout *m_grid;
    QVector<QLabel *> m_tiles;
    QSpinBox *m_countBox;
    QSpinBox *m_seedBox;
    QLabel *m_status;

    cv::Mat m_image;              ///< displayed frame (EXIF applied)
    QVector<cv::Mat> m_pyramid;   ///< m_image shrunk by 1, 2, 4, 8: each variant warps the
                                  ///< smallest level that keeps the detail it shows
    QVector<Geometry> m_shapes;   ///< of the current image
    QVector<QColor> m_shapeColors;
    quint64 m_seed = 1;
    int m_count = 8;
    int m_generation = 0;
    QVector<QImage> m_variants;
    double m_lastRenderMs = 0;
    QThreadPool m_pool;
    QFutureWatcher<Rendered> m_watcher;
    QFutureWatcher<Loaded> m_loading;
    int m_loadGeneration = 0;
    bool m_renderPending = false;
};

} // namespace salient
