// SPDX-License-Identifier: GPL-3.0-or-later
// The model factory, the shared blocks, ResNet and the small CNN. Layer names and
// registration order follow torchvision 0.14's resnet.py and ops/misc.py, because the
// names are the state_dict keys and the order is the state_dict order.
#include "core/train/models.h"

#include <array>
#include <cmath>

namespace salient::train {

std::vector<std::string> modelNames()
{
    return {"resnet18",           "resnet34",        "resnet50", "mobilenet_v3_small",
            "mobilenet_v3_large", "efficientnet_b0", "smallcnn"};
}

std::shared_ptr<ClassifierNet> makeModel(const std::string &name, int numClasses)
{
    if (numClasses < 1)
        return nullptr;
    try {
        if (name == "resnet18")
            return detail::makeResNet(18, numClasses);
        if (name == "resnet34")
            return detail::makeResNet(34, numClasses);
        if (name == "resnet50")
            return detail::makeResNet(50, numClasses);
        if (name == "mobilenet_v3_small")
            return detail::makeMobileNetV3(false, numClasses);
        if (name == "mobilenet_v3_large")
            return detail::makeMobileNetV3(true, numClasses);
        if (name == "efficientnet_b0")
            return detail::makeEfficientNetB0(numClasses);
        if (name == "smallcnn")
            return detail::makeSmallCnn(numClasses);
    } catch (const std::exception &) {
        // Only memory exhaustion gets here (c10::Error or bad_alloc): no model.
    }
    return nullptr;
}

namespace {
void collectState(const torch::nn::Module &module, const std::string &prefix,
                  std::vector<std::pair<std::string, torch::Tensor>> &out)
{
    for (const auto &p : module.named_parameters(/*recurse=*/false))
        out.emplace_back(prefix + p.key(), p.value());
    for (const auto &b : module.named_buffers(/*recurse=*/false))
        out.emplace_back(prefix + b.key(), b.value());
    for (const auto &c : module.named_children())
        collectState(*c.value(), prefix + c.key() + '.', out);
}
} // namespace

std::vector<std::pair<std::string, torch::Tensor>> stateDict(const torch::nn::Module &module)
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    collectState(module, {}, out);
    return out;
}

torch::Tensor activate(Activation activation, const torch::Tensor &x)
{
    switch (activation) {
    case Activation::None:
        return x;
    case Activation::ReLU:
        return torch::relu(x);
    case Activation::Hardswish:
        return torch::hardswish(x);
    case Activation::SiLU:
        return torch::silu(x);
    }
    return x;
}

ConvBnActImpl::ConvBnActImpl(int in, int out, int kernel, int stride, int groups,
                             Activation activation, NormOptions norm)
    : m_activation(activation)
{
    m_conv = register_module("0", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                                        .stride(stride)
                                                        .padding((kernel - 1) / 2)
                                                        .groups(groups)
                                                        .bias(false)));
    m_bn = register_module(
        "1", torch::nn::BatchNorm2d(
                 torch::nn::BatchNorm2dOptions(out).eps(norm.eps).momentum(norm.momentum)));
}

torch::Tensor ConvBnActImpl::forward(torch::Tensor x)
{
    return activate(m_activation, m_bn(m_conv(x)));
}

SqueezeExcitationImpl::SqueezeExcitationImpl(int channels, int squeezeChannels,
                                             Activation activation, bool hardGate)
    : m_activation(activation), m_hardGate(hardGate)
{
    m_fc1 = register_module(
        "fc1", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, squeezeChannels, 1)));
    m_fc2 = register_module(
        "fc2", torch::nn::Conv2d(torch::nn::Conv2dOptions(squeezeChannels, channels, 1)));
}

torch::Tensor SqueezeExcitationImpl::forward(torch::Tensor x)
{
    torch::Tensor scale = torch::adaptive_avg_pool2d(x, {1, 1});
    scale = m_fc2(activate(m_activation, m_fc1(scale)));
    scale = m_hardGate ? torch::hardsigmoid(scale) : torch::sigmoid(scale);
    return scale * x;
}

int makeDivisible(double v, int divisor, int minValue)
{
    if (minValue <= 0)
        minValue = divisor;
    int rounded = std::max(minValue, static_cast<int>(v + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * v)
        rounded += divisor;
    return rounded;
}

void initLinear(torch::nn::LinearImpl &linear, InitScheme scheme)
{
    torch::NoGradGuard noGrad;
    switch (scheme) {
    case InitScheme::ResNet:
        linear.reset_parameters(); // torchvision keeps PyTorch's default here
        break;
    case InitScheme::MobileNet:
        torch::nn::init::normal_(linear.weight, 0.0, 0.01);
        torch::nn::init::zeros_(linear.bias);
        break;
    case InitScheme::EfficientNet: {
        const double range = 1.0 / std::sqrt(static_cast<double>(linear.options.out_features()));
        torch::nn::init::uniform_(linear.weight, -range, range);
        torch::nn::init::zeros_(linear.bias);
        break;
    }
    }
}

void initWeights(torch::nn::Module &module, InitScheme scheme)
{
    torch::NoGradGuard noGrad;
    // Children only: the constructors call this before a shared_ptr owns the root.
    for (const auto &m : module.modules(/*include_self=*/false)) {
        if (auto *conv = m->as<torch::nn::Conv2dImpl>()) {
            // mode fan_out; ResNet names relu, the others keep leaky_relu with slope 0:
            // the same gain sqrt(2).
            torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
            if (conv->bias.defined())
                torch::nn::init::zeros_(conv->bias);
        } else if (auto *bn = m->as<torch::nn::BatchNorm2dImpl>()) {
            torch::nn::init::ones_(bn->weight);
            torch::nn::init::zeros_(bn->bias);
        } else if (auto *linear = m->as<torch::nn::LinearImpl>()) {
            initLinear(*linear, scheme);
        }
    }
}

namespace {

// ---- ResNet (resnet.py) ----------------------------------------------------------

torch::nn::Conv2d plainConv(int in, int out, int kernel, int stride)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                 .stride(stride)
                                 .padding((kernel - 1) / 2)
                                 .bias(false));
}

/// BasicBlock (two 3x3) or Bottleneck (1x1, 3x3 with the stride, 1x1 x4): the same
/// names conv1, bn1, conv2, bn2[, conv3, bn3][, downsample.0, downsample.1].
class ResidualBlockImpl : public torch::nn::Module {
public:
    ResidualBlockImpl(int inplanes, int planes, int stride, bool bottleneck)
        : m_bottleneck(bottleneck)
    {
        const int expansion = bottleneck ? 4 : 1;
        if (bottleneck) {
            m_conv1 = register_module("conv1", plainConv(inplanes, planes, 1, 1));
            m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
            m_conv2 = register_module("conv2", plainConv(planes, planes, 3, stride));
            m_bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
            m_conv3 = register_module("conv3", plainConv(planes, planes * expansion, 1, 1));
            m_bn3 = register_module("bn3", torch::nn::BatchNorm2d(planes * expansion));
        } else {
            m_conv1 = register_module("conv1", plainConv(inplanes, planes, 3, stride));
            m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(planes));
            m_conv2 = register_module("conv2", plainConv(planes, planes, 3, 1));
            m_bn2 = register_module("bn2", torch::nn::BatchNorm2d(planes));
        }
        if (stride != 1 || inplanes != planes * expansion) {
            m_downsample = register_module(
                "downsample",
                torch::nn::Sequential(plainConv(inplanes, planes * expansion, 1, stride),
                                      torch::nn::BatchNorm2d(planes * expansion)));
        }
    }

    torch::Tensor forward(torch::Tensor x)
    {
        torch::Tensor out = torch::relu(m_bn1(m_conv1(x)));
        out = m_bn2(m_conv2(out));
        if (m_bottleneck)
            out = m_bn3(m_conv3(torch::relu(out)));
        out = out + (m_downsample ? m_downsample->forward(x) : x);
        return torch::relu(out);
    }

private:
    bool m_bottleneck;
    torch::nn::Conv2d m_conv1{nullptr}, m_conv2{nullptr}, m_conv3{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr}, m_bn2{nullptr}, m_bn3{nullptr};
    torch::nn::Sequential m_downsample{nullptr};
};
TORCH_MODULE(ResidualBlock);

/// Global average pooling and one linear head called "fc" (ResNet, the small
/// CNN): the head handling both share.
class PooledFcNet : public ClassifierNet {
public:
    torch::Tensor classify(torch::Tensor featureMap) override
    {
        return m_fc(torch::adaptive_avg_pool2d(featureMap, {1, 1}).flatten(1));
    }
    std::string headName() const override { return "fc"; }
    torch::nn::Linear head() const override { return m_fc; }

    // A net whose features() is one Sequential child "features" (the small
    // CNN) explains its stages "features.0", "features.1", ...; ResNet
    // overrides both with its layer1..layer4.
    std::vector<std::string> blockNames() const override
    {
        std::vector<std::string> names;
        if (const auto seq = featureSequence())
            for (std::size_t i = 0; i < seq->size(); ++i)
                names.push_back("features." + std::to_string(i));
        return names.empty() ? ClassifierNet::blockNames() : names;
    }
    torch::Tensor featuresTapped(torch::Tensor x, int index,
                                 const std::function<torch::Tensor(torch::Tensor)> &tap) override
    {
        const auto seq = featureSequence();
        if (!seq)
            return ClassifierNet::featuresTapped(std::move(x), index, tap);
        int i = 0;
        for (auto &stage : *seq) {
            x = stage.forward(x);
            if (i++ == index)
                x = tap(x);
        }
        return x;
    }

    void replaceHead(int numClasses) override
    {
        if (numClasses < 1)
            return;
        torch::nn::Linear fc(featureChannels(), numClasses);
        initLinear(*fc, InitScheme::ResNet); // PyTorch's default, as torchvision keeps it
        fc->to(m_fc->weight.device(), m_fc->weight.scalar_type());
        m_fc = replace_module("fc", fc);
    }

protected:
    using ClassifierNet::ClassifierNet;
    torch::nn::Linear m_fc{nullptr};

private:
    std::shared_ptr<torch::nn::SequentialImpl> featureSequence() const
    {
        for (const auto &child : named_children())
            if (child.key() == "features")
                return std::dynamic_pointer_cast<torch::nn::SequentialImpl>(child.value());
        return nullptr;
    }
};

class ResNetImpl : public PooledFcNet {
public:
    ResNetImpl(int depth, int numClasses) : PooledFcNet("resnet" + std::to_string(depth), 224)
    {
        const bool bottleneck = depth >= 50;
        const std::array<int, 4> blocks =
            depth == 18 ? std::array<int, 4>{2, 2, 2, 2} : std::array<int, 4>{3, 4, 6, 3};
        m_conv1 = register_module(
            "conv1",
            torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 64, 7).stride(2).padding(3).bias(false)));
        m_bn1 = register_module("bn1", torch::nn::BatchNorm2d(64));
        int inplanes = 64;
        for (int i = 0; i < 4; ++i) {
            const int planes = 64 << i;
            torch::nn::Sequential layer;
            for (int b = 0; b < blocks[i]; ++b) {
                layer->push_back(
                    ResidualBlock(inplanes, planes, (b == 0 && i > 0) ? 2 : 1, bottleneck));
                inplanes = planes * (bottleneck ? 4 : 1);
            }
            m_layers[i] = register_module("layer" + std::to_string(i + 1), layer);
        }
        m_fc = register_module("fc", torch::nn::Linear(inplanes, numClasses));
        initWeights(*this, InitScheme::ResNet);
    }

    torch::Tensor features(torch::Tensor x) override
    {
        x = torch::relu(m_bn1(m_conv1(x)));
        x = torch::max_pool2d(x, 3, 2, 1);
        for (auto &layer : m_layers)
            x = layer->forward(x);
        return x;
    }

    // The stem (conv1, bn1, max pool) runs before layer1 and is no block of its own.
    std::vector<std::string> blockNames() const override
    {
        return {"layer1", "layer2", "layer3", "layer4"};
    }
    torch::Tensor featuresTapped(torch::Tensor x, int index,
                                 const std::function<torch::Tensor(torch::Tensor)> &tap) override
    {
        x = torch::relu(m_bn1(m_conv1(x)));
        x = torch::max_pool2d(x, 3, 2, 1);
        for (std::size_t i = 0; i < m_layers.size(); ++i) {
            x = m_layers[i]->forward(x);
            if (int(i) == index)
                x = tap(x);
        }
        return x;
    }

private:
    torch::nn::Conv2d m_conv1{nullptr};
    torch::nn::BatchNorm2d m_bn1{nullptr};
    std::array<torch::nn::Sequential, 4> m_layers{nullptr, nullptr, nullptr, nullptr};
};

// ---- Small CNN for tiny images (no torchvision counterpart) ----------------------

/// Three stages of two conv-BN-ReLU blocks (16, 32, 64 channels; the last two
/// halve the size), global average pooling and a linear head: enough for 28x28 to 64x64 images,
/// trainable from scratch in seconds on a CPU.
/// Two 3x3 ConvBnAct, children "0" and "1"; the first may stride.
class SmallCnnStageImpl : public torch::nn::Module {
public:
    SmallCnnStageImpl(int in, int out, int stride)
    {
        m_first = register_module("0", ConvBnAct(in, out, 3, stride, 1, Activation::ReLU, NormOptions{}));
        m_second = register_module("1", ConvBnAct(out, out, 3, 1, 1, Activation::ReLU, NormOptions{}));
    }
    torch::Tensor forward(torch::Tensor x) { return m_second(m_first(x)); }

private:
    ConvBnAct m_first{nullptr};
    ConvBnAct m_second{nullptr};
};
TORCH_MODULE(SmallCnnStage);

class SmallCnnImpl : public PooledFcNet {
    static constexpr int kWidths[3] = {16, 32, 64};

public:
    explicit SmallCnnImpl(int numClasses) : PooledFcNet("smallcnn", 64)
    {
        // Three stages of two 3x3 convolutions (kWidths channels; the second
        // and third start with stride 2). The freeze policies map
        // layer1..layer3 to features.0..features.2. Six convolutions, not
        // three: the three-convolution version underfit Fashion-MNIST (0.88).
        // 16/32/64, not 32/64/128: a quarter of the arithmetic (7.5 M
        // multiply-adds at 28 px), 2-4x the training images per second on a
        // CPU, and Fashion-MNIST still reaches 0.925 (bench/README.md).
        m_features = register_module("features",
                                     torch::nn::Sequential(SmallCnnStage(3, kWidths[0], 1),
                                                           SmallCnnStage(kWidths[0], kWidths[1], 2),
                                                           SmallCnnStage(kWidths[1], kWidths[2], 2)));
        m_fc = register_module("fc", torch::nn::Linear(kWidths[2], numClasses));
        initWeights(*this, InitScheme::ResNet);
    }

    torch::Tensor features(torch::Tensor x) override { return m_features->forward(x); }

private:
    torch::nn::Sequential m_features{nullptr};
};

} // namespace

namespace detail {
std::shared_ptr<ClassifierNet> makeResNet(int depth, int numClasses)
{
    return std::make_shared<ResNetImpl>(depth, numClasses);
}
std::shared_ptr<ClassifierNet> makeSmallCnn(int numClasses)
{
    return std::make_shared<SmallCnnImpl>(numClasses);
}
} // namespace detail

} // namespace salient::train
