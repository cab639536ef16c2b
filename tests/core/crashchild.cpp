// SPDX-License-Identifier: GPL-3.0-or-later
// The editor that tst_crashkill kills: it edits a project through the paths
// the studio uses (the project lock, DocumentCache / AnnotationDocument for
// shapes, EditCommands for labels and classes) and announces every edit in
// two lines on stdout, each flushed:
//
//   begin <n> <edit>   before the edit starts (it may or may not commit)
//   ack <n> <edit>     after it committed (it must survive any kill)
//
// <edit> is one of
//   add <shape|?> <image> <class> <geometry>   move <shape> <geometry>
//   undo <shape> <geometry>   delete <shape>   reclass <shape> <class>
//   labels <image> <class,class,...|->         class <class|?> <name>
//   rename <class> <name>
// ("?" in begin: the id is not known until the write; geometry as in crashops.h).
//
//   crashchild PROJECT SEED FIRST [ROUNDS]
// FIRST numbers the first edit; without ROUNDS it edits until killed.

#include "core/commands/editcommands.h"
#include "core/document/annotationdocument.h"
#include "core/project/projectlock.h"
#include "core/project/store.h"
#include "tests/core/crashops.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QUndoStack>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace salient;

namespace {

void say(const char *what, qint64 n, const QString &edit)
{
    std::printf("%s %lld %s\n", what, static_cast<long long>(n), qPrintable(edit));
    std::fflush(stdout); // a line the parent can read is a line that was said
}

[[noreturn]] void die(int code, const QString &why)
{
    std::fprintf(stderr, "crashchild: %s\n", qPrintable(why));
    std::fflush(stderr);
    std::exit(code);
}

/// What the last edit was, so that an undo can follow a move at once.
struct LastMove {
    AnnotationDocument *doc = nullptr;
    qint64 shape = 0;
    Geometry before;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 4)
        die(2, QStringLiteral("usage: crashchild PROJECT SEED FIRST [ROUNDS]"));
    const QString file = QString::fromLocal8Bit(argv[1]);
    const quint32 seed = QByteArray(argv[2]).toUInt();
    const qint64 first = QByteArray(argv[3]).toLongLong();
    const qint64 rounds = argc > 4 ? QByteArray(argv[4]).toLongLong() : -1;

    // As the studio does: the lock first (a killed editor's lock is taken over), then the store.
    ProjectLock lock(file);
    if (Status s = lock.tryLock(); !s.ok())
        die(9, s.error().toString());
    auto opened = ProjectStore::open(file);
    if (!opened.ok())
        die(3, opened.error().toString());
    ProjectStore &store = *opened.value();
    if (store.isReadOnly())
        die(3, QStringLiteral("opened read-only"));
    QUndoStack browserStack;
    EditCommands commands(store, browserStack);
    DocumentCache documents(store);
    bool failed = false;
    QObject::connect(&commands, &EditCommands::failed, [&](const Error &e) {
        failed = true;
        std::fprintf(stderr, "crashchild: %s\n", qPrintable(e.toString()));
    });
    QObject::connect(&documents, &DocumentCache::failed, [&](const Error &e) {
        failed = true;
        std::fprintf(stderr, "crashchild: %s\n", qPrintable(e.toString()));
    });
    const QVector<qint64> images = store.imageIds().valueOr({});
    if (images.isEmpty())
        die(3, QStringLiteral("no images"));
    QVector<AnnotationDocument *> docs;
    for (qint64 id : images) {
        AnnotationDocument *doc = documents.document(id);
        if (!doc)
            die(3, QStringLiteral("cannot load image %1").arg(id));
        QObject::connect(doc, &AnnotationDocument::failed, [&](const Error &e) {
            failed = true;
            std::fprintf(stderr, "crashchild: %s\n", qPrintable(e.toString()));
        });
        docs << doc;
    }

    QRandomGenerator rng(seed * 1000003u + quint32(first));
    LastMove last;
    for (qint64 n = first; rounds < 0 || n < first + rounds; ++n) {
        const QVector<ClassRecord> classes = store.classes().valueOr({});
        QVector<QPair<AnnotationDocument *, const Shape *>> shapes;
        for (AnnotationDocument *d : std::as_const(docs))
            for (const Shape &s : d->shapes())
                shapes.append({d, &s});
        const auto anyClass = [&]() {
            return classes.at(int(rng.bounded(int(classes.size())))).id;
        };
        AnnotationDocument *doc = docs.at(int(rng.bounded(int(docs.size()))));
        const int roll = int(rng.bounded(100));
        const LastMove previous = last;
        last = {};
        QString edit;
        bool ok = true;
        if (roll < 8 && previous.doc && previous.doc->undoStack().canUndo()) {
            edit = QStringLiteral("undo %1 %2").arg(previous.shape).arg(test::geometryText(previous.before));
            say("begin", n, edit);
            previous.doc->undoStack().undo();
            ok = !failed;
        } else if (roll < 35 || shapes.isEmpty()) {
            const Geometry g = test::randomGeometry(rng, int(rng.bounded(3)));
            const qint64 cls = anyClass();
            const QString tail =
                QStringLiteral("%1 %2 %3").arg(doc->imageId()).arg(cls).arg(test::geometryText(g));
            say("begin", n, QStringLiteral("add ? ") + tail);
            const qint64 id = doc->addShape(cls, g);
            ok = id > 0;
            edit = QStringLiteral("add %1 ").arg(id) + tail;
        } else if (roll < 55) {
            const auto [d, s] = shapes.at(int(rng.bounded(int(shapes.size()))));
            const Geometry before = s->geometry;
            const qint64 id = s->id;
            const Geometry g = test::randomGeometry(rng, int(kindOf(before)));
            edit = QStringLiteral("move %1 %2").arg(id).arg(test::geometryText(g));
            say("begin", n, edit);
            const int index = d->undoStack().index();
            ok = d->setGeometry(id, g);
            if (d->undoStack().index() == index + 1)
                last = {d, id, before};
        } else if (roll < 65) {
            const auto [d, s] = shapes.at(int(rng.bounded(int(shapes.size()))));
            const qint64 id = s->id;
            edit = QStringLiteral("delete %1").arg(id);
            say("begin", n, edit);
            ok = d->removeShapes({id});
        } else if (roll < 75) {
            const auto [d, s] = shapes.at(int(rng.bounded(int(shapes.size()))));
            const qint64 id = s->id;
            const qint64 cls = anyClass();
            edit = QStringLiteral("reclass %1 %2").arg(id).arg(cls);
            say("begin", n, edit);
            ok = d->setShapeClass({id}, cls);
        } else if (roll < 88) {
            const qint64 image = images.at(int(rng.bounded(int(images.size()))));
            QVector<qint64> set;
            const int count = int(rng.bounded(3));
            for (int i = 0; i < count; ++i) {
                const qint64 c = anyClass();
                if (!set.contains(c))
                    set << c;
            }
            std::sort(set.begin(), set.end());
            QStringList ids;
            for (qint64 c : set)
                ids << QString::number(c);
            edit = QStringLiteral("labels %1 %2") .arg(image).arg(
                ids.isEmpty() ? QStringLiteral("-") : ids.join(QLatin1Char(',')));
            say("begin", n, edit);
            ok = commands.setLabels({image}, set);
        } else if (roll < 93 && classes.size() < 12) {
            const QString name = QStringLiteral("c%1").arg(n);
            say("begin", n, QStringLiteral("class ? %1").arg(name));
            const qint64 id = commands.addClass(name);
            ok = id > 0;
            edit = QStringLiteral("class %1 %2").arg(id).arg(name);
        } else {
            const qint64 cls = anyClass();
            edit = QStringLiteral("rename %1 r%2").arg(cls).arg(n);
            say("begin", n, edit);
            ok = commands.renameClass(cls, QStringLiteral("r%1").arg(n));
        }
        if (!ok || failed)
            die(10, QStringLiteral("edit %1 failed: %2").arg(n).arg(edit));
        say("ack", n, edit);
    }
    return 0;
}
