"""SKM, Survei Kepuasan Masyarakat (PermenPANRB 14/2017): the IKM from raw answers, checked by
hand; the mutu table at its edges; the Krejcie–Morgan minimum sample; bad answer files; and the
facts the answers give PEKPPP indicator 6.a.B and the `skm` ruleset."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml

from patuh.plugins.skm import minimum_sample

UNSUR = [f"U{i}" for i in range(1, 10)]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def skm_json(run, file: Path, *options: str) -> dict:
    result = run("skm", file, "--format", "json", *options)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return json.loads(result.out)


def table(report: dict) -> dict[str, tuple[float, float]]:
    """{unsur: (nrr, ikm)} of a `patuh skm` JSON report."""
    return {u["id"]: (u["nrr"], u["ikm"]) for u in report["unsur"]}


def assert_input_error(result, *needles: str) -> None:
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    assert result.err.startswith("patuh: "), result.err
    for needle in needles:
        assert needle in result.err, f"{needle!r} not in:\n{result.err}"


# --- hand-checked data sets ----------------------------------------------------------------

# Data set A: four respondents, two services, a full profile.
#
#   layanan     U1 U2 U3 U4 U5 U6 U7 U8 U9   sum
#   Izin Usaha   4  4  3  4  3  4  4  3  4    33
#   PBG          3  3  3  4  3  3  4  3  3    29
#   PBG          4  3  2  4  3  4  4  2  3    29
#   Izin Usaha   3  4  3  4  4  4  4  3  4    33
#
#   NRR  U1 14/4 = 3.5    U2 14/4 = 3.5    U3 11/4 = 2.75   U4 16/4 = 4     U5 13/4 = 3.25
#        U6 15/4 = 3.75   U7 16/4 = 4      U8 11/4 = 2.75   U9 14/4 = 3.5
#   per unsur × 25: 87.5 87.5 68.75 100 81.25 93.75 100 68.75 87.5 (U3 and U8 are C)
#   Σ NRR = 31;  IKM = 31 / 9 × 25 = 86.1111… → 86.11 → B Baik;  weakest U3 and U8 (2.75)
#   Izin Usaha (rows 1, 4): NRR 3.5 4 3 4 3.5 4 4 3 4, Σ 33 → 33 / 9 × 25 = 91.666… → 91.67 A
#   PBG (rows 2, 3):        NRR 3.5 3 2.5 4 3 3.5 4 2.5 3, Σ 29 → 29 / 9 × 25 = 80.555… → 80.56 B
#   Krejcie–Morgan, N = 4: 3.841·4·0.25 / (0.0025·3 + 0.96025) = 3.841 / 0.96775 = 3.97 → 4
ROWS_A = [
    ["Izin Usaha", "2024-03-04", 4, 4, 3, 4, 3, 4, 4, 3, 4, "L", 25, "SMA", "Wiraswasta"],
    ["PBG", "2024-03-05", 3, 3, 3, 4, 3, 3, 4, 3, 3, "P", 40, "S1", "PNS"],
    ["PBG", "2024-03-06", 4, 3, 2, 4, 3, 4, 4, 2, 3, "P", 33, "S1", "Swasta"],
    ["Izin Usaha", "2024-03-07", 3, 4, 3, 4, 4, 4, 4, 3, 4, "L", 51, "D3", "Wiraswasta"],
]
HEADER_A = ["layanan", "tanggal", *UNSUR, "jenis_kelamin", "umur", "pendidikan", "pekerjaan"]


def csv_a(delimiter: str = ",") -> str:
    lines = [HEADER_A, *[[str(c) for c in row] for row in ROWS_A]]
    return "".join(delimiter.join(line) + "\n" for line in lines)


EXPECTED_A = {"U1": (3.5, 87.5), "U2": (3.5, 87.5), "U3": (2.75, 68.75), "U4": (4.0, 100.0),
              "U5": (3.25, 81.25), "U6": (3.75, 93.75), "U7": (4.0, 100.0),
              "U8": (2.75, 68.75), "U9": (3.5, 87.5)}


def test_data_set_a_by_hand(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "a.csv", csv_a()), "--population", "4")
    assert report["ikm"] == 86.11
    assert report["ikm_unrounded"] == 86.111111
    assert report["mutu"]["code"] == "B"
    assert report["mutu"]["label"] == "Baik"
    assert report["respondents"] == 4
    assert table(report) == EXPECTED_A
    assert {u["id"]: u["mutu"]["code"] for u in report["unsur"]} == {
        "U1": "B", "U2": "B", "U3": "C", "U4": "A", "U5": "B", "U6": "A", "U7": "A",
        "U8": "C", "U9": "B"}
    assert all(u["answers"] == 4 and u["blank"] == 0 for u in report["unsur"])
    assert report["weakest"] == ["U3", "U8"]
    assert report["sample"] == {**report["sample"], "population": 4, "required": 4,
                                "actual": 4, "sufficient": True}
    assert [(g["layanan"], g["respondents"], g["ikm"], g["mutu"]["code"])
            for g in report["layanan"]] == [("Izin Usaha", 2, 91.67, "A"), ("PBG", 2, 80.56, "B")]
    assert report["profile"] == {
        "jenis_kelamin": {"L": 2, "P": 2},
        "umur": {"n": 4, "min": 25, "max": 51, "median": 36.5},
        "pendidikan": {"D3": 1, "S1": 2, "SMA": 1},
        "pekerjaan": {"PNS": 1, "Swasta": 1, "Wiraswasta": 2},
    }
    assert report["checks"] == {"nine_unsur": True, "scale_1_4": True,
                                "sample_sufficient": True, "within_period": None}
    assert report["excluded"] == []


def test_data_set_a_sample_too_small(tmp_path: Path, run) -> None:
    # N = 5: 3.841·5·0.25 / (0.0025·4 + 0.96025) = 4.80125 / 0.97025 = 4.95 → 5 > 4 respondents
    report = skm_json(run, write(tmp_path / "a.csv", csv_a()), "--population", "5")
    assert {k: report["sample"][k] for k in ("population", "required", "actual", "sufficient")} \
        == {"population": 5, "required": 5, "actual": 4, "sufficient": False}
    assert report["checks"]["sample_sufficient"] is False
    text = run("skm", tmp_path / "a.csv", "--population", "5")
    assert "4 / minimal 5" in text.out
    assert "BELUM cukup" in text.out


# Data set B: three respondents; respondent 2 left U8 blank.
#
#        U1 U2 U3 U4 U5 U6 U7 U8 U9
#   r1    4  3  3  4  3  4  4  3  3
#   r2    3  3  2  4  3  3  4  .  3
#   r3    2  3  3  4  3  3  4  2  3
#
#   NRR  U1 9/3 = 3   U2 9/3 = 3   U3 8/3 = 2.6667   U4 12/3 = 4   U5 9/3 = 3
#        U6 10/3 = 3.3333   U7 12/3 = 4   U8 (3 + 2)/2 = 2.5   U9 9/3 = 3
#   The blank leaves only U8's mean (2 answers); r2 still counts in the other eight unsur.
#   Σ NRR = 28.5;  IKM = 28.5 / 9 × 25 = 79.1666… → 79.17 → B Baik
#   (a blank read as 0 would give U8 = 5/3 and IKM 76.85; dropping r2 altogether, 80.56)
CSV_B = """U1,U2,U3,U4,U5,U6,U7,U8,U9
4,3,3,4,3,4,4,3,3
3,3,2,4,3,3,4,,3
2,3,3,4,3,3,4,2,3
"""


def test_data_set_b_blank_is_left_out_of_its_unsur_only(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "b.csv", CSV_B))
    assert report["ikm"] == 79.17
    assert report["ikm_unrounded"] == 79.166667
    assert report["mutu"] == {**report["mutu"], "code": "B", "label": "Baik"}
    assert report["respondents"] == 3
    assert table(report) == {"U1": (3.0, 75.0), "U2": (3.0, 75.0), "U3": (2.6667, 66.67),
                             "U4": (4.0, 100.0), "U5": (3.0, 75.0), "U6": (3.3333, 83.33),
                             "U7": (4.0, 100.0), "U8": (2.5, 62.5), "U9": (3.0, 75.0)}
    counts = {u["id"]: (u["answers"], u["blank"]) for u in report["unsur"]}
    assert counts["U8"] == (2, 1)
    assert all(counts[code] == (3, 0) for code in UNSUR if code != "U8")
    assert report["unsur"][7]["mutu"]["code"] == "D"  # 62.50 < 65.00
    assert report["weakest"] == ["U8"]
    assert report["layanan"] == []
    assert report["profile"] == {}
    assert report["excluded"] == []
    assert report["sample"]["required"] is None
    assert report["checks"]["sample_sufficient"] is None


# --- the precision trap ----------------------------------------------------------------------

# Data set C: five respondents.
#
#        U1 U2 U3 U4 U5 U6 U7 U8 U9   sum
#   r1    4  4  3  4  3  4  4  3  3    32
#   r2    3  4  4  4  3  4  4  3  3    32
#   r3    4  3  3  4  4  4  4  3  3    32
#   r4    4  4  3  4  3  3  4  3  4    32
#   r5    3  3  3  4  3  4  4  3  4    31
#
#   NRR  3.6 3.6 3.2 4 3.2 3.8 4 3 3.4;  Σ NRR = 31.8
#   exact:        31.8 / 9 × 25      = 88.3333… → 88.33 → A Sangat Baik
#   weight 0.111: 31.8 × 0.111 × 25  = 3.5298 × 25 = 88.245 → 88.25 → B Baik
#   weight 0.11:  31.8 × 0.11 × 25   = 3.498 × 25  = 87.45 → B Baik
CSV_C = """U1,U2,U3,U4,U5,U6,U7,U8,U9
4,4,3,4,3,4,4,3,3
3,4,4,4,3,4,4,3,3
4,3,3,4,4,4,4,3,3
4,4,3,4,3,3,4,3,4
3,3,3,4,3,4,4,3,4
"""


def test_precision_trap_exact_mean_not_weights(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "c.csv", CSV_C))
    assert [u["nrr"] for u in report["unsur"]] == [3.6, 3.6, 3.2, 4.0, 3.2, 3.8, 4.0, 3.0, 3.4]
    assert report["ikm"] == 88.33
    assert report["mutu"]["code"] == "A"
    assert report["ikm"] not in (88.25, 87.45)  # what 0.111 and 0.11 would give


# Data set D: 19 respondents; 11 answer 3 everywhere except U9 = 4 (sum 28), 8 answer 3
# everywhere (sum 27). NRR U1…U8 = 3, U9 = (11·4 + 8·3)/19 = 68/19.
#   Σ NRR = 24 + 68/19 = 524/19;  IKM = 524/19 / 9 × 25 = 13100/171 = 76.6081… → 76.61 → B
#   Unrounded it is below the B edge 76.61: the band is taken on the rounded IKM.
CSV_D = ("no,tanggal," + ",".join(UNSUR) + "\n" + "".join(
    f"{i},2024-03-{i:02d}," + ",".join(["3"] * 8 + ["4" if i <= 11 else "3"]) + "\n"
    for i in range(1, 20)))


def test_ikm_rounding_across_the_b_edge(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "d.csv", CSV_D))
    assert report["respondents"] == 19
    assert report["ikm_unrounded"] == 76.608187
    assert report["ikm"] == 76.61
    assert report["mutu"]["code"] == "B"
    assert table(report)["U9"] == (3.5789, 89.47)


# --- the mutu table ----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "band"), [
    ("25", "D Tidak Baik"), ("64.99", "D Tidak Baik"), ("65.00", "C Kurang Baik"),
    ("76.60", "C Kurang Baik"), ("76.61", "B Baik"), ("87.02", "B Baik"), ("88.30", "B Baik"),
    ("88.31", "A Sangat Baik"), ("100", "A Sangat Baik"),
    # rounded to 2 decimals half up before the table: 76.605 → 76.61, 76.6049 → 76.60
    ("76.605", "B Baik"), ("76.6049", "C Kurang Baik"), ("88.305", "A Sangat Baik"),
])
def test_predicate_band_edges(value: str, band: str, run) -> None:
    result = run("predicate", "skm", value)
    assert result.code == 0, result.err
    assert result.out.strip() == band


def test_predicate_json(run) -> None:
    result = run("predicate", "skm", "87.02", "--format", "json")
    data = json.loads(result.out)
    assert (data["code"], data["label"], data["label_en"]) == ("B", "Baik", "Good")


@pytest.mark.parametrize("value", ["24.99", "100.01"])
def test_predicate_outside_25_to_100(value: str, run) -> None:
    result = run("predicate", "skm", value, "--lang", "en")
    assert_input_error(result, value, "25–100")


# --- Krejcie–Morgan ------------------------------------------------------------------------------

# The reference's table (pekppp.md §7a), N → S.
KREJCIE_MORGAN = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48, 60: 52,
    65: 56, 70: 59, 75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86, 120: 92,
    130: 97, 140: 103, 150: 108, 160: 113, 170: 118, 180: 123, 190: 127, 200: 132, 210: 136,
    220: 140, 230: 144, 240: 148, 250: 152, 260: 155, 270: 159, 280: 162, 290: 165, 300: 169,
    320: 175, 340: 181, 360: 186, 380: 191, 400: 196, 420: 201, 440: 205, 460: 210, 480: 214,
    500: 217, 550: 226, 600: 234, 650: 242, 700: 248, 750: 254, 800: 260, 850: 265, 900: 269,
    950: 274, 1000: 278, 1100: 285, 1200: 291, 1300: 297, 1400: 302, 1500: 306, 1600: 310,
    1700: 313, 1800: 317, 1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338,
    3000: 341, 3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364, 8000: 367,
    9000: 368, 10000: 370, 15000: 375, 20000: 377, 30000: 379, 40000: 380, 50000: 381,
    75000: 382, 1000000: 384,
}


def test_the_table_is_complete() -> None:
    assert len(KREJCIE_MORGAN) == 90


@pytest.mark.parametrize(("population", "sample"), sorted(KREJCIE_MORGAN.items()))
def test_minimum_sample_matches_the_table(population: int, sample: int) -> None:
    assert minimum_sample(population) == sample


def test_minimum_sample_between_table_rows() -> None:
    # N = 105 (between 100 → 80 and 110 → 86):
    #   3.841·105·0.25 / (0.0025·104 + 3.841·0.25) = 100.82625 / (0.26 + 0.96025)
    #   = 100.82625 / 1.22025 = 82.63 → 83
    assert minimum_sample(105) == 83
    # the example units: 9870 → 369.75 → 370; 14350 → 374.11 → 374; 2140 → 325.78 → 326
    assert (minimum_sample(9870), minimum_sample(14350), minimum_sample(2140)) == (370, 374, 326)


def test_population_option_uses_the_formula(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "a.csv", csv_a()), "--population", "105")
    assert report["sample"]["required"] == 83
    assert report["sample"]["sufficient"] is False


# --- bad data ----------------------------------------------------------------------------------

# Line 3: U3 is text; line 5: U5 = 5; line 7: a date in local format. The kept rows (lines 2, 4,
# 6) give U1 (4+3+2)/3 = 3, U2 (4+3)/2 = 3.5 (line 4 left U2 blank), U3…U9 (4+3+2)/3 = 3:
# Σ NRR = 27.5, IKM = 27.5 / 9 × 25 = 76.388… → 76.39 → C Kurang Baik.
CSV_BAD = """no,U1,U2,U3,U4,U5,U6,U7,U8,U9,tanggal
1,4,4,4,4,4,4,4,4,4,2024-02-01
2,4,4,tiga,4,4,4,4,4,4,2024-02-01
3,3,,3,3,3,3,3,3,3,2024-02-02
4,3,3,3,3,5,3,3,3,3,2024-02-02
5,2,3,2,2,2,2,2,2,2,2024-02-03
6,4,4,4,4,4,4,4,4,4,31/02/2024
"""


def test_bad_rows_are_left_out_and_listed(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "bad.csv", CSV_BAD))
    assert report["respondents"] == 3
    assert report["ikm"] == 76.39
    assert report["mutu"]["code"] == "C"
    assert table(report)["U2"] == (3.5, 87.5)
    assert {u["id"]: u["blank"] for u in report["unsur"]}["U2"] == 1
    listed = [(row["line"], p["column"], p["value"])
              for row in report["excluded"] for p in row["problems"]]
    assert listed == [(3, "U3", "tiga"), (5, "U5", "5"), (7, "tanggal", "31/02/2024")]
    assert report["checks"]["scale_1_4"] is False
    assert report["checks"]["nine_unsur"] is True

    text = run("skm", tmp_path / "bad.csv")
    assert text.code == 0
    assert "baris 3, U3 = 'tiga': bukan angka" in text.out
    assert "baris 5, U5 = '5': di luar skala 1–4" in text.out
    assert "baris 7, tanggal = '31/02/2024'" in text.out
    assert "[✗] jawaban pada skala 1–4" in text.out


def test_missing_unsur_column(tmp_path: Path, run) -> None:
    header = [c for c in UNSUR if c != "U7"]
    file = write(tmp_path / "tanpa-u7.csv", ",".join(header) + "\n" + "4," * 7 + "4\n")
    assert_input_error(run("skm", file, "--lang", "en"), "tanpa-u7.csv", "U7")
    assert_input_error(run("skm", file), "kolom unsur tidak ada: U7")


@pytest.mark.parametrize(("name", "text"), [
    ("empty", ""),
    ("blank_lines", "\n\n"),
    ("header_only", ",".join(UNSUR) + "\n"),
    ("all_rows_bad", ",".join(UNSUR) + "\n" + "5,4,4,4,4,4,4,4,4\nx,4,4,4,4,4,4,4,4\n"
                     + ",,,,,,,,\n"),
])
def test_no_usable_rows(name: str, text: str, tmp_path: Path, run) -> None:
    file = write(tmp_path / f"{name}.csv", text)
    assert_input_error(run("skm", file), f"{name}.csv")


def test_missing_file(tmp_path: Path, run) -> None:
    assert_input_error(run("skm", tmp_path / "tidak-ada.csv"), "tidak-ada.csv")


def test_semicolons_and_bom(tmp_path: Path, run) -> None:
    """Excel in an Indonesian locale writes `;` and, as "CSV UTF-8", a byte-order mark."""
    plain = skm_json(run, write(tmp_path / "a.csv", csv_a()))
    file = write(tmp_path / "excel.csv", csv_a(";"), encoding="utf-8-sig")
    assert file.read_bytes().startswith(b"\xef\xbb\xbf")
    report = skm_json(run, file)
    assert report["ikm"] == 86.11
    assert table(report) == EXPECTED_A
    assert report["layanan"] == plain["layanan"]
    assert report["profile"] == plain["profile"]
    assert report["notes"] == []


def test_tabs(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "a.tsv", csv_a("\t")))
    assert report["ikm"] == 86.11


def test_windows_1252(tmp_path: Path, run) -> None:
    text = "nama,U1,U2,U3,U4,U5,U6,U7,U8,U9\nBélen,4,4,4,4,4,4,4,4,4\nJosé,3,3,3,3,3,3,3,3,3\n"
    file = write(tmp_path / "cp1252.csv", text, encoding="cp1252")
    report = skm_json(run, file)
    assert report["respondents"] == 2
    assert report["ikm"] == 87.5  # NRR 3.5 everywhere → 87.50 → B
    assert any("cp1252" in note["en"] for note in report["notes"])
    result = run("skm", file)
    assert result.code == 0
    assert "cp1252" in result.out


def test_mac_csv_with_cr_line_endings(tmp_path: Path, run) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with a bare CR. Such a file must be read
    like its LF twin (today: exit 3, "galat internal: Error: new-line character seen in
    unquoted field", raised by csv.reader in patuh.plugins.tables.parse_rows)."""
    plain = skm_json(run, write(tmp_path / "a.csv", csv_a()))
    result = run("skm", write(tmp_path / "mac.csv", csv_a().replace("\n", "\r")), "--format",
                 "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["respondents"] == 4
    assert report["ikm"] == plain["ikm"] == 86.11
    assert report["layanan"] == plain["layanan"]


def test_workbook_saved_under_a_csv_name(tmp_path: Path, run) -> None:
    """A workbook renamed to .csv is bad input (exit 2 naming the file), not an internal error
    (today: exit 3, the csv.Error from parse_rows escapes as "galat internal")."""
    file = write_xlsx_a(tmp_path / "a.xlsx").rename(tmp_path / "jawaban.csv")
    result = run("skm", file)
    assert "kesalahan internal" not in result.err
    assert_input_error(result, "jawaban.csv")


def write_xlsx_a(path: Path) -> Path:
    """Data set A as Excel keeps it: numbers as numbers, `tanggal` as real date cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER_A)
    for row in ROWS_A:
        cells = list(row)
        cells[1] = date.fromisoformat(row[1])
        sheet.append(cells)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "dd/mm/yyyy"  # what the user sees must not matter
    book.create_sheet("Petunjuk").append(["U1", "bukan jawaban"])
    book.save(path)
    return path


def test_xlsx_gives_the_same_result_as_its_csv_twin(tmp_path: Path, run) -> None:
    options = ("--population", "4", "--period", "2024")
    from_csv = skm_json(run, write(tmp_path / "a.csv", csv_a()), *options)
    from_xlsx = skm_json(run, write_xlsx_a(tmp_path / "a.xlsx"), *options)
    assert from_xlsx["period"]["survey_from"] == "2024-03-04"
    assert from_xlsx["period"]["survey_to"] == "2024-03-07"
    assert from_xlsx["period"]["within"] is True
    for report in (from_csv, from_xlsx):
        del report["file"], report["sha256"]
    assert from_xlsx == from_csv


def test_damaged_xlsx(tmp_path: Path, run) -> None:
    file = write(tmp_path / "rusak.xlsx", "bukan zip")
    assert_input_error(run("skm", file), "rusak.xlsx")


# --- period ------------------------------------------------------------------------------------

def test_period_year_inside(tmp_path: Path, run) -> None:
    report = skm_json(run, write(tmp_path / "a.csv", csv_a()), "--period", "2024")
    assert report["period"] == {"from": "2024-01-01", "to": "2024-12-31",
                                "survey_from": "2024-03-04", "survey_to": "2024-03-07",
                                "within": True}
    assert report["checks"]["within_period"] is True


def test_period_with_a_date_outside(tmp_path: Path, run) -> None:
    file = write(tmp_path / "a.csv", csv_a().replace("2024-03-04", "2023-12-29"))
    report = skm_json(run, file, "--period", "2024")
    assert report["period"]["survey_from"] == "2023-12-29"
    assert report["period"]["within"] is False
    assert report["checks"]["within_period"] is False
    assert "DI LUAR" in run("skm", file, "--period", "2024").out


def test_period_from_to(tmp_path: Path, run) -> None:
    file = write(tmp_path / "a.csv", csv_a())
    inside = skm_json(run, file, "--from", "2024-03-01", "--to", "2024-03-31")
    assert inside["period"]["within"] is True
    outside = skm_json(run, file, "--from", "2024-03-05", "--to", "2024-03-31")
    assert outside["period"]["within"] is False


def test_period_given_but_no_dates_in_the_file(tmp_path: Path, run) -> None:
    """With --period but no `tanggal` column the period cannot be checked; the text report must
    not tell the user to pass --period again (today: "[?] dalam periode (perlu --period /
    --from --to)"), but say the dates are missing."""
    file = write(tmp_path / "b.csv", CSV_B)
    report = skm_json(run, file, "--period", "2024")
    assert report["period"]["within"] is None
    assert report["checks"]["within_period"] is None
    line = next(s for s in run("skm", file, "--period", "2024").out.splitlines()
                if "dalam periode" in s)
    assert "--period" not in line, line
    assert "tanggal" in line, line


@pytest.mark.parametrize("options", [("--from", "2024-01-01"), ("--to", "2024-12-31")])
def test_period_needs_both_ends(options: tuple[str, str], tmp_path: Path, run) -> None:
    file = write(tmp_path / "a.csv", csv_a())
    assert_input_error(run("skm", file, *options, "--lang", "en"), "--from", "--to")


# --- feeding PEKPPP 6.a.B and the `skm` ruleset -----------------------------------------------

def unit(tmp_path: Path, populasi: int | None, answers: str | None = CSV_D) -> Path:
    """A unit whose SKM is data set D (19 respondents surveyed in March 2024)."""
    skm: dict = {"dilaksanakan": True}
    if answers is not None:
        write(tmp_path / "unit" / "skm" / "jawaban.csv", answers)
        skm["berkas"] = "skm/jawaban.csv"
    if populasi is not None:
        skm["populasi"] = populasi
    manifest = {"schema_version": 1, "unit": {"nama": "Unit Uji", "instansi": "Kota Uji"},
                "periode": {"tahun": 2024, "tanggal_penilaian": "2024-10-01"}, "skm": skm}
    path = tmp_path / "unit" / "manifest.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path


def check(run, manifest: Path, *options: str) -> dict:
    result = run("check", manifest, "--format", "json", *options)
    assert result.code == 0, result.err
    return json.loads(result.out)


def indicator(report: dict, rule_id: str = "pekppp.6.a.B") -> dict:
    return next(r for r in report["results"] if r["rule_id"] == rule_id)


def test_enough_respondents_reach_level_2(tmp_path: Path, run) -> None:
    manifest = unit(tmp_path, populasi=20)  # Krejcie–Morgan 20 → 19 = the 19 respondents
    report = check(run, manifest)
    result = indicator(report)
    assert result["level"] >= 2, result["unmet"]
    digest = hashlib.sha256((manifest.parent / "skm" / "jawaban.csv").read_bytes()).hexdigest()
    assert report["digests"]["evidence"]["skm/jawaban.csv"] == digest
    assert {"ref": "skm/jawaban.csv", "sha256": digest} in [
        {k: e.get(k) for k in ("ref", "sha256")} for e in result["evidence"]]


def test_too_few_respondents_stay_at_level_1(tmp_path: Path, run) -> None:
    """The reason names the minimum and says what it is and where it comes from, in the
    user's terms: "jumlah responden (dari skm.berkas) = 19 (perlu ≥ sampel minimum (dari
    skm.populasi) = 24)", never the derived keys skm.hasil.*."""
    manifest = unit(tmp_path, populasi=25)  # Krejcie–Morgan 25 → 24 > 19 respondents
    result = indicator(check(run, manifest, "--lang", "en"))
    assert result["level"] == 1
    reasons = " ".join(u["message"]["en"] + " " + u["message"]["id"] for u in result["unmet"])
    assert "19" in reasons and "24" in reasons  # the respondents and the minimum for N = 25
    assert "minimum sample (from skm.populasi) = 24" in reasons, reasons
    assert "sampel minimum (dari skm.populasi) = 24" in reasons, reasons
    assert "skm.hasil" not in reasons


def test_skm_ruleset_scores_the_ikm(tmp_path: Path, run) -> None:
    manifest = unit(tmp_path, populasi=20)
    direct = skm_json(run, manifest.parent / "skm" / "jawaban.csv", "--population", "20")
    report = check(run, manifest, "--ruleset", "skm")
    assert report["ruleset"]["id"] == "skm"
    assert report["score"]["final"] == direct["ikm"] == 76.61
    assert report["predicate"]["code"] == direct["mutu"]["code"] == "B"
    assert report["predicate"]["label"] == direct["mutu"]["label"]
    assert {r["rule_id"]: r["status"] for r in report["results"]} == {
        "skm.berkala": "pass", "skm.sampel": "pass", "skm.sembilan-unsur": "pass",
        "skm.skala": "pass"}
    assert "skm/jawaban.csv" in report["digests"]["evidence"]
    text = run("check", manifest, "--ruleset", "skm")
    assert "Predikat: B Baik" in text.out
    assert "Nilai: 76,61" in text.out  # the Indonesian decimal comma


def test_skm_ruleset_sees_a_small_sample_and_a_bad_scale(tmp_path: Path, run) -> None:
    answers = CSV_D.replace("\n19,2024-03-19,3,", "\n19,2024-03-19,5,")  # line 20: U1 = 5
    report = check(run, unit(tmp_path, populasi=25, answers=answers), "--ruleset", "skm")
    status = {r["rule_id"]: r["status"] for r in report["results"]}
    assert status["skm.sampel"] == "fail"  # 18 respondents left < 24
    assert status["skm.skala"] == "fail"
    assert status["skm.sembilan-unsur"] == "pass"


def test_skm_ruleset_without_skm_data(tmp_path: Path, run) -> None:
    manifest = unit(tmp_path, populasi=None, answers=None)
    for options in ((), ("--lang", "en")):
        result = run("check", manifest, "--ruleset", "skm", "--format", "json", *options)
        assert result.code == 0, result.err
        report = json.loads(result.out)
        assert report["predicate"] is None
        assert report["score"]["final"] is None
        assert any("skm.berkas" in note["id"] and "IKM" in note["en"]
                   for note in report["notes"])
    text = run("check", manifest, "--ruleset", "skm")
    assert text.code == 0
    assert "Predikat: — (nilai tidak dapat dihitung" in text.out
    english = run("check", manifest, "--ruleset", "skm", "--lang", "en")
    assert "no score" in english.out


def test_bad_answer_file_in_a_manifest_stops_the_check(tmp_path: Path, run) -> None:
    answers = CSV_D.replace(",U7,", ",Ux,")
    manifest = unit(tmp_path, populasi=20, answers=answers)
    for ruleset in ("pekppp", "skm"):
        assert_input_error(run("check", manifest, "--ruleset", ruleset), "jawaban.csv", "U7")


# --- the bundled template ------------------------------------------------------------------------

TEMPLATE = Path(__file__).resolve().parents[1] / "examples" / "skm-template"


def test_template_csv_and_xlsx_agree(run) -> None:
    from_csv = skm_json(run, TEMPLATE / "jawaban-skm.csv", "--population", "100")
    from_xlsx = skm_json(run, TEMPLATE / "jawaban-skm.xlsx", "--population", "100")
    assert from_csv["respondents"] == 3
    assert from_csv["ikm"] == 86.11
    assert from_csv["sample"]["required"] == 80
    assert from_csv["excluded"] == []
    assert any(u["blank"] for u in from_csv["unsur"])  # shows that a blank is allowed
    for report in (from_csv, from_xlsx):
        del report["file"], report["sha256"]
    assert from_xlsx == from_csv
