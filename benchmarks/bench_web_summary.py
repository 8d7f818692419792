"""Speed of a round page of 100 units (patuh.plugins.web.summary): each unit's score and
predicate, scored once and then reused while its manifest and evidence are unchanged.

The units are the bundled examples (DPMPTSP, Puskesmas, Kecamatan) imported 34/33/33 times.
Prints, in milliseconds: the first round page (every unit scored), the next one (nothing
changed: a few stat calls per unit), the one after a unit saved an answer (one unit scored
again), and for comparison scoring every unit without the summary's cache.

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/bench_web_summary.py`.
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("dpmptsp-kota-harapan", "puskesmas-sukamaju", "kecamatan-lembah-hijau")
UNITS = 100


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    from patuh.plugins.web import summary
    from patuh.plugins.web.store import UnitFolder
    from patuh.plugins.web.store import questionnaire

    with tempfile.TemporaryDirectory() as tmp:
        roots = []
        for number in range(UNITS):
            root = Path(tmp) / f"unit-{number:03d}"
            UnitFolder.import_folder(ROOT / "examples" / EXAMPLES[number % 3], root)
            roots.append(root)

        def page() -> None:
            for root in roots:
                summary.unit_report(root, "pekppp", "2022")

        print(f"patuh web round summary benchmark — {UNITS} units, milliseconds per round page")
        cold = timed(page)
        print(f"  first page (every unit scored)                  {cold:9.1f}")
        warm = min(timed(page) for _ in range(5))
        print(f"  next page (nothing changed, from the cache)     {warm:9.1f}")
        model = questionnaire((), date(2024, 12, 31))
        answer = iter(["tidak", "ya"] * 10)

        def one_saved() -> None:
            UnitFolder(roots[0]).save_answer("standar_pelayanan.peninjauan.dilakukan",
                                             next(answer), model)

        one_saved()
        changed = timed(page)
        print(f"  after one unit saved an answer (one rescored)   {changed:9.1f}")
        before = summary.STATS["scored"]
        one_saved()
        page()
        print(f"  units scored again after one save               "
              f"{summary.STATS['scored'] - before:9d}")
        uncached = timed(lambda: [UnitFolder(r).report("pekppp", "2022") for r in roots])
        print(f"  every unit scored, without the summary's cache  {uncached:9.1f}")


if __name__ == "__main__":
    main()
