// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// ExportController on its own thread (salient_train; no torch types).

#include "core/runs/exportcontroller.h"

#include <memory>

namespace salient::train {

class ExportWorker : public ExportController {
    Q_OBJECT
public:
    explicit ExportWorker(QObject *parent = nullptr);
    ~ExportWorker() override; ///< cancels and joins
    bool isBusy() const override;

public Q_SLOTS:
    void startExport(const salient::ExportRequest &request) override;
    void predict(const QString &modelFile, const QStringList &images, int topK) override;
    void cancel() override;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace salient::train
