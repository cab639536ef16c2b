// SPDX-License-Identifier: GPL-3.0-or-later
// Smaller models on the tiny project: global magnitude pruning to the asked
// sparsity whose zeros survive fine-tuning in a new run that records its
// parent, deflated size falling with sparsity, the distillation loss against
// a hand computation, a distilled student that learns, and soft labels that
// really come from the teacher.
#include "core/project/store.h"
#include "core/runs/runstore.h"
#include "core/train/checkpoint.h"
#include "core/train/losses.h"
#include "core/train/optim.h"
#include "core/train/runmodel.h"
#include "core/train/shrink.h"
#include "core/train/trainer.h"
#include "tests/train/trainerfixture.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace salient;
using namespace salient::train;

namespace {

QString text(const Error &e)
{
    return e.toString();
}

std::unique_ptr<ProjectStore> openStore(const QString &file)
{
    auto s = ProjectStore::open(file);
    return s.ok() ? std::move(s.value()) : nullptr;
}

/// KL(p || q) * T^2 averaged over rows, written out with doubles.
double handDistillation(const std::vector<std::vector<double>> &student,
                        const std::vector<std::vector<double>> &teacher, double t)
{
    const auto softmax = [t](const std::vector<double> &z) {
        std::vector<double> p(z.size());
        double sum = 0;
        for (size_t i = 0; i < z.size(); ++i)
            sum += p[i] = std::exp(z[i] / t);
        for (double &v : p)
            v /= sum;
        return p;
    };
    double total = 0;
    for (size_t n = 0; n < student.size(); ++n) {
        const auto p = softmax(teacher[n]), q = softmax(student[n]);
        for (size_t c = 0; c < p.size(); ++c)
            total += p[c] * std::log(p[c] / q[c]);
    }
    return t * t * total / double(student.size());
}

torch::Tensor rows(const std::vector<std::vector<double>> &v)
{
    std::vector<float> flat;
    for (const auto &r : v)
        flat.insert(flat.end(), r.begin(), r.end());
    return torch::tensor(flat).view({int64_t(v.size()), int64_t(v.front().size())});
}

} // namespace

class ShrinkTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_project;
    qint64 m_parent = 0;
    QMap<double, ModelFigures> m_figures; ///< by sparsity, 0: the parent

    /// A finished run whose best checkpoint always predicts class `cls`: the
    /// parent's weights with a zero head and a large bias on that class.
    qint64 constantTeacher(int cls)
    {
        auto store = openStore(m_project);
        if (!store)
            return 0;
        auto parent = loadRunModel(*store, m_parent);
        if (!parent.ok())
            return 0;
        {
            torch::NoGradGuard noGrad;
            torch::nn::Linear head = parent->model->head();
            head->weight.zero_();
            head->bias.zero_();
            head->bias[cls] = 20.0;
        }
        auto blob = saveCheckpoint(*parent->model, nullptr, TrainState());
        RunStore runs(*store);
        QHash<qint64, RunRole> roles;
        const auto images = runs.runImages(m_parent).value();
        for (auto it = images.begin(); it != images.end(); ++it)
            for (qint64 id : it.value())
                roles.insert(id, it.key());
        auto id = runs.createRun(QStringLiteral("always %1").arg(cls), parent->run.config,
                                 parent->run.classIds, parent->run.classNames, roles);
        if (!blob.ok() || !id.ok())
            return 0;
        EpochRecord epoch;
        epoch.epoch = 1;
        if (!runs.recordEpoch(id.value(), epoch, Checkpoint{1, 0, 0, blob.value()}, true).ok()
            || !runs.setState(id.value(), RunState::Finished).ok())
            return 0;
        return id.value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_project = test::makeTinyProject(m_dir.filePath(QStringLiteral("tiny")));
        QVERIFY(!m_project.isEmpty());
        TrainRequest request;
        request.projectFile = m_project;
        request.config = test::tinyConfig(5, 1);
        request.runName = QStringLiteral("parent");
        auto r = runTraining(request, {});
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : text(r.error())));
        QVERIFY2(r->test.accuracy > 0.6, qPrintable(QString::number(r->test.accuracy)));
        m_parent = r->runId;
    }

    void configKeepsShrinkFields()
    {
        // An ordinary run's record gains no key; set fields round-trip.
        const QByteArray plain = TrainConfig().toJson();
        QVERIFY(!plain.contains("prune") && !plain.contains("teacher") && !plain.contains("init_from"));
        TrainConfig c = test::tinyConfig();
        c.initFromRun = 12;
        c.pruneSparsity = 0.7;
        c.teacherRun = 4;
        c.distillTemperature = 2.5;
        c.distillAlpha = 0.25;
        auto back = TrainConfig::fromJson(c.toJson(), QStringLiteral("run.json"));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : text(back.error())));
        QCOMPARE(back->initFromRun, qint64(12));
        QCOMPARE(back->pruneSparsity, 0.7);
        QCOMPARE(back->teacherRun, qint64(4));
        QCOMPARE(back->distillTemperature, 2.5);
        QCOMPARE(back->distillAlpha, 0.25);
        QVERIFY(back.value() == c);
    }

    void configRejects_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("needle");
        QTest::newRow("sparsity without a parent run") << QByteArray(R"({"prune_sparsity":0.5})")
                                                       << "init_from_run";
        QTest::newRow("sparsity of one") << QByteArray(R"({"init_from_run":3,"prune_sparsity":1})")
                                         << "prune_sparsity";
        QTest::newRow("negative parent") << QByteArray(R"({"init_from_run":-1})") << "init_from_run";
        QTest::newRow("temperature zero") << QByteArray(R"({"distill_temperature":0})")
                                          << "distill_temperature";
        QTest::newRow("alpha above one") << QByteArray(R"({"distill_alpha":1.5})") << "distill_alpha";
        QTest::newRow("teacher for multi-label")
            << QByteArray(R"({"teacher_run":2,"multi_label":true,"loss":"bce"})") << "single-label";
        QTest::newRow("parent run and weights file")
            << QByteArray(R"({"init_from_run":2,"weights":"/x.pth"})") << "weights";
    }
    void configRejects()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, needle);
        auto c = TrainConfig::fromJson(json, QStringLiteral("run.json"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(needle), qPrintable(c.error().message));
        QCOMPARE(c.error().path, QStringLiteral("run.json"));
    }

    void distillationLossByHand_data()
    {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<bool>("same");
        QTest::newRow("T 1") << 1.0 << false;
        QTest::newRow("T 4") << 4.0 << false;
        QTest::newRow("T 2.5, student equals teacher") << 2.5 << true;
    }
    void distillationLossByHand()
    {
        QFETCH(double, temperature);
        QFETCH(bool, same);
        const std::vector<std::vector<double>> teacher = {{2.0, -1.0, 0.5}, {0.1, 3.0, -2.0}};
        const std::vector<std::vector<double>> student =
            same ? teacher : std::vector<std::vector<double>>{{0.3, 0.2, -0.4}, {1.5, -0.5, 0.0}};
        const double expected = handDistillation(student, teacher, temperature);
        const torch::Tensor s = rows(student).requires_grad_(true);
        const torch::Tensor t = rows(teacher).requires_grad_(true);
        const torch::Tensor loss = distillationLoss(s, t, temperature);
        QVERIFY2(std::abs(loss.item<double>() - expected) < 1e-5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(loss.item<double>()).arg(expected)));
        if (same)
            QVERIFY(std::abs(expected) < 1e-12);
        else
            QVERIFY(expected > 0.01);
        loss.backward();
        QVERIFY(s.grad().defined());
        QVERIFY(!t.grad().defined()); // the teacher only gives targets
    }

    void magnitudeMaskIsExact()
    {
        auto model = makeModel("smallcnn", 3);
        QVERIFY(model);
        const PruneMask mask = magnitudeMask(*model, 0.7);
        QCOMPARE(mask.weights.size(), prunableWeights(*model).size());
        double zeros = 0, total = 0, largestPruned = 0, smallestKept = 1e9;
        for (size_t i = 0; i < mask.weights.size(); ++i) {
            const torch::Tensor w = mask.weights[i].abs(), m = mask.masks[i];
            zeros += (m == 0).sum().item<double>();
            total += double(m.numel());
            if ((m == 0).any().item<bool>())
                largestPruned = std::max(largestPruned, w.masked_select(m == 0).max().item<double>());
            if ((m == 1).any().item<bool>())
                smallestKept = std::min(smallestKept, w.masked_select(m == 1).min().item<double>());
        }
        QCOMPARE(zeros, std::round(0.7 * total));
        QVERIFY(largestPruned <= smallestKept); // global by |w|, not per layer
        mask.apply();
        QVERIFY(std::abs(prunedFraction(*model) - 0.7) <= 1.0 / total);
    }

    void pruning_data()
    {
        QTest::addColumn<double>("sparsity");
        QTest::newRow("half") << 0.5;
        QTest::newRow("nine tenths") << 0.9;
    }
    void pruning()
    {
        QFETCH(double, sparsity);
        PruneOptions options;
        options.sparsity = sparsity;
        options.epochs = 2;
        options.threads = 1;
        QStringList said;
        auto r = pruneRun(m_project, m_parent, options,
                          [&](const QString &m, int, int) { said << m; });
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : text(r.error())));
        QVERIFY(!said.isEmpty());
        QVERIFY(r->runId > 0 && r->runId != m_parent);
        qInfo("sparsity %.2f: measured %.4f, test accuracy %.3f (parent %.3f), deflated %lld -> %lld",
              sparsity, r->sparsity, r->pruned.testAccuracy, r->parent.testAccuracy,
              r->parent.compressedBytes, r->pruned.compressedBytes);

        auto store = openStore(m_project);
        QVERIFY(store);
        RunStore runs(*store);
        auto run = runs.run(r->runId);
        QVERIFY(run.ok());
        QCOMPARE(run->state, RunState::Finished);
        QVERIFY2(run->name.startsWith(QStringLiteral("parent pruned")), qPrintable(run->name));
        QVERIFY(!run->testMetrics.isEmpty());
        QCOMPARE(runs.predictions(r->runId, RunRole::Test)->size(), 24); // the parent's test images
        auto config = TrainConfig::fromJson(run->config);
        QVERIFY(config.ok());
        QCOMPARE(config->initFromRun, m_parent);
        QCOMPARE(config->pruneSparsity, sparsity);
        QCOMPARE(config->epochs, 2);

        // The asked share of weights is 0, and it is the parent's smallest |w|:
        // fine-tuning moved the other weights but brought none of these back.
        auto parent = loadRunModel(*store, m_parent);
        QVERIFY(parent.ok());
        const PruneMask expected = magnitudeMask(*parent->model, sparsity);
        for (const QString kind : {QStringLiteral("best"), QStringLiteral("last")}) {
            auto pruned = loadRunModel(*store, r->runId, kind);
            QVERIFY(pruned.ok());
            const auto weights = prunableWeights(*pruned->model);
            double total = 0, moved = 0;
            for (size_t i = 0; i < weights.size(); ++i) {
                const torch::Tensor w = weights[i].second, m = expected.masks[i];
                QCOMPARE(w.masked_select(m == 0).abs().sum().item<double>(), 0.0);
                moved += (w - expected.weights[i]).masked_select(m == 1).abs().sum().item<double>();
                total += double(w.numel());
            }
            QVERIFY2(moved > 0, "fine-tuning changed nothing");
            QVERIFY(std::abs(prunedFraction(*pruned->model) - sparsity) <= 1.0 / total);
            QVERIFY(std::abs(r->sparsity - sparsity) <= 1.0 / total);
        }
        QCOMPARE(r->pruned.parameters, r->parent.parameters);
        QVERIFY(r->pruned.nonZero < r->parent.nonZero);
        QVERIFY(r->pruned.testAccuracy >= 0 && r->pruned.latencyMs > 0);
        m_figures[0] = r->parent;
        m_figures[sparsity] = r->pruned;
    }

    void deflatedSizeShrinksWithSparsity()
    {
        QCOMPARE(m_figures.size(), 3);
        const ModelFigures parent = m_figures[0], half = m_figures[0.5], most = m_figures[0.9];
        QVERIFY(half.compressedBytes < parent.compressedBytes);
        QVERIFY(most.compressedBytes < half.compressedBytes);
        QVERIFY(most.compressedBytes < 0.5 * parent.compressedBytes);
        // The plain file keeps every weight: only the deflated size tells.
        QVERIFY(std::abs(most.fileBytes - parent.fileBytes) < parent.fileBytes / 100);
    }

    void pruningRejectsBadRequests()
    {
        PruneOptions options;
        options.sparsity = 1.0;
        auto r = pruneRun(m_project, m_parent, options);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("sparsity")));
        options.sparsity = 0.5;
        r = pruneRun(m_project, 9999, options);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, Error::Code::NotFound);
        QCOMPARE(r.error().path, m_project);
    }

    void distilledStudentLearns()
    {
        DistillOptions options;
        options.student = test::tinyConfig(5, 1);
        options.student.seed = 11;
        options.temperature = 4;
        options.alpha = 0.5;
        options.threads = 1;
        auto r = distillRun(m_project, m_parent, options);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : text(r.error())));
        qInfo("teacher %.3f, student %.3f", r->teacher.testAccuracy, r->student.testAccuracy);
        QCOMPARE(r->teacher.runId, m_parent);
        QVERIFY2(r->student.testAccuracy > 0.6, qPrintable(QString::number(r->student.testAccuracy)));
        QCOMPARE(r->student.architecture, QStringLiteral("smallcnn"));
        auto store = openStore(m_project);
        QVERIFY(store);
        auto config = TrainConfig::fromJson(RunStore(*store).run(r->runId)->config);
        QVERIFY(config.ok());
        QCOMPARE(config->teacherRun, m_parent);
        QCOMPARE(config->distillTemperature, 4.0);
        QCOMPARE(config->distillAlpha, 0.5);
    }

    void softLabelsComeFromTheTeacher()
    {
        // A teacher that always says "disc": with alpha 1 the student hears
        // nothing else and ends up saying it too, against the true labels.
        const int disc = 2;
        const qint64 teacher = constantTeacher(disc);
        QVERIFY(teacher > 0);
        DistillOptions options;
        options.student = test::tinyConfig(3, 1);
        options.alpha = 1.0;
        options.temperature = 2.0;
        options.threads = 1;
        auto r = distillRun(m_project, teacher, options);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : text(r.error())));
        auto store = openStore(m_project);
        QVERIFY(store);
        const auto predictions = RunStore(*store).predictions(r->runId, RunRole::Test).value();
        QCOMPARE(predictions.size(), 24);
        int saidDisc = 0;
        for (const Prediction &p : predictions)
            saidDisc += p.predicted == QVector<int>{disc};
        QVERIFY2(saidDisc >= 22, qPrintable(QString::number(saidDisc)));
        QVERIFY(r->student.testAccuracy < 0.45); // a third of the test images are discs
    }
};

QTEST_GUILESS_MAIN(ShrinkTest)
#include "tst_shrink.moc"
