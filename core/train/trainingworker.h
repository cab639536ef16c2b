// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// TrainingController backed by the engine on its own QThread. Torch-free header.

#include "core/runs/trainingcontroller.h"
#include "core/train/trainer.h"

#include <QThread>

#include <atomic>
#include <memory>

namespace salient::train {

class TrainingWorker : public TrainingController {
    Q_OBJECT
public:
    explicit TrainingWorker(QObject *parent = nullptr);
    /// Cancels a running run and waits for its thread (the run is checkpointed).
    ~TrainingWorker() override;

    bool isRunning() const override;
    bool isPaused() const override;
    /// Blocks until the current run has ended (tests, application exit).
    bool wait(unsigned long ms = ULONG_MAX);

public Q_SLOTS:
    void start(const QString &projectFile, const salient::train::TrainConfig &config,
               const QString &runName) override;
    void resume(const QString &projectFile, qint64 runId) override;
    void pause() override;
    void unpause() override;
    void cancel() override;

private:
    void launch(const TrainRequest &request);

    std::atomic<int> m_control{0};
    QThread *m_thread = nullptr; ///< owned; deleted when the next run starts or in the destructor
};

} // namespace salient::train
