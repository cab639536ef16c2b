// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/augmentpreview.h"

#include "core/imaging/decode.h"
#include "core/project/store.h"
#include "widgets/recipeeditor.h"

#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentMap>
#include <QtConcurrent/QtConcurrentRun>

#include <opencv2/imgproc.hpp>

namespace salient {

namespace {

const char kRecipeKey[] = "augment.recipe";
const char kDomainKey[] = "project.domain";
constexpr int kTile = 224; ///< tiles are shown at the recipe's output size or this

} // namespace

AugmentPreview::AugmentPreview(QWidget *parent)
    : QWidget(parent),
      m_editor(new RecipeEditor(this)),
      m_original(new QLabel(this)),
      m_grid(new QGridLayout),
      m_countBox(new QSpinBox(this)),
      m_seedBox(new QSpinBox(this)),
      m_status(new QLabel(this))
{
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    m_original->setAlignment(Qt::AlignCenter);
    m_original->setMinimumSize(160, 160);
    m_original->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored); // the pixmap follows the label, not the reverse
    m_original->setToolTip(tr("The image as stored, with its shapes"));

    m_countBox->setRange(8, 16);
    m_countBox->setValue(m_count);
    m_countBox->setSuffix(tr(" variants"));
    connect(m_countBox, qOverload<int>(&QSpinBox::valueChanged), this, &AugmentPreview::setVariantCount);
    m_seedBox->setRange(0, 999999);
    m_seedBox->setValue(int(m_seed));
    m_seedBox->setPrefix(tr("seed "));
    connect(m_seedBox, qOverload<int>(&QSpinBox::valueChanged), this,
            [this](int v) { setSeed(quint64(v)); });
    auto *reseed = new QPushButton(tr("&Reseed"), this);
    reseed->setToolTip(tr("New random variants (R)"));
    reseed->setShortcut(QKeySequence(Qt::Key_R));
    connect(reseed, &QPushButton::clicked, this, [this] {
        m_seedBox->setValue(int(QRandomGenerator::global()->bounded(1, 999999)));
    });
    auto *save = new QPushButton(tr("&Save recipe to project"), this);
    connect(save, &QPushButton::clicked, this, &AugmentPreview::saveToProject);

    connect(m_editor, &RecipeEditor::recipeChanged, this, &AugmentPreview::scheduleRender);
    connect(&m_watcher, &QFutureWatcher<Rendered>::finished, this,
            &AugmentPreview::showResults);
    connect(&m_loading, &QFutureWatcher<Loaded>::finished, this, &AugmentPreview::imageLoaded);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_countBox);
    controls->addWidget(m_seedBox);
    controls->addWidget(reseed);
    controls->addStretch(1);
    controls->addWidget(m_status);
    controls->addWidget(save);

    auto *pictures = new QWidget;
    auto *pictureLayout = new QHBoxLayout(pictures);
    pictureLayout->addWidget(m_original, 2);
    auto *gridHost = new QWidget;
    gridHost->setLayout(m_grid);
    m_grid->setSpacing(4);
    pictureLayout->addWidget(gridHost, 5);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_editor);
    splitter->addWidget(pictures);
    splitter->setStretchFactor(1, 3);
    m_editor->setMinimumWidth(330); // parameter rows whole, no sideways scrolling
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
    setVariantCount(m_count);
    m_editor->setRecipe(AugmentRecipe::standardPreset());
}

AugmentPreview::~AugmentPreview()
{
    m_loading.waitForFinished();
    m_watcher.waitForFinished();
    m_pool.waitForDone();
}

void AugmentPreview::setStore(ProjectStore *store)
{
    m_store = store;
    AugmentRecipe recipe = AugmentRecipe::standardPreset();
    ImageDomain domain = ImageDomain::Natural;
    if (m_store) {
        const QString json = m_store->setting(QString::fromLatin1(kRecipeKey)).valueOr(QString());
        if (!json.isEmpty()) {
            auto r = AugmentRecipe::fromJson(json.toUtf8(), tr("the project's augmentation recipe"));
            if (r.ok())
                recipe = r.value();
            else
                m_status->setText(r.error().toString());
        }
        domain = domainFromName(m_store->setting(QString::fromLatin1(kDomainKey)).valueOr(QString()))
                     .value_or(ImageDomain::Natural);
    }
    m_editor->setDomain(domain);
    m_editor->setRecipe(recipe);
    setImage(0);
}

void AugmentPreview::saveToProject()
{
    if (!m_store)
        return;
    Status s = m_store->setSetting(QString::fromLatin1(kRecipeKey),
                                   QString::fromUtf8(m_editor->recipe().toJson()));
    if (s.ok())
        s = m_store->setSetting(QString::fromLatin1(kDomainKey), domainName(m_editor->domain()));
    m_status->setText(s.ok() ? tr("Recipe saved") : s.error().toString());
}

void AugmentPreview::setImage(qint64 imageId)
{
    // The rows are read here (cheap); the pixels are decoded in the pool, never
    // on the GUI thread: a 100-megapixel scan takes seconds.
    m_image = cv::Mat();
    m_pyramid.clear();
    m_shapes.clear();
    m_shapeColors.clear();
    const int generation = ++m_loadGeneration;
    QString path;
    int orientation = 1;
    if (m_store && imageId > 0) {
        auto rec = m_store->image(imageId);
        if (rec.ok() && rec->readable) {
            path = rec->absolutePath;
            orientation = rec->orientation;
            QHash<qint64, QColor> colors;
            const auto classes = m_store->classes();
            if (classes.ok())
                for (const ClassRecord &c : classes.value())
                    colors.insert(c.id, c.color);
            const auto shapes = m_store->shapes(imageId);
            if (shapes.ok())
                for (const Shape &s : shapes.value()) {
                    m_shapes.push_back(s.geometry);
                    m_shapeColors.push_back(colors.value(s.classId, QColor(Qt::yellow)));
                }
        }
    }
    showOriginal();
    scheduleRender(); // no pixels yet: clears the tiles until they arrive
    if (path.isEmpty())
        return;
    m_loading.setFuture(QtConcurrent::run(&m_pool, [path, orientation, generation]() {
        Loaded l;
        l.generation = generation;
        DecodeOptions opt;
        opt.orientation = orientation;
        auto img = decodeImage(path, opt);
        if (!img.ok()) {
            l.error = img.error().toString();
            return l;
        }
        cv::Mat pixels = toDisplayDepth(img.value());
        if (pixels.channels() == 4)
            cv::cvtColor(pixels, pixels, cv::COLOR_BGRA2BGR);
        l.pyramid = augmentPyramid(pixels);
        return l;
    }));
}

void AugmentPreview::imageLoaded()
{
    const Loaded l = m_loading.result();
    if (l.generation != m_loadGeneration)
        return; // the person has moved on to another image
    if (!l.error.isEmpty())
        m_status->setText(l.error);
    m_pyramid = l.pyramid;
    m_image = m_pyramid.isEmpty() ? cv::Mat() : m_pyramid.first();
    showOriginal();
    scheduleRender();
}

void AugmentPreview::showOriginal()
{
    const QImage original =
        m_image.empty() ? QImage() : drawSample(AugmentSample{m_image, m_shapes, {}}, m_shapeColors);
    // The whole image, fitted into the space the label has (never cropped).
    const QSize room = m_original->size().boundedTo(QSize(480, 480)).expandedTo(QSize(120, 120)) - QSize(8, 8);
    m_original->setPixmap(original.isNull() ? QPixmap()
                                            : QPixmap::fromImage(original.scaled(
                                                  room, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    if (original.isNull())
        m_original->setText(m_loading.isRunning() ? tr("Loading…") : tr("Select an image in the browser"));
}

void AugmentPreview::setVariantCount(int count)
{
    m_count = std::clamp(count, 8, 16);
    if (m_countBox->value() != m_count)
        m_countBox->setValue(m_count);
    for (QLabel *tile : m_tiles)
        delete tile;
    m_tiles.clear();
    const int columns = m_count <= 8 ? 4 : (m_count <= 12 ? 4 : 4);
    for (int i = 0; i < m_count; ++i) {
        auto *tile = new QLabel;
        tile->setAlignment(Qt::AlignCenter);
        tile->setMinimumSize(120, 120);
        tile->setFrameShape(QFrame::StyledPanel);
        m_grid->addWidget(tile, i / columns, i % columns);
        m_tiles.push_back(tile);
    }
    scheduleRender();
}

void AugmentPreview::setSeed(quint64 seed)
{
    m_seed = seed;
    if (quint64(m_seedBox->value()) != seed)
        m_seedBox->setValue(int(seed));
    scheduleRender();
}

void AugmentPreview::scheduleRender()
{
    // One render at a time; edits made meanwhile are rendered right after.
    if (m_watcher.isRunning()) {
        m_renderPending = true;
        return;
    }
    render();
}

void AugmentPreview::render()
{
    m_renderPending = false;
    const int generation = ++m_generation;
    if (m_image.empty()) {
        for (QLabel *tile : m_tiles)
            tile->clear();
        m_variants.clear();
        return;
    }
    const Augmenter aug(m_editor->recipe());
    const QVector<cv::Mat> pyramid = m_pyramid; // shared, read-only in the workers
    const QVector<Geometry> shapes = m_shapes;
    const QVector<QColor> colors = m_shapeColors;
    const quint64 seed = m_seed;
    const int count = m_count;
    m_watcher.setFuture(QtConcurrent::run(&m_pool, [=]() {
        QElapsedTimer t;
        t.start();
        QVector<int> index(count);
        for (int i = 0; i < count; ++i)
            index[i] = i;
        // Variants in parallel on the same pool's threads.
        QVector<QImage> out = QtConcurrent::blockingMapped<QVector<QImage>>(index, [&](int i) {
            const AugmentSample s = augmentFromPyramid(aug, pyramid, shapes, seed * 7919ULL + quint64(i));
            QVector<QColor> kept;
            for (int k : s.sourceIndex)
                kept.push_back(colors.value(k));
            return drawSample(s, kept);
        });
        return Rendered{generation, out, t.nsecsElapsed() / 1e6};
    }));
}

void AugmentPreview::showResults()
{
    const Rendered result = m_watcher.result();
    const QVector<QImage> &images = result.images;
    if (result.generation == m_generation) {
        m_variants = images;
        m_lastRenderMs = result.ms;
        for (int i = 0; i < m_tiles.size() && i < images.size(); ++i) {
            const int side = std::min(m_tiles[i]->width(), m_tiles[i]->height()) - 4;
            m_tiles[i]->setPixmap(QPixmap::fromImage(
                images[i].scaled(std::max(side, 96), std::max(side, 96), Qt::KeepAspectRatio,
                                 Qt::SmoothTransformation)));
        }
        m_status->setText(tr("%n variant(s) in %1 ms", nullptr, int(images.size()))
                              .arg(QString::number(m_lastRenderMs, 'f', 0)));
        Q_EMIT rendered();
    }
    if (m_renderPending)
        render();
}

QImage AugmentPreview::drawSample(const AugmentSample &sample, const QVector<QColor> &colors)
{
    return toQImage(drawAugmentSample(sample, colors));
}

} // namespace salient
