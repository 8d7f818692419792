"""Throughput and memory of `patuh batch` on 1,000 and 10,000 synthetic manifests.

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/bench_batch.py [--sizes 1000
10000]`. About four minutes on two cores.

For each size the manifests are generated once (benchmarks/gen_manifests.py) into a temporary
folder, then:
  - parse: load + schema-validate every manifest, one process (what reading alone costs);
  - batch, 1 and 2 workers: `patuh batch DIR --ruleset pekppp`, no report files (the text
    summary goes to /dev/null), timed inside a fresh process from the call to the end (ruleset
    loading and the pool's start included, the interpreter's start-up not); its peak memory is
    the max RSS of the main process and of the largest worker (getrusage, self and children);
  - at the smallest size, once more with 2 workers and `-o` (a JSON report per unit and the
    four summary files, in a temporary folder).
The ratio is batch throughput / parse rate; the budget is at least 1/3.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "benchmarks" / "gen_manifests.py"
BUDGET = 1 / 3

# Runs one batch in a fresh process and records its time and peak memory.
RUNNER = """
import contextlib, json, os, resource, sys, time
from patuh.batch import batch_command
from patuh.cli import cli, main
cli.add_command(batch_command)
start = time.perf_counter()
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    code = main(sys.argv[2:])
elapsed = time.perf_counter() - start
stats = {"code": code, "seconds": elapsed,
         "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
         "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
with open(sys.argv[1], "w") as handle:
    json.dump(stats, handle)
"""


def generate(count: int, folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(GENERATE), str(count), str(folder), "--seed", "7"],
                   check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def parse_rate(folder: Path) -> tuple[int, float]:
    from patuh.batch import discover
    from patuh.manifest import load_manifest

    paths = [Path(p) for p in discover(folder)]
    load_manifest(paths[0])  # compile the schema validator before timing
    start = time.perf_counter()
    for path in paths:
        load_manifest(path)
    return len(paths), time.perf_counter() - start


def batch(folder: Path, workers: int, stats: Path, out_dir: Path | None = None) -> dict:
    argv = ["batch", str(folder), "--ruleset", "pekppp", "--workers", str(workers)]
    if out_dir is not None:
        argv += ["-o", str(out_dir)]
    subprocess.run([sys.executable, "-c", RUNNER, str(stats), *argv], check=True,
                   stdout=subprocess.DEVNULL)
    return json.loads(stats.read_text())


def mb(kb: int) -> str:
    return f"{kb / 1024:6.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"patuh batch benchmark — {os.cpu_count()} CPUs, Python "
          f"{sys.version.split()[0]}, ruleset pekppp; batch rows: no report files unless "
          "marked -o")
    header = (f"{'units':>7}  {'run':<16} {'seconds':>8} {'units/s':>8} {'parse/s':>8} "
              f"{'ratio':>6}  {'peak RSS main':>13} {'largest worker':>14}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="patuh-bench-") as tmp:
        base = Path(tmp)
        for index, size in enumerate(sorted(args.sizes)):
            folder = base / f"units-{size}"
            made = generate(size, folder)
            rows = [f"{size:>7,}  {'generate':<16} {made:8.2f} {size / made:8.0f}"]
            count, parsed = parse_rate(folder)
            rate = count / parsed
            rows.append(f"{count:>7,}  {'parse':<16} {parsed:8.2f} {rate:8.0f}")
            runs = [(1, None), (2, None)]
            if index == 0:
                runs.append((2, base / f"reports-{size}"))
            for workers, out_dir in runs:
                stats = batch(folder, workers, base / "stats.json", out_dir)
                speed = count / stats["seconds"]
                label = f"batch w{workers}" + (" -o json" if out_dir else "")
                note = "" if stats["code"] == 0 else f"  (exit {stats['code']})"
                worker = mb(stats["children_kb"]) if workers > 1 else f"{'—':>9}"
                rows.append(f"{count:>7,}  {label:<16} {stats['seconds']:8.2f} {speed:8.0f} "
                            f"{rate:8.0f} {speed / rate:6.2f}  {mb(stats['self_kb']):>13} "
                            f"{worker:>14}{note}")
            for row in rows:
                print(row, flush=True)
    print(f"ratio = batch units/s ÷ parse units/s (budget ≥ {BUDGET:.2f})")


if __name__ == "__main__":
    main()
