// SPDX-License-Identifier: GPL-3.0-or-later
// TrainingPanel, part two: the config form and its mapping to TrainConfig.
#include "widgets/trainingpanel.h"

#include "widgets/recipeeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include <climits>

namespace salient {

using namespace salient::train;

namespace {

QString modelLabel(const QString &name)
{
    static const QHash<QString, QString> labels = {
        {QStringLiteral("resnet18"), QStringLiteral("ResNet-18")},
        {QStringLiteral("resnet34"), QStringLiteral("ResNet-34")},
        {QStringLiteral("resnet50"), QStringLiteral("ResNet-50")},
        {QStringLiteral("mobilenet_v3_small"), QStringLiteral("MobileNetV3-Small")},
        {QStringLiteral("mobilenet_v3_large"), QStringLiteral("MobileNetV3-Large")},
        {QStringLiteral("efficientnet_b0"), QStringLiteral("EfficientNet-B0")},
    };
    if (name == QLatin1String("smallcnn"))
        return TrainingPanel::tr("Small CNN (tiny images)");
    return labels.value(name, name);
}

QComboBox *makeCombo(QWidget *parent, const QList<QPair<QString, QString>> &items)
{
    auto *c = new QComboBox(parent);
    for (const auto &[label, name] : items)
        c->addItem(label, name);
    return c;
}

void selectData(QComboBox *c, const QString &name)
{
    const int i = c->findData(name);
    if (i >= 0)
        c->setCurrentIndex(i);
}

QString dataOf(const QComboBox *c)
{
    return c->currentData().toString();
}

QDoubleSpinBox *makeDouble(QWidget *parent, double lo, double hi, int decimals, double step)
{
    auto *s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    return s;
}

QSpinBox *makeInt(QWidget *parent, int lo, int hi, const QString &special = {})
{
    auto *s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setSpecialValueText(special);
    return s;
}

/// Numbers such as 0.001 or 1e-4, in the C locale or the person's.
std::optional<double> parseNumber(const QString &text)
{
    bool ok = false;
    double v = QLocale().toDouble(text.trimmed(), &ok);
    if (!ok)
        v = QLocale::c().toDouble(text.trimmed(), &ok);
    return ok ? std::optional<double>(v) : std::nullopt;
}

QString formatNumber(double v)
{
    return QString::number(v, 'g', 6);
}

} // namespace

QWidget *TrainingPanel::buildForm()
{
    auto *form = new QWidget(this);
    auto *outer = new QVBoxLayout(form);
    outer->setContentsMargins(0, 0, 0, 0);

    auto *basic = new QFormLayout;
    basic->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_model = new QComboBox(form);
    for (const QString &name : trainModelNames())
        m_model->addItem(modelLabel(name), name);
    basic->addRow(tr("&Model:"), m_model);

    m_weights = new QLineEdit(form);
    m_weights->setPlaceholderText(tr("none: train from scratch"));
    m_weights->setClearButtonEnabled(true);
    m_browse = new QToolButton(form);
    m_browse->setText(tr("Browse…"));
    auto *weightsRow = new QHBoxLayout;
    weightsRow->addWidget(m_weights, 1);
    weightsRow->addWidget(m_browse);
    auto *weightsLabel = new QLabel(tr("&Weights file:"), form);
    weightsLabel->setBuddy(m_weights);
    basic->addRow(weightsLabel, weightsRow);
    auto *note = new QLabel(
        tr("No pretrained weights ship with Salient. torchvision's ImageNet .pth files (e.g. "
           "resnet18-f37072fd.pth from download.pytorch.org/models/) load as they are; from "
           "scratch otherwise."),
        form);
    note->setWordWrap(true);
    note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont small = note->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    note->setFont(small);
    note->setForegroundRole(QPalette::PlaceholderText);
    basic->addRow(QString(), note);

    m_freeze = makeCombo(form, {{tr("Train everything"), freezeName(FreezePolicy::None)},
                                {tr("Freeze up to layer1"), freezeName(FreezePolicy::Layer1)},
                                {tr("Freeze up to layer2"), freezeName(FreezePolicy::Layer2)},
                                {tr("Freeze up to layer3"), freezeName(FreezePolicy::Layer3)},
                                {tr("Freeze all but the head"), freezeName(FreezePolicy::Head)}});
    m_freeze->setToolTip(tr("Keeps the first stages of a pretrained backbone fixed; frozen "
                            "BatchNorm layers keep their statistics"));
    basic->addRow(tr("Free&ze:"), m_freeze);
    m_multiLabel = new QCheckBox(tr("Multi-label (each image may carry several classes)"), form);
    basic->addRow(QString(), m_multiLabel);

    m_epochs = makeInt(form, 1, 10000);
    basic->addRow(tr("Ep&ochs:"), m_epochs);
    m_batch = makeInt(form, 1, 4096);
    basic->addRow(tr("&Batch size:"), m_batch);
    m_imageSize = makeInt(form, 0, 2048);
    m_imageSize->setSingleStep(16);
    m_imageSize->setSuffix(tr(" px"));
    m_imageSize->setToolTip(tr("Square side the images are resized to; 0: the model's default"));
    basic->addRow(tr("&Image size:"), m_imageSize);
    m_lr = new QLineEdit(form);
    m_lr->setToolTip(tr("The head's learning rate (the peak for one-cycle), e.g. 0.01 or 1e-3"));
    basic->addRow(tr("Learning ra&te:"), m_lr);

    m_recipeLabel = new QLabel(form);
    m_recipeEdit = new QPushButton(tr("Edit…"), form);
    m_recipeEdit->setToolTip(tr("Edit the augmentation for this run (the project's recipe is "
                                "not changed)"));
    m_recipeReset = new QPushButton(tr("Use the project's"), form);
    auto *recipeRow = new QHBoxLayout;
    recipeRow->addWidget(m_recipeLabel, 1);
    recipeRow->addWidget(m_recipeEdit);
    recipeRow->addWidget(m_recipeReset);
    basic->addRow(tr("Augmentation:"), recipeRow);

    m_runName = new QLineEdit(form);
    m_runName->setPlaceholderText(tr("automatic: model and time"));
    basic->addRow(tr("Run &name:"), m_runName);
    outer->addLayout(basic);

    // Advanced: folded away by default; its values apply either way.
    m_advanced = new QGroupBox(form);
    m_advanced->setFlat(true);
    auto *advLay = new QVBoxLayout(m_advanced);
    advLay->setContentsMargins(0, 0, 0, 0);
    auto *toggle = new QToolButton(m_advanced);
    toggle->setObjectName(QStringLiteral("advancedToggle"));
    toggle->setText(tr("Advanced settings"));
    toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toggle->setArrowType(Qt::RightArrow);
    toggle->setCheckable(true);
    toggle->setAutoRaise(true);
    advLay->addWidget(toggle);
    m_advancedBody = new QWidget(m_advanced);
    advLay->addWidget(m_advancedBody);
    m_advancedBody->hide();
    connect(toggle, &QToolButton::toggled, this, [this, toggle](bool open) {
        toggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_advancedBody->setVisible(open);
    });

    auto *adv = new QFormLayout(m_advancedBody);
    adv->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto section = [&](const QString &title) {
        auto *l = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), m_advancedBody);
        adv->addRow(l);
    };
    QWidget *p = m_advancedBody;
    section(tr("Loss and imbalance"));
    m_loss = makeCombo(p, {{tr("Cross-entropy"), lossName(LossKind::CrossEntropy)},
                           {tr("Focal"), lossName(LossKind::Focal)},
                           {tr("Binary cross-entropy (multi-label)"),
                            lossName(LossKind::BinaryCrossEntropy)}});
    adv->addRow(tr("Loss:"), m_loss);
    m_gamma = makeDouble(p, 0, 10, 1, 0.5);
    adv->addRow(tr("Focal gamma:"), m_gamma);
    m_weighting = makeCombo(p, {{tr("None"), weightingName(ClassWeighting::None)},
                                {tr("Inverse frequency"), weightingName(ClassWeighting::InverseFrequency)},
                                {tr("Effective number of samples"),
                                 weightingName(ClassWeighting::EffectiveNumber)}});
    m_weighting->setToolTip(tr("Per-class loss weights from the training split's counts, as the "
                               "Class Balance view shows them"));
    adv->addRow(tr("Class weights:"), m_weighting);
    m_beta = makeDouble(p, 0.9, 0.99999, 5, 0.001);
    adv->addRow(tr("Effective-number beta:"), m_beta);
    m_sampler = makeCombo(p, {{tr("Shuffle"), samplerName(SamplerKind::Shuffle)},
                              {tr("Oversample rare classes"), samplerName(SamplerKind::Weighted)}});
    adv->addRow(tr("Sampler:"), m_sampler);
    m_smoothing = makeDouble(p, 0, 0.5, 2, 0.05);
    adv->addRow(tr("Label smoothing:"), m_smoothing);
    m_mix = makeCombo(p, {{tr("None"), mixName(MixKind::None)},
                          {QStringLiteral("MixUp"), mixName(MixKind::MixUp)},
                          {QStringLiteral("CutMix"), mixName(MixKind::CutMix)}});
    adv->addRow(tr("Mix images:"), m_mix);
    m_mixAlpha = makeDouble(p, 0.01, 10, 2, 0.1);
    adv->addRow(tr("Mix alpha:"), m_mixAlpha);
    m_mixProb = makeDouble(p, 0, 1, 2, 0.1);
    m_mixProb->setToolTip(tr("Share of batches that are mixed"));
    adv->addRow(tr("Mix probability:"), m_mixProb);

    section(tr("Optimisation"));
    m_optimizer = makeCombo(p, {{tr("SGD with momentum"), optimizerName(OptimizerKind::Sgd)},
                                {QStringLiteral("AdamW"), optimizerName(OptimizerKind::AdamW)}});
    adv->addRow(tr("Optimiser:"), m_optimizer);
    m_momentum = makeDouble(p, 0, 0.999, 3, 0.01);
    m_momentum->setToolTip(tr("SGD momentum, or AdamW's beta1"));
    adv->addRow(tr("Momentum:"), m_momentum);
    m_backboneFactor = makeDouble(p, 0, 10, 3, 0.05);
    m_backboneFactor->setToolTip(tr("Backbone learning rate = learning rate × this factor"));
    adv->addRow(tr("Backbone lr factor:"), m_backboneFactor);
    m_weightDecay = new QLineEdit(p);
    adv->addRow(tr("Weight decay:"), m_weightDecay);
    m_schedule = makeCombo(p, {{tr("Constant"), scheduleName(ScheduleKind::Constant)},
                               {tr("Cosine"), scheduleName(ScheduleKind::Cosine)},
                               {tr("One-cycle"), scheduleName(ScheduleKind::OneCycle)}});
    adv->addRow(tr("Schedule:"), m_schedule);
    m_warmup = makeDouble(p, 0, 1000, 2, 0.5);
    m_warmup->setSuffix(tr(" epochs"));
    adv->addRow(tr("Warm-up:"), m_warmup);
    m_gradClip = makeDouble(p, 0, 1000, 2, 0.5);
    m_gradClip->setSpecialValueText(tr("Off"));
    adv->addRow(tr("Gradient clipping (L2 norm):"), m_gradClip);
    m_maxSteps = makeInt(p, 0, INT_MAX, tr("No limit"));
    adv->addRow(tr("Stop after steps:"), m_maxSteps);

    section(tr("Early stopping and the best model"));
    m_patience = makeInt(p, 0, 10000, tr("Off"));
    m_patience->setSuffix(tr(" epochs"));
    m_patience->setToolTip(tr("Stop when the monitored metric has not improved for this many "
                              "epochs"));
    adv->addRow(tr("Patience:"), m_patience);
    m_monitor = makeCombo(p, {{tr("Validation macro-F1"), metricName(Metric::MacroF1)},
                              {tr("Validation accuracy"), metricName(Metric::Accuracy)},
                              {tr("Validation loss"), metricName(Metric::Loss)}});
    adv->addRow(tr("Monitor:"), m_monitor);

    section(tr("Data and machine"));
    m_seed = makeInt(p, 0, INT_MAX);
    adv->addRow(tr("Seed:"), m_seed);
    m_threads = makeInt(p, 0, 1024,
                        tr("All cores (%1)").arg(QThread::idealThreadCount()));
    m_threads->setToolTip(tr("LibTorch threads for the arithmetic"));
    adv->addRow(tr("Threads:"), m_threads);
    m_workers = makeInt(p, 0, 256, tr("Automatic"));
    m_workers->setToolTip(tr("Threads that decode and augment images"));
    adv->addRow(tr("Loader threads:"), m_workers);
    m_cacheMb = makeInt(p, 0, 1 << 20, tr("Off"));
    m_cacheMb->setSuffix(tr(" MiB"));
    m_cacheMb->setSingleStep(256);
    m_cacheMb->setToolTip(tr("Decoded images kept in memory at training size"));
    adv->addRow(tr("Image cache:"), m_cacheMb);
    m_valFraction = makeDouble(p, 0, 0.9, 2, 0.05);
    m_valFraction->setSpecialValueText(tr("No validation"));
    m_valFraction->setToolTip(tr("Held out of the training split when the project has no "
                                 "validation split (stratified, seeded)"));
    adv->addRow(tr("Validation share:"), m_valFraction);
    m_trainSplit = new QLineEdit(p);
    m_valSplit = new QLineEdit(p);
    m_testSplit = new QLineEdit(p);
    auto *splits = new QHBoxLayout;
    for (QLineEdit *e : {m_trainSplit, m_valSplit, m_testSplit})
        splits->addWidget(e);
    m_trainSplit->setToolTip(tr("Training split"));
    m_valSplit->setToolTip(tr("Validation split"));
    m_testSplit->setToolTip(tr("Test split (evaluated at the end)"));
    adv->addRow(tr("Splits (train, val, test):"), splits);

    outer->addWidget(m_advanced);
    outer->addStretch(1);

    // Each control is named after the TrainConfig JSON key it edits (tests
    // and accessibility tools find them by it).
    const QList<QPair<QWidget *, const char *>> names = {
        {m_model, "model"}, {m_weights, "weights"}, {m_freeze, "freeze"},
        {m_multiLabel, "multi_label"}, {m_loss, "loss"}, {m_gamma, "focal_gamma"},
        {m_weighting, "class_weighting"}, {m_beta, "beta"}, {m_smoothing, "label_smoothing"},
        {m_sampler, "sampler"}, {m_mix, "mix"}, {m_mixAlpha, "mix_alpha"},
        {m_mixProb, "mix_probability"}, {m_optimizer, "optimizer"}, {m_lr, "lr"},
        {m_backboneFactor, "backbone_lr_factor"}, {m_momentum, "momentum"},
        {m_weightDecay, "weight_decay"}, {m_schedule, "schedule"}, {m_warmup, "warmup_epochs"},
        {m_gradClip, "grad_clip"}, {m_epochs, "epochs"}, {m_maxSteps, "max_steps"},
        {m_batch, "batch"}, {m_imageSize, "image_size"}, {m_patience, "patience"},
        {m_monitor, "monitor"}, {m_seed, "seed"}, {m_threads, "threads"}, {m_workers, "workers"},
        {m_cacheMb, "cache_bytes"}, {m_trainSplit, "train_split"}, {m_valSplit, "val_split"},
        {m_testSplit, "test_split"}, {m_valFraction, "val_fraction"}, {m_runName, "run_name"},
        {m_browse, "browse_weights"}, {m_recipeEdit, "edit_recipe"}};
    for (const auto &[w, name] : names)
        w->setObjectName(QString::fromLatin1(name));
    return form;
}

void TrainingPanel::connectForm()
{
    auto changed = [this]() {
        if (m_filling)
            return;
        updateDependentFields();
        validate();
    };
    for (QComboBox *c : {m_model, m_freeze, m_loss, m_weighting, m_sampler, m_mix, m_optimizer,
                         m_schedule, m_monitor})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, changed);
    for (QSpinBox *s : {m_epochs, m_batch, m_imageSize, m_maxSteps, m_patience, m_seed, m_threads,
                        m_workers, m_cacheMb})
        connect(s, qOverload<int>(&QSpinBox::valueChanged), this, changed);
    for (QDoubleSpinBox *s : {m_gamma, m_beta, m_smoothing, m_mixAlpha, m_mixProb, m_momentum,
                              m_backboneFactor, m_warmup, m_gradClip, m_valFraction})
        connect(s, qOverload<double>(&QDoubleSpinBox::valueChanged), this, changed);
    for (QLineEdit *e : {m_weights, m_lr, m_weightDecay, m_trainSplit, m_valSplit, m_testSplit})
        connect(e, &QLineEdit::textChanged, this, changed);
    // The usual pairing: multi-label trains with BCE, single-label with cross-entropy.
    connect(m_multiLabel, &QCheckBox::toggled, this, [this, changed](bool multi) {
        if (!m_filling) {
            const QString loss = dataOf(m_loss);
            if (multi && loss == lossName(LossKind::CrossEntropy))
                selectData(m_loss, lossName(LossKind::BinaryCrossEntropy));
            else if (!multi && loss == lossName(LossKind::BinaryCrossEntropy))
                selectData(m_loss, lossName(LossKind::CrossEntropy));
        }
        changed();
    });
    connect(m_browse, &QToolButton::clicked, this, &TrainingPanel::browseWeights);
    connect(m_recipeEdit, &QPushButton::clicked, this, &TrainingPanel::editRecipe);
    connect(m_recipeReset, &QPushButton::clicked, this, [this, changed]() {
        m_customRecipe.clear();
        changed();
    });
}

void TrainingPanel::updateDependentFields()
{
    const QString model = dataOf(m_model);
    m_imageSize->setSpecialValueText(
        tr("Model default (%1 px)").arg(defaultImageSize(model)));
    m_freeze->setEnabled(!m_weights->text().trimmed().isEmpty());
    const QString loss = dataOf(m_loss);
    m_gamma->setEnabled(loss == lossName(LossKind::Focal));
    m_beta->setEnabled(dataOf(m_weighting) == weightingName(ClassWeighting::EffectiveNumber));
    const bool mixing = dataOf(m_mix) != mixName(MixKind::None);
    m_mixAlpha->setEnabled(mixing);
    m_mixProb->setEnabled(mixing);
    m_warmup->setEnabled(dataOf(m_schedule) != scheduleName(ScheduleKind::OneCycle));
    m_monitor->setEnabled(true);

    int steps = 0;
    if (auto recipe = AugmentRecipe::fromJson(m_customRecipe.isEmpty() ? m_projectRecipe
                                                                       : m_customRecipe))
        steps = int(recipe->transforms.size());
    else
        steps = int(AugmentRecipe::standardPreset().transforms.size());
    m_recipeLabel->setText(m_customRecipe.isEmpty()
                               ? tr("The project's recipe (%n step(s))", nullptr, steps)
                               : tr("Custom for this run (%n step(s))", nullptr, steps));
    m_recipeReset->setVisible(!m_customRecipe.isEmpty());
}

TrainConfig TrainingPanel::config() const
{
    TrainConfig c;
    c.model = dataOf(m_model);
    c.weightsFile = m_weights->text().trimmed();
    c.freeze = freezeFromName(dataOf(m_freeze)).value_or(c.freeze);
    c.multiLabel = m_multiLabel->isChecked();
    c.loss = lossFromName(dataOf(m_loss)).value_or(c.loss);
    c.focalGamma = m_gamma->value();
    c.classWeighting = weightingFromName(dataOf(m_weighting)).value_or(c.classWeighting);
    c.effectiveNumberBeta = m_beta->value();
    c.labelSmoothing = m_smoothing->value();
    c.sampler = samplerFromName(dataOf(m_sampler)).value_or(c.sampler);
    c.mix = mixFromName(dataOf(m_mix)).value_or(c.mix);
    c.mixAlpha = m_mixAlpha->value();
    c.mixProbability = m_mixProb->value();
    c.optimizer = optimizerFromName(dataOf(m_optimizer)).value_or(c.optimizer);
    c.learningRate = parseNumber(m_lr->text()).value_or(-1);
    c.backboneLrFactor = m_backboneFactor->value();
    c.momentum = m_momentum->value();
    c.weightDecay = parseNumber(m_weightDecay->text()).value_or(-1);
    c.schedule = scheduleFromName(dataOf(m_schedule)).value_or(c.schedule);
    c.warmupEpochs = m_warmup->value();
    c.gradClipNorm = m_gradClip->value();
    c.epochs = m_epochs->value();
    c.maxSteps = m_maxSteps->value();
    c.batchSize = m_batch->value();
    c.imageSize = m_imageSize->value();
    c.earlyStoppingPatience = m_patience->value();
    c.monitor = metricFromName(dataOf(m_monitor)).value_or(c.monitor);
    c.seed = quint64(m_seed->value());
    c.threads = m_threads->value();
    c.loaderWorkers = m_workers->value();
    c.cacheBytes = qint64(m_cacheMb->value()) << 20;
    c.augmentRecipe = m_customRecipe;
    c.trainSplit = m_trainSplit->text().trimmed();
    c.validationSplit = m_valSplit->text().trimmed();
    c.testSplit = m_testSplit->text().trimmed();
    c.validationFraction = m_valFraction->value();
    return c;
}

void TrainingPanel::setConfig(const TrainConfig &c)
{
    m_filling = true;
    selectData(m_model, c.model);
    m_weights->setText(c.weightsFile);
    selectData(m_freeze, freezeName(c.freeze));
    m_multiLabel->setChecked(c.multiLabel);
    selectData(m_loss, lossName(c.loss));
    m_gamma->setValue(c.focalGamma);
    selectData(m_weighting, weightingName(c.classWeighting));
    m_beta->setValue(c.effectiveNumberBeta);
    m_smoothing->setValue(c.labelSmoothing);
    selectData(m_sampler, samplerName(c.sampler));
    selectData(m_mix, mixName(c.mix));
    m_mixAlpha->setValue(c.mixAlpha);
    m_mixProb->setValue(c.mixProbability);
    selectData(m_optimizer, optimizerName(c.optimizer));
    m_lr->setText(formatNumber(c.learningRate));
    m_backboneFactor->setValue(c.backboneLrFactor);
    m_momentum->setValue(c.momentum);
    m_weightDecay->setText(formatNumber(c.weightDecay));
    selectData(m_schedule, scheduleName(c.schedule));
    m_warmup->setValue(c.warmupEpochs);
    m_gradClip->setValue(c.gradClipNorm);
    m_epochs->setValue(c.epochs);
    m_maxSteps->setValue(int(qMin<qint64>(c.maxSteps, INT_MAX)));
    m_batch->setValue(c.batchSize);
    m_imageSize->setValue(c.imageSize);
    m_patience->setValue(c.earlyStoppingPatience);
    selectData(m_monitor, metricName(c.monitor));
    m_seed->setValue(int(qMin<quint64>(c.seed, INT_MAX)));
    m_threads->setValue(c.threads);
    m_workers->setValue(c.loaderWorkers);
    m_cacheMb->setValue(int(qMin<qint64>(c.cacheBytes >> 20, 1 << 20)));
    m_customRecipe = c.augmentRecipe;
    m_trainSplit->setText(c.trainSplit);
    m_valSplit->setText(c.validationSplit);
    m_testSplit->setText(c.testSplit);
    m_valFraction->setValue(c.validationFraction);
    m_filling = false;
    updateDependentFields();
    validate();
}

QString TrainingPanel::validationMessage() const
{
    if (!parseNumber(m_lr->text()))
        return tr("Learning rate: “%1” is not a number.").arg(m_lr->text());
    if (!parseNumber(m_weightDecay->text()))
        return tr("Weight decay: “%1” is not a number.").arg(m_weightDecay->text());
    const QString weights = m_weights->text().trimmed();
    if (!weights.isEmpty() && !QFileInfo(weights).isFile())
        return tr("Weights file not found: %1").arg(weights);
    const Status s = config().validate();
    if (!s.ok())
        return s.error().toString();
    return {};
}

void TrainingPanel::browseWeights()
{
    const QString start = m_weights->text().isEmpty() ? QString()
                                                      : QFileInfo(m_weights->text()).path();
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Pretrained Weights"), start,
        tr("PyTorch weights (*.pth *.pt);;All files (*)"));
    if (!file.isEmpty())
        m_weights->setText(file);
}

void TrainingPanel::editRecipe()
{
    QDialog dlg(this);
    dlg.setWindowTitle(tr("Augmentation for This Run"));
    auto *lay = new QVBoxLayout(&dlg);
    auto *editor = new RecipeEditor(&dlg);
    AugmentRecipe recipe = AugmentRecipe::standardPreset();
    const QByteArray json = m_customRecipe.isEmpty() ? m_projectRecipe : m_customRecipe;
    if (!json.isEmpty())
        if (auto r = AugmentRecipe::fromJson(json))
            recipe = r.value();
    editor->setRecipe(recipe);
    lay->addWidget(editor, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dlg);
    connect(buttons, &QDialogButtonBox::accepted, &dlg, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dlg, &QDialog::reject);
    lay->addWidget(buttons);
    dlg.resize(560, 640);
    if (dlg.exec() != QDialog::Accepted)
        return;
    const QByteArray edited = editor->recipe().toJson();
    // Unchanged from the project's: keep following the project's recipe.
    m_customRecipe = (m_customRecipe.isEmpty() && editor->recipe() == recipe) ? QByteArray() : edited;
    updateDependentFields();
    validate();
}

} // namespace salient
