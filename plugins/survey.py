"""Fact deriver for a service-user assessment (``penilaian_pengguna``): per-item means from a
CSV of responses (one row per respondent, one column per item code, answers 0–5) or from the
aggregates written in the manifest. Produces ``penilaian_pengguna.hasil``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from patuh import InputError
from patuh import Text
from patuh import hookimpl
from patuh import resolve_inside

SECTION = "penilaian_pengguna"
META_COLUMNS = {"no", "nomor", "responden", "nama", "tanggal", "layanan", "keterangan"}
SCALE = range(0, 6)


def _decode(file: Path) -> str:
    raw = file.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Text("berkas bukan teks UTF-8", "the file is not UTF-8 text"),
                         file=file, hint=Text("simpan ulang sebagai CSV UTF-8",
                                              "save it again as CSV UTF-8")) from None


def read_responses(file: Path) -> dict[str, Any]:
    """Per-item means of a response CSV; every bad cell is an error naming row and column."""
    text = _decode(file)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError(Text("berkas jawaban kosong", "the response file is empty"), file=file,
                         hint=Text("baris pertama: kode butir, mis. 1.a.K1,2.a.K1,…",
                                   "first line: item codes, e.g. 1.a.K1,2.a.K1,…"))
    delimiter = max(",;\t", key=lines[0].count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    items = [(i, h) for i, h in enumerate(header) if h and h.lower() not in META_COLUMNS]
    if not items:
        raise InputError(Text("tidak ada kolom butir di baris judul",
                              "no item columns in the header row"), file=file, line=1)
    sums = {h: Fraction(0) for _, h in items}
    counts = {h: 0 for _, h in items}
    respondents = 0
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        respondents += 1
        for index, code in items:
            cell = row[index].strip() if index < len(row) else ""
            if cell == "":
                continue
            try:
                value = Fraction(cell.replace(",", "."))
            except ValueError:
                value = None
            if value is None or value.denominator != 1 or int(value) not in SCALE:
                raise InputError(
                    Text(f"kolom {code!r}: {cell!r} bukan nilai bulat 0–5",
                         f"column {code!r}: {cell!r} is not a whole number 0–5"),
                    file=file, line=number, path=f"kolom {code}",
                    hint=Text("perbaiki atau kosongkan sel tersebut",
                              "fix the cell or leave it empty"))
            sums[code] += value
            counts[code] += 1
    if respondents == 0:
        raise InputError(Text("berkas jawaban tidak berisi responden",
                              "the response file has no respondents"), file=file)
    return {
        "responden": respondents,
        "butir": {code: sums[code] / counts[code] for code in sums if counts[code]},
    }


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    section = manifest.get(SECTION)
    if not section:
        return None
    if "berkas" in section and base_dir is not None:
        ref = section["berkas"]
        target, status = resolve_inside(base_dir, ref)
        if target is None:
            why = {"outside": Text("jalur keluar dari folder manifest",
                                   "the path leaves the manifest's folder"),
                   "not_found": Text("berkas tidak ditemukan", "file not found"),
                   "not_a_file": Text("bukan berkas", "not a file")}[status]
            raise InputError(why, file=base_dir / ref, path=f"$.{SECTION}.berkas",
                             hint=Text("letakkan berkas jawaban di dalam folder manifest",
                                       "put the response file inside the manifest's folder"))
        hasil = read_responses(target)
        hasil["berkas"] = ref
        hasil["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
        return {f"{SECTION}.hasil": hasil}
    if "rekap" in section:
        rekap = section["rekap"]
        return {f"{SECTION}.hasil": {
            "responden": rekap["responden"],
            "butir": {code: Fraction(str(v)) for code, v in rekap["butir"].items()},
        }}
    return None
