"""Text from the data never acts on the user's terminal: escape sequences, BEL, carriage
returns and bidi overrides are shown as visible escapes in text output and escaped in JSON."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import Run

from patuh.safetext import CONTROLS
from patuh.safetext import json_safe
from patuh.safetext import visible

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dpmptsp-kota-harapan"
HOSTILE = "Dinas \x1b[2J\x1b]0;pwned\x07 \u202eabc\u2066 \x9b31m\r\x08 Akhir"
RAW = ["\x1b", "\x07", "\u202e", "\u2066", "\x9b", "\r", "\x08"]


def assert_clean(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(char)
    assert not CONTROLS.search(text)


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    target = tmp_path / "unit"
    shutil.copytree(EXAMPLE, target)
    manifest = target / "manifest.yaml"
    data = yaml.safe_load(manifest.read_text("utf-8"))
    data["unit"]["nama"] = HOSTILE
    data["unit"]["kode"] = "kode-x"
    data["unit"]["instansi"] = HOSTILE
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return manifest


def test_visible_and_json_safe() -> None:
    assert visible("a\x1b[31mb\u202ec\td\ne") == "a\\x1b[31mb\\u202ec\td\ne"
    assert json.loads(json_safe(json.dumps({"x": HOSTILE}, ensure_ascii=False)))["x"] == HOSTILE
    assert_clean(json_safe(json.dumps({"x": HOSTILE}, ensure_ascii=False)))
    assert visible(visible(HOSTILE)) == visible(HOSTILE)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_output_is_clean(run: Callable[..., Run], unit: Path, fmt: str) -> None:
    result = run("check", unit, "--format", fmt, "--ruleset", "pekppp")
    assert result.code == 0, result.err
    assert_clean(result.out)
    assert_clean(result.err)
    if fmt == "text":
        assert "\\x1b[2J" in result.out and "\\u202e" in result.out
    else:
        assert json.loads(result.out)["unit"]["nama"] == HOSTILE  # the data itself is kept


def test_check_of_several_rulesets_and_files_are_clean(run: Callable[..., Run], unit: Path,
                                                       tmp_path: Path) -> None:
    for fmt in ("text", "json"):
        out = tmp_path / f"report.{fmt}"
        result = run("check", unit, "--format", fmt, "--ruleset", "all", "-o", out)
        assert result.code == 0, result.err
        assert_clean(out.read_text("utf-8"))


def test_batch_summaries_are_clean(run: Callable[..., Run], unit: Path,
                                   tmp_path: Path) -> None:
    result = run("batch", unit.parent, "--workers", "1")
    assert result.code == 0, result.err
    assert_clean(result.out)
    assert "\\x1b[2J" in result.out
    out = tmp_path / "out"
    result = run("batch", unit.parent, "--workers", "1", "-o", out, "--format", "text",
                 "--format", "json")
    assert result.code == 0, result.err
    for name in ("summary.txt", "summary.jsonl"):
        assert_clean((out / name).read_text("utf-8"))
    for report in out.glob("kode-*"):
        assert_clean(report.read_text("utf-8"))


def test_error_messages_are_clean(run: Callable[..., Run], tmp_path: Path) -> None:
    bad = tmp_path / "manifest.yaml"
    bad.write_text(f"schema_version: 1\n\"{HOSTILE.encode('unicode_escape').decode()}\": 1\n",
                   "utf-8")
    result = run("check", bad)
    assert result.code == 2
    assert_clean(result.err)
    result = run("check", tmp_path / "no\x1b[31mfile.yaml")
    assert result.code == 2
    assert_clean(result.err)
    result = run("predicate", "pekppp", "\x1b]0;x\x07")
    assert result.code == 2
    assert_clean(result.err)


def test_a_hostile_unit_in_the_history_is_clean(run: Callable[..., Run], unit: Path,
                                                tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert run("check", unit, "--ruleset", "pekppp", "--store", db).code == 0
    for fmt in ("text", "json"):
        result = run("history", "kode-x", "--store", db, "--format", fmt)
        assert result.code == 0, result.err
        assert_clean(result.out)
