"""Reading the spreadsheets units keep (CSV saved from Excel/LibreOffice/Google Sheets):
UTF-8 with or without a byte-order mark, `,` `;` or tab as delimiter. A helper for the
built-in fact derivers; not a plugin itself."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from patuh import InputError
from patuh import Text
from patuh import resolve_inside

META_COLUMNS = {"no", "nomor", "responden", "nama", "tanggal", "layanan", "keterangan"}


def locate(base_dir: Path, ref: str, json_path: str) -> Path:
    """A data file named in the manifest, which must lie inside the manifest's folder."""
    target, status = resolve_inside(base_dir, ref)
    if target is None:
        why = {"outside": Text("jalur keluar dari folder manifest",
                               "the path leaves the manifest's folder"),
               "not_found": Text("berkas tidak ditemukan", "file not found"),
               "not_a_file": Text("bukan berkas", "not a file")}[status]
        raise InputError(why, file=base_dir / ref, path=json_path,
                         hint=Text("letakkan berkas di dalam folder manifest",
                                   "put the file inside the manifest's folder"))
    return target


def derive_section(manifest: Mapping[str, Any], base_dir: Path | None, section: str,
                   read_file: Callable[[Path], dict[str, Any]],
                   from_rekap: Callable[[Mapping[str, Any]], dict[str, Any]]
                   ) -> dict[str, Any] | None:
    """``{section}.hasil`` from the data file a section names (``berkas``, read with
    ``read_file``; its name and digest recorded) or from its aggregates (``rekap``)."""
    data = manifest.get(section)
    if not data:
        return None
    if "berkas" in data and base_dir is not None:
        target = locate(base_dir, data["berkas"], f"$.{section}.berkas")
        hasil = read_file(target)
        hasil["berkas"] = data["berkas"]
        hasil["sha256"] = sha256(target)
        return {f"{section}.hasil": hasil}
    if "rekap" in data:
        return {f"{section}.hasil": from_rekap(data["rekap"])}
    return None


def sha256(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def decode(file: Path, fallback: str | None = None) -> tuple[str, str]:
    """The file's text and the encoding used: UTF-8 (with or without BOM), else ``fallback``
    (e.g. ``cp1252``, what Excel's "CSV (Comma delimited)" writes on Windows)."""
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        if fallback is None:
            raise InputError(Text("berkas bukan teks UTF-8", "the file is not UTF-8 text"),
                             file=file, hint=Text("simpan ulang sebagai CSV UTF-8",
                                                  "save it again as CSV UTF-8")) from None
        return raw.decode(fallback, errors="replace"), fallback


def read_rows(file: Path, fallback: str | None = None
              ) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the non-empty rows as (line number, {column: stripped cell})."""
    text, _ = decode(file, fallback)
    return parse_rows(text, file)


def parse_rows(text: str, file: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    if "\0" in text or text.startswith("PK\x03\x04"):
        raise InputError(Text("ini bukan berkas CSV (mungkin buku kerja Excel yang diberi nama "
                              ".csv)", "this is not a CSV file (perhaps an Excel workbook "
                              "named .csv)"), file=file,
                         hint=Text("simpan sebagai CSV, atau beri akhiran .xlsx",
                                   "save it as CSV, or name it .xlsx"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError(Text("berkas kosong atau tanpa baris judul",
                              "the file is empty or has no header row"), file=file, line=1)
    delimiter = max(",;\t", key=lines[0].count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in next(reader)]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader.line_num, {h: (row[i].strip() if i < len(row) else "")
                                            for i, h in enumerate(header) if h}
        except csv.Error as exc:
            raise InputError(Text(f"CSV tidak sah: {exc}", f"invalid CSV: {exc}"), file=file,
                             line=reader.line_num,
                             hint=Text("periksa tanda kutip pada baris ini",
                                       "check the quotes on this line")) from None

    return header, rows()


WHOLE = re.compile(r"^\s*(\d{1,3})(?:[.,]0+)?\s*$")


def whole_number(cell: str) -> int | None:
    """A small whole number as a spreadsheet writes it ("3", "3.0", "3,0"), else None.

    Cells are never handed to ``Fraction``/``float`` as typed: "1e999999999" would hang."""
    match = WHOLE.match(cell)
    return int(match.group(1)) if match else None


def parse_date(file: Path, line: int, column: str, cell: str) -> date:
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise InputError(Text(f"kolom {column!r}: {cell!r} bukan tanggal ISO",
                              f"column {column!r}: {cell!r} is not an ISO date"),
                         file=file, line=line, path=f"[{column}]",
                         hint=Text("tulis tanggal sebagai 2024-03-31 (format sel: teks)",
                                   "write dates as 2024-03-31 (cell format: text)")) from None
