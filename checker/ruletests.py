"""Running a rule's own examples: each names a partial manifest and the level it must reach."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator

from patuh.engine import Result
from patuh.engine import evaluate
from patuh.engine import make_context
from patuh.evidence import collect
from patuh.facts import derive
from patuh.i18n import Text
from patuh.rulebook import CASES_SUFFIX
from patuh.rulebook import Rule
from patuh.rulebook import RuleVersion
from patuh.validation import describe
from patuh.validation import load_schema
from patuh.yamlio import load_yaml


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


def load_cases(rule: Rule) -> list[Mapping[str, Any]]:
    """Extra cases from ``<rule file stem>.cases.yaml`` beside the rule, if there is one:
    ``{cases: [{name, as_of, facts, level | score, status}]}``."""
    file = rule.file.with_name(rule.file.stem + CASES_SUFFIX)
    if not file.exists():
        return []
    doc = load_yaml(file)
    cases = doc.data.get("cases") if isinstance(doc.data, dict) else None
    if not isinstance(cases, list):
        raise doc.error((), Text("berkas kasus harus berisi `cases: [...]`",
                                 "a cases file must hold `cases: [...]`"))
    definitions = load_schema("rule")["$defs"]
    example = {**definitions["example"], "$defs": definitions}  # its $refs point into $defs
    checker = Draft202012Validator(example, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for index, case in enumerate(cases):
        for error in checker.iter_errors(case):
            raise doc.error(("cases", index, *error.absolute_path), describe(error))
    return cases


def run_cases(rule: Rule) -> list[ExampleRun]:
    """The rule's own examples and the cases beside it, each run against its version."""
    runs = run_examples(rule)
    for case in load_cases(rule):
        as_of = date.fromisoformat(case.get("as_of") or rule.versions[-1].period.start.isoformat())
        version = rule.version_at(as_of) or rule.versions[-1]
        facts = derive(case["facts"], None, as_of)
        result = evaluate(rule, version, make_context(facts, as_of, collect(case["facts"], None)))
        runs.append(ExampleRun(rule, version, f"{rule.file.stem}{CASES_SUFFIX}: {case['name']}",
                               case.get("level"), case.get("status"), result, case.get("score")))
    return runs


def coverage_gaps(rule: Rule, runs: list[ExampleRun]) -> list[Text]:
    """What a rule lacks: a passing case and a failing (or missing-data) case per version."""
    gaps = []
    for version in rule.versions:
        mine = [r for r in runs if r.version is version]
        if not any(r.result.status == "pass" and r.ok for r in mine):
            gaps.append(Text(f"versi {version.version}: tidak ada kasus yang lulus (pass)",
                             f"version {version.version}: no passing case"))
        if not any(r.result.status in ("fail", "missing") and r.ok for r in mine):
            gaps.append(Text(f"versi {version.version}: tidak ada kasus gagal (level 0)",
                             f"version {version.version}: no failing case (level 0)"))
    return gaps
