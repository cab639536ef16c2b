// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The review UI without an engine: an ExplainController that records what
// the panel asks and answers when the test says so, a prompter that counts
// the questions, and a tiny project with a "trained" run made directly with
// RunStore (a best checkpoint, predictions with known mistakes).

#include "core/project/store.h"
#include "core/review/explaincontroller.h"
#include "core/runs/runstore.h"
#include "tests/support/tinydataset.h"
#include "widgets/prompter.h"

#include <QCoreApplication>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>

#include <memory>

namespace salient::test {

class FakeExplainer : public review::ExplainController {
    Q_OBJECT
public:
    using ExplainController::ExplainController;

    struct Asked {
        qint64 imageId = 0;
        review::ExplainRequest request;
    };

    bool isBusy() const override { return batchRunning; }
    void open(const QString &projectFile, qint64 runId) override
    {
        openedFile = projectFile;
        openedRuns << runId;
    }
    void explain(qint64 imageId, const review::ExplainRequest &request) override
    {
        asked << Asked{imageId, request};
    }
    void explainRole(train::RunRole role, const review::ExplainRequest &request) override
    {
        roles << role;
        batchRequest = request;
        batchRunning = true;
    }
    void cancel() override { ++cancels; }

    /// The model of `runId` loaded: three blocks, the last the default.
    void emitReady(qint64 runId, const QStringList &classes)
    {
        review::ModelInfo info;
        info.runId = runId;
        info.architecture = QStringLiteral("smallcnn");
        info.classNames = classes;
        info.imageSize = 32;
        info.layers = {QStringLiteral("stage1"), QStringLiteral("stage2"),
                                                                QStringLiteral("stage3")};
        info.defaultLayer = QStringLiteral("stage3");
        Q_EMIT ready(info);
    }
    /// Answers the last request: a map hot in the top-left corner.
    review::Explanation answerLast(qint64 runId, int predicted = 0)
    {
        review::Explanation e;
        if (asked.isEmpty())
            return e;
        const Asked &a = asked.last();
        e.runId = runId;
        e.imageId = a.imageId;
        e.method = a.request.method;
        e.layer = a.request.layer.isEmpty() ? QStringLiteral("stage3") : a.request.layer;
        e.predicted = predicted;
        e.target = a.request.targetClass < 0 ? predicted : a.request.targetClass;
        e.confidence = 0.8;
        e.targetProbability = e.target == predicted ? 0.8 : 0.1;
        e.probabilities = {0.8f, 0.1f, 0.1f};
        e.map = cv::Mat(4, 4, CV_32FC1);
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x)
                e.map.at<float>(y, x) = float(6 - x - y) / 6.0f;
        e.imageSize = QSize(32, 32);
        e.crop = QRect(0, 0, 32, 32);
        e.deletionScore = 0.21;
        e.deletionCurve = {0.8, 0.5, 0.3, 0.2, 0.1};
        Q_EMIT explained(e);
        return e;
    }
    void emitProgress(int done, int total) { Q_EMIT batchProgress(done, total); }
    void emitBatchFinished(int stored, bool cancelled)
    {
        batchRunning = false;
        Q_EMIT batchFinished(stored, cancelled);
    }

    QString openedFile;
    QVector<qint64> openedRuns;
    QVector<Asked> asked;
    QVector<train::RunRole> roles;
    review::ExplainRequest batchRequest;
    bool batchRunning = false;
    int cancels = 0;
};

/// Answers the reviewer-name question and records every question.
class ReviewPrompter : public Prompter {
public:
    std::optional<QString> text(QWidget *, const QString &, const QString &label,
                                const QString &) override
    {
        textAsked << label;
        return name.isEmpty() ? std::nullopt : std::optional<QString>(name);
    }
    void error(QWidget *, const QString &, const QString &text) override { errors << text; }
    bool confirm(QWidget *, const QString &, const QString &) override { return true; }

    QString name = QStringLiteral("Ada Lovelace");
    QStringList textAsked;
    QStringList errors;
};

/// Settings in a temporary folder, so "review/reviewer" starts empty.
inline void isolateSettings(const QString &dir)
{
    QCoreApplication::setOrganizationName(QStringLiteral("SalientTests"));
    QCoreApplication::setApplicationName(QStringLiteral("review"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
    QSettings().clear();
}

/// A tiny project (3 classes; 4 validation and 2 test images per class) and
/// a run with a best checkpoint whose predictions are wrong for every third
/// image; confidence climbs with the row: 0.40, 0.45, …
struct ReviewProject {
    QTemporaryDir dir;
    QString file;
    std::unique_ptr<ProjectStore> store;
    qint64 runId = 0;
    QStringList classes;
    QVector<train::Prediction> predictions; ///< validation first, then test

    bool make()
    {
        TinySpec spec;
        spec.trainPerClass = {2, 2, 2};
        spec.valPerClass = 4;
        spec.testPerClass = 2;
        file = makeTinyProject(dir.path(), spec);
        if (file.isEmpty())
            return false;
        auto opened = ProjectStore::open(file);
        if (!opened.ok())
            return false;
        store = std::move(opened.value());
        auto cls = store->classes();
        auto splits = store->splits();
        if (!cls.ok() || !splits.ok())
            return false;
        QVector<qint64> classIds;
        for (const ClassRecord &c : cls.value()) {
            classIds << c.id;
            classes << c.name;
        }
        QHash<qint64, train::RunRole> roles;
        QVector<QPair<qint64, train::RunRole>> ordered;
        for (const SplitRecord &s : splits.value()) {
            const auto role = s.name == QLatin1String("train") ? train::RunRole::Train
                              : s.name == QLatin1String("val") ? train::RunRole::Validation
                                                               : train::RunRole::Test;
            ImageFilter f;
            f.splitId = s.id;
            auto ids = store->imageIds(f);
            if (!ids.ok())
                return false;
            for (qint64 id : ids.value()) {
                roles.insert(id, role);
                if (role != train::RunRole::Train)
                    ordered << qMakePair(id, role);
            }
        }
        std::stable_sort(ordered.begin(), ordered.end(), [](const auto &a, const auto &b) {
            return int(a.second) < int(b.second);
        });
        train::RunStore runs(*store);
        auto run =
            runs.createRun(QStringLiteral("baseline"), QByteArray("{}"), classIds, classes, roles);
        if (!run.ok())
            return false;
        runId = run.value();
        train::EpochRecord epoch;
        epoch.epoch = 1;
        epoch.valAccuracy = 0.66;
        if (!runs.recordEpoch(runId, epoch, train::Checkpoint{1, 10, 0, QByteArray("weights")},
                              true, 0.66)
                 .ok())
            return false;
        for (int i = 0; i < ordered.size(); ++i) {
            auto labels = store->labels(ordered[i].first);
            if (!labels.ok() || labels->isEmpty())
                return false;
            const int truth = int(classIds.indexOf(labels->first()));
            const int predicted = i % 3 == 0 ? (truth + 1) % 3 : truth;
            const float conf = 0.40f + 0.05f * float(i % 12);
            train::Prediction p;
            p.imageId = ordered[i].first;
            p.role = ordered[i].second;
            p.truth = {truth};
            p.predicted = {predicted};
            p.probabilities = QVector<float>(3, (1.0f - conf) / 2);
            p.probabilities[predicted] = conf;
            predictions << p;
        }
        return runs.savePredictions(runId, predictions).ok()
               && runs.setState(runId, train::RunState::Finished).ok();
    }
};

} // namespace salient::test
