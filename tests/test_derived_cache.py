"""SKM facts computed from an answer file are kept in the cache folder for the next process:
the same facts, byte for byte the same report; a changed file, argument or setting, or a
damaged entry, is computed again; a stale entry is never read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest

from patuh.manifest import load_manifest
from patuh.plugins import skm
from patuh.plugins import tables

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dpmptsp-kota-harapan"
ANSWERS = "skm/jawaban-skm-2024.csv"
OLD = time.time() - 3600  # a modification time well before any read (not "racy")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("PATUH_CACHE_DIR", str(where))
    monkeypatch.delenv("PATUH_NO_CACHE", raising=False)
    return where


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    real = skm.compute

    def spy(file: Path, **kwargs: object) -> dict:
        names.append(file.name)
        return real(file, **kwargs)

    monkeypatch.setattr(skm, "compute", spy)
    return names


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process has: nothing read in this one."""
    monkeypatch.setattr(tables, "_MEMO", {})
    monkeypatch.setattr(tables, "_DIGESTS", {})


def _unit(tmp_path: Path) -> Path:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    os.utime(unit / ANSWERS, (OLD, OLD))
    return unit / "manifest.yaml"


def _skm_facts(manifest_file: Path) -> dict:
    manifest = load_manifest(manifest_file)
    return manifest.facts(manifest.as_of(None)[0])["skm"]["hasil"]


def test_the_next_process_reads_the_kept_facts(tmp_path: Path, cache: Path,
                                               computed: list[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    manifest_file = _unit(tmp_path)
    first = _skm_facts(manifest_file)
    assert computed == ["jawaban-skm-2024.csv"]
    assert len(list((cache / "derived").iterdir())) == 1
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
        tmp_path: Path, cache: Path, computed: list[str],
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
    assert len(list((cache / "derived").iterdir())) == 1  # replaced, not added
    _new_process(monkeypatch)
    assert _skm_facts(manifest_file) == second
    assert len(computed) == 2


def test_another_argument_or_setting_is_computed_again(tmp_path: Path, cache: Path,
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
def test_a_damaged_or_forged_entry_is_ignored(tmp_path: Path, cache: Path, computed: list[str],
                                              monkeypatch: pytest.MonkeyPatch,
                                              damage: str) -> None:
    manifest_file = _unit(tmp_path)
    first = _skm_facts(manifest_file)
    [entry_file] = (cache / "derived").iterdir()
    raw = entry_file.read_text(encoding="utf-8")
    entry = json.loads(raw)
    if damage == "truncate":
        entry_file.write_text(raw[: len(raw) // 2], encoding="utf-8")
    elif damage == "forge_value":  # a value changed without its digest
        entry["value"]["respondents"] = 1
        entry_file.write_text(json.dumps(entry), encoding="utf-8")
    elif damage == "other_key":
        entry["key"] = "0" * 64
        entry_file.write_text(json.dumps(entry), encoding="utf-8")
    else:
        entry_file.write_bytes(b"\xff\x00")
    _new_process(monkeypatch)
    assert _skm_facts(manifest_file) == first
    assert len(computed) == 2


def test_only_plain_data_is_kept(tmp_path: Path, cache: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "data.csv"
    file.write_text("x")
    os.utime(file, (OLD, OLD))
    calls: list[str] = []

    @tables.persistent
    def read(path: Path, kind: str) -> dict:
        calls.append(kind)
        values = {"fraction": Fraction(1, 3), "tuple": (1, 2), "nan": float("nan"),
                  "plain": [1, 2.5, "x", None, True]}
        return {"value": values[kind]}

    for kind in ("fraction", "tuple", "nan", "plain"):
        tables.memo_read(file, read, kind)
    names = list((cache / "derived").iterdir()) if (cache / "derived").exists() else []
    assert len(names) == 1  # the plain one
    _new_process(monkeypatch)
    for kind in ("fraction", "tuple", "nan", "plain"):
        value = tables.memo_read(file, read, kind)
        assert type(value["value"]) is {"fraction": Fraction, "tuple": tuple, "nan": float,
                                        "plain": list}[kind]
    assert calls == ["fraction", "tuple", "nan", "plain", "fraction", "tuple", "nan"]


def test_cold_reports_are_byte_for_byte_the_same(tmp_path: Path) -> None:
    manifest_file = _unit(tmp_path)
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
