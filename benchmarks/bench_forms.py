"""Speed of the forms: building the questionnaire from the rules, writing the YAML and Excel
forms (`patuh init`), and reading a filled workbook back (what `patuh check manifest.xlsx`
adds over YAML).

Prints figures; asserts nothing. Run: `.venv/bin/python benchmarks/bench_forms.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RUNS = 7


def median_ms(action) -> float:
    action()  # warm caches
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    from patuh.manifest import load_manifest
    from patuh.questionnaire import for_day
    from patuh.questionnaire import labels
    from patuh.template import manifest_template
    from patuh.template import placeholders

    print(f"patuh forms benchmark — {RUNS} runs each, median, milliseconds")
    day = date(2024, 12, 31)
    model = for_day((), day)
    print(f"  questions {len(model.questions)}, sections {len(model.sections)}")
    print(f"  build the questionnaire (all rulesets)      "
          f"{median_ms(lambda: for_day((), day)):7.1f}")
    labels.cache_clear()
    print(f"  … with the labels file read afresh         "
          f"{median_ms(lambda: (labels.cache_clear(), for_day((), day))):7.1f}")
    print(f"  render the YAML form                        "
          f"{median_ms(lambda: manifest_template(model, 'id', placeholders(2024))):7.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for fmt in ("yaml", "xlsx"):
            cmd = [str(BIN / "patuh"), "init", str(folder / fmt), "--format", fmt, "--force"]
            ms = median_ms(lambda cmd=cmd: subprocess.run(cmd, check=True, capture_output=True))
            print(f"  patuh init --format {fmt:<4} (whole process)     {ms:7.1f}")
        source = ROOT / "examples/dpmptsp-kota-harapan/manifest.yaml"
        workbook = folder / "dpmptsp.xlsx"
        subprocess.run([str(BIN / "patuh"), "convert", str(source), str(workbook)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"  load the dpmptsp manifest from YAML         "
              f"{median_ms(lambda: load_manifest(source)):7.1f}")
        print(f"  load the same manifest from its workbook    "
              f"{median_ms(lambda: load_manifest(workbook)):7.1f}")


if __name__ == "__main__":
    main()
