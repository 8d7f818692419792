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
RULESETS = ("pekppp", "ombudsman", "uu25")


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def median_ms(cmd: list[str]) -> tuple[float, float]:
    timed(cmd)  # warm the file cache
    samples = [timed(cmd) for _ in range(RUNS)]
    return statistics.median(samples) * 1000, min(samples) * 1000


def in_force(manifest: Path, ruleset: str) -> bool:
    done = subprocess.run([str(BIN / "patuh"), "check", str(manifest), "--ruleset", ruleset],
                          capture_output=True, cwd=ROOT)
    return done.returncode == 0


def main() -> None:
    python = sys.executable
    print(f"patuh benchmark — {RUNS} runs each, median (min), milliseconds")
    base, base_min = median_ms([python, "-c", "pass"])
    print(f"  python start-up alone                      {base:7.1f} ({base_min:.1f})")
    imp, imp_min = median_ms([python, "-c", "import patuh.cli"])
    print(f"  import patuh.cli                           {imp:7.1f} ({imp_min:.1f})   "
          f"[+{imp - base:.1f} over start-up]")
    manifests = sorted(ROOT.glob("examples/*/manifest.yaml"))
    for manifest in manifests:
        usable = [r for r in RULESETS if in_force(manifest, r)]
        for ruleset in usable:
            cmd = [str(BIN / "patuh"), "check", str(manifest), "--ruleset", ruleset,
                   "--format", "json"]
            ms, ms_min = median_ms(cmd)
            print(f"  check {manifest.parent.name:<30} {ruleset:<9} {ms:7.1f} ({ms_min:.1f})")
        if len(usable) > 1:
            cmd = [str(BIN / "patuh"), "check", str(manifest), "--format", "json",
                   *(x for r in usable for x in ("--ruleset", r))]
            ms, ms_min = median_ms(cmd)
            print(f"  check {manifest.parent.name:<30} {'together':<9} {ms:7.1f} ({ms_min:.1f})")

    # In process: what one more unit costs once rules are loaded (what a batch pays per unit).
    from patuh.manifest import load_manifest
    from patuh.report import build_report
    from patuh.rulebook import load_ruleset

    for ruleset_id in RULESETS:
        start = time.perf_counter()
        ruleset = load_ruleset(ruleset_id)
        print(f"  load + validate ruleset {ruleset_id:<9}          "
              f"{(time.perf_counter() - start) * 1000:7.1f}")
        for manifest in manifests:
            if not in_force(manifest, ruleset_id):
                continue
            samples = []
            for _ in range(20):
                start = time.perf_counter()
                build_report(load_manifest(manifest), ruleset)
                samples.append(time.perf_counter() - start)
            print(f"    one more unit {manifest.parent.name:<30} "
                  f"{statistics.median(samples) * 1000:7.2f}")


if __name__ == "__main__":
    main()
