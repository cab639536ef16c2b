// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/canvas/annotateview.h"

#include "widgets/canvas/maskops.h"

#include "core/commands/editcommands.h"
#include "core/document/annotationdocument.h"
#include "core/imaging/largeimage.h"
#include "core/project/store.h"
#include "widgets/canvas/annotationcanvas.h"
#include "widgets/canvas/boxtool.h"
#include "widgets/canvas/brushtool.h"
#include "widgets/canvas/classpicker.h"
#include "widgets/canvas/polygontool.h"
#include "widgets/canvas/selecttool.h"
#include "widgets/canvas/tagbar.h"
#include "widgets/canvas/toolicons.h"
#include "widgets/canvas/windowlevelbar.h"
#include "widgets/icons.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QSlider>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>

namespace salient {


AnnotateView::AnnotateView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("annotateView"));
    m_canvas = new AnnotationCanvas(this);
    m_canvas->addTool(new SelectTool(m_canvas));
    m_canvas->addTool(new BoxTool(m_canvas));
    m_canvas->addTool(new PolygonTool(m_canvas));
    m_canvas->addTool(new BrushTool(m_canvas, false));
    m_canvas->addTool(new BrushTool(m_canvas, true));
    m_canvas->setTool(QStringLiteral("box"));

    m_loader = new LargeImageLoader(this);
    connect(m_loader, &LargeImageLoader::previewReady, this, &AnnotateView::onPreview);
    connect(m_loader, &LargeImageLoader::imageReady, this, &AnnotateView::onImage);
    connect(m_loader, &LargeImageLoader::failed, this, &AnnotateView::onImageFailed);

    m_windowBar = new WindowLevelBar(this);
    m_windowBar->installOn(m_canvas);
    m_windowBar->hide();
    connect(m_windowBar, &WindowLevelBar::displayChanged, this, [this](const QImage &display) {
        if (m_imageReady)
            m_canvas->setImage(display, m_fullSize);
    });

    m_tagBar = new TagBar(this);
    connect(m_tagBar, &TagBar::tagToggled, this, [this](qint64 classId) {
        if (EditCommands *c = commands())
            c->toggleLabel({m_imageId}, classId);
        refreshTags(); // the chip shows the store's answer, also when refused
    });
    m_picker = new ClassPicker(this);
    connect(m_picker, &ClassPicker::classPicked, m_canvas, &AnnotationCanvas::applyClass);

    m_position = new QLabel(this);
    m_position->setMinimumWidth(120);
    m_zoomLabel = new QLabel(this);
    m_zoomLabel->setMinimumWidth(50);
    m_zoomLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    createToolBar();

    auto *bottom = new QHBoxLayout;
    bottom->setContentsMargins(0, 0, 8, 0);
    bottom->addWidget(m_tagBar, 1);
    bottom->addWidget(m_position);
    bottom->addWidget(m_zoomLabel);
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(0);
    lay->addWidget(m_toolBar);
    lay->addWidget(m_windowBar);
    lay->addWidget(m_canvas, 1);
    lay->addLayout(bottom);

    connect(m_canvas, &AnnotationCanvas::previousImageRequested, this,
            [this]() { Q_EMIT stepRequested(-1); });
    connect(m_canvas, &AnnotationCanvas::nextImageRequested, this,
            [this]() { Q_EMIT stepRequested(1); });
    connect(m_canvas, &AnnotationCanvas::markDoneRequested, this, &AnnotateView::markDone);
    connect(m_canvas, &AnnotationCanvas::classPickerRequested, this,
            &AnnotateView::openClassPicker);
    connect(m_canvas, &AnnotationCanvas::currentClassChanged, this, &AnnotateView::updateClassBox);
    connect(m_canvas, &AnnotationCanvas::zoomChanged, this, &AnnotateView::updateZoomLabel);
    connect(m_canvas, &AnnotationCanvas::hoverPositionChanged, this, [this](const QPointF &p) {
        m_position->setText(
            std::isnan(p.x())
                ? QString()
                : QStringLiteral("%1, %2") .arg(p.x(), 0, 'f', 1).arg(p.y(), 0, 'f', 1));
    });
}

AnnotateView::~AnnotateView()
{
    m_loader->cancel();
    m_canvas->setDocument(nullptr);
}

void AnnotateView::createMaskActions()
{
    // Conversions of the selected shapes, each one undoable document edit.
    auto make = [this](const QString &name, const QString &text, const QString &tip) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        a->setToolTip(tip);
        a->setEnabled(false);
        return a;
    };
    m_toMasks = make(QStringLiteral("toMasks"), tr("Convert to Mask"),
                     tr("Turn the selected polygons and boxes into pixel masks"));
    m_toPolygons = make(QStringLiteral("toPolygons"), tr("Convert to Polygon"),
                        tr("Trace the selected masks as polygons (one per region)"));
    m_fillHoles = make(QStringLiteral("fillHoles"), tr("Fill Holes"),
                       tr("Fill the enclosed holes of the selected masks"));
    auto run = [this](QVector<qint64> (*op)(AnnotationDocument &, const QVector<qint64> &)) {
        if (AnnotationDocument *doc = m_canvas->document()) {
            const QVector<qint64> ids = op(*doc, m_canvas->selection());
            if (!ids.isEmpty())
                m_canvas->setSelection(ids);
        }
        m_canvas->setFocus();
    };
    connect(m_toMasks, &QAction::triggered, this, [run] { run(&convertToMasks); });
    connect(m_toPolygons, &QAction::triggered, this,
            [run] { run([](AnnotationDocument &d, const QVector<qint64> &ids) { return convertToPolygons(d, ids); }); });
    connect(m_fillHoles, &QAction::triggered, this, [run] { run(&fillMaskHoles); });
    auto refresh = [this] {
        const AnnotationDocument *doc = m_canvas->document();
        const QVector<qint64> sel = m_canvas->selection();
        m_toMasks->setEnabled(doc && canConvertToMasks(*doc, sel));
        m_toPolygons->setEnabled(doc && canConvertToPolygons(*doc, sel));
        m_fillHoles->setEnabled(m_toPolygons->isEnabled());
    };
    connect(m_canvas, &AnnotationCanvas::selectionChanged, this, refresh);

    auto *button = new QToolButton(m_toolBar);
    button->setText(tr("Shape"));
    button->setToolTip(tr("Convert the selected shapes"));
    button->setPopupMode(QToolButton::InstantPopup);
    button->setFocusPolicy(Qt::NoFocus);
    auto *menu = new QMenu(button);
    menu->addActions({m_toMasks, m_toPolygons, m_fillHoles});
    button->setMenu(menu);
    m_toolBar->addWidget(button);
}

QAction *AnnotateView::maskAction(const QString &name) const
{
    for (QAction *a : {m_toMasks, m_toPolygons, m_fillHoles})
        if (a && a->objectName() == name)
            return a;
    return nullptr;
}

void AnnotateView::createToolBar()
{
    m_toolBar = new QToolBar(tr("Annotate"), this);
    m_toolBar->setObjectName(QStringLiteral("annotateToolBar"));
    m_toolBar->setIconSize(QSize(20, 20));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonIconOnly);
    for (QAction *a : m_canvas->toolActions())
        m_toolBar->addAction(a);
    m_toolBar->addSeparator();

    m_toolBar->addWidget(new QLabel(tr(" Class "), m_toolBar));
    m_classBox = new QComboBox(m_toolBar);
    m_classBox->setObjectName(QStringLiteral("classBox"));
    m_classBox->setMinimumContentsLength(12);
    m_classBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_classBox->setToolTip(tr("Class of new shapes; 1-9 pick the first nine"));
    m_classBox->setFocusPolicy(Qt::NoFocus);
    connect(m_classBox, &QComboBox::activated, this, [this](int index) {
        m_canvas->applyClass(m_classBox->itemData(index).toLongLong());
        m_canvas->setFocus();
    });
    m_toolBar->addWidget(m_classBox);
    QAction *find = m_canvas->action(QStringLiteral("classPicker"));
    find->setIcon(icon(QStringLiteral("filter")));
    find->setToolTip(tr("Find a class by name (C, Ctrl+K)"));
    m_toolBar->addAction(find);
    m_toolBar->addSeparator();

    m_toolBar->addWidget(new QLabel(tr(" Fill "), m_toolBar));
    m_opacity = new QSlider(Qt::Horizontal, m_toolBar);
    m_opacity->setRange(0, 100);
    m_opacity->setValue(int(std::lround(m_canvas->fillOpacity() * 100)));
    m_opacity->setFixedWidth(90);
    m_opacity->setFocusPolicy(Qt::NoFocus);
    m_opacity->setToolTip(tr("Fill opacity of the shapes"));
    connect(m_opacity, &QSlider::valueChanged, this,
            [this](int v) { m_canvas->setFillOpacity(v / 100.0); });
    m_toolBar->addWidget(m_opacity);

    auto *labels = new QAction(tr("Labels"), this);
    labels->setCheckable(true);
    labels->setChecked(m_canvas->showLabels());
    labels->setToolTip(tr("Show the class name on each shape"));
    connect(labels, &QAction::toggled, m_canvas, &AnnotationCanvas::setShowLabels);
    m_toolBar->addAction(labels);
    if (auto *b = qobject_cast<QToolButton *>(m_toolBar->widgetForAction(labels)))
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);

    m_visibleButton = new QToolButton(m_toolBar);
    m_visibleButton->setText(tr("Visible"));
    m_visibleButton->setToolTip(tr("Show or hide the shapes of each class"));
    m_visibleButton->setPopupMode(QToolButton::InstantPopup);
    m_visibleButton->setMenu(new QMenu(m_visibleButton));
    m_visibleButton->setFocusPolicy(Qt::NoFocus);
    m_toolBar->addWidget(m_visibleButton);
    createMaskActions();
    m_toolBar->addSeparator();

    QAction *fit = m_canvas->action(QStringLiteral("fit"));
    fit->setIcon(icon(QStringLiteral("zoom-fit")));
    QAction *actual = m_canvas->action(QStringLiteral("actual"));
    actual->setIcon(icon(QStringLiteral("zoom-actual")));
    m_toolBar->addAction(fit);
    m_toolBar->addAction(actual);

    auto *spacer = new QWidget(m_toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_toolBar->addWidget(spacer);
    m_toolBar->addWidget(new QLabel(tr("Status "), m_toolBar));
    m_statusBox = new QComboBox(m_toolBar);
    m_statusBox->setObjectName(QStringLiteral("statusBox"));
    m_statusBox->addItems({tr("New"), tr("In progress"), tr("Done"), tr("Needs review")});
    m_statusBox->setFocusPolicy(Qt::NoFocus);
    m_statusBox->setToolTip(tr("Where you are with this image (Space marks it done)"));
    connect(m_statusBox, &QComboBox::activated, this, [this](int index) {
        if (EditCommands *c = commands())
            c->setStatus({m_imageId}, static_cast<ImageStatus>(index));
        refreshStatus();
        m_canvas->setFocus();
    });
    m_toolBar->addWidget(m_statusBox);
}

void AnnotateView::setStore(ProjectStore *store)
{
    clear();
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_documents.reset();
    m_store = store;
    if (!store)
        return;
    m_documents = std::make_unique<DocumentCache>(*store);
    connect(m_documents.get(), &DocumentCache::failed, this, &AnnotateView::failed);
    connect(store, &ProjectStore::classesChanged, this, &AnnotateView::reloadClasses);
    connect(store, &ProjectStore::labelsChanged, this, [this](const QVector<qint64> &ids) {
        if (ids.contains(m_imageId))
            refreshTags();
    });
    connect(store, &ProjectStore::imagesChanged, this, [this](const QVector<qint64> &ids) {
        if (ids.contains(m_imageId))
            refreshStatus();
    });
    reloadClasses();
}

void AnnotateView::clear()
{
    m_loader->cancel();
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = nullptr;
    m_imageId = 0;
    m_imageReady = false;
    m_canvas->setDocument(nullptr);
    m_canvas->setImage(QImage(), QSize());
    m_windowBar->setImage(cv::Mat());
    m_windowBar->hide();
    m_tagBar->setTags({});
    Q_EMIT undoStackChanged(nullptr);
}

bool AnnotateView::showImage(qint64 imageId)
{
    if (!m_store || !m_documents)
        return false;
    auto record = m_store->image(imageId);
    if (!record.ok()) {
        Q_EMIT failed(record.error());
        return false;
    }
    AnnotationDocument *doc = m_documents->document(imageId);
    if (!doc)
        return false;
    clear();
    m_imageId = imageId;
    m_document = doc;
    m_fullSize = QSize(record->width, record->height);
    if (!doc->findChild<EditCommands *>()) {
        // Tags and status share the image's history with its shapes.
        auto *commands = new EditCommands(*m_store, doc->undoStack(), doc);
        connect(commands, &EditCommands::failed, this, &AnnotateView::failed);
    }
    connect(doc, &AnnotationDocument::shapeAdded, this, &AnnotateView::onShapesEdited);
    connect(doc, &AnnotationDocument::shapeRemoved, this, &AnnotateView::onShapesEdited);
    connect(doc, &AnnotationDocument::shapeChanged, this, &AnnotateView::onShapesEdited);
    connect(doc, &AnnotationDocument::failed, this, &AnnotateView::failed);
    m_canvas->setImage(QImage(), m_fullSize.isEmpty() ? doc->imageSize() : m_fullSize);
    m_canvas->setDocument(doc);
    if (record->readable) {
        m_canvas->setMessage(tr("Loading %1…").arg(record->path));
        m_loader->load(*record);
    } else {
        m_canvas->setMessage(record->unreadableReason.isEmpty() ? tr("This file cannot be read.")
                                                                : record->unreadableReason);
    }
    refreshTags();
    refreshStatus();
    updateZoomLabel();
    m_canvas->setFocus();
    Q_EMIT undoStackChanged(&doc->undoStack());
    return true;
}

AnnotationDocument *AnnotateView::document() const
{
    return m_document;
}

QUndoStack *AnnotateView::undoStack() const
{
    return m_document ? &m_document->undoStack() : nullptr;
}

EditCommands *AnnotateView::commands() const
{
    return m_document ? m_document->findChild<EditCommands *>() : nullptr;
}

ImageStatus AnnotateView::status() const
{
    if (!m_store || !m_imageId)
        return ImageStatus::New;
    auto record = m_store->image(m_imageId);
    return record.ok() ? record->status : ImageStatus::New;
}

void AnnotateView::onPreview(const LargeImageFrame &frame)
{
    if (!m_imageReady)
        m_canvas->setImage(frame.display, frame.fullSize, frame.pyramid);
}

void AnnotateView::onImage(const LargeImageFrame &frame)
{
    m_imageReady = true;
    m_fullSize = frame.fullSize;
    m_windowBar->setImage(frame.fullDepth);
    m_windowBar->setVisible(m_windowBar->isApplicable());
    if (m_windowBar->isApplicable())
        m_canvas->setImage(m_windowBar->render(), frame.fullSize);
    else
        m_canvas->setImage(frame.display, frame.fullSize);
}

void AnnotateView::onImageFailed(const Error &error)
{
    if (error.code == Error::Code::Cancelled)
        return;
    m_canvas->setMessage(error.message);
}

void AnnotateView::onShapesEdited()
{
    // The first edit of a new image puts it in progress: bookkeeping, not an
    // edit of its own, so it is no undo step (Ctrl+Z undoes the shape).
    if (m_store && m_imageId && status() == ImageStatus::New) {
        const Status s = m_store->setStatus({m_imageId}, ImageStatus::InProgress);
        if (!s.ok())
            Q_EMIT failed(s.error());
    }
}

void AnnotateView::markDone()
{
    EditCommands *c = commands();
    if (!c)
        return;
    if (status() == ImageStatus::Done) {
        Q_EMIT message(tr("This image is already done."));
        return;
    }
    if (c->setStatus({m_imageId}, ImageStatus::Done))
        Q_EMIT message(tr("Marked done. A/D: previous/next image."));
}

void AnnotateView::openClassPicker()
{
    m_picker->setClasses(m_classes, m_canvas->currentClassId());
    const QPoint at =
        m_canvas->mapToGlobal(QPoint(m_canvas->width() / 2 - m_picker->width() / 2, 40));
    m_picker->popup(at);
}

void AnnotateView::reloadClasses()
{
    if (!m_store)
        return;
    auto classes = m_store->classes();
    m_classes = classes.ok() ? classes.value() : QVector<ClassRecord>{};
    m_canvas->setClasses(m_classes);
    m_tagBar->setClasses(m_classes);
    m_picker->setClasses(m_classes, m_canvas->currentClassId());
    m_classBox->clear();
    for (int i = 0; i < m_classes.size(); ++i)
        m_classBox->addItem(colorSwatch(m_classes[i].color),
                            i < 9 ? QStringLiteral("%1  %2").arg(i + 1).arg(m_classes[i].name)
                                                   : m_classes[i].name,
                                                   m_classes[i].id);
    updateClassBox();
    rebuildVisibilityMenu();
    refreshTags();
}

void AnnotateView::rebuildVisibilityMenu()
{
    QMenu *menu = m_visibleButton->menu();
    menu->clear();
    menu->addAction(tr("Show All"), this, [this]() {
        for (const ClassRecord &c : std::as_const(m_classes))
            m_canvas->setClassVisible(c.id, true);
        rebuildVisibilityMenu();
    });
    menu->addSeparator();
    for (const ClassRecord &c : std::as_const(m_classes)) {
        QAction *a = menu->addAction(colorSwatch(c.color), c.name);
        a->setCheckable(true);
        a->setChecked(m_canvas->isClassVisible(c.id));
        connect(a, &QAction::toggled, this,
                [this, id = c.id](bool on) { m_canvas->setClassVisible(id, on); });
    }
}

void AnnotateView::updateClassBox()
{
    const int index = m_classBox->findData(m_canvas->currentClassId());
    if (index >= 0)
        m_classBox->setCurrentIndex(index);
}

void AnnotateView::updateZoomLabel()
{
    m_zoomLabel->setText(QStringLiteral("%1%").arg(std::lround(m_canvas->zoom() * 100)));
}

void AnnotateView::refreshTags()
{
    if (!m_store || !m_imageId)
        return;
    auto labels = m_store->labels(m_imageId);
    m_tagBar->setTags(labels.ok() ? labels.value() : QVector<qint64>{});
}

void AnnotateView::refreshStatus()
{
    const QSignalBlocker block(m_statusBox);
    m_statusBox->setCurrentIndex(int(status()));
}

} // namespace salient
