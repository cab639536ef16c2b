// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/runsview.h"

#include "core/models/runlistmodel.h"
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "widgets/prompter.h"
#include "widgets/runcompare.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace salient {

using namespace salient::train;

RunsView::RunsView(QWidget *parent) : QWidget(parent)
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // F2 renames a run (the model writes the name to the project).
    m_table->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_compare = new QPushButton(tr("Co&mpare"), this);
    m_compare->setToolTip(tr("Show two or more selected runs side by side"));
    m_resume = new QPushButton(tr("&Resume"), this);
    m_resume->setToolTip(tr("Continue a cancelled or interrupted run from its last checkpoint"));
    m_delete = new QPushButton(tr("&Delete"), this);
    m_delete->setToolTip(tr("Delete the selected runs with their checkpoints"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_compare);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);

    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->addLayout(buttons);
    lay->addWidget(m_table, 1);

    connect(m_compare, &QPushButton::clicked, this, &RunsView::compareSelected);
    connect(m_resume, &QPushButton::clicked, this, &RunsView::resumeSelected);
    connect(m_delete, &QPushButton::clicked, this, &RunsView::deleteSelected);
    updateButtons();
}

RunsView::~RunsView()
{
    m_table->setModel(nullptr);
}

Prompter &RunsView::prompter() const
{
    return m_prompter ? *m_prompter : Prompter::standard();
}

void RunsView::setStore(ProjectStore *store)
{
    QItemSelectionModel *old = m_table->selectionModel();
    m_table->setModel(nullptr);
    delete old;
    m_model.reset();
    m_store = store;
    if (store) {
        m_model = std::make_unique<RunListModel>(store);
        m_model->setActiveRun(m_busy ? m_liveRun : 0);
        m_table->setModel(m_model.get());
        m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this]() {
            updateButtons();
            const QVector<qint64> ids = selectedRunIds();
            if (ids.size() == 1)
                Q_EMIT runSelected(ids.first());
        });
        connect(m_model.get(), &QAbstractItemModel::modelReset, this, &RunsView::updateButtons);
    }
    updateButtons();
}

void RunsView::reload()
{
    if (!m_model)
        return;
    const QVector<qint64> was = selectedRunIds();
    const QSignalBlocker block(m_table->selectionModel());
    m_model->reload();
    for (qint64 id : was)
        for (int row = 0; row < m_model->rowCount(); ++row)
            if (m_model->index(row, 0).data(Qt::UserRole).toLongLong() == id)
                m_table->selectionModel()->select(
                    m_model->index(row, 0),
                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
    updateButtons();
}

void RunsView::setLiveRun(qint64 runId, bool busy)
{
    m_liveRun = runId;
    m_busy = busy;
    if (m_model)
        m_model->setActiveRun(busy ? runId : 0);
    updateButtons();
}

QVector<qint64> RunsView::selectedRunIds() const
{
    QVector<qint64> ids;
    if (!m_table->selectionModel())
        return ids;
    for (const QModelIndex &row : m_table->selectionModel()->selectedRows())
        ids << row.data(Qt::UserRole).toLongLong();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsView::selectRun(qint64 runId)
{
    if (!m_model)
        return;
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->index(row, 0).data(Qt::UserRole).toLongLong() == runId) {
            m_table->selectionModel()->setCurrentIndex(
                m_model->index(row, 0),
                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            return;
        }
}

bool RunsView::canResume(qint64 runId) const
{
    if (!m_store || m_busy || runId == m_liveRun)
        return false;
    auto run = RunStore(*m_store).run(runId);
    if (!run.ok())
        return false;
    // "running" without a live worker: the process died while training it.
    return run->state == RunState::Cancelled || run->state == RunState::Paused
        || run->state == RunState::Running;
}

void RunsView::updateButtons()
{
    const QVector<qint64> ids = selectedRunIds();
    m_compare->setEnabled(ids.size() >= 2);
    m_resume->setEnabled(ids.size() == 1 && canResume(ids.first()));
    m_delete->setEnabled(!ids.isEmpty() && !(m_busy && ids.contains(m_liveRun)));
}

void RunsView::compareSelected()
{
    const QVector<qint64> ids = selectedRunIds();
    if (!m_store || ids.size() < 2)
        return;
    auto *dlg = new RunCompareDialog(*m_store, ids, this);
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->open();
}

void RunsView::resumeSelected()
{
    const QVector<qint64> ids = selectedRunIds();
    if (ids.size() == 1 && canResume(ids.first()))
        Q_EMIT resumeRequested(ids.first());
}

void RunsView::deleteSelected()
{
    const QVector<qint64> ids = selectedRunIds();
    if (!m_store || ids.isEmpty())
        return;
    if (!prompter().confirm(this, tr("Delete Runs"),
                            tr("Delete %n run(s) with their checkpoints and predictions? This "
                               "cannot be undone.",
                               nullptr, int(ids.size()))))
        return;
    RunStore runs(*m_store);
    for (qint64 id : ids) {
        if (m_busy && id == m_liveRun)
            continue;
        const Status s = runs.removeRun(id);
        if (!s.ok()) {
            prompter().error(this, tr("Delete Runs"), s.error().toString());
            break;
        }
        Q_EMIT runDeleted(id);
    }
    reload();
}

} // namespace salient
