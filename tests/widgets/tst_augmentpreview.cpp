// SPDX-License-Identifier: GPL-3.0-or-later
// The augmentation preview: variants of the selected image with its shapes,
// re-rendered when a parameter changes or a transform is switched off, domain
// warnings in the editor, and the recipe kept in the project.

#include "core/imaging/importer.h"
#include "core/project/store.h"
#include "tests/support/imagemaker.h"
#include "tests/support/tempproject.h"
#include "widgets/augmentpreview.h"
#include "widgets/recipeeditor.h"

#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace salient;

class TestAugmentPreview : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsVariantsWithShapes();
    void editingAParameterRendersAgain();
    void switchingATransformOff();
    void medicalDomainWarnsAboutFlips();
    void recipeIsKeptInTheProject();

private:
    std::unique_ptr<test::TempProject> m_project;
    std::unique_ptr<AugmentPreview> m_preview;
    qint64 m_image = 0;
};

void TestAugmentPreview::init()
{
    m_project = std::make_unique<test::TempProject>();
    const QString file = m_project->path("photo.jpg");
    QVERIFY(test::writeJpeg(file, 1155, 866, 3)); // about one megapixel
    ProjectStore &store = m_project->store();
    auto ids = store.addImages({readImageFile(file)});
    QVERIFY(ids.ok());
    m_image = ids->at(0);
    const qint64 cls = store.addClass("part", QColor(Qt::red)).value();
    Shape box;
    box.imageId = m_image;
    box.classId = cls;
    box.geometry = Box{QRectF(400, 300, 300, 200)};
    QVERIFY(store.addShapes({box}).ok());

    m_preview = std::make_unique<AugmentPreview>();
    m_preview->resize(1400, 800);
    m_preview->show();
    QSignalSpy rendered(m_preview.get(), &AugmentPreview::rendered);
    m_preview->setStore(&store);
    m_preview->setImage(m_image);
    QVERIFY(rendered.wait(5000));
}

void TestAugmentPreview::cleanup()
{
    m_preview.reset();
    m_project.reset();
}

void TestAugmentPreview::showsVariantsWithShapes()
{
    QCOMPARE(m_preview->variants().size(), 8);
    for (const QImage &v : m_preview->variants())
        QCOMPARE(v.size(), QSize(224, 224)); // the preset's random resized crop
    // The red box is drawn on the variants that kept it: some red pixels somewhere.
    int red = 0;
    for (const QImage &v : m_preview->variants())
        for (int y = 0; y < v.height(); ++y)
            for (int x = 0; x < v.width(); ++x) {
                const QColor c = v.pixelColor(x, y);
                red += (c.red() > 200 && c.green() < 60 && c.blue() < 60) ? 1 : 0;
            }
    QVERIFY2(red > 50, qPrintable(QString::number(red)));
    qInfo("8 variants of a 1155x866 image rendered in %.1f ms", m_preview->lastRenderMs());
}

void TestAugmentPreview::editingAParameterRendersAgain()
{
    const QVector<QImage> before = m_preview->variants();
    auto *crop = m_preview->editor()->findChild<QGroupBox *>("random_resized_crop");
    QVERIFY(crop);
    auto *size = crop->findChild<QDoubleSpinBox *>("size");
    QVERIFY(size);
    QSignalSpy rendered(m_preview.get(), &AugmentPreview::rendered);
    size->setValue(128);
    QVERIFY(rendered.wait(5000));
    QCOMPARE(m_preview->variants().first().size(), QSize(128, 128));
    QCOMPARE(m_preview->editor()->recipe().transforms[1].param("size"), 128.0);
    QVERIFY(m_preview->variants().first() != before.first());
}

void TestAugmentPreview::switchingATransformOff()
{
    // Everything but the crop off, crop to the whole picture: variants are the
    // picture itself, resized, so every variant is the same.
    RecipeEditor *editor = m_preview->editor();
    QSignalSpy rendered(m_preview.get(), &AugmentPreview::rendered);
    for (QGroupBox *box : editor->findChildren<QGroupBox *>())
        if (box->objectName() != QLatin1String("random_resized_crop"))
            box->setChecked(false);
    auto *crop = editor->findChild<QGroupBox *>("random_resized_crop");
    crop->findChild<QDoubleSpinBox *>("scale_min")->setValue(1.0);
    crop->findChild<QDoubleSpinBox *>("ratio_min")->setValue(0.1);
    crop->findChild<QDoubleSpinBox *>("ratio_max")->setValue(10);
    while (rendered.wait(1000)) {
    }
    const QVector<QImage> v = m_preview->variants();
    QCOMPARE(v.size(), 8);
    for (const QImage &img : v)
        QCOMPARE(img, v.first());
}

void TestAugmentPreview::medicalDomainWarnsAboutFlips()
{
    RecipeEditor *editor = m_preview->editor();
    QVERIFY(editor->warnings().isEmpty());
    editor->setDomain(ImageDomain::Medical);
    QCOMPARE(editor->warnings().size(), 1);
    QVERIFY(editor->warnings().first().contains("flip"));
    bool shown = false;
    for (QLabel *l : editor->findChildren<QLabel *>())
        shown = shown || (l->isVisible() && l->text().contains("flip"));
    QVERIFY(shown);
}

void TestAugmentPreview::recipeIsKeptInTheProject()
{
    auto *rotate = m_preview->editor()->findChild<QGroupBox *>("rotate");
    rotate->findChild<QDoubleSpinBox *>("degrees")->setValue(40);
    m_preview->editor()->setDomain(ImageDomain::Aerial);
    m_preview->saveToProject();
    ProjectStore &again = m_project->reopen();
    AugmentPreview fresh;
    fresh.setStore(&again);
    QCOMPARE(fresh.editor()->recipe().transforms[0].param("degrees"), 40.0);
    QCOMPARE(fresh.editor()->domain(), ImageDomain::Aerial);
    m_preview->setStore(nullptr);
}

QTEST_MAIN(TestAugmentPreview)
#include "tst_augmentpreview.moc"
