"""`patuh batch --verification DIR`: one evaluator's file per unit, DIR/<unit.kode>.yaml (or
.yml, .json); each unit's report is what `patuh check --verification FILE` gives."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from patuh.batch import COLUMNS
from patuh.cli import cli  # noqa: F401 - wires the commands

ROOT = Path(__file__).resolve().parents[1]
VERIFIED = ROOT / "examples" / "audit" / "verifikasi-dpmptsp.yaml"  # unit dpmptsp-kota-harapan


def csv_rows(handle) -> list[dict[str, str]]:
    """The summary CSV's rows by the stable column keys (its header row is in the summary's
    language)."""
    header, *lines = list(csv.reader(handle))
    assert len(header) == len(COLUMNS)
    return [dict(zip(COLUMNS, line, strict=True)) for line in lines]


def two_units(tmp_path: Path) -> Path:
    units = tmp_path / "units"
    for name in ("dpmptsp-kota-harapan", "puskesmas-sukamaju"):
        shutil.copytree(ROOT / "examples" / name, units / name, symlinks=True)
    return units


def summary_rows(out: Path) -> dict[str, dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row for row in csv_rows(handle)}


def test_each_unit_gets_its_own_file(run, tmp_path: Path) -> None:
    units, folder, out = two_units(tmp_path), tmp_path / "verifikasi", tmp_path / "out"
    folder.mkdir()
    shutil.copy(VERIFIED, folder / "dpmptsp-kota-harapan.yaml")
    result = run("batch", units, "--verification", folder, "-o", out, "--workers", "1")
    assert result.code == 0, result.err
    assert "(1 terverifikasi)" in result.err and f"ditulis ke {out}" in result.err
    rows = summary_rows(out)
    assert rows["dpmptsp-kota-harapan"]["verification"] == str(folder /
                                                               "dpmptsp-kota-harapan.yaml")
    assert rows["pkm-sukamaju"]["verification"] == ""
    alone = run("check", units / "dpmptsp-kota-harapan" / "manifest.yaml", "--format", "json",
                "--verification", folder / "dpmptsp-kota-harapan.yaml")
    assert alone.code == 0, alone.err
    written = json.loads((out / rows["dpmptsp-kota-harapan"]["report"]).read_text("utf-8"))
    assert written == json.loads(alone.out)
    assert "verification" in written
    claimed = run("check", units / "dpmptsp-kota-harapan" / "manifest.yaml", "--format", "json")
    assert json.loads(claimed.out)["score"]["final"] != written["score"]["final"]
    unverified = json.loads((out / rows["pkm-sukamaju"]["report"]).read_text("utf-8"))
    assert "verification" not in unverified


def test_two_files_for_one_code_are_refused(run, tmp_path: Path) -> None:
    units, folder = two_units(tmp_path), tmp_path / "verifikasi"
    folder.mkdir()
    shutil.copy(VERIFIED, folder / "dpmptsp-kota-harapan.yaml")
    shutil.copy(VERIFIED, folder / "dpmptsp-kota-harapan.json")
    result = run("batch", units, "--verification", folder, "--lang", "en")
    assert result.code == 2
    assert "two verification files for one unit code" in result.err
    assert "dpmptsp-kota-harapan.json" in result.err and "dpmptsp-kota-harapan.yaml" in result.err


def test_a_file_not_a_folder_is_refused(run, tmp_path: Path) -> None:
    result = run("batch", two_units(tmp_path), "--verification", VERIFIED, "--lang", "en")
    assert result.code == 2
    assert "needs a folder" in result.err and "<kode>.yaml" in result.err


def test_a_bad_file_stops_before_any_unit(run, tmp_path: Path) -> None:
    units, folder, out = two_units(tmp_path), tmp_path / "verifikasi", tmp_path / "out"
    folder.mkdir()
    (folder / "pkm-sukamaju.yaml").write_text("schema_version: 1\nevaluator: X\n",
                                              encoding="utf-8")
    result = run("batch", units, "--verification", folder, "-o", out)
    assert result.code == 2
    assert "pkm-sukamaju.yaml" in result.err
    assert not (out / "summary.csv").exists()


def test_a_file_for_another_unit_is_that_units_error(run, tmp_path: Path) -> None:
    units, folder, out = two_units(tmp_path), tmp_path / "verifikasi", tmp_path / "out"
    folder.mkdir()
    shutil.copy(VERIFIED, folder / "pkm-sukamaju.yaml")  # says unit: dpmptsp-kota-harapan
    result = run("batch", units, "--verification", folder, "-o", out, "--workers", "1",
                 "--lang", "en")
    assert result.code == 2
    rows = summary_rows(out)
    assert rows["pkm-sukamaju"]["status"] == "error"
    assert "is for unit 'dpmptsp-kota-harapan'" in rows["pkm-sukamaju"]["error"]
    assert rows["dpmptsp-kota-harapan"]["status"] == "ok"


def test_unmatched_file_is_named(run, tmp_path: Path) -> None:
    units, folder = two_units(tmp_path), tmp_path / "verifikasi"
    folder.mkdir()
    text = VERIFIED.read_text("utf-8").replace("unit: dpmptsp-kota-harapan", "unit: dpmptsp")
    (folder / "dpmptsp.yaml").write_text(text, encoding="utf-8")  # a kode that is not there
    result = run("batch", units, "--verification", folder, "--lang", "en")
    assert result.code == 0, result.err
    assert "1 verification files match no unit's code (not used)" in result.err
    assert "dpmptsp.yaml" in result.err


def test_two_units_with_one_code_do_not_share_a_file(run, tmp_path: Path) -> None:
    units, folder, out = two_units(tmp_path), tmp_path / "verifikasi", tmp_path / "out"
    shutil.copytree(units / "dpmptsp-kota-harapan", units / "zz-copy", symlinks=True)
    folder.mkdir()
    shutil.copy(VERIFIED, folder / "dpmptsp-kota-harapan.yaml")
    result = run("batch", units, "--verification", folder, "-o", out, "--workers", "1",
                 "--lang", "en")
    assert result.code == 2
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv_rows(handle) if r["code"] == "dpmptsp-kota-harapan"]
    assert sorted(r["status"] for r in rows) == ["error", "ok"]
    error = next(r for r in rows if r["status"] == "error")
    assert "zz-copy" in error["manifest"] and "give each unit its own code" in error["error"]
