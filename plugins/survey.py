"""Fact deriver for a service-user assessment (``penilaian_pengguna``): per-item means from a
CSV or XLSX of responses (one row per respondent, one column per item code, answers 0–5) or from
the aggregates written in the manifest. Produces ``penilaian_pengguna.hasil``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from patuh import InputError
from patuh import Text
from patuh import hookimpl
from patuh.plugins import tables

SECTION = "penilaian_pengguna"
SCALE = range(0, 6)
# an item code, also at the start of a heading that goes on with the item's words
ITEM = re.compile(r"\s*([0-9]{1,2}\.[a-z]\.[A-Za-z]{1,3}[0-9]?)(?:[\s.:)\-–]+.*)?",
                  re.ASCII | re.DOTALL)
META = tables.Vocabulary({
    "responden": ("nama", "nama responden", "no", "no.", "nomor", "nomor responden",
                  "kode responden"),
    "tanggal": ("tanggal survei", "tanggal pengisian", "tgl", "timestamp", "stempel waktu",
                "cap waktu", "waktu"),
    "layanan": ("jenis layanan", "jenis pelayanan", "nama layanan"),
    "keterangan": ("catatan", "saran", "kritik dan saran"),
}, match=lambda name: (m[1] if (m := ITEM.fullmatch(name)) else None))


def _header_score(cells: list[str]) -> int:
    """A row is the header when it names item codes (a title row names none)."""
    return sum(1 for cell in cells if ITEM.fullmatch(cell))


@tables.persistent  # depends on the file and the code only (tables.memo_read)
def read_responses(file: Path) -> dict[str, Any]:
    """Per-item means of a response CSV; every bad cell is an error naming row and column.
    Columns are item codes (``1.a.K1``, or ``1.a.K1 Kebijakan pelayanan``) or the respondent's
    details (``responden``, ``tanggal``, ``layanan``, ``keterangan`` and their usual
    spellings), which are not read; any other column is named in a note, not read."""
    header, rows = tables.read_rows(file, workbooks=True, header_score=_header_score,
                                    header_is=Text("kode butir", "item codes"))
    known = META.resolve(file, header, rows.header_line)
    columns = {canonical: name for canonical, name in known.columns.items()
               if ITEM.fullmatch(canonical)}
    # the respondent's details are not read: no note on how they were named
    known.renamed = [pair for pair in known.renamed if pair[1] in columns]
    known.shadowed = []  # only details can be shadowed: a second item column is refused
    items = list(columns)
    if not items:
        raise InputError(Text("tidak ada kolom butir di baris judul",
                              "no item columns in the header row"), file=file,
                         line=rows.header_line,
                         hint=Text("baris judul: kode butir, mis. 1.a.K1,2.a.K1,…",
                                   "header row: item codes, e.g. 1.a.K1,2.a.K1,…"))
    sums = {code: Fraction(0) for code in items}
    counts = dict.fromkeys(items, 0)
    respondents = 0
    for number, row in rows:
        respondents += 1
        for code in items:
            column = columns[code]
            cell = row.get(column, "")
            if cell == "":
                continue
            value = tables.whole_number(cell)
            if value is None or value not in SCALE:
                raise InputError(
                    Text(f"kolom {column!r}: {cell!r} bukan nilai bulat 0–5",
                         f"column {column!r}: {cell!r} is not a whole number 0–5"),
                    file=file, line=number, path=f"[{column}]",
                    hint=Text("perbaiki atau kosongkan sel tersebut",
                              "fix the cell or leave it empty"))
            sums[code] += value
            counts[code] += 1
    if respondents == 0 or not any(counts.values()):
        raise tables.no_usable_rows(
            file, rows, Text("berkas jawaban tidak berisi responden dengan jawaban",
                             "the response file has no respondents with an answer"),
            hint=Text("satu baris per responden, jawaban 0–5 di kolom kode butir",
                      "one row per respondent, answers 0–5 under the item codes"))
    notes = [*rows.notes, *(n for n in (tables.header_note(rows.header_line),) if n)]
    notes.extend(known.notes())
    result: dict[str, Any] = {
        "responden": respondents,
        "butir": {code: sums[code] / counts[code] for code in items if counts[code]},
    }
    if notes:
        result["catatan"] = [note.as_dict() for note in notes]
    return result


@hookimpl
def patuh_fact_sources() -> Mapping[str, Any]:
    return tables.section_sources(SECTION)


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    return tables.derive_section(manifest, base_dir, SECTION, read_responses, lambda rekap: {
        "responden": rekap["responden"],
        "butir": {code: Fraction(str(v)) for code, v in rekap["butir"].items()},
    })
