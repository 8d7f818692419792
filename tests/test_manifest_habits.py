"""Manifests written as people in Indonesia type: ``ya``/``tidak``, ``ada``/``tidak ada``,
``31/10/2025``, ``31-10-2025``, ``31 Oktober 2025``, ``82,5``, ``9.870``. They score exactly
like their ISO twins, the report says how each entry was read, an unreadable entry is exit 2
saying which forms are accepted, and the input file is never changed."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import date
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from patuh import hookimpl
from patuh import manager
from patuh.errors import InputError
from patuh.habits import MONTH_NAMES_ID
from patuh.manifest import load_manifest
from patuh.normalize import normalize
from patuh.validation import load_schema
from patuh.validation import validator
from patuh.yamlio import Document

ROOT = Path(__file__).resolve().parents[1]
FUZZ_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                         suppress_health_check=[HealthCheck.too_slow])
HEAD = "schema_version: 1\nunit:\n  nama: Unit Uji\nperiode:\n  tahun: 2024\n"

_DATE = re.compile(r'^(\s*-?\s*tanggal\w*): "([0-9]{4})-([0-9]{2})-([0-9]{2})"(.*)$')
_BOOL = re.compile(r"^(\s*-?\s*\w+): (true|false)(\s*(?:#.*)?)$")


def habits_twin(text: str) -> tuple[str, int]:
    """The manifest as a person would type it: every ISO date in a day-first or month-name
    form, every true/false as ya/ada or tidak/tidak ada, the population with thousands dots
    (unquoted: YAML reads 9.870 as 9.87) and a percentage with a decimal comma. Returns the
    text and how many values were rewritten."""
    out, count = [], 0
    for line in text.split("\n"):
        match = _DATE.match(line)
        if match:
            key, year, month, day, rest = match.groups()
            form = count % 3
            if form == 0:
                shown = f"{day}/{month}/{year}"
            elif form == 1:
                shown = f"{day}-{month}-{year}"
            else:
                shown = f"{int(day)} {MONTH_NAMES_ID[int(month) - 1]} {year}"
            line, count = f"{key}: {shown}{rest}", count + 1
        match = _BOOL.match(line)
        if match:
            key, value, rest = match.groups()
            words = ("ya", "ada") if value == "true" else ("tidak", "tidak ada")
            line, count = f"{key}: {words[count % 2]}{rest}", count + 1
        populasi = re.match(r"^(\s*populasi): ([0-9]{1,3})([0-9]{3})(\s*(?:#.*)?)$", line)
        if populasi:
            key, high, low, rest = populasi.groups()
            line, count = f"{key}: {high}.{low}{rest}", count + 1
        persen = re.match(r"^(\s*tanpa_maladministrasi_persen): ([0-9]+)\.([0-9]+)(.*)$", line)
        if persen:
            key, whole, fraction, rest = persen.groups()
            line, count = f'{key}: "{whole},{fraction}"{rest}', count + 1
        out.append(line)
    return "\n".join(out), count


def without_readings(bundle: dict[str, Any]) -> dict[str, Any]:
    """A report bundle minus what differs between twins: the readings and the manifest's own
    digest (its bytes differ)."""
    reports = []
    for report in bundle["reports"]:
        report = {k: v for k, v in report.items() if k not in ("readings", "manifest")}
        report["digests"] = {k: v for k, v in report["digests"].items() if k != "manifest"}
        reports.append(report)
    return {**bundle, "reports": reports}


@pytest.mark.parametrize("example", ["dpmptsp-kota-harapan", "puskesmas-sukamaju"])
def test_habits_twin_scores_exactly_as_its_iso_twin(example: str, tmp_path: Path, run) -> None:
    unit = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, unit)
    manifest = unit / "manifest.yaml"
    iso = run("check", manifest, "--ruleset", "all", "--format", "json")
    assert iso.code in (0, 1), iso.err
    text, rewritten = habits_twin(manifest.read_text("utf-8"))
    assert rewritten >= 20  # dates, yes/no words, thousands dots, decimal comma
    assert "populasi: 9.870" in text or "populasi: 14.350" in text
    manifest.write_text(text, encoding="utf-8")
    before = manifest.read_bytes()

    typed = run("check", manifest, "--ruleset", "all", "--format", "json")
    assert typed.code == iso.code, typed.err
    assert manifest.read_bytes() == before  # never modified
    iso_bundle, typed_bundle = json.loads(iso.out), json.loads(typed.out)
    assert without_readings(typed_bundle) == without_readings(iso_bundle)
    for report in typed_bundle["reports"]:
        assert not list(validator("report").iter_errors(report))
        readings = report["readings"]
        assert len(readings) == rewritten
        paths = [r["path"] for r in readings]
        assert len(set(paths)) == len(paths)
    assert all("readings" not in r for r in iso_bundle["reports"])  # ISO: nothing to say


def test_readings_in_text_json_and_html(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(
        "schema_version: 1\nunit:\n  nama: Unit Uji\nperiode:\n  tahun: 2024\n"
        "  tanggal_penilaian: 31 Oktober 2024\n"
        "standar_pelayanan:\n  ada: ya\n  penetapan:\n    tanggal: 31/01/2024\n"
        "maklumat:\n  ada: tidak ada\n"
        "skm:\n  populasi: 9.870\n  responden: \"1.234\"\n  ikm: \"82,5\"\n",
        encoding="utf-8")
    text = run("check", manifest)
    assert text.code in (0, 1), text.err
    section = text.out.split("Cara patuh membaca isian:\n", 1)[1].split("\n\n", 1)[0]
    assert section.split("\n") == [
        "  periode.tanggal_penilaian: 31 Oktober 2024 → 2024-10-31 (nama bulan)",
        "  standar_pelayanan.ada: ya → ya (ya/tidak)",  # as read, in the reader's words
        "  standar_pelayanan.penetapan.tanggal: 31/01/2024 → 2024-01-31 (hari lebih dulu)",
        "  maklumat.ada: tidak ada → tidak (ya/tidak)",
        "  skm.populasi: 9.870 → 9870 (titik pemisah ribuan)",
        "  skm.responden: 1.234 → 1234 (titik pemisah ribuan)",
        "  skm.ikm: 82,5 → 82,5 (koma desimal)",
    ]
    english = run("check", manifest, "--lang", "en")
    assert "How patuh read your entries:\n  periode.tanggal_penilaian: 31 Oktober 2024 → " \
           "2024-10-31 (month name)\n" in english.out

    as_json = json.loads(run("check", manifest, "--format", "json").out)
    assert not list(validator("report").iter_errors(as_json))
    assert as_json["evaluated_on"] == "2024-10-31"
    assert as_json["period"] == {"tahun": 2024, "tanggal_penilaian": "2024-10-31"}
    assert as_json["readings"][4] == {"path": "skm.populasi", "raw": "9.870", "value": 9870,
                                      "how": {"id": "titik pemisah ribuan",
                                              "en": "thousands dots"}}
    assert [r["value"] for r in as_json["readings"]] == [
        "2024-10-31", True, "2024-01-31", False, 9870, 1234, 82.5]

    page = tmp_path / "report.html"
    assert run("check", manifest, "--format", "html", "-o", page).code in (0, 1)
    html = page.read_text("utf-8")
    assert '<h2 id="readings">Cara patuh membaca isian</h2>' in html
    assert html.count('<tr class="reading">') == 7
    assert ("<td><code>skm.ikm</code></td><td>82,5</td><td>82,5</td>"
            "<td>koma desimal</td>") in html
    english = run("check", manifest, "--lang", "en", "--format", "html", "-o", page)
    assert english.code in (0, 1)
    assert ("<td><code>skm.ikm</code></td><td>82,5</td><td>82.5</td><td>decimal comma</td>"
            in page.read_text("utf-8"))


def test_text_report_caps_the_readings(tmp_path: Path, run) -> None:
    lines = "".join(f"      - uraian: RTL {i}\n        terealisasi: ya\n"
                    f"        tanggal_realisasi: 0{1 + i % 9}/10/2024\n"
                    for i in range(15))
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "skm:\n  tindak_lanjut:\n    rencana:\n" + lines, encoding="utf-8")
    result = run("check", manifest)
    assert result.code in (0, 1), result.err
    section = result.out.split("Cara patuh membaca isian:\n", 1)[1].split("\n\n", 1)[0]
    assert len(section.split("\n")) == 21
    assert section.endswith("… dan 10 lagi (lihat `readings[]` pada `--format json`)")
    assert len(json.loads(run("check", manifest, "--format", "json").out)["readings"]) == 30


def test_ambiguous_date_is_read_day_first_and_said(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "  tanggal_penilaian: 01/02/2024\n", encoding="utf-8")
    report = json.loads(run("check", manifest, "--format", "json").out)
    assert report["evaluated_on"] == "2024-02-01"  # 1 February, not 2 January
    (reading,) = report["readings"]
    assert reading["how"] == {
        "id": "hari lebih dulu: 1 Februari 2024; bila maksudnya 2 Januari 2024, tulis 2024-01-02",
        "en": "day first: 1 February 2024; if 2 January 2024 was meant, write 2024-01-02"}
    english = run("check", manifest, "--lang", "en").out
    assert "01/02/2024 → 2024-02-01 (day first: 1 February 2024; if 2 January 2024" in english


@pytest.mark.parametrize(("body", "line", "path", "shown", "forms"), [
    ("standar_pelayanan:\n  penetapan:\n    tanggal: 31/13/2024\n", 8,
     "standar_pelayanan.penetapan.tanggal", '"31/13/2024" is not a valid date',
     "write the date as 31/10/2025, 31-10-2025, 31 Oktober 2025 or 2025-10-31"),
    ("standar_pelayanan:\n  penetapan:\n    tanggal: kemarin\n", 8,
     "standar_pelayanan.penetapan.tanggal", '"kemarin" is not a valid date',
     "write the date as 31/10/2025"),
    ("standar_pelayanan:\n  penetapan:\n    tanggal: 45232\n", 8,
     "standar_pelayanan.penetapan.tanggal", "45232 is not of type string",
     "a number in a date field of a YAML/JSON file is not a date"),
    ("maklumat:\n  ada: mungkin\n", 7, "maklumat.ada", '"mungkin" is not of type boolean',
     "write ya or tidak"),
    ("skm:\n  populasi: \"9,5\"\n", 7, "skm.populasi", '"9,5" is not of type integer',
     "write a whole number, e.g. 9870 or 9.870"),
    ("skm:\n  populasi: 9.87\n", 7, "skm.populasi", "9.87 is not of type integer",
     "write a whole number, e.g. 9870 or 9.870"),
    ("skm:\n  ikm: delapan puluh\n", 7, "skm.ikm", '"delapan puluh" is not of type number',
     "write a number, e.g. 82,5 or 82.5"),
])
def test_unreadable_values_say_which_forms_are_accepted(
        tmp_path: Path, run, body: str, line: int, path: str, shown: str, forms: str) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + body, encoding="utf-8")
    before = manifest.read_bytes()
    result = run("check", manifest, "--lang", "en")
    assert result.code == 2, result.err
    assert result.out == "" and "Traceback" not in result.err
    assert f"{manifest}:{line}: {path}: {shown}" in result.err
    assert f"↳ {forms}" in result.err
    assert manifest.read_bytes() == before
    indonesian = run("check", manifest)
    assert indonesian.code == 2 and "tulis " in indonesian.err.split("↳", 1)[1]


def test_a_long_text_in_a_date_field_is_refused_at_once(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "maklumat:\n  penetapan:\n    tanggal: \"" + "31 " * 300_000
                        + "\"\n", encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert result.code == 2 and f"{manifest}:8: maklumat.penetapan.tanggal" in result.err
    assert "↳ write the date as" in result.err


def test_several_unreadable_values_are_reported_together(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "maklumat:\n  ada: mungkin\n  penetapan:\n"
                        "    tanggal: 30/02/2024\n", encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert result.code == 2
    assert f"{manifest}:7: maklumat.ada" in result.err
    assert f"{manifest}:9: maklumat.penetapan.tanggal" in result.err
    assert result.err.count("↳ write ya or tidak") == 1
    assert result.err.count("↳ write the date as") == 1


def test_a_value_read_but_still_wrong_says_how_it_was_read(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "skm:\n  ikm: \"120,5\"\n", encoding="utf-8")
    result = run("check", manifest, "--lang", "en")
    assert result.code == 2
    assert f"{manifest}:7: skm.ikm: 120.5 must be <= 100" in result.err
    assert "↳ written '120,5', read as 120.5 (decimal comma)" in result.err


def test_number_field_keeps_the_decimal_point(tmp_path: Path, run) -> None:
    """``ikm: 82.500`` is 82.5 (82500 is outside 25–100): nothing to say."""
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(HEAD + "skm:\n  ikm: 82.500\n  populasi: 1.234.567\n",
                        encoding="utf-8")
    report = json.loads(run("check", manifest, "--format", "json").out)
    assert [(r["path"], r["value"]) for r in report["readings"]] == [
        ("skm.populasi", 1234567)]


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "luas": {"type": "number", "minimum": 0},
        "persen": {"type": "number", "minimum": 0, "maximum": 100},
        "kecil": {"type": "number", "maximum": 5},
        "jumlah": {"type": "integer"},
        "daftar": {"type": "array", "items": {"$ref": "#/$defs/butir"}},
        "pilihan": {"oneOf": [{"type": "string", "format": "date"}, {"type": "boolean"}]},
        "bebas": {"type": "string"},
    },
    "$defs": {"butir": {"type": "object", "properties": {"ada": {"type": "boolean"},
                                                          "tanggal": {"type": "string",
                                                                      "format": "date"}}}},
}


def test_ambiguous_point_in_a_number_field_is_kept_and_said(tmp_path: Path) -> None:
    """A point with three digits after it, where both readings fit the schema: the decimal
    point is kept (never a value multiplied by 1000 on a guess), and the reading says so."""
    text = ("luas: 1.500\npersen: 1.500\nkecil: \"2.500\"\njumlah: 2.500\n"
            "daftar:\n  - {ada: ya, tanggal: 1 Mei 2024}\n  - {ada: 0}\n"
            "pilihan: tidak\nbebas: \"ya\"\n")
    file = tmp_path / "data.yaml"
    file.write_text(text, encoding="utf-8")
    from patuh.yamlio import load_yaml

    document = load_yaml(file)
    read = normalize(document, SCHEMA)
    assert read.data == {"luas": 1.5, "persen": 1.5, "kecil": 2.5, "jumlah": 2500,
                         "daftar": [{"ada": True, "tanggal": "2024-05-01"}, {"ada": False}],
                         "pilihan": False, "bebas": "ya"}
    assert document.data["jumlah"] == 2.5 and document.data["daftar"][0]["ada"] == "ya"
    found = {r.path: (r.reading.raw, r.reading.how.en) for r in read.readings}
    assert found[("luas",)][1].startswith("the point is read as a decimal point")
    assert ("persen",) not in found and ("kecil",) not in found  # 1500, 2500: out of range
    assert found[("jumlah",)] == ("2.500", "thousands dots")
    assert found[("daftar", 1, "ada")] == ("0", "1/0 read as yes/no")
    assert not read.unread


def test_thousands_taken_when_only_they_fit(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {"n": {"type": "number", "minimum": 1000}}}
    document = Document(tmp_path / "m.yaml", {"n": "2.500"}, {})
    read = normalize(document, schema)
    assert read.data == {"n": 2500}
    assert read.readings[0].reading.how.en.startswith("thousands dots")


WORKBOOK_DATA: dict[str, Any] = {
    "schema_version": 1.0,
    "unit": {"nama": "Unit Buku Kerja"},
    "periode": {"tahun": 2024.0, "tanggal_penilaian": datetime(2024, 10, 31, 0, 0)},
    "standar_pelayanan": {"ada": True, "semua_layanan": "Ya",
                          "penetapan": {"oleh": "kepala_unit", "tanggal": date(2024, 2, 5)},
                          "monev": {"tanggal": 45392},
                          "peninjauan": {"dilakukan": 1.0, "interval_bulan": 12.0,
                                         "tanggal_terakhir": datetime(2023, 11, 22, 14, 30)}},
    "maklumat": {"ada": "ada", "penetapan": {"tanggal": 45392.75}},
    "skm": {"populasi": 9870.0, "responden": "412", "ikm": 82.5,
            "tindak_lanjut": {"jumlah_rencana": 6.0}},
}
WORKBOOK_CANONICAL: dict[str, Any] = {
    "schema_version": 1,
    "unit": {"nama": "Unit Buku Kerja"},
    "periode": {"tahun": 2024, "tanggal_penilaian": "2024-10-31"},
    "standar_pelayanan": {"ada": True, "semua_layanan": True,
                          "penetapan": {"oleh": "kepala_unit", "tanggal": "2024-02-05"},
                          "monev": {"tanggal": "2024-04-10"},
                          "peninjauan": {"dilakukan": True, "interval_bulan": 12,
                                         "tanggal_terakhir": "2023-11-22"}},
    "maklumat": {"ada": True, "penetapan": {"tanggal": "2024-04-10"}},
    "skm": {"populasi": 9870, "responden": 412, "ikm": 82.5,
            "tindak_lanjut": {"jumlah_rencana": 6}},
}


def test_a_workbook_document_is_read_the_same_way(tmp_path: Path) -> None:
    """What a workbook loader hands over — date and datetime cells, whole floats, serial
    numbers, words — is read like typed text (the XLSX loader relies on this)."""
    document = Document(tmp_path / "manifest.xlsx", WORKBOOK_DATA, {})
    read = normalize(document, load_schema("manifest"))
    assert read.data == WORKBOOK_CANONICAL
    assert type(read.data["periode"]["tahun"]) is int
    assert type(read.data["skm"]["populasi"]) is int
    assert not read.unread
    hows = {r.path: r.reading.how.en for r in read.readings}
    assert hows == {
        ("standar_pelayanan", "semua_layanan"): "yes/no",
        ("standar_pelayanan", "monev", "tanggal"): "Excel date serial number",
        ("standar_pelayanan", "peninjauan", "dilakukan"): "1/0 read as yes/no",
        ("standar_pelayanan", "peninjauan", "tanggal_terakhir"): "the time is dropped",
        ("maklumat", "ada"): "yes/no",
        ("maklumat", "penetapan", "tanggal"): "Excel date serial number; the time is dropped",
    }  # a date cell, a whole float, a number as text: nothing was guessed, nothing listed
    assert WORKBOOK_DATA["periode"]["tanggal_penilaian"] == datetime(2024, 10, 31)  # untouched


def test_serials_only_where_the_loader_says_so(tmp_path: Path) -> None:
    data = {"schema_version": 1, "unit": {"nama": "U"},
            "periode": {"tahun": 2024, "tanggal_penilaian": 45392}}
    schema = load_schema("manifest")
    as_yaml = normalize(Document(tmp_path / "m.yaml", data, {}), schema)
    assert as_yaml.data["periode"]["tanggal_penilaian"] == 45392
    assert ("periode", "tanggal_penilaian") in as_yaml.unread
    marked = normalize(Document(tmp_path / "m.yaml", data, {}, serial_dates=True), schema)
    assert marked.data["periode"]["tanggal_penilaian"] == "2024-04-10"
    unmarked = normalize(Document(tmp_path / "m.xlsx", data, {}, serial_dates=False), schema)
    assert unmarked.data["periode"]["tanggal_penilaian"] == 45392


def test_a_loader_letting_nan_through_is_still_refused(tmp_path: Path) -> None:
    pm = manager.get_plugin_manager()

    class Loader:
        @hookimpl
        def patuh_load_manifest(self, path: Path) -> Document | None:
            return Document(path, {"schema_version": 1, "unit": {"nama": "U"},
                                   "periode": {"tahun": 2024}, "skm": {"ikm": float("nan"),
                                                                     "populasi": float("inf")}},
                            {}) if path.suffix == ".xlsx" else None

    pm.register(Loader(), name="test-nan-loader")
    try:
        with pytest.raises(InputError) as caught:
            load_manifest(tmp_path / "manifest.xlsx")
        assert "skm" in caught.value.render("en") and "finite" in caught.value.render("en")
    finally:
        pm.unregister(name="test-nan-loader")


class _WorkbookLoader:
    """A stand-in for the XLSX loader plugin: hands over cells as openpyxl gives them."""

    @hookimpl
    def patuh_load_manifest(self, path: Path) -> Document | None:
        if path.suffix != ".xlsx":
            return None
        return Document(path, json.loads(json.dumps(WORKBOOK_DATA, default=_cell)) | {
            "periode": dict(WORKBOOK_DATA["periode"])}, {})


def _cell(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def test_load_manifest_reads_a_workbook_loaders_document(tmp_path: Path, run) -> None:
    pm = manager.get_plugin_manager()
    plugin = _WorkbookLoader()
    pm.register(plugin, name="test-workbook-loader")
    try:
        file = tmp_path / "manifest.xlsx"
        file.write_bytes(b"PK not really a workbook")
        manifest = load_manifest(file)
        assert manifest.data["periode"] == {"tahun": 2024, "tanggal_penilaian": "2024-10-31"}
        assert manifest.data["standar_pelayanan"]["monev"]["tanggal"] == "2024-04-10"
        assert manifest.as_of(None)[0] == date(2024, 10, 31)
        report = json.loads(run("check", file, "--format", "json").out)
        assert report["evaluated_on"] == "2024-10-31"
        assert {r["path"] for r in report["readings"]} >= {"standar_pelayanan.monev.tanggal"}
    finally:
        pm.unregister(name="test-workbook-loader")


def test_json_manifest_reads_the_same_habits(tmp_path: Path, run) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({
        "schema_version": 1, "unit": {"nama": "Unit JSON"},
        "periode": {"tahun": 2024, "tanggal_penilaian": "31-10-2024"},
        "maklumat": {"ada": "ya"}, "skm": {"populasi": "9.870"}}), encoding="utf-8")
    before = hashlib.sha256(manifest.read_bytes()).hexdigest()
    report = json.loads(run("check", manifest, "--format", "json").out)
    assert report["evaluated_on"] == "2024-10-31"
    assert [r["value"] for r in report["readings"]] == ["2024-10-31", True, 9870]
    assert hashlib.sha256(manifest.read_bytes()).hexdigest() == before


def test_batch_reports_carry_the_readings(tmp_path: Path, run) -> None:
    units = tmp_path / "units"
    (units / "a").mkdir(parents=True)
    (units / "a" / "manifest.yaml").write_text(
        "schema_version: 1\nunit:\n  nama: Unit A\n  kode: unit-a\nperiode:\n  tahun: 2024\n"
        "maklumat:\n  ada: ya\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", units, "-o", out, "--format", "json", "--workers", "1")
    assert result.code in (0, 1), result.err
    report = json.loads((out / "unit-a.pekppp.json").read_text("utf-8"))
    assert report["readings"] == [{"path": "maklumat.ada", "raw": "ya", "value": True,
                                   "how": {"id": "ya/tidak", "en": "yes/no"}}]


def test_old_manifests_give_no_readings() -> None:
    for manifest in sorted((ROOT / "examples").glob("*/manifest.yaml")):
        assert load_manifest(manifest).readings == (), manifest


def test_history_keeps_a_habit_written_manifest(tmp_path: Path, run) -> None:
    unit = tmp_path / "unit"
    shutil.copytree(ROOT / "examples" / "dpmptsp-kota-harapan", unit)
    manifest = unit / "manifest.yaml"
    iso = json.loads(run("check", manifest, "--format", "json").out)
    manifest.write_text(habits_twin(manifest.read_text("utf-8"))[0], encoding="utf-8")
    db = tmp_path / "history.sqlite"
    stored = run("check", manifest, "--store", db)
    assert stored.code in (0, 1) and "added" in stored.err, stored.err
    listed = run("history", "dpmptsp-kota-harapan", "--store", db, "--format", "json")
    assert listed.code == 0, listed.err
    (row,) = json.loads(listed.out)
    assert row["final"] == iso["score"]["final"]
    assert row["evaluated_on"] == iso["evaluated_on"] == "2024-10-21"


def _leaf_paths(schema: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Every scalar place of the manifest schema (list items at index 0)."""
    defs = schema["$defs"]
    found: list[tuple[str | int, ...]] = []

    def walk(node: dict[str, Any], path: tuple[str | int, ...]) -> None:
        if "$ref" in node:
            node = {**defs[node["$ref"].rsplit("/", 1)[1]], **node}
        if node.get("type") == "object" or "properties" in node:
            for key, sub in (node.get("properties") or {}).items():
                walk(sub, (*path, key))
        elif node.get("type") == "array" and isinstance(node.get("items"), dict):
            walk(node["items"], (*path, 0))
        else:
            found.append(path)

    walk(schema, ())
    return found


LEAVES = _leaf_paths(load_schema("manifest"))
TYPED = st.sampled_from(["ya", "Tidak", "tidak ada", "ada", "sudah", "1", "0", "-", "mungkin",
                         "31/10/2025", "01/02/2024", "10/31/2025", "31 Oktober 2025",
                         "Jumat, 31 Okt 2025", "2025-10-31", "2025-02-30", "31/13/2025",
                         "82,5", "9.870", "1.234.567,89", "0.500", "9,5", "-1.500", " 12 ",
                         "", "x" * 300, "\u202e1", "1e3", "NaN"])
CELLS = st.one_of(TYPED, st.booleans(), st.integers(-10, 3_000_000),
                  st.floats(allow_nan=True, allow_infinity=True),
                  st.dates(), st.datetimes(), st.none(), st.lists(st.integers(0, 2), max_size=2))


def _put(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for part, following in zip(path, (*path[1:], None), strict=True):
        if following is None:
            break
        if isinstance(part, int):
            while len(node) <= part:
                node.append([] if isinstance(following, int) else {})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(following, int) else {})
    last = path[-1]
    if isinstance(last, int):
        node.append(value)
    else:
        node[last] = value


@FUZZ_SETTINGS
@given(entries=st.lists(st.tuples(st.sampled_from(LEAVES), CELLS), max_size=25),
       serial=st.sampled_from([None, True, False]), suffix=st.sampled_from([".yaml", ".xlsx"]))
def test_any_cells_are_read_without_crashing_and_reading_is_idempotent(
        entries: list[tuple[tuple[str | int, ...], Any]], serial: bool | None,
        suffix: str) -> None:
    """Whatever a loader hands over, the pass never raises, leaves the loader's data as it
    was, and its result is canonical: read again, nothing more is read."""
    data: dict[str, Any] = {}
    for path, value in entries:
        try:
            _put(data, path, value)
        except (AttributeError, TypeError):
            continue  # a place already holding a scalar of another entry
    snapshot = repr(data)
    schema = load_schema("manifest")
    document = Document(Path("manifest" + suffix), data, {}, serial_dates=serial)
    first = normalize(document, schema)
    assert repr(data) == snapshot
    for reading in first.readings:
        node: Any = first.data
        for part in reading.path:
            node = node[part]
        assert node == reading.value
    again = normalize(Document(Path("manifest" + suffix), first.data, {},
                               serial_dates=serial), schema)
    assert again.readings == () and again.data == first.data
    list(validator("manifest").iter_errors(first.data))  # the schema check copes with it
