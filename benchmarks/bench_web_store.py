"""Speed of the web platform's unit folder (patuh.plugins.web.store): what the server does
after each answer an operator saves — write the answer into the manifest (validated, canonical)
and re-score the unit — for the bundled DPMPTSP example. The platform aims for under 300 ms of
server time per save.

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/bench_web_store.py`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 15


def median_ms(action: Callable[[], object]) -> tuple[float, float]:
    """Median and worst of RUNS runs (after one warm-up), in milliseconds."""
    action()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, max(samples) * 1000


def main() -> None:
    from patuh.plugins.web.store import UnitFolder
    from patuh.plugins.web.store import questionnaire

    print(f"patuh web store benchmark — dpmptsp-kota-harapan, {RUNS} runs each, "
          "median / worst, milliseconds")
    start = time.perf_counter()
    model = questionnaire((), date(2024, 12, 31))
    print(f"  questionnaire, first build (once per process)   "
          f"{(time.perf_counter() - start) * 1000:7.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        unit = UnitFolder.import_folder(ROOT / "examples/dpmptsp-kota-harapan",
                                        Path(tmp) / "unit")
        print(f"  import the example folder (once)                 "
              f"{(time.perf_counter() - start) * 1000:7.1f}")
        answers = iter(["ya", "tidak"] * (RUNS + 1))
        save = median_ms(lambda: unit.save_answer("standar_pelayanan.peninjauan.dilakukan",
                                                  next(answers), model))
        refused = median_ms(lambda: unit.save_answer("skm.ikm", "seratus", model))
        report = median_ms(lambda: unit.report("pekppp"))

        def both() -> None:
            unit.save_answer("standar_pelayanan.peninjauan.dilakukan", next(answers), model)
            unit.report("pekppp")

        answers = iter(["ya", "tidak"] * (RUNS + 1))
        cycle = median_ms(both)
        report_json = median_ms(lambda: unit.report_json("pekppp"))
        export = median_ms(unit.export_zip)
        for label, (median, worst) in (
                ("save one answer (valid)", save), ("save one answer (refused)", refused),
                ("report pekppp (nothing changed)", report),
                ("save + report pekppp (the target: < 300)", cycle),
                ("report_json pekppp", report_json), ("export_zip", export)):
            print(f"  {label:<48} {median:7.1f} / {worst:7.1f}")
        # a unit with real-sized uploads: 10 PDFs of 20 MB (the upload limit)
        start = time.perf_counter()
        for number in range(10):
            body = b"%PDF-1.7\n" + bytes([number]) * (20 * 1024 * 1024 - 16)
            assert unit.add_evidence("maklumat.bukti", f"scan-{number}.pdf", body, model).ok
        print(f"  upload 10 PDFs of 20 MB (each read, hashed, typed, stored, attached) "
              f"{(time.perf_counter() - start) * 1000:7.1f}")
        answers = iter(["ya", "tidak"] * (RUNS + 1))
        median, worst = median_ms(both)
        print(f"  {'save + report pekppp, with 200 MB more evidence':<48} "
              f"{median:7.1f} / {worst:7.1f}")


if __name__ == "__main__":
    main()
