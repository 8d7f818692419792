"""The questionnaire: what a person answers for a set of rulesets, generated from the rules and
the manifest schema — never written by hand per indicator.

Every front end (the commented YAML template, the Excel form, the web form) renders this one
model and writes the same manifest::

    rules + manifest schema ──► Questionnaire ──► YAML template │ workbook │ web form

A *question* is one key of the manifest schema that a person fills in (a leaf: yes/no, number,
date, choice, several choices, text, a list of texts, a data file, evidence files). Each is
asked once: beside the keys of its own object, under the first indicator that reads it or one
of them directly (so a form keeps the SP decree's number and date with who set it), else under
the indicator that reads it most specifically; the indicators that also read it list it in
``Indicator.reads``, and ``Question.feeds`` says which levels of which rules it
moves. A key no rule reads is still asked (under the indicator that reads its nearest relative,
else in the general section), so a front end that renders every question writes every key the
schema accepts. Which paths a condition reads comes from its operator (``Operator.reads``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from patuh import manager
from patuh.conditions import Operator
from patuh.conditions import Read
from patuh.i18n import Text
from patuh.rulebook import Rule
from patuh.rulebook import Ruleset
from patuh.rulebook import find_rule
from patuh.validation import load_schema

# kinds of question
YES_NO, INTEGER, NUMBER, DATE, CHOICE, CHOICES = "yes_no", "integer", "number", "date", \
    "choice", "choices"
TEXT, TEXTS, FILE, FILES = "text", "texts", "file", "files"
KINDS = (YES_NO, INTEGER, NUMBER, DATE, CHOICE, CHOICES, TEXT, TEXTS, FILE, FILES)

EVIDENCE_KEY = "bukti"  # the manifest's evidence lists
DATA_FILE_KEY = "berkas"  # a data file the unit keeps (answers, a log)
GENERAL = "umum"


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text


@dataclass(frozen=True)
class Feed:
    """The levels of one rule that read a question."""

    rule: str
    levels: tuple[int, ...]


@dataclass(frozen=True)
class Question:
    path: str  # manifest key, dotted; ``[]`` marks each item of a list: inovasi.daftar[].tahap
    kind: str  # one of KINDS
    label: Text
    help: Text | None = None
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False  # required within its parent object
    group: str | None = None  # the list whose items repeat this question (inovasi.daftar)
    evidence: str | None = None  # the evidence question that proves this answer
    feeds: tuple[Feed, ...] = ()
    keys: tuple[str, ...] = ()  # the path's keys (a key may hold a dot: butir 1.a.K1)

    @property
    def key(self) -> str:
        return self.keys[-1] if self.keys else self.path.rsplit(".", 1)[-1]

    def levels_of(self, rule: str) -> tuple[int, ...]:
        return next((f.levels for f in self.feeds if f.rule == rule), ())


@dataclass(frozen=True)
class Group:
    """A list of objects a person adds items to (the innovations, the complaint channels)."""

    path: str
    label: Text
    help: Text | None
    questions: tuple[str, ...]  # the item's questions, in schema order


@dataclass(frozen=True)
class Indicator:
    rule: str
    ruleset: str
    title: Text
    guidance: Text
    evidence: Text  # what evidence the instrument asks for
    weight: str
    levels: tuple[tuple[int, Text], ...]  # the instrument's descriptor per level
    questions: tuple[str, ...]  # asked here (their home)
    reads: tuple[str, ...]  # every question whose answer this indicator reads


@dataclass(frozen=True)
class Section:
    code: str
    ruleset: str | None  # None: the general section (identity, period, keys no rule reads)
    title: Text
    indicators: tuple[Indicator, ...] = ()
    questions: tuple[str, ...] = ()  # asked in the section itself, outside any indicator


@dataclass(frozen=True)
class Questionnaire:
    rulesets: tuple[tuple[str, str], ...]  # (ruleset id, edition)
    sections: tuple[Section, ...]
    questions: Mapping[str, Question]  # every question once, in the manifest schema's order
    groups: Mapping[str, Group]
    headings: Mapping[str, Text]  # a label for every object key (section headings)
    fixed: Mapping[str, Any] = field(default_factory=dict)  # keys with one allowed value
    fixed_keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def home(self, path: str) -> tuple[Section, Indicator | None]:
        """Where a question is asked."""
        for section in self.sections:
            if path in section.questions:
                return section, None
            for indicator in section.indicators:
                if path in indicator.questions:
                    return section, indicator
        raise KeyError(path)

    def read_paths(self) -> set[str]:
        return {p for s in self.sections for i in s.indicators for p in i.reads}


# --- the manifest schema as questions -------------------------------------------------------

@cache
def labels() -> Mapping[str, Any]:
    """The words for every manifest key and value in both languages (manifest.labels.yaml)."""
    source = resources.files("patuh.schemas").joinpath("manifest.labels.yaml")
    if not source.is_file():
        return {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster
    return yaml.load(source.read_text("utf-8"), Loader=loader) or {}


def _resolve(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = {**defs[name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _label(path: str, schema: Mapping[str, Any]) -> tuple[Text, Text | None]:
    entry = labels().get(path) or {}
    key = path.rsplit(".", 1)[-1].removesuffix("[]")
    fallback = key.replace("_", " ").capitalize()
    label = Text(entry.get("id", fallback), entry.get("en", fallback))
    description = schema.get("description")
    helptext = Text(description, entry.get("help_en", description)) if description else None
    return label, helptext


def _choices(path: str, codes: Iterable[Any]) -> tuple[Choice, ...]:
    named = (labels().get(path) or {}).get("values") or {}
    out = []
    for code in codes:
        entry = named.get(code) or named.get(str(code)) or {}
        plain = str(code).replace("_", " ")
        out.append(Choice(str(code), Text(entry.get("id", plain), entry.get("en", plain))))
    return tuple(out)


def _kind(key: str, schema: Mapping[str, Any]) -> str | None:
    if key == EVIDENCE_KEY:
        return FILES
    if key == DATA_FILE_KEY:
        return FILE
    if schema.get("format") == "date":
        return DATE
    if "enum" in schema:
        return CHOICE
    kind = schema.get("type")
    if kind == "boolean":
        return YES_NO
    if kind == "integer":
        return INTEGER
    if kind == "number":
        return NUMBER
    if kind == "string":
        return TEXT
    if kind == "array":
        items = schema.get("items", {})
        if "enum" in items:
            return CHOICES
        if items.get("type") == "string":
            return TEXTS
    return None


@dataclass
class _Walk:
    defs: Mapping[str, Any]
    questions: dict[str, Question] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    headings: dict[str, Text] = field(default_factory=dict)
    fixed: dict[str, Any] = field(default_factory=dict)
    fixed_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def object(self, schema: Mapping[str, Any], prefix: str, group: str | None,
               evidence: str | None, keys: tuple[str, ...] = ()) -> list[str]:
        """The questions of an object, in schema order; returns their paths."""
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        if EVIDENCE_KEY in properties:
            evidence = _join(prefix, EVIDENCE_KEY)
        asked: list[str] = []
        for key, raw in properties.items():
            sub = _resolve(raw, self.defs)
            path = _join(prefix, key)
            if "const" in sub:
                self.fixed[path] = sub["const"]
                self.fixed_keys[path] = (*keys, key)
                continue
            kind = _kind(key, sub)
            if kind is None and sub.get("type") == "object":
                self.headings[path] = _label(path, raw)[0]
                asked += self.object(sub, path, group, evidence, (*keys, key))
                continue
            if kind is None and sub.get("type") == "array" \
                    and _resolve(sub.get("items", {}), self.defs).get("type") == "object":
                item_path = path + "[]"
                label, helptext = _label(path, raw)
                self.headings[path] = label
                inner = self.object(_resolve(sub["items"], self.defs), item_path, item_path,
                                    None, (*keys, key + "[]"))
                self.groups[path] = Group(path, label, helptext, tuple(inner))
                asked += inner
                continue
            if kind is None:
                continue  # a shape no form can ask (none in the bundled schema; tested)
            label, helptext = _label(path, raw)  # the key's own words, not its type's
            if kind == FILES:
                owner = self.headings.get(prefix)
                label = Text("Bukti dukung", "Evidence") + (
                    Text(f": {owner.id}", f": {owner.en}") if owner else "")
            items = sub.get("items", {}) if kind == CHOICES else sub
            self.questions[path] = Question(
                path, kind, label, helptext,
                _choices(path, items.get("enum", ())),
                sub.get("minimum"), sub.get("maximum"), key in required, group,
                None if kind == FILES else evidence, keys=(*keys, key))
            asked.append(path)
        return asked


def list_keys(questions: Mapping[str, Question], group: str) -> tuple[str, ...]:
    """The manifest keys of a list of objects (``inovasi.daftar`` → ``("inovasi", "daftar")``),
    from any of its item questions."""
    item = next(q for q in questions.values() if q.group == group + "[]")
    start = next(i for i, k in enumerate(item.keys) if k.endswith("[]")) + 1
    return tuple(k.removesuffix("[]") for k in item.keys[:start])


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def schema_questions() -> _Walk:
    schema = load_schema("manifest")
    walk = _Walk(schema.get("$defs", {}))
    walk.object(schema, "", None, None)
    return walk


# --- what the rules read --------------------------------------------------------------------

def condition_reads(condition: Mapping[str, Any], operators: Mapping[str, Operator],
                    prefix: str = "") -> Iterator[Read]:
    """Every fact path a condition reads, absolute, list items written ``[]``."""
    (name, arg), *_ = ((k, v) for k, v in condition.items() if k != "label")
    operator = operators[name]
    for read in operator.read(arg):
        yield Read(_join(prefix, read.path), read.evidence)
    scope = operator.scope(arg)
    inner = _join(prefix, scope) + "[]" if scope else prefix
    for _key, child in operator.children(arg):
        yield from condition_reads(child, operators, inner)


def rule_reads(rule: Rule, day: date, operators: Mapping[str, Operator]
               ) -> dict[int, list[Read]]:
    version = rule.version_at(day)
    if version is None:
        return {}
    out: dict[int, list[Read]] = {}
    for level in version.levels:
        out[level.level] = list(condition_reads(level.when, operators))
    if version.measure is not None:
        out[0] = [Read(p) for p in _measure_paths(version.measure)]
    return out


def _measure_paths(measure: Any) -> Iterator[str]:
    """Fact paths a measured rule names (any ``path`` / ``*_path`` value in its measure)."""
    if isinstance(measure, Mapping):
        for key, value in measure.items():
            if isinstance(value, str) and (key == "path" or key.endswith("_path")):
                yield value
            else:
                yield from _measure_paths(value)
    elif isinstance(measure, list):
        for item in measure:
            yield from _measure_paths(item)


def _normalise(path: str) -> str:
    """A condition's path with list positions as ``[]`` (``inovasi.daftar.0.nama``)."""
    return re.sub(r"\.[0-9]+(?=\.|$)", "[]", path)


def _matches(read: Read, questions: Mapping[str, Question]) -> list[tuple[str, int]]:
    """The questions a read touches, with how specific the match is (the read's depth);
    a path the schema lacks (a derived fact) reads its nearest ancestor's inputs."""
    path = _normalise(read.path)
    while True:
        depth = path.count(".") + 1
        if read.evidence:
            hit = [(p, depth) for p, q in questions.items()
                   if q.kind == FILES and (p == f"{path}.{EVIDENCE_KEY}"
                                           or p.startswith(f"{path}."))]
        else:  # a list of objects read as a whole (counted) reads what makes an item
            hit = [(p, depth) for p, q in questions.items() if q.kind != FILES
                   and (p == path or p.startswith(f"{path}.")
                        or (p.startswith(f"{path}[].") and q.required))]
        if hit or "." not in path:
            return hit
        path = path.rsplit(".", 1)[0].removesuffix("[]")


# --- assembling ---------------------------------------------------------------------------

def _natural(rule_id: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"([0-9]+)", rule_id)]


def build(rulesets: Iterable[tuple[Ruleset, str]], day: date) -> Questionnaire:
    """The questionnaire for ``(ruleset, edition name)`` pairs, rules as in force on ``day``."""
    walk = schema_questions()
    questions = walk.questions
    operators = manager.operators()
    pairs = list(rulesets)
    # every indicator in order, with what it reads (question path -> levels, specificity)
    order: list[tuple[str, Indicator, dict[str, tuple[set[int], int]]]] = []
    seen: set[str] = set()
    for ruleset, edition_name in pairs:
        edition = ruleset.require_edition(edition_name)
        for aspect in edition.aspects:
            rules = [r for r in ruleset.rules if r.aspect_at(day) == aspect.id
                     and r.version_at(day) is not None]
            for rule_id, _weight in aspect.include:
                included = find_rule(rule_id)
                if included.version_at(day) is not None:
                    rules.append(included)
            for rule in sorted(rules, key=lambda r: _natural(r.id)):
                if rule.id in seen:
                    continue
                seen.add(rule.id)
                touched: dict[str, tuple[set[int], int]] = {}
                for level, reads in rule_reads(rule, day, operators).items():
                    for read in reads:
                        for path, depth in _matches(read, questions):
                            levels, best = touched.get(path, (set(), 0))
                            touched[path] = (levels | {level}, max(best, depth))
                version = rule.version_at(day)
                assert version is not None
                indicator = Indicator(
                    rule.id, ruleset.id, rule.title, rule.guidance, version.evidence,
                    str(version.weight), tuple((lv.level, lv.title) for lv in version.levels),
                    (), tuple(p for p in questions if p in touched))
                order.append((f"{ruleset.id}:{aspect.id}", indicator, touched))
    feeds: dict[str, list[Feed]] = {p: [] for p in questions}
    siblings: dict[str, list[str]] = {}
    for path in questions:
        siblings.setdefault(_parent(path), []).append(path)
    # question -> the rank of its home: (tier, -specificity, position). Tier 0: the indicator
    # reads the question itself, or one beside it in the same object, directly — so a form
    # keeps an object's keys together (the SP decree's number and date with who set it);
    # tier 1: it reads it only as part of something larger; tier 2: no rule reads it
    best: dict[str, tuple[int, int, int]] = {}
    for position, (_section, indicator, touched) in enumerate(order):
        direct = {_parent(p) for p, (_levels, depth) in touched.items()
                  if _direct(questions[p], depth)}
        for path, (levels, depth) in touched.items():
            feeds[path].append(Feed(indicator.rule, tuple(sorted(levels))))
            rank = (0, 0, position) if _parent(path) in direct else (1, -depth, position)
            if path not in best or rank < best[path]:
                best[path] = rank
        for parent in direct:
            for path in siblings[parent]:
                if path not in best or (0, 0, position) < best[path]:
                    best[path] = (0, 0, position)
    # a key no rule reads goes with the indicator that reads its nearest relative
    for path in questions:
        if path in best:
            continue
        relative = _relative_home(path, best, questions)
        if relative is not None:
            best[path] = (2, 0, relative)
    homes: dict[int, list[str]] = {}
    general: list[str] = []
    for path in questions:
        if path in best:
            homes.setdefault(best[path][2], []).append(path)
        else:
            general.append(path)
    sections: list[Section] = [Section(GENERAL, None, Text("Umum", "General"),
                                       questions=tuple(general))]
    by_section: dict[str, list[Indicator]] = {}
    for position, (section_key, indicator, _touched) in enumerate(order):
        by_section.setdefault(section_key, []).append(
            replace(indicator, questions=tuple(homes.get(position, ()))))
    for ruleset, edition_name in pairs:
        edition = ruleset.require_edition(edition_name)
        for aspect in edition.aspects:
            indicators = by_section.get(f"{ruleset.id}:{aspect.id}", [])
            if indicators:
                sections.append(Section(f"{ruleset.id}.{aspect.id}", ruleset.id, aspect.title,
                                        tuple(indicators)))
    final = {p: replace(q, feeds=tuple(feeds[p])) for p, q in questions.items()}
    return Questionnaire(tuple((r.id, e) for r, e in pairs), tuple(sections), final,
                         walk.groups, walk.headings, walk.fixed, walk.fixed_keys)


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def _direct(question: Question, depth: int) -> bool:
    """A read of the question's own path (for evidence: of the object it proves)."""
    own = question.path.count(".") + 1
    return depth >= (own - 1 if question.kind == FILES else own)


def _relative_home(path: str, best: Mapping[str, tuple[int, int, int]],
                   questions: Mapping[str, Question]) -> int | None:
    prefix = path
    while "." in prefix:
        prefix = prefix.rsplit(".", 1)[0]
        near = [best[p][2] for p in questions if p in best
                and (p.startswith(prefix + ".") or p.startswith(prefix + "[]"))]
        if near:
            return min(near)
    return None


def for_day(ruleset_ids: Iterable[str], day: date) -> Questionnaire:
    """The questionnaire for these rulesets (none: every installed one, the default rulesets
    first, so that their indicators are where a shared question is asked)."""
    from patuh.rulebook import available
    from patuh.rulebook import default_rulesets

    ids = list(ruleset_ids) or sorted(available(),
                                      key=lambda r: (r not in default_rulesets(), r))
    return build(editions_for(ids, day), day)


def editions_for(ruleset_ids: Iterable[str], day: date) -> list[tuple[Ruleset, str]]:
    """Each ruleset's edition in force on ``day``; for a day after its last edition (a round
    not yet encoded), the latest complete edition begun before it. Editions known only in part
    are not asked."""
    from patuh.rulebook import load_ruleset

    pairs = []
    for ruleset_id in ruleset_ids:
        ruleset = load_ruleset(ruleset_id)
        complete = [e for e in ruleset.editions if e.incomplete is None]
        current = next((e for e in complete if e.period.contains(day)), None) or max(
            (e for e in complete if e.period.start <= day), key=lambda e: e.period.start,
            default=None)
        if current is not None:
            pairs.append((ruleset, current.edition))
    return pairs
