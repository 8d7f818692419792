"""Every bundled example, checked end to end, gives exactly its reviewed golden reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patuh.validation import validator

from golden_cases import ALL_CASES
from golden_cases import EXAMPLES
from golden_cases import GOLDEN
from golden_cases import NOT_IN_FORCE
from golden_cases import ROOT
from golden_cases import SKM_FILES
from golden_cases import cases
from golden_cases import golden_name
from golden_cases import produce
from golden_cases import produce_skm

# The predicate each example must land in, per ruleset (stated in the example's README); None:
# no score (the `skm` ruleset on a unit without SKM data).
EXPECTED_BANDS = {
    "dpmptsp-kota-harapan": {"pekppp": {"A", "A-"}, "ombudsman": {"A"}, "uu25": {"Patuh"},
                             "skm": {"A"}},
    "puskesmas-sukamaju": {"pekppp": {"B", "B-"}, "ombudsman": {"C"}, "uu25": {"Belum"},
                           "skm": {"B"}},
    "kecamatan-lembah-hijau": {"pekppp": {"C", "C-", "D", "E", "F"}, "ombudsman": {"D", "E"},
                               "uu25": {"Belum"}, "skm": {"B"}},
    "disdukcapil-kota-harapan-2021": {"ombudsman": {"Kuning"}, "uu25": {"Belum"},
                                      "skm": {None}},
}
# The IKM each example's SKM answers give (`patuh check --ruleset skm`; stated in its README).
EXPECTED_IKM = {"dpmptsp-kota-harapan": 88.62, "puskesmas-sukamaju": 82.41,
                "kecamatan-lembah-hijau": 76.80, "disdukcapil-kota-harapan-2021": None}
# The edition each example is scored with, per ruleset.
EXPECTED_EDITIONS = {
    "disdukcapil-kota-harapan-2021": {"ombudsman": "2021"},
}


def test_the_examples_exist() -> None:
    assert set(EXPECTED_BANDS) <= set(EXAMPLES)
    assert set(NOT_IN_FORCE) <= set(EXAMPLES)


def test_every_golden_ruleset_has_an_expected_band() -> None:
    for unit in EXAMPLES:
        assert {r for r, _ in cases(unit)} == set(EXPECTED_BANDS.get(unit, {})), unit


@pytest.mark.parametrize(("unit", "ruleset", "variant"), ALL_CASES)
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
    for ruleset in sorted({r for r, v in cases(unit) if v == "json"}):
        report = json.loads((GOLDEN / golden_name(unit, ruleset, "json")).read_text("utf-8"))
        errors = list(validator("report").iter_errors(report))
        assert not errors, errors[0].message
        assert report["findings"] == []
        assert report["estimate"] is None
        expected = EXPECTED_BANDS.get(unit, {}).get(ruleset)
        if expected is not None:
            code = None if report["predicate"] is None else report["predicate"]["code"]
            assert code in expected, (ruleset, report["predicate"])
        edition = EXPECTED_EDITIONS.get(unit, {}).get(ruleset)
        if edition is not None:
            assert report["ruleset"]["edition"] == edition


@pytest.mark.parametrize("unit", EXAMPLES)
def test_example_ikm(unit: str) -> None:
    report = json.loads((GOLDEN / golden_name(unit, "skm", "json")).read_text("utf-8"))
    assert report["score"]["final"] == EXPECTED_IKM[unit]


@pytest.mark.parametrize("name", sorted(SKM_FILES))
def test_skm_file_matches_golden(name: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`patuh skm` on a bundled answer template gives exactly its reviewed golden report."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report"
    assert produce_skm(name, out) == 0
    expected = GOLDEN / name
    assert out.read_text("utf-8") == expected.read_text("utf-8"), (
        f"{expected.name} differs from its golden file; if the change is intended, run "
        "`python tests/regen_golden.py` and review the diff")


@pytest.mark.parametrize(("unit", "ruleset"),
                         [(u, r) for u, skipped in NOT_IN_FORCE.items() for r in sorted(skipped)])
def test_rulesets_not_in_force_stop_with_exit_2(unit: str, ruleset: str, run,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A unit evaluated where a ruleset has no usable edition: no report, exit 2, and the
    message says why (no edition in force, or one known only in part), for the default
    ruleset too."""
    monkeypatch.chdir(ROOT)
    manifest = Path("examples") / unit / "manifest.yaml"
    for argv in (["--ruleset", ruleset], []):
        result = run("check", manifest, *argv, "--lang", "en")
        assert result.code == 2, (argv, result.err)
        assert (f"no edition of {ruleset} is in force" in result.err
                or (f"edition {ruleset} " in result.err and "known only in part" in result.err))
        assert result.out == ""
