#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peer of bench_export: torchvision's ResNet-18 and MobileNetV3-Large at 224
in eager fp32, and torch.ao post-training static int8 (fbgemm, or onednn
where torch lacks fbgemm, as Debian's does) of torchvision's
quantisable versions, measured as bench_export measures: median ms of --runs
batch-1 passes after 3 warm-up passes, and 16 / median seconds of --batch-runs
batches of 16, at each thread count. Weights are the architectures' own
initialisation (speed does not depend on them); int8 is calibrated on 8 random
N(0,1) images, as bench_export calibrates its int8 ONNX.

    /usr/bin/python3 bench/export_peer.py [--threads 1,2] [--runs 30] [--batch 16]
        [--batch-runs 5] [--models resnet18,mobilenet_v3_large] [--json FILE]
"""
import argparse
import json
import statistics
import time

import torch
import torchvision
from torchvision.models import quantization as tvq

ap = argparse.ArgumentParser()
ap.add_argument("--models", default="resnet18,mobilenet_v3_large")
ap.add_argument("--threads", default="1,2")
ap.add_argument("--size", type=int, default=224)
ap.add_argument("--runs", type=int, default=30)
ap.add_argument("--batch", type=int, default=16)
ap.add_argument("--batch-runs", type=int, default=5)
ap.add_argument("--json")
a = ap.parse_args()


def median_seconds(runs, step):
    """Median wall seconds of `runs` calls, and the process CPU seconds per call."""
    times = []
    cpu = time.process_time()
    for _ in range(runs):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return statistics.median(times), (time.process_time() - cpu) / runs


def speed(model):
    one = torch.randn(1, 3, a.size, a.size)
    many = torch.randn(a.batch, 3, a.size, a.size)
    with torch.no_grad():
        for _ in range(3):
            model(one)
        wall, cpu = median_seconds(a.runs, lambda: model(one))
        model(many)
        ips = a.batch / median_seconds(a.batch_runs, lambda: model(many))[0]
    return 1000 * wall, 1000 * cpu, ips


# Debian's torch 1.13 is built without FBGEMM (supported engines: qnnpack, onednn):
# the first of these that this torch has is used, and named in the table.
ENGINE = next((e for e in ("fbgemm", "onednn", "qnnpack") if e in torch.backends.quantized.supported_engines), None)


def int8_model(name):
    """torch.ao eager-mode static quantisation: fuse, observers, calibrate, convert."""
    if ENGINE is None:
        raise RuntimeError("this torch has no quantised engine")
    torch.backends.quantized.engine = ENGINE
    model = getattr(tvq, name)(weights=None, quantize=False, num_classes=1000).eval()
    model.fuse_model()
    model.qconfig = torch.ao.quantization.get_default_qconfig(ENGINE)
    torch.ao.quantization.prepare(model, inplace=True)
    with torch.no_grad():
        model(torch.randn(8, 3, a.size, a.size))
    torch.ao.quantization.convert(model, inplace=True)
    return model


torch.manual_seed(0)
rows = []
# CPU ms: process CPU time per batch-1 image (all threads): steadier than wall
# time on a shared machine, where a neighbour's load stretches the wall clock.
print(f"| model | threads | runtime | batch 1 median ms | batch 1 CPU ms | batch {a.batch} images/s |")
print("|---|---|---|---|---|---|")
for name in a.models.split(","):
    fp32 = getattr(torchvision.models, name)(weights=None, num_classes=1000).eval()
    try:
        int8 = int8_model(name)
    except Exception as e:  # noqa: BLE001 - report and go on with fp32
        print(f"# {name}: torch.ao int8 failed: {e}")
        int8 = None
    for threads in [int(t) for t in a.threads.split(",")]:
        torch.set_num_threads(threads)
        for runtime, model in (("torch eager fp32", fp32), (f"torch.ao {ENGINE} int8", int8)):
            if model is None:
                continue
            try:
                ms, cpu_ms, ips = speed(model)
            except RuntimeError as e:  # onednn int8 MobileNetV3 at 2 threads: "could not create a primitive descriptor"
                print(f"| {name} | {threads} | {runtime} | failed: {str(e).splitlines()[0][:60]} | | |", flush=True)
                continue
            print(f"| {name} | {threads} | {runtime} | {ms:.2f} | {cpu_ms:.2f} | {ips:.1f} |", flush=True)
            rows.append(dict(model=name, threads=threads, runtime=runtime, ms=ms, cpu_ms=cpu_ms,
                             images_per_second=ips))
if a.json:
    with open(a.json, "w") as f:
        json.dump(dict(engine=ENGINE, torch=torch.__version__, torchvision=torchvision.__version__, speed=rows), f, indent=1)
