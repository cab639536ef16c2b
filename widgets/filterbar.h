// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace salient {

class ProjectStore;

/// The row above the grid: class, split, status, "unlabelled only",
/// "unreadable only" and a path search (debounced), and below them, while
/// set, a chip for an explicit image set (a confusion-matrix cell). Emits filterChanged()
/// with the complete ImageFilter whenever any of them changes.
class FilterBar : public QWidget {
    Q_OBJECT
public:
    explicit FilterBar(QWidget *parent = nullptr);

    /// Fills the class and split combos from the store (keeps the choices made).
    void setStore(ProjectStore *store);
    void reloadChoices();
    ImageFilter filter() const;
    /// Shows only images with that class (0: any class).
    void setClassFilter(qint64 classId);
    /// Shows one class in one split (0: images in no split), as the balance chart asks.
    void setClassAndSplitFilter(qint64 classId, qint64 splitId);
    /// Shows exactly these images (the other choices are reset) with a chip
    /// saying where they come from and a button that clears it.
    /// `origin` completes "Showing N images from …".
    void setImageIdFilter(const QVector<qint64> &ids, const QString &origin);
    void clearImageIdFilter();
    void clear();

    QLineEdit *searchEdit() const { return m_search; }
    QCheckBox *unlabelledCheck() const { return m_unlabelled; }
    QCheckBox *unreadableCheck() const { return m_unreadable; }
    QComboBox *classCombo() const { return m_class; }
    QWidget *imageIdChip() const { return m_chip; }
    QLabel *imageIdChipLabel() const { return m_chipLabel; }
    QToolButton *imageIdClearButton() const { return m_chipClear; }
    static constexpr int kSearchDelayMs = 200;

Q_SIGNALS:
    void filterChanged(const salient::ImageFilter &filter);

private:
    void emitChanged();

    ProjectStore *m_store = nullptr;
    QComboBox *m_class;
    QComboBox *m_split;
    QComboBox *m_status;
    QCheckBox *m_unlabelled;
    QCheckBox *m_unreadable;
    QLineEdit *m_search;
    QTimer *m_debounce;
    QWidget *m_chip;
    QLabel *m_chipLabel;
    QToolButton *m_chipClear;
    QVector<qint64> m_imageIds;
    bool m_filling = false;
};

} // namespace salient
