// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to salient_train (includes LibTorch; never include from a public header).
//
// The model zoo: ResNet-18/34/50, MobileNetV3-Small/Large, EfficientNet-B0 and a small
// CNN for tiny images. Every parameter and buffer is registered under torchvision
// 0.14's state_dict key ("layer1.0.downsample.1.running_var", "features.4.block.2.fc1.weight",
// "classifier.3.bias"), so a torchvision weight file loads by name as it is.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace salient::train {

/// An image classifier: images [N, 3, H, W] (normalised with ImageNet mean and std)
/// to logits [N, numClasses]. The last linear layer is the head; everything before
/// it the backbone, ending in the feature map that Grad-CAM looks at.
class ClassifierNet : public torch::nn::Module {
public:
    /// Logits [N, numClasses()]; equal to classify(features(x)).
    torch::Tensor forward(torch::Tensor x) { return classify(features(x)); }
    /// The last convolutional feature map [N, C, h, w].
    virtual torch::Tensor features(torch::Tensor x) = 0;
    /// Pooling, dropout (training only) and the head, from a features() map.
    virtual torch::Tensor classify(torch::Tensor featureMap) = 0;

    /// State-dict prefix of the head: "fc", "classifier.3" or "classifier.1".
    virtual std::string headName() const = 0;
    /// The head itself (its weight is "<headName()>.weight").
    virtual torch::nn::Linear head() const = 0;
    /// A fresh, randomly initialised head with numClasses outputs, on the device and
    /// dtype of the old one; every other parameter and buffer is left as it was.
    /// numClasses < 1 changes nothing.
    virtual void replaceHead(int numClasses) = 0;

    int numClasses() const { return static_cast<int>(head()->options.out_features()); }
    /// Channels of the features() map (the head's input width unless a hidden
    /// layer sits between them, as in MobileNetV3).
    virtual int featureChannels() const { return static_cast<int>(head()->options.in_features()); }
    /// Blocks that features() runs through, in order, by state-dict prefix;
    /// the last one's output is the features() map (Grad-CAM's default layer).
    /// ResNet: "layer1".."layer4"; smallcnn: "features.0".."features.2";
    /// MobileNetV3 / EfficientNet: "features.0".."features.N".
    virtual std::vector<std::string> blockNames() const { return {"features"}; }
    /// features(x) with the output of block `index` passed through `tap`; what
    /// the tap returns continues through the network (the explainer uses it
    /// to keep the activation and its gradient).
    virtual torch::Tensor featuresTapped(torch::Tensor x, int index,
                                         const std::function<torch::Tensor(torch::Tensor)> &tap)
    {
        (void)index;
        return tap(features(std::move(x)));
    }
    /// The makeModel() name, e.g. "resnet18".
    const std::string &architecture() const { return m_architecture; }
    /// Side of the square input the architecture is meant for (224, or 64 for smallcnn).
    int defaultInputSize() const { return m_defaultInputSize; }

protected:
    ClassifierNet(std::string architecture, int defaultInputSize)
        : torch::nn::Module(architecture), m_architecture(std::move(architecture)),
          m_defaultInputSize(defaultInputSize)
    {
    }

private:
    std::string m_architecture;
    int m_defaultInputSize;
};

/// The names makeModel() accepts, in the order a UI lists them.
std::vector<std::string> modelNames();

/// A freshly initialised model (torchvision's initialisation scheme), in training
/// mode on the CPU. nullptr for an unknown name, numClasses < 1 or no memory.
std::shared_ptr<ClassifierNet> makeModel(const std::string &name, int numClasses);

/// Parameters and buffers in torchvision's state_dict order: each module's own
/// parameters, then its buffers, then its children in registration order.
std::vector<std::pair<std::string, torch::Tensor>> stateDict(const torch::nn::Module &module);

// ---- Building blocks shared by the implementation files -------------------------

enum class Activation { None, ReLU, Hardswish, SiLU };

torch::Tensor activate(Activation activation, const torch::Tensor &x);

/// BatchNorm2d settings: torchvision's MobileNetV3 uses eps 1e-3 and momentum 0.01.
struct NormOptions {
    double eps = 1e-5;
    double momentum = 0.1;
};

/// torchvision's Conv2dNormActivation: children "0" (conv without bias, "same"
/// padding) and "1" (BatchNorm2d); the activation has no state, so no key.
class ConvBnActImpl : public torch::nn::Module {
public:
    ConvBnActImpl(int in, int out, int kernel, int stride, int groups, Activation activation,
                  NormOptions norm);
    torch::Tensor forward(torch::Tensor x);
    /// The activation after the batch norm (the ONNX emitters need it; it has no key).
    Activation activation() const { return m_activation; }

private:
    torch::nn::Conv2d m_conv{nullptr};
    torch::nn::BatchNorm2d m_bn{nullptr};
    Activation m_activation;
};
TORCH_MODULE(ConvBnAct);

/// torchvision's SqueezeExcitation: 1x1 convolutions "fc1" and "fc2" with bias;
/// the gate is a hard sigmoid in MobileNetV3 and a sigmoid in EfficientNet.
class SqueezeExcitationImpl : public torch::nn::Module {
public:
    SqueezeExcitationImpl(int channels, int squeezeChannels, Activation activation, bool hardGate);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_fc1{nullptr};
    torch::nn::Conv2d m_fc2{nullptr};
    Activation m_activation;
    bool m_hardGate;
};
TORCH_MODULE(SqueezeExcitation);

/// torchvision's _make_divisible: v rounded to a multiple of divisor, never below
/// minValue (default divisor) nor more than 10% below v.
int makeDivisible(double v, int divisor, int minValue = 0);

/// How torchvision initialises a fresh network of each family.
enum class InitScheme { ResNet, MobileNet, EfficientNet };
void initWeights(torch::nn::Module &module, InitScheme scheme);
void initLinear(torch::nn::LinearImpl &linear, InitScheme scheme);

namespace detail {
std::shared_ptr<ClassifierNet> makeResNet(int depth, int numClasses);
std::shared_ptr<ClassifierNet> makeSmallCnn(int numClasses);
std::shared_ptr<ClassifierNet> makeMobileNetV3(bool large, int numClasses);
std::shared_ptr<ClassifierNet> makeEfficientNetB0(int numClasses);
} // namespace detail

} // namespace salient::train
