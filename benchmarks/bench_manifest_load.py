"""Loading a manifest in a warm process: median time of ``load_manifest()`` over each bundled
example (50 runs each, interleaved), and of its parts (YAML, dropping blank answers, reading
habits, finite-number check, schema validation: the fast path and jsonschema's). CPU time
(``time.process_time``): a machine shared with other work disturbs it less than wall time.

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/bench_manifest_load.py`.
To compare with another checkout, run this file with that checkout's package first on
``PYTHONPATH`` (the parts it does not have are left out).
"""

from __future__ import annotations

import copy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 50


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    from patuh import validation
    from patuh.manifest import load_manifest
    from patuh.normalize import normalize
    from patuh.questionnaire import drop_unanswered
    from patuh.yamlio import check_values
    from patuh.yamlio import load_yaml

    paths = sorted((ROOT / "examples").glob("*/manifest.yaml"))
    print(f"load_manifest() in a warm process — median CPU time of {RUNS} runs, ms "
          f"({validation.__file__})")
    parts: dict[str, Callable[[Path], Callable[[], object]]] = {}

    def prepared(path: Path) -> tuple[object, object]:
        doc = load_yaml(path)
        answered = copy.copy(doc)
        answered.data = drop_unanswered(doc.data)
        read = normalize(answered, validation.load_schema("manifest"))
        canonical = copy.copy(answered)
        canonical.data = read.data
        return answered, canonical

    parts["load_manifest"] = lambda p: lambda: load_manifest(p)
    parts["yaml"] = lambda p: lambda: load_yaml(p)
    parts["drop_unanswered"] = lambda p: (lambda d: lambda: drop_unanswered(d))(
        load_yaml(p).data)
    parts["normalize"] = lambda p: (lambda a: lambda: normalize(
        a, validation.load_schema("manifest")))(prepared(p)[0])
    parts["check_values"] = lambda p: (lambda c: lambda: check_values(c))(prepared(p)[1])
    if hasattr(validation, "fast_validator"):
        parts["fast_valid"] = lambda p: (lambda c: lambda: validation.fast_validator(
            "manifest")(c.data))(prepared(p)[1])
    parts["jsonschema"] = lambda p: (lambda c: lambda: validation.validator(
        "manifest").is_valid(c.data))(prepared(p)[1])

    calls = {(name, p): make(p) for name, make in parts.items() for p in paths}
    for call in calls.values():
        call()  # warm: schemas, compiled validators, file cache
    samples: dict[tuple[str, Path], list[float]] = {key: [] for key in calls}
    for _ in range(RUNS):
        for key, call in calls.items():
            start = time.process_time()
            call()
            samples[key].append(time.process_time() - start)
    print(f"{'example':32s}" + "".join(f"{name:>16s}" for name in parts))
    for p in paths:
        print(f"{p.parent.name:32s}" + "".join(f"{median_ms(samples[name, p]):16.2f}"
                                               for name in parts))
    total = sum(median_ms(samples["load_manifest", p]) for p in paths)
    print(f"{'sum of medians (load_manifest)':32s}{total:16.2f}")


if __name__ == "__main__":
    sys.exit(main())
