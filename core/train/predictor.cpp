// SPDX-License-Identifier: GPL-3.0-or-later
// Predictor: an exported model (ONNX through OpenCV dnn, or a LibTorch
// export) fed exactly what the evaluation loader feeds the run's model.
#include "core/train/predictor.h"

#include "core/imaging/decode.h"
#include "core/imaging/probe.h"
#include "core/train/datapipeline.h"
#include "core/train/engineinfo.h"
#include "core/train/modelfile.h"

#include <QFile>

#include <onnx/onnx_pb.h>
#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace salient::train {

namespace {

constexpr const char *kMetaProp = "salient.meta";

QString firstLine(const std::string &what)
{
    return QString::fromStdString(what).section(QLatin1Char('\n'), 0, 0).trimmed();
}

data::Normalization normalizationOf(const ModelMeta &meta)
{
    data::Normalization n;
    for (int c = 0; c < 3; ++c) {
        if (meta.normalisationBuiltIn) {
            n.scale[c] = 1.0f;
            n.offset[c] = 0.0f;
        } else {
            // The same float arithmetic as data::normalizationFor().
            const double s = std::max(1e-6, meta.std[c]);
            n.scale[c] = float(1.0 / (255.0 * s));
            n.offset[c] = float(-meta.mean[c] / s);
        }
    }
    return n;
}

/// An image decoded as displayed -> the network's size x size BGR window.
cv::Mat networkImage(const cv::Mat &displayed, int size)
{
    return data::centreCrop(data::toBgr(toDisplayDepth(displayed)), size);
}

/// A file -> the network's window, decoded exactly as the evaluation loader
/// does (EXIF orientation, reduced JPEG decode, shorter side, centre crop).
Result<cv::Mat> networkImageOf(const QString &path, int size)
{
    auto bytes = readFileBytes(path);
    if (!bytes.ok())
        return bytes.error();
    auto probe = probeImage(bytes.value(), path);
    if (!probe.ok())
        return probe.error();
    LoaderItem item;
    item.path = path;
    item.orientation = probe->orientation;
    auto decoded = data::decodeAtTrainingSize(item, size);
    if (!decoded.ok())
        return decoded.error();
    try {
        return data::centreCrop(decoded.value(), size).clone();
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode, firstLine(e.msg), path);
    }
}

/// The fixed value of a tensor dimension, or 0 when symbolic / absent.
std::int64_t dimValue(const ::onnx::ValueInfoProto &info, int index)
{
    if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape())
        return 0;
    const auto &shape = info.type().tensor_type().shape();
    if (index >= shape.dim_size() || !shape.dim(index).has_dim_value())
        return 0;
    return shape.dim(index).dim_value();
}

int dimCount(const ::onnx::ValueInfoProto &info)
{
    if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape())
        return -1;
    return info.type().tensor_type().shape().dim_size();
}

} // namespace

struct Predictor::Impl {
    QString file;
    ModelMeta meta;
    int threads = 0;
    data::Normalization norm;
    // ONNX
    bool onnx = false;
    cv::dnn::Net net;
    std::string inputName;
    int fixedBatch = 0; ///< > 0: the graph's batch dimension is fixed
    // LibTorch
    std::shared_ptr<ClassifierNet> model;

    /// images (network windows, size x size BGR) -> logits, one batch.
    Result<QVector<QVector<float>>> run(const std::vector<cv::Mat> &images);
    Result<QVector<QVector<float>>> runOnnx(const std::vector<cv::Mat> &images);
    Result<QVector<QVector<float>>> runTorch(const std::vector<cv::Mat> &images);
    ImagePrediction predictionOf(const QVector<float> &logits, int topK) const;
    Status openOnnx(const QByteArray &bytes);
};

Status Predictor::Impl::openOnnx(const QByteArray &bytes)
{
    ::onnx::ModelProto proto;
    if (!proto.ParseFromArray(bytes.constData(), int(bytes.size())) || !proto.has_graph()
        || proto.ir_version() <= 0 || proto.graph().node_size() == 0)
        return makeError(Error::Code::Parse,
                         QStringLiteral("is truncated, damaged or not a model file (neither a "
                                        "complete ONNX model nor a LibTorch export)"),
                         file);
    QByteArray metaJson;
    for (const auto &prop : proto.metadata_props())
        if (prop.key() == kMetaProp)
            metaJson = QByteArray::fromStdString(prop.value());
    if (metaJson.isEmpty())
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("is an ONNX model without Salient Studio metadata (%1): "
                                        "its classes and preprocessing are unknown")
                             .arg(QLatin1String(kMetaProp)),
                         file);
    auto parsed = ModelMeta::fromJson(metaJson, file);
    if (!parsed)
        return parsed.error();
    meta = parsed.value();
    norm = normalizationOf(meta);
    const int classes = int(meta.classNames.size());

    const auto &graph = proto.graph();
    std::vector<std::string> initialisers;
    for (const auto &init : graph.initializer())
        initialisers.push_back(init.name());
    const ::onnx::ValueInfoProto *input = nullptr;
    for (const auto &in : graph.input())
        if (std::find(initialisers.begin(), initialisers.end(), in.name()) == initialisers.end()) {
            if (input)
                return makeError(Error::Code::Unsupported,
                                 QStringLiteral("has more than one input; an image classifier "
                                                "takes one"),
                                 file);
            input = &in;
        }
    if (!input)
        return makeError(Error::Code::Parse, QStringLiteral("has no graph input"), file);
    inputName = input->name();
    if (dimCount(*input) >= 0 && dimCount(*input) != 4)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("takes a %1-dimensional input; an image classifier takes "
                                        "N x 3 x H x W")
                             .arg(dimCount(*input)),
                         file);
    const std::int64_t channels = dimValue(*input, 1), h = dimValue(*input, 2),
                       w = dimValue(*input, 3);
    if (channels != 0 && channels != 3)
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("takes %1-channel images; Salient models take RGB")
                             .arg(channels),
                         file);
    if ((h != 0 && h != meta.inputSize) || (w != 0 && w != meta.inputSize))
        return makeError(Error::Code::Parse,
                         QStringLiteral("wrong input size: the network takes %1 x %2 images but "
                                        "its metadata says %3 x %3")
                             .arg(h ? QString::number(h) : QStringLiteral("?"),
                                  w ? QString::number(w) : QStringLiteral("?"))
                             .arg(meta.inputSize),
                         file);
    fixedBatch = int(dimValue(*input, 0));
    for (const auto &out : graph.output()) {
        if (dimCount(out) != 2)
            continue; // "features" is N x C x h x w
        const std::int64_t width = dimValue(out, 1);
        if (width != 0 && width != classes)
            return makeError(Error::Code::Parse,
                             QStringLiteral("lists %1 classes in its metadata but its output "
                                            "\"%2\" has %3 values per image")
                                 .arg(classes)
                                 .arg(QString::fromStdString(out.name()))
                                 .arg(width),
                             file);
    }

    try {
        net = cv::dnn::readNetFromONNX(bytes.constData(), size_t(bytes.size()));
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("OpenCV dnn cannot read this ONNX model: %1").arg(firstLine(e.msg)),
                         file);
    }
    if (net.empty())
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("OpenCV dnn read an empty network from it"), file);
    // One image through it now, so that a model that cannot run at its
    // stated size, or whose outputs do not fit its classes, fails here.
    std::vector<cv::Mat> probe{cv::Mat(meta.inputSize, meta.inputSize, CV_8UC3, cv::Scalar::all(0))};
    auto logits = runOnnx(probe);
    if (!logits)
        return logits.error();
    return {};
}

Result<QVector<QVector<float>>> Predictor::Impl::runOnnx(const std::vector<cv::Mat> &images)
{
    const int n = int(images.size()), s = meta.inputSize, classes = int(meta.classNames.size());
    QVector<QVector<float>> result;
    if (fixedBatch > 0 && n != fixedBatch) {
        // A graph exported for a fixed batch: feed it that many at a time.
        for (int i = 0; i < n; i += fixedBatch) {
            std::vector<cv::Mat> part;
            for (int j = i; j < std::min(n, i + fixedBatch); ++j)
                part.push_back(images[size_t(j)]);
            while (int(part.size()) < fixedBatch)
                part.push_back(part.back());
            auto r = runOnnx(part);
            if (!r)
                return r.error();
            for (int j = 0; j < std::min(fixedBatch, n - i); ++j)
                result << r->at(j);
        }
        return result;
    }
    try {
        const int dims[4] = {n, 3, s, s};
        cv::Mat blob(4, dims, CV_32F);
        for (int i = 0; i < n; ++i)
            data::writeChw(images[size_t(i)], norm, blob.ptr<float>(i));
        cv::setNumThreads(threads > 0 ? threads : -1);
        net.setInput(blob, inputName);
        std::vector<cv::Mat> outs;
        const std::vector<cv::String> names = net.getUnconnectedOutLayersNames();
        net.forward(outs, names);
        const cv::Mat *logits = nullptr;
        for (const cv::Mat &m : outs)
            if (m.dims == 2 || (m.dims == 4 && m.size[2] == 1 && m.size[3] == 1 && outs.size() == 1))
                logits = &m;
        if (!logits || logits->size[0] != n || int(logits->total()) != n * classes)
            return makeError(Error::Code::Parse,
                             QStringLiteral("lists %1 classes in its metadata but the network "
                                            "gives %2 values per image")
                                 .arg(classes)
                                 .arg(logits && n ? int(logits->total()) / n : 0),
                             file);
        const cv::Mat flat = logits->reshape(1, n);
        for (int i = 0; i < n; ++i) {
            const float *row = flat.ptr<float>(i);
            result << QVector<float>(row, row + classes);
        }
        return result;
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Unsupported,
                         QStringLiteral("OpenCV dnn cannot run this model on %1 x %2 x %2 input "
                                        "(its metadata's input size): %3")
                             .arg(n)
                             .arg(s)
                             .arg(firstLine(e.msg)),
                         file);
    }
}

Result<QVector<QVector<float>>> Predictor::Impl::runTorch(const std::vector<cv::Mat> &images)
{
    const int n = int(images.size()), s = meta.inputSize;
    try {
        setEngineThreads(threads); // per calling thread (OpenMP settings are)
        torch::InferenceMode inference;
        torch::Tensor input = torch::empty({n, 3, s, s}, torch::kFloat);
        float *dst = input.data_ptr<float>();
        for (int i = 0; i < n; ++i)
            data::writeChw(images[size_t(i)], norm, dst + size_t(i) * 3 * size_t(s) * size_t(s));
        const torch::Tensor out = model->forward(input).to(torch::kFloat).contiguous();
        const int classes = int(out.size(1));
        const float *p = out.data_ptr<float>();
        QVector<QVector<float>> result;
        for (int i = 0; i < n; ++i)
            result << QVector<float>(p + i * classes, p + (i + 1) * classes);
        return result;
    } catch (const std::exception &e) {
        return makeError(Error::Code::Invalid,
                         QStringLiteral("LibTorch failed: %1").arg(firstLine(e.what())), file);
    }
}

Result<QVector<QVector<float>>> Predictor::Impl::run(const std::vector<cv::Mat> &images)
{
    if (images.empty())
        return QVector<QVector<float>>{};
    return onnx ? runOnnx(images) : runTorch(images);
}

ImagePrediction Predictor::Impl::predictionOf(const QVector<float> &logits, int topK) const
{
    ImagePrediction p;
    const int c = int(logits.size());
    p.probabilities.resize(c);
    if (meta.multiLabel) {
        for (int i = 0; i < c; ++i)
            p.probabilities[i] = float(1.0 / (1.0 + std::exp(-double(logits[i]))));
    } else {
        const double top = c ? double(*std::max_element(logits.begin(), logits.end())) : 0.0;
        double sum = 0;
        for (int i = 0; i < c; ++i)
            sum += std::exp(double(logits[i]) - top);
        for (int i = 0; i < c; ++i)
            p.probabilities[i] = float(std::exp(double(logits[i]) - top) / sum);
    }
    QVector<int> order(c);
    std::iota(order.begin(), order.end(), 0);
    // By logit, not probability: a saturated sigmoid or softmax ties in float.
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return logits[a] > logits[b]; });
    p.topClasses = order.mid(0, std::clamp(topK, 0, c));
    if (meta.multiLabel) {
        for (int i = 0; i < c; ++i)
            if (p.probabilities[i] >= meta.thresholds.value(i, 0.5))
                p.predicted << i;
    } else if (c > 0) {
        p.predicted << order.first();
    }
    return p;
}

Predictor::Predictor() : d(std::make_unique<Impl>()) {}
Predictor::~Predictor() = default;

Result<std::unique_ptr<Predictor>> Predictor::open(const QString &modelFile, int threads)
{
    QFile f(modelFile);
    if (!f.exists())
        return makeError(Error::Code::NotFound, QStringLiteral("no such model file"), modelFile);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(Error::Code::Io, f.errorString(), modelFile);
    const QByteArray bytes = f.readAll();
    f.close();
    if (bytes.isEmpty())
        return makeError(Error::Code::Parse, QStringLiteral("is empty (0 bytes): not a model file"),
                         modelFile);

    std::unique_ptr<Predictor> p(new Predictor);
    p->d->file = modelFile;
    p->d->threads = threads;
    if (looksLikeZip(bytes)) {
        auto loaded = loadLibTorchModelBytes(bytes, modelFile);
        if (!loaded)
            return loaded.error();
        p->d->meta = loaded->meta;
        p->d->model = loaded->model;
    } else {
        const QString kind = foreignFileKind(bytes);
        if (!kind.isEmpty())
            return makeError(Error::Code::Unsupported,
                             QStringLiteral("is %1, not a model file (ONNX or LibTorch export)").arg(kind),
                             modelFile);
        p->d->onnx = true;
        // Every message below names the file; protobuf and OpenCV never throw past here.
        try {
            SALIENT_TRY(p->d->openOnnx(bytes));
        } catch (const std::exception &e) {
            return makeError(Error::Code::Parse,
                             QStringLiteral("cannot be read as an ONNX model: %1").arg(firstLine(e.what())),
                             modelFile);
        }
    }
    p->d->norm = normalizationOf(p->d->meta);
    return p;
}

const ModelMeta &Predictor::meta() const
{
    return d->meta;
}

QString Predictor::runtime() const
{
    if (d->onnx)
        return QStringLiteral("OpenCV dnn %1").arg(QLatin1String(CV_VERSION));
    return QStringLiteral("LibTorch %1").arg(engineInfo().torchVersion);
}

Result<QVector<QVector<float>>> Predictor::logits(const QVector<cv::Mat> &displayedBgr)
{
    std::vector<cv::Mat> images;
    try {
        for (const cv::Mat &m : displayedBgr) {
            if (m.empty())
                return makeError(Error::Code::Invalid, QStringLiteral("an empty image was given"),
                                 d->file);
            images.push_back(networkImage(m, d->meta.inputSize));
        }
    } catch (const cv::Exception &e) {
        return makeError(Error::Code::Decode, firstLine(e.msg), d->file);
    }
    return d->run(images);
}

Result<QVector<ImagePrediction>> Predictor::predictPixels(const QVector<cv::Mat> &displayedBgr,
                                                          int topK)
{
    auto all = logits(displayedBgr);
    if (!all)
        return all.error();
    QVector<ImagePrediction> out;
    for (const QVector<float> &row : *all)
        out << d->predictionOf(row, topK);
    return out;
}

QVector<ImagePrediction> Predictor::predictFiles(const QStringList &paths, int topK, int batchSize)
{
    QVector<ImagePrediction> out(paths.size());
    batchSize = std::max(1, batchSize);
    for (qsizetype start = 0; start < paths.size(); start += batchSize) {
        const qsizetype end = std::min(paths.size(), start + batchSize);
        std::vector<cv::Mat> images;
        QVector<qsizetype> slots;
        for (qsizetype i = start; i < end; ++i) {
            out[i].path = paths.at(i);
            auto image = networkImageOf(paths.at(i), d->meta.inputSize);
            if (!image) {
                out[i].error = image.error();
                continue;
            }
            images.push_back(image.value());
            slots << i;
        }
        auto batch = d->run(images);
        for (qsizetype j = 0; j < slots.size(); ++j) {
            ImagePrediction &p = out[slots.at(j)];
            if (!batch) {
                p.error = batch.error();
                continue;
            }
            const QString path = p.path;
            p = d->predictionOf(batch->at(j), topK);
            p.path = path;
        }
    }
    return out;
}

cv::Mat preparedBlob(const cv::Mat &displayedBgr, const ModelMeta &meta)
{
    const int s = meta.inputSize;
    if (displayedBgr.empty() || s < 1)
        return {};
    try {
        const int dims[4] = {1, 3, s, s};
        cv::Mat blob(4, dims, CV_32F);
        data::writeChw(networkImage(displayedBgr, s), normalizationOf(meta), blob.ptr<float>());
        return blob;
    } catch (const cv::Exception &) {
        return {}; // an image OpenCV cannot convert: no blob
    }
}

} // namespace salient::train
