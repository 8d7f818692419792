"""Schema-guided reading of what people type: before a document is validated, every value
whose schema wants a yes/no, a date or a number, and that a person wrote the way people in
Indonesia write it (``ya``, ``31/10/2025``, ``31 Oktober 2025``, ``82,5``, ``9.870``), is
read into the canonical value the schema holds — and each such reading is recorded, so that a
report can say how the input was read.

The pass knows no field by name: the schema says what each place wants (``type``,
``format: date``, followed through ``$ref``, ``allOf``, ``oneOf``/``anyOf``, ``properties``,
``additionalProperties`` and ``items``). A value it cannot read is left as it is, so that the
schema check reports it (with all other problems), and its error then says which forms are
accepted (:func:`accepted_forms`). The input document is never changed: the canonical data is
a copy, sharing the parts that needed no reading.

Choices where habits and machines disagree:

- A numeric date is read day first (``01/02/2025`` is 1 February), and the reading says so;
  when the other order would also be a date, the reading names it.
- A plain YAML number ``9.870`` is the float 9.87 to the YAML parser. Where the schema wants an
  *integer*, its text is read with thousands dots: 9870. Where it wants a *number*, the point
  stays a decimal point (82.5 is common in YAML, and reading a thousands dot would multiply the
  value by 1000 on a guess); only when the decimal reading lies outside the schema's bounds and
  the thousands reading inside is the latter taken. When both readings are within the bounds,
  the value is kept and the reading is listed, so that a person who meant thousands sees it.
- A whole number in a date field is an Excel date serial only in a workbook (the loader says
  so with :attr:`Document.serial_dates`, or the file is ``.xlsx``/``.xlsm``); in a YAML file it
  is more likely a typo, and an error.
- ``date``/``datetime`` objects (workbook date cells) become ISO strings; a time other than
  midnight is dropped and said. A whole float (``12.0`` from a cell) becomes an integer where
  the schema wants one. Neither is listed as a reading: nothing was guessed.
- ``1``/``0`` where a yes/no is wanted is read as yes/no.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any

from patuh.habits import DAY_FIRST
from patuh.habits import SERIAL
from patuh.habits import TIME_DROPPED
from patuh.habits import Reading
from patuh.habits import date_id
from patuh.habits import read_bool
from patuh.habits import read_date
from patuh.habits import read_number
from patuh.habits import read_serial
from patuh.i18n import Text
from patuh.yamlio import Document
from patuh.yamlio import JsonPath
from patuh.yamlio import format_path

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
MAX_DEPTH = 64  # data deeper than this is left to the schema check (loaders bound it anyway)
MAX_TYPED = 100  # characters of a typed date, number or yes/no (longer text is not read)
_REF_DEPTH = 32  # $ref chains followed for one schema node

ANY = "any"  # a schema that does not say (no type): nothing is read there

ACCEPTED = {
    "date": Text("tulis tanggal sebagai 31/10/2025, 31-10-2025, 31 Oktober 2025 atau "
                 "2025-10-31 (tanggal angka dibaca hari lebih dulu)",
                 "write the date as 31/10/2025, 31-10-2025, 31 Oktober 2025 or 2025-10-31 "
                 "(a numeric date is read day first)"),
    "boolean": Text("tulis ya atau tidak (juga diterima: ada/tidak ada, sudah/belum, "
                    "true/false)", "write ya or tidak (yes or no; also accepted: ada/tidak "
                    "ada, sudah/belum, true/false)"),
    "integer": Text("tulis bilangan bulat, mis. 9870 atau 9.870 (titik pemisah ribuan)",
                    "write a whole number, e.g. 9870 or 9.870 (thousands dots)"),
    "number": Text("tulis angka, mis. 82,5 (koma desimal) atau 9.870 (titik pemisah ribuan); "
                   "titik desimal seperti `82.5` juga diterima", "write a number, e.g. 82,5 or "
                   "82.5 (decimal comma or point) or 9.870 (thousands dots)"),
}
SERIAL_IN_TEXT = Text("angka di kolom tanggal berkas YAML/JSON bukan tanggal; tulis tanggal "
                      "sebagai 31/10/2025, 31 Oktober 2025 atau 2025-10-31",
                      "a number in a date field of a YAML/JSON file is not a date; write the "
                      "date as 31/10/2025, 31 Oktober 2025 or 2025-10-31")
YES_NO_DIGIT = Text("1/0 dibaca sebagai ya/tidak", "1/0 read as yes/no")
POINT_KEPT = Text("titik dibaca sebagai tanda desimal; bila maksudnya ribuan, tulis angkanya "
                  "tanpa titik", "the point is read as a decimal point; if thousands were "
                  "meant, write the number without the point")
POINT_THOUSANDS = Text("titik pemisah ribuan (sebagai tanda desimal nilainya di luar rentang)",
                       "thousands dots (as a decimal point the value is out of range)")

_AMBIGUOUS_POINT = re.compile(r"[+-]?[0-9]{1,3}\.[0-9]{3}")
_ZERO_GROUP = re.compile(r"[+-]?0\.")


@dataclass(frozen=True)
class FieldReading:
    """How the value at one path of a document was read."""

    path: JsonPath
    reading: Reading
    value: Any  # the canonical value now in the data
    where: str | None = None  # where it was typed, when not a line (a workbook's Sheet!Cell)

    def as_dict(self) -> dict[str, Any]:
        return {"path": format_path(self.path), "raw": self.reading.raw, "value": self.value,
                "how": self.reading.how.as_dict(), **({"where": self.where} if self.where
                                                      else {})}


@dataclass(frozen=True)
class Normalized:
    """The canonical data, how its values were read, and the accepted forms of every value
    that could not be read (by path), for the schema check's errors."""

    data: Any
    readings: tuple[FieldReading, ...]
    unread: dict[JsonPath, Text]


def accepted_forms(kind: str) -> Text | None:
    """How to write a value of ``kind`` (``date``, ``boolean``, ``integer``, ``number``)."""
    return ACCEPTED.get(kind)


@dataclass(frozen=True)
class _Want:
    """What one schema node accepts: scalar kinds, and its parts for containers."""

    kinds: frozenset[str]
    minimum: Decimal | None
    maximum: Decimal | None
    branches: tuple[tuple[Mapping[str, Any], ...], ...]  # each: one way to be valid
    # the scalar types taken as they are (what :meth:`_Reader.scalar` returns unchanged
    # without a look at the value), so that the common case costs one set lookup
    plain: frozenset[type] = frozenset()


class _Schema:
    """A schema with its local ``$ref``s resolved, flattened per node (cached by identity)."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self._cache: dict[int, _Want] = {}
        self._combined: dict[tuple[int, ...], dict[str, Any]] = {}  # alive while cached
        self._children: dict[tuple[int, str | None], Any] = {}

    def _deref(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return True  # another document: not followed, nothing is read there
        node: Any = self.root
        for part in ref[1:].split("/")[1:] if ref != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return True
        return node

    def _conjuncts(self, schema: Any, depth: int = 0) -> list[list[Mapping[str, Any]]]:
        """The schema as a disjunction of conjunctions of plain nodes (no $ref, allOf,
        oneOf or anyOf left): each inner list is one way a value can be valid."""
        if not isinstance(schema, Mapping) or depth > _REF_DEPTH:
            return [[]]  # a boolean schema or a loop: says nothing
        plain = {k: v for k, v in schema.items()
                 if k not in ("$ref", "allOf", "oneOf", "anyOf")}
        ways: list[list[Mapping[str, Any]]] = [[plain]]
        parts = []
        if "$ref" in schema:
            parts.append(self._conjuncts(self._deref(schema["$ref"]), depth + 1))
        for sub in schema.get("allOf") or ():
            parts.append(self._conjuncts(sub, depth + 1))
        for key in ("oneOf", "anyOf"):
            if schema.get(key):
                alternatives = []
                for sub in schema[key]:
                    alternatives.extend(self._conjuncts(sub, depth + 1))
                parts.append(alternatives)
        for part in parts:
            ways = [[*way, *extra] for way in ways for extra in part][:64]
        return ways

    def want(self, schema: Any) -> _Want:
        found = self._cache.get(id(schema))
        if found is not None:
            return found
        kinds: set[str] = set()
        minimum = maximum = None
        branches = []
        for way in self._conjuncts(schema):
            types: set[str] | None = None
            merged: dict[str, Any] = {}
            for node in way:
                if "type" in node:
                    declared = node["type"]
                    declared = set(declared) if isinstance(declared, list) else {declared}
                    types = declared if types is None else types & declared
                for key, value in node.items():
                    merged.setdefault(key, value)
            if types is None:
                kinds.add(ANY)
            else:
                if "string" in types and merged.get("format") == "date":
                    types = (types - {"string"}) | {"date"}
                kinds |= types
            for key in ("minimum", "maximum"):
                if isinstance(merged.get(key), (int, float)) and \
                        not isinstance(merged[key], bool):
                    bound = Decimal(str(merged[key]))
                    if key == "minimum":
                        minimum = bound if minimum is None else min(minimum, bound)
                    else:
                        maximum = bound if maximum is None else max(maximum, bound)
            branches.append(tuple(way))
        plain: set[type] = set()
        if ANY in kinds:
            plain |= {str, int, float, bool, type(None)}
        if "string" in kinds:
            plain.add(str)
        if "boolean" in kinds:
            plain.add(bool)
        if kinds & {"integer", "number"}:
            plain.add(int)
        result = _Want(frozenset(kinds), minimum, maximum, tuple(branches), frozenset(plain))
        self._cache[id(schema)] = result
        return result

    def child(self, want: _Want, value: Any, key: str | int) -> Any | None:
        """The schema(s) of ``value[key]`` under the branches that fit ``value``: for a
        mapping, those whose required keys it has (all mapping branches when none has)."""
        kind = "object" if isinstance(key, str) else "array"
        memo = (id(want), key if kind == "object" else None)
        if memo in self._children:
            return self._children[memo]
        ways = [way for way in want.branches if all(_allows(n, kind) for n in way)]
        if kind == "array" or len(ways) <= 1:  # nothing depends on the value itself
            self._children[memo] = self._child(ways, value, key, kind)
            return self._children[memo]
        return self._child(ways, value, key, kind)

    def _child(self, ways: list[tuple[Mapping[str, Any], ...]], value: Any, key: str | int,
               kind: str) -> Any | None:
        if kind == "object":
            complete = [way for way in ways
                        if all(r in value for n in way for r in n.get("required") or ())]
            ways = complete or ways
        found: list[Any] = []
        for way in ways:
            for node in way:
                sub = _property(node, key) if isinstance(key, str) else node.get("items")
                if isinstance(sub, (Mapping, bool)) and all(sub is not f for f in found):
                    found.append(sub)
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        ids = tuple(id(f) for f in found)
        if ids not in self._combined:
            self._combined[ids] = {"anyOf": found}
        return self._combined[ids]


def _allows(node: Mapping[str, Any], kind: str) -> bool:
    declared = node.get("type")
    return declared is None or declared == kind or (isinstance(declared, list)
                                                     and kind in declared)


def _property(node: Mapping[str, Any], key: str) -> Any | None:
    props = node.get("properties")
    if isinstance(props, Mapping) and key in props:
        return props[key]
    for pattern, sub in (node.get("patternProperties") or {}).items():
        try:
            if re.search(pattern, key):
                return sub
        except re.error:
            continue
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, Mapping) else None


MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def _date_en(day: date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _within(value: Decimal, want: _Want) -> bool:
    return (want.minimum is None or value >= want.minimum) and \
        (want.maximum is None or value <= want.maximum)


_SCHEMAS: dict[int, tuple[Mapping[str, Any], _Schema]] = {}  # the root kept alive with it


def _schema(root: Mapping[str, Any]) -> _Schema:
    """One resolver per schema (the bundled ones are loaded once), reused by every load."""
    found = _SCHEMAS.get(id(root))
    if found is None or found[0] is not root:
        if len(_SCHEMAS) >= 16:
            _SCHEMAS.clear()
        found = _SCHEMAS[id(root)] = (root, _Schema(root))
    return found[1]


class _Reader:
    def __init__(self, document: Document, schema: Mapping[str, Any]) -> None:
        self.schema = _schema(schema)
        self.raw: Mapping[JsonPath, str] = getattr(document, "raw_numbers", None) or {}
        serial = getattr(document, "serial_dates", None)
        suffix = document.file.suffix.lower() if hasattr(document.file, "suffix") else ""
        self.serial_dates = serial if serial is not None else suffix in WORKBOOK_SUFFIXES
        self.readings: list[FieldReading] = []
        self.unread: dict[JsonPath, Text] = {}

    def walk(self, value: Any, schema: Any, path: JsonPath) -> Any:
        if schema is None or schema is True or len(path) > MAX_DEPTH:
            return value
        want = self.schema.want(schema)
        if isinstance(value, dict):
            out = value
            for key, item in value.items():
                sub = self.schema.child(want, value, key) if isinstance(key, str) else None
                if sub is None or sub is True or type(item) in self.schema.want(sub).plain:
                    continue  # taken as it is (what walk would return), without a path
                new = self.walk(item, sub, (*path, key))
                if new is not item:
                    if out is value:
                        out = dict(value)
                    out[key] = new
            return out
        if isinstance(value, list):
            out_list = value
            sub = self.schema.child(want, value, 0)  # the same for every item
            if sub is None or sub is True:
                return value
            plain = self.schema.want(sub).plain
            for index, item in enumerate(value):
                if type(item) in plain:
                    continue
                new = self.walk(item, sub, (*path, index))
                if new is not item:
                    if out_list is value:
                        out_list = list(value)
                    out_list[index] = new
            return out_list
        if ANY in want.kinds:
            return value
        return self.scalar(value, want, path)

    def read(self, path: JsonPath, value: Any, reading: Reading | None) -> Any:
        if reading is not None:
            self.readings.append(FieldReading(path, reading, value))
        return value

    def fail(self, path: JsonPath, kinds: frozenset[str], value: Any) -> Any:
        for kind in ("date", "boolean", "integer", "number"):
            if kind in kinds:
                self.unread[path] = ACCEPTED[kind]
                break
        return value

    def scalar(self, value: Any, want: _Want, path: JsonPath) -> Any:
        kinds = want.kinds
        if isinstance(value, bool):
            return value if "boolean" in kinds else self.fail(path, kinds, value)
        if isinstance(value, (date, datetime)):
            if "date" not in kinds:
                return value
            if isinstance(value, datetime):
                day = value.date()
                reading = None if value.time() == datetime.min.time() else Reading(
                    value.isoformat(sep=" "), day.isoformat(), TIME_DROPPED)
                return self.read(path, day.isoformat(), reading)
            return value.isoformat()
        if isinstance(value, int):
            if kinds & {"integer", "number"}:
                return value
            if "boolean" in kinds and value in (0, 1):
                return self.read(path, bool(value), Reading(str(value), str(bool(value)).lower(),
                                                            YES_NO_DIGIT))
            return self.serial(value, want, path)
        if isinstance(value, float):
            return self.float_(value, want, path)
        if isinstance(value, str):
            return self.text(value, want, path)
        return value

    def serial(self, value: int | float, want: _Want, path: JsonPath) -> Any:
        """A number in a date field: an Excel date serial in a workbook (a fraction is the
        time of day, dropped), an error elsewhere."""
        if "date" in want.kinds:
            if not self.serial_dates:
                self.unread[path] = SERIAL_IN_TEXT
                return value
            found = read_serial(int(value)) if value >= 1 else None
            if found is not None:
                day, reading = found
                if value != int(value):
                    reading = Reading(f"{value:g}", reading.value, SERIAL + Text(
                        f"; {TIME_DROPPED.id}", f"; {TIME_DROPPED.en}"))
                return self.read(path, day.isoformat(), reading)
        return self.fail(path, want.kinds, value)

    def float_(self, value: float, want: _Want, path: JsonPath) -> Any:
        kinds = want.kinds
        if not math.isfinite(value):  # a loader that let NaN through: the schema says no
            return self.fail(path, kinds, value)
        raw = self.raw.get(path)
        if "number" in kinds:
            if raw is not None and _AMBIGUOUS_POINT.fullmatch(raw.strip()) and \
                    not _ZERO_GROUP.match(raw.strip()):
                return self.point(raw.strip(), Decimal(raw.strip()), want, path, value)
            return value
        if "integer" in kinds:
            if raw is not None and not _ZERO_GROUP.match(raw.strip()):
                found = read_number(raw)
                if found is not None and found[1] is not None and \
                        found[0] == found[0].to_integral_value():
                    return self.read(path, int(found[0]), found[1])
            if value.is_integer():
                return int(value)  # 12.0 from a cell: the same number, nothing to say
            return self.fail(path, kinds, value)
        if "boolean" in kinds and value in (0.0, 1.0):
            return self.read(path, bool(value), Reading(f"{value:g}", str(bool(value)).lower(),
                                                        YES_NO_DIGIT))
        return self.serial(value, want, path)

    def point(self, raw: str, decimal: Decimal, want: _Want, path: JsonPath,
              original: Any) -> Any:
        """``82.500``/``1.234`` in a number field: a decimal point, or thousands dots when only
        that reading lies within the schema's bounds (and said when both do)."""
        thousands = Decimal(raw.replace(".", ""))
        if _within(decimal, want):
            if _within(thousands, want):
                return self.read(path, _number(decimal) if isinstance(original, str)
                                 else original, Reading(raw, format(decimal, "f"), POINT_KEPT))
            return _number(decimal) if isinstance(original, str) else original
        if _within(thousands, want):
            return self.read(path, _number(thousands),
                             Reading(raw, format(thousands, "f"), POINT_THOUSANDS))
        return _number(decimal) if isinstance(original, str) else original

    def text(self, value: str, want: _Want, path: JsonPath) -> Any:
        kinds = want.kinds
        if "string" in kinds:
            return value  # a text field (or text allowed): taken as typed
        if len(value) > MAX_TYPED:
            return self.fail(path, kinds, value)  # no date, number or yes/no is this long
        if "boolean" in kinds:
            found = read_bool(value)
            if found is not None:
                return self.read(path, found[0], found[1])
        if "date" in kinds:
            found_day = read_date(value)
            if found_day is not None:
                day, reading = found_day
                if reading is not None and reading.how == DAY_FIRST and day.day <= 12 and \
                        day.day != day.month:
                    other = date(day.year, day.day, day.month)
                    reading = Reading(reading.raw, reading.value, Text(
                        f"hari lebih dulu: {date_id(day)}; bila maksudnya {date_id(other)}, "
                        f"tulis {other.isoformat()}", f"day first: {_date_en(day)}; if "
                        f"{_date_en(other)} was meant, write {other.isoformat()}"))
                return self.read(path, day.isoformat(), reading)
        if kinds & {"integer", "number"}:
            stripped = value.replace("\u00a0", "").replace(" ", "").strip()
            found_number = read_number(value)
            if _AMBIGUOUS_POINT.fullmatch(stripped):
                if _ZERO_GROUP.match(stripped):  # 0.500: a decimal point, never thousands
                    found_number = Decimal(stripped), None
                elif "number" in kinds:
                    return self.point(stripped, Decimal(stripped), want, path, value)
            if found_number is not None:
                number, reading = found_number
                if "number" in kinds or number == number.to_integral_value():
                    return self.read(path, _number(number), reading)
        return self.fail(path, kinds, value)


def normalize(document: Document, schema: Mapping[str, Any]) -> Normalized:
    """Read ``document.data`` as ``schema`` wants it (see the module's docstring)."""
    reader = _Reader(document, schema)
    data = reader.walk(document.data, schema, ())
    return Normalized(data, tuple(reader.readings), reader.unread)


def drop_unanswered(value: Any) -> Any:
    """The data without empty answers: a key left blank (``nama:``, ``""``) is no answer, as
    an empty cell of a form is. A mapping or a list item left wholly empty goes too, and a list
    left empty *by that* — a blank template item is not a claim that the list is empty."""
    if isinstance(value, Mapping):
        out = {}
        for key, child in value.items():
            if _blank(child):
                continue
            kept = drop_unanswered(child)
            if isinstance(child, Mapping) and child and not kept:
                continue
            if isinstance(child, list) and child and not kept:
                continue
            out[key] = kept
        return out
    if isinstance(value, list):
        items = []
        for item in value:
            if _blank(item):
                continue
            kept = drop_unanswered(item)
            if isinstance(item, (Mapping, list)) and item and not kept:
                continue
            items.append(kept)
        return items
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
