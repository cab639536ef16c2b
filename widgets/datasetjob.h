// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/formats/datasetio.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace salient {

/// Runs a dataset import or export off the GUI thread, with a store
/// connection made in the worker (a connection belongs to one thread).
///
/// Everything the worker reports reaches the GUI thread as signals emitted
/// there. When the import finds problems, the worker waits for
/// answerProblems(): it waits on a condition that also wakes on cancel, never
/// on a blocking queued call, so a GUI thread that cancels and waits for the
/// worker (closing the dialog, quitting) cannot deadlock with it.
class DatasetJob : public QObject {
    Q_OBJECT
public:
    /// The pipeline functions; tests may pass fakes (defaults: importDataset, exportDataset).
    using ImportFn = std::function<Result<DatasetImportReport>(
        ProjectStore &, const DatasetImportOptions &, const ProblemDecision &,
        const DatasetProgressFn &, const std::atomic_bool *)>;
    using ExportFn = std::function<Result<DatasetExportReport>(
        ProjectStore &, const DatasetExportOptions &, const DatasetProgressFn &,
        const std::atomic_bool *)>;

    explicit DatasetJob(QObject *parent = nullptr);
    ~DatasetJob() override; ///< cancels and waits: the worker never outlives us

    /// Starts a job on the project file; false when one is already running.
    bool startImport(const QString &projectFile, const DatasetImportOptions &options,
                     ImportFn run = {});
    bool startExport(const QString &projectFile, const DatasetExportOptions &options,
                     ExportFn run = {});
    bool isRunning() const { return m_watcher.isRunning(); }
    void cancel();
    bool isCancelling() const { return m_cancel->load(); }
    void waitForFinished() { m_watcher.waitForFinished(); }

    /// The person's answer to problemsFound(): true skips those items, false aborts.
    void answerProblems(bool skip);

Q_SIGNALS:
    void progress(const QString &stage, qint64 done, qint64 total);
    /// The import found problems; the worker waits for answerProblems().
    void problemsFound(const QVector<salient::FormatProblem> &problems);
    void importFinished(const salient::DatasetImportReport &report);
    void exportFinished(const salient::DatasetExportReport &report);
    /// Also for a cancelled job (code Cancelled): nothing was changed.
    void failed(const salient::Error &error);

private:
    struct Shared;
    struct Outcome {
        std::optional<DatasetImportReport> imported;
        std::optional<DatasetExportReport> exported;
        std::optional<Error> error;
    };
    void onFinished();
    DatasetProgressFn progressForwarder();

    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::shared_ptr<Shared> m_shared;
};

/// The pipeline's English stage name ("Reading", ...) in the user's language.
QString datasetStageText(const QString &stage);

} // namespace salient
