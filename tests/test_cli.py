"""The command line: check (text, json, -o, --as-of, --fail-under), rules list/show/validate,
init. Output through click's runner; exit codes through ``patuh.cli.main``."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from patuh.rulebook import load_ruleset
from patuh.validation import validator

from rulecopies import RULES
from rulecopies import copy_ruleset
from rulecopies import replace_once

ROOT = Path(__file__).resolve().parents[1]
SHOWCASE = "dpmptsp-kota-harapan"


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """A copy of the showcase example (its manifest and evidence files)."""
    source = ROOT / "examples" / SHOWCASE
    if not (source / "manifest.yaml").exists():
        pytest.fail(f"examples/{SHOWCASE}/manifest.yaml is missing")
    target = tmp_path / SHOWCASE
    shutil.copytree(source, target, symlinks=True)
    return target / "manifest.yaml"


@pytest.fixture
def low(write_manifest) -> Path:
    """A valid manifest with no facts: every rule has no data, the score is 0 (F)."""
    return write_manifest()


def as_json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- check: text ----------------------------------------------------------------------------

def test_text_report_is_indonesian_by_default(unit: Path, invoke) -> None:
    report = as_json(invoke("check", unit, "--format", "json"))
    result = invoke("check", unit)
    assert result.exit_code == 0
    out = result.stdout
    p = report["predicate"]
    assert f"Predikat: {p['code']} {p['label']}\n" in out
    assert f"Tanggal evaluasi: {report['evaluated_on']}" in out
    assert f"Unit: {report['unit']['nama']}" in out
    assert "Aspek:" in out and "Indikator" in out and "Rencana perbaikan" in out
    assert f"Nilai: {report['score']['final']:.2f}".replace(".", ",") in out
    assert "Predicate:" not in out and "Evaluation date" not in out
    for r in report["results"]:  # every indicator has a line with its level
        code = r["rule_id"].split(".", 1)[1]
        assert re.search(rf"\] {re.escape(code)}\s+{r['level']}/{r['max_level']} ", out), code


def test_text_report_in_english(unit: Path, invoke) -> None:
    report = as_json(invoke("check", unit, "--format", "json"))
    out = invoke("check", unit, "--lang", "en").stdout
    p = report["predicate"]
    assert f"Predicate: {p['code']} {p['label']} ({p['label_en']})\n" in out
    assert f"Evaluation date: {report['evaluated_on']}" in out
    assert "Aspects:" in out and "Indicators" in out and "Improvement plan" in out
    assert "Predikat:" not in out and "Tanggal evaluasi" not in out


def test_text_report_shows_missing_data_and_what_to_supply(low: Path, invoke) -> None:
    out = invoke("check", low, "--lang", "en").stdout
    assert "[?] 1.a.Ak" in out
    assert "standar_pelayanan.ada: not supplied (no data)" in out


# --- check: json ----------------------------------------------------------------------------

RESULT_KEYS = {"rule_id", "version", "aspect", "level", "max_level", "status", "weight",
               "evidence", "unmet", "gain", "source"}


def test_json_report_shape(unit: Path, invoke) -> None:
    report = as_json(invoke("check", unit, "--format", "json"))
    assert report["schema_version"] == 1
    assert report["ruleset"]["id"] == "pekppp"
    assert report["ruleset"]["edition"] == "2022"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", report["evaluated_on"])
    assert report["unit"]["nama"]
    assert len(report["results"]) == 31
    for r in report["results"]:
        assert set(r) >= RESULT_KEYS, RESULT_KEYS - set(r)
        assert 0 <= r["level"] <= r["max_level"] == 5
        assert r["status"] in ("pass", "partial", "fail", "missing")
        assert (r["status"] == "pass") == (r["level"] == 5)
        assert r["source"]["confidence"] and r["source"]["reference"]
        if r["level"] < 5 and r["aspect"] != "g":
            assert r["unmet"] and r["gain"] > 0, r["rule_id"]
    assert [(a["id"], a["weight"]) for a in report["aspects"]] == [
        ("a", 24), ("b", 25), ("c", 18), ("d", 11), ("e", 10), ("f", 12), ("g", 0)]
    assert all(isinstance(a["score"], (int, float)) for a in report["aspects"])
    assert {"f02", "f03", "final"} <= set(report["score"])
    assert {"code", "label"} <= set(report["predicate"])
    assert {"rules", "manifest", "evidence"} <= set(report["digests"])


def test_json_report_follows_its_schema(unit: Path, low: Path, invoke) -> None:
    for manifest in (unit, low):
        report = as_json(invoke("check", manifest, "--format", "json"))
        errors = [f"{list(e.absolute_path)}: {e.message}"
                  for e in validator("report").iter_errors(report)]
        assert not errors, "\n".join(errors[:10])


def test_json_report_numbers_agree(unit: Path, invoke) -> None:
    """Aspect scores, F02 and the final score follow from the levels (pekppp.md §6a)."""
    report = as_json(invoke("check", unit, "--format", "json"))
    aspects = {a["id"]: a for a in report["aspects"]}
    for aspect_id, aspect in aspects.items():
        expected = sum(r["weight"] / 100 * r["level"] for r in report["results"]
                       if r["aspect"] == aspect_id)
        assert aspect["score"] == pytest.approx(expected, abs=1e-4), aspect_id
    f02 = sum(a["weight"] / 100 * a["score"] for a in aspects.values())
    assert report["score"]["f02"] == pytest.approx(f02, abs=1e-3)
    f03 = report["score"]["f03"]
    final = f02 if f03 is None else 0.75 * f02 + 0.25 * f03
    assert report["score"]["final"] == pytest.approx(final, abs=0.006)


def test_json_digests(unit: Path, invoke) -> None:
    report = as_json(invoke("check", unit, "--format", "json"))
    digests = report["digests"]
    assert digests["rules"] == load_ruleset("pekppp").digest
    assert digests["manifest"] == hashlib.sha256(unit.read_bytes()).hexdigest()
    assert digests["evidence"], "the example cites evidence files"
    for ref, digest in digests["evidence"].items():
        assert hashlib.sha256((unit.parent / ref).read_bytes()).hexdigest() == digest, ref


def test_json_has_no_absolute_paths(unit: Path, invoke) -> None:
    out = invoke("check", unit, "--format", "json").stdout
    assert str(unit.parent.parent) not in out
    assert str(ROOT) not in out


def test_json_is_byte_identical_across_runs_and_places(unit: Path, tmp_path: Path,
                                                      invoke) -> None:
    first, second = tmp_path / "satu.json", tmp_path / "dua.json"
    assert invoke("check", unit, "--format", "json", "-o", first).exit_code == 0
    assert invoke("check", unit, "--format", "json", "-o", second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    moved = tmp_path / "pindah" / "lagi"
    shutil.copytree(unit.parent, moved, symlinks=True)
    third = tmp_path / "tiga.json"
    assert invoke("check", moved / "manifest.yaml", "--format", "json", "-o", third
                  ).exit_code == 0
    assert first.read_bytes() == third.read_bytes()


def test_output_file(unit: Path, tmp_path: Path, invoke, run) -> None:
    target = tmp_path / "laporan" / "baru" / "report.json"
    result = run("check", unit, "--format", "json", "-o", target)
    assert result.code == 0
    assert result.out == ""
    assert target.read_text("utf-8") == invoke("check", unit, "--format", "json").stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]  # no temp left
    text = tmp_path / "report.txt"
    assert run("check", unit, "-o", text).code == 0
    assert text.read_text("utf-8") == invoke("check", unit).stdout


def test_output_file_replaces_an_old_report(unit: Path, tmp_path: Path, run) -> None:
    target = tmp_path / "report.json"
    target.write_text("lama\n", encoding="utf-8")
    assert run("check", unit, "--format", "json", "-o", target).code == 0
    assert json.loads(target.read_text("utf-8"))["schema_version"] == 1


def test_check_leaves_inputs_unchanged(unit: Path, run) -> None:
    def snapshot() -> dict[str, bytes]:
        return {str(p.relative_to(unit.parent)): p.read_bytes()
                for p in sorted(unit.parent.rglob("*")) if p.is_file()}

    before = snapshot()
    assert run("check", unit).code == 0
    assert run("check", unit, "--format", "json").code == 0
    assert snapshot() == before


# --- check: --as-of and --fail-under --------------------------------------------------------

def test_evaluation_date_sources(write_manifest, invoke) -> None:
    default = as_json(invoke("check", write_manifest(), "--format", "json"))
    assert (default["evaluated_on"], default["evaluated_on_source"]) == ("2024-12-31",
                                                                          "period_end")
    dated = write_manifest({"periode": {"tahun": 2024, "tanggal_penilaian": "2024-10-15"}},
                           folder="dated")
    from_manifest = as_json(invoke("check", dated, "--format", "json"))
    assert (from_manifest["evaluated_on"], from_manifest["evaluated_on_source"]) == (
        "2024-10-15", "manifest")
    argument = as_json(invoke("check", dated, "--format", "json", "--as-of", "2025-02-01"))
    assert (argument["evaluated_on"], argument["evaluated_on_source"]) == ("2025-02-01",
                                                                           "argument")


def test_as_of_moves_date_windows(write_manifest, invoke) -> None:
    manifest = write_manifest({"inovasi": {"daftar": [
        {"nama": "Layanan Antar Dokumen", "tahap": "diterapkan",
         "tanggal_diterapkan": "2024-06-01"}], "bukti": ["inovasi.pdf"]}},
        files=("inovasi.pdf",))

    def level(*extra: str) -> int:
        report = as_json(invoke("check", manifest, "--format", "json", *extra))
        return next(r["level"] for r in report["results"] if r["rule_id"] == "pekppp.29.f.B")

    assert level() == 2  # 7 months old on 2024-12-31
    assert level("--as-of", "2025-05-31") == 2
    assert level("--as-of", "2025-06-01") == 3  # 12 months old


def test_fail_under_gate(low: Path, run) -> None:
    failed = run("check", low, "--fail-under", "E")
    assert failed.code == 1
    assert "Predikat: F Gagal" in failed.out  # the report is still printed
    assert "gagal: pekppp F di bawah E" in failed.err
    assert "Traceback" not in failed.err
    assert run("check", low, "--fail-under", "F").code == 0
    assert run("check", low, "--fail-under", "f").code == 0
    assert run("check", low, "--fail-under", "0").code == 0
    assert run("check", low, "--fail-under", "0,01").code == 1
    english = run("check", low, "--fail-under", "B", "--lang", "en", "--format", "json")
    assert english.code == 1
    assert "failed: pekppp F is below B" in english.err
    assert json.loads(english.out)["predicate"]["code"] == "F"


def test_fail_under_on_a_good_unit(unit: Path, run, invoke) -> None:
    report = as_json(invoke("check", unit, "--format", "json"))
    code = report["predicate"]["code"]
    assert run("check", unit, "--fail-under", code).code == 0
    assert run("check", unit, "--fail-under", code.lower()).code == 0
    assert run("check", unit, "--fail-under", str(report["score"]["final"])).code == 0
    if report["next_band"] is not None:
        assert run("check", unit, "--fail-under", report["next_band"]["code"]).code == 1


def test_fail_under_through_click_runner(low: Path, invoke) -> None:
    result = invoke("check", low, "--fail-under", "A")
    assert result.exit_code == 1


# --- rules ----------------------------------------------------------------------------------

def test_rules_list(invoke) -> None:
    out = invoke("rules", "list", "--ruleset", "pekppp").stdout
    lines = out.splitlines()
    assert lines[0].startswith("pekppp: ") and lines[0].endswith("(31)")
    rows = [line for line in lines[1:] if line.startswith("  pekppp.")]
    assert len(rows) == 31 == len(lines) - 1
    assert re.match(r"  pekppp\.1\.a\.Ak\s+v1\s+a\s+17%\s+sekunder\s+Tersedianya", rows[0]), \
        rows[0]
    assert "pekppp.inf.antrian" in out
    everything = invoke("rules", "list").stdout
    assert "pekppp.30.f.B" in everything
    english = invoke("rules", "list", "--ruleset", "pekppp", "--lang", "en").stdout
    assert re.search(r"\s+v1\s+a\s+17%\s+secondary\s+", english)
    ombudsman = invoke("rules", "list", "--ruleset", "ombudsman").stdout
    assert "7,14%  tidak resmi" in ombudsman and "7.14%" not in ombudsman
    assert "A service standard (SP) exists" in english


def test_rules_show(invoke) -> None:
    result = invoke("rules", "show", "pekppp.1.a.Ak")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("pekppp.1.a.Ak — Tersedianya Standar Pelayanan")
    assert "bobot 17%" in out and "weight" not in out
    rule = load_ruleset("pekppp").rule("pekppp.1.a.Ak")
    assert rule is not None
    for level in rule.versions[0].levels:
        assert f"  {level.level}: {level.title.id}\n" in out
    assert "sekunder" in out and "pekppp.md §4a" in out
    english = invoke("rules", "show", "pekppp.1.a.Ak", "--lang", "en").stdout
    assert "  5: Use of the SP is monitored and evaluated\n" in english


def test_rules_show_json(invoke) -> None:
    data = json.loads(invoke("rules", "show", "pekppp.14.b.K", "--format", "json").stdout)
    assert data["id"] == "pekppp.14.b.K"
    assert data["aspect"] == "b"
    assert data["file"] == "14.b.K.yaml"
    assert [lv["level"] for lv in data["versions"][0]["levels"]] == [1, 2, 3, 4, 5]


def test_rules_validate_bundled(run) -> None:
    result = run("rules", "validate")
    assert result.code == 0, result.err
    assert "OK pekppp: 31 aturan, 2 edisi" in result.out
    english = run("rules", "validate", "--lang", "en")
    assert "OK pekppp: 31 rules, 2 editions" in english.out


@pytest.mark.parametrize("target", [".", "ruleset.yaml", "b_sdm/14.b.K.yaml", ".."])
def test_rules_validate_paths(target: str, run) -> None:
    result = run("rules", "validate", (RULES / target).resolve())
    assert result.code == 0, result.err
    assert "OK pekppp: 31 " in result.out


BROKEN = {
    # old text, new text, where the error is reported relative to the edit (+1: the next
    # line), what the message must say
    "weight_as_text": ("weight: 30", 'weight: "tiga puluh"', 0,
                       'versions[1].weight: "tiga puluh" is not of type number'),
    "duplicate_key": ("aspect: b", "aspect: b\naspect: b", 1, "duplicate key 'aspect'"),
    "bad_yaml": ("aspect: b", "aspect: [b", 1, "invalid YAML"),  # noticed on the next line
    "unknown_key": ("aspect: b", "aspect: b\naspek: b", 1, "aspek: unknown key: aspek"),
    "bad_confidence": ("confidence: unofficial", "confidence: yakin", 0,
                       'versions[1].source.confidence: "yakin" is not one of'),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_rules_validate_broken_copy(case: str, tmp_path: Path, run) -> None:
    old, new, offset, message = BROKEN[case]
    folder = copy_ruleset(tmp_path)
    file = folder / "b_sdm" / "14.b.K.yaml"
    edited = replace_once(file, old, new)
    line = 1 if offset is None else edited + offset
    before = file.read_bytes()
    result = run("rules", "validate", folder, "--lang", "en")
    assert result.code == 2, result.out
    assert "Traceback" not in result.err
    assert re.search(rf"{re.escape(str(file))}:{line}\b", result.err), result.err
    assert message in result.err
    assert file.read_bytes() == before


def test_rules_validate_weights_that_do_not_add_up(tmp_path: Path, run) -> None:
    folder = copy_ruleset(tmp_path)
    replace_once(folder / "b_sdm" / "14.b.K.yaml", "weight: 30", "weight: 31")
    result = run("rules", "validate", folder, "--lang", "en")
    assert result.code == 2
    assert str(folder) in result.err
    assert "indicator weights of aspect 'b' in edition 2022 add up to 101, not 100" in result.err


def test_rules_validate_id_must_match_file_name(tmp_path: Path, run) -> None:
    folder = copy_ruleset(tmp_path)
    file = folder / "b_sdm" / "14.b.K.yaml"
    line = replace_once(file, "id: pekppp.14.b.K", "id: pekppp.14.b.X")
    result = run("rules", "validate", folder, "--lang", "en")
    assert result.code == 2
    assert f"{file}:{line}: id: " in result.err
    assert "expected 'pekppp.14.b.K'" in result.err


def test_rules_validate_broken_ruleset_file(tmp_path: Path, run) -> None:
    folder = copy_ruleset(tmp_path)
    file = folder / "ruleset.yaml"
    line = replace_once(file, "model: weighted_levels", "model: weighted_levelz")
    result = run("rules", "validate", folder, "--lang", "en")
    assert result.code == 2
    assert f"{file}:{line}: editions[1].scoring.model: " in result.err
    assert "unknown scoring model 'weighted_levelz'" in result.err


# --- misc -----------------------------------------------------------------------------------

def test_version(invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert re.search(r"patuh, version \d+\.\d+", result.stdout)


def test_help_lists_commands(invoke) -> None:
    out = invoke("--help").stdout
    for command in ("check", "init", "predicate", "rules"):
        assert command in out
