"""Evaluation: pure functions from (facts, evidence, date, rules) to results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from patuh import manager
from patuh.conditions import MISSING
from patuh.conditions import Context
from patuh.conditions import Evidence
from patuh.conditions import Outcome
from patuh.conditions import Unmet
from patuh.evidence import related
from patuh.i18n import Text
from patuh.i18n import number
from patuh.rulebook import Level
from patuh.rulebook import Rule
from patuh.rulebook import RuleVersion


@dataclass(frozen=True)
class Result:
    rule: Rule
    version: RuleVersion
    level: int  # 0 for a measured rule
    status: str  # pass | partial | fail | missing
    evidence: tuple[Evidence, ...]
    next_level: Level | None
    unmet: tuple[Unmet, ...]  # why the next level (or a full score) is not reached
    value: Fraction | None  # share of the maximum, 0..1 (None: no data for a measured rule)
    aspect: str  # the aspect it counts in, in the edition being scored
    weight: Decimal  # its weight there

    @property
    def max_level(self) -> int:
        return self.version.max_level


def make_context(facts: Mapping[str, Any], as_of: date,
                 evidence: Mapping[str, tuple[Evidence, ...]]) -> Context:
    declared = _declared()  # one call of the hook for both
    return Context(facts=facts, as_of=as_of, operators=manager.operators(), evidence=evidence,
                   sources=fact_sources(declared), labels=fact_labels(declared))


def _bad_ways(ways: Any) -> bool:
    return not isinstance(ways, (list, tuple)) or not all(
        isinstance(way, (list, tuple)) and way and all(isinstance(k, str) and k for k in way)
        for way in ways)


def _bad_declaration(value: Any) -> bool:
    if isinstance(value, Mapping):  # {from: ways, label: {id, en}}
        label = value.get("label")
        return _bad_ways(value.get("from", [])) or not (label is None or isinstance(
            label, Text) or (isinstance(label, Mapping) and isinstance(label.get("id"), str)))
    return _bad_ways(value)


def _bad_sources(result: Any) -> bool:
    return result is not None and not (isinstance(result, Mapping) and all(
        isinstance(path, str) and path and not _bad_declaration(value)
        for path, value in result.items()))


def _declared() -> list[Mapping[str, Any]]:
    hook = manager.get_plugin_manager().hook
    results = hook.patuh_fact_sources()
    for result in results:
        if _bad_sources(result):
            raise manager.wrong_type(
                manager.culprit(hook.patuh_fact_sources, _bad_sources), "patuh_fact_sources",
                "a mapping {derived.path: [[manifest.key, ...], ...] or {from: [[...]], "
                "label: {id, en}}}", result)
    return [result for result in results if result]


def fact_sources(declared: list[Mapping[str, Any]] | None = None
                 ) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Every plugin's ``patuh_fact_sources`` (or the ``declared`` results of one call):
    derived fact path -> the ways (manifest keys) a person supplies it; two plugins' ways for
    one path add up."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for result in _declared() if declared is None else declared:
        for path, value in result.items():
            ways = value.get("from", ()) if isinstance(value, Mapping) else value
            added = tuple(tuple(way) for way in ways)
            out[path] = tuple(dict.fromkeys((*out.get(path, ()), *added)))
    return out


def fact_labels(declared: list[Mapping[str, Any]] | None = None) -> dict[str, Text]:
    """The names plugins give their derived facts (``patuh_fact_sources``' ``label``)."""
    return {path: Text.of(value["label"])
            for result in (_declared() if declared is None else declared)
            for path, value in result.items()
            if isinstance(value, Mapping) and value.get("label") is not None}


def _status(value: Fraction | None, unknown: bool) -> str:
    if value is None or (value == 0 and unknown):
        return "missing"
    if value == 1:
        return "pass"
    return "partial" if value > 0 else "fail"


def _measure(spec: Mapping[str, Any], ctx: Context) -> tuple[Fraction | None, Outcome]:
    """A measured score as a share of 0..1, with the reason it is not full."""
    if "ratio" in spec:
        num_path, den_path = spec["ratio"]["numerator"], spec["ratio"]["denominator"]
        num, den = ctx.get(num_path), ctx.get(den_path)
        used = (ctx.path(num_path), ctx.path(den_path))
        if MISSING in (num, den):
            missing = [p for p, v in zip(used, (num, den), strict=True) if v is MISSING]
            return None, ctx.missing(*missing, used=used)
        if den == 0:
            zero = Text(f"{ctx.shown(used[1], 'id')} = 0", f"{ctx.shown(used[1], 'en')} = 0")
            return None, Outcome(None, (Unmet(zero,
                                              used[1], True),), used)
        value = min(max(Fraction(num) / Fraction(den), Fraction(0)), Fraction(1))
        text = Text(f"{ctx.shown(used[0], 'id')}/{ctx.shown(used[1], 'id')} = {num}/{den}",
                    f"{ctx.shown(used[0], 'en')}/{ctx.shown(used[1], 'en')} = {num}/{den}")
    else:
        path = ctx.path(spec["fact"])
        raw = ctx.get(spec["fact"])
        used = (path,)
        if raw is MISSING:
            return None, ctx.missing(path)
        low, high = (Fraction(str(x)) for x in spec["range"])
        value = min(max((Fraction(str(raw)) - low) / (high - low), Fraction(0)), Fraction(1))
        shown_id, shown_en = (number(float(Fraction(str(raw))), lang, 2) for lang in ("id", "en"))
        low_id, high_id = (number(x, "id") for x in spec["range"])
        low_en, high_en = (number(x, "en") for x in spec["range"])
        text = Text(f"{ctx.shown(path, 'id')} = {shown_id} (rentang {low_id}–{high_id})",
                    f"{ctx.shown(path, 'en')} = {shown_en} (range {low_en}–{high_en})")
    if value == 1:
        return value, Outcome(True, (), used)
    return value, Outcome(False, (Unmet(text, used[0]),), used)


def evaluate(rule: Rule, version: RuleVersion, context: Context, *, aspect: str | None = None,
             weight: Decimal | None = None) -> Result:
    """A ladder: the highest level whose condition holds together with those of every lower
    level. A measured rule: its 0–100 score, zero unless its ``requires`` holds."""
    ctx = Context(context.facts, context.as_of, context.operators, context.evidence,
                  version.elements, context.prefix, context.sources, context.labels)
    aspect = aspect or version.aspect or rule.aspect
    weight = version.weight if weight is None else weight
    used: list[str] = []
    if version.measure is not None:
        gate = version.measure.get("requires")
        gate_outcome = ctx.evaluate(gate) if gate else Outcome(True)
        used.extend(gate_outcome.used)
        if not gate_outcome.holds:
            value = None if gate_outcome.holds is None else Fraction(0)
            return Result(rule, version, 0, _status(value, True),
                          tuple(related(ctx.evidence, used)), None, gate_outcome.unmet,
                          value, aspect, weight)
        value, outcome = _measure(version.measure, ctx)
        used.extend(outcome.used)
        return Result(rule, version, 0, _status(value, outcome.holds is None),
                      tuple(related(ctx.evidence, used)), None, outcome.unmet, value,
                      aspect, weight)
    if version.raw.get("ladder") == "highest":
        return _highest(rule, version, ctx, aspect, weight)
    level = 0
    first_holds: bool | None = True
    next_level: Level | None = None
    unmet: tuple[Unmet, ...] = ()
    for step in version.levels:
        outcome = ctx.evaluate(step.when)
        used.extend(outcome.used)
        if step.level == 1:
            first_holds = outcome.holds
        if not outcome.holds:
            next_level, unmet = step, outcome.unmet
            break
        level = step.level
    value = Fraction(level, version.max_level)
    return Result(rule, version, level, _status(value, first_holds is None),
                  tuple(related(ctx.evidence, used)), next_level, unmet, value, aspect, weight)


def _highest(rule: Rule, version: RuleVersion, ctx: Context, aspect: str,
             weight: Decimal) -> Result:
    """``ladder: highest``: level 1 is the basis; above it, the highest level whose own
    condition holds. The next level is the one just above, with its own unmet conditions."""
    levels = version.levels
    outcomes = [ctx.evaluate(step.when) for step in levels]
    used = [path for outcome in outcomes for path in outcome.used]
    first = outcomes[0]
    level = 0
    if first.holds:
        level = max((step.level for step, outcome in zip(levels, outcomes, strict=True)
                     if outcome.holds), default=1)
    next_level = levels[level] if level < len(levels) else None
    unmet = outcomes[level].unmet if next_level is not None else ()
    value = Fraction(level, version.max_level)
    return Result(rule, version, level, _status(value, first.holds is None),
                  tuple(related(ctx.evidence, used)), next_level, unmet, value, aspect, weight)
