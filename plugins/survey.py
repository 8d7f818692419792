"""Fact deriver for a service-user assessment (``penilaian_pengguna``): per-item means from a
CSV of responses (one row per respondent, one column per item code, answers 0–5) or from the
aggregates written in the manifest. Produces ``penilaian_pengguna.hasil``.
"""

from __future__ import annotations

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


def read_responses(file: Path) -> dict[str, Any]:
    """Per-item means of a response CSV; every bad cell is an error naming row and column."""
    header, rows = tables.read_rows(file)
    items = [h for h in header if h and h.lower() not in tables.META_COLUMNS]
    if not items:
        raise InputError(Text("tidak ada kolom butir di baris judul",
                              "no item columns in the header row"), file=file, line=1,
                         hint=Text("baris pertama: kode butir, mis. 1.a.K1,2.a.K1,…",
                                   "first line: item codes, e.g. 1.a.K1,2.a.K1,…"))
    sums = {code: Fraction(0) for code in items}
    counts = dict.fromkeys(items, 0)
    respondents = 0
    for number, row in rows:
        respondents += 1
        for code in items:
            cell = row.get(code, "")
            if cell == "":
                continue
            value = tables.whole_number(cell)
            if value is None or value not in SCALE:
                raise InputError(
                    Text(f"kolom {code!r}: {cell!r} bukan nilai bulat 0–5",
                         f"column {code!r}: {cell!r} is not a whole number 0–5"),
                    file=file, line=number, path=f"[{code}]",
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
    return {
        "responden": respondents,
        "butir": {code: sums[code] / counts[code] for code in items if counts[code]},
    }


@hookimpl
def patuh_derive_facts(manifest: Mapping[str, Any], base_dir: Path | None,
                       as_of: date) -> Mapping[str, Any] | None:
    return tables.derive_section(manifest, base_dir, SECTION, read_responses, lambda rekap: {
        "responden": rekap["responden"],
        "butir": {code: Fraction(str(v)) for code, v in rekap["butir"].items()},
    })
