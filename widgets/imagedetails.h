// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/project/types.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace salient {

/// The details dock: a preview and the facts of the current image (file,
/// size as displayed, format, status, split, labels, and why it is unreadable).
class ImageDetails : public QWidget {
    Q_OBJECT
public:
    explicit ImageDetails(QWidget *parent = nullptr);

    void showRecord(const ImageRecord &record, const QStringList &labels, const QString &split,
                    const QImage &preview);
    void clear();

private:
    QLabel *m_preview;
    QLabel *m_file;
    QLabel *m_folder;
    QLabel *m_size;
    QLabel *m_format;
    QLabel *m_status;
    QLabel *m_split;
    QLabel *m_labels;
    QLabel *m_reason;
};

/// What an empty window shows: New, Open, Import and the recent projects.
class StartPage : public QWidget {
    Q_OBJECT
public:
    explicit StartPage(QWidget *parent = nullptr);
    void setRecent(const QStringList &files);

Q_SIGNALS:
    void newRequested();
    void openRequested();
    void importRequested();
    void recentRequested(const QString &file);

private:
    QWidget *m_recentBox;
    QLayout *m_recentLayout;
};

} // namespace salient
