// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow, part three: the Review dock (Grad-CAM and expert verdicts, F10)
// and fixing a wrong label found in review.
#include "app/mainwindow.h"

#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "core/review/explaincontroller.h"
#include "widgets/filterbar.h"
#include "widgets/reviewpanel.h"
#include "widgets/thumbnailgrid.h"
#include "widgets/trainingdock.h"
#include "widgets/trainingpanel.h"

#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QStatusBar>

namespace salient {

void MainWindow::createReviewDock()
{
    m_review = new ReviewPanel(this);
    m_reviewDock = new QDockWidget(tr("Review"), this);
    m_reviewDock->setObjectName(QStringLiteral("reviewDock"));
    m_reviewDock->setWidget(m_review);
    addDockWidget(Qt::BottomDockWidgetArea, m_reviewDock);
    tabifyDockWidget(m_trainingDock, m_reviewDock);
    m_reviewDock->hide();
    connect(m_review, &ReviewPanel::fixLabelRequested, this, &MainWindow::fixLabel);
    connect(m_review, &ReviewPanel::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    m_review->messageLabel()->hide(); // the status bar says it here
    // A run that just finished training can be reviewed at once.
    connect(m_training->panel(), &TrainingPanel::runEnded, this, [this]() {
        if (m_reviewDock->isVisible())
            m_review->reload();
    });
}

void MainWindow::setExplainController(review::ExplainController *controller)
{
    m_review->setController(controller);
}

void MainWindow::fixLabel(qint64 imageId)
{
    if (!m_store || !m_imageModel || !imageId)
        return;
    if (m_imageModel->rowOf(imageId) < 0) // hidden by the browser's filter
        m_filterBar->setImageIdFilter({imageId}, tr("the review"));
    m_grid->selectId(imageId);
    if (m_grid->currentId() != imageId)
        return;
    if (isViewerOpen())
        closeViewer();
    openAnnotate();
    if (isAnnotating()) {
        const auto record = m_store->image(imageId);
        statusBar()->showMessage(
            tr("Correct the label of %1 (Ctrl+Z undoes it); the review follows.")
                .arg(record.ok() ? QFileInfo(record->path).fileName() : QString::number(imageId)),
            8000);
    }
}

} // namespace salient
