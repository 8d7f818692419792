"""JSON Schema (draft 2020-12) validation with the format checker on, and errors that name
the file, the line and the JSON path, in both languages.

Most documents are valid, and jsonschema takes milliseconds to say so (every unit of a batch,
every save on the platform). So :func:`check` first asks a predicate compiled from the same
schema (:func:`fast_validator`, about 2 ms once per process, no cache on disk); only when it
says no does jsonschema run, exactly as before, for its errors. The predicate never says yes
where jsonschema says no: the tests compare both verdicts on every document they validate."""

from __future__ import annotations

import json
import numbers
import os
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING
from typing import Any
from urllib.parse import urljoin

from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.i18n import Text
from patuh.i18n import number
from patuh.yamlio import Document

if TYPE_CHECKING:  # jsonschema is imported only when a document is invalid (~30 ms)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

MAX_ERRORS = 10
MAX_LISTED = 10  # unknown keys named in one message; the rest are counted


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled schema by name (``rule``, ``ruleset``, ``manifest``, ``report``)."""
    text = resources.files("patuh.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


SCHEMAS = ("rule", "ruleset", "manifest", "report", "waivers", "verification", "sources")


@cache
def registry() -> Registry:
    """The bundled schemas, so that one can refer to another by file name."""
    from referencing import Registry
    from referencing import Resource

    resources_ = [(load_schema(n)["$id"], Resource.from_contents(load_schema(n)))
                  for n in SCHEMAS]
    return Registry().with_resources(resources_)


@cache
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema(name)  # checked against the metaschema by the tests, not per run
    return Draft202012Validator(schema, registry=registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


Test = Callable[[Any], bool]

# Keywords that only annotate (no effect on validity); any keyword outside these and the
# ones compiled below makes its schema node reject, so that jsonschema decides there.
_ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$comment",
                          "$schema", "$defs", "deprecated", "readOnly", "writeOnly"})


def _is_integer(x: Any) -> bool:  # jsonschema's draft 2020-12 type checker, spelled out
    return (isinstance(x, int) and not isinstance(x, bool)) or \
        (isinstance(x, float) and x.is_integer())


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


_TYPES: dict[str, Test] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "integer": _is_integer,
    "number": _is_number,
}


def _accept(_x: Any) -> bool:
    return True


def _reject(_x: Any) -> bool:
    return False


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality on JSON values (``1`` is not ``true``, ``1`` is ``1.0``); a value
    that is no JSON value raises, so that jsonschema decides."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, (list, tuple)) and isinstance(two, (list, tuple)):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    for value in (one, two):
        if value is not None and not isinstance(value, (bool, int, float, list, tuple, dict)):
            raise TypeError(f"not a JSON value: {type(value).__name__}")
    if isinstance(one, bool) or isinstance(two, bool):
        return False  # not the same object, so not the same boolean
    return bool(one == two)


def _unique(items: list[Any]) -> bool:
    """uniqueItems on a list of JSON scalars (``true`` and ``1`` differ, ``1`` and ``1.0`` do
    not); anything else raises, so that jsonschema decides."""
    seen = set()
    for item in items:
        if isinstance(item, bool) or item is None:
            key: Any = (0, item)
        elif isinstance(item, (int, float, str)):
            key = (1 if isinstance(item, str) else 2, item)
        else:
            raise TypeError("uniqueItems on a list of lists or objects: jsonschema decides")
        if key in seen:
            return False
        seen.add(key)
    return True


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # jsonschema's, then date.fromisoformat
# URIs certainly valid whichever URI checker jsonschema finds installed (rfc3987,
# rfc3986-validator, or none); any other string is left to jsonschema.
_SAFE_URI = re.compile(r"[a-z][a-z0-9+.-]*://[A-Za-z0-9.-]+(?::[0-9]{1,5})?"
                       r"(?:/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?(?:\?[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?"
                       r"(?:#[A-Za-z0-9._~!$&'()*+,;=:@/?-]*)?", re.ASCII)


def _is_date(x: Any) -> bool:
    if not isinstance(x, str):
        return True
    if not _DATE.fullmatch(x):
        return False
    try:
        date.fromisoformat(x)
    except ValueError:
        return False
    return True


def _is_safe_uri(x: Any) -> bool:
    if isinstance(x, str) and _SAFE_URI.fullmatch(x) is None:
        raise _Unsure("a URI outside the safe subset")
    return True


_MAY_BE_UNSURE = frozenset({"uniqueItems", "format", "const", "enum"})


class _Unsure(Exception):
    """Raised where the predicate cannot judge exactly: jsonschema decides."""


def _unsure(_x: Any) -> bool:
    raise _Unsure("a keyword the predicate does not handle")


def _pointer(root: Any, fragment: str) -> Any:
    """The node a JSON pointer fragment (``/$defs/tanggal``) names in ``root``."""
    node = root
    for part in fragment.split("/")[1:] if fragment else []:
        if "%" in part:
            raise LookupError(fragment)
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


class _Compiler:
    """Turns a schema into one plain predicate: True only when jsonschema (draft 2020-12,
    the same format checker) finds no error, False only when it finds one. The keywords are
    jsonschema's definitions spelled out; where they cannot judge exactly (a keyword not
    handled here, a value that is no JSON value, a URI outside a safe subset) they raise, so
    that ``not`` and ``oneOf`` never turn a wrong False into a True. Any answer but True is
    only a request to ask jsonschema, which then gives its messages as before.

    The predicate needs no jsonschema: importing it costs a cold check about 30 ms."""

    def __init__(self, roots: tuple[dict[str, Any], ...]) -> None:
        self.roots = roots  # the schema documents (the only nodes where an $id is expected)
        self.done: dict[int, list[Any]] = {}  # id(schema node) -> [its test, complete]

    def compile(self, schema: Any, root: Any) -> Test:
        """``root``: the schema document ``schema`` is in (``#`` references resolve there)."""
        if schema is True:
            return _accept
        if schema is False or not isinstance(schema, dict):
            return _reject
        if id(schema) in self.done:
            cell = self.done[id(schema)]
            if cell[1]:
                return cell[0]
            return lambda x: cell[0](x)  # a $ref back into a node being compiled
        cell: list[Any] = [_reject, False]  # [its test, whether complete]
        self.done[id(schema)] = cell
        cell[0] = self._node(schema, root)
        cell[1] = True
        return cell[0]

    def _node(self, schema: dict[str, Any], root: Any) -> Test:
        tests: list[Test] = []
        late: list[Test] = []  # tests that may be unsure run last: a sure False comes first
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            if keyword == "$id" and not any(schema is r for r in self.roots):
                return _unsure  # a base URI inside a schema: not handled here
            test = self._keyword(keyword, value, schema, root)
            if test is None:
                late.append(_unsure)
            elif keyword in _MAY_BE_UNSURE:
                late.append(test)
            elif test is not _accept:
                tests.append(test)
        tests += late
        if not tests:
            return _accept
        if len(tests) == 1:
            return tests[0]
        if len(tests) == 2:
            first, second = tests
            return lambda x: first(x) and second(x)
        frozen = tuple(tests)

        def every(x: Any) -> bool:
            for test in frozen:  # noqa: SIM110 - a loop: no generator per call
                if not test(x):
                    return False
            return True
        return every

    def _keyword(self, keyword: str, value: Any, schema: dict[str, Any],
                 root: Any) -> Test | None:
        if keyword == "$id":
            return _accept
        if keyword == "$ref":
            if not isinstance(value, str):
                return None
            uri, _, fragment = value.partition("#")
            if uri:
                uri = urljoin(root.get("$id", ""), uri)  # relative to the document's $id
                root = next((r for r in self.roots if r.get("$id") == uri), None)
                if root is None:
                    return None  # an unknown reference: jsonschema resolves it
            try:
                return self.compile(_pointer(root, fragment), root)
            except (LookupError, ValueError, TypeError):
                return None
        if keyword == "type":
            kinds = value if isinstance(value, list) else [value]
            if not all(isinstance(k, str) and k in _TYPES for k in kinds):
                return None
            checks = tuple(_TYPES[k] for k in kinds)
            if len(checks) == 1:
                return checks[0]
            return lambda x: any(check(x) for check in checks)
        if keyword == "properties":
            if not isinstance(value, dict):
                return None
            if "patternProperties" in schema:
                return None
            # with additionalProperties: one pass over the value's keys
            props = {name: self.compile(sub, root) for name, sub in value.items()}
            extra = schema.get("additionalProperties", True)
            rest = None if extra is True else self.compile(extra, root)

            def properties(x: Any) -> bool:
                if not isinstance(x, dict):
                    return True
                get = props.get
                for key, item in x.items():
                    test = get(key)
                    if test is None:
                        if rest is not None and not rest(item):
                            return False
                    elif not test(item):
                        return False
                return True
            return properties
        if keyword == "additionalProperties":
            if "patternProperties" in schema:
                return None
            if "properties" in schema:
                return _accept  # checked with them
            known = schema.get("properties", {})
            if value is False:
                return lambda x: not isinstance(x, dict) or all(k in known for k in x)
            if value is True:
                return _accept
            rest = self.compile(value, root)
            return lambda x: not isinstance(x, dict) or all(
                rest(v) for k, v in x.items() if k not in known)
        if keyword == "required":
            names = frozenset(value)
            return lambda x: not isinstance(x, dict) or x.keys() >= names
        if keyword == "items":
            if "prefixItems" in schema:
                return None
            item = self.compile(value, root)

            def items(x: Any) -> bool:
                if isinstance(x, list):
                    for each in x:
                        if not item(each):
                            return False
                return True
            return items
        if keyword == "enum":
            options = tuple(value)
            if all(type(o) is str for o in options):
                texts = frozenset(options)
                return lambda x: (x in texts) if isinstance(x, str) else \
                    any(_equal(o, x) for o in options)
            return lambda x: any(_equal(o, x) for o in options)
        if keyword == "const":
            return lambda x: _equal(x, value)
        if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if not _is_number(value):
                return None
            # jsonschema's own comparisons, negated (NaN compares like there)
            compare = {"minimum": lambda x: not x < value, "maximum": lambda x: not x > value,
                       "exclusiveMinimum": lambda x: not x <= value,
                       "exclusiveMaximum": lambda x: not x >= value}[keyword]
            return lambda x: not _is_number(x) or compare(x)
        if keyword in ("minLength", "maxLength", "minItems", "maxItems", "minProperties",
                       "maxProperties"):
            if not _is_integer(value):
                return None
            kind = {"L": str, "I": list, "P": dict}[keyword[3]]
            if keyword.startswith("min"):
                return lambda x: not isinstance(x, kind) or not len(x) < value
            return lambda x: not isinstance(x, kind) or not len(x) > value
        if keyword == "uniqueItems":
            if value is not True:
                return _accept if value is False else None
            return lambda x: not isinstance(x, list) or _unique(x)
        if keyword == "pattern":
            search = re.compile(value).search
            return lambda x: not isinstance(x, str) or search(x) is not None
        if keyword == "format":
            if value == "date":
                return _is_date
            if value == "uri":
                return _is_safe_uri
            return None
        if keyword in ("oneOf", "anyOf", "allOf"):
            subs = tuple(self.compile(sub, root) for sub in value)
            if keyword == "oneOf":
                return lambda x: sum(1 for sub in subs if sub(x)) == 1
            if keyword == "allOf":
                return lambda x: all(sub(x) for sub in subs)

            def any_of(x: Any) -> bool:  # a branch that says yes settles it, unsure or not
                unsure = None
                for sub in subs:
                    try:
                        if sub(x):
                            return True
                    except _Unsure as exc:
                        unsure = exc
                if unsure is not None:
                    raise unsure
                return False
            return any_of
        if keyword == "not":
            inner = self.compile(value, root)
            return lambda x: not inner(x)
        return None


@cache
def fast_validator(name: str) -> Test:
    """A predicate that is True only where ``validator(name)`` finds no error (compiled
    once per process, about a millisecond); False means "ask jsonschema"."""
    schema = load_schema(name)
    return _Compiler(tuple(load_schema(n) for n in SCHEMAS)).compile(schema, schema)


def fast_predicate(schema: dict[str, Any]) -> Test:
    """The predicate of a schema of its own (an operator's arguments: no ``$ref`` to the
    bundled schemas), as ``fast_validator`` makes for a bundled one: True only where
    jsonschema finds no error; False means "ask jsonschema"."""
    try:
        return _Compiler((schema,)).compile(schema, schema)
    except Exception:  # e.g. a $ref it cannot follow: jsonschema decides every time
        return _reject


CROSS_CHECK = "PATUH_CROSS_CHECK_VALIDATION"  # set by the test suite: both must agree


def _fast_verdict(data: Any, schema: str) -> bool | None:
    try:
        return fast_validator(schema)(data)
    except Exception:  # e.g. a comparison an odd value refuses: jsonschema decides
        return None


def _cross_check(fast: bool | None, doc: Document, schema: str) -> None:
    """With ``$PATUH_CROSS_CHECK_VALIDATION`` set (the tests set it): jsonschema's verdict
    too, and an AssertionError where the two differ."""
    if fast is None:
        return
    try:
        slow = validator(schema).is_valid(doc.data)
    except Exception:  # jsonschema itself fails on this value: the check below says how
        return
    if fast != slow:
        raise AssertionError(f"fast validator says {fast}, jsonschema {slow}: the {schema} "
                             f"schema on {doc.file}")


def _short(value: Any, lang: str = "en") -> str:
    """A value as the person wrote it, cut short; a number in the language's notation."""
    if lang != "en" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, lang, group=False)
    if lang != "en" and isinstance(value, bool):
        return "ya" if value else "tidak"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


# JSON Schema's type and format names as a person filling a form calls them
TYPE_NAMES = {"string": Text("teks", "text"), "number": Text("bilangan", "a number"),
              "integer": Text("bilangan bulat", "a whole number"),
              "boolean": Text("ya/tidak", "yes/no (true/false)"),
              "object": Text("pemetaan (kunci: nilai)", "a mapping (key: value)"),
              "array": Text("daftar", "a list"), "null": Text("kosong", "empty")}
FORMAT_NAMES = {"date": Text("tanggal", "date"), "date-time": Text("tanggal dan waktu",
                                                                   "date and time"),
                "uri": Text("alamat web (URL, mis. https://contoh.go.id/)",
                            "web address (URL, e.g. https://example.go.id/)"),
                "email": Text("alamat surel", "email address")}
_FORMAT_EXAMPLES = {"date": Text(" (mis. 31/12/2024 atau 2024-12-31)", " (e.g. a date 2024-12-31)")}


def describe(error: ValidationError) -> Text:
    """A readable message for the common validators; a general one otherwise (jsonschema's own
    text in English)."""
    v, inst, arg = error.validator, error.instance, error.validator_value
    shown = Text(_short(inst, "id"), _short(inst))
    if v == "type":
        kinds = arg if isinstance(arg, list) else [arg]
        want_id = " atau ".join(TYPE_NAMES[k].id if k in TYPE_NAMES else k for k in kinds)
        want_en = " or ".join(kinds)
        return Text(f"{shown.id} bukan {want_id}", f"{shown.en} is not of type {want_en}")
    if v == "required":
        missing = [k for k in arg if isinstance(inst, dict) and k not in inst]
        names = ", ".join(missing)
        return Text(f"kunci wajib belum ada: {names}", f"required key missing: {names}")
    if v == "additionalProperties" and isinstance(inst, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in inst if k not in allowed)
        known = ", ".join(sorted(allowed))
        listed = ", ".join(_short(k).strip('"') for k in extra[:MAX_LISTED])
        more = len(extra) - MAX_LISTED
        return Text(f"kunci tidak dikenal: {listed}" + (f" … dan {more} lagi" if more > 0 else "")
                    + f" (yang dikenal: {known})",
                    f"unknown key: {listed}" + (f" … and {more} more" if more > 0 else "")
                    + f" (known keys: {known})")
    if v == "enum":
        options = ", ".join(_short(a) for a in arg)
        return Text(f"{shown.id} bukan salah satu dari: {options}",
                    f"{shown.en} is not one of: {options}")
    if v == "const":
        return Text(f"harus {_short(arg, 'id')}", f"must be {_short(arg)}")
    if v == "format":
        name = FORMAT_NAMES.get(arg, Text(str(arg), str(arg)))
        example = _FORMAT_EXAMPLES.get(arg, Text("", ""))
        return Text(f"{shown.id} bukan {name.id} yang sah{example.id}",
                    f"{shown.en} is not a valid {name.en}{example.en}")
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        op = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">",
              "exclusiveMaximum": "<"}[v]
        op_id = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">",
                 "exclusiveMaximum": "<"}[v]
        return Text(f"{shown.id} harus {op_id} {_short(arg, 'id')}",
                    f"{shown.en} must be {op} {arg}")
    if v == "pattern":
        return Text(f"{shown.id} tidak sesuai pola {arg}",
                    f"{shown.en} does not match {arg}")
    if v in ("minItems", "minLength", "minProperties"):
        return Text(f"terlalu sedikit (minimal {arg})", f"too few (at least {arg})")
    if v in ("maxItems", "maxLength", "maxProperties"):
        return Text(f"terlalu banyak (maksimal {arg})", f"too many (at most {arg})")
    if v == "uniqueItems":
        return Text("daftar berisi nilai ganda", "the list has duplicate values")
    if v == "not" and isinstance(arg, dict) and list(arg) == ["required"]:
        names_id = " atau ".join(arg["required"])
        names_en = " or ".join(arg["required"])
        return Text(f"berikan salah satu saja: {names_id}, bukan keduanya (yang lain akan "
                    "diabaikan)", f"give only one of {names_en}, not both (the other would "
                    "be ignored)")
    if v in ("oneOf", "anyOf"):
        best = _best_context(error)
        if best is not None:
            return describe(best)
        return Text("bentuk nilai tidak sesuai dengan yang diizinkan",
                    "the value matches none of the allowed shapes")
    message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
    return Text(f"{shown.id}: nilai ini tidak memenuhi aturan isian ({v})", message)


def _best_context(error: ValidationError) -> ValidationError | None:
    from jsonschema.exceptions import relevance

    if not error.context:
        return None
    return sorted(error.context, key=relevance)[0]


def _deepest(error: ValidationError) -> ValidationError:
    from jsonschema.exceptions import relevance

    while error.validator in ("oneOf", "anyOf") and error.context:
        deeper = sorted(error.context, key=lambda e: (-len(e.absolute_path), relevance(e)))[0]
        if len(deeper.absolute_path) <= len(error.absolute_path):
            break
        error = deeper
    return error


def check(doc: Document, schema: str, hint: str | Text | None = None) -> None:
    """Raise InputErrors listing every violation (best first, at most ten)."""
    fast = _fast_verdict(doc.data, schema)  # True: valid; else jsonschema says why (or not)
    if os.environ.get(CROSS_CHECK):
        _cross_check(fast, doc, schema)
    if fast:
        return
    from jsonschema.exceptions import relevance

    errors = sorted(validator(schema).iter_errors(doc.data), key=relevance)
    if not errors:
        return
    out: list[InputError] = []
    for error in errors[:MAX_ERRORS]:
        error = _deepest(error)
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {})
            extra = [k for k in error.instance if k not in allowed]
            if extra:
                path = (*path, extra[0])  # point at the unknown key's own line
        out.append(doc.error(path, describe(error), hint))
    raise InputErrors(out)
