"""The fast validator (patuh.validation.fast_validator) against jsonschema: identical verdicts
on every bundled example, the rule files, mutated variants of them, and the edge cases where
Python and JSON Schema disagree (bool vs 1, 2024.0, NaN, tuples, odd keys, formats).

Where the fast validator says "no", check() asks jsonschema, so its messages are unchanged;
what must never happen is "yes" where jsonschema says "no" (nor "no" where it says "yes":
``not`` would turn it into a wrong "yes"). Where the predicate cannot judge exactly it is unsure
and jsonschema decides; the tests assert it is rarely unsure."""

from __future__ import annotations

import copy
import math
import random
from collections import OrderedDict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing import Resource

from patuh.errors import InputErrors
from patuh.manifest import load_manifest
from patuh.validation import SCHEMAS
from patuh.validation import _Compiler
from patuh.validation import _fast_verdict
from patuh.validation import _Unsure
from patuh.validation import check
from patuh.validation import fast_validator
from patuh.validation import validator
from patuh.yamlio import Document
from patuh.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/manifest.yaml"))
AUDIT = {"verification": ROOT / "examples/audit/verifikasi-dpmptsp.yaml",
         "waivers": ROOT / "examples/audit/waivers.yaml"}


def same_verdict(schema: str, data: Any) -> None:
    slow = validator(schema).is_valid(data)
    fast = fast_validator(schema)(data)
    assert fast == slow, (schema, fast, slow, data)


def documents() -> list[tuple[str, Any]]:
    """(schema, data) of every bundled document validated per unit or per ruleset."""
    docs: list[tuple[str, Any]] = []
    for path in EXAMPLES:
        docs.append(("manifest", load_manifest(path).data))
        docs.append(("manifest", load_yaml(path).data))  # before reading habits: dates etc.
    for schema, path in AUDIT.items():
        docs.append((schema, load_yaml(path).data))
    for path in sorted((ROOT / "rules").rglob("*.yaml")):
        if path.name == "ruleset.yaml":
            docs.append(("ruleset", load_yaml(path).data))
        elif path.name == "sources.yaml":
            docs.append(("sources", load_yaml(path).data))
        elif not path.name.endswith(".cases.yaml"):
            docs.append(("rule", load_yaml(path).data))
    return docs


def test_bundled_documents_are_valid_and_agree() -> None:
    docs = documents()
    assert len(docs) > 20
    for schema, data in docs:
        same_verdict(schema, data)
    # the canonical manifests are valid: the fast path is the one taken
    assert all(fast_validator("manifest")(load_manifest(p).data) for p in EXAMPLES)


def paths_of(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths_of(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += paths_of(value, (*path, index))
    return out


REPLACEMENTS: list[Any] = [
    None, True, False, 0, 1, -1, 1.5, 2024.0, 10**12, float("nan"), "", "x", "ya",
    "2024-02-30", "2024-02-29", "2023-02-29", "31/12/2024", "not a uri", "https://a.go.id/x",
    "abc\n", "a b", [], [1, 1], ["x"], {}, {"zz": 1}, Decimal("5"), Fraction(1, 2), (1,),
    1 + 0j,
]


def mutate(data: Any, path: tuple[Any, ...], rng: random.Random) -> Any:
    new = copy.deepcopy(data)
    if not path:
        return rng.choice([None, [], "x", {}])
    parent = new
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    current = parent[last]
    how = rng.randrange(6)
    if how == 0 and isinstance(parent, dict):
        del parent[last]  # a missing (perhaps required) key
    elif how == 1 and isinstance(current, dict):
        current[rng.choice(["zz_extra", 7, "Nama"])] = "x"  # an unknown key (or not text)
    elif how == 2 and isinstance(current, list) and current:
        current.append(copy.deepcopy(current[0]))  # a duplicate item
    elif how == 3 and isinstance(current, (int, float)) and not isinstance(current, bool):
        parent[last] = rng.choice([current - 10**6, current + 10**6, -current, current + 0.5,
                                   float(current), True])
    elif how == 4 and isinstance(current, str):
        parent[last] = rng.choice([current + "\n", current + " !", "", current[:1], current * 3,
                                   current.replace("-", "/"), 2024])
    else:
        parent[last] = rng.choice(REPLACEMENTS)
    return new


@pytest.mark.parametrize("schema,index", [(s, i) for s in ("manifest",) for i in range(4)]
                         + [("verification", 0), ("waivers", 0)])
def test_mutated_documents_agree(schema: str, index: int) -> None:
    data = (load_manifest(EXAMPLES[index]).data if schema == "manifest"
            else load_yaml(AUDIT[schema]).data)
    rng = random.Random(f"validate14-{schema}-{index}")
    paths = paths_of(data)
    count = rejected = unsure = 0
    rounds = max(2, 300 // len(paths))
    for path in rng.sample(paths, min(len(paths), 150)):
        for _ in range(rounds):
            variant = mutate(data, path, rng)
            try:
                slow: bool | None = validator(schema).is_valid(variant)
            except TypeError:  # 1+0j < 2000: jsonschema fails, and so does the fast one
                slow = None
            fast = _fast_verdict(variant, schema)  # None: unsure, jsonschema decides
            assert fast is None or fast == slow, (
                schema, path, variant if len(str(variant)) < 400 else path)
            count += 1
            rejected += slow is False
            unsure += fast is None
    assert count >= 100 and rejected >= count // 4  # the mutations do reach the rules
    assert unsure <= count // 10  # the predicate judges nearly every document itself


# --- keyword by keyword, on small schemas ----------------------------------------------------

def both(schema: dict[str, Any], instance: Any) -> tuple[bool | None, bool]:
    """(the predicate's verdict, None where it is unsure; jsonschema's)."""
    uri = "https://patuh.invalid/test.schema.json"
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": uri, **schema}
    registry = Registry().with_resource(uri, Resource.from_contents(schema))
    slow = Draft202012Validator(schema, registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)
    test = _Compiler((schema,)).compile(schema, schema)
    try:
        fast: bool | None = test(instance)
    except (_Unsure, TypeError):
        fast = None
    return fast, slow.is_valid(instance)


ODD_VALUES: list[Any] = [
    None, True, False, 0, 1, 1.0, 2, 2024, 2024.0, 2024.5, -0.0, float("nan"), float("inf"),
    Decimal("2024"), Decimal("1"), Fraction(4, 2), "", "1", "2024", "ya", "2024-12-31",
    "2024-02-30", "2024-1-5", "https://a.go.id/x", "a b", "abc\n", "ABC", [], [1], [1, 1],
    [1, True], [0, False], [1, 1.0], ["a", "a"], [{"a": 1}, {"a": 1}], [[1], [True]], (1, 2),
    {}, {"a": 1}, {"a": True}, {1: "x"}, OrderedDict(a=1), {"a": 1, "b": 2},
]

KEYWORD_SCHEMAS: list[dict[str, Any]] = [
    {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "boolean"},
    {"type": "object"}, {"type": "array"}, {"type": "null"}, {"type": ["integer", "null"]},
    {"const": 1}, {"const": True}, {"const": [1]}, {"const": {"a": 1}},
    {"enum": ["a", "ABC", "1"]}, {"enum": [1, "a"]}, {"enum": [False, 2]}, {"enum": [None]},
    {"minimum": 2000}, {"maximum": 2100}, {"exclusiveMinimum": 0}, {"exclusiveMaximum": 1},
    {"minLength": 1}, {"maxLength": 3}, {"minItems": 1}, {"maxItems": 1},
    {"minProperties": 1}, {"maxProperties": 1}, {"uniqueItems": True}, {"uniqueItems": False},
    {"pattern": "^[A-Za-z0-9._-]+$"}, {"pattern": "^abc$"}, {"format": "date"},
    {"format": "uri"}, {"format": "email"}, {"required": ["a"]},
    {"properties": {"a": {"type": "integer"}}, "additionalProperties": False},
    {"properties": {"a": {"type": "integer"}}, "additionalProperties": {"type": "string"}},
    {"additionalProperties": True}, {"items": {"type": "integer"}}, {"items": False},
    {"oneOf": [{"type": "integer"}, {"type": "number"}]},
    {"oneOf": [{"type": "string"}, {"type": "array"}]},
    {"anyOf": [{"type": "string"}, {"minimum": 3}]}, {"allOf": [{"type": "integer"},
                                                                 {"minimum": 3}]},
    {"not": {"required": ["a", "b"]}}, {"not": {"type": "string"}},
    # $ref with siblings: both apply in draft 2020-12
    {"$defs": {"n": {"type": "integer"}}, "$ref": "#/$defs/n", "minimum": 2000},
    # a recursive $ref
    {"$defs": {"tree": {"type": ["integer", "array"], "items": {"$ref": "#/$defs/tree"}}},
     "$ref": "#/$defs/tree"},
    # keywords it does not handle: it is unsure, never says yes or no
    {"if": {"type": "integer"}, "then": {"minimum": 3}}, {"dependentRequired": {"a": ["b"]}},
    {"patternProperties": {"^a": {"type": "string"}}, "additionalProperties": False},
    {"prefixItems": [{"type": "integer"}]}, {"contains": {"type": "integer"}},
    {"unevaluatedProperties": False},
]

UNHANDLED = ("if", "dependentRequired", "patternProperties", "prefixItems", "contains",
             "unevaluatedProperties")


@pytest.mark.parametrize("schema", KEYWORD_SCHEMAS, ids=lambda s: "-".join(s))
def test_each_keyword_agrees_on_odd_values(schema: dict[str, Any]) -> None:
    unhandled = any(k in schema for k in UNHANDLED) or schema.get("format") == "email"
    unsure = 0
    for value in ODD_VALUES:
        try:
            fast, slow = both(schema, value)
        except TypeError:
            continue  # e.g. 1.5 < {} : jsonschema fails too; check() then lets it say so
        if unhandled:
            assert fast is None, (schema, value)
        else:
            assert fast is None or fast == slow, (schema, value, fast, slow)
            unsure += fast is None
    # unsure only on what is no JSON value (Decimal, Fraction), lists of lists or objects
    # under uniqueItems, and URIs outside the safe subset
    assert unsure <= (10 if schema.get("format") == "uri" else 5), schema


def test_nan_and_bool_edge_cases() -> None:
    assert both({"type": "integer"}, 2024.0) == (True, True)
    assert both({"type": "integer"}, True) == (False, False)
    assert both({"const": 1}, True) == (False, False)
    assert both({"const": 1}, 1.0) == (True, True)
    assert both({"uniqueItems": True}, [1, True]) == (True, True)
    assert both({"maximum": 100}, float("nan")) == both({"maximum": 100}, float("nan"))[::-1]
    assert both({"format": "date"}, "2024-02-30") == (False, False)
    assert both({"format": "uri"}, "https://a.go.id/x?q=1#z") == (True, True)
    assert both({"format": "uri"}, "not a uri") == (None, False)  # jsonschema decides
    assert both({"not": {"format": "uri"}}, "urn:isbn:0451450523") == (None, False)
    assert both({"oneOf": [{"format": "uri"}, {"pattern": "^urn:"}]},
                "urn:isbn:0451450523") == (None, False)  # two branches: never "one"


def test_check_takes_jsonschemas_messages_when_the_fast_validator_says_no(
        tmp_path: Path) -> None:
    """An invalid manifest: the same errors as jsonschema alone gives (paths, order)."""
    data = copy.deepcopy(load_manifest(EXAMPLES[0]).data)
    data["periode"]["tahun"] = 1999
    data["unit"]["zz"] = 1
    doc = Document(tmp_path / "m.yaml", data, {})
    with pytest.raises(InputErrors) as caught:
        check(doc, "manifest")
    assert not fast_validator("manifest")(data)
    paths = {tuple(e.absolute_path) for e in validator("manifest").iter_errors(data)}
    assert paths == {("periode", "tahun"), ("unit",)}
    assert len(caught.value.errors) == 2


def test_every_bundled_schema_compiles_without_unhandled_keywords() -> None:
    """Each schema's own examples (in the bundled documents) take the fast path; a keyword it
    does not know would make every document fall back to jsonschema, silently slow."""
    for name in SCHEMAS:
        assert callable(fast_validator(name))
    for schema, data in documents():
        if validator(schema).is_valid(data):
            assert fast_validator(schema)(data), schema


def test_not_a_number_is_never_accepted_where_jsonschema_rejects() -> None:
    for value in (float("nan"), float("inf"), -math.inf):
        for schema in ({"minimum": 0}, {"maximum": 0}, {"exclusiveMinimum": 0},
                       {"exclusiveMaximum": 0}):
            fast, slow = both(schema, value)
            assert fast == slow, (schema, value)


def test_the_suites_cross_check_fails_where_the_verdicts_differ(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py sets $PATUH_CROSS_CHECK_VALIDATION, so that every document any test
    validates is judged by both; a fast validator that says yes too often fails them all."""
    import patuh.validation as validation

    monkeypatch.setenv(validation.CROSS_CHECK, "1")
    monkeypatch.setattr(validation, "fast_validator", lambda name: lambda data: True)
    doc = Document(tmp_path / "m.yaml", {"schema_version": 2}, {})
    with pytest.raises(AssertionError, match="fast validator says True, jsonschema False"):
        check(doc, "manifest")
    monkeypatch.delenv(validation.CROSS_CHECK)
    check(doc, "manifest")  # without it, the (broken) fast path is trusted: nothing raised
