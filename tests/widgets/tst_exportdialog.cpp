// SPDX-License-Identifier: GPL-3.0-or-later
// The export dialog driven as a person would: fill the form, press Export,
// watch the progress, stop it, read the result page. A fake controller stands
// in for the exporter, so nothing is trained or exported here.

#include "tests/widgets/exportfake.h"
#include "widgets/exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;
using salient::test::FakeExportController;

namespace {

train::RunRecord run(qint64 id, const QString &name, const QString &model, double testAccuracy)
{
    train::RunRecord r;
    r.id = id;
    r.name = name;
    r.state = train::RunState::Finished;
    r.config = QStringLiteral("{\"model\":\"%1\"}").arg(model).toUtf8();
    r.epochsDone = 12;
    r.classNames = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")};
    r.testMetrics = QStringLiteral("{\"accuracy\":%1}").arg(testAccuracy).toUtf8();
    return r;
}

ExportReport fp32Report(const QString &out)
{
    ExportReport r;
    r.outFile = out;
    r.cardJsonFile = out + QStringLiteral(".card.json");
    r.cardHtmlFile = out + QStringLiteral(".card.html");
    r.meta.format = QStringLiteral("onnx");
    r.meta.architecture = QStringLiteral("resnet18");
    r.fileBytes = 44'700'000;
    r.parity.ran = true;
    r.parity.runtime = QStringLiteral("OpenCV dnn 4.6.0");
    r.parity.images = 32;
    r.parity.maxAbsDiff = 3.2e-6;
    r.parity.top1Agreement = 1.0;
    r.parity.checkerOk = true;
    r.fp32Accuracy = 0.912;
    return r;
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

class TestExportDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void requestIsTheFormExactly_data();
    void requestIsTheFormExactly();
    void libTorchLeavesOnnxOptionsOut();
    void outputFollowsRunAndFormat();
    void exportNeedsARunAController_andAFolder();
    void progressIsShown();
    void stopCancelsAndGivesTheFormBack();
    void closingWhileExportingStopsFirst();
    void failureMessageIsShown();
    void resultPageShowsTheFigures_data();
    void resultPageShowsTheFigures();
    void cardAndFolderOpen();
    void exportAnotherGoesBackToTheForm();
    void answersNotAskedForAreIgnored();

private:
    QTemporaryDir m_dir;
    QString m_project;
    std::unique_ptr<FakeExportController> m_fake;
    std::unique_ptr<ExportDialog> m_dialog;
};

void TestExportDialog::initTestCase()
{
    QLocale::setDefault(QLocale::c()); // figures compared as text below
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("pets.salient"));
}

void TestExportDialog::init()
{
    m_fake = std::make_unique<FakeExportController>();
    m_dialog = std::make_unique<ExportDialog>();
    m_dialog->setController(m_fake.get());
    m_dialog->setProject(
        m_project, {run(7, QStringLiteral("resnet night"), QStringLiteral("resnet18"), 0.912),
                        run(3, QStringLiteral("baseline"), QStringLiteral("smallcnn"), 0.80)}, 3);
    m_dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog.get()));
}

void TestExportDialog::cleanup()
{
    m_dialog.reset();
    m_fake.reset();
}

void TestExportDialog::requestIsTheFormExactly_data()
{
    QTest::addColumn<int>("format"); // combo index: 0 ONNX, 1 LibTorch
    QTest::addColumn<bool>("normalise");
    QTest::addColumn<bool>("features");
    QTest::addColumn<bool>("int8");
    QTest::addColumn<double>("maxDropPoints");
    QTest::addColumn<int>("sparsityPercent");
    QTest::addColumn<int>("fineTune");
    QTest::addColumn<QString>("suffix");

    QTest::newRow("onnx fp32, defaults")
        << 0 << false << false << false << 1.0 << 0 << 1 << "baseline.onnx";
    QTest::newRow("onnx int8, 2.5 points allowed")
        << 0 << false << false << true << 2.5 << 0 << 1 << "baseline-int8.onnx";
    QTest::newRow("onnx with normalisation and features")
        << 0 << true << true << false << 1.0 << 0 << 1 << "baseline.onnx";
    QTest::newRow("onnx int8 pruned 50 %, 3 epochs")
        << 0 << false << false << true << 0.5 << 50 << 3 << "baseline-pruned50-int8.onnx";
    QTest::newRow("libtorch pruned 70 %")
        << 1 << false << false << false << 1.0 << 70 << 2 << "baseline-pruned70.pt";
}

void TestExportDialog::requestIsTheFormExactly()
{
    QFETCH(int, format);
    QFETCH(bool, normalise);
    QFETCH(bool, features);
    QFETCH(bool, int8);
    QFETCH(double, maxDropPoints);
    QFETCH(int, sparsityPercent);
    QFETCH(int, fineTune);
    QFETCH(QString, suffix);

    QCOMPARE(m_dialog->runCombo()->currentData().toLongLong(), qint64(3));
    m_dialog->formatCombo()->setCurrentIndex(format);
    if (format == 0) {
        m_dialog->normalisationCheck()->setChecked(normalise);
        m_dialog->featuresCheck()->setChecked(features);
        m_dialog->int8Check()->setChecked(int8);
        QCOMPARE(m_dialog->maxDropSpin()->isEnabled(), int8);
    }
    m_dialog->maxDropSpin()->setValue(maxDropPoints);
    m_dialog->calibrationSpin()->setValue(128);
    m_dialog->sparsitySpin()->setValue(sparsityPercent);
    QCOMPARE(m_dialog->fineTuneSpin()->isEnabled(), sparsityPercent > 0);
    m_dialog->fineTuneSpin()->setValue(fineTune);
    m_dialog->parityImagesSpin()->setValue(48);
    QTest::keyClicks(m_dialog->intendedUseEdit(), QStringLiteral("Sorting pet photos"));
    QTest::keyClicks(m_dialog->limitationsEdit(), QStringLiteral("Not tested at night"));

    QVERIFY(m_dialog->exportButton()->isEnabled());
    maybeGrab(m_dialog.get(), QStringLiteral("export-form-") + QTest::currentDataTag());
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    QCOMPARE(m_fake->requests.size(), 1);
    const ExportRequest &r = m_fake->requests.first();
    QCOMPARE(r.projectFile, m_project);
    QCOMPARE(r.runId, qint64(3));
    QCOMPARE(r.format, format == 0 ? ModelFormat::Onnx : ModelFormat::LibTorch);
    QCOMPARE(r.outFile, QDir(m_dir.path()).filePath(suffix));
    QCOMPARE(r.embedNormalisation, normalise);
    QCOMPARE(r.featuresOutput, features);
    QCOMPARE(r.int8, int8);
    QCOMPARE(r.calibrationImages, 128);
    QVERIFY(qAbs(r.maxAccuracyDrop - maxDropPoints / 100.0) < 1e-12);
    QVERIFY(qAbs(r.pruneSparsity - sparsityPercent / 100.0) < 1e-12);
    QCOMPARE(r.pruneEpochs, fineTune);
    QCOMPARE(r.parityImages, 48);
    QCOMPARE(r.intendedUse, QStringLiteral("Sorting pet photos"));
    QCOMPARE(r.limitations, QStringLiteral("Not tested at night"));
    // The form is locked while it runs.
    QVERIFY(m_dialog->isExporting());
    QVERIFY(!m_dialog->exportButton()->isEnabled());
    QVERIFY(!m_dialog->formatCombo()->isEnabled());
    QVERIFY(!m_dialog->closeButton()->isEnabled());
}

void TestExportDialog::libTorchLeavesOnnxOptionsOut()
{
    m_dialog->int8Check()->setChecked(true);
    m_dialog->featuresCheck()->setChecked(true);
    m_dialog->normalisationCheck()->setChecked(true);
    m_dialog->formatCombo()->setCurrentIndex(1);
    QVERIFY(!m_dialog->int8Check()->isEnabled());
    QVERIFY(!m_dialog->featuresCheck()->isEnabled());
    const ExportRequest r = m_dialog->request();
    QCOMPARE(r.format, ModelFormat::LibTorch);
    QVERIFY(!r.int8);
    QVERIFY(!r.featuresOutput);
    QVERIFY(!r.embedNormalisation);
    QVERIFY(r.outFile.endsWith(QLatin1String("baseline.pt")));
}

void TestExportDialog::outputFollowsRunAndFormat()
{
    QCOMPARE(QFileInfo(m_dialog->outputEdit()->text()).fileName(), QStringLiteral("baseline.onnx"));
    m_dialog->selectRun(7);
    // A run name with a space gives a file name without one.
    QCOMPARE(QFileInfo(m_dialog->outputEdit()->text()).fileName(),
             QStringLiteral("resnet-night.onnx"));
    // A name the person typed stays; only its suffix follows the format.
    m_dialog->outputEdit()->clear();
    const QString mine = m_dir.filePath(QStringLiteral("shipping.onnx"));
    QTest::keyClicks(m_dialog->outputEdit(), mine);
    m_dialog->formatCombo()->setCurrentIndex(1);
    QCOMPARE(m_dialog->outputEdit()->text(), m_dir.filePath(QStringLiteral("shipping.pt")));
    m_dialog->selectRun(3);
    QCOMPARE(QFileInfo(m_dialog->outputEdit()->text()).fileName(), QStringLiteral("shipping.pt"));
}

void TestExportDialog::exportNeedsARunAController_andAFolder()
{
    m_dialog->outputEdit()->setText(m_dir.filePath(QStringLiteral("missing/model.onnx")));
    Q_EMIT m_dialog->outputEdit()->textEdited(m_dialog->outputEdit()->text());
    QVERIFY(!m_dialog->exportButton()->isEnabled());
    QVERIFY(m_dialog->validationMessage().contains(QLatin1String("does not exist")));
    m_dialog->startExport();
    QVERIFY(m_fake->requests.isEmpty());

    ExportDialog empty;
    empty.setController(m_fake.get());
    empty.setProject(m_project, {});
    QVERIFY(!empty.exportButton()->isEnabled());
    QVERIFY(empty.validationMessage().contains(QLatin1String("no finished run")));

    ExportDialog noEngine;
    noEngine.setProject(m_project, {run(1, QStringLiteral("a"), QStringLiteral("smallcnn"), 0.5)});
    QVERIFY(!noEngine.exportButton()->isEnabled());
    QVERIFY(noEngine.validationMessage().contains(QLatin1String("without training")));
}

void TestExportDialog::progressIsShown()
{
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    QVERIFY(m_dialog->progressBar()->isVisible());
    m_fake->emitProgress(QStringLiteral("calibrating on 256 training images"), 64, 256);
    QCOMPARE(m_dialog->stageLabel()->text(), QStringLiteral("Calibrating on 256 training images"));
    QCOMPARE(m_dialog->progressBar()->maximum(), 256);
    QCOMPARE(m_dialog->progressBar()->value(), 64);
    maybeGrab(m_dialog.get(), QStringLiteral("export-progress"));
    m_fake->emitProgress(QStringLiteral("checking the ONNX file"), 0, 0);
    QCOMPARE(m_dialog->progressBar()->maximum(), 0); // busy: length unknown
    QCOMPARE(m_dialog->stageLabel()->text(), QStringLiteral("Checking the ONNX file"));
}

void TestExportDialog::stopCancelsAndGivesTheFormBack()
{
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    QVERIFY(m_dialog->cancelButton()->isVisible());
    QTest::mouseClick(m_dialog->cancelButton(), Qt::LeftButton);
    QCOMPARE(m_fake->cancels, 1);
    QVERIFY(!m_dialog->cancelButton()->isEnabled()); // asked once
    m_fake->emitFailed(Error::Code::Cancelled, QStringLiteral("Cancelled."));
    QVERIFY(!m_dialog->isExporting());
    QVERIFY(!m_dialog->cancelButton()->isVisible());
    QVERIFY(m_dialog->exportButton()->isEnabled());
    QVERIFY(m_dialog->formatCombo()->isEnabled());
    QVERIFY(m_dialog->errorLabel()->isVisible());
    QVERIFY(m_dialog->errorLabel()->text().contains(QLatin1String("stopped")));
    QCOMPARE(m_dialog->pages()->currentIndex(), 0);
}

void TestExportDialog::closingWhileExportingStopsFirst()
{
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    QTest::keyClick(m_dialog.get(), Qt::Key_Escape);
    QCOMPARE(m_fake->cancels, 1);
    QVERIFY(m_dialog->isVisible()); // it goes only once the export stopped
    m_fake->emitFailed(Error::Code::Cancelled, QStringLiteral("Cancelled."));
    QTest::keyClick(m_dialog.get(), Qt::Key_Escape);
    QVERIFY(!m_dialog->isVisible());
}

void TestExportDialog::failureMessageIsShown()
{
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    const QString out = m_dir.filePath(QStringLiteral("baseline.onnx"));
    m_fake->emitFailed(Error::Code::Io, QStringLiteral("the disk is full"), out);
    QVERIFY(m_dialog->errorLabel()->isVisible());
    QVERIFY(m_dialog->errorLabel()->text().contains(QLatin1String("the disk is full")));
    QVERIFY(m_dialog->errorLabel()->text().contains(out));
    QCOMPARE(m_dialog->pages()->currentIndex(), 0);
    maybeGrab(m_dialog.get(), QStringLiteral("export-failed"));
    QVERIFY(m_dialog->exportButton()->isEnabled()); // try again
    // A new attempt clears the old message.
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    QVERIFY(!m_dialog->errorLabel()->isVisible());
}

void TestExportDialog::resultPageShowsTheFigures_data()
{
    QTest::addColumn<bool>("int8");
    QTest::addColumn<double>("maxDiff");
    QTest::addColumn<bool>("checkerOk");
    QTest::addColumn<double>("exportedAccuracy"); // -1: not measured
    QTest::addColumn<bool>("dropAbove");
    QTest::addColumn<bool>("passes");
    QTest::addColumn<QString>("sizeText");
    QTest::addColumn<QString>("dropText");

    QTest::newRow("fp32 within 1e-4 passes")
        << false << 3.2e-6 << true << -1.0 << false << true << "44.7 MB"
        << "";
    QTest::newRow("fp32 off by 2e-3 fails")
        << false << 2e-3 << true << -1.0 << false << false << "44.7 MB"
        << "";
    QTest::newRow("checker refusal fails")
        << false << 1e-6 << false << -1.0 << false << false << "44.7 MB"
        << "";
    QTest::newRow("int8 within the drop allowed")
        << true << 0.31 << true << 0.905 << false << true
        << "11.2 MB, 4.0× smaller than full precision (44.7 MB)"
        << "−0.7 points";
    QTest::newRow("int8 above the drop allowed warns")
        << true << 0.58 << true << 0.871 << true << true
        << "11.2 MB, 4.0× smaller than full precision (44.7 MB)"
        << "−4.1 points";
    QTest::newRow("int8 better than fp32") << true << 0.2 << true << 0.915 << false << true
                                           << "11.2 MB, 4.0× smaller than full precision (44.7 MB)"
                                           << "+0.3 points";
}

void TestExportDialog::resultPageShowsTheFigures()
{
    QFETCH(bool, int8);
    QFETCH(double, maxDiff);
    QFETCH(bool, checkerOk);
    QFETCH(double, exportedAccuracy);
    QFETCH(bool, dropAbove);
    QFETCH(bool, passes);
    QFETCH(QString, sizeText);
    QFETCH(QString, dropText);

    m_dialog->int8Check()->setChecked(int8);
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    QSignalSpy finished(m_dialog.get(), &ExportDialog::exportFinished);
    ExportReport r = fp32Report(m_fake->requests.last().outFile);
    r.parity.maxAbsDiff = maxDiff;
    r.parity.checkerOk = checkerOk;
    if (!checkerOk)
        r.parity.checkerMessage = QStringLiteral("Graph output 'logits' has no shape");
    if (int8) {
        r.meta.format = QStringLiteral("onnx-int8");
        r.fp32Bytes = r.fileBytes;
        r.fileBytes = 11'175'000;
        r.parity.top1Agreement = 31.0 / 32.0;
    }
    r.exportedAccuracy = exportedAccuracy;
    r.evalImages = 200;
    r.dropAboveLimit = dropAbove;
    m_fake->emitExported(r);

    QCOMPARE(finished.size(), 1);
    QCOMPARE(m_dialog->pages()->currentIndex(), 1);
    maybeGrab(m_dialog.get(), QStringLiteral("export-result-") + QTest::currentDataTag());
    const QString verdict = m_dialog->verdictLabel()->text();
    QVERIFY2(verdict.contains(passes ? QLatin1String("passed") : QLatin1String("failed")),
             qPrintable(verdict));
    QVERIFY(m_dialog->resultValue(
        QStringLiteral("runtime"))->text().contains(QLatin1String("OpenCV dnn 4.6.0")));
    QCOMPARE(m_dialog->resultValue(QStringLiteral("images"))->text(), QStringLiteral("32"));
    QVERIFY(m_dialog->resultValue(
        QStringLiteral("maxdiff"))->text().startsWith(QLocale::c().toString(maxDiff, 'e', 1)));
    QCOMPARE(m_dialog->resultValue(QStringLiteral("top1"))->text(),
                                   int8 ? QStringLiteral("96.9 % (31 of 32 images)")
                                        : QStringLiteral("100.0 % (32 of 32 images)"));
    QCOMPARE(m_dialog->resultValue(QStringLiteral("checker"))->text(), checkerOk
                                   ? QStringLiteral("accepted")
                                   : QStringLiteral("refused: Graph output 'logits' has no shape"));
    QCOMPARE(m_dialog->resultValue(QStringLiteral("size"))->text(), sizeText);
    QVERIFY(m_dialog->resultValue(
        QStringLiteral("fp32acc"))->text().startsWith(QLatin1String("91.2 %")));
    if (!dropText.isEmpty())
        QVERIFY2(m_dialog->resultValue(
            QStringLiteral("drop"))->text().startsWith(dropText),
            qPrintable(m_dialog->resultValue(QStringLiteral("drop"))->text()));
    QCOMPARE(m_dialog->dropWarningLabel()->isVisible(), dropAbove);
    if (dropAbove)
        QVERIFY(m_dialog->dropWarningLabel()->text().contains(QLatin1String("4.1 points")));
    QVERIFY(!m_dialog->exportButton()->isVisible());
    QVERIFY(m_dialog->closeButton()->isEnabled());
}

void TestExportDialog::cardAndFolderOpen()
{
    QVector<QUrl> opened;
    m_dialog->setUrlOpener([&opened](const QUrl &url) {
        opened << url;
        return true;
    });
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    const QString out = m_fake->requests.last().outFile;
    m_fake->emitExported(fp32Report(out));
    QTest::mouseClick(m_dialog->openCardButton(), Qt::LeftButton);
    QTest::mouseClick(m_dialog->openFolderButton(), Qt::LeftButton);
    QCOMPARE(opened.size(), 2);
    QCOMPARE(opened[0].toLocalFile(), out + QStringLiteral(".card.html"));
    QCOMPARE(opened[1].toLocalFile(), QFileInfo(out).absolutePath());
}

void TestExportDialog::exportAnotherGoesBackToTheForm()
{
    QTest::keyClicks(m_dialog->intendedUseEdit(), QStringLiteral("Kept"));
    QTest::mouseClick(m_dialog->exportButton(), Qt::LeftButton);
    m_fake->emitExported(fp32Report(m_fake->requests.last().outFile));
    QTest::mouseClick(m_dialog->againButton(), Qt::LeftButton);
    QCOMPARE(m_dialog->pages()->currentIndex(), 0);
    QVERIFY(m_dialog->exportButton()->isVisible());
    QVERIFY(m_dialog->exportButton()->isEnabled());
    QCOMPARE(m_dialog->request().intendedUse, QStringLiteral("Kept"));
}

void TestExportDialog::answersNotAskedForAreIgnored()
{
    // The try-a-model dialog may share the controller: its answers are not ours.
    m_fake->emitExported(fp32Report(m_dir.filePath(QStringLiteral("x.onnx"))));
    m_fake->emitFailed(Error::Code::Parse, QStringLiteral("not an ONNX file"));
    QCOMPARE(m_dialog->pages()->currentIndex(), 0);
    QVERIFY(!m_dialog->errorLabel()->isVisible());
}

QTEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
