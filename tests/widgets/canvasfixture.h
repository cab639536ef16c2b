// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/annotation/shape.h"
#include "core/document/annotationdocument.h"
#include "tests/support/tempproject.h"
#include "widgets/canvas/annotationcanvas.h"

#include <QPoint>
#include <QVector>

#include <memory>

namespace salient::test {

/// A project with one 400x300 image and the classes cat, dog, bird; a shown
/// 800x600 AnnotationCanvas with every tool on that image's document.
class CanvasFixture {
public:
    CanvasFixture();
    bool ok() const { return m_ok; }
    AnnotationCanvas &canvas() { return *m_canvas; }
    AnnotationDocument &document() { return *m_document; }
    TempProject &project() { return m_project; }
    qint64 imageId() const { return m_imageId; }
    qint64 classId(int index) const { return m_classIds.at(index); }

    /// The image's shapes as a fresh connection reads them (store reopened).
    QVector<Shape> storedShapes();
    /// Widget pixel nearest to an image point (events carry whole pixels).
    QPoint toWidget(const QPointF &imagePos) const;

    void key(int key, Qt::KeyboardModifiers mods = Qt::NoModifier);
    void click(const QPoint &at, Qt::KeyboardModifiers mods = Qt::NoModifier);
    void doubleClick(const QPoint &at);
    /// Press, move in steps, release, as a hand would.
    void drag(const QPoint &from, const QPoint &to, Qt::KeyboardModifiers mods = Qt::NoModifier);

private:
    TempProject m_project;
    std::unique_ptr<AnnotationDocument> m_document;
    std::unique_ptr<AnnotationCanvas> m_canvas;
    qint64 m_imageId = 0;
    QVector<qint64> m_classIds;
    bool m_ok = false;
};

} // namespace salient::test
