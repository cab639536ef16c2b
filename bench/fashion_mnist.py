#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""All 70,000 Fashion-MNIST images through the studio, headless: write them as PNGs
in an ImageFolder tree (train/<class>/, test/<class>/), `salient-cli import --format
imagefolder`, `salient-cli train` smallcnn at 28 px, `salient-cli eval --split test`
on the 10,000 test images. Prints a table with the times and the test accuracy
(target: >= 90%).

    /usr/bin/python3 bench/fashion_mnist.py [--build build] [--work /tmp/salient-fmnist]
        [--epochs 10] [--threads 2] [--batch 128] [--lr 0.1] [--max-steps N]

The PNG tree and the project are made once per --work folder; each call adds a run.
"""
import argparse
import gzip
import json
import os
import subprocess
import sys
import time

import numpy as np
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)

ap = argparse.ArgumentParser()
ap.add_argument("--build", default=os.path.join(root, "build"))
ap.add_argument("--work", default="/tmp/salient-fmnist")
ap.add_argument("--dataset", default="/usr/share/datasets/fashion-mnist")
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--lr", type=float, default=0.1)
ap.add_argument("--schedule", default="onecycle")
# From scratch there is no pretrained backbone to spare: the engine's default
# factor 0.1 (for fine-tuning) trained every convolution at a tenth of the rate
# and left smallcnn underfitting (0.878 after 9 epochs).
ap.add_argument("--backbone-lr-factor", type=float, default=1.0)
ap.add_argument("--weight-decay", type=float, default=5e-4)
ap.add_argument("--max-steps", type=int, default=0, help="a quick check: stop after N steps")
ap.add_argument("--val-fraction", type=float, default=0.1)
ap.add_argument("--prepare-only", action="store_true", help="write the PNGs and import, no training")
# OpenMP threads that spin while they wait lose their turn on a shared, loaded
# machine: measured 3-5x fewer images/s there with 2 threads (ACTIVE vs PASSIVE).
ap.add_argument("--omp-wait", default="PASSIVE", help="OMP_WAIT_POLICY for salient-cli")
a = ap.parse_args()
os.environ["OMP_WAIT_POLICY"] = a.omp_wait

cli = os.path.join(a.build, "app", "salient-cli")
images = os.path.join(a.work, "images")
project = os.path.join(a.work, "fmnist.salient")
# The studio's own names (core/demo: fashionMnistClassNames); "/" cannot be a folder name.
classes = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
           "Bag", "Ankle boot"]


def idx(name, offset):
    with gzip.open(os.path.join(a.dataset, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def run(*args, **kw):
    r = subprocess.run([cli] + list(args), capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit("salient-cli %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr.strip()))
    return r.stdout


t_png = t_import = 0.0
os.makedirs(a.work, exist_ok=True)
if not os.path.isdir(images):
    t0 = time.time()
    tmp = images + ".partial"
    for part, prefix in (("train", "train"), ("test", "t10k")):
        pixels = idx(prefix + "-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
        labels = idx(prefix + "-labels-idx1-ubyte.gz", 8)
        for c in classes:
            os.makedirs(os.path.join(tmp, part, c), exist_ok=True)
        for i, (img, lab) in enumerate(zip(pixels, labels)):
            Image.fromarray(img, "L").save(os.path.join(tmp, part, classes[lab], "%05d.png" % i))
    os.rename(tmp, images)
    t_png = time.time() - t0
if not os.path.exists(project):
    t0 = time.time()
    run("init", project)
    run("import", project, images, "--format", "imagefolder")
    t_import = time.time() - t0

if a.prepare_only:
    print("PNGs %.1f s, import %.1f s: %s" % (t_png, t_import, project))
    sys.exit(0)

# Fashion-MNIST is centred and upright: flips only (a rotation or a crop of a
# 28 px garment costs more accuracy than it buys in a few epochs).
recipe = os.path.join(a.work, "flip.json")
with open(recipe, "w") as f:
    json.dump({"version": 1, "transforms": [{"type": "horizontal_flip", "p": 0.5}]}, f)

args = ["train", project, "--model", "smallcnn", "--image-size", "28", "--epochs", str(a.epochs),
        "--batch", str(a.batch), "--lr", str(a.lr), "--schedule", a.schedule, "--threads",
        str(a.threads), "--backbone-lr-factor", str(a.backbone_lr_factor), "--weight-decay",
        str(a.weight_decay), "--max-steps", str(a.max_steps), "--augment", recipe, "--val-fraction", str(a.val_fraction), "--no-test",
        "--name", "fashion-mnist %d epochs" % a.epochs, "--json"]
t0 = time.time()
proc = subprocess.Popen([cli] + args, stdout=subprocess.PIPE, text=True)
done = None
ips = []  # training throughput of each epoch (or of the last steps, with --max-steps)
for line in proc.stdout:
    o = json.loads(line)
    if o["event"] == "step" and a.max_steps:
        ips = [o["images_per_s"]]
    if o["event"] == "epoch":
        ips.append(o["images_per_s"])
        v = o["val"] or {}
        print("epoch %d: loss %.3f, val accuracy %.4f, %.0f img/s, %.0f s" % (
            o["epoch"], o["loss"], v.get("accuracy", -1), o["images_per_s"], time.time() - t0),
            file=sys.stderr, flush=True)
    done = o
if proc.wait() != 0 or not done or done["event"] != "done":
    sys.exit("training failed")
t_train = time.time() - t0

t0 = time.time()
ev = json.loads(run("eval", project, "--run", str(done["run"]), "--split", "test", "--threads",
                    str(a.threads), "--json"))
t_eval = time.time() - t0

print("| step | seconds | result |")
print("|---|---|---|")
if t_png:
    print("| write 70,000 PNGs (Python/PIL) | %.1f | |" % t_png)
if t_import:
    print("| `salient-cli import --format imagefolder` | %.1f | 60,000 train + 10,000 test |" % t_import)
print("| `salient-cli train` smallcnn 28 px, %d epochs, batch %d, %s lr %g (backbone x%g), "
      "weight decay %g, %d threads | %.1f (%.1f min) | val accuracy %.4f (%d steps, %.0f-%.0f img/s) |"
      % (a.epochs, a.batch, a.schedule, a.lr, a.backbone_lr_factor, a.weight_decay, a.threads,
         t_train, t_train / 60, (done.get("val") or {}).get("accuracy", -1), done["steps"],
         min(ips or [0]), max(ips or [0])))
print("| `salient-cli eval --split test` | %.1f | **test accuracy %.4f** (%d images), macro-F1 %.4f, "
      "macro ROC-AUC %.4f, ECE %.4f |" % (t_eval, ev["accuracy"], ev["samples"], ev["macro_f1"],
                                         ev.get("macro_auc") or -1, ev.get("ece") or -1))
