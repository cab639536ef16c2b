// SPDX-License-Identifier: GPL-3.0-or-later
// bench_scale's action stage: every user action on a project with a
// 1,000,000-row shapes table, timed N times each (median and worst).
#include "bench/scalestages.h"

#include "core/commands/editcommands.h"
#include "core/document/annotationdocument.h"
#include "core/imaging/thumbnailer.h"
#include "core/models/classlistmodel.h"
#include "core/models/imagelistmodel.h"
#include "core/project/balance.h"
#include "core/project/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUndoStack>

#include <sqlite3.h>

#include <ctime>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

namespace salient::bench {

namespace {

struct Row {
    QString what;
    QVector<double> ms;
    QVector<double> cpuMs; ///< this thread's CPU time: what a neighbour's load does not inflate
};

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/// The studio's objects for one open project (MainWindow::openProject's set).
struct Studio {
    std::unique_ptr<ProjectStore> store;
    std::unique_ptr<Thumbnailer> thumbs;
    std::unique_ptr<QUndoStack> undo;
    std::unique_ptr<EditCommands> commands;
    std::unique_ptr<ImageListModel> images;
    std::unique_ptr<ClassListModel> classes;
    std::unique_ptr<DocumentCache> documents;
};

void paintFirstPage(ImageListModel &model)
{
    for (int row = 0; row < std::min(30, model.rowCount()); ++row) {
        (void)model.data(model.index(row), Qt::DisplayRole);
        (void)model.data(model.index(row), ImageListModel::LabelColorsRole);
    }
}

/// MainWindow::updateCounts' three COUNT queries (status bar).
void statusBarCounts(ProjectStore &store)
{
    ImageFilter unlabelled;
    unlabelled.unlabelledOnly = true;
    ImageFilter unreadable;
    unreadable.unreadableOnly = true;
    (void)store.countImages();
    (void)store.countImages(unlabelled);
    (void)store.countImages(unreadable);
}

bool openStudio(Studio &s, const QString &file)
{
    auto opened = ProjectStore::open(file);
    if (!opened.ok()) {
        std::fprintf(stderr, "bench_scale: %s\n", qPrintable(opened.error().toString()));
        return false;
    }
    s.store = std::move(opened.value());
    s.thumbs = std::make_unique<Thumbnailer>(file + QStringLiteral(".thumbs"), 256);
    s.undo = std::make_unique<QUndoStack>();
    s.commands = std::make_unique<EditCommands>(*s.store, *s.undo);
    s.images = std::make_unique<ImageListModel>(s.store.get(), s.thumbs.get());
    s.classes = std::make_unique<ClassListModel>(s.store.get(), s.commands.get());
    s.documents = std::make_unique<DocumentCache>(*s.store);
    (void)computeBalance(*s.store); // BalanceView::setStore refreshes at once
    statusBarCounts(*s.store);
    paintFirstPage(*s.images);
    return true;
}

void closeStudio(Studio &s)
{
    s.documents.reset();
    s.classes.reset();
    s.images.reset();
    s.commands.reset();
    s.undo.reset();
    s.thumbs.reset();
    s.store.reset();
}

double percentile(QVector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(std::clamp(int(p * (v.size() - 1) + 0.5), 0, int(v.size() - 1)));
}

/// The pre-schema-6 query of the balance view's instance counts, for comparison.
double oldShapeCountsBySplitMs(ProjectStore &store)
{
    QElapsedTimer t;
    t.start();
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(store.handle(),
                       "SELECT COALESCE(i.split_id, 0), s.class_id, COUNT(*) FROM shapes s "
                       "JOIN images i ON i.id = s.image_id WHERE s.class_id IS NOT NULL "
                       "AND i.readable = 1 GROUP BY 1, 2",
                       -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
    }
    sqlite3_finalize(st);
    return t.nsecsElapsed() / 1e6;
}

} // namespace

int runActionsStage(const QString &file, int runs)
{
    QVector<Row> rows;
    // prepare(i) runs before the clock starts (e.g. a filter to clear).
    auto time = [&](const QString &what, int n, const std::function<void(int)> &action,
                    const std::function<void(int)> &prepare = {}) {
        Row r{what, {}, {}};
        for (int i = 0; i < n; ++i) {
            if (prepare)
                prepare(i);
            QElapsedTimer t;
            const double cpu0 = threadCpuMs();
            t.start();
            action(i);
            r.ms << t.nsecsElapsed() / 1e6;
            r.cpuMs << threadCpuMs() - cpu0;
            QCoreApplication::processEvents(); // queued work is not part of the action
        }
        rows << r;
        std::fprintf(stderr, "  actions: %s: median %.1f ms, worst %.1f ms\n", qPrintable(what),
                     percentile(r.ms, 0.5), *std::max_element(r.ms.cbegin(), r.ms.cend()));
    };

    Studio s;
    time(QStringLiteral("open the project (store, models, first page, counts, balance)"),
                        std::max(3, runs / 5), [&](int) {
                            closeStudio(s);
                            if (!openStudio(s, file))
                                std::exit(1);
                        });
    ProjectStore &store = *s.store;
    ImageListModel &model = *s.images;
    const QVector<qint64> all = model.ids();
    const QVector<ClassRecord> classList = s.classes->classes();
    auto imageAt = [&](int i) { return all.at(int((qint64(i) * 7919 + 13) % all.size())); };
    const qint64 shapeCount = [&] {
        auto c = store.shapeCountsByClass();
        qint64 n = 0;
        for (const ShapeCounts &k : c.valueOr({}))
            n += k.boxes + k.polygons + k.masks;
        return n;
    }();

    QVector<AnnotationDocument *> docs(runs, nullptr);
    time(QStringLiteral("open an image (its record and shapes)"), runs, [&](int i) {
        (void)store.image(imageAt(i));
        docs[i] = s.documents->document(imageAt(i));
    });
    QVector<qint64> added(runs, 0);
    time(QStringLiteral("add a shape (box)"), runs, [&](int i) {
        AnnotationDocument *d = s.documents->document(imageAt(i));
        added[i] =
            d->addShape(classList.at(i % classList.size()).id, Box{QRectF(20 + i, 30, 40, 25)});
        // AnnotateView::onShapesEdited: the first edit of a new image puts it in progress.
        if (store.image(imageAt(i))->status == ImageStatus::New)
            (void)store.setStatus({imageAt(i)}, ImageStatus::InProgress);
    });
    time(QStringLiteral("move a shape"), runs, [&](int i) {
        s.documents->document(imageAt(i))->setGeometry(added[i], Box{QRectF(25 + i, 33, 40, 25)});
    });
    time(QStringLiteral("change a shape's class"), runs, [&](int i) {
        s.documents->document(imageAt(i))
            ->setShapeClass({added[i]}, classList.at((i + 3) % classList.size()).id);
    });
    time(QStringLiteral("delete a shape"), runs, [&](int i) {
        s.documents->document(imageAt(i))->removeShapes({added[i]});
    });
    time(QStringLiteral("undo (the delete)"), runs,
                        [&](int i) { s.documents->document(imageAt(i))->undoStack().undo(); });
    time(QStringLiteral("redo"), runs,
                        [&](int i) { s.documents->document(imageAt(i))->undoStack().redo(); });
    time(QStringLiteral("label an image (class key)"), runs, [&](int i) {
        // A class the image does not have yet, so that every press changes something.
        const qint64 image = imageAt(i + runs);
        const QVector<qint64> has = store.labels(image).valueOr({});
        int k = i;
        while (has.contains(classList.at(k % classList.size()).id))
            ++k;
        s.commands->applyClassKey({image}, classList.at(k % classList.size()).id);
    });
    time(QStringLiteral("mark an image done"), runs, [&](int i) {
        s.commands->setStatus({imageAt(i + 2 * runs)}, ImageStatus::Done);
    });
    time(QStringLiteral("undo (Ctrl+Z in the grid)"), runs, [&](int) { s.undo->undo(); });
    time(QStringLiteral("status bar counts after an edit (3 COUNTs)"), runs,
                        [&](int) { statusBarCounts(store); });
    time(QStringLiteral("class list counts after a label (ClassListModel)"), runs,
                        [&](int) { (void)store.classImageCounts(); });
    time(QStringLiteral("class balance view numbers (computeBalance)"), runs,
                        [&](int) { (void)computeBalance(store); });
    time(QStringLiteral("filter the grid by class"), runs, [&](int i) {
        ImageFilter f;
        f.classIds = {classList.at(i % classList.size()).id};
        model.setFilter(f);
        paintFirstPage(model);
    });
    time(QStringLiteral("filter by split"), runs, [&](int i) {
        ImageFilter f;
        f.splitId = store.splits()->at(i % 3).id;
        model.setFilter(f);
        paintFirstPage(model);
    });
    time(QStringLiteral("filter by status"), runs, [&](int i) {
        ImageFilter f;
        f.status = ImageStatus(i % 4);
        model.setFilter(f);
        paintFirstPage(model);
    });
    time(QStringLiteral("filter unlabelled"), runs, [&](int i) {
        ImageFilter f;
        f.unlabelledOnly = true;
        f.pathContains = i % 2 ? QStringLiteral("img") : QString(); // two distinct filters
        model.setFilter(f);
        paintFirstPage(model);
    });
    time(QStringLiteral("search (path contains)"), runs, [&](int i) {
        ImageFilter f;
        f.pathContains = QStringLiteral("img0%1").arg((i * 37) % 100, 2, 10, QLatin1Char('0'));
        model.setFilter(f);
        paintFirstPage(model);
    });
    time(
        QStringLiteral("clear the filter (all images)"), runs,
                       [&](int) {
                           model.setFilter({});
                           paintFirstPage(model);
                       },
                       [&](int i) {
                           ImageFilter f;
                           f.classIds = {classList.at(i % classList.size()).id};
                           model.setFilter(f);
                       });
    time(QStringLiteral("scroll to a far page (page fetch)"), runs, [&](int i) {
        const int first = int((qint64(i) * 104729) % std::max(1, model.rowCount() - 30));
        for (int row = first; row < first + 30; ++row)
            (void)model.data(model.index(row), Qt::DecorationRole);
        s.thumbs->cancelPending();
    });
    time(QStringLiteral("shape counts per class and kind (salient-cli info)"), runs,
                        [&](int) { (void)store.shapeCountsByClass(); });
    time(QStringLiteral("split sizes (splitter dialog)"), runs,
                        [&](int) { (void)store.splitImageCounts(); });
    time(QStringLiteral("(comparison) old balance instance query, joins every shape"),
                        std::max(3, runs / 5), [&](int) { (void)oldShapeCountsBySplitMs(store); });
    time(QStringLiteral("(comparison) every image id in path order (the grid's re-query)"),
                        std::max(3, runs / 5), [&](int) { (void)store.imageIds({}); });
    time(QStringLiteral("(comparison) imageClasses(), every image's classes"),
                        std::max(3, runs / 5), [&](int) { (void)store.imageClasses(); });

    std::printf("\n| bench_scale actions: %d images, %lld shapes | runs | median ms | worst ms "
                "| CPU ms median | CPU ms worst | < 50 ms |\n|---|---:|---:|---:|---:|---:|---|\n",
                int(all.size()), shapeCount);
    for (const Row &r : rows) {
        const double worst = *std::max_element(r.ms.cbegin(), r.ms.cend());
        std::printf("| %s | %d | %.1f | %.1f | %.1f | %.1f | %s |\n", qPrintable(r.what),
                    int(r.ms.size()), percentile(r.ms, 0.5), worst, percentile(r.cpuMs, 0.5),
                    *std::max_element(r.cpuMs.cbegin(), r.cpuMs.cend()),
                    r.what.startsWith(QLatin1Char('(')) ? "-"
                    : worst < 50                        ? "yes"
                                                        : "**no**");
    }
    std::fflush(stdout);
    closeStudio(s);
    return 0;
}

} // namespace salient::bench
