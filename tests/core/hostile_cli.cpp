// SPDX-License-Identifier: GPL-3.0-or-later
// salient-cli --max-megapixels N: one global option, before or after the
// command, that every command's decoding obeys; bad values are usage errors.

#include "tests/core/clirun.h"
#include "tests/support/imagemaker.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace salient::test;

class TestHostileCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void limitDecidesWhatIsReadable_data();
    void limitDecidesWhatIsReadable();
    void badValuesAreUsageErrors_data();
    void badValuesAreUsageErrors();

private:
    QTemporaryDir m_dir;
    QString m_images;
};

void TestHostileCli::initTestCase()
{
    m_images = m_dir.filePath(QStringLiteral("images"));
    QVERIFY(QDir().mkpath(m_images));
    QVERIFY(writePng(m_images + QStringLiteral("/big.png"), 1500, 1000)); // 1.5 megapixels
    QVERIFY(writePng(m_images + QStringLiteral("/small.png"), 20, 10));
}

void TestHostileCli::limitDecidesWhatIsReadable_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QStringList>("after");
    QTest::addColumn<bool>("bigRefused");
    QTest::newRow("no option: the default allows 1.5 megapixels")
        << QStringList() << QStringList() << false;
    QTest::newRow("--max-megapixels 1 before the command")
        << QStringList({"--max-megapixels", "1"}) << QStringList() << true;
    QTest::newRow("--max-megapixels=1 after the command")
        << QStringList() << QStringList({"--max-megapixels=1"}) << true;
    QTest::newRow("--max-megapixels 2 lets it through")
        << QStringList({"--max-megapixels", "2"}) << QStringList() << false;
}

void TestHostileCli::limitDecidesWhatIsReadable()
{
    QFETCH(QStringList, before);
    QFETCH(QStringList, after);
    QFETCH(bool, bigRefused);
    const QString project = m_dir.filePath(
        QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))
        + QStringLiteral(".salient"));
    CliRun r = runCli({QStringLiteral("init"), project});
    QVERIFY2(r.code == 0, r.err.constData());
    r = runCli(before + QStringList{QStringLiteral("import"), project, m_images} + after);
    QVERIFY2(r.code == 0, r.err.constData());
    QVERIFY2(r.out.contains("2 added"), r.out.constData());
    const bool refused = r.out.contains("big.png")
                         && r.out.contains("1500 x 1000 (1.5 megapixels) exceeds the limit of 1.0 "
                                           "megapixels");
    QVERIFY2(refused == bigRefused, r.out.constData());
    QVERIFY2(!r.out.contains("small.png"), r.out.constData());
}

void TestHostileCli::badValuesAreUsageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("zero") << QStringList({"--max-megapixels", "0", "info", "x.salient"});
    QTest::newRow("over 1000") << QStringList({"--max-megapixels=5000", "info", "x.salient"});
    QTest::newRow("not a number") << QStringList({"info", "x.salient", "--max-megapixels", "lots"});
    QTest::newRow("no value") << QStringList({"info", "x.salient", "--max-megapixels"});
}

void TestHostileCli::badValuesAreUsageErrors()
{
    QFETCH(QStringList, args);
    const CliRun r = runCli(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--max-megapixels"), r.err.constData());
}

QTEST_GUILESS_MAIN(TestHostileCli)
#include "hostile_cli.moc"
