"""Ombudsman zones (to 2021) and grades (2022–2024): band edges, editions picked by date, and
the 2025 gap that needs a named edition and gives an estimate."""

from __future__ import annotations

import json

import pytest

ZONES_2021 = [
    ("100", "Hijau"), ("81.00", "Hijau"), ("80.995", "Hijau"), ("80.99", "Kuning"),
    ("77.73", "Kuning"), ("51.00", "Kuning"), ("50.99", "Merah"), ("0", "Merah"),
]
GRADES_2022 = [
    ("100", "A"), ("93.54", "A"), ("88.00", "A"), ("87.995", "A"), ("87.99", "B"),
    ("78.00", "B"), ("77.99", "C"), ("54.00", "C"), ("53.99", "D"), ("32.00", "D"),
    ("31.99", "E"), ("0", "E"),
]


@pytest.mark.parametrize(("value", "code"), ZONES_2021)
def test_zones_up_to_2021(value: str, code: str, run) -> None:
    result = run("predicate", "ombudsman", value, "--as-of", "2021-12-01", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["edition"], data["code"], data["label"]) == ("2021", code, f"Zona {code}")


@pytest.mark.parametrize(("value", "code"), GRADES_2022)
def test_grades_2022_to_2024(value: str, code: str, run) -> None:
    result = run("predicate", "ombudsman", value, "--as-of", "2023-12-01", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert (data["edition"], data["code"]) == ("2022", code)
    zone = {"A": "Hijau", "B": "Hijau", "C": "Kuning", "D": "Merah", "E": "Merah"}[code]
    assert data["zone"]["id"] == f"Zona {zone}"


def test_the_issue_examples(run) -> None:
    kuning = run("predicate", "ombudsman", "77.73", "--as-of", "2021-12-01")
    assert kuning.code == 0 and kuning.out.startswith("Zona Kuning")
    a = run("predicate", "ombudsman", "93.54", "--as-of", "2023-12-01")
    assert a.code == 0 and a.out.startswith("A Kualitas Tertinggi")


@pytest.mark.parametrize(("day", "edition"), [("2013-01-01", "2021"), ("2021-12-31", "2021"),
                                              ("2022-01-01", "2022"), ("2024-12-31", "2022")])
def test_the_date_picks_the_edition(day: str, edition: str, run) -> None:
    result = run("predicate", "ombudsman", "60", "--as-of", day, "--format", "json")
    assert json.loads(result.out)["edition"] == edition


def test_2025_has_no_published_instrument(run) -> None:
    result = run("predicate", "ombudsman", "90", "--as-of", "2025-06-30", "--lang", "en")
    assert result.code == 2
    assert "Peraturan Ombudsman 61/2025" in result.err
    assert "--edition" in result.err
    assert "Traceback" not in result.err


def test_2025_with_a_named_edition_is_an_estimate(run) -> None:
    result = run("predicate", "ombudsman", "90", "--as-of", "2025-06-30", "--edition", "2022",
                 "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["code"] == "A"
    assert data["estimate"]["en"].startswith("ESTIMATE")


@pytest.mark.parametrize("value", ["100.01", "-1", "abc"])
def test_scores_outside_0_100_are_refused(value: str, run) -> None:
    result = run("predicate", "ombudsman", value, "--as-of", "2023-01-01")
    assert result.code == 2
