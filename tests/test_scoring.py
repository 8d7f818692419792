"""Scores, rounding and bands: `patuh predicate` at every band edge (pekppp.md §6b) and the
IPP arithmetic (pekppp.md §6a) worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest

from patuh.i18n import Text
from patuh.plugins.scoring import weighted_levels
from patuh.rulebook import Aspect
from patuh.rulebook import Edition
from patuh.rulebook import Period
from patuh.rulebook import load_ruleset
from patuh.scoring import band_for
from patuh.scoring import parse_score
from patuh.scoring import round_score

LABELS = {
    "A": ("Pelayanan Prima", "Excellent service"),
    "A-": ("Sangat Baik", "Very good"),
    "B": ("Baik", "Good"),
    "B-": ("Baik (dengan catatan)", "Good (with notes)"),
    "C": ("Cukup", "Fair"),
    "C-": ("Cukup (dengan catatan)", "Fair (with notes)"),
    "D": ("Buruk", "Poor"),
    "E": ("Sangat Buruk", "Very poor"),
    "F": ("Gagal", "Failed"),
}

EDGES = [
    ("0", "F"), ("0.00", "F"), ("1.00", "F"), ("1.004", "F"),
    ("1.005", "E"),  # rounds half-up to 1.01
    ("1.01", "E"), ("1.50", "E"), ("1.51", "D"), ("2.00", "D"), ("2.01", "C-"),
    ("2.50", "C-"), ("2.51", "C"), ("3.00", "C"), ("3.01", "B-"), ("3.50", "B-"),
    ("3.504", "B-"), ("3.505", "B"), ("3.51", "B"), ("4.00", "B"), ("4.01", "A-"),
    ("4.22", "A-"), ("4.50", "A-"), ("4.504", "A-"),
    ("4.505", "A"),  # rounds half-up to 4.51 (pekppp.md §6b, boundary rule)
    ("4.51", "A"), ("4.62", "A"), ("5", "A"), ("5.00", "A"),
    ("4,22", "A-"), ("4,505", "A"), ("1,5", "E"),  # a decimal comma is accepted
]


@pytest.mark.parametrize(("value", "code"), EDGES)
def test_band_edges(run, value: str, code: str) -> None:
    result = run("predicate", "pekppp", value)
    assert result.code == 0, result.err
    assert result.out == f"{code} {LABELS[code][0]}\n"


def test_sanity_values_from_the_reference(run) -> None:
    assert run("predicate", "pekppp", "4.22").out == "A- Sangat Baik\n"
    assert run("predicate", "pekppp", "4.62").out == "A Pelayanan Prima\n"


def test_english_label(run) -> None:
    result = run("predicate", "pekppp", "4.22", "--lang", "en")
    assert result.out == "A- Sangat Baik (Very good)\n"


def test_predicate_through_click_runner(invoke) -> None:
    result = invoke("predicate", "pekppp", "3.51")
    assert result.exit_code == 0
    assert result.output == "B Baik\n"


@pytest.mark.parametrize(("value", "code", "rounded"), [
    ("4.22", "A-", 4.22), ("4.505", "A", 4.51), ("4.504", "A-", 4.5), ("1,005", "E", 1.01),
    ("0", "F", 0.0), ("5", "A", 5.0),
])
def test_json_form(run, value: str, code: str, rounded: float) -> None:
    result = run("predicate", "pekppp", value, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["code"] == code
    assert data["label"] == LABELS[code][0]
    assert data["label_en"] == LABELS[code][1]
    assert data["rounded"] == rounded
    assert data["ruleset"] == "pekppp"
    assert data["edition"] == "2022"


@pytest.mark.parametrize("value", ["5.01", "5.005", "6", "1e400", "abc", "", "4.2.2",
                                   "NaN", "Infinity", "sNaN"])
def test_values_that_are_not_scores(run, value: str) -> None:
    result = run("predicate", "pekppp", value)
    assert result.code == 2, (result.out, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    assert result.err.startswith("patuh: ")


def test_negative_value_is_outside_the_range(run) -> None:
    result = run("predicate", "pekppp", "--lang", "en", "--", "-0.1")
    assert result.code == 2
    assert "score -0.1 is outside the range 0–5" in result.err
    assert "Traceback" not in result.err
    bare = run("predicate", "pekppp", "-0.1")  # click reads it as an option: still exit 2
    assert bare.code == 2
    assert "Traceback" not in bare.err


def test_predicate_edition_choice(run) -> None:
    assert run("predicate", "pekppp", "4.22", "--edition", "2022").out == "A- Sangat Baik\n"
    assert run("predicate", "pekppp", "4.22", "--as-of", "2024-12-31").code == 0
    assert run("predicate", "pekppp", "4.22", "--edition", "1999").code == 2
    assert run("predicate", "pekppp", "4.22", "--as-of", "2016-01-01").code == 2
    # 17/2017 is known only in part, but its band table is known: a predicate works
    assert run("predicate", "pekppp", "4.22", "--as-of", "2019-01-01").out == "A- Sangat Baik\n"
    assert run("predicate", "nope", "4.22").code == 2


def test_round_and_band_functions() -> None:
    edition = load_ruleset("pekppp").edition_named("2022")
    assert edition is not None
    half_up = {"places": 2, "mode": "half_up"}
    assert round_score(Decimal("4.505"), half_up) == Decimal("4.51")
    assert round_score(Decimal("4.5049999"), half_up) == Decimal("4.50")
    assert round_score(Decimal("2.675"), half_up) == Decimal("2.68")  # no binary-float slip
    assert round_score(Decimal("2.665"), {"places": 2, "mode": "half_even"}) == Decimal("2.66")
    assert band_for(edition, Decimal("4.51")).code == "A"
    assert band_for(edition, Decimal("4.50")).code == "A-"
    assert band_for(edition, Decimal("0")).code == "F"
    assert parse_score(" 4,22 ") == Decimal("4.22")


# --- the scoring model, without any ruleset ------------------------------------------------

def toy_edition(blend: dict | None = None) -> Edition:
    scoring: dict = {"model": "weighted_levels",
                     "part": {"id": "p", "title": {"id": "Bagian", "en": "Part"}}}
    if blend:
        scoring["blend"] = blend
    return Edition(
        edition="t", period=Period(date(2020, 1, 1), None), title=Text("t", "t"),
        legal_basis=(), aspects=(Aspect("x", Text("x", "x"), Decimal(60), {}),
                                 Aspect("y", Text("y", "y"), Decimal(40), {})),
        scoring=scoring, rounding={"places": 2, "mode": "half_up"}, bands=(),
        score_range=(Decimal(0), Decimal(5)), notes=(), raw={})


def toy_result(rule_id: str, aspect: str, weight: int, level: int) -> SimpleNamespace:
    return SimpleNamespace(rule=SimpleNamespace(id=rule_id, aspect=aspect),
                           version=SimpleNamespace(weight=Decimal(weight), max_level=5),
                           level=level, aspect=aspect, weight=Decimal(weight),
                           value=Fraction(level, 5), next_level=None if level == 5 else level + 1)


TOY_RESULTS = [toy_result("x1", "x", 70, 5), toy_result("x2", "x", 30, 2),
               toy_result("y1", "y", 100, 4)]


def test_weighted_levels_by_hand() -> None:
    score = weighted_levels(toy_edition(), TOY_RESULTS, {})
    # A_x = 0.70·5 + 0.30·2 = 4.1; A_y = 1.00·4 = 4; F = 0.60·4.1 + 0.40·4 = 2.46 + 1.6 = 4.06
    assert {a.id: a.score for a in score.aspects} == {"x": Decimal("4.1"), "y": Decimal(4)}
    assert score.final == Decimal("4.06")
    assert [(p.id, p.value, p.weight) for p in score.parts] == [("p", Decimal("4.06"), 1)]
    # next level of x2 adds 0.60·0.30 = 0.18; of y1 0.40·1.00 = 0.40; x1 is at the top
    assert dict(score.gains) == {"x2": Decimal("0.18"), "y1": Decimal("0.4")}


def test_weighted_levels_blend_by_hand() -> None:
    blend = {"weight_rules": 0.75, "survey": {
        "id": "s", "weight": 0.25, "fact": "pengguna", "title": {"id": "Survei", "en": "Survey"},
        "items": [{"code": "q1"}, {"code": "q2"}, {"code": "q3"}]}}
    facts = {"pengguna": {"hasil": {"responden": 3, "butir": {
        "q1": Fraction(4), "q2": Fraction(9, 2), "zz": Fraction(1)}}}}
    score = weighted_levels(toy_edition(blend), TOY_RESULTS, facts)
    # S = mean(4, 4.5) = 4.25 (q3 absent, zz unknown); final = 0.75·4.06 + 0.25·4.25 = 4.1075
    assert score.final == Decimal("4.1075")
    assert [(p.id, p.value) for p in score.parts] == [("p", Decimal("4.06")),
                                                      ("s", Decimal("4.25"))]
    assert dict(score.gains) == {"x2": Decimal("0.135"), "y1": Decimal("0.3")}
    notes = " ".join(n.en for n in score.notes)
    assert "q3" in notes and "zz" in notes


def test_weighted_levels_blend_without_survey_data() -> None:
    blend = {"weight_rules": 0.75, "survey": {
        "id": "s", "weight": 0.25, "fact": "pengguna", "title": {"id": "Survei", "en": "Survey"},
        "items": [{"code": "q1"}]}}
    score = weighted_levels(toy_edition(blend), TOY_RESULTS, {})
    assert score.final == Decimal("4.06")
    assert [(p.id, p.value) for p in score.parts] == [("p", Decimal("4.06")), ("s", None)]
    assert dict(score.gains) == {"x2": Decimal("0.18"), "y1": Decimal("0.4")}
    assert any("Without Survey data" in n.en for n in score.notes)


# --- the bundled ruleset, end to end --------------------------------------------------------
#
# Only three indicators have data:
#   14.b.K  3 of 5 service-culture elements -> level 3   (aspect b 25%, indicator 30%)
#   15.c.K  parking + 2 facilities           -> level 2   (aspect c 18%, indicator 15%)
#   24.d.T  updated monthly                  -> level 3   (aspect d 11%, indicator 30%)
# A_b = 0.30·3 = 0.9, A_c = 0.15·2 = 0.3, A_d = 0.30·3 = 0.9, every other aspect 0
# F02 = 0.25·0.9 + 0.18·0.3 + 0.11·0.9 = 0.225 + 0.054 + 0.099 = 0.378

FACTS = {
    "sdm": {"budaya_pelayanan": {"penerapan": ["seragam", "tanda_pengenal", "atribut_unit"],
                                 "bukti": ["foto/budaya.jpg"]}},
    "sarana_prasarana": {"parkir": {"ada": True, "fasilitas": ["petugas_parkir", "kanopi"],
                                    "bukti": ["foto/parkir.jpg"]}},
    "sistem_informasi": {"pembaruan": {"frekuensi": "bulanan",
                                       "bukti": ["tangkapan/pembaruan.png"]}},
}
FILES = ("foto/budaya.jpg", "foto/parkir.jpg", "tangkapan/pembaruan.png")
LEVELS = {"pekppp.14.b.K": 3, "pekppp.15.c.K": 2, "pekppp.24.d.T": 3}
F03_ITEMS = ["1.a.K1", "2.a.K1", "3.a.K1", "4.a.K1", "5.b.Ak", "6.b.Ak", "7.b.Ak", "8.c.As",
             "9.c.K", "10.c.As", "11.c.As", "12.d.T", "14.d.T", "15.e.K"]


def report_for(run, manifest: Path) -> dict:
    result = run("check", manifest, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def assert_f02_part(report: dict) -> None:
    levels = {r["rule_id"]: r["level"] for r in report["results"]}
    assert {k: v for k, v in levels.items() if v} == LEVELS
    assert {a["id"]: a["score"] for a in report["aspects"]} == {
        "a": 0, "b": 0.9, "c": 0.3, "d": 0.9, "e": 0, "f": 0, "g": 0}
    assert report["score"]["f02"] == 0.378
    assert report["findings"] == []


def test_f02_alone_without_user_assessment(write_manifest, run) -> None:
    report = report_for(run, write_manifest(FACTS, files=FILES))
    assert_f02_part(report)
    score = report["score"]
    assert score["f03"] is None
    assert score["unrounded"] == 0.378
    assert score["final"] == 0.38
    assert report["predicate"]["code"] == "F"
    path = report["next_band"].pop("path")
    assert report["next_band"] == {"code": "E", "label": "Sangat Buruk", "label_en": "Very poor",
                                   "min": 1.01, "gap": 0.63}
    assert path["reaches"] and path["steps"][-1]["score_after"] >= 1.01
    notes = " ".join(n["en"] for n in report["notes"])
    assert "the final score is the Evaluator assessment (F-02) part alone" in notes
    # the best next step: 14.b.K level 4 adds 0.25·0.30 = 0.075 (F02 counts 100%)
    assert report["improvement_plan"][0]["rule_id"] == "pekppp.14.b.K"
    assert report["improvement_plan"][0]["gain"] == 0.075


def test_ipp_with_user_assessment_summary(write_manifest, run) -> None:
    # F03 = mean of the 14 item means = (7·5 + 7·4) / 14 = 4.5
    # IPP = 0.75·0.378 + 0.25·4.5 = 0.2835 + 1.125 = 1.4085 -> 1.41 -> E
    butir = {code: (5 if index % 2 == 0 else 4) for index, code in enumerate(F03_ITEMS)}
    manifest = write_manifest({**FACTS, "penilaian_pengguna": {
        "rekap": {"responden": 20, "butir": butir}}}, files=FILES)
    report = report_for(run, manifest)
    assert_f02_part(report)
    score = report["score"]
    assert score["f03"] == 4.5
    assert score["unrounded"] == 1.4085
    assert score["final"] == 1.41
    assert (report["predicate"]["code"], report["predicate"]["label"]) == ("E", "Sangat Buruk")
    assert not any("part alone" in n["en"] for n in report["notes"])
    parts = {p["id"]: (p["value"], p["weight"]) for p in score["parts"]}
    assert parts == {"f02": (0.378, 0.75), "f03": (4.5, 0.25)}
    # with the survey in, 14.b.K level 4 adds 0.75·0.25·0.30 = 0.05625 -> 0.0563
    assert report["improvement_plan"][0]["rule_id"] == "pekppp.14.b.K"
    assert report["improvement_plan"][0]["gain"] == 0.0563


def test_ipp_with_user_assessment_responses(write_manifest, run) -> None:
    # 1.a.K1 answers 5 and 3 -> mean 4; 2.a.K1 answers 2 and (empty) -> mean 2
    # F03 = mean of item means = (4 + 2) / 2 = 3 (not the mean of all answers, 10/3)
    # IPP = 0.75·0.378 + 0.25·3 = 0.2835 + 0.75 = 1.0335 -> 1.03 -> E
    manifest = write_manifest({**FACTS, "penilaian_pengguna": {"berkas": "f03.csv"}},
                              files=FILES)
    csv = manifest.parent / "f03.csv"
    csv.write_text("no,nama,1.a.K1,2.a.K1\n1,Ani,5,2\n2,Budi,3,\n", encoding="utf-8")
    report = report_for(run, manifest)
    assert_f02_part(report)
    score = report["score"]
    assert score["f03"] == 3.0
    assert score["unrounded"] == 1.0335
    assert score["final"] == 1.03
    assert report["predicate"]["code"] == "E"
    f03 = next(p for p in score["parts"] if p["id"] == "f03")
    assert f03["respondents"] == 2
    assert f03["items"] == {"1.a.K1": 4.0, "2.a.K1": 2.0}
    assert "f03.csv" in report["digests"]["evidence"]
    notes = " ".join(n["en"] for n in report["notes"])
    assert "the mean uses 2 items" in notes


def test_semicolon_separated_responses(write_manifest, run) -> None:
    manifest = write_manifest({**FACTS, "penilaian_pengguna": {"berkas": "f03.csv"}},
                              files=FILES)
    (manifest.parent / "f03.csv").write_text("1.a.K1;2.a.K1\n5;2\n3;\n", encoding="utf-8")
    assert report_for(run, manifest)["score"]["f03"] == 3.0


def test_empty_manifest_scores_zero(write_manifest, run) -> None:
    report = report_for(run, write_manifest())
    assert report["score"]["final"] == 0
    assert report["predicate"]["code"] == "F"
    assert {r["status"] for r in report["results"]} == {"missing"}
