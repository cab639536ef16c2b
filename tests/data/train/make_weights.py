#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the weight files tst_weightfile reads, and a reference dump of every
tensor (reference.json + reference.bin), with Debian's python3-torch.

usage: /usr/bin/python3 make_weights.py OUTDIR
Exit code 3 when torch or torchvision cannot be imported."""
import json
import os
import sys
import zipfile

try:
    import torch
    import torchvision
except ImportError as e:
    print("cannot import torch/torchvision (%s): install the Debian packages "
          "python3-torch python3-torchvision" % e, file=sys.stderr)
    sys.exit(3)

out = sys.argv[1]
torch.manual_seed(0)
reference = {}
blob = open(os.path.join(out, "reference.bin"), "wb")


def raw_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def record(filename, tensors):
    rows = []
    for name, t in tensors.items():
        data = raw_bytes(t)
        rows.append({"name": name, "dtype": str(t.dtype).replace("torch.", ""),
                     "shape": list(t.shape), "offset": blob.tell(), "nbytes": len(data)})
        blob.write(data)
    reference[filename] = rows


def save(filename, obj, tensors=None, **kwargs):
    torch.save(obj, os.path.join(out, filename), **kwargs)
    if tensors is not None:
        record(filename, tensors)


for arch in ("resnet18", "mobilenet_v3_small", "efficientnet_b0"):
    sd = getattr(torchvision.models, arch)(weights=None).state_dict()
    save(arch + ".pth", sd, sd)

base = torch.arange(24.0).reshape(4, 6)
odd = {
    "float64": torch.randn(3, 5, dtype=torch.float64),
    "int64": torch.arange(-5, 7),
    "int32": torch.arange(-3, 3, dtype=torch.int32),
    "int16": torch.arange(-3, 3, dtype=torch.int16),
    "int8": torch.arange(-3, 3, dtype=torch.int8),
    "uint8": torch.arange(250, 256, dtype=torch.uint8),
    "bool": torch.rand(4, 4) > 0.5,
    "float16": torch.randn(2, 3).half(),
    "bfloat16": torch.randn(5).bfloat16(),
    "transposed": torch.randn(4, 6).t(),
    "channels_last": torch.randn(2, 3, 4, 5).to(memory_format=torch.channels_last),
    "expanded": torch.randn(3, 1).expand(3, 4),
    "scalar": torch.tensor(3.5),
    "empty": torch.zeros(0, 3),
    "base": base,
    "row_view": base[1],
    "column_view": base[:, 2],
    "block_view": base[1:3, 1:4],
}
save("odd.pth", odd, odd)
save("legacy.pth", odd, odd, _use_new_zipfile_serialization=False)
params = {"weight": torch.nn.Parameter(torch.randn(3, 2)), "bias": torch.nn.Parameter(torch.zeros(3))}
save("parameter.pth", params, params)

small = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Linear(4, 2))
opt = torch.optim.SGD(small.parameters(), lr=0.1, momentum=0.9)
small(torch.randn(1, 3, 3, 6)).sum().backward()
opt.step()
save("checkpoint.pth", {"epoch": 3, "state_dict": small.state_dict(), "optimizer": opt.state_dict(),
                        "best_acc": 0.875, "arch": "small"}, small.state_dict())
save("two_models.pth", {"model": small.state_dict(), "ema": small.state_dict()})


class Evil:
    def __reduce__(self):
        return (os.system, ("touch " + os.path.join(out, "pwned"),))


# Files a user might pick by mistake, or that are hostile.
save("whole_model.pth", torch.nn.Sequential(torch.nn.Linear(2, 2)))
save("quantized.pth", {"q": torch.quantize_per_tensor(torch.randn(4), 0.1, 0, torch.quint8)})
save("expand_bomb.pth", {"huge": torch.zeros(1).expand(2 ** 40)})  # 4 TiB from 4 bytes
save("evil.pth", {"weight": torch.zeros(2), "payload": Evil()})

# The same archive as odd.pth with one storage left out, and one deflated.
with zipfile.ZipFile(os.path.join(out, "odd.pth")) as src:
    names = src.namelist()
    dropped = [n for n in names if n.endswith("/data/3")][0]
    with zipfile.ZipFile(os.path.join(out, "missing_storage.pth"), "w", zipfile.ZIP_STORED) as dst:
        for n in names:
            if n != dropped:
                dst.writestr(n, src.read(n))
    with zipfile.ZipFile(os.path.join(out, "deflated.pth"), "w", zipfile.ZIP_DEFLATED) as dst:
        for n in names:
            dst.writestr(n, src.read(n))
with zipfile.ZipFile(os.path.join(out, "resnet18.pth")) as src:
    pkl = [n for n in src.namelist() if n.endswith("/data.pkl")][0]
    open(os.path.join(out, "resnet18.data.pkl"), "wb").write(src.read(pkl))

torch.jit.script(torch.nn.Linear(2, 2)).save(os.path.join(out, "script.pt"))
blob.close()
json.dump(reference, open(os.path.join(out, "reference.json"), "w"))
