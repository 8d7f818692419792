"""Throughput and memory of `patuh batch` against the bare parse rate of the same manifests.

Prints figures; asserts nothing. Run (a few minutes on two cores):

    .venv/bin/python -m compileall -q checker plugins   # a real install has .pyc
    .venv/bin/python benchmarks/bench_batch.py [--sizes 100 400] [--repeat 3]

Two sets of units, each at every size N:
  - synthetic: N manifests from benchmarks/gen_manifests.py (aggregates instead of data files,
    one small shared evidence file);
  - examples: N/4 copies of each bundled example unit (examples/*/manifest.yaml) with all
    their data and evidence files, each copy with its own ``unit.kode`` — units that look like
    real ones (the 2021 Disdukcapil copies have no PEKPPP edition in force: error rows, as a
    real batch would have them).

For each set and size, in one run:
  - parse, plain: what a script does to read them — ``yaml.safe_load`` then validation against
    schemas/manifest.schema.json with one jsonschema validator built beforehand;
  - parse, load_manifest: patuh's own reading (loader plugins, normalisation, the same schema);
  - batch: `patuh batch DIR --ruleset pekppp` with 1 and 2 workers, with no report files (the
    text summary to /dev/null) and with `-o DIR --format json`, each timed inside a fresh
    process from the call to the end (ruleset loading and the pool's start included, the
    interpreter's start-up not); the runs alternate and each figure is the median of --repeat.
Memory: the peak RSS of the batch's own process and of its largest worker (getrusage, self and
children; 1 worker is a pool of one, as --timeout needs a process it can stop), at each size:
flat when the figures for N=100 and N=400 are about the same. CPU: the CPU time a unit costs
the batch's own process and its workers (getrusage), a figure a busy machine disturbs less.
Ratios: batch units/s ÷ load_manifest units/s (budget: ≥ 1 without -o, ≥ 0.8 with -o json),
and 2 workers ÷ 1 worker (budget ≥ 1.8; only meaningful on an otherwise idle machine with two
free cores).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "benchmarks" / "gen_manifests.py"
SCHEMA = ROOT / "schemas" / "manifest.schema.json"
EXAMPLES = ("dpmptsp-kota-harapan", "puskesmas-sukamaju", "kecamatan-lembah-hijau",
            "disdukcapil-kota-harapan-2021")
KODE = re.compile(r"^(  kode:).*$", re.MULTILINE)  # unit.kode: the first two-space `kode:`

# Runs one batch in a fresh process and records its time and peak memory.
RUNNER = """
import contextlib, json, os, resource, sys, time
from patuh.cli import main
start = time.perf_counter()
with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
    code = main(sys.argv[2:])
elapsed = time.perf_counter() - start
own, children = (resource.getrusage(resource.RUSAGE_SELF),
                 resource.getrusage(resource.RUSAGE_CHILDREN))
stats = {"code": code, "seconds": elapsed, "self_kb": own.ru_maxrss,
         "children_kb": children.ru_maxrss, "self_cpu": own.ru_utime + own.ru_stime,
         "children_cpu": children.ru_utime + children.ru_stime}
with open(sys.argv[1], "w") as handle:
    json.dump(stats, handle)
"""


def synthetic(count: int, folder: Path) -> None:
    subprocess.run([sys.executable, str(GENERATE), str(count), str(folder), "--seed", "7"],
                   check=True, stderr=subprocess.DEVNULL)


def examples(count: int, folder: Path) -> None:
    """``count`` units: copies of the example folders in turn, each with its own kode."""
    folder.mkdir(parents=True)
    for index in range(count):
        name = EXAMPLES[index % len(EXAMPLES)]
        target = folder / f"{index:05d}-{name}"
        shutil.copytree(ROOT / "examples" / name, target)
        manifest = target / "manifest.yaml"
        text = manifest.read_text("utf-8")
        manifest.write_text(KODE.sub(rf"\1 bench-{index:05d}", text, count=1), "utf-8")


def plain_rate(paths: list[Path]) -> tuple[float, float]:
    """Units/s and CPU ms a unit of yaml.safe_load + jsonschema validation (the validator
    built beforehand)."""
    import jsonschema
    import yaml

    schema = json.loads(SCHEMA.read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            data = json.loads(json.dumps(yaml.safe_load(handle), default=str))  # dates: text
        validator.validate(data)
    return (len(paths) / (time.perf_counter() - start),
            (time.process_time() - cpu) * 1000 / len(paths))


def load_rate(paths: list[Path]) -> tuple[float, float]:
    from patuh.manifest import load_manifest

    load_manifest(paths[0])  # the plugins and the validator, before timing
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        load_manifest(path)
    return (len(paths) / (time.perf_counter() - start),
            (time.process_time() - cpu) * 1000 / len(paths))


def batch(folder: Path, workers: int, stats: Path, out_dir: Path | None) -> dict:
    argv = ["batch", str(folder), "--ruleset", "pekppp", "--workers", str(workers)]
    if out_dir is not None:
        shutil.rmtree(out_dir, ignore_errors=True)
        argv += ["-o", str(out_dir), "--format", "json"]
    subprocess.run([sys.executable, "-c", RUNNER, str(stats), *argv], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads(stats.read_text())


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--sets", nargs="+", choices=("synthetic", "examples"),
                        default=["synthetic", "examples"])
    args = parser.parse_args()
    print(f"patuh batch benchmark — {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"--ruleset pekppp, median of {args.repeat}")
    header = (f"{'set':<10} {'units':>5}  {'run':<22} {'units/s':>8} {'÷load':>6} "
              f"{'÷w1':>5}  {'CPU ms/unit: main':>17} {'workers':>7}  {'RSS main':>9} "
              f"{'RSS worker':>10}")
    print(header)
    print("-" * len(header))
    runs = [(1, False), (2, False), (1, True), (2, True)]
    with tempfile.TemporaryDirectory(prefix="patuh-bench-") as tmp:
        base = Path(tmp)
        for kind in args.sets:
            for size in args.sizes:
                folder = base / f"{kind}-{size}"
                (synthetic if kind == "synthetic" else examples)(size, folder)
                from patuh.batch import discover

                paths = [Path(p) for p in discover(folder)]
                for label, measure in (("parse: plain", plain_rate),
                                       ("parse: load_manifest", load_rate)):
                    rates = [measure(paths) for _ in range(args.repeat)]
                    rate = statistics.median(rate for rate, _cpu in rates)
                    print(f"{kind:<10} {size:>5}  {label:<22} {rate:8.0f} {'':6} {'':5}  "
                          f"{statistics.median(cpu for _rate, cpu in rates):17.1f}",
                          flush=True)
                loaded = rate  # load_manifest's, the stricter of the two here
                figures: dict[tuple[int, bool], list[dict]] = {run: [] for run in runs}
                for _ in range(args.repeat):  # alternating: a slow moment hits every run
                    for workers, write in runs:
                        out = base / "reports" if write else None
                        figures[workers, write].append(
                            batch(folder, workers, base / "stats.json", out))
                speeds = {}
                for (workers, write), stats in figures.items():
                    speed = statistics.median(len(paths) / s["seconds"] for s in stats)
                    speeds[workers, write] = speed
                    label = f"batch w{workers}" + (" -o --format json" if write else "")
                    codes = sorted({s["code"] for s in stats})
                    note = f"  (exit {', '.join(map(str, codes))})" if codes != [0] else ""
                    ratio = f"{speed / speeds[1, write]:5.2f}" if workers > 1 else f"{'':5}"
                    child = max(s["children_kb"] for s in stats)
                    worker = mb(child) if child else "—"  # 1 worker: a pool (--timeout)
                    main_cpu = statistics.median(s["self_cpu"] for s in stats) * 1000 / size
                    workers_cpu = statistics.median(s["children_cpu"] for s in stats) * 1000 \
                        / size
                    print(f"{kind:<10} {size:>5}  {label:<22} {speed:8.1f} "
                          f"{speed / loaded:6.2f} {ratio}  {main_cpu:17.1f} {workers_cpu:7.1f}  "
                          f"{mb(max(s['self_kb'] for s in stats)):>9} {worker:>10}{note}",
                          flush=True)
                shutil.rmtree(folder)
    print("÷load = batch units/s ÷ load_manifest units/s (budget ≥ 1; with -o json ≥ 0.8); "
          "÷w1 = 2 workers ÷ 1 worker (budget ≥ 1.8). CPU ms/unit: the batch's own process "
          "(its start-up, imports and summaries included) and all its workers, per unit: on a "
          "busy machine these say more than units/s")


if __name__ == "__main__":
    main()
