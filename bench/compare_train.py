#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end fine-tuning throughput, side by side in one run: bench_train (ours,
the real runTraining) and the peer ../shared/peers/bench_train.py (torchvision
ResNet-18 through a DataLoader), on the same ImageFolder of JPEGs, same recipe
(rotate 15, random resized crop 224, colour jitter .2/.2/.2, flip, translate .1),
batch 32, SGD 0.01/0.9, cross-entropy, 2 warm-up + 10 timed steps, same threads.

Besides images/s (wall) each run reports CPU seconds per image (user + system of
every thread, over the timed steps): on a shared 2-core VM a neighbour's load
stretches the wall clock, much less the work done. For the peer that figure is
taken with --peer-workers 0 only (DataLoader worker processes are not counted
until they exit), with the peer's own model() and loader() and its loop as in
bench_train.one(), timed the same way.

Our "layer2" freeze policy freezes the stem too (no backward below layer3), so the
peer is run both ways: as its brief says (layer1+2 frozen, conv1/bn1 trainable) and
with --freeze-stem (the same work as ours). Runs alternate ours / peer / peer-stem so
a neighbour's load hits all three alike; each waits for the machine to go quiet (at
most --max-wait s) and reports the foreign load it saw (benchlib.Foreign).

    /usr/bin/python3 bench/compare_train.py --folder /tmp/ds10k [--threads 2]
        [--workers 0] [--peer-workers 2] [--runs 3] [--build build]

The project (the folder imported as ImageFolder, all in "train") is made once
beside the folder: <folder>.salient.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
peers = os.path.join(root, "..", "shared", "peers")
sys.path.insert(0, peers)
sys.dont_write_bytecode = True
from benchlib import Foreign, wait_idle  # noqa: E402  (the peers' own helpers)

ap = argparse.ArgumentParser()
ap.add_argument("--folder", default="/tmp/ds10k")
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--workers", type=int, default=0, help="our loader threads (0: automatic)")
ap.add_argument("--peer-workers", type=int, default=0,
                help="the peer's DataLoader workers (0 measures its CPU time too)")
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--max-wait", type=float, default=60, help="longest idle wait before a run, s")
ap.add_argument("--build", default=os.path.join(root, "build"))
ap.add_argument("--project", help="default: <folder>.salient")
ap.add_argument("--skip-peer", action="store_true")
ap.add_argument("--cli", help="salient-cli for the one-off import (default: <build>/app/salient-cli)")
ap.add_argument("--with-contiguous", action="store_true",
                help="also run ours in NCHW (SALIENT_MEMORY_FORMAT=contiguous) in the alternation")
a = ap.parse_args()

cli = a.cli or os.path.join(a.build, "app", "salient-cli")
bench = os.path.join(a.build, "bench", "bench_train")
project = a.project or a.folder.rstrip("/") + ".salient"


def sh(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


if not os.path.exists(project):
    print("building %s from %s ..." % (project, a.folder), file=sys.stderr, flush=True)
    sh(cli, "init", project)
    sh(cli, "import", project, a.folder, "--format", "imagefolder")
    sh(cli, "split", project, "--train", "1", "--val", "0", "--test", "0")


def sh_env(env, *args):
    r = subprocess.run(list(args), capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


def measured(fn):
    wait_idle(max_cores=0.15, timeout=a.max_wait, quiet=True)
    with Foreign() as fo:
        v = fn()
    return v, round(fo.cores, 2)


def ours(seed, layout=None):
    env = dict(os.environ)
    if layout:
        env["SALIENT_MEMORY_FORMAT"] = layout
    with tempfile.NamedTemporaryFile(suffix=".json") as js:
        sh_env(env, bench, "--project", project, "--threads", str(a.threads), "--workers", str(a.workers),
           "--runs", "1", "--seed", str(seed), "--json", js.name)
        run = json.load(open(js.name))["runs"][0]
        return run["ips"], run["cpu_per_image"]


def cpu_seconds():
    t = os.times()
    return t.user + t.system


def theirs(seed, stem, warm=2, timed=10):
    """bench_train.one() with the CPU clock read beside the wall clock."""
    import torch
    torch.set_num_threads(a.threads)
    torch.manual_seed(seed)
    m = peer.model(stem).train()
    opt = torch.optim.SGD([p for p in m.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
    lossf = torch.nn.CrossEntropyLoss()
    it = iter(peer.loader(a.folder, a.peer_workers, seed))
    n = 0
    for i in range(warm + timed):
        if i == warm:
            t0, c0 = time.perf_counter(), cpu_seconds()
        x, y = next(it)
        opt.zero_grad()
        loss = lossf(m(x), y)
        loss.backward()
        opt.step()
        if i >= warm:
            n += x.shape[0]
    dt, dc = time.perf_counter() - t0, cpu_seconds() - c0
    del it
    return n / dt, (dc / n if a.peer_workers == 0 else float("nan"))


results = {"salient": [], "salient_nchw": [], "peer": [], "peer_stem": []}
if not a.skip_peer:
    import bench_train as peer  # noqa: E402  (imports torch: after the project is built)
for r in range(a.runs):
    (ips, cpu), fo = measured(lambda: ours(200 + r))
    results["salient"].append((ips, cpu, fo))
    print("run %d salient: %.2f img/s, %.3f CPU s/img (foreign %.2f cores)" % (r, ips, cpu, fo),
          file=sys.stderr, flush=True)
    if a.with_contiguous:
        (ips, cpu), fo = measured(lambda: ours(200 + r, "contiguous"))
        results["salient_nchw"].append((ips, cpu, fo))
        print("run %d salient NCHW: %.2f img/s, %.3f CPU s/img (foreign %.2f cores)" % (
            r, ips, cpu, fo), file=sys.stderr, flush=True)
    if a.skip_peer:
        continue
    for key, stem in (("peer", False), ("peer_stem", True)):
        (ips, cpu), fo = measured(lambda: theirs(200 + r, stem))
        results[key].append((ips, cpu, fo))
        print("run %d %s: %.2f img/s, %.3f CPU s/img (foreign %.2f cores)" % (r, key, ips, cpu, fo),
              file=sys.stderr, flush=True)


def summary(xs):
    v = [x for x, _, _ in xs]
    c = [x for _, x, _ in xs]
    return statistics.median(v), min(v), max(v), statistics.median(c), max(f for _, _, f in xs)


ours_med, _, _, ours_cpu, _ = summary(results["salient"])
rows = [("salient (runTraining)", "stem+layer1+layer2", "%d threads, loader %s" % (
    a.threads, a.workers or "auto"), results["salient"])]
if a.with_contiguous:
    rows += [("salient, NCHW (SALIENT_MEMORY_FORMAT=contiguous)", "stem+layer1+layer2",
              "%d threads, loader %s" % (a.threads, a.workers or "auto"), results["salient_nchw"])]
if not a.skip_peer:
    rows += [("torchvision 0.14", "layer1+layer2 (stem trains)", "%d threads, %d workers" % (
        a.threads, a.peer_workers), results["peer"]),
        ("torchvision 0.14 --freeze-stem", "stem+layer1+layer2", "%d threads, %d workers" % (
            a.threads, a.peer_workers), results["peer_stem"])]
print("| trainer | frozen | threads | img/s median (min-max) | CPU s/img | worst foreign load "
      "| salient / this (img/s) | salient / this (CPU) |")
print("|---|---|---|---|---|---|---|---|")
for name, frozen, threads, xs in rows:
    med, lo, hi, cpu, fo = summary(xs)
    print("| %s | %s | %s | %.2f (%.2f-%.2f) | %.3f | %.2f cores | %.2fx | %.2fx |" % (
        name, frozen, threads, med, lo, hi, cpu, fo, ours_med / med, cpu / ours_cpu))
