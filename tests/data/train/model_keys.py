#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes what tst_models compares the C++ model zoo against, from Debian's
python3-torchvision (0.14): no pickle, so the C++ side needs no .pth reader.

  model_keys.py keys OUTDIR           OUTDIR/keys.json: {arch: {"keys": [[key, shape], ...]
                                      in state_dict order, "batchnorm": [[module, eps,
                                      momentum], ...]}}, num_classes=1000
  model_keys.py parity ARCH OUTDIR    OUTDIR/ARCH.json + OUTDIR/ARCH.bin: every
                                      state_dict tensor, an input batch and the
                                      eval-mode logits, as raw little-endian float32,
                                      and OUTDIR/ARCH.pth (torch.save of the state_dict)
"""
import json
import os
import sys

try:
    import torch
    import torchvision
except ImportError as e:
    sys.stderr.write(f"model_keys.py needs the Debian packages python3-torch python3-torchvision ({e})\n")
    sys.exit(3)

ARCHS = ["resnet18", "resnet34", "resnet50", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0"]
INPUT_SIZE = 224  # what the ImageNet weights of every architecture here were trained at
BATCH = 2


def build(arch):
    return getattr(torchvision.models, arch)(weights=None, num_classes=1000)


def describe(arch):
    model = build(arch)
    return {
        "keys": [[k, list(v.shape)] for k, v in model.state_dict().items()],
        # eps and momentum are not in the state_dict but change eval outputs and training
        "batchnorm": [
            [name, m.eps, m.momentum] for name, m in model.named_modules() if isinstance(m, torch.nn.BatchNorm2d)
        ],
    }


def dump_keys(outdir):
    with open(os.path.join(outdir, "keys.json"), "w") as f:
        json.dump({arch: describe(arch) for arch in ARCHS}, f)


def calibrate_batchnorm(model):
    # Fresh BatchNorm layers are identities (mean 0, var 1, weight 1, bias 0): a wrong
    # eps, a swapped buffer or a missed layer would go unseen. Statistics measured on
    # a random batch (as training would), then jittered, make every one of them count
    # while keeping the logits of these deep untrained nets finite and moderate.
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        for m in bns:
            m.weight.uniform_(0.5, 1.5)
            m.bias.normal_(0.0, 0.1)
            m.momentum = None  # cumulative average over the calibration batch
        model.train()
        model(torch.randn(BATCH, 3, INPUT_SIZE, INPUT_SIZE))
        for m in bns:
            m.running_mean.add_(torch.randn_like(m.running_mean) * m.running_var.sqrt(), alpha=0.1)
            m.running_var.mul_(torch.empty_like(m.running_var).uniform_(0.8, 1.25))
            m.num_batches_tracked.fill_(7)
        model.eval()


def dump_parity(arch, outdir):
    torch.manual_seed(0)
    model = build(arch)
    calibrate_batchnorm(model)
    model.eval()
    x = torch.randn(BATCH, 3, INPUT_SIZE, INPUT_SIZE)
    with torch.no_grad():
        logits = model(x)

    index = {"arch": arch, "tensors": []}
    offset = 0
    with open(os.path.join(outdir, arch + ".bin"), "wb") as f:

        def put(t):
            nonlocal offset
            data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
            f.write(data)
            entry = {"shape": list(t.shape), "offset": offset}
            offset += len(data)
            return entry

        for name, t in model.state_dict().items():
            entry = put(t)
            entry["name"] = name
            index["tensors"].append(entry)
        index["input"] = put(x)
        index["logits"] = put(logits)
    with open(os.path.join(outdir, arch + ".json"), "w") as f:
        json.dump(index, f)
    # The same weights as torch.save writes them (an OrderedDict pickle in a zip),
    # for the end-to-end test through the C++ .pth reader (tst_weightparity).
    torch.save(model.state_dict(), os.path.join(outdir, arch + ".pth"))


def main(argv):
    if len(argv) == 3 and argv[1] == "keys":
        dump_keys(argv[2])
    elif len(argv) == 4 and argv[1] == "parity" and argv[2] in ARCHS:
        dump_parity(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
