"""Warm re-scoring of one unit after one answer changes (what the web platform does after
every save): a copy of the DPMPTSP example, one answer rewritten in its manifest file, then
``load_manifest`` + ``build_report`` (PEKPPP) in the same process, rules already loaded.

Prints the median and p95 over 50 changes, the same split into loading and reporting, and the
evaluation of the ruleset's rules alone. Asserts nothing. Run:
`.venv/bin/python benchmarks/bench_rescore.py` (``--changes N`` for another count).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from patuh.manifest import load_manifest
from patuh.report import build_report
from patuh.report import evaluate_rules
from patuh.report import pick_edition
from patuh.rulebook import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
# (pattern, values): each change writes the next value into the first match (one answer)
ANSWERS = (
    (re.compile(r"(?m)^(    interval_bulan: )\d+$"), ("6", "12", "24")),
    (re.compile(r"(?m)^(    ditindaklanjuti: )\w+$"), ("false", "true")),
    (re.compile(r"(?m)^(  ada: )\w+$"), ("false", "true")),
)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def show(name: str, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    print(f"{name:<44} median {statistics.median(ms):7.2f} ms   p95 {percentile(ms, 0.95):7.2f}"
          f" ms   min {min(ms):7.2f} ms   (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--ruleset", default="pekppp")
    args = parser.parse_args()
    ruleset = load_ruleset(args.ruleset)
    digests: dict[Any, str] = {}  # what the platform shares between saves
    with tempfile.TemporaryDirectory() as tmp:
        unit = Path(tmp) / EXAMPLE.name
        shutil.copytree(EXAMPLE, unit)
        file = unit / "manifest.yaml"
        original = file.read_text(encoding="utf-8")

        def rescore() -> tuple[float, float]:
            start = time.perf_counter()
            manifest = load_manifest(file)
            manifest.reuse_digests(digests)
            loaded = time.perf_counter()
            build_report(manifest, ruleset)
            return loaded - start, time.perf_counter() - loaded

        rescore()  # warm: rules, operators, plugins, first hashes
        rescore()
        totals, loads, reports = [], [], []
        text = original
        for change in range(args.changes):
            pattern, values = ANSWERS[change % len(ANSWERS)]
            value = values[(change // len(ANSWERS)) % len(values)]
            text = pattern.sub(lambda m, v=value: m[1] + v, text, count=1)
            file.write_text(text, encoding="utf-8")
            load, report = rescore()
            loads.append(load)
            reports.append(report)
            totals.append(load + report)

        manifest = load_manifest(file)
        day, _source = manifest.as_of(None)
        edition = pick_edition(ruleset, day, None)
        facts, evidence = manifest.facts(day), manifest.evidence()
        rules = len(evaluate_rules(ruleset, edition, facts, day, evidence))
        evaluations = []
        for _ in range(args.changes):
            start = time.perf_counter()
            evaluate_rules(ruleset, edition, facts, day, evidence)
            evaluations.append(time.perf_counter() - start)

    print(f"patuh re-score benchmark — {EXAMPLE.name}, ruleset {args.ruleset}, "
          f"{args.changes} changes")
    show("re-score: load_manifest + build_report", totals)
    show("  of which load_manifest", loads)
    show("  of which build_report", reports)
    show(f"evaluation of the {rules} rules alone", evaluations)


if __name__ == "__main__":
    main()
