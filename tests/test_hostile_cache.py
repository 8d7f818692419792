"""A hostile or damaged ruleset cache is ignored and rebuilt; reading it never runs code."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

from patuh import rulebook
from patuh import rulecache
from patuh.rulebook import ParsedFiles
from patuh.rulebook import load_ruleset_folder

ROOT = Path(__file__).resolve().parents[1]


def entry_of(folder: Path) -> tuple[Path, str]:
    _, key = rulecache.load(folder)
    assert key
    return rulecache.cache_dir() / f"{key}.json", key  # type: ignore[operator]


class Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, ("import pathlib; pathlib.Path(__import__('os').environ["
                       "'PATUH_CACHE_DIR'], 'PWNED').write_text('ran')",))


def test_a_pickle_payload_in_the_cache_never_runs(ruleset_cache: Path) -> None:
    folder = rulebook.available()["uu25"]
    path, key = entry_of(folder)
    ruleset_cache.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(Boom())
    path.write_bytes(payload)
    (ruleset_cache / f"{key}.pickle").write_bytes(payload)  # the old entry name, too
    ruleset = rulebook.load_ruleset("uu25")
    assert ruleset.id == "uu25" and ruleset.rules
    assert not (ruleset_cache / "PWNED").exists()
    assert json.loads(path.read_text("utf-8"))["key"] == key  # rebuilt as JSON


@pytest.mark.parametrize("damage", ["truncated", "not_json", "wrong_type", "wrong_key",
                                    "tampered", "bad_data", "symlink"])
def test_a_damaged_entry_is_ignored_and_rebuilt(ruleset_cache: Path, damage: str,
                                                tmp_path: Path) -> None:
    folder = tmp_path / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    path, key = entry_of(folder)
    parsed = ParsedFiles(folder)
    expected = load_ruleset_folder(folder, parsed)
    rulecache.store(key, parsed.seen)
    good = json.loads(path.read_text("utf-8"))
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "not_json":
        path.write_bytes(b"\x80\x04\x95garbage")
    elif damage == "wrong_type":
        path.write_text(json.dumps([1, 2, 3]), "utf-8")
    elif damage == "wrong_key":
        path.write_text(json.dumps({**good, "key": "0" * 64}), "utf-8")
    elif damage == "tampered":  # data changed, digest left: refused
        good["files"]["ruleset.yaml"]["title"] = "forged"
        path.write_text(json.dumps(good), "utf-8")
    elif damage == "bad_data":  # data changed with a matching digest: rebuilt, not a crash
        good["files"]["ruleset.yaml"] = ["not", "a", "mapping"]
        good["digest"] = rulecache._digest(good["files"])
        path.write_text(json.dumps(good), "utf-8")
    elif damage == "symlink":
        target = tmp_path / "elsewhere.json"
        target.write_text(json.dumps(good), "utf-8")
        path.unlink()
        path.symlink_to(target)
    cached, _ = rulecache.load(folder)
    if damage != "bad_data":
        assert cached is None
    # what patuh does with it: the same ruleset as from the files
    try:
        ruleset = load_ruleset_folder(folder, ParsedFiles(folder, cached)) if cached else None
    except Exception:
        ruleset = None
    assert ruleset is None or ruleset == expected


def test_load_ruleset_survives_bad_cached_data(ruleset_cache: Path) -> None:
    folder = rulebook.available()["uu25"]
    path, key = entry_of(folder)
    files = {"ruleset.yaml": {"id": 5}}
    ruleset_cache.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format": rulecache.FORMAT, "key": key, "files": files,
                                "digest": rulecache._digest(files)}), "utf-8")
    ruleset = rulebook.load_ruleset("uu25")
    assert ruleset.id == "uu25" and len(ruleset.rules) > 5
    assert json.loads(path.read_text("utf-8"))["files"]["ruleset.yaml"]["id"] == "uu25"


def test_a_cache_hit_builds_the_same_ruleset(ruleset_cache: Path) -> None:
    first = rulebook.load_ruleset("pekppp")
    rulebook.load_ruleset.cache_clear()
    folder = rulebook.available()["pekppp"]
    assert rulecache.load(folder)[0] is not None
    assert rulebook.load_ruleset("pekppp") == first


def test_a_cache_hit_keeps_the_order_of_keys(ruleset_cache: Path) -> None:
    """Reports and the rule docs list options in file order: the cache must keep it."""
    first = rulebook.load_ruleset("ombudsman")
    rulebook.load_ruleset.cache_clear()
    again = rulebook.load_ruleset("ombudsman")
    assert rulecache.load(rulebook.available()["ombudsman"])[0] is not None

    def order(value: object) -> object:
        if isinstance(value, dict):
            return [(k, order(v)) for k, v in value.items()]
        if isinstance(value, list):
            return [order(v) for v in value]
        return value

    assert order(again.raw) == order(first.raw)
    assert [order(r.versions[0].raw) for r in again.rules] == \
        [order(r.versions[0].raw) for r in first.rules]
