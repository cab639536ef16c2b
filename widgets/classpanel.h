// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QListView;
class QToolButton;
class QAction;

namespace salient {

class ClassListModel;
class EditCommands;
class Prompter;

/// The class list: colour swatch, name, live image count and shortcut key per
/// class, with Add, Rename (inline), Recolour, Merge into… and Delete (after
/// a confirmation naming how many images lose the label). Every change goes
/// through EditCommands, so it is undoable.
class ClassPanel : public QWidget {
    Q_OBJECT
public:
    explicit ClassPanel(QWidget *parent = nullptr);

    /// Both may be null (no project open).
    void setModel(ClassListModel *model, EditCommands *commands);
    void setPrompter(Prompter *prompter) { m_prompter = prompter; }

    QListView *view() const { return m_view; }
    /// Id of the selected class, or 0.
    qint64 currentClassId() const;
    void selectClass(qint64 id);

public Q_SLOTS:
    void addClass();
    void renameCurrent();
    void recolorCurrent();
    void mergeCurrent();
    void deleteCurrent();

Q_SIGNALS:
    /// The person asked to see only images of this class (0: all images).
    void filterRequested(qint64 classId);

private:
    void updateButtons();
    void showMenu(const QPoint &pos);
    Prompter &prompter() const;

    QListView *m_view;
    ClassListModel *m_model = nullptr;
    EditCommands *m_commands = nullptr;
    Prompter *m_prompter = nullptr;
    QAction *m_add;
    QAction *m_rename;
    QAction *m_recolor;
    QAction *m_merge;
    QAction *m_delete;
    QAction *m_showOnly;
};

} // namespace salient
