// SPDX-License-Identifier: GPL-3.0-or-later
// The salient-cli contract, exercised on the built binary as a script would.
#include "core/project/store.h"
#include "tests/core/clirun.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Run = salient::test::CliRun;

Run cli(const QStringList &args)
{
    return salient::test::runCli(args);
}

QJsonDocument parse(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON (%s): %s", qPrintable(error.errorString()), json.left(300).constData());
    return doc;
}

QStringList names(const QJsonArray &objects, const QString &key = QStringLiteral("name"))
{
    QStringList out;
    for (const QJsonValue &v : objects)
        out << v.toObject().value(key).toString();
    return out;
}

} // namespace

class TstCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void version();
    void helpPerCommand_data();
    void helpPerCommand();
    void initImportInfoList();
    void infoCountsShapesAndStatus();
    void failuresNameTheFile_data();
    void failuresNameTheFile();
    void badUsage_data();
    void badUsage();
    void demo();

private:
    QTemporaryDir m_dir;
    QString m_images; ///< a small ImageFolder tree, odd files included
};

void TstCli::initTestCase()
{
    QVERIFY(QFile::exists(QStringLiteral(SALIENT_CLI_PATH)));
    using namespace salient::test;
    m_images = m_dir.filePath("images");
    QVERIFY(QDir().mkpath(m_images + "/cats") && QDir().mkpath(m_images + "/dogs"));
    QVERIFY(writePng(m_images + "/cats/a.png", 30, 20, 3, 8, 1));
    // Stored 40x20 with EXIF orientation 6 (rotate 90): displayed 20x40.
    QVERIFY(writeJpeg(m_images + "/cats/b.jpg", 40, 20, 2, 6));
    QVERIFY(writeText(m_images + "/cats/notes.jpg"));
    QVERIFY(writePng(m_images + "/dogs/c.png", 16, 16, 1, 8, 3));
    QVERIFY(QFile::copy(m_images + "/cats/a.png", m_images + "/dogs/copy.png"));
    QVERIFY(writeZeroBytes(m_images + "/dogs/empty.jpg"));
}

void TstCli::version()
{
    const Run r = cli({"--version"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith("salient-cli 0."), r.out.constData());
}

void TstCli::helpPerCommand_data()
{
    QTest::addColumn<QString>("command");
    for (const char *c : {"init", "import", "demo", "info", "list", "relink"})
        QTest::newRow(c) << QString::fromLatin1(c);
}

void TstCli::helpPerCommand()
{
    QFETCH(QString, command);
    const Run r = cli({command, "--help"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.startsWith("Usage: salient-cli " + command.toUtf8()), r.out.constData());
    QVERIFY(r.out.contains("PROJECT"));
}

void TstCli::initImportInfoList()
{
    const QString project = m_dir.filePath("p.salient");
    Run r = cli({"init", project});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY(QFile::exists(project));

    r = cli({"import", project, m_images, "--labels-from-folders"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.out.contains("6 added"), r.out.constData());
    QVERIFY2(r.out.contains("unreadable: ") && r.out.contains("empty.jpg")
                 && r.out.contains("notes.jpg"),
             r.out.constData());
    QVERIFY2(r.out.contains("duplicate: ") && r.out.contains("copy.png"), r.out.constData());

    // Importing the same folder again adds nothing.
    r = cli({"import", project, m_images, "--labels-from-folders"});
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.out.contains("0 added, 6 already in the project"), r.out.constData());

    r = cli({"info", project, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject info = parse(r.out).object();
    QCOMPARE(info.value("images").toInt(-1), 6);
    const QJsonArray unreadable = info.value("unreadable").toArray();
    QCOMPARE(names(unreadable, "path"),
             QStringList({"images/cats/notes.jpg", "images/dogs/empty.jpg"}));
    for (const QJsonValue &u : unreadable)
        QVERIFY(!u.toObject().value("reason").toString().isEmpty());
    const QJsonArray duplicates = info.value("duplicates").toArray();
    QCOMPARE(duplicates.size(), 1);
    QStringList group;
    for (const QJsonValue &p : duplicates.first().toArray())
        group << p.toString();
    group.sort();
    QCOMPARE(group, QStringList({"images/cats/a.png", "images/dogs/copy.png"}));
    QCOMPARE(info.value("duplicateCopies").toInt(-1), 1);
    const QJsonArray classes = info.value("classes").toArray();
    QCOMPARE(names(classes), QStringList({"cats", "dogs"}));
    QCOMPARE(info.value("splits").toArray().size(), 0);
    QCOMPARE(info.value("status").toObject().value("new").toInt(-1), 6);
    QCOMPARE(info.value("labelled").toInt(-1) + info.value("unlabelled").toInt(-1), 6);

    r = cli({"list", project, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonArray rows = parse(r.out).array();
    QCOMPARE(rows.size(), 6);
    QHash<QString, QJsonObject> byPath;
    QHash<QString, int> perClass;
    for (const QJsonValue &v : rows) {
        const QJsonObject o = v.toObject();
        byPath.insert(o.value("path").toString(), o);
        QCOMPARE(o.value("status").toString(), QString("new"));
        QVERIFY(o.value("split").isNull());
        for (const QJsonValue &l : o.value("labels").toArray())
            ++perClass[l.toString()];
    }
    // Paths are stored relative to the project's folder, in path order.
    QCOMPARE(names(rows, "path"),
             QStringList({"images/cats/a.png", "images/cats/b.jpg", "images/cats/notes.jpg",
                          "images/dogs/c.png", "images/dogs/copy.png", "images/dogs/empty.jpg"}));
    struct Expect {
        const char *path;
        int width, height;
        const char *label;
    };
    for (const Expect &e :
         {Expect{"images/cats/a.png", 30, 20, "cats"}, Expect{"images/cats/b.jpg", 20, 40, "cats"},
          Expect{"images/dogs/c.png", 16, 16, "dogs"},
          Expect{"images/dogs/copy.png", 30, 20, "dogs"}}) {
        const QJsonObject o = byPath.value(e.path);
        QCOMPARE(o.value("width").toInt(), e.width);
        QCOMPARE(o.value("height").toInt(), e.height);
        QCOMPARE(o.value("labels").toArray(), QJsonArray({e.label}));
        QCOMPARE(o.value("readable").toBool(), true);
    }
    QCOMPARE(byPath.value("images/dogs/empty.jpg").value("readable").toBool(true), false);
    // info and list agree on the class counts.
    for (const QJsonValue &c : classes)
        QCOMPARE(c.toObject().value("images").toInt(-1),
                 perClass.value(c.toObject().value("name").toString()));

    r = cli({"info", project});
    QVERIFY2(r.code == 0 && r.out.contains("Images:     6"), r.out.constData());
}

void TstCli::infoCountsShapesAndStatus()
{
    // Shapes drawn through the store (as the canvas does), then counted by the CLI.
    using namespace salient;
    const QString project = m_dir.filePath("shapes.salient");
    {
        auto created = ProjectStore::create(project);
        QVERIFY(created.ok());
        ProjectStore &store = *created.value();
        QVector<NewImage> images;
        for (int i = 0; i < 4; ++i) {
            NewImage n;
            n.absolutePath = m_dir.filePath(QStringLiteral("s/%1.png").arg(i));
            n.hash = QByteArray::number(i);
            n.width = 100;
            n.height = 80;
            images << n;
        }
        const QVector<qint64> ids = store.addImages(images).value();
        const qint64 cat = store.addClass("cat").value();
        const qint64 dog = store.addClass("dog").value();
        QVERIFY(store.addClass("bird").ok()); // no shapes: zeros, not missing keys
        auto shape = [](qint64 image, qint64 cls, Geometry g) {
            Shape s;
            s.imageId = image;
            s.classId = cls;
            s.geometry = std::move(g);
            return s;
        };
        Mask m(QRect(2, 2, 4, 4));
        m.set(3, 3, true);
        const Polygon tri{QPolygonF({QPointF(1, 1), QPointF(9, 1), QPointF(5, 7.5)})};
        QVERIFY(store.addShapes({shape(ids[0], cat, Box{QRectF(1, 1, 5, 5)}),
                                 shape(ids[1], cat, Box{QRectF(2, 2, 5, 5)}),
                                 shape(ids[1], cat, tri), shape(ids[2], dog, m),
                                 shape(ids[2], dog, m), shape(ids[3], dog, tri),
                                 shape(ids[3], 0, Box{QRectF(0, 0, 1, 1)})})
                    .ok());
        QVERIFY(store.setStatus({ids[0], ids[1]}, ImageStatus::Done).ok());
        QVERIFY(store.setStatus({ids[2]}, ImageStatus::NeedsReview).ok());
    }
    const Run r = cli({"info", project, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject info = parse(r.out).object();
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &c : info.value("classes").toArray())
        byName.insert(c.toObject().value("name").toString(), c.toObject());
    QCOMPARE(byName.size(), 3);
    const auto counts = [&](const QString &name) {
        const QJsonObject o = byName.value(name);
        return QList<int>{o.value("boxes").toInt(-1), o.value("polygons").toInt(-1),
                          o.value("masks").toInt(-1)};
    };
    QCOMPARE(counts("cat"), (QList<int>{2, 1, 0}));
    QCOMPARE(counts("dog"), (QList<int>{0, 1, 2}));
    QCOMPARE(counts("bird"), (QList<int>{0, 0, 0}));
    const QJsonObject status = info.value("status").toObject();
    QCOMPARE(status.value("new").toInt(-1), 1);
    QCOMPARE(status.value("in_progress").toInt(-1), 0);
    QCOMPARE(status.value("done").toInt(-1), 2);
    QCOMPARE(status.value("needs_review").toInt(-1), 1);
    // Images with shapes count as labelled.
    QCOMPARE(info.value("unlabelled").toInt(-1), 0);

    const Run text = cli({"info", project});
    QVERIFY2(text.out.contains("cat 0 (2 boxes, 1 polygons, 0 masks)"), text.out.constData());
}

void TstCli::failuresNameTheFile_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("file"); // must appear in the one-line message

    const QString dir = m_dir.path();
    const QString text = dir + "/text.salient";
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write("not a database, just text\n") > 0);
    f.close();
    const QString project = dir + "/failures.salient";
    QVERIFY(cli({"init", project}).code == 0);

    QTest::newRow("info on a missing project")
        << QStringList{"info", dir + "/none.salient", "--json"} << dir + "/none.salient";
    QTest::newRow("list on a missing project")
        << QStringList{"list", dir + "/none.salient"} << dir + "/none.salient";
    QTest::newRow("info on a text file") << QStringList{"info", text} << text;
    QTest::newRow("import into a text file") << QStringList{"import", text, m_images} << text;
    QTest::newRow("import a missing folder")
        << QStringList{"import", project, dir + "/gone"} << dir + "/gone";
    QTest::newRow("init over an existing project") << QStringList{"init", project} << project;
    QTest::newRow("demo from a missing dataset")
        << QStringList{"demo", dir + "/d.salient", "--dataset", dir + "/nodata"}
        << dir + "/nodata/train-images-idx3-ubyte.gz";
    QTest::newRow("relink to a missing folder")
        << QStringList{"relink", project, dir + "/gone"} << dir + "/gone";
}

void TstCli::failuresNameTheFile()
{
    QFETCH(QStringList, args);
    QFETCH(QString, file);
    const Run r = cli(args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.isEmpty(), r.out.constData());
    QVERIFY2(r.err.endsWith('\n') && r.err.count('\n') == 1, r.err.constData());
    QVERIFY2(r.err.contains(file.toUtf8()), r.err.constData());
}

void TstCli::badUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no arguments") << QStringList{};
    QTest::newRow("unknown command") << QStringList{"frobnicate"};
    QTest::newRow("info without a project") << QStringList{"info"};
    QTest::newRow("unknown option") << QStringList{"info", "x.salient", "--colour"};
    QTest::newRow("count is not a number") << QStringList{"demo", "x.salient", "--count", "many"};
    QTest::newRow("two projects for init") << QStringList{"init", "a.salient", "b.salient"};
}

void TstCli::badUsage()
{
    QFETCH(QStringList, args);
    const Run r = cli(args);
    QCOMPARE(r.code, 2);
    QVERIFY(!r.err.isEmpty());
    QVERIFY(!QFile::exists("x.salient") && !QFile::exists("a.salient"));
}

void TstCli::demo()
{
    const QString project = m_dir.filePath("demo/demo.salient");
    Run r = cli({"demo", project, "--count", "300", "--seed", "3"});
    QVERIFY2(r.code == 0, r.err.constData());
    r = cli({"info", project, "--json"});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject info = parse(r.out).object();
    QCOMPARE(info.value("images").toInt(), 300);
    QCOMPARE(info.value("labelled").toInt(), 300);
    QCOMPARE(names(info.value("classes").toArray()).size(), 10);
    QCOMPARE(names(info.value("classes").toArray()).first(), QString("T-shirt/top"));
    const QJsonArray splits = info.value("splits").toArray();
    QCOMPARE(QSet<QString>({names(splits).value(0), names(splits).value(1)}),
             QSet<QString>({"train", "test"}));
    QCOMPARE(splits.at(0).toObject().value("images").toInt()
                 + splits.at(1).toObject().value("images").toInt(),
             300);
    QCOMPARE(info.value("unreadable").toArray().size(), 0);
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
