#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run bench_thumbs under the peers' idle wait (benchlib.clean_run), the way
../shared/peers/bench_thumbs.py measures PIL, so the two figures compare.

    /usr/bin/python3 bench/compare_thumbs.py --folder /tmp/ds10k [--n 1000] [--threads 1]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
sys.path.insert(0, os.path.join(root, "..", "shared", "peers"))
from benchlib import clean_run  # noqa: E402  (the peers' own helper)

ap = argparse.ArgumentParser()
ap.add_argument("--folder", required=True)
ap.add_argument("--n", default="1000")
ap.add_argument("--threads", default="1")
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--bench", default=os.path.join(root, "build", "bench", "bench_thumbs"))
a = ap.parse_args()


def once():
    out = subprocess.run([a.bench, "--folder", a.folder, "-n", a.n, "--runs", "1",
                          "--threads", a.threads, "--no-reference"],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"\| salient makeThumbnail[^|]*\| \d+ \| ([\d.]+)", out).group(1))


rates = [clean_run(once)[0] for _ in range(a.runs)]
print(f"| salient makeThumbnail | {a.threads} thread(s) | {statistics.median(rates):.1f} img/s "
      f"| min {min(rates):.1f} | max {max(rates):.1f} |")
