// SPDX-License-Identifier: GPL-3.0-or-later
// "Try a model file…" driven as a person would: open a file, read what it
// says about itself, add images (or the one open in the studio), predict,
// read the top classes. A fake controller answers instead of a model.

#include "tests/widgets/exportfake.h"
#include "widgets/modeltrydialog.h"

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace salient;
using salient::test::FakeExportController;

namespace {

ModelMeta petsMeta()
{
    ModelMeta m;
    m.format = QStringLiteral("onnx");
    m.architecture = QStringLiteral("resnet18");
    m.classNames = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};
    m.inputSize = 224;
    m.runId = 7;
    m.runName = QStringLiteral("resnet night");
    m.projectName = QStringLiteral("pets.salient");
    m.exportedAt = QDateTime(QDate(2026, 11, 27), QTime(18, 30), Qt::UTC);
    m.producer = QStringLiteral("Salient Studio 0.8.0");
    return m;
}

FilePrediction answer(const QString &path, QVector<int> classes, QVector<double> probabilities)
{
    FilePrediction p;
    p.path = path;
    p.topClasses = std::move(classes);
    p.topProbabilities = std::move(probabilities);
    return p;
}

/// With SALIENT_GRAB_DIR set, saves what the dialog looks like (for review by eye).
void maybeGrab(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("SALIENT_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QCoreApplication::sendPostedEvents(); // layouts settle as they would on screen
    if (!dir.isEmpty())
        w->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
}

} // namespace

class TestModelTryDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void openingShowsWhatTheFileSays_data();
    void openingShowsWhatTheFileSays();
    void openFailureIsShown();
    void predictShowsTopKPerImage();
    void imageErrorsShowInTheirRow();
    void currentImageCanBeUsed();
    void stopCancelsAndClosingWaits();
    void answersNotAskedForAreIgnored();

private:
    void openPets(const ModelMeta &meta = petsMeta(), const QString &runtime = {});

    QTemporaryDir m_dir;
    std::unique_ptr<FakeExportController> m_fake;
    std::unique_ptr<ModelTryDialog> m_dialog;
};

void TestModelTryDialog::initTestCase()
{
    QLocale::setDefault(QLocale::c());
    QVERIFY(m_dir.isValid());
}

void TestModelTryDialog::init()
{
    m_fake = std::make_unique<FakeExportController>();
    m_dialog = std::make_unique<ModelTryDialog>();
    m_dialog->setController(m_fake.get());
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestModelTryDialog::cleanup()
{
    m_dialog.reset();
    m_fake.reset();
}

void TestModelTryDialog::openPets(const ModelMeta &meta, const QString &runtime)
{
    const QString file = m_dir.filePath(QStringLiteral("pets.onnx"));
    m_dialog->modelEdit()->clear();
    QTest::keyClicks(m_dialog->modelEdit(), file);
    QTest::keyClick(m_dialog->modelEdit(), Qt::Key_Return);
    QVERIFY(m_dialog->isBusy());
    QCOMPARE(m_fake->predicts.size(), 1);
    QCOMPARE(m_fake->predicts[0].modelFile, file);
    QVERIFY(m_fake->predicts[0].images.isEmpty()); // only the meta is wanted yet
    m_fake->emitOpened(meta, runtime.isEmpty() ? QStringLiteral("OpenCV dnn 4.6.0") : runtime);
    m_fake->emitPredicted({});
    QVERIFY(!m_dialog->isBusy());
    QVERIFY(m_dialog->hasModel());
}

void TestModelTryDialog::openingShowsWhatTheFileSays_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("normalisationBuiltIn");
    QTest::addColumn<bool>("features");
    QTest::addColumn<QString>("runtime");
    QTest::addColumn<QString>("formatText");
    QTest::addColumn<QString>("normalisationText");
    QTest::addColumn<QString>("featuresText");

    QTest::newRow("onnx full precision") << "onnx" << false << false << "OpenCV dnn 4.6.0"
                                         << "ONNX, full precision"
                                         << "mean 0.485 / 0.456 / 0.406\nstd 0.229 / 0.224 / 0.225"
                                         << "no";
    QTest::newRow("onnx int8, raw pixels, Grad-CAM output")
        << "onnx-int8" << true << true << "OpenCV dnn 4.6.0"
        << "ONNX, int8"
        << "built in: feed raw 0–255 pixels"
        << "yes, \"features\" from layer4";
    QTest::newRow("libtorch") << "libtorch" << false << false << "LibTorch 1.13.1"
                              << "LibTorch"
                              << "mean 0.485 / 0.456 / 0.406\nstd 0.229 / 0.224 / 0.225"
                              << "no";
}

void TestModelTryDialog::openingShowsWhatTheFileSays()
{
    QFETCH(QString, format);
    QFETCH(bool, normalisationBuiltIn);
    QFETCH(bool, features);
    QFETCH(QString, runtime);
    QFETCH(QString, formatText);
    QFETCH(QString, normalisationText);
    QFETCH(QString, featuresText);

    ModelMeta meta = petsMeta();
    meta.format = format;
    meta.normalisationBuiltIn = normalisationBuiltIn;
    meta.featuresOutput = features;
    meta.featuresLayer = features ? QStringLiteral("layer4") : QString();
    QVERIFY(!m_dialog->predictButton()->isEnabled());
    openPets(meta, runtime);

    QCOMPARE(m_dialog->metaValue(QStringLiteral("architecture"))->text(),
                                 QStringLiteral("resnet18"));
    QCOMPARE(m_dialog->metaValue(QStringLiteral("classes"))->text(),
                                 QStringLiteral("cat, dog, bird (3)"));
    QCOMPARE(m_dialog->metaValue(QStringLiteral("input"))->text(), QStringLiteral("224 × 224 RGB"));
    QCOMPARE(m_dialog->metaValue(QStringLiteral("runtime"))->text(), runtime);
    QCOMPARE(m_dialog->metaValue(QStringLiteral("format"))->text(), formatText);
    QCOMPARE(m_dialog->metaValue(QStringLiteral("normalisation"))->text(), normalisationText);
    QCOMPARE(m_dialog->metaValue(QStringLiteral("features"))->text(), featuresText);
    QCOMPARE(m_dialog->metaValue(QStringLiteral("trained"))->text(),
                                 QStringLiteral("resnet night (run #7) in pets.salient"));
    // Open, but nothing to predict yet.
    QVERIFY(!m_dialog->predictButton()->isEnabled());
}

void TestModelTryDialog::openFailureIsShown()
{
    openPets();
    const QString bad = m_dir.filePath(QStringLiteral("photo.onnx"));
    m_dialog->openModel(bad);
    m_fake->emitFailed(Error::Code::Parse, QStringLiteral("not an ONNX model (a PNG image?)"), bad);
    QVERIFY(!m_dialog->hasModel());
    QVERIFY(m_dialog->errorLabel()->isVisible());
    QVERIFY(m_dialog->errorLabel()->text().contains(QLatin1String("not an ONNX model")));
    QVERIFY(m_dialog->errorLabel()->text().contains(bad));
    // The old model's figures do not stay beside the new file's name.
    QCOMPARE(m_dialog->metaValue(QStringLiteral("architecture"))->text(), QStringLiteral("—"));
    m_dialog->addImages({m_dir.filePath(QStringLiteral("a.png"))});
    QVERIFY(!m_dialog->predictButton()->isEnabled());
}

void TestModelTryDialog::predictShowsTopKPerImage()
{
    openPets();
    const QString a = m_dir.filePath(QStringLiteral("a.png"));
    const QString b = m_dir.filePath(QStringLiteral("b.jpg"));
    m_dialog->addImages({a, b, a}); // the same image twice is asked once
    QCOMPARE(m_dialog->imageList()->count(), 2);
    m_dialog->topKSpin()->setValue(2);
    QVERIFY(m_dialog->predictButton()->isEnabled());
    QTest::mouseClick(m_dialog->predictButton(), Qt::LeftButton);
    QCOMPARE(m_fake->predicts.size(), 2);
    QCOMPARE(m_fake->predicts[1].images, (QStringList{a, b}));
    QCOMPARE(m_fake->predicts[1].topK, 2);
    QVERIFY(!m_dialog->predictButton()->isEnabled());

    m_fake->emitOpened(petsMeta(), QStringLiteral("OpenCV dnn 4.6.0"));
    m_fake->emitPredicted({answer(a, {1, 0}, {0.9, 0.05}), answer(b, {2, 1}, {0.625, 0.25})});
    QTreeWidget *tree = m_dialog->resultsTree();
    QCOMPARE(tree->topLevelItemCount(), 2);
    QTreeWidgetItem *first = tree->topLevelItem(0);
    QCOMPARE(first->text(0), QStringLiteral("a.png"));
    QCOMPARE(first->text(1), QStringLiteral("dog"));
    QCOMPARE(first->text(2), QStringLiteral("90.0 %"));
    QCOMPARE(first->childCount(), 1);
    QCOMPARE(first->child(0)->text(0), QStringLiteral("#2"));
    QCOMPARE(first->child(0)->text(1), QStringLiteral("cat"));
    QCOMPARE(first->child(0)->text(2), QStringLiteral("5.0 %"));
    QCOMPARE(tree->topLevelItem(1)->text(1), QStringLiteral("bird"));
    QCOMPARE(tree->topLevelItem(1)->text(2), QStringLiteral("62.5 %"));
    QVERIFY(!m_dialog->errorLabel()->isVisible());
    QVERIFY(m_dialog->predictButton()->isEnabled());
    maybeGrab(m_dialog.get(), QStringLiteral("try-results"));
}

void TestModelTryDialog::imageErrorsShowInTheirRow()
{
    openPets();
    const QString a = m_dir.filePath(QStringLiteral("a.png"));
    const QString broken = m_dir.filePath(QStringLiteral("broken.jpg"));
    m_dialog->addImages({a, broken});
    m_dialog->predict();
    FilePrediction failed;
    failed.path = broken;
    failed.error = broken + QStringLiteral(": cannot decode the image");
    m_fake->emitPredicted({answer(a, {0}, {0.75}), failed});
    QTreeWidget *tree = m_dialog->resultsTree();
    QCOMPARE(tree->topLevelItemCount(), 2);
    QCOMPARE(tree->topLevelItem(0)->text(1), QStringLiteral("cat"));
    QTreeWidgetItem *bad = tree->topLevelItem(1);
    QCOMPARE(bad->text(0), QStringLiteral("broken.jpg"));
    QCOMPARE(bad->text(1), QStringLiteral("cannot decode the image")); // the path is in column 0
    QVERIFY(bad->toolTip(1).contains(broken));
    QVERIFY(bad->text(2).isEmpty());
    QCOMPARE(bad->foreground(1).color(), QColor(0xb3, 0x26, 0x1e));
    QVERIFY(m_dialog->errorLabel()->isVisible());
    QVERIFY(m_dialog->errorLabel()->text().contains(QLatin1String("1 image")));
    maybeGrab(m_dialog.get(), QStringLiteral("try-errors"));
}

void TestModelTryDialog::currentImageCanBeUsed()
{
    QVERIFY(!m_dialog->currentImageButton()->isEnabled()); // nothing open in the studio
    const QString current = m_dir.filePath(QStringLiteral("current.png"));
    m_dialog->setCurrentImage(current);
    QVERIFY(m_dialog->currentImageButton()->isEnabled());
    QTest::mouseClick(m_dialog->currentImageButton(), Qt::LeftButton);
    QCOMPARE(m_dialog->images(), QStringList{current});
    QVERIFY(!m_dialog->currentImageButton()->isEnabled()); // already in the list
    QTest::mouseClick(m_dialog->clearButton(), Qt::LeftButton);
    QVERIFY(m_dialog->images().isEmpty());
    QVERIFY(m_dialog->currentImageButton()->isEnabled());
}

void TestModelTryDialog::stopCancelsAndClosingWaits()
{
    openPets();
    m_dialog->addImages({m_dir.filePath(QStringLiteral("a.png"))});
    m_dialog->predict();
    QVERIFY(m_dialog->stopButton()->isVisible());
    m_fake->emitProgress(QStringLiteral("Predicting"), 16, 64);
    QCOMPARE(m_dialog->stageLabel()->text(), QStringLiteral("Predicting"));
    QTest::keyClick(m_dialog.get(), Qt::Key_Escape);
    QCOMPARE(m_fake->cancels, 1);
    QVERIFY(m_dialog->isVisible()); // closes once the worker let go
    m_fake->emitFailed(Error::Code::Cancelled, QStringLiteral("Stopped after 16 of 64 images."));
    QVERIFY(!m_dialog->isBusy());
    QVERIFY(!m_dialog->isVisible());
}

void TestModelTryDialog::answersNotAskedForAreIgnored()
{
    m_fake->emitOpened(petsMeta(), QStringLiteral("OpenCV dnn 4.6.0"));
    m_fake->emitFailed(Error::Code::Io, QStringLiteral("an export failed"));
    QVERIFY(!m_dialog->hasModel());
    QVERIFY(!m_dialog->errorLabel()->isVisible());
}

QTEST_MAIN(TestModelTryDialog)
#include "tst_modeltrydialog.moc"
