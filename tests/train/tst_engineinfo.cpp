// SPDX-License-Identifier: GPL-3.0-or-later
// The training engine links and its thread count is set on purpose
// (Debian's LibTorch starts with one intra-op thread).
#include "core/train/engineinfo.h"

#include <QThread>
#include <QtTest>

using namespace salient::train;

class TestEngineInfo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reportsTheLinkedLibTorch()
    {
        const EngineInfo info = engineInfo();
        QVERIFY2(info.torchVersion.startsWith(QStringLiteral("1.")), qPrintable(info.torchVersion));
        QCOMPARE(info.device, info.cuda ? QStringLiteral("cuda:0") : QStringLiteral("cpu"));
    }
    void threadCountIsSetOnPurpose_data()
    {
        QTest::addColumn<int>("asked");
        QTest::addColumn<int>("expected");
        QTest::newRow("one thread") << 1 << 1;
        QTest::newRow("two threads") << 2 << 2;
        QTest::newRow("zero means all cores") << 0 << std::max(1, QThread::idealThreadCount());
    }
    void threadCountIsSetOnPurpose()
    {
        QFETCH(int, asked);
        QFETCH(int, expected);
        QCOMPARE(setEngineThreads(asked), expected);
        QCOMPARE(engineInfo().threads, expected);
    }
};

QTEST_GUILESS_MAIN(TestEngineInfo)
#include "tst_engineinfo.moc"
