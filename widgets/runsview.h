// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <memory>

class QPushButton;
class QTableView;

namespace salient {

class ProjectStore;
class Prompter;
class RunListModel;

/// The project's training runs, newest first, with what can be done to them:
/// compare two or more side by side, resume a cancelled or interrupted run,
/// delete. Selecting a run asks the dock to show its curves and matrix.
class RunsView : public QWidget {
    Q_OBJECT
public:
    explicit RunsView(QWidget *parent = nullptr);
    ~RunsView() override;

    /// May be null (no project). Reads on the GUI thread's connection.
    void setStore(ProjectStore *store);
    /// Re-reads the runs (after a worker wrote through its own connection).
    void reload();
    /// The run a live worker is training (0: none): it cannot be resumed or
    /// deleted, and other "running" runs are interrupted ones.
    void setLiveRun(qint64 runId, bool busy);
    void setPrompter(Prompter *prompter) { m_prompter = prompter; }

    QVector<qint64> selectedRunIds() const;
    void selectRun(qint64 runId);
    QTableView *table() const { return m_table; }
    RunListModel *model() const { return m_model.get(); }
    QPushButton *compareButton() const { return m_compare; }
    QPushButton *resumeButton() const { return m_resume; }
    QPushButton *deleteButton() const { return m_delete; }

Q_SIGNALS:
    void runSelected(qint64 runId);
    void resumeRequested(qint64 runId);
    void runDeleted(qint64 runId);

private:
    void updateButtons();
    bool canResume(qint64 runId) const;
    void compareSelected();
    void resumeSelected();
    void deleteSelected();
    Prompter &prompter() const;

    ProjectStore *m_store = nullptr;
    std::unique_ptr<RunListModel> m_model;
    Prompter *m_prompter = nullptr;
    qint64 m_liveRun = 0;
    bool m_busy = false;
    QTableView *m_table;
    QPushButton *m_compare;
    QPushButton *m_resume;
    QPushButton *m_delete;
};

} // namespace salient
