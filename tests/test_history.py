"""Evaluation history: two periods of the DPMPTSP unit stored in SQLite, the trend, a
comparison (one indicator rose, one fell), idempotent storing, and evaluations under another
edition or other rule files flagged rather than mixed."""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from patuh.errors import InputError
from patuh.history import compare
from patuh.history import history
from patuh.history import history_command
from patuh.history import render_compare
from patuh.history import render_history
from patuh.history import store
from patuh.manifest import load_manifest
from patuh.report import build_report
from patuh.rulebook import load_ruleset

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dpmptsp-kota-harapan"
KODE = "dpmptsp-kota-harapan"
NAMA = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Harapan"


def _edit(manifest: Path, old: str, new: str) -> None:
    text = manifest.read_text("utf-8")
    assert old in text, old
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """The example as it is (2024) and a copy for 2025 where the FKP gained the mass media
    (2.a.P 4 → 5) and the survey results lost one medium (7.a.T 4 → 3)."""
    base = tmp_path_factory.mktemp("units")
    ruleset = load_ruleset("pekppp")
    first = build_report(load_manifest(EXAMPLE / "manifest.yaml"), ruleset)
    later = base / "2025"
    shutil.copytree(EXAMPLE, later)
    manifest = later / "manifest.yaml"
    _edit(manifest, '  tahun: 2024\n  tanggal_penilaian: "2024-10-21"',
          '  tahun: 2025\n  tanggal_penilaian: "2025-10-20"')
    _edit(manifest, "organisasi_masyarakat]", "organisasi_masyarakat, media_massa]")
    _edit(manifest, "    media: [cetak, elektronik, media_sosial, website]\n",
          "    media: [cetak, elektronik, website]\n")
    second = build_report(load_manifest(manifest), ruleset)
    return first, second


@pytest.fixture
def db(tmp_path: Path, reports) -> Path:
    path = tmp_path / "riwayat" / "patuh.sqlite"
    first, second = reports
    assert store(path, first) == "added"
    assert store(path, second) == "added"
    return path


def _count(db: Path, table: str) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_trend_oldest_first(db: Path, reports) -> None:
    first, second = reports
    rows = history(db, KODE)
    assert [(r["period"], r["evaluated_on"], r["ruleset"], r["edition"], r["basis"])
            for r in rows] == [(2024, "2024-10-21", "pekppp", "2022", "self"),
                               (2025, "2025-10-20", "pekppp", "2022", "self")]
    assert [r["final"] for r in rows] == [first["score"]["final"], second["score"]["final"]]
    assert rows[0]["delta"] is None
    assert rows[1]["delta"] == round(second["score"]["final"] - first["score"]["final"], 2)
    assert rows[0]["predicate"]["code"] == first["predicate"]["code"]
    assert sum(rows[0]["counts"].values()) == len(first["results"])
    assert not rows[1]["edition_changed"] and not rows[1]["rules_changed"]
    assert history(db, NAMA) == rows  # by nama as well as by kode
    text = render_history(rows)
    assert text.startswith(f"Riwayat: {NAMA} ({KODE})\n")
    delta = f"{rows[1]['delta']:+g}"
    assert "2025     2025-10-20  2022" in text and delta.replace(".", ",") in text
    assert f"{rows[1]['final']:.2f}".replace(".", ",") in text  # numbers as Indonesians write
    english = render_history(rows, "en")
    assert "period" in english and delta in english


def test_storing_the_same_evaluation_twice_changes_nothing(db: Path, reports) -> None:
    first, _ = reports
    evaluations, results = _count(db, "evaluations"), _count(db, "results")
    assert store(db, first) == "unchanged"
    assert store(db, json.loads(json.dumps(first))) == "unchanged"  # as read from --format json
    assert (_count(db, "evaluations"), _count(db, "results")) == (evaluations, results)
    # the same key with other content (e.g. rules fixed within the edition) replaces the row
    changed = copy.deepcopy(first)
    changed["digests"]["rules"] = "f" * 64
    assert store(db, changed) == "replaced"
    assert (_count(db, "evaluations"), _count(db, "results")) == (evaluations, results)


def test_compare_lists_what_rose_and_fell(db: Path, reports) -> None:
    first, second = reports
    d = compare(db, KODE, "pekppp", 2024, 2025)
    assert d["comparable"] is True and d["reasons"] == []
    rose = {e["rule_id"]: e for e in d["rose"]}
    fell = {e["rule_id"]: e for e in d["fell"]}
    assert (rose["pekppp.2.a.P"]["from"]["level"], rose["pekppp.2.a.P"]["to"]["level"]) == (4, 5)
    assert rose["pekppp.2.a.P"]["delta"] == 20.0
    assert (fell["pekppp.7.a.T"]["from"]["level"], fell["pekppp.7.a.T"]["to"]["level"]) == (4, 3)
    assert d["appeared"] == [] and d["disappeared"] == []
    assert d["unchanged"] + len(d["rose"]) + len(d["fell"]) == len(first["results"])
    assert d["score_delta"] == round(second["score"]["final"] - first["score"]["final"], 2)
    text = render_compare(d)
    assert "TIDAK SEBANDING" not in text
    assert "Naik (1):\n  pekppp.2.a.P: 4/5 → 5/5  (+1 level)" in text
    assert "pekppp.7.a.T: 4/5 → 3/5  (-1 level)" in text
    assert "Rose (1):" in render_compare(d, "en")


def _other_edition(report: dict[str, Any]) -> dict[str, Any]:
    """The 2025 report as if made under another edition, with one rule renamed."""
    fake = copy.deepcopy(report)
    fake["ruleset"]["edition"] = "2026"
    fake["digests"]["rules"] = "a" * 64
    fake["results"][0]["rule_id"] = "pekppp.1.a.Baru"
    return fake


def test_results_under_another_edition_are_flagged_not_mixed(db: Path, reports) -> None:
    _, second = reports
    fake = _other_edition(second)
    fake["period"]["tahun"] = 2026
    fake["evaluated_on"] = "2026-10-19"
    assert store(db, fake) == "added"
    d = compare(db, KODE, "pekppp", 2025, 2026)
    assert d["comparable"] is False
    assert "different editions: 2022 (period 2025) and 2026 (period 2026)" in d["reasons"][0]["en"]
    assert d["score_delta"] is None  # no score difference across editions
    assert [e["rule_id"] for e in d["appeared"]] == ["pekppp.1.a.Baru"]
    assert [e["rule_id"] for e in d["disappeared"]] == ["pekppp.1.a.Ak"]
    text = render_compare(d)
    assert text.splitlines()[1] == "!! TIDAK SEBANDING:"
    assert "NOT COMPARABLE" in render_compare(d, "en")
    rows = history(db, KODE)
    assert rows[-1]["edition_changed"] and rows[-1]["delta"] is None
    assert "! edisi berubah" in render_history(rows)


def test_other_rule_files_under_the_same_edition_are_flagged(db: Path, reports) -> None:
    _, second = reports
    fake = copy.deepcopy(second)
    fake["period"]["tahun"] = 2026
    fake["evaluated_on"] = "2026-10-19"
    fake["digests"]["rules"] = "b" * 64
    store(db, fake)
    d = compare(db, KODE, "pekppp", 2025, 2026)
    assert d["comparable"] is False
    assert "rule files of edition 2022 changed" in d["reasons"][0]["en"]
    assert d["score_delta"] == 0.0 and d["rose"] == [] and d["fell"] == []
    assert history(db, KODE)[-1]["rules_changed"]


def test_a_verified_evaluation_is_kept_beside_the_claim_and_preferred(db: Path,
                                                                      reports) -> None:
    first, _ = reports
    verified = copy.deepcopy(first)
    verified["verification"] = {"effect": {"claimed": {"final": first["score"]["final"],
                                                       "predicate": {"code": "A"}}}}
    verified["score"]["final"] = 4.61
    verified["results"][1]["level"], verified["results"][1]["score"] = 3, 60.0  # 2.a.P
    verified["waivers"] = {"applied": [{"rule_id": "pekppp.24.d.T"}]}
    verified["results"][23]["status"] = "waived"  # 24.d.T
    assert store(db, verified) == "added"
    rows = history(db, KODE)
    assert [(r["period"], r["basis"]) for r in rows] == [
        (2024, "self"), (2024, "verified"), (2025, "self")]
    assert rows[1]["claimed"] == {"final": first["score"]["final"], "predicate_code": "A"}
    assert rows[1]["waivers"] == 1
    assert rows[2]["delta"] is not None  # 2025's claim follows 2024's claim
    d = compare(db, KODE, "pekppp", 2024, 2025)
    assert d["a"]["basis"] == "verified"
    assert any("2 evaluations stored" in n["en"] for n in d["notes"])
    assert any("is verified" in n["en"] for n in d["notes"])
    assert [e["rule_id"] for e in d["waived"]] == ["pekppp.24.d.T"]
    assert d["rose"][0]["rule_id"] == "pekppp.2.a.P" and d["rose"][0]["delta"] == 40.0


def test_unknown_unit_period_and_ruleset_are_input_errors(db: Path) -> None:
    with pytest.raises(InputError) as caught:
        history(db, "unit-lain")
    assert KODE in caught.value.render("en")  # the hint lists the stored units
    with pytest.raises(InputError) as caught:
        compare(db, KODE, "pekppp", 2024, 2019)
    assert "stored periods: 2024, 2025" in caught.value.render("en")
    with pytest.raises(InputError) as caught:
        history(db, KODE, "lain")
    assert "stored rulesets: pekppp" in caught.value.render("en")


def test_bad_history_files(tmp_path: Path, reports) -> None:
    with pytest.raises(InputError, match="riwayat tidak ditemukan"):
        history(tmp_path / "none.sqlite", KODE)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("bukan basis data\n" * 100, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        store(junk, reports[0])
    assert "not a usable patuh history database" in caught.value.render("en")
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(InputError) as caught:
        store(other, reports[0])
    assert "not a patuh history" in caught.value.render("en")
    newer = tmp_path / "newer.sqlite"
    store(newer, reports[0])
    with closing(sqlite3.connect(newer)) as conn, conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(InputError) as caught:
        history(newer, KODE)
    assert "newer patuh (schema 99" in caught.value.render("en")
    with pytest.raises(InputError, match="bukan laporan patuh"):
        store(tmp_path / "h.sqlite", {"unit": {"nama": "x"}})


def test_the_history_command(db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(history_command, [KODE, "--store", str(db)],
                           catch_exceptions=False)
    assert result.exit_code == 0 and result.output.startswith("Riwayat: ")
    result = runner.invoke(history_command, [KODE, "--store", str(db), "--compare", "2024",
                                             "2025", "--format", "json"],
                           catch_exceptions=False)
    data = json.loads(result.output)
    assert data["comparable"] and data["ruleset"] == "pekppp"
    result = runner.invoke(history_command, [KODE, "--store", str(db), "--compare", "2024",
                                             "2025", "--lang", "en"], catch_exceptions=False)
    assert "Comparison pekppp" in result.output
    result = runner.invoke(history_command, [NAMA, "--store", str(db), "--ruleset", "pekppp",
                                             "--format", "json"], catch_exceptions=False)
    assert [r["period"] for r in json.loads(result.output)] == [2024, 2025]
