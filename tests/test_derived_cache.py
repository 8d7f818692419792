"""Facts computed from data files (SKM, survey and interview answers) are kept in the cache
folder for the next process: the same facts of the same types, byte for byte the same report;
a changed file, argument or setting, or a damaged entry, is computed again; a stale entry is
never read."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from patuh import Text
from patuh.manifest import load_manifest
from patuh.plugins import tables

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dpmptsp-kota-harapan"
ANSWERS = "skm/jawaban-skm-2024.csv"
OLD = time.time() - 3600  # a modification time well before any read (not "racy")


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process has: nothing read in this one."""
    monkeypatch.setattr(tables, "_MEMO", {})
    monkeypatch.setattr(tables, "_DIGESTS", {})


def _unit(tmp_path: Path) -> Path:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    os.utime(unit / ANSWERS, (OLD, OLD))
    return unit / "manifest.yaml"


def _facts(manifest_file: Path) -> dict:
    manifest = load_manifest(manifest_file)
    return manifest.facts(manifest.as_of(None)[0])


def _skm_facts(manifest_file: Path) -> dict:
    return _facts(manifest_file)["skm"]["hasil"]


def _typed(value: object) -> object:
    """The value with the type of every part (and the order of keys) spelt out."""
    if isinstance(value, dict):
        return [type(value).__name__, [(key, _typed(item)) for key, item in value.items()]]
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [_typed(item) for item in value]]
    return [type(value).__name__, repr(value)]


def _entries(patuh_cache: Path) -> list[Path]:
    return sorted((patuh_cache / "derived").glob("*.json"))  # not the .pruned stamp


def test_every_derived_fact_comes_back_the_same(tmp_path: Path, patuh_cache: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    manifest_file = _unit(tmp_path)
    first = _facts(manifest_file)
    assert len(_entries(patuh_cache)) == 3  # SKM, survey, interviews: not the complaint log's cases
    kept = "".join(entry.read_text(encoding="utf-8") for entry in _entries(patuh_cache))
    assert "Status berkas OSS" not in kept and first["pengaduan"]["log"]["kasus"]
    _new_process(monkeypatch)
    monkeypatch.setattr(tables, "_PERSISTENT", set(tables._PERSISTENT))
    read: list[str] = []
    for reader in list(tables._PERSISTENT):  # none of them is called: all are read back

        def spy(*args: object, _real=reader) -> object:
            read.append(_real.__name__)
            return _real(*args)

        spy.__module__, spy.__qualname__ = reader.__module__, reader.__qualname__
        tables._PERSISTENT.add(spy)
        monkeypatch.setattr(sys.modules[reader.__module__], reader.__name__, spy)
    second = _facts(manifest_file)
    assert read == []
    assert _typed(second) == _typed(first)
    monkeypatch.undo()
    monkeypatch.setenv("PATUH_NO_CACHE", "1")
    _new_process(monkeypatch)
    assert _typed(_facts(manifest_file)) == _typed(first)


def test_the_next_process_reads_the_kept_facts(tmp_path: Path, patuh_cache: Path,
                                               computed: list[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    manifest_file = _unit(tmp_path)
    first = _skm_facts(manifest_file)
    assert computed == ["jawaban-skm-2024.csv"]
    assert len(_entries(patuh_cache)) == 3
    _new_process(monkeypatch)
    second = _skm_facts(manifest_file)
    assert computed == ["jawaban-skm-2024.csv"]  # not computed again
    assert second == first
    assert {k: type(v) for k, v in second.items()} == {k: type(v) for k, v in first.items()}
    monkeypatch.setenv("PATUH_NO_CACHE", "1")
    _new_process(monkeypatch)
    assert _skm_facts(manifest_file) == first
    assert len(computed) == 2


def test_a_changed_file_is_computed_again_and_replaces_its_entry(
        tmp_path: Path, patuh_cache: Path, computed: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    manifest_file = _unit(tmp_path)
    first = _skm_facts(manifest_file)
    answers = manifest_file.parent / ANSWERS
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    answers.write_text("".join(lines[:-100]), encoding="utf-8")
    os.utime(answers, (OLD, OLD))  # even with the old time put back
    _new_process(monkeypatch)
    second = _skm_facts(manifest_file)
    assert computed == ["jawaban-skm-2024.csv"] * 2
    assert second["responden"] == first["responden"] - 100
    assert len(_entries(patuh_cache)) == 3  # replaced, not added
    _new_process(monkeypatch)
    assert _skm_facts(manifest_file) == second
    assert len(computed) == 2


def test_another_argument_or_setting_is_computed_again(tmp_path: Path, patuh_cache: Path,
                                                       computed: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    manifest_file = _unit(tmp_path)
    first = _skm_facts(manifest_file)
    text = manifest_file.read_text(encoding="utf-8")
    manifest_file.write_text(text.replace("populasi: 9870", "populasi: 100"), encoding="utf-8")
    _new_process(monkeypatch)
    second = _skm_facts(manifest_file)
    assert len(computed) == 2
    assert second["sampel_minimum"] != first["sampel_minimum"]
    monkeypatch.setenv("PATUH_MAX_DATA_ROWS", "10")
    _new_process(monkeypatch)
    with pytest.raises(Exception, match="10"):
        _skm_facts(manifest_file)


@pytest.mark.parametrize("damage", ["truncate", "forge_value", "other_key", "not_json"])
def test_a_damaged_or_forged_entry_is_ignored(tmp_path: Path, patuh_cache: Path,
                                              computed: list[str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              damage: str) -> None:
    manifest_file = _unit(tmp_path)
    first = _skm_facts(manifest_file)
    for entry_file in _entries(patuh_cache):
        raw = entry_file.read_text(encoding="utf-8")
        entry = json.loads(raw)
        if damage == "truncate":
            entry_file.write_text(raw[: len(raw) // 2], encoding="utf-8")
        elif damage == "forge_value":  # a value changed without its digest
            entry["value"].append("forged")
            entry_file.write_text(json.dumps(entry), encoding="utf-8")
        elif damage == "other_key":
            entry["key"] = "0" * 64
            entry_file.write_text(json.dumps(entry), encoding="utf-8")
        else:
            entry_file.write_bytes(b"\xff\x00")
    _new_process(monkeypatch)
    assert _skm_facts(manifest_file) == first
    assert len(computed) == 2


class Label(str):
    pass


KEPT = {"fraction": Fraction(-7, 3), "tuple": (1, ("a", 2.5)), "text": Text("ya", "yes"),
        "nested": {"b": [None, True, 0, -0.0, 1e300, "\x00\u202e"], "a": {"": []}},
        "list_of_lists": [["D", {}], ["F", 1, 2]]}  # looks like tags: still comes back as is
NOT_KEPT = {"nan": float("nan"), "date": date(2024, 1, 2), "set": {1}, "subclass": Label("x"),
            "int_keys": {1: "a"}, "bytes": b"x"}


@pytest.mark.parametrize("kind", [*KEPT, *NOT_KEPT])
def test_what_is_kept_comes_back_with_its_types(tmp_path: Path, patuh_cache: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                kind: str) -> None:
    file = tmp_path / "data.csv"
    file.write_text("x")
    os.utime(file, (OLD, OLD))
    calls: list[str] = []

    @tables.persistent
    def read(path: Path, kind: str) -> dict:
        calls.append(kind)
        return {"value": {**KEPT, **NOT_KEPT}[kind]}

    first = tables.memo_read(file, read, kind)
    _new_process(monkeypatch)
    second = tables.memo_read(file, read, kind)
    if kind == "nan":
        assert math.isnan(second["value"])
    else:
        assert _typed(second) == _typed(first)
    assert len(calls) == (1 if kind in KEPT else 2)
    assert (patuh_cache / "derived").exists() == (kind in KEPT)


@pytest.mark.parametrize("example", ["dpmptsp-kota-harapan", "puskesmas-sukamaju"])
def test_cold_reports_are_byte_for_byte_the_same(tmp_path: Path, example: str) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE.parent / example, unit)
    for data in unit.rglob("*"):
        if data.is_file():
            os.utime(data, (OLD, OLD))
    manifest_file = unit / "manifest.yaml"
    env = {**os.environ, "PATUH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PATUH_NO_CACHE", None)
    command = [sys.executable, "-m", "patuh", "check", str(manifest_file), "--ruleset", "pekppp",
               "--format", "json"]

    def run(**extra: str) -> bytes:
        done = subprocess.run(command, env={**env, **extra}, capture_output=True, timeout=120)
        assert done.returncode in (0, 1), done.stderr
        return done.stdout

    uncached = run(PATUH_NO_CACHE="1")
    assert run() == uncached  # computes and keeps
    assert list((tmp_path / "cache" / "derived").iterdir())
    assert run() == uncached  # reads what was kept


def test_kept_skm_facts_need_no_skm_ruleset(tmp_path: Path, patuh_cache: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from patuh import rulebook

    manifest_file = _unit(tmp_path)
    first = _skm_facts(manifest_file)
    _new_process(monkeypatch)
    loaded: list[str] = []
    real = rulebook.load_ruleset

    def spy(ruleset_id: str) -> object:
        loaded.append(ruleset_id)
        return real(ruleset_id)

    monkeypatch.setattr(rulebook, "load_ruleset", spy)
    assert _skm_facts(manifest_file) == first
    assert "skm" not in loaded


def test_a_workbook_is_kept_under_the_installed_readers(tmp_path: Path, patuh_cache: Path,
                                                        computed: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from patuh import manager

    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE.parent / "puskesmas-sukamaju", unit)
    os.utime(unit / "skm" / "jawaban-skm-2024.xlsx", (OLD, OLD))
    manifest_file = unit / "manifest.yaml"
    calls = computed
    first = _skm_facts(manifest_file)
    _new_process(monkeypatch)
    assert _skm_facts(manifest_file) == first
    assert calls == ["jawaban-skm-2024.xlsx"]
    # another version of python-calamine or openpyxl installed: read again
    monkeypatch.setattr(manager, "installed_key", lambda: "another install")
    _new_process(monkeypatch)
    assert _skm_facts(manifest_file) == first
    assert len(calls) == 2
    monkeypatch.setattr(manager, "installed_key", lambda: None)  # unknown: never kept
    _new_process(monkeypatch)
    _skm_facts(manifest_file)
    _new_process(monkeypatch)
    _skm_facts(manifest_file)
    assert len(calls) == 4
