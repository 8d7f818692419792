"""`patuh batch`: many manifests, in worker processes, with a ranked summary (text, CSV, JSON
Lines, XLSX) and per-unit reports equal to what `patuh check` writes."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from patuh import batch
from patuh.batch import COLUMNS
from patuh.batch import batch_command
from patuh.cli import cli

cli.add_command(batch_command)  # idempotent; patuh.cli wires it too

ROOT = Path(__file__).resolve().parents[1]
GOOD = ("dpmptsp-kota-harapan", "puskesmas-sukamaju")  # kode dpmptsp-kota-harapan, pkm-sukamaju
SUMMARIES = ("summary.txt", "summary.csv", "summary.jsonl", "summary.xlsx")


def copy_unit(name: str, target: Path) -> Path:
    shutil.copytree(ROOT / "examples" / name, target, symlinks=True)
    return target / "manifest.yaml"


@pytest.fixture
def units(tmp_path: Path) -> Path:
    """Two example units and a manifest whose YAML is broken."""
    folder = tmp_path / "units"
    for name in GOOD:
        copy_unit(name, folder / name)
    broken = folder / "rusak" / "manifest.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("schema_version: 1\nunit: {nama: Unit Rusak\nperiode: {tahun: 2024}\n",
                      encoding="utf-8")
    return folder


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def check_json(run, manifest: Path, *args: str) -> dict:
    result = run("check", manifest, "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_ranked_summary_with_the_broken_unit_and_its_error(units: Path, tmp_path: Path,
                                                           run) -> None:
    out = tmp_path / "out"
    result = run("batch", units, "-o", out, "--workers", "1", "--lang", "en")
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1, result.err  # one line: how many failed
    assert "1 of 3 evaluations failed (1 of 3 units)" in result.err

    expected = [check_json(run, units / name / "manifest.yaml") for name in GOOD]
    expected.sort(key=lambda r: -r["score"]["final"])
    assert expected[0]["score"]["final"] > expected[1]["score"]["final"]
    rows = jsonl(out / "summary.jsonl")
    assert [r["status"] for r in rows] == ["ok", "ok", "error"]
    for rank, (row, report) in enumerate(zip(rows, expected, strict=False), start=1):
        assert row["rank"] == rank
        assert row["unit"] == report["unit"]["nama"]
        assert row["code"] == report["unit"]["kode"]
        assert row["score"] == report["score"]["final"]
        assert row["predicate_code"] == report["predicate"]["code"]
        assert row["predicate_label"] == report["predicate"]["label"]
        assert row["predicate_label_en"] == report["predicate"]["label_en"]
        assert row["edition"] == report["ruleset"]["edition"]
        assert row["evaluated_on"] == report["evaluated_on"]
        assert row["ruleset"] == "pekppp" and row["error"] == ""
        assert row["report"] == f"{report['unit']['kode']}.pekppp.json"
    broken = rows[2]
    assert broken["rank"] is None and broken["score"] is None
    assert broken["manifest"] == str(units / "rusak" / "manifest.yaml")
    assert broken["error"].startswith(f"{broken['manifest']}:3:8: invalid YAML")
    assert broken["report"] == "" and broken["unit"] == ""

    text = (out / "summary.txt").read_text("utf-8")
    assert "Rank" in text and "Score" in text and "Predicate" in text
    assert "! " in text and "invalid YAML" in text


def test_per_unit_reports_equal_check(units: Path, tmp_path: Path, run) -> None:
    out = tmp_path / "out"
    assert run("batch", units, "-o", out, "--format", "json", "--format", "text",
               "--lang", "en", "--workers", "1").code == 2
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["dpmptsp-kota-harapan.pekppp.json", "dpmptsp-kota-harapan.pekppp.txt",
                            "pkm-sukamaju.pekppp.json", "pkm-sukamaju.pekppp.txt", *SUMMARIES])
    for name, kode in zip(GOOD, ("dpmptsp-kota-harapan", "pkm-sukamaju"), strict=True):
        manifest = units / name / "manifest.yaml"
        as_json = run("check", manifest, "--format", "json")
        assert (out / f"{kode}.pekppp.json").read_text("utf-8") == as_json.out
        as_text = run("check", manifest, "--lang", "en")
        assert (out / f"{kode}.pekppp.txt").read_text("utf-8") == as_text.out


def test_csv_jsonl_xlsx_agree(units: Path, tmp_path: Path, run) -> None:
    out = tmp_path / "out"
    run("batch", units, "-o", out, "--workers", "1")
    rows = jsonl(out / "summary.jsonl")
    assert all(list(r) == sorted(COLUMNS) for r in rows)
    with (out / "summary.csv").open(encoding="utf-8", newline="") as handle:
        header, *table = list(csv.reader(handle))
    # the header row in the summary's language, the columns in the JSON Lines' order
    assert header == [batch.CSV_HEADERS[c].id for c in COLUMNS]
    assert header[:3] == ["Peringkat", "Unit", "Kode"]
    table = [dict(zip(COLUMNS, line, strict=True)) for line in table]
    assert len(table) == len(rows) == 3
    for line, row in zip(table, rows, strict=True):
        for column in COLUMNS:
            value = row[column]
            if column == "score" and value is not None:
                assert float(line[column]) == value  # a machine number: a decimal point
            elif column == "status":
                assert line[column] == batch.STATUS_WORDS["id"][value]
            else:
                assert line[column] == ("" if value is None else str(value))
    book = openpyxl.load_workbook(out / "summary.xlsx", read_only=True)
    assert book.sheetnames == ["pekppp"]  # one sheet per ruleset, headers for people
    cells = list(book["pekppp"].iter_rows(values_only=True))
    book.close()
    assert cells[0][:8] == ("Peringkat", "Unit", "Kode", "Edisi", "Tanggal evaluasi", "Nilai",
                            "Predikat", "Arti predikat")
    for values, row in zip(cells[1:], rows, strict=True):
        expected = (row["rank"], row["unit"] or None, row["code"] or None,
                    row["edition"] or None, row["evaluated_on"] or None, row["score"],
                    row["predicate_code"] or None, row["predicate_label"] or None)
        assert values[:8] == expected
        assert values[-1] == row["manifest"] and (row["error"] or None) in values


def test_same_inputs_same_bytes(units: Path, tmp_path: Path, run) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    one = run("batch", units, "-o", first, "--workers", "1")
    two = run("batch", units, "-o", second, "--workers", "1")
    assert one.err == two.err
    for name in ("summary.txt", "summary.csv", "summary.jsonl",
                 "dpmptsp-kota-harapan.pekppp.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    stdout = [run("batch", units, "--workers", "1").out for _ in range(2)]
    assert stdout[0] == stdout[1] == (first / "summary.txt").read_text("utf-8")


def test_two_workers_give_the_same_summary(units: Path, tmp_path: Path, run) -> None:
    serial, parallel = tmp_path / "w1", tmp_path / "w2"
    for index in range(3):  # more units than workers
        copy_unit("kecamatan-lembah-hijau", units / f"kec-{index}")
    assert run("batch", units, "-o", serial, "--workers", "1").code == 2
    assert run("batch", units, "-o", parallel, "--workers", "2").code == 2
    # the workers wrote the reports (staged under hidden names the parent renamed): the same
    # files, bytes and modes, and nothing staged left behind
    assert sorted(p.name for p in serial.iterdir()) == sorted(p.name for p in parallel.iterdir())
    for path in serial.iterdir():
        assert path.stat().st_mode == (parallel / path.name).stat().st_mode, path.name
        if path.suffix != ".xlsx":
            assert path.read_bytes() == (parallel / path.name).read_bytes(), path.name


def test_list_input(units: Path, tmp_path: Path, run) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    listing = lists / "units.txt"
    listing.write_text("# units to check\n\n../units/puskesmas-sukamaju/manifest.yaml\n"
                       "  ../units/dpmptsp-kota-harapan/manifest.yaml  \n"
                       "# ../units/rusak/manifest.yaml\n../units/hilang/manifest.yaml\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", listing, "-o", out, "--workers", "1", "--lang", "en")
    assert result.code == 2
    rows = jsonl(out / "summary.jsonl")
    assert [(r["code"], r["status"]) for r in rows] == [
        ("dpmptsp-kota-harapan", "ok"), ("pkm-sukamaju", "ok"), ("", "error")]
    assert rows[2]["manifest"] == str(lists / "../units/hilang/manifest.yaml")
    assert "file not found" in rows[2]["error"]


def test_no_progress_output_on_a_pipe(units: Path, tmp_path: Path, run) -> None:
    shutil.rmtree(units / "rusak")
    result = run("batch", units, "-o", tmp_path / "out", "--workers", "2")
    assert result.code == 0
    # no progress bar: only the one-line summary of what was done and where it went
    assert result.err == (f"patuh batch: 2 unit — pekppp A 1, B- 1 — ditulis ke "
                          f"{tmp_path / 'out'}{os.sep}\n") and result.out == ""
    result = run("batch", units, "--workers", "1")
    assert result.code == 0
    assert result.err == "patuh batch: 2 unit — pekppp A 1, B- 1 — ringkasan di stdout\n"
    assert result.out.startswith("patuh batch — 2 unit × ruleset pekppp: 2 dievaluasi, 0 gagal")
    assert "Peringkat" in result.out and "Nilai" in result.out


def test_discovery_names_order_and_skipped_folders(tmp_path: Path, run) -> None:
    folder = tmp_path / "units"
    copy_unit("puskesmas-sukamaju", folder / "b")
    shutil.copy(folder / "b" / "manifest.yaml", folder / "b" / "lama.manifest.yaml")
    copy_unit("dpmptsp-kota-harapan", folder / "a" / "dalam")
    copy_unit("kecamatan-lembah-hijau", folder / ".tersembunyi")
    (folder / "b" / "catatan.yaml").write_text("bukan: manifest\n", encoding="utf-8")
    found = batch.discover(folder)
    assert [Path(p).relative_to(folder).as_posix() for p in found] == [
        "a/dalam/manifest.yaml", "b/lama.manifest.yaml", "b/manifest.yaml"]
    out = folder / "laporan"  # inside DIR: not searched on the next run
    assert run("batch", folder, "-o", out, "--workers", "1").code == 0
    shutil.copy(folder / "b" / "manifest.yaml", out / "manifest.yaml")
    assert batch.discover(folder, exclude=out) == found


def test_excel_forms_are_units_and_a_unit_written_twice_is_refused(tmp_path: Path,
                                                                      run) -> None:
    folder = tmp_path / "units"
    copy_unit("puskesmas-sukamaju", folder / "a")
    copy_unit("dpmptsp-kota-harapan", folder / "b")
    yaml_b = folder / "b" / "manifest.yaml"
    assert run("convert", yaml_b, folder / "b" / "manifest.xlsx").code == 0
    moved = tmp_path / "asli.yaml"
    yaml_b.rename(moved)  # the unit now keeps its answers in the Excel form only
    out = tmp_path / "out"
    assert run("batch", folder, "-o", out, "--workers", "1").code == 0
    rows = jsonl(out / "summary.jsonl")
    assert [(Path(r["manifest"]).name, r["status"]) for r in rows] == [
        ("manifest.xlsx", "ok"), ("manifest.yaml", "ok")]  # ranked: dpmptsp first
    assert rows[0]["predicate_code"] == "A"
    shutil.copy(moved, yaml_b)  # the same unit twice: which one counts?
    twice = run("batch", folder, "-o", tmp_path / "out2", "--workers", "1")
    assert twice.code == 2 and "Traceback" not in twice.err
    assert "dua manifest untuk satu unit" in twice.err
    assert "manifest.yaml" in twice.err and "manifest.xlsx" in twice.err


def test_equal_scores_share_a_rank_and_file_names_stay_apart(tmp_path: Path, run) -> None:
    folder = tmp_path / "units"
    copy_unit("dpmptsp-kota-harapan", folder / "a")
    copy_unit("dpmptsp-kota-harapan", folder / "b")  # the same kode twice
    copy_unit("puskesmas-sukamaju", folder / "c")
    out = tmp_path / "out"
    assert run("batch", folder, "-o", out, "--workers", "1").code == 0
    rows = jsonl(out / "summary.jsonl")
    assert [r["rank"] for r in rows] == [1, 1, 3]
    assert [r["report"] for r in rows] == ["dpmptsp-kota-harapan.pekppp.json",
                                           "dpmptsp-kota-harapan-2.pekppp.json",
                                           "pkm-sukamaju.pekppp.json"]
    assert rows[1]["manifest"].endswith("b/manifest.yaml")


def test_several_rulesets_are_ranked_each_on_its_own(units: Path, tmp_path: Path, run) -> None:
    out = tmp_path / "out"
    result = run("batch", units, "-o", out, "--ruleset", "uu25", "--ruleset", "pekppp",
                 "--workers", "1")
    assert result.code == 2
    rows = jsonl(out / "summary.jsonl")
    assert [(r["ruleset"], r["rank"], r["status"]) for r in rows] == [
        ("uu25", 1, "ok"), ("uu25", 2, "ok"), ("uu25", None, "error"),
        ("pekppp", 1, "ok"), ("pekppp", 2, "ok"), ("pekppp", None, "error")]
    assert "2 dari 6 evaluasi gagal (1 dari 3 unit)" in result.err


def test_a_ruleset_with_no_edition_in_force_is_that_units_error(tmp_path: Path, run) -> None:
    folder = tmp_path / "units"
    copy_unit("disdukcapil-kota-harapan-2021", folder / "lama")  # 2021: no complete edition
    copy_unit("puskesmas-sukamaju", folder / "baru")
    out = tmp_path / "out"
    assert run("batch", folder, "-o", out, "--workers", "1", "--lang", "en").code == 2
    rows = jsonl(out / "summary.jsonl")
    assert [(r["code"], r["status"]) for r in rows] == [
        ("pkm-sukamaju", "ok"), ("disdukcapil-kota-harapan", "error")]
    assert "known only in part" in rows[1]["error"]
    assert rows[1]["unit"]  # the manifest loaded: its unit is named


def test_an_internal_error_is_that_units_error(units: Path, tmp_path: Path, run,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch.build_report

    def flaky(manifest, ruleset, **kwargs):
        if manifest.data["unit"].get("kode") == "pkm-sukamaju":
            raise RuntimeError("boom")
        return real(manifest, ruleset, **kwargs)

    monkeypatch.setattr(batch, "build_report", flaky)
    out = tmp_path / "out"
    assert run("batch", units, "-o", out, "--workers", "1", "--lang", "en").code == 2
    rows = {r["code"] or r["manifest"]: r for r in jsonl(out / "summary.jsonl")}
    assert rows["dpmptsp-kota-harapan"]["status"] == "ok"
    assert rows["pkm-sukamaju"]["error"] == "internal error: RuntimeError: boom"


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the crash is planted in the parent and inherited by forked workers")
def test_a_worker_that_dies_does_not_stop_the_batch(units: Path, tmp_path: Path, run,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = batch.build_report

    def fatal(manifest, ruleset, **kwargs):
        if manifest.data["unit"].get("kode") == "pkm-sukamaju":
            os._exit(9)
        return real(manifest, ruleset, **kwargs)

    monkeypatch.setattr(batch, "build_report", fatal)
    for index in range(4):  # more units than workers, so that some are in flight
        copy_unit("kecamatan-lembah-hijau", units / f"kec-{index}")
    out = tmp_path / "out"
    assert run("batch", units, "-o", out, "--workers", "2", "--lang", "en").code == 2
    rows = jsonl(out / "summary.jsonl")
    assert len(rows) == 7
    failed = [r for r in rows if r["status"] == "error"]
    assert [Path(r["manifest"]).parent.name for r in failed] == ["puskesmas-sukamaju", "rusak"]
    assert "worker process stopped unexpectedly" in failed[0]["error"]
    assert len(list(out.glob("kec-lembah-hijau*.pekppp.json"))) == 4
    assert not list(out.glob(".patuh-*"))  # what the dead worker staged is gone too


@pytest.mark.parametrize(("args", "message"), [
    (("--ruleset", "tidak-ada"), "unknown ruleset 'tidak-ada'"),
    (("--edition", "1999"), "1999"),
    (("--format", "pdf", "-o", "OUT"), "unknown format 'pdf'"),
    (("--as-of", "kemarin"), "--as-of: 'kemarin' is not an ISO date"),
])
def test_usage_errors_stop_before_any_unit(units: Path, tmp_path: Path, run, args, message
                                           ) -> None:
    args = tuple(str(tmp_path / "out") if a == "OUT" else a for a in args)
    result = run("batch", units, "--lang", "en", *args)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""
    assert not (tmp_path / "out" / "summary.csv").exists()


def test_no_manifest_found(tmp_path: Path, run) -> None:
    (tmp_path / "kosong").mkdir()
    result = run("batch", tmp_path / "kosong", "--lang", "en")
    assert result.code == 2 and "no manifest" in result.err
    result = run("batch", tmp_path / "hilang", "--lang", "en")
    assert result.code == 2 and "not found" in result.err


def test_spreadsheet_cells_never_become_formulas(tmp_path: Path, run) -> None:
    folder = tmp_path / "units"
    manifest = copy_unit("puskesmas-sukamaju", folder / "a")
    text = manifest.read_text("utf-8").replace("nama: UPTD Puskesmas Sukamaju",
                                               'nama: "=HYPERLINK(\\"http://x\\")"')
    manifest.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert run("batch", folder, "-o", out, "--workers", "1").code == 0
    with (out / "summary.csv").open(encoding="utf-8", newline="") as handle:
        next(handle)  # the header row, in the summary's language
        row = next(csv.DictReader(handle, fieldnames=COLUMNS))
    assert row["unit"] == "'=HYPERLINK(\"http://x\")"
    book = openpyxl.load_workbook(out / "summary.xlsx")
    cell = book["pekppp"]["B2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_a_schema_error_is_that_units_error(units: Path, tmp_path: Path, run) -> None:
    bad = units / "salah" / "manifest.yaml"
    bad.parent.mkdir()
    bad.write_text("schema_version: 1\nunit: {nama: Unit Salah}\nperiode: {tahun: 2024}\n"
                   "warna: biru\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("batch", units, "-o", out, "--workers", "2", "--lang", "en").code == 2
    rows = {Path(r["manifest"]).parent.name: r for r in jsonl(out / "summary.jsonl")}
    assert rows["salah"]["status"] == "error"
    assert rows["salah"]["error"].startswith(f"{bad}:4: warna: unknown key: warna")
    assert [rows[n]["status"] for n in GOOD] == ["ok", "ok"]


def test_batch_keeps_history_and_an_html_summary(tmp_path: Path, run) -> None:
    units = tmp_path / "units"
    for name in ("dpmptsp-kota-harapan", "puskesmas-sukamaju"):
        shutil.copytree(ROOT / "examples" / name, units / name)
    out, db = tmp_path / "out", tmp_path / "riwayat.sqlite"
    result = run("batch", units, "--workers", "1", "-o", out, "--format", "html",
                 "--store", db)
    assert result.code == 0, result.err
    assert (out / "summary.html").read_text("utf-8").startswith("<!DOCTYPE html>")
    trend = run("history", "pkm-sukamaju", "--store", db, "--format", "json")
    assert trend.code == 0, trend.err
    assert "pkm-sukamaju" in trend.out
    # a history that already exists is the store again, not an input to protect from itself
    again = run("batch", units, "--workers", "1", "--store", db)
    assert again.code == 0, again.err
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0] >= 2


def test_batch_applies_a_waivers_file_per_unit(tmp_path: Path, run) -> None:
    units = tmp_path / "units"
    shutil.copytree(ROOT / "examples" / "dpmptsp-kota-harapan", units / "dpmptsp")
    plain = run("batch", units, "--workers", "1", "-o", tmp_path / "a")
    waived = run("batch", units, "--workers", "1", "-o", tmp_path / "b",
                 "--waivers", ROOT / "examples" / "audit" / "waivers.yaml")
    assert plain.code == waived.code == 0, waived.err
    before = json.loads((tmp_path / "a" / "summary.jsonl").read_text("utf-8"))
    after = json.loads((tmp_path / "b" / "summary.jsonl").read_text("utf-8"))
    # the active waiver excludes 24.d.T (4/5): its weight moves to the other SIPP rules
    assert after["score"] != before["score"]
    report = json.loads(next((tmp_path / "b").glob("*.pekppp.json")).read_text("utf-8"))
    assert [w["rule_id"] for w in report["waivers"]["applied"]] == ["pekppp.24.d.T"]


def test_batch_refuses_a_bad_waivers_file_before_running(tmp_path: Path, run) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("waivers: [{rule: x}]\n", encoding="utf-8")
    result = run("batch", ROOT / "examples", "--waivers", bad, "--lang", "en")
    assert result.code == 2
    assert str(bad) in result.err
