// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/formats/format.h"

#include <QDir>
#include <QFileInfo>

#include <vector>

namespace salient {

namespace {

struct Registry {
    std::vector<std::unique_ptr<DatasetFormat>> owned;
    QVector<const DatasetFormat *> formats;
    Registry()
    {
        for (auto make : {makeCocoFormat, makeVocFormat, makeYoloFormat, makeLabelmeFormat,
                          makeImageFolderFormat, makeCsvFormat}) {
            auto f = make();
            if (!f)
                continue; // not built into this tree yet
            formats.push_back(f.get());
            owned.push_back(std::move(f));
        }
    }
};

const Registry &registry()
{
    static const Registry r; // immutable after construction; thread-safe init
    return r;
}

} // namespace

const QVector<const DatasetFormat *> &datasetFormats()
{
    return registry().formats;
}

const DatasetFormat *datasetFormat(FormatId id)
{
    for (const DatasetFormat *f : datasetFormats())
        if (f->id() == id)
            return f;
    return nullptr;
}

const DatasetFormat *datasetFormat(const QString &name)
{
    for (const DatasetFormat *f : datasetFormats())
        if (f->name().compare(name, Qt::CaseInsensitive) == 0)
            return f;
    return nullptr;
}

Result<const DatasetFormat *> detectDatasetFormat(const QString &path)
{
    const QFileInfo fi(path);
    if (!fi.exists())
        return makeError(Error::Code::NotFound, QStringLiteral("no such file or folder"),
                         QDir::toNativeSeparators(path));
    const DatasetFormat *best = nullptr;
    int bestScore = 0;
    for (const DatasetFormat *f : datasetFormats()) {
        const int score = f->detect(path);
        if (score > bestScore) {
            best = f;
            bestScore = score;
        }
    }
    if (!best) {
        QStringList names;
        for (const DatasetFormat *f : datasetFormats())
            names << f->name();
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("not a dataset format this studio knows (tried %1); "
                                        "name one with --format")
                             .arg(names.join(QStringLiteral(", "))),
                         QDir::toNativeSeparators(path));
    }
    return best;
}

} // namespace salient
