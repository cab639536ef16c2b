// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The ExplainController the app hands the review panel: an Explainer on its
// own QThread (Grad-mode and thread count are thread-local, so they are set
// there). Torch-free header.

#include "core/review/explaincontroller.h"

#include <memory>

namespace salient::train {

class ExplainWorker : public review::ExplainController {
    Q_OBJECT
public:
    explicit ExplainWorker(QObject *parent = nullptr, int threads = 0);
    ~ExplainWorker() override; ///< cancels a batch and joins the thread

    bool isBusy() const override;

public Q_SLOTS:
    void open(const QString &projectFile, qint64 runId) override;
    void explain(qint64 imageId, const salient::review::ExplainRequest &request) override;
    void explainRole(salient::train::RunRole role,
                     const salient::review::ExplainRequest &request) override;
    void cancel() override;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace salient::train
