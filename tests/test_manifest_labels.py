"""schemas/manifest.labels.yaml holds the words people read for every manifest key and value, in
Bahasa Indonesia and English. The questionnaire (YAML template, workbook, web form) asks with
them, so they must cover the schema exactly, both ways, and say the same as the rule files'
element lists wherever a rule counts or compares the same codes."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "manifest.schema.json"
LABELS_FILE = ROOT / "schemas" / "manifest.labels.yaml"
RULES = ROOT / "rules"

FIELDS = {"id", "en", "help_en", "values"}
# a citation suffix the uu25 element lists add to the same label, e.g. "Persyaratan (huruf b)"
CITATION = re.compile(r"\s*\((?:huruf|letter) [a-z]\)$")


@dataclass(frozen=True)
class Key:
    """One key of the manifest, where a person answers or reads a heading."""

    path: str
    description: str | None  # the key's own description (not that of a $ref's target)
    enum: tuple[Any, ...] | None  # the allowed values, or the items' allowed values
    kind: str  # object, array, boolean, integer, number, string, date, enum, const


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load keeps the last of two equal keys silently; this loader refuses them."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise AssertionError(f"line {key_node.start_mark.line + 1}: {key!r} appears twice")
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        node = schema["$defs"][name]
        seen += 1
        assert seen < 20, "a $ref cycle in the manifest schema"
    return node


def _kind(node: dict[str, Any]) -> str:
    if node.get("format") == "date":
        return "date"
    if "const" in node:
        return "const"
    if "enum" in node:
        return "enum"
    return str(node.get("type", "?"))


def schema_keys(schema: dict[str, Any]) -> dict[str, Key]:
    """Every key at every depth, by dotted path with `[]` for list items, following $refs and
    the alternatives of oneOf/anyOf/allOf; keys named `bukti` and all inside them are left out."""
    keys: dict[str, Key] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        node = _resolve(schema, node)
        for word in ("oneOf", "anyOf", "allOf"):
            for alternative in node.get(word, ()):
                walk(alternative, prefix)
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{prefix}[]")
        for name, sub in node.get("properties", {}).items():
            if name == "bukti":
                continue
            path = f"{prefix}.{name}" if prefix else name
            target = _resolve(schema, sub)
            items = _resolve(schema, target["items"]) if isinstance(target.get("items"),
                                                                   dict) else {}
            enum = target.get("enum") or items.get("enum")
            keys[path] = Key(path, sub.get("description"), tuple(enum) if enum else None,
                             _kind(target))
            walk(target, path)

    walk(schema, "")
    return keys


SCHEMA: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
KEYS = schema_keys(SCHEMA)


def load_labels() -> dict[str, Any]:
    text = LABELS_FILE.read_text(encoding="utf-8")
    strict = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    assert strict == yaml.safe_load(text)
    return strict


LABELS = load_labels()


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() == value and bool(value)


# --- the file's shape ---------------------------------------------------------------------------

def test_the_file_is_a_mapping_of_paths_to_labels() -> None:
    assert isinstance(LABELS, dict) and LABELS
    for path, entry in LABELS.items():
        assert isinstance(path, str), path
        assert isinstance(entry, dict), f"{path}: expected a mapping with id and en"
        assert set(entry) <= FIELDS, f"{path}: unknown fields {set(entry) - FIELDS}"


def test_the_walker_sees_the_whole_schema() -> None:
    """Guards the walk itself: $refs followed, list items under `[]`, bukti left out."""
    keys = KEYS
    assert "standar_pelayanan.penetapan.tanggal" in keys  # a $ref to $defs/tanggal
    assert keys["standar_pelayanan.penetapan.tanggal"].kind == "date"
    assert keys["standar_pelayanan.penetapan.tanggal"].description is None
    assert keys["periode.tanggal_penilaian"].description  # its own, beside the $ref
    assert "inovasi.daftar[].kompetisi.tingkat" in keys  # inside the items of a list
    assert "skm.tindak_lanjut.rencana[].laporan_pelaksanaan.tanggal" in keys
    assert keys["standar_pelayanan.komponen"].enum is not None  # an array of enum items
    assert keys["unit.cara_layanan"].enum == ("luring", "daring", "keduanya")
    assert not [p for p in keys if "bukti" in p.split(".")]
    assert len(keys) > 150


# --- both ways: every key labelled, every label a key ---------------------------------------------

def test_every_manifest_key_has_indonesian_and_english_labels() -> None:
    missing = sorted(set(KEYS) - set(LABELS))
    assert not missing, f"no labels in {LABELS_FILE.name} for: {missing}"
    for path in KEYS:
        entry = LABELS[path]
        assert _text(entry.get("id")), f"{path}: `id` must be non-empty text"
        assert _text(entry.get("en")), f"{path}: `en` must be non-empty text"


def test_every_label_names_a_manifest_key() -> None:
    unknown = sorted(set(LABELS) - set(KEYS))
    assert not unknown, f"{LABELS_FILE.name} names paths the schema does not have: {unknown}"


@pytest.mark.parametrize("path", sorted(KEYS))
def test_help_en_exactly_when_the_schema_describes_the_key(path: str) -> None:
    entry, key = LABELS.get(path, {}), KEYS[path]
    if key.description:
        assert _text(entry.get("help_en")), f"{path}: the schema describes it; give `help_en`"
    else:
        assert "help_en" not in entry, f"{path}: no description in the schema, so no help_en"


@pytest.mark.parametrize("path", sorted(KEYS))
def test_values_exactly_the_enum(path: str) -> None:
    entry, key = LABELS.get(path, {}), KEYS[path]
    if key.enum is None:
        assert "values" not in entry, f"{path}: not a choice, so no `values`"
        return
    values = entry.get("values")
    assert isinstance(values, dict), f"{path}: a choice; label every value under `values`"
    # YAML may read a code such as 1-4 as text and yes/no-like codes as booleans: compare as text
    assert [str(v) for v in values] == [str(v) for v in key.enum], \
        f"{path}: `values` must list exactly the schema's values, in its order"
    for code, label in values.items():
        assert isinstance(label, dict) and set(label) == {"id", "en"}, f"{path}: {code}"
        assert _text(label["id"]) and _text(label["en"]), f"{path}: {code}: empty label"


# --- house style the questionnaire relies on ---------------------------------------------------

@pytest.mark.parametrize("path", sorted(p for p, k in KEYS.items() if k.kind == "boolean"))
def test_a_yes_no_key_reads_as_a_question(path: str) -> None:
    entry = LABELS[path]
    assert entry["id"].startswith("Apakah ") and entry["id"].endswith("?"), path
    assert entry["en"].endswith("?") and entry["en"].split()[0] in {
        "Is", "Are", "Does", "Do", "Has", "Have", "Was", "Were", "Did", "Can"}, path


@pytest.mark.parametrize("path", sorted(p for p, k in KEYS.items() if k.kind == "date"))
def test_a_date_key_says_date(path: str) -> None:
    entry = LABELS[path]
    assert entry["id"].startswith("Tanggal "), path
    assert entry["en"].startswith("Date "), path


# --- the same codes say the same words as the rule files ---------------------------------------

def _join(prefix: str, path: str) -> str:
    return f"{prefix}.{path}" if prefix else path


def _scan(node: Any, prefix: str, among: dict[str, set[str]],
          compared: dict[str, set[str]]) -> None:
    """Collect, from a rule version's conditions, the manifest paths each element list counts
    (`count: {path, among}`) and the codes each path is compared with (contains, one_of,
    compare eq). Inside `where` of count/every, paths are relative to each list item."""
    if isinstance(node, list):
        for item in node:
            _scan(item, prefix, among, compared)
        return
    if not isinstance(node, dict):
        return
    for name, arg in node.items():
        if name in ("examples", "elements"):
            continue
        if name in ("count", "every") and isinstance(arg, dict) and "path" in arg:
            path = _join(prefix, arg["path"])
            if "among" in arg:
                among[arg["among"]].add(path)
            if "where" in arg:
                _scan(arg["where"], f"{path}[]", among, compared)
            _scan({k: v for k, v in arg.items() if k != "where"}, prefix, among, compared)
        elif name == "contains" and isinstance(arg, dict):
            codes = [arg["value"]] if "value" in arg else arg.get("any_of", [])
            compared[_join(prefix, arg["path"])].update(map(str, codes))
        elif name == "one_of" and isinstance(arg, dict):
            compared[_join(prefix, arg["path"])].update(map(str, arg.get("values", [])))
        elif name == "compare" and isinstance(arg, dict) and "eq" in arg:
            compared[_join(prefix, arg["path"])].add(str(arg["eq"]))
        else:
            _scan(arg, prefix, among, compared)


def rule_element_labels() -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(manifest path, code) -> the (id, en) labels rule element lists give it there."""
    found: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for file in sorted(RULES.rglob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
            continue
        for version in data["versions"]:
            among: dict[str, set[str]] = defaultdict(set)
            compared: dict[str, set[str]] = defaultdict(set)
            _scan(version, "", among, compared)
            for name, items in (version.get("elements") or {}).items():
                codes = {str(item["code"]) for item in items}
                paths = set(among.get(name, ()))
                for path, used in compared.items():
                    enum = KEYS[path].enum if path in KEYS else None
                    if enum and used & codes and codes <= {str(v) for v in enum}:
                        paths.add(path)
                for path in paths:
                    for item in items:
                        found[(path, str(item["code"]))].add(
                            (CITATION.sub("", item["id"]), CITATION.sub("", item["en"])))
    return found


RULE_LABELS = rule_element_labels()


def test_the_rule_scan_finds_the_element_lists() -> None:
    paths = {path for path, _ in RULE_LABELS}
    assert "standar_pelayanan.komponen" in paths  # count among komponen_sp (1.a.Ak, uu25.21)
    assert "inovasi.daftar[].dukungan.sumber_daya" in paths  # inside count … where
    assert "pengaduan.akuntabilitas.tahapan" in paths  # compared with contains, no `among`
    assert len({c for p, c in RULE_LABELS if p == "standar_pelayanan.komponen"}) == 14


@pytest.mark.parametrize(("path", "code"), sorted(
    (path, code) for path, code in RULE_LABELS
    if path in KEYS and code in map(str, KEYS[path].enum or ())))
def test_value_labels_agree_with_the_rules(path: str, code: str) -> None:
    values = {str(k): v for k, v in (LABELS.get(path, {}).get("values") or {}).items()}
    label = values.get(code, {})
    got = (label.get("id"), label.get("en"))
    assert got in RULE_LABELS[(path, code)], (
        f"{path}: {code}: labelled {got}; the rule files call it one of "
        f"{sorted(RULE_LABELS[(path, code)])}")


def _surveys(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("survey"), dict):
            yield node["survey"]
        for value in node.values():
            yield from _surveys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _surveys(value)


def test_survey_item_labels_agree_with_the_rulesets() -> None:
    """The per-item averages of a user survey carry the item's words from the ruleset."""
    checked = 0
    for file in sorted(RULES.glob("*/ruleset.yaml")):
        for survey in _surveys(yaml.safe_load(file.read_text(encoding="utf-8"))):
            for item in survey.get("items", ()):
                path = f"{survey['fact']}.rekap.butir.{item['code']}"
                if path not in KEYS:
                    continue
                assert item["id"] in LABELS[path]["id"], f"{path}: {item['id']!r} ({file.name})"
                assert item["en"] in LABELS[path]["en"], f"{path}: {item['en']!r} ({file.name})"
                checked += 1
    assert checked >= 14
