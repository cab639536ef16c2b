#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Side by side, in one run: bench_augment (ours) and the peer
../shared/peers/bench_pipeline.py (torchvision + PIL through a DataLoader), on
the same folder, each run under the peers' idle wait (benchlib.clean_run).
Ours with T threads is compared with the peer with T DataLoader workers (and
our 1 thread with the peer's 0 workers, the main process alone).

    /usr/bin/python3 bench/compare_pipeline.py --folder /tmp/ds1k [--threads 1,2] [--runs 3]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
peers = os.path.join(root, "..", "shared", "peers")
sys.path.insert(0, peers)
from benchlib import clean_run  # noqa: E402  (the peers' own helper)

ap = argparse.ArgumentParser()
ap.add_argument("--folder", required=True)
ap.add_argument("--threads", default="1,2")
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--bench", default=os.path.join(root, "build", "bench", "bench_augment"))
a = ap.parse_args()


def ours(threads):
    out = subprocess.run([a.bench, "--folder", a.folder, "--runs", "1", "--threads", str(threads)],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"\| salient [^|]*\| \d+ \| ([\d.]+)", out).group(1))


rows = []
for t in map(int, a.threads.split(",")):
    rates = [clean_run(lambda: ours(t))[0] for _ in range(a.runs)]
    workers = 0 if t == 1 else t
    with tempfile.NamedTemporaryFile(suffix=".json") as js:
        subprocess.run(["/usr/bin/python3", os.path.join(peers, "bench_pipeline.py"), "--folder",
                        a.folder, "--workers", str(workers), "--runs", str(a.runs), "--json",
                        js.name], check=True, stdout=subprocess.DEVNULL)
        peer = json.load(open(js.name))["workers=%d" % workers]
    rows.append((t, statistics.median(rates), min(rates), max(rates), workers, peer["median"]))

print("| threads | salient img/s (median, min-max) | torchvision workers | torchvision img/s | ratio |")
print("|---|---|---|---|---|")
for t, med, lo, hi, w, p in rows:
    print(f"| {t} | {med:.1f} ({lo:.1f}-{hi:.1f}) | {w} | {p:.1f} | {med / p:.2f}x |")
