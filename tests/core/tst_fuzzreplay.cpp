// SPDX-License-Identifier: GPL-3.0-or-later
// Every input libFuzzer ever found a crash with (fuzz/regressions/<target>/)
// runs again through its entry function and must not crash; under
// `./test.sh --sanitize` a memory or UB error fails here too. Every seed
// (fuzz/corpus/<target>/) is a real, valid file that its reader must accept:
// a seed the reader refuses would fuzz only the refusal.
#include "fuzz/entries.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using namespace salient;

namespace {

QString fuzzFolder()
{
    return qEnvironmentVariable("SALIENT_SOURCE_DIR") + QStringLiteral("/fuzz");
}

const fuzz::Target *targetNamed(const QString &name)
{
    for (const fuzz::Target &t : fuzz::targets())
        if (name == QLatin1String(t.name))
            return &t;
    return nullptr;
}

QStringList filesIn(const QString &dir)
{
    QStringList out;
    for (const QString &f : QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name))
        if (f != QLatin1String("README.md") && f != QLatin1String(".gitkeep"))
            out << dir + QLatin1Char('/') + f;
    return out;
}

bool runOn(const fuzz::Target &target, const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file));
    const QByteArray bytes = f.readAll();
    return target.entry(reinterpret_cast<const std::uint8_t *>(bytes.constData()),
                        std::size_t(bytes.size()));
}

} // namespace

class FuzzReplayTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyTargetHasSeeds_data()
    {
        QTest::addColumn<QString>("target");
        for (const fuzz::Target &t : fuzz::targets())
            QTest::newRow(t.name) << QString::fromLatin1(t.name);
    }
    void everyTargetHasSeeds()
    {
        QFETCH(QString, target);
        const QStringList seeds = filesIn(fuzzFolder() + QStringLiteral("/corpus/") + target);
        QVERIFY2(!seeds.isEmpty(), qPrintable(QStringLiteral("fuzz/corpus/%1 is empty").arg(target)));
    }

    void seedIsAccepted_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        for (const fuzz::Target &t : fuzz::targets())
            for (const QString &f : filesIn(fuzzFolder() + QStringLiteral("/corpus/") + t.name))
                QTest::newRow(qPrintable(QStringLiteral("%1/%2").arg(t.name, QFileInfo(f).fileName())))
                    << QString::fromLatin1(t.name) << f;
    }
    void seedIsAccepted()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        QVERIFY2(runOn(*targetNamed(target), file),
                 qPrintable(QStringLiteral("the reader refuses its seed %1").arg(file)));
    }

    void pastFindingIsHarmless_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("file");
        QTest::newRow("input of no bytes") << QStringLiteral("*") << QString();
        for (const fuzz::Target &t : fuzz::targets())
            for (const QString &f : filesIn(fuzzFolder() + QStringLiteral("/regressions/") + t.name))
                QTest::newRow(qPrintable(QStringLiteral("%1/%2").arg(t.name, QFileInfo(f).fileName())))
                    << QString::fromLatin1(t.name) << f;
    }
    void pastFindingIsHarmless()
    {
        QFETCH(QString, target);
        QFETCH(QString, file);
        if (file.isEmpty()) { // an empty file, which libFuzzer always tries first
            for (const fuzz::Target &t : fuzz::targets())
                (void)t.entry(nullptr, 0);
            return;
        }
        // A finding is mended when the reader returns at all: whether it
        // accepts the input does not matter.
        (void)runOn(*targetNamed(target), file);
    }

    void everyFindingFolderIsATarget()
    {
        // A regression filed under a misspelt folder would silently never run.
        const QDir dir(fuzzFolder() + QStringLiteral("/regressions"));
        for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            QVERIFY2(targetNamed(sub), qPrintable(QStringLiteral("regressions/%1 names no target").arg(sub)));
        const QDir corpus(fuzzFolder() + QStringLiteral("/corpus"));
        for (const QString &sub : corpus.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            QVERIFY2(targetNamed(sub), qPrintable(QStringLiteral("corpus/%1 names no target").arg(sub)));
    }
};

QTEST_GUILESS_MAIN(FuzzReplayTest)
#include "tst_fuzzreplay.moc"
