// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/imaging/importer.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

namespace salient {

/// Runs an import off the GUI thread with its own store connection (opened
/// in the worker, so it belongs to that thread). Progress arrives as queued
/// signals; cancel() sets the flag the Importer checks between batches.
class ImportRunner : public QObject {
    Q_OBJECT
public:
    explicit ImportRunner(QObject *parent = nullptr);
    ~ImportRunner() override; ///< cancels and waits: the worker never outlives us

    /// Starts importing into the project file; false if one is already running.
    bool start(const QString &projectFile, const ImportOptions &options);
    bool isRunning() const { return m_watcher.isRunning(); }
    void cancel() { m_cancel->store(true); }
    void waitForFinished() { m_watcher.waitForFinished(); }

Q_SIGNALS:
    void progress(int done, int total, const QString &current);
    /// Report on success (also a cancelled import that kept what it committed).
    void finished(const salient::ImportReport &report, bool cancelled);
    void failed(const salient::Error &error);

private:
    struct Outcome {
        std::optional<ImportReport> report;
        std::optional<Error> error;
    };
    void onFinished();

    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

/// The report after an import: counts, then the unreadable files with their
/// reasons and the duplicates, in two tables that can be copied.
class ImportReportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportReportDialog(const ImportReport &report, bool cancelled,
                                QWidget *parent = nullptr);
    /// The summary line shown at the top ("Added 12 images …").
    static QString summary(const ImportReport &report, bool cancelled);
};

} // namespace salient
