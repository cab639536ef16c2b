// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A tiny labelled project with one run whose validation and test predictions
// are written directly (no training): every third image is predicted as the
// next class, confidences spread over 0.40..0.94 so filters and sorts have
// something to separate. The expected values are kept beside the store.

#include "core/project/store.h"
#include "core/review/reviewstore.h"
#include "core/runs/metrics.h"
#include "core/runs/runstore.h"
#include "core/runs/trainconfig.h"
#include "tests/support/tinydataset.h"

#include <QTemporaryDir>
#include <QTest>

#include <opencv2/core.hpp>

#include <memory>

namespace salient::test {

struct ReviewFixture {
    struct Expected {
        qint64 imageId = 0;
        train::RunRole role = train::RunRole::Validation;
        int truth = 0;
        int predicted = 0;
        double confidence = 0;
    };

    QTemporaryDir dir;
    std::unique_ptr<ProjectStore> store;
    qint64 runId = 0;
    QVector<qint64> classIds;
    QStringList classNames;
    QVector<Expected> expected; ///< validation then test, by image id within each
    QVector<qint64> trainIds;   ///< training images (predicted too, never reviewed)

    /// Fails the current test (QVERIFY) when the project cannot be made.
    bool make(int valPerClass = 3, int testPerClass = 2)
    {
        TinySpec spec;
        spec.trainPerClass = {2, 2, 2};
        spec.valPerClass = valPerClass;
        spec.testPerClass = testPerClass;
        const QString file = makeTinyProject(dir.path(), spec);
        if (file.isEmpty())
            return false;
        auto opened = ProjectStore::open(file);
        if (!opened.ok())
            return false;
        store = std::move(opened).value();
        const QVector<ClassRecord> classes = store->classes().valueOr({});
        for (const ClassRecord &c : classes) {
            classIds << c.id;
            classNames << c.name;
        }
        QHash<qint64, train::RunRole> snapshot;
        QHash<QString, train::RunRole> roleOfSplit = {
            {QStringLiteral("train"), train::RunRole::Train},
             {QStringLiteral("val"), train::RunRole::Validation},
              {QStringLiteral("test"), train::RunRole::Test}};
        QHash<qint64, train::RunRole> roleOfSplitId;
        const QVector<SplitRecord> splits = store->splits().valueOr({});
        for (const SplitRecord &s : splits)
            roleOfSplitId.insert(s.id, roleOfSplit.value(s.name));
        const QVector<qint64> all = store->imageIds().valueOr({});
        for (qint64 id : all)
            snapshot.insert(id, roleOfSplitId.value(store->image(id)->splitId));

        train::TrainConfig config;
        config.model = QStringLiteral("smallcnn");
        train::RunStore runs(*store);
        auto run = runs.createRun(QStringLiteral("tiny run"), config.toJson(), classIds, classNames,
                                                 snapshot);
        if (!run.ok())
            return false;
        runId = run.value();

        QVector<train::Prediction> rows;
        QVector<qint64> ordered = all;
        std::sort(ordered.begin(), ordered.end());
        for (train::RunRole role : {train::RunRole::Validation, train::RunRole::Test}) {
            for (qint64 id : ordered) {
                if (snapshot.value(id) != role)
                    continue;
                const qint64 labelId = store->labels(id).valueOr({}).value(0);
                Expected e;
                e.imageId = id;
                e.role = role;
                e.truth = int(classIds.indexOf(labelId));
                const int n = expected.size();
                e.predicted = n % 3 == 2 ? (e.truth + 1) % classIds.size() : e.truth;
                const double confidence = 0.40 + 0.06 * (n % 10);
                train::Prediction p;
                p.imageId = id;
                p.role = role;
                p.truth = {e.truth};
                p.predicted = {e.predicted};
                p.probabilities.fill(float((1.0 - confidence) / (classIds.size() - 1)),
                                     classIds.size());
                p.probabilities[e.predicted] = float(confidence);
                e.confidence = p.probabilities[e.predicted]; // as stored (float)
                expected << e;
                rows << p;
            }
        }
        // Training images get predictions too (an engine may keep them): the
        // review must still list and count only validation and test.
        for (qint64 id : ordered) {
            if (snapshot.value(id) != train::RunRole::Train)
                continue;
            trainIds << id;
            train::Prediction p;
            p.imageId = id;
            p.role = train::RunRole::Train;
            p.truth = {0};
            p.predicted = {0};
            p.probabilities = QVector<float>(classIds.size(), 1.0f / classIds.size());
            rows << p;
        }
        if (!runs.savePredictions(runId, rows).ok())
            return false;
        train::EvalMetrics m;
        m.numClasses = classIds.size();
        m.samples = 6;
        m.accuracy = 0.875;
        m.macroF1 = 0.8;
        m.perClass.resize(classIds.size());
        return runs.setTestMetrics(runId, m.toJson(classNames)).ok()
               && runs.setState(runId, train::RunState::Finished).ok();
    }

    /// A stored-explanation value for an image: a 7 x 7 map with its peak at (2, 5).
    review::Explanation explanation(const Expected &e, double deletionScore,
                                    review::CamMethod method = review::CamMethod::GradCam,
                                    const QString &layer = QStringLiteral("stage3")) const
    {
        review::Explanation x;
        x.runId = runId;
        x.imageId = e.imageId;
        x.method = method;
        x.layer = layer;
        x.target = e.predicted;
        x.predicted = e.predicted;
        x.confidence = e.confidence;
        x.targetProbability = e.confidence;
        x.probabilities = QVector<float>(classIds.size(), 0.1f);
        x.map = cv::Mat::zeros(7, 7, CV_32FC1);
        x.map.at<float>(2, 5) = 1.0f;
        x.map.at<float>(3, 5) = 0.5f;
        x.imageSize = QSize(32, 32);
        x.crop = QRect(0, 0, 32, 32);
        x.deletionScore = deletionScore;
        x.deletionCurve = {1.0, 0.5, 0.25};
        return x;
    }
};

} // namespace salient::test
