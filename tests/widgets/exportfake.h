// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The export and try-a-model dialogs without an engine: an ExportController
// that records what the dialogs ask and answers when the test says so.

#include "core/runs/exportcontroller.h"

namespace salient::test {

class FakeExportController : public ExportController {
    Q_OBJECT
public:
    using ExportController::ExportController;

    struct Predict {
        QString modelFile;
        QStringList images;
        int topK = 0;
    };

    bool isBusy() const override { return busy; }
    void startExport(const ExportRequest &request) override
    {
        requests << request;
        busy = true;
    }
    void predict(const QString &modelFile, const QStringList &images, int topK) override
    {
        predicts << Predict{modelFile, images, topK};
        busy = true;
    }
    void cancel() override { ++cancels; }

    void emitProgress(const QString &stage, int done, int total)
    {
        Q_EMIT progress(stage, done, total);
    }
    void emitExported(const ExportReport &report)
    {
        busy = false;
        Q_EMIT exported(report);
    }
    void emitFailed(Error::Code code, const QString &message, const QString &path = {})
    {
        busy = false;
        Q_EMIT failed(makeError(code, message, path));
    }
    void emitOpened(const ModelMeta &meta, const QString &runtime)
    {
        Q_EMIT modelOpened(meta, runtime);
    }
    void emitPredicted(const QVector<FilePrediction> &predictions)
    {
        busy = false;
        Q_EMIT predicted(predictions);
    }

    QVector<ExportRequest> requests;
    QVector<Predict> predicts;
    int cancels = 0;
    bool busy = false;
};

} // namespace salient::test
