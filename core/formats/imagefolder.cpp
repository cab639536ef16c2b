// SPDX-License-Identifier: GPL-3.0-or-later
// ImageFolder (torchvision's layout): root/<class>/<image>, optionally under
// root/<split>/. The folders are the annotation: there is no file to parse.
//
// The same file name under two class folders is two files on disk, so it is
// two images (never merged into one multi-label image): a multi-label
// dataset written by write() reads back as one image per (image, label).
#include "core/formats/format.h"
#include "core/formats/formatutil.h"
#include "core/imaging/probe.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace salient {

namespace {

/// "train", "val", "test" for the usual spellings of a split folder; empty otherwise.
QString splitOfFolder(const QString &name)
{
    const QString n = name.toLower();
    if (n == QLatin1String("train") || n == QLatin1String("test") || n == QLatin1String("val"))
        return n;
    if (n == QLatin1String("valid") || n == QLatin1String("validation"))
        return QStringLiteral("val");
    return {};
}

bool isImageFile(const QFileInfo &fi)
{
    static const QSet<QString> suffixes = [] {
        const QStringList l = supportedImageSuffixes();
        return QSet<QString>(l.begin(), l.end());
    }();
    return suffixes.contains(fi.suffix().toLower());
}

bool isAnnotationFile(const QFileInfo &fi)
{
    static const QSet<QString> suffixes{
        QStringLiteral("json"), QStringLiteral("xml"), QStringLiteral("txt"),
                                                                      QStringLiteral("yaml"), QStringLiteral("yml"), QStringLiteral("csv")};
    return suffixes.contains(fi.suffix().toLower());
}

/// Visible sub-folders, sorted; symbolic links to folders are not followed
/// (they could lead out of the dataset or into a loop).
QFileInfoList subFolders(const QString &dir)
{
    QFileInfoList out;
    const QFileInfoList all =
        QDir(dir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &fi : all)
        if (!fi.isSymLink() && !fi.fileName().startsWith(QLatin1Char('.')))
            out.append(fi);
    return out;
}

/// What a quick look at a folder finds: image and annotation files among its
/// first 64 entries, and, when it holds no image, in a few of its sub-folders
/// (our writer keeps a project's sub-folders inside each class folder).
struct Peek {
    int images = 0;
    int annotations = 0;
};

Peek peek(const QString &dir, int depth = 2)
{
    Peek p;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot);
    for (int n = 0; it.hasNext() && n < 64; ++n) {
        it.next();
        const QFileInfo fi = it.fileInfo();
        if (isImageFile(fi))
            ++p.images;
        else if (isAnnotationFile(fi))
            ++p.annotations;
    }
    if (p.images || depth == 0)
        return p;
    const QFileInfoList subs = subFolders(dir);
    for (int i = 0; i < subs.size() && i < 8 && !p.images; ++i) {
        const Peek q = peek(subs[i].absoluteFilePath(), depth - 1);
        p.images += q.images;
        p.annotations += q.annotations;
    }
    return p;
}

/// A class or split name as a folder name: no separators, not hidden, not empty.
QString folderName(const QString &name)
{
    static const QRegularExpression awkward(QStringLiteral("[/\\\\:*?\"<>|\\x00-\\x1f]"));
    QString n = name;
    n.replace(awkward, QStringLiteral("_"));
    if (n.startsWith(QLatin1Char('.')))
        n[0] = QLatin1Char('_');
    return n.trimmed().isEmpty() ? QStringLiteral("_") : n;
}

class ImageFolderFormat final : public DatasetFormat {
public:
    FormatId id() const override { return FormatId::ImageFolder; }
    QString name() const override { return QStringLiteral("imagefolder"); }
    QString displayName() const override { return QStringLiteral("ImageFolder (class folders)"); }
    bool readsFolder() const override { return true; }

    int detect(const QString &path) const override
    {
        if (!QFileInfo(path).isDir())
            return 0;
        // An annotation file beside the folders (COCO JSON, a CSV, data.yaml)
        // says another format owns this folder; a README.txt does not.
        QDirIterator top(path, QDir::Files | QDir::NoDotAndDotDot);
        for (int n = 0; top.hasNext() && n < 64; ++n) {
            top.next();
            if (isAnnotationFile(top.fileInfo())
                && top.fileInfo().suffix().compare(QLatin1String("txt"), Qt::CaseInsensitive) != 0)
                return 0;
        }
        int classFolders = 0, splitFolders = 0;
        for (const QFileInfo &d : subFolders(path)) {
            const Peek p = peek(d.absoluteFilePath());
            if (p.annotations)
                return 0;
            if (!splitOfFolder(d.fileName()).isEmpty()) {
                bool any = false;
                for (const QFileInfo &c : subFolders(d.absoluteFilePath())) {
                    const Peek cp = peek(c.absoluteFilePath());
                    if (cp.annotations)
                        return 0;
                    any = any || cp.images > 0;
                }
                if (any) {
                    ++splitFolders;
                    continue;
                }
            }
            if (p.images)
                ++classFolders;
        }
        if (splitFolders)
            return 60;
        return classFolders ? 40 : 0;
    }

    Result<Dataset> read(const QString &path, const ReadOptions &options,
                         QVector<FormatProblem> &problems) const override
    {
        const QFileInfo fi(path);
        if (!fi.isDir())
            return makeError(
                Error::Code::NotFound,
                QStringLiteral("not a folder: ImageFolder reads a folder of class folders"),
                               shownPath(path));
        const QString root = QDir::cleanPath(fi.absoluteFilePath());
        Dataset data;
        int seen = 0;
        // Adds the images under `dir` (recursively) with the given class and split.
        const auto addImages = [&](const QString &dir, int classIndex, const QString &split,
                                   bool recursive) -> Status {
            QStringList files;
            QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot,
                            recursive ? QDirIterator::Subdirectories
                                      : QDirIterator::NoIteratorFlags);
            while (it.hasNext()) {
                const QString f = it.next();
                const QString rel = QDir(dir).relativeFilePath(f);
                if (rel.startsWith(QLatin1Char('.')) || rel.contains(QLatin1String("/.")))
                    continue; // hidden files and folders
                if (isImageFile(it.fileInfo()))
                    files.append(f);
            }
            std::sort(files.begin(), files.end());
            for (const QString &f : files) {
                if (++seen % 1000 == 0 && isCancelled(options.cancel))
                    return makeError(Error::Code::Cancelled, QStringLiteral("cancelled"));
                const QString rel = QDir(root).relativeFilePath(f);
                auto resolved = resolveInside(root, root, rel);
                if (!resolved) {
                    FormatProblem p;
                    p.path = shownPath(f);
                    p.message = resolved.error().message;
                    problems.append(p);
                    continue;
                }
                DatasetImage img;
                img.path = *resolved;
                img.name = rel;
                img.split = split;
                if (classIndex >= 0)
                    img.labels.append(classIndex);
                img.source = shownPath(QFileInfo(f).absolutePath());
                data.images.append(std::move(img));
            }
            return {};
        };

        for (const QFileInfo &d : subFolders(root)) {
            const QString split = splitOfFolder(d.fileName());
            const QFileInfoList inner = subFolders(d.absoluteFilePath());
            // A split folder holds class folders; one without sub-folders is a class.
            if (!split.isEmpty() && !inner.isEmpty()) {
                for (const QFileInfo &c : inner)
                    SALIENT_TRY(addImages(c.absoluteFilePath(), data.classIndex(c.fileName()),
                                          split, true));
                SALIENT_TRY(addImages(d.absoluteFilePath(), -1, split, false)); // unlabelled
            } else {
                SALIENT_TRY(
                    addImages(d.absoluteFilePath(), data.classIndex(d.fileName()), {}, true));
            }
        }
        SALIENT_TRY(addImages(root, -1, {}, false)); // images in the root: unlabelled
        return data;
    }

    Status write(const Dataset &data, const QString &outDir, const WriteOptions &options,
                 QVector<FormatProblem> &warnings) const override
    {
        const QDir out(outDir);
        if (!QDir().mkpath(out.absolutePath()))
            return makeError(Error::Code::Io, QStringLiteral("cannot create the folder"),
                                                             shownPath(outDir));
        const bool splits = std::any_of(data.images.begin(), data.images.end(),
                                        [](const DatasetImage &i) { return !i.split.isEmpty(); });
        // Class folder names, with a warning when two classes would share one.
        QStringList folders;
        QHash<QString, QString> folderOwner;
        QStringList clashes;
        for (const QString &c : data.classes) {
            const QString f = folderName(c);
            const QString key = f.toLower();
            if (folderOwner.contains(key) && folderOwner.value(key) != c)
                clashes << QStringLiteral("'%1' and '%2'").arg(folderOwner.value(key), c);
            folderOwner.insert(key, c);
            folders << f;
        }
        QVector<bool> used(data.classes.size(), false);
        int unlabelled = 0, multi = 0, multiFolders = 0, shapes = 0, missing = 0;
        for (int i = 0; i < data.images.size(); ++i) {
            if (i % 1000 == 0 && isCancelled(options.cancel))
                return makeError(Error::Code::Cancelled, QStringLiteral("cancelled"));
            const DatasetImage &img = data.images[i];
            shapes += img.shapes.size();
            QVector<int> labels;
            for (int c : img.labels)
                if (c >= 0 && c < data.classes.size() && !labels.contains(c))
                    labels.append(c);
            if (labels.isEmpty()) {
                ++unlabelled;
                continue;
            }
            if (labels.size() > 1) {
                ++multi;
                multiFolders += labels.size();
            }
            const QString rel = exportRelativePath(img.name);
            QString prefix;
            if (splits)
                prefix = folderName(img.split.isEmpty() ? QStringLiteral("train") : img.split)
                                    + QLatin1Char('/');
            for (int c : labels) {
                used[c] = true;
                const Status placed = placeImage(
                    img.path, out.absoluteFilePath(prefix + folders[c] + QLatin1Char('/') + rel),
                    options.images);
                if (!placed) {
                    if (placed.error().code != Error::Code::NotFound)
                        return placed.error();
                    ++missing;
                }
            }
        }
        const auto warn = [&](const QString &message) {
            FormatProblem p;
            p.path = shownPath(out.absolutePath());
            p.message = message;
            warnings.append(p);
        };
        if (unlabelled)
            warn(QStringLiteral("%1 images without a label left out: ImageFolder places each image "
                                "in a class folder")
                                    .arg(unlabelled));
        if (multi)
            warn(
                QStringLiteral("%1 images with several labels placed in %2 class folders (one copy "
                                "per label): ImageFolder readers see each copy as its own image")
                                   .arg(multi)
                                   .arg(multiFolders));
        if (shapes)
            warn(QStringLiteral("%1 shapes (boxes, polygons, masks) left out: ImageFolder holds "
                                "image labels only")
                                    .arg(shapes));
        const int empty = int(std::count(used.begin(), used.end(), false));
        if (empty)
            warn(QStringLiteral("%1 classes with no image left out: an empty class folder would "
                                "stop torchvision's ImageFolder")
                                    .arg(empty));
        if (!clashes.isEmpty())
            warn(QStringLiteral("classes share a folder once made safe as folder names: %1") .arg(
                clashes.join(QStringLiteral(", "))));
        if (missing)
            warn(QStringLiteral("%1 image files are missing and were not placed").arg(missing));
        return {};
    }
};

} // namespace

std::unique_ptr<DatasetFormat> makeImageFolderFormat()
{
    return std::make_unique<ImageFolderFormat>();
}

} // namespace salient
