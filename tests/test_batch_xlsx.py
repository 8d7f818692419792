"""The batch summary workbook is for people: their language, one sheet per ruleset, frozen
header, numbers as numbers, one column per aspect, the predicate coloured by its band, a link
to each unit's report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from patuh.cli import cli  # noqa: F401 - wires the commands
from patuh.xlsxstyle import HEAT_FILLS
from patuh.xlsxstyle import band_heat
from patuh.xlsxstyle import sheet_title

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workbook(run, tmp_path: Path):
    def make(*args: str) -> openpyxl.Workbook:
        units = tmp_path / "units"
        if not units.exists():
            for name in ("dpmptsp-kota-harapan", "puskesmas-sukamaju"):
                shutil.copytree(ROOT / "examples" / name, units / name, symlinks=True)
        out = tmp_path / ("out-" + "-".join(a.strip("-") for a in args))
        result = run("batch", units, "-o", out, "--workers", "1", *args)
        assert result.code == 0, result.err
        return openpyxl.load_workbook(out / "summary.xlsx"), out
    return make


def test_indonesian_formatted_sheet_per_ruleset(workbook, run) -> None:
    book, out = workbook("--ruleset", "pekppp", "--ruleset", "skm")
    assert book.sheetnames == ["pekppp", "skm"]
    sheet = book["pekppp"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["Peringkat", "Unit", "Kode", "Edisi", "Tanggal evaluasi", "Nilai",
                          "Predikat", "Arti predikat"]
    assert sheet.freeze_panes == "C2" and sheet["A1"].font.bold
    aspects = [h for h in header if h.startswith("Aspek ")]
    written = json.loads((out / "dpmptsp-kota-harapan.pekppp.json").read_text("utf-8"))
    assert aspects == [f"Aspek {a['id']}: {a['title']['id']}" for a in written["aspects"]]
    best = sheet[2]
    assert best[0].value == 1 and best[2].value == "dpmptsp-kota-harapan"
    assert isinstance(best[5].value, float) and best[5].number_format == "[$-421]0.00"
    # the best band is green, with white ink; the runner-up is another colour
    assert best[6].fill.start_color.rgb.endswith(HEAT_FILLS["heat-0"])
    assert best[6].font.color.rgb.endswith("FFFFFF")
    assert sheet[3][6].fill.start_color.rgb != best[6].fill.start_color.rgb
    assert [best[8 + i].value for i in range(len(aspects))] == [
        a["score"] for a in written["aspects"]]
    report = best[header.index("Laporan")]
    assert report.value == "dpmptsp-kota-harapan.pekppp.json"
    assert report.hyperlink.target == "dpmptsp-kota-harapan.pekppp.json"
    assert (out / report.value).is_file()
    assert book["skm"]["A1"].value == "Peringkat"


def test_english_headers(workbook) -> None:
    book, _out = workbook("--lang", "en")
    header = [c.value for c in book["pekppp"][1]]
    assert header[:3] == ["Rank", "Unit", "Code"] and header[8].startswith("Aspect a: ")
    assert book["pekppp"]["H2"].value  # the predicate's English meaning
    assert book["pekppp"]["F2"].number_format == "0.00"  # no Indonesian locale tag


def test_band_heat_spreads_bands_over_five_colours() -> None:
    assert band_heat(0, 6) == "heat-0" and band_heat(5, 6) == "heat-4"
    assert band_heat(None, 6) == "heat-none" and band_heat(0, 1) == "heat-0"


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("a/b:c" + "x" * 40, taken) == ("a_b_c" + "x" * 40)[:31]
    second = sheet_title("a/b:c" + "x" * 40, taken)
    assert len(second) <= 31 and second.endswith("(2)")
