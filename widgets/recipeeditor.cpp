// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/recipeeditor.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace salient {

namespace {

const TransformType kAllTypes[] = {
    TransformType::Rotate,       TransformType::RandomResizedCrop, TransformType::Resize,
    TransformType::ColorJitter,  TransformType::HorizontalFlip,    TransformType::VerticalFlip,
    TransformType::Affine,       TransformType::GaussianBlur,      TransformType::GaussianNoise,
    TransformType::RandomErasing, TransformType::Normalize};

QString typeLabel(TransformType t)
{
    switch (t) {
    case TransformType::Rotate: return RecipeEditor::tr("Rotate");
    case TransformType::RandomResizedCrop: return RecipeEditor::tr("Random resized crop");
    case TransformType::Resize: return RecipeEditor::tr("Resize");
    case TransformType::ColorJitter: return RecipeEditor::tr("Colour jitter");
    case TransformType::HorizontalFlip: return RecipeEditor::tr("Horizontal flip");
    case TransformType::VerticalFlip: return RecipeEditor::tr("Vertical flip");
    case TransformType::Affine: return RecipeEditor::tr("Affine (translate, scale, shear)");
    case TransformType::GaussianBlur: return RecipeEditor::tr("Gaussian blur");
    case TransformType::GaussianNoise: return RecipeEditor::tr("Gaussian noise");
    case TransformType::RandomErasing: return RecipeEditor::tr("Random erasing (cutout)");
    case TransformType::Normalize: return RecipeEditor::tr("Normalise (training only)");
    }
    return {};
}

int decimalsFor(double step)
{
    return step >= 1 ? 0 : std::max(0, int(std::ceil(-std::log10(step))));
}

} // namespace

RecipeEditor::RecipeEditor(QWidget *parent)
    : QWidget(parent),
      m_domainBox(new QComboBox(this)),
      m_warnings(new QLabel(this)),
      m_steps(new QVBoxLayout),
      m_addBox(new QComboBox(this))
{
    m_domainBox->addItem(tr("Natural photos"), int(ImageDomain::Natural));
    m_domainBox->addItem(tr("Medical images"), int(ImageDomain::Medical));
    m_domainBox->addItem(tr("Documents and text"), int(ImageDomain::Documents));
    m_domainBox->addItem(tr("Aerial and satellite"), int(ImageDomain::Aerial));
    connect(m_domainBox, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        m_domain = ImageDomain(m_domainBox->currentData().toInt());
        updateWarnings();
        Q_EMIT domainChanged(m_domain);
    });
    m_warnings->setWordWrap(true);
    m_warnings->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_warnings->hide();

    m_addBox->addItem(tr("Add a transform…"));
    for (TransformType t : kAllTypes)
        m_addBox->addItem(typeLabel(t), int(t));
    connect(m_addBox, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        if (index <= 0)
            return;
        TransformSpec t;
        t.type = TransformType(m_addBox->itemData(index).toInt());
        m_recipe.transforms.push_back(t);
        m_addBox->setCurrentIndex(0);
        rebuild();
        changed();
    });

    auto *inner = new QWidget;
    auto *innerLayout = new QVBoxLayout(inner);
    innerLayout->setContentsMargins(0, 0, 0, 0);
    innerLayout->addLayout(m_steps);
    innerLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *domainRow = new QFormLayout;
    domainRow->addRow(tr("Images are:"), m_domainBox);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(domainRow);
    layout->addWidget(m_warnings);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_addBox);
}

void RecipeEditor::setRecipe(const AugmentRecipe &recipe)
{
    m_recipe = recipe;
    rebuild();
    updateWarnings();
}

void RecipeEditor::setDomain(ImageDomain domain)
{
    const int i = m_domainBox->findData(int(domain));
    if (i >= 0)
        m_domainBox->setCurrentIndex(i);
}

void RecipeEditor::changed()
{
    updateWarnings();
    Q_EMIT recipeChanged(m_recipe);
}

void RecipeEditor::updateWarnings()
{
    const QStringList w = warnings();
    m_warnings->setVisible(!w.isEmpty());
    m_warnings->setText(w.isEmpty() ? QString()
                                    : QStringLiteral("⚠ ") + w.join(QStringLiteral("\n⚠ ")));
}

void RecipeEditor::rebuild()
{
    while (QLayoutItem *item = m_steps->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (int i = 0; i < m_recipe.transforms.size(); ++i) {
        const TransformSpec &spec = m_recipe.transforms[i];
        auto *box = new QGroupBox(typeLabel(spec.type));
        box->setCheckable(true); // the per-transform on/off switch
        box->setChecked(spec.enabled);
        box->setObjectName(transformName(spec.type));
        connect(box, &QGroupBox::toggled, this, [this, i](bool on) {
            m_recipe.transforms[i].enabled = on;
            changed();
        });
        auto *form = new QFormLayout(box);
        auto *probability = new QDoubleSpinBox;
        probability->setRange(0, 1);
        probability->setSingleStep(0.05);
        probability->setDecimals(2);
        probability->setValue(spec.probability);
        probability->setObjectName(QStringLiteral("p"));
        connect(probability, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
                [this, i](double v) {
                    m_recipe.transforms[i].probability = v;
                    changed();
                });
        auto *remove = new QToolButton;
        remove->setText(tr("Remove"));
        remove->setAutoRaise(true);
        connect(remove, &QToolButton::clicked, this, [this, i] {
            m_recipe.transforms.removeAt(i);
            // Rebuild after the click finishes: this button is deleted by it.
            QMetaObject::invokeMethod(this, [this] { rebuild(); changed(); }, Qt::QueuedConnection);
        });
        auto *top = new QHBoxLayout;
        top->addWidget(probability);
        top->addStretch(1);
        top->addWidget(remove);
        form->addRow(tr("Probability"), top);
        for (const TransformParam &p : transformParams(spec.type)) {
            auto *spin = new QDoubleSpinBox;
            spin->setRange(p.minimum, p.maximum);
            spin->setSingleStep(p.step);
            spin->setDecimals(decimalsFor(p.step));
            spin->setValue(spec.param(p.key));
            spin->setObjectName(p.key);
            connect(spin, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
                    [this, i, key = p.key](double v) {
                        m_recipe.transforms[i].params.insert(key, v);
                        changed();
                    });
            form->addRow(QCoreApplication::translate("TransformParam", p.label.toUtf8().constData()), spin);
        }
        m_steps->addWidget(box);
    }
}

} // namespace salient
