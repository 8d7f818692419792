"""Hostile input found by a red-team run: odd numbers and dates on the command line, odd paths
for every command, a history that a reading command must not change, rule cases with dates.
Each case: exit 2 (or 0) with a clear message, never an internal error, inputs unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINIMAL
from conftest import Run
from conftest import dump
from conftest import no_crash
from conftest import refused

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
LONG = "z" * 300  # longer than a file name may be (NAME_MAX 255)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- numbers and dates on the command line ---------------------------------------------------

@pytest.mark.parametrize("value", ["٣", "1_000", "0x10", "²", "4.5e", "--4"])
def test_a_score_is_written_in_ascii_digits(run: Callable[..., Run], value: str) -> None:
    refused(run("predicate", "pekppp", value, "--lang", "en"))


@pytest.mark.parametrize("value", ["4,51", "4.51", " 4.51 ", "+4.51", ".5"])
def test_plain_scores_still_work(run: Callable[..., Run], value: str) -> None:
    result = run("predicate", "pekppp", value, "--edition", "2022")
    assert result.code == 0, result.err


@pytest.mark.parametrize("value", ["20240630", "2024-6-30", "٢٠٢٤-٠٦-٣٠", "2024-06-30T00:00"])
def test_as_of_is_yyyy_mm_dd(tmp_path: Path, run: Callable[..., Run], value: str) -> None:
    refused(run("check", EXAMPLE / "manifest.yaml", "--as-of", value, "--lang", "en"),
            "is not an ISO date (YYYY-MM-DD)")


@pytest.mark.parametrize("value", ["nan", "NaN", "inf"])
def test_batch_timeout_must_be_a_number_of_seconds(tmp_path: Path, run: Callable[..., Run],
                                                   value: str) -> None:
    unit = tmp_path / "units" / "u"
    shutil.copytree(EXAMPLE, unit)
    refused(run("batch", tmp_path / "units", "--timeout", value), "--timeout")


@pytest.mark.parametrize(("name", "text"), [
    ("manifest.yaml", dump({**MINIMAL, "periode": {"tahun": 2024.0}})),
    ("manifest.json", json.dumps({**MINIMAL, "periode": {"tahun": 2.024e3}})),
])
def test_a_year_written_as_a_whole_float_is_a_year(tmp_path: Path, run: Callable[..., Run],
                                                   name: str, text: str) -> None:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    result = run("check", file, "--format", "json")
    no_crash(result)
    assert result.code == 0, result.err
    assert json.loads(result.out)["evaluated_on"] == "2024-12-31"


# --- paths -----------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("init", "{tmp}/" + LONG),
    ("rules", "diff", "pekppp@2022", "{tmp}/" + LONG),
    ("rules", "diff", LONG, "pekppp@2022"),
    ("rules", "impact", LONG, "pekppp@2022", str(EXAMPLE / "manifest.yaml")),
    ("rules", "test", "{tmp}/" + LONG),
    ("history", "x", "--store", "{tmp}/" + LONG),
])
def test_a_path_too_long_is_exit_2(tmp_path: Path, run: Callable[..., Run],
                                   args: tuple[str, ...]) -> None:
    refused(run(*(a.replace("{tmp}", str(tmp_path)) for a in args), "--lang", "en"))


def test_a_draft_folder_as_big_as_a_disk_is_refused_quickly(tmp_path: Path,
                                                             run: Callable[..., Run],
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from patuh import rulebook

    monkeypatch.setattr(rulebook, "MAX_FOLDER_ENTRIES", 50)
    draft = tmp_path / "draft"
    for index in range(60):
        (draft / f"d{index}").mkdir(parents=True)
    refused(run("rules", "diff", "pekppp@2022", draft, "--lang", "en"),
            "is not a ruleset or draft folder")


def test_o_and_store_on_one_file_are_refused_before_anything_is_written(
        tmp_path: Path, run: Callable[..., Run]) -> None:
    same = tmp_path / "same.sqlite"
    result = run("check", EXAMPLE / "manifest.yaml", "--store", same,
                 "-o", tmp_path / "." / "same.sqlite", "--lang", "en")
    refused(result, "-o and --store name the same file")
    assert not same.exists()


# --- a history is only read by `patuh history` -----------------------------------------------

def test_history_never_changes_an_empty_file(tmp_path: Path, run: Callable[..., Run]) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    refused(run("history", "x", "--store", empty, "--lang", "en"), "holds no patuh history")
    assert empty.read_bytes() == b""


@pytest.fixture
def stored(tmp_path: Path, run: Callable[..., Run]) -> Path:
    """A history holding the example's evaluation."""
    db = tmp_path / "riwayat.sqlite"
    assert run("check", EXAMPLE / "manifest.yaml", "--store", db).code == 0
    return db


def test_history_never_adds_its_tables_to_a_store(stored: Path,
                                                  run: Callable[..., Run]) -> None:
    db = stored
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE schema_version")
    con.close()
    before = digest(db)
    refused(run("history", "dpmptsp-kota-harapan", "--store", db, "--lang", "en"),
            "not a patuh history")
    assert digest(db) == before


def test_history_reads_a_store_without_changing_it(stored: Path,
                                                   run: Callable[..., Run]) -> None:
    db = stored
    before = digest(db)
    result = run("history", "dpmptsp-kota-harapan", "--store", db)
    assert result.code == 0, result.err
    assert digest(db) == before


def test_history_with_an_unknown_basis_names_the_column(stored: Path,
                                                        run: Callable[..., Run]) -> None:
    db = stored
    with sqlite3.connect(db) as con:
        con.execute("UPDATE evaluations SET basis = 'weird'")
    con.close()
    for fmt in ("text", "json"):
        refused(run("history", "dpmptsp-kota-harapan", "--store", db, "--format", fmt,
                    "--lang", "en"), "column basis holds 'weird'")


# --- rule cases ------------------------------------------------------------------------------

def test_rule_cases_may_carry_their_date(tmp_path: Path, run: Callable[..., Run]) -> None:
    folder = tmp_path / "pekppp"
    shutil.copytree(ROOT / "rules" / "pekppp", folder)
    (folder / "a_kebijakan" / "1.a.Ak.cases.yaml").write_text(
        'cases:\n- {name: kosong, as_of: "2024-01-01", facts: {}, level: 0, status: missing}\n'
        '- {name: tanggal salah, as_of: "2024-13-01", facts: {}, level: 0, status: missing}\n',
        encoding="utf-8")
    result = run("rules", "test", folder, "--lang", "en")
    refused(result, "1.a.Ak.cases.yaml:3")
    (folder / "a_kebijakan" / "1.a.Ak.cases.yaml").write_text(
        'cases:\n- {name: kosong, as_of: "2024-01-01", facts: {}, level: 0, status: missing}\n',
        encoding="utf-8")
    result = run("rules", "test", folder, "--lang", "en")
    assert result.code == 0, result.out + result.err  # the dated case runs, and passes


def test_a_verification_warning_names_the_ruleset_it_has_no_item_for(
        run: Callable[..., Run]) -> None:
    result = run("check", EXAMPLE / "manifest.yaml", "--ruleset", "pekppp", "--ruleset", "skm",
                 "--verification", ROOT / "examples" / "audit" / "verifikasi-dpmptsp.yaml",
                 "--lang", "en")
    assert result.code == 0, result.err
    assert "no verification item is for a rule of skm; the unit's claim is used" in result.err
    assert "of pekppp" not in result.err  # the file verifies PEKPPP rules: no warning for it
