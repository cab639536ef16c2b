// SPDX-License-Identifier: GPL-3.0-or-later
// Thumbnails arrive later by signal, never twice for one request burst,
// come back from the disk cache, and stale work is dropped.

#include "core/imaging/thumbnailer.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace salient;

namespace {

/// A picture with a gradient and a circle: something a decoder can get wrong.
bool writeImage(const QString &path, int width, int height, int channels)
{
    cv::Mat img(height, width, channels == 1 ? CV_8UC1 : CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            if (channels == 1)
                img.at<uchar>(y, x) = uchar((x + y) % 256);
            else
                img.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x % 256), uchar(y % 256), 128);
        }
    cv::circle(img, {width / 2, height / 2}, std::min(width, height) / 4, cv::Scalar::all(255), -1);
    try {
        return cv::imwrite(path.toStdString(), img);
    } catch (const cv::Exception &) {
        return false;
    }
}

} // namespace

class TestThumbnailer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void thumbnailArrivesBySignal_data();
    void thumbnailArrivesBySignal();
    void diskCacheServesASecondThumbnailer();
    void noDiskCacheWithoutHash();
    void duplicateRequestsAreDropped();
    void newestRequestServedFirst();
    void clearDropsPendingResults();
    void cancelPendingDropsQueuedJobs();
    void unreadableFileFailsOnce();
    void memoryCacheIsBounded();

private:
    QString m_dir;
    QTemporaryDir m_tmp;
};

void TestThumbnailer::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_dir = m_tmp.path();
    QVERIFY(writeImage(m_dir + "/wide.jpg", 640, 320, 3));
    QVERIFY(writeImage(m_dir + "/tall.png", 200, 500, 3));
    QVERIFY(writeImage(m_dir + "/grey.png", 300, 300, 1));
    QVERIFY(writeImage(m_dir + "/small.png", 40, 30, 3));
    for (int i = 0; i < 24; ++i)
        QVERIFY(writeImage(m_dir + QString("/many%1.jpg").arg(i), 800, 600, 3));
}

void TestThumbnailer::thumbnailArrivesBySignal_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("orientation");
    QTest::addColumn<QSize>("expected");
    QTest::newRow("wide JPEG fits the box") << "wide.jpg" << 1 << QSize(128, 64);
    QTest::newRow("EXIF orientation 6 turns it upright") << "wide.jpg" << 6 << QSize(64, 128);
    QTest::newRow("tall PNG") << "tall.png" << 1 << QSize(51, 128);
    QTest::newRow("grey PNG") << "grey.png" << 1 << QSize(128, 128);
}

void TestThumbnailer::thumbnailArrivesBySignal()
{
    QFETCH(QString, file);
    QFETCH(int, orientation);
    QFETCH(QSize, expected);
    Thumbnailer thumbs(QString(), 128, 2);
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    QSignalSpy failed(&thumbs, &Thumbnailer::thumbnailFailed);
    QVERIFY(thumbs.request(7, m_dir + "/" + file, QByteArray(), orientation).isNull());
    QVERIFY(ready.wait(10000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(ready.at(0).at(0).toLongLong(), 7);
    const QImage image = ready.at(0).at(1).value<QImage>();
    // Rounding of the short side may differ by a pixel between decoders.
    QVERIFY2(qAbs(image.width() - expected.width()) <= 1
                 && qAbs(image.height() - expected.height()) <= 1,
             qPrintable(QString("%1x%2").arg(image.width()).arg(image.height())));
    QVERIFY(thumbs.contains(7));
    // Now answered at once from memory, without another signal.
    QCOMPARE(thumbs.request(7, m_dir + "/" + file, QByteArray(), orientation), image);
    QTest::qWait(50);
    QCOMPARE(ready.count(), 1);
}

void TestThumbnailer::diskCacheServesASecondThumbnailer()
{
    QTemporaryDir cache;
    const QString source = m_dir + "/copy.jpg";
    QVERIFY(QFile::copy(m_dir + "/wide.jpg", source));
    const QByteArray hash = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    QImage first;
    {
        Thumbnailer thumbs(cache.path(), 128, 1);
        QCOMPARE(thumbs.cacheFile(hash), cache.path() + "/a1/" + hash + ".jpg");
        QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
        thumbs.request(1, source, hash, 1);
        QVERIFY(ready.wait(10000));
        first = ready.at(0).at(1).value<QImage>();
        QVERIFY(QFile::exists(thumbs.cacheFile(hash)));
        const QStringList leftovers = QDir(cache.path() + "/a1").entryList(QDir::Files);
        QCOMPARE(leftovers, QStringList{QString(hash) + ".jpg"}); // no temporary files left
    }
    // The source is gone: only the disk cache can answer now.
    QVERIFY(QFile::remove(source));
    Thumbnailer again(cache.path(), 128, 1);
    QSignalSpy ready(&again, &Thumbnailer::thumbnailReady);
    QSignalSpy failed(&again, &Thumbnailer::thumbnailFailed);
    QVERIFY(again.request(1, source, hash, 1).isNull()); // memory cache is per instance
    QVERIFY(ready.wait(10000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(ready.at(0).at(1).value<QImage>().size(), first.size());
}

void TestThumbnailer::noDiskCacheWithoutHash()
{
    QTemporaryDir cache;
    Thumbnailer thumbs(cache.path(), 128, 1);
    QCOMPARE(thumbs.cacheFile(QByteArray()), QString());
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    thumbs.request(1, m_dir + "/small.png", QByteArray(), 1);
    QVERIFY(ready.wait(10000));
    QCOMPARE(QDir(cache.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    // A picture smaller than the box is not blown up.
    QCOMPARE(ready.at(0).at(1).value<QImage>().size(), QSize(40, 30));
}

void TestThumbnailer::duplicateRequestsAreDropped()
{
    Thumbnailer thumbs(QString(), 128, 4);
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    for (int i = 0; i < 20; ++i)
        QVERIFY(thumbs.request(5, m_dir + "/wide.jpg", QByteArray(), 1).isNull());
    QVERIFY(ready.wait(10000));
    thumbs.waitForDone();
    QTest::qWait(100); // any further queued results would be delivered now
    QCOMPARE(ready.count(), 1);
}

void TestThumbnailer::newestRequestServedFirst()
{
    Thumbnailer thumbs(QString(), 128, 1);
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    constexpr int kCount = 12;
    for (int i = 0; i < kCount; ++i)
        thumbs.request(i, m_dir + QString("/many%1.jpg").arg(i), QByteArray(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), kCount, 20000);
    QVector<qint64> order;
    for (const auto &args : ready)
        order.append(args.at(0).toLongLong());
    // The single thread may have taken job 0 before the rest were queued;
    // after that, what was asked last (on screen now) comes first.
    QVector<qint64> rest = order;
    if (rest.first() == 0)
        rest.removeFirst();
    QVERIFY2(std::is_sorted(rest.rbegin(), rest.rend()),
             qPrintable(QString("order: %1").arg([&] {
                 QStringList s;
                 for (qint64 id : order)
                     s << QString::number(id);
                 return s.join(' ');
             }())));
}

void TestThumbnailer::clearDropsPendingResults()
{
    Thumbnailer thumbs(QString(), 128, 1);
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    for (int i = 0; i < 24; ++i)
        thumbs.request(100 + i, m_dir + QString("/many%1.jpg").arg(i), QByteArray(), 1);
    thumbs.clear(); // the project closed
    QCOMPARE(thumbs.pendingCount(), 0);
    thumbs.waitForDone();
    QTest::qWait(100);
    QCOMPARE(ready.count(), 0); // even the job that was running is dropped
    // And the same ids can be asked for again afterwards.
    thumbs.request(100, m_dir + "/many0.jpg", QByteArray(), 1);
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.count(), 1);
}

void TestThumbnailer::cancelPendingDropsQueuedJobs()
{
    Thumbnailer thumbs(QString(), 128, 1);
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    for (int i = 0; i < 24; ++i)
        thumbs.request(200 + i, m_dir + QString("/many%1.jpg").arg(i), QByteArray(), 1);
    thumbs.cancelPending();
    QCOMPARE(thumbs.pendingCount(), 0);
    thumbs.waitForDone();
    QTest::qWait(100);
    QVERIFY2(ready.count() <= 1, qPrintable(QString::number(ready.count()))); // at most the running one
    // A cancelled id is not mistaken for a duplicate later.
    const qint64 again = ready.isEmpty() ? 200 : ready.at(0).at(0).toLongLong() == 200 ? 201 : 200;
    thumbs.request(again, m_dir + "/many1.jpg", QByteArray(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(thumbs.contains(again), 10000);
}

void TestThumbnailer::unreadableFileFailsOnce()
{
    QFile text(m_dir + "/notes.jpg");
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("this is not an image\n");
    text.close();
    Thumbnailer thumbs(QString(), 128, 1);
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    QSignalSpy failed(&thumbs, &Thumbnailer::thumbnailFailed);
    thumbs.request(9, text.fileName(), QByteArray(), 1);
    QVERIFY(failed.wait(10000));
    QVERIFY(thumbs.hasFailed(9));
    QVERIFY(failed.at(0).at(1).toString().contains("notes.jpg"));
    thumbs.request(9, text.fileName(), QByteArray(), 1); // not decoded again
    thumbs.waitForDone();
    QTest::qWait(50);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(ready.count(), 0);
}

void TestThumbnailer::memoryCacheIsBounded()
{
    Thumbnailer thumbs(QString(), 128, 2);
    thumbs.setMemoryLimitKiB(150); // a 128x96 thumbnail costs 36 to 48 KiB
    QSignalSpy ready(&thumbs, &Thumbnailer::thumbnailReady);
    constexpr int kCount = 12;
    for (int i = 0; i < kCount; ++i)
        thumbs.request(300 + i, m_dir + QString("/many%1.jpg").arg(i), QByteArray(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(ready.count(), kCount, 20000);
    int held = 0;
    for (int i = 0; i < kCount; ++i)
        held += thumbs.contains(300 + i) ? 1 : 0;
    QVERIFY2(held >= 1 && held <= 4, qPrintable(QString::number(held)));
    // An evicted thumbnail is simply made again on request.
    const qint64 evicted = [&] {
        for (int i = 0; i < kCount; ++i)
            if (!thumbs.contains(300 + i))
                return qint64(300 + i);
        return qint64(0);
    }();
    QVERIFY(evicted != 0);
    QVERIFY(thumbs.request(evicted, m_dir + QString("/many%1.jpg").arg(evicted - 300), QByteArray(), 1)
                .isNull());
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.last().at(0).toLongLong(), evicted);
}

QTEST_GUILESS_MAIN(TestThumbnailer)
#include "thumbnailer_test.moc"
