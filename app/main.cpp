// SPDX-License-Identifier: GPL-3.0-or-later
// `salient`: the studio. `salient PROJECT.salient` opens that project; with
// no argument the most recent one, else an empty window with a start page.
#include "app/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>
#include <cstdlib>

namespace {

// Without a display Qt aborts inside the xcb plugin with a message few
// people can act on; say what to do instead.
bool haveDisplay()
{
#if defined(Q_OS_LINUX)
    auto set = [](const char *name) {
        const char *v = std::getenv(name);
        return v && *v;
    };
    return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

void installTranslations(QApplication &app)
{
    // Our strings: built into the binary by qt_add_translations (":/i18n"),
    // or installed beside it; Qt's own strings from Qt's folder.
    auto *ours = new QTranslator(&app);
    const QStringList dirs = {
        QStringLiteral(":/i18n"),
                       QStringLiteral(":/translations"),
                                      QCoreApplication::applicationDirPath()
                                          + QStringLiteral("/../share/salient/translations"),
                                                           QCoreApplication::applicationDirPath()
                                                               + QStringLiteral("/../translations"),
                                                           };
    for (const QString &dir : dirs) {
        if (ours->load(QLocale(), QStringLiteral("salient"), QStringLiteral("_"), dir)) {
            app.installTranslator(ours);
            break;
        }
    }
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(),
                 QStringLiteral("qtbase"),
                                QStringLiteral("_"),
                                               QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
}

} // namespace

int main(int argc, char *argv[])
{
    if (!haveDisplay()) {
        std::fprintf(stderr,
                     "salient: no display found; run under xvfb-run, or use salient-cli for "
                     "headless work\n");
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Salient"));
    QApplication::setApplicationName(QStringLiteral("Salient Studio"));
    QApplication::setApplicationVersion(QStringLiteral(SALIENT_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("salient"));
    installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Label images, fine-tune CNNs and review Grad-CAM."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "Project file (*.salient) to open."),
        QStringLiteral("[project]"));
    parser.process(app);

    salient::MainWindow window;
    window.show();
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty()) {
        window.openProject(QFileInfo(args.first()).absoluteFilePath());
    } else {
        const QStringList recent = salient::MainWindow::recentProjects();
        if (!recent.isEmpty() && QFileInfo::exists(recent.first()))
            window.openProject(recent.first());
    }
    return app.exec();
}
