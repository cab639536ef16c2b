// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QSpinBox;

namespace salient {

/// Edit > Preferences…: settings of the studio that are not about one
/// project, kept in QSettings. For now the largest image the studio decodes
/// (core's pixelLimit()), which guards against decompression bombs.
class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    /// QSettings key of the largest image, in whole megapixels.
    static const char *const kMaxMegapixelsKey;

    explicit PreferencesDialog(QWidget *parent = nullptr);

    /// Reads the stored preferences and applies them to this process; the
    /// studio calls it once at start. Values out of range are clamped.
    static void applyStored();

    /// Stores the values shown and applies them at once.
    void accept() override;

private:
    QSpinBox *m_maxMegapixels;
};

} // namespace salient
