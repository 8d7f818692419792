"""Regenerate tests/golden/ from the code. Review the diff before committing it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_cases import EXAMPLES
from golden_cases import GOLDEN
from golden_cases import ROOT
from golden_cases import VARIANTS
from golden_cases import produce

if __name__ == "__main__":
    os.chdir(ROOT)
    GOLDEN.mkdir(exist_ok=True)
    for unit in EXAMPLES:
        for variant in VARIANTS:
            code = produce(unit, variant, GOLDEN / f"{unit}.{variant}")
            print(f"{unit}.{variant}: exit {code}")
