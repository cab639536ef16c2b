// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/mainwindow.h"
#include "widgets/prompter.h"

#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace salient::test {

/// Answers the GUI's questions in tests and records what was asked.
class ScriptedPrompter : public Prompter {
public:
    bool confirm(QWidget *, const QString &, const QString &text) override
    {
        asked << text;
        return confirmAnswer;
    }
    std::optional<int> chooseItem(QWidget *, const QString &, const QString &label,
                                  const QStringList &items) override
    {
        asked << label;
        offered = items;
        if (chooseName.isEmpty())
            return std::nullopt;
        const int i = items.indexOf(chooseName);
        return i < 0 ? std::nullopt : std::optional<int>(i);
    }
    QColor chooseColor(QWidget *, const QString &, const QColor &) override { return color; }
    std::optional<QString> text(QWidget *, const QString &, const QString &,
                                const QString &) override
    {
        return textAnswer.isEmpty() ? std::nullopt : std::optional<QString>(textAnswer);
    }
    void error(QWidget *, const QString &, const QString &text) override { errors << text; }

    bool confirmAnswer = true;
    QString chooseName;
    QColor color;
    QString textAnswer;
    QStringList asked;
    QStringList offered;
    QStringList errors;
};

/// A project on disk with `images` small PNGs (img000.png …) and the classes
/// cat, dog, bird; a MainWindow shown on it, settings kept in a temp folder.
class BrowserFixture {
public:
    explicit BrowserFixture(int images = 12);
    ~BrowserFixture();

    bool ok() const { return m_ok; }
    MainWindow &window() { return *m_window; }
    ScriptedPrompter &prompter() { return m_prompter; }
    QString projectFile() const { return m_file; }
    QString dir() const { return m_dir.path(); }
    const QVector<qint64> &imageIds() const { return m_ids; }
    qint64 classId(const QString &name) const;

    /// A fresh connection, as another process would see the file.
    std::unique_ptr<ProjectStore> reader() const;
    /// Labels of an image read back through a fresh connection.
    QVector<qint64> storedLabels(qint64 imageId) const;

    /// Real mouse click on the thumbnail of a row (with modifiers).
    void clickRow(int row, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    /// Real key press on whatever widget has the focus in the window.
    void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);

private:
    QTemporaryDir m_dir;
    QString m_file;
    ScriptedPrompter m_prompter;
    std::unique_ptr<MainWindow> m_window;
    QVector<qint64> m_ids;
    bool m_ok = false;
};

/// Keeps QSettings of the test run away from the user's own.
void isolateSettings();

} // namespace salient::test
