// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A TCP port on 127.0.0.1 that was free a moment ago, for a c10d master in tests.

#include <QHostAddress>
#include <QTcpServer>

namespace salient::test {

inline quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

} // namespace salient::test
