"""Regenerate tests/golden/ from the code. Review the diff before committing it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_cases import ALL_CASES
from golden_cases import GOLDEN
from golden_cases import ROOT
from golden_cases import SKM_FILES
from golden_cases import golden_name
from golden_cases import produce
from golden_cases import produce_skm

if __name__ == "__main__":
    os.chdir(ROOT)
    GOLDEN.mkdir(exist_ok=True)
    for stale in GOLDEN.iterdir():
        stale.unlink()
    for unit, ruleset, variant in ALL_CASES:
        name = golden_name(unit, ruleset, variant)
        print(f"{name}: exit {produce(unit, ruleset, variant, GOLDEN / name)}")
    for name in SKM_FILES:
        print(f"{name}: exit {produce_skm(name, GOLDEN / name)}")
