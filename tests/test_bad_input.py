"""Bad input: exit 2, one readable message naming the file (and the line and JSON path where
there is one), no traceback, and the input left exactly as it was. Problems with evidence
files are findings in the report, not errors."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST_HEAD = "schema_version: 1\nunit:\n  nama: Unit Uji\nperiode:\n  tahun: 2024\n"


def assert_input_error(result, *needles: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert result.out == "", "no report may be printed for bad input"
    assert "Traceback" not in result.err
    assert result.err.startswith("patuh: "), result.err
    for needle in needles:
        assert needle in result.err, f"{needle!r} not in:\n{result.err}"


# --- the manifest itself --------------------------------------------------------------------

CASES = {
    "malformed_yaml": (
        "schema_version: 1\nunit:\n  nama: [Unit Uji\nperiode: {tahun: 2024}\n",
        "4:8", None, "invalid YAML: the list [ … ] opened on line 3 is not closed"),
    "duplicate_key": (
        MANIFEST_HEAD + "unit:\n  nama: Unit Lain\n",
        6, None, "duplicate key 'unit' (first at line 2)"),
    "empty_file": ("", None, None, "the file is empty"),
    "only_comments": ("# belum diisi\n", None, None, "the file has no content"),
    "not_a_mapping": ("- schema_version: 1\n", 1, None, "a manifest must be a mapping"),
    "unknown_top_level_key": (
        MANIFEST_HEAD + "standar_pelayan:\n  ada: true\n",
        MANIFEST_HEAD.count("\n") + 1, "standar_pelayan", "unknown key: standar_pelayan"),
    "unknown_nested_key": (
        MANIFEST_HEAD + "standar_pelayanan:\n  ada: true\n  penetapan:\n    olehh: kepala_unit\n",
        9, "standar_pelayanan.penetapan.olehh", "unknown key: olehh"),
    "count_as_text": (
        MANIFEST_HEAD + "skm:\n  dilaksanakan: true\n  responden: \"dua puluh\"\n",
        8, "skm.responden", '"dua puluh" is not of type integer'),
    "score_as_text": (  # "87,5" is read (decimal comma); words are not
        MANIFEST_HEAD + "skm:\n  ikm: \"sangat baik\"\n",
        7, "skm.ikm", '"sangat baik" is not of type number'),
    "number_out_of_range": (
        MANIFEST_HEAD + "skm:\n  ikm: 120\n",
        7, "skm.ikm", "120 must be <= 100"),
    "date_that_is_not_a_date": (
        "schema_version: 1\nunit: {nama: Unit Uji}\nperiode:\n  tahun: 2024\n"
        "  tanggal_penilaian: 2024-02-30\n",
        5, "periode.tanggal_penilaian", '"2024-02-30" is not a valid date'),
    "date_in_local_format_unreadable": (  # 31-12-2024 is read day first; month 13 is not
        MANIFEST_HEAD + "standar_pelayanan:\n  monev:\n    tanggal: 31-13-2024\n",
        8, "standar_pelayanan.monev.tanggal", '"31-13-2024" is not a valid date'),
    "enum_value": (
        MANIFEST_HEAD + "standar_pelayanan:\n  penetapan:\n    oleh: camat\n",
        8, "standar_pelayanan.penetapan.oleh", '"camat" is not one of'),
    "required_key_missing": (
        "schema_version: 1\nunit:\n  nama: Unit Uji\n", 1, None,
        "required key missing: periode"),
    "wrong_schema_version": (
        MANIFEST_HEAD.replace("schema_version: 1", "schema_version: 2"),
        1, "schema_version", "must be 1"),
    "bad_evidence_entry": (
        MANIFEST_HEAD + "maklumat:\n  bukti:\n    - {berkas: m.pdf, sha256: abc}\n",
        8, "maklumat.bukti[1].sha256", "does not match"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_manifest(case: str, tmp_path: Path, run) -> None:
    text, line, json_path, message = CASES[case]
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(text, encoding="utf-8")
    before = manifest.read_bytes()
    result = run("check", manifest, "--lang", "en")
    where = f"{manifest}:{line}" if line else str(manifest)
    needles = [f"patuh: {where}: ", message]
    if json_path:
        needles.append(f": {json_path}: ")
    assert_input_error(result, *needles)
    assert manifest.read_bytes() == before


def test_bad_manifest_message_is_indonesian_by_default(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST_HEAD + "skm:\n  responden: \"dua puluh\"\n", encoding="utf-8")
    result = run("check", manifest)
    assert_input_error(result, f"{manifest}:7: skm.responden: ",
                       '"dua puluh" bukan bilangan bulat')


def test_every_schema_violation_is_listed(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST_HEAD + "skm:\n  responden: \"dua puluh\"\n  ikm: \"87,5 %\"\n",
                        encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, f"{manifest}:7: skm.responden", f"{manifest}:8: skm.ikm",
                       "write a whole number, e.g. 9870", "write a number, e.g. 82,5")


def test_malformed_json_manifest(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"schema_version": 1,\n "unit": {"nama": "A"},\n'
                        ' "periode": {"tahun": 2024,}\n}\n', encoding="utf-8")
    before = manifest.read_bytes()
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, f"{manifest}:3:28: invalid JSON")
    assert manifest.read_bytes() == before


def test_duplicate_key_in_json_manifest(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"schema_version": 1, "unit": {"nama": "A"}, "unit": {"nama": "B"},'
                        ' "periode": {"tahun": 2024}}\n', encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, str(manifest), "duplicate key 'unit'")


def test_manifest_that_does_not_exist(tmp_path: Path, run) -> None:
    missing = tmp_path / "tidak-ada" / "manifest.yaml"
    result = run("check", missing, "--lang", "en")
    assert_input_error(result, f"patuh: {missing}: file not found")
    assert not missing.parent.exists()


def test_directory_given_as_manifest(tmp_path: Path, run) -> None:
    result = run("check", tmp_path, "--lang", "en")
    assert_input_error(result, f"patuh: {tmp_path}: this is a folder",
                       str(tmp_path / "manifest.yaml"))


def test_manifest_with_unknown_extension(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.txt"
    manifest.write_text(MANIFEST_HEAD, encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, str(manifest), "unknown manifest format")


# --- command-line values --------------------------------------------------------------------

@pytest.fixture
def good_manifest(write_manifest) -> Path:
    return write_manifest()


def test_unknown_ruleset(good_manifest: Path, run) -> None:
    before = good_manifest.read_bytes()
    result = run("check", good_manifest, "--ruleset", "nope", "--lang", "en")
    assert_input_error(result, "unknown ruleset 'nope'", "pekppp")
    assert good_manifest.read_bytes() == before


def test_unknown_format(good_manifest: Path, run) -> None:
    result = run("check", good_manifest, "--format", "xml", "--lang", "en")
    assert_input_error(result, "unknown format 'xml'", "json", "text")


@pytest.mark.parametrize("value", ["31-12-2024", "2024-02-30", "kemarin"])
def test_as_of_that_is_not_a_date(good_manifest: Path, run, value: str) -> None:
    result = run("check", good_manifest, "--as-of", value, "--lang", "en")
    assert_input_error(result, "--as-of", repr(value), "is not an ISO date")


def test_unknown_edition(good_manifest: Path, run) -> None:
    result = run("check", good_manifest, "--edition", "1999", "--lang", "en")
    assert_input_error(result, "edition '1999' is not in ruleset pekppp", "2022")


def test_date_before_every_edition(good_manifest: Path, run) -> None:
    result = run("check", good_manifest, "--as-of", "2016-06-30", "--lang", "en")
    assert_input_error(result, "no edition of pekppp is in force on 2016-06-30")


def test_date_in_an_edition_known_only_in_part(good_manifest: Path, run) -> None:
    result = run("check", good_manifest, "--as-of", "2019-06-30", "--lang", "en")
    assert_input_error(result, "edition pekppp 2017 is known only in part")


def test_fail_under_that_is_neither_band_nor_score(good_manifest: Path, run) -> None:
    result = run("check", good_manifest, "--fail-under", "Z", "--lang", "en")
    # the report is printed before the gate is checked, so only the exit code and message
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "--fail-under: 'Z'" in result.err


@pytest.mark.parametrize("rule_id", ["pekppp.99.z.X", "nope.1.a.Ak", "1.a.Ak"])
def test_unknown_rule_in_rules_show(run, rule_id: str) -> None:
    result = run("rules", "show", rule_id, "--lang", "en")
    assert_input_error(result, f"unknown rule '{rule_id}'")


def test_rules_validate_on_a_folder_without_rulesets(tmp_path: Path, run) -> None:
    result = run("rules", "validate", tmp_path, "--lang", "en")
    assert_input_error(result, str(tmp_path), "no ruleset in this folder")


def test_usage_error_is_exit_2(run) -> None:
    result = run("check")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "MANIFEST" in result.err


def test_real_process_bad_input_has_no_traceback(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST_HEAD + "unit:\n  nama: Lagi\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "patuh.cli", "check", str(manifest)],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PATUH_LANG": "en"})
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"patuh: {manifest}:6: ")
    assert "Traceback" not in done.stderr


# --- evidence problems are findings ---------------------------------------------------------

SECRET = b"rahasia di luar folder unit\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file next to (not inside) the unit folder."""
    path = tmp_path / "outside.pdf"
    path.write_bytes(SECRET)
    return path


def test_the_open_spy_sees_reads(outside: Path, opened) -> None:
    reads = opened(outside)
    outside.read_bytes()
    with open(os.fspath(outside), "rb"):
        pass
    assert len(reads) == 2


def sp_manifest(write_manifest, refs: list[str], files: tuple[str, ...] = ()) -> Path:
    return write_manifest({"standar_pelayanan": {"ada": True, "bukti": refs}}, files=files)


def check_json(run, manifest: Path) -> dict:
    result = run("check", manifest, "--format", "json")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return json.loads(result.out)


def sp_result(report: dict) -> dict:
    return next(r for r in report["results"] if r["rule_id"] == "pekppp.1.a.Ak")


def test_usable_evidence_earns_the_level(write_manifest, run) -> None:
    manifest = sp_manifest(write_manifest, ["sp.pdf"], files=("sp.pdf",))
    report = check_json(run, manifest)
    assert report["findings"] == []
    result = sp_result(report)
    assert (result["level"], result["status"]) == (1, "partial")
    expected = hashlib.sha256(b"bukti sp.pdf\n").hexdigest()
    assert result["evidence"] == [{"kind": "file", "owner": "standar_pelayanan",
                                   "ref": "sp.pdf", "sha256": expected, "status": "ok"}]
    assert report["digests"]["evidence"] == {"sp.pdf": expected}


def make_symlink(unit: Path, target: Path) -> str:
    unit.mkdir(parents=True, exist_ok=True)
    (unit / "tautan.pdf").symlink_to(target)
    return "tautan.pdf"


@pytest.mark.parametrize(("kind", "status"), [
    ("missing", "not_found"),
    ("dotdot", "outside"),
    ("dotdot_inside_subfolder", "outside"),
    ("absolute", "outside"),
    ("symlink_out", "outside"),
    ("home", "outside"),
    ("folder", "not_a_file"),
])
def test_bad_evidence_is_a_finding_not_an_error(kind: str, status: str, tmp_path: Path,
                                                 outside: Path, write_manifest, run,
                                                 opened) -> None:
    unit = tmp_path / "unit"
    ref = {
        "missing": lambda: "tidak-ada.pdf",
        "dotdot": lambda: "../outside.pdf",
        "dotdot_inside_subfolder": lambda: "bukti/../../outside.pdf",
        "absolute": lambda: str(outside),
        "symlink_out": lambda: make_symlink(unit, outside),
        "home": lambda: "~/outside.pdf",
        "folder": lambda: (unit / "berkas").mkdir(parents=True) or "berkas",
    }[kind]()
    manifest = sp_manifest(write_manifest, [ref])
    before = manifest.read_bytes()
    reads = opened(outside)

    report = check_json(run, manifest)

    assert [(f["ref"], f["status"], f["owner"]) for f in report["findings"]] == [
        (ref, status, "standar_pelayanan")]
    result = sp_result(report)
    assert (result["level"], result["status"]) == (0, "fail")
    assert result["evidence"][0]["status"] == status
    assert result["evidence"][0]["sha256"] is None
    assert any(ref in u["message"]["en"] for u in result["unmet"]), result["unmet"]
    assert reads == [], "a file outside the manifest's folder was opened"
    assert hashlib.sha256(SECRET).hexdigest() not in json.dumps(report)
    assert manifest.read_bytes() == before
    assert outside.read_bytes() == SECRET


def test_all_bad_references_together(tmp_path: Path, outside: Path, write_manifest, run,
                                     opened) -> None:
    unit = tmp_path / "unit"
    refs = ["tidak-ada.pdf", "../outside.pdf", str(outside), make_symlink(unit, outside)]
    manifest = sp_manifest(write_manifest, refs)
    reads = opened(outside)

    report = check_json(run, manifest)
    assert sorted((f["ref"], f["status"]) for f in report["findings"]) == sorted([
        ("tidak-ada.pdf", "not_found"), ("../outside.pdf", "outside"),
        (str(outside), "outside"), ("tautan.pdf", "outside")])
    assert (sp_result(report)["level"], sp_result(report)["status"]) == (0, "fail")
    assert reads == []
    assert report["digests"]["evidence"] == {}

    text = run("check", manifest, "--lang", "en")
    assert text.code == 0
    assert "Findings on evidence:" in text.out
    for ref in refs:
        assert f"! {ref} (standar_pelayanan)" in text.out


def test_digest_mismatch_is_a_finding(write_manifest, run) -> None:
    manifest = write_manifest({"standar_pelayanan": {
        "ada": True, "bukti": [{"berkas": "sp.pdf", "sha256": "0" * 64}]}}, files=("sp.pdf",))
    report = check_json(run, manifest)
    assert [(f["ref"], f["status"]) for f in report["findings"]] == [("sp.pdf", "digest_mismatch")]
    assert sp_result(report)["level"] == 0


def test_matching_digest_is_accepted(write_manifest, run) -> None:
    digest = hashlib.sha256(b"bukti sp.pdf\n").hexdigest()
    manifest = write_manifest({"standar_pelayanan": {
        "ada": True, "bukti": [{"berkas": "sp.pdf", "sha256": digest}]}}, files=("sp.pdf",))
    report = check_json(run, manifest)
    assert report["findings"] == []
    assert sp_result(report)["level"] == 1


def test_a_good_file_beside_a_bad_one_still_counts(outside: Path, write_manifest, run) -> None:
    manifest = sp_manifest(write_manifest, ["../outside.pdf", "sp.pdf"], files=("sp.pdf",))
    report = check_json(run, manifest)
    assert [(f["ref"], f["status"]) for f in report["findings"]] == [("../outside.pdf",
                                                                      "outside")]
    assert sp_result(report)["level"] == 1


def test_url_evidence_is_recorded_not_fetched(write_manifest, run) -> None:
    manifest = write_manifest({"standar_pelayanan": {
        "ada": True, "bukti": ["https://contoh.go.id/sp.pdf"]}})
    report = check_json(run, manifest)
    assert report["findings"] == []
    result = sp_result(report)
    assert result["level"] == 1
    assert result["evidence"][0]["kind"] == "url"
    assert result["evidence"][0]["status"] == "declared"


# --- the user-survey (F-03) response file -----------------------------------------------------

F03_HEADER = "no,1.a.K1,2.a.K1,3.a.K1\n"


@pytest.mark.parametrize(("cell", "shown"), [("7", "'7'"), ("x", "'x'"), ("4.5", "'4.5'"),
                                             ("-1", "'-1'")])
def test_bad_f03_cell_names_row_and_column(cell: str, shown: str, write_manifest,
                                           run) -> None:
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "f03.csv"}})
    csv = manifest.parent / "f03.csv"
    csv.write_text(F03_HEADER + "1,5,4,4\n2,4,4,4\n3,4," + cell + ",5\n", encoding="utf-8")
    before = csv.read_bytes(), manifest.read_bytes()
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, "f03.csv:4: ", "2.a.K1", shown, "is not a whole number 0–5")
    assert (csv.read_bytes(), manifest.read_bytes()) == before


def test_f03_file_outside_the_folder_is_refused_unread(outside: Path, write_manifest, run,
                                                       opened) -> None:
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "../outside.pdf"}})
    reads = opened(outside)
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, "penilaian_pengguna.berkas", "leaves the manifest's folder")
    assert reads == []


def test_f03_file_missing(write_manifest, run) -> None:
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "f03.csv"}})
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, "f03.csv", "penilaian_pengguna.berkas", "file not found")


def test_f03_file_without_respondents(write_manifest, run) -> None:
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "f03.csv"}})
    (manifest.parent / "f03.csv").write_text(F03_HEADER, encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, "f03.csv", "no respondents")


def test_f03_file_not_utf8(write_manifest, run) -> None:
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "f03.csv"}})
    (manifest.parent / "f03.csv").write_bytes(b"nama,1.a.K1\nJos\xe9,5\n")
    result = run("check", manifest, "--lang", "en")
    assert_input_error(result, "f03.csv", "UTF-8")


@pytest.mark.parametrize(("header", "row", "positions"), [
    ("no,1.a.K1,2.a.K1,1.a.K1", "1,5,4,1", "columns 2, 4"),
    ("1.a.K1;2.a.K1;1.a.K1", "5;4;1", "columns 1, 3")])
def test_f03_duplicated_column_is_refused_naming_both_positions(
        header: str, row: str, positions: str, write_manifest, run) -> None:
    """Reading rows into {column: cell} would keep one of the two columns and lose the
    other's answers without a word."""
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "f03.csv"}})
    csv = manifest.parent / "f03.csv"
    csv.write_text(f"{header}\n{row}\n", encoding="utf-8")
    before = csv.read_bytes(), manifest.read_bytes()
    result = run("check", manifest, "--ruleset", "pekppp", "--lang", "en")
    assert_input_error(result, "f03.csv:1: ", "'1.a.K1'", "more than once", positions)
    assert (csv.read_bytes(), manifest.read_bytes()) == before


def test_f03_rekap_with_an_unknown_item_code_is_refused_listing_the_valid_codes(
        write_manifest, run) -> None:
    """Before: `rerata` was accepted and dropped, and the IPP fell back to F-02 alone, exit 0."""
    manifest = write_manifest({"penilaian_pengguna": {"rekap": {
        "responden": 12, "butir": {"1.a.K1": 4.2, "rerata": 4.6}}}})
    result = run("check", manifest, "--ruleset", "pekppp", "--lang", "en")
    assert_input_error(result, "manifest.yaml:", "penilaian_pengguna.rekap.butir.rerata",
                       "unknown key: rerata", "1.a.K1", "15.e.K", "9.c.K")


def test_f03_rekap_item_codes_in_the_schema_are_the_rulesets_items() -> None:
    """The manifest schema lists the F-03 item codes so that a wrong one is an error with its
    line; they must stay the codes the scoring reads."""
    schema = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text("utf-8"))
    butir = schema["properties"]["penilaian_pengguna"]["properties"]["rekap"]["properties"][
        "butir"]
    ruleset = yaml.safe_load((ROOT / "rules" / "pekppp" / "ruleset.yaml").read_text("utf-8"))
    surveys = [e["scoring"]["blend"]["survey"] for e in ruleset["editions"]
               if "blend" in e.get("scoring", {})]
    assert surveys
    for survey in surveys:
        assert {i["code"] for i in survey["items"]} == set(butir["properties"])
    assert butir["additionalProperties"] is False


# --- where reports and templates are written ------------------------------------------------

def test_output_onto_the_manifest_is_refused(good_manifest: Path, run) -> None:
    """Inputs are never modified: `-o` naming the manifest itself must not replace it."""
    before = good_manifest.read_bytes()
    result = run("check", good_manifest, "-o", good_manifest, "--lang", "en")
    assert good_manifest.read_bytes() == before, "the report overwrote the manifest"
    assert result.code == 2
    assert str(good_manifest) in result.err
    assert "Traceback" not in result.err


def test_output_below_a_file_is_bad_input(good_manifest: Path, tmp_path: Path, run) -> None:
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x\n", encoding="utf-8")
    result = run("check", good_manifest, "-o", blocker / "report.json", "--lang", "en")
    assert result.code == 2, result.err  # a user's mistake, not an internal error (3)
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    assert str(blocker) in result.err
    assert blocker.read_text("utf-8") == "x\n"


def test_init_below_a_file_is_bad_input(tmp_path: Path, run) -> None:
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x\n", encoding="utf-8")
    result = run("init", blocker / "unit")
    assert result.code == 2, result.err  # a user's mistake, not an internal error (3)
    assert "Traceback" not in result.err
    assert str(blocker) in result.err
    assert blocker.read_text("utf-8") == "x\n"


def test_init_on_a_file_is_bad_input(tmp_path: Path, run) -> None:
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x\n", encoding="utf-8")
    result = run("init", blocker)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert blocker.read_text("utf-8") == "x\n"
