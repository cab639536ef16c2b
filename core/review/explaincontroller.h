// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The seam between the review widgets (no LibTorch) and the explainer
// (salient_train): an abstract controller that explains images of a run off
// the GUI thread. The app hands the review panel an ExplainWorker; tests may
// hand it a fake.

#include "core/review/explanation.h"
#include "core/runs/runstore.h"
#include "core/util/result.h"

#include <QObject>
#include <QString>

namespace salient::review {

class ExplainController : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~ExplainController() override = default;

    virtual bool isBusy() const = 0;

public Q_SLOTS:
    /// Loads the best checkpoint of a run from `projectFile` (its own
    /// connection); ready() or failed() follows. Drops the previous model.
    virtual void open(const QString &projectFile, qint64 runId) = 0;
    /// Explains one image of the project with the open model; explained()
    /// follows. A newer request replaces one not yet started (a reviewer who
    /// flicks through images gets the last one, not a queue).
    virtual void explain(qint64 imageId, const salient::review::ExplainRequest &request) = 0;
    /// Explains every image the run had in `role` and stores each with
    /// ReviewStore::saveExplanations as it goes (what is done survives a
    /// cancel); batchProgress() at most ~10 times a second, then batchFinished().
    virtual void explainRole(salient::train::RunRole role,
                             const salient::review::ExplainRequest &request) = 0;
    /// Stops a batch between images.
    virtual void cancel() = 0;

Q_SIGNALS:
    void ready(const salient::review::ModelInfo &info);
    void explained(const salient::review::Explanation &explanation);
    void batchProgress(int done, int total);
    void batchFinished(int stored, bool cancelled);
    void failed(const salient::Error &error);
};

} // namespace salient::review

Q_DECLARE_METATYPE(salient::train::RunRole)
