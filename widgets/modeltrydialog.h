// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/runs/exportcontroller.h"

#include <QDialog>
#include <QPointer>

class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace salient {

/// Model > Try a Model File…: open an exported model (.onnx or a LibTorch
/// export), see what it says about itself (architecture, classes, input
/// size, the runtime that runs it), then run it on chosen images or the
/// image open in the studio and see the k most probable classes of each,
/// or why an image failed. Everything runs in an ExportController off the
/// GUI thread; the dialog knows no LibTorch.
class ModelTryDialog : public QDialog {
    Q_OBJECT
public:
    explicit ModelTryDialog(QWidget *parent = nullptr);
    ~ModelTryDialog() override; ///< cancels work still going

    /// Not owned; may be null (nothing can be opened).
    void setController(salient::ExportController *controller);
    /// The image open in the studio (empty: none), for "Use Current Image".
    void setCurrentImage(const QString &path);
    /// Opens a model file: its meta shows once the controller has read it.
    void openModel(const QString &file);
    void addImages(const QStringList &paths);
    void clearImages();
    QStringList images() const { return m_images; }
    /// Runs the open model on the images (nothing when busy or not ready).
    void predict();
    bool isBusy() const { return m_job != Job::None; }
    /// Whether a model file is open and read.
    bool hasModel() const { return m_modelOk; }
    const ModelMeta &meta() const { return m_meta; }

    // For tests: the controls, by what they do.
    QLineEdit *modelEdit() const { return m_modelEdit; }
    QPushButton *browseButton() const { return m_browse; }
    /// "architecture", "classes", "input", "runtime", "format", "normalisation",
    /// "features", "trained", "exported".
    QLabel *metaValue(const QString &key) const { return m_metaValues.value(key, nullptr); }
    QListWidget *imageList() const { return m_imageList; }
    QPushButton *addImagesButton() const { return m_addImages; }
    QPushButton *currentImageButton() const { return m_useCurrent; }
    QPushButton *clearButton() const { return m_clear; }
    QSpinBox *topKSpin() const { return m_topK; }
    QPushButton *predictButton() const { return m_predict; }
    QPushButton *stopButton() const { return m_stop; }
    QTreeWidget *resultsTree() const { return m_results; }
    QLabel *errorLabel() const { return m_error; }
    QLabel *stageLabel() const { return m_stage; }
    QProgressBar *progressBar() const { return m_progress; }

public Q_SLOTS:
    /// Esc / Close: while busy it stops the work first and closes after.
    void reject() override;

private:
    enum class Job { None, Open, Predict };

    QWidget *buildModelSide();
    QWidget *buildImageSide();
    void browseModel();
    void browseImages();
    void updateButtons();
    void setJob(Job job);
    void showMeta();
    void showPredictions(const QVector<salient::FilePrediction> &predictions);
    void onModelOpened(const salient::ModelMeta &meta, const QString &runtime);
    void onPredicted(const QVector<salient::FilePrediction> &predictions);
    void onProgress(const QString &stage, int done, int total);
    void onFailed(const salient::Error &error);
    void showError(const QString &text);

    QPointer<ExportController> m_controller;
    Job m_job = Job::None;
    bool m_stopping = false;
    bool m_modelOk = false;
    QString m_modelFile; ///< the file asked for last
    ModelMeta m_meta;
    QString m_runtime;
    QString m_currentImage;
    QStringList m_images;
    bool m_closeWhenIdle = false;

    QLineEdit *m_modelEdit;
    QPushButton *m_browse;
    QHash<QString, QLabel *> m_metaValues;
    QListWidget *m_imageList;
    QPushButton *m_addImages;
    QPushButton *m_useCurrent;
    QPushButton *m_clear;
    QSpinBox *m_topK;
    QPushButton *m_predict;
    QPushButton *m_stop;
    QTreeWidget *m_results;
    QLabel *m_error;
    QLabel *m_stage;
    QProgressBar *m_progress;
};

} // namespace salient
