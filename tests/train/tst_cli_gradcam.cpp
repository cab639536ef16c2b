// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli gradcam` and `review-report` as scripts use them, on the built
// binary and a run trained on the tiny project: the JSON contract, overlays of
// the displayed size, --class, one-line errors with a non-zero exit, a split
// explained into the project, an HTML report.
#include "core/project/store.h"
#include "core/review/reviewstore.h"
#include "core/runs/runstore.h"
#include "tests/core/clirun.h"
#include "tests/support/tinydataset.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace salient;
using salient::test::CliRun;
using salient::test::lastJsonLine;
using salient::test::runCli;

namespace {

const QStringList kClasses = {"horizontal", "vertical", "disc"};

QSize imageSize(const QString &path)
{
    return QImageReader(path).size();
}

} // namespace

class TestCliGradcam : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void jsonContractForAProjectFile();
    void imageById();
    void fileOutsideTheProject();
    void sideBySideIsTwiceAsWide();
    void classChangesTheTarget();
    void methods_data();
    void methods();
    void errors_data();
    void errors();
    void splitStoresExplanations();
    void reviewReportWritesHtml();

private:
    QString run() const { return QString::number(m_run); }
    QStringList base() const { return {"gradcam", m_project, "--run", run(), "--threads", "1"}; }

    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_run = 0;
    QVector<qint64> m_val;
    QString m_valPath; ///< absolute path of the first validation image
    QString m_wide;    ///< a 48 x 32 image outside the project
};

void TestCliGradcam::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_project = test::makeTinyProject(m_dir.filePath("tiny"));
    QVERIFY(!m_project.isEmpty());
    const QString recipe = m_dir.filePath("flip.json");
    QFile f(recipe);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"version":1,"transforms":[{"type":"horizontal_flip","p":0.5}]})");
    f.close();
    const CliRun r = runCli({"train",     m_project,  "--epochs",     "2",     "--name",    "cam",
                             "--model",   "smallcnn", "--image-size", "32",    "--batch",   "8",
                             "--lr",      "0.05",     "--threads",    "1",     "--workers", "1",
                             "--augment", recipe,     "--no-test",    "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    m_run = lastJsonLine(r.out).value("run").toInteger();
    QVERIFY(m_run > 0);

    auto store = ProjectStore::open(m_project);
    QVERIFY(store.ok());
    train::RunStore runs(**store);
    m_val = runs.runImages(m_run)->value(train::RunRole::Validation);
    QCOMPARE(m_val.size(), 24);
    m_valPath = (*store)->image(m_val.first())->absolutePath;

    QImage wide(m_valPath);
    QVERIFY(!wide.isNull());
    m_wide = m_dir.filePath("outside/wide.png");
    QVERIFY(QDir().mkpath(m_dir.filePath("outside")));
    QVERIFY(wide.scaled(48, 32).save(m_wide));
}

void TestCliGradcam::jsonContractForAProjectFile()
{
    const QString out = m_dir.filePath("one.png");
    const CliRun r = runCli(base() + QStringList{"--image", m_valPath, "--out", out, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QVERIFY2(!o.isEmpty(), r.out.constData());
    QCOMPARE(o.value("run").toInteger(), m_run);
    QCOMPARE(o.value("image").toString(), m_valPath);
    QCOMPARE(o.value("image_id").toInteger(), m_val.first()); // a project file resolves to its id
    QCOMPARE(o.value("method").toString(), QString("gradcam"));
    QVERIFY(!o.value("layer").toString().isEmpty());
    QVERIFY(kClasses.contains(o.value("predicted").toString()));
    QCOMPARE(o.value("target").toString(), o.value("predicted").toString());
    const double confidence = o.value("confidence").toDouble();
    QVERIFY(confidence >= 1.0 / 3 - 1e-6 && confidence <= 1); // the arg-max of three
    QCOMPARE(o.value("target_probability").toDouble(), confidence);
    const double deletion = o.value("deletion_score").toDouble(-1);
    QVERIFY2(deletion >= 0 && deletion <= 1, qPrintable(QString::number(deletion)));
    QCOMPARE(o.value("out").toString(), out);
    QCOMPARE(imageSize(out), imageSize(m_valPath));

    // Without --json: one line a person reads, the same file.
    const CliRun text = runCli(base() + QStringList{"--image", m_valPath, "--out", out});
    QVERIFY2(text.code == 0, text.err.constData());
    QVERIFY(text.out.contains("predicted") && text.out.contains(out.toUtf8()));
}

void TestCliGradcam::imageById()
{
    const QString out = m_dir.filePath("byid.png");
    const CliRun r = runCli(
        base() + QStringList{"--image", QString::number(m_val.at(1)), "--out", out, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("image_id").toInteger(), m_val.at(1));
    QVERIFY(QFileInfo(o.value("image").toString()).isFile());
    QVERIFY(!imageSize(out).isEmpty());
}

void TestCliGradcam::fileOutsideTheProject()
{
    const QString out = m_dir.filePath("wide.png");
    const CliRun r = runCli(base() + QStringList{"--image", m_wide, "--out", out, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QVERIFY(o.contains("image_id"));
    QVERIFY(o.value("image_id").isNull());
    QCOMPARE(imageSize(out), QSize(48, 32)); // the displayed size, not the network's 32 x 32
    // Only the centred square was seen: the left and right margins stay the plain image.
    const QImage overlay(out), original(m_wide);
    QCOMPARE(overlay.pixel(0, 16), original.pixel(0, 16));
    QCOMPARE(overlay.pixel(47, 16), original.pixel(47, 16));
}

void TestCliGradcam::sideBySideIsTwiceAsWide()
{
    const QString out = m_dir.filePath("pair.png");
    const CliRun r = runCli(base()
                            + QStringList{"--image", m_wide, "--out", out, "--side-by-side",
                                          "--colormap", "viridis", "--opacity", "0.7"});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(imageSize(out), QSize(48 + 8 + 48, 32));
    // The left half is the original.
    const QImage pair(out), original(m_wide);
    QCOMPARE(pair.pixel(20, 10), original.pixel(20, 10));
}

void TestCliGradcam::classChangesTheTarget()
{
    QSet<double> probabilities;
    double sum = 0;
    for (const QString &name : kClasses) {
        const QString out = m_dir.filePath("class-" + name + ".png");
        const CliRun r = runCli(
            base() + QStringList{"--image", m_valPath, "--out", out, "--class", name, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("target").toString(), name);
        QVERIFY(kClasses.contains(o.value("predicted").toString()));
        probabilities << o.value("target_probability").toDouble();
        sum += o.value("target_probability").toDouble();
    }
    QCOMPARE(probabilities.size(), 3);   // each class its own probability
    QVERIFY(std::abs(sum - 1.0) < 1e-3); // single-label: a softmax
}

void TestCliGradcam::methods_data()
{
    QTest::addColumn<QString>("method");
    QTest::newRow("Grad-CAM") << "gradcam";
    QTest::newRow("Grad-CAM++") << "gradcam++";
    QTest::newRow("LayerCAM") << "layercam";
}

void TestCliGradcam::methods()
{
    QFETCH(QString, method);
    const QString out = m_dir.filePath("m.png");
    const CliRun r = runCli(
        base() + QStringList{"--image", m_valPath, "--out", out, "--method", method, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    QCOMPARE(QJsonDocument::fromJson(r.out).object().value("method").toString(), method);
}

void TestCliGradcam::errors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QString out = m_dir.filePath("never.png");
    const QString img = "--image";
    QTest::newRow("unknown run id")
        << QStringList{"--run", "999", img, "1", "--out", out} << 1 << "no run 999";
    QTest::newRow("unknown run name")
        << QStringList{"--run", "nope", img, "1", "--out", out} << 1 << "no run named";
    QTest::newRow("missing image file")
        << QStringList{img, "/no/such.png", "--out", out} << 1 << "no such image file";
    QTest::newRow("unknown image id")
        << QStringList{img, "99999", "--out", out} << 1 << "no image 99999";
    QTest::newRow("unknown method")
        << QStringList{img, "1", "--out", out, "--method", "saliency"} << 2 << "unknown --method";
    QTest::newRow("unknown class")
        << QStringList{img, "1", "--out", out, "--class", "zebra"} << 2 << "no class \"zebra\"";
    QTest::newRow("unknown layer")
        << QStringList{img, "1", "--out", out, "--layer", "layer9"} << 2 << "no layer \"layer9\"";
    QTest::newRow("unknown colour map")
        << QStringList{img, "1", "--out", out, "--colormap", "rainbow"} << 2
        << "unknown --colormap";
    QTest::newRow("opacity out of range")
        << QStringList{img, "1", "--out", out, "--opacity", "2"} << 2 << "--opacity";
    QTest::newRow("no --out") << QStringList{img, "1"} << 2 << "missing --out";
    QTest::newRow("--out not an image")
        << QStringList{img, "1", "--out", m_dir.filePath("x.txt")} << 2 << "--out wants an image";
    QTest::newRow("image and split")
        << QStringList{img, "1", "--out", out, "--split", "val"} << 2 << "either --image";
    QTest::newRow("unknown split") << QStringList{"--split", "holdout"} << 2 << "unknown --split";
}

void TestCliGradcam::errors()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QStringList all{"gradcam", m_project};
    if (!args.contains("--run"))
        all << "--run" << run();
    const CliRun r = runCli(all + args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
    QVERIFY(r.out.isEmpty());
    QVERIFY(!QFile::exists(m_dir.filePath("never.png")));
}

void TestCliGradcam::splitStoresExplanations()
{
    for (int pass = 0; pass < 2; ++pass) { // the second pass replaces, it does not add
        const CliRun r = runCli({"gradcam", m_project, "--run", "cam", "--split", "val", "--method",
                                 "gradcam++", "--threads", "1", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject done = lastJsonLine(r.out);
        QCOMPARE(done.value("event").toString(), QString("done"));
        QCOMPARE(done.value("run").toInteger(), m_run);
        QCOMPARE(done.value("count").toInt(), 24);
        QCOMPARE(done.value("total").toInt(), 24);
        QCOMPARE(done.value("skipped").toInt(), 0);
        QCOMPARE(done.value("cancelled").toBool(), false);
    }
    auto store = ProjectStore::open(m_project);
    QVERIFY(store.ok());
    review::ReviewStore reviews(**store);
    auto rows = reviews.explanations(m_run);
    QVERIFY(rows.ok());
    QSet<qint64> images;
    int plusPlus = 0;
    for (const review::Explanation &e : *rows) {
        if (e.method != review::CamMethod::GradCamPlusPlus)
            continue;
        ++plusPlus;
        images << e.imageId;
    }
    QCOMPARE(plusPlus, 24);
    QCOMPARE(images, QSet<qint64>(m_val.begin(), m_val.end()));

    const CliRun text =
        runCli({"gradcam", m_project, "--run", run(), "--split", "val", "--threads", "1"});
    QVERIFY2(text.code == 0, text.err.constData());
    QVERIFY2(text.out.contains("Explained 24 of 24"), text.out.constData());
}

void TestCliGradcam::reviewReportWritesHtml()
{
    {
        auto store = ProjectStore::open(m_project);
        QVERIFY(store.ok());
        review::Review verdict;
        verdict.runId = m_run;
        verdict.imageId = m_val.first();
        verdict.verdict = review::Verdict::Shortcut;
        verdict.note = QStringLiteral("looks at the ruler in the corner");
        verdict.reviewer = QStringLiteral("Dr. Test");
        QVERIFY(review::ReviewStore(**store).setReview(verdict).ok());
    }
    const QString html = m_dir.filePath("report.html");
    const CliRun r = runCli({"review-report", m_project, "--run", run(), "--out", html, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("run").toInteger(), m_run);
    QCOMPARE(o.value("format").toString(), QString("html"));
    QCOMPARE(o.value("out").toString(), html);
    QFile f(html);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray page = f.readAll();
    QVERIFY(page.contains("<html") || page.contains("<!DOCTYPE"));
    QVERIFY(page.contains("looks at the ruler in the corner"));
    QVERIFY(page.contains("Dr. Test"));
    QVERIFY(page.contains("<img")); // thumbnails and heatmaps inline

    // PDF: the same review through QPdfWriter.
    const QString pdf = m_dir.filePath("report.pdf");
    const CliRun asPdf = runCli({"review-report", m_project, "--run", "cam", "--out", pdf,
                                 "--reviewed-only", "--json"});
    QVERIFY2(asPdf.code == 0, asPdf.err.constData());
    QCOMPARE(QJsonDocument::fromJson(asPdf.out).object().value("format").toString(),
             QString("pdf"));
    QFile p(pdf);
    QVERIFY(p.open(QIODevice::ReadOnly));
    QVERIFY(p.read(5) == "%PDF-");

    const CliRun missing = runCli({"review-report", m_project, "--run", "999", "--out", html});
    QCOMPARE(missing.code, 1);
    QVERIFY(missing.err.contains("no run 999"));
    const CliRun noOut = runCli({"review-report", m_project, "--run", run()});
    QCOMPARE(noOut.code, 2);
}

QTEST_GUILESS_MAIN(TestCliGradcam)
#include "tst_cli_gradcam.moc"
