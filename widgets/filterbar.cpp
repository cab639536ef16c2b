// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/filterbar.h"
#include "widgets/icons.h"

#include "core/project/store.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPixmap>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace salient {


FilterBar::FilterBar(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    auto *lay = new QHBoxLayout;
    outer->addLayout(lay);
    lay->setContentsMargins(8, 6, 8, 6);
    lay->setSpacing(8);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search by path…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(180);
    m_class = new QComboBox(this);
    m_class->setMinimumContentsLength(10);
    m_class->setToolTip(tr("Show images carrying this class"));
    m_split = new QComboBox(this);
    m_split->setToolTip(tr("Show images in this split"));
    m_status = new QComboBox(this);
    m_status->setToolTip(tr("Show images with this status"));
    m_status->addItem(tr("Any status"), -1);
    m_status->addItem(tr("New"), int(ImageStatus::New));
    m_status->addItem(tr("In progress"), int(ImageStatus::InProgress));
    m_status->addItem(tr("Done"), int(ImageStatus::Done));
    m_status->addItem(tr("Needs review"), int(ImageStatus::NeedsReview));
    m_unlabelled = new QCheckBox(tr("Unlabelled only"), this);
    m_unreadable = new QCheckBox(tr("Unreadable only"), this);

    lay->addWidget(m_search, 2);
    auto addLabelled = [&](const QString &text, QWidget *w) {
        auto *l = new QLabel(text, this);
        l->setBuddy(w);
        lay->addWidget(l);
        lay->addWidget(w);
    };
    addLabelled(tr("&Class:"), m_class);
    addLabelled(tr("S&plit:"), m_split);
    addLabelled(tr("S&tatus:"), m_status);
    lay->addWidget(m_unlabelled);
    lay->addWidget(m_unreadable);
    lay->addStretch(1);

    // The chip: an explicit image set is easy to forget, so it stays in view.
    // The whole row hides with it (no empty margin under the bar).
    m_chip = new QWidget(this);
    m_chip->setObjectName(QStringLiteral("imageIdChipRow"));
    auto *frame = new QFrame(m_chip);
    frame->setObjectName(QStringLiteral("imageIdChip"));
    frame->setStyleSheet(QStringLiteral(
        "#imageIdChip { background: palette(highlight); border-radius: 4px; }"
        "#imageIdChip QLabel, #imageIdChip QToolButton { color: palette(highlighted-text); }"));
    auto *chipLay = new QHBoxLayout(frame);
    chipLay->setContentsMargins(8, 2, 4, 2);
    m_chipLabel = new QLabel(frame);
    m_chipClear = new QToolButton(frame);
    m_chipClear->setText(tr("Clear"));
    m_chipClear->setAutoRaise(true);
    m_chipClear->setToolTip(tr("Show all images again"));
    chipLay->addWidget(m_chipLabel, 1);
    chipLay->addWidget(m_chipClear);
    auto *chipRow = new QHBoxLayout(m_chip);
    chipRow->setContentsMargins(8, 0, 8, 6);
    chipRow->addWidget(frame);
    chipRow->addStretch(1);
    outer->addWidget(m_chip);
    m_chip->hide();
    connect(m_chipClear, &QToolButton::clicked, this, &FilterBar::clearImageIdFilter);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kSearchDelayMs);
    connect(m_debounce, &QTimer::timeout, this, &FilterBar::emitChanged);
    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    for (QComboBox *c : {m_class, m_split, m_status})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, &FilterBar::emitChanged);
    for (QCheckBox *c : {m_unlabelled, m_unreadable})
        connect(c, &QCheckBox::toggled, this, &FilterBar::emitChanged);
    reloadChoices();
}

void FilterBar::setStore(ProjectStore *store)
{
    m_store = store;
    clear();
    reloadChoices();
}

void FilterBar::reloadChoices()
{
    m_filling = true;
    const QVariant classWas = m_class->currentData();
    const QVariant splitWas = m_split->currentData();
    m_class->clear();
    m_class->addItem(tr("Any class"), QVariant());
    m_split->clear();
    m_split->addItem(tr("Any split"), QVariant());
    m_split->addItem(tr("No split"), qint64(0));
    if (m_store) {
        if (auto classes = m_store->classes())
            for (const ClassRecord &c : *classes)
                m_class->addItem(colorSwatch(c.color), c.name, c.id);
        if (auto splits = m_store->splits())
            for (const SplitRecord &s : *splits)
                m_split->addItem(s.name, s.id);
    }
    const int ci = classWas.isValid() ? m_class->findData(classWas) : 0;
    const int si = splitWas.isValid() ? m_split->findData(splitWas) : 0;
    m_class->setCurrentIndex(qMax(0, ci));
    m_split->setCurrentIndex(qMax(0, si));
    m_filling = false;
    // A chosen class that was deleted falls back to "any": tell the grid.
    if ((classWas.isValid() && ci < 0) || (splitWas.isValid() && si < 0))
        emitChanged();
}

ImageFilter FilterBar::filter() const
{
    ImageFilter f;
    if (m_class->currentData().isValid())
        f.classIds = {m_class->currentData().toLongLong()};
    if (m_split->currentData().isValid())
        f.splitId = m_split->currentData().toLongLong();
    if (m_status->currentData().toInt() >= 0)
        f.status = static_cast<ImageStatus>(m_status->currentData().toInt());
    f.unlabelledOnly = m_unlabelled->isChecked();
    f.unreadableOnly = m_unreadable->isChecked();
    f.pathContains = m_search->text().trimmed();
    f.imageIds = m_imageIds;
    return f;
}

void FilterBar::setClassFilter(qint64 classId)
{
    const int i = classId > 0 ? m_class->findData(classId) : 0;
    m_class->setCurrentIndex(qMax(0, i));
}

void FilterBar::setClassAndSplitFilter(qint64 classId, qint64 splitId)
{
    const int si = m_split->findData(splitId);
    m_split->setCurrentIndex(qMax(0, si));
    setClassFilter(classId);
}

void FilterBar::setImageIdFilter(const QVector<qint64> &ids, const QString &origin)
{
    clear();
    m_imageIds = ids;
    m_chipLabel->setText(ids.size() == 1
                             ? tr("Showing 1 image from %1").arg(origin)
                             : tr("Showing %1 images from %2").arg(QLocale().toString(ids.size()), origin));
    m_chip->setVisible(!ids.isEmpty());
    emitChanged();
}

void FilterBar::clearImageIdFilter()
{
    if (m_imageIds.isEmpty())
        return;
    m_imageIds.clear();
    m_chip->hide();
    emitChanged();
}

void FilterBar::clear()
{
    m_filling = true;
    m_imageIds.clear();
    m_chip->hide();
    m_search->clear();
    m_class->setCurrentIndex(0);
    m_split->setCurrentIndex(0);
    m_status->setCurrentIndex(0);
    m_unlabelled->setChecked(false);
    m_unreadable->setChecked(false);
    m_debounce->stop();
    m_filling = false;
}

void FilterBar::emitChanged()
{
    if (m_filling)
        return;
    m_debounce->stop();
    Q_EMIT filterChanged(filter());
}

} // namespace salient
