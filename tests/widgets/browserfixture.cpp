// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/widgets/browserfixture.h"

#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/support/imagemaker.h"
#include "widgets/thumbnailgrid.h"

#include <QApplication>
#include <QSettings>
#include <QTest>

namespace salient::test {

void isolateSettings()
{
    static QTemporaryDir settingsDir;
    QCoreApplication::setOrganizationName(QStringLiteral("SalientTests"));
    QCoreApplication::setApplicationName(QStringLiteral("widgets"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir.path());
    QSettings().clear();
}

BrowserFixture::BrowserFixture(int images)
{
    isolateSettings();
    m_file = m_dir.filePath(QStringLiteral("browser.salient"));
    {
        auto store = ProjectStore::create(m_file);
        if (!store.ok()) {
            qWarning("create: %s", qPrintable(store.error().toString()));
            return;
        }
        for (const char *name : {"cat", "dog", "bird"})
            if (!(*store)->addClass(QString::fromLatin1(name)).ok())
                return;
        QVector<NewImage> rows;
        for (int i = 0; i < images; ++i) {
            NewImage n;
            n.absolutePath = m_dir.filePath(QStringLiteral("img%1.png").arg(i, 3, 10, QChar('0')));
            if (!writePng(n.absolutePath, 48, 32, 3, 8, i))
                return;
            n.hash = QByteArray::number(i + 1000);
            n.fileSize = QFileInfo(n.absolutePath).size();
            n.width = 48;
            n.height = 32;
            n.format = QStringLiteral("png");
            rows.append(n);
        }
        auto ids = (*store)->addImages(rows);
        if (!ids.ok()) {
            qWarning("addImages: %s", qPrintable(ids.error().toString()));
            return;
        }
        m_ids = *ids;
    }
    m_window = std::make_unique<MainWindow>();
    m_window->setPrompter(&m_prompter);
    m_window->setShowImportReports(false);
    m_window->resize(1100, 760);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return;
    if (!m_window->openProject(m_file))
        return;
    QApplication::processEvents();
    m_ok = m_window->imageModel() && m_window->imageModel()->rowCount() == images;
}

BrowserFixture::~BrowserFixture()
{
    m_window.reset();
}

qint64 BrowserFixture::classId(const QString &name) const
{
    auto r = reader();
    return r ? r->classIdByName(name).valueOr(0) : 0;
}

std::unique_ptr<ProjectStore> BrowserFixture::reader() const
{
    auto store = ProjectStore::open(m_file, ProjectStore::OpenMode::ReadOnly);
    if (!store.ok())
        return nullptr;
    return std::move(store.value());
}

QVector<qint64> BrowserFixture::storedLabels(qint64 imageId) const
{
    auto r = reader();
    return r ? r->labels(imageId).valueOr({}) : QVector<qint64>{};
}

void BrowserFixture::clickRow(int row, Qt::KeyboardModifiers modifiers)
{
    ThumbnailGrid *grid = m_window->grid();
    const QModelIndex idx = grid->model()->index(row, 0);
    grid->scrollTo(idx);
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, modifiers, grid->visualRect(idx).center());
}

void BrowserFixture::press(int key, Qt::KeyboardModifiers modifiers)
{
    QWidget *target = QApplication::focusWidget();
    if (!target)
        target = m_window.get();
    QTest::keyClick(target, Qt::Key(key), modifiers);
}

} // namespace salient::test
