// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/formats/datasetio.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTableWidget;
class QWidget;

namespace salient {

/// A sortable table of problems (file, line, where, message) with a button
/// that copies every one of them, one "file:line where: message" per line.
class ProblemTable : public QWidget {
    Q_OBJECT
public:
    /// Shows at most kMaxRows rows (a note says so); Copy copies all.
    static constexpr int kMaxRows = 10000;
    explicit ProblemTable(const QVector<FormatProblem> &problems, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }
    /// What Copy puts on the clipboard.
    QString text() const;
    void copyToClipboard() const;

private:
    QVector<FormatProblem> m_problems;
    QTableWidget *m_table = nullptr;
};

/// Lists what is wrong in a dataset and asks whether to skip those items and
/// import the rest, or abort and change nothing. accept() means skip.
class ProblemsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ProblemsDialog(const QVector<FormatProblem> &problems, QWidget *parent = nullptr);
    ProblemTable *problems() const { return m_problems; }
    QPushButton *skipButton() const { return m_skip; }
    QPushButton *abortButton() const { return m_abort; }

private:
    ProblemTable *m_problems = nullptr;
    QPushButton *m_skip = nullptr;
    QPushButton *m_abort = nullptr;
};

/// After an import or export: the counts in a form, then the skipped items
/// and the warnings in tables; "Open Folder" after an export.
class DatasetReportDialog : public QDialog {
    Q_OBJECT
public:
    DatasetReportDialog(const DatasetImportReport &report, QWidget *parent = nullptr);
    DatasetReportDialog(const DatasetExportReport &report, const QString &outDir,
                        QWidget *parent = nullptr);

    /// One line, also for the status bar ("Imported 12 images …").
    static QString summary(const DatasetImportReport &report);
    static QString summary(const DatasetExportReport &report);
    /// The value shown for a count, by the count's object name ("imagesAdded", …).
    QString count(const QString &name) const;

private:
    void build(const QString &title, const QString &summary,
               const QVector<QPair<QString, QPair<QString, qint64>>> &counts, double seconds,
               const QVector<FormatProblem> &skipped, const QVector<FormatProblem> &warnings,
               const QString &outDir);
};

} // namespace salient
