// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The seam between the export / try-a-model widgets (no LibTorch) and
// salient_train: an abstract controller that exports a run and runs a model
// file on images off the GUI thread. The app hands the dialogs an
// ExportWorker (core/train/exportworker.h); tests hand them a fake.

#include "core/runs/modelexport.h"
#include "core/util/result.h"

#include <QObject>
#include <QStringList>
#include <QVector>

namespace salient {

/// One image's answer from a model file (what the try-a-model dialog shows).
struct FilePrediction {
    QString path;
    QVector<int> topClasses;        ///< most probable first
    QVector<double> topProbabilities;
    QString error;                  ///< non-empty when the image failed
};

class ExportController : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~ExportController() override = default;
    virtual bool isBusy() const = 0;

public Q_SLOTS:
    /// Starts an export; progress() then exported() or failed().
    virtual void startExport(const salient::ExportRequest &request) = 0;
    /// Opens a model file and predicts `images`; modelOpened() then predicted() or failed().
    virtual void predict(const QString &modelFile, const QStringList &images, int topK) = 0;
    virtual void cancel() = 0;

Q_SIGNALS:
    void progress(const QString &stage, int done, int total);
    void exported(const salient::ExportReport &report);
    void modelOpened(const salient::ModelMeta &meta, const QString &runtime);
    void predicted(const QVector<salient::FilePrediction> &predictions);
    void failed(const salient::Error &error);
};

} // namespace salient

Q_DECLARE_METATYPE(salient::ModelMeta)
Q_DECLARE_METATYPE(salient::FilePrediction)
