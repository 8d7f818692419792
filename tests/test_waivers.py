"""Waivers and evaluator verification: file checks with file:line errors, dates and unit
scoping, the effects on a small score worked out by hand, and the bundled examples on the
DPMPTSP unit."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing import Resource

from patuh import manager
from patuh.engine import Result
from patuh.errors import InputError
from patuh.evidence import collect
from patuh.facts import derive
from patuh.i18n import Text
from patuh.manifest import load_manifest
from patuh.plugins.scoring import weighted_levels
from patuh.plugins.scoring import weighted_share
from patuh.report import evaluate_rules
from patuh.report import pick_edition
from patuh.rulebook import Aspect
from patuh.rulebook import Band
from patuh.rulebook import Edition
from patuh.rulebook import Level
from patuh.rulebook import Period
from patuh.rulebook import Rule
from patuh.rulebook import RuleVersion
from patuh.rulebook import load_ruleset
from patuh.validation import load_schema
from patuh.verification import Verified
from patuh.verification import adjust
from patuh.verification import apply_verification
from patuh.verification import load_verification
from patuh.verification import render_verification
from patuh.verification import verification_effect
from patuh.verification import verification_section
from patuh.waivers import Waiver
from patuh.waivers import active_waivers
from patuh.waivers import apply_waivers
from patuh.waivers import load_waivers
from patuh.waivers import render_waivers
from patuh.waivers import settle
from patuh.waivers import waiver_effect

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"
WAIVERS = ROOT / "examples" / "audit" / "waivers.yaml"
VERIFICATION = ROOT / "examples" / "audit" / "verifikasi-dpmptsp.yaml"
UNIT = {"kode": "unit-uji", "nama": "Unit Uji"}
DAY = date(2024, 10, 21)


# --- a small hand-made edition ---------------------------------------------------------------

def _t(text: str) -> Text:
    return Text(text, text)


def ladder(rule_id: str, aspect: str, weight: int, level: int, top: int = 5) -> Result:
    levels = tuple(Level(i, _t(f"level {i}"), {}) for i in range(1, top + 1))
    version = RuleVersion(1, Period(date(2020, 1, 1), None), Decimal(weight), levels, {},
                          _t(""), {}, (), (), {})
    rule = Rule(rule_id, rule_id.split(".")[0], aspect, _t(rule_id), _t(""), (version,),
                Path(f"{rule_id}.yaml"), "0" * 64)
    status = "pass" if level == top else "partial" if level else "fail"
    return Result(rule, version, level, status, (), levels[level] if level < top else None,
                  (), Fraction(level, top), aspect, Decimal(weight))


def measured_rule(rule_id: str, aspect: str, weight: int, value: Fraction) -> Result:
    version = RuleVersion(1, Period(date(2020, 1, 1), None), Decimal(weight), (), {},
                          _t(""), {}, (), (), {}, measure={"fact": "x", "range": [0, 1]})
    rule = Rule(rule_id, rule_id.split(".")[0], aspect, _t(rule_id), _t(""), (version,),
                Path(f"{rule_id}.yaml"), "0" * 64)
    return Result(rule, version, 0, "partial", (), None, (), value, aspect, Decimal(weight))


def edition(model: str = "weighted_levels", **scoring: object) -> Edition:
    bands = (Band("A", _t("Sangat baik"), Decimal(4), {}), Band("B", _t("Baik"), Decimal(3), {}),
             Band("C", _t("Cukup"), Decimal(0), {}))
    return Edition("1", Period(date(2020, 1, 1), None), _t("uji"), (),
                   (Aspect("A", _t("A"), Decimal(60), {}), Aspect("B", _t("B"), Decimal(40), {})),
                   {"model": model, "weights_per_aspect": 100, **scoring},
                   {"places": 2, "mode": "half_up"}, bands, (Decimal(0), Decimal(5)), (), {})


def small() -> list[Result]:
    # Aspect A (weight 60): a1 w50 level 2, a2 w30 level 5, a3 w20 level 4; B (40): b1 level 3.
    return [ladder("uji.a1", "A", 50, 2), ladder("uji.a2", "A", 30, 5),
            ladder("uji.a3", "A", 20, 4), ladder("uji.b1", "B", 100, 3)]


def waiver(rule: str, effect: str = "excluded", unit: str = "unit-uji", start: str = "2024-01-01",
           expiry: str = "2024-12-31", line: int = 1) -> Waiver:
    return Waiver(rule, unit, _t("alasan"), "Pemilik", "Penyetuju", date.fromisoformat(start),
                  date.fromisoformat(expiry), "SK 1/2024", effect, Path("waivers.yaml"), line)


def final(score) -> Decimal:
    return score.final.quantize(Decimal("0.0001"))


# --- effects on the score, by hand -----------------------------------------------------------

def test_excluded_and_as_met_on_a_small_case_by_hand() -> None:
    ed = edition()
    # Without waivers: A = 0.5·2 + 0.3·5 + 0.2·4 = 3.3; B = 3; final = 0.6·3.3 + 0.4·3 = 3.18.
    assert final(weighted_levels(ed, small(), {})) == Decimal("3.18")

    # a1 excluded: its 50 goes to a2 and a3 in proportion (×100/50): a2 60, a3 40.
    # A = 0.6·5 + 0.4·4 = 4.6; final = 0.6·4.6 + 0.4·3 = 2.76 + 1.2 = 3.96.
    out = apply_waivers(small(), [waiver("uji.a1")], ed)
    assert [r.rule.id for r in out.scored] == ["uji.a2", "uji.a3", "uji.b1"]
    assert [r.weight for r in out.scored] == [Decimal(60), Decimal(40), Decimal(100)]
    assert final(weighted_levels(ed, out.scored, {})) == Decimal("3.96")
    # (dropping a1 without the redistribution would count it as level 0: A = 2.3, final 2.58)

    # a1 as met: level 5. A = 0.5·5 + 1.5 + 0.8 = 4.8; final = 0.6·4.8 + 1.2 = 4.08.
    out = apply_waivers(small(), [waiver("uji.a1", "as_met")], ed)
    top = out.scored[0]
    assert (top.rule.id, top.level, top.value, top.weight) == ("uji.a1", 5, 1, 50)
    assert final(weighted_levels(ed, out.scored, {})) == Decimal("4.08")

    # the report keeps every rule, the waived one with status "waived" at the level found
    assert [(r.rule.id, r.status, r.level) for r in out.results] == [
        ("uji.a1", "waived", 2), ("uji.a2", "pass", 5), ("uji.a3", "partial", 4),
        ("uji.b1", "partial", 3)]
    item = out.items[0]
    assert item["effect"] == "as_met" and item["found"] == {
        "level": 2, "max_level": 5, "score": 40.0, "status": "partial"}
    assert item["scored_as"] == {"level": 5, "score": 100.0}
    assert item["source"] == "waivers.yaml:1"


def test_the_effect_with_and_without_waivers_rounds_and_bands() -> None:
    ed = edition()
    out = apply_waivers(small(), [waiver("uji.a1", "as_met")], ed)
    effect = waiver_effect(ed, weighted_levels(ed, small(), {}),
                           weighted_levels(ed, out.scored, {}))
    assert effect["without"]["final"] == 3.18 and effect["without"]["predicate"]["code"] == "B"
    assert effect["with"]["final"] == 4.08 and effect["with"]["predicate"]["code"] == "A"
    assert effect["delta"] == 0.9 and effect["predicate_changed"] is True


def test_excluded_is_the_same_for_a_share_model() -> None:
    # weighted_share pools within aspects: A = (50·40 + 30·100 + 20·80)/100 = 66;
    # B = 60; final = (60·66 + 40·60)/100 = 63.6. Excluding a1: A = (30·100 + 20·80)/50 = 92,
    # final = (60·92 + 40·60)/100 = 79.2 (scaling weights within an aspect changes nothing).
    ed = edition("weighted_share")
    assert final(weighted_share(ed, small(), {})) == Decimal("63.6")
    out = apply_waivers(small(), [waiver("uji.a1")], ed)
    assert final(weighted_share(ed, out.scored, {})) == Decimal("79.2")
    # Pooled over all rules (an aspect weighs what its rules weigh: A 100, B 100), without
    # waivers (50·40 + 30·100 + 20·80 + 100·60)/200 = 63. Excluding a1 keeps A at 100:
    # (60·100 + 40·80 + 100·60)/200 = 76, rather than (30·100 + 20·80 + 100·60)/150 = 70.67
    # from dropping a1 alone, which would shrink aspect A's share.
    pooled = edition("weighted_share", pool="rules")
    assert final(weighted_share(pooled, small(), {})) == Decimal(63)
    assert final(weighted_share(pooled, out.scored, {})) == Decimal(76)


def test_shared_weights_that_do_not_terminate_still_round_at_the_band_edge() -> None:
    # a1 (70 of A's 100) excluded: a2 10 → 33.33…, a3 20 → 66.66… (×100/30, non-terminating).
    # A = ⅓·5 + ⅔·2 = 3 exactly; B = 0.9875·3 + 0.0125·4 = 3.0125;
    # final = 0.6·3 + 0.4·3.0125 = 1.8 + 1.205 = 3.005 → 3.01 (half up), band B (≥ 3).
    rules = [ladder("uji.a1", "A", 70, 1), ladder("uji.a2", "A", 10, 5),
             ladder("uji.a3", "A", 20, 2),
             replace(ladder("uji.b1", "B", 1, 3), weight=Decimal("98.75")),
             replace(ladder("uji.b2", "B", 1, 4), weight=Decimal("1.25"))]
    ed = edition()
    out = apply_waivers(rules, [waiver("uji.a1")], ed)
    raw = weighted_levels(ed, out.scored, {})
    assert raw.final < Decimal("3.005")  # 3.004999…: 28-digit decimals, not the true value
    effect = waiver_effect(ed, weighted_levels(ed, rules, {}), settle(raw))
    assert effect["with"]["final"] == 3.01 and effect["with"]["predicate"]["code"] == "B"


def test_as_met_on_a_measured_rule_is_a_full_score() -> None:
    ed = edition("weighted_share")
    rules = [measured_rule("uji.m1", "A", 1, Fraction(3, 5)), ladder("uji.a2", "A", 1, 5),
             ladder("uji.b1", "B", 1, 3)]
    # A = (60 + 100)/2 = 80; B = 60; final = (60·80 + 40·60)/100 = 72.
    assert final(weighted_share(ed, rules, {})) == Decimal(72)
    out = apply_waivers(rules, [waiver("uji.m1", "as_met")], ed)
    # A = 100; final = (6000 + 2400)/100 = 84.
    assert final(weighted_share(ed, out.scored, {})) == Decimal(84)
    assert out.items[0]["found"]["level"] is None and out.items[0]["found"]["score"] == 60.0
    assert out.items[0]["scored_as"] == {"level": None, "score": 100.0}


def test_excluding_a_whole_weighted_aspect_is_an_error_at_the_waiver() -> None:
    with pytest.raises(InputError) as caught:
        apply_waivers(small(), [waiver("uji.b1", line=7)], edition())
    message = caught.value.render("en")
    assert "waivers.yaml:7" in message and "empty aspect B" in message
    assert "as_met" in message


def test_a_waiver_for_an_unknown_rule_of_this_ruleset_warns() -> None:
    out = apply_waivers(small(), [waiver("uji.zz")], edition())
    assert [r.rule.id for r in out.scored] == ["uji.a1", "uji.a2", "uji.a3", "uji.b1"]
    assert "no rule uji.zz" in out.warnings[0].en
    # a rule of another ruleset is simply not for this report
    assert not apply_waivers(small(), [waiver("lain.zz")], edition()).warnings


# --- dates and units -------------------------------------------------------------------------

def test_expired_and_not_started_waivers_are_ignored_with_a_warning() -> None:
    waivers = [waiver("uji.a1", expiry="2024-03-31", line=3),
               waiver("uji.a2", start="2025-01-01", expiry="2025-12-31", line=9),
               waiver("uji.a3", line=15)]
    active, ignored, warnings = active_waivers(waivers, UNIT, DAY)
    assert [w.rule for w in active] == ["uji.a3"]
    assert [(w.rule, w.state_on(DAY)) for w in ignored] == [
        ("uji.a1", "expired"), ("uji.a2", "not_started")]
    assert "waivers.yaml:3" in warnings[0].en and "expired on 2024-03-31" in warnings[0].en
    assert "kedaluwarsa" not in warnings[0].id and "berakhir 2024-03-31" in warnings[0].id
    assert "starts on 2025-01-01" in warnings[1].en
    # both ends of a waiver's period are inclusive
    last_day = [waiver("uji.a1", expiry="2024-10-21")]
    assert active_waivers(last_day, UNIT, DAY)[0] == last_day


def test_waivers_are_scoped_to_their_unit() -> None:
    waivers = [waiver("uji.a1", unit="unit-lain"), waiver("uji.a2", unit="Unit Uji"),
               waiver("uji.a3", unit="*")]
    active, ignored, _ = active_waivers(waivers, UNIT, DAY)
    assert [w.rule for w in active] == ["uji.a2", "uji.a3"]  # by nama, and "*" for all
    assert not ignored
    assert [w.rule for w in active_waivers(waivers, {"nama": "Unit Lain"}, DAY)[0]] == [
        "uji.a3"]


def test_a_unit_waiver_overrides_one_for_every_unit_and_two_of_a_kind_are_an_error() -> None:
    general = waiver("uji.a1", "as_met", unit="*", line=2)
    mine = waiver("uji.a1", "excluded", line=10)
    active, _, warnings = active_waivers([general, mine], UNIT, DAY)
    assert active == [mine]
    assert any("waivers.yaml:2" in w.en for w in warnings)
    with pytest.raises(InputError) as caught:
        active_waivers([mine, waiver("uji.a1", "as_met", line=20)], UNIT, DAY)
    assert "waivers.yaml:10, waivers.yaml:20" in caught.value.render("en")


def test_soon_expiring_and_self_approved_waivers_warn() -> None:
    soon = Waiver("uji.a1", "*", _t("alasan"), "Budi", "budi ", date(2024, 1, 1),
                  date(2024, 11, 1), "SK", "excluded", Path("w.yaml"), 4)
    _, _, warnings = active_waivers([soon], UNIT, DAY)
    assert any("in 11 days" in w.en for w in warnings)
    assert any("owned and approved by the same person" in w.en for w in warnings)


# --- the waiver file -------------------------------------------------------------------------

GOOD = """\
waivers:
  - rule: uji.a1
    unit: unit-uji
    reason: {id: Renovasi gedung, en: Building works}
    owner: Kepala Bagian Umum
    approver: Kepala Dinas
    start: "2024-01-01"
    expiry: "2024-12-31"
    legal_basis: SK 1/2024
"""


def test_a_waiver_file_loads_with_excluded_as_the_default(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(GOOD, encoding="utf-8")
    waivers = load_waivers(path)
    assert [(w.rule, w.effect, w.line, w.reason.en) for w in waivers] == [
        ("uji.a1", "excluded", 2, "Building works")]
    assert waivers.file == path and len(waivers.sha256) == 64


@pytest.mark.parametrize(("old", "new", "line", "expected"), [
    ("    owner: Kepala Bagian Umum\n", "", 2, "required key missing: owner"),
    ('    expiry: "2024-12-31"', '    expiry: "2024-13-01"', 8, "is not a valid date"),
    ("    legal_basis: SK 1/2024", "    legal_basis: SK 1/2024\n    effect: ignore", 10,
     "is not one of: \"excluded\", \"as_met\""),
    ("    unit: unit-uji", "    unit: unit-uji\n    unti: x", 4, "unknown key: unti"),
    ("  - rule: uji.a1", "  - rule: a1", 2, "does not match"),
    ('    expiry: "2024-12-31"', '    expiry: "2023-12-31"', 8,
     "expiry 2023-12-31 is before start 2024-01-01"),
])
def test_waiver_file_errors_name_the_file_and_line(tmp_path: Path, old: str, new: str,
                                                  line: int, expected: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_waivers(path)
    message = caught.value.render("en")
    assert f"{path}:{line}:" in message, message
    assert expected in message, message


def test_bundled_audit_schemas_are_valid_draft_2020_12() -> None:
    for name in ("waivers", "verification"):
        Draft202012Validator.check_schema(load_schema(name))


# --- verification ----------------------------------------------------------------------------

def verified(rule: str, level: int | None = None, score: str | None = None,
             line: int = 5) -> Verified:
    return Verified(rule, level, None if score is None else Decimal(score), "catatan",
                    "Evaluator", date(2024, 11, 5), Path("v.yaml"), line)


def test_verified_levels_replace_the_claim_side_by_side_and_rescore_by_hand() -> None:
    ed = edition()
    claim = small()
    out = apply_verification(claim, [verified("uji.a2", 3), verified("uji.a3", 5)])
    assert [(r.rule.id, r.level, r.status) for r in out.results] == [
        ("uji.a1", 2, "partial"), ("uji.a2", 3, "partial"), ("uji.a3", 5, "pass"),
        ("uji.b1", 3, "partial")]
    assert out.claimed == claim  # the claim is kept as it was
    assert out.results[1].next_level.level == 4 and out.results[2].next_level is None
    assert "catatan" in out.results[1].unmet[0].message.id
    assert [(i["rule_id"], i["claimed_level"], i["verified_level"], i["delta"])
            for i in out.items] == [("uji.a2", 5, 3, -2), ("uji.a3", 4, 5, 1)]
    # Claimed 3.18 (B). Verified: A = 0.5·2 + 0.3·3 + 0.2·5 = 2.9; final = 0.6·2.9 + 1.2 = 2.94 (C)
    effect = verification_effect(ed, weighted_levels(ed, claim, {}),
                                 weighted_levels(ed, out.results, {}))
    assert effect["claimed"]["final"] == 3.18 and effect["claimed"]["predicate"]["code"] == "B"
    assert effect["verified"]["final"] == 2.94 and effect["verified"]["predicate"]["code"] == "C"
    assert effect["delta"] == -0.24 and effect["predicate_changed"]


def test_a_measured_rule_is_verified_by_score() -> None:
    rules = [measured_rule("uji.m1", "A", 1, Fraction(3, 5)), ladder("uji.b1", "B", 1, 3)]
    out = apply_verification(rules, [verified("uji.m1", score="45.5")])
    assert out.results[0].value == Fraction(91, 200)
    item = out.items[0]
    assert (item["claimed_score"], item["verified_score"], item["delta"]) == (60.0, 45.5, -14.5)
    assert item["claimed_level"] is None and item["measured"]


@pytest.mark.parametrize(("item", "expected"), [
    (verified("uji.a1", 6), "level 6 is above the top level of uji.a1 (5)"),
    (verified("uji.a1", score="50"), "uji.a1 is a ladder rule: give `level`"),
    (verified("uji.zz", 1), "rule uji.zz is not evaluated in this edition"),
])
def test_verification_errors_name_the_line(item: Verified, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        apply_verification(small(), [item])
    message = caught.value.render("en")
    assert message.startswith("v.yaml:5:"), message
    assert expected in message


def test_a_verification_file_for_another_unit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text('evaluator: Tim\ntanggal: "2024-11-05"\nunit: unit-lain\nverifikasi:\n'
                    "  - {rule: uji.a1, level: 3, note: ok}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        apply_verification(small(), load_verification(path), UNIT)
    assert f"{path}:3: unit:" in caught.value.render("en")
    # the same file with the right unit applies
    out = apply_verification(small(), load_verification(path), {"kode": "unit-lain",
                                                                "nama": "X"})
    assert out.results[0].level == 3


@pytest.mark.parametrize(("items", "line", "expected"), [
    ("  - {rule: uji.a1, level: 3, score: 60, note: x}\n", 4, "exactly one of `level`"),
    ("  - {rule: uji.a1, note: x}\n", 4, "exactly one of `level`"),
    ("  - {rule: uji.a1, level: 3}\n", 4, "required key missing: note"),
    ("  - {rule: uji.a1, level: 9, note: x}\n", 4, "9 must be <= 5"),
    ("  - {rule: uji.a1, level: 3, note: x}\n  - {rule: uji.a1, level: 2, note: y}\n", 5,
     "uji.a1 is already verified at line 4"),
])
def test_verification_file_errors_name_the_file_and_line(tmp_path: Path, items: str, line: int,
                                                        expected: str) -> None:
    path = tmp_path / "v.yaml"
    path.write_text(f'evaluator: Tim\ntanggal: "2024-11-05"\nverifikasi:\n{items}',
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_verification(path)
    message = caught.value.render("en")
    assert f"{path}:{line}:" in message, message
    assert expected in message, message


# --- the bundled examples on the DPMPTSP unit ------------------------------------------------

@pytest.fixture(scope="module")
def dpmptsp():
    manifest = load_manifest(EXAMPLE)
    ruleset = load_ruleset("pekppp")
    day, _ = manifest.as_of(None)
    ed = pick_edition(ruleset, day, None)
    facts = derive(manifest.data, manifest.base_dir, day)
    results = evaluate_rules(ruleset, ed, facts, day, collect(manifest.data, manifest.base_dir))
    model = manager.scoring_models()[ed.scoring["model"]]
    return manifest, ed, facts, results, model, day


def test_the_example_files_on_the_dpmptsp_unit(dpmptsp) -> None:
    manifest, ed, facts, results, model, day = dpmptsp
    unit = manifest.data["unit"]
    plain = adjust(ed, results, facts, model, unit=unit, as_of=day)
    assert plain.score == model(ed, results, facts) and plain.results == list(results)
    assert plain.waivers is None and plain.verification is None

    waivers = load_waivers(WAIVERS)
    verification = load_verification(VERIFICATION)
    out = adjust(ed, results, facts, model, unit=unit, as_of=day, waivers=waivers,
                 verification=verification)
    section = out.verification
    assert [(i["rule_id"], i["claimed_level"], i["verified_level"]) for i in section["items"]] \
        == [("pekppp.2.a.P", 4, 3), ("pekppp.9.a.Ak", 4, 3), ("pekppp.12.b.Ak", 4, 5),
            ("pekppp.14.b.K", 5, 4)]
    # Verified levels: a −0.14 (2.a.P, 14%) −0.07 (9.a.Ak, 7%); b +0.2 (12.b.Ak) −0.3 (14.b.K);
    # F-02 moves by 0.24·(−0.21) + 0.25·(−0.1) = −0.0754, the final by 0.75 of that = −0.05655.
    # The 24.d.T waiver (4/5, weight 30 in d) leaves d = 5.0 (+0.3): +0.75·0.11·0.3 = +0.02475.
    # Claimed 4.668149 + 0.02475 = 4.692899 → 4.69; verified 4.636349 → 4.64.
    assert section["effect"]["claimed"]["final"] == 4.69
    assert section["effect"]["verified"]["final"] == 4.64
    assert out.waivers["effect"]["without"]["final"] == 4.61  # 4.611599
    assert out.waivers["effect"]["with"]["final"] == 4.64
    assert [i["rule_id"] for i in out.waivers["applied"]] == ["pekppp.24.d.T"]
    assert [(i["rule_id"], i["why"]) for i in out.waivers["ignored"]] == [
        ("pekppp.18.c.K", "expired")]
    assert round(out.score.final, 6) == Decimal("4.636349")
    statuses = {r.rule.id: (r.status, r.level) for r in out.results}
    assert statuses["pekppp.24.d.T"] == ("waived", 4)
    assert statuses["pekppp.2.a.P"] == ("partial", 3)
    assert len(out.warnings) == 1 and "expired on 2024-03-31" in out.warnings[0].en

    # the sections follow their schemas and survive JSON
    for key, name in (("waivers", "waivers"), ("verification", "verification")):
        schema = load_schema(name)
        registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
        check = Draft202012Validator({"$ref": f"{schema['$id']}#/$defs/report_section"},
                                     registry=registry,
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = list(check.iter_errors(json.loads(json.dumps(getattr(out, key)))))
        assert not errors, errors

    text = render_verification(section, "id")
    assert "pekppp.12.b.Ak  4/5    5/5         +1" in text
    assert "Nilai klaim: 4,69 A Pelayanan Prima → terverifikasi: 4,64 A Pelayanan Prima " \
        "(-0,05)" in text
    english = render_waivers(out.waivers, "en")
    assert "Score without waivers: 4.61 A Excellent service → with waivers: 4.64 A " \
        "Excellent service (+0.03)" in english
    assert "pekppp.18.c.K: expired" in english


def test_verification_section_without_an_effect(dpmptsp) -> None:
    _, _, _, results, _, _ = dpmptsp
    verification = load_verification(VERIFICATION)
    applied = apply_verification(results, verification)
    section = verification_section(verification, applied, None)
    assert section["effect"] is None and section["file"] == "verifikasi-dpmptsp.yaml"
    assert "Nilai klaim" not in render_verification(section)
