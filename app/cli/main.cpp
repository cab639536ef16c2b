// SPDX-License-Identifier: GPL-3.0-or-later
// salient-cli: the studio without a display, for scripts, CI and later issues.
#include "app/cli/commands.h"
#include "core/imaging/probe.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>

#ifdef SALIENT_HAVE_TRAIN
#include "core/train/engineinfo.h"
#endif

#include <cstdio>
#include <cstring>
#include <memory>

#ifndef SALIENT_VERSION
#define SALIENT_VERSION "0.0.0"
#endif

namespace {

QString overview()
{
    QString text = QStringLiteral(
        "Usage: salient-cli COMMAND [options] ARGUMENTS\n"
        "Salient Studio without a display: create, import, export, inspect and list projects.\n\n"
        "Commands:\n");
    for (const salient::cli::Command &c : salient::cli::commands())
        text += QStringLiteral("  %1 %2\n      %3\n") .arg(
            QString::fromUtf8(c.name), QString::fromUtf8(c.synopsis), QString::fromUtf8(c.summary));
    text += QStringLiteral(
        "\nOptions:\n"
        "  -h, --help     This overview; `salient-cli COMMAND --help` for one command.\n"
        "  -v, --version  Print the version.\n");
    text += QStringLiteral(
        "  --max-megapixels N\n"
        "                 Largest image any command decodes, %1 to %2 (default %3); larger\n"
        "                 ones are refused before decoding. Before or after COMMAND.\n")
                .arg(salient::kMinMegapixels)
                .arg(salient::kMaxMegapixels)
                .arg(salient::kDefaultMaxPixels / 1000000);
    text += QStringLiteral(
        "\nExit status: 0 success, 1 failure (one line on stderr naming the file),\n"
        "2 bad usage.\n");
    return text;
}

QString version()
{
    QString text = QStringLiteral("salient-cli " SALIENT_VERSION);
#ifdef SALIENT_HAVE_TRAIN
    text += QStringLiteral(" (LibTorch %1)").arg(salient::train::engineInfo().torchVersion);
#endif
    return text + QLatin1Char('\n');
}

/// Takes the global --max-megapixels N (or =N) out of args, wherever it is,
/// and applies it. False (after a message) when its value is not usable.
bool takeMaxMegapixels(QStringList &args)
{
    static const QString name = QStringLiteral("--max-megapixels");
    for (int i = 1; i < args.size(); ++i) {
        QString value;
        if (args[i] == name) {
            if (i + 1 >= args.size()) {
                std::fputs("salient-cli: --max-megapixels needs a value\n", stderr);
                return false;
            }
            value = args[i + 1];
            args.remove(i, 2);
        } else if (args[i].startsWith(name + QLatin1Char('='))) {
            value = args[i].mid(name.size() + 1);
            args.remove(i);
        } else {
            continue;
        }
        bool ok = false;
        const int mp = value.toInt(&ok);
        if (!ok || mp < salient::kMinMegapixels || mp > salient::kMaxMegapixels) {
            std::fprintf(stderr,
                         "salient-cli: --max-megapixels takes a whole number from %d to %d, not "
                         "\"%s\"\n",
                         salient::kMinMegapixels, salient::kMaxMegapixels, qPrintable(value));
            return false;
        }
        salient::setPixelLimit(qint64(mp) * 1000000);
        --i;
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    // Fonts exist only under a QGuiApplication, and a PDF report needs them;
    // the offscreen platform keeps the CLI free of any display.
    std::unique_ptr<QCoreApplication> app;
    if (argc > 1 && std::strcmp(argv[1], "review-report") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("salient-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Salient"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SALIENT_VERSION));

    QStringList args = QCoreApplication::arguments();
    if (!takeMaxMegapixels(args))
        return salient::cli::kExitUsage;
    const QString first = args.value(1);
    int code = 0;
    if (first.isEmpty()) {
        std::fputs(qPrintable(overview()), stderr);
        code = salient::cli::kExitUsage;
    } else if (first == QLatin1String("-h") || first == QLatin1String("--help")
               || first == QLatin1String("help")) {
        // `salient-cli help import` is `salient-cli import --help`.
        if (args.size() > 2) {
            for (const salient::cli::Command &c : salient::cli::commands())
                if (args[2] == QLatin1String(c.name))
                    return c.run({args[0], QStringLiteral("--help")});
        }
        salient::cli::out(overview());
    } else if (first == QLatin1String("-v") || first == QLatin1String("--version")) {
        salient::cli::out(version());
    } else {
        code = -1;
        for (const salient::cli::Command &c : salient::cli::commands()) {
            if (first == QLatin1String(c.name)) {
                QStringList rest = args.mid(2);
                rest.prepend(args[0]);
                code = c.run(rest);
                break;
            }
        }
        if (code == -1) {
            std::fprintf(stderr, "salient-cli: unknown command \"%s\" (see salient-cli --help)\n",
                         qPrintable(first));
            code = salient::cli::kExitUsage;
        }
    }
    std::fflush(stdout);
    if (std::ferror(stdout))
        return salient::cli::kExitFailure; // e.g. disk full while redirecting `list`
    return code;
}
