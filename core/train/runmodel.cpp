// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/runmodel.h"

#include "core/project/store.h"
#include "core/train/checkpoint.h"
#include "core/train/evaluate.h"

namespace salient::train {

Result<RunModel> loadRunModel(ProjectStore &store, qint64 runId, const QString &kind)
{
    const QString projectFile = store.filePath();
    try {
        RunStore runs(store);
        auto run = runs.run(runId);
        if (!run.ok()) {
            Error e = run.error();
            if (e.path.isEmpty())
                e.path = projectFile;
            return e;
        }
        RunModel out;
        out.run = run.value();
        const QString name = QStringLiteral("run %1 (\"%2\")").arg(runId).arg(out.run.name);
        auto config = TrainConfig::fromJson(out.run.config, name);
        if (!config.ok())
            return config.error();
        out.config = config.value();

        out.checkpointKind = kind;
        auto ckpt = runs.checkpoint(runId, kind);
        if (!ckpt.ok() && ckpt.error().code == Error::Code::NotFound && kind == QLatin1String("best")) {
            out.checkpointKind = QStringLiteral("last");
            ckpt = runs.checkpoint(runId, out.checkpointKind);
        }
        if (!ckpt.ok()) {
            if (ckpt.error().code != Error::Code::NotFound)
                return ckpt.error();
            return makeError(Error::Code::NotFound,
                             QStringLiteral("%1 has no checkpoint: it has not finished an epoch")
                                 .arg(name),
                             projectFile);
        }
        // The checkpoint replaces every weight: the pretrained file the run
        // started from is not needed (it may be gone by now).
        TrainConfig fresh = out.config;
        fresh.weightsFile.clear();
        auto model = buildModel(fresh, int(out.run.classIds.size()));
        if (!model.ok()) {
            Error e = model.error();
            e.message = name + QStringLiteral(": ") + e.message;
            return e;
        }
        out.model = model.value();
        SALIENT_TRY(loadCheckpoint(ckpt->data, *out.model, nullptr, nullptr,
                                   QStringLiteral("%1 in %2").arg(name, projectFile)));
        out.model->eval();
        return out;
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("loading run %1 failed: %2")
                             .arg(runId)
                             .arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)),
                         projectFile);
    }
}

} // namespace salient::train
