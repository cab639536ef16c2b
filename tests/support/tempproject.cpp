// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/support/tempproject.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

namespace salient::test {

TempProject::TempProject()
{
    if (!m_dir.isValid()) {
        QTest::qFail(qPrintable(
            QStringLiteral("cannot make a temporary folder: %1").arg(m_dir.errorString())),
            __FILE__, __LINE__);
        return;
    }
    m_file = m_dir.filePath(QStringLiteral("test.salient"));
    auto store = ProjectStore::create(m_file);
    if (!store.ok()) {
        QTest::qFail(qPrintable(store.error().toString()), __FILE__, __LINE__);
        return;
    }
    m_store = std::move(store.value());
}

QString TempProject::path(const QString &relative) const
{
    const QString full = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(full).absolutePath());
    return full;
}

ProjectStore &TempProject::reopen()
{
    m_store.reset();
    auto store = ProjectStore::open(m_file);
    if (!store.ok())
        QTest::qFail(qPrintable(store.error().toString()), __FILE__, __LINE__);
    else
        m_store = std::move(store.value());
    return *m_store;
}

} // namespace salient::test
