// SPDX-License-Identifier: GPL-3.0-or-later
// ReviewPanel, part three: the current image and its heatmap, verdicts and
// notes from the keyboard, the summary.
#include "widgets/reviewpanel.h"

#include "core/imaging/decode.h"
#include "core/models/reviewlistmodel.h"
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "widgets/heatmapview.h"
#include "widgets/prompter.h"
#include "widgets/reviewgallery.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QTableWidget>

namespace salient {

using namespace salient::review;
using train::RunRole;

namespace {
const QString kReviewerKey = QStringLiteral("review/reviewer");
// The image is decoded at least this large (JPEG DCT scaling below that is
// not used): plenty for a heatmap beside a gallery, and fast to flick through.
constexpr int kDecodeMinSide = 720;
} // namespace

QString ReviewPanel::roleName(RunRole role)
{
    return role == RunRole::Test ? tr("test") : tr("validation");
}

// ---- the current image ------------------------------------------------------

void ReviewPanel::onCurrentChanged()
{
    saveNote(); // the editor's text belongs to the image we leave
    const qint64 id = currentImageId();
    const QModelIndex idx = m_gallery->currentIndex();
    m_noteImage = id;
    m_note->setText(idx.isValid() ? idx.data(ReviewListModel::NoteRole).toString() : QString());
    m_note->setEnabled(id != 0);
    updateVerdictButtons();
    updateActions();
    if (!id || !m_store) {
        m_imageInfo->setText(m_model && m_model->runId() && m_model->rowCount() == 0
                                 ? tr("No image matches the filters.")
                                 : QString());
        m_heatmap->clear();
        return;
    }
    const QString truth = idx.data(ReviewListModel::TruthRole).toString();
    const bool correct = idx.data(ReviewListModel::CorrectRole).toBool();
    const QString predicted = idx.data(ReviewListModel::PredictedRole).toString();
    const QString confidence =
        QLocale().toString(100.0 * idx.data(ReviewListModel::ConfidenceRole).toDouble(), 'f', 1);
    const auto role = static_cast<RunRole>(idx.data(ReviewListModel::RunRoleRole).toInt());
    m_imageInfo->setText(
        tr("<b>%1</b> <span style='color:gray'>(%2 image)</span><br>True: <b>%3</b><br>"
           "Predicted: <b style='color:%4'>%5</b> %6 %")
            .arg(QFileInfo(idx.data(ReviewListModel::PathRole).toString())
                     .fileName()
                     .toHtmlEscaped(),
                 roleName(role), truth.isEmpty() ? tr("no label") : truth.toHtmlEscaped(),
                 truth.isEmpty() || correct
                 ? QStringLiteral("inherit")
                 : QStringLiteral("#d93f3f"), predicted.toHtmlEscaped(), confidence));

    QVector<int> truthIndexes;
    for (const QVariant &v : idx.data(ReviewListModel::TruthIndexesRole).toList())
        truthIndexes << v.toInt();
    cv::Mat pixels;
    auto record = m_store->image(id);
    if (record.ok()) {
        DecodeOptions options;
        options.orientation = record->orientation;
        options.minSide = kDecodeMinSide;
        auto decoded = decodeImage(record->absolutePath, options);
        if (decoded.ok())
            pixels = toDisplayDepth(decoded.value());
        else
            m_heatmap->setStatus(decoded.error().toString());
    }
    if (pixels.empty()) {
        m_heatmap->setImage(id, {}, truthIndexes);
        m_heatmap->setStatus(record.ok() ? tr("%1 cannot be decoded.").arg(record->absolutePath)
                                         : record.error().toString());
        return;
    }
    m_heatmap->setImage(id, pixels, truthIndexes);
    explainCurrent();
}

ModelInfo ReviewPanel::fallbackModelInfo() const
{
    // What the run record tells before the controller has loaded the model;
    // without a controller, the layers of the explanations stored for it.
    ModelInfo info;
    info.runId = currentRunId();
    if (m_model)
        info.classNames = m_model->classNames();
    if (!m_controller && m_reviews && info.runId) {
        auto stored = m_reviews->explanations(info.runId);
        if (stored.ok()) {
            for (const Explanation &e : stored.value())
                if (!info.layers.contains(e.layer))
                    info.layers << e.layer;
        }
        if (!info.layers.isEmpty())
            info.defaultLayer = info.layers.last();
    }
    return info;
}

bool ReviewPanel::showStoredExplanation()
{
    if (!m_reviews || !currentRunId())
        return false;
    const ExplainRequest request = m_heatmap->request();
    const QString layer =
        request.layer.isEmpty() ? m_heatmap->modelInfo().defaultLayer : request.layer;
    if (layer.isEmpty())
        return false;
    auto stored = m_reviews->explanation(currentRunId(), currentImageId(), request.method, layer,
                                         request.targetClass);
    if (!stored.ok() || !stored.value())
        return false;
    m_heatmap->setExplanation(*stored.value());
    return true;
}

void ReviewPanel::explainCurrent()
{
    const qint64 id = currentImageId();
    if (!id || m_heatmap->imageId() != id)
        return;
    if (showStoredExplanation())
        return;
    if (!m_controller) {
        m_heatmap->setStatus(tr("No stored heatmap for this image with this method and layer."));
        return;
    }
    if (!m_modelReady) {
        m_heatmap->setStatus(tr("Loading the model…")); // onReady() explains it
        return;
    }
    m_controller->explain(id, m_heatmap->request());
    m_heatmap->setStatus(tr("Explaining…"));
}

void ReviewPanel::onReady(const ModelInfo &info)
{
    if (info.runId != currentRunId())
        return; // an older run's model, replaced since
    m_modelReady = true;
    m_heatmap->setModelInfo(info);
    explainCurrent();
}

void ReviewPanel::onExplained(const Explanation &explanation)
{
    if (explanation.runId != currentRunId() || explanation.imageId != currentImageId())
        return; // the reviewer moved on
    m_heatmap->setExplanation(explanation);
}

void ReviewPanel::onFailed(const Error &error)
{
    m_heatmap->setStatus(error.toString());
    say(error.toString());
    if (!m_modelReady)
        m_openedRun = 0; // the model did not load: try again when the panel is shown next
    if (m_batchRunning) {
        m_batchRunning = false;
        m_batchRoles.clear();
        m_progress->hide();
        m_cancel->hide();
    }
    updateActions();
}

// ---- verdicts, notes, reviewer ----------------------------------------------

QString ReviewPanel::reviewer(bool askIfEmpty)
{
    QSettings settings;
    QString name = settings.value(kReviewerKey).toString().trimmed();
    if (name.isEmpty() && askIfEmpty) {
        const QString guess = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
        if (auto answer =
                prompter().text(this, tr("Reviewer"),
                                tr("Your name, stored with each verdict you record:"), guess)) {
            name = answer->trimmed();
            if (!name.isEmpty())
                settings.setValue(kReviewerKey, name);
        }
    }
    m_reviewerLabel->setText(
        name.isEmpty()
            ? tr("Reviewer: not set · <a href='#'>set…</a>")
            : tr("Reviewer: <b>%1</b> · <a href='#'>change…</a>").arg(name.toHtmlEscaped()));
    return name;
}

bool ReviewPanel::setVerdict(Verdict verdict)
{
    const QModelIndex idx = m_gallery->currentIndex();
    if (!m_model || !idx.isValid())
        return false;
    const QString name = reviewer(true);
    if (name.isEmpty()) {
        say(tr("A verdict is stored with the reviewer's name: set it first."));
        return false;
    }
    const QString note = m_note->text().trimmed();
    if (auto st = m_model->setVerdict(idx.row(), verdict, note, name); !st.ok()) {
        prompter().error(this, tr("Review"), st.error().toString());
        return false;
    }
    const QString file = QFileInfo(idx.data(ReviewListModel::PathRole).toString()).fileName();
    say(verdict == Verdict::Unreviewed ? tr("%1: verdict cleared.").arg(file)
                                       : tr("%1: %2.").arg(file, verdictLabel(int(verdict))));
    updateVerdictButtons();
    updateSummary();
    if (m_advance && verdict != Verdict::Unreviewed && idx.row() + 1 < m_model->rowCount())
        step(1);
    return true;
}

void ReviewPanel::saveNote()
{
    if (!m_model || !m_noteImage)
        return;
    const int row = m_model->rowOf(m_noteImage);
    if (row < 0)
        return;
    const QModelIndex idx = m_model->index(row, 0);
    const QString text = m_note->text().trimmed();
    if (text == idx.data(ReviewListModel::NoteRole).toString())
        return;
    const QString name = reviewer(true);
    if (name.isEmpty()) {
        say(tr("A note is stored with the reviewer's name: set it first."));
        return;
    }
    const auto verdict = static_cast<Verdict>(idx.data(ReviewListModel::VerdictRole).toInt());
    if (auto st = m_model->setVerdict(row, verdict, text, name); !st.ok())
        prompter().error(this, tr("Review"), st.error().toString());
    else
        say(tr("Note saved."));
}

void ReviewPanel::updateVerdictButtons()
{
    const QModelIndex idx = m_gallery->currentIndex();
    const int verdict = idx.isValid() ? idx.data(ReviewListModel::VerdictRole).toInt() : 0;
    for (int v = 0; v < m_verdictButtons.size(); ++v) {
        m_verdictButtons[v]->setEnabled(idx.isValid());
        if (m_verdictButtons[v]->isCheckable())
            m_verdictButtons[v]->setChecked(v == verdict && idx.isValid());
    }
}

QAbstractButton *ReviewPanel::verdictButton(Verdict verdict) const
{
    return m_verdictButtons.value(int(verdict));
}

void ReviewPanel::updateSummary()
{
    m_summary->setRowCount(0);
    if (!m_reviews || !currentRunId())
        return;
    auto summary = m_reviews->summary(currentRunId());
    if (!summary.ok()) {
        say(summary.error().toString());
        return;
    }
    const Verdict order[] = {Verdict::Plausible, Verdict::Spurious, Verdict::Shortcut,
                             Verdict::Unsure, Verdict::Unreviewed};
    auto addRow = [this, &order](const VerdictCounts &c, const QString &name, bool bold) {
        const int row = m_summary->rowCount();
        m_summary->insertRow(row);
        auto cell = [&](int col, const QString &text, Qt::Alignment align) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(align | Qt::AlignVCenter);
            QFont f = item->font();
            f.setBold(bold);
            item->setFont(f);
            m_summary->setItem(row, col, item);
        };
        cell(0, name, Qt::AlignLeft);
        cell(1, QString::number(c.images), Qt::AlignRight);
        int reviewed = 0;
        for (int i = 0; i < 4; ++i) {
            const int n = c.counts.value(order[i]);
            reviewed += n;
            cell(2 + i, n ? QString::number(n) : QStringLiteral("·"), Qt::AlignRight);
        }
        cell(6, QString::number(std::max(0, c.images - reviewed)), Qt::AlignRight);
    };
    for (const VerdictCounts &c : summary->perClass)
        addRow(c, c.className, false);
    addRow(summary->total, tr("All"), true);
}

void ReviewPanel::step(int delta)
{
    if (!m_model || m_model->rowCount() == 0)
        return;
    const int row = m_gallery->currentIndex().row() + delta;
    if (row < 0 || row >= m_model->rowCount()) {
        say(delta < 0 ? tr("This is the first image shown.") : tr("This is the last image shown."));
        return;
    }
    const QModelIndex idx = m_model->index(row, 0);
    m_gallery->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect);
    m_gallery->scrollTo(idx);
}

// ---- keys ---------------------------------------------------------------------

bool ReviewPanel::handleKey(QObject *watched, int key, Qt::KeyboardModifiers modifiers,
                            bool perform)
{
    if ((modifiers & ~Qt::KeypadModifier) != Qt::NoModifier)
        return false;
    auto verdictFor = [](int k) -> std::optional<Verdict> {
        switch (k) {
        case Qt::Key_1:
            return Verdict::Plausible;
        case Qt::Key_2:
            return Verdict::Spurious;
        case Qt::Key_3:
            return Verdict::Shortcut;
        case Qt::Key_4:
            return Verdict::Unsure;
        case Qt::Key_0:
            return Verdict::Unreviewed;
        default:
            return std::nullopt;
        }
    };
    if (auto v = verdictFor(key)) {
        if (perform)
            setVerdict(*v);
        return true;
    }
    // Arrows belong to the gallery (grid moves), the sliders and combos;
    // elsewhere in the panel they move through the images like J / K.
    const bool arrowsFree = !qobject_cast<QAbstractItemView *>(watched)
                            && !qobject_cast<QSlider *>(watched)
                            && !qobject_cast<QComboBox *>(watched);
    switch (key) {
    case Qt::Key_J:
    case Qt::Key_K:
        if (perform)
            step(key == Qt::Key_J ? 1 : -1);
        return true;
    case Qt::Key_Right:
    case Qt::Key_Down:
    case Qt::Key_Left:
    case Qt::Key_Up:
        if (!arrowsFree)
            return false;
        if (perform)
            step(key == Qt::Key_Right || key == Qt::Key_Down ? 1 : -1);
        return true;
    case Qt::Key_N:
        if (perform && m_note->isEnabled()) {
            m_note->setFocus(Qt::ShortcutFocusReason);
            m_note->selectAll();
        }
        return true;
    case Qt::Key_M:
        if (perform)
            m_misclassified->toggle();
        return true;
    default:
        return false;
    }
}

bool ReviewPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_note && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape) {
            const QModelIndex idx = m_gallery->currentIndex();
            m_note->setText(idx.isValid() ? idx.data(ReviewListModel::NoteRole).toString()
                                          : QString());
            m_gallery->setFocus();
            return true;
        }
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            saveNote();
            m_gallery->setFocus();
            return true;
        }
        return false;
    }
    if (watched == m_note)
        return false;
    if (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool perform = event->type() == QEvent::KeyPress;
        if (handleKey(watched, key->key(), key->modifiers(), perform)) {
            event->accept();
            return perform; // an accepted override: the key press comes to us next
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace salient
