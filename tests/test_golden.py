"""Every bundled example, checked end to end, gives exactly its reviewed golden reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patuh.validation import validator

from golden_cases import CASES
from golden_cases import EXAMPLES
from golden_cases import GOLDEN
from golden_cases import ROOT
from golden_cases import golden_name
from golden_cases import produce

# The predicate each example must land in, per ruleset (stated in the example's README).
EXPECTED_BANDS = {
    "dpmptsp-kota-harapan": {"pekppp": {"A", "A-"}},
    "puskesmas-sukamaju": {"pekppp": {"B", "B-"}},
    "kecamatan-lembah-hijau": {"pekppp": {"C", "C-", "D", "E", "F"}},
}


def test_three_examples_exist() -> None:
    assert set(EXPECTED_BANDS) <= set(EXAMPLES)


@pytest.mark.parametrize(("ruleset", "variant"), CASES)
@pytest.mark.parametrize("unit", EXAMPLES)
def test_example_matches_golden(unit: str, ruleset: str, variant: str, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report"
    assert produce(unit, ruleset, variant, out) == 0
    expected = GOLDEN / golden_name(unit, ruleset, variant)
    assert out.read_text("utf-8") == expected.read_text("utf-8"), (
        f"{expected.name} differs from its golden file; if the change is intended, run "
        "`python tests/regen_golden.py` and review the diff")


@pytest.mark.parametrize("unit", EXAMPLES)
def test_example_reports_are_valid_and_in_their_bands(unit: str) -> None:
    for ruleset in sorted({r for r, v in CASES if v == "json"}):
        report = json.loads((GOLDEN / golden_name(unit, ruleset, "json")).read_text("utf-8"))
        errors = list(validator("report").iter_errors(report))
        assert not errors, errors[0].message
        assert report["findings"] == []
        expected = EXPECTED_BANDS.get(unit, {}).get(ruleset)
        if expected is not None:
            assert report["predicate"]["code"] in expected, (ruleset, report["predicate"])
