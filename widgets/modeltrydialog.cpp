// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/modeltrydialog.h"

#include "core/imaging/probe.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace salient {

namespace {

constexpr int kMaxClassesListed = 12; // beyond that the label says "… and N more"

QString percent(double fraction)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(100.0 * fraction, 'f', 1));
}

} // namespace

ModelTryDialog::ModelTryDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("modelTryDialog"));
    setWindowTitle(tr("Try a Model File"));

    m_modelEdit = new QLineEdit(this);
    m_modelEdit->setObjectName(QStringLiteral("tryModelFile"));
    m_modelEdit->setPlaceholderText(tr("An .onnx file or a LibTorch export (.pt)"));
    m_browse = new QPushButton(tr("Browse…"), this);
    auto *fileRow = new QHBoxLayout;
    auto *fileLabel = new QLabel(tr("&Model file:"), this);
    fileLabel->setBuddy(m_modelEdit);
    fileRow->addWidget(fileLabel);
    fileRow->addWidget(m_modelEdit, 1);
    fileRow->addWidget(m_browse);

    m_results = new QTreeWidget(this);
    m_results->setObjectName(QStringLiteral("tryResults"));
    m_results->setColumnCount(3);
    m_results->setHeaderLabels({tr("Image"), tr("Class"), tr("Probability")});
    m_results->setRootIsDecorated(true);
    m_results->setUniformRowHeights(true);
    m_results->header()->setStretchLastSection(false);
    m_results->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_results->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_results->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);

    auto *top = new QHBoxLayout;
    top->addWidget(buildModelSide(), 1);
    top->addWidget(buildImageSide(), 1);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("tryError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b3261e;"));
    m_error->hide();
    m_stage = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_stop = new QPushButton(tr("&Cancel"), this);
    auto *close = new QPushButton(tr("Close"), this);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_stage, 1);
    bottom->addWidget(m_progress, 1);
    bottom->addStretch(0); // keeps the buttons their size while no progress shows
    bottom->addWidget(m_stop);
    bottom->addWidget(close);

    auto *lay = new QVBoxLayout(this);
    lay->addLayout(fileRow);
    lay->addLayout(top);
    lay->addWidget(new QLabel(tr("Top classes per image:"), this));
    lay->addWidget(m_results, 1);
    lay->addWidget(m_error);
    lay->addLayout(bottom);

    connect(m_browse, &QPushButton::clicked, this, &ModelTryDialog::browseModel);
    connect(m_modelEdit, &QLineEdit::returnPressed, this,
            [this]() { openModel(m_modelEdit->text().trimmed()); });
    connect(m_stop, &QPushButton::clicked, this, [this]() {
        if (isBusy() && m_controller && !m_stopping) {
            m_stopping = true;
            m_stage->setText(tr("Stopping…"));
            m_controller->cancel();
            updateButtons();
        }
    });
    connect(close, &QPushButton::clicked, this, &ModelTryDialog::reject);
    setJob(Job::None);
    showMeta();
    resize(sizeHint().expandedTo(QSize(820, 600)));
}

ModelTryDialog::~ModelTryDialog()
{
    if (isBusy() && m_controller) {
        disconnect(m_controller, nullptr, this, nullptr);
        m_controller->cancel();
    }
}

QWidget *ModelTryDialog::buildModelSide()
{
    auto *group = new QGroupBox(tr("What the file says about itself"), this);
    auto *form = new QFormLayout(group);
    const QList<QPair<QString, QString>> rows = {
        {QStringLiteral("architecture"), tr("Architecture:")},
         {QStringLiteral("classes"), tr("Classes:")},
          {QStringLiteral("input"), tr("Input:")},
           {QStringLiteral("normalisation"), tr("Normalisation:")},
            {QStringLiteral("runtime"), tr("Runs with:")},
             {QStringLiteral("format"), tr("Format:")},
              {QStringLiteral("features"), tr("Grad-CAM output:")},
               {QStringLiteral("trained"), tr("Trained as:")},
                {QStringLiteral("exported"), tr("Exported:")},
               };
    for (const auto &row : rows) {
        auto *value = new QLabel(group);
        value->setObjectName(QStringLiteral("meta_") + row.first);
        value->setWordWrap(row.first == QLatin1String("classes")
                           || row.first == QLatin1String("exported"));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(row.second, value);
        m_metaValues.insert(row.first, value);
    }
    return group;
}

QWidget *ModelTryDialog::buildImageSide()
{
    auto *group = new QGroupBox(tr("Images"), this);
    m_imageList = new QListWidget(group);
    m_imageList->setObjectName(QStringLiteral("tryImages"));
    m_imageList->setSelectionMode(QAbstractItemView::NoSelection);
    m_addImages = new QPushButton(tr("&Add Images…"), group);
    m_useCurrent = new QPushButton(tr("Use &Current Image"), group);
    m_clear = new QPushButton(tr("C&lear"), group);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addImages);
    buttons->addWidget(m_useCurrent);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    m_topK = new QSpinBox(group);
    m_topK->setRange(1, 20);
    m_topK->setValue(3);
    m_topK->setPrefix(tr("top "));
    m_predict = new QPushButton(tr("&Predict"), group);
    m_predict->setDefault(true);
    auto *run = new QHBoxLayout;
    run->addWidget(new QLabel(tr("Show:"), group));
    run->addWidget(m_topK);
    run->addStretch(1);
    run->addWidget(m_predict);
    auto *lay = new QVBoxLayout(group);
    lay->addWidget(m_imageList, 1);
    lay->addLayout(buttons);
    lay->addLayout(run);

    connect(m_addImages, &QPushButton::clicked, this, &ModelTryDialog::browseImages);
    connect(m_useCurrent, &QPushButton::clicked, this, [this]() { addImages({m_currentImage}); });
    connect(m_clear, &QPushButton::clicked, this, &ModelTryDialog::clearImages);
    connect(m_predict, &QPushButton::clicked, this, &ModelTryDialog::predict);
    return group;
}

void ModelTryDialog::setController(ExportController *controller)
{
    if (m_controller)
        disconnect(m_controller, nullptr, this, nullptr);
    m_controller = controller;
    if (controller) {
        connect(controller, &ExportController::modelOpened, this, &ModelTryDialog::onModelOpened);
        connect(controller, &ExportController::predicted, this, &ModelTryDialog::onPredicted);
        connect(controller, &ExportController::progress, this, &ModelTryDialog::onProgress);
        connect(controller, &ExportController::failed, this, &ModelTryDialog::onFailed);
    }
    updateButtons();
}

void ModelTryDialog::setCurrentImage(const QString &path)
{
    m_currentImage = path;
    m_useCurrent->setToolTip(path.isEmpty() ? tr("No image is open in the studio")
                                            : QDir::toNativeSeparators(path));
    updateButtons();
}

void ModelTryDialog::openModel(const QString &file)
{
    if (file.isEmpty() || !m_controller || isBusy())
        return;
    m_modelFile = file;
    if (m_modelEdit->text().trimmed() != file)
        m_modelEdit->setText(QDir::toNativeSeparators(file));
    m_modelOk = false;
    m_meta = ModelMeta();
    m_runtime.clear();
    m_results->clear();
    m_error->hide();
    showMeta();
    setJob(Job::Open);
    m_stage->setText(tr("Opening %1…").arg(QFileInfo(file).fileName()));
    m_controller->predict(file, {}, m_topK->value());
}

void ModelTryDialog::addImages(const QStringList &paths)
{
    for (const QString &p : paths) {
        if (p.isEmpty() || m_images.contains(p))
            continue;
        m_images << p;
        auto *item = new QListWidgetItem(QFileInfo(p).fileName(), m_imageList);
        item->setToolTip(QDir::toNativeSeparators(p));
    }
    updateButtons();
}

void ModelTryDialog::clearImages()
{
    m_images.clear();
    m_imageList->clear();
    updateButtons();
}

void ModelTryDialog::predict()
{
    if (!m_modelOk || m_images.isEmpty() || isBusy() || !m_controller)
        return;
    m_error->hide();
    setJob(Job::Predict);
    m_stage->setText(m_images.size() == 1 ? tr("Predicting 1 image…")
                                          : tr("Predicting %1 images…").arg(m_images.size()));
    m_controller->predict(m_modelFile, m_images, m_topK->value());
}

void ModelTryDialog::reject()
{
    if (isBusy() && m_controller) {
        m_closeWhenIdle = true; // closes once the worker has let go
        m_stop->click();
        return;
    }
    QDialog::reject();
}

void ModelTryDialog::browseModel()
{
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open Model File"), QFileInfo(m_modelEdit->text()).absolutePath(),
        tr("Exported models (*.onnx *.pt);;All files (*)"));
    if (!file.isEmpty())
        openModel(file);
}

void ModelTryDialog::browseImages()
{
    QStringList patterns;
    for (const QString &s : supportedImageSuffixes())
        patterns << QStringLiteral("*.") + s;
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Choose Images"), QString(),
                                      tr("Images (%1)").arg(patterns.join(QLatin1Char(' '))));
    addImages(files);
}

void ModelTryDialog::updateButtons()
{
    const bool idle = !isBusy();
    const bool ready = m_controller != nullptr;
    m_modelEdit->setEnabled(idle && ready);
    m_browse->setEnabled(idle && ready);
    m_addImages->setEnabled(idle);
    m_useCurrent->setEnabled(idle && !m_currentImage.isEmpty()
                             && !m_images.contains(m_currentImage));
    m_clear->setEnabled(idle && !m_images.isEmpty());
    m_predict->setEnabled(idle && ready && m_modelOk && !m_images.isEmpty());
    m_predict->setToolTip(!m_modelOk           ? tr("Open a model file first")
                          : m_images.isEmpty() ? tr("Add images to predict")
                                               : QString());
    m_stop->setVisible(!idle);
    m_stop->setEnabled(!idle && !m_stopping);
}

void ModelTryDialog::setJob(Job job)
{
    m_job = job;
    if (job == Job::None)
        m_stopping = false;
    m_stage->setVisible(job != Job::None);
    m_progress->setVisible(job != Job::None);
    m_progress->setRange(0, 0);
    updateButtons();
    if (job == Job::None && m_closeWhenIdle) {
        m_closeWhenIdle = false;
        QDialog::reject();
    }
}

void ModelTryDialog::showMeta()
{
    const QString none = tr("—");
    auto set = [this](const char *key, const QString &text) {
        m_metaValues.value(QLatin1String(key))->setText(text);
    };
    if (!m_modelOk) {
        for (QLabel *l : std::as_const(m_metaValues))
            l->setText(none);
        return;
    }
    const QLocale loc;
    set("architecture", m_meta.architecture.isEmpty() ? none : m_meta.architecture);
    QString classes = m_meta.classNames.mid(0, kMaxClassesListed).join(QStringLiteral(", "));
    if (m_meta.classNames.size() > kMaxClassesListed)
        classes =
            tr("%1 and %2 more").arg(classes).arg(m_meta.classNames.size() - kMaxClassesListed);
    classes = tr("%1 (%2)").arg(classes).arg(m_meta.classNames.size());
    if (m_meta.multiLabel)
        classes += tr(" (multi-label)");
    set("classes", classes);
    m_metaValues.value(
        QStringLiteral("classes"))->setToolTip(m_meta.classNames.join(QLatin1Char('\n')));
    set("input", tr("%1 × %1 RGB").arg(m_meta.inputSize));
    set("normalisation",
        m_meta.normalisationBuiltIn
            ? tr("built in: feed raw 0–255 pixels")
            : tr("mean %1 / %2 / %3\nstd %4 / %5 / %6")
                  .arg(loc.toString(m_meta.mean[0], 'f', 3), loc.toString(m_meta.mean[1], 'f', 3),
                       loc.toString(m_meta.mean[2], 'f', 3), loc.toString(m_meta.std[0], 'f', 3),
                       loc.toString(m_meta.std[1], 'f', 3), loc.toString(m_meta.std[2], 'f', 3)));
    set("runtime", m_runtime.isEmpty() ? none : m_runtime);
    QString format = m_meta.format == QLatin1String("onnx-int8")  ? tr("ONNX, int8")
                     : m_meta.format == QLatin1String("onnx")     ? tr("ONNX, full precision")
                     : m_meta.format == QLatin1String("libtorch") ? tr("LibTorch")
                                                                  : m_meta.format;
    if (m_meta.sparsity > 0)
        format += tr(", pruned to %1 zero weights").arg(percent(m_meta.sparsity));
    set("format", format);
    set("features",
        m_meta.featuresOutput
            ? tr("yes, \"features\" from %1")
                  .arg(m_meta.featuresLayer.isEmpty() ? tr("the last block") : m_meta.featuresLayer)
            : tr("no"));
    QString trained = m_meta.runName.isEmpty() ? none : m_meta.runName;
    if (m_meta.runId > 0)
        trained += tr(" (run #%1)").arg(m_meta.runId);
    if (!m_meta.projectName.isEmpty())
        trained += tr(" in %1").arg(m_meta.projectName);
    set("trained", trained);
    QString exported = m_meta.exportedAt.isValid()
                           ? loc.toString(m_meta.exportedAt.toLocalTime(), QLocale::ShortFormat)
                           : none;
    if (!m_meta.producer.isEmpty())
        exported += tr(" by %1").arg(m_meta.producer);
    set("exported", exported);
}

void ModelTryDialog::showPredictions(const QVector<FilePrediction> &predictions)
{
    m_results->clear();
    const QColor bad(0xb3, 0x26, 0x1e);
    auto className = [this](int c) {
        return c >= 0 && c < m_meta.classNames.size() ? m_meta.classNames[c]
                                                      : tr("class %1").arg(c);
    };
    int failed = 0;
    for (const FilePrediction &p : predictions) {
        auto *item = new QTreeWidgetItem(m_results);
        item->setText(0, QFileInfo(p.path).fileName());
        item->setToolTip(0, QDir::toNativeSeparators(p.path));
        if (!p.error.isEmpty()) {
            ++failed;
            // The file is named in its own column already.
            QString why = p.error;
            const QString prefix = p.path + QStringLiteral(": ");
            if (why.startsWith(prefix))
                why = why.mid(prefix.size());
            item->setText(1, why);
            item->setToolTip(1, p.error);
            item->setForeground(0, bad);
            item->setForeground(1, bad);
            continue;
        }
        for (int i = 0; i < p.topClasses.size(); ++i) {
            const double prob = i < p.topProbabilities.size() ? p.topProbabilities[i] : 0.0;
            QTreeWidgetItem *row = i == 0 ? item : new QTreeWidgetItem(item);
            if (i > 0)
                row->setText(0, tr("#%1").arg(i + 1));
            row->setText(1, className(p.topClasses[i]));
            row->setText(2, percent(prob));
            row->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
            if (i == 0) {
                QFont f = row->font(1);
                f.setBold(true);
                row->setFont(1, f);
            }
        }
    }
    m_results->expandAll();
    if (failed > 0)
        showError(
            failed == 1
                ? tr("1 image could not be predicted; the reason is in its row.")
                : tr("%1 images could not be predicted; the reason is in their rows.").arg(failed));
}

void ModelTryDialog::onModelOpened(const ModelMeta &meta, const QString &runtime)
{
    if (!isBusy())
        return;
    m_meta = meta;
    m_runtime = runtime;
    m_modelOk = true;
    showMeta();
    updateButtons();
}

void ModelTryDialog::onPredicted(const QVector<FilePrediction> &predictions)
{
    if (!isBusy())
        return;
    const Job job = m_job;
    setJob(Job::None);
    if (job == Job::Predict)
        showPredictions(predictions);
}

void ModelTryDialog::onProgress(const QString &stage, int done, int total)
{
    if (!isBusy() || m_stopping)
        return;
    // The engine's stages are sentence fragments ("calibrating on 256 training images").
    QString text = stage;
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    m_stage->setText(text);
    if (total > 0) {
        m_progress->setRange(0, total);
        m_progress->setValue(qBound(0, done, total));
    }
}

void ModelTryDialog::onFailed(const Error &error)
{
    if (!isBusy())
        return;
    const Job job = m_job;
    if (job == Job::Open) {
        m_modelOk = false;
        m_meta = ModelMeta();
        showMeta();
    }
    setJob(Job::None);
    if (error.code == Error::Code::Cancelled)
        showError(tr("Stopped."));
    else if (job == Job::Open)
        showError(tr("Could not open the model: %1").arg(error.toString()));
    else
        showError(tr("Prediction failed: %1").arg(error.toString()));
}

void ModelTryDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->show();
}

} // namespace salient
