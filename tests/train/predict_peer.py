#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Python peer of the predictor suites (Debian's python3-torch, -torchvision, -onnx).

  predict_peer.py onnx EXPORT.pt OUT.onnx
      Reads a Salient LibTorch export with torch.jit.load (so python reads our
      archive too), loads its tensors into torchvision's network of the same
      architecture and writes it with torch.onnx.export, the metadata copied
      into metadata_props["salient.meta"], checked by onnx's full checker.
  predict_peer.py script OUT.pt
      Writes a TorchScript archive that carries code (a method), which the
      LibTorch export reader must refuse without running it.
"""
import json
import sys

import torch


def to_onnx(export_file, out_file):
    import onnx
    import torchvision

    archive = torch.jit.load(export_file, map_location="cpu")
    meta = json.loads(archive.salient_meta)
    arch = meta["architecture"]
    classes = len(meta["class_names"])
    net = getattr(torchvision.models, arch)(num_classes=classes)
    net.load_state_dict(dict(archive.state_dict()), strict=True)
    net.eval()
    size = int(meta["input_size"])
    dummy = torch.zeros(1, 3, size, size)
    torch.onnx.export(net, dummy, out_file, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13, do_constant_folding=True)
    model = onnx.load(out_file)
    meta["format"] = "onnx"
    prop = model.metadata_props.add()
    prop.key = "salient.meta"
    prop.value = json.dumps(meta)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, out_file)


class WithCode(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(2))

    def forward(self, x):
        return x * self.weight


def scripted(out_file):
    torch.jit.script(WithCode()).save(out_file)


if __name__ == "__main__":
    if sys.argv[1] == "onnx":
        to_onnx(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "script":
        scripted(sys.argv[2])
    else:
        sys.exit("unknown mode " + sys.argv[1])
