// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs the built salient-cli (SALIENT_CLI_PATH, set by the suite's CMake
// entry) as a script would, for the tst_cli* suites.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#ifndef SALIENT_CLI_PATH
#error "SALIENT_CLI_PATH must name the salient-cli binary"
#endif

namespace salient::test {

struct CliRun {
    int code = -1; ///< exit status; -1 when it did not finish
    QByteArray out;
    QByteArray err;
};

inline CliRun runCli(const QStringList &args, int timeoutMs = 240000)
{
    QProcess p;
    p.start(QStringLiteral(SALIENT_CLI_PATH), args);
    CliRun r;
    if (!p.waitForFinished(timeoutMs) || p.exitStatus() != QProcess::NormalExit) {
        r.err = "salient-cli did not finish: " + p.errorString().toUtf8();
        return r;
    }
    r.code = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

/// The last line of a --json run's stdout as an object (empty when none).
inline QJsonObject lastJsonLine(const QByteArray &out)
{
    const QList<QByteArray> lines = out.trimmed().split('\n');
    return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.last()).object();
}

} // namespace salient::test
