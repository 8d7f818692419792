"""Evaluation: pure functions from (facts, evidence, date, rules) to results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from typing import Any

from patuh import manager
from patuh.conditions import Context
from patuh.conditions import Evidence
from patuh.conditions import Unmet
from patuh.evidence import related
from patuh.rulebook import Level
from patuh.rulebook import Rule
from patuh.rulebook import RuleVersion


@dataclass(frozen=True)
class Result:
    rule: Rule
    version: RuleVersion
    level: int
    status: str  # pass | partial | fail | missing
    evidence: tuple[Evidence, ...]
    next_level: Level | None
    unmet: tuple[Unmet, ...]  # why the next level is not reached

    @property
    def max_level(self) -> int:
        return self.version.max_level


def make_context(facts: Mapping[str, Any], as_of: date,
                 evidence: Mapping[str, tuple[Evidence, ...]]) -> Context:
    return Context(facts=facts, as_of=as_of, operators=manager.operators(), evidence=evidence)


def evaluate(rule: Rule, version: RuleVersion, context: Context) -> Result:
    """The highest level whose condition holds together with those of every lower level."""
    ctx = replace(context, elements=version.elements)
    level = 0
    used: list[str] = []
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
    if level == version.max_level:
        status = "pass"
    elif level > 0:
        status = "partial"
    else:
        status = "missing" if first_holds is None else "fail"
    return Result(rule, version, level, status, tuple(related(ctx.evidence, used)),
                  next_level, unmet)
