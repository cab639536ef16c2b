// SPDX-License-Identifier: GPL-3.0-or-later
// Helper for tst_projectlock: a second program holding a project, as a studio
// does while the project is open.
//
//   lockholder PROJECT [--store] [--exit-without-unlock]
//
// Takes the project's lock (and with --store opens it read-write), prints
// "locked <pid>", then obeys lines on stdin: "write NAME" adds a class and
// prints "wrote <id>"; "quit" lets go and exits 0. --exit-without-unlock
// leaves at once after "locked", the lock file left behind (a crash).

#include "core/project/projectlock.h"
#include "core/project/store.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

using namespace salient;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: lockholder PROJECT [--store] [--exit-without-unlock]\n");
        return 2;
    }
    const QString file = QString::fromLocal8Bit(argv[1]);
    bool withStore = false;
    bool crash = false;
    for (int i = 2; i < argc; ++i) {
        withStore = withStore || std::strcmp(argv[i], "--store") == 0;
        crash = crash || std::strcmp(argv[i], "--exit-without-unlock") == 0;
    }
    ProjectLock lock(file);
    if (Status s = lock.tryLock(); !s.ok()) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error().toString()));
        return 3;
    }
    std::unique_ptr<ProjectStore> store;
    if (withStore) {
        auto opened = ProjectStore::open(file);
        if (!opened.ok() || opened.value()->isReadOnly()) {
            std::fprintf(stderr, "cannot open the project read-write\n");
            return 4;
        }
        store = std::move(opened.value());
    }
    std::printf("locked %lld\n", static_cast<long long>(QCoreApplication::applicationPid()));
    std::fflush(stdout);
    if (crash)
        std::_Exit(0); // no destructors: the lock file stays, its pid dies
    std::string line;
    while (std::getline(std::cin, line)) {
        if (line == "quit")
            break;
        if (line.rfind("write ", 0) == 0 && store) {
            auto id = store->addClass(QString::fromStdString(line.substr(6)));
            std::printf("wrote %lld\n", id.ok() ? static_cast<long long>(id.value()) : -1LL);
            std::fflush(stdout);
        }
    }
    return 0;
}
