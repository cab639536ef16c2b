// SPDX-License-Identifier: GPL-3.0-or-later
// What one explanation costs next to one training step, on the engine's own
// code: a randomly initialised ResNet-18 at 224 x 224, batch 1, evaluation
// mode, `--threads` intra-op threads. Each operation is timed `--reps` times,
// interleaved (so a neighbour's load hits all alike), after warm-up runs;
// the table gives medians and ratios to forward+backward. Issue #7's target:
// one Grad-CAM <= 1.5x one forward+backward with parameters requiring grad.
//
//   bench_gradcam [--model resnet18] [--size 224] [--threads 2] [--reps 30]
#include "core/train/explaincam.h"
#include "core/train/models.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace salient;
using namespace salient::train;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void requireGrad(ClassifierNet &model, bool on)
{
    for (torch::Tensor &p : model.parameters())
        p.set_requires_grad(on);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Grad-CAM cost against forward+backward"));
    parser.addHelpOption();
    const QCommandLineOption modelOpt(QStringLiteral("model"), QStringLiteral("architecture"),
                                      QStringLiteral("name"), QStringLiteral("resnet18"));
    const QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("input side"),
                                     QStringLiteral("px"), QStringLiteral("224"));
    const QCommandLineOption threadsOpt(QStringLiteral("threads"), QStringLiteral("intra-op threads"),
                                        QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption repsOpt(QStringLiteral("reps"), QStringLiteral("timed repetitions"),
                                     QStringLiteral("n"), QStringLiteral("30"));
    parser.addOptions({modelOpt, sizeOpt, threadsOpt, repsOpt});
    parser.process(app);
    const int size = parser.value(sizeOpt).toInt();
    const int threads = std::max(1, parser.value(threadsOpt).toInt());
    const int reps = std::max(1, parser.value(repsOpt).toInt());

    torch::set_num_threads(threads);
    torch::manual_seed(1);
    auto model = makeModel(parser.value(modelOpt).toStdString(), 1000);
    if (!model) {
        std::fprintf(stderr, "unknown model %s\n", qPrintable(parser.value(modelOpt)));
        return 1;
    }
    model->eval();
    const torch::Tensor x = torch::randn({1, 3, size, size});
    const int last = int(model->blockNames().size()) - 1;
    torch::Tensor lastMap;

    struct Op {
        const char *name;
        std::function<void()> run;
        std::vector<double> ms;
    };
    std::vector<Op> ops;
    ops.push_back({"forward only (no grad)", [&] {
                       requireGrad(*model, false);
                       torch::NoGradGuard noGrad;
                       model->forward(x);
                   }, {}});
    ops.push_back({"forward+backward (params require grad)", [&] {
                       requireGrad(*model, true);
                       model->zero_grad();
                       model->forward(x)[0][0].backward();
                   }, {}});
    const std::pair<const char *, review::CamMethod> methods[] = {
        {"Grad-CAM", review::CamMethod::GradCam},
        {"Grad-CAM++", review::CamMethod::GradCamPlusPlus},
        {"LayerCAM", review::CamMethod::LayerCam}};
    for (const auto &m : methods) {
        const review::CamMethod method = m.second;
        ops.push_back({m.first, [&, method] {
                           requireGrad(*model, false);
                           lastMap = cam::computeCam(*model, x, last, method, -1, false).map;
                       }, {}});
    }
    ops.push_back({"deletion score (20 steps, 21 images)", [&] {
                       requireGrad(*model, false);
                       cam::curveArea(cam::deletionCurve(*model, x, lastMap, 0, false, 20));
                   }, {}});

    for (int warm = 0; warm < 3; ++warm)
        for (Op &op : ops)
            op.run();
    for (int r = 0; r < reps; ++r) {
        for (Op &op : ops) {
            QElapsedTimer clock;
            clock.start();
            op.run();
            op.ms.push_back(clock.nsecsElapsed() / 1e6);
        }
    }

    const double base = median(ops[1].ms);
    std::printf("%s at %d x %d, batch 1, %d threads, %d reps (median ms; ratio to forward+backward)\n\n",
                qPrintable(parser.value(modelOpt)), size, size, threads, reps);
    std::printf("| %-40s | %9s | %7s |\n", "operation", "median ms", "ratio");
    std::printf("|%s|%s|%s|\n", std::string(42, '-').c_str(), std::string(11, '-').c_str(),
                std::string(9, '-').c_str());
    for (const Op &op : ops) {
        const double med = median(op.ms);
        std::printf("| %-40s | %9.2f | %6.2fx |\n", op.name, med, med / base);
    }
    const double gradcam = median(ops[2].ms) / base;
    std::printf("\nGrad-CAM / forward+backward = %.2f (target <= 1.5): %s\n", gradcam,
                gradcam <= 1.5 ? "met" : "NOT met");
    return 0;
}
