"""Fact deriver for a complaint log (``pengaduan.log.berkas``): one CSV row per complaint,
turned into ``pengaduan.log.kasus`` so that rules can check every case's deadlines.

Columns: ``nomor`` (optional; the row number otherwise), ``tanggal_diterima`` (required),
``tanggal_tanda_terima``, ``tanggal_lengkap``, ``tanggal_tanggapan``, ``tanggal_keputusan``,
``tanggal_pemberitahuan`` (ISO dates; empty while that step has not happened). Other columns
(``kanal``, ``keterangan``, …) are kept as text.
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


def read_log(file: Path) -> list[dict[str, Any]]:
    header, rows = tables.read_rows(file)
    if REQUIRED not in header:
        raise InputError(Text(f"kolom {REQUIRED!r} tidak ada di baris judul",
                              f"column {REQUIRED!r} is missing from the header row"),
                         file=file, line=1,
                         hint=Text("kolom: " + ", ".join(("nomor", *ORDER)),
                                   "columns: " + ", ".join(("nomor", *ORDER))))
    cases = []
    for number, row in rows:
        case: dict[str, Any] = {"nomor": row.get("nomor") or f"baris {number}"}
        for column, cell in row.items():
            if column.startswith("tanggal_"):
                if cell:
                    case[column] = tables.parse_date(file, number, column, cell).isoformat()
            elif column != "nomor" and cell:
                case[column] = cell
        if REQUIRED not in case:
            mixed = rows.other_delimiter is not None
            raise InputError(Text(f"kolom {REQUIRED!r} kosong", f"column {REQUIRED!r} is empty"),
                             file=file, line=number, path=f"[{REQUIRED}]",
                             hint=rows.why_unusable() if mixed else None)
        cases.append(case)
    return cases


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    log = (manifest.get("pengaduan") or {}).get("log") or {}
    if "berkas" not in log or base_dir is None:
        return None
    target = tables.locate(base_dir, log["berkas"], "$.pengaduan.log.berkas")
    return {"pengaduan.log.kasus": read_log(target),
            "pengaduan.log.hasil": {"berkas": log["berkas"], "sha256": tables.sha256(target)}}
