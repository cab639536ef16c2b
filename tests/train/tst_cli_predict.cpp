// SPDX-License-Identifier: GPL-3.0-or-later
// `salient-cli predict` as a script uses it, on the built binary and a
// LibTorch export: one tab-separated line per image, the --json array,
// directories searched recursively for images, a bad image reported while
// the others are still predicted (exit 1), bad model files and bad usage.
#include "core/train/modelfile.h"
#include "tests/core/clirun.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;
using salient::test::CliRun;
using salient::test::runCli;

namespace {

const QStringList kClasses = {"cat", "dog", "bird"};

QStringList lines(const QByteArray &out)
{
    QStringList l = QString::fromUtf8(out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return l;
}

} // namespace

class TestCliPredict : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        torch::manual_seed(2);
        auto model = train::makeModel("smallcnn", 3);
        model->eval();
        ModelMeta meta;
        meta.architecture = QStringLiteral("smallcnn");
        meta.classNames = kClasses;
        meta.inputSize = 32;
        m_model = m_dir.filePath("model.pt");
        QVERIFY(train::saveLibTorchModel(*model, meta, m_model).ok());

        // images/a.png, images/b.jpg, images/sub/c.bmp, plus a text file to skip.
        m_images = m_dir.filePath("images");
        QVERIFY(QDir().mkpath(m_images + "/sub"));
        QVERIFY(test::writePng(m_images + "/a.png", 40, 32, 3, 8, 1));
        QVERIFY(test::writeJpeg(m_images + "/b.jpg", 48, 48, 2));
        QVERIFY(test::writeBmp(m_images + "/sub/c.bmp", 32, 50, 3));
        QVERIFY(test::writeText(m_images + "/readme.txt"));
    }

    void textLinePerImage()
    {
        const QString a = m_images + "/a.png", b = m_images + "/b.jpg";
        const CliRun r = runCli({"predict", m_model, a, b, "--top-k", "2", "--threads", "1"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QStringList out = lines(r.out);
        QCOMPARE(out.size(), 2);
        QVERIFY(out[0].startsWith(a + '\t'));
        QVERIFY(out[1].startsWith(b + '\t'));
        // "path<TAB>class 0.934, class 0.050": two classes, most probable first.
        const QStringList parts = out[0].section('\t', 1).split(QStringLiteral(", "));
        QCOMPARE(parts.size(), 2);
        double previous = 2;
        for (const QString &part : parts) {
            QVERIFY2(kClasses.contains(part.section(' ', 0, 0)), qPrintable(part));
            bool ok = false;
            const double p = part.section(' ', 1).toDouble(&ok);
            QVERIFY(ok && p >= 0 && p <= 1 && p <= previous);
            previous = p;
        }
    }

    void jsonArrayOverADirectory()
    {
        const CliRun r = runCli({"predict", m_model, m_images, "--json", "--batch", "2", "--threads", "1"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        QVERIFY2(doc.isArray(), r.out.constData());
        const QJsonArray all = doc.array();
        QCOMPARE(all.size(), 3); // the sub-directory's image, not the text file
        QStringList paths;
        for (const QJsonValue &v : all) {
            const QJsonObject o = v.toObject();
            paths << o.value("path").toString();
            const QJsonArray top = o.value("top").toArray();
            QCOMPARE(top.size(), 3); // default top-k 3, all classes here
            double sum = 0;
            for (const QJsonValue &t : top) {
                QVERIFY(kClasses.contains(t.toObject().value("class").toString()));
                sum += t.toObject().value("probability").toDouble();
            }
            QVERIFY(std::abs(sum - 1) < 1e-4); // softmax over all three
            QCOMPARE(o.value("predicted").toArray().size(), 1);
            QCOMPARE(o.value("predicted").toArray().at(0).toString(),
                     top.at(0).toObject().value("class").toString());
        }
        QVERIFY(paths.contains(m_images + "/sub/c.bmp"));
        // The same numbers as the text form.
        const CliRun text = runCli({"predict", m_model, m_images + "/a.png", "--threads", "1"});
        const QJsonObject a = all.at(0).toObject();
        QCOMPARE(a.value("path").toString(), m_images + "/a.png");
        const QString first = a.value("top").toArray().at(0).toObject().value("class").toString();
        QVERIFY2(lines(text.out).value(0).section('\t', 1).startsWith(first + ' '), text.out.constData());
    }

    void badImageIsReportedAndOthersGoOn()
    {
        const QString bad = m_dir.filePath("broken.jpg");
        QVERIFY(test::writeTruncatedJpeg(bad, 64, 64, 0.2));
        const QString good = m_images + "/a.png";
        const CliRun r = runCli({"predict", m_model, good, bad, m_images + "/sub/c.bmp", "--threads", "1"});
        QCOMPARE(r.code, 1);
        const QStringList out = lines(r.out);
        QCOMPARE(out.size(), 2);
        QVERIFY(out[0].startsWith(good + '\t'));
        QVERIFY(out[1].startsWith(m_images + "/sub/c.bmp\t"));
        QVERIFY2(r.err.contains(bad.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("1 of 3 images"), r.err.constData());

        const CliRun j = runCli({"predict", m_model, good, bad, "--json", "--threads", "1"});
        QCOMPARE(j.code, 1);
        const QJsonArray all = QJsonDocument::fromJson(j.out).array();
        QCOMPARE(all.size(), 2);
        QVERIFY(all.at(0).toObject().contains("top"));
        QCOMPARE(all.at(1).toObject().value("path").toString(), bad);
        QVERIFY(!all.at(1).toObject().value("error").toString().isEmpty());
    }

    void badModelFiles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero bytes") << "zero" << "empty";
        QTest::newRow("PNG renamed .onnx") << "png" << "PNG image";
        QTest::newRow("truncated export") << "truncated" << "truncated";
        QTest::newRow("missing file") << "missing" << "no such model file";
    }
    void badModelFiles()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        const QString file = m_dir.filePath("bad-" + kind + ".onnx");
        if (kind == "zero") {
            QVERIFY(test::writeZeroBytes(file));
        } else if (kind == "png") {
            QVERIFY(test::writePng(file + ".png", 8, 8) && QFile::rename(file + ".png", file));
        } else if (kind == "truncated") {
            QFile in(m_model);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(in.readAll().left(int(in.size() / 2)));
        }
        const CliRun r = runCli({"predict", file, m_images});
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(lines(r.err).size(), 1);
        QVERIFY2(r.err.contains(file.toUtf8()) && r.err.contains(expected.toUtf8()), r.err.constData());
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no image") << QStringList{"predict", "model.pt"};
        QTest::newRow("top-k zero") << QStringList{"predict", "m.pt", "x.png", "--top-k", "0"};
        QTest::newRow("batch not a number") << QStringList{"predict", "m.pt", "x.png", "--batch", "many"};
    }
    void badUsage()
    {
        QFETCH(QStringList, args);
        const CliRun r = runCli(args);
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("predict"));
    }

    void directoryWithoutImages()
    {
        const QString empty = m_dir.filePath("empty");
        QVERIFY(QDir().mkpath(empty));
        const CliRun r = runCli({"predict", m_model, empty});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("no image files"), r.err.constData());
    }

private:
    QTemporaryDir m_dir;
    QString m_model;
    QString m_images;
};

QTEST_GUILESS_MAIN(TestCliPredict)
#include "tst_cli_predict.moc"
