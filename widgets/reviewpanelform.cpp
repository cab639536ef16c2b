// SPDX-License-Identifier: GPL-3.0-or-later
// ReviewPanel, part two: building the controls (top bar, filters and
// gallery, verdicts, note, reviewer and the per-class summary).
#include "widgets/reviewpanel.h"

#include "core/models/reviewlistmodel.h"
#include "widgets/heatmapview.h"
#include "widgets/prompter.h"
#include "widgets/reviewgallery.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>

namespace salient {

using namespace salient::review;
using train::RunRole;

namespace {
constexpr int kAnyVerdict = -1; // filter combos' "any" rows
constexpr int kBothRoles = -1;
} // namespace

void ReviewPanel::buildTopBar()
{
    m_run->setObjectName(QStringLiteral("reviewRun"));
    m_run->setToolTip(tr("Runs with a best checkpoint; the review is kept per run"));
    m_run->setMinimumContentsLength(18);
    m_run->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_role->addItem(tr("Validation"), int(RunRole::Validation));
    m_role->addItem(tr("Test"), int(RunRole::Test));
    m_role->addItem(tr("Validation and test"), kBothRoles);
    m_role->setToolTip(tr("Which of the run's held-out images to review"));
    m_progress->setVisible(false);
    m_progress->setTextVisible(true);
    m_progress->setMinimumWidth(120);
    m_cancel->setVisible(false);
    m_export->setToolTip(tr("Write an HTML or PDF report with thumbnails, heatmaps, verdicts "
                            "and notes to hand to others"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setWordWrap(true);

    connect(m_run, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        if (!m_filling)
            onRunChosen();
    });
    connect(m_role, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ReviewPanel::applyFilter);
    connect(m_explainAll, &QPushButton::clicked, this, &ReviewPanel::explainAll);
    connect(m_cancel, &QPushButton::clicked, this, [this]() {
        m_batchRoles.clear();
        if (m_controller)
            m_controller->cancel();
        m_cancel->setEnabled(false);
        m_cancel->setText(tr("Stopping…"));
    });
    connect(m_export, &QPushButton::clicked, this, &ReviewPanel::exportReport);
}

QWidget *ReviewPanel::buildGallerySide()
{
    auto *side = new QWidget(this);
    m_misclassified->setToolTip(tr("Only images whose prediction differs from the truth (M)"));
    m_maxConfidence->setRange(0, 100);
    m_maxConfidence->setDecimals(0);
    m_maxConfidence->setSingleStep(5);
    m_maxConfidence->setValue(100);
    m_maxConfidence->setSuffix(QStringLiteral(" %"));
    m_maxConfidence->setToolTip(tr("Only images predicted with at most this confidence"));
    m_classFilter->setToolTip(tr("Only images whose truth or prediction is this class"));
    m_verdictFilter->addItem(tr("Any verdict"), kAnyVerdict);
    for (Verdict v : {Verdict::Unreviewed, Verdict::Plausible, Verdict::Spurious, Verdict::Shortcut,
                      Verdict::Unsure})
        m_verdictFilter->addItem(verdictLabel(int(v)), int(v));
    m_sort->addItem(tr("Image order"), int(ReviewListModel::Sort::ImageId));
    m_sort->addItem(tr("Least confident first"), int(ReviewListModel::Sort::ConfidenceAscending));
    m_sort->addItem(tr("Most confident first"), int(ReviewListModel::Sort::ConfidenceDescending));
    m_sort->addItem(tr("Highest deletion score first"),
                    int(ReviewListModel::Sort::DeletionScoreDescending));
    m_sort->setToolTip(tr("A high deletion score: the heatmap may miss what the model uses"));
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto *confLabel = new QLabel(tr("Confidence ≤"), side);
    confLabel->setBuddy(m_maxConfidence);
    auto *sortLabel = new QLabel(tr("&Sort:"), side);
    sortLabel->setBuddy(m_sort);
    auto *filters = new QGridLayout;
    filters->setContentsMargins(0, 0, 0, 0);
    filters->addWidget(m_misclassified, 0, 0);
    auto *conf = new QHBoxLayout;
    conf->addStretch(1);
    conf->addWidget(confLabel);
    conf->addWidget(m_maxConfidence);
    filters->addLayout(conf, 0, 1);
    filters->addWidget(m_classFilter, 1, 0);
    filters->addWidget(m_verdictFilter, 1, 1);
    auto *sort = new QHBoxLayout;
    sort->addWidget(sortLabel);
    sort->addWidget(m_sort, 1);
    sort->addWidget(m_count);
    auto *lay = new QVBoxLayout(side);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(4);
    lay->addLayout(filters);
    lay->addLayout(sort);
    lay->addWidget(m_gallery, 1);

    connect(m_misclassified, &QCheckBox::toggled, this, &ReviewPanel::applyFilter);
    connect(m_maxConfidence, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            &ReviewPanel::applyFilter);
    connect(m_classFilter, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        if (!m_filling)
            applyFilter();
    });
    connect(m_verdictFilter, qOverload<int>(&QComboBox::currentIndexChanged), this,
            &ReviewPanel::applyFilter);
    connect(m_sort, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        if (!m_model)
            return;
        const qint64 keep = currentImageId();
        m_model->setSort(static_cast<ReviewListModel::Sort>(m_sort->currentData().toInt()));
        selectImage(keep);
    });
    return side;
}

QWidget *ReviewPanel::buildVerdictSide()
{
    auto *side = new QWidget(this);
    side->setMinimumWidth(280);
    m_imageInfo->setWordWrap(true);
    m_imageInfo->setTextFormat(Qt::RichText);
    m_imageInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_imageInfo->setMinimumHeight(m_imageInfo->fontMetrics().height() * 3);
    m_imageInfo->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *verdicts = new QGridLayout;
    verdicts->setSpacing(4);
    auto *group = new QButtonGroup(this);
    group->setExclusive(false); // "clear" unchecks all
    m_verdictButtons.resize(5);
    struct Item {
        Verdict verdict;
        QString key;
        QString tip;
    };
    const Item items[] = {
        {Verdict::Plausible, QStringLiteral("1"), tr("The model looks at the right evidence")},
         {Verdict::Spurious, QStringLiteral("2"), tr("The model looks at the wrong region")},
          {Verdict::Shortcut,
           QStringLiteral("3"),
                          tr("The model relies on an artefact: a ruler, marker, text, border…")},
           {Verdict::Unsure, QStringLiteral("4"), tr("Cannot tell")},
            {Verdict::Unreviewed, QStringLiteral("0"), tr("Remove the verdict")},
           };
    int at = 0;
    for (const Item &item : items) {
        const QString name =
            item.verdict == Verdict::Unreviewed ? tr("Clear") : verdictLabel(int(item.verdict));
        auto *b = new QPushButton(QStringLiteral("%1  %2").arg(item.key, name), side);
        b->setCheckable(item.verdict != Verdict::Unreviewed);
        b->setFocusPolicy(Qt::NoFocus); // the keys stay with the gallery
        b->setToolTip(QStringLiteral("%1 (%2)").arg(item.tip, item.key));
        const QColor c = verdictColour(int(item.verdict));
        if (c.isValid()) {
            QPixmap swatch(10, 10);
            swatch.fill(c);
            b->setIcon(QIcon(swatch));
        }
        group->addButton(b);
        m_verdictButtons[int(item.verdict)] = b;
        verdicts->addWidget(b, at / 3, at % 3);
        ++at;
        const Verdict v = item.verdict;
        connect(b, &QPushButton::clicked, this, [this, v]() { setVerdict(v); });
    }

    m_note->setPlaceholderText(tr("Note (N); Enter saves, Esc reverts"));
    m_note->setClearButtonEnabled(true);
    m_note->installEventFilter(this);
    connect(m_note, &QLineEdit::editingFinished, this, &ReviewPanel::saveNote);
    m_reviewerLabel->setTextFormat(Qt::RichText);
    connect(m_reviewerLabel, &QLabel::linkActivated, this, [this]() {
        const QString old = reviewer(false);
        if (auto name = prompter().text(this, tr("Reviewer"),
                                        tr("Your name, stored with each verdict:"), old)) {
            if (!name->trimmed().isEmpty())
                QSettings().setValue(QStringLiteral("review/reviewer"), name->trimmed());
        }
        reviewer(false); // updates the label
    });
    m_fixLabel->setToolTip(tr("Open this image in the annotate view to correct its label (with "
                              "undo); the gallery follows"));
    m_fixLabel->setFocusPolicy(Qt::NoFocus);
    connect(m_fixLabel, &QPushButton::clicked, this, [this]() {
        if (const qint64 id = currentImageId())
            Q_EMIT fixLabelRequested(id);
    });

    m_summary->setColumnCount(7);
    m_summary->setHorizontalHeaderLabels({tr("Class"), tr("Total"), tr("Plaus."), tr("Spur."),
                                          tr("Short."), tr("Unsure"), tr("Open")});
    m_summary->horizontalHeaderItem(2)->setToolTip(verdictLabel(int(Verdict::Plausible)));
    m_summary->horizontalHeaderItem(3)->setToolTip(verdictLabel(int(Verdict::Spurious)));
    m_summary->horizontalHeaderItem(4)->setToolTip(verdictLabel(int(Verdict::Shortcut)));
    m_summary->horizontalHeaderItem(6)->setToolTip(tr("Not reviewed yet"));
    m_summary->horizontalHeaderItem(1)->setToolTip(tr("Validation and test images of the class"));
    m_summary->verticalHeader()->hide();
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summary->setSelectionMode(QAbstractItemView::NoSelection);
    m_summary->setFocusPolicy(Qt::NoFocus);
    m_summary->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_summary->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_summary->verticalHeader()->setDefaultSectionSize(m_summary->fontMetrics().height() + 6);
    m_summary->setToolTip(tr("Verdicts per class (by truth) for this run"));

    m_advanceCheck = new QCheckBox(tr("Next image after a verdict"), side);
    m_advanceCheck->setFocusPolicy(Qt::NoFocus);
    m_advanceCheck->setChecked(m_advance);
    connect(m_advanceCheck, &QCheckBox::toggled, this, &ReviewPanel::setAdvanceAfterVerdict);
    auto *reviewerRow = new QHBoxLayout;
    reviewerRow->addWidget(m_reviewerLabel, 1);
    reviewerRow->addWidget(m_fixLabel);
    auto *summaryTitle = new QLabel(tr("<b>Verdicts per class</b>"), side);
    auto *lay = new QVBoxLayout(side);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->setSpacing(4);
    lay->addWidget(m_imageInfo);
    lay->addLayout(verdicts);
    lay->addWidget(m_advanceCheck);
    lay->addWidget(m_note);
    lay->addLayout(reviewerRow);
    lay->addSpacing(4);
    lay->addWidget(summaryTitle);
    lay->addWidget(m_summary, 1);
    return side;
}

} // namespace salient
