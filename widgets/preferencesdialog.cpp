// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/preferencesdialog.h"

#include "core/imaging/pixellimit.h"
#include "core/imaging/probe.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace salient {

const char *const PreferencesDialog::kMaxMegapixelsKey = "imaging/maxMegapixels";

namespace {

constexpr int kDefaultMegapixels = int(kDefaultMaxPixels / 1000000);

int storedMegapixels()
{
    const QVariant v = QSettings().value(QLatin1String(PreferencesDialog::kMaxMegapixelsKey));
    bool ok = false;
    const int mp = v.toInt(&ok);
    return ok ? std::clamp(mp, kMinMegapixels, kMaxMegapixels) : kDefaultMegapixels;
}

} // namespace

PreferencesDialog::PreferencesDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));

    m_maxMegapixels = new QSpinBox(this);
    m_maxMegapixels->setObjectName(QStringLiteral("maxMegapixels"));
    m_maxMegapixels->setRange(kMinMegapixels, kMaxMegapixels);
    m_maxMegapixels->setSuffix(tr(" MP"));
    // The value in force: the stored one, applied at start, or one set since.
    m_maxMegapixels->setValue(
        std::clamp(int(pixelLimit() / 1000000), kMinMegapixels, kMaxMegapixels));

    auto *form = new QFormLayout;
    form->addRow(tr("Largest image (megapixels):"), m_maxMegapixels);
    auto *why = new QLabel(
        tr("Larger images are refused before they are decoded, so that a damaged or hostile "
           "file cannot use up the memory. A colour image needs about 3 MB per megapixel."),
        this);
    why->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { m_maxMegapixels->setValue(kDefaultMegapixels); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(why);
    layout->addStretch();
    layout->addWidget(buttons);
}

void PreferencesDialog::applyStored()
{
    setPixelLimit(qint64(storedMegapixels()) * 1000000);
}

void PreferencesDialog::accept()
{
    m_maxMegapixels->interpretText(); // a value typed but not yet committed counts
    const int mp = m_maxMegapixels->value();
    QSettings().setValue(QLatin1String(kMaxMegapixelsKey), mp);
    setPixelLimit(qint64(mp) * 1000000);
    QDialog::accept();
}

} // namespace salient
