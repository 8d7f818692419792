"""Data files as units keep them (issue 10, item 3): SKM answers exported by Excel in an
Indonesian locale (`;`, dates `31/10/2025`), title rows above the header, the headings people
write (`Jenis Layanan`, `Jenis Kelamin`, `U1 Persyaratan`, `Umur (tahun)`), workbooks with
real date cells and several sheets, columns patuh does not know; and errors that blame the
real cause. Every file here is written by the test and every figure checked by hand."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from test_skm import assert_input_error
from test_skm import skm_json
from test_skm import table
from test_skm import write

# Data set A of test_skm (hand-checked there): IKM 86.11 B; Izin Usaha 91.67 A, PBG 80.56 B;
# weakest U3 and U8. Here with the dates as an Indonesian user types them.
ANSWERS = [
    ["Izin Usaha", "31/10/2025", 4, 4, 3, 4, 3, 4, 4, 3, 4, "L", "25", "SMA", "Wiraswasta",
     "cepat"],
    ["PBG", "01/11/2025", 3, 3, 3, 4, 3, 3, 4, 3, 3, "P", "40", "S1", "PNS", ""],
    ["PBG", "4 November 2025", 4, 3, 2, 4, 3, 4, 4, 2, 3, "P", "33", "S1", "Swasta", "antre"],
    ["Izin Usaha", "05-11-2025", 3, 4, 3, 4, 4, 4, 4, 3, 4, "L", "51", "D3", "Wiraswasta",
     ""],
]
UNSUR_HEADINGS = ["U1 Persyaratan", "U2. Sistem, Mekanisme dan Prosedur", "U3 Waktu",
                  "Unsur 4", "U5 Produk", "U6 Kompetensi", "U7 Perilaku", "U8 Pengaduan",
                  "U9 Sarana"]
HEADER = ["No", "Jenis Layanan", "Tanggal Survei", *UNSUR_HEADINGS, "Jenis Kelamin",
          "Umur (tahun)", "Pendidikan Terakhir", "Pekerjaan", "Saran"]
EXPECTED = {"U1": (3.5, 87.5), "U2": (3.5, 87.5), "U3": (2.75, 68.75), "U4": (4.0, 100.0),
            "U5": (3.25, 81.25), "U6": (3.75, 93.75), "U7": (4.0, 100.0),
            "U8": (2.75, 68.75), "U9": (3.5, 87.5)}
TITLE = "HASIL SURVEI KEPUASAN MASYARAKAT DPMPTSP KOTA HARAPAN"


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    """Rows as a spreadsheet saves them (a cell holding the delimiter is quoted)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def indonesian_csv(delimiter: str = ";", *, title: bool = True, dates: list[str] | None = None
                   ) -> str:
    """As Excel saves "CSV (pemisah titik koma)" in an Indonesian locale, with the sheet's
    title block above the header."""
    lines = []
    if title:
        lines += [[TITLE] + [""] * (len(HEADER) - 1), [""] * len(HEADER)]
    lines.append(HEADER)
    for number, row in enumerate(ANSWERS, start=1):
        lines.append([str(number), row[0], dates[number - 1] if dates else row[1],
                      *(str(c) for c in row[2:])])
    return csv_text(lines, delimiter)


def assert_data_set_a(report: dict) -> None:
    assert report["respondents"] == 4
    assert report["ikm"] == 86.11
    assert report["mutu"]["code"] == "B"
    assert table(report) == EXPECTED
    assert report["weakest"] == ["U3", "U8"]
    assert [(s["layanan"], s["respondents"], s["ikm"], s["mutu"]["code"])
            for s in report["layanan"]] == [("Izin Usaha", 2, 91.67, "A"), ("PBG", 2, 80.56, "B")]
    assert report["profile"]["jenis_kelamin"] == {"L": 2, "P": 2}
    assert report["profile"]["umur"] == {"n": 4, "min": 25, "max": 51, "median": 36.5}
    assert report["profile"]["pendidikan"] == {"D3": 1, "S1": 2, "SMA": 1}
    assert report["profile"]["pekerjaan"] == {"PNS": 1, "Swasta": 1, "Wiraswasta": 2}
    assert report["excluded"] == []


def notes_en(report: dict) -> list[str]:
    return [n["en"] for n in report["notes"]]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_indonesian_excel_csv_with_a_title_block(delimiter: str, tmp_path: Path, run) -> None:
    """Before: every row dropped (dates not ISO), the error blamed the delimiter, the title
    rows were refused and Jenis Layanan / Jenis Kelamin ignored without a word."""
    file = write(tmp_path / "jawaban.csv", indonesian_csv(delimiter))
    report = skm_json(run, file, "--period", "2025")
    assert_data_set_a(report)
    # 31/10/2025 and 01/11/2025 (ambiguous: day first) and 05-11-2025, 4 November 2025
    assert report["period"]["survey_from"] == "2025-10-31"
    assert report["period"]["survey_to"] == "2025-11-05"
    assert report["period"]["within"] is True
    notes = notes_en(report)
    assert "the header row was found on line 3; the 2 rows above it (titles) were skipped" \
        in notes
    dates = next(n for n in notes if n.startswith("dates read"))
    assert "day first (DD/MM/YYYY), e.g. '31/10/2025' → 2025-10-31: 3 rows" in dates
    assert "with the month's name, e.g. '4 November 2025' → 2025-11-04: 1 row" in dates
    headings = next(n for n in notes if n.startswith("column headings read as"))
    assert "'Pekerjaan'" not in headings  # the same name, only capitalised
    for pair in ("'Jenis Layanan' → layanan", "'Tanggal Survei' → tanggal",
                 "'U2. Sistem, Mekanisme dan Prosedur' → U2", "'Unsur 4' → U4",
                 "'Umur (tahun)' → umur",
                 "'Pendidikan Terakhir' → pendidikan"):
        assert pair in headings
    assert "columns not known, not read: 'Saran'" in notes
    assert not any("'No'" in n for n in notes)  # a row number: known, not read, no note

    text = run("skm", file)
    assert text.code == 0, text.err
    assert "tanggal dibaca hari lebih dulu (DD/MM/YYYY), mis. '31/10/2025' → 2025-10-31: " \
           "3 baris" in text.out
    assert "Per layanan:" in text.out and "Profil responden:" in text.out
    assert "kolom tidak dikenal, tidak dibaca: 'Saran'" in text.out


def test_unsur_titles_as_headings(tmp_path: Path, run) -> None:
    """A form that names the unsur by their titles (the rule data's), not by U1 … U9."""
    titles = ["Persyaratan", "Sistem, mekanisme, dan prosedur", "Waktu Penyelesaian",
              "Biaya / Tarif", "Produk spesifikasi jenis pelayanan", "Kompetensi Pelaksana",
              "Perilaku Pelaksana", "Penanganan pengaduan, saran dan masukan",
              "Sarana dan prasarana"]
    lines = [["Layanan", *titles], *([row[0], *(str(c) for c in row[2:11])] for row in ANSWERS)]
    report = skm_json(run, write(tmp_path / "judul.csv", csv_text(lines)))
    assert report["ikm"] == 86.11
    assert table(report) == EXPECTED


def test_the_same_unsur_twice_under_two_spellings_is_refused(tmp_path: Path, run) -> None:
    header = ["U1", *UNSUR_HEADINGS[1:], "U1 Persyaratan"]
    file = write(tmp_path / "dua.csv", csv_text([header, ["4"] * 10]))
    assert_input_error(run("skm", file, "--lang", "en"), "dua.csv:1",
                       "columns 'U1' (no. 1) and 'U1 Persyaratan' (no. 10) are both read as U1")


def test_timestamp_and_a_date_column_take_the_closer_spelling(tmp_path: Path, run) -> None:
    """A Google Forms export: its own `Timestamp` beside the form's `Tanggal` question."""
    header = ["Timestamp", "Tanggal", *[f"U{i}" for i in range(1, 10)]]
    rows = ["31/10/2025 10:15:00,30/10/2025," + ",".join(["4"] * 9)]
    report = skm_json(run, write(tmp_path / "gform.csv", "\n".join([",".join(header), *rows])
                                 + "\n"))
    assert report["period"]["survey_from"] == "2025-10-30"
    assert "column 'Timestamp' not read: 'Tanggal' gives the same" in notes_en(report)


def test_dates_all_unreadable_blame_the_dates_not_the_delimiter(tmp_path: Path, run) -> None:
    """The issue's scenario turned bad: an Indonesian-locale `;` file whose every date is one
    patuh cannot read (month 13) must say the dates are the problem, not the delimiter."""
    file = write(tmp_path / "jawaban.csv", indonesian_csv(
        ";", dates=["31/13/2025", "32/11/2025", "2025-13-01", "Okt 2025"]))
    result = run("skm", file, "--lang", "en")
    assert_input_error(result, "jawaban.csv:4: [Tanggal Survei]", "no usable answer rows",
                       "every row was left out; 4 of them because the date could not be read",
                       "first: line 4, column 'Tanggal Survei': '31/13/2025'",
                       "write dates like 31/10/2025, 31-10-2025, 31.10.2025, 31 Oktober 2025 "
                       "or 2025-10-31 (day first)")
    assert "delimiter" not in result.err
    result = run("skm", file)
    assert_input_error(result, "karena tanggalnya tidak dikenali", "'31/13/2025'",
                       "hari lebih dulu")
    assert "pemisah" not in result.err


def test_one_bad_date_leaves_its_row_out_and_says_why(tmp_path: Path, run) -> None:
    file = write(tmp_path / "jawaban.csv", indonesian_csv(
        ";", dates=["31/10/2025", "31/02/2025", "03/11/2025", "04/11/2025"]))
    report = skm_json(run, file)
    assert report["respondents"] == 3
    [row] = report["excluded"]
    assert row["line"] == 5
    assert row["problems"][0]["column"] == "Tanggal Survei"
    assert row["problems"][0]["value"] == "31/02/2025"
    assert "not a date patuh can read" in row["problems"][0]["reason"]["en"]


def test_month_first_dates_in_a_day_first_file_are_flagged(tmp_path: Path, run) -> None:
    """10/31/2025 can only be month first; 11/03/2025 then is probably 3 November, but the
    rule reads it day first: the note says so, so the user can check."""
    file = write(tmp_path / "jawaban.csv", indonesian_csv(
        ";", dates=["10/31/2025", "11/03/2025", "11/04/2025", "11/05/2025"]))
    report = skm_json(run, file)
    dates = next(n for n in notes_en(report) if n.startswith("dates read"))
    assert "month first, as the first number is over 12 (MM/DD/YYYY)" in dates
    assert "CHECK: '10/31/2025' (line 4) can only be read month first, but 3 dates that " \
           "read both ways were read day first" in dates


def test_header_not_found_says_where_it_was_looked_for(tmp_path: Path, run) -> None:
    file = write(tmp_path / "tanpa.csv", "Laporan SKM\nNama;Umur\nAni;30\n")
    assert_input_error(run("skm", file, "--lang", "en"), "tanpa.csv:1",
                       "unsur columns missing: U1", "within the first 20 rows")


# --- workbooks -----------------------------------------------------------------------------

SERIAL_2025_11_05 = (date(2025, 11, 5) - date(1899, 12, 30)).days


def write_book(path: Path) -> Path:
    """A workbook as a unit keeps it: an instructions sheet first, then the answers under a
    title block, real date cells (one typed as a serial number), `Jenis Layanan` / `Jenis
    Kelamin`, ages as numbers and one column patuh does not know."""
    book = openpyxl.Workbook()
    guide = book.active
    guide.title = "Petunjuk"
    guide.append(["Isi satu baris per responden pada lembar Data."])
    sheet = book.create_sheet("Data")
    sheet.append([TITLE])
    sheet.append(["Periode: Oktober–November 2025"])
    sheet.append([])
    sheet.append(["No", "Tanggal", "Jenis Layanan", *[f"U{i}" for i in range(1, 10)],
                  "Jenis Kelamin", "Umur (tahun)", "Pendidikan", "Pekerjaan",
                  "Catatan Petugas"])
    days = [datetime(2025, 10, 31, 9, 30), datetime(2025, 11, 1), date(2025, 11, 4),
            SERIAL_2025_11_05]
    for number, (row, day) in enumerate(zip(ANSWERS, days, strict=True), start=1):
        sheet.append([number, day, row[0], *row[2:11], row[11], int(row[12]), row[13],
                      row[14], "diverifikasi" if number == 1 else None])
    book.create_sheet("Rekap").append(["IKM", "=AVERAGE(Data!D5:L8)"])
    book.save(path)
    return path


def test_workbook_with_title_block_date_cells_and_an_instructions_sheet(tmp_path: Path,
                                                                       run) -> None:
    book = write_book(tmp_path / "skm.xlsx")
    report = skm_json(run, book)
    assert_data_set_a(report)
    assert report["period"]["survey_from"] == "2025-10-31"
    assert report["period"]["survey_to"] == "2025-11-05"
    notes = notes_en(report)
    assert "read sheet 'Data' (the first sheet with a U1 … U9 header row)" in notes
    assert "the header row was found on line 4; the 3 rows above it (titles) were skipped" \
        in notes
    assert "columns not known, not read: 'Catatan Petugas'" in notes
    dates = next(n for n in notes if n.startswith("dates read"))
    assert f"from Excel date serial numbers, e.g. '{SERIAL_2025_11_05}' → 2025-11-05: 1 row" \
        in dates
    assert skm_json(run, book, "--sheet", "Data") == report | {"notes": [
        n for n in report["notes"] if "read sheet" not in n["en"]]}


def test_unknown_sheet_lists_the_sheets(tmp_path: Path, run) -> None:
    book = write_book(tmp_path / "skm.xlsx")
    assert_input_error(run("skm", book, "--sheet", "Jawaban", "--lang", "en"), "skm.xlsx",
                       "--sheet", "sheet 'Jawaban' is not in this workbook; its sheets: "
                       "'Petunjuk', 'Data', 'Rekap'")
    assert_input_error(run("skm", book, "--sheet", "Petunjuk", "--lang", "en"),
                       "unsur columns missing")
    csv_file = write(tmp_path / "jawaban.csv", indonesian_csv())
    assert_input_error(run("skm", csv_file, "--sheet", "Data", "--lang", "en"),
                       "not a workbook (.xlsx)")


# --- through a manifest --------------------------------------------------------------------

def check(run, manifest: Path, ruleset: str) -> dict:
    result = run("check", manifest, "--ruleset", ruleset, "--format", "json")
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def test_manifest_names_the_sheet_and_the_report_says_how_the_file_was_read(
        write_manifest, run) -> None:
    manifest = write_manifest({"periode": {"tahun": 2025, "tanggal_penilaian": "2025-12-31"},
                               "skm": {"berkas": "skm/jawaban.xlsx", "lembar": "Data",
                                       "populasi": 4}})
    (manifest.parent / "skm").mkdir()
    write_book(manifest.parent / "skm" / "jawaban.xlsx")
    report = check(run, manifest, "skm")
    assert report["score"]["final"] == 86.11
    [note] = [n for n in report["notes"] if n["id"].startswith("skm/jawaban.xlsx: ")]
    assert "baris judul kolom ditemukan di baris 4" in note["id"]
    assert "kolom tidak dikenal, tidak dibaca: 'Catatan Petugas'" in note["id"]
    assert "dari nomor seri tanggal Excel" in note["id"]
    assert "\n" not in note["id"]  # one line per file
    # the same note where PEKPPP reads the survey (indicator 6.a.B)
    pekppp = check(run, manifest, "pekppp")
    assert note in pekppp["notes"]
    text = run("check", manifest, "--ruleset", "skm")
    assert "skm/jawaban.xlsx: baris judul kolom ditemukan di baris 4" in text.out

    manifest = write_manifest({"skm": {"berkas": "skm/jawaban.xlsx", "lembar": "Jawaban"}})
    assert_input_error(run("check", manifest, "--ruleset", "skm", "--lang", "en"),
                       "skm.lembar", "'Petunjuk', 'Data', 'Rekap'")


def test_manifest_with_an_indonesian_csv(write_manifest, run) -> None:
    manifest = write_manifest({"periode": {"tahun": 2025, "tanggal_penilaian": "2025-12-31"},
                               "skm": {"berkas": "jawaban.csv", "populasi": 4}})
    write(manifest.parent / "jawaban.csv", indonesian_csv(";"))
    report = check(run, manifest, "skm")
    assert report["score"]["final"] == 86.11
    [note] = [n for n in report["notes"] if n["en"].startswith("jawaban.csv: ")]
    assert "dates read day first (DD/MM/YYYY), e.g. '31/10/2025' → 2025-10-31: 3 rows" \
        in note["en"]


# --- the complaint log ---------------------------------------------------------------------

LOG = [
    ["REKAP PENGADUAN MASYARAKAT TAHUN 2024", "", "", "", "", "", "", "", ""],
    ["No. Pengaduan", "Tanggal Diterima", "Tgl Tanda Terima", "Tanggal Berkas Lengkap",
     "Tanggal Tanggapan", "Tanggal Keputusan", "Tanggal Pemberitahuan", "Saluran",
     "Nama Pelapor"],
    # on time everywhere: reply on day 14, decision on day 60, notice on day 14
    ["OK-1", "02/01/2024", "02/01/2024", "03/01/2024", "16/01/2024", "03/03/2024",
     "17/03/2024", "SP4N-LAPOR", "Ani"],
    # reply on day 15 (2 Feb → 17 Feb)
    ["LATE-REPLY", "02-02-2024", "2 Februari 2024", "05/02/2024", "17/02/2024", "01/03/2024",
     "04/03/2024", "WhatsApp", "Budi"],
    # decided 61 days after the file was complete (1 Mar → 1 May)
    ["LATE-DECISION", "01/03/2024", "01/03/2024", "01/03/2024", "05/03/2024", "01/05/2024",
     "02/05/2024", "", "Citra"],
]


def log_manifest(write_manifest, rows: list[list[str]]) -> Path:
    manifest = write_manifest({"periode": {"tahun": 2024, "tanggal_penilaian": "2024-06-30"},
                               "pengaduan": {"log": {"berkas": "log.csv"}}})
    write(manifest.parent / "log.csv", csv_text(rows, ";"))
    return manifest


def test_complaint_log_as_a_unit_keeps_it(write_manifest, run) -> None:
    """Indonesian headings under a title row, dates day first in three forms: the deadlines
    are checked as with the canonical file (test_ombudsman), and the report says how the
    file was read."""
    report = check(run, log_manifest(write_manifest, LOG), "uu25")
    results = {r["rule_id"]: r for r in report["results"]}
    reply = "\n".join(u["message"]["en"] for u in results["uu25.44"]["unmet"])
    decision = "\n".join(u["message"]["en"] for u in results["uu25.50"]["unmet"])
    assert results["uu25.44"]["status"] == "fail" and results["uu25.50"]["status"] == "fail"
    assert "1 of 3 do not comply" in reply
    assert "LATE-REPLY" in reply and "limit 2024-02-16" in reply and "OK-1" not in reply
    assert "LATE-DECISION" in decision and "limit 2024-04-30" in decision
    [note] = [n["en"] for n in report["notes"] if n["en"].startswith("log.csv: ")]
    assert "the header row was found on line 2" in note
    assert "'No. Pengaduan' → nomor" in note and "'Saluran' → kanal" in note
    assert "'Tgl Tanda Terima' → tanggal_tanda_terima" in note
    assert "columns not known, kept as text but not assessed: 'Nama Pelapor'" in note
    assert "dates read day first (DD/MM/YYYY), e.g. '02/01/2024' → 2024-01-02: 3 rows" in note
    assert "day first (DD-MM-YYYY)" not in note  # one reading, one count: the first form shown
    assert "with the month's name, e.g. '2 Februari 2024' → 2024-02-02: 1 row" in note


def test_complaint_log_bad_date_names_line_column_and_the_forms(write_manifest, run) -> None:
    rows = [*LOG[:3], [*LOG[3][:4], "31/02/2024", *LOG[3][5:]]]
    result = run("check", log_manifest(write_manifest, rows), "--ruleset", "uu25",
                 "--lang", "en")
    assert_input_error(result, "log.csv:4: [Tanggal Tanggapan]",
                       "column 'Tanggal Tanggapan': '31/02/2024' is not a date patuh can read",
                       "31/10/2025, 31-10-2025, 31.10.2025, 31 Oktober 2025 or 2025-10-31")


# --- F-03 responses and user interviews ----------------------------------------------------

def test_f03_responses_with_a_title_row_and_headings_with_words(write_manifest, run) -> None:
    """1.a.K1 answers 5 and 3 → mean 4; 2.a.K1 answers 2 and (blank) → 2; F-03 = (4 + 2) / 2
    = 3 (as in test_scoring). The item headings go on with the item's words, the respondent's
    details have their usual names, and a column patuh does not know is named, not read."""
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "f03.csv"}})
    rows = [["PENILAIAN PENGGUNA LAYANAN (F-03)", "", "", "", "", ""],
            ["No.", "Nama Responden", "Tanggal Survei", "1.a.K1 Kebijakan pelayanan",
             "2.a.K1. Standar pelayanan", "Catatan Petugas"],
            ["1", "Ani", "31/10/2025", "5", "2", "lengkap"],
            ["2", "Budi", "01/11/2025", "3", "", "tanpa KTP"]]
    write(manifest.parent / "f03.csv", csv_text(rows, ";"))
    report = check(run, manifest, "pekppp")
    f03 = next(p for p in report["score"]["parts"] if p["id"] == "f03")
    assert (f03["value"], f03["respondents"]) == (3.0, 2)
    assert f03["items"] == {"1.a.K1": 4.0, "2.a.K1": 2.0}
    [note] = [n["en"] for n in report["notes"] if n["en"].startswith("f03.csv: ")]
    assert "the header row was found on line 2" in note
    assert "'1.a.K1 Kebijakan pelayanan' → 1.a.K1" in note
    assert "'2.a.K1. Standar pelayanan' → 2.a.K1" in note
    assert "columns not known, not read: 'Catatan Petugas'" in note
    assert "Nama Responden" not in note  # known, not read: no note


INTERVIEW_ROWS = [
    ["WAWANCARA PENGGUNA LAYANAN 2024", "", "", "", "", "", ""],
    ["No", "Nama", "Tanggal Wawancara", "Penundaan berlarut", "Permintaan imbalan",
     "Tidak kompeten", "Diskriminasi"],
    ["1", "R1", "01/06/2024", "tidak", "tidak", "tidak", "tidak"],
    ["2", "R2", "01/06/2024", "Ya", "tidak ada", "tdk", "t"],
    ["3", "R3", "02/06/2024", "iya", "ya", "-", "tidak"],
    ["4", "R4", "02/06/2024", "TIDAK", "tidak", "y", ""],
    ["5", "R5", "03/06/2024", "Tidak", "Tidak", "tidak", "tidak"],
]


def test_interviews_with_a_title_row_and_yes_no_as_typed(write_manifest, run) -> None:
    """The interviews of test_ombudsman (score 14 / 18 = 77.78) as a unit types them:
    `Ya`, `iya`, `y`, `tidak ada`, `tdk`, `t`; a dash is "not asked", like a blank (counting it
    as `tidak` would raise the score)."""
    manifest = write_manifest({"periode": {"tahun": 2024},
                               "wawancara_pengguna": {"berkas": "wawancara.csv"}})
    write(manifest.parent / "wawancara.csv", csv_text(INTERVIEW_ROWS, ";"))
    report = check(run, manifest, "ombudsman")
    result = next(r for r in report["results"]
                  if r["rule_id"] == "ombudsman.persepsi-maladministrasi")
    assert result["score"] == 77.78
    [note] = [n["en"] for n in report["notes"] if n["en"].startswith("wawancara.csv: ")]
    assert "the header row was found on line 2" in note

    rows = [*INTERVIEW_ROWS[:3], [*INTERVIEW_ROWS[3][:3], "mungkin", *INTERVIEW_ROWS[3][4:]]]
    write(manifest.parent / "wawancara.csv", csv_text(rows, ";"))
    assert_input_error(run("check", manifest, "--ruleset", "ombudsman", "--lang", "en"),
                       "wawancara.csv:4: [Penundaan berlarut]", "'mungkin' is not ya/tidak")


@pytest.mark.parametrize("typed", ["9870", "9.870"])
def test_population_with_thousands_dots(typed: str, tmp_path: Path, run) -> None:
    """Krejcie–Morgan for N = 9870: 3.841·9870·0.25 / (0.0025·9869 + 0.96025) = 369.98 → 370."""
    report = skm_json(run, write(tmp_path / "j.csv", indonesian_csv()), "--population", typed)
    assert (report["sample"]["population"], report["sample"]["required"]) == (9870, 370)


@pytest.mark.parametrize("typed", ["0", "1.2", "9,87", "\u0663", "-5"])
def test_population_that_is_not_a_count(typed: str, tmp_path: Path, run) -> None:
    result = run("skm", write(tmp_path / "j.csv", indonesian_csv()), "--population", typed)
    assert result.code == 2, result
    assert "--population" in result.err and "9.870" in result.err
    assert "Traceback" not in result.err


def test_complaint_log_with_a_row_counter_and_a_case_number(write_manifest, run) -> None:
    """`No` (1, 2, 3) beside `No. Pengaduan`: the case's own number names the case."""
    rows = [["No", *LOG[1]], *([str(i), *row] for i, row in enumerate(LOG[2:], start=1))]
    report = check(run, log_manifest(write_manifest, rows), "uu25")
    reply = next(r for r in report["results"] if r["rule_id"] == "uu25.44")
    assert "LATE-REPLY" in "\n".join(u["message"]["en"] for u in reply["unmet"])
    [note] = [n["en"] for n in report["notes"] if n["en"].startswith("log.csv: ")]
    assert "column 'No' not read: 'No. Pengaduan' gives the same" in note


def test_the_issues_file_without_a_title_block(tmp_path: Path, run) -> None:
    """Exactly the issue's file: Excel, Indonesian locale, `;`, dates 31/10/2025, the header
    on line 1. Before: every row dropped and the delimiter blamed."""
    report = skm_json(run, write(tmp_path / "jawaban.csv", indonesian_csv(title=False)))
    assert_data_set_a(report)
    assert not any("header row was found" in n for n in notes_en(report))
    assert any(n.startswith("dates read day first (DD/MM/YYYY), e.g. '31/10/2025'")
               for n in notes_en(report))


# --- the other data files as workbooks -----------------------------------------------------

def excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def test_complaint_log_workbook_with_date_cells(write_manifest, run) -> None:
    """The log of test_complaint_log_as_a_unit_keeps_it kept in Excel: a title row, real date
    cells, one date typed as text and one stored as a serial number; same deadlines."""
    manifest = write_manifest({"periode": {"tahun": 2024, "tanggal_penilaian": "2024-06-30"},
                               "pengaduan": {"log": {"berkas": "log.xlsx"}}})
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Log 2024"
    for row in LOG[:2]:
        sheet.append(row)
    for row in LOG[2:]:
        cells: list = [row[0]]
        for text in row[1:7]:
            day = None
            for form in ("%d/%m/%Y", "%d-%m-%Y"):
                try:
                    day = datetime.strptime(text, form).date()
                except ValueError:
                    continue
            cells.append(day if day is not None else text)
        sheet.append([*cells, *row[7:]])
    sheet["F4"] = excel_serial(date(2024, 3, 1))  # LATE-REPLY's decision, as a number
    sheet["F4"].number_format = "General"  # (a date format would make it a date cell)
    sheet["B5"] = "01/03/2024"  # LATE-DECISION received: typed as text
    book.save(manifest.parent / "log.xlsx")
    report = check(run, manifest, "uu25")
    results = {r["rule_id"]: r for r in report["results"]}
    reply = "\n".join(u["message"]["en"] for u in results["uu25.44"]["unmet"])
    decision = "\n".join(u["message"]["en"] for u in results["uu25.50"]["unmet"])
    assert "1 of 3 do not comply" in reply
    assert "LATE-REPLY" in reply and "limit 2024-02-16" in reply and "OK-1" not in reply
    assert "LATE-DECISION" in decision and "limit 2024-04-30" in decision
    [note] = [n["en"] for n in report["notes"] if n["en"].startswith("log.xlsx: ")]
    assert "the header row was found on line 2" in note
    assert "from Excel date serial numbers, e.g. '45352' → 2024-03-01: 1 row" in note
    assert "day first (DD/MM/YYYY), e.g. '01/03/2024' → 2024-03-01: 1 row" in note
    assert "with the month's name, e.g. '2 Februari 2024' → 2024-02-02: 1 row" in note


def test_f03_workbook_on_its_second_sheet(write_manifest, run) -> None:
    manifest = write_manifest({"penilaian_pengguna": {"berkas": "f03.xlsx"}})
    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Nilai 0–5 per butir"])
    sheet = book.create_sheet("Jawaban")
    for row in [["PENILAIAN PENGGUNA"], [], ["Responden", "1.a.K1 Kebijakan", "2.a.K1"],
                ["Ani", 5, 2.0], ["Budi", 3, None]]:
        sheet.append(row)
    book.save(manifest.parent / "f03.xlsx")
    report = check(run, manifest, "pekppp")
    f03 = next(p for p in report["score"]["parts"] if p["id"] == "f03")
    assert (f03["value"], f03["items"]) == (3.0, {"1.a.K1": 4.0, "2.a.K1": 2.0})
    [note] = [n["en"] for n in report["notes"] if n["en"].startswith("f03.xlsx: ")]
    assert "read sheet 'Jawaban' (the first sheet with item codes)" in note
    assert "the header row was found on line 3" in note
