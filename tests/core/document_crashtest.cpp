// SPDX-License-Identifier: GPL-3.0-or-later
// An editor process killed with SIGKILL at random moments while it edits
// shapes through AnnotationDocument: the reopened project passes SQLite's
// integrity check and holds every edit the editor acknowledged. The test
// binary is its own editor (`--child-editor FILE START`).

#include "core/document/annotationdocument.h"
#include "core/project/store.h"
#include "tests/support/sqlitepragma.h"
#include "tests/support/tempproject.h"

#include <QCoreApplication>
#include <QDebug>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

#include <cstdio>
#include <optional>

using namespace salient;

namespace {

// What round i of the editor draws; parent and child compute the same shapes.
Geometry addedBox(int i)
{
    return Box{QRectF(i % 500, (i * 7) % 300, 10 + i % 7, 12)};
}

Geometry movedBox(int i)
{
    return Box{QRectF(i % 500 + 0.5, (i * 7) % 300 + 0.25, 10 + i % 7, 12)};
}

Geometry strokeMask(int i)
{
    Mask m(QRect(i % 400, 10, 24, 16));
    for (int y = 10; y < 26; ++y)
        for (int x = i % 400; x < i % 400 + 24; ++x)
            m.set(x, y, (x * 3 + y * 5 + i) % 4 != 0);
    return m;
}

void ack(const char *op, int round, qint64 id)
{
    std::printf("%s %d %lld\n", op, round, static_cast<long long>(id));
    std::fflush(stdout); // a line the parent reads is an edit that was committed
}

/// Round i: add a box, move it (a gesture), every 5th round undo the move,
/// every 3rd add a mask, every 4th delete the box. One line per finished edit.
int childEditor(const QString &file, int start)
{
    auto store = ProjectStore::open(file);
    if (!store.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(store.error().toString()));
        return 2;
    }
    ProjectStore &s = *store.value();
    const qint64 image = s.imageIds()->value(0);
    const qint64 cls = s.classIdByName(QStringLiteral("cell")).valueOr(0);
    auto doc = AnnotationDocument::load(s, image);
    if (!doc.ok() || cls == 0)
        return 3;
    AnnotationDocument &d = *doc.value();
    QObject::connect(&d, &AnnotationDocument::failed, [](const Error &e) {
        std::fprintf(stderr, "%s\n", qPrintable(e.toString()));
        std::exit(4);
    });
    for (int i = start;; ++i) {
        const qint64 id = d.addShape(cls, addedBox(i));
        if (id == 0)
            return 5;
        ack("add", i, id);
        if (!d.setGeometry(id, movedBox(i), i + 1))
            return 6;
        ack("move", i, id);
        if (i % 5 == 0) {
            d.undoStack().undo();
            ack("undo", i, id);
        }
        if (i % 3 == 0) {
            const qint64 mask = d.addShape(cls, strokeMask(i));
            if (mask == 0)
                return 7;
            ack("mask", i, mask);
        }
        if (i % 4 == 0) {
            if (!d.removeShapes({id}))
                return 8;
            ack("remove", i, id);
        }
    }
}

/// The states one shape goes through, in order; nullopt: deleted.
using States = QVector<std::optional<Geometry>>;

States boxStates(int i)
{
    States s{addedBox(i), movedBox(i)};
    if (i % 5 == 0)
        s << addedBox(i);
    if (i % 4 == 0)
        s << std::nullopt;
    return s;
}

struct Tracked {
    States states;
    int acked = 0; ///< index of the last acknowledged state
};

using test::pragmaText;

} // namespace

class AnnotationCrashTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedEditorLosesNoAcknowledgedEdit_data()
    {
        QTest::addColumn<quint32>("seed");
        QTest::newRow("seed 1") << 1u;
        QTest::newRow("seed 2024") << 2024u;
    }

    void killedEditorLosesNoAcknowledgedEdit()
    {
        QFETCH(quint32, seed);
        QRandomGenerator rng(seed);
        test::TempProject p;
        NewImage img;
        img.absolutePath = p.dir() + QStringLiteral("/slide.png");
        img.hash = "1";
        img.width = 1000;
        img.height = 800;
        QVERIFY(p.store().addImages({img}).ok());
        QVERIFY(p.store().addClass(QStringLiteral("cell")).ok());
        p.close();

        QHash<qint64, Tracked> tracked; // shape id -> what the editor acknowledged
        int nextRound = 0;
        int unacknowledgedAdds = 0; // an add in flight may commit unacknowledged
        QVector<int> killedAfter;
        for (int kill = 0; kill < 5; ++kill) {
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(),
                        {QStringLiteral("--child-editor"), p.file(), QString::number(nextRound)});
            QVERIFY(child.waitForStarted());
            const int wanted = 3 + int(rng.bounded(60));
            int seen = 0;
            QByteArray buffer;
            // Only complete lines are acknowledgements; a torn last line is not one.
            const auto parse = [&]() -> bool {
                int nl;
                while ((nl = buffer.indexOf('\n')) >= 0) {
                    const QList<QByteArray> parts = buffer.left(nl).split(' ');
                    buffer.remove(0, nl + 1);
                    if (parts.size() != 3)
                        return false;
                    const QByteArray op = parts[0];
                    const int round = parts[1].toInt();
                    const qint64 id = parts[2].toLongLong();
                    nextRound = round + 1;
                    if (op == "add") {
                        tracked.insert(id, {boxStates(round), 0});
                    } else if (op == "mask") {
                        tracked.insert(id, {States{strokeMask(round)}, 0});
                    } else {
                        if (!tracked.contains(id))
                            return false;
                        ++tracked[id].acked;
                    }
                    ++seen;
                }
                return true;
            };
            while (seen < wanted) {
                if (!child.waitForReadyRead(10000))
                    QFAIL(qPrintable(QStringLiteral("editor stopped: %1") .arg(
                        QString::fromLocal8Bit(child.readAllStandardError()))));
                buffer += child.readAllStandardOutput();
                QVERIFY(parse());
            }
            // Somewhere inside the next edit, or between two.
            QThread::usleep(rng.bounded(4000));
            child.kill();
            QVERIFY(child.waitForFinished(10000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            buffer += child.readAllStandardOutput(); // printed before the kill: acknowledged too
            QVERIFY(parse());
            killedAfter << seen;
            ++unacknowledgedAdds;

            ProjectStore &s = p.reopen();
            QCOMPARE(pragmaText(s.handle(), "PRAGMA integrity_check"), QByteArray("ok"));
            QCOMPARE(pragmaText(s.handle(), "PRAGMA foreign_key_check"), QByteArray("(no row)"));
            auto shapes = s.shapes(s.imageIds()->value(0));
            QVERIFY(shapes.ok());
            QHash<qint64, Geometry> stored;
            for (const Shape &sh : shapes.value())
                stored.insert(sh.id, sh.geometry);
            int unknown = 0;
            for (auto it = stored.cbegin(); it != stored.cend(); ++it)
                unknown += tracked.contains(it.key()) ? 0 : 1;
            QVERIFY2(unknown <= unacknowledgedAdds, "shapes nobody drew");
            for (auto it = tracked.cbegin(); it != tracked.cend(); ++it) {
                const Tracked &t = it.value();
                const std::optional<Geometry> now =
                    stored.contains(it.key()) ? std::optional<Geometry>(stored.value(it.key()))
                                              : std::nullopt;
                // The acknowledged state, or the one after it if that edit was in flight.
                bool fits = now == t.states.at(t.acked);
                if (t.acked + 1 < t.states.size())
                    fits = fits || now == t.states.at(t.acked + 1);
                QVERIFY2(fits, qPrintable(QStringLiteral("shape %1 lost acknowledged edit %2 after kill %3")
                                       .arg(it.key())
                                       .arg(t.acked)
                                       .arg(kill)));
                // What the next editor will do to this shape starts from what is stored.
            }
            // Shapes whose in-flight edit did commit: their state moved on.
            for (auto it = tracked.begin(); it != tracked.end(); ++it) {
                Tracked &t = it.value();
                const std::optional<Geometry> now =
                    stored.contains(it.key()) ? std::optional<Geometry>(stored.value(it.key()))
                                              : std::nullopt;
                if (!(now == t.states.at(t.acked)))
                    ++t.acked;
                // The next editor never touches older rounds' shapes: freeze them.
                t.states = States{t.states.at(t.acked)};
                t.acked = 0;
            }
            p.close();
        }
        ProjectStore &s = p.reopen();
        QVERIFY(s.setSetting(QStringLiteral("after"), QStringLiteral("crash")).ok());
        QVERIFY(tracked.size() > 5);
        qInfo() << "killed after" << killedAfter << "acknowledged edits," << tracked.size()
                << "shapes checked";
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && qstrcmp(argv[1], "--child-editor") == 0)
        return childEditor(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt());
    AnnotationCrashTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "document_crashtest.moc"
