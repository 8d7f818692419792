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
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.exceptions import relevance
from referencing import Registry
from referencing import Resource

from patuh.errors import InputError
from patuh.errors import InputErrors
from patuh.i18n import Text
from patuh.i18n import number
from patuh.yamlio import Document

try:  # jsonschema's own equality (1 is not true, 1 is 1.0) and uniqueness, not public API
    from jsonschema._utils import equal
    from jsonschema._utils import uniq
except ImportError:  # pragma: no cover - a jsonschema without them: it decides every time
    equal = uniq = None  # type: ignore[assignment]

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
    resources_ = [(load_schema(n)["$id"], Resource.from_contents(load_schema(n)))
                  for n in SCHEMAS]
    return Registry().with_resources(resources_)


@cache
def validator(name: str) -> Draft202012Validator:
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


class _Compiler:
    """Turns a schema into one plain predicate: True exactly when jsonschema (draft 2020-12,
    the same format checker) finds no error. The keywords use jsonschema's own helpers
    (``equal``, ``uniq``, the format checker) or their spelled-out definition; a keyword not
    handled here makes its node say False, never True. A False answer is only a request to
    ask jsonschema, which then gives its messages as before."""

    def __init__(self, roots: tuple[dict[str, Any], ...]) -> None:
        self.roots = roots  # the schema documents (the only nodes where an $id is expected)
        self.done: dict[int, list[Any]] = {}  # id(schema node) -> [its test, complete]

    def compile(self, schema: Any, resolver: Any) -> Test:  # a referencing Resolver
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
        cell[0] = self._node(schema, resolver)
        cell[1] = True
        return cell[0]

    def _node(self, schema: dict[str, Any], resolver: Any) -> Test:
        tests: list[Test] = []
        for keyword, value in schema.items():
            if keyword in _ANNOTATIONS:
                continue
            if keyword == "$id" and not any(schema is root for root in self.roots):
                return _reject  # a base URI inside a schema: not handled here
            test = self._keyword(keyword, value, schema, resolver)
            if test is None:
                return _reject
            if test is not _accept:
                tests.append(test)
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
                 resolver: Any) -> Test | None:
        if keyword == "$id":
            return _accept
        if keyword == "$ref":
            resolved = resolver.lookup(value)
            return self.compile(resolved.contents, resolved.resolver)
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
            props = {name: self.compile(sub, resolver) for name, sub in value.items()}
            extra = schema.get("additionalProperties", True)
            rest = None if extra is True else self.compile(extra, resolver)

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
            rest = self.compile(value, resolver)
            return lambda x: not isinstance(x, dict) or all(
                rest(v) for k, v in x.items() if k not in known)
        if keyword == "required":
            names = frozenset(value)
            return lambda x: not isinstance(x, dict) or x.keys() >= names
        if keyword == "items":
            if "prefixItems" in schema:
                return None
            item = self.compile(value, resolver)

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
                    any(equal(o, x) for o in options)
            return lambda x: any(equal(o, x) for o in options)
        if keyword == "const":
            return lambda x: equal(x, value)
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
            return lambda x: not isinstance(x, list) or bool(uniq(x))
        if keyword == "pattern":
            search = re.compile(value).search
            return lambda x: not isinstance(x, str) or search(x) is not None
        if keyword == "format":
            conforms = Draft202012Validator.FORMAT_CHECKER.conforms
            return lambda x: conforms(x, value)
        if keyword in ("oneOf", "anyOf", "allOf"):
            subs = tuple(self.compile(sub, resolver) for sub in value)
            if keyword == "allOf":
                return lambda x: all(sub(x) for sub in subs)
            if keyword == "anyOf":
                return lambda x: any(sub(x) for sub in subs)
            return lambda x: sum(1 for sub in subs if sub(x)) == 1
        if keyword == "not":
            inner = self.compile(value, resolver)
            return lambda x: not inner(x)
        return None


@cache
def fast_validator(name: str) -> Test:
    """A predicate that is True only where ``validator(name)`` finds no error (compiled
    once per process, about a millisecond); False means "ask jsonschema"."""
    if equal is None or uniq is None:
        return _reject
    schema = load_schema(name)
    resolver = registry().resolver(schema["$id"])
    return _Compiler(tuple(load_schema(n) for n in SCHEMAS)).compile(schema, resolver)


def fast_predicate(schema: dict[str, Any]) -> Test:
    """The predicate of a schema of its own (an operator's arguments: no ``$ref`` to the
    bundled schemas), as ``fast_validator`` makes for a bundled one: True only where
    jsonschema finds no error; False means "ask jsonschema"."""
    if equal is None or uniq is None:
        return _reject
    try:
        return _Compiler((schema,)).compile(schema, Registry().resolver())
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
    if not error.context:
        return None
    return sorted(error.context, key=relevance)[0]


def _deepest(error: ValidationError) -> ValidationError:
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
