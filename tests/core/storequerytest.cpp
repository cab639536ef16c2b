// SPDX-License-Identifier: GPL-3.0-or-later
// ProjectStore queries: every ImageFilter field, paging, and a 100,000-image smoke test.
#include "core/project/store.h"
#include "tests/support/tempproject.h"

#include <QElapsedTimer>
#include <QTest>

using namespace salient;
using salient::test::TempProject;

Q_DECLARE_METATYPE(salient::ImageFilter)

namespace {

NewImage image(const TempProject &p, const QString &rel, const QStringList &labels = {},
               bool readable = true)
{
    NewImage n;
    n.absolutePath = p.path(rel);
    n.hash = rel.toUtf8();
    n.readable = readable;
    n.labels = labels;
    return n;
}

} // namespace

class StoreQueryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filters_data()
    {
        QTest::addColumn<ImageFilter>("filter");
        QTest::addColumn<QStringList>("expected"); // paths, in path order
        const QStringList all{"a/1.png", "a/2.png", "b/100%_sure.png", "b/3.png", "c/4.png"};
        QTest::newRow("no filter: all, ordered by path") << ImageFilter{} << all;
        ImageFilter cls;
        cls.classIds = {-1}; // replaced by the ids of "cat" and "dog" in the test body
        QTest::newRow("any of two classes") << cls << QStringList{"a/1.png", "a/2.png", "b/3.png"};
        ImageFilter unl;
        unl.unlabelledOnly = true;
        QTest::newRow("unlabelled only") << unl << QStringList{"b/100%_sure.png", "c/4.png"};
        ImageFilter unr;
        unr.unreadableOnly = true;
        QTest::newRow("unreadable only") << unr << QStringList{"c/4.png"};
        ImageFilter path;
        path.pathContains = QStringLiteral("A/");
        QTest::newRow("path search ignores case") << path << QStringList{"a/1.png", "a/2.png"};
        ImageFilter literal;
        literal.pathContains = QStringLiteral("0%_");
        QTest::newRow("path search: % and _ are literal")
            << literal << QStringList{"b/100%_sure.png"};
        ImageFilter status;
        status.status = ImageStatus::Done;
        QTest::newRow("status done") << status << QStringList{"a/2.png"};
        ImageFilter split;
        split.splitId = -1; // replaced by the id of split "test"
        QTest::newRow("split test") << split << QStringList{"b/3.png"};
        ImageFilter nosplit;
        nosplit.splitId = 0;
        QTest::newRow("in no split")
            << nosplit << QStringList{"a/1.png", "a/2.png", "b/100%_sure.png", "c/4.png"};
        ImageFilter combined = cls;
        combined.pathContains = QStringLiteral("a/");
        combined.status = ImageStatus::New;
        QTest::newRow("class, path and status together") << combined << QStringList{"a/1.png"};
    }

    void filters()
    {
        QFETCH(ImageFilter, filter);
        QFETCH(QStringList, expected);
        TempProject p;
        ProjectStore &s = p.store();
        auto ids = s.addImages({image(p, "b/3.png", {"dog"}), image(p, "a/2.png", {"cat", "dog"}),
                                image(p, "a/1.png", {"cat"}), image(p, "c/4.png", {}, false),
                                image(p, "b/100%_sure.png"), image(p, "z.png", {"bird"})});
        QVERIFY(ids.ok());
        QVERIFY(s.removeImages({ids->at(5)}).ok());
        QVERIFY(s.setStatus({ids->at(1)}, ImageStatus::Done).ok());
        const qint64 test = s.ensureSplit(QStringLiteral("test")).value();
        QVERIFY(s.assignSplit({ids->at(0)}, test).ok());
        if (!filter.classIds.isEmpty())
            filter.classIds = {s.classIdByName("cat").value(), s.classIdByName("dog").value()};
        if (filter.splitId && *filter.splitId < 0)
            filter.splitId = test;

        QCOMPARE(s.countImages(filter).value(), qint64(expected.size()));
        auto found = s.imageIds(filter);
        QVERIFY(found.ok());
        QStringList paths;
        const QVector<ImageRecord> records = s.images(found.value()).value();
        for (const ImageRecord &r : records)
            paths << r.path;
        QCOMPARE(paths, expected);
        // Paging returns the same sequence in slices.
        auto page = s.imageIds(filter, 1, 2);
        QCOMPARE(page.value(), found->mid(1, 2));
    }

    void hundredThousandImages()
    {
        TempProject p;
        ProjectStore &s = p.store();
        constexpr int kCount = 100000;
        QVector<NewImage> batch;
        batch.reserve(kCount);
        for (int i = 0; i < kCount; ++i) {
            NewImage n;
            n.absolutePath =
                p.dir()
                + QStringLiteral("/img/%1/%2.jpg").arg(i % 100).arg(i, 6, 10, QLatin1Char('0'));
            n.hash = QByteArray::number(i);
            n.width = 28;
            n.height = 28;
            if (i % 10 == 0)
                n.labels = {QStringLiteral("rare")};
            else if (i % 2 == 0)
                n.labels = {QStringLiteral("common")};
            batch.push_back(std::move(n));
        }
        QElapsedTimer t;
        t.start();
        auto ids = s.addImages(batch);
        QVERIFY(ids.ok());
        const qint64 addMs = t.elapsed();
        const qint64 rare = s.classIdByName(QStringLiteral("rare")).value();

        ImageFilter byClass;
        byClass.classIds = {rare};
        t.restart();
        QCOMPARE(s.countImages(byClass).value(), qint64(kCount / 10));
        const qint64 countMs = t.restart();
        auto all = s.imageIds();
        const qint64 allMs = t.restart();
        QCOMPARE(all->size(), kCount);
        auto rareIds = s.imageIds(byClass);
        const qint64 classMs = t.restart();
        QCOMPARE(rareIds->size(), kCount / 10);
        ImageFilter search;
        search.pathContains = QStringLiteral("/7/");
        QCOMPARE(s.imageIds(search)->size(), kCount / 100);
        const qint64 searchMs = t.restart();
        auto page = s.labels(all->mid(5000, 256));
        const qint64 labelsMs = t.elapsed();
        QCOMPARE(page->size(), 256);
        qInfo("100k images: addImages %lld ms, countImages(class) %lld ms, imageIds(all) %lld ms, "
              "imageIds(class) %lld ms, path search %lld ms, labels(256) %lld ms",
              addMs, countMs, allMs, classMs, searchMs, labelsMs);
        // Generous bounds for a loaded 2-core machine; the figures above are the real measure.
        QVERIFY2(allMs < 500, "imageIds over 100k images is too slow");
        QVERIFY2(labelsMs < 100, "labels for a page of 256 images is too slow");
    }
};

QTEST_GUILESS_MAIN(StoreQueryTest)
#include "storequerytest.moc"
