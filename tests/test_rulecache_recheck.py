"""Data read from the ruleset cache is checked again as the ruleset is built: its conditions
by predicates compiled from the operators' argument schemas (``condition_ok``), which must
never say yes where ``check_condition`` finds an error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import stored_ruleset_copy

from patuh import manager
from patuh import rulebook
from patuh import rulecache
from patuh.errors import InputErrors
from patuh.rulebook import ParsedFiles
from patuh.rulebook import check_condition
from patuh.rulebook import condition_ok
from patuh.rulebook import load_ruleset_folder
from patuh.yamlio import Document

ROOT = Path(__file__).resolve().parents[1]


def conditions_of(files: dict[str, Any]) -> Iterator[Any]:
    """Every condition written in a ruleset's rule files (as the cache holds them)."""
    for name, data in files.items():
        if name == rulebook.RULESET_FILE:
            continue
        for version in data["versions"]:
            count = version.get("count") or {}
            for level in version.get("levels", ()):
                if "when" in level:
                    yield level["when"]
                if "min" in level and count:
                    yield rulebook._count_condition(count, level["min"])
            for block in (count, version.get("measure") or {}):
                if "requires" in block:
                    yield block["requires"]


def errors_of(condition: Any) -> list[Any]:
    doc = Document(Path("rule.yaml"), {}, {})
    return list(check_condition(doc, (), condition, manager.operators()))


@pytest.mark.parametrize("ruleset", sorted(rulebook.available()))
def test_every_bundled_condition_passes_the_predicates(ruleset: str) -> None:
    folder = rulebook.available()[ruleset]
    parsed = ParsedFiles(folder)
    load_ruleset_folder(folder, parsed)
    found = list(conditions_of(parsed.seen))
    assert found
    for condition in found:  # cross_check: jsonschema agrees with every yes
        assert condition_ok(condition, manager.operators(), cross_check=True), condition
        assert errors_of(condition) == []


BAD_ARGUMENTS = [None, 0, -1, 1.5, True, "", "Bad Path", "a.b", [], [{}], [1], {}, {"x": 1},
                 {"path": "a"}, {"path": 1}, {"path": "a", "ge": -1}, {"path": "a", "eq": "x"},
                 {"path": "a", "ge": 1, "le": 2}, {"path": "a", "among": 3, "ge": 1},
                 {"path": "a", "where": {}, "ge": 1}, [{"no_such_operator": 1}],
                 [{"exists": "a"}, {"exists": 5}], {"exists": "a"}]


@pytest.mark.parametrize("name", sorted(manager.operators()))
def test_the_predicates_never_accept_what_the_check_refuses(name: str) -> None:
    ops = manager.operators()
    said_no = 0
    for argument in BAD_ARGUMENTS:
        condition = {name: argument}
        ok = condition_ok(condition, ops, cross_check=True)
        errors = errors_of(condition)
        assert not (ok and errors), (condition, errors)
        said_no += not ok
    assert said_no  # some of these are wrong for every operator


@pytest.mark.parametrize("condition", [
    "exists", ["exists"], {}, {"label": "x"}, {"label": "x", "exists": "a", "absent": "a"},
    {"no_such_operator": "a"}, {"exists": "a", "absent": "a"}])
def test_a_condition_not_of_one_known_operator_is_refused(condition: Any) -> None:
    assert not condition_ok(condition, manager.operators())
    assert errors_of(condition)


def test_a_label_beside_the_operator_is_allowed() -> None:
    condition = {"label": "ada", "exists": "a"}
    assert condition_ok(condition, manager.operators()) and errors_of(condition) == []


def forge(path: Path, change: Any) -> None:
    """Change the first condition of the cached entry at ``path``, with a matching digest
    (what someone who can write the cache can do)."""
    entry = json.loads(path.read_text("utf-8"))
    for name, data in entry["files"].items():
        if name == rulebook.RULESET_FILE:
            continue
        for version in data["versions"]:
            for level in version.get("levels", ()):
                if "when" in level:
                    level["when"] = change
                    entry["digest"] = rulecache.digest_of(entry["files"])
                    path.write_text(json.dumps(entry, ensure_ascii=False), "utf-8")
                    return
    raise AssertionError("no condition to forge")


@pytest.mark.parametrize("change", [{"compare": {"path": "a", "nonsense": 1}},
                                    {"no_such_operator": 1}, {"all": []}, "exists"])
def test_a_forged_condition_in_the_cache_is_refused(ruleset_cache: Path, tmp_path: Path,
                                                    change: Any) -> None:
    folder, key, _parsed = stored_ruleset_copy(tmp_path)
    forge(ruleset_cache / f"{key}.json", change)
    cached, _ = rulecache.load(folder)
    assert cached is not None  # the digest matches: only the check can refuse it
    with pytest.raises(InputErrors):
        load_ruleset_folder(folder, ParsedFiles(folder, cached))


def test_load_ruleset_reads_the_files_again_past_a_forged_condition(ruleset_cache: Path) -> None:
    first = rulebook.load_ruleset("uu25")
    rulebook.load_ruleset.cache_clear()
    folder = rulebook.available()["uu25"]
    _, key = rulecache.load(folder)
    path = ruleset_cache / f"{key}.json"
    good = path.read_bytes()
    forge(path, {"compare": {"path": "a", "nonsense": 1}})
    assert rulebook.load_ruleset("uu25") == first
    assert path.read_bytes() == good  # rebuilt from the files
