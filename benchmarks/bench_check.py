"""End-to-end speed of `patuh check` on the bundled examples, and import time.

Prints figures; asserts nothing. Run: `make bench` or `.venv/bin/python benchmarks/bench_check.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = 7


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def median_ms(cmd: list[str]) -> tuple[float, float]:
    timed(cmd)  # warm the file cache
    samples = [timed(cmd) for _ in range(RUNS)]
    return statistics.median(samples) * 1000, min(samples) * 1000


def main() -> None:
    python = sys.executable
    print(f"patuh benchmark — {RUNS} runs each, median (min), milliseconds")
    base, base_min = median_ms([python, "-c", "pass"])
    print(f"  python start-up alone           {base:7.1f} ({base_min:.1f})")
    imp, imp_min = median_ms([python, "-c", "import patuh.cli"])
    print(f"  import patuh.cli                {imp:7.1f} ({imp_min:.1f})   "
          f"[+{imp - base:.1f} over start-up]")
    for manifest in sorted(ROOT.glob("examples/*/manifest.yaml")):
        for fmt in ("text", "json"):
            cmd = [str(BIN / "patuh"), "check", str(manifest), "--format", fmt]
            ms, ms_min = median_ms(cmd)
            print(f"  check {manifest.parent.name:<24} {fmt:<4} {ms:7.1f} ({ms_min:.1f})")

    # In-process: what one more unit costs once rules are loaded (what a batch pays per unit).
    sys.path.insert(0, str(ROOT))
    from patuh.manifest import load_manifest
    from patuh.report import build_report
    from patuh.rulebook import load_ruleset

    start = time.perf_counter()
    ruleset = load_ruleset("pekppp")
    load_ms = (time.perf_counter() - start) * 1000
    print(f"  load + validate ruleset         {load_ms:7.1f}")
    for manifest in sorted(ROOT.glob("examples/*/manifest.yaml")):
        samples = []
        for _ in range(20):
            start = time.perf_counter()
            build_report(load_manifest(manifest), ruleset)
            samples.append(time.perf_counter() - start)
        print(f"  in-process {manifest.parent.name:<22}      "
              f"{statistics.median(samples) * 1000:7.2f}")


if __name__ == "__main__":
    main()
