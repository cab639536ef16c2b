// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/importdialog.h"

#include "core/project/store.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace salient {

ImportRunner::ImportRunner(QObject *parent)
    : QObject(parent), m_cancel(std::make_shared<std::atomic_bool>(false))
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &ImportRunner::onFinished);
}

ImportRunner::~ImportRunner()
{
    m_cancel->store(true);
    m_watcher.waitForFinished();
}

bool ImportRunner::start(const QString &projectFile, const ImportOptions &options)
{
    if (m_watcher.isRunning())
        return false;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancel;
    QPointer<ImportRunner> self(this);
    m_watcher.setFuture(QtConcurrent::run([projectFile, options, cancel, self]() {
        Outcome out;
        // Its own connection, made in this thread: SQLite connections and
        // the store's QObject belong to one thread.
        auto store = ProjectStore::open(projectFile);
        if (!store.ok()) {
            out.error = store.error();
            return out;
        }
        Importer importer(**store);
        auto report = importer.run(
            options,
            [self](const ImportProgress &p) {
                if (self)
                    QMetaObject::invokeMethod(
                        self.data(),
                        [self, p]() {
                            if (self)
                                Q_EMIT self->progress(p.done, p.total, p.current);
                        },
                        Qt::QueuedConnection);
            },
            cancel.get());
        if (report.ok())
            out.report = report.value();
        else
            out.error = report.error();
        return out;
    }));
    return true;
}

void ImportRunner::onFinished()
{
    const Outcome out = m_watcher.result();
    if (out.report) {
        Q_EMIT finished(*out.report, m_cancel->load());
    } else if (out.error && out.error->code == Error::Code::Cancelled) {
        Q_EMIT finished(ImportReport(), true);
    } else if (out.error) {
        Q_EMIT failed(*out.error);
    }
}

// ---------------------------------------------------------------------------

namespace {
QTableWidget *problemTable(const QVector<ImportProblem> &rows, const QString &second,
                           QWidget *parent)
{
    auto *t = new QTableWidget(rows.size(), 2, parent);
    t->setHorizontalHeaderLabels({ImportReportDialog::tr("File"), second});
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setWordWrap(false);
    for (int i = 0; i < rows.size(); ++i) {
        t->setItem(i, 0, new QTableWidgetItem(rows[i].path));
        t->setItem(i, 1, new QTableWidgetItem(rows[i].reason));
        t->item(i, 0)->setToolTip(rows[i].path);
        t->item(i, 1)->setToolTip(rows[i].reason);
    }
    t->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setColumnWidth(0, 340);
    return t;
}
} // namespace

QString ImportReportDialog::summary(const ImportReport &r, bool cancelled)
{
    QString s = tr("Added %n image(s)", nullptr, r.added);
    s += tr(" of %n found", nullptr, r.scanned);
    if (r.alreadyPresent > 0)
        s += tr("; %n already in the project", nullptr, r.alreadyPresent);
    if (r.unreadable > 0)
        s += tr("; %n unreadable", nullptr, r.unreadable);
    if (r.duplicates > 0)
        s += tr("; %n duplicate(s)", nullptr, r.duplicates);
    s += QLatin1Char('.');
    if (cancelled)
        s += QLatin1Char(' ') + tr("The import was cancelled; what was added so far is kept.");
    return s;
}

ImportReportDialog::ImportReportDialog(const ImportReport &report, bool cancelled, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Import Report"));
    setObjectName(QStringLiteral("importReport"));
    resize(720, 440);
    auto *lay = new QVBoxLayout(this);
    auto *head = new QLabel(summary(report, cancelled), this);
    head->setObjectName(QStringLiteral("summary"));
    head->setWordWrap(true);
    QFont f = head->font();
    f.setPointSizeF(f.pointSizeF() * 1.1);
    head->setFont(f);
    lay->addWidget(head);
    if (report.seconds > 0)
        lay->addWidget(new QLabel(tr("Took %1 s.").arg(report.seconds, 0, 'f', 1), this));

    if (!report.problems.isEmpty() || !report.duplicatesOf.isEmpty()) {
        auto *tabs = new QTabWidget(this);
        QTableWidget *bad = problemTable(report.problems, tr("Reason"), tabs);
        bad->setObjectName(QStringLiteral("unreadableTable"));
        QTableWidget *dups = problemTable(report.duplicatesOf, tr("Same content as"), tabs);
        dups->setObjectName(QStringLiteral("duplicatesTable"));
        tabs->addTab(bad, tr("Unreadable (%1)").arg(report.problems.size()));
        tabs->addTab(dups, tr("Duplicates (%1)").arg(report.duplicatesOf.size()));
        lay->addWidget(tabs, 1);
    } else {
        lay->addStretch(1);
        resize(480, 160);
    }
    auto *box = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::accept);
    lay->addWidget(box);
}

} // namespace salient
