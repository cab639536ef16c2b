// SPDX-License-Identifier: GPL-3.0-or-later
// MobileNetV3-Small/Large and EfficientNet-B0, following torchvision 0.14's
// mobilenetv3.py and efficientnet.py: their "features.N" containers, the
// "block.M" sequences inside each inverted residual, and their classifiers.
#include "core/train/models.h"

namespace salient::train {
namespace {

/// A child-only container whose children are named "0", "1", ... like Python's
/// nn.Sequential; the owner keeps typed pointers and runs them itself, which also
/// lets containers nest (LibTorch's Sequential cannot hold a Sequential).
std::shared_ptr<torch::nn::Module> indexed()
{
    return std::make_shared<torch::nn::Module>();
}

template <typename Holder>
Holder append(torch::nn::Module &container, Holder module)
{
    container.register_module(std::to_string(container.children().size()), module);
    return module;
}

// ---- MobileNetV3 (mobilenetv3.py) -------------------------------------------------

struct BottleneckConfig {
    int in;
    int kernel;
    int expanded;
    int out;
    bool se;
    bool hardswish;
    int stride;
};

// Tables 1 and 2 of the MobileNetV3 paper, as torchvision lists them (width 1.0, no
// dilation, full tail).
const std::vector<BottleneckConfig> kLargeConfig = {
    {16, 3, 16, 16, false, false, 1},  {16, 3, 64, 24, false, false, 2},
    {24, 3, 72, 24, false, false, 1},  {24, 5, 72, 40, true, false, 2},
    {40, 5, 120, 40, true, false, 1},  {40, 5, 120, 40, true, false, 1},
    {40, 3, 240, 80, false, true, 2},  {80, 3, 200, 80, false, true, 1},
    {80, 3, 184, 80, false, true, 1},  {80, 3, 184, 80, false, true, 1},
    {80, 3, 480, 112, true, true, 1},  {112, 3, 672, 112, true, true, 1},
    {112, 5, 672, 160, true, true, 2}, {160, 5, 960, 160, true, true, 1},
    {160, 5, 960, 160, true, true, 1},
};
const std::vector<BottleneckConfig> kSmallConfig = {
    {16, 3, 16, 16, true, false, 2},  {16, 3, 72, 24, false, false, 2},
    {24, 3, 88, 24, false, false, 1}, {24, 5, 96, 40, true, true, 2},
    {40, 5, 240, 40, true, true, 1},  {40, 5, 240, 40, true, true, 1},
    {40, 5, 120, 48, true, true, 1},  {48, 5, 144, 48, true, true, 1},
    {48, 5, 288, 96, true, true, 2},  {96, 5, 576, 96, true, true, 1},
    {96, 5, 576, 96, true, true, 1},
};
constexpr NormOptions kMobileNorm{1e-3, 0.01};
constexpr double kMobileDropout = 0.2;

/// "block": [expand 1x1] depthwise [SE] project, with a residual when shapes allow.
class InvertedResidualImpl : public torch::nn::Module {
public:
    explicit InvertedResidualImpl(const BottleneckConfig &c)
        : m_residual(c.stride == 1 && c.in == c.out)
    {
        const Activation act = c.hardswish ? Activation::Hardswish : Activation::ReLU;
        m_block = register_module("block", torch::nn::Sequential());
        if (c.expanded != c.in)
            m_block->push_back(ConvBnAct(c.in, c.expanded, 1, 1, 1, act, kMobileNorm));
        m_block->push_back(
            ConvBnAct(c.expanded, c.expanded, c.kernel, c.stride, c.expanded, act, kMobileNorm));
        if (c.se)
            m_block->push_back(SqueezeExcitation(c.expanded, makeDivisible(c.expanded / 4, 8),
                                                 Activation::ReLU, true));
        m_block->push_back(ConvBnAct(c.expanded, c.out, 1, 1, 1, Activation::None, kMobileNorm));
    }

    torch::Tensor forward(torch::Tensor x)
    {
        torch::Tensor y = m_block->forward(x);
        return m_residual ? y + x : y;
    }

private:
    torch::nn::Sequential m_block{nullptr};
    bool m_residual;
};
TORCH_MODULE(InvertedResidual);

class MobileNetV3Impl : public ClassifierNet {
public:
    MobileNetV3Impl(bool large, int numClasses)
        : ClassifierNet(large ? "mobilenet_v3_large" : "mobilenet_v3_small", 224)
    {
        const std::vector<BottleneckConfig> &config = large ? kLargeConfig : kSmallConfig;
        const int lastConvIn = config.back().out;
        const int lastConvOut = 6 * lastConvIn;
        const int lastChannel = large ? 1280 : 1024;

        m_features = register_module("features", torch::nn::Sequential());
        m_features->push_back(
            ConvBnAct(3, config.front().in, 3, 2, 1, Activation::Hardswish, kMobileNorm));
        for (const BottleneckConfig &c : config)
            m_features->push_back(InvertedResidual(c));
        m_features->push_back(
            ConvBnAct(lastConvIn, lastConvOut, 1, 1, 1, Activation::Hardswish, kMobileNorm));

        // classifier: 0 Linear, 1 Hardswish, 2 Dropout, 3 Linear; only 0 and 3 have keys.
        m_classifier = register_module("classifier", indexed());
        m_hidden = torch::nn::Linear(lastConvOut, lastChannel);
        m_fc = torch::nn::Linear(lastChannel, numClasses);
        m_classifier->register_module("0", m_hidden);
        m_classifier->register_module("3", m_fc);
        initWeights(*this, InitScheme::MobileNet);
    }

    torch::Tensor features(torch::Tensor x) override { return m_features->forward(x); }

    std::vector<std::string> blockNames() const override
    {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < m_features->size(); ++i)
            names.push_back("features." + std::to_string(i));
        return names;
    }
    torch::Tensor featuresTapped(torch::Tensor x, int index,
                                 const std::function<torch::Tensor(torch::Tensor)> &tap) override
    {
        int i = 0;
        for (auto &block : *m_features) {
            x = block.forward(x);
            if (i++ == index)
                x = tap(x);
        }
        return x;
    }

    torch::Tensor classify(torch::Tensor featureMap) override
    {
        torch::Tensor x = torch::adaptive_avg_pool2d(featureMap, {1, 1}).flatten(1);
        x = torch::hardswish(m_hidden(x));
        x = torch::dropout(x, kMobileDropout, is_training());
        return m_fc(x);
    }

    std::string headName() const override { return "classifier.3"; }
    torch::nn::Linear head() const override { return m_fc; }

    void replaceHead(int numClasses) override
    {
        if (numClasses < 1)
            return;
        torch::nn::Linear fc(m_fc->options.in_features(), numClasses);
        initLinear(*fc, InitScheme::MobileNet);
        fc->to(m_fc->weight.device(), m_fc->weight.scalar_type());
        m_fc = m_classifier->replace_module("3", fc);
    }

    int featureChannels() const override
    {
        return static_cast<int>(m_hidden->options.in_features());
    }

private:
    torch::nn::Sequential m_features{nullptr};
    std::shared_ptr<torch::nn::Module> m_classifier;
    torch::nn::Linear m_hidden{nullptr};
    torch::nn::Linear m_fc{nullptr};
};

// ---- EfficientNet-B0 (efficientnet.py) ---------------------------------------------

struct StageConfig {
    int expandRatio;
    int kernel;
    int stride;
    int in;
    int out;
    int layers;
};

// Table 1 of the EfficientNet paper at width and depth 1.0.
const std::vector<StageConfig> kB0Config = {
    {1, 3, 1, 32, 16, 1},  {6, 3, 2, 16, 24, 2},   {6, 5, 2, 24, 40, 2},   {6, 3, 2, 40, 80, 3},
    {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1},
};
constexpr double kB0Dropout = 0.2;
constexpr double kB0StochasticDepth = 0.2;

/// MBConv: "block": [expand 1x1] depthwise SE project; the residual branch is
/// dropped per sample with the block's stochastic depth probability while training.
class MBConvImpl : public torch::nn::Module {
public:
    MBConvImpl(int expandRatio, int kernel, int stride, int in, int out, double dropProbability)
        : m_residual(stride == 1 && in == out), m_dropProbability(dropProbability)
    {
        const int expanded = makeDivisible(in * expandRatio, 8);
        m_block = register_module("block", torch::nn::Sequential());
        if (expanded != in)
            m_block->push_back(ConvBnAct(in, expanded, 1, 1, 1, Activation::SiLU, NormOptions{}));
        m_block->push_back(ConvBnAct(expanded, expanded, kernel, stride, expanded, Activation::SiLU,
                                     NormOptions{}));
        m_block->push_back(
            SqueezeExcitation(expanded, std::max(1, in / 4), Activation::SiLU, false));
        m_block->push_back(ConvBnAct(expanded, out, 1, 1, 1, Activation::None, NormOptions{}));
    }

    torch::Tensor forward(torch::Tensor x)
    {
        torch::Tensor y = m_block->forward(x);
        if (!m_residual)
            return y;
        if (is_training() && m_dropProbability > 0.0) {
            const double survival = 1.0 - m_dropProbability;
            torch::Tensor keep =
                torch::empty({y.size(0), 1, 1, 1}, y.options()).bernoulli_(survival).div_(survival);
            y = y * keep;
        }
        return y + x;
    }

private:
    torch::nn::Sequential m_block{nullptr};
    bool m_residual;
    double m_dropProbability;
};
TORCH_MODULE(MBConv);

class EfficientNetB0Impl : public ClassifierNet {
public:
    explicit EfficientNetB0Impl(int numClasses) : ClassifierNet("efficientnet_b0", 224)
    {
        int totalBlocks = 0;
        for (const StageConfig &s : kB0Config)
            totalBlocks += s.layers;

        auto features = register_module("features", indexed());
        m_stem = append(*features, ConvBnAct(3, kB0Config.front().in, 3, 2, 1, Activation::SiLU,
                                             NormOptions{}));
        int blockId = 0;
        for (const StageConfig &s : kB0Config) {
            auto stage = append(*features, indexed());
            for (int i = 0; i < s.layers; ++i) {
                const double drop = kB0StochasticDepth * blockId / totalBlocks;
                m_blocks.push_back(
                    append(*stage, MBConv(s.expandRatio, s.kernel, i == 0 ? s.stride : 1,
                                          i == 0 ? s.in : s.out, s.out, drop)));
                ++blockId;
            }
            m_stageEnds.push_back(blockId);
        }
        const int lastIn = kB0Config.back().out;
        m_lastConv = append(
            *features, ConvBnAct(lastIn, 4 * lastIn, 1, 1, 1, Activation::SiLU, NormOptions{}));

        // classifier: 0 Dropout, 1 Linear.
        m_classifier = register_module("classifier", indexed());
        m_fc = m_classifier->register_module("1", torch::nn::Linear(4 * lastIn, numClasses));
        initWeights(*this, InitScheme::EfficientNet);
    }

    torch::Tensor features(torch::Tensor x) override
    {
        x = m_stem(x);
        for (MBConv &block : m_blocks)
            x = block(x);
        return m_lastConv(x);
    }

    // features.0 the stem, features.1..7 the stages, features.8 the last 1x1 conv.
    std::vector<std::string> blockNames() const override
    {
        std::vector<std::string> names;
        for (std::size_t i = 0; i < m_stageEnds.size() + 2; ++i)
            names.push_back("features." + std::to_string(i));
        return names;
    }
    torch::Tensor featuresTapped(torch::Tensor x, int index,
                                 const std::function<torch::Tensor(torch::Tensor)> &tap) override
    {
        x = m_stem(x);
        if (index == 0)
            x = tap(x);
        std::size_t block = 0;
        for (std::size_t stage = 0; stage < m_stageEnds.size(); ++stage) {
            for (; block < std::size_t(m_stageEnds[stage]); ++block)
                x = m_blocks[block](x);
            if (index == int(stage) + 1)
                x = tap(x);
        }
        x = m_lastConv(x);
        return index == int(m_stageEnds.size()) + 1 ? tap(x) : x;
    }

    torch::Tensor classify(torch::Tensor featureMap) override
    {
        torch::Tensor x = torch::adaptive_avg_pool2d(featureMap, {1, 1}).flatten(1);
        return m_fc(torch::dropout(x, kB0Dropout, is_training()));
    }

    std::string headName() const override { return "classifier.1"; }
    torch::nn::Linear head() const override { return m_fc; }

    void replaceHead(int numClasses) override
    {
        if (numClasses < 1)
            return;
        torch::nn::Linear fc(featureChannels(), numClasses);
        initLinear(*fc, InitScheme::EfficientNet);
        fc->to(m_fc->weight.device(), m_fc->weight.scalar_type());
        m_fc = m_classifier->replace_module("1", fc);
    }

private:
    ConvBnAct m_stem{nullptr};
    std::vector<MBConv> m_blocks;
    std::vector<int> m_stageEnds; ///< m_blocks index after each stage's last block
    ConvBnAct m_lastConv{nullptr};
    std::shared_ptr<torch::nn::Module> m_classifier;
    torch::nn::Linear m_fc{nullptr};
};

} // namespace

namespace detail {
std::shared_ptr<ClassifierNet> makeMobileNetV3(bool large, int numClasses)
{
    return std::make_shared<MobileNetV3Impl>(large, numClasses);
}
std::shared_ptr<ClassifierNet> makeEfficientNetB0(int numClasses)
{
    return std::make_shared<EfficientNetB0Impl>(numClasses);
}
} // namespace detail

} // namespace salient::train
