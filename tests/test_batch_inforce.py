"""Rulesets not in force: with several rulesets asked for (`--ruleset all` or repeated), one
with no complete edition for the unit's date is skipped with a note, not an error; named
alone it stays exit 2 with the reason."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from patuh.cli import cli  # noqa: F401 - wires the commands

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "examples" / "dpmptsp-kota-harapan" / "manifest.yaml"
LATE = "2025-06-01"  # no Ombudsman instrument was published for the 2025 round


def test_check_all_skips_a_ruleset_not_in_force(run) -> None:
    result = run("check", UNIT, "--ruleset", "all", "--as-of", LATE, "--format", "json")
    assert result.code == 0, result.err
    bundle = json.loads(result.out)
    ids = [r["ruleset"]["id"] for r in bundle["reports"]]
    assert "ombudsman" not in ids and "pekppp" in ids
    assert [s["ruleset"] for s in bundle["skipped"]] == ["ombudsman"]
    assert "2025-06-01" in bundle["skipped"][0]["reason"]["en"]
    assert "ombudsman skipped (not in force)" not in result.out
    assert "ombudsman dilewati (tidak berlaku)" in result.err


def test_check_text_report_carries_the_note(run) -> None:
    result = run("check", UNIT, "--ruleset", "ombudsman", "--ruleset", "pekppp",
                 "--as-of", LATE, "--lang", "en")
    assert result.code == 0, result.err
    assert "ombudsman skipped (not in force)" in result.out


def test_check_all_in_force_has_no_skipped_key(run) -> None:
    result = run("check", UNIT, "--ruleset", "all", "--as-of", "2024-10-21", "--format", "json")
    assert result.code == 0, result.err
    bundle = json.loads(result.out)
    assert "skipped" not in bundle
    assert "ombudsman" in [r["ruleset"]["id"] for r in bundle["reports"]]


def test_named_alone_it_stays_an_error(run) -> None:
    result = run("check", UNIT, "--ruleset", "ombudsman", "--as-of", LATE)
    assert result.code == 2
    assert "2025-06-01" in result.err and "--edition" in result.err


def test_pinned_edition_is_not_skipped(run) -> None:
    """With --edition the user chose: a ruleset without it is an error, as before."""
    result = run("check", UNIT, "--ruleset", "all", "--as-of", LATE, "--edition", "2021")
    assert result.code == 2


def test_every_ruleset_skipped_is_exit_2(run) -> None:
    result = run("check", UNIT, "--ruleset", "ombudsman", "--ruleset", "ombudsman",
                 "--ruleset", "pekppp", "--as-of", "2010-01-01", "--lang", "en")
    assert result.code == 2
    assert "no ruleset is in force" in result.err
    assert "ombudsman:" in result.err and "pekppp:" in result.err


def test_batch_skips_without_error_rows(run, tmp_path: Path) -> None:
    units = tmp_path / "units"
    for name in ("dpmptsp-kota-harapan", "puskesmas-sukamaju"):
        shutil.copytree(ROOT / "examples" / name, units / name, symlinks=True)
    out = tmp_path / "out"
    result = run("batch", units, "--ruleset", "all", "--as-of", LATE, "--workers", "1",
                 "-o", out, "--format", "json", "--format", "html", "--lang", "en")
    assert result.code == 0, result.err
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    skipped = [r for r in rows if r["ruleset"] == "ombudsman"]
    assert len(skipped) == 2
    assert all(r["status"] == "skipped" and not r["error"] and LATE in r["note"]
               for r in skipped)
    assert all(r["status"] == "ok" for r in rows if r["ruleset"] != "ombudsman")
    text = (out / "summary.txt").read_text("utf-8")
    assert "2 skipped (ruleset not in force)" in text and "0 failed" in text
    page = (out / "summary.html").read_text("utf-8")
    assert "skipped (not in force)" in page
    assert '<a href="dpmptsp-kota-harapan.pekppp.html">' in page
    assert (out / "dpmptsp-kota-harapan.pekppp.html").is_file()
    assert not list(out.glob("*.ombudsman.*"))


def test_batch_ruleset_named_alone_is_an_error_row(run, tmp_path: Path) -> None:
    units = tmp_path / "units"
    shutil.copytree(ROOT / "examples" / "dpmptsp-kota-harapan", units / "a", symlinks=True)
    result = run("batch", units, "--ruleset", "ombudsman", "--as-of", LATE, "--workers", "1")
    assert result.code == 2
    assert "kesalahan" in result.out
