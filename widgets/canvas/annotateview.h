// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"
#include "core/util/result.h"

#include <QPointer>
#include <QWidget>

#include <memory>

class QAction;
class QComboBox;
class QLabel;
class QSlider;
class QToolBar;
class QToolButton;
class QUndoStack;

namespace salient {

class AnnotationCanvas;
class AnnotationDocument;
class ClassPicker;
class DocumentCache;
class EditCommands;
class LargeImageLoader;
struct LargeImageFrame;
class ProjectStore;
class TagBar;
class WindowLevelBar;

/// The single-image view of the studio, where images are annotated: the
/// canvas with its tools, a tool bar (tools, current class with a searchable
/// picker, fill opacity, labels, visible classes, zoom, image status), the
/// window/level bar for 16-bit and grey images, and the image's tags.
///
/// Each image's AnnotationDocument comes from a DocumentCache, so its undo
/// history survives going to another image (A/D) and back. Image tags and
/// status edits go onto the same stack as the shapes: one history per image.
/// An image whose status is "new" becomes "in progress" at its first edit.
class AnnotateView : public QWidget {
    Q_OBJECT
public:
    explicit AnnotateView(QWidget *parent = nullptr);
    ~AnnotateView() override;

    /// The project (not owned); nullptr when it closes (drops all documents).
    void setStore(ProjectStore *store);
    /// Loads an image's document (at once) and its pixels (in the background).
    bool showImage(qint64 imageId);
    void clear();

    qint64 imageId() const { return m_imageId; }
    AnnotationCanvas *canvas() const { return m_canvas; }
    AnnotationDocument *document() const;
    /// The undo stack of the shown image (nullptr when none).
    QUndoStack *undoStack() const;
    /// The image-level edits of the shown image, on its document's stack.
    EditCommands *commands() const;
    DocumentCache *documents() const { return m_documents.get(); }
    QToolBar *toolBar() const { return m_toolBar; }
    /// "toMasks", "toPolygons", "fillHoles": conversions of the selected shapes.
    QAction *maskAction(const QString &name) const;
    TagBar *tagBar() const { return m_tagBar; }
    ClassPicker *classPicker() const { return m_picker; }
    QComboBox *statusBox() const { return m_statusBox; }
    /// Whether the pixels of the shown image arrived (full resolution).
    bool isImageReady() const { return m_imageReady; }
    /// The status the store holds for the shown image.
    ImageStatus status() const;

public Q_SLOTS:
    void markDone();
    void openClassPicker();
    void reloadClasses();

Q_SIGNALS:
    void stepRequested(int delta); ///< -1 previous (A), +1 next (D)
    void undoStackChanged(QUndoStack *stack);
    void failed(const salient::Error &error);
    void message(const QString &text);

private:
    void createToolBar();
    void createMaskActions();
    void onPreview(const LargeImageFrame &frame);
    void onImage(const LargeImageFrame &frame);
    void onImageFailed(const Error &error);
    void onShapesEdited();
    void refreshTags();
    void refreshStatus();
    void rebuildVisibilityMenu();
    void updateClassBox();
    void updateZoomLabel();

    QPointer<ProjectStore> m_store;
    std::unique_ptr<DocumentCache> m_documents;
    qint64 m_imageId = 0;
    QPointer<AnnotationDocument> m_document;
    QVector<ClassRecord> m_classes;
    bool m_imageReady = false;
    QSize m_fullSize;

    AnnotationCanvas *m_canvas;
    LargeImageLoader *m_loader;
    WindowLevelBar *m_windowBar;
    TagBar *m_tagBar;
    ClassPicker *m_picker;
    QToolBar *m_toolBar = nullptr;
    QComboBox *m_classBox = nullptr;
    QSlider *m_opacity = nullptr;
    QToolButton *m_visibleButton = nullptr;
    QAction *m_toMasks = nullptr;    ///< selection: polygons/boxes -> masks
    QAction *m_toPolygons = nullptr; ///< selection: masks -> polygons
    QAction *m_fillHoles = nullptr;  ///< selection: fill the masks' holes
    QComboBox *m_statusBox = nullptr;
    QLabel *m_position = nullptr;
    QLabel *m_zoomLabel = nullptr;
};

} // namespace salient
