"""The quick workbook reader (python-calamine) gives exactly the cells openpyxl gives, and
leaves to openpyxl every workbook it would read differently or cannot read."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import openpyxl
import pytest
from xlsxkit import sheet_xml
from xlsxkit import write_xlsx

from patuh.errors import InputError
from patuh.plugins import tables

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _read(file: Path, *, quick: bool, monkeypatch: pytest.MonkeyPatch,
          sheet: str | None = None) -> tuple:
    used: list[bool] = []
    real = tables._open_quick

    def open_quick(path: Path) -> object:
        book = real(path) if quick else None
        used.append(book is not None)
        return book

    with monkeypatch.context() as patch:
        patch.setattr(tables, "_open_quick", open_quick)
        try:
            rows = tables.SheetRows(file, lambda cells: int("U1" in cells), sheet)
        except InputError as exc:
            return ("error", str(exc)), used[0]
        return (rows.header, rows.header_line, [t.as_dict() for t in rows.notes],
                list(rows)), used[0]


def _same(file: Path, monkeypatch: pytest.MonkeyPatch, *, sheet: str | None = None,
          quick_expected: bool | None = True) -> tuple:
    """Both readers' results (equal); ``quick_expected``: whether calamine opened it."""
    quick, used_quick = _read(file, quick=True, monkeypatch=monkeypatch, sheet=sheet)
    slow, _ = _read(file, quick=False, monkeypatch=monkeypatch, sheet=sheet)
    assert quick == slow
    if quick_expected is not None:
        assert used_quick is quick_expected
    return quick


@pytest.mark.parametrize("file", sorted(EXAMPLES.rglob("*.xlsx")), ids=lambda p: p.name)
def test_the_examples_read_the_same(file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header, _line, _notes, rows = _same(file, monkeypatch)
    assert "U1" in header and rows


def _book(path: Path, fill: object) -> Path:
    book = openpyxl.Workbook()
    fill(book)
    book.save(path)
    return path


def test_cells_of_every_kind_read_the_same(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        sheet = book.active
        sheet.title = "Data"
        sheet["A1"] = "Laporan SKM"  # a title row above the header
        sheet.append([])
        sheet.append(["No", "U1", "U2", "tanggal", "waktu", "ya", "teks", "kosong", "rumus"])
        sheet.append([1, 4, 3.0, dt.date(2024, 2, 1), dt.time(10, 30), True, "  spasi  ",
                      None, "=1+2"])
        sheet.append([2, 3.5, -0.0, dt.datetime(2024, 2, 1, 10, 30), None, False,
                      "baris\nbaru", None, None])
        sheet.append([])  # a blank row between rows
        sheet.append([3, 0.1, 1e-3, 45000, 123456789012345, "4", "Ä ü ✓", None, None])
        sheet["B9"] = "gabung"
        sheet.merge_cells("B9:C10")
        sheet["K12"] = "jauh"  # beyond the header: not read
        book.create_sheet("Kedua")["A1"] = "U1"

    file = _book(tmp_path / "jawaban.xlsx", fill)
    header, line, _notes, rows = _same(file, monkeypatch)
    assert line == 3 and header[:3] == ["No", "U1", "U2"]
    assert rows[0][1]["tanggal"] == "2024-02-01" and rows[2][0] == 7
    assert _same(file, monkeypatch, sheet="Kedua")[0] == ["U1"]
    assert _same(file, monkeypatch, sheet="Tidak ada")[0] == "error"


def test_a_header_on_another_sheet_reads_the_same(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["A1"] = "Petunjuk pengisian"
        second = book.create_sheet("Jawaban")
        second.append(["U1", "U2"])
        second.append([4, 4])

    _header, _line, notes, _rows = _same(_book(tmp_path / "a.xlsx", fill), monkeypatch)
    assert "Jawaban" in notes[0]["en"]


def test_an_empty_first_row_is_the_same_error(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["C3"] = "isi"

    assert _same(_book(tmp_path / "a.xlsx", fill), monkeypatch)[0] == "error"


@pytest.mark.parametrize("cell", ['<c r="B2" t="e"><v>#DIV/0!</v></c>',
                                  '<c r="B2" t="inlineStr"><is><t>a_x000D_b</t></is></c>',
                                  '<c r="B2"><v>12345678901234567</v></c>',
                                  '<c r="XFD900000"><v>1</v></c>'])
def test_cells_it_would_read_differently_are_left_to_openpyxl(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell: str) -> None:
    xml = sheet_xml([["U1", "U2"], [1]]).replace("</row></sheetData>",
                                                 f"{cell}</row></sheetData>")
    file = write_xlsx(tmp_path / "a.xlsx", [xml])
    _same(file, monkeypatch, quick_expected=False)


# openpyxl leaves the file of a sheet it cannot parse open (as it did before the quick reader)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_damaged_sheet_keeps_openpyxls_message(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    file = write_xlsx(tmp_path / "a.xlsx", ["<worksheet><sheetData><row"])
    result = _same(file, monkeypatch, quick_expected=None)  # opened, its sheet refused
    assert result[0] == "error" and "XLSX" in result[1]
    gc.collect()  # openpyxl's open file is closed here, within this test's warning filter
