// SPDX-License-Identifier: GPL-3.0-or-later
// bench_scale's memory stage: browse and label a 100,000-image project with
// the studio's own models, and report the peak resident set size.
#include "bench/scalestages.h"

#include "core/commands/editcommands.h"
#include "core/document/annotationdocument.h"
#include "core/imaging/decode.h"
#include "core/imaging/thumbnailer.h"
#include "core/models/classlistmodel.h"
#include "core/models/imagelistmodel.h"
#include "core/project/balance.h"
#include "core/project/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QUndoStack>

#include <cstdio>

namespace salient::bench {

namespace {

// A 1400x900 window shows about 5 x 3 tiles of 256 px; a page is what one
// scroll-bar step brings on screen, with the row above and below prefetched.
constexpr int kPageRows = 30;

struct Checkpoint {
    QString what;
    double seconds;
    double rss;
    double hwm;
    double maxrss;
    QString note;
};

/// Asks for what the grid's delegate paints (name, thumbnail, label chips, tooltip).
void paintPage(ImageListModel &model, int first)
{
    const int last = std::min(model.rowCount(), first + kPageRows);
    for (int row = first; row < last; ++row) {
        const QModelIndex idx = model.index(row);
        (void)model.data(idx, Qt::DisplayRole);
        (void)model.data(idx, Qt::DecorationRole);
        (void)model.data(idx, ImageListModel::LabelColorsRole);
        (void)model.data(idx, ImageListModel::StatusRole);
    }
}

/// Processes events until every thumbnail of the page is made (or 10 s pass).
void waitForPage(ImageListModel &model, Thumbnailer &thumbs, int first)
{
    QElapsedTimer t;
    t.start();
    const int last = std::min(model.rowCount(), first + kPageRows);
    for (;;) {
        bool all = true;
        for (int row = first; row < last && all; ++row)
            all = thumbs.contains(model.idAt(row)) || thumbs.hasFailed(model.idAt(row));
        if (all || t.elapsed() > 10000)
            return;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
}

} // namespace

int runMemoryStage(const QString &file, int labelled, int waitEvery)
{
    QElapsedTimer clock;
    clock.start();
    QVector<Checkpoint> points;
    auto mark = [&](const QString &what, const QString &note = {}) {
        points << Checkpoint{what,
                             clock.elapsed() / 1000.0,
                             procStatusMiB("VmRSS:"),
                             procStatusMiB("VmHWM:"),
                             maxRssMiB(),
                             note};
        std::fprintf(stderr, "  memory: %s (%.0f MiB peak)\n", qPrintable(what), points.last().hwm);
    };
    mark(QStringLiteral("process started"));

    auto opened = ProjectStore::open(file);
    if (!opened.ok()) {
        std::fprintf(stderr, "bench_scale: %s\n", qPrintable(opened.error().toString()));
        return 1;
    }
    ProjectStore &store = *opened.value();
    // As MainWindow::openProject builds them (app/mainwindowproject.cpp).
    Thumbnailer thumbs(file + QStringLiteral(".thumbs"), 256);
    QUndoStack undo;
    EditCommands commands(store, undo);
    ImageListModel model(&store, &thumbs);
    ClassListModel classes(&store, &commands);
    DocumentCache documents(store);
    (void)computeBalance(store); // the class balance view computes on open
    paintPage(model, 0);
    waitForPage(model, thumbs, 0);
    mark(QStringLiteral("project open, first page painted"),
                        QStringLiteral("%1 rows").arg(model.rowCount()));

    // Scroll end to end a page per step, as a dragged scroll bar shows it: the
    // grid drops queued thumbnails on a jump; on every Nth page the user stops
    // and every thumbnail of it is made (the memory cache fills to its bound).
    int pages = 0;
    for (int first = 0; first < model.rowCount(); first += kPageRows, ++pages) {
        paintPage(model, first);
        if (waitEvery > 0 && pages % waitEvery == 0) {
            waitForPage(model, thumbs, first);
        } else {
            QCoreApplication::processEvents();
            thumbs.cancelPending();
        }
    }
    thumbs.waitForDone();
    QCoreApplication::processEvents();
    mark(QStringLiteral("whole grid scrolled"),
                        QStringLiteral("%1 pages, %2 cached rows, %3 page fetches")
                                           .arg(pages)
                                           .arg(model.cachedRowCount())
                                           .arg(model.pageFetches()));

    // Filters: each class, a status, a search; the first pages of each.
    const QVector<ClassRecord> classList = classes.classes();
    for (const ClassRecord &c : classList) {
        ImageFilter f;
        f.classIds = {c.id};
        model.setFilter(f);
        for (int p = 0; p < 5; ++p)
            paintPage(model, p * kPageRows);
        QCoreApplication::processEvents();
    }
    ImageFilter done;
    done.status = ImageStatus::Done;
    model.setFilter(done);
    paintPage(model, 0);
    ImageFilter search;
    search.pathContains = QStringLiteral("img0123");
    model.setFilter(search);
    paintPage(model, 0);
    model.setFilter({});
    paintPage(model, 0);
    QCoreApplication::processEvents();
    mark(QStringLiteral("filtered by every class, status, search"),
                        QStringLiteral("%1 classes").arg(classList.size()));

    // Labelling: open images spread over the project in the canvas (document +
    // decoded pixels), draw a box, move it, press a class key, mark done.
    const int stride = std::max(1, model.rowCount() / std::max(1, labelled));
    QImage canvasImage; // the canvas holds the current image only
    int edits = 0;
    for (int k = 0; k < labelled && k * stride < model.rowCount(); ++k) {
        const qint64 id = model.idAt(k * stride);
        AnnotationDocument *doc = documents.document(id);
        if (!doc)
            return 1;
        const QString path =
            model.data(model.index(k * stride), ImageListModel::AbsolutePathRole).toString();
        auto pixels = decodeImage(path);
        if (pixels.ok())
            canvasImage = toQImage(pixels.value());
        const qint64 shape = doc->addShape(classList.at(k % classList.size()).id,
                                           Box{QRectF(10 + k % 50, 12, 40, 30)});
        if (shape == 0)
            return 1;
        doc->setGeometry(shape, Box{QRectF(14 + k % 50, 15, 40, 30)});
        commands.applyClassKey({id}, classList.at(k % classList.size()).id);
        commands.setStatus({id}, ImageStatus::Done);
        edits += 4;
        QCoreApplication::processEvents();
    }
    (void)computeBalance(store);
    mark(QStringLiteral("labelled images"),
        QStringLiteral("%1 images, %2 edits, %3 documents kept") .arg(labelled).arg(edits).arg(
            documents.size()));

    std::printf("\n| bench_scale memory: %d images | seconds | RSS MiB | peak (VmHWM) MiB | "
                "ru_maxrss MiB | notes |\n|---|---:|---:|---:|---:|---|\n",
                model.rowCount());
    for (const Checkpoint &p : points)
        std::printf("| %s | %.1f | %.0f | %.0f | %.0f | %s |\n", qPrintable(p.what), p.seconds,
                    p.rss, p.hwm, p.maxrss, qPrintable(p.note));
    std::printf("\nTarget: peak RSS < 500 MB (%.0f MiB = %.0f MB).\n", points.last().hwm,
                points.last().hwm * 1.048576);
    std::fflush(stdout);
    return 0;
}

} // namespace salient::bench
