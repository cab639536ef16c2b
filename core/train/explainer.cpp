// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/explainer.h"

#include "core/imaging/decode.h"
#include "core/project/store.h"
#include "core/train/checkpoint.h"
#include "core/train/datapipeline.h"
#include "core/train/engineinfo.h"
#include "core/train/evaluate.h"
#include "core/train/explaincam.h"

#include <ATen/CPUGeneratorImpl.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>

namespace salient::train {

namespace {

QString firstLine(const std::exception &e)
{
    return QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
}

/// The centred square of side min(w, h): what the evaluation transform's
/// centre crop keeps of the displayed image.
QRect centredSquare(QSize displayed)
{
    const int side = std::min(displayed.width(), displayed.height());
    return QRect((displayed.width() - side) / 2, (displayed.height() - side) / 2, side, side);
}

InitScheme schemeFor(const std::string &architecture)
{
    if (architecture.rfind("mobilenet", 0) == 0)
        return InitScheme::MobileNet;
    if (architecture.rfind("efficientnet", 0) == 0)
        return InitScheme::EfficientNet;
    return InitScheme::ResNet;
}

/// A fresh initialisation of one subtree in the family's scheme, drawn from
/// `gen` (not the global generator, so a sanity check disturbs nothing else).
/// BatchNorm goes back to identity with fresh running statistics.
void reinitialise(torch::nn::Module &root, InitScheme scheme, at::Generator &gen)
{
    torch::NoGradGuard noGrad;
    for (const auto &m : root.modules(/*include_self=*/true)) {
        if (auto *conv = m->as<torch::nn::Conv2dImpl>()) {
            const double fanOut = double(conv->weight.size(0)) * double(conv->weight[0][0].numel());
            conv->weight.normal_(0.0, std::sqrt(2.0 / fanOut), gen);
            if (conv->bias.defined())
                conv->bias.zero_();
        } else if (auto *bn = m->as<torch::nn::BatchNorm2dImpl>()) {
            bn->weight.fill_(1.0);
            bn->bias.zero_();
            bn->reset_running_stats();
        } else if (auto *linear = m->as<torch::nn::LinearImpl>()) {
            const double fanIn = double(linear->weight.size(1));
            switch (scheme) {
            case InitScheme::ResNet:
                linear->weight.uniform_(-1.0 / std::sqrt(fanIn), 1.0 / std::sqrt(fanIn), gen);
                linear->bias.uniform_(-1.0 / std::sqrt(fanIn), 1.0 / std::sqrt(fanIn), gen);
                break;
            case InitScheme::MobileNet:
                linear->weight.normal_(0.0, 0.01, gen);
                linear->bias.zero_();
                break;
            case InitScheme::EfficientNet: {
                const double range = 1.0 / std::sqrt(double(linear->weight.size(0)));
                linear->weight.uniform_(-range, range, gen);
                linear->bias.zero_();
                break;
            }
            }
        }
    }
}

/// Average ranks (ties share their mean rank) of `v`.
std::vector<double> ranksOf(const std::vector<float> &v)
{
    std::vector<std::size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&v](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> rank(v.size());
    for (std::size_t i = 0; i < idx.size();) {
        std::size_t j = i;
        while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]])
            ++j;
        const double mean = 0.5 * double(i + j);
        for (std::size_t k = i; k <= j; ++k)
            rank[idx[k]] = mean;
        i = j + 1;
    }
    return rank;
}

} // namespace

struct Explainer::Impl {
    QString projectFile;
    std::unique_ptr<ProjectStore> store;
    RunRecord run;
    TrainConfig config;
    std::shared_ptr<ClassifierNet> model;
    review::ModelInfo info;
    std::vector<std::string> blocks;
    data::Normalization norm;
    int threads = 0;
    std::thread::id threadsSetOn;

    QString runName() const { return QStringLiteral("run %1").arg(run.id); }

    /// OpenMP keeps the thread count per calling thread: set it again when
    /// the Explainer is used on a thread other than the last one.
    void ensureThreads()
    {
        if (threadsSetOn != std::this_thread::get_id()) {
            setEngineThreads(threads);
            threadsSetOn = std::this_thread::get_id();
        }
    }

    Result<int> blockIndex(const QString &layer) const
    {
        if (layer.isEmpty())
            return int(blocks.size()) - 1;
        const auto it = std::find(blocks.begin(), blocks.end(), layer.toStdString());
        if (it == blocks.end())
            return makeError(Error::Code::Invalid,
                             QStringLiteral("%1 (%2) has no layer \"%3\"; its layers are %4")
                                 .arg(runName(), info.architecture, layer,
                                      info.layers.join(QStringLiteral(", "))),
                             projectFile);
        return int(it - blocks.begin());
    }

    /// `network` is the evaluation transform's output (imageSize square, BGR).
    Result<review::Explanation> explain(const cv::Mat &network, QSize displayed, qint64 imageId,
                                        const review::ExplainRequest &request, const QString &what)
    {
        auto index = blockIndex(request.layer);
        if (!index.ok())
            return index.error();
        const int classes = info.classNames.size();
        if (request.targetClass < -1 || request.targetClass >= classes)
            return makeError(Error::Code::Invalid,
                             QStringLiteral("class index %1 is out of range: %2 has %3 classes")
                                 .arg(request.targetClass)
                                 .arg(runName())
                                 .arg(classes),
                             projectFile);
        try {
            ensureThreads();
            const int side = info.imageSize;
            torch::Tensor input = torch::empty({1, 3, side, side}, torch::kFloat);
            data::writeChw(network, norm, input.data_ptr<float>());
            const cam::CamResult cr = cam::computeCam(*model, input, index.value(), request.method,
                                                      request.targetClass, info.multiLabel);
            review::Explanation e;
            e.runId = run.id;
            e.imageId = imageId;
            e.method = request.method;
            e.layer = QString::fromStdString(blocks[std::size_t(index.value())]);
            e.target = cr.target;
            e.predicted = cr.predicted;
            const torch::Tensor probs = cr.probabilities.contiguous();
            for (int c = 0; c < classes; ++c)
                e.probabilities.append(probs[c].item<float>());
            e.confidence = e.probabilities.value(cr.predicted);
            e.targetProbability = e.probabilities.value(cr.target);
            const torch::Tensor map = cr.map.contiguous();
            e.map = cv::Mat(int(map.size(0)), int(map.size(1)), CV_32FC1, map.data_ptr<float>())
                        .clone();
            e.imageSize = displayed;
            e.crop = centredSquare(displayed);
            if (request.deletionSteps > 0) {
                const std::vector<double> curve = cam::deletionCurve(
                    *model, input, cr.map, cr.target, info.multiLabel, request.deletionSteps);
                e.deletionCurve = QVector<double>(curve.begin(), curve.end());
                e.deletionScore = cam::curveArea(curve);
            }
            return e;
        } catch (const std::exception &ex) {
            return makeError(Error::Code::Invalid,
                             QStringLiteral("explaining %1 with %2 failed: %3")
                                 .arg(what, runName(), firstLine(ex)),
                             projectFile);
        }
    }

    /// A file decoded exactly as the evaluation loader does (reduced JPEG
    /// decode, orientation, shorter side to imageSize, centre crop).
    Result<review::Explanation> explainPath(const QString &path, std::optional<int> orientation,
                                            qint64 imageId, const review::ExplainRequest &request)
    {
        // The header gives the displayed size (the decode below may be reduced).
        auto bytes = readFileBytes(path);
        if (!bytes.ok())
            return bytes.error();
        auto probe = probeImage(bytes.value(), path);
        if (!probe.ok())
            return probe.error();
        LoaderItem item;
        item.imageId = imageId;
        item.path = path;
        item.orientation = orientation.value_or(probe->orientation);
        const bool swapped = item.orientation >= 5 && item.orientation <= 8;
        const QSize displayed = swapped ? QSize(probe->storedHeight, probe->storedWidth)
                                        : QSize(probe->storedWidth, probe->storedHeight);
        auto decoded = data::decodeAtTrainingSize(item, info.imageSize);
        if (!decoded.ok())
            return decoded.error();
        cv::Mat network;
        try {
            network = data::centreCrop(decoded.value(), info.imageSize);
        } catch (const cv::Exception &e) {
            return makeError(Error::Code::Decode, QString::fromStdString(e.msg), path);
        }
        return explain(network, displayed, imageId, request, path);
    }
};

Explainer::Explainer() : d(std::make_unique<Impl>()) {}
Explainer::~Explainer() = default;

Result<std::unique_ptr<Explainer>> Explainer::forRun(const QString &projectFile, qint64 runId,
                                                     const QString &checkpoint, int threads)
{
    std::unique_ptr<Explainer> ex(new Explainer());
    Impl &d = *ex->d;
    d.projectFile = projectFile;
    d.threads = threads;
    try {
        setEngineThreads(threads);
        d.threadsSetOn = std::this_thread::get_id();
        auto store = ProjectStore::open(projectFile, ProjectStore::OpenMode::ReadOnly);
        if (!store.ok())
            return store.error();
        d.store = std::move(store.value());
        RunStore runs(*d.store);
        auto run = runs.run(runId);
        if (!run.ok()) {
            Error e = run.error();
            if (e.path.isEmpty())
                e.path = projectFile;
            return e;
        }
        d.run = run.value();
        auto config = TrainConfig::fromJson(d.run.config, d.runName());
        if (!config.ok())
            return config.error();
        d.config = config.value();

        auto ckpt = runs.checkpoint(runId, checkpoint);
        if (!ckpt.ok() && ckpt.error().code == Error::Code::NotFound
            && checkpoint == QLatin1String("best"))
            ckpt = runs.checkpoint(runId, QStringLiteral("last"));
        if (!ckpt.ok()) {
            if (ckpt.error().code != Error::Code::NotFound)
                return ckpt.error();
            return makeError(Error::Code::NotFound,
                             QStringLiteral("%1 (\"%2\") has no checkpoint to explain: it has not "
                                            "finished an epoch")
                                 .arg(d.runName(), d.run.name),
                             projectFile);
        }
        // The checkpoint replaces every weight: no need to read the
        // pretrained file the run started from (it may be gone by now).
        TrainConfig fresh = d.config;
        fresh.weightsFile.clear();
        const int classes = int(d.run.classIds.size());
        auto model = buildModel(fresh, classes);
        if (!model.ok()) {
            Error e = model.error();
            e.message = d.runName() + QStringLiteral(": ") + e.message;
            return e;
        }
        d.model = model.value();
        SALIENT_TRY(loadCheckpoint(ckpt->data, *d.model, nullptr, nullptr,
                                   QStringLiteral("%1 in %2").arg(d.runName(), projectFile)));
        d.model->eval();
        for (torch::Tensor &p : d.model->parameters())
            p.set_requires_grad(false);

        d.blocks = d.model->blockNames();
        auto recipe = recipeFor(d.config, *d.store);
        if (!recipe.ok())
            return recipe.error();
        d.norm = data::normalizationFor(recipe.value());
        review::ModelInfo &info = d.info;
        info.runId = runId;
        info.architecture = QString::fromStdString(d.model->architecture());
        info.classNames = d.run.classNames;
        info.multiLabel = d.config.multiLabel;
        info.imageSize = d.config.effectiveImageSize();
        for (const std::string &b : d.blocks)
            info.layers << QString::fromStdString(b);
        info.defaultLayer = info.layers.value(info.layers.size() - 1);
        return ex;
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("loading run %1 for explanation failed: %2")
                             .arg(runId)
                             .arg(firstLine(e)),
                         projectFile);
    }
}

const review::ModelInfo &Explainer::info() const
{
    return d->info;
}

Result<review::Explanation> Explainer::explainImage(qint64 imageId,
                                                    const review::ExplainRequest &request)
{
    auto record = d->store->image(imageId);
    if (!record.ok()) {
        Error e = record.error();
        if (e.path.isEmpty())
            e.path = d->projectFile;
        return e;
    }
    return d->explainPath(record->absolutePath, record->orientation, imageId, request);
}

Result<review::Explanation> Explainer::explainFile(const QString &path,
                                                   const review::ExplainRequest &request)
{
    return d->explainPath(path, std::nullopt, 0, request);
}

Result<review::Explanation> Explainer::explainPixels(const cv::Mat &displayedBgr,
                                                     const review::ExplainRequest &request)
{
    if (displayedBgr.empty())
        return makeError(Error::Code::Invalid, QStringLiteral("no pixels to explain"));
    cv::Mat network;
    try {
        network = data::centreCrop(data::toBgr(displayedBgr), d->info.imageSize);
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode, QString::fromStdString(e.msg));
    }
    return d->explain(network, QSize(displayedBgr.cols, displayedBgr.rows), 0, request,
                      QStringLiteral("an image in memory"));
}

Result<QVector<double>> Explainer::deletionCurve(const cv::Mat &displayedBgr, const cv::Mat &map,
                                                 int target, int steps)
{
    const int classes = d->info.classNames.size();
    if (target < 0 || target >= classes)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("class index %1 is out of range: %2 has %3 classes")
                             .arg(target)
                             .arg(d->runName())
                             .arg(classes),
                         d->projectFile);
    if (displayedBgr.empty() || map.empty() || map.channels() != 1)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("a deletion curve needs an image and a one-channel map"));
    try {
        d->ensureThreads();
        const cv::Mat network = data::centreCrop(data::toBgr(displayedBgr), d->info.imageSize);
        const int side = d->info.imageSize;
        torch::Tensor input = torch::empty({1, 3, side, side}, torch::kFloat);
        data::writeChw(network, d->norm, input.data_ptr<float>());
        cv::Mat m;
        map.convertTo(m, CV_32F);
        m = m.clone();
        const torch::Tensor mapTensor =
            torch::from_blob(m.ptr<float>(), {m.rows, m.cols}, torch::kFloat).clone();
        const std::vector<double> curve = cam::deletionCurve(*d->model, input, mapTensor, target,
                                                             d->info.multiLabel, steps);
        return QVector<double>(curve.begin(), curve.end());
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("deletion curve with %1 failed: %2")
                             .arg(d->runName(), firstLine(e)),
                         d->projectFile);
    }
}

Status Explainer::randomise(const QString &layer, quint64 seed)
{
    auto index = d->blockIndex(layer);
    if (!index.ok())
        return index.error();
    try {
        ClassifierNet &model = *d->model;
        std::vector<std::shared_ptr<torch::nn::Module>> targets;
        if (layer.isEmpty()) {
            targets.push_back(d->model);
        } else {
            // The head side: top-level children registered after the one
            // holding the last block (fc, classifier); the stem before the
            // first block stays.
            const std::string lastTop = d->blocks.back().substr(0, d->blocks.back().find('.'));
            bool after = false;
            for (const auto &child : model.named_children()) {
                if (after)
                    targets.push_back(child.value());
                after = after || child.key() == lastTop;
            }
            const auto modules = model.named_modules();
            for (std::size_t i = std::size_t(index.value()); i < d->blocks.size(); ++i)
                if (const auto *m = modules.find(d->blocks[i]))
                    targets.push_back(*m);
        }
        at::Generator gen = at::detail::createCPUGenerator(seed);
        const InitScheme scheme = schemeFor(model.architecture());
        for (const auto &m : targets)
            reinitialise(*m, scheme, gen);
        return {};
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("randomising %1 failed: %2").arg(d->runName(), firstLine(e)),
                         d->projectFile);
    }
}

double mapRankCorrelation(const cv::Mat &a, const cv::Mat &b)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (a.empty() || a.size() != b.size() || a.channels() != 1 || b.channels() != 1)
        return nan;
    cv::Mat fa, fb;
    a.convertTo(fa, CV_32F);
    b.convertTo(fb, CV_32F);
    fa = fa.reshape(1, 1).clone();
    fb = fb.reshape(1, 1).clone();
    const std::vector<double> ra = ranksOf(std::vector<float>(fa.begin<float>(), fa.end<float>()));
    const std::vector<double> rb = ranksOf(std::vector<float>(fb.begin<float>(), fb.end<float>()));
    const double n = double(ra.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
    const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    if (saa <= 0 || sbb <= 0)
        return nan;
    return sab / std::sqrt(saa * sbb);
}

} // namespace salient::train
