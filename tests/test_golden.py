"""Every bundled example, checked end to end, gives exactly its reviewed golden report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patuh.validation import validator

from golden_cases import EXAMPLES
from golden_cases import GOLDEN
from golden_cases import ROOT
from golden_cases import VARIANTS
from golden_cases import produce

EXPECTED_BANDS = {
    "dpmptsp-kota-harapan": {"A", "A-"},
    "puskesmas-sukamaju": {"B", "B-"},
    "kecamatan-lembah-hijau": {"C", "C-", "D", "E", "F"},
}


def test_three_examples_exist() -> None:
    assert set(EXPECTED_BANDS) <= set(EXAMPLES)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("unit", EXAMPLES)
def test_example_matches_golden(unit: str, variant: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report"
    assert produce(unit, variant, out) == 0
    expected = GOLDEN / f"{unit}.{variant}"
    assert out.read_text("utf-8") == expected.read_text("utf-8"), (
        f"{unit}.{variant} differs from its golden file; if the change is intended, run "
        "`python tests/regen_golden.py` and review the diff")


@pytest.mark.parametrize("unit", EXAMPLES)
def test_example_report_is_valid_and_in_its_band(unit: str) -> None:
    report = json.loads((GOLDEN / f"{unit}.json").read_text("utf-8"))
    errors = list(validator("report").iter_errors(report))
    assert not errors, errors[0].message
    assert report["predicate"]["code"] in EXPECTED_BANDS[unit]
    assert report["findings"] == []
