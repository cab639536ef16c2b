// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A TrainingController that records what the panel asks and emits what the
// test tells it to: the training UI without an engine.

#include "core/runs/trainingcontroller.h"

namespace salient::test {

class FakeController : public train::TrainingController {
    Q_OBJECT
public:
    using TrainingController::TrainingController;

    bool isRunning() const override { return running; }
    bool isPaused() const override { return paused; }

    void start(const QString &projectFile, const salient::train::TrainConfig &config,
               const QString &runName) override
    {
        ++starts;
        lastProject = projectFile;
        lastConfig = config;
        lastName = runName;
        running = true;
    }
    void resume(const QString &projectFile, qint64 runId) override
    {
        lastProject = projectFile;
        resumedRun = runId;
        running = true;
    }
    void pause() override { ++pauses; paused = true; }
    void unpause() override { ++unpauses; paused = false; }
    void cancel() override
    {
        ++cancels;
        if (finishOnCancel) {
            running = false;
            train::TrainOutcome o;
            o.runId = runId;
            o.state = train::RunState::Cancelled;
            Q_EMIT finished(o);
        }
    }

    // Driving the UI as the engine would.
    void emitStarted(qint64 id)
    {
        runId = id;
        running = true;
        Q_EMIT started(id);
    }
    void emitFinished(train::RunState state = train::RunState::Finished)
    {
        running = false;
        paused = false;
        train::TrainOutcome o;
        o.runId = runId;
        o.state = state;
        o.epochsDone = 2;
        Q_EMIT finished(o);
    }

    int starts = 0;
    int pauses = 0;
    int unpauses = 0;
    int cancels = 0;
    bool running = false;
    bool paused = false;
    bool finishOnCancel = false;
    qint64 runId = 0;
    qint64 resumedRun = 0;
    QString lastProject;
    QString lastName;
    train::TrainConfig lastConfig;
};

} // namespace salient::test
