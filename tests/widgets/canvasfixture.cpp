// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/widgets/canvasfixture.h"

#include "core/project/store.h"
#include "widgets/canvas/boxtool.h"
#include "widgets/canvas/brushtool.h"
#include "widgets/canvas/polygontool.h"
#include "widgets/canvas/selecttool.h"

#include <QTest>

#include <cmath>

namespace salient::test {

CanvasFixture::CanvasFixture()
{
    ProjectStore &store = m_project.store();
    NewImage img;
    img.absolutePath = m_project.path(QStringLiteral("img.png"));
    img.width = 400;
    img.height = 300;
    img.format = QStringLiteral("png");
    auto ids = store.addImages({img});
    if (!ids.ok() || ids->size() != 1)
        return;
    m_imageId = ids->first();
    for (const char *name : {"cat", "dog", "bird"}) {
        auto id = store.addClass(QString::fromLatin1(name));
        if (!id.ok())
            return;
        m_classIds.append(id.value());
    }
    auto doc = AnnotationDocument::load(store, m_imageId);
    if (!doc.ok())
        return;
    m_document = std::move(doc).value();
    m_canvas = std::make_unique<AnnotationCanvas>();
    m_canvas->addTool(new SelectTool(m_canvas.get()));
    m_canvas->addTool(new BoxTool(m_canvas.get()));
    m_canvas->addTool(new PolygonTool(m_canvas.get()));
    m_canvas->addTool(new BrushTool(m_canvas.get(), false));
    m_canvas->addTool(new BrushTool(m_canvas.get(), true));
    m_canvas->resize(800, 600);
    auto classes = store.classes();
    m_canvas->setClasses(classes.valueOr({}));
    QImage pixels(400, 300, QImage::Format_RGB32);
    pixels.fill(QColor(90, 110, 130));
    m_canvas->setImage(pixels, QSize(400, 300));
    m_canvas->setDocument(m_document.get());
    m_canvas->show();
    if (!QTest::qWaitForWindowExposed(m_canvas.get()))
        return;
    m_canvas->activateWindow();
    m_canvas->setFocus();
    m_ok = true;
}

QVector<Shape> CanvasFixture::storedShapes()
{
    auto fresh = ProjectStore::open(m_project.file());
    if (!fresh.ok())
        return {};
    return (*fresh)->shapes(m_imageId).valueOr({});
}

QPoint CanvasFixture::toWidget(const QPointF &imagePos) const
{
    const QPointF w = m_canvas->imageToWidget(imagePos);
    return QPoint(int(std::lround(w.x())), int(std::lround(w.y())));
}

void CanvasFixture::key(int key, Qt::KeyboardModifiers mods)
{
    QTest::keyClick(m_canvas.get(), Qt::Key(key), mods);
}

void CanvasFixture::click(const QPoint &at, Qt::KeyboardModifiers mods)
{
    QTest::mouseClick(m_canvas.get(), Qt::LeftButton, mods, at);
}

void CanvasFixture::doubleClick(const QPoint &at)
{
    // As a hand does it: press, release, then the double-click event.
    QTest::mouseClick(m_canvas.get(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(m_canvas.get(), Qt::LeftButton, {}, at);
    QTest::mouseRelease(m_canvas.get(), Qt::LeftButton, {}, at);
}

void CanvasFixture::drag(const QPoint &from, const QPoint &to, Qt::KeyboardModifiers mods)
{
    QTest::mousePress(m_canvas.get(), Qt::LeftButton, mods, from);
    const int steps = 6;
    for (int i = 1; i <= steps; ++i)
        QTest::mouseMove(m_canvas.get(), from + (to - from) * i / steps);
    QTest::mouseRelease(m_canvas.get(), Qt::LeftButton, mods, to);
}

} // namespace salient::test
