// SPDX-License-Identifier: GPL-3.0-or-later
// The annotation crash test of issue #9: an editor (crashchild, a separate
// program) makes shape, label and class edits through the studio's own paths
// and acknowledges each once committed; this test kills it with SIGKILL at
// random (seeded) moments, over 200 times in all. After every kill the
// project opens read-write, SQLite's integrity check says "ok", and the
// project holds exactly the acknowledged edits, plus at most the one edit
// that was in flight, whole. The next editor carries on from there (taking
// over the dead editor's project lock at once).

#include "core/project/store.h"
#include "tests/core/crashops.h"
#include "tests/support/sqlitepragma.h"

#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

#include <algorithm>
#include <memory>

using namespace salient;

namespace {

/// What the project holds, as text that the editor's lines can be applied to.
struct Snapshot {
    QMap<qint64, QString> shapes;  ///< id -> "image class geometry"
    QMap<qint64, QString> labels;  ///< image -> "class,class" or "-"
    QMap<qint64, QString> classes; ///< id -> name
    bool operator==(const Snapshot &o) const
    {
        return shapes == o.shapes && labels == o.labels && classes == o.classes;
    }
};

QString describeDifference(const Snapshot &want, const Snapshot &got)
{
    QStringList out;
    const auto compare = [&](const char *what, const QMap<qint64, QString> &a,
                             const QMap<qint64, QString> &b) {
        QSet<qint64> keys;
        for (auto it = a.cbegin(); it != a.cend(); ++it)
            keys.insert(it.key());
        for (auto it = b.cbegin(); it != b.cend(); ++it)
            keys.insert(it.key());
        for (qint64 k : std::as_const(keys))
            if (a.value(k, QStringLiteral("(none)")) != b.value(k, QStringLiteral("(none)")))
                out << QStringLiteral("%1 %2: expected \"%3\", stored \"%4\"")
                                          .arg(QLatin1String(what))
                                          .arg(k)
                                          .arg(a.value(k, QStringLiteral("(none)")),
                                                       b.value(k, QStringLiteral("(none)")));
    };
    compare("shape", want.shapes, got.shapes);
    compare("labels of image", want.labels, got.labels);
    compare("class", want.classes, got.classes);
    return out.mid(0, 8).join(QLatin1String("; "));
}

Result<Snapshot> readProject(ProjectStore &s)
{
    Snapshot snap;
    auto ids = s.imageIds();
    SALIENT_TRY(ids);
    auto shapes = s.shapesOfImages(ids.value());
    SALIENT_TRY(shapes);
    for (auto it = shapes->cbegin(); it != shapes->cend(); ++it)
        for (const Shape &sh : it.value())
            snap.shapes.insert(sh.id, QStringLiteral("%1 %2 %3")
                                                         .arg(sh.imageId)
                                                         .arg(sh.classId)
                                                         .arg(test::geometryText(sh.geometry)));
    auto labels = s.labels(ids.value());
    SALIENT_TRY(labels);
    for (qint64 image : ids.value()) {
        QVector<qint64> set = labels->value(image);
        std::sort(set.begin(), set.end());
        QStringList parts;
        for (qint64 c : set)
            parts << QString::number(c);
        snap.labels.insert(image,
                           parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(',')));
    }
    auto classes = s.classes();
    SALIENT_TRY(classes);
    for (const ClassRecord &c : classes.value())
        snap.classes.insert(c.id, c.name);
    return snap;
}

/// Applies one edit line to a snapshot. An id "?" (an add in flight) is the
/// one row `stored` has beyond `snap`, if any. False: a line that makes no sense.
bool apply(Snapshot &snap, const QString &edit, const Snapshot *stored = nullptr)
{
    const QStringList p = edit.split(QLatin1Char(' '));
    const QString op = p.value(0);
    const auto newId = [&](const QMap<qint64, QString> &mine, const QMap<qint64, QString> &theirs) {
        qint64 found = 0;
        for (auto it = theirs.cbegin(); it != theirs.cend(); ++it)
            if (!mine.contains(it.key()))
                found = it.key();
        return found;
    };
    if (op == QLatin1String("add") && p.size() >= 5) {
        qint64 id = p[1].toLongLong();
        if (p[1] == QLatin1String("?"))
            id = stored ? newId(snap.shapes, stored->shapes) : 0;
        if (id == 0)
            return p[1] == QLatin1String("?"); // not committed
        snap.shapes.insert(id, p.mid(2).join(QLatin1Char(' ')));
        return true;
    }
    if ((op == QLatin1String("move") || op == QLatin1String("undo")) && p.size() >= 3) {
        const qint64 id = p[1].toLongLong();
        if (!snap.shapes.contains(id))
            return false;
        const QStringList old = snap.shapes.value(id).split(QLatin1Char(' '));
        snap.shapes.insert(id, (old.mid(0, 2) + p.mid(2)).join(QLatin1Char(' ')));
        return true;
    }
    if (op == QLatin1String("delete") && p.size() == 2)
        return snap.shapes.remove(p[1].toLongLong()) == 1;
    if (op == QLatin1String("reclass") && p.size() == 3) {
        const qint64 id = p[1].toLongLong();
        if (!snap.shapes.contains(id))
            return false;
        QStringList old = snap.shapes.value(id).split(QLatin1Char(' '));
        old[1] = p[2];
        snap.shapes.insert(id, old.join(QLatin1Char(' ')));
        return true;
    }
    if (op == QLatin1String("labels") && p.size() == 3) {
        snap.labels.insert(p[1].toLongLong(), p[2]);
        return true;
    }
    if (op == QLatin1String("class") && p.size() == 3) {
        qint64 id = p[1].toLongLong();
        if (p[1] == QLatin1String("?"))
            id = stored ? newId(snap.classes, stored->classes) : 0;
        if (id == 0)
            return p[1] == QLatin1String("?");
        snap.classes.insert(id, p[2]);
        return true;
    }
    if (op == QLatin1String("rename") && p.size() == 3) {
        if (!snap.classes.contains(p[1].toLongLong()))
            return false;
        snap.classes.insert(p[1].toLongLong(), p[2]);
        return true;
    }
    return false;
}

using test::pragmaText;

/// The editor's lines as they arrive: acknowledged edits go into `acked`,
/// the one begun and not acknowledged is `pending`.
struct Transcript {
    Snapshot acked;
    QString pending;
    qint64 pendingN = -1;
    qint64 nextN = 0;
    qint64 acks = 0;
    QByteArray buffer;
    QString problem;

    void feed(const QByteArray &bytes)
    {
        buffer += bytes;
        int nl;
        while (problem.isEmpty() && (nl = buffer.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(buffer.left(nl));
            buffer.remove(0, nl + 1);
            const int a = line.indexOf(QLatin1Char(' '));
            const int b = line.indexOf(QLatin1Char(' '), a + 1);
            const QString kind = line.left(a);
            const qint64 n = line.mid(a + 1, b - a - 1).toLongLong();
            const QString edit = line.mid(b + 1);
            if (kind == QLatin1String("begin") && pendingN < 0) {
                pending = edit;
                pendingN = n;
                nextN = n + 1;
            } else if (kind == QLatin1String("ack") && n == pendingN) {
                if (!apply(acked, edit))
                    problem =
                        QStringLiteral("edit %1 acknowledged but unknown: %2").arg(n).arg(edit);
                pending.clear();
                pendingN = -1;
                ++acks;
            } else {
                problem = QStringLiteral("unexpected line: %1").arg(line);
            }
        }
    }
};

struct Stats {
    qint64 acks = 0;
    int inFlightCommitted = 0;
    int inFlightLost = 0;
    int shapesAtEnd = 0;
};

QString errorText(const Error &e)
{
    return e.toString();
}

/// One editor on its own project, killed `kills` times, then run to a normal
/// end. Returns what went wrong, or nothing. Runs on a thread of its own (two
/// editors at once keep the suite short on two cores), so it reports instead
/// of using QVERIFY.
QString killRepeatedly(quint32 seed, int kills, Stats *stats)
{
    QRandomGenerator rng(seed);
    QTemporaryDir dir;
    if (!dir.isValid())
        return QStringLiteral("no temporary folder");
    const QString file = dir.filePath(QStringLiteral("crash.salient"));
    Transcript t;
    {
        auto created = ProjectStore::create(file);
        if (!created.ok())
            return errorText(created.error());
        ProjectStore &s = *created.value();
        QVector<NewImage> images;
        for (int i = 0; i < 3; ++i) {
            NewImage img;
            img.absolutePath = dir.filePath(QStringLiteral("slide%1.png").arg(i));
            img.hash = QByteArray::number(i);
            img.width = test::kCrashImageWidth;
            img.height = test::kCrashImageHeight;
            images << img;
        }
        if (!s.addImages(images).ok())
            return QStringLiteral("cannot add images");
        for (const char *name : {"cell", "nucleus", "debris"})
            if (!s.addClass(QString::fromLatin1(name)).ok())
                return QStringLiteral("cannot add classes");
        auto initial = readProject(s);
        if (!initial.ok())
            return errorText(initial.error());
        t.acked = initial.value();
    }

    for (int kill = 0; kill <= kills; ++kill) {
        const bool last = kill == kills; // the last editor stops by itself
        QProcess child;
        QStringList args{file, QString::number(seed), QString::number(t.nextN)};
        if (last)
            args << QStringLiteral("40");
        child.start(QStringLiteral(CRASHCHILD_PATH), args);
        if (!child.waitForStarted(10000))
            return QStringLiteral("cannot start the editor");
        if (last) {
            if (!child.waitForFinished(60000) || child.exitStatus() != QProcess::NormalExit
                || child.exitCode() != 0)
                return QStringLiteral("the last editor failed: %1") .arg(
                    QString::fromLocal8Bit(child.readAllStandardError()));
            t.feed(child.readAllStandardOutput());
            if (!t.pending.isEmpty())
                return QStringLiteral("the last editor left an edit unacknowledged");
        } else {
            // A random moment: after some acknowledged edits, then a few
            // microseconds to land inside the next write, or between two.
            const qint64 wanted = t.acks + rng.bounded(12);
            while (t.acks < wanted && t.problem.isEmpty()) {
                if (!child.waitForReadyRead(20000))
                    return QStringLiteral("editor stopped before kill %1: %2") .arg(kill).arg(
                        QString::fromLocal8Bit(child.readAllStandardError()));
                t.feed(child.readAllStandardOutput());
            }
            QThread::usleep(rng.bounded(3000));
            child.kill();
            if (!child.waitForFinished(10000) || child.exitStatus() != QProcess::CrashExit)
                return QStringLiteral("editor was not killed: %1") .arg(
                    QString::fromLocal8Bit(child.readAllStandardError()));
            t.feed(child.readAllStandardOutput()); // said before it died: acknowledged
        }
        if (!t.problem.isEmpty())
            return t.problem;

        // As the studio would: open read-write, check, read.
        auto opened = ProjectStore::open(file);
        if (!opened.ok())
            return QStringLiteral("after kill %1: %2").arg(kill).arg(errorText(opened.error()));
        ProjectStore &s = *opened.value();
        if (s.isReadOnly()) // the dead editor's lock holds nobody back
            return QStringLiteral("after kill %1: the project opens read-only").arg(kill);
        const QByteArray integrity = pragmaText(s.handle(), "PRAGMA integrity_check");
        if (integrity != "ok")
            return QStringLiteral("after kill %1: integrity_check says %2") .arg(kill).arg(
                QString::fromUtf8(integrity));
        if (pragmaText(s.handle(), "PRAGMA foreign_key_check") != "(no row)")
            return QStringLiteral("after kill %1: foreign_key_check finds rows").arg(kill);
        auto stored = readProject(s);
        if (!stored.ok())
            return errorText(stored.error());
        Snapshot committed = t.acked; // the edit in flight, if it made it
        if (!t.pending.isEmpty() && !apply(committed, t.pending, &stored.value()))
            return QStringLiteral("edit in flight makes no sense: %1").arg(t.pending);
        const bool matchesAcked = stored.value() == t.acked;
        if (!matchesAcked && !(stored.value() == committed))
            return QStringLiteral("after kill %1 (in flight: %2): %3") .arg(kill).arg(
                t.pending.isEmpty() ? QStringLiteral("none") : t.pending)
                    .arg(describeDifference(t.acked, stored.value()));
        if (!t.pending.isEmpty() && !(committed == t.acked))
            ++(matchesAcked ? stats->inFlightLost : stats->inFlightCommitted);
        // The next editor starts from what is stored.
        t.acked = stored.value();
        t.pending.clear();
        t.pendingN = -1;
        t.buffer.clear();
    }
    stats->acks = t.acks;
    stats->shapesAtEnd = int(t.acked.shapes.size());
    return {};
}

} // namespace

class CrashKillTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedEditorsLoseNoAcknowledgedEdit_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::addColumn<int>("kills"); ///< per editor; two editors run at once
        QTest::newRow("seeds 7 and 8, 2 x 50 kills") << 7u << 50;
        QTest::newRow("seeds 2026 and 2027, 2 x 50 kills") << 2026u << 50;
    }

    void killedEditorsLoseNoAcknowledgedEdit()
    {
        QFETCH(quint32, seed);
        QFETCH(int, kills);
        Stats first, second;
        QString firstProblem;
        // A QThread, not std::thread: QProcess wants a thread with an event dispatcher.
        std::unique_ptr<QThread> other(
            QThread::create([&] { firstProblem = killRepeatedly(seed, kills, &first); }));
        other->start();
        const QString secondProblem = killRepeatedly(seed + 1, kills, &second);
        other->wait();
        QVERIFY2(firstProblem.isEmpty(),
                 qPrintable(QStringLiteral("seed %1: %2").arg(seed).arg(firstProblem)));
        QVERIFY2(secondProblem.isEmpty(),
                 qPrintable(QStringLiteral("seed %1: %2").arg(seed + 1).arg(secondProblem)));
        for (const Stats *st : {&first, &second}) {
            QVERIFY(st->acks > kills); // the editors got real work done between kills
            QVERIFY(st->shapesAtEnd > 3);
        }
        qInfo("2 x %d kills, %lld acknowledged edits, in-flight edits found committed %d, "
              "rolled back %d",
              kills, first.acks + second.acks, first.inFlightCommitted + second.inFlightCommitted,
              first.inFlightLost + second.inFlightLost);
    }
};

QTEST_GUILESS_MAIN(CrashKillTest)
#include "crashkilltest.moc"
