// SPDX-License-Identifier: GPL-3.0-or-later
// The Fashion-MNIST reader and the demo project built from Debian's dataset.
#include "core/demo/fashionmnist.h"
#include "core/project/store.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <numeric>

using namespace salient;

namespace {

QByteArray be32(quint32 v)
{
    QByteArray b(4, 0);
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (24 - 8 * i)) & 0xff);
    return b;
}

QByteArray idxImages(quint32 magic, quint32 count, quint32 rows, quint32 cols, int payload = -1)
{
    QByteArray b = be32(magic) + be32(count) + be32(rows) + be32(cols);
    const int n = payload < 0 ? int(count * rows * cols) : payload;
    for (int i = 0; i < n; ++i)
        b += char(i * 7 % 256);
    return b;
}

QByteArray idxLabels(quint32 magic, quint32 count, int payload = -1)
{
    QByteArray b = be32(magic) + be32(count);
    const int n = payload < 0 ? int(count) : payload;
    for (int i = 0; i < n; ++i)
        b += char(i % 10);
    return b;
}

bool writeFile(const QString &path, const QByteArray &bytes, bool gzip)
{
    if (!gzip) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    }
    gzFile f = gzopen(QFile::encodeName(path).constData(), "wb");
    if (!f)
        return false;
    const int n = gzwrite(f, bytes.constData(), unsigned(bytes.size()));
    return gzclose(f) == Z_OK && n == bytes.size();
}

// A tiny Fashion-MNIST lookalike: `perClass` 4x4 images of each of the ten classes.
void writeTinyPart(const QString &dir, const QString &prefix, int perClass)
{
    QByteArray images = be32(0x803) + be32(10 * perClass) + be32(4) + be32(4);
    QByteArray labels = be32(0x801) + be32(10 * perClass);
    for (int i = 0; i < 10 * perClass; ++i) {
        images += QByteArray(16, char(i % 256));
        labels += char(i % 10);
    }
    QVERIFY(writeFile(dir + "/" + prefix + "-images-idx3-ubyte.gz", images, true));
    QVERIFY(writeFile(dir + "/" + prefix + "-labels-idx1-ubyte.gz", labels, true));
}

QStringList sources(const QString &projectFile)
{
    auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadOnly);
    if (!store)
        return {store.error().toString()};
    QStringList out;
    for (qint64 id : (*store)->imageIds().valueOr({}))
        out << (*store)->meta(id).valueOr({}).value("source");
    out.sort();
    return out;
}

} // namespace

class TstDemo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readIdx_data();
    void readIdx();
    void realTestPartHasTenBalancedClasses();
    void demoProjectFromRealData();
    void sameSeedSameDemo();
    void failureLeavesNoHalfProject_data();
    void failureLeavesNoHalfProject();
};

void TstDemo::readIdx_data()
{
    QTest::addColumn<QByteArray>("images");
    QTest::addColumn<QByteArray>("labels");
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<QString>("badFile"); // "" when the read must succeed
    QTest::addColumn<QString>("reason");  // part of the message

    const QByteArray images = idxImages(0x803, 3, 2, 4);
    const QByteArray labels = idxLabels(0x801, 3);
    QTest::newRow("gzipped pair") << images << labels << true << ""
                                  << "";
    QTest::newRow("plain pair") << images << labels << false << ""
                                << "";
    QTest::newRow("labels file given as images") << labels << labels << true << "images"
                                                 << "magic";
    QTest::newRow("images file given as labels") << images << images << true << "labels"
                                                 << "magic";
    QTest::newRow("fewer labels than images") << images << idxLabels(0x801, 2) << true << "labels"
                                              << "3 images";
    QTest::newRow("images cut short") << idxImages(0x803, 3, 2, 4, 20) << labels << true << "images"
                                      << "truncated";
    QTest::newRow("labels cut short") << images << idxLabels(0x801, 3, 1) << true << "labels"
                                      << "truncated";
    QTest::newRow("zero rows") << idxImages(0x803, 3, 0, 4) << labels << true << "images"
                               << "size";
    QTest::newRow("absurd side") << idxImages(0x803, 1, 100000, 4, 0) << idxLabels(0x801, 1) << true
                                 << "images"
                                 << "size";
    QTest::newRow("empty images file") << QByteArray() << labels << false << "images"
                                       << "short";
    QTest::newRow("gzip stream cut in half") << QByteArray("gz-cut") << labels << true << "images"
                                             << "";
}

void TstDemo::readIdx()
{
    QFETCH(QByteArray, images);
    QFETCH(QByteArray, labels);
    QFETCH(bool, gzip);
    QFETCH(QString, badFile);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString imagesFile = dir.filePath("x-images-idx3-ubyte.gz");
    const QString labelsFile = dir.filePath("x-labels-idx1-ubyte.gz");
    if (images == "gz-cut") {
        // A real gzip of a valid file, with its second half missing.
        QVERIFY(writeFile(imagesFile, idxImages(0x803, 50, 28, 28), true));
        QFile f(imagesFile);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.resize(f.size() / 2));
    } else {
        QVERIFY(writeFile(imagesFile, images, gzip));
    }
    QVERIFY(writeFile(labelsFile, labels, gzip));

    const auto data = salient::readIdx(imagesFile, labelsFile);
    if (badFile.isEmpty()) {
        QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
        QCOMPARE(data->count(), 3);
        QCOMPARE(data->rows, 2);
        QCOMPARE(data->cols, 4);
        QCOMPARE(data->pixels.size(), 3 * 2 * 4);
        QCOMPARE(int(data->pixels[5]), 35);
        QCOMPARE(int(data->labels[2]), 2);
        return;
    }
    QVERIFY(!data.ok());
    const QString expected = badFile == "images" ? imagesFile : labelsFile;
    QCOMPARE(data.error().path, expected);
    QVERIFY2(data.error().toString().startsWith(expected), qPrintable(data.error().toString()));
    QVERIFY2(data.error().message.contains(reason), qPrintable(data.error().message));
}

void TstDemo::realTestPartHasTenBalancedClasses()
{
    const auto data = loadFashionMnist("test");
    QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().toString()));
    QCOMPARE(data->count(), 10000);
    QCOMPARE(data->rows, 28);
    QCOMPARE(data->cols, 28);
    QVector<int> perClass(10, 0);
    for (auto l : data->labels) {
        QVERIFY(l < 10);
        ++perClass[l];
    }
    QCOMPARE(perClass, QVector<int>(10, 1000));
    QCOMPARE(fashionMnistClassNames().size(), 10);

    const auto missing = loadFashionMnist("validation");
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, Error::Code::Invalid);
}

void TstDemo::demoProjectFromRealData()
{
    QTemporaryDir dir;
    const QString file = dir.filePath("demo.salient");
    const auto report = createDemoProject(file, 300, 7);
    QVERIFY2(report.ok(), qPrintable(report.ok() ? QString() : report.error().toString()));
    QCOMPARE(report->trainImages + report->testImages, 300);
    QCOMPARE(report->testImages, 45);

    // Nothing but the project and its images beside it: no temporary leftovers.
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList({"demo.salient", "demo_images"}));

    auto opened = ProjectStore::open(file, ProjectStore::OpenMode::ReadOnly);
    QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().toString()));
    ProjectStore &store = **opened;

    const auto classes = store.classes();
    QVERIFY(classes.ok());
    QStringList names;
    QSet<QRgb> colours;
    for (const ClassRecord &c : *classes) {
        names << c.name;
        colours.insert(c.color.rgb());
    }
    QCOMPARE(names, QStringList({"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
                                 "Shirt", "Sneaker", "Bag", "Ankle boot"}));
    QCOMPARE(colours.size(), 10);

    const auto splits = store.splits();
    QVERIFY(splits.ok());
    QHash<QString, qint64> splitId;
    for (const SplitRecord &s : *splits)
        splitId.insert(s.name, s.id);
    QCOMPARE(splitId.size(), 2);
    QVERIFY(splitId.contains("train") && splitId.contains("test"));

    for (const QString &part : {QString("train"), QString("test")}) {
        const auto counts = store.classImageCounts(splitId[part]);
        QVERIFY(counts.ok());
        QVector<qint64> perClass;
        for (const ClassRecord &c : *classes)
            perClass << counts->value(c.id);
        const auto [lo, hi] = std::minmax_element(perClass.begin(), perClass.end());
        QVERIFY2(*lo >= 1 && *hi >= 10 * *lo,
                 qPrintable(QString("%1: largest %2, smallest %3").arg(part).arg(*hi).arg(*lo)));
        QCOMPARE(std::accumulate(perClass.begin(), perClass.end(), qint64(0)),
                 qint64(part == "train" ? report->trainImages : report->testImages));
    }
    ImageFilter unlabelled;
    unlabelled.unlabelledOnly = true;
    QCOMPARE(store.countImages(unlabelled).valueOr(-1), qint64(0));

    // Every image is the IDX image its "source" names, under that image's label.
    const auto train = loadFashionMnist("train");
    const auto test = loadFashionMnist("test");
    QVERIFY(train.ok() && test.ok());
    const QRegularExpression sourceRe("^fashion-mnist:(train|test):(\\d+)$");
    const auto ids = store.imageIds();
    QVERIFY(ids.ok());
    QCOMPARE(ids->size(), 300);
    for (const ImageRecord &r : store.images(*ids).valueOr({})) {
        const auto m = sourceRe.match(store.meta(r.id).valueOr({}).value("source"));
        QVERIFY2(m.hasMatch(), qPrintable(r.path));
        const IdxDataset &data = m.captured(1) == "train" ? *train : *test;
        const int index = m.captured(2).toInt();
        QCOMPARE(r.splitId, splitId[m.captured(1)]);
        QVERIFY2(r.path.startsWith("demo_images/" + m.captured(1) + "/"), qPrintable(r.path));
        QCOMPARE(r.width, 28);
        QCOMPARE(r.height, 28);
        QVERIFY(r.readable);
        const auto labels = store.labels(r.id);
        QVERIFY(labels.ok());
        QCOMPARE(labels->size(), 1);
        QCOMPARE(store.classById(labels->first()).value().name,
                 fashionMnistClassNames().at(data.labels[index]));
        const QImage image(r.absolutePath);
        QCOMPARE(image.size(), QSize(28, 28));
        QVERIFY(image.isGrayscale());
        const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
        for (int y = 0; y < 28; ++y)
            QVERIFY(
                memcmp(grey.constScanLine(y), data.pixels.constData() + index * 784 + y * 28, 28)
                == 0);
    }
}

void TstDemo::sameSeedSameDemo()
{
    QTemporaryDir dir;
    QVERIFY(createDemoProject(dir.filePath("a.salient"), 300, 11).ok());
    QVERIFY(createDemoProject(dir.filePath("b.salient"), 300, 11).ok());
    QVERIFY(createDemoProject(dir.filePath("c.salient"), 300, 12).ok());
    const QStringList a = sources(dir.filePath("a.salient"));
    QCOMPARE(a.size(), 300);
    QCOMPARE(sources(dir.filePath("b.salient")), a);
    QVERIFY(sources(dir.filePath("c.salient")) != a);
}

void TstDemo::failureLeavesNoHalfProject_data()
{
    QTest::addColumn<QString>("trainState"); // "ok", "corrupt"
    QTest::addColumn<QString>("testState");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("namedFile"); // file name the error must carry

    QTest::newRow("corrupt training images") << "corrupt"
                                             << "ok" << 300 << "train-images-idx3-ubyte.gz";
    // The training images are written before the test part fails to load.
    QTest::newRow("corrupt test images after train was written")
        << "ok"
        << "corrupt" << 300 << "t10k-images-idx3-ubyte.gz";
    QTest::newRow("too few images for the imbalance") << "ok"
                                                      << "ok" << 50 << "demo.salient";
    QTest::newRow("dataset lacks enough of a class") << "ok"
                                                     << "ok" << 20000 << "";
}

void TstDemo::failureLeavesNoHalfProject()
{
    QFETCH(QString, trainState);
    QFETCH(QString, testState);
    QFETCH(int, count);
    QFETCH(QString, namedFile);
    QTemporaryDir data, out;
    writeTinyPart(data.path(), "train", 80);
    writeTinyPart(data.path(), "t10k", 20);
    if (trainState == "corrupt")
        QVERIFY(writeFile(data.filePath("train-images-idx3-ubyte.gz"), "garbage", true));
    if (testState == "corrupt")
        QVERIFY(writeFile(data.filePath("t10k-images-idx3-ubyte.gz"), "garbage", true));

    const auto report = createDemoProject(out.filePath("demo.salient"), count, 42, data.path());
    QVERIFY(!report.ok());
    if (!namedFile.isEmpty())
        QVERIFY2(report.error().path.endsWith(namedFile), qPrintable(report.error().toString()));
    QCOMPARE(QDir(out.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
}

QTEST_GUILESS_MAIN(TstDemo)
#include "tst_demo.moc"
