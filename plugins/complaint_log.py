"""Fact deriver for a complaint log (``pengaduan.log.berkas``): one CSV row per complaint,
turned into ``pengaduan.log.kasus`` so that rules can check every case's deadlines. A workbook
(XLSX) is read too: its date cells, and numbers in a date column as Excel date serials.

Columns: ``nomor`` (optional; the row number otherwise), ``tanggal_diterima`` (required),
``tanggal_tanda_terima``, ``tanggal_lengkap``, ``tanggal_tanggapan``, ``tanggal_keputusan``,
``tanggal_pemberitahuan`` (dates as people type them, day first; empty while that step has not
happened), each also under its usual spellings (``Tanggal Diterima``, ``No. Pengaduan`` …);
the header may sit below title rows. Other columns (``kanal``, ``keterangan``, …) are kept as
text, and those patuh does not know are named in a note.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from patuh import InputError
from patuh import Text
from patuh import hookimpl
from patuh.plugins import tables

REQUIRED = "tanggal_diterima"
ORDER = ("tanggal_diterima", "tanggal_tanda_terima", "tanggal_lengkap", "tanggal_tanggapan",
         "tanggal_keputusan", "tanggal_pemberitahuan")
SPELLINGS = {
    # the case's own number before a row counter (a closer spelling wins when both are there)
    "nomor": ("nomor pengaduan", "no pengaduan", "nomor registrasi", "no registrasi",
              "nomor tiket", "no tiket", "nomor laporan", "no laporan", "no", "no."),
    "tanggal_diterima": ("tanggal diterima", "tgl diterima", "tanggal pengaduan",
                         "tgl pengaduan", "tanggal masuk", "tgl masuk", "tanggal terima",
                         "tanggal pengaduan diterima", "diterima", "tanggal laporan"),
    "tanggal_tanda_terima": ("tanggal tanda terima", "tgl tanda terima", "tanda terima"),
    "tanggal_lengkap": ("tanggal lengkap", "tgl lengkap", "tanggal berkas lengkap",
                        "tanggal dinyatakan lengkap"),
    "tanggal_tanggapan": ("tanggal tanggapan", "tgl tanggapan", "tanggal respon",
                          "tanggal respons", "tanggal ditanggapi"),
    "tanggal_keputusan": ("tanggal keputusan", "tgl keputusan", "tanggal penyelesaian",
                          "tanggal selesai", "tgl selesai", "tanggal diselesaikan"),
    "tanggal_pemberitahuan": ("tanggal pemberitahuan", "tgl pemberitahuan",
                              "tanggal pemberitahuan keputusan"),
    "kanal": ("saluran", "saluran pengaduan", "kanal pengaduan", "media", "media pengaduan",
              "sumber pengaduan"),
    "keterangan": ("uraian", "isi pengaduan", "perihal", "pokok pengaduan", "ringkasan",
                   "catatan"),
}
VOCABULARY = tables.Vocabulary(SPELLINGS, single=ORDER)
HEADER_IS = Text("kolom tanggal_diterima", "a tanggal_diterima column")


def _header_score(cells: list[str]) -> int:
    """A row is the header when it names the date a complaint was received."""
    known = VOCABULARY.known(cells)
    return len(known) if REQUIRED in known else 0


def read_log(file: Path) -> tuple[list[dict[str, Any]], list[Text]]:
    """The cases of a complaint log, and notes on how it was read (header, dates, columns)."""
    header, rows = tables.read_rows(file, workbooks=True, header_score=_header_score,
                                    header_is=HEADER_IS)
    known = VOCABULARY.resolve(file, header, rows.header_line)
    if known.get(REQUIRED) is None:
        raise InputError(Text(f"kolom {REQUIRED!r} tidak ada di baris judul",
                              f"column {REQUIRED!r} is missing from the header row"),
                         file=file, line=rows.header_line,
                         hint=Text("kolom: " + ", ".join(("nomor", *ORDER)) + " (atau mis. "
                                   "'Tanggal Diterima'), di salah satu dari "
                                   f"{tables.HEADER_SEARCH_ROWS} baris pertama",
                                   "columns: " + ", ".join(("nomor", *ORDER)) + " (or e.g. "
                                   "'Tanggal Diterima'), within the first "
                                   f"{tables.HEADER_SEARCH_ROWS} rows"))
    # a column: its key in the case, and whether it holds dates
    keys = {name: canonical for canonical, name in known.columns.items()}
    kept = [name for name in known.unknown if name.startswith("tanggal_")]
    dates = tables.Dates(serials=rows.workbook)
    cases = []
    for number, row in rows:
        case: dict[str, Any] = {"nomor": row.get(known.get("nomor") or "") or f"baris {number}"}
        for column, cell in row.items():
            key = keys.get(column, column)
            if key in ORDER or column in kept:
                case[key] = dates.read_or_fail(file, number, column, cell).isoformat()
            elif key != "nomor" and column not in known.shadowed_names():
                case[key] = cell
        if REQUIRED not in case:
            mixed = rows.other_delimiter is not None
            raise InputError(Text(f"kolom {REQUIRED!r} kosong", f"column {REQUIRED!r} is empty"),
                             file=file, line=number, path=f"[{known.get(REQUIRED)}]",
                             hint=rows.why_unusable() if mixed else None)
        cases.append(case)
    notes = [*rows.notes, *(n for n in (tables.header_note(rows.header_line),) if n)]
    notes.extend(known.notes(kept_as_text=True))
    if (how := dates.note()) is not None:
        notes.append(how)
    return cases, notes


@hookimpl
def patuh_fact_sources() -> Mapping[str, Any]:
    """The cases come from the log file; a reason names it, not pengaduan.log.kasus."""
    return {"pengaduan.log.kasus": {"from": [["pengaduan.log.berkas"]],
                                    "label": Text("log pengaduan", "complaint log")}}


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    log = (manifest.get("pengaduan") or {}).get("log") or {}
    if "berkas" not in log or base_dir is None:
        return None
    target = tables.locate(base_dir, log["berkas"], "pengaduan.log.berkas")
    cases, notes = tables.memo_read(target, read_log)
    hasil: dict[str, Any] = {"berkas": log["berkas"],
                             "sha256": tables.file_digest(target)}
    if notes:
        hasil["catatan"] = [note.as_dict() for note in notes]
    return {"pengaduan.log.kasus": cases, "pengaduan.log.hasil": hasil}
