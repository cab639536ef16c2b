// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli split` and `salient-cli augment-preview` as scripts use them:
// groups stay whole, --lock-test holds, domain warnings reach stderr, the grid
// is a real PNG with the image and its variants.

#include "core/imaging/importer.h"
#include "core/project/store.h"
#include "tests/core/clirun.h"
#include "tests/support/imagemaker.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;

namespace {

using Run = salient::test::CliRun;

Run cli(const QStringList &args)
{
    return salient::test::runCli(args);
}

} // namespace

class TestCliAnalysis : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void splitByGroupAndLock();
    void splitRefusesBadFractions();
    void augmentPreviewWritesGridAndWarns();
};

void TestCliAnalysis::splitByGroupAndLock()
{
    QTemporaryDir dir;
    const QString file = dir.filePath("p.salient");
    {
        auto store = ProjectStore::create(file);
        QVERIFY(store.ok());
        QVector<NewImage> imgs;
        for (int i = 0; i < 120; ++i) {
            NewImage img;
            img.absolutePath = dir.filePath(QString("img%1.png").arg(i));
            img.hash = QByteArray::number(i).rightJustified(32, '0');
            img.width = img.height = 32;
            img.format = "png";
            img.labels = {i % 3 ? "benign" : "malignant"};
            img.meta.insert("patient", QString("P%1").arg(i / 4));
            imgs << img;
        }
        QVERIFY((*store)->addImages(imgs).ok());
    }
    Run r = cli({"split", file, "--group-by", "patient", "--seed", "9", "--lock-test", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("units").toInt(), 30);
    QCOMPARE(o.value("groups").toInt(), 30);
    const QJsonObject splits = o.value("splits").toObject();
    QCOMPARE(splits.value("train").toInt() + splits.value("val").toInt() + splits.value("test").toInt(), 120);

    auto store = ProjectStore::open(file);
    QVERIFY(store.ok());
    ProjectStore &s = **store;
    const auto patients = s.metaValues("patient");
    const auto records = s.images(s.imageIds().value());
    QHash<QString, QSet<qint64>> where;
    for (const ImageRecord &rec : records.value())
        where[patients->value(rec.id)].insert(rec.splitId);
    for (auto it = where.cbegin(); it != where.cend(); ++it)
        QVERIFY2(it.value().size() == 1, qPrintable(it.key() + " crosses splits"));
    const auto all = s.splits();
    bool testLocked = false;
    for (const SplitRecord &sp : all.value())
        testLocked = testLocked || (sp.name == "test" && sp.locked);
    QVERIFY(testLocked);
    store.value().reset();

    // A second split with another seed keeps the locked test split as it was.
    r = cli({"split", file, "--group-by", "patient", "--seed", "10", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject again = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(again.value("splits").toObject().value("test").toInt(), splits.value("test").toInt());
    QCOMPARE(again.value("locked_kept").toArray().first().toString(), QString("test"));
}

void TestCliAnalysis::splitRefusesBadFractions()
{
    QTemporaryDir dir;
    const QString file = dir.filePath("p.salient");
    QVERIFY(ProjectStore::create(file).ok());
    const Run r = cli({"split", file, "--train", "0.9", "--val", "0.2", "--test", "0.1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("add up to 1"), r.err.constData());
    QVERIFY(r.err.contains("p.salient"));
}

void TestCliAnalysis::augmentPreviewWritesGridAndWarns()
{
    QTemporaryDir dir;
    const QString file = dir.filePath("p.salient");
    const QString photo = dir.filePath("scan.jpg");
    QVERIFY(test::writeJpeg(photo, 640, 480, 5));
    {
        auto store = ProjectStore::create(file);
        QVERIFY(store.ok());
        QVERIFY((*store)->addImages({readImageFile(photo)}).ok());
        QVERIFY((*store)->setSetting("project.domain", "medical").ok());
    }
    const QString grid = dir.filePath("out/grid.png");
    const Run r = cli({"augment-preview", file, "scan.jpg", "--count", "8", "--out", grid, "--seed", "4"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.err.contains("warning: horizontal_flip") && r.err.contains("medical"), r.err.constData());
    const QImage img(grid);
    QVERIFY(!img.isNull());
    // 9 tiles (the image and 8 variants) in a 3x3 grid of 224 px tiles with 4 px gaps.
    QCOMPARE(img.size(), QSize(3 * 228 + 4, 3 * 228 + 4));

    const Run same = cli({"augment-preview", file, "scan.jpg", "--count", "8", "--out",
                          dir.filePath("again.png"), "--seed", "4"});
    QCOMPARE(same.code, 0);
    QCOMPARE(QImage(dir.filePath("again.png")), img); // a seed gives the same pixels

    const Run missing = cli({"augment-preview", file, "nope.jpg", "--out", grid});
    QCOMPARE(missing.code, 1);
    QVERIFY(missing.err.contains("nope.jpg"));
}

QTEST_GUILESS_MAIN(TestCliAnalysis)
#include "tst_cli_analysis.moc"
