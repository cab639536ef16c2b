// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/augment.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QVBoxLayout;

namespace salient {

/// Edits an augmentation recipe: one box per transform with an on/off switch,
/// its probability and every parameter (built from transformParams(), so new
/// transforms need no new UI), plus add and remove. Shows the domain guards'
/// warnings for the chosen image domain. Emits recipeChanged on every edit.
class RecipeEditor : public QWidget {
    Q_OBJECT
public:
    explicit RecipeEditor(QWidget *parent = nullptr);

    void setRecipe(const AugmentRecipe &recipe);
    const AugmentRecipe &recipe() const { return m_recipe; }
    void setDomain(ImageDomain domain);
    ImageDomain domain() const { return m_domain; }
    /// The warnings shown (one line per transform that changes meaning).
    QStringList warnings() const { return m_recipe.domainWarnings(m_domain); }

Q_SIGNALS:
    void recipeChanged(const salient::AugmentRecipe &recipe);
    void domainChanged(salient::ImageDomain domain);

private:
    void rebuild();
    void changed();
    void updateWarnings();

    AugmentRecipe m_recipe;
    ImageDomain m_domain = ImageDomain::Natural;
    QComboBox *m_domainBox;
    QLabel *m_warnings;
    QVBoxLayout *m_steps;
    QComboBox *m_addBox;
};

} // namespace salient
