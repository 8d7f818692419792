"""The ruleset cache: a hit gives the same ruleset; any change to a rule file is a miss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patuh import rulecache
from patuh.rulebook import ParsedFiles
from patuh.rulebook import load_ruleset_folder

ROOT = Path(__file__).resolve().parents[1]


def test_hit_and_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATUH_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "uu25"
    shutil.copytree(ROOT / "rules" / "uu25", folder)
    cached, key = rulecache.load(folder)
    assert cached is None and key
    parsed = ParsedFiles(folder)
    ruleset = load_ruleset_folder(folder, parsed)
    rulecache.store(key, parsed.seen)
    again, same_key = rulecache.load(folder)
    assert same_key == key
    assert again == parsed.seen
    assert load_ruleset_folder(folder, ParsedFiles(folder, again)) == ruleset
    rule = folder / "sarana" / "29.yaml"
    rule.write_text(rule.read_text("utf-8").replace("weight: 1", "weight: 2", 1), "utf-8")
    changed, new_key = rulecache.load(folder)
    assert changed is None and new_key != key


def test_off_switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATUH_NO_CACHE", "1")
    assert rulecache.load(ROOT / "rules" / "uu25") == (None, None)
    rulecache.store("x", object())  # no error, nothing written


def test_an_unwritable_cache_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PATUH_CACHE_DIR", str(blocker / "cache"))
    rulecache.store("k", {"a": 1})  # cannot create the folder: silently skipped
    assert rulecache.load(ROOT / "rules" / "uu25")[0] is None
