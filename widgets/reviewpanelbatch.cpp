// SPDX-License-Identifier: GPL-3.0-or-later
// ReviewPanel, part four: "Explain all" in the background and the review
// report written off the GUI thread.
#include "widgets/reviewpanel.h"

#include "core/models/reviewlistmodel.h"
#include "core/project/store.h"
#include "core/review/reviewreport.h"
#include "widgets/heatmapview.h"
#include "widgets/prompter.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

namespace salient {

using namespace salient::review;
using train::RunRole;

// ---- explain all ----------------------------------------------------------------

void ReviewPanel::explainAll()
{
    if (!m_controller || !currentRunId() || isExplainingAll())
        return;
    const int role = m_role->currentData().toInt();
    m_batchRoles =
        role < 0 ? QVector<int>{int(RunRole::Validation), int(RunRole::Test)} : QVector<int>{role};
    m_batchStored = 0;
    m_cancel->setText(tr("Cancel"));
    m_cancel->setEnabled(true);
    startNextBatch();
}

void ReviewPanel::startNextBatch()
{
    if (m_batchRoles.isEmpty() || !m_controller)
        return;
    const auto role = static_cast<RunRole>(m_batchRoles.takeFirst());
    m_batchRunning = true;
    m_batchRoleName = roleName(role);
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("Explaining %1 images…").arg(m_batchRoleName));
    m_progress->show();
    m_cancel->show();
    updateActions();
    ExplainRequest request = m_heatmap->request();
    request.targetClass = -1; // a batch explains each image's prediction
    m_controller->explainRole(role, request);
}

void ReviewPanel::onBatchProgress(int done, int total)
{
    if (!m_batchRunning)
        return;
    m_progress->setRange(0, std::max(total, 1));
    m_progress->setValue(done);
    m_progress->setFormat(tr("%1 images: %2 of %3").arg(m_batchRoleName).arg(done).arg(total));
}

void ReviewPanel::onBatchFinished(int stored, bool cancelled)
{
    if (!m_batchRunning)
        return;
    m_batchRunning = false;
    m_batchStored += stored;
    if (cancelled)
        m_batchRoles.clear();
    if (!m_batchRoles.isEmpty()) {
        startNextBatch();
        return;
    }
    m_progress->hide();
    m_cancel->hide();
    refreshModel(); // deletion scores and "explained" for the gallery
    updateActions();
    say(cancelled ? tr("Stopped: %n heatmap(s) stored.", nullptr, m_batchStored)
                  : tr("Explained all: %n heatmap(s) stored.", nullptr, m_batchStored));
    if (!m_heatmap->hasExplanation())
        explainCurrent();
}

// ---- the report -----------------------------------------------------------------

bool ReviewPanel::isExporting() const
{
    return m_report.isRunning();
}

void ReviewPanel::exportReport()
{
    if (!m_store || !currentRunId())
        return;
    QString base = m_run->currentText().section(QLatin1Char(' '), 0, 0);
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    const QString suggested =
        QDir(m_store->directory()).filePath(QStringLiteral("review-%1.html").arg(base));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Review Report"), suggested,
                                     tr("HTML report (*.html);;PDF report (*.pdf)"));
    if (!path.isEmpty())
        exportReportTo(path);
}

bool ReviewPanel::exportReportTo(const QString &path)
{
    if (!m_store || !currentRunId() || isExporting())
        return false;
    saveNote();
    m_reportPath = path;
    ReportOptions options;
    options.format = ReportOptions::formatForPath(path);
    options.style = m_heatmap->style();
    const QString file = m_store->filePath();
    const qint64 runId = currentRunId();
    if (!isExplainingAll()) {
        m_progress->setRange(0, 0);
        m_progress->setFormat(tr("Writing the report…"));
        m_progress->show();
    }
    // Its own read-only connection, opened on the pool thread that uses it.
    m_report.setFuture(QtConcurrent::run([this, file, runId, path, options]() -> Status {
        auto store = ProjectStore::open(file, ProjectStore::OpenMode::ReadOnly);
        if (!store.ok())
            return store.error();
        QElapsedTimer clock;
        clock.start();
        return writeReviewReport(*store.value(), runId, path, options, [&](int done, int total) {
            if (done < total && clock.elapsed() < 100)
                return; // about 10 updates a second
            clock.restart();
            QMetaObject::invokeMethod(
                this,
                [this, done, total]() {
                    if (isExplainingAll())
                        return;
                    m_progress->setRange(0, std::max(total, 1));
                    m_progress->setValue(done);
                    m_progress->setFormat(tr("Writing the report: %1 of %2").arg(done).arg(total));
                },
                Qt::QueuedConnection);
        });
    }));
    updateActions();
    return true;
}

void ReviewPanel::onReportDone()
{
    const Status st = m_report.result();
    if (!isExplainingAll())
        m_progress->hide();
    updateActions();
    const QString text =
        st.ok() ? tr("Report written to %1").arg(QDir::toNativeSeparators(m_reportPath))
                : st.error().toString();
    say(text);
    if (!st.ok())
        prompter().error(this, tr("Export Review Report"), text);
    Q_EMIT reportFinished(st.ok(), text);
}

void ReviewPanel::updateActions()
{
    const bool run = m_store && currentRunId();
    const bool batch = isExplainingAll();
    const bool readOnly = m_store && m_store->isReadOnly();
    m_explainAll->setEnabled(run && m_controller && !batch && !readOnly);
    m_explainAll->setToolTip(
        readOnly ? tr("This project is open read-only (another program has it open): heatmaps "
                      "cannot be stored.")
                 : tr("Compute and store the heatmaps of every image shown by this role in the "
                      "background (method and layer as chosen)"));
    m_run->setEnabled(!batch);
    m_role->setEnabled(!batch);
    m_export->setEnabled(run && !isExporting());
    m_fixLabel->setEnabled(currentImageId() != 0);
}

} // namespace salient
