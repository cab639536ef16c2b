// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli import --format` and `salient-cli export`, run on the built
// binary with a small COCO file, as a script would.
#include "tests/core/clirun.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = salient::test::CliRun;

Run cli(const QStringList &args)
{
    return salient::test::runCli(args);
}

QJsonObject parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), json.left(300).constData());
    return doc.object();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

/// A COCO file over a.png (64x48) and b.png (32x32): two boxes and a polygon,
/// plus whatever `extraImages` / `extraAnnotations` add (JSON fragments).
QByteArray coco(const QByteArray &extraImages = {}, const QByteArray &extraAnnotations = {})
{
    return "{\n"
           "\"images\": [\n"
           "  {\"id\": 1, \"file_name\": \"a.png\", \"width\": 64, \"height\": 48},\n"
           "  {\"id\": 2, \"file_name\": \"b.png\", \"width\": 32, \"height\": 32}"
           + extraImages
           + "\n],\n"
             "\"categories\": [{\"id\": 3, \"name\": \"cat\"}, {\"id\": 5, \"name\": \"dog\"}],\n"
             "\"annotations\": [\n"
             "  {\"id\": 10, \"image_id\": 1, \"category_id\": 3, \"bbox\": [1, 2, 10, 20], "
             "\"area\": 200, \"iscrowd\": 0},\n"
             "  {\"id\": 11, \"image_id\": 1, \"category_id\": 5, \"bbox\": [30, 5, 8, 8], "
             "\"area\": 64, \"iscrowd\": 0},\n"
             "  {\"id\": 12, \"image_id\": 2, \"category_id\": 5, \"bbox\": [2, 2, 20, 20], "
             "\"segmentation\": [[2, 2, 22, 2, 12, 22]], \"area\": 200, \"iscrowd\": 0}"
           + extraAnnotations + "\n]\n}\n";
}

int count(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toInt(-1);
}

} // namespace

class TstCliFormats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void importExportRoundTrip();
    void problemsAbortByDefault();
    void problemsSkippedOnRequest();
    void longProblemListIsCut();
    void malformedFileNamesFileAndLine();
    void exportOfUnknownSplit();
    void badUsage_data();
    void badUsage();

private:
    QString newProject(const QString &name);
    QStringList listing(const QString &project);

    QTemporaryDir m_dir;
    QString m_dataset; ///< folder with the COCO file and its images
    QString m_coco;
};

void TstCliFormats::initTestCase()
{
    QVERIFY(QFile::exists(QStringLiteral(SALIENT_CLI_PATH)));
    m_dataset = m_dir.filePath(QStringLiteral("dataset"));
    QVERIFY(QDir().mkpath(m_dataset));
    QVERIFY(salient::test::writePng(m_dataset + "/a.png", 64, 48, 3, 8, 1));
    QVERIFY(salient::test::writePng(m_dataset + "/b.png", 32, 32, 3, 8, 2));
    m_coco = m_dataset + "/instances.json";
    QVERIFY(writeFile(m_coco, coco()));
}

QString TstCliFormats::newProject(const QString &name)
{
    const QString project = m_dir.filePath(name + QStringLiteral(".salient"));
    const Run r = cli({"init", project});
    if (r.code != 0)
        qWarning("init failed: %s", r.err.constData());
    return project;
}

QStringList TstCliFormats::listing(const QString &project)
{
    const Run r = cli({"info", project, "--json"});
    return QString::fromUtf8(r.out).split(QLatin1Char('\n'));
}

void TstCliFormats::importExportRoundTrip()
{
    const QString project = newProject(QStringLiteral("round"));
    Run r = cli({"import", project, m_coco, "--format", "coco", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    QJsonObject report = parse(r.out);
    QCOMPARE(report.value("format").toString(), QStringLiteral("coco"));
    QCOMPARE(count(report, "imagesInFile"), 2);
    QCOMPARE(count(report, "imagesAdded"), 2);
    QCOMPARE(count(report, "classesAdded"), 2);
    QCOMPARE(count(report, "boxes"), 2);
    QCOMPARE(count(report, "polygons"), 1);

    // Again, detected this time: nothing new.
    r = cli({"import", project, m_coco, "--format", "auto", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    report = parse(r.out);
    QCOMPARE(count(report, "imagesAdded"), 0);
    QCOMPARE(count(report, "imagesPresent"), 2);
    QCOMPARE(count(report, "shapesPresent"), 3);
    QCOMPARE(count(report, "boxes"), 0);

    // Out, and into a fresh project: the same counts.
    const QString out = m_dir.filePath(QStringLiteral("exported"));
    r = cli({"export", project, "--format", "coco", out, "--images", "copy", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    report = parse(r.out);
    QCOMPARE(count(report, "images"), 2);
    QCOMPARE(count(report, "classes"), 2);
    QCOMPARE(count(report, "boxes"), 2);
    QCOMPARE(count(report, "polygons"), 1);
    QString json;
    QDirIterator it(out, {QStringLiteral("*.json")}, QDir::Files, QDirIterator::Subdirectories);
    if (it.hasNext())
        json = it.next();
    QVERIFY2(!json.isEmpty(), "the export wrote no JSON file");

    const QString again = newProject(QStringLiteral("again"));
    r = cli({"import", again, json, "--format", "coco", "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    report = parse(r.out);
    QCOMPARE(count(report, "imagesAdded"), 2);
    QCOMPARE(count(report, "classesAdded"), 2);
    QCOMPARE(count(report, "boxes"), 2);
    QCOMPARE(count(report, "polygons"), 1);

    // The text report names the counts too.
    r = cli(
        {"export", project, "--format", "coco", m_dir.filePath("exported2"), "--images", "none"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("Exported 2 images (coco)"), r.out.constData());
}

void TstCliFormats::problemsAbortByDefault()
{
    const QString file = m_dataset + "/bad.json";
    QVERIFY(writeFile(file, coco(",\n  {\"id\": 7, \"file_name\": \"gone.png\", \"width\": 8, "
                                 "\"height\": 8}",
                                 ",\n  {\"id\": 13, \"image_id\": 1, \"category_id\": 3, "
                                 "\"bbox\": [-12.5, 2, 10, 20], \"area\": 1, \"iscrowd\": 0}")));
    const QString project = newProject(QStringLiteral("abort"));
    const QStringList before = listing(project);
    const Run r = cli({"import", project, file, "--format", "coco"});
    QCOMPARE(r.code, 1);
    const QList<QByteArray> lines = r.err.trimmed().split('\n');
    QVERIFY2(lines.size() == 3, r.err.constData());
    QVERIFY2(r.err.contains("gone.png") && r.err.contains("not found"), r.err.constData());
    QVERIFY2(r.err.contains("negative coordinate (x = -12.5)"), r.err.constData());
    for (int i = 0; i < 2; ++i)
        QVERIFY2(lines[i].startsWith(file.toUtf8()), lines[i].constData());
    QVERIFY2(lines.last().contains("import aborted, project unchanged"), r.err.constData());
    QVERIFY(r.out.isEmpty());
    QCOMPARE(listing(project), before);
}

void TstCliFormats::problemsSkippedOnRequest()
{
    const QString file = m_dataset + "/bad2.json";
    QVERIFY(writeFile(file, coco(",\n  {\"id\": 7, \"file_name\": \"gone.png\", \"width\": 8, "
                                 "\"height\": 8}")));
    const QString project = newProject(QStringLiteral("skip"));
    const Run r = cli({"import", project, file, "--format", "coco", "--on-problem", "skip",
                       "--images", m_dataset, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject report = parse(r.out);
    QCOMPARE(count(report, "imagesInFile"), 3);
    QCOMPARE(count(report, "imagesAdded"), 2);
    const QJsonArray skipped = report.value("skipped").toArray();
    QCOMPARE(skipped.size(), 1);
    QVERIFY(skipped[0].toObject().value("message").toString().contains("gone.png"));
    QCOMPARE(skipped[0].toObject().value("path").toString(), file);
}

void TstCliFormats::longProblemListIsCut()
{
    QByteArray missing;
    for (int i = 0; i < 60; ++i)
        missing += ",\n  {\"id\": " + QByteArray::number(100 + i) + ", \"file_name\": \"gone"
                   + QByteArray::number(i) + ".png\", \"width\": 8, \"height\": 8}";
    const QString file = m_dataset + "/many.json";
    QVERIFY(writeFile(file, coco(missing)));
    const QString project = newProject(QStringLiteral("many"));
    const Run r = cli({"import", project, file, "--format", "coco"});
    QCOMPARE(r.code, 1);
    const QList<QByteArray> lines = r.err.trimmed().split('\n');
    QCOMPARE(lines.size(), 52);
    QCOMPARE(lines[50], QByteArray("... and 10 more"));
    QVERIFY2(lines[51].contains("import aborted, project unchanged (60 problems"),
             lines[51].constData());
}

void TstCliFormats::malformedFileNamesFileAndLine()
{
    const QString file = m_dataset + "/broken.json";
    QVERIFY(writeFile(file, "{\n\"images\": [\n  {\"id\": 1,, }\n]\n}\n"));
    const QString project = newProject(QStringLiteral("broken"));
    const Run r = cli({"import", project, file, "--format", "coco"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.startsWith("salient-cli: " + file.toUtf8() + ":3"), r.err.constData());
}

void TstCliFormats::exportOfUnknownSplit()
{
    const QString project = newProject(QStringLiteral("split"));
    QCOMPARE(cli({"import", project, m_coco, "--format", "coco"}).code, 0);
    const Run r =
        cli({"export", project, "--format", "coco", m_dir.filePath("nosplit"), "--split", "val"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("\"val\"") && r.err.contains("no splits"), r.err.constData());
}

void TstCliFormats::badUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("says");
    QTest::newRow("unknown import format") << QStringList{"import", "P", "X", "--format", "pascal"}
                                           << QByteArray("unknown format \"pascal\"");
    QTest::newRow("dataset import of two paths")
        << QStringList{"import", "P", "X", "Y", "--format", "coco"}
        << QByteArray("exactly one PATH");
    QTest::newRow("on-problem without format")
        << QStringList{"import", "P", "X", "--on-problem", "skip"}
        << QByteArray("go with --format");
    QTest::newRow("on-problem of another kind")
        << QStringList{"import", "P", "X", "--format", "coco", "--on-problem", "ignore"}
        << QByteArray("abort or skip");
    QTest::newRow("folder labels with a dataset format")
        << QStringList{"import", "P", "X", "--format", "coco", "--labels-from-folders"}
        << QByteArray("--format imagefolder");
    QTest::newRow("export without format")
        << QStringList{"export", "P", "OUT"} << QByteArray("--format is required");
    QTest::newRow("export to auto") << QStringList{"export", "P", "OUT", "--format", "auto"}
                                    << QByteArray("unknown format \"auto\"");
    QTest::newRow("export image placement")
        << QStringList{"export", "P", "OUT", "--format", "coco", "--images", "move"}
        << QByteArray("link, copy or none");
    QTest::newRow("export without OUT")
        << QStringList{"export", "P", "--format", "coco"} << QByteArray("missing OUT");
}

void TstCliFormats::badUsage()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, says);
    const Run r = cli(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(says), r.err.constData());
}

QTEST_GUILESS_MAIN(TstCliFormats)
#include "tst_cli_formats.moc"
