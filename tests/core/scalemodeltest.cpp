// SPDX-License-Identifier: GPL-3.0-or-later
// Scale fix of issue #9 in the browser's image model: marking an image done
// (or moving it to a split) no longer re-reads every image id of the project,
// while a relink that changes the path order still moves the row.
#include "core/commands/editcommands.h"
#include "core/models/imagelistmodel.h"
#include "core/project/store.h"
#include "tests/support/tempproject.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

#include <sqlite3.h>

#include <functional>
#include <memory>

using namespace salient;
using salient::test::TempProject;

namespace {

/// EXPLAIN QUERY PLAN of every statement `body` runs on the store's connection.
QStringList tracedPlans(ProjectStore &store, const std::function<void()> &body)
{
    QStringList statements;
    sqlite3_trace_v2(
        store.handle(), SQLITE_TRACE_STMT,
        [](unsigned, void *ctx, void *stmt, void *) -> int {
            char *sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt *>(stmt));
            static_cast<QStringList *>(ctx)->append(QString::fromUtf8(sql));
            sqlite3_free(sql);
            return 0;
        },
        &statements);
    body();
    sqlite3_trace_v2(store.handle(), 0, nullptr, nullptr);
    QStringList plans;
    for (const QString &sql : std::as_const(statements)) {
        const QByteArray q = "EXPLAIN QUERY PLAN " + sql.toUtf8();
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(store.handle(), q.constData(), -1, &st, nullptr) != SQLITE_OK)
            continue; // BEGIN / COMMIT / SAVEPOINT have no plan
        QStringList steps;
        while (sqlite3_step(st) == SQLITE_ROW)
            steps << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 3)));
        sqlite3_finalize(st);
        plans << sql + QStringLiteral(" -> ") + steps.join(QStringLiteral(" / "));
    }
    return plans;
}

} // namespace

class ScaleModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_project = std::make_unique<TempProject>();
        QVector<NewImage> rows;
        for (const char *name : {"a/1.png", "a/2.png", "b/1.png", "b/2.png", "c/1.png"}) {
            NewImage n;
            n.absolutePath = m_project->path(QString::fromLatin1(name));
            n.hash = QByteArray(name);
            rows << n;
        }
        const QVector<qint64> ids = m_project->store().addImages(rows).value();
        for (int i = 0; i < rows.size(); ++i)
            m_id.insert(rows[i].absolutePath.section(QLatin1Char('/'), -2), ids[i]);
    }
    void cleanup()
    {
        m_project.reset();
        m_id.clear();
    }

    void statusOrSplitChangeReadsNoIdList_data()
    {
        QTest::addColumn<bool>("split");
        QTest::newRow("image marked done") << false;
        QTest::newRow("image moved to a split") << true;
    }

    void statusOrSplitChangeReadsNoIdList()
    {
        QFETCH(bool, split);
        ProjectStore &store = m_project->store();
        const qint64 test = store.ensureSplit(QStringLiteral("test")).value();
        ImageListModel model(&store, nullptr);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QUndoStack stack;
        EditCommands commands(store, stack);
        const QVector<qint64> before = model.ids();
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const qint64 image = m_id.value(QStringLiteral("b/1.png"));
        const QStringList plans = tracedPlans(store, [&] {
            if (split)
                QVERIFY(store.assignSplit({image}, test).ok());
            else
                QVERIFY(commands.setStatus({image}, ImageStatus::Done));
        });
        for (const QString &plan : plans)
            QVERIFY2(
                !plan.section(QStringLiteral(" -> "), 1).contains(QLatin1String("SCAN images")),
                              qPrintable(plan));
        QCOMPARE(model.ids(), before);
        QCOMPARE(reset.count(), 0);
        QVERIFY(changed.count() >= 1);
        const QModelIndex row = model.index(model.rowOf(image));
        if (split)
            QCOMPARE(row.data(ImageListModel::SplitRole).toString(), QStringLiteral("test"));
        else
            QCOMPARE(row.data(ImageListModel::StatusRole).toInt(), int(ImageStatus::Done));
    }

    void relinkStillReordersRows_data()
    {
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("newPath");
        QTest::addColumn<int>("row"); // where the image is afterwards
        QTest::newRow("moved to the end") << "a/1.png"
                                          << "z/1.png" << 4;
        QTest::newRow("moved to the front") << "c/1.png"
                                            << "0/1.png" << 0;
        QTest::newRow("renamed past its neighbour") << "a/2.png"
                                                    << "b/15.png" << 2;
        QTest::newRow("renamed, same place") << "b/1.png"
                                             << "b/10.png" << 2;
    }

    void relinkStillReordersRows()
    {
        QFETCH(QString, image);
        QFETCH(QString, newPath);
        QFETCH(int, row);
        ProjectStore &store = m_project->store();
        ImageListModel model(&store, nullptr);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const qint64 id = m_id.value(image);
        QVERIFY(store.setImagePaths({{id, m_project->path(newPath)}}).ok());
        QCOMPARE(model.rowOf(id), row);
        QCOMPARE(model.ids(), store.imageIds().value());
        QCOMPARE(model.index(row).data(ImageListModel::PathRole).toString(), newPath);
    }

private:
    std::unique_ptr<TempProject> m_project;
    QHash<QString, qint64> m_id; ///< "folder/name" -> image id
};

QTEST_GUILESS_MAIN(ScaleModelTest)
#include "scalemodeltest.moc"
