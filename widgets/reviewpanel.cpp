// SPDX-License-Identifier: GPL-3.0-or-later
// ReviewPanel, part one: the layout, the run and role, filters and gallery.
#include "widgets/reviewpanel.h"

#include "core/models/reviewlistmodel.h"
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "widgets/heatmapview.h"
#include "widgets/prompter.h"
#include "widgets/reviewgallery.h"

#include <QAbstractSpinBox>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace salient {

using namespace salient::review;
using train::RunRole;

namespace {
constexpr int kBothRoles = -1;
constexpr int kAnyVerdict = -1;
const QString kAdvanceKey = QStringLiteral("review/advance");
} // namespace

ReviewPanel::ReviewPanel(QWidget *parent)
    : QWidget(parent), m_unavailable(new QLabel(this)), m_run(new QComboBox(this)),
      m_role(new QComboBox(this)), m_explainAll(new QPushButton(tr("E&xplain All"), this)),
      m_progress(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_export(new QPushButton(tr("Export &Report…"), this)), m_message(new QLabel(this)),
      m_misclassified(new QCheckBox(tr("&Misclassified only"), this)),
      m_maxConfidence(new QDoubleSpinBox(this)), m_classFilter(new QComboBox(this)),
      m_verdictFilter(new QComboBox(this)), m_sort(new QComboBox(this)),
      m_gallery(new ReviewGallery(this)), m_count(new QLabel(this)),
      m_heatmap(new HeatmapView(this)), m_imageInfo(new QLabel(this)), m_note(new QLineEdit(this)),
      m_reviewerLabel(new QLabel(this)), m_fixLabel(new QPushButton(tr("&Fix Label…"), this)),
      m_summary(new QTableWidget(this)), m_refreshTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("reviewPanel"));
    m_advance = QSettings().value(kAdvanceKey, true).toBool();
    m_unavailable->setText(
        tr("Explanations are not part of this build of Salient Studio (it was built without "
           "LibTorch). Stored heatmaps are shown and verdicts can be recorded; compute heatmaps "
           "with “salient-cli gradcam” on a machine that has it."));
    m_unavailable->setWordWrap(true);
    m_unavailable->setFrameShape(QFrame::StyledPanel);
    m_unavailable->setMargin(6);
    m_unavailable->setAutoFillBackground(true);
    QPalette warn = m_unavailable->palette();
    warn.setColor(QPalette::Window, QColor(0xFF, 0xF4, 0xD6));
    warn.setColor(QPalette::WindowText, QColor(0x5A, 0x45, 0x00));
    m_unavailable->setPalette(warn);

    buildTopBar();
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildGallerySide());
    split->addWidget(m_heatmap);
    split->addWidget(buildVerdictSide());
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 0);
    split->setChildrenCollapsible(false);
    split->setSizes({420, 500, 350});

    auto *top = new QHBoxLayout;
    auto runLabel = new QLabel(tr("R&un:"), this);
    runLabel->setBuddy(m_run);
    auto roleLabel = new QLabel(tr("&Images:"), this);
    roleLabel->setBuddy(m_role);
    top->addWidget(runLabel);
    top->addWidget(m_run, 1);
    top->addSpacing(8);
    top->addWidget(roleLabel);
    top->addWidget(m_role);
    top->addSpacing(16);
    top->addWidget(m_explainAll);
    top->addWidget(m_progress, 1);
    top->addWidget(m_cancel);
    top->addStretch(0);
    top->addWidget(m_export);

    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(4, 4, 4, 4);
    lay->setSpacing(4);
    lay->addWidget(m_unavailable);
    lay->addLayout(top);
    lay->addWidget(split, 1);
    lay->addWidget(m_message);

    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(150);
    connect(m_refreshTimer, &QTimer::timeout, this, &ReviewPanel::refreshModel);
    connect(m_heatmap, &HeatmapView::requestChanged, this, &ReviewPanel::explainCurrent);
    connect(&m_report, &QFutureWatcher<Status>::finished, this, &ReviewPanel::onReportDone);
    installKeys();
    setController(nullptr);
    setStore(nullptr);
}

ReviewPanel::~ReviewPanel()
{
    m_report.waitForFinished(); // its progress callback points at this panel
    m_gallery->setModel(nullptr);
}

Prompter &ReviewPanel::prompter() const
{
    return m_prompter ? *m_prompter : Prompter::standard();
}

void ReviewPanel::say(const QString &text)
{
    m_message->setText(text);
    Q_EMIT message(text);
}

void ReviewPanel::setController(ExplainController *controller)
{
    if (m_controller)
        disconnect(m_controller, nullptr, this, nullptr);
    m_controller = controller;
    m_unavailable->setVisible(!controller);
    m_modelReady = false;
    m_openedRun = 0;
    if (controller) {
        connect(controller, &ExplainController::ready, this, &ReviewPanel::onReady);
        connect(controller, &ExplainController::explained, this, &ReviewPanel::onExplained);
        connect(controller, &ExplainController::failed, this, &ReviewPanel::onFailed);
        connect(controller, &ExplainController::batchProgress, this, &ReviewPanel::onBatchProgress);
        connect(controller, &ExplainController::batchFinished, this, &ReviewPanel::onBatchFinished);
    }
    if (m_store && currentRunId())
        onRunChosen();
    updateActions();
}

void ReviewPanel::setStore(ProjectStore *store, Thumbnailer *thumbnailer)
{
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_gallery->setModel(nullptr);
    m_model.reset();
    m_reviews.reset();
    m_store = store;
    m_thumbnailer = thumbnailer;
    m_gallery->setSource(store, thumbnailer);
    m_modelReady = false;
    m_openedRun = 0;
    m_noteImage = 0;
    m_batchRoles.clear();
    m_batchRunning = false;
    if (store) {
        m_model = std::make_unique<ReviewListModel>(*store);
        m_reviews = std::make_unique<ReviewStore>(*store);
        m_gallery->setModel(m_model.get());
        connect(m_gallery->selectionModel(), &QItemSelectionModel::currentChanged, this,
                &ReviewPanel::onCurrentChanged);
        // A label fixed in the canvas shows here (truth and correct mark).
        connect(store, &ProjectStore::labelsChanged, m_refreshTimer, qOverload<>(&QTimer::start));
        connect(store, &ProjectStore::classesChanged, m_refreshTimer, qOverload<>(&QTimer::start));
    }
    m_heatmap->clear();
    if (!reloadRuns())
        onRunChosen();
}

void ReviewPanel::reload()
{
    if (!m_store)
        return;
    reloadRuns(); // a changed choice reloads through onRunChosen
    refreshModel();
}

void ReviewPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reviewer(false);
    // Runs may have finished, and labels been fixed, while the dock was hidden.
    if (m_store) {
        reload();
        if (!currentImageId() && m_model && m_model->rowCount() > 0)
            m_gallery->setCurrentIndex(m_model->index(0, 0));
        openModel();
    }
}

void ReviewPanel::openModel()
{
    // Only while the panel is seen: opening a project must not load a
    // network nobody looks at.
    if (!m_controller || !m_store || !currentRunId() || m_openedRun || !isVisible())
        return;
    m_openedRun = currentRunId();
    m_controller->open(m_store->filePath(), m_openedRun);
    explainCurrent(); // says that the model is loading
}

bool ReviewPanel::reloadRuns()
{
    const qint64 keep = currentRunId();
    m_filling = true;
    m_run->clear();
    if (m_store) {
        auto runs = train::RunStore(*m_store).runs();
        if (runs.ok()) {
            for (const train::RunRecord &r : runs.value()) {
                if (r.bestEpoch <= 0)
                    continue; // nothing to explain without a best checkpoint
                m_run->addItem(tr("%1 (#%2, best epoch %3)").arg(r.name).arg(r.id).arg(r.bestEpoch),
                               r.id);
            }
        } else {
            say(runs.error().toString());
        }
    }
    m_run->setPlaceholderText(m_store ? tr("No trained run yet") : tr("No project open"));
    int at = m_run->findData(keep);
    if (at < 0 && m_run->count() > 0)
        at = 0; // the newest run
    m_run->setCurrentIndex(at);
    m_filling = false;
    if (currentRunId() == keep)
        return false;
    onRunChosen();
    return true;
}

qint64 ReviewPanel::currentRunId() const
{
    return m_run->currentIndex() >= 0 ? m_run->currentData().toLongLong() : 0;
}

void ReviewPanel::selectRun(qint64 runId)
{
    const int at = m_run->findData(runId);
    if (at >= 0)
        m_run->setCurrentIndex(at);
}

void ReviewPanel::onRunChosen()
{
    if (!m_model)
        return;
    const qint64 runId = currentRunId();
    if (m_model->runId() != runId || runId == 0) {
        if (auto st = m_model->setRun(runId); !st.ok())
            say(st.error().toString());
    }
    fillClassFilter();
    // Open the run's model once; the panel shown again keeps the one it has.
    if (runId != m_openedRun || !m_controller) {
        m_modelReady = false;
        m_openedRun = 0;
        m_heatmap->setModelInfo(fallbackModelInfo());
        openModel();
    }
    applyFilter();
    updateSummary();
    updateActions();
}

void ReviewPanel::fillClassFilter()
{
    m_filling = true;
    const int keep =
        m_classFilter->currentData().isValid() ? m_classFilter->currentData().toInt() : -1;
    m_classFilter->clear();
    m_classFilter->addItem(tr("Any class"), -1);
    const QStringList names = m_model ? m_model->classNames() : QStringList();
    for (int i = 0; i < names.size(); ++i)
        m_classFilter->addItem(names[i], i);
    m_classFilter->setCurrentIndex(std::max(0, m_classFilter->findData(keep)));
    m_filling = false;
}

void ReviewPanel::applyFilter()
{
    if (!m_model)
        return;
    ReviewListModel::Filter f;
    f.misclassifiedOnly = m_misclassified->isChecked();
    f.maxConfidence = m_maxConfidence->value() / 100.0;
    f.classIndex =
        m_classFilter->currentData().isValid() ? m_classFilter->currentData().toInt() : -1;
    const int verdict = m_verdictFilter->currentData().toInt();
    if (verdict != kAnyVerdict)
        f.verdict = static_cast<Verdict>(verdict);
    const int role = m_role->currentData().toInt();
    if (role != kBothRoles)
        f.role = static_cast<RunRole>(role);
    const qint64 keep = currentImageId();
    m_model->setFilter(f);
    selectImage(keep);
    if (!currentImageId() && m_model->rowCount() > 0)
        m_gallery->setCurrentIndex(m_model->index(0, 0));
    if (!currentImageId())
        onCurrentChanged(); // nothing left to show
    updateCount();
}

void ReviewPanel::refreshModel()
{
    if (!m_model || !m_model->runId())
        return;
    const qint64 keep = currentImageId();
    if (auto st = m_model->refresh(); !st.ok())
        say(st.error().toString());
    selectImage(keep);
    if (!currentImageId() && m_model->rowCount() > 0)
        m_gallery->setCurrentIndex(m_model->index(0, 0));
    updateCount();
    updateSummary();
    updateVerdictButtons();
}

void ReviewPanel::updateCount()
{
    const QLocale loc;
    m_count->setText(
        m_model ? tr("%1 of %2")
                      .arg(loc.toString(m_model->rowCount()), loc.toString(m_model->totalCount()))
                : QString());
    m_count->setToolTip(tr("Images shown of the run's validation and test images"));
}

qint64 ReviewPanel::currentImageId() const
{
    return m_gallery->currentImageId();
}

void ReviewPanel::selectImage(qint64 imageId)
{
    if (imageId)
        m_gallery->selectImage(imageId);
}

void ReviewPanel::setAdvanceAfterVerdict(bool on)
{
    m_advance = on;
    if (m_advanceCheck && m_advanceCheck->isChecked() != on)
        m_advanceCheck->setChecked(on);
    QSettings().setValue(kAdvanceKey, on);
}

void ReviewPanel::installKeys()
{
    // The verdict keys work wherever the focus is in the panel except where
    // text is typed; the filter also claims them before the main window's
    // 1-9 / 0 label shortcuts (ShortcutOverride).
    const QList<QWidget *> children = findChildren<QWidget *>();
    for (QWidget *w : children) {
        if (qobject_cast<QLineEdit *>(w) || qobject_cast<QAbstractSpinBox *>(w))
            continue;
        w->installEventFilter(this);
    }
}

} // namespace salient
