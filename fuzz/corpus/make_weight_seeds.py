#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the weight-file seeds of fuzz/corpus/weightfile and fuzz/corpus/pickle
with Debian's python3-torch: tiny state dicts, small enough for libFuzzer.
usage: /usr/bin/python3 fuzz/corpus/make_weight_seeds.py  (from the repository root)"""
import collections
import io
import os
import pickletools
import zipfile

import torch

torch.manual_seed(0)
here = os.path.dirname(os.path.abspath(__file__))
wf = os.path.join(here, "weightfile")
pk = os.path.join(here, "pickle")

sd = collections.OrderedDict()
sd["conv.weight"] = torch.randn(2, 1, 1, 1)
sd["conv.bias"] = torch.zeros(2)
sd["bn.num_batches_tracked"] = torch.tensor(3)
sd["fc.weight"] = torch.randn(3, 2).half()
view = torch.arange(6, dtype=torch.int64)
sd["view"] = view[2:5]  # a storage view with an offset

torch.save(sd, os.path.join(wf, "zip-state-dict.pth"))
torch.save(sd, os.path.join(wf, "legacy-state-dict.pth"), _use_new_zipfile_serialization=False)
torch.save({"epoch": 1, "model": {"w": torch.ones(2, 2)}}, os.path.join(wf, "zip-checkpoint.pth"))


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(2, 1)

    def forward(self, x):
        return self.fc(x)


# TorchScript: readWeightFile still reads its tensors; isTorchScriptArchive says so.
torch.jit.save(torch.jit.script(Tiny()), os.path.join(wf, "torchscript.pt"))

# The pickles alone, as the zip holds them (data.pkl) and the legacy format writes them.
with zipfile.ZipFile(os.path.join(wf, "zip-state-dict.pth")) as z:
    name = [n for n in z.namelist() if n.endswith("data.pkl")][0]
    open(os.path.join(pk, "state-dict-data.pkl"), "wb").write(z.read(name))
with zipfile.ZipFile(os.path.join(wf, "zip-checkpoint.pth")) as z:
    name = [n for n in z.namelist() if n.endswith("data.pkl")][0]
    open(os.path.join(pk, "checkpoint-data.pkl"), "wb").write(z.read(name))
# The legacy file's five pickles (magic, protocol, sys info, the state dict, the
# storage keys), without the raw storages that follow them.
legacy = open(os.path.join(wf, "legacy-state-dict.pth"), "rb").read()
stream = io.BytesIO(legacy)
for _ in range(5):  # walk the opcodes to each STOP; nothing is unpickled
    for _op in pickletools.genops(stream):
        pass
open(os.path.join(pk, "legacy-pickles.pkl"), "wb").write(legacy[: stream.tell()])
