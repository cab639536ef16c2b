// SPDX-License-Identifier: GPL-3.0-or-later
// The review panel with the real ExplainWorker on a tiny trained run: the
// person opens the run, sees a real heatmap of the current image, records a
// verdict from the keyboard and explains the whole validation split.

#include "core/project/store.h"
#include "core/review/reviewstore.h"
#include "core/train/explainworker.h"
#include "tests/support/tinydataset.h"
#include "tests/train/explainfixture.h"
#include "widgets/heatmapview.h"
#include "widgets/reviewgallery.h"
#include "widgets/reviewpanel.h"

#include <QCoreApplication>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;

class TestReviewPanelReal : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("SalientTests"));
        QCoreApplication::setApplicationName(QStringLiteral("reviewreal"));
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
        QSettings().setValue(QStringLiteral("review/reviewer"), QStringLiteral("Dr Real"));
        QSettings().setValue(QStringLiteral("review/advance"), false);
    }

    void realHeatmapsVerdictsAndExplainAll()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = test::makeTinyProject(dir.path());
        QVERIFY(!file.isEmpty());
        const qint64 runId = test::trainTinyRun(file);
        QVERIFY(runId > 0);
        auto store = ProjectStore::open(file);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));

        train::ExplainWorker worker(nullptr, 1);
        ReviewPanel panel;
        panel.setController(&worker);
        panel.setStore(store.value().get());
        panel.resize(1300, 620);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(panel.currentRunId(), runId);
        QVERIFY(panel.currentImageId() != 0);

        // The worker loads the run's model and explains the current image.
        QTRY_VERIFY_WITH_TIMEOUT(panel.heatmap()->hasExplanation(), 60000);
        const review::Explanation &shown = panel.heatmap()->explanation();
        QCOMPARE(shown.runId, runId);
        QCOMPARE(shown.imageId, panel.currentImageId());
        QCOMPARE(shown.layer, QStringLiteral("features.2"));
        QCOMPARE(shown.probabilities.size(), 3);
        QCOMPARE(shown.imageSize, QSize(32, 32));

        // 1 = plausible, stamped with the reviewer.
        const qint64 reviewed = panel.currentImageId();
        panel.gallery()->setFocus();
        QTest::keyClick(panel.gallery(), Qt::Key_1);
        review::ReviewStore reviews(*store.value());
        auto verdict = reviews.review(runId, reviewed);
        QVERIFY(verdict.ok() && verdict->has_value());
        QCOMPARE(verdict->value().verdict, review::Verdict::Plausible);
        QCOMPARE(verdict->value().reviewer, QStringLiteral("Dr Real"));

        // Explain all: every validation image of the run is stored once.
        QTest::mouseClick(panel.explainAllButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.isExplainingAll(), 120000);
        const QVector<qint64> validation =
            test::roleImages(file, runId, train::RunRole::Validation);
        QVERIFY(!validation.isEmpty());
        QVector<qint64> stored = test::storedImages(file, runId);
        std::sort(stored.begin(), stored.end());
        stored.erase(std::unique(stored.begin(), stored.end()), stored.end());
        for (qint64 id : validation)
            QVERIFY2(stored.contains(id), qPrintable(QString::number(id)));
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestReviewPanelReal)
#include "tst_reviewpanel_real.moc"
