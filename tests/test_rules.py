"""The bundled PEKPPP ruleset: every rule's own examples, and the numbers the reference gives
(docs/sources/pekppp.md §3 and §4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from patuh.rulebook import Rule
from patuh.rulebook import Ruleset
from patuh.rulebook import load_ruleset
from patuh.ruletests import ExampleRun
from patuh.ruletests import run_examples

RULES = Path(__file__).resolve().parents[1] / "rules" / "pekppp"

# pekppp.md §4a–§4g: indicator -> weight within its aspect (%). The aspect is the letter in
# the code; the queue system (INF) is the unweighted aspect g.
INDICATOR_WEIGHTS = {
    "1.a.Ak": 17, "2.a.P": 14, "3.a.T": 7, "4.a.K": 14, "5.a.K": 10, "6.a.B": 17,
    "7.a.T": 7, "8.a.Ak": 7, "9.a.Ak": 7,
    "10.b.As": 10, "11.b.K": 20, "12.b.Ak": 20, "13.b.K": 20, "14.b.K": 30,
    "15.c.K": 15, "16.c.As": 23, "17.c.As": 20, "18.c.K": 20, "19.c.As": 11, "20.c.B": 11,
    "21.d.T": 30, "22.d.B": 20, "23.d.As": 20, "24.d.T": 30,
    "25.e.P": 20, "26.e.P": 25, "27.e.Ak": 25, "28.e.Ak": 30,
    "29.f.B": 50, "30.f.B": 50,
    "inf.antrian": 100,
}
# pekppp.md §3
ASPECT_WEIGHTS = {"a": 24, "b": 25, "c": 18, "d": 11, "e": 10, "f": 12, "g": 0}
ASPECT_SIZES = {"a": 9, "b": 5, "c": 6, "d": 4, "e": 4, "f": 2, "g": 1}
CONFIDENCE = {"official", "secondary", "unofficial", "inferred", "conflict", "not_found"}


def _rule_files() -> list[Path]:
    return sorted(p for p in RULES.rglob("*.yaml") if p.name != "ruleset.yaml")


def _example_params() -> list:
    """(rule id, index into run_examples(rule), example name), read straight from the files
    so that collection never depends on the loader working."""
    params = []
    for file in _rule_files():
        try:
            data = yaml.safe_load(file.read_text("utf-8"))
            rule_id = data["id"]
            examples = [e for v in data["versions"] for e in (v.get("examples") or [])]
        except Exception as exc:  # the loading tests below report it properly
            params.append(pytest.param(f"pekppp.{file.stem}", -1, repr(exc),
                                       id=f"{file.stem}-unreadable"))
            continue
        for index, example in enumerate(examples):
            params.append(pytest.param(rule_id, index, str(example.get("name")),
                                       id=f"{file.stem}-{index}"))
    return params


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset("pekppp")


@pytest.fixture(scope="module")
def runs(ruleset: Ruleset) -> dict[str, list[ExampleRun]]:
    return {rule.id: run_examples(rule) for rule in ruleset.rules}


def describe(run: ExampleRun) -> str:
    unmet = "\n".join(f"    - {u.message.en}" for u in run.result.unmet) or "    (none)"
    return (f"{run.rule.id} v{run.version.version} example {run.name!r}: expected level "
            f"{run.expected_level} ({run.expected_status or 'any status'}), got level "
            f"{run.result.level} ({run.result.status}); unmet for the next level:\n{unmet}")


@pytest.mark.parametrize(("rule_id", "index", "name"), _example_params())
def test_example(rule_id: str, index: int, name: str,
                 runs: dict[str, list[ExampleRun]]) -> None:
    assert index >= 0, f"{rule_id}: rule file unreadable: {name}"
    assert rule_id in runs, f"{rule_id} is not in the loaded ruleset"
    run = runs[rule_id][index]
    assert run.name == name
    assert run.ok, describe(run)


def test_the_ruleset_loads_from_the_repository_rules(ruleset: Ruleset) -> None:
    assert ruleset.folder.resolve() == RULES.resolve()
    assert len(_rule_files()) == len(ruleset.rules)


def test_exactly_31_rules(ruleset: Ruleset) -> None:
    ids = sorted(r.id for r in ruleset.rules)
    assert len(ids) == 31, ids
    assert set(ids) == {f"pekppp.{code}" for code in INDICATOR_WEIGHTS}


def test_every_rule_has_a_passing_and_a_failing_example(
        ruleset: Ruleset, runs: dict[str, list[ExampleRun]]) -> None:
    problems = []
    for rule in ruleset.rules:
        for version in rule.versions:
            mine = [r for r in runs[rule.id] if r.version is version]
            top = [r for r in mine if r.result.level == version.max_level
                   and r.result.status == "pass" and r.ok]
            zero = [r for r in mine if r.result.level == 0
                    and r.result.status in ("fail", "missing") and r.ok]
            if not top:
                problems.append(f"{rule.id} v{version.version}: no example reaching level "
                                f"{version.max_level} (pass)")
            if not zero:
                problems.append(f"{rule.id} v{version.version}: no example at level 0 "
                                "(fail or missing)")
    assert not problems, "\n".join(problems)


def test_every_rule_has_a_failing_example_with_data(
        ruleset: Ruleset, runs: dict[str, list[ExampleRun]]) -> None:
    """Besides 'no data' (missing), each rule shows one case where the data says no."""
    lacking = [rule.id for rule in ruleset.rules
               if not any(r.result.status in ("fail", "partial") and r.ok
                          for r in runs[rule.id])]
    assert not lacking


def test_levels_run_zero_to_five(ruleset: Ruleset) -> None:
    for rule in ruleset.rules:
        for version in rule.versions:
            assert [level.level for level in version.levels] == [1, 2, 3, 4, 5], rule.id


def edition(ruleset: Ruleset):
    found = ruleset.edition_for(date(2024, 12, 31))
    assert found is not None
    return found


def test_aspect_weights(ruleset: Ruleset) -> None:
    aspects = edition(ruleset).aspects
    assert {a.id: a.weight for a in aspects} == {k: Decimal(v) for k, v in
                                                  ASPECT_WEIGHTS.items()}
    assert sum(a.weight for a in aspects) == 100


def in_force(ruleset: Ruleset) -> list[tuple[Rule, object]]:
    day = date(2024, 12, 31)
    pairs = [(rule, rule.version_at(day)) for rule in ruleset.rules]
    assert all(v is not None for _, v in pairs), [r.id for r, v in pairs if v is None]
    return pairs


def test_indicator_weights_sum_to_100_within_each_aspect(ruleset: Ruleset) -> None:
    totals: dict[str, Decimal] = {}
    sizes: dict[str, int] = {}
    for rule, version in in_force(ruleset):
        totals[rule.aspect] = totals.get(rule.aspect, Decimal(0)) + version.weight
        sizes[rule.aspect] = sizes.get(rule.aspect, 0) + 1
    assert totals == {aspect: Decimal(100) for aspect in ASPECT_WEIGHTS}
    assert sizes == ASPECT_SIZES


def test_indicator_weights_match_the_reference(ruleset: Ruleset) -> None:
    found = {rule.id.split(".", 1)[1]: version.weight for rule, version in in_force(ruleset)}
    assert found == {code: Decimal(w) for code, w in INDICATOR_WEIGHTS.items()}


def test_aspect_matches_the_indicator_code(ruleset: Ruleset) -> None:
    for rule in ruleset.rules:
        code = rule.id.split(".", 1)[1]
        expected = "g" if code.startswith("inf.") else code.split(".")[1]
        assert rule.aspect == expected, rule.id


def test_every_version_cites_its_source(ruleset: Ruleset) -> None:
    problems = []
    for rule in ruleset.rules:
        for version in rule.versions:
            source = version.source
            where = f"{rule.id} v{version.version}"
            if source.get("confidence") not in CONFIDENCE:
                problems.append(f"{where}: confidence {source.get('confidence')!r}")
            if not str(source.get("reference", "")).strip():
                problems.append(f"{where}: no reference")
            elif "pekppp.md" not in source["reference"]:
                problems.append(f"{where}: reference {source['reference']!r} does not cite "
                                "pekppp.md")
            if not str(source.get("regulation", "")).strip():
                problems.append(f"{where}: no regulation")
    assert not problems, "\n".join(problems)


def test_every_text_is_bilingual(ruleset: Ruleset) -> None:
    for rule in ruleset.rules:
        assert rule.title.id and rule.title.en, rule.id
        for version in rule.versions:
            for level in version.levels:
                assert level.title.id and level.title.en, (rule.id, level.level)


# --- `ladder: highest`: each level states its own descriptor ------------------------------------

def _evaluate(rule_id: str, facts: dict, evidence_owner: str, ref: str = "bukti.pdf"):
    from patuh.conditions import Evidence
    from patuh.engine import evaluate
    from patuh.engine import make_context
    from patuh.rulebook import find_rule

    rule = find_rule(rule_id)
    version = rule.version_at(date(2024, 12, 31))
    evidence = {evidence_owner: (Evidence(evidence_owner, ref, "file", "ok", "0" * 64, None),)}
    return version, evaluate(rule, version, make_context(facts, date(2024, 12, 31), evidence))


@pytest.mark.parametrize("rule_id", ["pekppp.28.e.Ak", "pekppp.4.a.K", "pekppp.13.b.K"])
def test_alternative_ladders_state_each_descriptor_without_any(rule_id: str) -> None:
    """A level's condition reads as its descriptor: no `any` that lets a unit through on a
    higher level's grounds."""
    from patuh.rulebook import find_rule

    version = find_rule(rule_id).version_at(date(2024, 12, 31))
    assert version.raw["ladder"] == "highest"
    for level in version.levels[1:]:
        assert "any" not in str(level.when), (rule_id, level.level)


def test_highest_ladder_reports_the_next_levels_own_condition() -> None:
    stats = {"tahun": 2023, "diterima": 100, "diselesaikan": 2, "diterima_sp4n_lapor": 100,
             "diselesaikan_sp4n_lapor": 2}
    _, result = _evaluate("pekppp.28.e.Ak", {"pengaduan": {"statistik": stats}},
                          "pengaduan.statistik")
    assert (result.level, result.status) == (3, "partial")
    assert result.next_level is not None and result.next_level.level == 4
    assert any("diselesaikan_sp4n_lapor" in u.path for u in result.unmet)


def test_highest_ladder_still_needs_its_basis() -> None:
    """Level 5's own condition holds, but without evidence (level 1) the level is 0."""
    stats = {"tahun": 2023, "diterima": 10, "diselesaikan": 10, "diterima_sp4n_lapor": 10,
             "diselesaikan_sp4n_lapor": 10}
    _, result = _evaluate("pekppp.28.e.Ak", {"pengaduan": {"statistik": stats}}, "elsewhere")
    assert result.level == 0 and result.next_level.level == 1


def test_has_evidence_own_ignores_evidence_of_a_part() -> None:
    """`{path, own: true}`: the evidence must be attached at the path itself; a policy's decree
    (jam_layanan.kebijakan.bukti) is not evidence of the other service-time elements."""
    from patuh.conditions import Evidence
    from patuh.engine import make_context

    def ctx(owner: str):
        item = Evidence(owner, "x.pdf", "file", "ok", "0" * 64, None)
        return make_context({"jam_layanan": {}}, date(2024, 12, 31), {owner: (item,)})

    nested = ctx("jam_layanan.kebijakan")
    assert nested.evaluate({"has_evidence": "jam_layanan"}).holds is True
    assert nested.evaluate({"has_evidence": {"path": "jam_layanan", "own": True}}).holds is None
    own = ctx("jam_layanan")
    assert own.evaluate({"has_evidence": {"path": "jam_layanan", "own": True}}).holds is True
