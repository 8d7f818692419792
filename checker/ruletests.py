"""Running a rule's own examples: each names a partial manifest and the level it must reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from patuh.engine import Result
from patuh.engine import evaluate
from patuh.engine import make_context
from patuh.evidence import collect
from patuh.facts import derive
from patuh.rulebook import Rule
from patuh.rulebook import RuleVersion


@dataclass(frozen=True)
class ExampleRun:
    rule: Rule
    version: RuleVersion
    name: str
    expected_level: int | None
    expected_status: str | None
    result: Result

    expected_score: float | None = None

    @property
    def actual_score(self) -> float | None:
        value = self.result.value
        return None if value is None else round(float(value) * 100, 2)

    @property
    def ok(self) -> bool:
        if self.expected_score is not None:
            matched = self.actual_score == round(self.expected_score, 2)
        else:
            matched = self.result.level == self.expected_level
        return matched and (self.expected_status is None
                            or self.result.status == self.expected_status)


def run_examples(rule: Rule) -> list[ExampleRun]:
    runs = []
    for version in rule.versions:
        for example in version.examples:
            as_of = date.fromisoformat(example.get("as_of") or version.period.start.isoformat())
            facts = derive(example["facts"], None, as_of)
            context = make_context(facts, as_of, collect(example["facts"], None))
            result = evaluate(rule, version, context)
            runs.append(ExampleRun(rule, version, example["name"], example.get("level"),
                                   example.get("status"), result, example.get("score")))
    return runs
