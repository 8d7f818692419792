"""A history store edited outside patuh (text in number columns, a text schema_version) is
exit 2 with a clear message, never an internal error."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dpmptsp-kota-harapan"


@pytest.fixture
def store(run: Callable[..., Run], tmp_path: Path) -> Path:
    unit = tmp_path / "unit"
    shutil.copytree(EXAMPLE, unit)
    db = tmp_path / "riwayat.sqlite"
    for as_of in ("2023-12-31", "2024-12-31"):
        result = run("check", unit / "manifest.yaml", "--ruleset", "pekppp", "--as-of", as_of,
                     "--store", db)
        assert result.code == 0, result.err
    return db


def history(run: Callable[..., Run], db: Path, *extra: str) -> Run:
    with sqlite3.connect(db) as conn:
        unit = conn.execute("SELECT unit_key FROM evaluations LIMIT 1").fetchone()[0]
        periods = sorted({r[0] for r in conn.execute("SELECT period FROM evaluations")})
    if extra[-1:] == ("--compare",):
        extra = (*extra, *(str(p) for p in (periods * 2)[:2]))
    return run("history", unit, "--store", db, "--lang", "en", *extra)


@pytest.mark.parametrize("sql", [
    "UPDATE evaluations SET final = 'lots'",
    "UPDATE evaluations SET places = 'two'",
    "UPDATE evaluations SET places = 100000000",
    "UPDATE evaluations SET period = 'tahun ini'",
    "UPDATE evaluations SET waivers = x'00ff'",
    "UPDATE evaluations SET unit_nama = x'00'",
    "UPDATE results SET score = 'high'",
    "UPDATE results SET level = 'five'",
])
@pytest.mark.parametrize("mode", [(), ("--compare",), ("--format", "json")])
def test_wrong_types_in_the_store_are_exit_2(run: Callable[..., Run], store: Path, sql: str,
                                             mode: tuple[str, ...]) -> None:
    before_unit = None
    with sqlite3.connect(store) as conn:
        before_unit = conn.execute("SELECT unit_key FROM evaluations LIMIT 1").fetchone()[0]
        conn.execute(sql)
    assert before_unit
    if "period" in sql and "--compare" in mode:
        mode = ("--compare", "2024", "2023")
    result = history(run, store, "--ruleset", "pekppp", *mode)
    assert "Traceback" not in result.err and "internal error" not in result.err
    read = "evaluations" in sql or "--compare" in mode  # plain history reads only counts
    if read:
        assert result.code == 2, (result.code, result.err)
        assert "column" in result.err and "changed outside patuh" in result.err
    else:
        assert result.code == 0, result.err


def test_a_text_schema_version_is_exit_2(run: Callable[..., Run], store: Path,
                                         tmp_path: Path) -> None:
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE schema_version SET version = 'one'")
    result = history(run, store)
    assert result.code == 2, result.err
    assert "schema_version" in result.err and "'one'" in result.err
    manifest = tmp_path / "unit" / "manifest.yaml"
    result = run("check", manifest, "--ruleset", "pekppp", "--store", store, "--lang", "en")
    assert result.code == 2 and "schema_version" in result.err, result.err
