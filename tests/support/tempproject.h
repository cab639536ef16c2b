// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/store.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace salient::test {

/// A fresh project in a temporary folder, removed when the object dies.
/// Fails the current test (QFAIL-style, via QTest::qFail) when it cannot be made.
class TempProject {
public:
    TempProject();
    QString dir() const { return m_dir.path(); }          ///< the folder holding the project
    QString file() const { return m_file; }               ///< <dir>/test.salient
    QString path(const QString &relative) const;          ///< dir()/relative, folders created
    ProjectStore &store() { return *m_store; }
    /// Closes the store and opens it again (as a fresh process would).
    ProjectStore &reopen();
    /// Closes the store (e.g. before another process writes).
    void close() { m_store.reset(); }

private:
    QTemporaryDir m_dir;
    QString m_file;
    std::unique_ptr<ProjectStore> m_store;
};

} // namespace salient::test
