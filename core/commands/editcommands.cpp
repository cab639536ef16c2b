// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/commands/editcommands.h"

#include "core/commands/labelcommands.h"
#include "core/project/store.h"

#include <QSet>
#include <QUndoStack>

#include <algorithm>

namespace salient {

namespace {

const QString kLabelModeKey = QStringLiteral("label_mode");

QVector<qint64> unique(const QVector<qint64> &ids)
{
    QVector<qint64> out;
    out.reserve(ids.size());
    QSet<qint64> seen;
    for (qint64 id : ids) {
        if (!seen.contains(id)) {
            seen.insert(id);
            out.append(id);
        }
    }
    return out;
}

bool sameSet(QVector<qint64> a, QVector<qint64> b)
{
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

} // namespace

EditCommands::EditCommands(ProjectStore &store, QUndoStack &stack, QObject *parent)
    : QObject(parent), m_store(store), m_stack(stack)
{
    // Unlimited history (people ask for it); setUndoLimit is only allowed on an empty stack.
    if (m_stack.count() == 0)
        m_stack.setUndoLimit(0);
}

bool EditCommands::fail(const Error &error)
{
    Q_EMIT failed(error);
    return false;
}

bool EditCommands::pushChecked(QUndoCommand *command)
{
    // Every command made here is a StoreCommand (see labelcommands.h).
    auto *storeCommand = static_cast<StoreCommand *>(command);
    Status s = storeCommand->applyFirst();
    if (!s.ok()) {
        // Never pushed: the stack (redo history included) stays as it was.
        delete storeCommand;
        return fail(s.error());
    }
    m_stack.push(storeCommand);
    return true;
}

bool EditCommands::changeLabels(const QVector<qint64> &imageIds,
                                const std::function<QVector<qint64>(const QVector<qint64> &)> &change,
                                const QString &text)
{
    const QVector<qint64> ids = unique(imageIds);
    if (ids.isEmpty())
        return true;
    auto current = m_store.labels(ids);
    if (!current.ok())
        return fail(current.error());
    QVector<LabelSet> before;
    QVector<LabelSet> after;
    for (qint64 id : ids) {
        const QVector<qint64> old = current->value(id);
        const QVector<qint64> now = unique(change(old));
        if (sameSet(old, now))
            continue;
        before.append(LabelSet{id, old});
        after.append(LabelSet{id, now});
    }
    if (after.isEmpty())
        return true; // nothing changes: no empty entry in the undo history
    auto sink = [this](const Error &e) { Q_EMIT failed(e); };
    return pushChecked(new SetLabelsCommand(m_store, std::move(before), std::move(after), text, sink));
}

bool EditCommands::setLabels(const QVector<qint64> &imageIds, const QVector<qint64> &classIds)
{
    return changeLabels(
        imageIds, [&](const QVector<qint64> &) { return classIds; },
        tr("Set labels of %n image(s)", nullptr, int(imageIds.size())));
}

bool EditCommands::toggleLabel(const QVector<qint64> &imageIds, qint64 classId)
{
    const QVector<qint64> ids = unique(imageIds);
    auto current = m_store.labels(ids);
    if (!current.ok())
        return fail(current.error());
    const bool allHave = std::all_of(ids.cbegin(), ids.cend(), [&](qint64 id) {
        return current->value(id).contains(classId);
    });
    if (allHave) {
        return changeLabels(
            ids,
            [&](QVector<qint64> old) {
                old.removeAll(classId);
                return old;
            },
            tr("Remove a label from %n image(s)", nullptr, int(ids.size())));
    }
    return changeLabels(
        ids,
        [&](QVector<qint64> old) {
            if (!old.contains(classId))
                old.append(classId);
            return old;
        },
        tr("Add a label to %n image(s)", nullptr, int(ids.size())));
}

bool EditCommands::clearLabels(const QVector<qint64> &imageIds)
{
    return changeLabels(
        imageIds, [](const QVector<qint64> &) { return QVector<qint64>(); },
        tr("Clear labels of %n image(s)", nullptr, int(imageIds.size())));
}

bool EditCommands::applyClassKey(const QVector<qint64> &imageIds, qint64 classId)
{
    if (isMultiLabel())
        return toggleLabel(imageIds, classId);
    return setLabels(imageIds, {classId});
}

bool EditCommands::setStatus(const QVector<qint64> &imageIds, ImageStatus status)
{
    const QVector<qint64> ids = unique(imageIds);
    if (ids.isEmpty())
        return true;
    auto records = m_store.images(ids);
    if (!records.ok())
        return fail(records.error());
    QVector<QPair<qint64, ImageStatus>> before;
    for (const ImageRecord &r : std::as_const(records.value())) {
        if (r.status != status)
            before.append({r.id, r.status});
    }
    if (before.isEmpty())
        return true;
    auto sink = [this](const Error &e) { Q_EMIT failed(e); };
    return pushChecked(new SetStatusCommand(m_store, std::move(before), status, sink));
}

qint64 EditCommands::addClass(const QString &name, const QColor &color)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        fail(makeError(Error::Code::Invalid, tr("A class needs a name."), m_store.filePath()));
        return 0;
    }
    auto sink = [this](const Error &e) { Q_EMIT failed(e); };
    auto *command = new AddClassCommand(m_store, trimmed, color, sink);
    if (!pushChecked(command))
        return 0;
    return command->classId(); // the stack owns it now and keeps it alive
}

bool EditCommands::renameClass(qint64 classId, const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return fail(makeError(Error::Code::Invalid, tr("A class needs a name."), m_store.filePath()));
    auto record = m_store.classById(classId);
    if (!record.ok())
        return fail(record.error());
    if (record->name == trimmed)
        return true;
    auto sink = [this](const Error &e) { Q_EMIT failed(e); };
    return pushChecked(new RenameClassCommand(m_store, classId, record->name, trimmed, sink));
}

bool EditCommands::recolorClass(qint64 classId, const QColor &color)
{
    if (!color.isValid())
        return fail(makeError(Error::Code::Invalid, tr("Not a valid colour."), m_store.filePath()));
    auto record = m_store.classById(classId);
    if (!record.ok())
        return fail(record.error());
    if (record->color == color)
        return true;
    auto sink = [this](const Error &e) { Q_EMIT failed(e); };
    return pushChecked(new RecolorClassCommand(m_store, classId, record->color, color, sink));
}

Result<QVector<LabelSet>> EditCommands::labelSetsWithClass(qint64 classId) const
{
    ImageFilter filter;
    filter.classIds = {classId};
    auto ids = m_store.imageIds(filter);
    if (!ids.ok())
        return ids.error();
    auto labels = m_store.labels(ids.value());
    if (!labels.ok())
        return labels.error();
    QVector<LabelSet> sets;
    sets.reserve(ids->size());
    for (qint64 id : std::as_const(ids.value()))
        sets.append(LabelSet{id, labels->value(id)});
    return sets;
}

bool EditCommands::mergeClasses(qint64 from, qint64 into)
{
    if (from == into)
        return fail(makeError(Error::Code::Invalid, tr("A class cannot be merged into itself."),
                              m_store.filePath()));
    auto fromRecord = m_store.classById(from);
    if (!fromRecord.ok())
        return fail(fromRecord.error());
    auto intoRecord = m_store.classById(into);
    if (!intoRecord.ok())
        return fail(intoRecord.error());
    auto before = labelSetsWithClass(from);
    if (!before.ok())
        return fail(before.error());
    auto sink = [this](const Error &e) { Q_EMIT failed(e); };
    auto *command = new MergeClassesCommand(m_store, fromRecord.value(), into,
                                            std::move(before.value()), sink);
    command->setText(tr("Merge class %1 into %2").arg(fromRecord->name, intoRecord->name));
    return pushChecked(command);
}

bool EditCommands::deleteClass(qint64 classId)
{
    auto record = m_store.classById(classId);
    if (!record.ok())
        return fail(record.error());
    auto before = labelSetsWithClass(classId);
    if (!before.ok())
        return fail(before.error());
    auto sink = [this](const Error &e) { Q_EMIT failed(e); };
    return pushChecked(
        new DeleteClassCommand(m_store, record.value(), std::move(before.value()), sink));
}

bool EditCommands::isMultiLabel() const
{
    auto mode = m_store.setting(kLabelModeKey, QStringLiteral("single"));
    return mode.ok() && mode.value() == QLatin1String("multi");
}

Status EditCommands::setMultiLabel(bool multi)
{
    return m_store.setSetting(kLabelModeKey, multi ? QStringLiteral("multi") : QStringLiteral("single"));
}

} // namespace salient
