"""Rules and rulesets as data: loading, checking and picking what is in force on a date.

A ruleset folder holds ``ruleset.yaml`` (editions: period, legal basis, aspects and weights,
scoring model, rounding, band table) and one YAML file per requirement with dated versions.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

from patuh import manager
from patuh import rulecache
from patuh.conditions import Element
from patuh.conditions import Operator
from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.i18n import Text
from patuh.i18n import named
from patuh.sources import Bibliography
from patuh.sources import check_cited
from patuh.sources import folder_bibliography
from patuh.validation import CROSS_CHECK
from patuh.validation import check
from patuh.validation import describe
from patuh.validation import fast_predicate
from patuh.yamlio import Document
from patuh.yamlio import JsonPath
from patuh.yamlio import load_yaml

if TYPE_CHECKING:  # imported when an argument is refused (~30 ms)
    from jsonschema import Draft202012Validator

RULESET_FILE = "ruleset.yaml"
CASES_SUFFIX = ".cases.yaml"  # extra test cases beside the rules (`patuh rules test`)


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Period:
    start: date
    until: date | None  # inclusive last day; None = still in force

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day <= self.until)

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Period:
        return cls(date.fromisoformat(data["from"]), parse_date(data.get("until")))

    def as_dict(self) -> dict[str, str | None]:
        return {"from": self.start.isoformat(),
                "until": self.until.isoformat() if self.until else None}


@dataclass(frozen=True)
class Level:
    level: int
    title: Text
    when: Mapping[str, Any]  # the condition this level adds to the ones below it


@dataclass(frozen=True)
class RuleVersion:
    version: int
    period: Period
    weight: Decimal
    levels: tuple[Level, ...]
    elements: Mapping[str, tuple[Element, ...]]
    evidence: Text
    source: Mapping[str, Any]
    notes: tuple[Text, ...]
    examples: tuple[Mapping[str, Any], ...]
    raw: Mapping[str, Any] = field(repr=False)
    measure: Mapping[str, Any] | None = None  # a 0–100 score measured from facts, not a ladder
    aspect: str | None = None  # set when this version counts in another aspect than the rule

    @property
    def max_level(self) -> int:
        """The top of the ladder; 0 for a measured rule."""
        return self.levels[-1].level if self.levels else 0


@dataclass(frozen=True)
class Rule:
    id: str
    ruleset: str
    aspect: str
    title: Text
    guidance: Text
    versions: tuple[RuleVersion, ...]
    file: Path
    digest: str

    def version_at(self, day: date) -> RuleVersion | None:
        for version in self.versions:
            if version.period.contains(day):
                return version
        return None

    def aspect_at(self, day: date) -> str:
        version = self.version_at(day)
        return (version.aspect if version else None) or self.aspect


@dataclass(frozen=True)
class Band:
    code: str
    label: Text
    min: Decimal
    extra: Mapping[str, Any]


# What a report calls the role of a legal basis entry (``legal_basis[].role``, free text in
# the ruleset; a role not listed here is shown as written).
LEGAL_ROLE_NAMES = {
    "main": Text("utama", "main"),
    "amendment": Text("perubahan", "amendment"),
    "implementing guidance": Text("pedoman pelaksana", "implementing guidance"),
    "implementing regulation": Text("peraturan pelaksana", "implementing regulation"),
    "assessment": Text("penilaian", "assessment"),
    "results": Text("hasil penilaian", "results"),
    "obligations checked": Text("kewajiban yang diperiksa", "obligations checked"),
}


def legal_role_name(role: object, lang: str) -> str:
    """``utama`` / ``main`` for ``main``; a role not listed as written."""
    return named(LEGAL_ROLE_NAMES, role, lang)


@dataclass(frozen=True)
class Aspect:
    id: str
    title: Text
    weight: Decimal
    source: Mapping[str, Any]
    include: tuple[tuple[str, Decimal | None], ...] = ()  # (rule id of another ruleset, weight)


@dataclass(frozen=True)
class Edition:
    edition: str
    period: Period
    title: Text
    legal_basis: tuple[Mapping[str, Any], ...]
    aspects: tuple[Aspect, ...]
    scoring: Mapping[str, Any]
    rounding: Mapping[str, Any]
    bands: tuple[Band, ...]  # highest first
    score_range: tuple[Decimal, Decimal]
    notes: tuple[Text, ...]
    raw: Mapping[str, Any] = field(repr=False)
    incomplete: Text | None = None  # known only in part: documented, compared, not checked

    def aspect(self, aspect_id: str) -> Aspect | None:
        return next((a for a in self.aspects if a.id == aspect_id), None)


@dataclass(frozen=True)
class Ruleset:
    id: str
    title: Text
    editions: tuple[Edition, ...]
    rules: tuple[Rule, ...]
    folder: Path
    digest: str
    raw: Mapping[str, Any] = field(repr=False)

    def edition_for(self, day: date) -> Edition | None:
        return next((e for e in self.editions if e.period.contains(day)), None)

    def gap_for(self, day: date) -> Mapping[str, Any] | None:
        """A declared period with no encoded instrument (``gaps`` in ruleset.yaml)."""
        return next((g for g in self.raw.get("gaps", ())
                     if Period.of(g["effective"]).contains(day)), None)

    def edition_named(self, name: str) -> Edition | None:
        return next((e for e in self.editions if e.edition == name), None)

    def require_edition(self, name: str) -> Edition:
        """The edition called ``name``, or an error listing the editions there are."""
        edition = self.edition_named(name)
        if edition is None:
            known = ", ".join(e.edition for e in self.editions)
            raise InputError(Text(f"edisi {name!r} tidak ada di ruleset {self.id}",
                                  f"edition {name!r} is not in ruleset {self.id}"),
                             hint=Text(f"edisi yang ada: {known}", f"editions: {known}"))
        return edition

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


# --- conditions -----------------------------------------------------------------------------

def check_condition(doc: Document, path: JsonPath, condition: Any,
                    ops: Mapping[str, Operator]) -> Iterator[InputError]:
    """Yield an error for every unknown operator or malformed argument below ``path``."""
    if not isinstance(condition, dict):
        yield doc.error(path, Text("kondisi harus berupa pemetaan {operator: argumen}",
                                   "a condition must be a mapping {operator: argument}"))
        return
    names = [k for k in condition if k != "label"]
    if len(names) != 1:
        yield doc.error(path, Text(
            f"kondisi harus memuat tepat satu operator, ditemukan: {names or 'tidak ada'}",
            f"a condition must hold exactly one operator, found: {names or 'none'}"))
        return
    name = names[0]
    if name not in ops:
        known = ", ".join(sorted(ops))
        yield doc.error((*path, name), Text(f"operator tidak dikenal {name!r}",
                                            f"unknown operator {name!r}"),
                        Text(f"operator yang tersedia: {known}", f"available operators: {known}"))
        return
    op = ops[name]
    arg = condition[name]
    errors = list(_arg_validator(name, op).iter_errors(arg))
    for error in errors:
        yield doc.error((*path, name, *error.absolute_path), describe(error))
    if errors:
        return
    for sub_path, child in op.children(arg):
        yield from check_condition(doc, (*path, name, *sub_path), child, ops)


def condition_ok(condition: Any, ops: Mapping[str, Operator], cross_check: bool = False) -> bool:
    """True only where ``check_condition`` finds nothing wrong, with the operators' argument
    schemas compiled to predicates (``fast_predicate``): how data from the ruleset cache is
    checked again at a fraction of the cost. False means "ask ``check_condition``".
    ``cross_check`` (the tests): jsonschema must agree with every yes."""
    if not isinstance(condition, dict):
        return False
    names = list(condition)
    if len(names) != 1 or names[0] == "label":
        names = [k for k in names if k != "label"]
        if len(names) != 1:
            return False
    name = names[0]
    op = ops.get(name)
    if op is None:
        return False
    arg = condition[name]
    test = _predicates.get(name)
    if test is None:
        test = _predicates[name] = fast_predicate(dict(op.schema))
    try:
        if not test(arg):
            return False
    except Exception:  # an odd value the predicate refuses to compare: ask jsonschema
        return False
    if cross_check and not _arg_validator(name, op).is_valid(arg):
        raise AssertionError(f"fast predicate accepts what jsonschema refuses: {name} {arg!r}")
    for _, child in op.children(arg):  # noqa: SIM110 - a loop: no generator per call
        if not condition_ok(child, ops, cross_check):
            return False
    return True


_predicates: dict[str, Callable[[Any], bool]] = {}
_validators: dict[str, Draft202012Validator] = {}


def _arg_validator(name: str, op: Operator) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    if name not in _validators:
        _validators[name] = Draft202012Validator(
            dict(op.schema), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return _validators[name]


# --- loading --------------------------------------------------------------------------------

def _texts(items: list[Any] | None) -> tuple[Text, ...]:
    return tuple(Text.of(item) for item in items or ())


def _count_condition(count: Mapping[str, Any], minimum: int) -> dict[str, Any]:
    condition: dict[str, Any] = {"path": count["path"], "ge": minimum}
    for key in ("among", "where"):
        if key in count:
            condition[key] = count[key]
    return {"count": condition}


def _build_levels(doc: Document, vpath: JsonPath, data: Mapping[str, Any]) -> tuple[Level, ...]:
    """Levels 1..n as cumulative conditions; ``count`` + ``min`` is sugar for a count test."""
    count = data.get("count")
    levels: list[Level] = []
    for index, item in enumerate(data.get("levels", ())):
        lpath = (*vpath, "levels", index)
        if item["level"] != index + 1:
            raise doc.error((*lpath, "level"), Text(
                f"level harus berurutan mulai 1; diharapkan {index + 1}",
                f"levels must run 1, 2, 3 …; expected {index + 1}"))
        parts: list[Mapping[str, Any]] = []
        if "min" in item:
            if count is None:
                raise doc.error((*lpath, "min"), Text(
                    "`min` memerlukan `count` pada versi ini",
                    "`min` needs a `count` block in this version"))
            parts.append(_count_condition(count, item["min"]))
            if index == 0 and "requires" in count:
                parts.insert(0, count["requires"])
        if "when" in item:
            parts.append(item["when"])
        if not parts:
            raise doc.error(lpath, Text("level memerlukan `when` atau `min`",
                                        "a level needs `when` or `min`"))
        when = parts[0] if len(parts) == 1 else {"all": parts}
        levels.append(Level(item["level"], Text.of(item["title"]), when))
    return tuple(levels)


def _build_version(doc: Document, index: int, data: Mapping[str, Any],
                   ops: Mapping[str, Operator]) -> RuleVersion:
    vpath: JsonPath = ("versions", index)
    elements = {
        name: tuple(Element(e["code"], Text(e["id"], e["en"])) for e in items)
        for name, items in (data.get("elements") or {}).items()
    }
    count = data.get("count")
    if count and "among" in count and count["among"] not in elements:
        raise doc.error((*vpath, "count", "among"), Text(
            f"daftar unsur {count['among']!r} tidak ada di `elements`",
            f"element list {count['among']!r} is not declared under `elements`"))
    levels = _build_levels(doc, vpath, data)
    # Check the conditions as written, at their own paths (levels built from `count` + `min`
    # combine pieces that live elsewhere in the file). Data from the ruleset cache
    # (``doc.checked``) passed these checks when it was stored: it is checked again by
    # predicates (a forged entry is refused), and by ``check_condition`` only where one says no.
    errors: list[InputError] = []
    cross_check = bool(doc.checked and os.environ.get(CROSS_CHECK))

    def check_at(path: JsonPath, condition: Any) -> None:
        if not (doc.checked and condition_ok(condition, ops, cross_check)):
            errors.extend(check_condition(doc, path, condition, ops))

    for lindex, item in enumerate(data.get("levels", ())):
        if "when" in item:
            check_at((*vpath, "levels", lindex, "when"), item["when"])
        if "min" in item and count:
            check_at((*vpath, "count"), _count_condition(count, item["min"]))
    if count and "requires" in count:
        check_at((*vpath, "count", "requires"), count["requires"])
    measure = data.get("measure")
    if measure and "requires" in measure:
        check_at((*vpath, "measure", "requires"), measure["requires"])
    if errors:
        raise InputErrors(errors)
    return RuleVersion(
        version=data["version"],
        period=Period.of(data["effective"]),
        weight=Decimal(str(data["weight"])),
        levels=levels,
        elements=elements,
        evidence=Text.of(data["evidence"]),
        source=data["source"],
        notes=_texts(data.get("notes")),
        examples=tuple(data.get("examples") or ()),
        raw=data,
        measure=measure,
        aspect=data.get("aspect"),
    )


def _check_periods(doc: Document, key: str, items: list[Mapping[str, Any]]) -> None:
    previous: Period | None = None
    for index, item in enumerate(items):
        period = Period.of(item["effective"])
        path = (key, index, "effective")
        if period.until is not None and period.until < period.start:
            raise doc.error(path, Text("`until` lebih awal dari `from`",
                                       "`until` is before `from`"))
        if previous is not None and (previous.until is None or previous.until >= period.start):
            raise doc.error(path, Text(
                "masa berlaku tumpang tindih dengan entri sebelumnya; tutup entri sebelumnya "
                "dengan `until` sehari sebelum `from` ini",
                "this period overlaps the previous one; close the previous entry with `until` "
                "the day before this `from`"))
        previous = period


class ParsedFiles:
    """Where a ruleset folder's parsed files come from: the files themselves (parsed and
    checked against their schema, each one's data recorded for the cache), or the data the
    ruleset cache kept of them after that same check (``cached``: relative path -> data).
    ``contents`` (relative path -> bytes): the files as read for the cache key, so that the
    digests are of the same bytes and no file is read twice."""

    def __init__(self, folder: Path, cached: Mapping[str, Any] | None = None,
                 contents: Mapping[str, bytes] | None = None) -> None:
        self.folder = folder
        self.cached = cached
        self.contents = contents or {}
        self.seen: dict[str, Any] = {}

    def content(self, file: Path) -> bytes:
        """The bytes of ``file`` (a file of the folder), read once."""
        known = self.contents.get(file.relative_to(self.folder).as_posix())
        return file.read_bytes() if known is None else known

    def document(self, file: Path, schema: str) -> Document:
        name = file.relative_to(self.folder).as_posix()
        if self.cached is not None:
            doc = Document(file, self.cached[name], {}, checked=True)
        else:
            doc = load_yaml(file)
            check(doc, schema)
        self.seen[name] = doc.data
        return doc


def load_rule(file: Path, ruleset_id: str, parsed: ParsedFiles | None = None,
              bibliography: Bibliography | None = None) -> Rule:
    """One rule file; with a ``bibliography``, every source key it cites must be in it."""
    if parsed is None:
        doc = load_yaml(file)
        check(doc, "rule")
    else:
        doc = parsed.document(file, "rule")
    data = doc.data
    if data["ruleset"] != ruleset_id:
        raise doc.error(("ruleset",), Text(
            f"aturan ini milik {data['ruleset']!r} tetapi berada di folder {ruleset_id!r}",
            f"this rule belongs to {data['ruleset']!r} but sits in folder {ruleset_id!r}"))
    expected = f"{ruleset_id}.{file.stem}"
    if data["id"] != expected:
        raise doc.error(("id",), Text(
            f"id {data['id']!r} tidak cocok dengan nama berkas; diharapkan {expected!r}",
            f"id {data['id']!r} does not match the file name; expected {expected!r}"),
            Text("namai berkas <id tanpa awalan ruleset>.yaml",
                 "name the file <id without the ruleset prefix>.yaml"))
    numbers = [v["version"] for v in data["versions"]]
    if numbers != sorted(set(numbers)):
        raise doc.error(("versions",), Text("nomor versi harus naik dan unik",
                                            "version numbers must increase and be unique"))
    _check_periods(doc, "versions", data["versions"])
    unknown = check_cited(doc, bibliography)
    if unknown:
        raise InputErrors(unknown)
    ops = manager.operators()
    versions = tuple(_build_version(doc, i, v, ops) for i, v in enumerate(data["versions"]))
    return Rule(
        id=data["id"], ruleset=data["ruleset"], aspect=data["aspect"],
        title=Text.of(data["title"]), guidance=Text.of(data["guidance"]),
        versions=versions, file=file,
        digest=hashlib.sha256(parsed.content(file) if parsed else file.read_bytes())
        .hexdigest(),
    )


def _build_edition(doc: Document, index: int, data: Mapping[str, Any]) -> Edition:
    bands = tuple(sorted(
        (Band(b["code"], Text.of(b["label"]), Decimal(str(b["min"])),
              {k: v for k, v in b.items() if k not in ("code", "label", "min")})
         for b in data.get("bands", ())),
        key=lambda b: b.min, reverse=True))
    model = data["scoring"]["model"]
    if model not in manager.scoring_models():
        known = ", ".join(sorted(manager.scoring_models()))
        raise doc.error(("editions", index, "scoring", "model"),
                        Text(f"model penilaian tidak dikenal {model!r}",
                             f"unknown scoring model {model!r}"),
                        Text(f"yang tersedia: {known}", f"available: {known}"))
    low, high = data["score_range"]
    if not low < high:
        raise doc.error(("editions", index, "score_range"), Text(
            f"rentang nilai [{low}, {high}] terbalik atau kosong: batas bawah harus lebih kecil",
            f"the score range [{low}, {high}] is reversed or empty: the lower bound must be "
            "smaller"), Text("tulis [terendah, tertinggi], mis. [0, 100]",
                             "write [lowest, highest], e.g. [0, 100]"))
    return Edition(
        edition=str(data["edition"]),
        period=Period.of(data["effective"]),
        title=Text.of(data["title"]),
        legal_basis=tuple(data["legal_basis"]),
        aspects=tuple(Aspect(a["id"], Text.of(a["title"]), Decimal(str(a.get("weight", 0))),
                             a.get("source", {}),
                             tuple((i["rule"], Decimal(str(i["weight"])) if "weight" in i
                                    else None) for i in a.get("include", ())))
                      for a in data["aspects"]),
        scoring=data["scoring"],
        rounding=data["rounding"],
        bands=bands,
        score_range=(Decimal(str(low)), Decimal(str(high))),
        notes=_texts(data.get("notes")),
        raw=data,
        incomplete=Text.of(data["incomplete"]) if "incomplete" in data else None,
    )


def _check_weights(ruleset: Ruleset) -> None:
    """Every weighted aspect has rules; where the edition says so (``scoring.weights_per_aspect:
    100``), the weights of the rules of an aspect add up to 100."""
    for edition in ruleset.editions:
        if edition.incomplete is not None:
            continue
        # every day on which what is in force can change: the edition's start and each
        # version that starts inside it
        days = sorted({edition.period.start} | {
            v.period.start for r in ruleset.rules for v in r.versions
            if edition.period.contains(v.period.start)})
        for day in days:
            _check_weights_on(ruleset, edition, day)


def _check_weights_on(ruleset: Ruleset, edition: Edition, day: date) -> None:
    """The weight checks for the rules in force on one day of an edition."""
    for aspect in edition.aspects:
        in_force = [(r, r.version_at(day)) for r in ruleset.rules
                    if r.aspect_at(day) == aspect.id]
        versions = [(r, v) for r, v in in_force if v is not None]
        if not versions and not aspect.include:
            if aspect.weight:
                raise InputError(Text(
                    f"aspek {aspect.id!r} edisi {edition.edition} berbobot {aspect.weight} "
                    "tetapi tidak punya aturan yang berlaku",
                    f"aspect {aspect.id!r} of edition {edition.edition} weighs "
                    f"{aspect.weight} but has no rule in force"), file=ruleset.folder)
            continue
        total = sum((v.weight for _, v in versions), Decimal(0))
        expected = edition.scoring.get("weights_per_aspect")
        if expected is not None and versions and total != expected:
            listing = ", ".join(f"{r.id}={v.weight}" for r, v in versions)
            raise InputError(Text(
                f"bobot indikator aspek {aspect.id!r} edisi {edition.edition} berjumlah "
                f"{total}, bukan {expected} ({listing})",
                f"indicator weights of aspect {aspect.id!r} in edition {edition.edition} "
                f"add up to {total}, not {expected} ({listing})"), file=ruleset.folder)
    for rule in ruleset.rules:
        if rule.version_at(day) and edition.aspect(rule.aspect_at(day)) is None:
            raise InputError(Text(
                f"aspek {rule.aspect_at(day)!r} tidak ada di edisi {edition.edition}",
                f"aspect {rule.aspect_at(day)!r} is not in edition {edition.edition}"),
                file=rule.file, path="aspect")


def load_ruleset_folder(folder: Path, parsed: ParsedFiles | None = None) -> Ruleset:
    parsed = parsed or ParsedFiles(folder)
    file = folder / RULESET_FILE
    doc = parsed.document(file, "ruleset")
    data = doc.data
    if data["id"] != folder.name:
        raise doc.error(("id",), Text(
            f"id {data['id']!r} harus sama dengan nama folder {folder.name!r}",
            f"id {data['id']!r} must equal the folder name {folder.name!r}"))
    _check_periods(doc, "editions", data["editions"])
    # cached data passed this check when it was stored (the cache key covers sources.yaml)
    bibliography = folder_bibliography(folder.parent) if parsed.cached is None else None
    unknown = check_cited(doc, bibliography)
    if unknown:
        raise InputErrors(unknown)
    editions = tuple(_build_edition(doc, i, e) for i, e in enumerate(data["editions"]))
    rule_files = _rule_files(folder)
    rules = tuple(load_rule(p, data["id"], parsed, bibliography) for p in rule_files)
    seen: dict[str, Path] = {}
    for rule in rules:
        if rule.id in seen:
            raise InputError(Text(f"id {rule.id!r} juga dipakai di {seen[rule.id]}",
                                  f"id {rule.id!r} is also used in {seen[rule.id]}"),
                             file=rule.file, path="id")
        seen[rule.id] = rule.file
    digest = hashlib.sha256()
    for path in [file, *rule_files]:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(parsed.content(path) + b"\0")
    ruleset = Ruleset(data["id"], Text.of(data["title"]), editions, rules, folder,
                      digest.hexdigest(), data)
    _check_weights(ruleset)
    _check_includes(doc, ruleset)
    return ruleset


MAX_FOLDER_ENTRIES = 20_000  # a ruleset or a draft holds tens of files, not a whole disk


def _rule_files(folder: Path) -> list[Path]:
    """The rule files below ``folder``; a folder with more than ``MAX_FOLDER_ENTRIES`` entries
    (say, ``/`` given as a draft) is refused rather than walked for minutes."""
    found: list[Path] = []
    seen = 0
    for root, dirs, files in os.walk(folder):
        seen += len(dirs) + len(files)
        if seen > MAX_FOLDER_ENTRIES:
            raise InputError(Text(
                f"folder ini memuat lebih dari {MAX_FOLDER_ENTRIES} berkas dan folder; ini "
                "bukan folder ruleset atau rancangan",
                f"this folder holds more than {MAX_FOLDER_ENTRIES} files and folders; it is not "
                "a ruleset or draft folder"), file=folder,
                hint=Text("rancangan berisi hanya berkas aturan yang berubah",
                          "a draft holds only the rule files that change"))
        dirs.sort()
        found.extend(Path(root) / name for name in files if name.endswith(".yaml")
                     and name != RULESET_FILE and not name.endswith(CASES_SUFFIX))
    return sorted(found)


def text_field(doc: Document, key: str) -> str | None:
    """``doc.data[key]`` of a file read before its schema is checked: a text, or an error
    naming the file when the file is not a mapping or the value is not a text."""
    if not isinstance(doc.data, dict):
        raise doc.error((), Text("berkas harus berupa pemetaan (kunci: nilai)",
                                 "the file must be a mapping (key: value)"))
    value = doc.data.get(key)
    if value is not None and not isinstance(value, str):
        raise doc.error((key,), Text(f"`{key}` harus teks, bukan {type(value).__name__}",
                                     f"`{key}` must be text, not {type(value).__name__}"))
    return value


def load_overlay(draft: Path) -> Ruleset:
    """A draft: the rule files in ``draft`` (and its ``ruleset.yaml``, if any) laid over the
    installed ruleset they belong to. A draft rule replaces the installed rule with its id."""
    files = _rule_files(draft)
    ruleset_file = draft / RULESET_FILE
    ids = set()
    if ruleset_file.exists():
        ids.add(text_field(load_yaml(ruleset_file), "id"))
    for file in files:
        ids.add(text_field(load_yaml(file), "ruleset"))
    ids.discard(None)
    if not ids:
        raise InputError(Text("tidak ada ruleset di folder ini (tidak ada ruleset.yaml, dan tidak "
                              "ada berkas aturan sebuah rancangan)",
                              "no ruleset in this folder (no ruleset.yaml, and no rule file of "
                              "a draft)"), file=draft,
                         hint=Text("beri folder ruleset (dengan ruleset.yaml), folder berisi "
                                   "folder ruleset, atau folder rancangan berisi berkas aturan "
                                   "yang berubah",
                                   "give a ruleset folder (with ruleset.yaml), a folder of ruleset "
                                   "folders, or a draft folder of the rule files that change"))
    if len(ids) != 1:
        raise InputError(Text(
            "folder rancangan harus berisi berkas aturan dari satu ruleset "
            f"(ditemukan: {sorted(map(str, ids)) or 'tidak ada'})",
            "a draft folder must hold rule files of one ruleset "
            f"(found: {sorted(map(str, ids)) or 'none'})"), file=draft)
    base = load_ruleset(ids.pop())
    bibliography = folder_bibliography(base.folder.parent)
    if ruleset_file.exists():
        doc = load_yaml(ruleset_file)
        check(doc, "ruleset")
        unknown = check_cited(doc, bibliography)
        if unknown:
            raise InputErrors(unknown)
        _check_periods(doc, "editions", doc.data["editions"])
        editions = tuple(_build_edition(doc, i, e) for i, e in enumerate(doc.data["editions"]))
        raw = doc.data
    else:
        doc = load_yaml(base.folder / RULESET_FILE)
        editions, raw = base.editions, base.raw
    drafted = [load_rule(p, base.id, bibliography=bibliography) for p in files]
    replaced = {r.id for r in drafted}
    rules = tuple(sorted((*(r for r in base.rules if r.id not in replaced), *drafted),
                         key=lambda r: r.id))
    digest = hashlib.sha256(base.digest.encode())
    for path in ([ruleset_file] if ruleset_file.exists() else []) + files:
        digest.update(path.read_bytes() + b"\0")
    ruleset = Ruleset(base.id, base.title, editions, rules, draft, digest.hexdigest(), raw)
    _check_weights(ruleset)
    _check_includes(doc, ruleset)
    return ruleset


def is_draft(folder: Path) -> bool:
    """A folder laid over an installed ruleset (as ``rules diff`` reads it): rule files
    without a ``ruleset.yaml``, or a ``ruleset.yaml`` whose id is installed elsewhere. A ruleset
    folder of its own (an id not installed) or an installed folder itself is not a draft."""
    if folder.resolve() in {p.resolve() for p in available().values()}:
        return False
    own = folder / RULESET_FILE
    if own.exists():
        return text_field(load_yaml(own), "id") in available()
    return True


def load_folder(folder: Path) -> tuple[Ruleset, bool]:
    """A ruleset folder, or a draft laid over the installed ruleset; and whether a draft."""
    if is_draft(folder):
        return load_overlay(folder), True
    return load_ruleset_folder(folder), False


def _check_includes(doc: Document, ruleset: Ruleset) -> None:
    """Rules an edition borrows from another ruleset exist and are in force in the edition."""
    for e_index, edition in enumerate(ruleset.editions):
        for a_index, aspect in enumerate(edition.aspects):
            for i_index, (rule_id, _) in enumerate(aspect.include):
                path = ("editions", e_index, "aspects", a_index, "include", i_index, "rule")
                if rule_id.split(".", 1)[0] == ruleset.id:
                    raise doc.error(path, Text(
                        "aturan ruleset ini tidak perlu di-include; pakai `aspect` di berkasnya",
                        "a rule of this ruleset needs no include; use `aspect` in its file"))
                try:
                    rule = find_rule(rule_id)
                except InputError:
                    raise doc.error(path, Text(f"aturan tidak dikenal {rule_id!r}",
                                               f"unknown rule {rule_id!r}")) from None
                if not any(v.period.start <= (edition.period.until or date.max)
                           and (v.period.until or date.max) >= edition.period.start
                           for v in rule.versions):
                    raise doc.error(path, Text(
                        f"{rule_id} tidak berlaku dalam masa edisi {edition.edition}",
                        f"{rule_id} is not in force during edition {edition.edition}"))


@cache
def available() -> dict[str, Path]:
    """Ruleset id -> folder, over every rule folder that plugins offer (read once)."""
    found: dict[str, Path] = {}
    for root in manager.rule_folders():
        for ruleset_file in sorted(root.glob(f"*/{RULESET_FILE}")):
            name = ruleset_file.parent.name
            if name in found and found[name].resolve() != ruleset_file.parent.resolve():
                raise InputError(Text(
                    f"ruleset {name!r} ada di dua folder: {found[name]} dan "
                    f"{ruleset_file.parent}",
                    f"ruleset {name!r} is in two folders: {found[name]} and "
                    f"{ruleset_file.parent}"),
                    hint=Text("beri ruleset plugin id lain, atau copot salah satu plugin",
                              "give the plugin's ruleset another id, or uninstall a plugin"))
            found[name] = ruleset_file.parent
    return found


def default_rulesets() -> list[str]:
    """The rulesets marked ``default: true`` (all of them when none is). Which ones are
    marked is kept in the rule cache, keyed by the content of every ``ruleset.yaml``: a run
    need not parse them all to find the default one."""
    folders = available()
    ids = sorted(folders)
    files = [folders[r] / RULESET_FILE for r in ids]

    def marks() -> list[bool]:
        return [bool(isinstance(data := load_yaml(f).data, dict) and data.get("default"))
                for f in files]

    flags = rulecache.remember("default-rulesets", files, marks)
    if not (isinstance(flags, list) and len(flags) == len(ids)):  # a damaged entry
        flags = marks()
    marked = [r for r, flag in zip(ids, flags, strict=True) if flag is True]
    return marked or ids


def chosen_rulesets(ruleset_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The rulesets a ``--ruleset`` option names (``all``: every one; none: the default
    ones), each once."""
    wanted = list(ruleset_ids)
    if "all" in wanted:
        wanted = sorted(available())
    elif not wanted:
        wanted = default_rulesets()
    return tuple(dict.fromkeys(wanted))


@cache
def load_ruleset(ruleset_id: str) -> Ruleset:
    folders = available()
    if ruleset_id not in folders:
        known = ", ".join(sorted(folders)) or "-"
        raise InputError(Text(f"ruleset tidak dikenal {ruleset_id!r}",
                              f"unknown ruleset {ruleset_id!r}"),
                         hint=Text(f"yang tersedia: {known}", f"available: {known}"))
    folder = folders[ruleset_id]
    contents = rulecache.read_folder(folder) if rulecache.cache_dir() is not None else None
    cached, key = rulecache.load(folder, contents)
    if cached is not None:
        try:  # the cache holds data this same code checked; anything odd: read the files
            return load_ruleset_folder(folder, ParsedFiles(folder, cached, contents))
        except Exception:
            pass
    parsed = ParsedFiles(folder, contents=contents)
    ruleset = load_ruleset_folder(folder, parsed)
    rulecache.store(key, parsed.seen)
    return ruleset


def find_rule(rule_id: str) -> Rule:
    ruleset_id = rule_id.split(".", 1)[0]
    if ruleset_id in available():
        rule = load_ruleset(ruleset_id).rule(rule_id)
        if rule is not None:
            return rule
    raise InputError(Text(f"aturan tidak dikenal {rule_id!r}", f"unknown rule {rule_id!r}"),
                     hint=Text("lihat `patuh rules list`", "see `patuh rules list`"))
