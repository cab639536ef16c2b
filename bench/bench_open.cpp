// SPDX-License-Identifier: GPL-3.0-or-later
// Opening a 100,000-image project to the first painted grid, and peak RSS
// while the whole grid is scrolled top to bottom.
//
//   bench_open [--project FILE] [--count N] [--keep]
//
// Without --project a project with N rows (default 100,000) is built in a
// temporary folder with store.addImages (the files do not exist: thumbnails
// stay placeholders, which is the cost of the grid alone). Run it under
// QT_QPA_PLATFORM=offscreen or xvfb-run. Prints a markdown table.
#include "app/mainwindow.h"
#include "core/models/imagelistmodel.h"
#include "bench/syntheticproject.h"
#include "core/project/store.h"
#include "widgets/thumbnailgrid.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

using namespace salient;

namespace {

// Peak and current resident set size from the kernel, in MiB.
double procStatusMiB(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray k(key);
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(k))
            return line.mid(k.size() + 1).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

// Milliseconds since the kernel started this process.
double msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    QFile uptime(QStringLiteral("/proc/uptime"));
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray s = stat.readAll();
    // Fields after the command name "(...)": starttime is field 22 overall.
    const QList<QByteArray> fields = s.mid(s.lastIndexOf(')') + 2).split(' ');
    const double startTicks = fields.value(19).toDouble();
    const double up = uptime.readAll().split(' ').first().toDouble();
    return (up - startTicks / double(sysconf(_SC_CLK_TCK))) * 1000.0;
}

Result<QString> buildProject(const QString &dir, int count)
{
    const QString file = dir + QStringLiteral("/bench100k.salient");
    auto store = ProjectStore::create(file);
    if (!store.ok())
        return store.error();
    const QStringList classes = {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird"), QStringLiteral("fish")};
    // A third of the images labelled, the classes in turn.
    const Status added = bench::addSyntheticImages(**store, dir, count, QSize(1280, 960), [&](int i) {
        return i % 3 == 0 ? QStringList{classes.at(i % classes.size())} : QStringList{};
    });
    if (!added.ok())
        return added.error();
    return file;
}

/// Records when the grid's viewport is first painted with rows in it.
class PaintProbe : public QObject {
public:
    PaintProbe(ThumbnailGrid *grid, QElapsedTimer *clock) : m_grid(grid), m_clock(clock) {}
    qint64 firstPaintMs = -1;
    double sinceStartMs = -1;

protected:
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (e->type() == QEvent::Paint && !m_seen && m_grid->model()
            && m_grid->model()->rowCount() > 0) {
            // This filter runs before the view paints: stop the clock once
            // the paint is through, on the next turn of the event loop.
            m_seen = true;
            QTimer::singleShot(0, this, [this]() {
                firstPaintMs = m_clock->elapsed();
                sinceStartMs = msSinceProcessStart();
            });
        }
        return QObject::eventFilter(o, e);
    }

private:
    ThumbnailGrid *m_grid;
    QElapsedTimer *m_clock;
    bool m_seen = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("SalientBench"));
    QApplication::setApplicationName(QStringLiteral("bench_open"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("project"), QStringLiteral("Reuse this project."), QStringLiteral("file")});
    parser.addOption(
        {QStringLiteral("count"), QStringLiteral("Images to create (100000)."),
                                                 QStringLiteral("n"), QStringLiteral("100000")});
    parser.addOption(
        {QStringLiteral("keep"), QStringLiteral("Keep the built project (prints its path).")});
    parser.process(app);

    QTemporaryDir tmp;
    tmp.setAutoRemove(!parser.isSet(QStringLiteral("keep")));
    QString file = parser.value(QStringLiteral("project"));
    double buildS = 0;
    if (file.isEmpty()) {
        QElapsedTimer t;
        t.start();
        auto built = buildProject(tmp.path(), parser.value(QStringLiteral("count")).toInt());
        if (!built.ok()) {
            std::fprintf(stderr, "bench_open: %s\n", qPrintable(built.error().toString()));
            return 1;
        }
        file = *built;
        buildS = t.elapsed() / 1000.0;
        if (parser.isSet(QStringLiteral("keep")))
            std::printf("project kept at %s\n", qPrintable(file));
    }
    const double rssBefore = procStatusMiB("VmRSS:");

    MainWindow window;
    window.setShowImportReports(false);
    window.resize(1400, 900);
    QElapsedTimer clock;
    clock.start();
    const double startMs = msSinceProcessStart();
    PaintProbe probe(window.grid(), &clock);
    window.grid()->viewport()->installEventFilter(&probe);
    window.show();
    if (!window.openProject(file))
        return 1;
    const qint64 openedMs = clock.elapsed();
    while (probe.firstPaintMs < 0 && clock.elapsed() < 30000)
        app.processEvents(QEventLoop::AllEvents, 5);
    const int rows = window.imageModel()->rowCount();
    const double hwmOpen = procStatusMiB("VmHWM:");

    // Scroll top to bottom a page at a time, painting every page as a
    // person dragging the scroll bar would see it.
    QScrollBar *bar = window.grid()->verticalScrollBar();
    const int page = qMax(1, bar->pageStep());
    int steps = 0;
    qint64 worstStepUs = 0;
    QElapsedTimer scrollClock;
    scrollClock.start();
    for (int v = 0; v <= bar->maximum(); v += page) {
        QElapsedTimer step;
        step.start();
        bar->setValue(v);
        window.grid()->viewport()->repaint();
        app.processEvents();
        worstStepUs = qMax(worstStepUs, step.nsecsElapsed() / 1000);
        ++steps;
    }
    bar->setValue(bar->maximum());
    window.grid()->viewport()->repaint();
    app.processEvents();
    const double scrollS = scrollClock.elapsed() / 1000.0;
    // Reached the end: the last image is on screen.
    const QModelIndex last = window.grid()->model()->index(rows - 1, 0);
    const bool reachedEnd =
        window.grid()->viewport()->rect().intersects(window.grid()->visualRect(last));
    std::fprintf(stderr, "scroll range 0..%d, page %d px, cell %dx%d, last row visible: %s\n",
                 bar->maximum(), page, window.grid()->visualRect(last).width(),
                 window.grid()->visualRect(last).height(), reachedEnd ? "yes" : "no");
    const double hwmScroll = procStatusMiB("VmHWM:");

    QTextStream out(stdout);
    out << "\n| bench_open (" << QApplication::platformName() << ") | value | target |\n";
    out << "|---|---|---|\n";
    out << "| images in project | " << rows << " | 100,000 |\n";
    if (buildS > 0)
        out << "| build project (addImages) | " << QString::number(buildS, 'f', 1) << " s | |\n";
    out << "| openProject() returned | " << openedMs << " ms | |\n";
    out << "| open → first painted grid | " << probe.firstPaintMs << " ms | < 1000 ms |\n";
    out << "| process start → first painted grid | " << QString::number(probe.sinceStartMs, 'f', 0)
        << " ms (process start to window: " << QString::number(startMs, 'f', 0) << " ms) | |\n";
    out << "| scroll whole grid: pages painted | " << steps << " in "
        << QString::number(scrollS, 'f', 2) << " s ("
        << QString::number(scrollS * 1000 / qMax(1, steps), 'f', 2) << " ms/page, worst "
        << QString::number(worstStepUs / 1000.0, 'f', 1) << " ms) | < 16 ms/page |\n";
    out << "| RSS before window | " << QString::number(rssBefore, 'f', 0) << " MiB | |\n";
    out << "| peak RSS after first paint | " << QString::number(hwmOpen, 'f', 0) << " MiB | |\n";
    out << "| peak RSS after scrolling all | " << QString::number(hwmScroll, 'f', 0)
        << " MiB | < 400 MB |\n";
    out.flush();
    window.closeProject();
    return 0;
}
