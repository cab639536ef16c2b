// SPDX-License-Identifier: GPL-3.0-or-later
// TrainConfig: what a run record, the training panel and the CLI read back is
// exactly what was written; bad input is refused naming the file and the key.
#include "core/imaging/augment.h"
#include "core/runs/trainconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace salient;
using namespace salient::train;

namespace {

/// A config in which every field differs from its default.
TrainConfig unusualConfig()
{
    TrainConfig c;
    c.model = QStringLiteral("efficientnet_b0");
    c.weightsFile = QStringLiteral("/weights/effnet b0 ü.pth");
    c.freeze = FreezePolicy::Layer2;
    c.multiLabel = true;
    c.loss = LossKind::Focal;
    c.focalGamma = 1.5;
    c.classWeighting = ClassWeighting::EffectiveNumber;
    c.effectiveNumberBeta = 0.99;
    c.labelSmoothing = 0.0; // single-label only; multi-label keeps it 0
    c.sampler = SamplerKind::Weighted;
    c.mix = MixKind::CutMix;
    c.mixAlpha = 1.0;
    c.mixProbability = 0.3;
    c.optimizer = OptimizerKind::AdamW;
    c.learningRate = 3e-4;
    c.backboneLrFactor = 0.25;
    c.momentum = 0.85;
    c.weightDecay = 0.05;
    c.schedule = ScheduleKind::OneCycle;
    c.warmupEpochs = 1.5;
    c.gradClipNorm = 2.0;
    c.epochs = 7;
    c.maxSteps = 12345678901LL;
    c.batchSize = 12;
    c.imageSize = 160;
    c.earlyStoppingPatience = 3;
    c.monitor = Metric::Loss;
    c.seed = 18446744073709551557ULL; // past 2^53: must survive as text
    c.threads = 3;
    c.loaderWorkers = 5;
    c.cacheBytes = 123456789;
    AugmentRecipe r;
    TransformSpec flip;
    flip.type = TransformType::VerticalFlip;
    flip.probability = 0.25;
    r.transforms << flip;
    c.augmentRecipe = r.toJson();
    c.trainSplit = QStringLiteral("fold-1");
    c.validationSplit = QStringLiteral("fold-2");
    c.testSplit = QString();
    c.validationFraction = 0.2;
    return c;
}

QByteArray withKey(const char *key, const QJsonValue &value)
{
    QJsonObject o;
    o.insert(QLatin1String(key), value);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class RunsConfigTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesRoundTrip()
    {
        for (auto v : {FreezePolicy::None, FreezePolicy::Layer1, FreezePolicy::Layer2,
                       FreezePolicy::Layer3, FreezePolicy::Head})
            QCOMPARE(freezeFromName(freezeName(v)), v);
        for (auto v : {LossKind::CrossEntropy, LossKind::Focal, LossKind::BinaryCrossEntropy})
            QCOMPARE(lossFromName(lossName(v)), v);
        for (auto v : {ClassWeighting::None, ClassWeighting::InverseFrequency,
                       ClassWeighting::EffectiveNumber})
            QCOMPARE(weightingFromName(weightingName(v)), v);
        for (auto v : {SamplerKind::Shuffle, SamplerKind::Weighted})
            QCOMPARE(samplerFromName(samplerName(v)), v);
        for (auto v : {OptimizerKind::Sgd, OptimizerKind::AdamW})
            QCOMPARE(optimizerFromName(optimizerName(v)), v);
        for (auto v : {ScheduleKind::Constant, ScheduleKind::Cosine, ScheduleKind::OneCycle})
            QCOMPARE(scheduleFromName(scheduleName(v)), v);
        for (auto v : {MixKind::None, MixKind::MixUp, MixKind::CutMix})
            QCOMPARE(mixFromName(mixName(v)), v);
        for (auto v : {Metric::Loss, Metric::Accuracy, Metric::MacroF1})
            QCOMPARE(metricFromName(metricName(v)), v);
        // The stored spellings are a file format: pin a few.
        QCOMPARE(freezeName(FreezePolicy::Head), QStringLiteral("head"));
        QCOMPARE(lossName(LossKind::BinaryCrossEntropy), QStringLiteral("bce"));
        QCOMPARE(weightingName(ClassWeighting::EffectiveNumber), QStringLiteral("effective"));
        QCOMPARE(scheduleName(ScheduleKind::OneCycle), QStringLiteral("onecycle"));
        QCOMPARE(metricName(Metric::MacroF1), QStringLiteral("macro_f1"));
        QVERIFY(!lossFromName(QStringLiteral("CE")));
        QVERIFY(!mixFromName(QString()));
    }

    void modelsAndImageSizes()
    {
        const QStringList models = trainModelNames();
        QCOMPARE(models.size(), 7);
        QCOMPARE(models.first(), QStringLiteral("resnet18"));
        QCOMPARE(models.last(), QStringLiteral("smallcnn"));
        QVERIFY(models.contains(QStringLiteral("mobilenet_v3_large")));
        QCOMPARE(defaultImageSize(QStringLiteral("smallcnn")), 64);
        QCOMPARE(defaultImageSize(QStringLiteral("resnet50")), 224);
        TrainConfig c;
        c.model = QStringLiteral("smallcnn");
        QCOMPARE(c.effectiveImageSize(), 64);
        c.imageSize = 96;
        QCOMPARE(c.effectiveImageSize(), 96);
    }

    void nonDefaultConfigRoundTrips()
    {
        const TrainConfig c = unusualConfig();
        QVERIFY2(c.validate().ok(),
                 qPrintable(c.validate().ok() ? QString() : c.validate().error().message));
        QVERIFY(!(c == TrainConfig()));
        const QByteArray json = c.toJson();
        QVERIFY(!json.contains('\n')); // compact
        const QJsonObject o = QJsonDocument::fromJson(json).object();
        QCOMPARE(o.value(QStringLiteral("loss")).toString(), QStringLiteral("focal"));
        QCOMPARE(o.value(QStringLiteral("batch")).toInt(), 12);
        QVERIFY(o.value(QStringLiteral("augment")).isObject());
        QCOMPARE(o.size(), 36); // every field by its stable name

        auto back = TrainConfig::fromJson(json, QStringLiteral("run.json"));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->seed, c.seed);
        QCOMPARE(back->maxSteps, c.maxSteps);
        QCOMPARE(back->weightsFile, c.weightsFile);
        QCOMPARE(back->testSplit, QString());
        QCOMPARE(back->learningRate, c.learningRate);
        QCOMPARE(back->warmupEpochs, 1.5);
        QCOMPARE(AugmentRecipe::fromJson(back->augmentRecipe).value(),
                 AugmentRecipe::fromJson(c.augmentRecipe).value());
        QVERIFY(back.value() == c);
        QCOMPARE(back->toJson(), json);
    }

    void missingKeysKeepDefaults()
    {
        auto c = TrainConfig::fromJson(R"({"epochs": 3, "model": "smallcnn"})");
        QVERIFY(c.ok());
        QCOMPARE(c->epochs, 3);
        QCOMPARE(c->model, QStringLiteral("smallcnn"));
        QCOMPARE(c->batchSize, TrainConfig().batchSize);
        QCOMPARE(c->monitor, Metric::MacroF1);
        QVERIFY(c->augmentRecipe.isEmpty());
        auto empty = TrainConfig::fromJson("{}");
        QVERIFY(empty.ok());
        QVERIFY(empty.value() == TrainConfig());
    }

    void badInputIsRefusedNamingFileAndKey_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("code");
        const int invalid = int(Error::Code::Invalid);
        const int parse = int(Error::Code::Parse);
        QTest::newRow("malformed JSON") << QByteArray("{\"epochs\": 3,\n") << QString() << parse;
        QTest::newRow("not an object") << QByteArray("[1, 2]") << QString() << parse;
        QTest::newRow("unknown key") << withKey("epoch", 3) << "epoch" << invalid;
        QTest::newRow("string for a number") << withKey("lr", QStringLiteral("0.1"))
                                                        << "lr" << invalid;
        QTest::newRow("number for a name") << withKey("loss", 1) << "loss" << invalid;
        QTest::newRow("number for a bool") << withKey("multi_label", 1) << "multi_label" << invalid;
        QTest::newRow("number for a path") << withKey("weights", 5) << "weights" << invalid;
        QTest::newRow("unknown loss") << withKey("loss", QStringLiteral("hinge"))
                                                 << "loss" << invalid;
        QTest::newRow("unknown freeze") << withKey("freeze", QStringLiteral("layer4"))
                                                   << "freeze" << invalid;
        QTest::newRow("unknown optimizer") << withKey("optimizer", QStringLiteral("adam"))
                                                      << "optimizer" << invalid;
        QTest::newRow("unknown schedule") << withKey("schedule", QStringLiteral("step"))
                                                     << "schedule" << invalid;
        QTest::newRow("unknown sampler") << withKey("sampler", QStringLiteral("balanced"))
                                                    << "sampler" << invalid;
        QTest::newRow("unknown mix") << withKey("mix", QStringLiteral("mosaic"))
                                                << "mix" << invalid;
        QTest::newRow("unknown monitor") << withKey("monitor", QStringLiteral("f1"))
                                                    << "monitor" << invalid;
        QTest::newRow("unknown weighting") << withKey("class_weighting", QStringLiteral("sqrt"))
                                                      << "class_weighting" << invalid;
        QTest::newRow("unknown model") << withKey("model", QStringLiteral("vgg16"))
                                                  << "model" << invalid;
        QTest::newRow("zero learning rate") << withKey("lr", 0) << "lr" << invalid;
        QTest::newRow("negative weight decay")
            << withKey("weight_decay", -0.1) << "weight_decay" << invalid;
        QTest::newRow("momentum of one") << withKey("momentum", 1.0) << "momentum" << invalid;
        QTest::newRow("beta of one") << withKey("beta", 1.0) << "beta" << invalid;
        QTest::newRow("label smoothing past 0.5")
            << withKey("label_smoothing", 0.6) << "label_smoothing" << invalid;
        QTest::newRow("mix probability past 1")
            << withKey("mix_probability", 1.5) << "mix_probability" << invalid;
        QTest::newRow("zero epochs") << withKey("epochs", 0) << "epochs" << invalid;
        QTest::newRow("fractional epochs") << withKey("epochs", 2.5) << "epochs" << invalid;
        QTest::newRow("zero batch") << withKey("batch", 0) << "batch" << invalid;
        QTest::newRow("negative threads") << withKey("threads", -1) << "threads" << invalid;
        QTest::newRow("negative cache") << withKey("cache_bytes", -5) << "cache_bytes" << invalid;
        QTest::newRow("validation fraction 1")
            << withKey("val_fraction", 1.0) << "val_fraction" << invalid;
        QTest::newRow("tiny image size") << withKey("image_size", 8) << "image_size" << invalid;
        QTest::newRow("negative seed") << withKey("seed", -1) << "seed" << invalid;
        QTest::newRow("seed text not a number") << withKey("seed", QStringLiteral("abc"))
                                                           << "seed" << invalid;
        QTest::newRow("augment as a list")
            << withKey("augment", QJsonArray{}) << "augment" << invalid;
        QTest::newRow("augment with unknown transform")
            << QByteArray(R"({"augment": {"transforms": [{"type": "warp"}]}})") << "augment"
            << invalid;
        QTest::newRow("empty train split")
            << withKey("train_split", QString()) << "train_split" << invalid;
        QTest::newRow("bce without multi-label") << withKey("loss", QStringLiteral("bce"))
                                                            << "bce" << invalid;
    }

    void badInputIsRefusedNamingFileAndKey()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, key);
        QFETCH(int, code);
        const QString where = QStringLiteral("/tmp/cfg.json");
        auto c = TrainConfig::fromJson(json, where);
        QVERIFY(!c.ok());
        QCOMPARE(int(c.error().code), code);
        QCOMPARE(c.error().path, where);
        QVERIFY2(c.error().toString().startsWith(where), qPrintable(c.error().toString()));
        QVERIFY2(c.error().message.contains(key), qPrintable(c.error().message));
    }

    void validateCombinations_data()
    {
        QTest::addColumn<QByteArray>(
            "json"); // applied over the defaults, bypassing fromJson's checks
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("defaults") << QByteArray("{}") << true << QString();
        QTest::newRow("bce with multi-label")
            << QByteArray(R"({"loss":"bce","multi_label":true})") << true << QString();
        QTest::newRow("focal with multi-label")
            << QByteArray(R"({"loss":"focal","multi_label":true})") << true << QString();
        QTest::newRow("focal single-label, smoothing")
            << QByteArray(R"({"loss":"focal","label_smoothing":0.1})") << true << QString();
        QTest::newRow("bce single-label") << QByteArray(R"({"loss":"bce"})") << false << "bce";
        QTest::newRow("ce with multi-label")
            << QByteArray(R"({"multi_label":true})") << false << "ce";
        QTest::newRow("smoothing with bce")
            << QByteArray(R"({"loss":"bce","multi_label":true,"label_smoothing":0.1})") << false
            << "smoothing";
        QTest::newRow("warm-up longer than training")
            << QByteArray(R"({"epochs":2,"warmup_epochs":3})") << false << "warmup_epochs";
        QTest::newRow("warm-up as long as training")
            << QByteArray(R"({"epochs":2,"warmup_epochs":2})") << true << QString();
        QTest::newRow("mixup with multi-label")
            << QByteArray(R"({"loss":"bce","multi_label":true,"mix":"mixup"})") << true
            << QString();
    }

    void validateCombinations()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, valid);
        QFETCH(QString, mentions);
        // Build the config field by field, as the panel would, then validate().
        TrainConfig c;
        const QJsonObject o = QJsonDocument::fromJson(json).object();
        if (o.contains(QStringLiteral("loss")))
            c.loss = *lossFromName(o.value(QStringLiteral("loss")).toString());
        c.multiLabel = o.value(QStringLiteral("multi_label")).toBool(c.multiLabel);
        c.labelSmoothing = o.value(QStringLiteral("label_smoothing")).toDouble(c.labelSmoothing);
        c.epochs = o.value(QStringLiteral("epochs")).toInt(c.epochs);
        c.warmupEpochs = o.value(QStringLiteral("warmup_epochs")).toDouble(c.warmupEpochs);
        if (o.contains(QStringLiteral("mix")))
            c.mix = *mixFromName(o.value(QStringLiteral("mix")).toString());
        const Status s = c.validate();
        QCOMPARE(s.ok(), valid);
        if (!valid)
            QVERIFY2(s.error().message.contains(mentions), qPrintable(s.error().message));
        // fromJson applies the same rules.
        QCOMPARE(TrainConfig::fromJson(json).ok(), valid);
    }

    void validateListsEveryProblemInOneMessage()
    {
        TrainConfig c;
        c.model = QStringLiteral("alexnet");
        c.batchSize = 0;
        c.learningRate = -1;
        c.augmentRecipe = "{not json";
        const Status s = c.validate();
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, Error::Code::Invalid);
        for (const char *part : {"alexnet", "batch", "lr", "augment"})
            QVERIFY2(s.error().message.contains(QLatin1String(part)),
                     qPrintable(s.error().message));
        // A broken recipe is reported on the way back too, not silently dropped.
        auto back = TrainConfig::fromJson(c.toJson());
        QVERIFY(!back.ok());
    }
};

QTEST_GUILESS_MAIN(RunsConfigTest)
#include "runs_config.moc"
