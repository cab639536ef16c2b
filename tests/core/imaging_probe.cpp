// SPDX-License-Identifier: GPL-3.0-or-later
// probeImage over the odd-image corpus: exact header facts for every readable
// file, the exact kind of failure (and a reason naming the file) for the rest,
// and no crash on any prefix or corruption of a valid file.

#include "core/imaging/probe.h"
#include "tests/core/imaging_corpus.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/imgcodecs.hpp>

using namespace salient;
using namespace salient::test;

Q_DECLARE_METATYPE(salient::Error::Code)

class TestProbe : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QVector<CorpusEntry> m_corpus;

    QByteArray bytesOf(const QString &name)
    {
        auto r = readFileBytes(m_dir.filePath(name));
        if (!r.ok())
            qWarning() << r.error().toString();
        return r.ok() ? r.value() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_corpus = oddCorpus(cv::haveImageWriter("x.webp"));
        QVERIFY(writeCorpus(m_dir.path(), m_corpus));
    }

    void corpus_data()
    {
        QTest::addColumn<int>("index");
        for (int i = 0; i < m_corpus.size(); ++i)
            QTest::newRow(qPrintable(m_corpus[i].name)) << i;
    }

    void corpus()
    {
        QFETCH(int, index);
        const CorpusEntry &e = m_corpus[index];
        const QString path = m_dir.filePath(e.name);
        auto r = probeImage(bytesOf(e.name), path);
        if (e.readable) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
            QCOMPARE(r->format, e.format);
            QCOMPARE(r->width, e.width);
            QCOMPARE(r->height, e.height);
            QCOMPARE(r->orientation, e.orientation);
            QCOMPARE(r->bitDepth, e.bitDepth);
            QCOMPARE(r->channels, e.channels);
            // Stored size is the displayed one, turned back for 5..8.
            const bool swapped = e.orientation >= 5;
            QCOMPARE(r->storedWidth, swapped ? e.height : e.width);
        } else {
            QVERIFY2(!r.ok(), "an unreadable file was accepted");
            QCOMPARE(r.error().code, e.code);
            QVERIFY2(r.error().message.contains(e.reason), qPrintable(r.error().message));
            QVERIFY2(r.error().toString().contains(e.name), qPrintable(r.error().toString()));
        }
    }

    void reasonsAreDistinct()
    {
        // The user must be able to tell an empty file from text from a cut-off one.
        QSet<QString> reasons;
        int unreadable = 0;
        for (const CorpusEntry &e : m_corpus) {
            if (e.readable)
                continue;
            ++unreadable;
            auto r = probeImage(bytesOf(e.name), e.name);
            QVERIFY(!r.ok());
            reasons.insert(r.error().message);
        }
        QCOMPARE(reasons.size(), unreadable);
    }

    void pixelLimitIsASetting()
    {
        const QByteArray photo = bytesOf("photo.jpg"); // 64 x 48 = 3072 pixels
        QVERIFY(probeImage(photo, "photo.jpg", 3072).ok());
        auto r = probeImage(photo, "photo.jpg", 3071);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Invalid);
        QVERIFY2(r.error().message.contains("exceeds the limit"), qPrintable(r.error().message));
    }

    void binaryGarbageIsUnknownFormat()
    {
        const QByteArray junk("\x00\x01\x02\x03garbage\xfe\xff", 13);
        auto r = probeImage(junk, "junk.png");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::Unsupported);
        QVERIFY2(r.error().message.contains("unknown format"), qPrintable(r.error().message));
    }

    void jpegWithTrailerAfterEndMarker()
    {
        // Motion photos append a video after EOI: still a complete JPEG.
        QByteArray bytes = bytesOf("photo.jpg");
        bytes.append(QByteArray(5000, 'v'));
        auto r = probeImage(bytes, "motion.jpg");
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->width, 64);
    }

    void everyPrefixIsSafe_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("prefixAlwaysFails");
        QTest::newRow("jpeg with exif") << "exif6_le.jpg" << true;
        QTest::newRow("png 16-bit") << "deep16.png" << true;
        QTest::newRow("bmp") << "image.bmp" << true;
        QTest::newRow("tiff") << "colour16.tif" << false; // IFD may precede the strips
        if (QFile::exists(m_dir.filePath("image.webp")))
            QTest::newRow("webp") << "image.webp" << true;
    }

    void everyPrefixIsSafe()
    {
        QFETCH(QString, name);
        QFETCH(bool, prefixAlwaysFails);
        const QByteArray full = bytesOf(name);
        QVERIFY(probeImage(full, name).ok());
        for (int n = 0; n < full.size(); ++n) {
            auto r = probeImage(full.left(n), name);
            if (prefixAlwaysFails)
                QVERIFY2(!r.ok(), qPrintable(QString("prefix of %1 bytes accepted").arg(n)));
        }
    }

    void randomCorruptionIsSafe()
    {
        // Not a fuzzer, but it walks the parsers through broken lengths and offsets.
        QRandomGenerator rng(42);
        const QStringList names{"exif3.jpg", "deep16.png", "image.bmp", "grey16.tiff"};
        for (const QString &name : names) {
            const QByteArray full = bytesOf(name);
            for (int round = 0; round < 2000; ++round) {
                QByteArray b = full;
                const int flips = 1 + int(rng.bounded(4));
                for (int k = 0; k < flips; ++k)
                    b[int(rng.bounded(std::min<int>(b.size(), 200)))] = char(rng.bounded(256));
                auto r = probeImage(b, name);
                if (r.ok()) {
                    QVERIFY(r->width > 0 && r->height > 0);
                    QVERIFY(qint64(r->width) * r->height <= kDefaultMaxPixels);
                }
            }
        }
    }

    void suffixes()
    {
        const QStringList s = supportedImageSuffixes();
        for (const char *ext : {"jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp"})
            QVERIFY2(s.contains(ext), ext);
        QVERIFY(!s.contains("txt"));
    }
};

QTEST_GUILESS_MAIN(TestProbe)
#include "imaging_probe.moc"
