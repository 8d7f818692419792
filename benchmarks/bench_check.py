"""End-to-end speed of a one-unit `patuh check` in a cold process, against the floor.

Prints figures; asserts nothing. Run: `make bench` or `.venv/bin/python benchmarks/bench_check.py
[--runs 7]`.

The floor is what any tool of this kind pays before doing anything:
`python -c "import yaml, jsonschema, click, pluggy"` (for a unit whose answers are a workbook,
the floor also imports the workbook reader patuh uses for it). Each command is timed in turns
with its floor (floor, command, floor, command …) so that a busy machine slows both alike; the
ratio is the command's median over the floor's median in that same run. The budget (issue 14):
at most 1.3× the floor and below the floor + 100 ms.

Python's byte code is compiled first (a real install ships .pyc; a checkout run with
PYTHONDONTWRITEBYTECODE=1 would otherwise recompile patuh on every start), and the rule cache
is warmed by one run, as it is after the first check on a machine. The first check with an empty
cache is shown separately.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATUH = [str(Path(sys.executable).parent / "patuh")]
RULESETS = ("pekppp", "ombudsman", "uu25")
FLOOR_IMPORTS = "yaml, jsonschema, click, pluggy"
BUDGET_RATIO = 1.3
BUDGET_EXTRA_MS = 100.0


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return (time.perf_counter() - start) * 1000


def paired(cmd: list[str], floor: list[str], runs: int, env: dict[str, str]
           ) -> tuple[float, float]:
    """Medians (ms) of the command and of its floor, timed in turns."""
    timed(cmd, env), timed(floor, env)  # warm the file cache (and the rule cache)
    mine, base = [], []
    for _ in range(runs):
        base.append(timed(floor, env))
        mine.append(timed(cmd, env))
    return statistics.median(mine), statistics.median(base)


def in_force(manifest: Path, ruleset: str, env: dict[str, str]) -> bool:
    done = subprocess.run([*PATUH, "check", str(manifest), "--ruleset", ruleset],
                          capture_output=True, cwd=ROOT, env=env)
    return done.returncode in (0, 1)


def workbook_reader() -> str:
    """The module patuh reads answer workbooks with (the floor of a workbook unit imports it)."""
    for module in ("python_calamine", "openpyxl"):
        source = (ROOT / "plugins" / "tables.py").read_text(encoding="utf-8")
        if f"import {module}" in source or f"from {module}" in source:
            return module
    return "openpyxl"


def row(label: str, ms: float, floor_ms: float) -> str:
    ratio = ms / floor_ms
    return (f"| {label} | {ms:.0f} | {floor_ms:.0f} | {ratio:.2f}× | +{ms - floor_ms:.0f} | "
            f"{'yes' if ratio <= BUDGET_RATIO else 'no'} | "
            f"{'yes' if ms < floor_ms + BUDGET_EXTRA_MS else 'no'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for folder in ("checker", "plugins"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)
    cache = tempfile.mkdtemp(prefix="patuh-bench-cache-")
    env = {**os.environ, "PATUH_CACHE_DIR": cache}
    env.pop("PATUH_NO_CACHE", None)

    floor = [sys.executable, "-c", f"import {FLOOR_IMPORTS}"]
    reader = workbook_reader()
    workbook_floor = [sys.executable, "-c", f"import {FLOOR_IMPORTS}, {reader}"]
    manifests = sorted(ROOT.glob("examples/*/manifest.yaml"))

    first = manifests[0]
    start = time.perf_counter()
    subprocess.run([*PATUH, "check", str(first), "--format", "json"], cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first_ms = (time.perf_counter() - start) * 1000

    print(f"patuh check, cold process — medians of {args.runs} runs in turns with the floor "
          f"(budget: ≤ {BUDGET_RATIO}× the floor and < floor + {BUDGET_EXTRA_MS:.0f} ms)")
    print()
    print(f"| command | median ms | floor ms | ratio | over the floor, ms | ≤ {BUDGET_RATIO}× | "
          f"< floor + {BUDGET_EXTRA_MS:.0f} ms |")
    print("|---|---|---|---|---|---|---|")
    ms, base = paired(floor, floor, args.runs, env)
    print(f"| `python -c \"import {FLOOR_IMPORTS}\"` (the floor) | {ms:.0f} | {base:.0f} | "
          f"{ms / base:.2f}× | | | |")
    ms, base = paired([sys.executable, "-c", "import patuh.cli"], floor, args.runs, env)
    print(f"| `python -c \"import patuh.cli\"` | {ms:.0f} | {base:.0f} | {ms / base:.2f}× | "
          f"+{ms - base:.0f} | | |")
    for manifest in manifests:
        name = manifest.parent.name
        workbook = re.search(r"berkas:\s*\S+\.xls[xm]\b", manifest.read_text(encoding="utf-8"))
        unit_floor = workbook_floor if workbook else floor
        mark = f" (floor + {reader})" if workbook else ""
        usable = [r for r in RULESETS if in_force(manifest, r, env)]
        for ruleset in usable:
            for fmt in ("json", "text"):
                cmd = [*PATUH, "check", str(manifest), "--ruleset", ruleset, "--format", fmt]
                ms, base = paired(cmd, unit_floor, args.runs, env)
                print(row(f"check {name} --ruleset {ruleset} --format {fmt}{mark}", ms, base))
        cmd = [*PATUH, "check", str(manifest), "--format", "json"]
        ms, base = paired(cmd, unit_floor, args.runs, env)
        print(row(f"check {name} (its default rulesets) --format json{mark}", ms, base))
    print()
    print(f"first check after install (empty rule cache), {first.parent.name}: {first_ms:.0f} ms")


if __name__ == "__main__":
    main()
